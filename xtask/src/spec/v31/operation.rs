//! Operations and what hangs off them: parameters, request bodies, `content` maps, responses
//! and their headers, and security requirements. References to any of these are followed
//! here (see [`refs::follow`](super::refs::follow)); schemas inside are read by `schema.rs`.

use super::Reader;
use super::node::Node;
use super::refs::follow;
use crate::error::Result;
use crate::spec::{
    Encoding, MediaType, Method, Operation, Parameter, ParameterIn, RequestBody, Response,
    ResponseHeader, Schema, SecurityRequirement, StatusKey,
};

impl<'a> Reader<'a, '_> {
    /// The operation at `node`, filed under `method`.
    pub(super) fn operation(&mut self, method: Method, node: &Node<'a>) -> Result<Operation> {
        node.map()?;
        if node.field("callbacks").is_some() {
            self.diagnostics.note_once(
                "callbacks",
                &node.pointer_of("callbacks"),
                "callbacks are not generated (they describe requests the API sends)",
            );
        }
        let parameters = self.parameter_list(node.field("parameters"))?;
        let request_body = node
            .field("requestBody")
            .map(|at| self.request_body(at))
            .transpose()?;
        let responses = match node.field("responses") {
            Some(at) => self.responses(&at)?,
            // 3.1 made `responses` optional.
            None => Vec::new(),
        };
        Ok(Operation {
            method,
            pointer: node.pointer().to_string(),
            operation_id: node.opt_str("operationId")?,
            summary: node.opt_str("summary")?,
            description: node.opt_str("description")?,
            tags: node.opt_strings("tags")?,
            parameters,
            request_body,
            responses,
            deprecated: node.flag("deprecated")?,
            security: node
                .field("security")
                .map(|at| self.security(&at))
                .transpose()?,
            extensions: node.extensions()?,
        })
    }

    /// A `parameters` list (absent is empty).
    pub(super) fn parameter_list(&mut self, node: Option<Node<'a>>) -> Result<Vec<Parameter>> {
        let Some(node) = node else {
            return Ok(Vec::new());
        };
        node.items()?
            .into_iter()
            .map(|item| self.parameter(item))
            .collect()
    }

    /// One parameter or a reference to one.
    pub(super) fn parameter(&mut self, node: Node<'a>) -> Result<Parameter> {
        let overriding = ref_description(&node)?;
        let node = follow(&self.root, node)?;
        node.map()?;
        let name = node.req_str("name")?;
        let location = location(
            &node,
            "parameter",
            &[
                ParameterIn::Path,
                ParameterIn::Query,
                ParameterIn::Header,
                ParameterIn::Cookie,
            ],
        )?;
        let mut required = node.flag("required")?;
        if location == ParameterIn::Path && !required {
            // Specs that forget this tend to forget it everywhere: one line, with a count.
            self.diagnostics.warn_once(
                "path-parameter-not-required",
                node.pointer(),
                format!("path parameter {name:?} is not marked `required: true`; read as required"),
            );
            required = true;
        }
        let (schema, content_type) = self.schema_or_content(&node)?;
        Ok(Parameter {
            pointer: node.pointer().to_string(),
            name,
            location,
            required,
            deprecated: node.flag("deprecated")?,
            description: overriding.or(node.opt_str("description")?),
            style: node.opt_str("style")?,
            explode: node.opt_bool("explode")?,
            allow_reserved: node.flag("allowReserved")?,
            schema,
            content_type,
            extensions: node.extensions()?,
        })
    }

    /// The `schema` of a parameter or header, or the schema and media type of its single
    /// `content` entry.
    fn schema_or_content(&mut self, node: &Node<'a>) -> Result<(Option<Schema>, Option<String>)> {
        match (node.field("schema"), node.field("content")) {
            (Some(_), Some(_)) => Err(node.error("has both `schema` and `content`; use one")),
            (Some(at), None) => Ok((Some(self.schema(&at, 0)?), None)),
            (None, Some(at)) => {
                let mut content = self.content(&at)?;
                match (content.pop(), content.is_empty()) {
                    (Some(only), true) => Ok((only.schema, Some(only.media_type))),
                    _ => Err(at.error("`content` here must have exactly one entry")),
                }
            }
            (None, None) => Ok((None, None)),
        }
    }

    fn request_body(&mut self, node: Node<'a>) -> Result<RequestBody> {
        let overriding = ref_description(&node)?;
        let node = follow(&self.root, node)?;
        node.map()?;
        let content = node
            .field("content")
            .ok_or_else(|| node.missing("content"))?;
        Ok(RequestBody {
            pointer: node.pointer().to_string(),
            description: overriding.or(node.opt_str("description")?),
            required: node.flag("required")?,
            content: self.content(&content)?,
        })
    }

    /// A `content` map, in file order.
    fn content(&mut self, node: &Node<'a>) -> Result<Vec<MediaType>> {
        let mut out = Vec::new();
        for (media_type, at) in node.entries()? {
            at.map()?;
            let schema = at.field("schema").map(|s| self.schema(&s, 0)).transpose()?;
            let mut encoding = Vec::new();
            if let Some(enc) = at.field("encoding") {
                for (property, e) in enc.entries()? {
                    e.map()?;
                    encoding.push((
                        property,
                        Encoding {
                            content_type: e.opt_str("contentType")?,
                            style: e.opt_str("style")?,
                            explode: e.opt_bool("explode")?,
                        },
                    ));
                }
            }
            out.push(MediaType {
                pointer: at.pointer().to_string(),
                media_type,
                schema,
                encoding,
            });
        }
        Ok(out)
    }

    /// A `responses` map: status keys in file order, `x-` keys skipped.
    fn responses(&mut self, node: &Node<'a>) -> Result<Vec<(StatusKey, Response)>> {
        let mut out = Vec::new();
        for (key, at) in node.entries()? {
            if key.starts_with("x-") {
                continue;
            }
            let status = status_key(&key).ok_or_else(|| {
                at.error(format!(
                    "unknown response key {key:?} (expected a status code such as 200, a range \
                     such as 2XX, or default)"
                ))
            })?;
            out.push((status, self.response(at)?));
        }
        Ok(out)
    }

    fn response(&mut self, node: Node<'a>) -> Result<Response> {
        let overriding = ref_description(&node)?;
        let node = follow(&self.root, node)?;
        node.map()?;
        if node.field("links").is_some() {
            self.diagnostics.note_once(
                "links",
                &node.pointer_of("links"),
                "response links are not generated",
            );
        }
        let description = match overriding.or(node.opt_str("description")?) {
            Some(d) => d,
            None => {
                self.diagnostics.warn_once(
                    "response-without-description",
                    node.pointer(),
                    "a response without `description` (required by OpenAPI); read as empty",
                );
                String::new()
            }
        };
        let content = match node.field("content") {
            Some(at) => self.content(&at)?,
            None => Vec::new(),
        };
        let mut headers = Vec::new();
        if let Some(at) = node.field("headers") {
            for (name, header) in at.entries()? {
                // The specification says a `Content-Type` response header is ignored: the
                // media type says it.
                if !name.eq_ignore_ascii_case("content-type") {
                    headers.push(self.header(name, header)?);
                }
            }
        }
        Ok(Response {
            pointer: node.pointer().to_string(),
            description,
            content,
            headers,
        })
    }

    fn header(&mut self, name: String, node: Node<'a>) -> Result<ResponseHeader> {
        let overriding = ref_description(&node)?;
        let node = follow(&self.root, node)?;
        node.map()?;
        let (schema, _) = self.schema_or_content(&node)?;
        Ok(ResponseHeader {
            pointer: node.pointer().to_string(),
            name,
            description: overriding.or(node.opt_str("description")?),
            required: node.flag("required")?,
            schema,
        })
    }

    /// A `security` list; each scheme named must be declared in `components.securitySchemes`.
    pub(super) fn security(&self, node: &Node<'a>) -> Result<Vec<SecurityRequirement>> {
        let declared = self
            .root
            .field("components")
            .and_then(|c| c.field("securitySchemes"));
        let mut out = Vec::new();
        for requirement in node.items()? {
            let mut schemes = Vec::new();
            for (name, scopes) in requirement.entries()? {
                if declared.as_ref().and_then(|d| d.field(&name)).is_none() {
                    return Err(scopes.error(format!(
                        "security scheme {name:?} is not declared in components.securitySchemes"
                    )));
                }
                let scopes = scopes
                    .items()?
                    .iter()
                    .map(|s| s.str().map(str::to_string))
                    .collect::<Result<_>>()?;
                schemes.push((name, scopes));
            }
            out.push(SecurityRequirement { schemes });
        }
        Ok(out)
    }
}

/// Field `in` of a parameter or API-key scheme (`what`), one of `allowed`.
pub(super) fn location(
    node: &Node<'_>,
    what: &str,
    allowed: &[ParameterIn],
) -> Result<ParameterIn> {
    let word = node.req_str("in")?;
    if let Some(found) = allowed.iter().copied().find(|l| l.as_str() == word) {
        return Ok(found);
    }
    let mut expected: Vec<&str> = allowed.iter().map(|l| l.as_str()).collect();
    let last = expected.pop().unwrap_or_default();
    Err(node.field_error(
        "in",
        format!(
            "unknown {what} location {word:?} (expected {} or {last})",
            expected.join(", ")
        ),
    ))
}

/// The `description` written beside a `$ref`: 3.1 lets a Reference Object override the
/// description of its target. `None` for a node that is not a reference.
fn ref_description(node: &Node<'_>) -> Result<Option<String>> {
    if node.field("$ref").is_some() {
        node.opt_str("description")
    } else {
        Ok(None)
    }
}

/// A `responses` key: `default`, a status code 100-599, or a range `1XX`-`5XX` (either case).
fn status_key(key: &str) -> Option<StatusKey> {
    if key == "default" {
        return Some(StatusKey::Default);
    }
    let bytes = key.as_bytes();
    let [first @ b'1'..=b'5', rest @ ..] = bytes else {
        return None;
    };
    let class = first - b'0';
    match rest {
        [b'X' | b'x', b'X' | b'x'] => Some(StatusKey::Range(class)),
        [a @ b'0'..=b'9', b @ b'0'..=b'9'] => Some(StatusKey::Code(
            u16::from(class) * 100 + u16::from(a - b'0') * 10 + u16::from(b - b'0'),
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_keys() {
        assert_eq!(status_key("200"), Some(StatusKey::Code(200)));
        assert_eq!(status_key("599"), Some(StatusKey::Code(599)));
        assert_eq!(status_key("2XX"), Some(StatusKey::Range(2)));
        assert_eq!(status_key("4xx"), Some(StatusKey::Range(4)));
        assert_eq!(status_key("default"), Some(StatusKey::Default));
        for bad in [
            "600", "099", "20", "2000", "2X", "2xX0", "Default", "", "ok", "6XX",
        ] {
            assert_eq!(status_key(bad), None, "{bad}");
        }
    }
}
