//! Lowering: `openapiv3` document -> [`crate::ir::Api`]. Resolves `$ref`s, merges `allOf`, hoists and
//! names inline schemas, reads the vendor extensions, and rejects what the emitter cannot map
//! faithfully, always with the JSON pointer of the offending node.

use crate::error::{GenError, Result, pointer_token};
use crate::ir::*;
use crate::naming::{self, Ident, Scope};
use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, OpenAPI, Parameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr,
    RequestBody, Response, Schema, SchemaKind, StatusCode, Type,
};
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};

/// Property names whose string values are credentials and must never be printed.
const SECRET_PROPERTIES: &[&str] = &[
    "api_secret",
    "secret",
    "provisioning_api_secret",
    "api_environment_variable",
];

/// Type names the generated crate uses itself; models are renamed around them.
const RESERVED_TYPES: &[&str] = &[
    "Client",
    "ClientBuilder",
    "Error",
    "ErrorKind",
    "Response",
    "Result",
    "Option",
    "Some",
    "None",
    "Ok",
    "Err",
    "Vec",
    "String",
    "Box",
    "Value",
    "Map",
    "Date",
    "DateTime",
    "Nullable",
    "SecretString",
    "RetryConfig",
    "Region",
    "Default",
    "Self_",
];

/// Builder methods and fields the emitter writes itself; parameters never take these names.
pub const BUILDER_RESERVED: &[&str] = &[
    "client",
    "options",
    "body",
    "send",
    "send_with_metadata",
    "into_stream",
    "with_account_id",
    "with_timeout",
    "with_retry",
    "with_header",
    "new",
    "clone",
    "fmt",
    "request",
    "raw",
];

const METHODS_IN_ORDER: &[(&str, Method)] = &[
    ("get", Method::Get),
    ("put", Method::Put),
    ("post", Method::Post),
    ("delete", Method::Delete),
    ("options", Method::Options),
    ("head", Method::Head),
    ("patch", Method::Patch),
];

/// Lowers a parsed document.
pub fn lower(doc: &OpenAPI, file: &str, spec_display: &str, sha256: &str) -> Result<Api> {
    let mut l = Lowerer::new(doc, file)?;
    let names: Vec<String> = doc
        .components
        .as_ref()
        .map(|c| c.schemas.keys().cloned().collect())
        .unwrap_or_default();
    for name in &names {
        l.component(name)?;
    }
    let groups = l.operations()?;
    let mut models: Vec<Model> = l.models.into_iter().flatten().collect();
    mark_usage(&mut models, &groups);
    Ok(Api {
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        spec_display: spec_display.to_string(),
        spec_sha256: sha256.to_string(),
        groups,
        models,
    })
}

/// A schema reference, from either of openapiv3's two boxings.
#[derive(Clone, Copy)]
enum SRef<'s> {
    Ref(&'s str),
    Inline(&'s Schema),
}

impl<'s> From<&'s ReferenceOr<Schema>> for SRef<'s> {
    fn from(r: &'s ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SRef::Ref(reference),
            ReferenceOr::Item(s) => SRef::Inline(s),
        }
    }
}

impl<'s> From<&'s ReferenceOr<Box<Schema>>> for SRef<'s> {
    fn from(r: &'s ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SRef::Ref(reference),
            ReferenceOr::Item(s) => SRef::Inline(s),
        }
    }
}

/// One normalised view over openapiv3's schema kinds.
#[derive(Default)]
struct View<'s> {
    typ: Option<String>,
    format: Option<String>,
    nullable: bool,
    enumeration: Vec<Value>,
    properties: Vec<(String, SRef<'s>)>,
    required: BTreeSet<String>,
    additional: Option<&'s AdditionalProperties>,
    items: Option<SRef<'s>>,
    all_of: Vec<SRef<'s>>,
    unsupported: Option<&'static str>,
    description: Option<String>,
}

fn fmt_name<T: std::fmt::Debug>(v: &openapiv3::VariantOrUnknownOrEmpty<T>) -> Option<String> {
    match v {
        openapiv3::VariantOrUnknownOrEmpty::Item(i) => {
            // openapiv3 names formats with Rust variant names; map back to the spec words.
            let s = format!("{i:?}");
            Some(match s.as_str() {
                "DateTime" => "date-time".to_string(),
                other => other.to_lowercase(),
            })
        }
        openapiv3::VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        openapiv3::VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn view(schema: &Schema) -> View<'_> {
    let mut v = View {
        nullable: schema.schema_data.nullable,
        description: schema.schema_data.description.clone(),
        ..View::default()
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            v.typ = Some("string".into());
            v.format = fmt_name(&s.format);
            v.enumeration = s
                .enumeration
                .iter()
                .map(|e| e.clone().map(Value::String).unwrap_or(Value::Null))
                .collect();
        }
        SchemaKind::Type(Type::Number(n)) => {
            v.typ = Some("number".into());
            v.format = fmt_name(&n.format);
        }
        SchemaKind::Type(Type::Integer(i)) => {
            v.typ = Some("integer".into());
            v.format = fmt_name(&i.format);
        }
        SchemaKind::Type(Type::Boolean(_)) => v.typ = Some("boolean".into()),
        SchemaKind::Type(Type::Object(o)) => {
            v.typ = Some("object".into());
            v.properties = o
                .properties
                .iter()
                .map(|(k, s)| (k.clone(), s.into()))
                .collect();
            v.required = o.required.iter().cloned().collect();
            v.additional = o.additional_properties.as_ref();
        }
        SchemaKind::Type(Type::Array(a)) => {
            v.typ = Some("array".into());
            v.items = a.items.as_ref().map(SRef::from);
        }
        SchemaKind::AllOf { all_of } => v.all_of = all_of.iter().map(SRef::from).collect(),
        SchemaKind::OneOf { .. } => v.unsupported = Some("oneOf"),
        SchemaKind::AnyOf { .. } => v.unsupported = Some("anyOf"),
        SchemaKind::Not { .. } => v.unsupported = Some("not"),
        SchemaKind::Any(a) => {
            v.typ = a.typ.clone();
            v.format = a.format.clone();
            v.enumeration = a.enumeration.clone();
            v.properties = a
                .properties
                .iter()
                .map(|(k, s)| (k.clone(), s.into()))
                .collect();
            v.required = a.required.iter().cloned().collect();
            v.additional = a.additional_properties.as_ref();
            v.items = a.items.as_ref().map(SRef::from);
            v.all_of = a.all_of.iter().map(SRef::from).collect();
            if !a.one_of.is_empty() {
                v.unsupported = Some("oneOf");
            } else if !a.any_of.is_empty() {
                v.unsupported = Some("anyOf");
            } else if a.not.is_some() {
                v.unsupported = Some("not");
            }
        }
    }
    v
}

/// An object after `allOf` merging.
struct Merged<'s> {
    properties: Vec<(String, SRef<'s>)>,
    required: BTreeSet<String>,
    keep_unknown: bool,
    description: Option<String>,
}

struct Lowerer<'a> {
    doc: &'a OpenAPI,
    file: &'a str,
    /// Models in emission order; `None` while a component is being lowered (its slot keeps
    /// components ahead of what they hoist).
    models: Vec<Option<Model>>,
    component_names: HashMap<String, Ident>,
    component_slot: HashMap<String, usize>,
    types: Scope,
    global_params: BTreeSet<String>,
}

impl<'a> Lowerer<'a> {
    fn new(doc: &'a OpenAPI, file: &'a str) -> Result<Self> {
        let mut types = Scope::with_reserved(RESERVED_TYPES);
        let mut component_names = HashMap::new();
        if let Some(c) = &doc.components {
            for name in c.schemas.keys() {
                let ident = types.allocate(naming::pascal(name), "Model");
                component_names.insert(name.clone(), ident);
            }
        }
        let mut l = Lowerer {
            doc,
            file,
            models: Vec::new(),
            component_names,
            component_slot: HashMap::new(),
            types,
            global_params: BTreeSet::new(),
        };
        l.global_params = l.read_globals()?;
        Ok(l)
    }

    fn err(&self, ptr: &str, msg: impl Into<String>) -> GenError {
        GenError::new(self.file, ptr, msg)
    }

    /// Names of the parameters in `x-speakeasy-globals` (the account id).
    fn read_globals(&self) -> Result<BTreeSet<String>> {
        let mut out = BTreeSet::new();
        let Some(g) = self.doc.extensions.get("x-speakeasy-globals") else {
            return Ok(out);
        };
        let ptr = "/x-speakeasy-globals/parameters";
        let params = g
            .get("parameters")
            .and_then(|p| p.as_array())
            .ok_or_else(|| self.err(ptr, "expected a list of parameters"))?;
        for (i, p) in params.iter().enumerate() {
            let p_ptr = format!("{ptr}/{i}");
            if let Some(r) = p.get("$ref").and_then(|r| r.as_str()) {
                let param = self.resolve_parameter_ref(r, &p_ptr)?;
                out.insert(param.parameter_data_ref().name.clone());
            } else if let Some(n) = p.get("name").and_then(|n| n.as_str()) {
                out.insert(n.to_string());
            } else {
                return Err(self.err(&p_ptr, "a global parameter needs `$ref` or `name`"));
            }
        }
        Ok(out)
    }

    fn component_schema(&self, reference: &str, ptr: &str) -> Result<(&'a str, &'a Schema)> {
        let name = reference
            .strip_prefix("#/components/schemas/")
            .ok_or_else(|| self.err(ptr, format!("unsupported $ref {reference:?}: only local #/components/schemas/ refs are allowed here")))?;
        let schema = self
            .doc
            .components
            .as_ref()
            .and_then(|c| c.schemas.get_key_value(name))
            .ok_or_else(|| self.err(ptr, format!("dangling $ref {reference:?}")))?;
        match schema.1 {
            ReferenceOr::Item(s) => Ok((schema.0.as_str(), s)),
            ReferenceOr::Reference { reference: r2 } => Err(self.err(
                &format!("/components/schemas/{}", pointer_token(name)),
                format!("unsupported: a component schema that is only a $ref ({r2:?})"),
            )),
        }
    }

    fn resolve_parameter_ref(&self, reference: &str, ptr: &str) -> Result<&'a Parameter> {
        let name = reference
            .strip_prefix("#/components/parameters/")
            .ok_or_else(|| {
                self.err(
                    ptr,
                    format!("unsupported $ref {reference:?}: expected #/components/parameters/..."),
                )
            })?;
        match self
            .doc
            .components
            .as_ref()
            .and_then(|c| c.parameters.get(name))
        {
            Some(ReferenceOr::Item(p)) => Ok(p),
            Some(ReferenceOr::Reference { .. }) => Err(self.err(
                ptr,
                "unsupported: a parameter component that is only a $ref",
            )),
            None => Err(self.err(ptr, format!("dangling $ref {reference:?}"))),
        }
    }

    fn view_of(&self, s: SRef<'a>, ptr: &str) -> Result<View<'a>> {
        match s {
            SRef::Inline(schema) => Ok(view(schema)),
            SRef::Ref(r) => Ok(view(self.component_schema(r, ptr)?.1)),
        }
    }

    /// Lowers a component schema to its model (once); returns its type name.
    fn component(&mut self, name: &str) -> Result<Ident> {
        let ident = self
            .component_names
            .get(name)
            .cloned()
            .ok_or_else(|| self.err("/components/schemas", format!("no schema {name:?}")))?;
        if self.component_slot.contains_key(name) {
            return Ok(ident);
        }
        let slot = self.models.len();
        self.models.push(None);
        self.component_slot.insert(name.to_string(), slot);
        let ptr = format!("/components/schemas/{}", pointer_token(name));
        let (_, schema) = self.component_schema(&format!("#/components/schemas/{name}"), &ptr)?;
        let v = view(schema);
        let model = self.model_for(ident.clone(), v, &ptr)?;
        self.models[slot] = Some(model);
        Ok(ident)
    }

    /// The model a named schema becomes.
    fn model_for(&mut self, name: Ident, v: View<'a>, ptr: &str) -> Result<Model> {
        if let Some(what) = v.unsupported {
            return Err(self.err(ptr, format!("unsupported construct `{what}`")));
        }
        if !v.enumeration.is_empty() {
            return self.enum_model(name, &v, ptr).map(Model::Enum);
        }
        // `allOf: [$ref]` with nothing added is the referenced type under another name: an
        // alias, not a copied struct (the spec's CreateCustomPolicy, UpdateRole).
        if let [SRef::Ref(_)] = v.all_of.as_slice() {
            if v.properties.is_empty() && v.required.is_empty() && v.additional.is_none() {
                let description = v.description.clone();
                let (target, _) =
                    self.lower_schema(v.all_of[0], name.bare(), &format!("{ptr}/allOf/0"))?;
                return Ok(Model::Alias(AliasModel {
                    name,
                    description,
                    target,
                }));
            }
        }
        let object_like = v.typ.as_deref() == Some("object")
            || (v.typ.is_none() && (!v.properties.is_empty() || !v.all_of.is_empty()));
        if object_like && (!v.properties.is_empty() || !v.all_of.is_empty()) {
            let merged = self.merge(&v, ptr)?;
            return self.struct_model(name, merged, ptr).map(Model::Struct);
        }
        let description = v.description.clone();
        let (target, _) = self.lower_view(v, name.bare(), ptr)?;
        Ok(Model::Alias(AliasModel {
            name,
            description,
            target,
        }))
    }

    fn enum_model(&mut self, name: Ident, v: &View<'a>, ptr: &str) -> Result<EnumModel> {
        if v.typ.as_deref().unwrap_or("string") != "string" {
            return Err(self.err(
                ptr,
                "unsupported construct: an enum that is not of type string",
            ));
        }
        let mut scope = Scope::with_reserved(&["Unknown", "Custom"]);
        let mut variants = Vec::new();
        for (i, value) in v.enumeration.iter().enumerate() {
            match value {
                Value::String(s) => {
                    variants.push((scope.allocate(naming::pascal(s), "Value"), s.clone()))
                }
                // `nullable` enums list null; it is carried by the field's nullability.
                Value::Null => {}
                other => {
                    return Err(self.err(
                        &format!("{ptr}/enum/{i}"),
                        format!("unsupported enum value {other}"),
                    ));
                }
            }
        }
        Ok(EnumModel {
            name,
            description: v.description.clone(),
            variants,
            catch_all: naming::pascal("Unknown"),
        })
    }

    /// Merges `allOf` parts and the schema's own properties into one object.
    fn merge(&self, v: &View<'a>, ptr: &str) -> Result<Merged<'a>> {
        let mut out = Merged {
            properties: Vec::new(),
            required: BTreeSet::new(),
            keep_unknown: true,
            description: v.description.clone(),
        };
        self.merge_into(v, ptr, &mut out, 0)?;
        Ok(out)
    }

    fn merge_into(
        &self,
        v: &View<'a>,
        ptr: &str,
        out: &mut Merged<'a>,
        depth: usize,
    ) -> Result<()> {
        if depth > 32 {
            return Err(self.err(ptr, "allOf nests too deeply (a cycle?)"));
        }
        if let Some(what) = v.unsupported {
            return Err(self.err(ptr, format!("unsupported construct `{what}`")));
        }
        for (i, part) in v.all_of.iter().enumerate() {
            let part_ptr = format!("{ptr}/allOf/{i}");
            let pv = self.view_of(*part, &part_ptr)?;
            if pv.typ.as_deref().is_some_and(|t| t != "object") {
                return Err(self.err(
                    &part_ptr,
                    "unsupported: allOf with a part that is not an object",
                ));
            }
            self.merge_into(&pv, &part_ptr, out, depth + 1)?;
        }
        for (name, s) in &v.properties {
            if let Some(existing) = out.properties.iter_mut().find(|(n, _)| n == name) {
                existing.1 = *s;
            } else {
                out.properties.push((name.clone(), *s));
            }
        }
        out.required.extend(v.required.iter().cloned());
        if matches!(v.additional, Some(AdditionalProperties::Any(false))) {
            out.keep_unknown = false;
        }
        if out.description.is_none() {
            out.description = v.description.clone();
        }
        Ok(())
    }

    fn struct_model(&mut self, name: Ident, m: Merged<'a>, ptr: &str) -> Result<StructModel> {
        let mut scope = Scope::default();
        let mut fields = Vec::new();
        for (wire, s) in &m.properties {
            let f_ptr = format!("{ptr}/properties/{}", pointer_token(wire));
            let rust_name = scope.allocate(naming::snake(wire), "_");
            let hint = format!("{}{}", name.bare(), naming::pascal(wire).bare());
            let (mut ty, nullable) = self.lower_schema(*s, &hint, &f_ptr)?;
            if ty == TypeRef::String && SECRET_PROPERTIES.contains(&wire.as_str()) {
                ty = TypeRef::Secret;
            }
            let (description, deprecated) = match s {
                SRef::Inline(schema) => (
                    schema.schema_data.description.clone(),
                    schema.schema_data.deprecated,
                ),
                // openapiv3 drops a description beside a `$ref`; the referenced schema's
                // own description is the next best documentation.
                SRef::Ref(r) => (
                    self.component_schema(r, &f_ptr)?.1.schema_data.description.clone(),
                    false,
                ),
            };
            fields.push(Field {
                wire_name: wire.clone(),
                rust_name,
                ty,
                required: m.required.contains(wire),
                nullable,
                description,
                deprecated,
            });
        }
        for req in &m.required {
            if !m.properties.iter().any(|(n, _)| n == req) {
                return Err(self.err(ptr, format!("required property {req:?} is not defined")));
            }
        }
        let extra_field = scope.allocate(naming::snake("extra"), "_fields");
        Ok(StructModel {
            name,
            description: m.description,
            fields,
            keep_unknown: m.keep_unknown,
            extra_field,
            in_request: false,
        })
    }

    /// Hoists an inline schema into a named model.
    fn hoist(&mut self, hint: &str, v: View<'a>, ptr: &str) -> Result<Ident> {
        let name = self.types.allocate(naming::joined_type(hint), "Inline");
        let slot = self.models.len();
        self.models.push(None);
        let model = self.model_for(name.clone(), v, ptr)?;
        self.models[slot] = Some(model);
        Ok(name)
    }

    /// The type of a schema used in place; the bool is the schema's `nullable`.
    fn lower_schema(&mut self, s: SRef<'a>, hint: &str, ptr: &str) -> Result<(TypeRef, bool)> {
        match s {
            SRef::Ref(r) => {
                let (name, schema) = self.component_schema(r, ptr)?;
                let ident = self.component(name)?;
                Ok((TypeRef::Named(ident), schema.schema_data.nullable))
            }
            SRef::Inline(schema) => self.lower_view(view(schema), hint, ptr),
        }
    }

    fn lower_view(&mut self, v: View<'a>, hint: &str, ptr: &str) -> Result<(TypeRef, bool)> {
        let nullable = v.nullable;
        if let Some(what) = v.unsupported {
            return Err(self.err(ptr, format!("unsupported construct `{what}`")));
        }
        if !v.all_of.is_empty() {
            // `allOf: [$ref]` with nothing added is the referenced type itself.
            if v.all_of.len() == 1 && v.properties.is_empty() && v.required.is_empty() {
                if let SRef::Ref(_) = v.all_of[0] {
                    let (ty, _) =
                        self.lower_schema(v.all_of[0], hint, &format!("{ptr}/allOf/0"))?;
                    return Ok((ty, nullable));
                }
            }
            return Ok((TypeRef::Named(self.hoist(hint, v, ptr)?), nullable));
        }
        if !v.enumeration.is_empty() {
            return Ok((TypeRef::Named(self.hoist(hint, v, ptr)?), nullable));
        }
        let ty = match v.typ.as_deref() {
            Some("string") => match v.format.as_deref() {
                Some("date") => TypeRef::Date,
                Some("date-time") => TypeRef::DateTime,
                Some("password") => TypeRef::Secret,
                _ => TypeRef::String,
            },
            Some("integer") => match v.format.as_deref() {
                Some("int32") => TypeRef::I32,
                _ => TypeRef::I64,
            },
            Some("number") => TypeRef::F64,
            Some("boolean") => TypeRef::Bool,
            Some("array") => {
                let item = match v.items {
                    Some(items) => {
                        self.lower_schema(items, &format!("{hint}Item"), &format!("{ptr}/items"))?
                            .0
                    }
                    None => TypeRef::Any,
                };
                TypeRef::Vec(Box::new(item))
            }
            Some("object") | None if !v.properties.is_empty() => {
                TypeRef::Named(self.hoist(hint, v, ptr)?)
            }
            Some("object") => match v.additional {
                Some(AdditionalProperties::Schema(s)) => {
                    let inner = self
                        .lower_schema(
                            SRef::from(s.as_ref()),
                            &format!("{hint}Value"),
                            &format!("{ptr}/additionalProperties"),
                        )?
                        .0;
                    if inner == TypeRef::Any {
                        TypeRef::FreeForm
                    } else {
                        TypeRef::Map(Box::new(inner))
                    }
                }
                _ => TypeRef::FreeForm,
            },
            None => TypeRef::Any,
            Some(other) => return Err(self.err(ptr, format!("unsupported schema type {other:?}"))),
        };
        Ok((ty, nullable))
    }

    // ----- operations -------------------------------------------------------------------

    fn operations(&mut self) -> Result<Vec<Group>> {
        let mut groups: IndexMap<String, Group> = IndexMap::new();
        let mut group_scope =
            Scope::with_reserved(&["core", "builder", "from_env", "clone", "fmt", "from"]);
        let mut group_types = Scope::with_reserved(RESERVED_TYPES);
        let mut op_ids: BTreeSet<String> = BTreeSet::new();
        let mut builder_names = Scope::with_reserved(RESERVED_TYPES);
        // Per group: the accessor's method names, which must not shadow the traits it derives.
        let mut method_scopes: HashMap<String, Scope> = HashMap::new();
        for (path, item) in self.doc.paths.paths.iter() {
            let path_ptr = format!("/paths/{}", pointer_token(path));
            let item = match item {
                ReferenceOr::Item(i) => i,
                ReferenceOr::Reference { .. } => {
                    return Err(self.err(&path_ptr, "unsupported: a path item $ref"));
                }
            };
            for (key, method) in METHODS_IN_ORDER {
                let op = match *key {
                    "get" => &item.get,
                    "put" => &item.put,
                    "post" => &item.post,
                    "delete" => &item.delete,
                    "options" => &item.options,
                    "head" => &item.head,
                    _ => &item.patch,
                };
                let Some(op) = op else { continue };
                let op_ptr = format!("{path_ptr}/{key}");
                let op_id = op
                    .operation_id
                    .clone()
                    .ok_or_else(|| self.err(&op_ptr, "every operation needs an operationId"))?;
                if !op_ids.insert(op_id.clone()) {
                    return Err(self.err(
                        &format!("{op_ptr}/operationId"),
                        format!("duplicate operationId {op_id:?}"),
                    ));
                }
                let group_raw = match op.extensions.get("x-speakeasy-group") {
                    Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
                    Some(_) => {
                        return Err(self.err(
                            &format!("{op_ptr}/x-speakeasy-group"),
                            "expected a non-empty string",
                        ));
                    }
                    None => op
                        .tags
                        .first()
                        .cloned()
                        .unwrap_or_else(|| "default".to_string()),
                };
                let method_raw = match op.extensions.get("x-speakeasy-name-override") {
                    Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
                    Some(_) => {
                        return Err(self.err(
                            &format!("{op_ptr}/x-speakeasy-name-override"),
                            "expected a non-empty string",
                        ));
                    }
                    None => op_id.clone(),
                };
                let group_key = naming::snake(&group_raw).bare().to_string();
                if !groups.contains_key(&group_key) {
                    let module = group_scope.allocate(naming::snake(&group_raw), "_group");
                    let type_name = group_types.allocate(naming::pascal(&group_raw), "Group");
                    groups.insert(
                        group_key.clone(),
                        Group {
                            module,
                            type_name,
                            operations: Vec::new(),
                        },
                    );
                }
                let method_name = naming::snake(&method_raw);
                let group = groups
                    .get(&group_key)
                    .ok_or_else(|| self.err(&op_ptr, "internal: group vanished"))?;
                if group
                    .operations
                    .iter()
                    .any(|o| o.method_name == method_name)
                {
                    return Err(self.err(
                        &op_ptr,
                        format!("duplicate operation name {}.{} (x-speakeasy-group / x-speakeasy-name-override)", group.module, method_name),
                    ));
                }
                let method_name = method_scopes
                    .entry(group_key.clone())
                    .or_insert_with(|| {
                        Scope::with_reserved(&["clone", "clone_from", "fmt", "client"])
                    })
                    .allocate(method_name, "_op");
                let builder = builder_names.allocate(naming::pascal(&op_id), "Request");
                let error_type = builder_names.allocate(
                    naming::joined_type(&format!("{}Error", builder.bare())),
                    "Op",
                );
                let lowered = self.operation(OpInput {
                    path,
                    path_item: item,
                    op,
                    op_ptr: &op_ptr,
                    op_id,
                    method: *method,
                    method_name,
                    builder,
                    error_type,
                })?;
                if let Some(g) = groups.get_mut(&group_key) {
                    g.operations.push(lowered);
                }
            }
        }
        Ok(groups.into_values().collect())
    }

    fn operation(&mut self, input: OpInput<'a, '_>) -> Result<Operation> {
        let OpInput {
            path,
            path_item,
            op,
            op_ptr,
            op_id,
            method,
            method_name,
            builder,
            error_type,
        } = input;
        let mut scope = Scope::with_reserved(BUILDER_RESERVED);

        // Path-level parameters first, overridden by operation-level ones with the same (in, name).
        let mut merged: IndexMap<(String, String), (&'a Parameter, String)> = IndexMap::new();
        for (i, p) in path_item.parameters.iter().enumerate() {
            let p_ptr = format!(
                "{}/parameters/{i}",
                op_ptr.rsplit_once('/').map(|x| x.0).unwrap_or(op_ptr)
            );
            let param = self.param_item(p, &p_ptr)?;
            merged.insert(param_key(param), (param, p_ptr));
        }
        for (i, p) in op.parameters.iter().enumerate() {
            let p_ptr = format!("{op_ptr}/parameters/{i}");
            let param = self.param_item(p, &p_ptr)?;
            merged.insert(param_key(param), (param, p_ptr));
        }

        let mut params = Vec::new();
        let mut path_index: HashMap<String, usize> = HashMap::new();
        let mut has_account = false;
        for (param, p_ptr) in merged.values() {
            let data = param.parameter_data_ref();
            let location = match param {
                Parameter::Path { .. } => {
                    if self.global_params.contains(&data.name) {
                        has_account = true;
                        continue;
                    }
                    ParamLocation::Path
                }
                Parameter::Query { style, .. } => {
                    if !matches!(style, QueryStyle::Form) || data.explode == Some(false) {
                        return Err(self.err(
                            p_ptr,
                            format!(
                                "unsupported query style for {:?}: only form with explode",
                                data.name
                            ),
                        ));
                    }
                    match &data.format {
                        ParameterSchemaOrContent::Schema(_) => ParamLocation::Query,
                        ParameterSchemaOrContent::Content(_) => ParamLocation::QueryJson,
                    }
                }
                Parameter::Header { .. } | Parameter::Cookie { .. } => {
                    return Err(self.err(
                        p_ptr,
                        format!(
                            "unsupported parameter location for {:?}: only path and query",
                            data.name
                        ),
                    ));
                }
            };
            let hint = format!("{}{}", builder.bare(), naming::pascal(&data.name).bare());
            let ty = match &data.format {
                ParameterSchemaOrContent::Schema(s) => {
                    self.lower_schema(SRef::from(s), &hint, &format!("{p_ptr}/schema"))?
                        .0
                }
                ParameterSchemaOrContent::Content(content) => {
                    let media = content.get("application/json").ok_or_else(|| {
                        self.err(
                            &format!("{p_ptr}/content"),
                            "unsupported: parameter content other than application/json",
                        )
                    })?;
                    let s = media.schema.as_ref().ok_or_else(|| {
                        self.err(
                            &format!("{p_ptr}/content/application~1json"),
                            "missing schema",
                        )
                    })?;
                    self.lower_schema(
                        SRef::from(s),
                        &hint,
                        &format!("{p_ptr}/content/application~1json/schema"),
                    )?
                    .0
                }
            };
            if location == ParamLocation::Path && !data.required {
                return Err(self.err(
                    p_ptr,
                    format!("path parameter {:?} must be required", data.name),
                ));
            }
            let rust_name = scope.allocate(naming::snake(&data.name), "_param");
            if location == ParamLocation::Path {
                path_index.insert(data.name.clone(), params.len());
            }
            params.push(Param {
                wire_name: data.name.clone(),
                rust_name,
                location,
                required: data.required,
                ty,
                description: data.description.clone(),
                deprecated: data.deprecated.unwrap_or(false),
            });
        }

        let path_parts = self.path_parts(path, op_ptr, &path_index, has_account)?;
        let body = match &op.request_body {
            None => None,
            Some(rb) => Some(self.body(rb, op_ptr, &builder, &mut scope)?),
        };
        let (success, errors) = self.responses(op, op_ptr, &builder)?;
        let auth = match op.extensions.get("x-cld-auth") {
            None => {
                // Without the extension, an explicit empty `security` means no auth.
                match &op.security {
                    Some(s) if s.is_empty() => Auth::None,
                    _ => Auth::Required,
                }
            }
            Some(Value::String(s)) if s == "required" => Auth::Required,
            Some(Value::String(s)) if s == "optional" => Auth::Optional,
            Some(Value::String(s)) if s == "none" => Auth::None,
            Some(other) => {
                return Err(self.err(
                    &format!("{op_ptr}/x-cld-auth"),
                    format!("unknown value {other}: expected required, optional or none"),
                ));
            }
        };
        let retry = match op.extensions.get("x-cld-retry") {
            None => match method {
                Method::Post | Method::Patch => RetryClass::NonIdempotent,
                _ => RetryClass::Idempotent,
            },
            Some(Value::String(s)) if s == "idempotent" => RetryClass::Idempotent,
            Some(Value::String(s)) if s == "non-idempotent" => RetryClass::NonIdempotent,
            Some(Value::String(s)) if s == "never" => RetryClass::Never,
            Some(other) => {
                return Err(self.err(
                    &format!("{op_ptr}/x-cld-retry"),
                    format!("unknown value {other}: expected idempotent, non-idempotent or never"),
                ));
            }
        };
        let mut operation = Operation {
            operation_id: op_id,
            method_name,
            builder,
            error_type,
            http_method: method,
            path_template: path.to_string(),
            path: path_parts,
            params,
            body,
            success,
            errors,
            auth,
            retry,
            pagination: None,
            summary: op.summary.clone(),
            description: op.description.clone(),
            deprecated: op.deprecated,
        };
        if let Some(p) = op.extensions.get("x-speakeasy-pagination") {
            operation.pagination = Some(self.pagination(
                p,
                &format!("{op_ptr}/x-speakeasy-pagination"),
                &operation,
            )?);
        }
        Ok(operation)
    }

    fn param_item(&self, p: &'a ReferenceOr<Parameter>, ptr: &str) -> Result<&'a Parameter> {
        match p {
            ReferenceOr::Item(p) => Ok(p),
            ReferenceOr::Reference { reference } => self.resolve_parameter_ref(reference, ptr),
        }
    }

    fn path_parts(
        &self,
        path: &str,
        ptr: &str,
        index: &HashMap<String, usize>,
        has_account: bool,
    ) -> Result<Vec<PathPart>> {
        let mut parts = Vec::new();
        let mut literal: Vec<&str> = Vec::new();
        for segment in path.split('/').filter(|s| !s.is_empty()) {
            match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => {
                    if !literal.is_empty() {
                        parts.push(PathPart::Literal(literal.join("/")));
                        literal.clear();
                    }
                    if let Some(i) = index.get(name) {
                        parts.push(PathPart::Param(*i));
                    } else if has_account && self.global_params.contains(name) {
                        parts.push(PathPart::AccountId);
                    } else {
                        return Err(
                            self.err(ptr, format!("path parameter {{{name}}} is not declared"))
                        );
                    }
                }
                None if segment.contains('{') || segment.contains('}') => {
                    return Err(self.err(ptr, format!("unsupported path segment {segment:?}: a parameter must be a whole segment")));
                }
                None => literal.push(segment),
            }
        }
        if !literal.is_empty() {
            parts.push(PathPart::Literal(literal.join("/")));
        }
        Ok(parts)
    }

    fn body(
        &mut self,
        rb: &'a ReferenceOr<RequestBody>,
        op_ptr: &str,
        builder: &Ident,
        scope: &mut Scope,
    ) -> Result<Body> {
        let ptr = format!("{op_ptr}/requestBody");
        let rb = match rb {
            ReferenceOr::Item(rb) => rb,
            ReferenceOr::Reference { reference } => {
                let name = reference
                    .strip_prefix("#/components/requestBodies/")
                    .ok_or_else(|| self.err(&ptr, format!("unsupported $ref {reference:?}")))?;
                match self
                    .doc
                    .components
                    .as_ref()
                    .and_then(|c| c.request_bodies.get(name))
                {
                    Some(ReferenceOr::Item(rb)) => rb,
                    _ => return Err(self.err(&ptr, format!("dangling $ref {reference:?}"))),
                }
            }
        };
        let media = rb.content.get("application/json").ok_or_else(|| {
            self.err(
                &format!("{ptr}/content"),
                "unsupported: request body content other than application/json",
            )
        })?;
        let schema = media.schema.as_ref().ok_or_else(|| {
            self.err(
                &format!("{ptr}/content/application~1json"),
                "missing schema",
            )
        })?;
        let hint = format!("{}Request", builder.bare());
        let (ty, _) = self.lower_schema(
            SRef::from(schema),
            &hint,
            &format!("{ptr}/content/application~1json/schema"),
        )?;
        let model = match ty {
            TypeRef::Named(n) => n,
            _ => {
                return Err(self.err(
                    &format!("{ptr}/content/application~1json/schema"),
                    "unsupported: a request body that is not an object",
                ));
            }
        };
        // A body named through aliases is built as the struct they name.
        let mut model = model;
        for _ in 0..16 {
            match self.find_model(&model) {
                Some(Model::Alias(AliasModel {
                    target: TypeRef::Named(next),
                    ..
                })) => model = next.clone(),
                _ => break,
            }
        }
        let fields: Vec<(Ident, bool)> = match self.find_model(&model) {
            Some(Model::Struct(s)) => s
                .fields
                .iter()
                .map(|f| (f.rust_name.clone(), f.nullable))
                .collect(),
            _ => {
                return Err(self.err(
                    &format!("{ptr}/content/application~1json/schema"),
                    "unsupported: a request body that is not an object",
                ));
            }
        };
        // Plain setters first so they keep their natural names; `_null` setters and the
        // extra slot take what is left in the same scope, so nothing can collide.
        let mut setters: Vec<BodySetter> = fields
            .iter()
            .enumerate()
            .map(|(i, (f, _))| BodySetter {
                setter: scope.allocate(f.clone(), "_body"),
                field: i,
                null_setter: None,
            })
            .collect();
        for (s, (_, nullable)) in setters.iter_mut().zip(&fields) {
            if *nullable {
                let wanted = naming::snake(&format!("{}_null", s.setter.bare()));
                s.null_setter = Some(scope.allocate(wanted, "_"));
            }
        }
        let extra_slot = scope.allocate(naming::snake("extra"), "_");
        let presence_slot =
            (!rb.required).then(|| scope.allocate(naming::snake("body_is_set"), "_"));
        Ok(Body {
            model,
            required: rb.required,
            setters,
            extra_slot,
            presence_slot,
        })
    }

    fn find_model(&self, name: &Ident) -> Option<&Model> {
        self.models.iter().flatten().find(|m| m.name() == name)
    }

    fn responses(
        &mut self,
        op: &'a openapiv3::Operation,
        op_ptr: &str,
        builder: &Ident,
    ) -> Result<(Success, Vec<ErrorCase>)> {
        let mut success: Option<Success> = None;
        let mut errors = Vec::new();
        let mut variants = Scope::default();
        let mut codes: Vec<(u16, &'a ReferenceOr<Response>)> = Vec::new();
        for (code, resp) in op.responses.responses.iter() {
            match code {
                StatusCode::Code(c) => codes.push((*c, resp)),
                StatusCode::Range(r) => {
                    return Err(self.err(
                        &format!("{op_ptr}/responses/{r}XX"),
                        "unsupported: status code ranges",
                    ));
                }
            }
        }
        codes.sort_by_key(|(c, _)| *c);
        for (code, resp) in codes {
            let ptr = format!("{op_ptr}/responses/{code}");
            let resp = match resp {
                ReferenceOr::Item(r) => r,
                ReferenceOr::Reference { reference } => {
                    let name = reference
                        .strip_prefix("#/components/responses/")
                        .ok_or_else(|| self.err(&ptr, format!("unsupported $ref {reference:?}")))?;
                    match self
                        .doc
                        .components
                        .as_ref()
                        .and_then(|c| c.responses.get(name))
                    {
                        Some(ReferenceOr::Item(r)) => r,
                        _ => return Err(self.err(&ptr, format!("dangling $ref {reference:?}"))),
                    }
                }
            };
            let json = resp
                .content
                .get("application/json")
                .and_then(|m| m.schema.as_ref());
            if (200..300).contains(&code) {
                let this = match json {
                    Some(s) if code != 204 => {
                        let (ty, _) = self.lower_schema(
                            SRef::from(s),
                            &format!("{}Response", builder.bare()),
                            &format!("{ptr}/content/application~1json/schema"),
                        )?;
                        Success::Json { status: code, ty }
                    }
                    _ => Success::Unit { status: code },
                };
                match (&success, &this) {
                    (None, _) => success = Some(this),
                    (Some(Success::Json { ty: a, .. }), Success::Json { ty: b, .. }) if a != b => {
                        return Err(self.err(
                            &ptr,
                            "unsupported: several success responses with different bodies",
                        ));
                    }
                    _ => {}
                }
            } else if code >= 400 {
                let body = match json {
                    Some(s) => Some(
                        self.lower_schema(
                            SRef::from(s),
                            &format!("{}{}Body", builder.bare(), status_name(code)),
                            &format!("{ptr}/content/application~1json/schema"),
                        )?
                        .0,
                    ),
                    None => None,
                };
                errors.push(ErrorCase {
                    status: code,
                    variant: variants.allocate(naming::pascal(&status_name(code)), "Status"),
                    body,
                    message_path: Vec::new(),
                    description: Some(resp.description.clone()).filter(|d| !d.trim().is_empty()),
                });
            }
        }
        let success = success.ok_or_else(|| {
            self.err(&format!("{op_ptr}/responses"), "no 2xx response documented")
        })?;
        for e in &mut errors {
            if let Some(TypeRef::Named(n)) = &e.body {
                e.message_path = self
                    .field_path(n, &["error", "message"])
                    .or_else(|| self.field_path(n, &["message"]))
                    .unwrap_or_default();
            }
        }
        Ok((success, errors))
    }

    /// Follows `path` (wire names) through struct models; the last field must be a string.
    fn field_path(&self, model: &Ident, path: &[&str]) -> Option<Vec<MessageStep>> {
        let mut steps = Vec::new();
        let mut current = model.clone();
        for (i, wire) in path.iter().enumerate() {
            let Some(Model::Struct(s)) = self.find_model(&current) else {
                return None;
            };
            let f = s.fields.iter().find(|f| f.wire_name == *wire)?;
            steps.push(MessageStep {
                field: f.rust_name.clone(),
                optional: !f.required || f.nullable,
            });
            if i + 1 == path.len() {
                return (f.ty == TypeRef::String).then_some(steps);
            }
            match &f.ty {
                TypeRef::Named(n) => current = n.clone(),
                _ => return None,
            }
        }
        None
    }

    fn pagination(&self, p: &Value, ptr: &str, op: &Operation) -> Result<Pagination> {
        let kind = match p.get("type").and_then(|t| t.as_str()) {
            Some("cursor") => PageKind::Cursor,
            Some("offsetLimit") => PageKind::Page,
            Some(other) => {
                return Err(self.err(
                    &format!("{ptr}/type"),
                    format!("unknown pagination type {other:?}: expected cursor or offsetLimit"),
                ));
            }
            None => return Err(self.err(&format!("{ptr}/type"), "missing pagination type")),
        };
        let inputs = p
            .get("inputs")
            .and_then(|i| i.as_array())
            .ok_or_else(|| self.err(&format!("{ptr}/inputs"), "expected a list"))?;
        let mut input = None;
        let mut page_size = None;
        for (i, inp) in inputs.iter().enumerate() {
            let i_ptr = format!("{ptr}/inputs/{i}");
            let name = inp
                .get("name")
                .and_then(|n| n.as_str())
                .ok_or_else(|| self.err(&i_ptr, "missing name"))?;
            if inp.get("in").and_then(|n| n.as_str()) != Some("parameters") {
                return Err(self.err(&format!("{i_ptr}/in"), "unsupported: only `in: parameters`"));
            }
            let param = op
                .params
                .iter()
                .find(|p| p.wire_name == name && p.location == ParamLocation::Query && !p.required)
                .ok_or_else(|| {
                    self.err(
                        &i_ptr,
                        format!("{name:?} is not an optional query parameter of the operation"),
                    )
                })?;
            match inp.get("type").and_then(|t| t.as_str()) {
                Some("page")
                    if kind == PageKind::Page
                        && matches!(param.ty, TypeRef::I32 | TypeRef::I64) =>
                {
                    input = Some(param.rust_name.clone())
                }
                Some("cursor") if kind == PageKind::Cursor && param.ty == TypeRef::String => {
                    input = Some(param.rust_name.clone())
                }
                Some("limit") if matches!(param.ty, TypeRef::I32 | TypeRef::I64) => {
                    page_size = Some(param.rust_name.clone())
                }
                other => {
                    return Err(self.err(
                        &format!("{i_ptr}/type"),
                        format!(
                            "unsupported input type {other:?} for {kind:?} pagination on {name:?}"
                        ),
                    ));
                }
            }
        }
        let input =
            input.ok_or_else(|| self.err(&format!("{ptr}/inputs"), "no page or cursor input"))?;
        let Success::Json {
            ty: TypeRef::Named(resp),
            ..
        } = &op.success
        else {
            return Err(self.err(ptr, "pagination needs a JSON object response"));
        };
        let outputs = p
            .get("outputs")
            .ok_or_else(|| self.err(&format!("{ptr}/outputs"), "missing outputs"))?;
        let jsonpath = |key: &str| -> Result<Vec<String>> {
            let s = outputs
                .get(key)
                .and_then(|v| v.as_str())
                .ok_or_else(|| self.err(&format!("{ptr}/outputs/{key}"), "missing JSONPath"))?;
            let rest = s.strip_prefix("$.").ok_or_else(|| {
                self.err(
                    &format!("{ptr}/outputs/{key}"),
                    format!("unsupported JSONPath {s:?}: expected $.field(.field)*"),
                )
            })?;
            Ok(rest.split('.').map(str::to_string).collect())
        };
        let results_path = jsonpath("results")?;
        let (results, item) = self
            .walk(resp, &results_path)
            .and_then(|(steps, ty)| match ty {
                TypeRef::Vec(inner) => Some((steps, *inner)),
                _ => None,
            })
            .ok_or_else(|| {
                self.err(
                    &format!("{ptr}/outputs/results"),
                    "does not lead to an array in the response",
                )
            })?;
        let next_cursor = if kind == PageKind::Cursor {
            let path = jsonpath("nextCursor")?;
            match self.walk(resp, &path) {
                Some((steps, TypeRef::String)) => steps,
                _ => {
                    return Err(self.err(
                        &format!("{ptr}/outputs/nextCursor"),
                        "does not lead to a string in the response",
                    ));
                }
            }
        } else {
            Vec::new()
        };
        Ok(Pagination {
            kind,
            input,
            results,
            item,
            next_cursor,
            page_size,
        })
    }

    fn walk(&self, model: &Ident, path: &[String]) -> Option<(Vec<MessageStep>, TypeRef)> {
        let mut steps = Vec::new();
        let mut ty = TypeRef::Named(model.clone());
        for wire in path {
            let TypeRef::Named(n) = &ty else { return None };
            let Some(Model::Struct(s)) = self.find_model(n) else {
                return None;
            };
            let f = s.fields.iter().find(|f| &f.wire_name == wire)?;
            steps.push(MessageStep {
                field: f.rust_name.clone(),
                optional: !f.required || f.nullable,
            });
            ty = f.ty.clone();
        }
        Some((steps, ty))
    }
}

struct OpInput<'a, 'p> {
    path: &'a str,
    path_item: &'a openapiv3::PathItem,
    op: &'a openapiv3::Operation,
    op_ptr: &'p str,
    op_id: String,
    method: Method,
    method_name: Ident,
    builder: Ident,
    error_type: Ident,
}

fn param_key(p: &Parameter) -> (String, String) {
    let loc = match p {
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Path { .. } => "path",
        Parameter::Cookie { .. } => "cookie",
    };
    (loc.to_string(), p.parameter_data_ref().name.clone())
}

/// The variant name for an error status.
fn status_name(code: u16) -> String {
    match code {
        400 => "BadRequest".into(),
        401 => "Unauthorized".into(),
        403 => "Forbidden".into(),
        404 => "NotFound".into(),
        405 => "MethodNotAllowed".into(),
        409 => "Conflict".into(),
        410 => "Gone".into(),
        420 => "MaxUsageRateExceeded".into(),
        422 => "UnprocessableEntity".into(),
        429 => "TooManyRequests".into(),
        500 => "InternalServerError".into(),
        502 => "BadGateway".into(),
        503 => "ServiceUnavailable".into(),
        504 => "GatewayTimeout".into(),
        other => format!("Status{other}"),
    }
}

/// Marks models reachable from request bodies and parameters (`in_request`), and gives
/// request-only enums a `Custom` catch-all instead of `Unknown`.
fn mark_usage(models: &mut [Model], groups: &[Group]) {
    let index: HashMap<Ident, usize> = models
        .iter()
        .enumerate()
        .map(|(i, m)| (m.name().clone(), i))
        .collect();
    let mut request_roots = Vec::new();
    let mut response_roots = Vec::new();
    for op in groups.iter().flat_map(|g| &g.operations) {
        for p in &op.params {
            request_roots.push(p.ty.clone());
        }
        if let Some(b) = &op.body {
            request_roots.push(TypeRef::Named(b.model.clone()));
        }
        if let Success::Json { ty, .. } = &op.success {
            response_roots.push(ty.clone());
        }
        for e in &op.errors {
            if let Some(b) = &e.body {
                response_roots.push(b.clone());
            }
        }
    }
    let request = reach(models, &index, request_roots);
    let response = reach(models, &index, response_roots);
    for m in models.iter_mut() {
        match m {
            Model::Struct(s) => s.in_request = request.contains(&s.name),
            Model::Enum(e) => {
                if request.contains(&e.name) && !response.contains(&e.name) {
                    e.catch_all = naming::pascal("Custom");
                }
            }
            Model::Alias(_) => {}
        }
    }
}

fn reach(models: &[Model], index: &HashMap<Ident, usize>, roots: Vec<TypeRef>) -> BTreeSet<Ident> {
    let mut seen = BTreeSet::new();
    let mut stack = roots;
    while let Some(t) = stack.pop() {
        match t {
            TypeRef::Vec(inner) | TypeRef::Map(inner) => stack.push(*inner),
            TypeRef::Named(n) if seen.insert(n.clone()) => match index.get(&n).map(|i| &models[*i])
            {
                Some(Model::Struct(s)) => stack.extend(s.fields.iter().map(|f| f.ty.clone())),
                Some(Model::Alias(a)) => stack.push(a.target.clone()),
                Some(Model::Enum(_)) | None => {}
            },
            _ => {}
        }
    }
    seen
}
