//! What every error about a received response knows ([`ResponseMeta`]: status, headers,
//! attempts, the bounded raw body, the envelope and the message), the one set of accessors
//! over it, and the status line and request id shown in messages.

use std::fmt;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};

use super::ErrorEnvelope;
use crate::redact::{RedactedHeaders, redact_text};

/// The most of a failing response body that an error keeps.
pub const MAX_ERROR_BODY: usize = 64 * 1024;

/// A response body kept for diagnosis, at most [`MAX_ERROR_BODY`] bytes.
#[derive(Clone, Default)]
pub(crate) struct RawBody {
    pub(crate) bytes: Bytes,
    pub(crate) truncated: bool,
}

impl RawBody {
    pub(crate) fn bounded(bytes: Bytes, already_truncated: bool) -> Self {
        if bytes.len() > MAX_ERROR_BODY {
            Self {
                bytes: bytes.slice(..MAX_ERROR_BODY),
                truncated: true,
            }
        } else {
            Self {
                bytes,
                truncated: already_truncated,
            }
        }
    }

    /// The body as redacted text, for `Debug` output.
    fn redacted(&self) -> String {
        redact_text(&String::from_utf8_lossy(&self.bytes)).into_owned()
    }

    /// A short single-line excerpt of the redacted body, for `Display`.
    pub(super) fn excerpt(&self) -> Option<String> {
        const LIMIT: usize = 200;
        let text = self.redacted();
        let mut out = String::new();
        for word in text.split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
            if out.len() > LIMIT {
                break;
            }
        }
        if out.is_empty() {
            return None;
        }
        if out.len() > LIMIT {
            let cut = (0..=LIMIT)
                .rev()
                .find(|&i| out.is_char_boundary(i))
                .unwrap_or(0);
            out.truncate(cut);
            out.push('…');
        }
        Some(out)
    }
}

impl fmt::Debug for RawBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.redacted())?;
        if self.truncated {
            f.write_str(" (truncated)")?;
        }
        Ok(())
    }
}

/// What every error about a received response knows.
#[derive(Clone)]
pub(crate) struct ResponseMeta {
    pub(crate) operation_id: &'static str,
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) attempts: u32,
    pub(crate) raw: RawBody,
    pub(crate) envelope: Option<ErrorEnvelope>,
    pub(crate) message: Option<String>,
}

/// The one set of accessors over the response metadata: [`ApiError`], [`UnexpectedStatus`],
/// [`DecodeError`] and [`Error`] delegate to these.
///
/// [`ApiError`]: super::ApiError
/// [`UnexpectedStatus`]: super::UnexpectedStatus
/// [`DecodeError`]: super::DecodeError
/// [`Error`]: super::Error
impl ResponseMeta {
    pub(crate) fn status(&self) -> StatusCode {
        self.status
    }

    pub(crate) fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    pub(crate) fn request_id(&self) -> Option<&str> {
        request_id(&self.headers)
    }

    pub(crate) fn envelope(&self) -> Option<&ErrorEnvelope> {
        self.envelope.as_ref()
    }

    pub(crate) fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    pub(crate) fn raw_body(&self) -> &[u8] {
        &self.raw.bytes
    }

    pub(crate) fn is_body_truncated(&self) -> bool {
        self.raw.truncated
    }

    pub(crate) fn attempts(&self) -> u32 {
        self.attempts
    }

    pub(crate) fn operation_id(&self) -> &'static str {
        self.operation_id
    }
}

/// The public accessors of an error about a received response (a field `meta:
/// Box<ResponseMeta>`), as inherent methods that delegate to [`ResponseMeta`]'s: written
/// once, no trait to import, and each type lists the ones it has:
/// `response_accessors!(status, headers, request_id);` (or `response_accessors!(all);`) inside
/// its `impl`.
macro_rules! response_accessors {
    // Every accessor: what a failing status's error ([`ApiError`](super::ApiError),
    // [`UnexpectedStatus`](super::UnexpectedStatus)) has.
    (all) => {
        $crate::error::meta::response_accessors!(
            status,
            headers,
            request_id,
            envelope,
            message,
            raw_body,
            is_body_truncated,
            attempts,
            operation_id,
        );
    };
    ($($name:ident),* $(,)?) => {
        $($crate::error::meta::response_accessors!(@ $name);)*
    };
    (@ status) => {
        /// The HTTP status.
        pub fn status(&self) -> ::http::StatusCode {
            self.meta.status()
        }
    };
    (@ headers) => {
        /// The response headers.
        pub fn headers(&self) -> &::http::HeaderMap {
            self.meta.headers()
        }
    };
    (@ request_id) => {
        /// The `x-request-id` header.
        pub fn request_id(&self) -> ::std::option::Option<&str> {
            self.meta.request_id()
        }
    };
    (@ envelope) => {
        /// The Cloudinary error envelope, when the body had one.
        pub fn envelope(&self) -> ::std::option::Option<&$crate::error::ErrorEnvelope> {
            self.meta.envelope()
        }
    };
    (@ message) => {
        /// The server's message: the typed body's for a documented status, else the
        /// envelope's.
        pub fn message(&self) -> ::std::option::Option<&str> {
            self.meta.message()
        }
    };
    (@ raw_body) => {
        /// The raw body, at most [`MAX_ERROR_BODY`](crate::error::MAX_ERROR_BODY) bytes.
        pub fn raw_body(&self) -> &[u8] {
            self.meta.raw_body()
        }
    };
    (@ is_body_truncated) => {
        /// `true` when the raw body was longer than
        /// [`MAX_ERROR_BODY`](crate::error::MAX_ERROR_BODY) and was cut.
        pub fn is_body_truncated(&self) -> bool {
            self.meta.is_body_truncated()
        }
    };
    (@ attempts) => {
        /// How many attempts were made.
        pub fn attempts(&self) -> u32 {
            self.meta.attempts()
        }
    };
    (@ operation_id) => {
        /// The spec's operationId.
        pub fn operation_id(&self) -> &'static str {
            self.meta.operation_id()
        }
    };
}
pub(crate) use response_accessors;

impl fmt::Debug for ResponseMeta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseMeta")
            .field("operation_id", &self.operation_id)
            .field("status", &self.status)
            // A header the server chose: shown redacted, like the header map below.
            .field("request_id", &self.request_id().map(redact_text))
            .field("attempts", &self.attempts)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("message", &self.message)
            .field("envelope", &self.envelope)
            .field("raw", &self.raw)
            .finish()
    }
}

/// The `x-request-id` response header, useful when contacting Cloudinary support.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<&str> {
    headers.get("x-request-id").and_then(|v| v.to_str().ok())
}

/// `404 Not Found`; Cloudinary's non-standard 420 gets a name too.
pub(crate) fn status_line(status: StatusCode) -> String {
    let reason = match status.as_u16() {
        420 => Some("Rate Limited"),
        _ => status.canonical_reason(),
    };
    match reason {
        Some(r) => format!("{} {r}", status.as_u16()),
        None => status.as_u16().to_string(),
    }
}
