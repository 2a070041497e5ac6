//! Reading the spec: bytes to `openapiv3::OpenAPI`, with the checks that must pass before
//! anything is lowered (OpenAPI version, YAML syntax). Never panics on input.

use crate::error::{GenError, Result, pointer_token};
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
    // serde_path_to_error tracks where openapiv3 gave up, so a shape error names its node;
    // below openapiv3's untagged and flattened types it loses the trail, and the locator
    // deserializes the document part by part to find the deepest node that fails.
    let doc: openapiv3::OpenAPI = serde_path_to_error::deserialize(value.clone()).map_err(|e| {
        let (pointer, message) = locate_shape_error(&value)
            .unwrap_or_else(|| (path_pointer(e.path()), e.inner().to_string()));
        GenError::new(
            display,
            &pointer,
            format!("not a valid OpenAPI 3.0 document: {message}"),
        )
    })?;
    Ok(Spec {
        display: display.to_string(),
        doc,
        sha256,
    })
}

/// Deserializes `value` as `T`; on failure, the pointer (below `at`) and message of the error.
fn try_part<T: serde::de::DeserializeOwned>(
    value: &yaml_serde::Value,
    at: &str,
) -> Option<(String, String)> {
    serde_path_to_error::deserialize::<_, T>(value.clone())
        .err()
        .map(|e| {
            (
                format!("{at}{}", path_pointer(e.path())),
                e.inner().to_string(),
            )
        })
}

fn entries(value: Option<&yaml_serde::Value>) -> Vec<(String, &yaml_serde::Value)> {
    value
        .and_then(|v| v.as_mapping())
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| k.as_str().map(|k| (k.to_string(), v)))
                .collect()
        })
        .unwrap_or_default()
}

/// Deserializes one part of the document as its openapiv3 type.
type PartCheck = fn(&yaml_serde::Value, &str) -> Option<(String, String)>;

/// The deepest part of the document that openapiv3 rejects: path items, their operations,
/// parameters, bodies and responses, and each component, tried one at a time.
fn locate_shape_error(doc: &yaml_serde::Value) -> Option<(String, String)> {
    use openapiv3::{
        Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema, SecurityScheme,
    };
    for (path, item) in entries(doc.get("paths")) {
        let at = format!("/paths/{}", pointer_token(&path));
        if try_part::<ReferenceOr<PathItem>>(item, &at).is_none() {
            continue;
        }
        for (i, p) in item
            .get("parameters")
            .and_then(|p| p.as_sequence())
            .into_iter()
            .flatten()
            .enumerate()
        {
            if let Some(found) =
                try_part::<ReferenceOr<Parameter>>(p, &format!("{at}/parameters/{i}"))
            {
                return Some(found);
            }
        }
        for method in [
            "get", "put", "post", "delete", "options", "head", "patch", "trace",
        ] {
            let Some(op) = item.get(method) else { continue };
            let op_at = format!("{at}/{method}");
            if try_part::<Operation>(op, &op_at).is_none() {
                continue;
            }
            for (i, p) in op
                .get("parameters")
                .and_then(|p| p.as_sequence())
                .into_iter()
                .flatten()
                .enumerate()
            {
                if let Some(found) =
                    try_part::<ReferenceOr<Parameter>>(p, &format!("{op_at}/parameters/{i}"))
                {
                    return Some(found);
                }
            }
            if let Some(found) = op.get("requestBody").and_then(|b| {
                try_part::<ReferenceOr<RequestBody>>(b, &format!("{op_at}/requestBody"))
            }) {
                return Some(found);
            }
            match op.get("responses").map(|r| r.as_mapping().is_some()) {
                Some(true) => {
                    for (code, r) in entries(op.get("responses")) {
                        let r_at = format!("{op_at}/responses/{}", pointer_token(&code));
                        if let Some(found) = try_part::<ReferenceOr<Response>>(r, &r_at) {
                            return Some(found);
                        }
                    }
                }
                Some(false) => {
                    return Some((
                        format!("{op_at}/responses"),
                        "expected a map of status codes".into(),
                    ));
                }
                None => {}
            }
            return try_part::<Operation>(op, &op_at);
        }
        return try_part::<ReferenceOr<PathItem>>(item, &at);
    }
    let components = doc.get("components");
    let sections: [(&str, PartCheck); 5] = [
        ("schemas", try_part::<ReferenceOr<Schema>>),
        ("parameters", try_part::<ReferenceOr<Parameter>>),
        ("responses", try_part::<ReferenceOr<Response>>),
        ("requestBodies", try_part::<ReferenceOr<RequestBody>>),
        ("securitySchemes", try_part::<ReferenceOr<SecurityScheme>>),
    ];
    for (section, check) in sections {
        for (name, part) in entries(components.and_then(|c| c.get(section))) {
            if let Some(found) = check(
                part,
                &format!("/components/{section}/{}", pointer_token(&name)),
            ) {
                return Some(found);
            }
        }
    }
    None
}

/// The JSON pointer of a serde path (`paths./users.get.parameters[0]` ->
/// `/paths/~1users/get/parameters/0`).
fn path_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|segment| match segment {
            Segment::Seq { index } => Some(index.to_string()),
            Segment::Map { key } => Some(key.clone()),
            Segment::Enum { variant } => Some(variant.clone()),
            Segment::Unknown => None,
        })
        .map(|token| format!("/{}", pointer_token(&token)))
        .collect()
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
