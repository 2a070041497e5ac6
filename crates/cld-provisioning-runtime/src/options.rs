//! [`CallOptions`]: per-call overrides of the client configuration.

use std::sync::LazyLock;
use std::time::Duration;

use http::{HeaderMap, HeaderName, HeaderValue};

use crate::redact::RedactedHeaders;
use crate::retry::RetryConfig;

/// Overrides for one call; anything left unset uses the client's configuration.
#[derive(Clone, Default)]
pub struct CallOptions {
    /// `None` until something is overridden. Most calls override nothing, and the options
    /// travel in every request builder (moved by each setter) and in every call's state, where
    /// one pointer is cheaper to carry than the overrides' 270-odd bytes.
    set: Option<Box<Overrides>>,
}

/// What a call overrides.
#[derive(Clone, Default)]
struct Overrides {
    account_id: Option<String>,
    timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    retry: Option<RetryConfig>,
    headers: HeaderMap,
    /// The name of the first header given as text that is not a valid header, reported by
    /// `send` as a build error (the value is never kept: it may be a token).
    invalid_header: Option<String>,
}

/// The headers of a call that sets none.
static NO_HEADERS: LazyLock<HeaderMap> = LazyLock::new(HeaderMap::new);

impl CallOptions {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    /// The overrides, made on the first one set.
    fn set(&mut self) -> &mut Overrides {
        self.set.get_or_insert_default()
    }

    /// Uses this account id instead of the client's (one key managing several accounts).
    pub fn set_account_id(&mut self, v: impl Into<String>) {
        self.set().account_id = Some(v.into());
    }

    /// Sets the total time limit of each attempt.
    pub fn set_timeout(&mut self, d: Duration) {
        self.set().timeout = Some(d);
    }

    /// Bounds this whole call, attempts and waits between them included (see
    /// [`ClientBuilder::operation_timeout`](crate::ClientBuilder::operation_timeout)).
    pub fn set_operation_timeout(&mut self, d: Duration) {
        self.set().operation_timeout = Some(d);
    }

    /// Uses this retry configuration instead of the client's.
    pub fn set_retry(&mut self, r: RetryConfig) {
        self.set().retry = Some(r);
    }

    /// Adds a header to this call, replacing a client default header of the same name.
    /// `Accept`, `User-Agent`, `Content-Type` and `Authorization` stay under the SDK's control.
    pub fn insert_header(&mut self, name: HeaderName, value: HeaderValue) {
        self.set().headers.insert(name, value);
    }

    /// Adds a header given as text or as `http` types, replacing a client default header of
    /// the same name. An invalid name or value is not an error here, where a builder chain
    /// cannot return one: `send` fails with [`BuildError::InvalidHeader`], naming the
    /// header and never its value (which may be a token).
    ///
    /// [`BuildError::InvalidHeader`]: crate::BuildError::InvalidHeader
    pub fn set_header<N, V>(&mut self, name: N, value: V)
    where
        N: AsRef<str>,
        V: TryInto<HeaderValue>,
    {
        let name = name.as_ref();
        match (HeaderName::try_from(name), value.try_into()) {
            (Ok(name), Ok(value)) => self.insert_header(name, value),
            _ => {
                let set = self.set();
                if set.invalid_header.is_none() {
                    set.invalid_header = Some(name.escape_debug().to_string());
                }
            }
        }
    }

    /// The overrides, if any was set.
    fn get(&self) -> Option<&Overrides> {
        self.set.as_deref()
    }

    /// The first header set with [`set_header`](Self::set_header) whose name or value was
    /// invalid, by name.
    pub fn invalid_header(&self) -> Option<&str> {
        self.get()?.invalid_header.as_deref()
    }

    /// The account id override.
    pub fn account_id(&self) -> Option<&str> {
        self.get()?.account_id.as_deref()
    }

    /// The timeout override.
    pub fn timeout(&self) -> Option<Duration> {
        self.get()?.timeout
    }

    /// The operation timeout override.
    pub fn operation_timeout(&self) -> Option<Duration> {
        self.get()?.operation_timeout
    }

    /// The retry override.
    pub fn retry(&self) -> Option<&RetryConfig> {
        self.get()?.retry.as_ref()
    }

    /// The extra headers.
    pub fn headers(&self) -> &HeaderMap {
        self.get().map_or(&NO_HEADERS, |o| &o.headers)
    }
}

impl std::fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallOptions")
            .field("account_id", &self.account_id())
            .field("timeout", &self.timeout())
            .field("operation_timeout", &self.operation_timeout())
            .field("retry", &self.retry())
            .field("headers", &RedactedHeaders(self.headers()))
            .field("invalid_header", &self.invalid_header())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setters_and_redacted_debug() {
        let mut o = CallOptions::new();
        o.set_account_id("acc");
        o.set_timeout(Duration::from_secs(3));
        o.set_operation_timeout(Duration::from_secs(9));
        o.set_retry(RetryConfig::disabled());
        o.insert_header(
            http::header::AUTHORIZATION,
            HeaderValue::from_static("Basic c2VjcmV0"),
        );
        assert_eq!(o.account_id(), Some("acc"));
        assert_eq!(o.timeout(), Some(Duration::from_secs(3)));
        assert_eq!(o.operation_timeout(), Some(Duration::from_secs(9)));
        assert_eq!(o.retry().map(RetryConfig::max_attempts), Some(1));
        let shown = format!("{o:?}");
        assert!(!shown.contains("c2VjcmV0"), "{shown}");
        assert!(
            shown.starts_with("CallOptions { account_id: Some(\"acc\"), timeout: Some(3s)"),
            "{shown}"
        );
        assert!(shown.contains("authorization"), "{shown}");
        // Nothing set: every override is absent, and so are the headers.
        let none = CallOptions::new();
        assert_eq!(
            (none.account_id(), none.timeout(), none.operation_timeout()),
            (None, None, None)
        );
        assert!(none.retry().is_none() && none.headers().is_empty());
        assert_eq!(none.invalid_header(), None);
    }

    #[test]
    fn headers_given_as_text_are_checked_and_invalid_ones_named_without_their_value() {
        let mut o = CallOptions::new();
        o.set_header("x-trace", "abc");
        o.set_header(String::from("x-owned"), String::from("def"));
        o.set_header(
            HeaderName::from_static("x-typed"),
            HeaderValue::from_static("ghi"),
        );
        assert_eq!(o.headers()["x-trace"], "abc");
        assert_eq!(o.headers()["x-owned"], "def");
        assert_eq!(o.headers()["x-typed"], "ghi");
        assert_eq!(o.invalid_header(), None);

        o.set_header("x-token", "Bearer s3cr3t\nInjected: yes");
        o.set_header("bad name", "v");
        // The first invalid header is the one reported; neither is sent.
        assert_eq!(o.invalid_header(), Some("x-token"));
        assert!(o.headers().get("x-token").is_none());
        assert!(!format!("{o:?}").contains("s3cr3t"));

        let mut o = CallOptions::new();
        o.set_header("bad\nname", "v");
        assert_eq!(o.invalid_header(), Some("bad\\nname"));
    }
}
