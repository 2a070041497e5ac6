//! `allOf` that refines one value instead of composing an object.
//!
//! OpenAPI 3.0 ignores keywords beside a `$ref`, so specs wrap the reference to say more about
//! it: `allOf: [$ref: Status]` with a description, `allOf: [$ref: Id, {nullable: true}]`,
//! `allOf: [{type: string}, {maxLength: 3}]`. The parts that say what the value is agree on
//! one type that is not an object; the other parts only annotate or constrain it, which the
//! Rust type does not carry. Such a schema is the type of its shaping part. Object parts go
//! to the struct merge instead (`schemas.rs`), which refuses non-object parts.

use super::schemas::{is_enum, object_like, single_type};
use super::*;
use crate::spec::{Schema, SchemaType};

/// How deep `allOf` refinements may wrap each other (`A: allOf: [$ref B]`, `B: allOf: ...`).
const MAX_REFINE_DEPTH: usize = 32;

/// Whether a part says what the value is, rather than only annotating or constraining it
/// (`description`, `nullable`, `maxLength`, `not`, ...).
fn shapes_value(s: &Schema) -> bool {
    s.reference.is_some()
        || !s.types.is_empty()
        || !s.enumeration.is_empty()
        || s.constant.is_some()
        || !s.one_of.is_empty()
        || !s.any_of.is_empty()
        || !s.all_of.is_empty()
        || !s.properties.is_empty()
        || s.items.is_some()
        || !s.prefix_items.is_empty()
        || s.additional.is_some()
}

/// A plain scalar: one primitive type and no union, which an inline constraint part may
/// repeat (`{type: string}` beside `{$ref: Id}`). Only asked of parts that are not enums.
fn plain_scalar(s: &Schema) -> Option<SchemaType> {
    let plain = s.one_of.is_empty() && s.any_of.is_empty();
    single_type(s).filter(|t| {
        plain
            && matches!(
                t,
                SchemaType::String | SchemaType::Integer | SchemaType::Number | SchemaType::Boolean
            )
    })
}

impl<'a> Lowerer<'a> {
    /// The part `v` refines, when `v` is an `allOf` that refines one non-object value (see the
    /// module documentation); `None` when it composes an object or its shaping parts disagree.
    pub(super) fn refined_part(&self, v: &'a Schema) -> Result<Option<&'a Schema>> {
        self.refined_part_at(v, 0)
    }

    fn refined_part_at(&self, v: &'a Schema, depth: usize) -> Result<Option<&'a Schema>> {
        if v.all_of.is_empty() || object_like(v) {
            return Ok(None);
        }
        if depth > MAX_REFINE_DEPTH {
            return Err(self.err(&v.pointer, "allOf nests too deeply (a cycle?)"));
        }
        let mut chosen: Option<&'a Schema> = None;
        for part in v.all_of.iter().filter(|p| shapes_value(p)) {
            let target = self.deref(part)?;
            if !target.all_of.is_empty() && self.refined_part_at(target, depth + 1)?.is_none() {
                return Ok(None);
            }
            if target.all_of.is_empty() && object_like(target) {
                return Ok(None);
            }
            chosen = match chosen {
                None => Some(part),
                Some(first) => match self.second_part(first, part)? {
                    Some(kept) => Some(kept),
                    None => return Ok(None),
                },
            };
        }
        Ok(chosen)
    }

    /// Of two shaping parts, the one the value's type comes from: they must be the same plain
    /// scalar type, or one a named (or enum) type and the other that type's plain repetition;
    /// two named types, or two different types, are no refinement.
    fn second_part(&self, first: &'a Schema, second: &'a Schema) -> Result<Option<&'a Schema>> {
        let (a, b) = (self.deref(first)?, self.deref(second)?);
        let rich = |part: &Schema, target: &Schema| part.reference.is_some() || is_enum(target);
        let same_type = single_type(a).is_some() && single_type(a) == single_type(b);
        Ok(match (rich(first, a), rich(second, b)) {
            _ if !same_type => None,
            (true, true) => None,
            (true, false) => plain_scalar(b).map(|_| first),
            (false, true) => plain_scalar(a).map(|_| second),
            (false, false) => plain_scalar(a).and(plain_scalar(b)).map(|_| first),
        })
    }

    /// The description of a refining `allOf`: the first one its annotation parts give, else
    /// that of the type it refines. `None` when `v` is no refinement.
    pub(super) fn refinement_description(&self, v: &'a Schema) -> Result<Option<String>> {
        let Some(part) = self.refined_part(v)? else {
            return Ok(None);
        };
        let own = v.all_of.iter().filter(|p| !shapes_value(p));
        Ok(match own.filter_map(|p| p.description.clone()).next() {
            Some(d) => Some(d),
            None => self.deref(part)?.description.clone(),
        })
    }
}

/// Whether an annotation part of `v` marks the value nullable (`allOf: [$ref: X,
/// {nullable: true}]`), which is what authors of that pattern mean.
pub(super) fn refinement_nullable(v: &Schema) -> bool {
    v.all_of.iter().any(|p| !shapes_value(p) && p.nullable)
}
