//! Binary data inside JSON: `type: string, format: byte` (OpenAPI 3.0) or
//! `contentEncoding: base64` (3.1) is base64 text on the wire and bytes in Rust.

use base64::Engine as _;
use std::fmt;

/// Bytes carried in JSON as base64 text (standard alphabet, with padding, when sent; padded or
/// not, standard or URL-safe alphabet, when received, since servers differ).
#[derive(Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Base64Bytes(pub Vec<u8>);

impl Base64Bytes {
    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The base64 text sent on the wire.
    pub fn encode(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(&self.0)
    }

    /// Decodes base64 text in any of the accepted spellings.
    pub fn decode(text: &str) -> Option<Self> {
        use base64::engine::general_purpose::{
            STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD,
        };
        [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
            .iter()
            .find_map(|engine| engine.decode(text).ok())
            .map(Base64Bytes)
    }
}

/// The length only: the contents may be anything, a key file included.
impl fmt::Debug for Base64Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Base64Bytes({} bytes)", self.0.len())
    }
}

impl From<Vec<u8>> for Base64Bytes {
    fn from(bytes: Vec<u8>) -> Self {
        Base64Bytes(bytes)
    }
}

impl From<&[u8]> for Base64Bytes {
    fn from(bytes: &[u8]) -> Self {
        Base64Bytes(bytes.to_vec())
    }
}

impl serde::Serialize for Base64Bytes {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.encode())
    }
}

impl<'de> serde::Deserialize<'de> for Base64Bytes {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
        Base64Bytes::decode(&text)
            .ok_or_else(|| serde::de::Error::custom("expected base64 text (format: byte)"))
    }
}

impl crate::query::QueryValue for Base64Bytes {
    fn push_to(&self, name: &str, out: &mut crate::query::QueryPairs) {
        out.push(name, &self.encode());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_as_standard_padded_base64() {
        let b = Base64Bytes(b"hi!?".to_vec());
        let json = serde_json::to_string(&b).unwrap_or_default();
        assert_eq!(json, "\"aGkhPw==\"");
        let back: Result<Base64Bytes, _> = serde_json::from_str(&json);
        assert_eq!(back.ok(), Some(b));
    }

    #[test]
    fn reads_unpadded_and_url_safe_text() {
        for text in ["\"aGkhPw\"", "\"_-8=\"", "\"_-8\""] {
            assert!(serde_json::from_str::<Base64Bytes>(text).is_ok(), "{text}");
        }
        assert_eq!(
            serde_json::from_str::<Base64Bytes>("\"_-8\"").ok(),
            Some(Base64Bytes(vec![0xff, 0xef]))
        );
    }

    #[test]
    fn rejects_text_that_is_not_base64_without_repeating_it() {
        let err = serde_json::from_str::<Base64Bytes>("\"not base64 s3cr3t!\"")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.starts_with("expected base64 text"), "{err}");
        assert!(!err.contains("s3cr3t"));
    }

    #[test]
    fn debug_shows_the_length_only() {
        assert_eq!(
            format!("{:?}", Base64Bytes(b"secret".to_vec())),
            "Base64Bytes(6 bytes)"
        );
    }
}
