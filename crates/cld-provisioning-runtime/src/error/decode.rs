//! [`DecodeError`]: a successful response whose body did not decode.

use std::fmt;

use super::JsonError;
use super::meta::{ResponseMeta, response_accessors, status_line};

/// A successful (2xx) response whose body did not decode into the expected type.
pub struct DecodeError {
    pub(crate) meta: Box<ResponseMeta>,
    pub(crate) source: JsonError,
}

impl DecodeError {
    response_accessors!(
        status,
        headers,
        request_id,
        raw_body,
        attempts,
        operation_id,
    );

    /// Why the body did not decode (also this error's `source()`).
    pub fn parse_error(&self) -> &JsonError {
        &self.source
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
