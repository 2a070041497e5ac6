//! [`Intercept`]: caller code that sees every attempt.
//!
//! Three designs were weighed:
//!
//! - **`reqwest-middleware`** wraps a `reqwest::Client` in a `ClientWithMiddleware`. Its
//!   middleware sees the finished `reqwest::Request`, `Authorization` included, so a secret
//!   would be handed to every middleware; it would also put `reqwest` types into our public API
//!   (the crate keeps them out so a reqwest upgrade does not break users) and it runs below the
//!   retry loop, so it cannot tell attempts of one call apart.
//! - **tower layers** (`tower::Layer` around a `Service<http::Request>`) are the most general,
//!   but need `tower` and a service stack in the runtime, generic bounds users must satisfy, and
//!   the same raw request with its credentials.
//! - **An AWS-style `Intercept` trait** (smithy-rs: `aws-smithy-runtime-api`
//!   `client/interceptors.rs`) is a plain trait with hooks at fixed points of the attempt, each
//!   given a context object that exposes only what the SDK chooses.
//!
//! The trait is chosen: no dependency, no reqwest type in the API, one call per attempt with its
//! number, and views that never hold a secret: the request headers an interceptor sees (and
//! may change) are those before `Authorization` is added, and it cannot add `Authorization`
//! itself; a failing response's headers and body have been masked (configured credentials,
//! secret-named members) before the hook runs; errors are described without the URL's query.
//!
//! Hooks run in the order the interceptors were added, synchronously, on the task making the
//! call; keep them short. A panic in a hook is the hook's; the SDK does not catch it.

use std::fmt;

use http::{HeaderMap, Method, StatusCode};

use crate::redact::redact_text;

/// Code that runs at fixed points of every attempt; every hook has a default that does
/// nothing. Add one with [`ClientBuilder::interceptor`](crate::ClientBuilder::interceptor).
pub trait Intercept: Send + Sync + fmt::Debug {
    /// Before an attempt is sent; may add, change or remove headers (`Authorization`,
    /// `Accept`, `User-Agent` and `Content-Type` stay under the SDK's control).
    fn before_send(&self, _request: &mut BeforeSend<'_>) {}

    /// After a response arrived and its body was read, whatever the status.
    fn after_response(&self, _response: &AfterResponse<'_>) {}

    /// After an attempt failed without a response (connection, timeout, body read).
    fn on_error(&self, _failure: &AttemptFailure<'_>) {}
}

/// A shared interceptor, so the caller can keep a handle to what it records.
impl<T: Intercept + ?Sized> Intercept for std::sync::Arc<T> {
    fn before_send(&self, request: &mut BeforeSend<'_>) {
        (**self).before_send(request);
    }

    fn after_response(&self, response: &AfterResponse<'_>) {
        (**self).after_response(response);
    }

    fn on_error(&self, failure: &AttemptFailure<'_>) {
        (**self).on_error(failure);
    }
}

/// What [`Intercept::before_send`] sees: the request of one attempt, without credentials.
#[derive(Debug)]
pub struct BeforeSend<'a> {
    pub(crate) operation_id: &'static str,
    pub(crate) method: &'a Method,
    pub(crate) path: &'a str,
    pub(crate) attempt: u32,
    pub(crate) headers: &'a mut HeaderMap,
}

impl BeforeSend<'_> {
    /// The spec's operationId.
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        self.method
    }

    /// The path, without the query (which may hold e-mail addresses).
    pub fn path(&self) -> &str {
        self.path
    }

    /// The attempt number, from 1.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The headers to send, without `Authorization`.
    pub fn headers(&self) -> &HeaderMap {
        self.headers
    }

    /// The headers to send, to change.
    pub fn headers_mut(&mut self) -> &mut HeaderMap {
        self.headers
    }
}

/// What [`Intercept::after_response`] sees.
#[derive(Debug)]
pub struct AfterResponse<'a> {
    pub(crate) operation_id: &'static str,
    pub(crate) attempt: u32,
    pub(crate) status: StatusCode,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) body: &'a [u8],
}

impl AfterResponse<'_> {
    /// The spec's operationId.
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }

    /// The attempt number, from 1.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers (of a failing response, with echoed credentials masked).
    pub fn headers(&self) -> &HeaderMap {
        self.headers
    }

    /// The body's length in bytes (a failing body is cut at
    /// [`MAX_ERROR_BODY`](crate::error::MAX_ERROR_BODY)).
    pub fn body_len(&self) -> usize {
        self.body.len()
    }

    /// The body as text with every secret masked (secret-named members, values repeated
    /// elsewhere, account URLs, and for a failing response the configured credentials).
    pub fn redacted_body(&self) -> String {
        redact_text(&String::from_utf8_lossy(self.body)).into_owned()
    }
}

/// What [`Intercept::on_error`] sees.
#[derive(Debug)]
pub struct AttemptFailure<'a> {
    pub(crate) operation_id: &'static str,
    pub(crate) attempt: u32,
    pub(crate) description: &'a str,
}

impl AttemptFailure<'_> {
    /// The spec's operationId.
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }

    /// The attempt number, from 1.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// What went wrong, without the URL.
    pub fn description(&self) -> &str {
        self.description
    }
}

/// The interceptors of a client, run in the order they were added.
#[derive(Clone, Debug, Default)]
pub(crate) struct Interceptors(pub(crate) Vec<std::sync::Arc<dyn Intercept>>);

/// Headers the SDK owns: what an interceptor does to them is undone.
const SDK_OWNED: [http::HeaderName; 4] = [
    http::header::ACCEPT,
    http::header::USER_AGENT,
    http::header::CONTENT_TYPE,
    http::header::AUTHORIZATION,
];

impl Interceptors {
    /// Runs every `before_send` on `headers` (which hold no `Authorization` yet), then puts the
    /// SDK-owned headers back as they were.
    pub(crate) fn before_send(
        &self,
        operation_id: &'static str,
        method: &Method,
        path: &str,
        attempt: u32,
        headers: &mut HeaderMap,
    ) {
        if self.0.is_empty() {
            return;
        }
        let owned: Vec<_> = SDK_OWNED
            .iter()
            .map(|name| (name, headers.get(name).cloned()))
            .collect();
        let mut view = BeforeSend {
            operation_id,
            method,
            path,
            attempt,
            headers,
        };
        for interceptor in &self.0 {
            interceptor.before_send(&mut view);
        }
        for (name, value) in owned {
            match value {
                Some(v) => headers.insert(name.clone(), v),
                None => headers.remove(name),
            };
        }
    }

    /// Runs every `after_response`.
    pub(crate) fn after_response(&self, response: &AfterResponse<'_>) {
        for interceptor in &self.0 {
            interceptor.after_response(response);
        }
    }

    /// Runs every `on_error`.
    pub(crate) fn on_error(&self, operation_id: &'static str, attempt: u32, description: &str) {
        let failure = AttemptFailure {
            operation_id,
            attempt,
            description,
        };
        for interceptor in &self.0 {
            interceptor.on_error(&failure);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;
    use std::sync::{Arc, Mutex};

    #[derive(Debug, Default)]
    struct Meddler(Mutex<Vec<String>>);

    impl Intercept for Meddler {
        fn before_send(&self, r: &mut BeforeSend<'_>) {
            self.0.lock().unwrap().push(format!(
                "{} {} {} #{} auth={} ua={:?}",
                r.operation_id(),
                r.method(),
                r.path(),
                r.attempt(),
                r.headers().contains_key("authorization"),
                r.headers().get("user-agent")
            ));
            let h = r.headers_mut();
            h.insert("x-trace", HeaderValue::from_static("t1"));
            h.insert("authorization", HeaderValue::from_static("Basic stolen"));
            h.insert("user-agent", HeaderValue::from_static("spoofed"));
            h.remove("accept");
        }
    }

    #[test]
    fn before_send_changes_headers_but_not_the_sdk_owned_ones() {
        let meddler = Arc::new(Meddler::default());
        let interceptors = Interceptors(vec![meddler.clone()]);
        let mut headers = HeaderMap::new();
        headers.insert("accept", HeaderValue::from_static("application/json"));
        headers.insert("user-agent", HeaderValue::from_static("sdk"));
        interceptors.before_send("deleteUser", &Method::DELETE, "/u/1", 2, &mut headers);
        assert_eq!(headers["x-trace"], "t1");
        assert_eq!(headers["user-agent"], "sdk");
        assert_eq!(headers["accept"], "application/json");
        assert!(!headers.contains_key("authorization"));
        assert!(!headers.contains_key("content-type"));
        assert_eq!(
            meddler.0.lock().unwrap().as_slice(),
            [r#"deleteUser DELETE /u/1 #2 auth=false ua=Some("sdk")"#]
        );
    }

    #[test]
    fn the_response_view_shows_a_redacted_body() {
        let headers = HeaderMap::new();
        let view = AfterResponse {
            operation_id: "op",
            attempt: 1,
            status: StatusCode::OK,
            headers: &headers,
            body: br#"{"api_secret":"abcdefgh","id":"k"}"#,
        };
        assert_eq!(view.redacted_body(), r#"{"api_secret":"***","id":"k"}"#);
        assert_eq!(view.body_len(), 34);
    }

    /// Writes down what `after_response` and `on_error` are shown.
    #[derive(Debug, Default)]
    struct Recorder(Mutex<Vec<String>>);

    impl Intercept for Recorder {
        fn after_response(&self, r: &AfterResponse<'_>) {
            self.0.lock().unwrap().push(format!(
                "response {} #{} {} x-id={:?} {} bytes",
                r.operation_id(),
                r.attempt(),
                r.status().as_u16(),
                r.headers().get("x-id"),
                r.body_len()
            ));
        }

        fn on_error(&self, f: &AttemptFailure<'_>) {
            self.0.lock().unwrap().push(format!(
                "error {} #{} {}",
                f.operation_id(),
                f.attempt(),
                f.description()
            ));
        }
    }

    #[test]
    fn every_interceptor_sees_each_response_and_failure() {
        let (first, second) = (Arc::new(Recorder::default()), Arc::new(Recorder::default()));
        let interceptors = Interceptors(vec![first.clone(), second.clone()]);
        let mut headers = HeaderMap::new();
        headers.insert("x-id", HeaderValue::from_static("r1"));
        interceptors.after_response(&AfterResponse {
            operation_id: "getUser",
            attempt: 2,
            status: StatusCode::NOT_FOUND,
            headers: &headers,
            body: b"{}",
        });
        interceptors.on_error("getUser", 3, "connection reset");
        for recorder in [&first, &second] {
            assert_eq!(
                recorder.0.lock().unwrap().as_slice(),
                [
                    r#"response getUser #2 404 x-id=Some("r1") 2 bytes"#,
                    "error getUser #3 connection reset",
                ]
            );
        }
    }
}
