//! [`AnyOperationError`]: the typed error body of any operation, so that the errors of
//! different operations share one type.
//!
//! Each operation fails with `Error<E>`, `E` its own enum of documented error statuses. A
//! program that calls two operations in one function wants one error type for `?`; without
//! one it falls back to `Box<dyn std::error::Error>` and loses the status, the request id and
//! the typed body. So `Error` without a type argument is `Error<AnyOperationError>`, every
//! `Error<E>` converts into it, and the typed body comes back by downcasting, as the AWS SDK
//! for Rust does with its crate-level `Error` and `into_service_error`.
//!
//! ```
//! use cld_provisioning_runtime::{AnyOperationError, BuildError, Error};
//!
//! fn both() -> Result<(), Error> {
//!     // Two operations with different error enums; `?` converts both.
//!     let first: Result<(), Error<()>> = Ok(());
//!     first?;
//!     let second: Result<(), Error<()>> = Err(Error::Build(BuildError::MissingAccountId));
//!     second?;
//!     Ok(())
//! }
//! let err = both().unwrap_err();
//! assert!(err.api_body().and_then(AnyOperationError::downcast_ref::<()>).is_none());
//! assert!(matches!(err.downcast::<()>(), Ok(Error::Build(BuildError::MissingAccountId))));
//! ```

use std::any::Any;
use std::fmt;

use crate::error::{ApiError, Error, OperationError};

/// The typed error body of some operation, its type erased: what [`Error`] (without a type
/// argument) holds in [`Error::Api`]. Get the operation's own enum back with
/// [`downcast_ref`](Self::downcast_ref) or [`downcast`](Self::downcast). Generated operations
/// that document the same errors share one enum (their error types are aliases of it), so a
/// body of any of them downcasts to any of those names.
pub struct AnyOperationError(Box<dyn ErasedBody>);

/// What an erased body keeps of its [`OperationError`]: its `Debug` and its type. (The
/// server's message is on the [`Error`] itself: [`Error::message`].)
trait ErasedBody: fmt::Debug + Send + Sync + 'static {
    fn as_any(&self) -> &dyn Any;
    fn into_any(self: Box<Self>) -> Box<dyn Any>;
}

impl<E: OperationError> ErasedBody for E {
    fn as_any(&self) -> &dyn Any {
        self
    }

    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        self
    }
}

impl AnyOperationError {
    /// Erases the type of an operation's error body.
    pub fn new<E: OperationError>(body: E) -> Self {
        Self(Box::new(body))
    }

    /// The body as the operation's error enum `E`, if it is one.
    pub fn downcast_ref<E: OperationError>(&self) -> Option<&E> {
        self.0.as_any().downcast_ref()
    }

    /// The body as the operation's error enum `E`; the body itself when it is another type.
    pub fn downcast<E: OperationError>(self) -> Result<E, Self> {
        if !self.is::<E>() {
            return Err(self);
        }
        // `is` said it is an `E`, so this downcast succeeds; were it ever to fail, the body
        // would already be gone, and an empty one is returned rather than a panic.
        self.0
            .into_any()
            .downcast::<E>()
            .map(|body| *body)
            .map_err(|_| Self::new(()))
    }

    /// `true` when the body is the operation's error enum `E`.
    pub fn is<E: OperationError>(&self) -> bool {
        self.0.as_any().is::<E>()
    }
}

impl fmt::Debug for AnyOperationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl<E: OperationError> From<Error<E>> for Error<AnyOperationError> {
    fn from(error: Error<E>) -> Self {
        error.map_api(|api| api.map_body(AnyOperationError::new))
    }
}

impl Error<AnyOperationError> {
    /// The operation's own `Error<E>` back: always for the variants without a typed body, and
    /// for [`Error::Api`] when its body is an `E`; otherwise the error unchanged.
    pub fn downcast<E: OperationError>(self) -> Result<Error<E>, Self> {
        Ok(match self {
            Self::Api(ApiError { meta, body }) => match body.downcast::<E>() {
                Ok(body) => Error::Api(ApiError {
                    meta,
                    body: Box::new(body),
                }),
                Err(body) => {
                    return Err(Self::Api(ApiError {
                        meta,
                        body: Box::new(body),
                    }));
                }
            },
            Self::Build(e) => Error::Build(e),
            Self::Timeout(e) => Error::Timeout(e),
            Self::Transport(e) => Error::Transport(e),
            Self::UnexpectedStatus(e) => Error::UnexpectedStatus(e),
            Self::Decode(e) => Error::Decode(e),
        })
    }
}
