//! The generator's one error type: every failure names the file and the JSON pointer of the
//! spec node it is about, so a bad spec is fixed at the right place.

use std::fmt;

/// A generator failure with the location it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenError {
    /// The spec file (or output directory) the error is about.
    pub file: String,
    /// A JSON pointer into the spec (`/paths/~1users/get`), or a line/column for YAML syntax errors.
    pub pointer: String,
    /// What is wrong, in one line.
    pub message: String,
}

impl GenError {
    /// An error at `pointer` in `file`.
    pub fn new(file: &str, pointer: &str, message: impl Into<String>) -> Self {
        GenError {
            file: file.to_string(),
            pointer: pointer.to_string(),
            message: message.into(),
        }
    }
}

impl fmt::Display for GenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // One line, even if a message from a dependency carries newlines.
        let message = self.message.replace('\n', " ");
        if self.pointer.is_empty() {
            write!(f, "{}: {}", self.file, message)
        } else {
            write!(f, "{}#{}: {}", self.file, self.pointer, message)
        }
    }
}

impl std::error::Error for GenError {}

/// Result alias for generator steps.
pub type Result<T> = std::result::Result<T, GenError>;

/// Escapes one JSON-pointer token (RFC 6901).
pub fn pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}
