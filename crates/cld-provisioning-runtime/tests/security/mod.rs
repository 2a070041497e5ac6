//! Security schemes on the wire: what each scheme sends, which alternative is picked, what
//! happens when none is configured, and the OAuth2 client-credentials token cache (fetched
//! once for concurrent calls, refreshed after expiry and after a 401, its failures typed and
//! free of secrets).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use cld_provisioning_runtime::codegen::{AuthMode, Core, OperationRequest};
use cld_provisioning_runtime::http::Method;
use cld_provisioning_runtime::{
    ApiKeyLocation, BuildError, CallOptions, ClientBuilder, ClientCredentials, ConfigError,
    Credentials, CredentialsError, Error, RetryClass, SchemeKind, SecretString, SecurityScheme,
    provide_credentials_fn, provide_token_fn,
};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::{Sleeps, builder};

const SCHEMES: &[SecurityScheme] = &[
    SecurityScheme {
        name: "basicAuth",
        kind: SchemeKind::Basic,
    },
    SecurityScheme {
        name: "bearerAuth",
        kind: SchemeKind::Bearer,
    },
    SecurityScheme {
        name: "keyHeader",
        kind: SchemeKind::ApiKey {
            location: ApiKeyLocation::Header,
            name: "X-API-Key",
        },
    },
    SecurityScheme {
        name: "keyQuery",
        kind: SchemeKind::ApiKey {
            location: ApiKeyLocation::Query,
            name: "api_key",
        },
    },
    SecurityScheme {
        name: "keyCookie",
        kind: SchemeKind::ApiKey {
            location: ApiKeyLocation::Cookie,
            name: "session",
        },
    },
    SecurityScheme {
        name: "oauth",
        kind: SchemeKind::OAuth2ClientCredentials {
            // Relative: resolved against the server (`{server}/prefix`).
            token_url: "/oauth/token",
            scopes: &["read", "write"],
        },
    },
];

/// An operation's security: alternatives of scheme names.
type Alternatives = &'static [&'static [&'static str]];

const TOKEN: &str = "bearer-T0KEN-value";
const API_KEY: &str = "api-K3Y-value";
const CLIENT_SECRET: &str = "client-S3CR3T-value";

fn request(auth: AuthMode, security: Alternatives) -> OperationRequest {
    let mut req = OperationRequest::new(Method::GET, "getThing", auth, RetryClass::Idempotent);
    req.push_literal("things");
    req.set_security(security);
    req
}

async fn api_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path("/prefix/things"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> ClientBuilder<Core> {
    builder(server, &Sleeps::default()).security_schemes(SCHEMES)
}

/// The requests the server received on `route`.
async fn requests_to(server: &MockServer, route: &str) -> Vec<wiremock::Request> {
    server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.url.path() == route)
        .collect()
}

fn header_of<'r>(r: &'r wiremock::Request, name: &str) -> Option<&'r str> {
    r.headers.get(name).and_then(|v| v.to_str().ok())
}

/// The one request the API receives for a call with `auth` and `security`, from a client
/// that `configure` sets up.
async fn received(
    configure: impl FnOnce(ClientBuilder<Core>) -> ClientBuilder<Core>,
    auth: AuthMode,
    security: Alternatives,
) -> wiremock::Request {
    let server = api_server().await;
    let core = configure(client(&server)).build_core().unwrap();
    core.execute::<()>(request(auth, security), CallOptions::default())
        .await
        .unwrap();
    let mut got = requests_to(&server, "/prefix/things").await;
    assert_eq!(got.len(), 1);
    got.remove(0)
}

/// The credentials a request carries: Authorization, the API key header, cookie and query.
fn credentials_in(r: &wiremock::Request) -> [Option<String>; 4] {
    [
        header_of(r, "authorization").map(str::to_owned),
        header_of(r, "x-api-key").map(str::to_owned),
        header_of(r, "cookie").map(str::to_owned),
        r.url.query().map(str::to_owned),
    ]
}

#[tokio::test]
async fn each_scheme_sends_exactly_its_credential() {
    use base64::Engine as _;
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode("user:pass")
    );
    let cases: [(Alternatives, [Option<String>; 4]); 5] = [
        (&[&["basicAuth"]], [Some(basic), None, None, None]),
        (
            &[&["bearerAuth"]],
            [Some(format!("Bearer {TOKEN}")), None, None, None],
        ),
        (
            &[&["keyHeader"]],
            [None, Some(API_KEY.to_owned()), None, None],
        ),
        (
            &[&["keyQuery"]],
            [None, None, None, Some(format!("api_key={API_KEY}"))],
        ),
        (
            &[&["keyCookie"]],
            [None, None, Some(format!("session={API_KEY}")), None],
        ),
    ];
    for (security, want) in cases {
        let got = received(
            |b| {
                b.basic_credentials_for("basicAuth", "user", "pass")
                    .token_for("bearerAuth", TOKEN)
                    .token_for("keyHeader", API_KEY)
                    .token_for("keyQuery", API_KEY)
                    .token_for("keyCookie", API_KEY)
            },
            AuthMode::Required,
            security,
        )
        .await;
        assert_eq!(credentials_in(&got), want, "{security:?}");
    }
}

#[tokio::test]
async fn the_client_credentials_serve_every_basic_scheme_without_its_own() {
    let got = received(
        |b| b.credentials("k", "s"),
        AuthMode::Required,
        &[&["basicAuth"]],
    )
    .await;
    assert_eq!(header_of(&got, "authorization"), Some("Basic azpz"));
}

#[tokio::test]
async fn the_first_configured_alternative_is_applied() {
    const EITHER: &[&[&str]] = &[&["bearerAuth"], &["keyHeader", "keyQuery"]];
    // Only the second alternative is configured: both its keys are sent, no bearer token.
    let got = received(
        |b| {
            b.token_for("keyHeader", API_KEY)
                .token_for("keyQuery", API_KEY)
        },
        AuthMode::Required,
        EITHER,
    )
    .await;
    assert_eq!(
        credentials_in(&got),
        [
            None,
            Some(API_KEY.to_owned()),
            None,
            Some(format!("api_key={API_KEY}"))
        ]
    );
    // Both configured: the first alternative only.
    let got = received(
        |b| {
            b.token_for("bearerAuth", TOKEN)
                .token_for("keyHeader", API_KEY)
                .token_for("keyQuery", API_KEY)
        },
        AuthMode::Required,
        EITHER,
    )
    .await;
    assert_eq!(
        credentials_in(&got),
        [Some(format!("Bearer {TOKEN}")), None, None, None]
    );
    // Half of an AND alternative is not enough for it.
    let server = api_server().await;
    let core = client(&server)
        .token_for("keyHeader", API_KEY)
        .build_core()
        .unwrap();
    let err = core
        .execute::<()>(request(AuthMode::Required, EITHER), CallOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        Error::Build(BuildError::NoCredentials { .. })
    ));
}

#[tokio::test]
async fn none_configured_is_an_error_naming_the_operation_and_schemes_and_nothing_is_sent() {
    let server = api_server().await;
    let core = client(&server).build_core().unwrap();
    let err = core
        .execute::<()>(
            request(
                AuthMode::Required,
                &[&["bearerAuth"], &["keyHeader", "keyQuery"]],
            ),
            CallOptions::default(),
        )
        .await
        .unwrap_err();
    let Error::Build(BuildError::NoCredentials {
        operation_id,
        accepted,
    }) = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*operation_id, "getThing");
    assert_eq!(accepted, "`bearerAuth`, or `keyHeader` and `keyQuery`");
    assert!(err.to_string().contains("getThing"), "{err}");
    assert!(requests_to(&server, "/prefix/things").await.is_empty());
}

#[tokio::test]
async fn an_empty_alternative_or_no_security_sends_nothing() {
    // `[{bearerAuth}, {}]` without a token: optional, sent bare.
    let got = received(
        |b| b.credentials("k", "s"),
        AuthMode::Optional,
        &[&["bearerAuth"], &[]],
    )
    .await;
    assert_eq!(credentials_in(&got), [None, None, None, None]);
    // `security: []`: never sent, even with everything configured.
    let got = received(
        |b| b.credentials("k", "s").token_for("bearerAuth", TOKEN),
        AuthMode::None,
        &[],
    )
    .await;
    assert_eq!(credentials_in(&got), [None, None, None, None]);
    // With the token, the optional operation sends it.
    let got = received(
        |b| b.token_for("bearerAuth", TOKEN),
        AuthMode::Optional,
        &[&["bearerAuth"], &[]],
    )
    .await;
    assert_eq!(
        header_of(&got, "authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
}

#[tokio::test]
async fn an_api_key_cookie_joins_the_cookies_already_set() {
    let got = received(
        |b| {
            b.default_header(
                cld_provisioning_runtime::http::header::COOKIE,
                cld_provisioning_runtime::http::HeaderValue::from_static("theme=dark"),
            )
            .token_for("keyCookie", API_KEY)
        },
        AuthMode::Required,
        &[&["keyCookie"]],
    )
    .await;
    assert_eq!(
        header_of(&got, "cookie"),
        Some(format!("theme=dark; session={API_KEY}").as_str())
    );
}

#[tokio::test]
async fn a_token_provider_is_asked_on_every_attempt_and_its_failure_is_typed() {
    let server = MockServer::start().await;
    Mock::given(path("/prefix/things"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/prefix/things"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    let asked = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&asked);
    let core = client(&server)
        .token_provider_for(
            "bearerAuth",
            provide_token_fn(move || {
                let n = counter.fetch_add(1, Ordering::SeqCst);
                async move { Ok(SecretString::new(format!("{TOKEN}-{n}"))) }
            }),
        )
        .build_core()
        .unwrap();
    core.execute::<()>(
        request(AuthMode::Required, &[&["bearerAuth"]]),
        CallOptions::default(),
    )
    .await
    .unwrap();
    let auth: Vec<String> = requests_to(&server, "/prefix/things")
        .await
        .iter()
        .filter_map(|r| header_of(r, "authorization").map(str::to_owned))
        .collect();
    assert_eq!(
        auth,
        [format!("Bearer {TOKEN}-0"), format!("Bearer {TOKEN}-1")]
    );

    let failing = client(&server)
        .token_provider_for(
            "bearerAuth",
            provide_token_fn(|| async { Err(CredentialsError::new("vault sealed")) }),
        )
        .build_core()
        .unwrap();
    let before = requests_to(&server, "/prefix/things").await.len();
    let err = failing
        .execute::<()>(
            request(AuthMode::Required, &[&["bearerAuth"]]),
            CallOptions::default(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Build(BuildError::CredentialsUnavailable { scheme: "bearerAuth", source }) if source.message() == "vault sealed"),
        "{err:?}"
    );
    assert_eq!(requests_to(&server, "/prefix/things").await.len(), before);
}

#[tokio::test]
async fn an_async_basic_provider_failure_is_typed() {
    let server = api_server().await;
    let core = builder(&server, &Sleeps::default())
        .credentials_provider(provide_credentials_fn(|| async {
            Err::<Credentials, _>(CredentialsError::new("metadata service timed out"))
        }))
        .build_core()
        .unwrap();
    let mut req = OperationRequest::new(
        Method::GET,
        "getThing",
        AuthMode::Required,
        RetryClass::Idempotent,
    );
    req.push_literal("things");
    let err = core
        .execute::<()>(req, CallOptions::default())
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("metadata service timed out"),
        "{err}"
    );
    assert!(matches!(
        err,
        Error::Build(BuildError::CredentialsUnavailable {
            scheme: "basic",
            ..
        })
    ));
    assert!(requests_to(&server, "/prefix/things").await.is_empty());
}

#[tokio::test]
async fn configuration_mistakes_are_named() {
    let server = api_server().await;
    let err = client(&server)
        .token_for("nope", TOKEN)
        .build_core()
        .unwrap_err();
    assert!(matches!(&err, ConfigError::UnknownSecurityScheme { scheme } if scheme == "nope"));
    let err = client(&server)
        .token_for("basicAuth", TOKEN)
        .build_core()
        .unwrap_err();
    assert!(
        matches!(
            err,
            ConfigError::WrongSchemeCredentials {
                scheme: "basicAuth",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "security scheme `basicAuth` needs a user name and password, but a token was set"
    );
    assert!(!format!("{err} {err:?}").contains(TOKEN));
    let err = client(&server)
        .basic_credentials_for("oauth", "user", CLIENT_SECRET)
        .build_core()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "security scheme `oauth` needs OAuth2 client credentials, but a user name and password was set"
    );
    let err = client(&server)
        .client_credentials_for("bearerAuth", ClientCredentials::new("id", CLIENT_SECRET))
        .build_core()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "security scheme `bearerAuth` needs a bearer token, but OAuth2 client credentials was set"
    );
    assert!(!format!("{err} {err:?}").contains(CLIENT_SECRET));
    let err = client(&server)
        .client_credentials_for("keyHeader", ClientCredentials::new("id", CLIENT_SECRET))
        .build_core()
        .unwrap_err();
    assert!(err.to_string().contains("needs an API key"), "{err}");
}

/// A token endpoint at `/prefix/oauth/token` answering `token` with `expires_in`.
fn token_answer(token: &str, expires_in: u64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({
        "access_token": token,
        "token_type": "Bearer",
        "expires_in": expires_in,
    }))
}

/// A token endpoint answering `tokens` in turn, each once, and then the last one for good.
async fn token_endpoint(server: &MockServer, tokens: &[(&str, u64)]) {
    for (i, (token, expires_in)) in tokens.iter().enumerate() {
        let mock =
            Mock::given(path("/prefix/oauth/token")).respond_with(token_answer(token, *expires_in));
        let mock = if i + 1 < tokens.len() {
            mock.up_to_n_times(1)
        } else {
            mock
        };
        mock.mount(server).await;
    }
}

/// The `Authorization` of every request the API received, in order.
async fn authorizations(server: &MockServer) -> Vec<String> {
    requests_to(server, "/prefix/things")
        .await
        .iter()
        .map(|r| header_of(r, "authorization").unwrap_or_default().to_owned())
        .collect()
}

fn oauth_client(server: &MockServer) -> Core {
    client(server)
        .client_credentials_for("oauth", ClientCredentials::new("my-client", CLIENT_SECRET))
        .build_core()
        .unwrap()
}

async fn call_oauth(core: &Core) -> Result<(), Error<()>> {
    call(core, &[&["oauth"]]).await
}

/// One call of `getThing` with these alternatives, its response decoded as empty.
async fn call(core: &Core, security: Alternatives) -> Result<(), Error<()>> {
    core.execute::<()>(
        request(AuthMode::Required, security),
        CallOptions::default(),
    )
    .await?
    .into_unit::<()>()
    .map(drop)
}

#[tokio::test]
async fn an_oauth2_token_is_fetched_once_for_concurrent_calls_and_cached() {
    let server = api_server().await;
    Mock::given(method("POST"))
        .and(path("/prefix/oauth/token"))
        // Slow enough that every call finds the fetch under way.
        .respond_with(token_answer("tok-1", 3600).set_delay(Duration::from_millis(200)))
        .mount(&server)
        .await;
    let core = oauth_client(&server);
    let calls: Vec<_> = (0..8)
        .map(|_| {
            let core = core.clone();
            tokio::spawn(async move { call_oauth(&core).await })
        })
        .collect();
    for call in calls {
        tokio::time::timeout(Duration::from_secs(10), call)
            .await
            .unwrap()
            .unwrap()
            .unwrap();
    }
    call_oauth(&core).await.unwrap();
    let token_requests = requests_to(&server, "/prefix/oauth/token").await;
    assert_eq!(token_requests.len(), 1);
    let t = &token_requests[0];
    use base64::Engine as _;
    let client_auth = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("my-client:{CLIENT_SECRET}"))
    );
    assert_eq!(header_of(t, "authorization"), Some(client_auth.as_str()));
    assert_eq!(
        header_of(t, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        std::str::from_utf8(&t.body).unwrap(),
        "grant_type=client_credentials&scope=read%20write"
    );
    let api = requests_to(&server, "/prefix/things").await;
    assert_eq!(api.len(), 9);
    assert!(
        api.iter()
            .all(|r| header_of(r, "authorization") == Some("Bearer tok-1"))
    );
}

#[tokio::test]
async fn an_expired_oauth2_token_is_refreshed() {
    let server = api_server().await;
    token_endpoint(&server, &[("tok-1", 1), ("tok-2", 3600)]).await;
    let core = oauth_client(&server);
    call_oauth(&core).await.unwrap();
    call_oauth(&core).await.unwrap();
    // `expires_in: 1` is fresh for 0.75 s (a quarter is kept as margin).
    tokio::time::sleep(Duration::from_millis(900)).await;
    call_oauth(&core).await.unwrap();
    assert_eq!(requests_to(&server, "/prefix/oauth/token").await.len(), 2);
    assert_eq!(
        authorizations(&server).await,
        ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]
    );
}

#[tokio::test]
async fn a_rejected_oauth2_token_is_refetched_once() {
    let server = MockServer::start().await;
    Mock::given(path("/prefix/things"))
        .and(header("authorization", "Bearer tok-1"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    Mock::given(path("/prefix/things"))
        .and(header("authorization", "Bearer tok-2"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    token_endpoint(
        &server,
        &[("tok-1", 3600), ("tok-2", 3600), ("tok-1", 3600)],
    )
    .await;
    let core = oauth_client(&server);
    call_oauth(&core).await.unwrap();
    assert_eq!(
        authorizations(&server).await,
        ["Bearer tok-1", "Bearer tok-2"]
    );
    assert_eq!(requests_to(&server, "/prefix/oauth/token").await.len(), 2);

    // A token the API keeps rejecting: fetched again once, then the 401 is the answer.
    let server = MockServer::start().await;
    Mock::given(path("/prefix/things"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    token_endpoint(&server, &[("tok-1", 3600)]).await;
    let core = oauth_client(&server);
    let err = call_oauth(&core).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401), "{err:?}");
    assert_eq!(requests_to(&server, "/prefix/things").await.len(), 2);
    assert_eq!(requests_to(&server, "/prefix/oauth/token").await.len(), 2);
}

#[tokio::test]
async fn a_token_endpoint_failure_is_typed_and_never_shows_the_secret() {
    let server = api_server().await;
    Mock::given(path("/prefix/oauth/token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "error": "invalid_client",
            "error_description": format!("client secret {CLIENT_SECRET} is wrong"),
        })))
        .mount(&server)
        .await;
    let core = oauth_client(&server);
    let err = call_oauth(&core).await.unwrap_err();
    let shown = format!("{err} | {err:?} | {:?}", std::error::Error::source(&err));
    assert!(!shown.contains(CLIENT_SECRET), "{shown}");
    assert!(shown.contains("invalid_client"), "{shown}");
    assert!(shown.contains("401"), "{shown}");
    assert!(
        matches!(
            &err,
            Error::Build(BuildError::CredentialsUnavailable {
                scheme: "oauth",
                ..
            })
        ),
        "{err:?}"
    );
    assert!(requests_to(&server, "/prefix/things").await.is_empty());
}

#[tokio::test]
async fn secrets_never_show_in_debug_display_or_echoed_errors() {
    let server = MockServer::start().await;
    // A server that repeats what it was sent in its error body and a header.
    Mock::given(path("/prefix/things"))
        .respond_with(
            ResponseTemplate::new(400)
                .insert_header("x-echo", format!("{TOKEN} {API_KEY}").as_str())
                .set_body_string(format!(
                    r#"{{"error":{{"message":"bad token {TOKEN}, key {API_KEY}, secret {CLIENT_SECRET}"}}}}"#
                )),
        )
        .mount(&server)
        .await;
    token_endpoint(&server, &[(TOKEN, 3600)]).await;
    let b = client(&server)
        .token_for("keyQuery", API_KEY)
        .token_for("bearerAuth", TOKEN)
        .client_credentials_for("oauth", ClientCredentials::new("id", CLIENT_SECRET));
    let shown_builder = format!("{b:?}");
    let core = b.build_core().unwrap();
    let mut shown = vec![shown_builder, format!("{core:?}")];
    const ALTERNATIVES: [&[&[&str]]; 3] = [&[&["bearerAuth"]], &[&["keyQuery"]], &[&["oauth"]]];
    for security in ALTERNATIVES {
        let err = call(&core, security).await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
        shown.push(format!("{err} | {err:?}"));
    }
    for s in shown {
        for secret in [TOKEN, API_KEY, CLIENT_SECRET] {
            assert!(!s.contains(secret), "{secret} in {s}");
        }
    }
}

#[tokio::test]
async fn echoed_client_credentials_are_masked_for_operations_that_name_no_scheme() {
    const KEY: &str = "key-123456";
    let server = MockServer::start().await;
    Mock::given(path("/prefix/things"))
        .respond_with(ResponseTemplate::new(400).set_body_string(format!(
            r#"{{"error":{{"message":"bad credentials {KEY}:{CLIENT_SECRET}"}}}}"#
        )))
        .mount(&server)
        .await;
    // No scheme table: the historic HTTP Basic path.
    let core = builder(&server, &Sleeps::default())
        .credentials(KEY, CLIENT_SECRET)
        .build_core()
        .unwrap();
    let mut req = OperationRequest::new(
        Method::GET,
        "getThing",
        AuthMode::Required,
        RetryClass::Idempotent,
    );
    req.push_literal("things");
    let err = core
        .execute::<()>(req, CallOptions::default())
        .await
        .unwrap()
        .into_unit::<()>()
        .unwrap_err();
    let shown = format!("{err} | {err:?}");
    assert!(!shown.contains(CLIENT_SECRET), "{shown}");
    assert!(shown.contains("bad credentials ***"), "{shown}");
}

#[tokio::test]
async fn token_answers_are_read_up_to_64_kib() {
    // A long token (JWTs carry claims) padded to exactly the limit is read whole.
    let token = "t".repeat(4000);
    let mut body = serde_json::json!({"access_token": token, "expires_in": 60}).to_string();
    body.push_str(&" ".repeat(64 * 1024 - body.len()));
    let server = api_server().await;
    Mock::given(path("/prefix/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_string(body))
        .mount(&server)
        .await;
    call_oauth(&oauth_client(&server)).await.unwrap();
    assert_eq!(authorizations(&server).await, [format!("Bearer {token}")]);
    // One byte more is refused, and says why.
    let server = api_server().await;
    let mut body = serde_json::json!({"access_token": "t"}).to_string();
    body.push_str(&" ".repeat(64 * 1024 + 1 - body.len()));
    Mock::given(path("/prefix/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_string(body))
        .mount(&server)
        .await;
    let err = call_oauth(&oauth_client(&server)).await.unwrap_err();
    assert!(err.to_string().contains("larger than 65536 bytes"), "{err}");
}
