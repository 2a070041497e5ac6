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
        let message = printable(&self.message.replace('\n', " "));
        let file = printable(&self.file);
        if self.pointer.is_empty() {
            write!(f, "{file}: {message}")
        } else {
            write!(f, "{file}#{}: {message}", printable(&self.pointer))
        }
    }
}

impl std::error::Error for GenError {}

/// Result alias for generator steps.
pub type Result<T> = std::result::Result<T, GenError>;

/// Whether `c` must not appear raw on one line of a message or a comment: a control character
/// other than tab, or a bidirectional-override character.
pub fn unprintable(c: char) -> bool {
    (c.is_control() && c != '\t') || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with control characters (tab aside) and the bidirectional-override characters
/// written as Rust escapes (`\n`, `\u{202e}`): safe on one line of a message, a comment, a
/// doc comment (rustc rejects a bare CR and, by default, direction overrides there) or a TOML
/// comment. Text without them comes back unchanged.
pub fn printable(text: &str) -> String {
    if !text.contains(unprintable) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if unprintable(c) {
                c.escape_debug().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Escapes one JSON-pointer token (RFC 6901).
pub fn pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}
