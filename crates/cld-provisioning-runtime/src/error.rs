//! The SDK's error type [`Error`] and what it is made of.
//!
//! Three situations are kept apart, as smithy-rs does: nothing was sent ([`Error::Build`]), the
//! request may or may not have reached the server ([`Error::Timeout`], [`Error::Transport`]),
//! and a response came back ([`Error::Api`], [`Error::UnexpectedStatus`], [`Error::Decode`]).
//! `Display` gives the status and the server's message; the underlying cause is only in
//! `source()`, so a report that walks the chain prints each thing once.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use serde_json::{Map, Value};

use crate::echo_mask::EchoMask;
use crate::redact::{
    RedactedHeaders, is_sensitive_key, mask_values, mask_values_in_json, redact_json, redact_text,
    sensitive_values,
};

pub use serde_json::error::Category as JsonErrorCategory;

/// The most of a failing response body that an error keeps.
pub const MAX_ERROR_BODY: usize = 64 * 1024;

/// Boxed cause of a transport failure; reqwest's error type is not part of the public API.
pub(crate) type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// A JSON error whose message has been redacted; every JSON error this crate keeps is one.
///
/// `serde_json::Error` repeats the value it choked on
/// (`invalid type: string "cloudinary://key:secret@cloud", expected a sequence`), and what that
/// value is, a server decides. So the runtime never stores a `serde_json::Error`: it converts
/// it to a `JsonError` first, which holds the message with [`redact_text`] applied (and, when
/// the error is about a response body, with every value that body holds under a secret-named
/// member masked as well), plus the line, column and category. What `Display`, `Debug` and
/// `source()` chains show is that redacted message.
///
/// `Display` is the same as `serde_json::Error`'s: the message, then ` at line L column C` when
/// the position is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    message: String,
    line: usize,
    column: usize,
    category: JsonErrorCategory,
}

impl JsonError {
    /// Converts a serde error, redacting its message.
    pub fn new(error: &serde_json::Error) -> Self {
        Self::redacted(error, &[])
    }

    /// Converts a serde error about `body`: besides [`redact_text`], every value that `body`
    /// holds under a member named in [`SENSITIVE_KEYS`](crate::redact::SENSITIVE_KEYS) is masked
    /// wherever the message repeats it.
    pub(crate) fn from_body(error: &serde_json::Error, body: &[u8]) -> Self {
        let body = String::from_utf8_lossy(body);
        Self::redacted(error, &sensitive_values(&body))
    }

    fn redacted(error: &serde_json::Error, secrets: &[String]) -> Self {
        let (line, column) = (error.line(), error.column());
        let full = error.to_string();
        // serde_json has no accessor for the bare message; its `Display` appends the position.
        let suffix = format!(" at line {line} column {column}");
        let bare = match full.strip_suffix(&suffix) {
            Some(bare) if line != 0 => bare,
            _ => full.as_str(),
        };
        let message = mask_values(&redact_text(bare), secrets).into_owned();
        Self {
            message,
            line,
            column,
            category: error.classify(),
        }
    }

    /// The same error with the echoed credentials masked in its message.
    pub(crate) fn masked(mut self, echo: &EchoMask) -> Self {
        if let Cow::Owned(m) = echo.mask_str(&self.message) {
            self.message = m;
        }
        self
    }

    /// The redacted message, without the position.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The line (1-based) where the error was found; 0 when unknown.
    pub fn line(&self) -> usize {
        self.line
    }

    /// The column (1-based) where the error was found; 0 when unknown.
    pub fn column(&self) -> usize {
        self.column
    }

    /// What kind of error it is: syntax, data (valid JSON of the wrong shape), EOF or I/O.
    pub fn category(&self) -> JsonErrorCategory {
        self.category
    }

    /// `true` for valid JSON that does not fit the expected type.
    pub fn is_data(&self) -> bool {
        self.category == JsonErrorCategory::Data
    }

    /// `true` for text that is not JSON.
    pub fn is_syntax(&self) -> bool {
        self.category == JsonErrorCategory::Syntax
    }

    /// `true` when the input ended early (an empty or truncated body).
    pub fn is_eof(&self) -> bool {
        self.category == JsonErrorCategory::Eof
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if self.line != 0 {
            write!(f, " at line {} column {}", self.line, self.column)?;
        }
        Ok(())
    }
}

impl std::error::Error for JsonError {}

impl From<serde_json::Error> for JsonError {
    fn from(error: serde_json::Error) -> Self {
        Self::new(&error)
    }
}

/// The server's message in a typed error body: implemented by the generated error body models
/// that carry one (`error.message` or `message`), once per model.
pub trait ErrorMessage {
    /// The server's message, if the body carries one.
    fn message(&self) -> Option<&str>;
}

/// What [`OperationError::from_status`] returns: `None` for a status the operation does not
/// document; else the decoded body with the server's message (when its model carries one), or
/// the JSON error of a body of another shape.
pub type FromStatus<E> = Option<Result<(E, Option<String>), serde_json::Error>>;

/// Implemented by each generated per-operation error enum (one variant per documented status).
pub trait OperationError: Sized + fmt::Debug + Send + Sync + 'static {
    /// Decodes the typed body for a documented error status, and reads the server's message
    /// from it while its model's type is known: the enum needs no code of its own for that.
    ///
    /// The runtime converts an `Err` to a redacted [`JsonError`] before keeping it
    /// ([`UnexpectedStatus::parse_error`]).
    fn from_status(status: u16, body: &[u8]) -> FromStatus<Self>;
}

/// The error type of operations that document no error body, and of [`Error::into_untyped`].
impl OperationError for () {
    fn from_status(_status: u16, _body: &[u8]) -> FromStatus<Self> {
        None
    }
}

/// Why a request could not be built; nothing was sent.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The operation needs an account id and none is configured.
    #[error(
        "no account id is configured: set it with the client builder's `account_id`, \
         CLOUDINARY_ACCOUNT_ID or CLOUDINARY_ACCOUNT_URL, or per call"
    )]
    MissingAccountId,
    /// The configured account id cannot be used as a path segment (empty, `.` or `..`).
    #[error("the account id is empty or is `.`/`..`")]
    InvalidAccountId,
    /// The operation needs credentials and some are missing.
    #[error(
        "the provisioning API {missing} is not configured: set it with the client builder's \
         `credentials`, CLOUDINARY_PROVISIONING_API_KEY and CLOUDINARY_PROVISIONING_API_SECRET, \
         or CLOUDINARY_ACCOUNT_URL"
    )]
    MissingCredentials {
        /// What is missing: `"key and secret"`, `"key"` or `"secret"`.
        missing: &'static str,
    },
    /// The operation requires credentials and none are configured for any of the security
    /// schemes it accepts.
    #[error(
        "{operation_id}: no credentials are configured for the security schemes it accepts \
         ({accepted}); set them on the client builder"
    )]
    NoCredentials {
        /// The spec's operationId.
        operation_id: &'static str,
        /// The schemes it accepts, in words (`` `bearerAuth`, or `apiKey` and `appId` ``).
        accepted: String,
    },
    /// A credentials provider, or an OAuth2 token endpoint, failed; the source says why.
    #[error("could not get credentials for security scheme `{scheme}`: {source}")]
    CredentialsUnavailable {
        /// The security scheme (`basic` for the client's own Basic credentials).
        scheme: &'static str,
        /// Why.
        #[source]
        source: crate::credentials::CredentialsError,
    },
    /// A required request field was not set on the request builder.
    #[error("{operation_id}: the required field `{field}` is not set")]
    MissingField {
        /// The spec's operationId.
        operation_id: &'static str,
        /// The field's name on the wire.
        field: &'static str,
    },
    /// A path parameter cannot be sent as one segment.
    #[error("invalid path parameter: {reason}")]
    InvalidPathParameter {
        /// Why.
        reason: &'static str,
    },
    /// A query value or the body could not be serialized to JSON.
    #[error("could not serialize the {what} to JSON")]
    Serialize {
        /// What was being serialized (`request body`, ``query parameter `x` ``).
        what: String,
        /// The serializer's error, redacted.
        #[source]
        source: JsonError,
    },
    /// A header name or value is not valid.
    #[error("invalid value for header `{name}`")]
    InvalidHeader {
        /// The header name.
        name: String,
    },
    /// A file or stream part of a multipart body could not be read when the call was sent (a
    /// missing file, a failing stream, a part past its bound, a stream sent before).
    #[error("multipart part `{part}` could not be sent: {reason}")]
    MultipartPart {
        /// The part's name.
        part: String,
        /// Why, in words.
        reason: String,
        /// The I/O error, when there was one.
        #[source]
        source: Option<std::io::Error>,
    },
    /// The request URL could not be formed from the server and the path.
    #[error("could not form the request URL: {reason}")]
    InvalidUrl {
        /// The URL parser's message (it never contains the URL).
        reason: String,
    },
}

impl BuildError {
    /// A required request field was not set (used by generated request builders).
    pub fn missing_field(operation_id: &'static str, field: &'static str) -> Self {
        BuildError::MissingField {
            operation_id,
            field,
        }
    }
}

/// The request timed out (connect or total time) on its last attempt.
#[derive(Debug)]
pub struct TimeoutError {
    pub(crate) operation_id: &'static str,
    pub(crate) timeout: Duration,
    pub(crate) scope: TimeoutScope,
    pub(crate) connect: bool,
    pub(crate) attempts: u32,
    pub(crate) source: BoxError,
}

/// Which limit a [`TimeoutError`] hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TimeoutScope {
    /// The per-attempt timeout (or the connect timeout).
    Attempt,
    /// The operation timeout, a bound on the whole call.
    Operation,
    /// Stalled-stream protection: the body brought too few bytes over a grace period.
    Stalled,
}

impl TimeoutError {
    /// The time limit that ran out: the per-attempt timeout, or the operation timeout when
    /// [`TimeoutError::is_operation_timeout`].
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// `true` when the response body stalled (see
    /// [`StalledStreamProtection`](crate::StalledStreamProtection)); [`TimeoutError::timeout`]
    /// is then the grace period.
    pub fn is_stalled(&self) -> bool {
        self.scope == TimeoutScope::Stalled
    }

    /// `true` when the bound on the whole call ran out (see
    /// [`ClientBuilder::operation_timeout`](crate::ClientBuilder::operation_timeout)).
    pub fn is_operation_timeout(&self) -> bool {
        self.scope == TimeoutScope::Operation
    }

    /// `true` when opening the connection timed out, so the request never reached the server.
    pub fn is_connect(&self) -> bool {
        self.connect
    }

    /// How many attempts were made.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The spec's operationId.
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.scope == TimeoutScope::Stalled {
            write!(
                f,
                "{}: the response body stalled (too few bytes over {:?})",
                self.operation_id, self.timeout
            )?;
        } else if self.scope == TimeoutScope::Operation {
            write!(
                f,
                "{}: the operation timeout of {:?} ran out",
                self.operation_id, self.timeout
            )?;
        } else if self.connect {
            write!(f, "{}: timed out while connecting", self.operation_id)?;
        } else {
            write!(
                f,
                "{}: timed out after {:?}",
                self.operation_id, self.timeout
            )?;
        }
        write_attempts(f, self.attempts)
    }
}

impl std::error::Error for TimeoutError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

/// What kind of transport failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TransportKind {
    /// The connection could not be opened: the request never left.
    Connect,
    /// The connection failed after the request may have been sent.
    Interrupted,
    /// The response body stopped before its end: `received` bytes of `expected` (when the
    /// server declared a length) arrived before the connection failed. Transient.
    BodyCutOff {
        received: u64,
        expected: Option<u64>,
    },
    /// A successful response body was larger than `limit` bytes (`declared` when the server
    /// said so up front). Asking again would fetch the same body, so it is not retried.
    BodyTooLarge { limit: u64, declared: Option<u64> },
    /// Anything else (too many redirects, an invalid response, ...).
    Other,
}

/// The request failed below HTTP (connection refused, reset, DNS, TLS, too many redirects...).
#[derive(Debug)]
pub struct TransportError {
    pub(crate) operation_id: &'static str,
    pub(crate) kind: TransportKind,
    pub(crate) attempts: u32,
    pub(crate) source: BoxError,
}

impl TransportError {
    /// `true` when the connection could not be opened, so the request never reached the server.
    pub fn is_connect(&self) -> bool {
        self.kind == TransportKind::Connect
    }

    /// When the response body stopped early: the bytes received and, when the server declared
    /// a length, the bytes expected.
    pub fn body_cut_off(&self) -> Option<(u64, Option<u64>)> {
        match self.kind {
            TransportKind::BodyCutOff { received, expected } => Some((received, expected)),
            _ => None,
        }
    }

    /// `true` when a successful response body was over
    /// [`MAX_RESPONSE_BODY`](crate::MAX_RESPONSE_BODY).
    pub fn is_body_too_large(&self) -> bool {
        matches!(self.kind, TransportKind::BodyTooLarge { .. })
    }

    /// How many attempts were made.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The spec's operationId.
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.operation_id)?;
        match self.kind {
            TransportKind::Connect => f.write_str("could not connect to the server")?,
            TransportKind::Interrupted => {
                f.write_str("the connection failed during the request")?
            }
            TransportKind::BodyCutOff {
                received,
                expected: Some(expected),
            } => write!(
                f,
                "the response body was cut off after {received} of {expected} bytes"
            )?,
            TransportKind::BodyCutOff {
                received,
                expected: None,
            } => write!(f, "the response body was cut off after {received} bytes")?,
            TransportKind::BodyTooLarge {
                limit,
                declared: Some(declared),
            } => write!(
                f,
                "the response body of {declared} bytes is over the limit of {limit} bytes"
            )?,
            TransportKind::BodyTooLarge {
                limit,
                declared: None,
            } => write!(f, "the response body is over the limit of {limit} bytes")?,
            TransportKind::Other => f.write_str("the HTTP request failed")?,
        }
        write_attempts(f, self.attempts)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

fn write_attempts(f: &mut fmt::Formatter<'_>, attempts: u32) -> fmt::Result {
    if attempts > 1 {
        write!(f, " (after {attempts} attempts)")?;
    }
    Ok(())
}

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
    fn excerpt(&self) -> Option<String> {
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

impl ResponseMeta {
    fn request_id(&self) -> Option<&str> {
        request_id(&self.headers)
    }
}

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

/// A documented error status whose body decoded into the operation's error type `E`.
pub struct ApiError<E> {
    // Boxed so that `Result<T, Error<E>>` stays small whatever the response held.
    pub(crate) meta: Box<ResponseMeta>,
    pub(crate) body: Box<E>,
}

impl<E> ApiError<E> {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.meta.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.meta.headers
    }

    /// The `x-request-id` header.
    pub fn request_id(&self) -> Option<&str> {
        self.meta.request_id()
    }

    /// The typed error body.
    pub fn body(&self) -> &E {
        &self.body
    }

    /// Consumes the error, giving the typed body.
    pub fn into_body(self) -> E {
        *self.body
    }

    /// The Cloudinary error envelope parsed from the same body.
    pub fn envelope(&self) -> Option<&ErrorEnvelope> {
        self.meta.envelope.as_ref()
    }

    /// The server's message (from the typed body, else the envelope).
    pub fn message(&self) -> Option<&str> {
        self.meta.message.as_deref()
    }

    /// The raw body, at most [`MAX_ERROR_BODY`] bytes.
    pub fn raw_body(&self) -> &[u8] {
        &self.meta.raw.bytes
    }

    /// `true` when the raw body was longer than [`MAX_ERROR_BODY`] and was cut.
    pub fn is_body_truncated(&self) -> bool {
        self.meta.raw.truncated
    }

    /// How many attempts were made.
    pub fn attempts(&self) -> u32 {
        self.meta.attempts
    }

    /// The spec's operationId.
    pub fn operation_id(&self) -> &'static str {
        self.meta.operation_id
    }

    fn into_untyped(self) -> ApiError<()> {
        self.map_body(|_| ())
    }

    /// The same error with its typed body converted by `f`.
    pub(crate) fn map_body<F>(self, f: impl FnOnce(E) -> F) -> ApiError<F> {
        ApiError {
            meta: self.meta,
            body: Box::new(f(*self.body)),
        }
    }
}

impl<E: fmt::Debug> fmt::Debug for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("meta", &self.meta)
            .field("body", &RedactedDebug(&*self.body))
            .finish()
    }
}

/// Shows a value's `Debug` output with secrets masked. The typed error body is generated code
/// that derives `Debug`, and its unknown-field map or its message can carry what the server
/// echoed (an `api_secret`, a `cloudinary://key:secret@cloud` URL).
struct RedactedDebug<'a, T: ?Sized>(&'a T);

impl<T: fmt::Debug + ?Sized> fmt::Debug for RedactedDebug<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = if f.alternate() {
            format!("{:#?}", self.0)
        } else {
            format!("{:?}", self.0)
        };
        f.write_str(&redact_text(&text))
    }
}

impl<E> fmt::Display for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        display_status(f, &self.meta, false)
    }
}

impl<E: fmt::Debug> std::error::Error for ApiError<E> {}

/// A failing status that is not documented for the operation, or a documented one whose body did
/// not decode into the operation's error type (then [`UnexpectedStatus::parse_error`] says why).
pub struct UnexpectedStatus {
    pub(crate) meta: Box<ResponseMeta>,
    pub(crate) parse_error: Option<JsonError>,
}

impl UnexpectedStatus {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.meta.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.meta.headers
    }

    /// The `x-request-id` header.
    pub fn request_id(&self) -> Option<&str> {
        self.meta.request_id()
    }

    /// The Cloudinary error envelope, when the body had one.
    pub fn envelope(&self) -> Option<&ErrorEnvelope> {
        self.meta.envelope.as_ref()
    }

    /// The server's message from the envelope.
    pub fn message(&self) -> Option<&str> {
        self.meta.message.as_deref()
    }

    /// The raw body, at most [`MAX_ERROR_BODY`] bytes.
    pub fn raw_body(&self) -> &[u8] {
        &self.meta.raw.bytes
    }

    /// `true` when the raw body was longer than [`MAX_ERROR_BODY`] and was cut.
    pub fn is_body_truncated(&self) -> bool {
        self.meta.raw.truncated
    }

    /// Why a documented status's body did not decode into the typed error, if that happened.
    pub fn parse_error(&self) -> Option<&JsonError> {
        self.parse_error.as_ref()
    }

    /// How many attempts were made.
    pub fn attempts(&self) -> u32 {
        self.meta.attempts
    }

    /// The spec's operationId.
    pub fn operation_id(&self) -> &'static str {
        self.meta.operation_id
    }
}

impl fmt::Debug for UnexpectedStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnexpectedStatus")
            .field("meta", &self.meta)
            .field("parse_error", &self.parse_error)
            .finish()
    }
}

impl fmt::Display for UnexpectedStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        display_status(f, &self.meta, true)
    }
}

impl std::error::Error for UnexpectedStatus {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.parse_error.as_ref().map(|e| e as _)
    }
}

fn display_status(
    f: &mut fmt::Formatter<'_>,
    meta: &ResponseMeta,
    body_excerpt: bool,
) -> fmt::Result {
    // The operation first, as Transport, Timeout and Decode errors say it: a log line of a
    // script that calls many operations must tell which one failed.
    if !meta.operation_id.is_empty() {
        write!(f, "{}: ", meta.operation_id)?;
    }
    f.write_str(&status_line(meta.status))?;
    // Without a server message, a short excerpt of the (redacted) body is the best clue,
    // for example the HTML page of a proxy's 502.
    let excerpt = match &meta.message {
        Some(m) => Some(redact_text(m).into_owned()),
        None if body_excerpt => meta.raw.excerpt(),
        None => None,
    };
    if let Some(text) = excerpt {
        write!(f, ": {text}")?;
    }
    Ok(())
}

/// A successful (2xx) response whose body did not decode into the expected type.
pub struct DecodeError {
    pub(crate) meta: Box<ResponseMeta>,
    pub(crate) source: JsonError,
}

impl DecodeError {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.meta.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.meta.headers
    }

    /// The `x-request-id` header.
    pub fn request_id(&self) -> Option<&str> {
        self.meta.request_id()
    }

    /// The raw body, at most [`MAX_ERROR_BODY`] bytes.
    pub fn raw_body(&self) -> &[u8] {
        &self.meta.raw.bytes
    }

    /// Why the body did not decode (also this error's `source()`).
    pub fn parse_error(&self) -> &JsonError {
        &self.source
    }

    /// How many attempts were made.
    pub fn attempts(&self) -> u32 {
        self.meta.attempts
    }

    /// The spec's operationId.
    pub fn operation_id(&self) -> &'static str {
        self.meta.operation_id
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("meta", &self.meta)
            .field("source", &self.source)
            .finish()
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: the response body could not be decoded: {}",
            self.meta.operation_id,
            status_line(self.meta.status),
            // Redacted (see `JsonError`): the reason is shown without walking `source()`.
            self.source
        )
    }
}

// The reason is part of `Display` (so a plain `{err}` says why), so `source()` does not
// repeat it: an error-chain printer would show it twice. `parse_error()` gives it typed.
impl std::error::Error for DecodeError {}

/// The error returned by every operation; `E` is the operation's generated error enum.
///
/// Without a type argument, `Error` is the error of any operation: every `Error<E>` converts
/// into it with `?` or `.into()`, and its typed body comes back with
/// [`downcast`](Error::downcast) or [`AnyOperationError::downcast_ref`](crate::AnyOperationError::downcast_ref).
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E = crate::AnyOperationError> {
    /// Nothing was sent: invalid input, missing account id or credentials, bad header.
    Build(BuildError),
    /// The last attempt timed out; the server may or may not have acted on the request.
    Timeout(TimeoutError),
    /// The connection failed (see [`TransportError::is_connect`] for "never sent").
    Transport(TransportError),
    /// A documented error status with a body of the documented type.
    Api(ApiError<E>),
    /// Any other failing status, or a documented one with a body of another shape.
    UnexpectedStatus(UnexpectedStatus),
    /// A 2xx response whose body did not decode.
    Decode(DecodeError),
}

/// Matchable classification of an [`Error`], independent of the operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// 400 or 422 (validation), other than "already exists".
    BadRequest,
    /// 401: the credentials were rejected.
    Unauthorized,
    /// 403: not allowed.
    Forbidden,
    /// 404.
    NotFound,
    /// 409, or a 400 whose message says "has already been taken".
    Conflict,
    /// 420 or 429: throttled; retry later.
    RateLimited,
    /// 5xx.
    ServerError,
    /// Any other status (other 4xx, unexpected 1xx/3xx).
    OtherStatus,
    /// The request timed out.
    Timeout,
    /// The connection failed.
    Transport,
    /// The request could not be built (invalid input); nothing was sent.
    InvalidRequest,
    /// The account id or the credentials are not configured; nothing was sent.
    Configuration,
    /// A 2xx response body did not decode.
    Decode,
}

impl ErrorKind {
    /// Classifies a failing HTTP status, looking at the message to spot "already exists".
    pub fn from_status(
        status: StatusCode,
        envelope: Option<&ErrorEnvelope>,
        message: Option<&str>,
    ) -> Self {
        match status.as_u16() {
            401 => Self::Unauthorized,
            403 => Self::Forbidden,
            404 => Self::NotFound,
            409 => Self::Conflict,
            420 | 429 => Self::RateLimited,
            400 | 422 if says_already_taken(envelope, message) => Self::Conflict,
            400 | 422 => Self::BadRequest,
            500..=599 => Self::ServerError,
            _ => Self::OtherStatus,
        }
    }
}

fn says_already_taken(envelope: Option<&ErrorEnvelope>, message: Option<&str>) -> bool {
    const NEEDLE: &str = "has already been taken";
    let hit = |s: &str| s.to_ascii_lowercase().contains(NEEDLE);
    message.is_some_and(hit)
        || envelope.is_some_and(|e| {
            e.message.as_deref().is_some_and(hit)
                || e.field_errors.values().flatten().any(|m| hit(m))
        })
}

/// `true` for statuses worth another try by an idempotent caller: throttling and transient 5xx.
pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 420 | 429 | 500 | 502 | 503 | 504)
}

impl<E> Error<E> {
    /// The HTTP status, when a response was received.
    pub fn status(&self) -> Option<StatusCode> {
        self.meta().map(|m| m.status)
    }

    /// The `x-request-id` header, when a response was received.
    pub fn request_id(&self) -> Option<&str> {
        self.meta().and_then(ResponseMeta::request_id)
    }

    /// The response headers, when a response was received.
    pub fn headers(&self) -> Option<&HeaderMap> {
        self.meta().map(|m| &m.headers)
    }

    /// The spec's operationId, when the request got as far as being sent.
    pub fn operation_id(&self) -> Option<&'static str> {
        match self {
            Self::Build(_) => None,
            Self::Timeout(e) => Some(e.operation_id),
            Self::Transport(e) => Some(e.operation_id),
            _ => self.meta().map(|m| m.operation_id),
        }
    }

    /// How many attempts were made (0 when nothing was sent).
    pub fn attempts(&self) -> u32 {
        match self {
            Self::Build(_) => 0,
            Self::Timeout(e) => e.attempts,
            Self::Transport(e) => e.attempts,
            _ => self.meta().map_or(0, |m| m.attempts),
        }
    }

    /// The server's message: the typed body's, else the envelope's `error.message`, else the
    /// field errors joined (`email is invalid; name can't be blank`).
    pub fn message(&self) -> Option<&str> {
        self.meta().and_then(|m| m.message.as_deref())
    }

    /// The Cloudinary error envelope, when a failing response carried one.
    pub fn envelope(&self) -> Option<&ErrorEnvelope> {
        self.meta().and_then(|m| m.envelope.as_ref())
    }

    /// The typed error body, for a documented error status.
    pub fn api_body(&self) -> Option<&E> {
        match self {
            Self::Api(e) => Some(&e.body),
            _ => None,
        }
    }

    /// Whether trying again later may succeed: throttling (420/429), 500/502/503/504, timeouts
    /// and connection failures. This ignores whether the operation is safe to repeat.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Timeout(_) => true,
            Self::Transport(e) => !matches!(
                e.kind,
                TransportKind::Other | TransportKind::BodyTooLarge { .. }
            ),
            Self::Api(_) | Self::UnexpectedStatus(_) => {
                self.status().is_some_and(is_retryable_status)
            }
            Self::Build(_) | Self::Decode(_) => false,
        }
    }

    /// A matchable classification.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Build(
                BuildError::MissingAccountId
                | BuildError::MissingCredentials { .. }
                | BuildError::NoCredentials { .. }
                | BuildError::CredentialsUnavailable { .. },
            ) => ErrorKind::Configuration,
            Self::Build(_) => ErrorKind::InvalidRequest,
            Self::Timeout(_) => ErrorKind::Timeout,
            Self::Transport(_) => ErrorKind::Transport,
            Self::Decode(_) => ErrorKind::Decode,
            Self::Api(e) => {
                ErrorKind::from_status(e.meta.status, e.meta.envelope.as_ref(), e.message())
            }
            Self::UnexpectedStatus(e) => {
                ErrorKind::from_status(e.meta.status, e.meta.envelope.as_ref(), e.message())
            }
        }
    }

    /// Drops the typed body, keeping everything else (status, headers, envelope, raw body).
    pub fn into_untyped(self) -> Error<()> {
        self.map_api(ApiError::into_untyped)
    }

    /// The same error with its [`ApiError`] (if it is one) replaced by `f`'s; every other
    /// variant has no typed body and is kept as it is.
    pub(crate) fn map_api<F>(self, f: impl FnOnce(ApiError<E>) -> ApiError<F>) -> Error<F> {
        match self {
            Self::Build(e) => Error::Build(e),
            Self::Timeout(e) => Error::Timeout(e),
            Self::Transport(e) => Error::Transport(e),
            Self::Api(e) => Error::Api(f(e)),
            Self::UnexpectedStatus(e) => Error::UnexpectedStatus(e),
            Self::Decode(e) => Error::Decode(e),
        }
    }

    fn meta(&self) -> Option<&ResponseMeta> {
        match self {
            Self::Api(e) => Some(&e.meta),
            Self::UnexpectedStatus(e) => Some(&e.meta),
            Self::Decode(e) => Some(&e.meta),
            Self::Build(_) | Self::Timeout(_) | Self::Transport(_) => None,
        }
    }
}

impl<E> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Build(e) => fmt::Display::fmt(e, f),
            Self::Timeout(e) => fmt::Display::fmt(e, f),
            Self::Transport(e) => fmt::Display::fmt(e, f),
            Self::Api(e) => fmt::Display::fmt(e, f),
            Self::UnexpectedStatus(e) => fmt::Display::fmt(e, f),
            Self::Decode(e) => fmt::Display::fmt(e, f),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    // Each variant's Display is shown as this error's Display, so the next link in the chain is
    // the variant's own cause, not the variant (which would print the same text twice).
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Build(e) => e.source(),
            Self::Timeout(e) => e.source(),
            Self::Transport(e) => e.source(),
            Self::Api(e) => e.source(),
            Self::UnexpectedStatus(e) => e.source(),
            Self::Decode(e) => e.source(),
        }
    }
}

impl<E> From<BuildError> for Error<E> {
    fn from(e: BuildError) -> Self {
        Self::Build(e)
    }
}

/// The Cloudinary error body, parsed from any failing response of any endpoint.
///
/// Recognised shapes:
/// - `{"error": {"message", "category", "code", "details"}}` (v1_1 and permissions APIs);
/// - `{"error": "text"}` and `{"message": "text"}`;
/// - bare field maps `{"email": ["is invalid"]}` or `{"email": "has already been taken"}`,
///   collected into [`ErrorEnvelope::field_errors`].
///
/// Its contents are redacted (see [`crate::redact`]): it is meant to be shown. The raw body on
/// the error keeps the exact bytes.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct ErrorEnvelope {
    /// `error.message` (or `error` when it is a string).
    pub message: Option<String>,
    /// `error.category` (permissions API).
    pub category: Option<String>,
    /// `error.code` (a number is kept as its decimal text).
    pub code: Option<String>,
    /// `error.details` when it is an object (kept whole; it is free-form).
    pub details: Option<Map<String, Value>>,
    /// Field name -> messages, from a bare field map or from string entries of `details`.
    pub field_errors: BTreeMap<String, Vec<String>>,
}

impl ErrorEnvelope {
    /// Parses a body; `None` for non-JSON bodies and for JSON that says nothing (`{}`), so that
    /// an empty envelope never hides the raw body.
    pub fn parse(body: &[u8]) -> Option<ErrorEnvelope> {
        let value: Value = serde_json::from_slice(body).ok()?;
        let mut env = ErrorEnvelope::default();
        match value {
            Value::String(s) => env.message = non_empty(&s),
            Value::Object(map) => {
                for (key, value) in map {
                    match (key.as_str(), value) {
                        ("error", Value::Object(err)) => env.read_error_object(err),
                        ("error" | "message", Value::String(s)) if env.message.is_none() => {
                            env.message = non_empty(&s);
                        }
                        (_, value) => env.add_field_error(key, &value),
                    }
                }
            }
            _ => return None,
        }
        // A value the body holds under a secret key may be repeated in a message.
        env.mask_values(&sensitive_values(&String::from_utf8_lossy(body)));
        (!env.is_empty()).then_some(env)
    }

    /// Masks `secrets` in every text the envelope holds.
    fn mask_values(&mut self, secrets: &[String]) {
        if secrets.is_empty() {
            return;
        }
        for text in [&mut self.message, &mut self.category, &mut self.code]
            .into_iter()
            .flatten()
        {
            if let Cow::Owned(m) = mask_values(text, secrets) {
                *text = m;
            }
        }
        for (field, messages) in std::mem::take(&mut self.field_errors) {
            let messages = messages
                .iter()
                .map(|m| mask_values(m, secrets).into_owned())
                .collect();
            self.field_errors
                .insert(mask_values(&field, secrets).into_owned(), messages);
        }
        if let Some(details) = self.details.take() {
            let mut value = Value::Object(details);
            mask_values_in_json(&mut value, secrets);
            if let Value::Object(map) = value {
                self.details = Some(map);
            }
        }
    }

    fn read_error_object(&mut self, err: Map<String, Value>) {
        for (key, value) in err {
            match (key.as_str(), value) {
                ("message", Value::String(s)) => self.message = non_empty(&s),
                ("category", Value::String(s)) => self.category = non_empty(&s),
                ("code", Value::String(s)) => self.code = non_empty(&s),
                ("code", Value::Number(n)) => self.code = Some(n.to_string()),
                ("details", Value::Object(mut details)) => {
                    redact_json_map(&mut details);
                    for (field, v) in &details {
                        self.add_field_error(field.clone(), v);
                    }
                    if !details.is_empty() {
                        self.details = Some(details);
                    }
                }
                _ => {}
            }
        }
    }

    /// Adds `field: "msg"` or `field: ["msg", ...]`; other values are not field errors, and
    /// secret-named members never are.
    fn add_field_error(&mut self, field: String, value: &Value) {
        if is_sensitive_key(&field) {
            return;
        }
        let messages: Vec<String> = match value {
            Value::String(s) => non_empty(s).into_iter().collect(),
            Value::Array(items) => items
                .iter()
                .filter_map(|v| v.as_str().and_then(non_empty))
                .collect(),
            _ => Vec::new(),
        };
        if !messages.is_empty() {
            // The name comes from the server too, and `summary` shows it.
            let field = redact_text(&field).into_owned();
            self.field_errors.entry(field).or_default().extend(messages);
        }
    }

    /// `true` when nothing was found.
    pub fn is_empty(&self) -> bool {
        self.message.is_none()
            && self.category.is_none()
            && self.code.is_none()
            && self.details.is_none()
            && self.field_errors.is_empty()
    }

    /// The message, else the field errors joined as `email is invalid, bad; name can't be blank`.
    pub fn summary(&self) -> Option<String> {
        if let Some(m) = &self.message {
            return Some(m.clone());
        }
        if self.field_errors.is_empty() {
            return None;
        }
        let parts: Vec<String> = self
            .field_errors
            .iter()
            .map(|(field, msgs)| format!("{field} {}", msgs.join(", ")))
            .collect();
        Some(parts.join("; "))
    }
}

/// Trimmed, redacted, and `None` when empty.
fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| redact_text(t).into_owned())
}

fn redact_json_map(map: &mut Map<String, Value>) {
    let mut value = Value::Object(std::mem::take(map));
    redact_json(&mut value);
    if let Value::Object(m) = value {
        *map = m;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::response::RawResponse;

    #[derive(Debug, PartialEq)]
    enum GetUserError {
        NotFound(String),
    }

    impl OperationError for GetUserError {
        fn from_status(status: u16, body: &[u8]) -> FromStatus<Self> {
            #[derive(serde::Deserialize)]
            struct Body {
                error: Inner,
            }
            #[derive(serde::Deserialize)]
            struct Inner {
                message: String,
            }
            match status {
                404 => Some(serde_json::from_slice::<Body>(body).map(|b| {
                    let message = b.error.message;
                    (Self::NotFound(message.clone()), Some(message))
                })),
                _ => None,
            }
        }
    }

    fn raw(status: u16, body: &str) -> RawResponse {
        let mut headers = HeaderMap::new();
        headers.insert("x-request-id", "req-1".parse().unwrap());
        RawResponse::new(
            "getUser",
            StatusCode::from_u16(status).unwrap(),
            headers,
            Bytes::from(body.to_owned()),
            1,
        )
    }

    fn err(status: u16, body: &str) -> Error<GetUserError> {
        raw(status, body).into_error()
    }

    #[test]
    fn the_envelope_masks_values_the_body_holds_under_secret_keys() {
        let body = br#"{"api_secret":"S3cr3tValue1","error":{"message":"S3cr3tValue1 is wrong","details":{"S3cr3tValue1":"again S3cr3tValue1"}}}"#;
        let env = ErrorEnvelope::parse(body).expect("an envelope");
        let shown = format!("{env:?}");
        assert!(!shown.contains("S3cr3tValue1"), "{shown}");
        assert_eq!(env.message.as_deref(), Some("*** is wrong"));
        let fields =
            ErrorEnvelope::parse(br#"{"password":"P4ssw0rdXY","email":["P4ssw0rdXY bad"]}"#)
                .expect("field errors");
        assert!(!format!("{fields:?}").contains("P4ssw0rdXY"), "{fields:?}");
    }

    #[test]
    fn envelope_shapes() {
        let e = ErrorEnvelope::parse(br#"{"error":{"message":"nope"}}"#).unwrap();
        assert_eq!(e.message.as_deref(), Some("nope"));

        let e = ErrorEnvelope::parse(
            br#"{"error":{"message":"m","category":"c","code":"E1","details":{"policy":"bad","n":1}}}"#,
        )
        .unwrap();
        assert_eq!(e.category.as_deref(), Some("c"));
        assert_eq!(e.code.as_deref(), Some("E1"));
        assert_eq!(
            e.details.as_ref().unwrap().get("n"),
            Some(&serde_json::json!(1))
        );
        assert_eq!(e.field_errors["policy"], vec!["bad"]);

        let e = ErrorEnvelope::parse(br#"{"error":{"code":403}}"#).unwrap();
        assert_eq!(e.code.as_deref(), Some("403"));

        let e = ErrorEnvelope::parse(br#"{"error":"text"}"#).unwrap();
        assert_eq!(e.message.as_deref(), Some("text"));

        let e = ErrorEnvelope::parse(br#"{"email":["is invalid"]}"#).unwrap();
        assert_eq!(e.field_errors["email"], vec!["is invalid"]);
        assert_eq!(e.summary().as_deref(), Some("email is invalid"));

        let e = ErrorEnvelope::parse(br#"{"email":"has already been taken","name":["a","b"]}"#)
            .unwrap();
        assert_eq!(
            e.summary().as_deref(),
            Some("email has already been taken; name a, b")
        );

        // Nothing to say: no empty details.
        for body in [
            &b"{}"[..],
            b"",
            b"<html>oops</html>",
            b"[]",
            b"null",
            br#"{"error":{}}"#,
            br#"{"email":[]}"#,
        ] {
            assert_eq!(
                ErrorEnvelope::parse(body),
                None,
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn documented_status_gives_api_error() {
        let e = err(404, r#"{"error":{"message":"nope"}}"#);
        assert!(matches!(&e, Error::Api(a) if a.body() == &GetUserError::NotFound("nope".into())));
        assert_eq!(e.to_string(), "getUser: 404 Not Found: nope");
        assert_eq!(e.status(), Some(StatusCode::NOT_FOUND));
        assert_eq!(e.request_id(), Some("req-1"));
        assert_eq!(e.message(), Some("nope"));
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert_eq!(e.attempts(), 1);
        assert_eq!(e.operation_id(), Some("getUser"));
        assert!(!e.is_retryable());
        assert!(std::error::Error::source(&e).is_none());

        let u = e.into_untyped();
        assert!(matches!(&u, Error::Api(_)));
        assert_eq!(u.message(), Some("nope"));
        assert_eq!(u.to_string(), "getUser: 404 Not Found: nope");
    }

    #[test]
    fn documented_status_with_other_shape_keeps_status_and_parse_error() {
        let e = err(404, r#"{"error":"gone"}"#);
        let Error::UnexpectedStatus(u) = &e else {
            panic!("{e:?}")
        };
        assert!(u.parse_error().is_some());
        assert_eq!(e.message(), Some("gone"));
        assert_eq!(e.to_string(), "getUser: 404 Not Found: gone");
        assert!(std::error::Error::source(&e).is_some());
        assert_eq!(e.kind(), ErrorKind::NotFound);
    }

    #[test]
    fn undocumented_status_uses_envelope_or_body_excerpt() {
        let e = err(500, r#"{"error":{"message":"boom"}}"#);
        assert!(matches!(&e, Error::UnexpectedStatus(u) if u.parse_error().is_none()));
        assert_eq!(e.to_string(), "getUser: 500 Internal Server Error: boom");
        assert_eq!(e.kind(), ErrorKind::ServerError);
        assert!(e.is_retryable());

        let e = err(502, "<html>\n  <b>Bad gateway</b>\n</html>");
        assert_eq!(
            e.to_string(),
            "getUser: 502 Bad Gateway: <html> <b>Bad gateway</b> </html>"
        );
        assert_eq!(e.message(), None);
        assert!(e.envelope().is_none());

        let e = err(500, "");
        assert_eq!(e.to_string(), "getUser: 500 Internal Server Error");
    }

    #[test]
    fn kinds() {
        let cases: &[(u16, &str, ErrorKind)] = &[
            (400, r#"{"error":{"message":"bad"}}"#, ErrorKind::BadRequest),
            (
                400,
                r#"{"email":["has already been taken"]}"#,
                ErrorKind::Conflict,
            ),
            (
                400,
                r#"{"error":{"message":"Email Has already been taken"}}"#,
                ErrorKind::Conflict,
            ),
            (401, "", ErrorKind::Unauthorized),
            (403, "", ErrorKind::Forbidden),
            (404, "", ErrorKind::NotFound),
            (409, "", ErrorKind::Conflict),
            (420, "", ErrorKind::RateLimited),
            (429, "", ErrorKind::RateLimited),
            (422, "", ErrorKind::BadRequest),
            (405, "", ErrorKind::OtherStatus),
            (304, "", ErrorKind::OtherStatus),
            (500, "", ErrorKind::ServerError),
            (503, "", ErrorKind::ServerError),
        ];
        for (status, body, kind) in cases {
            assert_eq!(err(*status, body).kind(), *kind, "{status} {body}");
        }
        assert_eq!(err(420, "").to_string(), "getUser: 420 Rate Limited");
        let build: Error<()> = BuildError::MissingAccountId.into();
        assert_eq!(build.kind(), ErrorKind::Configuration);
        assert_eq!(build.attempts(), 0);
        let build: Error<()> = BuildError::InvalidPathParameter { reason: "x" }.into();
        assert_eq!(build.kind(), ErrorKind::InvalidRequest);
        let build: Error<()> = BuildError::missing_field("createUser", "email").into();
        assert_eq!(build.kind(), ErrorKind::InvalidRequest);
        assert_eq!(
            build.to_string(),
            "createUser: the required field `email` is not set"
        );
    }

    #[test]
    fn retryable_statuses() {
        for (status, want) in [
            (420, true),
            (429, true),
            (500, true),
            (502, true),
            (503, true),
            (504, true),
            (501, false),
            (400, false),
            (404, false),
        ] {
            assert_eq!(err(status, "").is_retryable(), want, "{status}");
        }
    }

    #[test]
    fn secrets_are_redacted_in_debug_and_display() {
        let body = r#"{"api_secret":"TOPSECRET","note":"cloudinary://k:TOPSECRET2@c"}"#;
        let e = err(500, body);
        let shown = format!("{e} {e:?}");
        assert!(!shown.contains("TOPSECRET"), "{shown}");
        // The raw bytes themselves are kept for the caller.
        assert_eq!(e.headers().unwrap().get("x-request-id").unwrap(), "req-1");
        let Error::UnexpectedStatus(u) = &e else {
            panic!()
        };
        assert_eq!(u.raw_body(), body.as_bytes());

        let e = err(
            400,
            r#"{"error":{"message":"bad url account://k:SECRET3@acc"}}"#,
        );
        assert!(!format!("{e} {e:?}").contains("SECRET3"));
    }

    #[test]
    fn typed_bodies_and_their_messages_are_redacted_in_debug() {
        // A documented status: the typed body (derived `Debug`) and the message taken from it
        // must not show the secret, in plain or pretty `Debug`.
        let e = err(
            404,
            r#"{"error":{"message":"key cloudinary://k:SECRET4@c is gone"}}"#,
        );
        assert!(matches!(e, Error::Api(_)));
        for shown in [format!("{e} {e:?}"), format!("{e:#?}")] {
            assert!(!shown.contains("SECRET4"), "{shown}");
        }
        assert_eq!(e.message(), Some("key cloudinary://***@c is gone"));

        #[derive(Debug)]
        struct Typed {
            #[allow(dead_code)]
            extra: std::collections::BTreeMap<String, serde_json::Value>,
        }
        let typed = Typed {
            extra: [("api_secret".to_owned(), serde_json::json!("SECRET5"))].into(),
        };
        let plain = format!("{:?}", RedactedDebug(&typed));
        let pretty = format!("{:#?}", RedactedDebug(&typed));
        for shown in [&plain, &pretty] {
            assert!(!shown.contains("SECRET5"), "{shown}");
            assert!(shown.contains("api_secret"), "{shown}");
        }
    }

    /// Everything an error can show: `Display`, `Debug`, alternate `Debug`, and the same for
    /// every link of the `source()` chain.
    fn everything_shown(e: &(dyn std::error::Error + 'static)) -> String {
        let mut shown = String::new();
        let mut next = Some(e);
        while let Some(e) = next {
            shown.push_str(&format!("{e}\n{e:?}\n{e:#?}\n"));
            next = e.source();
        }
        shown
    }

    #[test]
    fn serde_errors_of_a_documented_status_are_redacted_everywhere() {
        // The audit's case: a documented 404 whose body has another shape, so serde's message
        // repeats the string it could not use.
        let e = err(
            404,
            r#"{"error":"see cloudinary://123:TOPSECRETVALUE@demo"}"#,
        );
        let Error::UnexpectedStatus(u) = &e else {
            panic!("{e:?}")
        };
        let parse = u.parse_error().expect("the typed body did not decode");
        assert!(parse.is_data());
        assert!(parse.message().contains("cloudinary://***@demo"), "{parse}");
        assert_eq!((parse.line(), parse.column()), (1, 51));
        assert!(
            parse.to_string().ends_with(" at line 1 column 51"),
            "{parse}"
        );
        let shown = everything_shown(&e);
        assert!(!shown.contains("TOPSECRETVALUE"), "{shown}");
        // The chain really has the parse error in it.
        assert!(shown.contains("invalid type"), "{shown}");
        assert!(!everything_shown(u).contains("TOPSECRETVALUE"));
    }

    #[test]
    fn decode_errors_are_redacted_everywhere() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Envs {
            sub_accounts: Vec<String>,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Key {
            api_secret: crate::SecretString,
        }
        let e = raw(200, r#"{"sub_accounts": "cloudinary://1:TOPSECRET@x"}"#)
            .into_json::<Envs, ()>()
            .unwrap_err();
        let Error::Decode(d) = &e else { panic!() };
        assert!(d.parse_error().is_data());
        let shown = everything_shown(&e);
        assert!(!shown.contains("TOPSECRET"), "{shown}");
        assert!(shown.contains("cloudinary://***@x"), "{shown}");

        // serde's message repeats a value without its key; a value the body holds under a
        // secret name is masked in it all the same.
        let e = raw(200, r#"{"api_secret": 918273645501}"#)
            .into_json::<Key, ()>()
            .unwrap_err();
        let shown = everything_shown(&e);
        assert!(!shown.contains("918273645501"), "{shown}");
        assert!(shown.contains("invalid type: integer `***`"), "{shown}");
        let e = raw(200, r#"{"api_secret": "not-a-date-SECRETX"}"#)
            .into_json::<std::collections::BTreeMap<String, crate::Date>, ()>()
            .unwrap_err();
        let shown = everything_shown(&e);
        assert!(!shown.contains("SECRETX"), "{shown}");

        // Syntax errors keep their position and category.
        let e = raw(200, "{\n  \"a\": [")
            .into_json::<Envs, ()>()
            .unwrap_err();
        let Error::Decode(d) = &e else { panic!() };
        assert!(d.parse_error().is_eof());
        assert_eq!(d.parse_error().line(), 2);
    }

    #[test]
    fn server_chosen_header_and_field_names_are_redacted() {
        let mut r = raw(500, r#"{"cloudinary://k:FIELDSECRET@c": ["is bad"]}"#);
        r.headers.insert(
            "x-request-id",
            "cloudinary://k:RIDSECRET@c".parse().unwrap(),
        );
        let e: Error<()> = r.into_error();
        assert_eq!(e.message(), Some("cloudinary://***@c is bad"));
        let shown = everything_shown(&e);
        assert!(!shown.contains("FIELDSECRET"), "{shown}");
        assert!(!shown.contains("RIDSECRET"), "{shown}");
        // The accessor still gives the header as sent.
        assert_eq!(e.request_id(), Some("cloudinary://k:RIDSECRET@c"));
    }

    #[test]
    fn json_error_mirrors_serde_display_and_category() {
        for bad in ["{", "[1,]", "\"x\"", "nul"] {
            let serde = serde_json::from_str::<Vec<u8>>(bad).unwrap_err();
            let ours = JsonError::new(&serde);
            assert_eq!(ours.to_string(), serde.to_string(), "{bad}");
            assert_eq!(ours.category(), serde.classify(), "{bad}");
            assert_eq!((ours.line(), ours.column()), (serde.line(), serde.column()));
            assert!(std::error::Error::source(&ours).is_none());
        }
        // No position: no suffix.
        let serde = <serde_json::Error as serde::de::Error>::custom("at cloudinary://a:SECRETY@c");
        let ours = JsonError::from(serde);
        assert_eq!(ours.to_string(), "at cloudinary://***@c");
        assert!(!format!("{ours:?}").contains("SECRETY"));
    }

    #[test]
    fn raw_body_is_bounded() {
        let big = "x".repeat(MAX_ERROR_BODY + 10);
        let e = err(500, &big);
        let Error::UnexpectedStatus(u) = &e else {
            panic!()
        };
        assert_eq!(u.raw_body().len(), MAX_ERROR_BODY);
        assert!(u.is_body_truncated());
        assert!(e.to_string().len() < 300);
    }

    #[test]
    fn decode_and_transport_display_do_not_repeat_the_cause() {
        let r = raw(200, "{not json");
        let e = r.into_json::<serde_json::Value, ()>().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode);
        // The reason is in the Display, so it is not the source as well.
        assert_eq!(
            e.to_string(),
            "getUser: 200 OK: the response body could not be decoded: key must be a string at line 1 column 2"
        );
        assert!(std::error::Error::source(&e).is_none());

        let t: Error<()> = Error::Transport(TransportError {
            operation_id: "op",
            kind: TransportKind::Connect,
            attempts: 3,
            source: "connection refused".into(),
        });
        assert_eq!(
            t.to_string(),
            "op: could not connect to the server (after 3 attempts)"
        );
        assert_eq!(
            std::error::Error::source(&t).unwrap().to_string(),
            "connection refused"
        );
        assert!(t.is_retryable());
        assert_eq!(t.kind(), ErrorKind::Transport);
    }
}
