//! [`OperationRequest`]: what generated code hands to [`Core::execute`](crate::engine::Core::execute).

use bytes::Bytes;
use http::{HeaderName, HeaderValue, Method};
use serde::Serialize;

use crate::error::{BuildError, JsonError};
use crate::query::{QueryPairs, QueryValue, encode_component, push_component};

/// Whether an operation authenticates: with the client's HTTP Basic credentials, or with the
/// first configured alternative of [`OperationRequest::set_security`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuthMode {
    /// Credentials are needed; without them the call fails before sending
    /// ([`BuildError::MissingCredentials`]).
    Required,
    /// Sent when credentials are configured, skipped otherwise (the public permission endpoints).
    Optional,
    /// Never sent, even when configured (agent account creation).
    None,
}

/// How safe an operation is to send twice; drives [`retry::classify`](crate::retry::classify).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RetryClass {
    /// Repeating it has the same effect as sending it once (GET, PUT, DELETE, ...).
    Idempotent,
    /// A second copy may act twice (POST, PATCH): retried only when it provably never left,
    /// or when the server said it was throttled.
    NonIdempotent,
    /// Never repeated, except when the connection could not even be opened, or on throttling
    /// when [`RetryConfig::with_retry_throttled_never`](crate::RetryConfig::with_retry_throttled_never)
    /// opts in.
    Never,
}

/// One piece of the request path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PathPart {
    /// Literal segments from the spec, already valid in a URL.
    Literal(&'static str),
    /// The account id, resolved at send time.
    AccountId,
    /// A path parameter, already percent-encoded.
    Param(String),
    /// Literal text continuing the previous segment (`.json` in `/files/{id}.json`).
    JoinedLiteral(&'static str),
    /// A path parameter continuing the previous segment (`{b}` in `/{a}-{b}`).
    JoinedParam(String),
}

/// A fully described call of one operation, before credentials, server and account id are known.
#[derive(Clone)]
pub struct OperationRequest {
    pub(crate) method: Method,
    pub(crate) operation_id: &'static str,
    pub(crate) auth: AuthMode,
    /// The security alternatives (OR) of scheme names (AND); `None`: the client's Basic
    /// credentials.
    pub(crate) security: Option<&'static [&'static [&'static str]]>,
    pub(crate) retry: RetryClass,
    pub(crate) path: Vec<PathPart>,
    pub(crate) query: QueryPairs,
    pub(crate) body: Option<Bytes>,
    /// The body's `Content-Type`; `None` for JSON (see `request_body` for the other kinds).
    pub(crate) content_type: Option<HeaderValue>,
    /// The `Accept` header; `None` for `application/json`.
    pub(crate) accept: Option<HeaderValue>,
    pub(crate) headers: http::HeaderMap,
    /// Why a path parameter is unusable (for example an empty id); reported by `execute` as
    /// [`BuildError::InvalidPathParameter`] before anything is sent, so `push_param` can stay
    /// infallible.
    pub(crate) deferred_error: Option<&'static str>,
    /// Whether a 2xx body is handed to the caller unread ([`RawResponse::into_stream`]).
    ///
    /// [`RawResponse::into_stream`]: crate::response::RawResponse::into_stream
    pub(crate) stream_success: bool,
    /// A multipart form with parts still to read, encoded when the call is sent.
    pub(crate) pending_multipart: Option<crate::Multipart>,
}

impl OperationRequest {
    /// Starts a request for the operation `operation_id` (the spec's operationId, used in logs
    /// and errors).
    pub fn new(
        method: Method,
        operation_id: &'static str,
        auth: AuthMode,
        retry: RetryClass,
    ) -> Self {
        Self {
            method,
            operation_id,
            auth,
            security: None,
            retry,
            path: Vec::new(),
            query: QueryPairs::new(),
            body: None,
            content_type: None,
            accept: None,
            headers: http::HeaderMap::new(),
            deferred_error: None,
            stream_success: false,
            pending_multipart: None,
        }
    }

    /// Sets the security schemes the operation accepts: alternatives (the first whose
    /// credentials are all configured is applied), each a list of scheme names from
    /// [`ClientBuilder::security_schemes`](crate::ClientBuilder::security_schemes) that are
    /// applied together; an empty alternative sends no credentials.
    pub fn set_security(&mut self, alternatives: &'static [&'static [&'static str]]) {
        self.security = Some(alternatives);
    }

    /// Appends literal path segments from the spec (`"v1_1/provisioning/accounts"`), unencoded.
    pub fn push_literal(&mut self, segments: &'static str) {
        let trimmed = segments.trim_matches('/');
        if !trimmed.is_empty() {
            self.path.push(PathPart::Literal(trimmed));
        }
    }

    /// Appends literal text to the last segment, without a `/` (`.json` after the `{id}` of
    /// `/files/{id}.json`, `:cancel` after `{name}`).
    pub fn push_literal_joined(&mut self, text: &'static str) {
        if !text.is_empty() {
            self.path.push(PathPart::JoinedLiteral(text));
        }
    }

    /// Appends a path parameter to the last segment, without a `/`, percent-encoded like
    /// [`push_param`](Self::push_param); an empty value fails the call before anything is sent
    /// (`/files/.json` would address another resource).
    pub fn push_param_joined(&mut self, value: &str) {
        if let Err(reason) = check_segment(value) {
            self.deferred_error.get_or_insert(reason);
        }
        self.path
            .push(PathPart::JoinedParam(encode_component(value)));
    }

    /// Appends the account id segment. It is resolved when the request is sent: the per-call
    /// override first, then the client configuration, else [`BuildError::MissingAccountId`].
    pub fn push_account_id(&mut self) {
        self.path.push(PathPart::AccountId);
    }

    /// Appends one path parameter as a single, fully percent-encoded segment
    /// (`a/b c?d` -> `a%2Fb%20c%3Fd`).
    ///
    /// An empty value, `.` or `..` would address another resource once the URL is normalised
    /// (`users/` lists users instead of getting one), so such values make the call fail with
    /// [`BuildError::InvalidPathParameter`] before anything is sent.
    pub fn push_param(&mut self, value: &str) {
        if let Err(reason) = check_segment(value) {
            // Keep the first problem: it is the one the caller's code reached first.
            self.deferred_error.get_or_insert(reason);
        }
        self.path.push(PathPart::Param(encode_component(value)));
    }

    /// Appends path parameter `name` as one segment laid out in `style` (`label`, `matrix`,
    /// or `simple` holding an array or object; see [`crate::params::path_segment`]).
    ///
    /// Like [`push_param`](Self::push_param), a segment that would be empty, `.` or `..`
    /// (an empty value, an empty array) makes the call fail before anything is sent.
    pub fn push_param_styled<T: Serialize>(
        &mut self,
        name: &str,
        value: &T,
        style: crate::params::PathStyle,
    ) -> Result<(), BuildError> {
        let value = crate::params::to_json(name, value)?;
        let segment = crate::params::path_segment(name, &value, style);
        if let Err(reason) = check_segment(&segment) {
            self.deferred_error.get_or_insert(reason);
        }
        self.path.push(PathPart::Param(segment));
        Ok(())
    }

    /// Leaves a 2xx body unread, for the caller to stream with
    /// [`RawResponse::into_stream`](crate::response::RawResponse::into_stream): for downloads that should
    /// not sit in memory whole. The attempt timeout then bounds the wait for the status and
    /// headers only; see [`ByteStream`](crate::ByteStream) for what retry means afterwards.
    pub fn stream_success_body(&mut self) {
        self.stream_success = true;
    }

    /// Adds a query parameter (`form`, `explode`): arrays repeat the key, `None` is omitted.
    pub fn query(&mut self, name: &str, value: &impl QueryValue) {
        value.push_to(name, &mut self.query);
    }

    /// Adds a `content: application/json` query parameter: the value's JSON text, URL-encoded
    /// (`["folder_id"]` -> `%5B%22folder_id%22%5D`). `None` is omitted.
    pub fn query_json<T: Serialize>(
        &mut self,
        name: &str,
        value: &Option<T>,
    ) -> Result<(), BuildError> {
        if let Some(v) = value {
            let text = serde_json::to_string(v).map_err(|source| BuildError::Serialize {
                what: format!("query parameter `{name}`"),
                source: JsonError::from(source),
            })?;
            self.query.push(name, &text);
        }
        Ok(())
    }

    /// Adds a query parameter in a style other than `form` with `explode` (objects, delimited
    /// arrays, `deepObject`; see [`crate::params`]). `None` sends nothing.
    pub fn query_styled<T: Serialize>(
        &mut self,
        name: &str,
        value: &T,
        style: crate::params::QueryStyle,
    ) -> Result<(), BuildError> {
        let value = crate::params::to_json(name, value)?;
        crate::params::push_query(&mut self.query, name, &value, style);
        Ok(())
    }

    /// Sets a header parameter (`simple` style). `None` sends nothing. A value that cannot be
    /// a header fails the call before anything is sent, naming the header (never the value);
    /// headers whose names suggest a credential are marked sensitive, so they never print.
    pub fn header_param<T: Serialize>(&mut self, name: &str, value: &T) -> Result<(), BuildError> {
        let value = crate::params::to_json(name, value)?;
        let Some(text) = crate::params::simple_text(&value) else {
            return Ok(());
        };
        let invalid = || BuildError::InvalidHeader {
            name: name.to_owned(),
        };
        let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?;
        let mut value = HeaderValue::from_str(&text).map_err(|_| invalid())?;
        let lower = name.to_ascii_lowercase();
        if ["key", "token", "secret", "auth", "password", "session"]
            .iter()
            .any(|w| lower.contains(w))
        {
            value.set_sensitive(true);
        }
        self.headers.insert(header, value);
        Ok(())
    }

    /// Adds a cookie parameter; every cookie parameter goes into the one `Cookie` header, its
    /// value percent-encoded (a cookie value cannot hold `;`, `,` or spaces). `None` sends
    /// nothing. The `Cookie` header is always marked sensitive.
    pub fn cookie_param<T: Serialize>(&mut self, name: &str, value: &T) -> Result<(), BuildError> {
        let value = crate::params::to_json(name, value)?;
        let Some(text) = crate::params::simple_text(&value) else {
            return Ok(());
        };
        let pair = format!("{name}={}", crate::query::encode_component(&text));
        let line = match self
            .headers
            .get(http::header::COOKIE)
            .and_then(|v| v.to_str().ok())
        {
            Some(existing) => format!("{existing}; {pair}"),
            None => pair,
        };
        let mut value = HeaderValue::from_str(&line).map_err(|_| BuildError::InvalidHeader {
            name: "cookie".to_owned(),
        })?;
        value.set_sensitive(true);
        self.headers.insert(http::header::COOKIE, value);
        Ok(())
    }

    /// Sets the JSON request body; `Content-Type: application/json` is then sent with it.
    pub fn json_body<T: Serialize>(&mut self, body: &T) -> Result<(), BuildError> {
        let bytes = serde_json::to_vec(body).map_err(|source| BuildError::Serialize {
            what: "request body".to_owned(),
            source: JsonError::from(source),
        })?;
        self.pending_multipart = None;
        self.body = Some(Bytes::from(bytes));
        self.content_type = None;
        Ok(())
    }

    /// Adds an operation-specific header (per-call headers from [`CallOptions`](crate::CallOptions)
    /// still override it).
    pub fn insert_header(&mut self, name: HeaderName, value: HeaderValue) {
        self.headers.insert(name, value);
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The spec's operationId.
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }

    /// The authentication mode.
    pub fn auth(&self) -> AuthMode {
        self.auth
    }

    /// The retry class.
    pub fn retry_class(&self) -> RetryClass {
        self.retry
    }

    /// The query pairs pushed so far.
    pub fn query_pairs(&self) -> &QueryPairs {
        &self.query
    }

    /// The body, if one was set.
    pub fn body(&self) -> Option<&[u8]> {
        self.body.as_deref()
    }

    /// The path after the server prefix (`/v1_1/.../users/u%201`), with the account id filled in.
    pub(crate) fn render_path(&self, account_id: Option<&str>) -> Result<String, BuildError> {
        // Sized up front (the account id grows only if it needs escaping): no regrowth.
        let capacity = self.path.iter().map(|part| match part {
            PathPart::Literal(s) | PathPart::JoinedLiteral(s) => s.len() + 1,
            PathPart::Param(s) | PathPart::JoinedParam(s) => s.len() + 1,
            PathPart::AccountId => account_id.map_or(0, str::len) + 1,
        });
        let mut out = String::with_capacity(capacity.sum::<usize>().max(1));
        for part in &self.path {
            if !matches!(part, PathPart::JoinedLiteral(_) | PathPart::JoinedParam(_)) {
                out.push('/');
            }
            match part {
                PathPart::Literal(s) | PathPart::JoinedLiteral(s) => out.push_str(s),
                PathPart::Param(s) | PathPart::JoinedParam(s) => out.push_str(s),
                PathPart::AccountId => {
                    let id = account_id.ok_or(BuildError::MissingAccountId)?;
                    check_segment(id).map_err(|_| BuildError::InvalidAccountId)?;
                    push_component(&mut out, id);
                }
            }
        }
        if out.is_empty() {
            out.push('/');
        }
        Ok(out)
    }

    /// `true` when the path contains the account id segment.
    pub fn uses_account_id(&self) -> bool {
        self.path.contains(&PathPart::AccountId)
    }
}

/// Rejects segments that URL normalisation would remove or merge.
impl std::fmt::Debug for OperationRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The body is left out: it is the caller's data, and only its size helps debugging.
        f.debug_struct("OperationRequest")
            .field("method", &self.method)
            .field("operation_id", &self.operation_id)
            .field("auth", &self.auth)
            .field("retry", &self.retry)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("body_len", &self.body.as_ref().map(Bytes::len))
            .field("headers", &crate::redact::RedactedHeaders(&self.headers))
            .finish()
    }
}

fn check_segment(value: &str) -> Result<(), &'static str> {
    match value {
        "" => Err("it is empty"),
        "." | ".." => Err("`.` and `..` are not allowed"),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req() -> OperationRequest {
        OperationRequest::new(
            Method::GET,
            "getUser",
            AuthMode::Required,
            RetryClass::Idempotent,
        )
    }

    #[test]
    fn header_parameters_are_set_validated_and_marked_sensitive_by_name() {
        let mut r = req();
        assert!(r.header_param("X-Request-Tag", &Some(vec![1, 2])).is_ok());
        assert!(r.header_param("X-Api-Key", &"k-123").is_ok());
        assert!(r.header_param("X-Absent", &None::<String>).is_ok());
        assert_eq!(
            r.headers.get("x-request-tag").map(|v| v.as_bytes()),
            Some(&b"1,2"[..])
        );
        assert!(!r.headers["x-request-tag"].is_sensitive());
        assert!(r.headers["x-api-key"].is_sensitive());
        assert!(r.headers.get("x-absent").is_none());
        let err = r.header_param("X-Bad", &"line\nbreak s3cr3t").err();
        let shown = err.map(|e| e.to_string()).unwrap_or_default();
        assert_eq!(shown, "invalid value for header `X-Bad`");
    }

    #[test]
    fn cookie_parameters_share_one_sensitive_cookie_header() {
        let mut r = req();
        assert!(r.cookie_param("session", &"a b;c").is_ok());
        assert!(r.cookie_param("theme", &"dark").is_ok());
        let cookie = &r.headers[http::header::COOKIE];
        assert_eq!(cookie.as_bytes(), b"session=a%20b%3Bc; theme=dark");
        assert!(cookie.is_sensitive());
    }

    #[test]
    fn styled_query_parameters_are_laid_out_by_the_runtime() {
        let mut r = req();
        let filter = serde_json::json!({"status": "active", "role": {"name": "admin"}});
        assert!(
            r.query_styled("filter", &filter, crate::params::QueryStyle::DeepObject)
                .is_ok()
        );
        assert!(
            r.query_styled("ids", &["a", "b"], crate::params::QueryStyle::Form)
                .is_ok()
        );
        assert_eq!(
            r.query_pairs().encode(),
            "filter%5Brole%5D%5Bname%5D=admin&filter%5Bstatus%5D=active&ids=a%2Cb"
        );
    }

    #[test]
    fn path_is_encoded_per_segment() {
        let mut r = req();
        r.push_literal("/v1_1/provisioning/accounts/");
        r.push_account_id();
        r.push_literal("users");
        r.push_param("a/b c?d");
        assert!(r.uses_account_id());
        assert_eq!(
            r.render_path(Some("acc 1")).unwrap(),
            "/v1_1/provisioning/accounts/acc%201/users/a%2Fb%20c%3Fd"
        );
        assert!(matches!(
            r.render_path(None),
            Err(BuildError::MissingAccountId)
        ));
    }

    #[test]
    fn dangerous_segments_are_deferred_errors() {
        for bad in ["", ".", ".."] {
            let mut r = req();
            r.push_literal("users");
            r.push_param(bad);
            assert!(r.deferred_error.is_some(), "{bad:?}");
        }
        let mut r = req();
        r.push_account_id();
        assert!(matches!(
            r.render_path(Some("..")),
            Err(BuildError::InvalidAccountId)
        ));
        let mut r = req();
        r.push_param("...");
        assert!(r.deferred_error.is_none());
    }

    #[test]
    fn query_and_query_json() {
        let mut r = req();
        r.query("ids", &vec!["a", "b"]);
        r.query("emails", &"x@y.com");
        r.query("pending", &Some(true));
        r.query("prefix", &None::<String>);
        r.query_json("policy_parameters", &Some(vec!["folder_id"]))
            .unwrap();
        r.query_json::<Vec<String>>("unset", &None).unwrap();
        assert_eq!(
            r.query_pairs().encode(),
            "ids=a&ids=b&emails=x%40y.com&pending=true&policy_parameters=%5B%22folder_id%22%5D"
        );
    }

    #[test]
    fn json_body_and_errors() {
        let mut r = req();
        r.json_body(&serde_json::json!({"name": "n"})).unwrap();
        assert_eq!(r.body(), Some(&br#"{"name":"n"}"#[..]));
        assert!(format!("{r:?}").contains("body_len: Some(12)"));

        // A map with non-string keys cannot be JSON: a build error, not a panic.
        let mut bad = std::collections::BTreeMap::new();
        bad.insert(vec![1u8], 1);
        let err = r.json_body(&bad).unwrap_err();
        assert!(matches!(err, BuildError::Serialize { .. }));
        assert!(err.to_string().contains("request body"));
        let err = r.query_json("p", &Some(bad)).unwrap_err();
        assert!(err.to_string().contains("`p`"));
    }

    #[test]
    fn serialize_errors_are_redacted() {
        struct Leaky;
        impl Serialize for Leaky {
            fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
                Err(serde::ser::Error::custom(
                    "cannot send cloudinary://k:SERIALSECRET@c",
                ))
            }
        }
        let mut r = req();
        for err in [
            r.json_body(&Leaky).unwrap_err(),
            r.query_json("p", &Some(Leaky)).unwrap_err(),
        ] {
            let BuildError::Serialize { source, .. } = &err else {
                panic!("{err:?}")
            };
            assert_eq!(source.message(), "cannot send cloudinary://***@c");
            let cause = std::error::Error::source(&err).unwrap();
            let shown = format!("{err} {err:?} {err:#?} {cause} {cause:?}");
            assert!(!shown.contains("SERIALSECRET"), "{shown}");
        }
    }
}
