//! [`JsonError`]: the redacted form in which every JSON error is kept.

use std::borrow::Cow;
use std::fmt;

use crate::echo_mask::EchoMask;
use crate::redact::{mask_values, redact_text, sensitive_values};

pub use serde_json::error::Category as JsonErrorCategory;

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
