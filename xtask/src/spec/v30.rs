//! The OpenAPI 3.0 reader: the YAML value is deserialized as `openapiv3::OpenAPI` (which checks
//! the 3.0 shapes), then converted to the version-neutral model. `openapiv3` stops here: its
//! types never reach lowering.

mod shape;
#[cfg(test)]
mod tests;

use super::*;
use crate::error::{GenError, Result, pointer_token};
use openapiv3 as oa;

/// How deep inline schemas may nest before the reader gives up (a hostile spec could
/// otherwise exhaust the stack; real specs stay far below).
pub(super) const MAX_SCHEMA_DEPTH: usize = 64;

/// How many references a chain of component references may follow (A -> B -> C ...).
const MAX_REF_CHAIN: usize = 32;

/// Reads a 3.0 document.
pub(super) fn read(
    value: &yaml_serde::Value,
    file: &str,
    diagnostics: &mut Diagnostics,
) -> Result<Document> {
    let doc = shape::deserialize(value, file)?;
    Reader {
        doc: &doc,
        file,
        diagnostics,
    }
    .document()
}

struct Reader<'a, 'd> {
    doc: &'a oa::OpenAPI,
    file: &'a str,
    diagnostics: &'d mut Diagnostics,
}

impl Reader<'_, '_> {
    fn err(&self, pointer: &str, message: impl Into<String>) -> GenError {
        GenError::new(self.file, pointer, message)
    }

    fn document(mut self) -> Result<Document> {
        let doc = self.doc;
        let mut paths = Vec::new();
        for (path, item) in &doc.paths.paths {
            let pointer = format!("/paths/{}", pointer_token(path));
            let item = match item {
                oa::ReferenceOr::Item(i) => i,
                oa::ReferenceOr::Reference { reference } => {
                    return Err(self.err(
                        &pointer,
                        format!(
                            "unsupported: a path item $ref ({reference:?}) in an OpenAPI 3.0 document"
                        ),
                    ));
                }
            };
            paths.push(self.path_item(path, &pointer, item)?);
        }
        let components = self.components()?;
        if !doc.paths.extensions.is_empty() {
            self.note_extensions(&doc.paths.extensions, "/paths");
        }
        Ok(Document {
            version: Version::V30,
            info: Info {
                title: doc.info.title.clone(),
                version: doc.info.version.clone(),
                description: doc.info.description.clone(),
            },
            servers: doc
                .servers
                .iter()
                .map(|s| Server {
                    url: s.url.clone(),
                    description: s.description.clone(),
                })
                .collect(),
            paths,
            components,
            security: doc.security.as_ref().map(|s| security(s)),
            extensions: extensions(&doc.extensions, ""),
        })
    }

    /// Extensions the document model does not carry (on `paths` itself) are noted, not lost
    /// silently.
    fn note_extensions(&mut self, ext: &indexmap::IndexMap<String, Value>, pointer: &str) {
        for name in ext.keys() {
            self.diagnostics.note_once(
                &format!("ext-ignored:{name}"),
                &format!("{pointer}/{}", pointer_token(name)),
                format!("vendor extension {name} is not read here"),
            );
        }
    }

    fn path_item(&mut self, path: &str, pointer: &str, item: &oa::PathItem) -> Result<PathEntry> {
        let parameters = item
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| self.parameter(p, &format!("{pointer}/parameters/{i}")))
            .collect::<Result<Vec<_>>>()?;
        let mut operations = Vec::new();
        for method in Method::ALL {
            let op = match method {
                Method::Get => &item.get,
                Method::Put => &item.put,
                Method::Post => &item.post,
                Method::Delete => &item.delete,
                Method::Options => &item.options,
                Method::Head => &item.head,
                Method::Patch => &item.patch,
                Method::Trace => &item.trace,
            };
            if let Some(op) = op {
                let op_ptr = format!("{pointer}/{}", method.key());
                operations.push(self.operation(method, &op_ptr, op)?);
            }
        }
        Ok(PathEntry {
            path: path.to_string(),
            pointer: pointer.to_string(),
            parameters,
            operations,
        })
    }

    fn operation(
        &mut self,
        method: Method,
        pointer: &str,
        op: &oa::Operation,
    ) -> Result<Operation> {
        let parameters = op
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| self.parameter(p, &format!("{pointer}/parameters/{i}")))
            .collect::<Result<Vec<_>>>()?;
        let request_body = match &op.request_body {
            Some(rb) => Some(self.request_body(rb, &format!("{pointer}/requestBody"))?),
            None => None,
        };
        let mut responses = Vec::new();
        for (code, r) in &op.responses.responses {
            let (key, token) = match code {
                oa::StatusCode::Code(c) => (StatusKey::Code(*c), c.to_string()),
                oa::StatusCode::Range(r) => (
                    StatusKey::Range(u8::try_from(*r).unwrap_or(u8::MAX)),
                    format!("{r}XX"),
                ),
            };
            let r_ptr = format!("{pointer}/responses/{token}");
            responses.push((key, self.response(r, &r_ptr)?));
        }
        if let Some(r) = &op.responses.default {
            let r_ptr = format!("{pointer}/responses/default");
            responses.push((StatusKey::Default, self.response(r, &r_ptr)?));
        }
        if !op.callbacks.is_empty() {
            self.diagnostics.note_once(
                "callbacks",
                &format!("{pointer}/callbacks"),
                "callbacks are not generated (the client does not serve requests)",
            );
        }
        Ok(Operation {
            method,
            pointer: pointer.to_string(),
            operation_id: op.operation_id.clone(),
            summary: op.summary.clone(),
            description: op.description.clone(),
            tags: op.tags.clone(),
            parameters,
            request_body,
            responses,
            deprecated: op.deprecated,
            security: op.security.as_ref().map(|s| security(s)),
            extensions: extensions(&op.extensions, pointer),
        })
    }

    /// Follows a chain of component references in `section` to an item.
    fn resolve<'x, T>(
        &self,
        mut item: &'x oa::ReferenceOr<T>,
        pointer: &str,
        section: &str,
        lookup: impl Fn(&str) -> Option<&'x oa::ReferenceOr<T>>,
    ) -> Result<(&'x T, String)> {
        let mut at = pointer.to_string();
        // One pass per reference followed, and one more to find the item at the end.
        for _ in 0..=MAX_REF_CHAIN {
            match item {
                oa::ReferenceOr::Item(t) => return Ok((t, at)),
                oa::ReferenceOr::Reference { reference } => {
                    let prefix = format!("#/components/{section}/");
                    let name = reference.strip_prefix(&prefix).ok_or_else(|| {
                        self.err(
                            &at,
                            format!("unsupported $ref {reference:?}: expected a local {prefix}... reference"),
                        )
                    })?;
                    let name = unescape_pointer_token(name);
                    item = lookup(&name)
                        .ok_or_else(|| self.err(&at, format!("dangling $ref {reference:?}")))?;
                    at = format!("/components/{section}/{}", pointer_token(&name));
                }
            }
        }
        Err(self.err(pointer, "a cycle of references (or a chain longer than 32)"))
    }

    fn parameter(
        &mut self,
        p: &oa::ReferenceOr<oa::Parameter>,
        pointer: &str,
    ) -> Result<Parameter> {
        let components = self.doc.components.as_ref();
        let (p, at) = self.resolve(p, pointer, "parameters", |n| {
            components.and_then(|c| c.parameters.get(n))
        })?;
        self.parameter_item(p, &at)
    }

    fn parameter_item(&mut self, p: &oa::Parameter, at: &str) -> Result<Parameter> {
        let data = p.parameter_data_ref();
        let (location, style, allow_reserved) = match p {
            oa::Parameter::Query {
                style,
                allow_reserved,
                ..
            } => (ParameterIn::Query, query_style_word(style), *allow_reserved),
            oa::Parameter::Header { .. } => (ParameterIn::Header, "simple", false),
            oa::Parameter::Path { style, .. } => (
                ParameterIn::Path,
                match style {
                    oa::PathStyle::Matrix => "matrix",
                    oa::PathStyle::Label => "label",
                    oa::PathStyle::Simple => "simple",
                },
                false,
            ),
            oa::Parameter::Cookie { .. } => (ParameterIn::Cookie, "form", false),
        };
        let (schema, content_type) = self.schema_or_content(&data.format, at)?;
        Ok(Parameter {
            pointer: at.to_string(),
            name: data.name.clone(),
            location,
            required: data.required,
            deprecated: data.deprecated.unwrap_or(false),
            description: data.description.clone(),
            style: Some(style.to_string()),
            explode: data.explode,
            allow_reserved,
            schema,
            content_type,
            extensions: extensions(&data.extensions, at),
        })
    }

    /// The schema of a parameter or header: `schema`, or the one entry of `content`.
    fn schema_or_content(
        &mut self,
        format: &oa::ParameterSchemaOrContent,
        at: &str,
    ) -> Result<(Option<Schema>, Option<String>)> {
        match format {
            oa::ParameterSchemaOrContent::Schema(s) => {
                Ok((Some(self.schema_ref(s, &format!("{at}/schema"), 0)?), None))
            }
            oa::ParameterSchemaOrContent::Content(content) => {
                let mut entries = content.iter();
                let (Some((media, m)), None) = (entries.next(), entries.next()) else {
                    return Err(self.err(
                        &format!("{at}/content"),
                        "`content` of a parameter or header must have exactly one entry",
                    ));
                };
                let m_ptr = format!("{at}/content/{}", pointer_token(media));
                let schema = match &m.schema {
                    Some(s) => Some(self.schema_ref(s, &format!("{m_ptr}/schema"), 0)?),
                    None => None,
                };
                Ok((schema, Some(media.clone())))
            }
        }
    }

    fn request_body(
        &mut self,
        rb: &oa::ReferenceOr<oa::RequestBody>,
        pointer: &str,
    ) -> Result<RequestBody> {
        let components = self.doc.components.as_ref();
        let (rb, at) = self.resolve(rb, pointer, "requestBodies", |n| {
            components.and_then(|c| c.request_bodies.get(n))
        })?;
        Ok(RequestBody {
            description: rb.description.clone(),
            required: rb.required,
            content: self.content(&rb.content, &at)?,
            pointer: at,
        })
    }

    fn content(
        &mut self,
        content: &indexmap::IndexMap<String, oa::MediaType>,
        at: &str,
    ) -> Result<Vec<MediaType>> {
        let mut out = Vec::new();
        for (media, m) in content {
            let m_ptr = format!("{at}/content/{}", pointer_token(media));
            let schema = match &m.schema {
                Some(s) => Some(self.schema_ref(s, &format!("{m_ptr}/schema"), 0)?),
                None => None,
            };
            let encoding = m
                .encoding
                .iter()
                .map(|(name, e)| {
                    (
                        name.clone(),
                        Encoding {
                            content_type: e.content_type.clone(),
                            style: e.style.as_ref().map(|s| query_style_word(s).to_string()),
                            explode: Some(e.explode),
                        },
                    )
                })
                .collect();
            out.push(MediaType {
                pointer: m_ptr,
                media_type: media.clone(),
                schema,
                encoding,
            });
        }
        Ok(out)
    }

    fn response(&mut self, r: &oa::ReferenceOr<oa::Response>, pointer: &str) -> Result<Response> {
        let components = self.doc.components.as_ref();
        let (r, at) = self.resolve(r, pointer, "responses", |n| {
            components.and_then(|c| c.responses.get(n))
        })?;
        let mut headers = Vec::new();
        for (name, h) in &r.headers {
            let h_ptr = format!("{at}/headers/{}", pointer_token(name));
            let (h, h_at) = self.resolve(h, &h_ptr, "headers", |n| {
                components.and_then(|c| c.headers.get(n))
            })?;
            let (schema, _) = self.schema_or_content(&h.format, &h_at)?;
            headers.push(ResponseHeader {
                pointer: h_at,
                name: name.clone(),
                description: h.description.clone(),
                required: h.required,
                schema,
            });
        }
        Ok(Response {
            description: r.description.clone(),
            content: self.content(&r.content, &at)?,
            headers,
            pointer: at,
        })
    }

    fn components(&mut self) -> Result<Components> {
        let Some(c) = &self.doc.components else {
            return Ok(Components::default());
        };
        let mut out = Components::default();
        for (name, s) in &c.schemas {
            let at = format!("/components/schemas/{}", pointer_token(name));
            out.schemas
                .push((name.clone(), self.schema_ref(s, &at, 0)?));
        }
        for (name, p) in &c.parameters {
            let at = format!("/components/parameters/{}", pointer_token(name));
            out.parameters.push((name.clone(), self.parameter(p, &at)?));
        }
        for (name, s) in &c.security_schemes {
            let at = format!("/components/securitySchemes/{}", pointer_token(name));
            let (s, s_at) =
                self.resolve(s, &at, "securitySchemes", |n| c.security_schemes.get(n))?;
            out.security_schemes
                .push((name.clone(), security_scheme(s, s_at)));
        }
        Ok(out)
    }

    /// A schema or a reference to one.
    fn schema_ref<S: std::borrow::Borrow<oa::Schema>>(
        &mut self,
        s: &oa::ReferenceOr<S>,
        at: &str,
        depth: usize,
    ) -> Result<Schema> {
        match s {
            oa::ReferenceOr::Reference { reference } => {
                self.check_schema_ref(reference, at)?;
                Ok(Schema {
                    pointer: at.to_string(),
                    reference: Some(reference.clone()),
                    ..Schema::default()
                })
            }
            oa::ReferenceOr::Item(s) => self.schema(s.borrow(), at, depth),
        }
    }

    /// A schema `$ref` must name an existing local component schema.
    fn check_schema_ref(&self, reference: &str, at: &str) -> Result<()> {
        let name = Schema::component_name(reference).ok_or_else(|| {
            self.err(
                at,
                format!("unsupported $ref {reference:?}: only local #/components/schemas/ references are supported"),
            )
        })?;
        let exists = self
            .doc
            .components
            .as_ref()
            .is_some_and(|c| c.schemas.contains_key(&name));
        if exists {
            Ok(())
        } else {
            Err(self.err(at, format!("dangling $ref {reference:?}")))
        }
    }

    fn schema(&mut self, s: &oa::Schema, at: &str, depth: usize) -> Result<Schema> {
        if depth > MAX_SCHEMA_DEPTH {
            return Err(self.err(
                at,
                format!("schemas nest more than {MAX_SCHEMA_DEPTH} levels deep"),
            ));
        }
        let data = &s.schema_data;
        let mut out = Schema {
            pointer: at.to_string(),
            nullable: data.nullable,
            title: data.title.clone(),
            description: data.description.clone(),
            deprecated: data.deprecated,
            read_only: data.read_only,
            write_only: data.write_only,
            default: data.default.clone(),
            examples: data.example.iter().cloned().collect(),
            discriminator: data.discriminator.as_ref().map(|d| Discriminator {
                property_name: d.property_name.clone(),
                mapping: d
                    .mapping
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            }),
            extensions: extensions(&data.extensions, at),
            ..Schema::default()
        };
        let d = depth + 1;
        match &s.schema_kind {
            oa::SchemaKind::Type(t) => self.typed(t, &mut out, at, d)?,
            oa::SchemaKind::AllOf { all_of } => out.all_of = self.list(all_of, at, "allOf", d)?,
            oa::SchemaKind::OneOf { one_of } => out.one_of = self.list(one_of, at, "oneOf", d)?,
            oa::SchemaKind::AnyOf { any_of } => out.any_of = self.list(any_of, at, "anyOf", d)?,
            oa::SchemaKind::Not { not } => {
                out.not = Some(Box::new(self.schema_ref(
                    not.as_ref(),
                    &format!("{at}/not"),
                    d,
                )?))
            }
            oa::SchemaKind::Any(a) => self.any(a, &mut out, at, d)?,
        }
        Ok(out)
    }

    fn list(
        &mut self,
        parts: &[oa::ReferenceOr<oa::Schema>],
        at: &str,
        key: &str,
        depth: usize,
    ) -> Result<Vec<Schema>> {
        parts
            .iter()
            .enumerate()
            .map(|(i, p)| self.schema_ref(p, &format!("{at}/{key}/{i}"), depth))
            .collect()
    }

    fn properties(
        &mut self,
        props: &indexmap::IndexMap<String, oa::ReferenceOr<Box<oa::Schema>>>,
        at: &str,
        depth: usize,
    ) -> Result<Vec<(String, Schema)>> {
        props
            .iter()
            .map(|(name, p)| {
                let p_at = format!("{at}/properties/{}", pointer_token(name));
                Ok((name.clone(), self.schema_ref(p, &p_at, depth)?))
            })
            .collect()
    }

    fn additional(
        &mut self,
        a: &Option<oa::AdditionalProperties>,
        at: &str,
        depth: usize,
    ) -> Result<Option<Additional>> {
        Ok(match a {
            None => None,
            Some(oa::AdditionalProperties::Any(b)) => Some(Additional::Bool(*b)),
            Some(oa::AdditionalProperties::Schema(s)) => Some(Additional::Schema(Box::new(
                self.schema_ref(s.as_ref(), &format!("{at}/additionalProperties"), depth)?,
            ))),
        })
    }

    fn typed(&mut self, t: &oa::Type, out: &mut Schema, at: &str, depth: usize) -> Result<()> {
        match t {
            oa::Type::String(s) => {
                out.types = vec![SchemaType::String];
                out.format = format_name(&s.format);
                out.enumeration = s
                    .enumeration
                    .iter()
                    .map(|e| e.clone().map(Value::String).unwrap_or(Value::Null))
                    .collect();
            }
            oa::Type::Number(n) => {
                out.types = vec![SchemaType::Number];
                out.format = format_name(&n.format);
                out.enumeration = n
                    .enumeration
                    .iter()
                    .map(|e| e.map(Value::from).unwrap_or(Value::Null))
                    .collect();
                out.minimum = n.minimum.map(|value| Bound {
                    value,
                    exclusive: n.exclusive_minimum,
                });
                out.maximum = n.maximum.map(|value| Bound {
                    value,
                    exclusive: n.exclusive_maximum,
                });
            }
            oa::Type::Integer(n) => {
                out.types = vec![SchemaType::Integer];
                out.format = format_name(&n.format);
                out.enumeration = n
                    .enumeration
                    .iter()
                    .map(|e| e.map(Value::from).unwrap_or(Value::Null))
                    .collect();
                // Integer bounds beyond 2^53 lose precision as f64; they only document.
                out.minimum = n.minimum.map(|value| Bound {
                    value: value as f64,
                    exclusive: n.exclusive_minimum,
                });
                out.maximum = n.maximum.map(|value| Bound {
                    value: value as f64,
                    exclusive: n.exclusive_maximum,
                });
            }
            oa::Type::Boolean(b) => {
                out.types = vec![SchemaType::Boolean];
                out.enumeration = b
                    .enumeration
                    .iter()
                    .map(|e| e.map(Value::Bool).unwrap_or(Value::Null))
                    .collect();
            }
            oa::Type::Object(o) => {
                out.types = vec![SchemaType::Object];
                out.properties = self.properties(&o.properties, at, depth)?;
                out.required = o.required.clone();
                out.additional = self.additional(&o.additional_properties, at, depth)?;
            }
            oa::Type::Array(a) => {
                out.types = vec![SchemaType::Array];
                out.items = match &a.items {
                    Some(i) => Some(Box::new(self.schema_ref(
                        i,
                        &format!("{at}/items"),
                        depth,
                    )?)),
                    None => None,
                };
            }
        }
        Ok(())
    }

    /// openapiv3's catch-all for schemas that mix keywords of several kinds.
    fn any(&mut self, a: &oa::AnySchema, out: &mut Schema, at: &str, depth: usize) -> Result<()> {
        if let Some(t) = &a.typ {
            out.types = vec![SchemaType::from_word(t).ok_or_else(|| {
                self.err(&format!("{at}/type"), format!("unknown schema type {t:?}"))
            })?];
        }
        out.format = a.format.clone();
        out.enumeration = a.enumeration.clone();
        out.properties = self.properties(&a.properties, at, depth)?;
        out.required = a.required.clone();
        out.additional = self.additional(&a.additional_properties, at, depth)?;
        out.items = match &a.items {
            Some(i) => Some(Box::new(self.schema_ref(
                i,
                &format!("{at}/items"),
                depth,
            )?)),
            None => None,
        };
        out.all_of = self.list(&a.all_of, at, "allOf", depth)?;
        out.one_of = self.list(&a.one_of, at, "oneOf", depth)?;
        out.any_of = self.list(&a.any_of, at, "anyOf", depth)?;
        out.not = match &a.not {
            Some(n) => Some(Box::new(self.schema_ref(
                n.as_ref(),
                &format!("{at}/not"),
                depth,
            )?)),
            None => None,
        };
        out.minimum = a.minimum.map(|value| Bound {
            value,
            exclusive: a.exclusive_minimum.unwrap_or(false),
        });
        out.maximum = a.maximum.map(|value| Bound {
            value,
            exclusive: a.exclusive_maximum.unwrap_or(false),
        });
        Ok(())
    }
}

/// The spec's word for a query style.
fn query_style_word(style: &oa::QueryStyle) -> &'static str {
    match style {
        oa::QueryStyle::Form => "form",
        oa::QueryStyle::SpaceDelimited => "spaceDelimited",
        oa::QueryStyle::PipeDelimited => "pipeDelimited",
        oa::QueryStyle::DeepObject => "deepObject",
    }
}

/// The spec's word for a format openapiv3 parsed into a variant.
fn format_name<T: std::fmt::Debug>(v: &oa::VariantOrUnknownOrEmpty<T>) -> Option<String> {
    match v {
        oa::VariantOrUnknownOrEmpty::Item(i) => {
            // openapiv3 names formats with Rust variant names; map back to the spec words.
            let s = format!("{i:?}");
            Some(match s.as_str() {
                "DateTime" => "date-time".to_string(),
                other => other.to_lowercase(),
            })
        }
        oa::VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        oa::VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn extensions(ext: &indexmap::IndexMap<String, Value>, pointer: &str) -> Extensions {
    Extensions {
        pointer: pointer.to_string(),
        entries: ext.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
    }
}

fn security(reqs: &[oa::SecurityRequirement]) -> Vec<SecurityRequirement> {
    reqs.iter()
        .map(|r| SecurityRequirement {
            schemes: r.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        })
        .collect()
}

fn security_scheme(s: &oa::SecurityScheme, pointer: String) -> SecurityScheme {
    let (kind, description) = match s {
        oa::SecurityScheme::APIKey {
            location,
            name,
            description,
            ..
        } => (
            SecuritySchemeKind::ApiKey {
                name: name.clone(),
                location: match location {
                    oa::APIKeyLocation::Query => ParameterIn::Query,
                    oa::APIKeyLocation::Header => ParameterIn::Header,
                    oa::APIKeyLocation::Cookie => ParameterIn::Cookie,
                },
            },
            description,
        ),
        oa::SecurityScheme::HTTP {
            scheme,
            bearer_format,
            description,
            ..
        } => (
            SecuritySchemeKind::Http {
                scheme: scheme.to_ascii_lowercase(),
                bearer_format: bearer_format.clone(),
            },
            description,
        ),
        oa::SecurityScheme::OAuth2 {
            flows, description, ..
        } => {
            let mut other_flows = Vec::new();
            if flows.implicit.is_some() {
                other_flows.push("implicit".to_string());
            }
            if flows.password.is_some() {
                other_flows.push("password".to_string());
            }
            if flows.authorization_code.is_some() {
                other_flows.push("authorizationCode".to_string());
            }
            (
                SecuritySchemeKind::OAuth2 {
                    client_credentials: flows.client_credentials.as_ref().map(|f| OAuthFlow {
                        token_url: f.token_url.clone(),
                        refresh_url: f.refresh_url.clone(),
                        scopes: f.scopes.keys().cloned().collect(),
                    }),
                    other_flows,
                },
                description,
            )
        }
        oa::SecurityScheme::OpenIDConnect {
            open_id_connect_url,
            description,
            ..
        } => (
            SecuritySchemeKind::OpenIdConnect {
                url: open_id_connect_url.clone(),
            },
            description,
        ),
    };
    SecurityScheme {
        pointer,
        kind,
        description: description.clone(),
    }
}
