//! Reading the spec: bytes to `openapiv3::OpenAPI`, with the checks that must pass before
//! anything is lowered (OpenAPI version, YAML syntax). Never panics on input.

use crate::error::{GenError, Result};
use sha2::{Digest, Sha256};
use std::path::Path;

/// A parsed spec together with what the headers need to say about it.
pub struct Spec {
    /// The file as shown in messages and headers.
    pub display: String,
    /// The typed document.
    pub doc: openapiv3::OpenAPI,
    /// sha256 of the file's bytes, lowercase hex.
    pub sha256: String,
}

/// Reads and parses the spec at `path`; `display` is how the file is named in errors.
pub fn read_spec(path: &Path, display: &str) -> Result<Spec> {
    let bytes = std::fs::read(path)
        .map_err(|e| GenError::new(display, "", format!("cannot read the spec: {e}")))?;
    parse_spec(&bytes, display)
}

/// Parses spec bytes.
pub fn parse_spec(bytes: &[u8], display: &str) -> Result<Spec> {
    let sha256 = hex(&Sha256::digest(bytes));
    let text = std::str::from_utf8(bytes)
        .map_err(|e| GenError::new(display, "", format!("the spec is not UTF-8: {e}")))?;
    // Going through a generic value first separates "not YAML" from "not OpenAPI", and lets
    // the version check name its pointer before openapiv3 reports a less helpful shape error.
    // A YAML value (not a JSON one) keeps the spec's key order, which the output follows.
    let value: yaml_serde::Value = yaml_serde::from_str(text).map_err(|e| {
        let at = e
            .location()
            .map(|l| format!("line {} column {}", l.line(), l.column()))
            .unwrap_or_default();
        GenError::new(display, "", format!("invalid YAML {at}: {e}"))
    })?;
    let version = value
        .get("openapi")
        .and_then(|v| v.as_str())
        .ok_or_else(|| GenError::new(display, "/openapi", "missing `openapi` version string"))?;
    if !version.starts_with("3.0.") {
        return Err(GenError::new(
            display,
            "/openapi",
            format!("unsupported OpenAPI version {version:?}: only 3.0.x is supported"),
        ));
    }
    let doc: openapiv3::OpenAPI = yaml_serde::from_value(value).map_err(|e| {
        GenError::new(
            display,
            "",
            format!("not a valid OpenAPI 3.0 document: {e}"),
        )
    })?;
    Ok(Spec {
        display: display.to_string(),
        doc,
        sha256,
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_invalid_yaml_with_location() {
        let err = parse_spec(b"openapi: [3.0.3\n", "bad.yaml")
            .err()
            .map(|e| e.to_string());
        let err = err.unwrap_or_default();
        assert!(err.starts_with("bad.yaml: invalid YAML line"), "{err}");
    }

    #[test]
    fn rejects_other_versions() {
        let err = parse_spec(
            b"openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
            "x.yaml",
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert_eq!(
            err,
            "x.yaml#/openapi: unsupported OpenAPI version \"3.1.0\": only 3.0.x is supported"
        );
    }

    #[test]
    fn digest_is_sha256_of_bytes() {
        let spec = parse_spec(
            b"openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n",
            "x.yaml",
        );
        let spec = spec.ok().map(|s| s.sha256).unwrap_or_default();
        assert_eq!(spec.len(), 64);
    }
}
