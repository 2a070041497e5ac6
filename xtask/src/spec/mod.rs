//! The version-neutral spec model: what `lower/` reads, whichever OpenAPI version the file is
//! written in. One reader per version builds it (`v30` through `openapiv3`, `v31` over the YAML
//! value), so no reader's types cross into lowering and a version's spellings are normalised in
//! one place: a 3.0 `nullable: true` and a 3.1 `type: [string, "null"]` both arrive as
//! [`Schema::nullable`], a 3.0 `example` and a 3.1 `examples` list both as [`Schema::examples`].
//!
//! Every node keeps the JSON pointer it was read from, so a lowering error or warning names the
//! place in the file. References between components stay references only for schemas (their
//! names and recursion matter to the type graph); parameter, request-body, response, header and
//! path-item references are resolved by the readers, which report dangling and cyclic ones.
//!
//! What the readers do not carry is not used by the generator: `webhooks`, `jsonSchemaDialect`,
//! `$id`/`$anchor`/`$schema`, links and callbacks are read past with a note (see
//! [`Diagnostics`]).

pub mod diagnostics;
mod v30;
mod v31;

pub use diagnostics::{Diagnostics, Warning};

use serde_json::Value;

/// Which OpenAPI version the document declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// `openapi: 3.0.x`.
    V30,
    /// `openapi: 3.1.x`.
    V31,
}

/// A whole OpenAPI document.
#[derive(Debug, Clone)]
pub struct Document {
    /// The declared version.
    pub version: Version,
    /// `info`.
    pub info: Info,
    /// `servers` (document level).
    pub servers: Vec<Server>,
    /// `paths`, in file order, with path-item references resolved.
    pub paths: Vec<PathEntry>,
    /// `components`.
    pub components: Components,
    /// Document-level `security`; `None` when absent (no requirement), `Some(vec![])` when an
    /// empty list was written.
    pub security: Option<Vec<SecurityRequirement>>,
    /// Document-level vendor extensions (`x-...`).
    pub extensions: Extensions,
}

/// `info`.
#[derive(Debug, Clone, Default)]
pub struct Info {
    /// `info.title`.
    pub title: String,
    /// `info.version` (the API's version, not OpenAPI's).
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
}

/// One entry of `servers`.
#[derive(Debug, Clone)]
pub struct Server {
    /// The URL template.
    pub url: String,
    /// `description`.
    pub description: Option<String>,
}

/// One key of `paths` with its (resolved) path item.
#[derive(Debug, Clone)]
pub struct PathEntry {
    /// The path template as written (`/users/{id}`).
    pub path: String,
    /// Pointer of the path item (`/paths/~1users~1{id}`).
    pub pointer: String,
    /// Parameters declared on the path item, shared by its operations.
    pub parameters: Vec<Parameter>,
    /// Operations in the order of [`Method::ALL`].
    pub operations: Vec<Operation>,
}

/// An HTTP method of a path item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    /// Every method, in the order the specification lists path-item fields.
    pub const ALL: [Method; 8] = [
        Method::Get,
        Method::Put,
        Method::Post,
        Method::Delete,
        Method::Options,
        Method::Head,
        Method::Patch,
        Method::Trace,
    ];

    /// The path-item key (`get`).
    pub fn key(self) -> &'static str {
        match self {
            Method::Get => "get",
            Method::Put => "put",
            Method::Post => "post",
            Method::Delete => "delete",
            Method::Options => "options",
            Method::Head => "head",
            Method::Patch => "patch",
            Method::Trace => "trace",
        }
    }
}

/// One operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The method it is filed under.
    pub method: Method,
    /// Pointer of the operation object.
    pub pointer: String,
    /// `operationId`.
    pub operation_id: Option<String>,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `tags`, in order.
    pub tags: Vec<String>,
    /// Operation-level parameters (path-level ones are on [`PathEntry`]).
    pub parameters: Vec<Parameter>,
    /// `requestBody`, resolved.
    pub request_body: Option<RequestBody>,
    /// `responses`, in file order, resolved.
    pub responses: Vec<(StatusKey, Response)>,
    /// `deprecated`.
    pub deprecated: bool,
    /// Operation-level `security`: `None` when absent (the document's applies).
    pub security: Option<Vec<SecurityRequirement>>,
    /// Vendor extensions of the operation.
    pub extensions: Extensions,
}

/// A key of `responses`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StatusKey {
    /// One status (`200`).
    Code(u16),
    /// A range (`4XX` is `Range(4)`).
    Range(u8),
    /// `default`.
    Default,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ParameterIn {
    Path,
    Query,
    Header,
    Cookie,
}

impl ParameterIn {
    /// The spec's word for it.
    pub fn as_str(self) -> &'static str {
        match self {
            ParameterIn::Path => "path",
            ParameterIn::Query => "query",
            ParameterIn::Header => "header",
            ParameterIn::Cookie => "cookie",
        }
    }
}

/// One parameter, resolved.
#[derive(Debug, Clone)]
pub struct Parameter {
    /// Pointer of the parameter object (of the referenced component when it was a `$ref`).
    pub pointer: String,
    /// `name`.
    pub name: String,
    /// `in`.
    pub location: ParameterIn,
    /// `required` (always true for path parameters in a valid document).
    pub required: bool,
    /// `deprecated`.
    pub deprecated: bool,
    /// `description`.
    pub description: Option<String>,
    /// `style` as written (`form`, `simple`, `deepObject`, ...); `None` for the default.
    pub style: Option<String>,
    /// `explode` as written; `None` for the default.
    pub explode: Option<bool>,
    /// `allowReserved`.
    pub allow_reserved: bool,
    /// `schema`, or the schema of the single `content` entry.
    pub schema: Option<Schema>,
    /// The media type of `content`, when the parameter uses `content` instead of `schema`.
    pub content_type: Option<String>,
    /// Vendor extensions of the parameter.
    pub extensions: Extensions,
}

/// A request body, resolved.
#[derive(Debug, Clone)]
pub struct RequestBody {
    /// Pointer of the request-body object.
    pub pointer: String,
    /// `description`.
    pub description: Option<String>,
    /// `required`.
    pub required: bool,
    /// `content`: media-type key and its object, in file order.
    pub content: Vec<MediaType>,
}

/// One entry of a `content` map.
#[derive(Debug, Clone)]
pub struct MediaType {
    /// Pointer of the media-type object (`.../content/application~1json`).
    pub pointer: String,
    /// The media-type key as written (`application/json`, `multipart/form-data`, `*/*`).
    pub media_type: String,
    /// `schema`.
    pub schema: Option<Schema>,
    /// `encoding` (multipart and form bodies): property name to its encoding.
    pub encoding: Vec<(String, Encoding)>,
}

/// One entry of a media type's `encoding`.
#[derive(Debug, Clone, Default)]
pub struct Encoding {
    /// `contentType`.
    pub content_type: Option<String>,
    /// `style`.
    pub style: Option<String>,
    /// `explode`.
    pub explode: Option<bool>,
}

/// One response, resolved.
#[derive(Debug, Clone)]
pub struct Response {
    /// Pointer of the response object.
    pub pointer: String,
    /// `description`.
    pub description: String,
    /// `content`, in file order.
    pub content: Vec<MediaType>,
    /// `headers`, resolved: name and schema.
    pub headers: Vec<ResponseHeader>,
}

/// One response header.
#[derive(Debug, Clone)]
pub struct ResponseHeader {
    /// Pointer of the header object.
    pub pointer: String,
    /// The header's name.
    pub name: String,
    /// `description`.
    pub description: Option<String>,
    /// `required`.
    pub required: bool,
    /// `schema` (or the schema of its single `content` entry).
    pub schema: Option<Schema>,
}

/// `components`, with what the generator reads of them.
#[derive(Debug, Clone, Default)]
pub struct Components {
    /// `schemas`, in file order. The 3.1 reader appends, under derived names (`Order.Line`),
    /// each `$defs` entry (or other schema) that a `$ref` reaches by a pointer that is not
    /// `#/components/schemas/X`, and rewrites those references to them.
    pub schemas: Vec<(String, Schema)>,
    /// `parameters`, resolved (vendor extensions refer to them by `$ref`).
    pub parameters: Vec<(String, Parameter)>,
    /// `securitySchemes`.
    pub security_schemes: Vec<(String, SecurityScheme)>,
}

impl Components {
    /// The component schema `name`.
    pub fn schema(&self, name: &str) -> Option<&Schema> {
        self.schemas.iter().find(|(n, _)| n == name).map(|(_, s)| s)
    }

    /// The component parameter `name`.
    pub fn parameter(&self, name: &str) -> Option<&Parameter> {
        self.parameters
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, p)| p)
    }
}

/// One requirement of a `security` list: every scheme named must be satisfied (AND); the
/// entries of the list are alternatives (OR). An empty requirement means "no auth".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityRequirement {
    /// Scheme names with their scopes, in file order.
    pub schemes: Vec<(String, Vec<String>)>,
}

/// A security scheme.
#[derive(Debug, Clone)]
pub struct SecurityScheme {
    /// Pointer of the scheme object.
    pub pointer: String,
    /// What it is.
    pub kind: SecuritySchemeKind,
    /// `description`.
    pub description: Option<String>,
}

/// The kinds of security scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecuritySchemeKind {
    /// `type: http` (`basic`, `bearer`, others), lower-cased.
    Http {
        scheme: String,
        bearer_format: Option<String>,
    },
    /// `type: apiKey`.
    ApiKey { name: String, location: ParameterIn },
    /// `type: oauth2`: the client-credentials flow's token URL and scopes, if it has one.
    OAuth2 {
        client_credentials: Option<OAuthFlow>,
        /// The other flows the scheme lists (`authorizationCode`, `implicit`, `password`).
        other_flows: Vec<String>,
    },
    /// `type: openIdConnect`.
    OpenIdConnect { url: String },
    /// `type: mutualTLS` (3.1).
    MutualTls,
}

/// An OAuth2 flow the generator can drive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthFlow {
    /// `tokenUrl`.
    pub token_url: String,
    /// `refreshUrl`.
    pub refresh_url: Option<String>,
    /// Scope names.
    pub scopes: Vec<String>,
}

/// Vendor extensions (`x-...`) of one object, with the pointer of each.
#[derive(Debug, Clone, Default)]
pub struct Extensions {
    /// Pointer of the object the extensions sit on.
    pub pointer: String,
    /// Name and value, in file order.
    pub entries: Vec<(String, Value)>,
}

impl Extensions {
    /// The value of extension `name`.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.entries.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// The pointer of extension `name` (whether or not it is present).
    pub fn pointer_of(&self, name: &str) -> String {
        format!("{}/{}", self.pointer, crate::error::pointer_token(name))
    }
}

/// A JSON type name of a schema's `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SchemaType {
    String,
    Number,
    Integer,
    Boolean,
    Object,
    Array,
}

impl SchemaType {
    /// The type a `type` word names (`"null"` is not a type here: it is nullability).
    pub fn from_word(word: &str) -> Option<Self> {
        Some(match word {
            "string" => SchemaType::String,
            "number" => SchemaType::Number,
            "integer" => SchemaType::Integer,
            "boolean" => SchemaType::Boolean,
            "object" => SchemaType::Object,
            "array" => SchemaType::Array,
            _ => return None,
        })
    }

    /// The spec's word for it.
    pub fn as_str(self) -> &'static str {
        match self {
            SchemaType::String => "string",
            SchemaType::Number => "number",
            SchemaType::Integer => "integer",
            SchemaType::Boolean => "boolean",
            SchemaType::Object => "object",
            SchemaType::Array => "array",
        }
    }
}

/// `additionalProperties`.
#[derive(Debug, Clone)]
pub enum Additional {
    /// `true` or `false`.
    Bool(bool),
    /// A schema for the values.
    Schema(Box<Schema>),
}

/// `discriminator`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discriminator {
    /// `propertyName`.
    pub property_name: String,
    /// `mapping`: tag value to schema reference, in file order.
    pub mapping: Vec<(String, String)>,
}

/// One schema, normalised across versions. A `$ref` is kept as [`Schema::reference`]; in 3.0
/// its siblings are ignored (as the specification says), in 3.1 they are kept beside it.
#[derive(Debug, Clone, Default)]
pub struct Schema {
    /// Pointer of this schema object.
    pub pointer: String,
    /// `$ref` (`#/components/schemas/User`); the 3.1 reader always gives a component reference
    /// in canonical spelling (see [`Components::schemas`]).
    pub reference: Option<String>,
    /// `type` without `"null"`: empty when absent, several for a 3.1 type list.
    pub types: Vec<SchemaType>,
    /// 3.0 `nullable: true`, or `"null"` among 3.1 types (or a `null` `const`).
    pub nullable: bool,
    /// `format`.
    pub format: Option<String>,
    /// `enum`, as written (may contain `null`).
    pub enumeration: Vec<Value>,
    /// `const` (3.1; a 3.0 single-value `enum` is not turned into one).
    pub constant: Option<Value>,
    /// `properties`, in file order.
    pub properties: Vec<(String, Schema)>,
    /// `required`, in file order.
    pub required: Vec<String>,
    /// `additionalProperties`; `None` when absent.
    pub additional: Option<Additional>,
    /// `items`.
    pub items: Option<Box<Schema>>,
    /// 3.1 `prefixItems` (tuples).
    pub prefix_items: Vec<Schema>,
    /// `allOf`.
    pub all_of: Vec<Schema>,
    /// `oneOf`.
    pub one_of: Vec<Schema>,
    /// `anyOf`.
    pub any_of: Vec<Schema>,
    /// `not`.
    pub not: Option<Box<Schema>>,
    /// `discriminator`.
    pub discriminator: Option<Discriminator>,
    /// `title`.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `deprecated`.
    pub deprecated: bool,
    /// `readOnly`.
    pub read_only: bool,
    /// `writeOnly`.
    pub write_only: bool,
    /// `default`.
    pub default: Option<Value>,
    /// 3.0 `example` or 3.1 `examples`, as a list.
    pub examples: Vec<Value>,
    /// Numeric bounds, with 3.0's boolean `exclusiveMinimum`/`exclusiveMaximum` folded into
    /// [`Bound::exclusive`].
    pub minimum: Option<Bound>,
    /// See [`Schema::minimum`].
    pub maximum: Option<Bound>,
    /// 3.1 `contentMediaType` (a string that carries a document of this type).
    pub content_media_type: Option<String>,
    /// 3.1 `contentEncoding` (`base64` and friends).
    pub content_encoding: Option<String>,
    /// Vendor extensions of the schema.
    pub extensions: Extensions,
}

/// A numeric bound.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    /// The limit.
    pub value: f64,
    /// Whether the limit itself is excluded.
    pub exclusive: bool,
}

impl Schema {
    /// The component name of a local schema reference (`#/components/schemas/User` -> `User`).
    pub fn component_name(reference: &str) -> Option<String> {
        reference
            .strip_prefix("#/components/schemas/")
            .map(unescape_pointer_token)
    }

    /// Whether the schema says nothing about its values beyond documentation: `{}`, or only
    /// a description (any JSON value).
    pub fn is_unconstrained(&self) -> bool {
        self.reference.is_none()
            && self.types.is_empty()
            && self.format.is_none()
            && self.enumeration.is_empty()
            && self.constant.is_none()
            && self.properties.is_empty()
            && self.required.is_empty()
            && self.additional.is_none()
            && self.items.is_none()
            && self.prefix_items.is_empty()
            && self.all_of.is_empty()
            && self.one_of.is_empty()
            && self.any_of.is_empty()
            && self.not.is_none()
    }
}

/// Undoes RFC 6901 escaping of one pointer token (`~1` is `/`, `~0` is `~`).
pub fn unescape_pointer_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Reads a parsed YAML document of the given version into the model. `file` names the spec in
/// errors; warnings go to `diagnostics`.
pub fn read(
    value: &yaml_serde::Value,
    version: Version,
    file: &str,
    diagnostics: &mut Diagnostics,
) -> crate::error::Result<Document> {
    match version {
        Version::V30 => v30::read(value, file, diagnostics),
        Version::V31 => v31::read(value, file, diagnostics),
    }
}

/// The string form of a mapping key: strings as they are, numbers, booleans and null as YAML
/// wrote them (`200`, `true`, `null`); `None` for lists, maps and tagged values.
pub(crate) fn key_string(key: &yaml_serde::Value) -> Option<String> {
    use yaml_serde::Value;
    match key {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some("null".to_string()),
        Value::Sequence(_) | Value::Mapping(_) | Value::Tagged(_) => None,
    }
}

#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;
