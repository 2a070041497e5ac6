//! The SDK's identity: the versions a generated crate passes in ([`SdkInfo`]) and the
//! `User-Agent` header built from them.
//!
//! Depends on nothing of the crate but [`ConfigError`]; the configuration
//! ([`config`](crate::config)) and the engine ([`Core`](crate::engine::Core)) use it.
//!
//! Format of the header, as the official SDKs send it minus the Speakeasy `Gen/` part (meaningless here):
//! `Cloudinary/AccountProvisioning Rust/<sdk version> Schema/<spec version> (<os> <arch>)`,
//! followed by ` <suffix>` when the user sets one (an app or platform tag).

use http::HeaderValue;

use crate::config_error::ConfigError;

/// Versions reported in the `User-Agent`; the generated crate passes its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SdkInfo {
    /// The SDK crate version (`CARGO_PKG_VERSION`; `+build` metadata is dropped).
    pub sdk_version: &'static str,
    /// The OpenAPI spec version the SDK was generated from.
    pub schema_version: &'static str,
}

/// Builds the user agent string.
///
/// Cargo build metadata is dropped from the SDK version (`0.1.0+0.2.1` -> `0.1.0`): the spec
/// version already has its own `Schema/` part.
pub(crate) fn user_agent(info: &SdkInfo, suffix: Option<&str>) -> String {
    let version = info
        .sdk_version
        .split('+')
        .next()
        .unwrap_or(info.sdk_version);
    let mut ua = format!(
        "Cloudinary/AccountProvisioning Rust/{version} Schema/{} ({} {})",
        info.schema_version,
        std::env::consts::OS,
        std::env::consts::ARCH
    );
    if let Some(s) = suffix.map(str::trim).filter(|s| !s.is_empty()) {
        ua.push(' ');
        ua.push_str(s);
    }
    ua
}

/// The `User-Agent` header value, or [`ConfigError::InvalidUserAgentSuffix`].
///
/// `HeaderValue` also takes non-ASCII bytes (obs-text), which [`Core::user_agent`] could then
/// not show and servers may mangle; so the suffix must be visible ASCII (or spaces).
///
/// [`Core::user_agent`]: crate::engine::Core::user_agent
pub(crate) fn user_agent_header(
    info: &SdkInfo,
    suffix: Option<&str>,
) -> Result<HeaderValue, ConfigError> {
    if let Some(suffix) = suffix {
        if !suffix.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            return Err(ConfigError::InvalidUserAgentSuffix);
        }
    }
    HeaderValue::from_str(&user_agent(info, suffix))
        .map_err(|_| ConfigError::InvalidUserAgentSuffix)
}

#[cfg(test)]
mod tests {
    use super::*;

    const INFO: SdkInfo = SdkInfo {
        sdk_version: "0.1.0+0.2.1",
        schema_version: "0.2.1",
    };

    #[test]
    fn format() {
        let want = format!(
            "Cloudinary/AccountProvisioning Rust/0.1.0 Schema/0.2.1 ({} {})",
            std::env::consts::OS,
            std::env::consts::ARCH
        );
        assert_eq!(user_agent(&INFO, None), want);
        assert_eq!(user_agent(&INFO, Some("  ")), want);
        assert_eq!(
            user_agent(&INFO, Some("my-app/2")),
            format!("{want} my-app/2")
        );
        let plain = SdkInfo {
            sdk_version: "1.2.3",
            schema_version: "9",
        };
        assert!(user_agent(&plain, None).contains("Rust/1.2.3 Schema/9 ("));
    }
}
