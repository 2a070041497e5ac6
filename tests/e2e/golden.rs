//! The "wire-level golden checks" at the end of section 9 of PEER-BEHAVIOUR.md, one test (or
//! more) per check, in the order the document lists them.

use workspace_tests::support;

use std::collections::HashMap;
use std::time::Duration;

use cld_provisioning::models::*;
use cld_provisioning::{Client, ConfigError, Date, Error, RetryConfig};
use serde_json::{Map, Value, json};
use support::*;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    move |name| map.get(name).cloned()
}

fn map(value: Value) -> Map<String, Value> {
    value.as_object().expect("a JSON object").clone()
}

// 1. `productEnvironments.list/users.list` with `ids=[a,b]` gives repeated `ids=a&ids=b`;
//    `emails` are percent-encoded; booleans are `true`; `from` is `2023-01-02`.

#[tokio::test]
async fn golden_product_environments_list_repeats_ids() {
    let server = serve_json(200, json!({"sub_accounts": []})).await;
    client(&server)
        .product_environments()
        .list()
        .ids(["a", "b"])
        .enabled(true)
        .send()
        .await
        .expect("list");
    assert_eq!(
        target(&only_request(&server).await),
        "/v1_1/provisioning/accounts/acc/sub_accounts?enabled=true&ids=a&ids=b"
    );
}

#[tokio::test]
async fn golden_users_list_repeats_ids_encodes_emails_and_writes_booleans_and_dates() {
    let server = serve_json(200, json!({"users": []})).await;
    client(&server)
        .users()
        .list()
        .ids(["a", "b"])
        .emails(["x@y.com"])
        .pending(true)
        .from(Date::new(2023, 1, 2).expect("a date"))
        .sort_by(GetUsersSortBy::Name)
        .send()
        .await
        .expect("list");
    assert_eq!(
        target(&only_request(&server).await),
        "/v1_1/provisioning/accounts/acc/users?pending=true&ids=a&ids=b&emails=x%40y.com&from=2023-01-02&sort_by=name"
    );
}

// 2. `roles.list(policy_parameters=["folder_id"])` gives `policy_parameters=%5B%22folder_id%22%5D`;
//    unset means absent.

#[tokio::test]
async fn golden_roles_list_sends_policy_parameters_as_url_encoded_json() {
    let server = serve_json(200, json!({"data": []})).await;
    client(&server)
        .roles()
        .list(PermissionTypeEnum::Content)
        .policy_parameters(["folder_id"])
        .send()
        .await
        .expect("roles");
    assert_eq!(
        target(&only_request(&server).await),
        "/v2/accounts/acc/permissions/roles?permission_type=content&policy_parameters=%5B%22folder_id%22%5D"
    );
}

#[tokio::test]
async fn golden_roles_list_leaves_unset_policy_parameters_out() {
    let server = serve_json(200, json!({"data": []})).await;
    client(&server)
        .roles()
        .list(PermissionTypeEnum::Global)
        .send()
        .await
        .expect("roles");
    assert_eq!(
        target(&only_request(&server).await),
        "/v2/accounts/acc/permissions/roles?permission_type=global"
    );
}

// 3. `Authorization: Basic base64("k:s")` on authenticated calls; no Authorization on agent
//    sign-up; public endpoints succeed without credentials.

#[tokio::test]
async fn golden_every_authenticated_operation_sends_basic_auth() {
    let server = MockServer::start().await;
    let client = client(&server);
    let mut checked = 0;
    for op in OPERATIONS.iter().filter(|op| op.auth == AuthMode::Required) {
        server.reset().await;
        Mock::given(any())
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"valid": true, "catalog": {}, "schema": {}})),
            )
            .mount(&server)
            .await;
        // The response may not decode for every operation; only the request matters here.
        let _ = call(&client, op.id).await;
        let req = only_request(&server).await;
        assert_eq!(req.method.as_str(), op.method, "{}", op.id);
        assert_eq!(target(&req), op.target, "{}", op.id);
        assert_eq!(
            header(&req, "authorization").as_deref(),
            Some("Basic azpz"),
            "{}",
            op.id
        );
        checked += 1;
    }
    assert_eq!(checked, 44);
}

#[tokio::test]
async fn golden_agent_sign_up_sends_no_authorization() {
    let server = serve_json(200, spec_example("AgentAccountResponseSample")).await;
    call(&client(&server), "createAgentAccount")
        .await
        .expect("agent sign-up");
    let req = only_request(&server).await;
    assert_eq!(target(&req), "/v1_1/provisioning/agents/accounts");
    assert_eq!(header(&req, "authorization"), None);
}

#[tokio::test]
async fn golden_public_endpoints_succeed_without_credentials() {
    let server = serve_json(200, json!({"catalog": {}, "schema": {}, "valid": true})).await;
    let client = anonymous_client(&server);
    for id in [
        "getSystemRolesAndPoliciesCatalog",
        "validateCedarPolicy",
        "getCedarSchema",
    ] {
        call(&client, id)
            .await
            .unwrap_or_else(|e| panic!("{id}: {e}"));
    }
    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 3);
    for req in &reqs {
        assert_eq!(header(req, "authorization"), None, "{}", target(req));
    }
}

// 4. Path id `a/b c?d` is sent as `a%2Fb%20c%3Fd`.

#[tokio::test]
async fn golden_path_ids_are_percent_encoded_as_whole_segments() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    client(&server)
        .roles()
        .delete("a/b c?d")
        .send()
        .await
        .expect("delete role");
    assert_eq!(
        target(&only_request(&server).await),
        "/v2/accounts/acc/permissions/roles/a%2Fb%20c%3Fd"
    );
}

#[tokio::test]
async fn golden_every_path_parameter_is_encoded_the_same_way() {
    let server = serve_json(200, json!({})).await;
    let c = client(&server);
    let id = "a/b c?d";
    let enc = "a%2Fb%20c%3Fd";
    let _ = c.product_environments().get(id).send().await;
    let _ = c.access_keys().update(id, "k/1#x").send().await;
    let _ = c.users().list_sub_accounts(id).send().await;
    let _ = c.user_groups().add_user(id, "u%1").send().await;
    let _ = c.custom_policies().get(id).send().await;
    let _ = c.roles().list_principals(id).send().await;
    let got: Vec<String> = requests(&server).await.iter().map(target).collect();
    assert_eq!(
        got,
        vec![
            format!("/v1_1/provisioning/accounts/acc/sub_accounts/{enc}"),
            format!("/v1_1/provisioning/accounts/acc/sub_accounts/{enc}/access_keys/k%2F1%23x"),
            format!("/v1_1/provisioning/accounts/acc/users/{enc}/sub_accounts"),
            format!("/v1_1/provisioning/accounts/acc/user_groups/{enc}/users/u%251"),
            format!("/v2/accounts/acc/permissions/policies/custom/{enc}"),
            format!("/v2/accounts/acc/permissions/roles/{enc}/principals"),
        ]
    );
}

// 5. A create with `custom_attributes {"foo":"bar"}` must send it unchanged.

#[tokio::test]
async fn golden_custom_attributes_are_sent_unchanged() {
    let server = serve_json(200, spec_example("ProductEnvironmentCreatedSample")).await;
    client(&server)
        .product_environments()
        .create()
        .name("n")
        .custom_attributes(map(json!({"foo": "bar"})))
        .send()
        .await
        .expect("create");
    assert_eq!(
        json_body(&only_request(&server).await),
        json!({"name": "n", "custom_attributes": {"foo": "bar"}})
    );
}

// 6. 404 `{"error":{"message":"nope"}}` gives ErrorResponse with message "nope" and status 404.
//    403 on a v2 endpoint with `{"error":{"code","message","details"}}` gives a permissions
//    error that keeps `details`.

#[tokio::test]
async fn golden_404_gives_error_response_with_the_message() {
    let server = serve_json(404, json!({"error": {"message": "nope"}})).await;
    let err = client(&server)
        .users()
        .get("u1")
        .send()
        .await
        .expect_err("404");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(err.message(), Some("nope"));
    match &err {
        Error::Api(api) => {
            assert_eq!(api.status().as_u16(), 404);
            match api.body() {
                cld_provisioning::operations::users::GetUserError::NotFound(body) => {
                    assert_eq!(
                        body.error.as_ref().and_then(|e| e.message.as_deref()),
                        Some("nope")
                    );
                }
                other => panic!("expected NotFound, got {other:?}"),
            }
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
    assert_eq!(err.to_string(), "getUser: 404 Not Found: nope");
}

#[tokio::test]
async fn golden_403_on_v2_keeps_the_permissions_error_details() {
    let server = serve_json(
        403,
        json!({"error": {
            "category": "user_error",
            "code": "ACCOUNTS_00006",
            "message": "not allowed",
            "details": {"fields": [{"role_id": "r1"}], "hint": {"nested": true}}
        }}),
    )
    .await;
    let err = client(&server)
        .roles()
        .get("r1")
        .send()
        .await
        .expect_err("403");
    let Error::Api(api) = &err else {
        panic!("expected Error::Api, got {err:?}");
    };
    assert_eq!(api.status().as_u16(), 403);
    let cld_provisioning::operations::roles::GetRoleError::Forbidden(body) = api.body() else {
        panic!("expected Forbidden, got {:?}", api.body());
    };
    let error = body.error.as_ref().expect("error");
    assert_eq!(error.category.as_deref(), Some("user_error"));
    assert_eq!(error.code.as_deref(), Some("ACCOUNTS_00006"));
    assert_eq!(error.message.as_deref(), Some("not allowed"));
    assert_eq!(
        error.details,
        Some(json!({"fields": [{"role_id": "r1"}], "hint": {"nested": true}}))
    );
    assert_eq!(err.message(), Some("not allowed"));
}

// 7. 500 `text/html` gives the fallback API error, with the body in the message. 200 with
//    invalid JSON gives a response-validation error, not a panic.

#[tokio::test]
async fn golden_500_html_gives_the_fallback_error_with_the_body_in_the_message() {
    let html = "<html><body><h1>Internal Server Error</h1></body></html>";
    let server = serve(raw_response(500, "text/html", html)).await;
    let err = client(&server)
        .users()
        .list()
        .send()
        .await
        .expect_err("500");
    let Error::UnexpectedStatus(unexpected) = &err else {
        panic!("expected Error::UnexpectedStatus, got {err:?}");
    };
    assert_eq!(unexpected.status().as_u16(), 500);
    assert_eq!(unexpected.raw_body(), html.as_bytes());
    let shown = err.to_string();
    assert!(
        shown.starts_with("getUsers: 500 Internal Server Error"),
        "{shown}"
    );
    assert!(shown.contains("<h1>Internal Server Error</h1>"), "{shown}");
}

#[tokio::test]
async fn golden_200_with_invalid_json_is_a_decode_error_not_a_panic() {
    let server = serve(raw_response(200, "application/json", "{\"users\": [")).await;
    let err = client(&server)
        .users()
        .list()
        .send()
        .await
        .expect_err("invalid JSON");
    let Error::Decode(decode) = &err else {
        panic!("expected Error::Decode, got {err:?}");
    };
    assert_eq!(decode.status().as_u16(), 200);
    assert_eq!(decode.raw_body(), b"{\"users\": [");
    // The serde error is shown in the Display and reachable typed.
    assert!(err.to_string().contains("EOF"), "{err}");
    assert!(decode.parse_error().to_string().contains("EOF"));
}

// 8. 204 on deleteRole gives `Ok(())`.

#[tokio::test]
async fn golden_204_on_delete_role_is_ok_unit() {
    let server = serve(ResponseTemplate::new(204)).await;
    let got = client(&server).roles().delete("r1").send().await;
    assert!(matches!(got, Ok(())), "{got:?}");
}

// 9. An unknown `management_type` round-trips.

#[tokio::test]
async fn golden_unknown_management_type_round_trips() {
    let server = serve_json(
        200,
        json!({"data": [{
            "id": "r1", "name": "n", "management_type": "weird", "permission_type": "global",
            "scope_type": "account", "created_at": 1, "updated_at": 2
        }]}),
    )
    .await;
    let got = client(&server)
        .roles()
        .list(PermissionTypeEnum::Global)
        .send()
        .await
        .expect("roles");
    let role = &got.data.expect("data")[0];
    assert_eq!(
        role.management_type,
        ManagementTypeEnum::Unknown("weird".into())
    );
    assert_eq!(role.management_type.as_str(), "weird");
    assert_eq!(
        serde_json::to_value(role).expect("serialize")["management_type"],
        json!("weird")
    );
    // And it can be sent back as a filter.
    let server = serve_json(200, json!({"data": []})).await;
    client(&server)
        .roles()
        .list(PermissionTypeEnum::Global)
        .management_type(role.management_type.clone())
        .send()
        .await
        .expect("roles");
    assert_eq!(
        target(&only_request(&server).await),
        "/v2/accounts/acc/permissions/roles?permission_type=global&management_type=weird"
    );
}

// 10. 503 with `Retry-After: 1` is retried after about 1 s when retries are on. A POST is not
//     retried on 5xx by default.

#[tokio::test]
async fn golden_503_with_retry_after_is_retried_after_one_second() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"users": []})))
        .mount(&server)
        .await;
    let sleep = RecordingSleep::new();
    let client = builder(&server)
        .retry(RetryConfig::standard())
        .sleep_impl(sleep.sleeper())
        .build()
        .expect("client");
    let got = client
        .users()
        .list()
        .send_with_metadata()
        .await
        .expect("retried");
    assert_eq!(got.attempts(), 2);
    assert_eq!(sleep.durations(), vec![Duration::from_secs(1)]);
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn golden_post_is_not_retried_on_5xx_by_default() {
    let server = serve_json(503, json!({"error": {"message": "busy"}})).await;
    let sleep = RecordingSleep::new();
    // The builder's default retry policy, not the tests' `disabled()`.
    let client = Client::builder()
        .credentials(KEY, SECRET)
        .account_id(ACCOUNT)
        .base_url(server.uri())
        .sleep_impl(sleep.sleeper())
        .build()
        .expect("client");
    let err = client
        .users()
        .create()
        .name("n")
        .email("e@example.org")
        .send()
        .await
        .expect_err("503");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(err.attempts(), 1);
    assert_eq!(requests(&server).await.len(), 1);
    assert!(sleep.durations().is_empty());
}

// 11. `CLOUDINARY_ACCOUNT_URL` precedence: explicit beats the individual env var, which beats
//     the URL. Percent-decoding of the userinfo. A bad scheme gives a typed config error that
//     does not contain the secret.

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

#[tokio::test]
async fn golden_precedence_explicit_then_individual_env_then_url() {
    let server = MockServer::start().await;
    let all = env(&[
        ("CLOUDINARY_ACCOUNT_URL", "account://uk:us@uacc"),
        ("CLOUDINARY_PROVISIONING_API_KEY", "ek"),
        ("CLOUDINARY_PROVISIONING_API_SECRET", "es"),
        ("CLOUDINARY_ACCOUNT_ID", "eacc"),
    ]);
    let base = || {
        Client::builder()
            .base_url(server.uri())
            .retry(RetryConfig::disabled())
    };

    let url_only = base()
        .from_env_with(env(&[("CLOUDINARY_ACCOUNT_URL", "account://uk:us@uacc")]))
        .build()
        .expect("client");
    assert_eq!(
        auth_and_target(&url_only, &server).await,
        (
            Some("Basic dWs6dXM=".into()),
            "/v1_1/provisioning/accounts/uacc/users".into()
        )
    );

    let env_wins = base().from_env_with(&all).build().expect("client");
    assert_eq!(
        auth_and_target(&env_wins, &server).await,
        (
            Some("Basic ZWs6ZXM=".into()),
            "/v1_1/provisioning/accounts/eacc/users".into()
        )
    );

    let explicit_wins = base()
        .from_env_with(&all)
        .credentials("xk", "xs")
        .account_id("xacc")
        .build()
        .expect("client");
    assert_eq!(
        auth_and_target(&explicit_wins, &server).await,
        (
            Some("Basic eGs6eHM=".into()),
            "/v1_1/provisioning/accounts/xacc/users".into()
        )
    );
}

#[tokio::test]
async fn golden_account_url_userinfo_is_percent_decoded() {
    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(server.uri())
        .retry(RetryConfig::disabled())
        .from_env_with(env(&[(
            "CLOUDINARY_ACCOUNT_URL",
            "account://key%40x:se%3Acr@MyAcct-ID",
        )]))
        .build()
        .expect("client");
    assert_eq!(
        auth_and_target(&client, &server).await,
        (
            // base64("key@x:se:cr")
            Some("Basic a2V5QHg6c2U6Y3I=".into()),
            "/v1_1/provisioning/accounts/MyAcct-ID/users".into()
        )
    );
}

#[test]
fn golden_bad_scheme_is_a_typed_config_error_without_the_secret() {
    let err = Client::builder()
        .from_env_with(env(&[(
            "CLOUDINARY_ACCOUNT_URL",
            "cloudinary://key:TopSecret42@acc",
        )]))
        .build()
        .expect_err("bad scheme");
    assert!(
        matches!(
            err,
            ConfigError::InvalidAccountUrl {
                variable: "CLOUDINARY_ACCOUNT_URL",
                ..
            }
        ),
        "{err:?}"
    );
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("CLOUDINARY_ACCOUNT_URL"), "{shown}");
    assert!(!shown.contains("TopSecret42"), "{shown}");
}
