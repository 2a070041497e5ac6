//! The owned, resolved and ordered model of the API that the emitters see. No reader's
//! type reaches past this module's producer (`lower/`): `$ref`s are resolved, inline
//! schemas are hoisted and named, and every identifier has been chosen by `naming`.

use crate::naming::Ident;
use std::sync::{Arc, OnceLock};

/// A generated type's identity: stable for one run of the generator (the order in which
/// lowering created the type), independent of the name it is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub usize);

/// A reference to a generated type: its id, and its name, which is decided late (after every
/// type is known, so collisions resolve the same way whatever order references were met in)
/// and shared by every copy of the reference.
#[derive(Clone)]
pub struct TypeName {
    id: TypeId,
    name: Arc<OnceLock<Ident>>,
}

impl TypeName {
    /// A type whose name is not decided yet.
    pub fn unnamed(id: TypeId) -> Self {
        TypeName {
            id,
            name: Arc::new(OnceLock::new()),
        }
    }

    /// A type with a name decided up front (component schemas).
    pub fn named(id: TypeId, name: Ident) -> Self {
        let t = TypeName::unnamed(id);
        let _ = t.name.set(name);
        t
    }

    /// Decides the name; the first decision wins.
    pub fn set_name(&self, name: Ident) {
        let _ = self.name.set(name);
    }

    /// Whether the name is decided.
    pub fn is_named(&self) -> bool {
        self.name.get().is_some()
    }

    /// The type's id.
    pub fn id(&self) -> TypeId {
        self.id
    }

    /// The type's name. Lowering names every type it returns; an unnamed one is a generator
    /// bug, shown as a name that cannot compile rather than a panic.
    pub fn ident(&self) -> Ident {
        self.name
            .get()
            .cloned()
            .unwrap_or_else(|| crate::naming::pascal(&format!("UnnamedType{}", self.id.0)))
    }

    /// The name without any `r#` prefix.
    pub fn bare(&self) -> String {
        self.ident().bare().to_string()
    }
}

impl PartialEq for TypeName {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for TypeName {}

impl PartialOrd for TypeName {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for TypeName {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.id.cmp(&other.id)
    }
}

impl std::hash::Hash for TypeName {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.id.hash(state)
    }
}

impl std::fmt::Debug for TypeName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The id alone: structural comparison of models (deduplication) must not depend on
        // names, which are decided later.
        write!(f, "#{}", self.id.0)
    }
}

impl std::fmt::Display for TypeName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.ident())
    }
}

impl quote::ToTokens for TypeName {
    fn to_tokens(&self, tokens: &mut proc_macro2::TokenStream) {
        self.ident().to_tokens(tokens)
    }
}

/// The whole API.
#[derive(Debug, Clone)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version` (goes into the crate version as build metadata and the User-Agent).
    pub version: String,
    /// The spec path as shown in headers (relative to the workspace when possible).
    pub spec_display: String,
    /// sha256 of the spec bytes, lowercase hex.
    pub spec_sha256: String,
    /// Resource groups in first-seen spec order.
    pub groups: Vec<Group>,
    /// Models in emission order (each component followed by what it hoists).
    pub models: Vec<Model>,
    /// Position in `models` of each id.
    pub model_index: std::collections::HashMap<TypeId, usize>,
    /// An upper bound of how deeply generated types contain one another (through fields,
    /// variants, aliases, lists and maps), counting each cycle once per member.
    pub type_depth: usize,
    /// The security schemes the generated client applies, in spec order (unsupported ones
    /// are left out with a warning).
    pub security_schemes: Vec<SecurityScheme>,
}

impl Api {
    /// Whether the client needs the scheme table and per-operation requirements: any scheme
    /// but a lone HTTP Basic one, which the runtime applies by default with
    /// `ClientBuilder::credentials` (so such a spec's output stays as it was).
    pub fn has_security_table(&self) -> bool {
        match self.security_schemes.as_slice() {
            [] => false,
            [only] => only.kind != SchemeKind::Basic,
            _ => true,
        }
    }
}

/// A security scheme the generated client applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityScheme {
    /// The scheme's name in the spec (`bearerAuth`), the key operations name it by.
    pub name: String,
    /// The client builder setter (`bearer_token`).
    pub setter: Ident,
    /// The setter for a provider asked on every attempt (`bearer_token_provider`), for
    /// schemes that take a token.
    pub provider_setter: Option<Ident>,
    pub kind: SchemeKind,
    pub description: Option<String>,
}

/// How a scheme authenticates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind {
    Basic,
    Bearer {
        /// `bearerFormat`, for docs.
        format: Option<String>,
    },
    ApiKey {
        location: ApiKeyLocation,
        /// Header, query parameter or cookie name.
        name: String,
    },
    OAuth2ClientCredentials {
        token_url: String,
        /// The scopes the operations require of it, sorted: requested by default.
        scopes: Vec<String>,
    },
}

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    Header,
    Query,
    Cookie,
}

impl Api {
    /// The model with id `id`.
    pub fn model(&self, id: TypeId) -> Option<&Model> {
        self.model_index.get(&id).and_then(|&i| self.models.get(i))
    }
}

/// One resource group: a module and an accessor on the client.
#[derive(Debug, Clone)]
pub struct Group {
    /// Module and accessor name (`user_groups`).
    pub module: Ident,
    /// Accessor struct name (`UserGroups`).
    pub type_name: Ident,
    /// Operations in spec order.
    pub operations: Vec<Operation>,
}

/// HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Patch,
    Head,
    Options,
    Trace,
}

impl Method {
    /// Upper-case name as on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Patch => "PATCH",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
            Method::Trace => "TRACE",
        }
    }
}

/// Whether and how the operation authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    Required,
    Optional,
    None,
}

/// Whether a failed attempt may be repeated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryClass {
    Idempotent,
    NonIdempotent,
    Never,
}

/// One operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// `operationId` as in the spec.
    pub operation_id: String,
    /// Method name on the group (`delete_by_name`).
    pub method_name: Ident,
    /// Request builder type (`DeleteAccessKeyByName`).
    pub builder: Ident,
    /// Per-operation error enum (`DeleteAccessKeyByNameError`).
    pub error_type: Ident,
    pub http_method: Method,
    /// The path template as in the spec, for docs and the surface snapshot.
    pub path_template: String,
    pub path: Vec<PathPart>,
    /// Positional arguments of the group method: required path and query parameters.
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub success: Success,
    pub errors: Vec<ErrorCase>,
    pub auth: Auth,
    /// The security alternatives (OR) of scheme names (AND) the operation accepts, in spec
    /// order; an empty alternative means "no credentials". Only emitted when the API has a
    /// scheme table ([`Api::has_security_table`]).
    pub security: Vec<Vec<String>>,
    pub retry: RetryClass,
    pub pagination: Option<Pagination>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
}

/// A piece of the request path.
#[derive(Debug, Clone)]
pub enum PathPart {
    /// Literal text between parameters, without leading or trailing `/`.
    Literal(String),
    /// The client-level account id.
    AccountId,
    /// A path parameter: index into `Operation::params`, and its layout when it is not a
    /// scalar in `simple` style (which is sent as its own text).
    Param(usize, Option<PathStyle>),
    /// Literal text continuing the previous part's segment (`.json` in `/files/{id}.json`).
    LiteralJoined(String),
    /// A plain path parameter continuing the previous part's segment (`{b}` in `/{a}-{b}`):
    /// index into `Operation::params`.
    ParamJoined(usize),
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    /// `style: form, explode: true` (arrays become repeated keys).
    Query,
    /// `content: application/json`: the value's JSON text.
    QueryJson,
    /// Another query style, or an object value (laid out by the runtime's `params`).
    QueryStyled(QueryStyle),
    /// A request header (`simple` style).
    Header,
    /// A cookie.
    Cookie,
}

impl ParamLocation {
    /// Where the parameter goes, in words (for docs).
    pub fn describe(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query | ParamLocation::QueryJson | ParamLocation::QueryStyled(_) => {
                "query"
            }
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        }
    }
}

/// Path parameter layouts (the spec's `style` and `explode`), as the runtime's
/// `params::PathStyle`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathStyle {
    Simple,
    SimpleExploded,
    Label,
    LabelExploded,
    Matrix,
    MatrixExploded,
}

impl PathStyle {
    /// The runtime's variant name.
    pub fn runtime_variant(self) -> &'static str {
        match self {
            PathStyle::Simple => "Simple",
            PathStyle::SimpleExploded => "SimpleExploded",
            PathStyle::Label => "Label",
            PathStyle::LabelExploded => "LabelExploded",
            PathStyle::Matrix => "Matrix",
            PathStyle::MatrixExploded => "MatrixExploded",
        }
    }
}

/// Query layouts other than `form` with `explode` on a scalar or array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    /// `form`, `explode: true`, on an object: its members become pairs.
    FormExploded,
    /// `form`, `explode: false`: comma-separated.
    Form,
    /// `spaceDelimited`.
    SpaceDelimited,
    /// `pipeDelimited`.
    PipeDelimited,
    /// `deepObject`: `name[key]=value`.
    DeepObject,
}

impl QueryStyle {
    /// The runtime's variant name.
    pub fn runtime_variant(self) -> &'static str {
        match self {
            QueryStyle::FormExploded => "FormExploded",
            QueryStyle::Form => "Form",
            QueryStyle::SpaceDelimited => "SpaceDelimited",
            QueryStyle::PipeDelimited => "PipeDelimited",
            QueryStyle::DeepObject => "DeepObject",
        }
    }
}

/// A path or query parameter.
#[derive(Debug, Clone)]
pub struct Param {
    pub wire_name: String,
    /// Field of the builder, setter name, or positional argument.
    pub rust_name: Ident,
    pub location: ParamLocation,
    pub required: bool,
    pub ty: TypeRef,
    pub description: Option<String>,
    pub deprecated: bool,
}

/// The request body: an object built field by field (JSON or form), and/or bodies given
/// whole (multipart, text, bytes), one setter per kind (progenitor's `BodyContentType`).
#[derive(Debug, Clone)]
pub struct Body {
    pub required: bool,
    /// The object body with a setter per field, when a JSON or form media type has one.
    pub object: Option<ObjectBody>,
    /// The kinds given whole, in spec order.
    pub whole: Vec<WholeBody>,
    /// The builder field holding a body given whole (`Option<rt::Payload>`); set when `whole`
    /// is not empty.
    pub whole_slot: Option<Ident>,
}

impl Body {
    /// The model of the object body.
    pub fn model(&self) -> Option<&TypeName> {
        self.object.as_ref().map(|o| &o.model)
    }
}

/// An object body: setters per field, `.body(model)`, and the encoding.
#[derive(Debug, Clone)]
pub struct ObjectBody {
    /// The model the body is (always a named struct).
    pub model: TypeName,
    /// How the fields are sent by default.
    pub encoding: ObjectEncoding,
    /// For a JSON body under another JSON media type than `application/json`
    /// (`application/merge-patch+json`): that media type, sent as `Content-Type`.
    pub json_media_type: Option<String>,
    /// When the operation takes the same object both as JSON (the default) and as a form:
    /// the setter that sets the whole body and switches to the form encoding.
    pub form_setter: Option<Ident>,
    /// The builder flag that says the form encoding was chosen (with `form_setter`).
    pub form_flag: Option<Ident>,
    /// One setter per model field, in field order.
    pub setters: Vec<BodySetter>,
    /// The builder field holding the body's unknown properties (from `.body(model)`).
    pub extra_slot: Ident,
    /// For an optional body: the builder flag that says whether anything was set, so an
    /// untouched optional body is not sent at all.
    pub presence_slot: Option<Ident>,
}

/// How an object body goes on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectEncoding {
    /// `application/json` (and `*+json`).
    Json,
    /// `application/x-www-form-urlencoded`: fields as pairs.
    Form,
}

/// A request body kind given whole, with its setter.
#[derive(Debug, Clone)]
pub struct WholeBody {
    pub setter: Ident,
    pub kind: WholeKind,
    /// The media type as the spec lists it, for docs.
    pub media_type: String,
}

/// What a body given whole is.
#[derive(Debug, Clone, PartialEq)]
pub enum WholeKind {
    /// `multipart/form-data`: a `Multipart` of text and file parts; the wire names and
    /// whether each is a file, from the schema, for the setter's docs.
    Multipart { parts: Vec<(String, bool)> },
    /// `text/*`: a `String` sent under `content_type`.
    Text { content_type: String },
    /// A JSON body that is not an object (an array, a map, a union, a scalar): the value's
    /// type, and its media type when not `application/json`.
    Json {
        ty: TypeRef,
        content_type: Option<String>,
    },
    /// Any other media type: bytes sent under `content_type`, or, for a wildcard
    /// (`*/*`, `image/*`), under the type the caller passes.
    Bytes { content_type: Option<String> },
}

/// The builder names for one body field.
#[derive(Debug, Clone)]
pub struct BodySetter {
    /// Setter method and builder field.
    pub setter: Ident,
    /// Index into the model's fields.
    pub field: usize,
    /// For nullable fields: the setter that sends an explicit `null`.
    pub null_setter: Option<Ident>,
}

/// Which statuses a documented response covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusMatch {
    /// One status.
    Code(u16),
    /// A range (`4XX` is `Range(4)`).
    Range(u8),
    /// `default`: every status the operation does not document otherwise.
    Default,
}

impl StatusMatch {
    /// As the spec writes it (`200`, `4XX`, `default`).
    pub fn label(self) -> String {
        match self {
            StatusMatch::Code(c) => c.to_string(),
            StatusMatch::Range(r) => format!("{r}XX"),
            StatusMatch::Default => "default".into(),
        }
    }
}

/// What a response body decodes to (progenitor's `OperationResponseKind`).
#[derive(Debug, Clone, PartialEq)]
pub enum ResponseBody {
    /// A JSON media type (`application/json`, `application/*+json`, with parameters).
    Json(TypeRef),
    /// `text/*`: a `String`.
    Text,
    /// Any other media type: raw `Bytes`.
    Bytes,
    /// No content.
    Empty,
}

/// One documented success response.
#[derive(Debug, Clone)]
pub struct SuccessCase {
    pub status: StatusMatch,
    /// Its variant in the success enum (`Ok`, `Accepted`, `NoContent`, `Status2xx`).
    pub variant: Ident,
    pub body: ResponseBody,
    pub description: Option<String>,
}

/// What a successful call returns: the documented success responses, exact statuses first
/// (ascending), then `2XX`, then `default` when no 2xx is documented.
#[derive(Debug, Clone)]
pub struct Success {
    /// Never empty.
    pub cases: Vec<SuccessCase>,
    /// When the cases have different bodies: the generated enum that says which arrived.
    /// `None`: every case has the same body, returned as a plain value.
    pub enum_name: Option<Ident>,
    /// The `Accept` header, when a documented response is not JSON: every media type the
    /// operation documents, in spec order.
    pub accept: Option<String>,
}

impl Success {
    /// The body of every case, when the cases share it (a plain value).
    pub fn single(&self) -> Option<&ResponseBody> {
        match (&self.enum_name, self.cases.first()) {
            (None, Some(c)) => Some(&c.body),
            _ => None,
        }
    }

    /// The JSON types the cases decode to.
    pub fn json_types(&self) -> impl Iterator<Item = &TypeRef> {
        self.cases.iter().filter_map(|c| match &c.body {
            ResponseBody::Json(t) => Some(t),
            _ => None,
        })
    }
}

/// One documented error status, range or `default`.
#[derive(Debug, Clone)]
pub struct ErrorCase {
    pub status: StatusMatch,
    pub variant: Ident,
    /// The error body model, or `None` when the status documents no JSON body.
    pub body: Option<TypeRef>,
    /// A field path from the body to the server's message (`error.message`), if it has one.
    pub message_path: Vec<MessageStep>,
    pub description: Option<String>,
}

/// One step along a message path: a field and whether it is optional.
#[derive(Debug, Clone)]
pub struct MessageStep {
    pub field: Ident,
    pub optional: bool,
}

/// A pagination helper for a list operation.
#[derive(Debug, Clone)]
pub struct Pagination {
    pub kind: PageKind,
    /// The builder field that carries the page number or cursor.
    pub input: Ident,
    /// Field path from the response to the item array, each step optional or not.
    pub results: Vec<MessageStep>,
    /// The item type.
    pub item: TypeRef,
    /// For cursors: field path from the response to the next cursor.
    pub next_cursor: Vec<MessageStep>,
    /// For pages: the builder field carrying the page size, if any.
    pub page_size: Option<Ident>,
}

/// How pages are addressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Page,
    Cursor,
}

/// A Rust type reference.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeRef {
    String,
    /// A string that must never be printed.
    Secret,
    Bool,
    I32,
    I64,
    /// `format: uint64` (the one integer format `i64` cannot hold).
    U64,
    /// `format: float`.
    F32,
    F64,
    /// Bytes sent as base64 text (`format: byte`, or 3.1 `contentEncoding: base64`).
    Bytes,
    Date,
    DateTime,
    /// Any JSON value.
    Any,
    /// A free-form object: a `serde_json::Value` (a `Map` as a union variant).
    FreeForm,
    /// A map with typed values.
    Map(Box<TypeRef>),
    Vec(Box<TypeRef>),
    /// A generated model.
    Named(TypeName),
    /// A model held behind a `Box`: a field that closes a cycle of structs containing each
    /// other directly (a recursive schema), which would otherwise have infinite size.
    Boxed(Box<TypeRef>),
}

/// A generated model.
#[derive(Debug, Clone)]
pub enum Model {
    Struct(StructModel),
    Enum(EnumModel),
    Alias(AliasModel),
    Union(UnionModel),
}

impl Model {
    /// The model's type name and id.
    pub fn name(&self) -> &TypeName {
        match self {
            Model::Struct(m) => &m.name,
            Model::Enum(m) => &m.name,
            Model::Alias(m) => &m.name,
            Model::Union(m) => &m.name,
        }
    }
}

/// An object schema.
#[derive(Debug, Clone)]
pub struct StructModel {
    pub name: TypeName,
    pub description: Option<String>,
    pub fields: Vec<Field>,
    /// Whether unknown properties are kept in a flattened `extra` map (false only for
    /// `additionalProperties: false`).
    pub keep_unknown: bool,
    /// The ident of the `extra` field (never collides with a property).
    pub extra_field: Ident,
    /// Whether the model is used in a request body.
    pub in_request: bool,
}

/// One property.
#[derive(Debug, Clone)]
pub struct Field {
    pub wire_name: String,
    pub rust_name: Ident,
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    pub description: Option<String>,
    pub deprecated: bool,
}

/// A string enum. Always open: the catch-all variant keeps values this crate does not know.
#[derive(Debug, Clone)]
pub struct EnumModel {
    pub name: TypeName,
    pub description: Option<String>,
    /// (variant, wire value); for integer enums the value's decimal text.
    pub variants: Vec<(Ident, String)>,
    /// Whether the values are integers (sent as JSON numbers) rather than strings.
    pub integer: bool,
    /// `Unknown` for enums seen in responses, `Custom` for request-only enums (or a fallback
    /// when a listed value already has that name).
    pub catch_all: Ident,
    /// Whether the enum only appears in requests (its catch-all is an escape hatch for values
    /// this crate does not list, not a holder of values received).
    pub request_only: bool,
}

/// A named alias (`type BillingUsageResponse = Vec<...>`).
#[derive(Debug, Clone)]
pub struct AliasModel {
    pub name: TypeName,
    pub description: Option<String>,
    pub target: TypeRef,
}

/// A `oneOf` or `anyOf` schema: a value that is one of several types.
#[derive(Debug, Clone)]
pub struct UnionModel {
    pub name: TypeName,
    pub description: Option<String>,
    /// The variants, in the order the spec lists them (the order an untagged union tries).
    pub variants: Vec<UnionVariant>,
    /// How a received value is matched to a variant.
    pub matching: UnionMatching,
    /// Whether the spec wrote `anyOf` (a value may fit several variants; the first is kept)
    /// rather than `oneOf`.
    pub any_of: bool,
}

/// One variant of a union.
#[derive(Debug, Clone)]
pub struct UnionVariant {
    pub name: Ident,
    pub ty: TypeRef,
    /// With a discriminator: the tag values that select this variant.
    pub tags: Vec<String>,
    pub description: Option<String>,
}

/// How a union decodes.
#[derive(Debug, Clone)]
pub enum UnionMatching {
    /// By the string member `property` (a discriminator); an unknown tag value is kept whole in
    /// the `catch_all` variant, so a newer server's variants still decode.
    Tagged { property: String, catch_all: Ident },
    /// By trying each variant in order; the first that decodes wins.
    Untagged,
}
