//! Reads `openapi/cld-provisioning.yaml` into the operations the mock answers.
//!
//! Only what the mock needs is kept: method, path template, success status, the success
//! response's examples (with every `$ref` resolved), and the pagination extension.

use std::fmt;
use std::path::Path;

use serde_json::Value;

/// How deep `$ref`s may nest before the spec is considered broken (a cycle, most likely).
const MAX_REF_DEPTH: usize = 32;

/// The HTTP methods an OpenAPI path item can hold, in the order the spec lists them.
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Why the spec could not be turned into operations.
#[derive(Debug)]
pub struct SpecError(pub(crate) String);

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot read the OpenAPI spec: {}", self.0)
    }
}

impl std::error::Error for SpecError {}

/// One segment of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    Literal(String),
    Param(String),
}

/// How an operation pages through its results (from `x-speakeasy-pagination`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Pagination {
    /// `page` / `page_size` query parameters; `results` is the path to the items array.
    Pages { results: Vec<String> },
    /// A `cursor` parameter; the response names the next cursor at `next`.
    Cursor {
        results: Vec<String>,
        next: Vec<String>,
    },
}

/// One operation of the spec.
#[derive(Debug, Clone)]
pub(crate) struct Operation {
    pub(crate) id: String,
    /// Upper case, as on the wire.
    pub(crate) method: String,
    pub(crate) segments: Vec<Segment>,
    /// The lowest 2xx status the operation documents.
    pub(crate) status: u16,
    /// The success response's examples by name, sorted by name; empty when it has no body.
    pub(crate) examples: Vec<(String, Value)>,
    /// The request body's examples by name, sorted by name (the tests send them).
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) request_examples: Vec<(String, Value)>,
    pub(crate) pagination: Option<Pagination>,
}

impl Operation {
    /// The anchored regex wiremock matches the request path against: each `{param}` is one
    /// non-empty segment.
    pub(crate) fn path_regex(&self) -> String {
        let mut re = String::from("^");
        for segment in &self.segments {
            re.push('/');
            match segment {
                Segment::Literal(text) => re.push_str(&escape_regex(text)),
                Segment::Param(_) => re.push_str("[^/]+"),
            }
        }
        re.push('$');
        re
    }

    /// The path parameters of `path` (percent-decoded) when it fits the template.
    pub(crate) fn path_params(&self, path: &str) -> Option<Vec<(String, String)>> {
        let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        if parts.len() != self.segments.len() {
            return None;
        }
        let mut params = Vec::new();
        for (segment, part) in self.segments.iter().zip(parts) {
            match segment {
                Segment::Literal(text) if text == part => {}
                Segment::Literal(_) => return None,
                Segment::Param(_) if part.is_empty() => return None,
                Segment::Param(name) => params.push((name.clone(), percent_decode(part))),
            }
        }
        Some(params)
    }

    /// The success example called `name`.
    pub(crate) fn example(&self, name: &str) -> Option<&Value> {
        self.examples
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }
}

/// Reads the spec file and lists its operations, by path (sorted) and then method.
pub(crate) fn load(path: &Path) -> Result<Vec<Operation>, SpecError> {
    let text =
        std::fs::read_to_string(path).map_err(|e| SpecError(format!("{}: {e}", path.display())))?;
    parse(&text)
}

/// Lists the operations of a spec given as YAML text.
pub(crate) fn parse(text: &str) -> Result<Vec<Operation>, SpecError> {
    let root: Value = yaml_serde::from_str(text).map_err(|e| SpecError(e.to_string()))?;
    let paths = root
        .get("paths")
        .and_then(Value::as_object)
        .ok_or_else(|| SpecError("no `paths` object".into()))?;
    let mut operations = Vec::new();
    for (template, item) in paths {
        let item = resolve(&root, item)?;
        for method in METHODS {
            let Some(op) = item.get(*method) else {
                continue;
            };
            operations.push(operation(&root, template, method, op)?);
        }
    }
    Ok(operations)
}

fn operation(
    root: &Value,
    template: &str,
    method: &str,
    op: &Value,
) -> Result<Operation, SpecError> {
    let id = op
        .get("operationId")
        .and_then(Value::as_str)
        .ok_or_else(|| SpecError(format!("{method} {template} has no operationId")))?
        .to_string();
    let (status, response) = success_response(root, &id, op)?;
    let examples = match response.get("content") {
        Some(content) => media_examples(root, content)?,
        None => Vec::new(),
    };
    if response.get("content").is_some() && examples.is_empty() {
        return Err(SpecError(format!(
            "{id}: the {status} response has a body but no example to answer with"
        )));
    }
    let request_examples = match op.get("requestBody") {
        Some(body) => match resolve(root, body)?.get("content") {
            Some(content) => media_examples(root, content)?,
            None => Vec::new(),
        },
        None => Vec::new(),
    };
    Ok(Operation {
        method: method.to_ascii_uppercase(),
        segments: segments(template),
        status,
        examples,
        request_examples,
        pagination: pagination(op),
        id,
    })
}

/// The lowest documented 2xx status and its (resolved) response object.
fn success_response<'a>(
    root: &'a Value,
    id: &str,
    op: &'a Value,
) -> Result<(u16, &'a Value), SpecError> {
    let responses = op
        .get("responses")
        .and_then(Value::as_object)
        .ok_or_else(|| SpecError(format!("{id} has no responses")))?;
    let (status, response) = responses
        .iter()
        .filter_map(|(code, r)| {
            let code: u16 = code.parse().ok()?;
            (200..300).contains(&code).then_some((code, r))
        })
        .min_by_key(|(code, _)| *code)
        .ok_or_else(|| SpecError(format!("{id} documents no 2xx response")))?;
    Ok((status, resolve(root, response)?))
}

/// The examples of the JSON media type of a `content` object: the named `examples` (their
/// `value`), or the single `example`.
fn media_examples(root: &Value, content: &Value) -> Result<Vec<(String, Value)>, SpecError> {
    let Some(media) = content.get("application/json") else {
        return Ok(Vec::new());
    };
    let media = resolve(root, media)?;
    let mut out = Vec::new();
    if let Some(examples) = media.get("examples").and_then(Value::as_object) {
        for (name, example) in examples {
            let example = resolve(root, example)?;
            let value = example
                .get("value")
                .ok_or_else(|| SpecError(format!("example `{name}` has no inline value")))?;
            out.push((name.clone(), value.clone()));
        }
    } else if let Some(example) = media.get("example") {
        out.push(("example".to_string(), example.clone()));
    }
    Ok(out)
}

fn pagination(op: &Value) -> Option<Pagination> {
    let ext = op.get("x-speakeasy-pagination")?;
    let outputs = ext.get("outputs")?;
    let results = json_path(outputs.get("results")?.as_str()?)?;
    match ext.get("type")?.as_str()? {
        "offsetLimit" => Some(Pagination::Pages { results }),
        "cursor" => Some(Pagination::Cursor {
            results,
            next: json_path(outputs.get("nextCursor")?.as_str()?)?,
        }),
        _ => None,
    }
}

/// `$.data.principals` -> `["data", "principals"]` (only the dotted subset the spec uses).
fn json_path(path: &str) -> Option<Vec<String>> {
    let rest = path.strip_prefix("$.")?;
    Some(rest.split('.').map(str::to_string).collect())
}

/// Follows `$ref`s (local JSON pointers only) until a non-reference object is reached.
fn resolve<'a>(root: &'a Value, mut value: &'a Value) -> Result<&'a Value, SpecError> {
    for _ in 0..MAX_REF_DEPTH {
        let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
            return Ok(value);
        };
        let pointer = reference.strip_prefix('#').ok_or_else(|| {
            SpecError(format!("only local references are supported: {reference}"))
        })?;
        value = root
            .pointer(pointer)
            .ok_or_else(|| SpecError(format!("dangling reference {reference}")))?;
    }
    Err(SpecError(format!(
        "references nest deeper than {MAX_REF_DEPTH} levels"
    )))
}

fn segments(template: &str) -> Vec<Segment> {
    template
        .trim_start_matches('/')
        .split('/')
        .map(
            |part| match part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                Some(name) => Segment::Param(name.to_string()),
                None => Segment::Literal(part.to_string()),
            },
        )
        .collect()
}

fn escape_regex(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Decodes `%XX` escapes; anything malformed is kept as it is.
pub(crate) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TINY: &str = r##"
openapi: 3.0.3
info: { title: t, version: "1" }
paths:
  /things/{thing_id}:
    parameters:
      - { name: thing_id, in: path, required: true, schema: { type: string } }
    get:
      operationId: getThing
      responses:
        '404': { description: no }
        '200':
          $ref: '#/components/responses/Thing'
    delete:
      operationId: deleteThing
      responses:
        '204': { description: gone }
components:
  responses:
    Thing:
      description: a thing
      content:
        application/json:
          examples:
            one: { $ref: '#/components/examples/One' }
  examples:
    One:
      value: { id: "t1" }
"##;

    #[test]
    fn reads_operations_with_resolved_examples() {
        let ops = parse(TINY).unwrap();
        assert_eq!(ops.len(), 2);
        assert_eq!(ops[0].id, "getThing");
        assert_eq!(ops[0].method, "GET");
        assert_eq!(ops[0].status, 200);
        assert_eq!(
            ops[0].examples,
            vec![("one".into(), serde_json::json!({"id": "t1"}))]
        );
        assert_eq!(ops[1].status, 204);
        assert!(ops[1].examples.is_empty());
    }

    #[test]
    fn path_regex_and_params() {
        let op = &parse(TINY).unwrap()[0];
        assert_eq!(op.path_regex(), "^/things/[^/]+$");
        assert_eq!(
            op.path_params("/things/a%3Ab"),
            Some(vec![("thing_id".into(), "a:b".into())])
        );
        assert_eq!(op.path_params("/things"), None);
        assert_eq!(op.path_params("/things/a/b"), None);
        assert_eq!(op.path_params("/other/a"), None);
    }

    #[test]
    fn percent_decoding_keeps_malformed_escapes() {
        assert_eq!(percent_decode("cld%3A%3Arole"), "cld::role");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
    }

    #[test]
    fn reference_cycles_are_an_error() {
        let spec = TINY.replace("value: { id: \"t1\" }", "$ref: '#/components/examples/One'");
        assert!(parse(&spec).is_err());
    }
}
