//! [`ErrorKind`]: the matchable classification of an error, whatever the operation.

use http::StatusCode;

#[cfg(doc)]
use super::Error;
use super::ErrorEnvelope;

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
