//! The errors of a request that may or may not have reached the server: [`TimeoutError`] and
//! [`TransportError`], with the kinds the send loop and the retry policy tell apart.

use std::fmt;
use std::time::Duration;

use super::BoxError;

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
