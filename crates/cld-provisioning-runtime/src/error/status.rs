//! The errors of a failing status: [`ApiError`] (a documented status with its typed body) and
//! [`UnexpectedStatus`] (any other, or a documented one whose body had another shape).

use std::fmt;

use super::JsonError;
use super::meta::{ResponseMeta, response_accessors, status_line};
use crate::redact::{RedactedDebug, redact_text};

/// A documented error status whose body decoded into the operation's error type `E`.
pub struct ApiError<E> {
    // Boxed so that `Result<T, Error<E>>` stays small whatever the response held.
    pub(crate) meta: Box<ResponseMeta>,
    pub(crate) body: Box<E>,
}

impl<E> ApiError<E> {
    response_accessors!(all);

    /// The typed error body.
    pub fn body(&self) -> &E {
        &self.body
    }

    /// Consumes the error, giving the typed body.
    pub fn into_body(self) -> E {
        *self.body
    }

    pub(super) fn into_untyped(self) -> ApiError<()> {
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
    response_accessors!(all);

    /// Why a documented status's body did not decode into the typed error, if that happened.
    pub fn parse_error(&self) -> Option<&JsonError> {
        self.parse_error.as_ref()
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
