//! Reading the spec: bytes to the version-neutral [`crate::spec::Document`], with the checks
//! that must pass before a version's reader sees it (text encoding, YAML syntax, OpenAPI
//! version). Never panics on input.

use crate::error::{GenError, Result, pointer_token};
use crate::spec::{Diagnostics, Version};
use crate::text_bounds::{MAX_FLOW_DEPTH, MAX_SPEC_BYTES, flow_too_deep};
use sha2::{Digest, Sha256};
use std::io::Read;
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
    let cannot_read =
        |e: std::io::Error| GenError::new(display, "", format!("cannot read the spec: {e}"));
    let file = std::fs::File::open(path).map_err(cannot_read)?;
    // At most one byte over the cap is read, so a device or a huge file is never read whole.
    let mut bytes = Vec::new();
    file.take(MAX_SPEC_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot_read)?;
    parse_spec(&bytes, display)
}

/// Parses spec bytes.
pub fn parse_spec(bytes: &[u8], display: &str) -> Result<Spec> {
    if bytes.len() as u64 > MAX_SPEC_BYTES {
        return Err(GenError::new(
            display,
            "",
            format!(
                "the spec is larger than {} MiB; refusing to parse it",
                MAX_SPEC_BYTES / (1024 * 1024)
            ),
        ));
    }
    let sha256 = hex(&Sha256::digest(bytes));
    let text = std::str::from_utf8(bytes)
        .map_err(|e| GenError::new(display, "", format!("the spec is not UTF-8: {e}")))?;
    // Editors on Windows write a byte-order mark; YAML allows it, the parser does not.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some((line, column)) = flow_too_deep(text, MAX_FLOW_DEPTH) {
        return Err(GenError::new(
            display,
            &enclosing_pointer(text, line),
            format!(
                "invalid YAML at line {line} column {column}: flow collections (`[`, `{{`) nested deeper than {MAX_FLOW_DEPTH} levels"
            ),
        ));
    }
    // Going through a generic value first separates "not YAML" from "not OpenAPI", and lets
    // the version check name its pointer before openapiv3 reports a less helpful shape error.
    // A YAML value (not a JSON one) keeps the spec's key order, which the output follows.
    let value: yaml_serde::Value = yaml_serde::from_str(text).map_err(|e| {
        // Text that does not parse has no node to point at; the pointer of the enclosing
        // mapping keys, read from the indentation above the error line, is the next best.
        match e.location() {
            Some(l) => GenError::new(
                display,
                &enclosing_pointer(text, l.line()),
                format!(
                    "invalid YAML at line {} column {}: {e}",
                    l.line(),
                    l.column()
                ),
            ),
            None => GenError::new(display, "", format!("invalid YAML: {e}")),
        }
    })?;
    let version = check_version(&value, display)?;
    check_path_keys(&value, display)?;
    let mut diagnostics = Diagnostics::new(display);
    let doc = crate::spec::read(&value, version, display, &mut diagnostics)?;
    Ok(Spec {
        display: display.to_string(),
        doc,
        sha256,
        diagnostics,
    })
}

/// The document is an OpenAPI 3.0 or 3.1 object, and which; what it is instead, when it is
/// not, in words.
fn check_version(value: &yaml_serde::Value, display: &str) -> Result<Version> {
    if !value.is_mapping() {
        return Err(GenError::new(
            display,
            "",
            "the spec is not a YAML mapping: an OpenAPI document is an object with `openapi`, `info` and `paths`",
        ));
    }
    if let Some(swagger) = value.get("swagger") {
        return Err(GenError::new(
            display,
            "/swagger",
            format!(
                "this is a Swagger (OpenAPI 2) document, version {}; OpenAPI 3.0.x and 3.1.x are supported: convert it first (for example with swagger2openapi)",
                scalar_text(swagger)
            ),
        ));
    }
    let version = match value.get("openapi") {
        None => {
            return Err(GenError::new(
                display,
                "/openapi",
                "missing `openapi` version string",
            ));
        }
        Some(yaml_serde::Value::String(version)) => version,
        Some(other) => {
            return Err(GenError::new(
                display,
                "/openapi",
                format!(
                    "`openapi` must be a version string such as \"3.0.3\", not {}: quote it (YAML reads `3.0` as a number)",
                    scalar_text(other)
                ),
            ));
        }
    };
    if version.starts_with("3.0.") {
        Ok(Version::V30)
    } else if version.starts_with("3.1.") {
        Ok(Version::V31)
    } else {
        Err(GenError::new(
            display,
            "/openapi",
            format!("unsupported OpenAPI version {version:?}: 3.0.x and 3.1.x are supported"),
        ))
    }
}

/// A scalar as the spec wrote it, for messages (`3.0`, `"2.0"`); other nodes by kind.
fn scalar_text(value: &yaml_serde::Value) -> String {
    match value {
        yaml_serde::Value::String(s) => format!("{s:?}"),
        yaml_serde::Value::Number(n) => format!("the number {n}"),
        yaml_serde::Value::Bool(b) => format!("the boolean {b}"),
        yaml_serde::Value::Null => "null".to_string(),
        _ => "a collection".to_string(),
    }
}

/// Every key of `paths` is a path (`/…`) or an extension (`x-…`): openapiv3 drops any other
/// key without a word, and with it every operation below.
fn check_path_keys(value: &yaml_serde::Value, display: &str) -> Result<()> {
    let Some(paths) = value.get("paths").and_then(|p| p.as_mapping()) else {
        return Ok(());
    };
    for key in paths.keys() {
        match key.as_str() {
            Some(path) if path.starts_with('/') || path.starts_with("x-") => {}
            Some(path) => {
                return Err(GenError::new(
                    display,
                    &format!("/paths/{}", pointer_token(path)),
                    format!("path {path:?} does not start with `/`"),
                ));
            }
            None => {
                return Err(GenError::new(
                    display,
                    "/paths",
                    format!(
                        "a path key is {}, not a string starting with `/`",
                        scalar_text(key)
                    ),
                ));
            }
        }
    }
    Ok(())
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

    #[test]
    fn specs_up_to_the_size_limit_are_parsed_and_larger_ones_refused() {
        let at_limit = vec![0u8; MAX_SPEC_BYTES as usize];
        let err = parse_spec(&at_limit, "s.yaml")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        // Exactly at the limit the text is read (and refused for what it is, not its size).
        assert_eq!(
            err,
            "s.yaml: invalid YAML at line 1 column 1: control characters are not allowed"
        );
        let over = vec![0u8; MAX_SPEC_BYTES as usize + 1];
        let err = parse_spec(&over, "s.yaml")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert_eq!(
            err,
            "s.yaml: the spec is larger than 32 MiB; refusing to parse it"
        );
    }

    /// The error of parsing `text`, or "" when it parses.
    fn error_of(text: &str) -> String {
        parse_spec(text.as_bytes(), "s.yaml")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    }

    #[test]
    fn files_are_read_and_oversized_ones_refused_unread() -> Result<()> {
        let dir = std::env::temp_dir().join(format!("xtask-parse-{}", std::process::id()));
        let made = std::fs::create_dir_all(&dir);
        assert!(made.is_ok(), "{made:?}");
        let text = b"openapi: 3.1.0\ninfo: {title: t, version: '1'}\n";
        let small = dir.join("small.yaml");
        let wrote = std::fs::write(&small, text);
        assert!(wrote.is_ok(), "{wrote:?}");
        let spec = read_spec(&small, "small.yaml")?;
        assert_eq!(spec.display, "small.yaml");
        assert_eq!(spec.sha256, parse_spec(text, "x")?.sha256);
        // A sparse file one byte over the limit: only the limit and one byte are read.
        let huge = dir.join("huge.yaml");
        let sized = std::fs::File::create(&huge).and_then(|f| f.set_len(MAX_SPEC_BYTES + 1));
        assert!(sized.is_ok(), "{sized:?}");
        let err = read_spec(&huge, "huge.yaml").err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("huge.yaml: the spec is larger than 32 MiB; refusing to parse it")
        );
        let missing = read_spec(&dir.join("missing.yaml"), "missing.yaml").err();
        assert!(
            missing
                .map(|e| e.to_string())
                .is_some_and(|e| e.starts_with("missing.yaml: cannot read the spec: ")),
        );
        let _ = std::fs::remove_dir_all(&dir);
        Ok(())
    }

    #[test]
    fn digest_is_the_lowercase_hex_sha256() {
        let spec = parse_spec(
            b"openapi: 3.1.0\ninfo: {title: t, version: '1'}\n",
            "x.yaml",
        );
        // sha256sum of the same bytes.
        assert_eq!(
            spec.ok().map(|s| s.sha256).as_deref(),
            Some("762330111f3bf59a8512e14a92c304ed23b5d77a4fc2a865aa284a1dbb6f7964")
        );
    }

    #[test]
    fn the_version_decides_the_reader() -> Result<()> {
        let v31 = parse_spec(
            b"openapi: 3.1.0\ninfo: {title: t, version: '1'}\n",
            "x.yaml",
        )?;
        assert_eq!(v31.doc.version, Version::V31);
        let v30 = parse_spec(
            b"openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n",
            "x.yaml",
        )?;
        assert_eq!(v30.doc.version, Version::V30);
        Ok(())
    }

    #[test]
    fn what_is_not_an_openapi_3_document_is_named() {
        let cases = [
            (
                "- a\n",
                "s.yaml: the spec is not a YAML mapping: an OpenAPI document is an object with \
                 `openapi`, `info` and `paths`",
            ),
            (
                "swagger: '2.0'\n",
                "s.yaml#/swagger: this is a Swagger (OpenAPI 2) document, version \"2.0\"; \
                 OpenAPI 3.0.x and 3.1.x are supported: convert it first (for example with \
                 swagger2openapi)",
            ),
            (
                "info: {}\n",
                "s.yaml#/openapi: missing `openapi` version string",
            ),
            (
                "openapi: 3.0\n",
                "s.yaml#/openapi: `openapi` must be a version string such as \"3.0.3\", not \
                 the number 3.0: quote it (YAML reads `3.0` as a number)",
            ),
            (
                "openapi: true\n",
                "s.yaml#/openapi: `openapi` must be a version string such as \"3.0.3\", not \
                 the boolean true: quote it (YAML reads `3.0` as a number)",
            ),
            (
                "openapi:\n",
                "s.yaml#/openapi: `openapi` must be a version string such as \"3.0.3\", not \
                 null: quote it (YAML reads `3.0` as a number)",
            ),
            (
                "openapi: [3]\n",
                "s.yaml#/openapi: `openapi` must be a version string such as \"3.0.3\", not \
                 a collection: quote it (YAML reads `3.0` as a number)",
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(error_of(text), expected, "{text}");
        }
    }

    #[test]
    fn path_keys_are_paths_or_extensions() {
        // In 3.0 only this check sees them: openapiv3 drops other keys without a word.
        let head = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";
        assert_eq!(
            error_of(&format!("{head}paths:\n  /a: {{}}\n  x-ext: 1\n")),
            ""
        );
        assert_eq!(
            error_of(&format!("{head}paths:\n  /a: {{}}\n  a/b: {{}}\n")),
            "s.yaml#/paths/a~1b: path \"a/b\" does not start with `/`"
        );
        assert_eq!(
            error_of(&format!("{head}paths:\n  5: {{}}\n")),
            "s.yaml#/paths: a path key is the number 5, not a string starting with `/`"
        );
    }

    #[test]
    fn enclosing_keys_are_read_from_indentation() {
        let cases = [
            // Blank lines and comments (even at the left margin) do not close a block.
            (
                "paths:\n  /a:\n\n    get:\n# a comment\n      in: [x\n",
                6,
                "/paths/~1a/get/in",
            ),
            // Siblings replace each other; a deeper line nests.
            ("a:\n  b: 1\n  c:\n    d: [x\n", 4, "/a/c/d"),
            // Quotes around keys are not part of them.
            (
                "paths:\n  \"/a/b\":\n    'get':\n      x: [y\n",
                4,
                "/paths/~1a~1b/get/x",
            ),
            // Text with a colon and a space is not a key; a path with a space is.
            ("info:\n  some text: [x\n", 2, "/info"),
            ("paths:\n  /a b:\n    get: [x\n", 3, "/paths/~1a b/get"),
            // List items count from 0 at each list, and their keys nest under them.
            ("- a: 1\n- b: 2\n  c:\n    - d: [x\n", 4, "/1/c/0/d"),
            (
                "tags:\n  - name: a\n  - name: b\n    x: [y\n",
                4,
                "/tags/1/x",
            ),
            // Lines after `line` do not count.
            ("a:\n  b: [x\nc: 1\n", 2, "/a/b"),
        ];
        for (text, line, expected) in cases {
            assert_eq!(enclosing_pointer(text, line), expected, "{text}");
        }
    }
}
