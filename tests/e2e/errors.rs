//! Errors, end to end: the `Error` variants (Build, Transport, Timeout, Api, UnexpectedStatus,
//! Decode), the typed per-operation bodies (ErrorResponse vs PermissionsErrorResponse with its
//! `details`), the Cloudinary envelope parsed for any failing status on every endpoint, the
//! helpers (`status`, `request_id`, `headers`, `message`, `is_retryable`, `kind`), `Display`,
//! bounded raw bodies, redaction of secrets in `Debug` and `Display`, and the response
//! metadata of successful calls.

use workspace_tests::{model, support};

use std::time::Duration;

use cld_provisioning::models::*;
use cld_provisioning::operations::access_keys::GenerateAccessKeyError;
use cld_provisioning::operations::agent_accounts::CreateAgentAccountError;
use cld_provisioning::operations::custom_policies::CreateCustomPolicyError;
use cld_provisioning::operations::product_environments::CreateProductEnvironmentError;
use cld_provisioning::operations::roles::{GetRoleError, GetRolesError, UpdateRoleError};
use cld_provisioning::operations::users::{GetUserError, GetUsersError};
use cld_provisioning::{BuildError, Client, Error, ErrorKind, ErrorMessage, RetryConfig};
use serde_json::{Map, Value, json};
use support::*;
use wiremock::ResponseTemplate;

fn map(value: Value) -> Map<String, Value> {
    value.as_object().expect("a JSON object").clone()
}

const LEAKED: &str = "Hj2Kl9Zx4Cv7Bn1Mq5Wr8Ty3Ui";

// ---------------------------------------------------------------------------------------------
// Error kinds and helpers
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn every_failing_status_has_its_kind_and_retryability() {
    let cases: [(u16, Value, ErrorKind, bool); 12] = [
        (
            400,
            json!({"error": {"message": "bad"}}),
            ErrorKind::BadRequest,
            false,
        ),
        (
            400,
            json!({"error": {"message": "Name has already been taken"}}),
            ErrorKind::Conflict,
            false,
        ),
        (
            401,
            json!({"error": {"message": "no"}}),
            ErrorKind::Unauthorized,
            false,
        ),
        (
            403,
            json!({"error": {"message": "no"}}),
            ErrorKind::Forbidden,
            false,
        ),
        (
            404,
            json!({"error": {"message": "no"}}),
            ErrorKind::NotFound,
            false,
        ),
        (
            409,
            json!({"error": {"message": "dup"}}),
            ErrorKind::Conflict,
            false,
        ),
        (
            420,
            json!({"error": {"message": "slow"}}),
            ErrorKind::RateLimited,
            true,
        ),
        (
            422,
            json!({"error": {"message": "bad"}}),
            ErrorKind::BadRequest,
            false,
        ),
        (
            429,
            json!({"error": {"message": "slow"}}),
            ErrorKind::RateLimited,
            true,
        ),
        (
            500,
            json!({"error": {"message": "boom"}}),
            ErrorKind::ServerError,
            true,
        ),
        (502, json!({}), ErrorKind::ServerError, true),
        (418, json!({}), ErrorKind::OtherStatus, false),
    ];
    for (status, body, kind, retryable) in cases {
        let server = serve_json(status, body.clone()).await;
        let err = client(&server)
            .product_environments()
            .create()
            .name("n")
            .send()
            .await
            .expect_err("failing status");
        assert_eq!(err.kind(), kind, "{status} {body}");
        assert_eq!(err.is_retryable(), retryable, "{status} {body}");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(err.attempts(), 1);
        assert_eq!(err.operation_id(), Some("createProductEnvironment"));
    }
}

#[tokio::test]
async fn a_closed_port_is_a_connect_failure_retried_even_for_a_post() {
    let port = closed_port();
    let sleep = RecordingSleep::new();
    let client = Client::builder()
        .credentials(KEY, SECRET)
        .account_id(ACCOUNT)
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry(
            RetryConfig::standard()
                .with_jitter(false)
                .with_initial_backoff(Duration::from_millis(10)),
        )
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
        .expect_err("connection refused");
    let Error::Transport(transport) = &err else {
        panic!("expected Error::Transport, got {err:?}");
    };
    assert!(transport.is_connect());
    assert_eq!(transport.attempts(), 3);
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert!(err.is_retryable());
    assert_eq!(err.status(), None);
    assert_eq!(err.request_id(), None);
    assert_eq!(err.operation_id(), Some("createUser"));
    assert_eq!(
        sleep.durations(),
        vec![Duration::from_millis(10), Duration::from_millis(20)]
    );
    let shown = err.to_string();
    assert!(shown.contains("could not connect"), "{shown}");
    assert!(shown.contains("3 attempts"), "{shown}");
    assert!(std::error::Error::source(&err).is_some());
}

#[tokio::test]
async fn a_timeout_is_its_own_kind() {
    let server = serve(
        ResponseTemplate::new(200)
            .set_body_json(json!({}))
            .set_delay(Duration::from_secs(3)),
    )
    .await;
    let err = client(&server)
        .users()
        .get("u1")
        .with_timeout(Duration::from_millis(100))
        .send()
        .await
        .expect_err("timeout");
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert!(err.is_retryable());
    assert!(err.to_string().contains("timed out"), "{err}");
}

#[tokio::test]
async fn build_errors_are_configuration_or_invalid_request_and_never_retryable() {
    let server = serve_json(200, json!({})).await;
    let no_account = Client::builder()
        .credentials(KEY, SECRET)
        .base_url(server.uri())
        .build()
        .expect("client");
    let err = no_account
        .users()
        .list()
        .send()
        .await
        .expect_err("no account id");
    assert!(matches!(err, Error::Build(BuildError::MissingAccountId)));
    assert_eq!(err.kind(), ErrorKind::Configuration);
    assert!(!err.is_retryable());
    assert_eq!(err.status(), None);
    assert_eq!(err.operation_id(), None);
    let err = client(&server)
        .users()
        .create()
        .email("e@example.org")
        .send()
        .await
        .expect_err("no name");
    assert_eq!(err.kind(), ErrorKind::InvalidRequest);
    assert!(!err.is_retryable());
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn api_errors_expose_status_headers_request_id_message_and_raw_body() {
    let body = json!({"error": {"message": "User not found"}});
    let server = serve(
        ResponseTemplate::new(404)
            .set_body_json(body.clone())
            .insert_header("x-request-id", "req-7f3a")
            .insert_header("X-FeatureRateLimit-Remaining", "41"),
    )
    .await;
    let err = client(&server)
        .users()
        .list()
        .send()
        .await
        .expect_err("404");
    assert_eq!(err.request_id(), Some("req-7f3a"));
    assert_eq!(err.message(), Some("User not found"));
    assert_eq!(
        err.headers()
            .and_then(|h| h.get("x-featureratelimit-remaining"))
            .and_then(|v| v.to_str().ok()),
        Some("41")
    );
    assert_eq!(err.to_string(), "getUsers: 404 Not Found: User not found");
    let Error::Api(api) = &err else {
        panic!("expected Error::Api, got {err:?}");
    };
    assert_eq!(api.status().as_u16(), 404);
    assert_eq!(api.request_id(), Some("req-7f3a"));
    assert_eq!(api.operation_id(), "getUsers");
    assert_eq!(
        serde_json::from_slice::<Value>(api.raw_body()).expect("raw JSON"),
        body
    );
    assert!(!api.is_body_truncated());
    assert_eq!(
        api.envelope().and_then(|e| e.message.as_deref()),
        Some("User not found")
    );
    assert_eq!(
        api.body(),
        &GetUsersError::NotFound(
            model!(ErrorResponse::default(); error: Some(model!(ErrorResponseError::default(); message: Some("User not found".into()))))
        )
    );
}

#[tokio::test]
async fn the_raw_body_of_an_error_is_bounded() {
    let huge = format!(
        "{{\"error\":{{\"message\":\"big\"}},\"pad\":\"{}\"}}",
        "x".repeat(200 * 1024)
    );
    let server = serve(raw_response(500, "application/json", &huge)).await;
    let err = client(&server)
        .users()
        .list()
        .send()
        .await
        .expect_err("500");
    let Error::UnexpectedStatus(unexpected) = &err else {
        panic!("expected Error::UnexpectedStatus, got {err:?}");
    };
    assert_eq!(unexpected.raw_body().len(), 64 * 1024);
    assert!(unexpected.is_body_truncated());
    assert_eq!(&unexpected.raw_body()[..20], &huge.as_bytes()[..20]);
    // Display stays short.
    assert!(err.to_string().len() < 400, "{}", err.to_string().len());
}

// ---------------------------------------------------------------------------------------------
// Typed bodies per operation
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn v1_1_operations_type_their_documented_errors_as_error_response() {
    let server = serve_json(
        409,
        json!({"error": {"message": "Cloud name already taken"}}),
    )
    .await;
    let err = client(&server)
        .product_environments()
        .create()
        .name("n")
        .cloud_name("taken")
        .send()
        .await
        .expect_err("409");
    match err.api_body() {
        Some(CreateProductEnvironmentError::Conflict(body)) => assert_eq!(
            body.error.as_ref().and_then(|e| e.message.as_deref()),
            Some("Cloud name already taken")
        ),
        other => panic!("expected Conflict, got {other:?}"),
    }
    assert_eq!(err.kind(), ErrorKind::Conflict);

    for (status, want_420) in [(420, true), (429, false)] {
        let server = serve(
            ResponseTemplate::new(status)
                .set_body_json(json!({"error": {"message": "Rate limit exceeded"}}))
                .insert_header("Retry-After", "30"),
        )
        .await;
        let err = client(&server)
            .access_keys()
            .generate("pe1")
            .send()
            .await
            .expect_err("throttled");
        match (err.api_body(), want_420) {
            (Some(GenerateAccessKeyError::MaxUsageRateExceeded(_)), true)
            | (Some(GenerateAccessKeyError::TooManyRequests(_)), false) => {}
            (other, _) => panic!("{status}: unexpected {other:?}"),
        }
        assert_eq!(err.kind(), ErrorKind::RateLimited);
        assert!(err.is_retryable());
    }
    let server = serve_json(420, json!({"error": {"message": "Rate limit exceeded"}})).await;
    let err = client(&server)
        .users()
        .list()
        .send()
        .await
        .expect_err("420");
    assert!(matches!(
        err.api_body(),
        Some(GetUsersError::MaxUsageRateExceeded(_))
    ));
    assert_eq!(
        err.to_string(),
        "getUsers: 420 Rate Limited: Rate limit exceeded"
    );
}

/// Two operations with different error enums, one error type for `?`.
async fn user_then_role(client: &Client) -> Result<(), Error> {
    client.users().get("u1").send().await?;
    client.roles().get("r1").send().await?;
    Ok(())
}

#[tokio::test]
async fn every_operation_error_converts_into_the_crate_error_and_downcasts_back() {
    let server = serve(
        ResponseTemplate::new(404)
            .set_body_json(json!({"error": {"message": "No such user"}}))
            .insert_header("x-request-id", "req-9"),
    )
    .await;
    let err = user_then_role(&client(&server)).await.expect_err("404");
    // What does not depend on the body's type survives the conversion.
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(err.request_id(), Some("req-9"));
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert_eq!(err.message(), Some("No such user"));
    assert_eq!(err.to_string(), "getUser: 404 Not Found: No such user");
    assert_eq!(err.operation_id(), Some("getUser"));
    // The typed body, by reference and by value; another operation's enum does not match.
    let body = err.api_body().expect("an Api error");
    assert!(body.downcast_ref::<GetRoleError>().is_none());
    match body.downcast_ref::<GetUserError>() {
        Some(GetUserError::NotFound(b)) => assert_eq!(b.message(), Some("No such user")),
        other => panic!("expected NotFound, got {other:?}"),
    }
    let err = err
        .downcast::<GetRoleError>()
        .expect_err("not a role error");
    let typed = err.downcast::<GetUserError>().expect("a user error");
    assert!(matches!(typed.api_body(), Some(GetUserError::NotFound(_))));

    // An error without a typed body downcasts to any operation's error.
    let err: Error = Error::<GetUserError>::Build(BuildError::MissingAccountId).into();
    assert!(matches!(
        err.downcast::<GetRoleError>(),
        Ok(Error::Build(BuildError::MissingAccountId))
    ));
    // It still works as a boxed std error.
    let boxed: Box<dyn std::error::Error + Send + Sync> = user_then_role(&client(&server))
        .await
        .expect_err("404")
        .into();
    assert_eq!(boxed.to_string(), "getUser: 404 Not Found: No such user");
}

#[tokio::test]
async fn v2_operations_type_their_documented_errors_as_permissions_errors_with_details() {
    let server = serve_json(400, spec_example("PermissionsMissingPolicyFieldsExample")).await;
    let err = client(&server)
        .custom_policies()
        .create()
        .name("n")
        .policy_statement("p")
        .scope_type(ScopeTypeEnum::Prodenv)
        .send()
        .await
        .expect_err("400");
    let want = model!(PermissionsErrorResponse::default(); error: Some(model!(PermissionsError::default(); category: Some("user_error".into()), code: Some("ACCOUNTS_00005".into()), message: Some("missing fields".into()), details: Some(json!({"fields": ["policy_statement", "scope_type"]})))));
    assert_eq!(
        err.api_body(),
        Some(&CreateCustomPolicyError::BadRequest(want))
    );
    assert_eq!(err.kind(), ErrorKind::BadRequest);
    assert_eq!(err.message(), Some("missing fields"));
    let envelope = err.envelope().expect("envelope");
    assert_eq!(envelope.category.as_deref(), Some("user_error"));
    assert_eq!(envelope.code.as_deref(), Some("ACCOUNTS_00005"));
    assert_eq!(
        envelope.details,
        Some(map(json!({"fields": ["policy_statement", "scope_type"]})))
    );

    let server = serve_json(409, spec_example("PermissionsRoleConflictExample")).await;
    let err = client(&server)
        .roles()
        .update("r1")
        .name("Asset curator")
        .send()
        .await
        .expect_err("409");
    match err.api_body() {
        Some(UpdateRoleError::Conflict(body)) => {
            let error = body.error.as_ref().expect("error");
            assert_eq!(error.message.as_deref(), Some("already exists"));
            assert_eq!(
                error.details,
                Some(json!({"fields": [{"name": "Asset curator"}]}))
            );
        }
        other => panic!("expected Conflict, got {other:?}"),
    }
    assert_eq!(err.kind(), ErrorKind::Conflict);

    let server = serve_json(500, spec_example("PermissionsServerErrorExample")).await;
    let err = client(&server)
        .roles()
        .list(PermissionTypeEnum::Global)
        .send()
        .await
        .expect_err("500");
    assert!(
        matches!(err.api_body(), Some(GetRolesError::InternalServerError(_))),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "getRoles: 500 Internal Server Error: something went wrong"
    );
}

#[tokio::test]
async fn every_authenticated_operation_types_its_401() {
    let server = serve_json(401, json!({"error": {"message": "invalid credentials"}})).await;
    let client = client(&server);
    for op in OPERATIONS.iter().filter(|op| op.auth == AuthMode::Required) {
        let err = call(&client, op.id).await.expect_err(op.id);
        assert!(matches!(err, Error::Api(_)), "{}: {err:?}", op.id);
        assert_eq!(err.kind(), ErrorKind::Unauthorized, "{}", op.id);
        assert_eq!(err.message(), Some("invalid credentials"), "{}", op.id);
    }
}

#[tokio::test]
async fn an_undocumented_status_is_unexpected_but_its_envelope_is_parsed() {
    // 422 is not documented for any v1_1 operation.
    let server = serve_json(422, json!({"error": {"message": "Invalid email"}})).await;
    let err = client(&server)
        .users()
        .create()
        .name("n")
        .email("nope")
        .send()
        .await
        .expect_err("422");
    let Error::UnexpectedStatus(unexpected) = &err else {
        panic!("expected Error::UnexpectedStatus, got {err:?}");
    };
    assert!(unexpected.parse_error().is_none());
    assert_eq!(unexpected.message(), Some("Invalid email"));
    assert_eq!(
        err.to_string(),
        "createUser: 422 Unprocessable Entity: Invalid email"
    );
    assert_eq!(err.kind(), ErrorKind::BadRequest);
}

#[tokio::test]
async fn a_documented_status_with_another_body_shape_keeps_the_status_and_the_parse_error() {
    let server = serve_json(404, json!({"error": "User not found"})).await;
    let err = client(&server)
        .users()
        .get("u1")
        .send()
        .await
        .expect_err("404");
    let Error::UnexpectedStatus(unexpected) = &err else {
        panic!("expected Error::UnexpectedStatus, got {err:?}");
    };
    assert_eq!(unexpected.status().as_u16(), 404);
    assert!(unexpected.parse_error().is_some());
    assert_eq!(err.message(), Some("User not found"));
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert_eq!(err.to_string(), "getUser: 404 Not Found: User not found");
}

#[tokio::test]
async fn every_endpoint_parses_the_envelope_of_any_failing_status() {
    for status in [500, 418, 400] {
        let server = serve_json(status, json!({"error": {"message": "boom", "code": 17}})).await;
        let client = client(&server);
        for op in &OPERATIONS {
            let err = call(&client, op.id).await.expect_err(op.id);
            assert_eq!(err.status().map(|s| s.as_u16()), Some(status), "{}", op.id);
            assert_eq!(err.message(), Some("boom"), "{status} {}", op.id);
            assert_eq!(
                err.envelope().and_then(|e| e.code.as_deref()),
                Some("17"),
                "{status} {}",
                op.id
            );
            let shown = err.to_string();
            let prefix = format!("{}: {status}", op.id);
            assert!(shown.starts_with(&prefix), "{shown}");
            assert!(shown.ends_with(": boom"), "{status} {}: {shown}", op.id);
        }
        assert_eq!(requests(&server).await.len(), 48);
    }
}

#[tokio::test]
async fn bare_field_error_maps_become_field_errors() {
    let server = serve_json(400, json!({"email": ["is invalid", "is too long"]})).await;
    let err = call(&client(&server), "createAgentAccount")
        .await
        .expect_err("400");
    let envelope = err.envelope().expect("envelope");
    assert_eq!(
        envelope.field_errors.get("email"),
        Some(&vec!["is invalid".to_owned(), "is too long".to_owned()])
    );
    assert_eq!(err.message(), Some("email is invalid, is too long"));
    assert_eq!(err.kind(), ErrorKind::BadRequest);

    let server = serve_json(400, json!({"email": "has already been taken"})).await;
    let err = client(&server)
        .agent_accounts()
        .create()
        .email("dana@example.net")
        .agent_framework("fw")
        .agent_llm_model("m")
        .agent_goal("goal")
        .send()
        .await
        .expect_err("400");
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert_eq!(err.message(), Some("email has already been taken"));
    assert!(
        matches!(err.api_body(), Some(CreateAgentAccountError::BadRequest(_))),
        "{err:?}"
    );
}

#[tokio::test]
async fn empty_or_non_json_error_bodies_do_not_produce_an_empty_message() {
    for (content_type, body) in [
        ("application/json", "{}"),
        ("text/plain", "upstream connect error"),
        ("application/json", ""),
    ] {
        let server = serve(raw_response(502, content_type, body)).await;
        let err = client(&server)
            .users()
            .list()
            .send()
            .await
            .expect_err("502");
        assert_eq!(err.message(), None, "{body:?}");
        assert!(err.envelope().is_none(), "{body:?}");
        let shown = err.to_string();
        assert!(shown.starts_with("getUsers: 502 Bad Gateway"), "{shown}");
        if body == "upstream connect error" {
            assert_eq!(shown, "getUsers: 502 Bad Gateway: upstream connect error");
        }
    }
}

#[tokio::test]
async fn a_2xx_body_of_the_wrong_shape_is_a_decode_error_with_status_and_raw_body() {
    let server = serve_json(200, json!({"users": "not a list"})).await;
    let err = client(&server)
        .users()
        .list()
        .send()
        .await
        .expect_err("decode");
    let Error::Decode(decode) = &err else {
        panic!("expected Error::Decode, got {err:?}");
    };
    assert_eq!(decode.status().as_u16(), 200);
    assert_eq!(decode.raw_body(), br#"{"users":"not a list"}"#);
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(!err.is_retryable());
    assert_eq!(
        err.to_string(),
        "getUsers: 200 OK: the response body could not be decoded: invalid type: string \"not a list\", expected a sequence at line 1 column 21"
    );
    // The reason is in the Display, so it is not repeated as the source.
    assert!(std::error::Error::source(&err).is_none());
    assert!(decode.parse_error().to_string().contains("invalid type"));
}

#[tokio::test]
async fn a_json_operation_with_an_empty_200_body_is_a_decode_error() {
    let server = serve(ResponseTemplate::new(200)).await;
    let err = client(&server)
        .users()
        .get("u1")
        .send()
        .await
        .expect_err("an empty body is not a user");
    assert_eq!(err.kind(), ErrorKind::Decode, "{err:?}");
}

// ---------------------------------------------------------------------------------------------
// Redaction in errors
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn error_debug_and_display_never_show_secrets_from_the_body() {
    let body = json!({
        "error": {"message": "Key cloudinary://730194625830517:Hj2Kl9Zx4Cv7Bn1Mq5Wr8Ty3Ui@demo is disabled"},
        "api_secret": LEAKED
    });
    // Documented (Api), undocumented (UnexpectedStatus) and a 2xx that does not decode.
    for (status, text) in [
        (409, body.to_string()),
        (503, body.to_string()),
        (200, format!("{{\"api_secret\": \"{LEAKED}\", \"name\": ")),
    ] {
        let server = serve(
            raw_response(status, "application/json", &text)
                .insert_header("set-cookie", format!("session={LEAKED}").as_str()),
        )
        .await;
        let err = client(&server)
            .access_keys()
            .generate("pe1")
            .send()
            .await
            .expect_err("failure");
        let shown = format!("{err}\n{err:?}\n{:?}", err.envelope());
        assert!(!shown.contains(LEAKED), "{status}: {shown}");
        assert!(!shown.contains("azpz"), "{status}: {shown}");
        // The raw body itself is kept exactly, for callers who need it.
        let raw = match &err {
            Error::Api(e) => e.raw_body().to_vec(),
            Error::UnexpectedStatus(e) => e.raw_body().to_vec(),
            Error::Decode(e) => e.raw_body().to_vec(),
            other => panic!("{status}: unexpected {other:?}"),
        };
        assert_eq!(raw, text.as_bytes());
    }
}

/// `Display`, `Debug` and alternate `Debug` of an error and of every link of its `source()`
/// chain, and how many links there were.
fn everything_shown(err: &(dyn std::error::Error + 'static)) -> (String, usize) {
    let (mut shown, mut links) = (String::new(), 0);
    let mut next = Some(err);
    while let Some(e) = next {
        shown.push_str(&format!("{e}\n{e:?}\n{e:#?}\n"));
        links += 1;
        next = e.source();
    }
    (shown, links)
}

#[tokio::test]
async fn serde_errors_never_show_secrets_in_display_debug_or_the_source_chain() {
    // A documented 404 whose body has another shape: serde's error repeats the string.
    let server = serve_json(
        404,
        json!({"error": "see cloudinary://123:TOPSECRETVALUE@demo"}),
    )
    .await;
    let err = client(&server)
        .users()
        .get("u1")
        .send()
        .await
        .expect_err("404");
    let Error::UnexpectedStatus(unexpected) = &err else {
        panic!("expected Error::UnexpectedStatus, got {err:?}");
    };
    let parse_error = unexpected
        .parse_error()
        .expect("the typed body did not decode");
    assert!(parse_error.is_data(), "{parse_error:?}");
    let (shown, links) = everything_shown(&err);
    assert!(!shown.contains("TOPSECRETVALUE"), "{shown}");
    assert_eq!(links, 2, "the error and its parse error: {shown}");
    assert!(shown.contains("cloudinary://***@demo"), "{shown}");

    // A 2xx that does not decode: the (redacted) serde error is part of the Display, so it is
    // not repeated as the source.
    let server = serve_json(200, json!({"sub_accounts": "cloudinary://1:TOPSECRET@x"})).await;
    let err = client(&server)
        .product_environments()
        .list()
        .send()
        .await
        .expect_err("decode");
    let Error::Decode(decode) = &err else {
        panic!("expected Error::Decode, got {err:?}");
    };
    assert!(decode.parse_error().is_data());
    let (shown, links) = everything_shown(&err);
    assert!(!shown.contains("TOPSECRET"), "{shown}");
    assert_eq!(links, 1, "{shown}");
    assert!(err.to_string().contains("invalid type"), "{shown}");
}

#[tokio::test]
async fn a_typed_error_body_with_a_secret_in_unknown_fields_is_redacted_in_debug() {
    let server = serve_json(
        409,
        json!({"error": {"message": "dup", "api_secret": LEAKED}, "secret": LEAKED}),
    )
    .await;
    let err = client(&server)
        .access_keys()
        .generate("pe1")
        .send()
        .await
        .expect_err("409");
    assert!(matches!(err, Error::Api(_)), "{err:?}");
    let shown = format!("{err:?}");
    assert!(!shown.contains(LEAKED), "{shown}");
}

// ---------------------------------------------------------------------------------------------
// Response metadata on success
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn send_with_metadata_gives_status_headers_request_id_and_rate_limits() {
    let server = serve(
        ResponseTemplate::new(200)
            .set_body_json(spec_example("UserListSample"))
            .insert_header("x-request-id", "c0ffee42")
            .insert_header("X-FeatureRateLimit-Limit", "500")
            .insert_header("X-FeatureRateLimit-Remaining", "498")
            .insert_header("X-FeatureRateLimit-Reset", "Wed, 21 May 2025 10:00:00 GMT"),
    )
    .await;
    let response = client(&server)
        .users()
        .list()
        .send_with_metadata()
        .await
        .expect("list");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.request_id(), Some("c0ffee42"));
    assert_eq!(response.attempts(), 1);
    assert_eq!(
        response
            .headers()
            .get("x-featureratelimit-limit")
            .and_then(|v| v.to_str().ok()),
        Some("500")
    );
    let limits = response.rate_limit().expect("rate limit headers");
    assert_eq!(limits.limit, Some(500));
    assert_eq!(limits.remaining, Some(498));
    assert_eq!(
        limits.reset.as_deref(),
        Some("Wed, 21 May 2025 10:00:00 GMT")
    );
    let users = response.into_inner().users.expect("users");
    assert_eq!(users.len(), 2);
    assert_eq!(users[1].name.as_deref(), Some("Tomas Ortega"));
}

#[tokio::test]
async fn metadata_without_rate_limit_headers_and_on_unit_operations() {
    let server = serve(ResponseTemplate::new(204).insert_header("x-request-id", "r-204")).await;
    let response = client(&server)
        .roles()
        .delete("r1")
        .send_with_metadata()
        .await
        .expect("delete");
    assert_eq!(response.status().as_u16(), 204);
    assert_eq!(response.request_id(), Some("r-204"));
    assert!(response.rate_limit().is_none());
    assert_eq!(response.into_inner(), ());
}

#[tokio::test]
async fn response_debug_hides_secrets_of_the_value_and_headers() {
    let server = serve(
        ResponseTemplate::new(200)
            .set_body_json(spec_example("AccessKeySample"))
            .insert_header("set-cookie", format!("s={LEAKED}x").as_str()),
    )
    .await;
    let response = client(&server)
        .access_keys()
        .generate("pe1")
        .send_with_metadata()
        .await
        .expect("generate");
    let shown = format!("{response:?}");
    assert!(!shown.contains(LEAKED), "{shown}");
    assert!(
        shown.contains("730194625830517"),
        "the API key is not secret: {shown}"
    );
}
