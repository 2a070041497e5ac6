//! Unions: `oneOf`, `anyOf` and 3.1 type lists become an enum with one variant per member.
//!
//! - With a `discriminator`, the enum is tagged: the named string member picks the variant
//!   (through `mapping`, or the referenced schema's name where `mapping` is silent, or the
//!   one-value `enum`/`const` an inline variant gives the member), and a value this crate does
//!   not know is kept whole in a catch-all variant.
//! - Without one, the variants are tried in the order the spec lists them and the first that
//!   decodes wins; the emitted docs say so.
//! - A member that is only `null` makes the union nullable instead of adding a variant, and a
//!   union left with one variant is that variant's type.

use super::*;
use crate::error::pointer_token;
use crate::spec::{Schema, SchemaType};

/// A type with its aliases followed.
enum Resolved<'t> {
    /// A struct, enum or union.
    Model(&'t Model),
    /// A type that is not a generated model (or names none).
    Type(&'t TypeRef),
}

/// A union's members and whether the spec wrote `anyOf`.
pub(super) fn parts(s: &Schema) -> Option<(&[Schema], bool)> {
    if !s.one_of.is_empty() {
        Some((&s.one_of, false))
    } else if !s.any_of.is_empty() {
        Some((&s.any_of, true))
    } else {
        None
    }
}

/// Whether a schema admits only `null` (3.1 `type: 'null'`, read as `const: null`).
fn is_null(s: &Schema) -> bool {
    s.reference.is_none()
        && s.types.is_empty()
        && (s.nullable || s.constant == Some(Value::Null))
        && s.properties.is_empty()
        && s.all_of.is_empty()
        && s.one_of.is_empty()
        && s.any_of.is_empty()
        && s.items.is_none()
        && s.enumeration.iter().all(Value::is_null)
}

/// The one member of a union that has no other member but `null`, when the union schema says
/// nothing else (no discriminator, properties or documentation of its own to keep).
pub(super) fn single_member(s: &Schema) -> Option<&Schema> {
    let (members, _) = parts(s)?;
    let mut rest = members.iter().filter(|m| !is_null(m));
    let only = rest.next()?;
    let plain = s.discriminator.is_none() && s.properties.is_empty() && s.all_of.is_empty();
    (rest.next().is_none() && plain).then_some(only)
}

/// Whether a schema admits `null`: `nullable`, or a union with a `null` member.
pub(super) fn nullable(s: &Schema) -> bool {
    s.nullable || parts(s).is_some_and(|(p, _)| p.iter().any(|m| is_null(m) || m.nullable))
}

/// The spec word of a JSON type, as a variant name.
fn type_word(t: SchemaType) -> &'static str {
    match t {
        SchemaType::String => "String",
        SchemaType::Number => "Number",
        SchemaType::Integer => "Integer",
        SchemaType::Boolean => "Boolean",
        SchemaType::Object => "Object",
        SchemaType::Array => "Array",
    }
}

impl<'a> Lowerer<'a> {
    /// What `ty` is once aliases are followed: the model it names, or a type that names none.
    fn resolved<'t>(&'t self, ty: &'t TypeRef) -> Resolved<'t> {
        let mut t = ty;
        for _ in 0..16 {
            match t {
                TypeRef::Named(n) => match self.find_model(n) {
                    Some(Model::Alias(a)) => t = &a.target,
                    Some(m) => return Resolved::Model(m),
                    None => return Resolved::Type(t),
                },
                other => return Resolved::Type(other),
            }
        }
        Resolved::Type(t)
    }

    /// Whether `ty` is (an alias of) a union, or a list of them.
    pub(super) fn is_union(&self, ty: &TypeRef) -> bool {
        match self.resolved(ty) {
            Resolved::Model(m) => matches!(m, Model::Union(_)),
            Resolved::Type(TypeRef::Vec(inner) | TypeRef::Boxed(inner)) => {
                matches!(self.resolved(inner), Resolved::Model(Model::Union(_)))
            }
            Resolved::Type(_) => false,
        }
    }

    /// Whether `ty` is (an alias of) an object: a struct, a free-form object or a map.
    pub(super) fn is_object(&self, ty: &TypeRef) -> bool {
        match self.resolved(ty) {
            Resolved::Model(m) => matches!(m, Model::Struct(_)),
            Resolved::Type(t) => matches!(t, TypeRef::FreeForm | TypeRef::Map(_)),
        }
    }

    /// Whether `ty` is (an alias of) an array.
    pub(super) fn is_list(&self, ty: &TypeRef) -> bool {
        matches!(self.resolved(ty), Resolved::Type(TypeRef::Vec(_)))
    }

    /// The model of a union schema (or of a 3.1 list of types).
    pub(super) fn union_model(
        &mut self,
        name: TypeName,
        hint: &str,
        v: &'a Schema,
        ptr: &str,
    ) -> Result<Model> {
        let Some((members, any_of)) = parts(v) else {
            return self.type_list_union(name, hint, v, ptr);
        };
        if !v.properties.is_empty() || !v.all_of.is_empty() {
            return Err(self.err(
                ptr,
                "unsupported construct: `oneOf`/`anyOf` beside `properties` or `allOf` (put the shared properties in each member)",
            ));
        }
        let mut scope = Scope::default();
        let mut variants = Vec::new();
        let mut member_of_variant = Vec::new();
        for m in members {
            if is_null(m) {
                continue;
            }
            let wanted = self.variant_name(m, v)?;
            let vname = scope.allocate(naming::pascal(&wanted), "Variant");
            let (ty, _) = self.lower_schema(m, &format!("{hint}{}", vname.bare()), &m.pointer)?;
            let description = match (&m.description, &m.reference) {
                (Some(d), _) => Some(d.clone()),
                (None, Some(_)) => self.deref(m)?.description.clone(),
                (None, None) => None,
            };
            variants.push(UnionVariant {
                name: vname,
                ty,
                tags: Vec::new(),
                description,
            });
            member_of_variant.push(m);
        }
        if let [_] = variants.as_slice() {
            if let Some(only) = variants.pop() {
                return Ok(Model::Alias(AliasModel {
                    name,
                    description: v.description.clone(),
                    target: only.ty,
                }));
            }
        }
        if variants.is_empty() {
            return Err(self.err(ptr, "a union with no member other than `null`"));
        }
        let matching = match &v.discriminator {
            Some(d) => {
                self.assign_tags(d, &mut variants, &member_of_variant, ptr)?;
                UnionMatching::Tagged {
                    property: d.property_name.clone(),
                    catch_all: scope.allocate(naming::pascal("Unknown"), "Value"),
                }
            }
            None => UnionMatching::Untagged,
        };
        Ok(Model::Union(UnionModel {
            name,
            description: v.description.clone(),
            variants,
            matching,
            any_of,
        }))
    }

    /// A 3.1 `type: [string, integer]`: one variant per type.
    fn type_list_union(
        &mut self,
        name: TypeName,
        hint: &str,
        v: &'a Schema,
        ptr: &str,
    ) -> Result<Model> {
        let mut variants = Vec::new();
        for t in &v.types {
            let ty = match t {
                SchemaType::String => super::schemas::string_type(v),
                SchemaType::Integer => super::schemas::integer_type(v),
                SchemaType::Number => TypeRef::F64,
                SchemaType::Boolean => TypeRef::Bool,
                SchemaType::Array => match &v.items {
                    Some(items) => TypeRef::Vec(Box::new(
                        self.lower_schema(items, &format!("{hint}Item"), &items.pointer)?
                            .0,
                    )),
                    None => TypeRef::Vec(Box::new(TypeRef::Any)),
                },
                SchemaType::Object => {
                    if !v.properties.is_empty() {
                        self.diagnostics.warn(
                            ptr,
                            "the properties of an object in a list of types are not generated: the object variant holds any JSON object",
                        );
                    }
                    TypeRef::FreeForm
                }
            };
            variants.push(UnionVariant {
                name: naming::pascal(type_word(*t)),
                ty,
                tags: Vec::new(),
                description: None,
            });
        }
        Ok(Model::Union(UnionModel {
            name,
            description: v.description.clone(),
            variants,
            matching: UnionMatching::Untagged,
            any_of: false,
        }))
    }

    /// The name a member suggests for its variant: the referenced schema's name, its
    /// `title`, the tag value it declares, or its type.
    fn variant_name(&self, m: &'a Schema, union: &Schema) -> Result<String> {
        if let Some(r) = &m.reference {
            return Ok(self.component_schema(r, &m.pointer)?.0.to_string());
        }
        if let Some(t) = &m.title {
            return Ok(t.clone());
        }
        if let Some(tag) = union
            .discriminator
            .as_ref()
            .and_then(|d| declared_tag(m, &d.property_name))
        {
            return Ok(tag);
        }
        Ok(match m.types.as_slice() {
            [t] => type_word(*t).to_string(),
            _ if !m.properties.is_empty() => "Object".to_string(),
            _ => "Value".to_string(),
        })
    }

    /// Gives each variant of a discriminated union its tag values.
    fn assign_tags(
        &mut self,
        d: &crate::spec::Discriminator,
        variants: &mut [UnionVariant],
        members: &[&'a Schema],
        ptr: &str,
    ) -> Result<()> {
        let component_of = |m: &Schema| {
            m.reference
                .as_deref()
                .and_then(crate::spec::Schema::component_name)
        };
        for (value, target) in &d.mapping {
            // A mapping value is a reference or, as the specification allows, a bare name.
            let target_name =
                crate::spec::Schema::component_name(target).unwrap_or_else(|| target.clone());
            match members
                .iter()
                .position(|m| component_of(m).as_deref() == Some(target_name.as_str()))
            {
                Some(i) => variants[i].tags.push(value.clone()),
                None => self.diagnostics.warn(
                    &format!("{ptr}/discriminator/mapping/{}", pointer_token(value)),
                    format!("{value:?} maps to {target:?}, which is not a member of the union: values tagged so are kept as unknown"),
                ),
            }
        }
        for (variant, member) in variants.iter_mut().zip(members) {
            if !variant.tags.is_empty() {
                continue;
            }
            let implicit = match component_of(member) {
                Some(name) => Some(name),
                None => declared_tag(member, &d.property_name),
            };
            match implicit {
                Some(tag) => variant.tags.push(tag),
                None => {
                    return Err(self.err(
                        &member.pointer,
                        format!(
                            "an inline member of a discriminated union needs a one-value `enum` or `const` for {:?} (or a `mapping` entry)",
                            d.property_name
                        ),
                    ));
                }
            }
        }
        let mut seen = BTreeSet::new();
        for variant in variants.iter() {
            for tag in &variant.tags {
                if !seen.insert(tag.clone()) {
                    return Err(self.err(
                        &format!("{ptr}/discriminator"),
                        format!("the tag value {tag:?} selects two members"),
                    ));
                }
            }
        }
        Ok(())
    }
}

/// The one value an inline member gives the tag property (`enum: [circle]` or `const`).
fn declared_tag(m: &Schema, property: &str) -> Option<String> {
    let (_, p) = m.properties.iter().find(|(n, _)| n == property)?;
    let values = match (&p.constant, p.enumeration.as_slice()) {
        (Some(c), _) => std::slice::from_ref(c),
        (None, values) => values,
    };
    match values {
        [Value::String(s)] => Some(s.clone()),
        _ => None,
    }
}
