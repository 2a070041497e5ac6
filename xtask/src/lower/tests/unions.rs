//! Unions (`lower/unions.rs`): the names, tags and descriptions of their variants, members that
//! make them nullable, and 3.1 lists of types.

use super::schemas::{returning_a, returning_a31};
use super::*;

fn union_of<'a>(api: &'a Api, name: &str) -> &'a UnionModel {
    match model(api, name) {
        Model::Union(u) => u,
        other => panic!("{name} is not a union: {other:?}"),
    }
}

fn variant_names(u: &UnionModel) -> Vec<&str> {
    u.variants.iter().map(|v| v.name.bare()).collect()
}

#[test]
fn variants_are_named_by_reference_title_or_type() {
    let (api, _) = lowered(&returning_a(
        "    A:\n      oneOf:\n        - {$ref: '#/components/schemas/B'}\n        - {title: Circle, type: object, properties: {r: {type: number}}}\n        - {properties: {w: {type: number}}}\n        - {type: string}\n        - {}\n    B: {type: object, properties: {x: {type: string}}}\n",
    ));
    assert_eq!(
        variant_names(union_of(&api, "A")),
        ["B", "Circle", "Object", "String", "Value"]
    );
}

#[test]
fn inline_members_of_a_discriminated_union_are_named_and_tagged_by_their_one_value() {
    let (api, _) = lowered(&returning_a31(
        "    A:\n      oneOf:\n        - {type: object, properties: {size: {type: integer}, kind: {type: string, enum: [circle]}}}\n        - {type: object, properties: {kind: {type: string, const: square}}}\n      discriminator: {propertyName: kind}\n",
    ));
    let a = union_of(&api, "A");
    assert_eq!(variant_names(a), ["Circle", "Square"]);
    let tags: Vec<&[String]> = a.variants.iter().map(|v| v.tags.as_slice()).collect();
    assert_eq!(tags, [["circle"], ["square"]]);
    // A tag property of two values names no one variant.
    let err = error_of(&returning_a(
        "    A:\n      oneOf:\n        - {type: object, properties: {kind: {type: string, enum: [a, b]}}}\n      discriminator: {propertyName: kind}\n    B:\n      oneOf:\n        - {type: object, properties: {kind: {type: string, enum: [a, b]}}}\n        - {type: object, properties: {kind: {type: string, enum: [c]}}}\n      discriminator: {propertyName: kind}\n",
    ));
    assert!(
        err.starts_with(
            "t.yaml#/components/schemas/B/oneOf/0: an inline member of a discriminated union needs a one-value `enum` or `const` for \"kind\""
        ),
        "{err}"
    );
}

/// Pet: a discriminated union of Cat and Dog with `mapping` (YAML flow mapping).
fn pets(mapping: &str) -> String {
    returning_a(&format!(
        "    A: {{type: object, properties: {{pet: {{$ref: '#/components/schemas/Pet'}}}}}}\n    Pet:\n      oneOf: [{{$ref: '#/components/schemas/Cat'}}, {{$ref: '#/components/schemas/Dog'}}]\n      discriminator: {{propertyName: kind, mapping: {mapping}}}\n    Cat: {{type: object, properties: {{kind: {{type: string}}}}}}\n    Dog: {{type: object, properties: {{kind: {{type: string}}}}}}\n    Bird: {{type: object, properties: {{kind: {{type: string}}}}}}\n"
    ))
}

#[test]
fn a_mapping_names_members_by_reference_or_bare_name_and_warns_about_strangers() {
    let (api, d) = lowered(&pets(
        "{kitty: Cat, puppy: '#/components/schemas/Dog', tweety: '#/components/schemas/Bird'}",
    ));
    let tags: Vec<&[String]> = union_of(&api, "Pet")
        .variants
        .iter()
        .map(|v| v.tags.as_slice())
        .collect();
    assert_eq!(tags, [["kitty"], ["puppy"]]);
    assert_eq!(
        d.lines(),
        [
            "t.yaml#/components/schemas/Pet/discriminator/mapping/tweety: warning: \"tweety\" maps to \"#/components/schemas/Bird\", which is not a member of the union: values tagged so are kept as unknown"
        ]
    );
}

#[test]
fn a_tag_value_that_selects_two_members_is_an_error() {
    // Cat is also tagged `Dog`, the tag Dog has by its name.
    let err = error_of(&pets("{Dog: Cat}"));
    assert_eq!(
        err,
        "t.yaml#/components/schemas/Pet/discriminator: the tag value \"Dog\" selects two members"
    );
}

#[test]
fn a_member_that_admits_null_makes_the_union_nullable() {
    let (api, _) = lowered(&returning_a(
        "    A:\n      type: object\n      properties:\n        p: {oneOf: [{type: string, nullable: true}, {type: integer}]}\n        q: {oneOf: [{type: string}, {}]}\n        r: {oneOf: [{type: string}, {nullable: true}]}\n",
    ));
    let Model::Struct(a) = model(&api, "A") else {
        panic!("A is not a struct")
    };
    let shape = |i: usize| {
        let f = &a.fields[i];
        let TypeRef::Named(n) = &f.ty else {
            panic!("{} is not a union: {:?}", f.wire_name, f.ty)
        };
        let Some(Model::Union(u)) = api.model(n.id()) else {
            panic!("{} is not a union", f.wire_name)
        };
        (f.nullable, variant_names(u))
    };
    // A nullable string is still a string variant, and it makes the whole union nullable.
    assert_eq!(shape(0), (true, vec!["String", "Integer"]));
    // `{}` admits anything, null among others, but is a variant and not a null member.
    assert_eq!(shape(1), (false, vec!["String", "Value"]));
    // A member that is only `nullable` admits null alone: the rest is a nullable string.
    assert_eq!(
        (a.fields[2].nullable, &a.fields[2].ty),
        (true, &TypeRef::String)
    );
}

#[test]
fn variants_are_described_by_their_member_or_its_component() {
    let (api, _) = lowered(&returning_a(
        "    A:\n      oneOf:\n        - {$ref: '#/components/schemas/B'}\n        - {$ref: '#/components/schemas/C'}\n        - {type: string, description: a name}\n        - {type: integer}\n    B: {type: object, description: a bee, properties: {x: {type: string}}}\n    C: {type: object, properties: {y: {type: string}}}\n",
    ));
    let descriptions: Vec<Option<&str>> = union_of(&api, "A")
        .variants
        .iter()
        .map(|v| v.description.as_deref())
        .collect();
    assert_eq!(descriptions, [Some("a bee"), None, Some("a name"), None]);
}

#[test]
fn a_list_of_types_lowers_arrays_by_their_items_and_objects_without_their_properties() {
    let (api, d) = lowered(&returning_a31(
        "    A: {type: [object, array, boolean, number], properties: {x: {type: string}}, items: {type: integer}}\n    B: {type: [object, array]}\n",
    ));
    let tys = |name: &str| -> Vec<(String, TypeRef)> {
        union_of(&api, name)
            .variants
            .iter()
            .map(|v| (v.name.bare().to_string(), v.ty.clone()))
            .collect()
    };
    let v = |name: &str, ty: TypeRef| (name.to_string(), ty);
    assert_eq!(
        tys("A"),
        [
            v("Object", TypeRef::FreeForm),
            v("Array", TypeRef::Vec(Box::new(TypeRef::I64))),
            v("Boolean", TypeRef::Bool),
            v("Number", TypeRef::F64)
        ]
    );
    assert_eq!(
        tys("B"),
        [
            v("Object", TypeRef::FreeForm),
            v("Array", TypeRef::Vec(Box::new(TypeRef::Any)))
        ]
    );
    // Only A's properties are dropped, so only A is warned about.
    assert_eq!(
        d.lines(),
        [
            "t.yaml#/components/schemas/A: warning: the properties of an object in a list of types are not generated: the object variant holds any JSON object"
        ]
    );
}
