//! Responses: [`RawResponse`] from the transport, [`Response`] with a decoded value.

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use crate::byte_stream::ByteStream;
use crate::echo_mask::EchoMask;
use crate::error::{
    ApiError, DecodeError, Error, ErrorEnvelope, JsonError, OperationError, RawBody, ResponseMeta,
    UnexpectedStatus, request_id,
};
use crate::redact::{RedactedDebug, RedactedHeaders, mask_values, redact_text, sensitive_values};
use crate::retry::RATE_LIMIT_RESET;

/// The final response of [`Core::execute`](crate::engine::Core::execute), any status, body not decoded
/// (or, for a request made with
/// [`stream_success_body`](crate::request::OperationRequest::stream_success_body), a 2xx body not read).
#[doc(hidden)]
pub struct RawResponse {
    pub(crate) operation_id: &'static str,
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    /// The transport stops reading a failing body at `MAX_ERROR_BODY`; this records the cut.
    pub(crate) body_truncated: bool,
    pub(crate) attempts: u32,
    /// The credentials of the call, masked in what a decode error keeps of a 2xx response.
    pub(crate) echo: EchoMask,
    /// A 2xx body left unread for [`RawResponse::into_stream`].
    pub(crate) stream: Option<ByteStream>,
}

impl RawResponse {
    /// Builds a response by hand (for tests, or for a custom transport).
    pub fn new(
        operation_id: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
        attempts: u32,
    ) -> Self {
        Self {
            operation_id,
            status,
            headers,
            body,
            body_truncated: false,
            attempts,
            echo: EchoMask::default(),
            stream: None,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body bytes (a failing body is cut at [`MAX_ERROR_BODY`](crate::error::MAX_ERROR_BODY)).
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// How many attempts it took.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Decodes a 2xx JSON body into `T`; a failing status becomes [`RawResponse::into_error`].
    ///
    /// Success is decided by the status alone, and the body is parsed whatever the content type
    /// says (missing, `text/plain`, `*+json` all happen in practice). An empty body decodes as
    /// JSON `null`, which only types such as `Option<T>`, `()` or `Value` accept. Invalid JSON is
    /// an [`Error::Decode`], never a panic.
    pub fn into_json<T: DeserializeOwned, E: OperationError>(
        self,
    ) -> Result<Response<T>, Error<E>> {
        self.decode_with(|body| Some(crate::response_body::json(body)))
    }

    /// The error for a 2xx body that did not decode. What it keeps is masked first: serde's
    /// message repeats the offending value, and the server may have echoed the credentials.
    pub(crate) fn decode_error<E>(self, source: &serde_json::Error) -> Error<E> {
        let (source, meta) = self.decode_parts(source);
        Error::Decode(DecodeError { source, meta })
    }

    /// [`RawResponse::decode_error`]'s work, not generic over the operation's error type so
    /// that it is compiled once, here, rather than per error type in the generated crate.
    fn decode_parts(mut self, source: &serde_json::Error) -> (JsonError, Box<ResponseMeta>) {
        let json = JsonError::from_body(source, &self.body).masked(&self.echo);
        self.echo.mask_headers(&mut self.headers);
        let mut raw = RawBody::bounded(self.body, self.body_truncated);
        raw.bytes = self.echo.mask_bytes(raw.bytes);
        let meta = Box::new(ResponseMeta {
            operation_id: self.operation_id,
            status: self.status,
            headers: self.headers,
            attempts: self.attempts,
            raw,
            envelope: None,
            message: None,
        });
        (json, meta)
    }

    /// Any 2xx is success and the body is ignored; a failing status becomes an error.
    pub fn into_unit<E: OperationError>(self) -> Result<Response<()>, Error<E>> {
        if !self.status.is_success() {
            return Err(self.into_error());
        }
        Ok(Response {
            status: self.status,
            headers: self.headers,
            attempts: self.attempts,
            value: (),
        })
    }

    /// Turns the response into an error: [`Error::Api`] when the status is documented for the
    /// operation and the body decodes into `E`, else [`Error::UnexpectedStatus`] (with the parse
    /// error attached when a documented status had a body of another shape). The Cloudinary
    /// envelope is parsed either way.
    pub fn into_error<E: OperationError>(self) -> Error<E> {
        let (body, typed_message, parse_error) =
            match E::from_status(self.status.as_u16(), &self.body) {
                Some(Ok((body, message))) => (Some(body), message, None),
                Some(Err(e)) => (None, None, Some(JsonError::from_body(&e, &self.body))),
                None => (None, None, None),
            };
        let meta = self.error_meta(typed_message);
        match body {
            Some(body) => Error::Api(ApiError {
                meta,
                body: Box::new(body),
            }),
            None => Error::UnexpectedStatus(UnexpectedStatus { meta, parse_error }),
        }
    }

    /// The metadata of a failing response, with its message: the typed body's (redacted),
    /// else the Cloudinary envelope's. Not generic, so that it is compiled once, here.
    fn error_meta(self, typed_message: Option<String>) -> Box<ResponseMeta> {
        let envelope = ErrorEnvelope::parse(&self.body);
        let envelope_message = envelope.as_ref().and_then(ErrorEnvelope::summary);
        // Redacted like the envelope's message: it is shown in `Display` and `Debug`.
        let secrets = sensitive_values(&String::from_utf8_lossy(&self.body));
        let message = typed_message
            .map(|m| mask_values(&redact_text(&m), &secrets).into_owned())
            .or(envelope_message);
        Box::new(ResponseMeta {
            operation_id: self.operation_id,
            status: self.status,
            headers: self.headers,
            attempts: self.attempts,
            raw: RawBody::bounded(self.body, self.body_truncated),
            envelope,
            message,
        })
    }
}

impl std::fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The body is left out: success bodies of this API contain secrets (`api_secret`).
        f.debug_struct("RawResponse")
            .field("operation_id", &self.operation_id)
            .field("status", &self.status)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body_len", &self.body.len())
            .field("attempts", &self.attempts)
            .finish()
    }
}

/// The `X-FeatureRateLimit-*` headers Cloudinary sends with responses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimit {
    /// `X-FeatureRateLimit-Limit`: requests allowed in the window.
    pub limit: Option<u64>,
    /// `X-FeatureRateLimit-Remaining`: requests left in the window.
    pub remaining: Option<u64>,
    /// `X-FeatureRateLimit-Reset`: when the window resets, as sent (usually an HTTP date).
    pub reset: Option<String>,
}

impl RateLimit {
    /// Reads the headers; `None` when none of them is present.
    pub fn from_headers(headers: &HeaderMap) -> Option<RateLimit> {
        let text = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
        };
        let number = |name: &str| text(name).and_then(|v| v.parse().ok());
        let rl = RateLimit {
            limit: number("x-featureratelimit-limit"),
            remaining: number("x-featureratelimit-remaining"),
            reset: text(RATE_LIMIT_RESET).map(str::to_owned),
        };
        (rl.limit.is_some() || rl.remaining.is_some() || rl.reset.is_some()).then_some(rl)
    }
}

/// A successful response: the decoded value plus status, headers and rate-limit information.
#[derive(Clone)]
pub struct Response<T> {
    status: StatusCode,
    headers: HeaderMap,
    attempts: u32,
    value: T,
}

impl<T> Response<T> {
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, attempts: u32, value: T) -> Self {
        Self {
            status,
            headers,
            attempts,
            value,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The `x-request-id` header.
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers)
    }

    /// The `X-FeatureRateLimit-*` headers, when present.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        RateLimit::from_headers(&self.headers)
    }

    /// How many attempts it took.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The decoded value.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// Consumes the response, giving the value.
    pub fn into_inner(self) -> T {
        self.value
    }

    /// Consumes the response, giving status, headers and value.
    pub fn into_parts(self) -> (StatusCode, HeaderMap, T) {
        (self.status, self.headers, self.value)
    }

    /// Maps the value, keeping the metadata.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            status: self.status,
            headers: self.headers,
            attempts: self.attempts,
            value: f(self.value),
        }
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Response<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("attempts", &self.attempts)
            // The value's own `Debug` may not mask (a `serde_json::Value`, a user type).
            .field("value", &RedactedDebug(&self.value))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(status: u16, content_type: Option<&str>, body: &str) -> RawResponse {
        let mut headers = HeaderMap::new();
        if let Some(ct) = content_type {
            headers.insert("content-type", ct.parse().unwrap());
        }
        headers.insert("x-request-id", "rid".parse().unwrap());
        RawResponse::new(
            "op",
            StatusCode::from_u16(status).unwrap(),
            headers,
            Bytes::from(body.to_owned()),
            2,
        )
    }

    #[test]
    fn json_on_any_2xx_and_content_type() {
        for ct in [
            Some("application/json"),
            Some("text/plain"),
            Some("application/problem+json"),
            None,
        ] {
            for status in [200, 201, 202] {
                let r = raw(status, ct, r#"{"a":1}"#)
                    .into_json::<serde_json::Value, ()>()
                    .unwrap();
                assert_eq!(r.value()["a"], 1);
                assert_eq!(r.status().as_u16(), status);
                assert_eq!(r.request_id(), Some("rid"));
                assert_eq!(r.attempts(), 2);
            }
        }
    }

    #[test]
    fn invalid_or_empty_json() {
        let e = raw(200, Some("application/json"), "{oops")
            .into_json::<serde_json::Value, ()>()
            .unwrap_err();
        assert!(matches!(e, Error::Decode(_)));
        #[derive(Debug, serde::Deserialize)]
        struct S {
            #[allow(dead_code)]
            a: Option<i32>,
        }
        assert!(matches!(
            raw(200, None, "").into_json::<S, ()>(),
            Err(Error::Decode(_))
        ));
        assert_eq!(
            raw(200, None, " ")
                .into_json::<Option<S>, ()>()
                .unwrap()
                .into_inner()
                .map(|_| ()),
            None
        );
        assert_eq!(
            raw(204, None, "")
                .into_json::<serde_json::Value, ()>()
                .unwrap()
                .into_inner(),
            serde_json::Value::Null
        );
    }

    #[test]
    fn unit_accepts_any_2xx() {
        for status in [200, 201, 204] {
            assert!(
                raw(status, Some("text/html"), "<html/>")
                    .into_unit::<()>()
                    .is_ok()
            );
        }
        assert!(matches!(
            raw(404, None, "").into_unit::<()>(),
            Err(Error::UnexpectedStatus(_))
        ));
        assert!(matches!(
            raw(302, None, "").into_unit::<()>(),
            Err(Error::UnexpectedStatus(_))
        ));
    }

    #[test]
    fn rate_limit_and_parts() {
        let mut r = raw(200, None, "1");
        r.headers
            .insert("X-FeatureRateLimit-Limit", "500".parse().unwrap());
        r.headers
            .insert("X-FeatureRateLimit-Remaining", "499".parse().unwrap());
        r.headers.insert(
            "X-FeatureRateLimit-Reset",
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        let resp = r.into_json::<u32, ()>().unwrap();
        let rl = resp.rate_limit().unwrap();
        assert_eq!((rl.limit, rl.remaining), (Some(500), Some(499)));
        assert_eq!(rl.reset.as_deref(), Some("Wed, 21 Oct 2015 07:28:00 GMT"));
        let (status, headers, value) = resp.map(|v| v + 1).into_parts();
        assert_eq!((status.as_u16(), value), (200, 2));
        assert!(headers.contains_key("x-request-id"));
        assert!(
            raw(200, None, "1")
                .into_json::<u32, ()>()
                .unwrap()
                .rate_limit()
                .is_none()
        );
    }

    #[test]
    fn raw_debug_hides_body() {
        let r = raw(200, None, r#"{"api_secret":"S3"}"#);
        assert!(!format!("{r:?}").contains("S3"));
    }

    #[test]
    fn response_debug_redacts_a_value_whose_debug_does_not() {
        let r = raw(
            200,
            None,
            r#"{"api_secret":"VALUESECRET","note":"cloudinary://k:URLSECRET@c","n":1}"#,
        )
        .into_json::<serde_json::Value, ()>()
        .unwrap();
        for shown in [format!("{r:?}"), format!("{r:#?}")] {
            assert!(!shown.contains("VALUESECRET"), "{shown}");
            assert!(!shown.contains("URLSECRET"), "{shown}");
            assert!(shown.contains("Number(1)"), "{shown}");
        }
    }
}
