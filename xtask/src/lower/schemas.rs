//! Schemas: a normalised view over openapiv3's schema kinds, `allOf` merging, and the models
//! that component and inline schemas become (structs, open enums, aliases).

use super::*;

/// A schema reference, from either of openapiv3's two boxings.
#[derive(Clone, Copy)]
pub(super) enum SRef<'s> {
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
pub(super) struct View<'s> {
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

pub(super) fn view(schema: &Schema) -> View<'_> {
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
pub(super) struct Merged<'s> {
    properties: Vec<(String, SRef<'s>)>,
    required: BTreeSet<String>,
    keep_unknown: bool,
    description: Option<String>,
}

impl<'a> Lowerer<'a> {
    pub(super) fn view_of(&self, s: SRef<'a>, ptr: &str) -> Result<View<'a>> {
        match s {
            SRef::Inline(schema) => Ok(view(schema)),
            SRef::Ref(r) => Ok(view(self.component_schema(r, ptr)?.1)),
        }
    }

    /// Lowers a component schema to its model (once); returns its type name.
    pub(super) fn component(&mut self, name: &str) -> Result<Ident> {
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
    pub(super) fn model_for(&mut self, name: Ident, v: View<'a>, ptr: &str) -> Result<Model> {
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

    pub(super) fn enum_model(&mut self, name: Ident, v: &View<'a>, ptr: &str) -> Result<EnumModel> {
        if v.typ.as_deref().unwrap_or("string") != "string" {
            return Err(self.err(
                ptr,
                "unsupported construct: an enum that is not of type string",
            ));
        }
        // Variants keep their natural names; the catch-all steps around them (usage.rs).
        let mut scope = Scope::default();
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
            request_only: false,
        })
    }

    /// Merges `allOf` parts and the schema's own properties into one object.
    pub(super) fn merge(&self, v: &View<'a>, ptr: &str) -> Result<Merged<'a>> {
        let mut out = Merged {
            properties: Vec::new(),
            required: BTreeSet::new(),
            keep_unknown: true,
            description: v.description.clone(),
        };
        self.merge_into(v, ptr, &mut out, 0)?;
        Ok(out)
    }

    pub(super) fn merge_into(
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

    pub(super) fn struct_model(
        &mut self,
        name: Ident,
        m: Merged<'a>,
        ptr: &str,
    ) -> Result<StructModel> {
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
                    self.component_schema(r, &f_ptr)?
                        .1
                        .schema_data
                        .description
                        .clone(),
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
    pub(super) fn hoist(&mut self, hint: &str, v: View<'a>, ptr: &str) -> Result<Ident> {
        let name = self.types.allocate(naming::joined_type(hint), "Inline");
        let slot = self.models.len();
        self.models.push(None);
        let model = self.model_for(name.clone(), v, ptr)?;
        self.models[slot] = Some(model);
        Ok(name)
    }

    /// The type of a schema used in place; the bool is the schema's `nullable`.
    pub(super) fn lower_schema(
        &mut self,
        s: SRef<'a>,
        hint: &str,
        ptr: &str,
    ) -> Result<(TypeRef, bool)> {
        match s {
            SRef::Ref(r) => {
                let (name, schema) = self.component_schema(r, ptr)?;
                let ident = self.component(name)?;
                Ok((TypeRef::Named(ident), schema.schema_data.nullable))
            }
            SRef::Inline(schema) => self.lower_view(view(schema), hint, ptr),
        }
    }

    pub(super) fn lower_view(
        &mut self,
        v: View<'a>,
        hint: &str,
        ptr: &str,
    ) -> Result<(TypeRef, bool)> {
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
}
