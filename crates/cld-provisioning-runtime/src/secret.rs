//! [`SecretString`]: a string that never prints itself.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A secret (API secret, `api_environment_variable`, ...) whose `Debug` and `Display` print `***`.
///
/// It serializes and deserializes as a plain JSON string, so it can sit in request and response
/// models; only formatting hides it. Call [`SecretString::expose_secret`] to read it on purpose.
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SecretString(String);

impl SecretString {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// Returns the secret itself. The name makes every read visible in review.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }

    /// Returns `true` when the secret is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for SecretString {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for SecretString {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_are_masked() {
        let s = SecretString::new("hunter2");
        assert_eq!(format!("{s:?}"), "***");
        assert_eq!(format!("{s}"), "***");
        assert_eq!(format!("{:?}", Some(s.clone())), "Some(***)");
        assert_eq!(s.expose_secret(), "hunter2");
    }

    #[test]
    fn serde_is_a_plain_string() {
        let s: SecretString = serde_json::from_str("\"abc\"").unwrap();
        assert_eq!(s.expose_secret(), "abc");
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"abc\"");
    }

    #[test]
    fn conversions_and_default() {
        assert_eq!(
            SecretString::from("a"),
            SecretString::from(String::from("a"))
        );
        assert!(SecretString::default().is_empty());
    }
}
