//! The client engine: [`Core`], the shared state every generated client wraps (one reqwest
//! client, so one connection pool, and the resolved configuration), and what it tells about
//! itself.
//!
//! Who depends on whom (no cycle): the configuration ([`config`](crate::config)) builds this
//! state; the send loop (`transport`) reads it; this module uses only value types and the
//! SDK's [`identity`](crate::identity), never the configuration or the loop. That is why
//! [`Core::execute`], the one entry into the loop, is written in
//! [`codegen`](crate::codegen), next to what else only generated code calls.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::{HeaderMap, HeaderValue};

use crate::identity::SdkInfo;
use crate::intercept::Interceptors;
use crate::redact::RedactedHeaders;
use crate::retry::RetryConfig;
use crate::retry_quota::RetryQuota;
use crate::security::Security;
use crate::sleep::Sleep;
use crate::stall::StalledStreamProtection;

/// The shared state of a client: one reqwest client (connection pool) and the resolved
/// configuration. Cloning is cheap; dropping the last clone releases the pool.
#[derive(Clone)]
pub struct Core(pub(crate) Arc<Inner>);

/// The resolved configuration a client runs with, as [`ClientBuilder::build_core`] leaves it
/// and the send loop reads it.
///
/// [`ClientBuilder::build_core`]: crate::ClientBuilder::build_core
pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: String,
    /// `base_url` parsed once: a call parses only its path and query, not the scheme and host
    /// again (with IDNA processing, about a tenth of the SDK's own work per request).
    pub(crate) base: reqwest::Url,
    pub(crate) security: Security,
    pub(crate) account_id: Option<String>,
    pub(crate) timeout: Duration,
    pub(crate) operation_timeout: Option<Duration>,
    pub(crate) stall: StalledStreamProtection,
    pub(crate) quota: RetryQuota,
    pub(crate) interceptors: Interceptors,
    pub(crate) user_agent: HeaderValue,
    pub(crate) default_headers: HeaderMap,
    pub(crate) retry: RetryConfig,
    pub(crate) sleep: Arc<dyn Sleep>,
    pub(crate) info: SdkInfo,
}

impl Core {
    /// The handle to a freshly built state.
    pub(crate) fn new(inner: Inner) -> Self {
        Self(Arc::new(inner))
    }

    /// The server base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.0.base_url
    }

    /// The configured account id.
    pub fn account_id(&self) -> Option<&str> {
        self.0.account_id.as_deref()
    }

    /// `true` when the client's HTTP Basic credentials are complete or come from a provider
    /// (which may still fail when asked).
    pub fn has_credentials(&self) -> bool {
        self.0.security.basic().is_available()
    }

    /// The per-attempt timeout.
    pub fn timeout(&self) -> Duration {
        self.0.timeout
    }

    /// The operation timeout (a bound on each whole call), when set.
    pub fn operation_timeout(&self) -> Option<Duration> {
        self.0.operation_timeout
    }

    /// The client-wide retry budget.
    pub fn retry_quota(&self) -> &RetryQuota {
        &self.0.quota
    }

    /// The retry configuration.
    pub fn retry_config(&self) -> &RetryConfig {
        &self.0.retry
    }

    /// The SDK versions.
    pub fn sdk_info(&self) -> SdkInfo {
        self.0.info
    }

    /// The `User-Agent` sent.
    pub fn user_agent(&self) -> &str {
        self.0.user_agent.to_str().unwrap_or_default()
    }
}

impl fmt::Debug for Core {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Core")
            .field("base_url", &self.0.base_url)
            .field("account_id", &self.0.account_id)
            .field("security", &self.0.security)
            .field("timeout", &self.0.timeout)
            .field("operation_timeout", &self.0.operation_timeout)
            .field("retry", &self.0.retry)
            .field("default_headers", &RedactedHeaders(&self.0.default_headers))
            .finish_non_exhaustive()
    }
}
