//! [`EchoMask`]: masks the configured credentials where a server repeats them.
//!
//! [`redact`](crate::redact) finds secrets by where they sit (a member named `api_secret`, the
//! userinfo of an `account://` URL). A server that echoes the credentials it was sent
//! (`invalid credentials k:S3cr3t`, a reflected `Authorization` header) puts them anywhere, so
//! the transport also masks the exact values it sent: the configured `key:secret`, the secret
//! alone and the base64 credential of the `Basic ...` header, in every form a body or header
//! may carry them (as is and JSON-escaped). It runs on server text before that text is stored in
//! an error or logged: failing bodies, header values, the raw body of a decode error.

use std::borrow::Cow;

use base64::Engine as _;
use bytes::Bytes;
use http::{HeaderMap, HeaderValue};

/// What replaces a masked value.
const MASK: &[u8] = b"***";

/// The shortest value masked everywhere it occurs. Real secrets are 27 characters; a toy one
/// (`"s"` in a test) masked at every occurrence would mangle the message and hide nothing.
const MIN_ECHO_LEN: usize = 6;

/// The credential values of one call, in the forms in which a server may echo them.
///
/// Shared, not copied: the mask of the credentials known when the client is built is made
/// once and handed to every call, which only copies it to add a value it has not seen.
#[derive(Clone, Default)]
pub(crate) struct EchoMask {
    /// Longest first, so `key:secret` is masked whole before the secret alone is looked for.
    forms: std::sync::Arc<Vec<Vec<u8>>>,
}

impl std::fmt::Debug for EchoMask {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "EchoMask({} forms)", self.forms.len())
    }
}

impl EchoMask {
    /// Also masks the forms of HTTP Basic credentials: `key:secret`, the secret,
    /// `base64(key:secret)`, each also JSON-escaped. (Plain strings, so this module depends on
    /// nothing of the crate and the error types can use it without a cycle.)
    pub(crate) fn with_basic(self, key: &str, secret: &str) -> Self {
        let pair = format!("{key}:{secret}");
        let encoded = base64::engine::general_purpose::STANDARD.encode(&pair);
        self.with_values(&[pair.as_str(), secret, encoded.as_str()])
    }

    /// Also masks a secret value (a bearer token, an API key, an OAuth2 client secret), as is
    /// and JSON-escaped.
    pub(crate) fn with_secret(self, secret: &str) -> Self {
        self.with_values(&[secret])
    }

    fn with_values(mut self, values: &[&str]) -> Self {
        let mut added = false;
        for value in values {
            for form in [Cow::Borrowed(*value), json_escaped(value)] {
                if form.len() >= MIN_ECHO_LEN && !self.forms.iter().any(|f| f == form.as_bytes()) {
                    std::sync::Arc::make_mut(&mut self.forms).push(form.into_owned().into_bytes());
                    added = true;
                }
            }
        }
        if added {
            std::sync::Arc::make_mut(&mut self.forms).sort_by_key(|f| std::cmp::Reverse(f.len()));
        }
        self
    }

    /// `true` when there is nothing to mask.
    pub(crate) fn is_empty(&self) -> bool {
        self.forms.is_empty()
    }

    /// `bytes` with every form replaced by `***`; the same buffer when none occurs.
    pub(crate) fn mask_bytes(&self, bytes: Bytes) -> Bytes {
        match self.mask_slice(&bytes) {
            Some(masked) => Bytes::from(masked),
            None => bytes,
        }
    }

    /// `text` with every form replaced by `***`.
    pub(crate) fn mask_str<'a>(&self, text: &'a str) -> Cow<'a, str> {
        match self.mask_slice(text.as_bytes()) {
            // Replacing whole UTF-8 sequences by ASCII keeps the text valid UTF-8.
            Some(masked) => Cow::Owned(String::from_utf8_lossy(&masked).into_owned()),
            None => Cow::Borrowed(text),
        }
    }

    /// Masks every header value in place. A value that no longer parses (it cannot: `***`
    /// is visible ASCII) would be dropped rather than kept unmasked.
    pub(crate) fn mask_headers(&self, headers: &mut HeaderMap) {
        if self.is_empty() {
            return;
        }
        for value in headers.values_mut() {
            if let Some(masked) = self.mask_slice(value.as_bytes()) {
                let sensitive = value.is_sensitive();
                *value = HeaderValue::from_bytes(&masked)
                    .unwrap_or_else(|_| HeaderValue::from_static("***"));
                value.set_sensitive(sensitive);
            }
        }
    }

    /// The masked copy of `input`, or `None` when no form occurs in it.
    fn mask_slice(&self, input: &[u8]) -> Option<Vec<u8>> {
        let mut current: Option<Vec<u8>> = None;
        for form in self.forms.iter() {
            let text = current.as_deref().unwrap_or(input);
            if let Some(replaced) = replace_all(text, form) {
                current = Some(replaced);
            }
        }
        current
    }
}

/// How a value looks inside a JSON string (`/` may also be written `\/`).
fn json_escaped(value: &str) -> Cow<'_, str> {
    let quoted = serde_json::Value::from(value).to_string();
    let inner = &quoted[1..quoted.len() - 1];
    let inner = inner.replace('/', "\\/");
    if inner == value {
        Cow::Borrowed(value)
    } else {
        Cow::Owned(inner)
    }
}

/// `haystack` with every `needle` replaced by [`MASK`], or `None` when there is none.
fn replace_all(haystack: &[u8], needle: &[u8]) -> Option<Vec<u8>> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    let mut out: Option<Vec<u8>> = None;
    let mut copied = 0;
    let mut i = 0;
    while i + needle.len() <= haystack.len() {
        if haystack[i..].starts_with(needle) {
            let buf = out.get_or_insert_with(|| Vec::with_capacity(haystack.len()));
            buf.extend_from_slice(&haystack[copied..i]);
            buf.extend_from_slice(MASK);
            i += needle.len();
            copied = i;
        } else {
            i += 1;
        }
    }
    let mut buf = out?;
    buf.extend_from_slice(&haystack[copied..]);
    Some(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "123456";
    const SECRET: &str = "S3cr3t/Value";

    fn mask() -> EchoMask {
        EchoMask::default().with_basic(KEY, SECRET)
    }

    #[test]
    fn masks_every_form_the_server_may_echo() {
        let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{KEY}:{SECRET}"));
        let cases = [
            format!("bad credentials {KEY}:{SECRET}"),
            format!("secret {SECRET} rejected"),
            format!("got Authorization: Basic {encoded}"),
            format!(
                r#"{{"error":{{"message":"{}"}}}}"#,
                SECRET.replace('/', "\\/")
            ),
        ];
        for text in &cases {
            let masked = mask().mask_str(text);
            assert!(!masked.contains("S3cr3t"), "{masked}");
            assert!(!masked.contains(&encoded), "{masked}");
            assert!(masked.contains("***"), "{masked}");
        }
        // The key alone is not a secret and stays readable.
        assert_eq!(mask().mask_str("key 123456 unknown"), "key 123456 unknown");
        assert_eq!(
            mask().mask_str(&format!("{KEY}:{SECRET}")),
            "***",
            "the pair is masked whole"
        );
    }

    #[test]
    fn bytes_and_headers() {
        let body = Bytes::from(format!("\u{fffe}{SECRET}\u{e9}").into_bytes());
        let masked = mask().mask_bytes(body);
        assert_eq!(masked, Bytes::from("\u{fffe}***\u{e9}".as_bytes()));
        let untouched = Bytes::from_static(b"nothing here");
        assert_eq!(mask().mask_bytes(untouched.clone()), untouched);

        let mut headers = HeaderMap::new();
        headers.insert("x-echo", HeaderValue::from_str(SECRET).unwrap());
        headers.insert("x-request-id", HeaderValue::from_static("r1"));
        mask().mask_headers(&mut headers);
        assert_eq!(headers["x-echo"], "***");
        assert_eq!(headers["x-request-id"], "r1");
    }

    #[test]
    fn tokens_and_keys_are_masked_too() {
        let m = EchoMask::default()
            .with_secret("bearer-T0KEN/x")
            .with_basic(KEY, SECRET);
        let masked = m.mask_str(r#"{"got":"bearer-T0KEN\/x","pair":"123456:S3cr3t/Value"}"#);
        assert_eq!(masked, r#"{"got":"***","pair":"***"}"#);
        assert!(EchoMask::default().with_secret("short").is_empty());
    }

    #[test]
    fn toy_secrets_are_not_masked_everywhere() {
        let m = EchoMask::default().with_basic("k", "s");
        // "k:s" and "s" are too short; only the base64 form "azpz" (4) is too, so nothing.
        assert!(m.is_empty(), "{m:?}");
        assert_eq!(m.mask_str("status: success"), "status: success");
        assert_eq!(replace_all(b"", b"abc"), None);
        // An empty needle (no form is shorter than MIN_ECHO_LEN) must not loop forever.
        assert_eq!(replace_all(b"abc", b""), None);
        assert_eq!(
            replace_all(b"abcabc", b"abc").as_deref(),
            Some(&b"******"[..])
        );
    }

    #[test]
    fn a_json_escaped_echo_keeps_the_quotes_around_it() {
        let text = format!(r#"{{"message":"{}"}}"#, SECRET.replace('/', "\\/"));
        assert_eq!(mask().mask_str(&text), r#"{"message":"***"}"#);
        // The pair and the secret, each as is and JSON-escaped ("/" as "\/"), and the base64
        // credential (which has no character JSON escapes).
        assert_eq!(format!("{:?}", mask()), "EchoMask(5 forms)");
    }
}
