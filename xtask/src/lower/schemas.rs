//! Schemas: `allOf` merging, and the models that component and inline schemas become
//! (structs, open enums, aliases).

use super::*;
use crate::spec::{Additional, Schema, SchemaType};

/// Formats the generator knows (JSON Schema's, the OpenAPI format registry's, and a few that
/// real specs use widely). Others are read as plain strings or numbers, with a warning.
const KNOWN_FORMATS: &[&str] = &[
    "date",
    "date-time",
    "time",
    "duration",
    "email",
    "idn-email",
    "hostname",
    "idn-hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "uri-template",
    "iri",
    "iri-reference",
    "url",
    "uuid",
    "json-pointer",
    "relative-json-pointer",
    "regex",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "float",
    "double",
    "decimal",
    "byte",
    "binary",
    "base64",
    "password",
    "char",
    "unix-time",
    "timestamp",
];

/// An object after `allOf` merging.
pub(super) struct Merged<'s> {
    properties: Vec<(String, &'s Schema)>,
    required: Vec<String>,
    keep_unknown: bool,
    description: Option<String>,
}

/// The one type of a schema, when it names exactly one (`"null"` aside).
pub(super) fn single_type(s: &Schema) -> Option<SchemaType> {
    match s.types.as_slice() {
        [t] => Some(*t),
        _ => None,
    }
}

/// Whether a schema describes a JSON object: a struct's properties or a map's values.
pub(super) fn object_like(s: &Schema) -> bool {
    single_type(s) == Some(SchemaType::Object) || !s.properties.is_empty() || s.additional.is_some()
}

/// What makes a schema something the emitter cannot express.
fn unsupported(s: &Schema) -> Option<&'static str> {
    if s.not.is_some() && !s.one_of.is_empty() {
        None // `not` beside a union only narrows it; the union is what the data is.
    } else if s.not.is_some() && s.types.is_empty() && s.properties.is_empty() {
        // A bare `not` says what a value is not, which gives no Rust type.
        Some("not")
    } else {
        None
    }
}

/// The Rust type of a string schema by its `format`. Formats with no type of their own in the
/// crate (`uuid`, `uri`, `email`, `binary` inside JSON, ...) stay `String`, which holds every
/// value a server may send; `date` and `date-time` parse, `password` never prints, and base64
/// text (`byte`, 3.1 `contentEncoding: base64`) is bytes.
pub(super) fn string_type(v: &Schema) -> TypeRef {
    if v.content_encoding.as_deref() == Some("base64") {
        return TypeRef::Bytes;
    }
    match v.format.as_deref() {
        Some("date") => TypeRef::Date,
        Some("date-time") => TypeRef::DateTime,
        Some("password") => TypeRef::Secret,
        Some("byte") => TypeRef::Bytes,
        _ => TypeRef::String,
    }
}

/// The Rust type of an integer schema: `i32` for `int32` and narrower, `u64` where `i64`
/// cannot hold every value, `i64` otherwise.
pub(super) fn integer_type(v: &Schema) -> TypeRef {
    match v.format.as_deref() {
        Some("int32" | "int16" | "int8" | "uint8" | "uint16") => TypeRef::I32,
        Some("uint64") => TypeRef::U64,
        _ => TypeRef::I64,
    }
}

/// Whether a schema becomes an enum: string and integer values (a `boolean` or `number` enum
/// only narrows its plain type).
pub(super) fn is_enum(s: &Schema) -> bool {
    !enum_values(s).is_empty()
        && matches!(
            single_type(s),
            None | Some(SchemaType::String) | Some(SchemaType::Integer)
        )
}

/// The values of `enum`, or of `const` as a one-value enum.
fn enum_values(s: &Schema) -> Vec<Value> {
    match (&s.constant, s.enumeration.is_empty()) {
        (Some(c), true) => vec![c.clone()],
        _ => s.enumeration.clone(),
    }
}

impl<'a> Lowerer<'a> {
    /// The schema itself, or the component schema its `$ref` names.
    pub(super) fn deref(&self, s: &'a Schema) -> Result<&'a Schema> {
        match &s.reference {
            Some(r) => Ok(self.component_schema(r, &s.pointer)?.1),
            None => Ok(s),
        }
    }

    /// Lowers a component schema to its model (once); returns its type.
    pub(super) fn component(&mut self, name: &str) -> Result<TypeName> {
        let ty = self
            .component_names
            .get(name)
            .cloned()
            .ok_or_else(|| self.err("/components/schemas", format!("no schema {name:?}")))?;
        if self.component_slot.contains_key(name) {
            return Ok(ty);
        }
        let slot = self.reserve_slot(&ty);
        self.component_slot.insert(name.to_string(), slot);
        let schema = self
            .schema_index
            .get(name)
            .and_then(|&i| self.doc.components.schemas.get(i))
            .map(|(_, s)| s)
            .ok_or_else(|| self.err("/components/schemas", format!("no schema {name:?}")))?;
        let ptr = schema.pointer.clone();
        self.pointers.insert(ty.id(), ptr.clone());
        let hint = ty.bare();
        let model = self.model_for(ty.clone(), &hint, schema, &ptr)?;
        self.models[slot] = Some(model);
        Ok(ty)
    }

    /// Reserves the next emission slot for `ty`.
    fn reserve_slot(&mut self, ty: &TypeName) -> usize {
        let slot = self.models.len();
        self.models.push(None);
        self.slot_of.insert(ty.id(), slot);
        slot
    }

    /// The model a named schema becomes.
    pub(super) fn model_for(
        &mut self,
        name: TypeName,
        hint: &str,
        v: &'a Schema,
        ptr: &str,
    ) -> Result<Model> {
        if let Some(what) = unsupported(v) {
            return Err(self.err(ptr, format!("unsupported construct `{what}`")));
        }
        // A component that is only a `$ref` is the referenced type under another name.
        if v.reference.is_some() {
            let (target, _) = self.lower_schema(v, hint, ptr)?;
            return Ok(Model::Alias(AliasModel {
                name,
                description: v.description.clone(),
                target,
            }));
        }
        if super::unions::parts(v).is_some() || v.types.len() > 1 {
            return self.union_model(name, hint, v, ptr);
        }
        if v.discriminator.is_some() {
            // 3.0's `allOf` inheritance (`Cat: allOf: [Pet, ...]`, the discriminator on `Pet`):
            // the parent stays a struct, so say what a response typed as it will hold.
            self.diagnostics.warn(
                &format!("{ptr}/discriminator"),
                "a discriminator without oneOf/anyOf: this schema is generated as a struct, not \
                 a union of its subtypes; a subtype's own fields arrive in its unknown-field map",
            );
        }
        if is_enum(v) {
            return self.enum_model(name, v, ptr).map(Model::Enum);
        }
        // `allOf: [$ref]` with nothing added is the referenced type under another name: an
        // alias, not a copied struct (the spec's CreateCustomPolicy, UpdateRole).
        if let [only] = v.all_of.as_slice() {
            if only.reference.is_some()
                && v.properties.is_empty()
                && v.required.is_empty()
                && v.additional.is_none()
            {
                let (target, _) = self.lower_schema(only, hint, &only.pointer)?;
                return Ok(Model::Alias(AliasModel {
                    name,
                    description: v.description.clone(),
                    target,
                }));
            }
        }
        // `allOf` that only refines one non-object type (a `$ref` with a description beside it).
        if let Some(part) = self.refined_part(v)? {
            let (target, _) = self.lower_schema(part, hint, &part.pointer)?;
            return Ok(Model::Alias(AliasModel {
                name,
                description: v.description.clone(),
                target,
            }));
        }
        let typ = single_type(v);
        let object_like = typ == Some(SchemaType::Object)
            || (v.types.is_empty() && (!v.properties.is_empty() || !v.all_of.is_empty()));
        if object_like && (!v.properties.is_empty() || !v.all_of.is_empty()) {
            let merged = self.merge(v, ptr)?;
            return self
                .struct_model(name, hint, merged, ptr)
                .map(Model::Struct);
        }
        let (target, _) = self.lower_view(v, hint, ptr)?;
        Ok(Model::Alias(AliasModel {
            name,
            description: v.description.clone(),
            target,
        }))
    }

    /// Warns once per unknown `format` word.
    fn check_format(&mut self, v: &Schema) {
        if let Some(f) = &v.format {
            if !KNOWN_FORMATS.contains(&f.as_str()) {
                self.diagnostics.warn_once(
                    &format!("format:{f}"),
                    &v.pointer,
                    format!("unknown format {f:?}: read as its plain type"),
                );
            }
        }
    }

    pub(super) fn enum_model(
        &mut self,
        name: TypeName,
        v: &Schema,
        ptr: &str,
    ) -> Result<EnumModel> {
        self.check_format(v);
        let all_integers = enum_values(v)
            .iter()
            .all(|x| x.is_null() || x.as_i64().is_some());
        let integer = match single_type(v) {
            None => all_integers,
            Some(SchemaType::String) => false,
            Some(SchemaType::Integer) => true,
            Some(other) => {
                return Err(self.err(
                    ptr,
                    format!(
                        "unsupported construct: an enum of type {} (string and integer enums are supported)",
                        other.as_str()
                    ),
                ));
            }
        };
        // Variants keep their natural names; the catch-all steps around them (usage.rs).
        let mut scope = Scope::default();
        let mut variants = Vec::new();
        for (i, value) in enum_values(v).iter().enumerate() {
            let (wanted, wire) = match value {
                Value::String(s) if !integer => (naming::pascal(s), s.clone()),
                Value::Number(n) if integer => match n.as_i64() {
                    Some(n) => {
                        let word = if n < 0 {
                            format!("value_minus_{}", n.unsigned_abs())
                        } else {
                            format!("value_{n}")
                        };
                        (naming::pascal(&word), n.to_string())
                    }
                    None => {
                        return Err(self.err(
                            &format!("{ptr}/enum/{i}"),
                            format!("the enum value {n} is not a 64-bit integer"),
                        ));
                    }
                },
                // `nullable` enums list null; it is carried by the field's nullability.
                Value::Null => continue,
                other => {
                    return Err(self.err(
                        &format!("{ptr}/enum/{i}"),
                        format!(
                            "unsupported enum value {other} in an enum of {}",
                            if integer { "integers" } else { "strings" }
                        ),
                    ));
                }
            };
            if variants.iter().any(|(_, w)| *w == wire) {
                continue; // a value listed twice is one variant
            }
            variants.push((scope.allocate(wanted, "Value"), wire));
        }
        Ok(EnumModel {
            name,
            description: v.description.clone(),
            variants,
            integer,
            catch_all: naming::pascal("Unknown"),
            request_only: false,
        })
    }

    /// Merges `allOf` parts and the schema's own properties into one object.
    pub(super) fn merge(&self, v: &'a Schema, ptr: &str) -> Result<Merged<'a>> {
        let mut out = Merged {
            properties: Vec::new(),
            required: Vec::new(),
            keep_unknown: true,
            description: v.description.clone(),
        };
        self.merge_into(v, ptr, &mut out, 0)?;
        Ok(out)
    }

    pub(super) fn merge_into(
        &self,
        v: &'a Schema,
        ptr: &str,
        out: &mut Merged<'a>,
        depth: usize,
    ) -> Result<()> {
        if depth > 32 {
            return Err(self.err(ptr, "allOf nests too deeply (a cycle?)"));
        }
        if let Some(what) = unsupported(v) {
            return Err(self.err(ptr, format!("unsupported construct `{what}`")));
        }
        if super::unions::parts(v).is_some() {
            return Err(self.err(
                ptr,
                "unsupported construct: `oneOf`/`anyOf` inside `allOf` (a struct cannot hold a union's fields)",
            ));
        }
        for part in &v.all_of {
            let pv = self.deref(part)?;
            if single_type(pv).is_some_and(|t| t != SchemaType::Object) {
                return Err(self.err(
                    &part.pointer,
                    "unsupported: allOf with a part that is not an object",
                ));
            }
            self.merge_into(pv, &part.pointer, out, depth + 1)?;
        }
        for (name, s) in &v.properties {
            if let Some(existing) = out.properties.iter_mut().find(|(n, _)| n == name) {
                existing.1 = s;
            } else {
                out.properties.push((name.clone(), s));
            }
        }
        for r in &v.required {
            if !out.required.contains(r) {
                out.required.push(r.clone());
            }
        }
        if matches!(v.additional, Some(Additional::Bool(false))) {
            out.keep_unknown = false;
        }
        if out.description.is_none() {
            out.description = v.description.clone();
        }
        Ok(())
    }

    pub(super) fn struct_model(
        &mut self,
        name: TypeName,
        parent_hint: &str,
        m: Merged<'a>,
        ptr: &str,
    ) -> Result<StructModel> {
        let mut scope = Scope::default();
        let mut fields = Vec::new();
        for (wire, s) in &m.properties {
            let f_ptr = &s.pointer;
            let rust_name = scope.allocate(naming::snake(wire), "_");
            let hint = format!("{parent_hint}{}", naming::pascal(wire).bare());
            let (mut ty, nullable) = self.lower_schema(s, &hint, f_ptr)?;
            if ty == TypeRef::String && PROFILE.secret_properties.contains(&wire.as_str()) {
                ty = TypeRef::Secret;
            }
            // A description beside a `$ref` (3.1) documents the field; without one, the
            // referenced schema's own description is the next best.
            let description = match (&s.description, &s.reference) {
                (Some(d), _) => Some(d.clone()),
                (None, Some(_)) => self.deref(s)?.description.clone(),
                (None, None) => self.refinement_description(s)?,
            };
            fields.push(Field {
                wire_name: wire.clone(),
                rust_name,
                ty,
                // A `readOnly` property is only sent by the server and a `writeOnly` one only
                // by the client (OpenAPI 3.0.3 §4.7.24): `required` holds in one direction,
                // and the one model serves both, so the field is optional.
                required: m.required.contains(wire) && !s.read_only && !s.write_only,
                nullable,
                description,
                deprecated: s.deprecated,
            });
        }
        for req in &m.required {
            if !m.properties.iter().any(|(n, _)| n == req) {
                // Valid JSON Schema (the name must merely be present), and other tools accept
                // it; without a schema there is no field to generate.
                self.diagnostics.warn(
                    ptr,
                    format!(
                        "required name {req:?} is not a property: no field is generated for it"
                    ),
                );
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

    /// Hoists an inline schema into a model of its own, named later from `hint`. A schema
    /// identical to one hoisted before (same fields, types, documentation) becomes that type.
    pub(super) fn hoist(&mut self, hint: &str, v: &'a Schema, ptr: &str) -> Result<TypeName> {
        self.hoist_with(hint, |l, ty, own_hint| {
            l.pointers.insert(ty.id(), ptr.to_string());
            l.model_for(ty, own_hint, v, ptr)
        })
    }

    /// Hoists the model `build` makes (given the new type and its suggested name).
    pub(super) fn hoist_with(
        &mut self,
        hint: &str,
        build: impl FnOnce(&mut Self, TypeName, &str) -> Result<Model>,
    ) -> Result<TypeName> {
        let ty = TypeName::unnamed(TypeId(self.next_id));
        self.next_id += 1;
        let slot = self.reserve_slot(&ty);
        let own_hint = naming::joined_type(hint).bare().to_string();
        let model = build(self, ty.clone(), &own_hint)?;
        let key = structural_key(&model);
        if let Some(existing) = self.structural.get(&key).cloned() {
            // Nothing refers to the new type yet: its slot is simply left empty. The shared
            // type remembers the name this use suggested too.
            self.slot_of.remove(&ty.id());
            if let Some(hints) = self.unnamed.get_mut(&existing.id()) {
                hints.1.push(own_hint);
            }
            return Ok(existing);
        }
        self.structural.insert(key, ty.clone());
        self.models[slot] = Some(model);
        self.unnamed.insert(ty.id(), (ty.clone(), vec![own_hint]));
        Ok(ty)
    }

    /// Names the hoisted types, in the order they were created, after every component name
    /// is taken: a collision between two suggested names resolves the same way however the
    /// spec orders its references.
    pub(super) fn name_hoisted_types(&mut self) {
        for (_, (ty, hints)) in std::mem::take(&mut self.unnamed) {
            let name = shared_name(&hints);
            ty.set_name(self.types.allocate(naming::joined_type(&name), "Inline"));
        }
    }

    /// The type of a schema used in place; the bool is the schema's nullability.
    ///
    /// A reference is not lowered here: every component is lowered once, in spec order, by
    /// [`lower`], so a long chain of references never becomes a deep recursion.
    pub(super) fn lower_schema(
        &mut self,
        s: &'a Schema,
        hint: &str,
        ptr: &str,
    ) -> Result<(TypeRef, bool)> {
        match &s.reference {
            Some(r) => {
                let (name, schema) = self.component_schema(r, ptr)?;
                let ty = self
                    .component_names
                    .get(name)
                    .cloned()
                    .ok_or_else(|| self.err(ptr, format!("dangling $ref {r:?}")))?;
                Ok((
                    TypeRef::Named(ty),
                    super::unions::nullable(schema) || s.nullable,
                ))
            }
            None => self.lower_view(s, hint, ptr),
        }
    }

    pub(super) fn lower_view(
        &mut self,
        v: &'a Schema,
        hint: &str,
        ptr: &str,
    ) -> Result<(TypeRef, bool)> {
        let nullable = super::unions::nullable(v);
        if let Some(what) = unsupported(v) {
            return Err(self.err(ptr, format!("unsupported construct `{what}`")));
        }
        self.check_format(v);
        if let Some(only) = super::unions::single_member(v) {
            // `oneOf: [X, null]` is a nullable X, not a type of its own.
            let (ty, inner_nullable) = self.lower_schema(only, hint, &only.pointer)?;
            return Ok((ty, nullable || inner_nullable));
        }
        if super::unions::parts(v).is_some() || v.types.len() > 1 {
            return Ok((TypeRef::Named(self.hoist(hint, v, ptr)?), nullable));
        }
        if !v.all_of.is_empty() {
            // `allOf: [$ref]` with nothing added is the referenced type itself.
            if let [only] = v.all_of.as_slice() {
                if only.reference.is_some() && v.properties.is_empty() && v.required.is_empty() {
                    let (ty, _) = self.lower_schema(only, hint, &only.pointer)?;
                    return Ok((ty, nullable));
                }
            }
            if let Some(part) = self.refined_part(v)? {
                let (ty, inner) = self.lower_schema(part, hint, &part.pointer)?;
                return Ok((
                    ty,
                    nullable || inner || super::refine::refinement_nullable(v),
                ));
            }
            return Ok((TypeRef::Named(self.hoist(hint, v, ptr)?), nullable));
        }
        if is_enum(v) {
            return Ok((TypeRef::Named(self.hoist(hint, v, ptr)?), nullable));
        }
        let ty = match single_type(v) {
            Some(SchemaType::String) => string_type(v),
            Some(SchemaType::Integer) => integer_type(v),
            Some(SchemaType::Number) => match v.format.as_deref() {
                Some("float") => TypeRef::F32,
                _ => TypeRef::F64,
            },
            Some(SchemaType::Boolean) => TypeRef::Bool,
            Some(SchemaType::Array) => {
                let item = match &v.items {
                    Some(items) => {
                        self.lower_schema(items, &format!("{hint}Item"), &items.pointer)?
                            .0
                    }
                    None => TypeRef::Any,
                };
                // `items` beside a tuple describes what follows it: one element type only
                // when the positions and the rest agree, else any JSON value.
                let item = match self.tuple_item(v, hint)? {
                    _ if v.prefix_items.is_empty() => item,
                    Some(t) if v.items.is_none() || t == item => t,
                    _ => TypeRef::Any,
                };
                TypeRef::Vec(Box::new(item))
            }
            Some(SchemaType::Object) | None if !v.properties.is_empty() => {
                TypeRef::Named(self.hoist(hint, v, ptr)?)
            }
            Some(SchemaType::Object) => match &v.additional {
                Some(Additional::Schema(s)) => {
                    let inner = self.lower_schema(s, &format!("{hint}Value"), &s.pointer)?.0;
                    if inner == TypeRef::Any {
                        TypeRef::FreeForm
                    } else {
                        TypeRef::Map(Box::new(inner))
                    }
                }
                _ => TypeRef::FreeForm,
            },
            None => TypeRef::Any,
        };
        Ok((ty, nullable))
    }
}

impl<'a> Lowerer<'a> {
    /// The one element type of a 3.1 tuple (`prefixItems`) whose positions all have the same
    /// type (a point `[x, y]`); `None` for no tuple or positions of different types, which
    /// stay JSON values.
    fn tuple_item(&mut self, v: &'a Schema, hint: &str) -> Result<Option<TypeRef>> {
        let mut common: Option<TypeRef> = None;
        for position in &v.prefix_items {
            let t = self
                .lower_schema(position, &format!("{hint}Item"), &position.pointer)?
                .0;
            match &common {
                Some(c) if *c != t => return Ok(None),
                _ => common = Some(t),
            }
        }
        Ok(common)
    }
}

/// Words lowering itself appends to suggested names; a shared name starting with one of them
/// (`ResponseOrder`) says nothing the spec said.
const HINT_WORDS: &[&str] = &["Response", "Request", "Body", "Item", "Value"];

/// The name of a type several inline schemas share: the words their suggested names end with
/// in common (`GetUsersSortOrder` and `GetAccessKeysSortOrder` share `SortOrder`), when that
/// is at least two words and does not start with a word of lowering's own; otherwise the first
/// suggestion.
fn shared_name(hints: &[String]) -> String {
    let Some((first, rest)) = hints.split_first() else {
        return String::new();
    };
    let words = |h: &str| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for c in h.chars() {
            match out.last_mut() {
                Some(w) if !c.is_ascii_uppercase() => w.push(c),
                _ => out.push(c.to_string()),
            }
        }
        out
    };
    let mut common = words(first);
    for h in rest {
        let other = words(h);
        let shared = common
            .iter()
            .rev()
            .zip(other.iter().rev())
            .take_while(|(a, b)| a == b)
            .count();
        common = common.split_off(common.len() - shared);
    }
    let meaningful = common.len() >= 2
        && !common
            .first()
            .is_some_and(|w| HINT_WORDS.contains(&w.as_str()));
    if meaningful {
        common.concat()
    } else {
        first.clone()
    }
}

/// What makes two hoisted models the same type: everything but their identity. Nested types
/// appear by id, and were merged before their parent, so equal keys mean equal types.
fn structural_key(m: &Model) -> String {
    match m {
        Model::Struct(s) => format!(
            "struct {:?} {:?} {} {:?}",
            s.description, s.fields, s.keep_unknown, s.extra_field
        ),
        Model::Enum(e) => format!("enum {:?} {:?} {}", e.description, e.variants, e.integer),
        Model::Alias(a) => format!("alias {:?} {:?}", a.description, a.target),
        Model::Union(u) => format!(
            "union {:?} {:?} {:?} {}",
            u.description, u.variants, u.matching, u.any_of
        ),
    }
}
