//! The SDK's error type [`Error`] and what it is made of.
//!
//! Three situations are kept apart, as smithy-rs does: nothing was sent ([`Error::Build`]), the
//! request may or may not have reached the server ([`Error::Timeout`], [`Error::Transport`]),
//! and a response came back ([`Error::Api`], [`Error::UnexpectedStatus`], [`Error::Decode`]).
//! `Display` gives the status and the server's message; the underlying cause is only in
//! `source()`, so a report that walks the chain prints each thing once.

//!
//! One file per concern: the [`Error`] enum and its questions (here), [`ErrorKind`]
//! (`kind`), [`BuildError`] (`build`), timeouts and transport failures (`connection`), the
//! failing-status errors [`ApiError`] and [`UnexpectedStatus`] (`status`), [`DecodeError`]
//! (`decode`), what they share about the response and its one set of accessors (`meta`), the
//! [`ErrorEnvelope`] (`envelope`), the redacted [`JsonError`] (`json`), and what generated
//! code implements (`operation`).

use std::fmt;

use http::{HeaderMap, StatusCode};

use crate::retry::DEFAULT_RETRYABLE_STATUSES;

mod build;
mod connection;
mod decode;
mod envelope;
mod json;
mod kind;
mod meta;
pub(crate) mod operation;
mod status;
#[cfg(test)]
mod tests;

pub use build::BuildError;
pub use connection::{TimeoutError, TransportError};
pub(crate) use connection::{TimeoutScope, TransportKind};
pub use decode::DecodeError;
pub use envelope::ErrorEnvelope;
pub use json::{JsonError, JsonErrorCategory};
pub use kind::ErrorKind;
pub use meta::MAX_ERROR_BODY;
pub(crate) use meta::{RawBody, ResponseMeta, request_id};
pub use operation::ErrorMessage;
pub(crate) use operation::OperationError;
pub use status::{ApiError, UnexpectedStatus};

/// Boxed cause of a transport failure; reqwest's error type is not part of the public API.
pub(crate) type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

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

impl Error<std::convert::Infallible> {
    /// An error that arose before any response was matched to an operation's error type
    /// (building, sending, reading), as the error of the operation `E`.
    pub(crate) fn widen<E>(self) -> Error<E> {
        match self {
            Error::Build(e) => Error::Build(e),
            Error::Timeout(e) => Error::Timeout(e),
            Error::Transport(e) => Error::Transport(e),
            Error::UnexpectedStatus(e) => Error::UnexpectedStatus(e),
            Error::Decode(e) => Error::Decode(e),
            Error::Api(e) => match *e.body {},
        }
    }
}

impl<E> Error<E> {
    /// The HTTP status, when a response was received.
    pub fn status(&self) -> Option<StatusCode> {
        self.meta().map(ResponseMeta::status)
    }

    /// The `x-request-id` header, when a response was received.
    pub fn request_id(&self) -> Option<&str> {
        self.meta().and_then(ResponseMeta::request_id)
    }

    /// The response headers, when a response was received.
    pub fn headers(&self) -> Option<&HeaderMap> {
        self.meta().map(ResponseMeta::headers)
    }

    /// The spec's operationId, when the request got as far as being sent.
    pub fn operation_id(&self) -> Option<&'static str> {
        match self {
            Self::Build(_) => None,
            Self::Timeout(e) => Some(e.operation_id),
            Self::Transport(e) => Some(e.operation_id),
            _ => self.meta().map(ResponseMeta::operation_id),
        }
    }

    /// How many attempts were made (0 when nothing was sent).
    pub fn attempts(&self) -> u32 {
        match self {
            Self::Build(_) => 0,
            Self::Timeout(e) => e.attempts,
            Self::Transport(e) => e.attempts,
            _ => self.meta().map_or(0, ResponseMeta::attempts),
        }
    }

    /// The server's message: the typed body's, else the envelope's `error.message`, else the
    /// field errors joined (`email is invalid; name can't be blank`).
    pub fn message(&self) -> Option<&str> {
        self.meta().and_then(ResponseMeta::message)
    }

    /// The Cloudinary error envelope, when a failing response carried one.
    pub fn envelope(&self) -> Option<&ErrorEnvelope> {
        self.meta().and_then(ResponseMeta::envelope)
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
            // The same table as the retry policy's default, so the two never disagree.
            Self::Api(_) | Self::UnexpectedStatus(_) => self
                .status()
                .is_some_and(|s| DEFAULT_RETRYABLE_STATUSES.contains(&s.as_u16())),
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
            Self::Api(e) => ErrorKind::from_status(e.status(), e.envelope(), e.message()),
            Self::UnexpectedStatus(e) => {
                ErrorKind::from_status(e.status(), e.envelope(), e.message())
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
