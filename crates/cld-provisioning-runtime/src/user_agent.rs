//! The `User-Agent` header.
//!
//! Format, as the official SDKs send it minus the Speakeasy `Gen/` part (meaningless here):
//! `Cloudinary/AccountProvisioning Rust/<sdk version> Schema/<spec version> (<os> <arch>)`,
//! followed by ` <suffix>` when the user sets one (an app or platform tag).

use crate::config::SdkInfo;

/// Builds the user agent string.
///
/// Cargo build metadata is dropped from the SDK version (`0.1.0+0.2.1` -> `0.1.0`): the spec
/// version already has its own `Schema/` part.
pub fn user_agent(info: &SdkInfo, suffix: Option<&str>) -> String {
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
