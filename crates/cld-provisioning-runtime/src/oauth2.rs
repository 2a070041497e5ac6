//! OAuth2 client credentials (RFC 6749 §4.4): the runtime fetches an access token from the
//! scheme's token URL with the client id and secret, caches it until shortly before it
//! expires, and fetches a new one when it has (or after the API rejected it with a 401).
//!
//! One fetch at a time per scheme: the cache sits behind an async mutex held across the
//! fetch, so N concurrent calls that find no valid token make one request to the token
//! endpoint and all use its answer. The client authenticates with HTTP Basic
//! (`client_secret_basic`, the method every server must support, RFC 6749 §2.3.1).
//! Errors name the scheme and the token endpoint's status and `error` code; never the
//! client secret, the token or the endpoint's free-text description (a server may echo
//! what it was sent there).

use std::fmt;
use std::time::{Duration, Instant};

use base64::Engine as _;
use http::HeaderValue;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use serde::Deserialize;

use crate::credentials::CredentialsError;
use crate::error::BuildError;
use crate::query::encode_component;
use crate::secret::SecretString;

/// The most of a token endpoint's answer that is read.
const MAX_TOKEN_RESPONSE: usize = 64 * 1024;

/// The longest a token is considered fresh before its `expires_in` runs out, so a request
/// never leaves with a token that expires on the way.
const MAX_EXPIRY_MARGIN: Duration = Duration::from_secs(30);

/// An OAuth2 client's id and secret, for a scheme with a client-credentials flow.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientCredentials {
    client_id: String,
    client_secret: SecretString,
    scopes: Option<Vec<String>>,
}

impl ClientCredentials {
    /// Client id and secret. The scopes requested default to those the API's operations
    /// require of the scheme (see [`ClientCredentials::scopes`]).
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<SecretString>) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            scopes: None,
        }
    }

    /// Requests exactly these scopes (none: the `scope` parameter is left out and the
    /// server grants its default).
    pub fn scopes<I, S>(mut self, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.scopes = Some(scopes.into_iter().map(Into::into).collect());
        self
    }

    /// The client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The client secret.
    pub fn client_secret(&self) -> &SecretString {
        &self.client_secret
    }
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("scopes", &self.scopes)
            .finish()
    }
}

/// A token and when to stop using it.
#[derive(Clone, Debug)]
struct CachedToken {
    token: SecretString,
    /// `None`: the server gave no `expires_in`; used until the API rejects it.
    refresh_at: Option<Instant>,
}

/// The token endpoint's answer (RFC 6749 §5.1). `expires_in` is a number, though some
/// servers send it as a string.
#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    token_type: Option<String>,
    #[serde(default)]
    expires_in: Option<serde_json::Value>,
}

/// The error answer (RFC 6749 §5.2); only its code is shown.
#[derive(Deserialize)]
struct TokenErrorResponse {
    error: String,
}

/// The token fetcher and cache of one OAuth2 scheme.
pub(crate) struct OAuthClient {
    scheme: &'static str,
    token_url: reqwest::Url,
    credentials: ClientCredentials,
    /// The `scope` parameter, space-separated; `None` to leave it out.
    scope: Option<String>,
    cache: tokio::sync::Mutex<Option<CachedToken>>,
}

impl fmt::Debug for OAuthClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthClient")
            .field("scheme", &self.scheme)
            .field("token_url", &self.token_url.as_str())
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

impl OAuthClient {
    /// A client for `scheme`; `default_scopes` are requested unless the credentials name
    /// their own.
    pub(crate) fn new(
        scheme: &'static str,
        token_url: reqwest::Url,
        credentials: ClientCredentials,
        default_scopes: &[&str],
    ) -> Self {
        let scopes: Vec<&str> = match &credentials.scopes {
            Some(own) => own.iter().map(String::as_str).collect(),
            None => default_scopes.to_vec(),
        };
        let scope = (!scopes.is_empty()).then(|| scopes.join(" "));
        Self {
            scheme,
            token_url,
            credentials,
            scope,
            cache: tokio::sync::Mutex::new(None),
        }
    }

    /// The client secret, for the echo mask.
    pub(crate) fn client_secret(&self) -> &SecretString {
        &self.credentials.client_secret
    }

    /// A valid access token: the cached one, or a new one fetched now (once, however many
    /// calls are waiting for it).
    pub(crate) async fn token(
        &self,
        http: &reqwest::Client,
        timeout: Duration,
    ) -> Result<SecretString, BuildError> {
        let mut cache = self.cache.lock().await;
        if let Some(cached) = cache.as_ref() {
            if cached.refresh_at.is_none_or(|at| Instant::now() < at) {
                return Ok(cached.token.clone());
            }
        }
        let fetched = self.fetch(http, timeout).await.map_err(|source| {
            BuildError::CredentialsUnavailable {
                scheme: self.scheme,
                source,
            }
        })?;
        let token = fetched.token.clone();
        *cache = Some(fetched);
        Ok(token)
    }

    /// Forgets `rejected` (the API answered 401 to it), unless another call already replaced it.
    pub(crate) async fn invalidate(&self, rejected: &SecretString) {
        let mut cache = self.cache.lock().await;
        if cache.as_ref().is_some_and(|c| &c.token == rejected) {
            *cache = None;
        }
    }

    /// One exchange with the token endpoint.
    async fn fetch(
        &self,
        http: &reqwest::Client,
        timeout: Duration,
    ) -> Result<CachedToken, CredentialsError> {
        let mut body = String::from("grant_type=client_credentials");
        if let Some(scope) = &self.scope {
            body.push_str("&scope=");
            body.push_str(&encode_component(scope));
        }
        let started = Instant::now();
        let response = http
            .post(self.token_url.clone())
            .header(AUTHORIZATION, self.client_authorization()?)
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(
                CONTENT_TYPE,
                HeaderValue::from_static("application/x-www-form-urlencoded"),
            )
            .body(body)
            .timeout(timeout)
            .send()
            .await
            .map_err(|e| {
                CredentialsError::with_source(
                    "could not reach the OAuth2 token endpoint",
                    e.without_url(),
                )
            })?;
        let status = response.status();
        let bytes = read_limited(response).await?;
        if !status.is_success() {
            let code = serde_json::from_slice::<TokenErrorResponse>(&bytes)
                .ok()
                .map(|e| e.error)
                .filter(|c| is_error_code(c));
            return Err(CredentialsError::new(match code {
                Some(code) => format!("the OAuth2 token endpoint answered {status} ({code})"),
                None => format!("the OAuth2 token endpoint answered {status}"),
            }));
        }
        parse_token(&bytes, started)
    }

    /// `Basic base64(urlencode(id):urlencode(secret))`, as RFC 6749 §2.3.1 spells it.
    fn client_authorization(&self) -> Result<HeaderValue, CredentialsError> {
        let raw = format!(
            "{}:{}",
            encode_component(&self.credentials.client_id),
            encode_component(self.credentials.client_secret.expose_secret())
        );
        let encoded = base64::engine::general_purpose::STANDARD.encode(raw);
        crate::credentials::sensitive_header(&format!("Basic {encoded}"), "authorization")
            .map_err(|_| CredentialsError::new("the OAuth2 client id or secret is not valid"))
    }
}

/// The body of a token endpoint answer, at most [`MAX_TOKEN_RESPONSE`] bytes.
async fn read_limited(mut response: reqwest::Response) -> Result<Vec<u8>, CredentialsError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| {
        CredentialsError::with_source(
            "the OAuth2 token endpoint's answer broke off",
            e.without_url(),
        )
    })? {
        if bytes.len() + chunk.len() > MAX_TOKEN_RESPONSE {
            return Err(CredentialsError::new(format!(
                "the OAuth2 token endpoint's answer is larger than {MAX_TOKEN_RESPONSE} bytes"
            )));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// An RFC 6749 error code is short printable ASCII without quotes or backslashes; anything
/// else is not repeated.
fn is_error_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 64
        && code
            .bytes()
            .all(|b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\')
}

/// The token of a successful answer, fresh until shortly before `expires_in` (counted from
/// when the request was sent, so the time on the wire is not counted as validity).
fn parse_token(bytes: &[u8], requested: Instant) -> Result<CachedToken, CredentialsError> {
    let invalid = |why: &str| {
        CredentialsError::new(format!(
            "the OAuth2 token endpoint's answer is not valid: {why}"
        ))
    };
    let parsed: TokenResponse = serde_json::from_slice(bytes)
        .map_err(|_| invalid("expected a JSON object with an access_token string"))?;
    if parsed.access_token.is_empty() {
        return Err(invalid("the access_token is empty"));
    }
    if let Some(kind) = &parsed.token_type {
        if !kind.eq_ignore_ascii_case("bearer") {
            return Err(invalid("the token_type is not Bearer"));
        }
    }
    let expires_in = match &parsed.expires_in {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::Number(n)) => n.as_f64(),
        Some(serde_json::Value::String(s)) => s.trim().parse::<f64>().ok(),
        Some(_) => return Err(invalid("expires_in is not a number")),
    };
    let refresh_at = match expires_in {
        None => None,
        Some(secs) if secs.is_finite() && secs >= 0.0 => {
            let lifetime = Duration::from_secs_f64(secs.min(1e9));
            let margin = (lifetime / 4).min(MAX_EXPIRY_MARGIN);
            Some(requested + (lifetime - margin))
        }
        Some(_) => return Err(invalid("expires_in is not a number of seconds")),
    };
    Ok(CachedToken {
        token: SecretString::new(parsed.access_token),
        refresh_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_token_and_its_expiry() {
        let now = Instant::now();
        let t = parse_token(
            br#"{"access_token":"tok","token_type":"bearer","expires_in":100}"#,
            now,
        )
        .unwrap();
        assert_eq!(t.token.expose_secret(), "tok");
        // 100 s minus a margin of 25 s (a quarter, under the 30 s cap).
        assert_eq!(t.refresh_at, Some(now + Duration::from_secs(75)));
        let t = parse_token(br#"{"access_token":"tok","expires_in":"3600"}"#, now).unwrap();
        assert_eq!(t.refresh_at, Some(now + Duration::from_secs(3570)));
        let t = parse_token(br#"{"access_token":"tok"}"#, now).unwrap();
        assert_eq!(t.refresh_at, None);
    }

    #[test]
    fn refuses_bad_token_answers_without_repeating_them() {
        for body in [
            &br#"{"token_type":"bearer"}"#[..],
            br#"{"access_token":""}"#,
            br#"{"access_token":"SECRETTOKEN","token_type":"mac"}"#,
            br#"{"access_token":"SECRETTOKEN","expires_in":-1}"#,
            br#"{"access_token":"SECRETTOKEN","expires_in":[1]}"#,
            b"not json",
        ] {
            let err = parse_token(body, Instant::now()).unwrap_err();
            assert!(!err.to_string().contains("SECRETTOKEN"), "{err}");
            assert!(err.to_string().contains("not valid"), "{err}");
        }
    }

    #[test]
    fn error_codes_are_shown_only_when_they_look_like_codes() {
        assert!(is_error_code("invalid_client"));
        assert!(!is_error_code(""));
        assert!(!is_error_code("a\"b"));
        assert!(!is_error_code("line\nbreak"));
        assert!(!is_error_code(&"x".repeat(65)));
        assert!(is_error_code(&"x".repeat(64)));
    }

    #[test]
    fn scopes_default_to_the_schemes_and_can_be_replaced() {
        let url = reqwest::Url::parse("https://auth.example/token").unwrap();
        let c = OAuthClient::new(
            "oauth",
            url.clone(),
            ClientCredentials::new("id", "secret"),
            &["read", "write"],
        );
        assert_eq!(c.scope.as_deref(), Some("read write"));
        let c = OAuthClient::new(
            "oauth",
            url.clone(),
            ClientCredentials::new("id", "secret").scopes(["admin"]),
            &["read"],
        );
        assert_eq!(c.scope.as_deref(), Some("admin"));
        let c = OAuthClient::new(
            "oauth",
            url,
            ClientCredentials::new("id", "secret").scopes(Vec::<String>::new()),
            &["read"],
        );
        assert_eq!(c.scope, None);
        assert!(!format!("{c:?}").contains("secret\""), "{c:?}");
    }

    #[test]
    fn debug_shows_the_client_id_and_hides_the_secret() {
        let c = ClientCredentials::new("my-client", "S3CR3T-value").scopes(["read"]);
        assert_eq!(c.client_id(), "my-client");
        assert_eq!(c.client_secret().expose_secret(), "S3CR3T-value");
        assert_eq!(
            format!("{c:?}"),
            r#"ClientCredentials { client_id: "my-client", client_secret: ***, scopes: Some(["read"]) }"#
        );
        let url = reqwest::Url::parse("https://auth.example/token").unwrap();
        let client = OAuthClient::new("oauth", url, c, &[]);
        let shown = format!("{client:?}");
        assert!(
            shown.starts_with(r#"OAuthClient { scheme: "oauth", token_url: "https://auth.example/token", credentials: ClientCredentials { client_id: "my-client""#),
            "{shown}"
        );
        assert!(!shown.contains("S3CR3T"), "{shown}");
    }

    #[test]
    fn client_authorization_encodes_id_and_secret() {
        let url = reqwest::Url::parse("https://auth.example/token").unwrap();
        let c = OAuthClient::new("o", url, ClientCredentials::new("a b", "s:t"), &[]);
        let v = c.client_authorization().unwrap();
        assert!(v.is_sensitive());
        let want = base64::engine::general_purpose::STANDARD.encode("a%20b:s%3At");
        assert_eq!(v, format!("Basic {want}").as_str());
    }
}
