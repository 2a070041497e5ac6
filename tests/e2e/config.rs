//! Configuration, end to end: environment lookup (`from_env_with`) and per-field precedence,
//! every configuration error (typed, naming the variable or setting, never showing a secret),
//! server selection (region, host, base URL with a path prefix), the User-Agent, default and
//! per-call headers, per-call account id, timeout and retry overrides, credentials providers,
//! and the build errors raised before anything is sent (missing account id, missing
//! credentials, unusable path ids).

use workspace_tests::support;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use cld_provisioning::runtime::config::AccountUrlProblem;
use cld_provisioning::runtime::http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use cld_provisioning::runtime::http::{HeaderName, HeaderValue};
use cld_provisioning::{
    BuildError, Client, ConfigError, Credentials, CredentialsProvider, Error, ErrorKind, Region,
    RetryConfig,
};
use serde_json::json;
use support::*;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOP_SECRET: &str = "TopSecret42";

fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    move |name| map.get(name).cloned()
}

/// A client reading only `pairs` as its environment, pointed at `server`, retries off.
fn env_client(server: &MockServer, pairs: &[(&str, &str)]) -> Client {
    Client::builder()
        .from_env_with(env(pairs))
        .base_url(server.uri())
        .retry(RetryConfig::disabled())
        .build()
        .expect("client")
}

/// Sends `users.list` and returns the Authorization header and target it went out with.
async fn auth_and_target(client: &Client, server: &MockServer) -> (Option<String>, String) {
    server.reset().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"users": []})))
        .mount(server)
        .await;
    client.users().list().send().await.expect("list");
    let req = only_request(server).await;
    (header(&req, "authorization"), target(&req))
}

fn users_path(account: &str) -> String {
    format!("/v1_1/provisioning/accounts/{account}/users")
}

// ---------------------------------------------------------------------------------------------
// Environment and precedence
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_account_url_alone_supplies_key_secret_and_account_id() {
    let server = MockServer::start().await;
    let client = env_client(&server, &[("CLOUDINARY_ACCOUNT_URL", "account://k:s@acc")]);
    assert_eq!(
        auth_and_target(&client, &server).await,
        (Some(BASIC_K_S.into()), users_path("acc"))
    );
}

#[tokio::test]
async fn the_individual_variables_alone_are_enough() {
    let server = MockServer::start().await;
    let client = env_client(
        &server,
        &[
            ("CLOUDINARY_PROVISIONING_API_KEY", "ek"),
            ("CLOUDINARY_PROVISIONING_API_SECRET", "es"),
            ("CLOUDINARY_ACCOUNT_ID", "eacc"),
        ],
    );
    assert_eq!(
        auth_and_target(&client, &server).await,
        // base64("ek:es")
        (Some("Basic ZWs6ZXM=".into()), users_path("eacc"))
    );
}

#[tokio::test]
async fn precedence_is_per_field() {
    let server = MockServer::start().await;
    let url = ("CLOUDINARY_ACCOUNT_URL", "account://uk:us@uacc");

    // Only the secret has its own variable: key and account id still come from the URL.
    let client = env_client(
        &server,
        &[url, ("CLOUDINARY_PROVISIONING_API_SECRET", "es")],
    );
    assert_eq!(
        auth_and_target(&client, &server).await,
        // base64("uk:es")
        (Some("Basic dWs6ZXM=".into()), users_path("uacc"))
    );

    // Only the key has its own variable.
    let client = env_client(&server, &[url, ("CLOUDINARY_PROVISIONING_API_KEY", "ek")]);
    assert_eq!(
        auth_and_target(&client, &server).await,
        // base64("ek:us")
        (Some("Basic ZWs6dXM=".into()), users_path("uacc"))
    );

    // Only the account id has its own variable.
    let client = env_client(&server, &[url, ("CLOUDINARY_ACCOUNT_ID", "eacc")]);
    assert_eq!(
        auth_and_target(&client, &server).await,
        // base64("uk:us")
        (Some("Basic dWs6dXM=".into()), users_path("eacc"))
    );

    // An explicit account id beats both, while the credentials still come from the URL;
    // the order of the builder calls does not matter.
    for explicit_first in [true, false] {
        let mut b = Client::builder()
            .base_url(server.uri())
            .retry(RetryConfig::disabled());
        if explicit_first {
            b = b
                .account_id("xacc")
                .from_env_with(env(&[url, ("CLOUDINARY_ACCOUNT_ID", "eacc")]));
        } else {
            b = b
                .from_env_with(env(&[url, ("CLOUDINARY_ACCOUNT_ID", "eacc")]))
                .account_id("xacc");
        }
        let client = b.build().expect("client");
        assert_eq!(
            auth_and_target(&client, &server).await,
            (Some("Basic dWs6dXM=".into()), users_path("xacc"))
        );
    }

    // Explicit credentials beat the individual variables and the URL.
    let client = Client::builder()
        .credentials("xk", "xs")
        .from_env_with(env(&[
            url,
            ("CLOUDINARY_PROVISIONING_API_KEY", "ek"),
            ("CLOUDINARY_PROVISIONING_API_SECRET", "es"),
        ]))
        .base_url(server.uri())
        .retry(RetryConfig::disabled())
        .build()
        .expect("client");
    assert_eq!(
        auth_and_target(&client, &server).await,
        // base64("xk:xs")
        (Some("Basic eGs6eHM=".into()), users_path("uacc"))
    );
}

#[tokio::test]
async fn empty_variables_count_as_unset() {
    let server = MockServer::start().await;
    let client = env_client(
        &server,
        &[
            ("CLOUDINARY_ACCOUNT_URL", "account://uk:us@uacc"),
            ("CLOUDINARY_PROVISIONING_API_KEY", ""),
            ("CLOUDINARY_ACCOUNT_ID", "   "),
        ],
    );
    assert_eq!(
        auth_and_target(&client, &server).await,
        (Some("Basic dWs6dXM=".into()), users_path("uacc"))
    );
}

#[tokio::test]
async fn the_account_url_is_split_at_the_first_colon_and_percent_decoded() {
    let server = MockServer::start().await;
    let client = env_client(
        &server,
        &[(
            "CLOUDINARY_ACCOUNT_URL",
            "account://key:p%40ss:w%2Frd@Acc-ID?ignored=1",
        )],
    );
    assert_eq!(
        auth_and_target(&client, &server).await,
        // base64("key:p@ss:w/rd"); the account id keeps its case.
        (
            Some("Basic a2V5OnBAc3M6dy9yZA==".into()),
            users_path("Acc-ID")
        )
    );
}

#[tokio::test]
async fn a_bad_account_url_is_ignored_when_everything_is_explicit() {
    let server = MockServer::start().await;
    let client = Client::builder()
        .credentials(KEY, SECRET)
        .account_id(ACCOUNT)
        .from_env_with(env(&[(
            "CLOUDINARY_ACCOUNT_URL",
            "cloudinary://k:TopSecret42@c",
        )]))
        .base_url(server.uri())
        .retry(RetryConfig::disabled())
        .build()
        .expect("a bad URL must not matter when key, secret and account id are explicit");
    assert_eq!(
        auth_and_target(&client, &server).await,
        (Some(BASIC_K_S.into()), users_path("acc"))
    );
}

// ---------------------------------------------------------------------------------------------
// Configuration errors
// ---------------------------------------------------------------------------------------------

/// Display and Debug of `err`, checked to never contain the secret.
fn shown_without_secret(err: &ConfigError) -> String {
    let shown = format!("{err} | {err:?}");
    assert!(!shown.contains(TOP_SECRET), "{shown}");
    assert!(!shown.contains("TopSecret"), "{shown}");
    shown
}

#[test]
fn every_malformed_account_url_is_a_typed_error_naming_the_variable() {
    let cases = [
        ("key:TopSecret42@acc", AccountUrlProblem::MissingScheme),
        (
            "cloudinary://key:TopSecret42@acc",
            AccountUrlProblem::WrongScheme,
        ),
        ("account://acc", AccountUrlProblem::MissingKey),
        ("account://:TopSecret42@acc", AccountUrlProblem::MissingKey),
        ("account://key@acc", AccountUrlProblem::MissingSecret),
        ("account://key:@acc", AccountUrlProblem::MissingSecret),
        (
            "account://key:TopSecret42@",
            AccountUrlProblem::MissingAccountId,
        ),
        (
            "account://key:TopSecret42@acc/path",
            AccountUrlProblem::TrailingText,
        ),
        (
            "account://key:TopSecret42@acc:443",
            AccountUrlProblem::TrailingText,
        ),
        (
            "account://key:TopSecret42%FF@acc",
            AccountUrlProblem::InvalidEncoding,
        ),
    ];
    for (url, want) in cases {
        let err = Client::builder()
            .from_env_with(env(&[("CLOUDINARY_ACCOUNT_URL", url)]))
            .build()
            .expect_err(url);
        match &err {
            ConfigError::InvalidAccountUrl { variable, problem } => {
                assert_eq!(*variable, "CLOUDINARY_ACCOUNT_URL", "{url}");
                assert_eq!(*problem, want, "{url}");
            }
            other => panic!("{url}: expected InvalidAccountUrl, got {other:?}"),
        }
        let shown = shown_without_secret(&err);
        assert!(shown.contains("CLOUDINARY_ACCOUNT_URL"), "{shown}");
    }
}

#[test]
fn a_bad_account_url_still_fails_when_only_part_is_explicit() {
    for partial in [
        Client::builder().credentials("k", "s"),
        Client::builder().account_id("a"),
    ] {
        let err = partial
            .from_env_with(env(&[(
                "CLOUDINARY_ACCOUNT_URL",
                "account://k:TopSecret42",
            )]))
            .build()
            .expect_err("bad URL");
        assert!(
            matches!(err, ConfigError::InvalidAccountUrl { .. }),
            "{err:?}"
        );
        shown_without_secret(&err);
    }
}

#[test]
fn conflicting_server_settings_are_rejected() {
    let cases = [
        (
            Client::builder().region(Region::ApiEu).host("x.example"),
            ("region", "host"),
        ),
        (
            Client::builder()
                .region(Region::Api)
                .base_url("http://127.0.0.1:1"),
            ("region", "base_url"),
        ),
        (
            Client::builder()
                .host("x.example")
                .base_url("http://127.0.0.1:1"),
            ("host", "base_url"),
        ),
    ];
    for (builder, (a, b)) in cases {
        let err = builder
            .credentials("k", TOP_SECRET)
            .build()
            .expect_err("conflict");
        match &err {
            ConfigError::ConflictingServers { first, second } => {
                assert_eq!((*first, *second), (a, b));
            }
            other => panic!("expected ConflictingServers, got {other:?}"),
        }
        let shown = shown_without_secret(&err);
        assert!(shown.contains(a) && shown.contains(b), "{shown}");
    }
}

#[test]
fn invalid_base_urls_are_rejected_without_echoing_credentials() {
    for bad in [
        "not a url",
        "ftp://x.example",
        "/relative",
        "mailto:a@b",
        "http://user:TopSecret42@x.example",
        "http://x.example/?q=1",
        "http://x.example/#frag",
    ] {
        let err = Client::builder().base_url(bad).build().expect_err(bad);
        assert!(
            matches!(err, ConfigError::InvalidBaseUrl { .. }),
            "{bad}: {err:?}"
        );
        let shown = shown_without_secret(&err);
        assert!(shown.contains("base_url"), "{shown}");
    }
}

#[test]
fn invalid_hosts_are_rejected_without_echoing_the_value() {
    for bad in [
        "https://x.example",
        "x.example/path",
        "",
        "a b",
        "key:TopSecret42@x.example",
    ] {
        let err = Client::builder().host(bad).build().expect_err(bad);
        assert!(
            matches!(err, ConfigError::InvalidHost { .. }),
            "{bad:?}: {err:?}"
        );
        let shown = shown_without_secret(&err);
        assert!(shown.contains("host"), "{shown}");
    }
}

#[test]
fn invalid_region_names_are_rejected() {
    for bad in ["", "api.eu", "-x", "a/b", "a b"] {
        let err = Client::builder()
            .region(Region::Other(bad.into()))
            .build()
            .expect_err(bad);
        assert!(
            matches!(err, ConfigError::InvalidRegion { .. }),
            "{bad:?}: {err:?}"
        );
        assert!(err.to_string().contains("region"), "{err}");
    }
}

#[test]
fn an_invalid_user_agent_suffix_is_rejected() {
    for bad in ["bad\nsuffix", "\u{7}", "caf\u{e9}"] {
        let err = Client::builder()
            .user_agent_suffix(bad)
            .build()
            .expect_err(bad);
        assert!(
            matches!(err, ConfigError::InvalidUserAgentSuffix),
            "{err:?}"
        );
        assert!(err.to_string().contains("user_agent_suffix"), "{err}");
    }
}

#[test]
fn an_empty_explicit_account_id_is_rejected() {
    let err = Client::builder()
        .credentials("k", TOP_SECRET)
        .account_id("")
        .build()
        .expect_err("empty");
    assert!(
        matches!(
            err,
            ConfigError::EmptyValue {
                field: "account_id"
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        shown_without_secret(&err).split(" | ").next(),
        Some("`account_id` is empty")
    );
}

// ---------------------------------------------------------------------------------------------
// Servers
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_base_url_path_prefix_is_kept() {
    let server = serve_json(200, json!({"users": []})).await;
    for prefix in ["/proxy/cld", "/proxy/cld/"] {
        server.reset().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"users": []})))
            .mount(&server)
            .await;
        let client = Client::builder()
            .credentials(KEY, SECRET)
            .account_id(ACCOUNT)
            .base_url(format!("{}{prefix}", server.uri()))
            .retry(RetryConfig::disabled())
            .build()
            .expect("client");
        client.users().list().send().await.expect("list");
        assert_eq!(
            target(&only_request(&server).await),
            "/proxy/cld/v1_1/provisioning/accounts/acc/users",
            "{prefix}"
        );
    }
}

/// Sends one call through a local proxy and returns the proxy's first request line.
async fn connect_line(builder: cld_provisioning::ClientBuilder) -> String {
    let proxy = ProxyCapture::start();
    let client = builder
        .credentials(KEY, SECRET)
        .account_id(ACCOUNT)
        .http_client(proxy.http_client())
        .retry(RetryConfig::disabled())
        .build()
        .expect("client");
    let err = client
        .users()
        .list()
        .send()
        .await
        .expect_err("the proxy refuses");
    assert_eq!(err.kind(), ErrorKind::Transport, "{err:?}");
    proxy.first_line()
}

#[tokio::test]
async fn the_default_server_is_api_cloudinary_com() {
    assert_eq!(
        connect_line(Client::builder()).await,
        "CONNECT api.cloudinary.com:443 HTTP/1.1"
    );
}

#[tokio::test]
async fn regions_select_their_servers() {
    for (region, host) in [
        (Region::Api, "api.cloudinary.com"),
        (Region::ApiEu, "api-eu.cloudinary.com"),
        (Region::ApiAp, "api-ap.cloudinary.com"),
        (
            "api-xx".parse().expect("infallible"),
            "api-xx.cloudinary.com",
        ),
    ] {
        assert_eq!(
            connect_line(Client::builder().region(region)).await,
            format!("CONNECT {host}:443 HTTP/1.1")
        );
    }
}

#[tokio::test]
async fn a_host_alone_selects_the_host_server() {
    assert_eq!(
        connect_line(Client::builder().host("cld.internal.example:8443")).await,
        "CONNECT cld.internal.example:8443 HTTP/1.1"
    );
    assert_eq!(
        connect_line(Client::builder().host("cld.internal.example")).await,
        "CONNECT cld.internal.example:443 HTTP/1.1"
    );
}

// ---------------------------------------------------------------------------------------------
// Headers
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_user_agent_has_the_documented_format_and_suffix() {
    let server = serve_json(200, json!({"users": []})).await;
    client(&server).users().list().send().await.expect("list");
    let ua = header(&only_request(&server).await, "user-agent").expect("user agent");
    assert_eq!(ua, expected_user_agent());
    assert!(
        ua.starts_with("Cloudinary/AccountProvisioning Rust/0.1.0 Schema/0.2.1 ("),
        "{ua}"
    );

    let server = serve_json(200, json!({"users": []})).await;
    builder(&server)
        .user_agent_suffix("my-app/2.1 (ci)")
        .build()
        .expect("client")
        .users()
        .list()
        .send()
        .await
        .expect("list");
    assert_eq!(
        header(&only_request(&server).await, "user-agent"),
        Some(format!("{} my-app/2.1 (ci)", expected_user_agent()))
    );
}

#[tokio::test]
async fn default_headers_are_sent_and_per_call_headers_override_them() {
    let server = serve_json(200, json!({"users": []})).await;
    let client = builder(&server)
        .default_header(
            HeaderName::from_static("x-app"),
            HeaderValue::from_static("default"),
        )
        .default_header(
            HeaderName::from_static("x-team"),
            HeaderValue::from_static("media"),
        )
        .build()
        .expect("client");
    client.users().list().send().await.expect("list");
    client
        .users()
        .list()
        .with_header(
            HeaderName::from_static("x-app"),
            HeaderValue::from_static("per-call"),
        )
        .with_header(
            HeaderName::from_static("x-trace"),
            HeaderValue::from_static("t-1"),
        )
        .send()
        .await
        .expect("list");
    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 2);
    assert_eq!(header(&reqs[0], "x-app").as_deref(), Some("default"));
    assert_eq!(header(&reqs[0], "x-team").as_deref(), Some("media"));
    assert_eq!(header(&reqs[0], "x-trace"), None);
    assert_eq!(header(&reqs[1], "x-app").as_deref(), Some("per-call"));
    assert_eq!(header(&reqs[1], "x-team").as_deref(), Some("media"));
    assert_eq!(header(&reqs[1], "x-trace").as_deref(), Some("t-1"));
}

#[tokio::test]
async fn per_call_headers_are_taken_as_text_and_an_invalid_one_fails_the_call_naming_only_its_name()
{
    let server = serve_json(200, json!({"users": []})).await;
    let client = builder(&server).build().expect("client");
    client
        .users()
        .list()
        .with_header("x-trace", "t-1")
        .with_header(String::from("x-owned"), String::from("o-1"))
        .send()
        .await
        .expect("list");
    let reqs = requests(&server).await;
    assert_eq!(header(&reqs[0], "x-trace").as_deref(), Some("t-1"));
    assert_eq!(header(&reqs[0], "x-owned").as_deref(), Some("o-1"));

    for (name, value) in [
        ("x-token", "Bearer Sup3rS3cretToken\r\nX-Injected: 1"),
        ("bad header name", "Sup3rS3cretToken"),
    ] {
        let err = client
            .users()
            .list()
            .with_header(name, value)
            .send()
            .await
            .expect_err("invalid header");
        assert!(
            matches!(&err, Error::Build(BuildError::InvalidHeader { name: n }) if n == name),
            "{err:?}"
        );
        let shown = format!("{err} | {err:?}");
        assert!(shown.contains(name), "{shown}");
        assert!(!shown.contains("Sup3rS3cretToken"), "{shown}");
        assert_eq!(err.attempts(), 0);
    }
    // Nothing was sent for the invalid ones.
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn the_sdk_owns_accept_user_agent_content_type_and_authorization() {
    let server = serve_json(200, json!({})).await;
    let client = builder(&server)
        .default_header(ACCEPT, HeaderValue::from_static("text/html"))
        .default_header(USER_AGENT, HeaderValue::from_static("curl/8"))
        .default_header(CONTENT_TYPE, HeaderValue::from_static("text/plain"))
        .default_header(AUTHORIZATION, HeaderValue::from_static("Bearer nope"))
        .build()
        .expect("client");
    let _ = client.users().list().send().await;
    let _ = client
        .users()
        .create()
        .name("n")
        .email("e@example.org")
        .send()
        .await;
    let _ = call(&client, "createAgentAccount").await;
    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 3);
    assert_request(&reqs[0], "GET", &format!("{P}/users"), Auth::Basic, None);
    assert_request(
        &reqs[1],
        "POST",
        &format!("{P}/users"),
        Auth::Basic,
        Some(json!({"name": "n", "email": "e@example.org"})),
    );
    // "Never" means never: not even a default header carries credentials to the agent call.
    assert_eq!(header(&reqs[2], "authorization"), None);
}

// ---------------------------------------------------------------------------------------------
// Per-call options
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_call_can_target_another_account() {
    let server = serve_json(200, json!({"users": []})).await;
    client(&server)
        .users()
        .list()
        .with_account_id("other acc/2")
        .send()
        .await
        .expect("list");
    // A client with no account id at all works too when the call names one.
    anonymous_builder_with_credentials(&server)
        .custom_policies()
        .get("cp1")
        .with_account_id("acc-3")
        .send()
        .await
        .expect("sent with the per-call account id");
    let got: Vec<String> = requests(&server).await.iter().map(target).collect();
    assert_eq!(
        got,
        vec![
            "/v1_1/provisioning/accounts/other%20acc%2F2/users".to_owned(),
            "/v2/accounts/acc-3/permissions/policies/custom/cp1".to_owned(),
        ]
    );
}

fn anonymous_builder_with_credentials(server: &MockServer) -> Client {
    Client::builder()
        .credentials(KEY, SECRET)
        .base_url(server.uri())
        .retry(RetryConfig::disabled())
        .build()
        .expect("client")
}

#[tokio::test]
async fn the_client_timeout_applies_and_is_reported_as_a_timeout() {
    let server = serve(
        ResponseTemplate::new(200)
            .set_body_json(json!({"users": []}))
            .set_delay(Duration::from_secs(3)),
    )
    .await;
    let client = builder(&server)
        .timeout(Duration::from_millis(200))
        .build()
        .expect("client");
    let err = client.users().list().send().await.expect_err("timeout");
    let Error::Timeout(timeout) = &err else {
        panic!("expected Error::Timeout, got {err:?}");
    };
    assert_eq!(timeout.timeout(), Duration::from_millis(200));
    assert!(!timeout.is_connect());
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert_eq!(err.attempts(), 1);
    assert!(err.is_retryable());
    assert_eq!(err.status(), None);
}

#[tokio::test]
async fn a_per_call_timeout_overrides_the_client_timeout_both_ways() {
    let server = serve(
        ResponseTemplate::new(200)
            .set_body_json(json!({"users": []}))
            .set_delay(Duration::from_millis(600)),
    )
    .await;
    // Shorter than the client's.
    let err = client(&server)
        .users()
        .list()
        .with_timeout(Duration::from_millis(150))
        .send()
        .await
        .expect_err("per-call timeout");
    match &err {
        Error::Timeout(t) => assert_eq!(t.timeout(), Duration::from_millis(150)),
        other => panic!("expected Error::Timeout, got {other:?}"),
    }
    // Longer than the client's.
    let client = builder(&server)
        .timeout(Duration::from_millis(150))
        .build()
        .expect("client");
    client
        .users()
        .list()
        .with_timeout(Duration::from_secs(10))
        .send()
        .await
        .expect("the per-call timeout is long enough");
}

#[tokio::test]
async fn a_per_call_retry_policy_overrides_the_client_policy() {
    let server = serve_json(503, json!({"error": {"message": "busy"}})).await;
    let sleep = RecordingSleep::new();
    let client = builder(&server)
        .retry(RetryConfig::standard())
        .sleep_impl(sleep.sleeper())
        .build()
        .expect("client");
    let err = client
        .users()
        .list()
        .with_retry(RetryConfig::disabled())
        .send()
        .await
        .expect_err("503");
    assert_eq!(err.attempts(), 1);
    assert_eq!(requests(&server).await.len(), 1);
    assert!(sleep.durations().is_empty());

    // And the other way round: retries for one call on a client without them.
    server.reset().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let sleep = RecordingSleep::new();
    let client = builder(&server)
        .sleep_impl(sleep.sleeper())
        .build()
        .expect("client");
    let err = client
        .users()
        .list()
        .with_retry(
            RetryConfig::standard()
                .with_max_attempts(4)
                .with_jitter(false)
                .with_initial_backoff(Duration::from_millis(100)),
        )
        .send()
        .await
        .expect_err("503");
    assert_eq!(err.attempts(), 4);
    assert_eq!(requests(&server).await.len(), 4);
    assert_eq!(
        sleep.durations(),
        vec![
            Duration::from_millis(100),
            Duration::from_millis(200),
            Duration::from_millis(400)
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Credentials providers
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Default)]
struct Rotating(AtomicUsize);

impl CredentialsProvider for Rotating {
    fn credentials(&self) -> Option<Credentials> {
        match self.0.fetch_add(1, Ordering::SeqCst) {
            0 => Some(Credentials::new("rot1", "s1")),
            _ => Some(Credentials::new("rot2", "s2")),
        }
    }
}

#[derive(Debug)]
struct Nothing;

impl CredentialsProvider for Nothing {
    fn credentials(&self) -> Option<Credentials> {
        None
    }
}

#[tokio::test]
async fn a_credentials_provider_is_asked_on_every_attempt() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"users": []})))
        .mount(&server)
        .await;
    let provider = Arc::new(Rotating::default());
    let sleep = RecordingSleep::new();
    let client = Client::builder()
        .credentials_provider(ArcProvider(Arc::clone(&provider)))
        .account_id(ACCOUNT)
        .base_url(server.uri())
        .retry(RetryConfig::standard())
        .sleep_impl(sleep.sleeper())
        .build()
        .expect("client");
    client.users().list().send().await.expect("retried");
    let auths: Vec<Option<String>> = requests(&server)
        .await
        .iter()
        .map(|r| header(r, "authorization"))
        .collect();
    // base64("rot1:s1"), then base64("rot2:s2") on the retry.
    assert_eq!(
        auths,
        vec![
            Some("Basic cm90MTpzMQ==".to_owned()),
            Some("Basic cm90MjpzMg==".to_owned())
        ]
    );
    assert_eq!(provider.0.load(Ordering::SeqCst), 2);
}

#[derive(Debug)]
struct ArcProvider(Arc<Rotating>);

impl CredentialsProvider for ArcProvider {
    fn credentials(&self) -> Option<Credentials> {
        self.0.credentials()
    }
}

#[tokio::test]
async fn a_provider_without_credentials_fails_before_sending() {
    let server = serve_json(200, json!({"users": []})).await;
    let client = Client::builder()
        .credentials_provider(Nothing)
        .account_id(ACCOUNT)
        .base_url(server.uri())
        .build()
        .expect("client");
    let err = client
        .users()
        .list()
        .send()
        .await
        .expect_err("no credentials");
    assert!(
        matches!(err, Error::Build(BuildError::MissingCredentials { .. })),
        "{err:?}"
    );
    assert!(requests(&server).await.is_empty());
    // The public endpoints go ahead without them.
    client
        .public()
        .get_schema()
        .send()
        .await
        .expect_err("{} has no schema, but it was sent");
    assert_eq!(header(&only_request(&server).await, "authorization"), None);
}

// ---------------------------------------------------------------------------------------------
// Build errors: nothing is sent
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn every_account_scoped_operation_fails_without_an_account_id_before_sending() {
    let server = serve_json(200, json!({})).await;
    let client = anonymous_builder_with_credentials(&server);
    let mut checked = 0;
    for op in OPERATIONS.iter().filter(|op| op.target.contains("/acc/")) {
        let err = call(&client, op.id).await.expect_err(op.id);
        assert!(
            matches!(err, Error::Build(BuildError::MissingAccountId)),
            "{}: {err:?}",
            op.id
        );
        assert_eq!(err.kind(), ErrorKind::Configuration, "{}", op.id);
        assert_eq!(err.attempts(), 0);
        assert!(!err.is_retryable());
        let shown = err.to_string();
        assert!(shown.contains("account id"), "{shown}");
        assert!(shown.contains("CLOUDINARY_ACCOUNT_ID"), "{shown}");
        checked += 1;
    }
    assert_eq!(checked, 44);
    assert!(requests(&server).await.is_empty(), "nothing may be sent");
}

#[tokio::test]
async fn every_authenticated_operation_fails_without_credentials_before_sending() {
    let server = serve_json(200, json!({})).await;
    let client = Client::builder()
        .account_id(ACCOUNT)
        .base_url(server.uri())
        .build()
        .expect("client");
    let mut checked = 0;
    for op in OPERATIONS.iter().filter(|op| op.auth == AuthMode::Required) {
        let err = call(&client, op.id).await.expect_err(op.id);
        assert!(
            matches!(
                err,
                Error::Build(BuildError::MissingCredentials {
                    missing: "key and secret"
                })
            ),
            "{}: {err:?}",
            op.id
        );
        assert_eq!(err.kind(), ErrorKind::Configuration);
        checked += 1;
    }
    assert_eq!(checked, 44);
    assert!(requests(&server).await.is_empty(), "nothing may be sent");
}

#[tokio::test]
async fn half_configured_credentials_name_the_missing_half() {
    let server = serve_json(200, json!({"users": []})).await;
    for (pairs, missing, variable) in [
        (
            [
                ("CLOUDINARY_PROVISIONING_API_KEY", "k"),
                ("CLOUDINARY_ACCOUNT_ID", "acc"),
            ],
            "secret",
            "CLOUDINARY_PROVISIONING_API_SECRET",
        ),
        (
            [
                ("CLOUDINARY_PROVISIONING_API_SECRET", TOP_SECRET),
                ("CLOUDINARY_ACCOUNT_ID", "acc"),
            ],
            "key",
            "CLOUDINARY_PROVISIONING_API_KEY",
        ),
    ] {
        let client = env_client(&server, &pairs);
        let err = client.users().list().send().await.expect_err("half");
        match &err {
            Error::Build(BuildError::MissingCredentials { missing: got }) => {
                assert_eq!(*got, missing);
            }
            other => panic!("expected MissingCredentials, got {other:?}"),
        }
        let shown = format!("{err} | {err:?} | {client:?}");
        assert!(shown.contains(variable), "{shown}");
        assert!(!shown.contains(TOP_SECRET), "{shown}");
    }
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn a_missing_required_body_field_fails_before_sending() {
    let server = serve_json(200, json!({})).await;
    let client = client(&server);
    let err = client
        .users()
        .create()
        .name("n")
        .send()
        .await
        .expect_err("no email");
    match &err {
        Error::Build(BuildError::MissingField {
            operation_id,
            field,
        }) => assert_eq!((*operation_id, *field), ("createUser", "email")),
        other => panic!("expected MissingField, got {other:?}"),
    }
    assert_eq!(err.kind(), ErrorKind::InvalidRequest);
    assert_eq!(
        err.to_string(),
        "createUser: the required field `email` is not set"
    );
    let err = client
        .agent_accounts()
        .create()
        .email("e@example.org")
        .agent_framework("fw")
        .agent_goal("goal")
        .send()
        .await
        .expect_err("no model");
    assert!(
        matches!(
            err,
            Error::Build(BuildError::MissingField {
                field: "agent_llm_model",
                ..
            })
        ),
        "{err:?}"
    );
    let err = client
        .custom_policies()
        .update("cp1")
        .name("n")
        .policy_statement("p")
        .scope_type("account")
        .send()
        .await
        .expect_err("no enabled");
    assert!(
        matches!(
            err,
            Error::Build(BuildError::MissingField {
                field: "enabled",
                ..
            })
        ),
        "{err:?}"
    );
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn empty_and_dot_path_ids_fail_before_sending() {
    let server = serve_json(200, json!({})).await;
    let client = client(&server);
    for id in ["", ".", ".."] {
        let err = client.users().get(id).send().await.expect_err(id);
        assert!(
            matches!(err, Error::Build(BuildError::InvalidPathParameter { .. })),
            "{id:?}: {err:?}"
        );
        assert_eq!(err.kind(), ErrorKind::InvalidRequest);
    }
    for account in [".", ".."] {
        let err = client
            .users()
            .list()
            .with_account_id(account)
            .send()
            .await
            .expect_err(account);
        assert!(
            matches!(err, Error::Build(BuildError::InvalidAccountId)),
            "{account:?}: {err:?}"
        );
    }
    assert!(requests(&server).await.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Debug output of configuration never shows the secret
// ---------------------------------------------------------------------------------------------

#[test]
fn builder_and_client_debug_hide_the_secret() {
    let builder = Client::builder()
        .credentials("key", TOP_SECRET)
        .from_env_with(env(&[
            ("CLOUDINARY_ACCOUNT_URL", "account://uk:TopSecret42@uacc"),
            ("CLOUDINARY_PROVISIONING_API_SECRET", TOP_SECRET),
        ]))
        .default_header(
            AUTHORIZATION,
            HeaderValue::from_static("Basic VG9wU2VjcmV0NDI="),
        );
    let shown = format!("{builder:?}");
    assert!(!shown.contains(TOP_SECRET), "{shown}");
    assert!(!shown.contains("VG9wU2VjcmV0NDI="), "{shown}");
    let client = builder.build().expect("client");
    let shown = format!("{client:?} {:?}", client.clone());
    assert!(!shown.contains(TOP_SECRET), "{shown}");
    assert!(!shown.contains("VG9wU2VjcmV0NDI="), "{shown}");
    assert!(shown.contains("key"), "the key is not secret: {shown}");

    let from_env = Client::builder()
        .from_env_with(env(&[(
            "CLOUDINARY_ACCOUNT_URL",
            "account://uk:TopSecret42@uacc",
        )]))
        .build()
        .expect("client");
    let shown = format!("{from_env:?}");
    assert!(!shown.contains(TOP_SECRET), "{shown}");

    let credentials = Credentials::new("key", TOP_SECRET);
    let shown = format!("{credentials:?}");
    assert!(!shown.contains(TOP_SECRET), "{shown}");
    assert_eq!(credentials.secret().expose_secret(), TOP_SECRET);
}

#[test]
fn request_builder_debug_hides_the_secret_and_per_call_authorization() {
    let client = Client::builder()
        .credentials("key", TOP_SECRET)
        .account_id("acc")
        .build()
        .expect("client");
    let request = client
        .users()
        .create()
        .name("n")
        .email("e@example.org")
        .with_header(
            AUTHORIZATION,
            HeaderValue::from_static("Basic VG9wU2VjcmV0NDI="),
        );
    let shown = format!("{request:?}");
    assert!(!shown.contains(TOP_SECRET), "{shown}");
    assert!(!shown.contains("VG9wU2VjcmV0NDI="), "{shown}");
}
