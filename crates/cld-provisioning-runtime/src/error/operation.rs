//! What a generated per-operation error enum implements ([`OperationError`]) and what a
//! generated error body model implements ([`ErrorMessage`]).

use std::fmt;

#[cfg(doc)]
use super::{Error, JsonError, UnexpectedStatus};

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
