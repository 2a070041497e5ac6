//! Reading the spec: bytes to the version-neutral [`crate::spec::Document`], with the checks
//! that must pass before a version's reader sees it (text encoding, YAML syntax, OpenAPI
//! version). Never panics on input.

use crate::error::{GenError, Result, pointer_token};
use crate::spec::{Diagnostics, Version};
use sha2::{Digest, Sha256};
use std::path::Path;

/// A parsed spec together with what the headers need to say about it.
pub struct Spec {
    /// The file as shown in messages and headers.
    pub display: String,
    /// The document, in the version-neutral model.
    pub doc: crate::spec::Document,
    /// sha256 of the file's bytes, lowercase hex.
    pub sha256: String,
    /// Warnings and notes raised while reading (lowering adds its own).
    pub diagnostics: Diagnostics,
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
        // Text that does not parse has no node to point at; the pointer of the enclosing
        // mapping keys, read from the indentation above the error line, is the next best.
        let (pointer, at) = match e.location() {
            Some(l) => (
                enclosing_pointer(text, l.line()),
                format!("line {} column {}", l.line(), l.column()),
            ),
            None => (String::new(), String::new()),
        };
        GenError::new(display, &pointer, format!("invalid YAML at {at}: {e}"))
    })?;
    let version = match value.get("openapi").and_then(|v| v.as_str()) {
        Some(v) if v.starts_with("3.0.") => Version::V30,
        Some(v) if v.starts_with("3.1.") => Version::V31,
        Some(v) => {
            return Err(GenError::new(
                display,
                "/openapi",
                format!("unsupported OpenAPI version {v:?}: 3.0.x and 3.1.x are supported"),
            ));
        }
        None => {
            return Err(GenError::new(
                display,
                "/openapi",
                "missing `openapi` version string",
            ));
        }
    };
    let mut diagnostics = Diagnostics::new(display);
    let doc = crate::spec::read(&value, version, display, &mut diagnostics)?;
    Ok(Spec {
        display: display.to_string(),
        doc,
        sha256,
        diagnostics,
    })
}

/// The pointer of the mapping keys that lead to `line` (1-based), from indentation alone:
/// for a file that does not parse, where no tree exists. List items become their index.
fn enclosing_pointer(text: &str, line: usize) -> String {
    // (indent, token) for each open key, innermost last.
    let mut stack: Vec<(usize, String)> = Vec::new();
    let mut list_index: Vec<(usize, usize)> = Vec::new();
    for raw in text.lines().take(line) {
        let content = raw.trim_start();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = raw.len() - content.len();
        stack.retain(|(i, _)| *i < indent);
        list_index.retain(|(i, _)| *i <= indent);
        let content = if let Some(rest) = content.strip_prefix("- ") {
            let index = match list_index.iter_mut().find(|(i, _)| *i == indent) {
                Some((_, n)) => {
                    *n += 1;
                    *n
                }
                None => {
                    list_index.push((indent, 0));
                    0
                }
            };
            stack.push((indent, index.to_string()));
            rest
        } else {
            content
        };
        if let Some((key, _)) = content.split_once(':') {
            let key = key.trim().trim_matches(|c| c == '\'' || c == '"');
            if !key.is_empty() && !key.contains(' ') || key.starts_with('/') {
                // Keys nest under a list item one level deeper than its dash.
                let key_indent = indent + usize::from(raw.trim_start().starts_with("- ")) * 2;
                stack.push((key_indent, key.to_string()));
            }
        }
    }
    stack
        .iter()
        .map(|(_, t)| format!("/{}", pointer_token(t)))
        .collect()
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
        assert!(
            err.starts_with("bad.yaml#/openapi: invalid YAML at line 2"),
            "{err}"
        );
    }

    #[test]
    fn yaml_errors_name_the_enclosing_keys() {
        let text = "openapi: 3.0.3\npaths:\n  /users/{id}:\n    get:\n      parameters:\n        - name: id\n        - name: x\n          in: [query\n";
        let err = parse_spec(text.as_bytes(), "s.yaml")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.starts_with(
                "s.yaml#/paths/~1users~1{id}/get/parameters/1/in: invalid YAML at line"
            ),
            "{err}"
        );
    }

    #[test]
    fn shape_errors_name_the_node() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n      responses: 5\n";
        let err = parse_spec(text.as_bytes(), "s.yaml")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.starts_with("s.yaml#/paths/~1x/get/responses: not a valid OpenAPI 3.0 document"),
            "{err}"
        );
    }

    #[test]
    fn rejects_other_versions() {
        let err = parse_spec(
            b"openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
            "x.yaml",
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert_eq!(
            err,
            "x.yaml#/openapi: unsupported OpenAPI version \"3.2.0\": 3.0.x and 3.1.x are supported"
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
