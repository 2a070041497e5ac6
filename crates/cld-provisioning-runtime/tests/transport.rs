//! The transport against a real HTTP server on 127.0.0.1 (wiremock), through the public API
//! only, the way the generated crate uses it. Waits between retries go through a recording
//! `Sleep`, so no test waits for a backoff.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cld_provisioning_runtime::codegen::{AuthMode, Core, OperationRequest, SdkInfo};
use cld_provisioning_runtime::error::MAX_ERROR_BODY;
use cld_provisioning_runtime::http::{HeaderName, HeaderValue, Method};
use cld_provisioning_runtime::{
    AfterResponse, AttemptFailure, BuildError, CallOptions, ClientBuilder, Credentials,
    CredentialsProvider, Error, ErrorKind, Intercept, RetryClass, RetryConfig,
    StalledStreamProtection,
};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// Request and response body kinds on the wire.
mod wire_bodies;

/// Security schemes on the wire, and the OAuth2 token cache.
mod security;

const INFO: SdkInfo = SdkInfo {
    sdk_version: "0.1.0+0.2.1",
    schema_version: "0.2.1",
};

/// Records requested sleeps and returns at once.
#[derive(Clone, Default)]
struct Sleeps(Arc<Mutex<Vec<Duration>>>);

impl Sleeps {
    fn recorded(&self) -> Vec<Duration> {
        self.0.lock().unwrap().clone()
    }

    fn sleeper(&self) -> impl Fn(Duration) -> std::future::Ready<()> + Send + Sync + 'static {
        let log = Arc::clone(&self.0);
        move |d| {
            log.lock().unwrap().push(d);
            std::future::ready(())
        }
    }
}

fn builder(server: &MockServer, sleeps: &Sleeps) -> ClientBuilder<Core> {
    ClientBuilder::new(INFO)
        .base_url(format!("{}/prefix/", server.uri()))
        .sleep_impl(sleeps.sleeper())
        .retry(RetryConfig::standard().with_jitter(false))
}

fn get_user(user_id: &str) -> OperationRequest {
    let mut req = OperationRequest::new(
        Method::GET,
        "getUser",
        AuthMode::Required,
        RetryClass::Idempotent,
    );
    req.push_literal("v1_1/provisioning/accounts");
    req.push_account_id();
    req.push_literal("users");
    req.push_param(user_id);
    req
}

fn create_user() -> OperationRequest {
    let mut req = OperationRequest::new(
        Method::POST,
        "createUser",
        AuthMode::Required,
        RetryClass::NonIdempotent,
    );
    req.push_literal("v1_1/provisioning/accounts");
    req.push_account_id();
    req.push_literal("users");
    req.json_body(&serde_json::json!({"name": "n", "email": "x@y.com"}))
        .unwrap();
    req
}

fn public_catalog(auth: AuthMode, retry: RetryClass) -> OperationRequest {
    let mut req = OperationRequest::new(Method::GET, "getCatalog", auth, retry);
    req.push_literal("v2/accounts/permissions/public/catalog");
    req
}

async fn send(
    core: &Core,
    req: OperationRequest,
) -> Result<cld_provisioning_runtime::codegen::RawResponse, Error<()>> {
    core.execute::<()>(req, CallOptions::default()).await
}

fn header_of<'a>(r: &'a Request, name: &str) -> Option<&'a str> {
    r.headers.get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn sends_the_expected_request() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(
            "/prefix/v1_1/provisioning/accounts/acc/users/a%2Fb%20c%3Fd",
        ))
        .and(query_param("ids", "a"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-request-id", "rid-1")
                .insert_header("X-FeatureRateLimit-Remaining", "7")
                .set_body_string(r#"{"id":"u1"}"#),
        )
        .expect(1)
        .mount(&server)
        .await;
    let sleeps = Sleeps::default();
    let core = builder(&server, &sleeps)
        .credentials("k", "s")
        .account_id("acc")
        .default_header(
            HeaderName::from_static("x-team"),
            HeaderValue::from_static("blue"),
        )
        .user_agent_suffix("my-app/1")
        .build_core()
        .unwrap();
    let mut req = get_user("a/b c?d");
    req.query("ids", &vec!["a", "b"]);
    req.query("emails", &"x@y.com");
    let resp = send(&core, req).await.unwrap();
    let resp = resp.into_json::<serde_json::Value, ()>().unwrap();
    assert_eq!(resp.value()["id"], "u1");
    assert_eq!(resp.request_id(), Some("rid-1"));
    assert_eq!(resp.rate_limit().and_then(|r| r.remaining), Some(7));
    assert_eq!(resp.attempts(), 1);

    let requests = server.received_requests().await.unwrap();
    let r = &requests[0];
    assert_eq!(r.url.query(), Some("ids=a&ids=b&emails=x%40y.com"));
    assert_eq!(header_of(r, "authorization"), Some("Basic azpz"));
    assert_eq!(header_of(r, "accept"), Some("application/json"));
    assert_eq!(header_of(r, "x-team"), Some("blue"));
    let ua = header_of(r, "user-agent").unwrap();
    assert_eq!(
        ua,
        format!(
            "Cloudinary/AccountProvisioning Rust/0.1.0 Schema/0.2.1 ({} {}) my-app/1",
            std::env::consts::OS,
            std::env::consts::ARCH
        )
    );
    assert!(r.headers.get("content-type").is_none());
    assert!(r.headers.get("cookie").is_none());
    assert!(r.body.is_empty());
}

#[tokio::test]
async fn post_sends_json_with_content_type() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/prefix/v1_1/provisioning/accounts/acc/users"))
        .and(header("content-type", "application/json"))
        .and(body_json(
            serde_json::json!({"name": "n", "email": "x@y.com"}),
        ))
        .respond_with(ResponseTemplate::new(201).set_body_string("{}"))
        .expect(1)
        .mount(&server)
        .await;
    let sleeps = Sleeps::default();
    let core = builder(&server, &sleeps)
        .credentials("k", "s")
        .account_id("acc")
        .build_core()
        .unwrap();
    let resp = send(&core, create_user()).await.unwrap();
    assert_eq!(resp.status().as_u16(), 201);
}

#[tokio::test]
async fn auth_modes() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    let sleeps = Sleeps::default();
    let with_creds = builder(&server, &sleeps)
        .credentials("k", "s")
        .build_core()
        .unwrap();
    let without = builder(&server, &sleeps).build_core().unwrap();

    send(
        &with_creds,
        public_catalog(AuthMode::Optional, RetryClass::Idempotent),
    )
    .await
    .unwrap();
    send(
        &without,
        public_catalog(AuthMode::Optional, RetryClass::Idempotent),
    )
    .await
    .unwrap();
    send(
        &with_creds,
        public_catalog(AuthMode::None, RetryClass::Never),
    )
    .await
    .unwrap();
    send(
        &with_creds,
        public_catalog(AuthMode::Required, RetryClass::Idempotent),
    )
    .await
    .unwrap();

    let auth: Vec<Option<String>> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| header_of(r, "authorization").map(str::to_owned))
        .collect();
    assert_eq!(
        auth,
        vec![
            Some("Basic azpz".to_owned()),
            None,
            None,
            Some("Basic azpz".to_owned())
        ]
    );

    // Required without credentials: a build error, and nothing sent.
    let err = send(
        &without,
        public_catalog(AuthMode::Required, RetryClass::Idempotent),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(err, Error::Build(BuildError::MissingCredentials { .. })),
        "{err:?}"
    );
    assert_eq!(err.kind(), ErrorKind::Configuration);
    assert_eq!(server.received_requests().await.unwrap().len(), 4);
}

#[tokio::test]
async fn missing_account_id_fails_before_any_request() {
    let server = MockServer::start().await;
    let sleeps = Sleeps::default();
    let core = builder(&server, &sleeps)
        .credentials("k", "s")
        .build_core()
        .unwrap();
    let err = send(&core, get_user("u1")).await.unwrap_err();
    assert!(
        matches!(err, Error::Build(BuildError::MissingAccountId)),
        "{err:?}"
    );
    assert_eq!(err.attempts(), 0);
    assert!(err.to_string().contains("account id"));

    let err = send(&core, get_user("")).await.unwrap_err();
    assert!(
        matches!(err, Error::Build(BuildError::InvalidPathParameter { .. })),
        "{err:?}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());

    // A per-call account id is enough.
    Mock::given(path("/prefix/v1_1/provisioning/accounts/other/users/u1"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .expect(1)
        .mount(&server)
        .await;
    let mut options = CallOptions::new();
    options.set_account_id("other");
    core.execute::<()>(get_user("u1"), options).await.unwrap();
}

#[tokio::test]
async fn retries_503_honouring_retry_after() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "2"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("[]"))
        .mount(&server)
        .await;
    let sleeps = Sleeps::default();
    let core = builder(&server, &sleeps)
        .credentials("k", "s")
        .account_id("acc")
        .build_core()
        .unwrap();
    let resp = send(&core, get_user("u1")).await.unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.attempts(), 2);
    assert_eq!(sleeps.recorded(), vec![Duration::from_secs(2)]);
}

#[tokio::test]
async fn retry_after_is_capped_and_backoff_doubles() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "3600"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(502).set_body_string("<html>bad gateway</html>"))
        .mount(&server)
        .await;
    let sleeps = Sleeps::default();
    let core = builder(&server, &sleeps)
        .credentials("k", "s")
        .account_id("acc")
        .retry(
            RetryConfig::standard()
                .with_jitter(false)
                .with_max_attempts(4),
        )
        .build_core()
        .unwrap();
    let err = send(&core, get_user("u1"))
        .await
        .unwrap()
        .into_unit::<()>()
        .unwrap_err();
    assert_eq!(
        sleeps.recorded(),
        vec![
            Duration::from_secs(20),
            Duration::from_secs(2),
            Duration::from_secs(4)
        ]
    );
    assert_eq!(err.attempts(), 4);
    assert_eq!(err.kind(), ErrorKind::ServerError);
    assert_eq!(
        err.to_string(),
        "getUser: 502 Bad Gateway: <html>bad gateway</html>"
    );
    assert!(err.is_retryable());
}

#[tokio::test]
async fn post_is_not_retried_on_503_but_is_on_429() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).set_body_string(r#"{"error":{"message":"down"}}"#))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_string("{}"))
        .mount(&server)
        .await;
    let sleeps = Sleeps::default();
    let core = builder(&server, &sleeps)
        .credentials("k", "s")
        .account_id("acc")
        .build_core()
        .unwrap();

    let resp = send(&core, create_user()).await.unwrap();
    assert_eq!(resp.status().as_u16(), 503);
    assert_eq!(resp.attempts(), 1);
    let err = resp.into_unit::<()>().unwrap_err();
    assert_eq!(err.to_string(), "createUser: 503 Service Unavailable: down");
    assert!(sleeps.recorded().is_empty());

    let resp = send(&core, create_user()).await.unwrap();
    assert_eq!(resp.status().as_u16(), 201);
    assert_eq!(resp.attempts(), 2);
    assert_eq!(sleeps.recorded(), vec![Duration::from_secs(1)]);
}

#[tokio::test]
async fn never_class_is_not_retried_on_throttling_unless_opted_in() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(420).insert_header("retry-after", "5"))
        .mount(&server)
        .await;
    let sleeps = Sleeps::default();
    let core = builder(&server, &sleeps).build_core().unwrap();
    let resp = send(&core, public_catalog(AuthMode::None, RetryClass::Never))
        .await
        .unwrap();
    assert_eq!(resp.attempts(), 1);
    assert_eq!(
        resp.into_unit::<()>().unwrap_err().kind(),
        ErrorKind::RateLimited
    );

    let mut options = CallOptions::new();
    options.set_retry(RetryConfig::standard().with_retry_throttled_never(true));
    let resp = core
        .execute::<()>(public_catalog(AuthMode::None, RetryClass::Never), options)
        .await
        .unwrap();
    assert_eq!(resp.attempts(), 3);
    assert_eq!(
        sleeps.recorded(),
        vec![Duration::from_secs(5), Duration::from_secs(5)]
    );
}

#[tokio::test]
async fn timeouts_are_their_own_error_and_retried_only_when_idempotent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let sleeps = Sleeps::default();
    let core = builder(&server, &sleeps)
        .credentials("k", "s")
        .account_id("acc")
        .timeout(Duration::from_millis(150))
        .build_core()
        .unwrap();

    let err = send(&core, get_user("u1")).await.unwrap_err();
    assert!(
        matches!(&err, Error::Timeout(t) if !t.is_connect()),
        "{err:?}"
    );
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert_eq!(err.attempts(), 3);
    assert_eq!(sleeps.recorded().len(), 2);
    assert_eq!(
        err.to_string(),
        "getUser: timed out after 150ms (after 3 attempts)"
    );

    let err = send(&core, create_user()).await.unwrap_err();
    assert!(matches!(err, Error::Timeout(_)));
    assert_eq!(err.attempts(), 1);

    // A per-call timeout overrides the client's.
    let mut options = CallOptions::new();
    options.set_timeout(Duration::from_millis(50));
    options.set_retry(RetryConfig::disabled());
    let err = core
        .execute::<()>(get_user("u1"), options)
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "getUser: timed out after 50ms");
}

#[tokio::test]
async fn connect_failures_are_retried_even_for_post() {
    // A port that was just free: connecting is refused.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let sleeps = Sleeps::default();
    let core = ClientBuilder::<Core>::new(INFO)
        .base_url(format!("http://127.0.0.1:{port}"))
        .credentials("k", "s")
        .account_id("acc")
        .sleep_impl(sleeps.sleeper())
        .build_core()
        .unwrap();
    let err = send(&core, create_user()).await.unwrap_err();
    assert!(
        matches!(&err, Error::Transport(t) if t.is_connect()),
        "{err:?}"
    );
    assert_eq!(err.attempts(), 3);
    assert_eq!(sleeps.recorded().len(), 2);
    assert!(
        sleeps
            .recorded()
            .iter()
            .all(|d| *d <= Duration::from_secs(2))
    );
    assert!(std::error::Error::source(&err).is_some());
    assert!(err.is_retryable());
}

#[derive(Debug, Default)]
struct Rotating(AtomicUsize);

impl CredentialsProvider for Rotating {
    fn credentials(&self) -> Option<Credentials> {
        let n = self.0.fetch_add(1, Ordering::SeqCst);
        Some(Credentials::new(format!("key{n}"), "s"))
    }
}

#[tokio::test]
async fn credentials_provider_is_asked_on_every_attempt() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    let sleeps = Sleeps::default();
    let core = builder(&server, &sleeps)
        .credentials_provider(Rotating::default())
        .account_id("acc")
        .build_core()
        .unwrap();
    send(&core, get_user("u1")).await.unwrap();
    let auth: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| header_of(r, "authorization").unwrap_or_default().to_owned())
        .collect();
    use base64::Engine as _;
    let basic = |k: &str| {
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{k}:s"))
        )
    };
    assert_eq!(auth, vec![basic("key0"), basic("key1")]);
}

#[tokio::test]
async fn per_call_headers_override_defaults_but_not_sdk_headers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    let sleeps = Sleeps::default();
    let core = builder(&server, &sleeps)
        .default_header(
            HeaderName::from_static("x-team"),
            HeaderValue::from_static("blue"),
        )
        .default_header(
            HeaderName::from_static("authorization"),
            HeaderValue::from_static("Bearer leak"),
        )
        .build_core()
        .unwrap();
    let mut options = CallOptions::new();
    options.insert_header(
        HeaderName::from_static("x-team"),
        HeaderValue::from_static("red"),
    );
    options.insert_header(
        HeaderName::from_static("accept"),
        HeaderValue::from_static("text/html"),
    );
    core.execute::<()>(public_catalog(AuthMode::None, RetryClass::Never), options)
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    let r = &requests[0];
    assert_eq!(header_of(r, "x-team"), Some("red"));
    assert_eq!(header_of(r, "accept"), Some("application/json"));
    assert_eq!(header_of(r, "authorization"), None);
}

#[tokio::test]
async fn error_responses_become_typed_errors() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("x-request-id", "rid-404")
                .set_body_string(r#"{"error":{"message":"nope"}}"#),
        )
        .mount(&server)
        .await;
    let sleeps = Sleeps::default();
    let core = builder(&server, &sleeps)
        .credentials("k", "s")
        .account_id("acc")
        .build_core()
        .unwrap();
    let err = send(&core, get_user("u1"))
        .await
        .unwrap()
        .into_json::<serde_json::Value, ()>()
        .unwrap_err();
    assert_eq!(err.to_string(), "getUser: 404 Not Found: nope");
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert_eq!(err.request_id(), Some("rid-404"));
    assert_eq!(err.operation_id(), Some("getUser"));
    assert!(sleeps.recorded().is_empty());
}

#[tokio::test]
async fn authorization_is_dropped_on_a_cross_origin_redirect() {
    let target = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&target)
        .await;
    let origin = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", format!("{}/elsewhere", target.uri())),
        )
        .mount(&origin)
        .await;
    let sleeps = Sleeps::default();
    let core = builder(&origin, &sleeps)
        .credentials("k", "s")
        .account_id("acc")
        .build_core()
        .unwrap();
    let resp = send(&core, get_user("u1")).await.unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let first = &origin.received_requests().await.unwrap()[0];
    assert_eq!(header_of(first, "authorization"), Some("Basic azpz"));
    let redirected = &target.received_requests().await.unwrap()[0];
    assert_eq!(redirected.url.path(), "/elsewhere");
    assert_eq!(header_of(redirected, "authorization"), None);
}

#[tokio::test]
async fn redirect_loops_stop() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/prefix/again"))
        .mount(&server)
        .await;
    let sleeps = Sleeps::default();
    let core = builder(&server, &sleeps).build_core().unwrap();
    let err = send(
        &core,
        public_catalog(AuthMode::Optional, RetryClass::Idempotent),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert!(!err.is_retryable());
    assert!(sleeps.recorded().is_empty());
    // The first request plus five redirects.
    assert_eq!(server.received_requests().await.unwrap().len(), 6);
}

fn assert_send<T: Send>(t: T) -> T {
    t
}

#[test]
fn futures_and_clients_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Core>();
    assert_send_sync::<ClientBuilder<Core>>();
    assert_send_sync::<Error<()>>();
    let core = ClientBuilder::<Core>::new(INFO).build_core().unwrap();
    let options = CallOptions::new();
    // Only built, never polled: generated futures must be spawnable.
    drop(assert_send(core.execute::<()>(get_user("u"), options)));
}

/// Hostile `Retry-After` / `X-FeatureRateLimit-Reset` values: a year that overflows the date
/// arithmetic, and numbers that do not fit a `Duration`. The request must not panic; an
/// unparsable hint falls back to the backoff and a huge one is held to the cap.
#[tokio::test]
async fn hostile_retry_after_values_never_panic_and_respect_the_cap() {
    let cases: &[(u16, &str, &str, Duration)] = &[
        (
            503,
            "retry-after",
            "Sun, 06 Nov 1000000000000 08:49:37 GMT",
            Duration::from_secs(1),
        ),
        (
            429,
            "retry-after",
            "Sun, 06 Nov 9223372036854775807 08:49:37 GMT",
            Duration::from_secs(1),
        ),
        (
            420,
            "x-featureratelimit-reset",
            "Sun, 06 Nov 1000000000000 08:49:37 GMT",
            Duration::from_secs(1),
        ),
        (
            503,
            "retry-after",
            "18446744073709551615",
            Duration::from_secs(20),
        ),
        (429, "retry-after", "1e300", Duration::from_secs(20)),
        (
            429,
            "x-featureratelimit-reset",
            "99999999999999999999999",
            Duration::from_secs(20),
        ),
    ];
    for (status, name, value, want_sleep) in cases {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(*status).insert_header(*name, *value))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_string("[]"))
            .mount(&server)
            .await;
        let sleeps = Sleeps::default();
        let core = builder(&server, &sleeps)
            .credentials("k", "s")
            .account_id("acc")
            .build_core()
            .unwrap();
        let resp = send(&core, get_user("u1")).await.unwrap();
        assert_eq!(resp.status().as_u16(), 200, "{name}: {value}");
        assert_eq!(sleeps.recorded(), vec![*want_sleep], "{name}: {value}");
    }
}

/// The largest durations a user can configure: the jittered backoff must not overflow when it
/// scales `Duration::MAX`, and the per-attempt timeout must not overflow when it is armed.
#[tokio::test]
async fn extreme_durations_in_the_configuration_never_panic() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("[]"))
        .mount(&server)
        .await;
    let sleeps = Sleeps::default();
    let core = ClientBuilder::<Core>::new(INFO)
        .base_url(server.uri())
        .sleep_impl(sleeps.sleeper())
        .credentials("k", "s")
        .account_id("acc")
        .timeout(Duration::MAX)
        .connect_timeout(Duration::MAX)
        .retry(
            RetryConfig::standard()
                .with_initial_backoff(Duration::MAX)
                .with_max_backoff(Duration::MAX)
                .with_max_attempts(u32::MAX),
        )
        .build_core()
        .unwrap();
    let resp = send(&core, get_user("u1")).await.unwrap();
    assert_eq!(resp.attempts(), 3);
    assert_eq!(sleeps.recorded().len(), 2);
}

#[tokio::test]
async fn an_oversized_success_body_is_a_transport_error_and_is_not_retried() {
    let server = MockServer::start().await;
    let huge = vec![b' '; cld_provisioning_runtime::MAX_RESPONSE_BODY + 1];
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(huge, "application/json"))
        .mount(&server)
        .await;
    let sleeps = Sleeps::default();
    let core = builder(&server, &sleeps)
        .credentials("k", "s")
        .account_id("acc")
        .build_core()
        .unwrap();
    let err = send(&core, get_user("u1")).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(err.attempts(), 1);
    assert!(!err.is_retryable());
    let source = std::error::Error::source(&err)
        .map(|s| s.to_string())
        .unwrap_or_default();
    assert!(source.contains("larger than 67108864 bytes"), "{source}");
    assert!(sleeps.recorded().is_empty());
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_success_body_at_the_limit_is_read_in_full() {
    let server = MockServer::start().await;
    // A JSON string that fills the limit exactly.
    let mut body = vec![b'a'; cld_provisioning_runtime::MAX_RESPONSE_BODY];
    body[0] = b'"';
    body[cld_provisioning_runtime::MAX_RESPONSE_BODY - 1] = b'"';
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    let sleeps = Sleeps::default();
    let core = builder(&server, &sleeps)
        .credentials("k", "s")
        .account_id("acc")
        .build_core()
        .unwrap();
    let resp = send(&core, get_user("u1")).await.unwrap();
    let text: String = resp
        .into_json::<String, ()>()
        .map(|r| r.into_inner())
        .unwrap();
    assert_eq!(text.len(), cld_provisioning_runtime::MAX_RESPONSE_BODY - 2);
}

/// A server that expects one GET and answers `{}`.
async fn server_answering_get_once() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .expect(1)
        .mount(&server)
        .await;
    server
}

/// Header, cookie and styled query parameters reach the server as the specification lays
/// them out.
#[tokio::test]
async fn header_cookie_and_styled_query_parameters_on_the_wire() {
    use cld_provisioning_runtime::codegen::params::QueryStyle;
    let server = server_answering_get_once().await;
    let sleeps = Sleeps::default();
    let core = builder(&server, &sleeps)
        .credentials("k", "s")
        .account_id("acc")
        .build_core()
        .unwrap();
    let mut req = get_user("u1");
    req.header_param("X-Tenant", &"acme").unwrap();
    req.header_param("X-Levels", &vec![1, 2]).unwrap();
    req.header_param("X-Absent", &None::<String>).unwrap();
    req.cookie_param("session", &"a b").unwrap();
    req.cookie_param("theme", &"dark").unwrap();
    req.query_styled("ids", &vec!["a", "b"], QueryStyle::Form)
        .unwrap();
    req.query_styled("words", &vec!["x", "y"], QueryStyle::PipeDelimited)
        .unwrap();
    req.query_styled(
        "filter",
        &serde_json::json!({"status": "active"}),
        QueryStyle::DeepObject,
    )
    .unwrap();
    send(&core, req).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let r = &requests[0];
    assert_eq!(header_of(r, "x-tenant"), Some("acme"));
    assert_eq!(header_of(r, "x-levels"), Some("1,2"));
    assert!(r.headers.get("x-absent").is_none());
    assert_eq!(header_of(r, "cookie"), Some("session=a%20b; theme=dark"));
    let pairs: Vec<(String, String)> = r
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("ids".to_string(), "a,b".to_string()),
            ("words".to_string(), "x|y".to_string()),
            ("filter[status]".to_string(), "active".to_string()),
        ]
    );
}

#[tokio::test]
async fn an_attempt_cut_short_by_the_operation_timeout_reports_that_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let sleeps = Sleeps::default();
    let core = builder(&server, &sleeps)
        .credentials("k", "s")
        .account_id("acc")
        .timeout(Duration::from_secs(10))
        .operation_timeout(Duration::from_millis(200))
        .build_core()
        .unwrap();

    let err = send(&core, get_user("u1")).await.unwrap_err();
    let Error::Timeout(t) = &err else {
        panic!("{err:?}")
    };
    assert!(t.is_operation_timeout(), "{err:?}");
    // The limit named is the operation timeout, not the remainder of it the attempt was given.
    assert_eq!(t.timeout(), Duration::from_millis(200));
    assert_eq!(err.attempts(), 1);
    assert!(sleeps.recorded().is_empty());
}

/// A server on 127.0.0.1 that answers each of up to four connections with a 200 declaring a
/// 1000-byte body, sent as `plan` says (`(bytes, pause after them)`, repeated until the body
/// is whole or 5 s have passed; a step of 0 bytes closes the connection, and an empty plan
/// closes it without answering); returns its base URL.
fn slow_body_server(plan: Vec<(usize, Duration)>) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(4) {
            let Ok(mut stream) = stream else { return };
            let plan = plan.clone();
            std::thread::spawn(move || {
                let mut request = [0u8; 4096];
                let _ = stream.read(&mut request);
                if plan.is_empty() {
                    return;
                }
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n";
                if stream.write_all(head.as_bytes()).is_err() {
                    return;
                }
                let started = std::time::Instant::now();
                let mut sent = 0;
                for (bytes, pause) in plan.iter().cycle() {
                    if *bytes == 0 || sent == 1000 || started.elapsed() > Duration::from_secs(5) {
                        return;
                    }
                    let n = (*bytes).min(1000 - sent);
                    if stream.write_all(&vec![b' '; n]).is_err() {
                        return;
                    }
                    sent += n;
                    std::thread::sleep(*pause);
                }
            });
        }
    });
    format!("http://{addr}/")
}

fn trickle_core(base: String, stall: StalledStreamProtection) -> Core {
    ClientBuilder::<Core>::new(INFO)
        .base_url(base)
        .credentials("k", "s")
        .account_id("acc")
        .retry(RetryConfig::disabled())
        .timeout(Duration::from_millis(1500))
        .stalled_stream_protection(stall)
        .build_core()
        .unwrap()
}

#[tokio::test]
async fn a_body_below_the_minimum_throughput_fails_as_stalled() {
    // One byte every 50 ms is 20 bytes/s, under the 100 bytes/s asked for.
    let base = slow_body_server(vec![(1, Duration::from_millis(50))]);
    let stall = StalledStreamProtection::new(100, Duration::from_millis(300));
    let err = send(&trickle_core(base, stall), get_user("u1"))
        .await
        .unwrap_err();
    let Error::Timeout(t) = &err else {
        panic!("{err:?}")
    };
    assert!(t.is_stalled(), "{err:?}");
    assert_eq!(t.timeout(), Duration::from_millis(300));
    let source = std::error::Error::source(t).map(ToString::to_string);
    let source = source.unwrap_or_default();
    assert!(
        source.starts_with("the response body stalled after ")
            && source.ends_with(" bytes: under 100 bytes/s over 300ms"),
        "{source}"
    );
}

#[tokio::test]
async fn a_slow_body_above_the_minimum_throughput_is_read() {
    // 50 bytes every 20 ms (about 2500 bytes/s) against 50 bytes/s in 200 ms windows: the
    // body takes about 400 ms, so windows are judged on the way, and each passes.
    let base = slow_body_server(vec![(50, Duration::from_millis(20))]);
    let stall = StalledStreamProtection::new(50, Duration::from_millis(200));
    let raw = send(&trickle_core(base, stall), get_user("u1"))
        .await
        .unwrap();
    assert_eq!(raw.body().len(), 1000);
}

#[tokio::test]
async fn without_stall_protection_a_trickle_runs_into_the_attempt_timeout() {
    let base = slow_body_server(vec![(1, Duration::from_millis(50))]);
    let err = send(
        &trickle_core(base, StalledStreamProtection::disabled()),
        get_user("u1"),
    )
    .await
    .unwrap_err();
    let Error::Timeout(t) = &err else {
        panic!("{err:?}")
    };
    assert!(!t.is_stalled() && !t.is_operation_timeout(), "{err:?}");
    assert_eq!(t.timeout(), Duration::from_millis(1500));
}

#[tokio::test]
async fn a_window_that_brings_exactly_the_minimum_passes() {
    // 20 bytes/s over 500 ms windows is 10 bytes a window. The first window brings exactly
    // 10, the second the other 990 (sent 750 ms in), so the body is read whole.
    let base = slow_body_server(vec![
        (10, Duration::from_millis(750)),
        (990, Duration::ZERO),
    ]);
    let stall = StalledStreamProtection::new(20, Duration::from_millis(500));
    let raw = send(&trickle_core(base, stall), get_user("u1"))
        .await
        .unwrap();
    assert_eq!(raw.body().len(), 1000);
}

#[tokio::test]
async fn label_and_matrix_path_parameters_on_the_wire() {
    use cld_provisioning_runtime::codegen::params::PathStyle;
    let server = server_answering_get_once().await;
    let core = builder(&server, &Sleeps::default()).build_core().unwrap();
    let mut req = public_catalog(AuthMode::None, RetryClass::Idempotent);
    req.push_param_styled("id", &"a,b", PathStyle::Label)
        .unwrap();
    req.push_param_styled("tags", &vec!["x", "y"], PathStyle::LabelExploded)
        .unwrap();
    req.push_param_styled("color", &vec!["red", "g b"], PathStyle::Matrix)
        .unwrap();
    req.push_param_styled(
        "point",
        &serde_json::json!({"x": 1, "y": 2}),
        PathStyle::MatrixExploded,
    )
    .unwrap();
    req.push_param_styled("ids", &vec![3, 4], PathStyle::Simple)
        .unwrap();
    send(&core, req).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests[0].url.path(),
        "/prefix/v2/accounts/permissions/public/catalog/.a%2Cb/.x.y/;color=red,g%20b/;x=1;y=2/3,4"
    );
}

#[tokio::test]
async fn an_empty_styled_path_parameter_fails_before_sending() {
    use cld_provisioning_runtime::codegen::params::PathStyle;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let core = builder(&server, &Sleeps::default()).build_core().unwrap();
    for (value, style) in [
        (serde_json::json!(""), PathStyle::Label),
        (serde_json::json!([]), PathStyle::Matrix),
        (serde_json::Value::Null, PathStyle::Simple),
    ] {
        let mut req = public_catalog(AuthMode::None, RetryClass::Idempotent);
        req.push_param_styled("id", &value, style).unwrap();
        let err = send(&core, req).await.unwrap_err();
        assert!(
            matches!(err, Error::Build(BuildError::InvalidPathParameter { .. })),
            "{value:?} {style:?}: {err:?}"
        );
    }
}

#[tokio::test]
async fn parameters_and_text_sharing_a_segment_on_the_wire() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .expect(1)
        .mount(&server)
        .await;
    let core = builder(&server, &Sleeps::default()).build_core().unwrap();
    let mut req = public_catalog(AuthMode::None, RetryClass::Idempotent);
    req.push_param("a b");
    req.push_literal_joined(".json");
    req.push_literal("v");
    req.push_param_joined("1/2");
    req.push_literal_joined(":cancel");
    send(&core, req).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests[0].url.path(),
        "/prefix/v2/accounts/permissions/public/catalog/a%20b.json/v1%2F2:cancel"
    );

    // An empty value in a shared segment would address another resource: nothing is sent.
    let mut req = public_catalog(AuthMode::None, RetryClass::Idempotent);
    req.push_literal("files");
    req.push_param_joined("");
    req.push_literal_joined(".json");
    let err = send(&core, req).await.unwrap_err();
    assert!(
        matches!(err, Error::Build(BuildError::InvalidPathParameter { .. })),
        "{err:?}"
    );
}

/// Writes down how each attempt failed, as interceptors are told.
#[derive(Debug, Default, Clone)]
struct Failures(Arc<Mutex<Vec<String>>>);

impl Intercept for Failures {
    fn on_error(&self, f: &AttemptFailure<'_>) {
        let line = format!("#{} {}", f.attempt(), f.description());
        self.0.lock().unwrap().push(line);
    }
}

fn failing_core(base: String, failures: &Failures) -> Core {
    ClientBuilder::<Core>::new(INFO)
        .base_url(base)
        .credentials("k", "s")
        .account_id("acc")
        .retry(RetryConfig::disabled())
        .timeout(Duration::from_millis(300))
        .interceptor(failures.clone())
        .build_core()
        .unwrap()
}

#[tokio::test]
async fn interceptors_are_told_how_each_attempt_failed() {
    let failures = Failures::default();
    let slow = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&slow)
        .await;
    let refused = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/", listener.local_addr().unwrap())
    };
    let bases = [
        format!("{}/", slow.uri()),
        refused,
        // 10 of the declared 1000 bytes, then the connection closes.
        slow_body_server(vec![(10, Duration::ZERO), (0, Duration::ZERO)]),
        // The connection closes without an answer.
        slow_body_server(Vec::new()),
    ];
    for base in bases {
        let err = send(&failing_core(base, &failures), get_user("u1")).await;
        assert!(err.is_err());
    }
    assert_eq!(
        failures.0.lock().unwrap().as_slice(),
        [
            "#1 the attempt timed out",
            "#1 could not connect to the server",
            "#1 the response body was cut off after 10 of 1000 bytes",
            "#1 the connection failed during the request",
        ]
    );
}

/// Writes down the status, an echo header and the body each `after_response` is shown.
#[derive(Debug, Default, Clone)]
struct Responses(Arc<Mutex<Vec<String>>>);

impl Intercept for Responses {
    fn after_response(&self, r: &AfterResponse<'_>) {
        let echo = r.headers().get("x-echo").and_then(|v| v.to_str().ok());
        let line = format!("{} {echo:?} {}", r.status().as_u16(), r.redacted_body());
        self.0.lock().unwrap().push(line);
    }
}

/// The error of `get_user(id)`, whose answer must be a failing status, as `Display` and
/// `Debug` show it. (A failing status comes back as a response; the generated code turns it
/// into the error.)
async fn shown_error(core: &Core, id: &str) -> String {
    let err = send(core, get_user(id)).await.unwrap().into_error::<()>();
    format!("{err} {err:?}")
}

/// A failing response that repeats `secret` in a header and in its error message.
fn echoing(status: u16, secret: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("x-echo", secret)
        .set_body_string(format!(r#"{{"error":{{"message":"no {secret}"}}}}"#))
}

#[tokio::test]
async fn echoed_credentials_are_masked_in_a_failing_response_and_a_success_body_is_left_alone() {
    const SECRET: &str = "Echo-Secret_0123456789";
    let server = MockServer::start().await;
    Mock::given(path("/prefix/v1_1/provisioning/accounts/acc/users/bad"))
        .respond_with(echoing(404, SECRET))
        .mount(&server)
        .await;
    Mock::given(path("/prefix/v1_1/provisioning/accounts/acc/users/good"))
        .respond_with(
            ResponseTemplate::new(200).set_body_string(format!(r#"{{"note":"{SECRET}"}}"#)),
        )
        .mount(&server)
        .await;
    let responses = Responses::default();
    let sleeps = Sleeps::default();
    let core = builder(&server, &sleeps)
        .credentials("614335564976464", SECRET)
        .account_id("acc")
        .interceptor(responses.clone())
        .build_core()
        .unwrap();

    let shown = shown_error(&core, "bad").await;
    assert!(!shown.contains(SECRET), "{shown}");
    let ok = send(&core, get_user("good")).await.unwrap();
    // The caller's own data is not rewritten.
    assert_eq!(ok.body(), format!(r#"{{"note":"{SECRET}"}}"#).as_bytes());
    assert_eq!(
        responses.0.lock().unwrap().as_slice(),
        [
            r#"404 Some("***") {"error":{"message":"no ***"}}"#.to_owned(),
            format!(r#"200 None {{"note":"{SECRET}"}}"#),
        ]
    );
}

/// Credentials from a provider are not known when the client is built, so the mask of
/// what a server may echo is made per attempt from what the provider gave (fixed credentials
/// take the mask made at build time, the test above).
#[tokio::test]
async fn credentials_from_a_provider_are_masked_when_a_failing_response_echoes_them() {
    const SECRET: &str = "Provided-Secret_0123456789";
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(echoing(403, SECRET))
        .mount(&server)
        .await;
    let responses = Responses::default();
    let sleeps = Sleeps::default();
    let core = builder(&server, &sleeps)
        .credentials_provider(Provided)
        .account_id("acc")
        .interceptor(responses.clone())
        .build_core()
        .unwrap();
    let shown = shown_error(&core, "u1").await;
    assert!(!shown.contains(SECRET), "{shown}");
    assert_eq!(
        responses.0.lock().unwrap().as_slice(),
        [r#"403 Some("***") {"error":{"message":"no ***"}}"#.to_owned()]
    );

    /// Always the same key and [`SECRET`].
    #[derive(Debug)]
    struct Provided;

    impl CredentialsProvider for Provided {
        fn credentials(&self) -> Option<Credentials> {
            Some(Credentials::new("614335564976464", SECRET))
        }
    }
}

#[tokio::test]
async fn a_wait_that_overruns_the_operation_timeout_ends_the_call_before_another_attempt() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    // The 100 ms wait takes 400 ms, so the 300 ms operation timeout runs out during it.
    let oversleep = |d: Duration| {
        std::thread::sleep(d * 4);
        std::future::ready(())
    };
    let core = ClientBuilder::<Core>::new(INFO)
        .base_url(format!("{}/prefix/", server.uri()))
        .credentials("k", "s")
        .account_id("acc")
        .sleep_impl(oversleep)
        .retry(
            RetryConfig::standard()
                .with_jitter(false)
                .with_initial_backoff(Duration::from_millis(100)),
        )
        .operation_timeout(Duration::from_millis(300))
        .build_core()
        .unwrap();

    let err = send(&core, get_user("u1")).await.unwrap_err();
    let Error::Timeout(t) = &err else {
        panic!("{err:?}")
    };
    assert!(t.is_operation_timeout(), "{err:?}");
    assert_eq!(t.timeout(), Duration::from_millis(300));
    assert_eq!(err.attempts(), 1);
    assert_eq!(
        std::error::Error::source(t).map(ToString::to_string),
        Some("no time was left for another attempt".to_owned())
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn an_error_body_of_exactly_the_limit_is_kept_whole() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_bytes(vec![b'x'; MAX_ERROR_BODY]))
        .mount(&server)
        .await;
    let sleeps = Sleeps::default();
    let core = builder(&server, &sleeps)
        .credentials("k", "s")
        .account_id("acc")
        .build_core()
        .unwrap();
    let err = send(&core, get_user("u1"))
        .await
        .unwrap()
        .into_error::<()>();
    let Error::UnexpectedStatus(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.raw_body().len(), MAX_ERROR_BODY);
    assert!(!e.is_body_truncated());
}

#[tokio::test]
async fn an_endless_error_body_is_cut_at_the_limit_without_waiting_for_its_end() {
    use std::io::{Read, Write};
    // A 404 whose body runs to the close of the connection and is never closed (for 5 s).
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}/", listener.local_addr().unwrap());
    // How much of the body the server got to write before the client hung up.
    let (written_tx, written) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let Ok((mut stream, _)) = listener.accept() else {
            return;
        };
        let _ = stream.read(&mut [0u8; 4096]);
        let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
        let head =
            "HTTP/1.1 404 Not Found\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n";
        let started = std::time::Instant::now();
        let mut sent = stream.write_all(head.as_bytes());
        let mut total: usize = 0;
        while sent.is_ok() && started.elapsed() < Duration::from_secs(5) {
            sent = stream.write_all(&[b'x'; 10_000]);
            total += 10_000;
        }
        let _ = written_tx.send(total);
    });
    let core = ClientBuilder::<Core>::new(INFO)
        .base_url(base)
        .credentials("k", "s")
        .account_id("acc")
        .retry(RetryConfig::disabled())
        .timeout(Duration::from_secs(3))
        .build_core()
        .unwrap();
    let err = send(&core, get_user("u1"))
        .await
        .unwrap()
        .into_error::<()>();
    let Error::UnexpectedStatus(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.raw_body().len(), MAX_ERROR_BODY);
    assert!(e.is_body_truncated());
    // The client hung up after the limit instead of reading on until the attempt timeout:
    // only what the sockets' buffers hold was written past it (a few MiB, not gigabytes).
    drop(core);
    // Waited for off the runtime, which must stay free to close the connection.
    let written =
        tokio::task::spawn_blocking(move || written.recv_timeout(Duration::from_secs(10)))
            .await
            .unwrap()
            .unwrap();
    assert!(written < 64 * 1024 * 1024, "{written} bytes written");
}
