//! [`CallOptions`]: per-call overrides of the client configuration.

use std::time::Duration;

use http::{HeaderMap, HeaderName, HeaderValue};

use crate::redact::RedactedHeaders;
use crate::retry::RetryConfig;

/// Overrides for one call; anything left unset uses the client's configuration.
#[derive(Clone, Default)]
pub struct CallOptions {
    pub(crate) account_id: Option<String>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) operation_timeout: Option<Duration>,
    pub(crate) retry: Option<RetryConfig>,
    pub(crate) headers: HeaderMap,
}

impl CallOptions {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    /// Uses this account id instead of the client's (one key managing several accounts).
    pub fn set_account_id(&mut self, v: impl Into<String>) {
        self.account_id = Some(v.into());
    }

    /// Sets the total time limit of each attempt.
    pub fn set_timeout(&mut self, d: Duration) {
        self.timeout = Some(d);
    }

    /// Bounds this whole call, attempts and waits between them included (see
    /// [`ClientBuilder::operation_timeout`](crate::ClientBuilder::operation_timeout)).
    pub fn set_operation_timeout(&mut self, d: Duration) {
        self.operation_timeout = Some(d);
    }

    /// Uses this retry configuration instead of the client's.
    pub fn set_retry(&mut self, r: RetryConfig) {
        self.retry = Some(r);
    }

    /// Adds a header to this call, replacing a client default header of the same name.
    /// `Accept`, `User-Agent`, `Content-Type` and `Authorization` stay under the SDK's control.
    pub fn insert_header(&mut self, name: HeaderName, value: HeaderValue) {
        self.headers.insert(name, value);
    }

    /// The account id override.
    pub fn account_id(&self) -> Option<&str> {
        self.account_id.as_deref()
    }

    /// The timeout override.
    pub fn timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// The operation timeout override.
    pub fn operation_timeout(&self) -> Option<Duration> {
        self.operation_timeout
    }

    /// The retry override.
    pub fn retry(&self) -> Option<&RetryConfig> {
        self.retry.as_ref()
    }

    /// The extra headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }
}

impl std::fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallOptions")
            .field("account_id", &self.account_id)
            .field("timeout", &self.timeout)
            .field("operation_timeout", &self.operation_timeout)
            .field("retry", &self.retry)
            .field("headers", &RedactedHeaders(&self.headers))
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
        assert!(!format!("{o:?}").contains("c2VjcmV0"));
    }
}
