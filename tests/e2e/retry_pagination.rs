//! Retries and pagination, end to end, with an injected sleep that records the waits (no test
//! really sleeps) and with the exact sequence of requests asserted.
//!
//! Retries: which methods are retried on which outcomes (5xx, 420/429, timeouts), the backoff
//! and the server's hints (`Retry-After`, `X-FeatureRateLimit-Reset`), and agent account
//! creation, which is never retried unless the caller opts in.
//!
//! Pagination: `into_stream()` on users.list and access_keys.list (page numbers; stops on an
//! empty or short page) and on custom_policies.list and principals.inspect (cursors; stops on
//! a missing, empty or repeated cursor, or an empty page).

use workspace_tests::support;

use std::time::Duration;

use cld_provisioning::models::ScopeTypeEnum;
use cld_provisioning::{Client, Error, ErrorKind, RetryConfig};
use futures_util::{StreamExt, TryStreamExt};
use serde_json::{Value, json};
use support::*;
use wiremock::{MockServer, ResponseTemplate};

/// A client with the standard policy minus jitter, so the waits are exact.
fn retrying(server: &MockServer, sleep: &RecordingSleep, retry: RetryConfig) -> Client {
    builder(server)
        .retry(retry)
        .sleep_impl(sleep.sleeper())
        .build()
        .expect("client")
}

fn no_jitter() -> RetryConfig {
    RetryConfig::standard().with_jitter(false)
}

fn status(code: u16) -> ResponseTemplate {
    ResponseTemplate::new(code)
        .set_body_json(json!({"error": {"message": format!("status {code}")}}))
}

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

// ---------------------------------------------------------------------------------------------
// Retries
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_is_retried_on_each_transient_5xx_with_exponential_backoff() {
    for code in [500, 502, 503, 504] {
        let server = serve_sequence(vec![
            status(code),
            status(code),
            ok_json(json!({"users": [{"id": "u1"}]})),
        ])
        .await;
        let sleep = RecordingSleep::new();
        let got = retrying(&server, &sleep, no_jitter())
            .users()
            .list()
            .send_with_metadata()
            .await
            .expect("third attempt succeeds");
        assert_eq!(got.attempts(), 3, "{code}");
        assert_eq!(sleep.durations(), vec![secs(1), secs(2)], "{code}");
        assert_eq!(
            targets(&server).await,
            vec![format!("{P}/users"); 3],
            "{code}"
        );
    }
}

#[tokio::test]
async fn retries_stop_after_the_maximum_attempts_with_the_last_error() {
    let server = serve_sequence(vec![status(503), status(503), status(502)]).await;
    let sleep = RecordingSleep::new();
    let err = retrying(&server, &sleep, no_jitter())
        .users()
        .get("u1")
        .send()
        .await
        .expect_err("all attempts fail");
    assert_eq!(err.attempts(), 3);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(err.message(), Some("status 502"));
    assert_eq!(requests(&server).await.len(), 3);
    assert_eq!(sleep.durations(), vec![secs(1), secs(2)]);
}

#[tokio::test]
async fn the_default_jitter_stays_within_the_backoff() {
    let server = serve_sequence(vec![status(503), status(503), status(503)]).await;
    let sleep = RecordingSleep::new();
    let _ = retrying(&server, &sleep, RetryConfig::standard())
        .users()
        .list()
        .send()
        .await;
    let waits = sleep.durations();
    assert_eq!(waits.len(), 2);
    assert!(waits[0] <= secs(1), "{waits:?}");
    assert!(waits[1] <= secs(2), "{waits:?}");
}

#[tokio::test]
async fn put_and_delete_are_retried_on_5xx() {
    let server = serve_sequence(vec![
        status(500),
        ok_json(json!({"id": "u1"})),
        status(503),
        ok_json(json!({"message": "ok"})),
    ])
    .await;
    let sleep = RecordingSleep::new();
    let client = retrying(&server, &sleep, no_jitter());
    client
        .users()
        .update("u1")
        .name("n")
        .send()
        .await
        .expect("PUT retried");
    client
        .users()
        .delete("u1")
        .send()
        .await
        .expect("DELETE retried");
    let reqs = requests(&server).await;
    let methods: Vec<&str> = reqs.iter().map(|r| r.method.as_str()).collect();
    assert_eq!(methods, vec!["PUT", "PUT", "DELETE", "DELETE"]);
    assert_eq!(json_body(&reqs[1]), json!({"name": "n"}));
    assert_eq!(sleep.durations(), vec![secs(1), secs(1)]);
}

#[tokio::test]
async fn post_is_not_retried_on_any_5xx() {
    for code in [500, 502, 503, 504] {
        let server = serve_sequence(vec![status(code), ok_json(json!({}))]).await;
        let sleep = RecordingSleep::new();
        let err = retrying(&server, &sleep, no_jitter())
            .product_environments()
            .create()
            .name("n")
            .send()
            .await
            .expect_err("not retried");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(code));
        assert_eq!(err.attempts(), 1);
        assert_eq!(requests(&server).await.len(), 1, "{code}");
        assert!(sleep.durations().is_empty());
    }
}

#[tokio::test]
async fn post_is_retried_on_429_and_420() {
    // 429 without a hint: the backoff.
    let server = serve_sequence(vec![status(429), ok_json(json!({"name": "k"}))]).await;
    let sleep = RecordingSleep::new();
    let key = retrying(&server, &sleep, no_jitter())
        .access_keys()
        .generate("pe1")
        .name("k")
        .send()
        .await
        .expect("retried after 429");
    assert_eq!(key.name.as_deref(), Some("k"));
    assert_eq!(sleep.durations(), vec![secs(1)]);
    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 2);
    assert_eq!(json_body(&reqs[0]), json_body(&reqs[1]));

    // 420 with Retry-After: the server's hint.
    let server = serve_sequence(vec![
        status(420).insert_header("Retry-After", "3"),
        ok_json(json!({"id": "u1"})),
    ])
    .await;
    let sleep = RecordingSleep::new();
    retrying(&server, &sleep, no_jitter())
        .users()
        .create()
        .name("n")
        .email("e@example.org")
        .send()
        .await
        .expect("retried after 420");
    assert_eq!(sleep.durations(), vec![secs(3)]);
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn other_4xx_are_never_retried() {
    for code in [400, 401, 403, 404, 409, 422] {
        let server = serve_sequence(vec![status(code), ok_json(json!({"users": []}))]).await;
        let sleep = RecordingSleep::new();
        let err = retrying(&server, &sleep, no_jitter())
            .users()
            .list()
            .send()
            .await
            .expect_err("not retried");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(code));
        assert_eq!(requests(&server).await.len(), 1, "{code}");
        assert!(sleep.durations().is_empty(), "{code}");
    }
}

#[tokio::test]
async fn server_hints_are_capped_and_bad_ones_fall_back_to_the_backoff() {
    let cases: [(ResponseTemplate, RetryConfig, Duration); 6] = [
        // Capped at the default 20 s maximum.
        (
            status(503).insert_header("Retry-After", "120"),
            no_jitter(),
            secs(20),
        ),
        // Capped at a configured maximum.
        (
            status(429).insert_header("Retry-After", "30"),
            no_jitter().with_max_backoff(secs(5)),
            secs(5),
        ),
        // Fractions are honoured.
        (
            status(503).insert_header("Retry-After", "1.5"),
            no_jitter(),
            Duration::from_millis(1500),
        ),
        // Zero and garbage fall back to the backoff.
        (
            status(503).insert_header("Retry-After", "0"),
            no_jitter(),
            secs(1),
        ),
        (
            status(503).insert_header("Retry-After", "soon"),
            no_jitter(),
            secs(1),
        ),
        // On throttling, the rate-limit reset counts as a hint.
        (
            status(429).insert_header("X-FeatureRateLimit-Reset", "7"),
            no_jitter(),
            secs(7),
        ),
    ];
    for (i, (first, retry, want)) in cases.into_iter().enumerate() {
        let server = serve_sequence(vec![first, ok_json(json!({"users": []}))]).await;
        let sleep = RecordingSleep::new();
        retrying(&server, &sleep, retry)
            .users()
            .list()
            .send()
            .await
            .expect("retried");
        assert_eq!(sleep.durations(), vec![want], "case {i}");
    }
    // The rate-limit reset is no hint for a 503.
    let server = serve_sequence(vec![
        status(503).insert_header("X-FeatureRateLimit-Reset", "7"),
        ok_json(json!({"users": []})),
    ])
    .await;
    let sleep = RecordingSleep::new();
    retrying(&server, &sleep, no_jitter())
        .users()
        .list()
        .send()
        .await
        .expect("retried");
    assert_eq!(sleep.durations(), vec![secs(1)]);
}

#[tokio::test]
async fn timeouts_are_retried_for_get_but_not_for_post() {
    let server = serve(
        ResponseTemplate::new(200)
            .set_body_json(json!({}))
            .set_delay(Duration::from_secs(2)),
    )
    .await;
    let sleep = RecordingSleep::new();
    let client = builder(&server)
        .timeout(Duration::from_millis(100))
        .retry(no_jitter().with_initial_backoff(Duration::from_millis(1)))
        .sleep_impl(sleep.sleeper())
        .build()
        .expect("client");
    let err = client.users().get("u1").send().await.expect_err("timeout");
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert_eq!(err.attempts(), 3);
    assert!(err.to_string().contains("after 3 attempts"), "{err}");
    let err = client
        .users()
        .create()
        .name("n")
        .email("e@example.org")
        .send()
        .await
        .expect_err("timeout");
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert_eq!(err.attempts(), 1);
    let methods: Vec<String> = requests(&server)
        .await
        .iter()
        .map(|r| r.method.to_string())
        .collect();
    assert_eq!(methods, vec!["GET", "GET", "GET", "POST"]);
}

async fn agent_sign_up(client: &Client) -> Result<(), Error<()>> {
    call(client, "createAgentAccount").await
}

#[tokio::test]
async fn agent_creation_is_never_retried_by_default() {
    for first in [
        status(429).insert_header("Retry-After", "2"),
        status(420).insert_header("Retry-After", "2"),
        status(503),
        status(500),
    ] {
        let server = serve_sequence(vec![first, ok_json(json!({}))]).await;
        let sleep = RecordingSleep::new();
        let err = agent_sign_up(&retrying(&server, &sleep, RetryConfig::standard()))
            .await
            .expect_err("not retried");
        assert_eq!(err.attempts(), 1);
        assert_eq!(requests(&server).await.len(), 1);
        assert!(sleep.durations().is_empty());
    }
}

#[tokio::test]
async fn agent_creation_retries_throttling_with_a_hint_only_when_opted_in() {
    let opt_in = no_jitter().with_retry_throttled_never(true);

    let server = serve_sequence(vec![
        status(429).insert_header("Retry-After", "2"),
        ok_json(json!({"email": "e@example.org"})),
    ])
    .await;
    let sleep = RecordingSleep::new();
    agent_sign_up(&retrying(&server, &sleep, opt_in.clone()))
        .await
        .expect("retried after the hinted wait");
    assert_eq!(sleep.durations(), vec![secs(2)]);
    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 2);
    for req in &reqs {
        assert_eq!(header(req, "authorization"), None);
    }

    // Throttled without a hint, or a 5xx: still not retried.
    for first in [status(429), status(503).insert_header("Retry-After", "2")] {
        let server = serve_sequence(vec![first, ok_json(json!({}))]).await;
        let sleep = RecordingSleep::new();
        let err = agent_sign_up(&retrying(&server, &sleep, opt_in.clone()))
            .await
            .expect_err("not retried");
        assert_eq!(err.attempts(), 1);
        assert!(sleep.durations().is_empty());
    }
}

// ---------------------------------------------------------------------------------------------
// Pagination by page number
// ---------------------------------------------------------------------------------------------

fn users(ids: &[&str]) -> ResponseTemplate {
    let users: Vec<Value> = ids.iter().map(|id| json!({"id": id})).collect();
    ok_json(json!({ "users": users }))
}

fn keys(names: &[&str]) -> ResponseTemplate {
    let keys: Vec<Value> = names.iter().map(|n| json!({"name": n})).collect();
    ok_json(json!({ "access_keys": keys, "total": 99 }))
}

#[tokio::test]
async fn users_stream_stops_on_a_short_page() {
    let server = serve_sequence(vec![
        users(&["u1", "u2"]),
        users(&["u3", "u4"]),
        users(&["u5"]),
        users(&["never"]),
    ])
    .await;
    let got: Vec<String> = client(&server)
        .users()
        .list()
        .pending(false)
        .page_size(2)
        .into_stream()
        .take(50)
        .map_ok(|u| u.id.expect("id"))
        .try_collect()
        .await
        .expect("stream");
    assert_eq!(got, vec!["u1", "u2", "u3", "u4", "u5"]);
    assert_eq!(
        targets(&server).await,
        vec![
            format!("{P}/users?pending=false&page=1&page_size=2"),
            format!("{P}/users?pending=false&page=2&page_size=2"),
            format!("{P}/users?pending=false&page=3&page_size=2"),
        ]
    );
}

#[tokio::test]
async fn a_page_stream_ends_after_the_last_representable_page_instead_of_overflowing() {
    let server = serve_sequence(vec![users(&["u1"]), users(&["never"])]).await;
    let got: Vec<String> = client(&server)
        .users()
        .list()
        .page(i64::MAX)
        .page_size(1)
        .into_stream()
        .take(50)
        .map_ok(|u| u.id.expect("id"))
        .try_collect()
        .await
        .expect("stream");
    assert_eq!(got, vec!["u1"]);
    assert_eq!(
        targets(&server).await,
        vec![format!("{P}/users?page={}&page_size=1", i64::MAX)]
    );
}

#[tokio::test]
async fn users_stream_without_a_page_size_stops_on_an_empty_page() {
    let server = serve_sequence(vec![
        users(&["u1", "u2"]),
        users(&["u3"]),
        users(&[]),
        users(&["never"]),
    ])
    .await;
    let got: Vec<String> = client(&server)
        .users()
        .list()
        .into_stream()
        .take(50)
        .map_ok(|u| u.id.expect("id"))
        .try_collect()
        .await
        .expect("stream");
    assert_eq!(got, vec!["u1", "u2", "u3"]);
    assert_eq!(
        targets(&server).await,
        vec![
            format!("{P}/users?page=1"),
            format!("{P}/users?page=2"),
            format!("{P}/users?page=3"),
        ]
    );
}

#[tokio::test]
async fn users_stream_starts_at_the_requested_page_and_stops_when_the_list_is_absent() {
    let server = serve_sequence(vec![users(&["u7"]), ok_json(json!({})), users(&["never"])]).await;
    let got: Vec<String> = client(&server)
        .users()
        .list()
        .page(4)
        .into_stream()
        .take(50)
        .map_ok(|u| u.id.expect("id"))
        .try_collect()
        .await
        .expect("stream");
    assert_eq!(got, vec!["u7"]);
    assert_eq!(
        targets(&server).await,
        vec![format!("{P}/users?page=4"), format!("{P}/users?page=5")]
    );
}

#[tokio::test]
async fn access_keys_stream_walks_pages_until_a_short_one() {
    let server = serve_sequence(vec![
        keys(&["a", "b", "c"]),
        keys(&["d", "e"]),
        keys(&["never"]),
    ])
    .await;
    let got: Vec<String> = client(&server)
        .access_keys()
        .list("pe 1")
        .page_size(3)
        .sort_by("name")
        .into_stream()
        .take(50)
        .map_ok(|k| k.name.expect("name"))
        .try_collect()
        .await
        .expect("stream");
    assert_eq!(got, vec!["a", "b", "c", "d", "e"]);
    assert_eq!(
        targets(&server).await,
        vec![
            format!("{P}/sub_accounts/pe%201/access_keys?page_size=3&page=1&sort_by=name"),
            format!("{P}/sub_accounts/pe%201/access_keys?page_size=3&page=2&sort_by=name"),
        ]
    );
}

#[tokio::test]
async fn access_keys_stream_stops_on_an_empty_page() {
    let server = serve_sequence(vec![keys(&["a"]), keys(&[]), keys(&["never"])]).await;
    let got: Vec<String> = client(&server)
        .access_keys()
        .list("pe1")
        .into_stream()
        .take(50)
        .map_ok(|k| k.name.expect("name"))
        .try_collect()
        .await
        .expect("stream");
    assert_eq!(got, vec!["a"]);
    assert_eq!(
        targets(&server).await,
        vec![
            format!("{P}/sub_accounts/pe1/access_keys?page=1"),
            format!("{P}/sub_accounts/pe1/access_keys?page=2"),
        ]
    );
}

#[tokio::test]
async fn an_error_ends_a_page_stream_after_being_yielded_once() {
    let server = serve_sequence(vec![users(&["u1"]), status(404), users(&["never"])]).await;
    let got: Vec<Result<String, ErrorKind>> = client(&server)
        .users()
        .list()
        .into_stream()
        .take(50)
        .map(|r| r.map(|u| u.id.expect("id")).map_err(|e| e.kind()))
        .collect()
        .await;
    assert_eq!(got, vec![Ok("u1".to_owned()), Err(ErrorKind::NotFound)]);
    assert_eq!(requests(&server).await.len(), 2);
}

// ---------------------------------------------------------------------------------------------
// Pagination by cursor
// ---------------------------------------------------------------------------------------------

fn policies(ids: &[&str], next: Option<&str>) -> ResponseTemplate {
    let data: Vec<Value> = ids
        .iter()
        .map(|id| {
            json!({
                "id": id, "name": id, "policy_statement": "permit(principal, action, resource);",
                "scope_type": "prodenv", "enabled": true, "created_at": 1, "updated_at": 2
            })
        })
        .collect();
    let mut body = json!({ "data": data });
    if let Some(next) = next {
        body["next_cursor"] = json!(next);
    }
    ok_json(body)
}

fn inspected(ids: &[&str], next: Option<&str>) -> ResponseTemplate {
    let principals: Vec<Value> = ids
        .iter()
        .map(|id| json!({"type": "user", "id": id, "roles": []}))
        .collect();
    let mut body = json!({ "data": { "principals": principals } });
    if let Some(next) = next {
        body["next_cursor"] = json!(next);
    }
    ok_json(body)
}

async fn policy_ids(client: &Client) -> Vec<String> {
    client
        .custom_policies()
        .list()
        .scope_type(ScopeTypeEnum::Prodenv)
        .into_stream()
        .take(50)
        .map_ok(|p| p.id)
        .try_collect()
        .await
        .expect("stream")
}

#[tokio::test]
async fn custom_policies_stream_follows_the_cursor_until_it_is_missing() {
    let server = serve_sequence(vec![
        policies(&["p1", "p2"], Some("Y3AtMg==")),
        policies(&["p3"], Some("c3")),
        policies(&["p4"], None),
        policies(&["never"], None),
    ])
    .await;
    assert_eq!(
        policy_ids(&client(&server)).await,
        vec!["p1", "p2", "p3", "p4"]
    );
    assert_eq!(
        targets(&server).await,
        vec![
            format!("{R}/policies/custom?scope_type=prodenv"),
            format!("{R}/policies/custom?scope_type=prodenv&cursor=Y3AtMg%3D%3D"),
            format!("{R}/policies/custom?scope_type=prodenv&cursor=c3"),
        ]
    );
}

#[tokio::test]
async fn custom_policies_stream_stops_on_an_empty_cursor() {
    let server = serve_sequence(vec![
        policies(&["p1"], Some("c2")),
        policies(&["p2"], Some("")),
        policies(&["never"], None),
    ])
    .await;
    assert_eq!(policy_ids(&client(&server)).await, vec!["p1", "p2"]);
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn custom_policies_stream_stops_on_a_repeated_cursor() {
    let server = serve_sequence(vec![
        policies(&["p1"], Some("c2")),
        policies(&["p2"], Some("c3")),
        policies(&["p3"], Some("c2")),
        policies(&["never"], None),
    ])
    .await;
    assert_eq!(policy_ids(&client(&server)).await, vec!["p1", "p2", "p3"]);
    assert_eq!(
        targets(&server).await,
        vec![
            format!("{R}/policies/custom?scope_type=prodenv"),
            format!("{R}/policies/custom?scope_type=prodenv&cursor=c2"),
            format!("{R}/policies/custom?scope_type=prodenv&cursor=c3"),
        ]
    );
}

#[tokio::test]
async fn custom_policies_stream_stops_on_an_empty_page_even_with_a_cursor() {
    let server = serve_sequence(vec![
        policies(&["p1"], Some("c2")),
        policies(&[], Some("c3")),
        policies(&["never"], None),
    ])
    .await;
    assert_eq!(policy_ids(&client(&server)).await, vec!["p1"]);
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn inspect_stream_follows_the_cursor_and_treats_the_starting_cursor_as_seen() {
    let server = serve_sequence(vec![
        inspected(&["a", "b"], Some("c2")),
        inspected(&["c"], Some("c1")),
        inspected(&["never"], None),
    ])
    .await;
    let got: Vec<String> = client(&server)
        .principals()
        .inspect(ScopeTypeEnum::Account)
        .principal_type("user")
        .cursor("c1")
        .into_stream()
        .take(50)
        .map_ok(|p| p.id)
        .try_collect()
        .await
        .expect("stream");
    assert_eq!(got, vec!["a", "b", "c"]);
    assert_eq!(
        targets(&server).await,
        vec![
            format!("{R}/principal_roles/inspect?scope_type=account&principal_type=user&cursor=c1"),
            format!("{R}/principal_roles/inspect?scope_type=account&principal_type=user&cursor=c2"),
        ]
    );
}

#[tokio::test]
async fn inspect_stream_stops_when_the_cursor_is_missing_or_the_page_empty() {
    let server = serve_sequence(vec![
        inspected(&["a"], Some("c2")),
        inspected(&["b"], None),
        inspected(&["never"], None),
    ])
    .await;
    let got: Vec<String> = client(&server)
        .principals()
        .inspect(ScopeTypeEnum::Prodenv)
        .into_stream()
        .take(50)
        .map_ok(|p| p.id)
        .try_collect()
        .await
        .expect("stream");
    assert_eq!(got, vec!["a", "b"]);
    assert_eq!(
        targets(&server).await,
        vec![
            format!("{R}/principal_roles/inspect?scope_type=prodenv"),
            format!("{R}/principal_roles/inspect?scope_type=prodenv&cursor=c2"),
        ]
    );

    let server = serve_sequence(vec![
        ok_json(json!({"data": {}, "next_cursor": "c2"})),
        inspected(&["never"], None),
    ])
    .await;
    let count = client(&server)
        .principals()
        .inspect(ScopeTypeEnum::Prodenv)
        .into_stream()
        .take(50)
        .count()
        .await;
    assert_eq!(count, 0);
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn inspect_multiple_stream_sends_the_cursor_in_the_body() {
    let server = serve_sequence(vec![
        inspected(&["a"], Some("c2")),
        inspected(&["b"], Some("c3")),
        inspected(&["c"], None),
        inspected(&["never"], None),
    ])
    .await;
    // The inherent `next` needs no stream trait in scope; the type can be named and stored.
    let mut stream: cld_provisioning::runtime::Items<
        cld_provisioning::models::PrincipalRolesInspectData,
        Error<cld_provisioning::operations::principals::InspectMultipleError>,
    > = client(&server)
        .principals()
        .inspect_multiple()
        .scope_type(ScopeTypeEnum::Account)
        .principals(vec![cld_provisioning::models::Principal::new("user", "a")])
        .into_stream();
    let mut got = Vec::new();
    while let Some(principal) = stream.next().await {
        got.push(principal.expect("principal").id);
        assert!(got.len() <= 10, "the stream did not stop");
    }
    assert_eq!(got, vec!["a", "b", "c"]);
    let bodies: Vec<Value> = requests(&server)
        .await
        .iter()
        .map(|r| serde_json::from_slice(&r.body).expect("JSON body"))
        .collect();
    let cursors: Vec<Option<&str>> = bodies.iter().map(|b| b["cursor"].as_str()).collect();
    assert_eq!(cursors, vec![None, Some("c2"), Some("c3")]);
    // Every page repeats the rest of the body unchanged.
    for body in &bodies {
        assert_eq!(body["scope_type"], "account");
        assert_eq!(body["principals"], json!([{"type": "user", "id": "a"}]));
    }
}

#[tokio::test]
async fn into_pages_yields_each_decoded_response_and_stops_on_a_short_page() {
    let server = serve_sequence(vec![keys(&["k1", "k2"]), keys(&["k3"]), keys(&["never"])]).await;
    let pages = client(&server)
        .access_keys()
        .list("env")
        .page_size(2)
        .into_pages()
        .try_collect()
        .await
        .expect("pages");
    let names: Vec<Vec<String>> = pages
        .iter()
        .map(|page| {
            page.access_keys
                .iter()
                .flatten()
                .map(|k| k.name.clone().expect("name"))
                .collect()
        })
        .collect();
    assert_eq!(names, vec![vec!["k1", "k2"], vec!["k3"]]);
    // The page keeps what is not an item: here the total.
    assert!(pages.iter().all(|page| page.total == Some(99)));
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn a_stream_page_is_retried_like_any_get() {
    let server = serve_sequence(vec![
        policies(&["p1"], Some("c2")),
        status(503).insert_header("Retry-After", "1"),
        policies(&["p2"], None),
    ])
    .await;
    let sleep = RecordingSleep::new();
    let client = retrying(&server, &sleep, no_jitter());
    assert_eq!(policy_ids(&client).await, vec!["p1", "p2"]);
    assert_eq!(sleep.durations(), vec![secs(1)]);
    assert_eq!(
        targets(&server).await,
        vec![
            format!("{R}/policies/custom?scope_type=prodenv"),
            format!("{R}/policies/custom?scope_type=prodenv&cursor=c2"),
            format!("{R}/policies/custom?scope_type=prodenv&cursor=c2"),
        ]
    );
}
