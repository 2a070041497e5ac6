//! What each kind of schema lowers to (`lower/schemas.rs`): the models of component schemas,
//! the types of inline ones, `allOf` merging, enums and the names of shared inline types.

use super::*;

/// A 3.0 spec whose one operation returns component `A`, with `schemas` as its components.
pub(super) fn returning_a(schemas: &str) -> String {
    doc(
        &get_returning("/a", "getA", "{$ref: '#/components/schemas/A'}"),
        schemas,
    )
}

/// [`returning_a`] in OpenAPI 3.1.
pub(super) fn returning_a31(schemas: &str) -> String {
    doc31(
        &get_returning("/a", "getA", "{$ref: '#/components/schemas/A'}"),
        schemas,
    )
}

/// The model a field's type names.
fn named<'a>(api: &'a Api, ty: &TypeRef) -> &'a Model {
    match ty {
        TypeRef::Named(n) => model(api, &n.bare()),
        other => panic!("{other:?} names no model"),
    }
}

fn struct_of<'a>(api: &'a Api, name: &str) -> &'a StructModel {
    match model(api, name) {
        Model::Struct(s) => s,
        other => panic!("{name} is not a struct: {other:?}"),
    }
}

/// Each field's wire name and whether it is required.
fn required(s: &StructModel) -> Vec<(&str, bool)> {
    s.fields
        .iter()
        .map(|f| (f.wire_name.as_str(), f.required))
        .collect()
}

/// The wire values of an enum model.
fn wire_values(m: &Model) -> Vec<&str> {
    match m {
        Model::Enum(e) => e.variants.iter().map(|(_, w)| w.as_str()).collect(),
        other => panic!("not an enum: {other:?}"),
    }
}

fn alias_target<'a>(api: &'a Api, name: &str) -> &'a TypeRef {
    match model(api, name) {
        Model::Alias(a) => &a.target,
        other => panic!("{name} is not an alias: {other:?}"),
    }
}

#[test]
fn a_bare_not_is_refused_while_not_beside_a_union_or_a_type_only_narrows_it() {
    let (api, d) = lowered(&returning_a31(
        "    A:\n      type: object\n      properties:\n        u: {oneOf: [{type: string}, {type: integer}], not: {type: boolean}}\n        s: {type: string, not: {enum: [x]}}\n        any: {}\n",
    ));
    let types = field_types(&api, "A");
    assert!(matches!(named(&api, types[0].1), Model::Union(_)));
    assert_eq!(
        types[1..],
        [("s", &TypeRef::String), ("any", &TypeRef::Any)]
    );
    assert_eq!(d.lines(), Vec::<String>::new());
    let err = error_of(&returning_a(
        "    A: {type: string}\n    B: {not: {type: string}}\n",
    ));
    assert_eq!(
        err,
        "t.yaml#/components/schemas/B: unsupported construct `not`"
    );
}

#[test]
fn a_const_is_a_one_value_enum_unless_an_enum_is_listed_too() {
    let (api, _) = lowered(&returning_a31(
        "    A:\n      type: object\n      properties:\n        kind: {type: string, const: fixed}\n        both: {type: string, const: a, enum: [b, c]}\n",
    ));
    let types = field_types(&api, "A");
    assert_eq!(wire_values(named(&api, types[0].1)), ["fixed"]);
    assert_eq!(wire_values(named(&api, types[1].1)), ["b", "c"]);
}

#[test]
fn a_list_of_types_is_a_union_as_a_component_and_inline() {
    let (api, _) = lowered(&returning_a31(
        "    A: {type: [string, integer]}\n    B:\n      type: object\n      properties:\n        v: {type: [string, integer]}\n",
    ));
    let Model::Union(a) = model(&api, "A") else {
        panic!("A is not a union")
    };
    let tys: Vec<&TypeRef> = a.variants.iter().map(|v| &v.ty).collect();
    assert_eq!(tys, [&TypeRef::String, &TypeRef::I64]);
    assert!(matches!(
        named(&api, field_types(&api, "B")[0].1),
        Model::Union(_)
    ));
}

#[test]
fn all_of_one_reference_is_an_alias_only_when_nothing_is_added() {
    let (api, _) = lowered(&returning_a(concat!(
        "    B: {type: object, properties: {x: {type: string}}}\n",
        "    A: {allOf: [{$ref: '#/components/schemas/B'}]}\n",
        "    WithProperty: {allOf: [{$ref: '#/components/schemas/B'}], properties: {y: {type: integer}}}\n",
        "    WithRequired: {allOf: [{$ref: '#/components/schemas/B'}], required: [x]}\n",
        "    Closed: {allOf: [{$ref: '#/components/schemas/B'}], additionalProperties: false}\n",
        "    Inline: {allOf: [{type: object, properties: {w: {type: string}}}]}\n",
    )));
    assert!(matches!(alias_target(&api, "A"), TypeRef::Named(n) if n.bare() == "B"));
    assert_eq!(
        required(struct_of(&api, "WithProperty")),
        [("x", false), ("y", false)]
    );
    assert_eq!(required(struct_of(&api, "WithRequired")), [("x", true)]);
    let closed = struct_of(&api, "Closed");
    assert_eq!(required(closed), [("x", false)]);
    assert!(!closed.keep_unknown);
    assert!(struct_of(&api, "B").keep_unknown);
    assert_eq!(required(struct_of(&api, "Inline")), [("w", false)]);
}

#[test]
fn objects_are_structs_by_their_properties_and_other_types_ignore_properties() {
    // 3.1: the 3.0 reader drops `properties` beside a non-object type before lowering.
    let (api, _) = lowered(&returning_a31(concat!(
        "    A: {properties: {x: {type: string}}}\n",
        "    Parts: {allOf: [{$ref: '#/components/schemas/A'}, {properties: {y: {type: integer}}}]}\n",
        "    Open: {type: object}\n",
        "    Text: {type: string, properties: {x: {type: string}}}\n",
    )));
    assert_eq!(required(struct_of(&api, "A")), [("x", false)]);
    assert_eq!(
        required(struct_of(&api, "Parts")),
        [("x", false), ("y", false)]
    );
    assert_eq!(alias_target(&api, "Open"), &TypeRef::FreeForm);
    assert_eq!(alias_target(&api, "Text"), &TypeRef::String);
}

#[test]
fn integer_enum_values_are_named_by_sign_and_listed_once() {
    let (api, _) = lowered(&returning_a(concat!(
        "    A: {type: integer, enum: [-2, 0, 3, 0]}\n",
        "    Untyped: {enum: [1, null, 2]}\n",
        "    Letters: {type: string, enum: [a, b, a]}\n",
    )));
    let Model::Enum(a) = model(&api, "A") else {
        panic!("A is not an enum")
    };
    let variants: Vec<(&str, &str)> = a
        .variants
        .iter()
        .map(|(v, w)| (v.bare(), w.as_str()))
        .collect();
    assert_eq!(
        variants,
        [("ValueMinus2", "-2"), ("Value0", "0"), ("Value3", "3")]
    );
    assert!(a.integer);
    let Model::Enum(untyped) = model(&api, "Untyped") else {
        panic!("Untyped is not an enum")
    };
    assert!(untyped.integer);
    assert_eq!(wire_values(model(&api, "Untyped")), ["1", "2"]);
    assert_eq!(wire_values(model(&api, "Letters")), ["a", "b"]);
}

#[test]
fn an_enum_value_of_the_other_kind_is_an_error_naming_it() {
    let cases = [
        (
            "    A: {type: integer, enum: [1, a]}\n",
            "t.yaml#/components/schemas/A/enum/1: unsupported enum value \"a\" in an enum of integers",
        ),
        (
            "    A: {type: string, enum: [a, 1]}\n",
            "t.yaml#/components/schemas/A/enum/1: unsupported enum value 1 in an enum of strings",
        ),
    ];
    for (schemas, want) in cases {
        assert_eq!(error_of(&returning_a(schemas)), want);
    }
}

#[test]
fn all_of_merges_parts_in_order_later_properties_replacing_earlier_ones() {
    let (api, _) = lowered(&returning_a(concat!(
        "    B: {type: object, required: [y], properties: {x: {type: string}, y: {type: boolean}}}\n",
        "    A:\n      allOf:\n        - {$ref: '#/components/schemas/B'}\n        - {type: object, required: [x, y], properties: {x: {type: integer}}}\n",
    )));
    assert_eq!(
        field_types(&api, "A"),
        [("x", &TypeRef::I64), ("y", &TypeRef::Bool)]
    );
    assert_eq!(required(struct_of(&api, "A")), [("x", true), ("y", true)]);
}

#[test]
fn an_all_of_part_that_is_not_an_object_is_an_error_naming_it() {
    let err = error_of(&returning_a(
        "    B: {type: object, properties: {x: {type: string}}}\n    A: {allOf: [{$ref: '#/components/schemas/B'}, {type: string}]}\n",
    ));
    assert_eq!(
        err,
        "t.yaml#/components/schemas/A/allOf/1: unsupported: allOf with a part that is not an object"
    );
}

#[test]
fn all_of_chains_32_deep_merge_and_a_cycle_is_an_error_naming_it() {
    // S0 merges S1, which merges S2, ... down to S32: 32 levels below the top.
    let mut schemas = String::new();
    for i in 0..32 {
        schemas.push_str(&format!(
            "    S{i}: {{allOf: [{{$ref: '#/components/schemas/S{}'}}], properties: {{f{i}: {{type: string}}}}}}\n",
            i + 1
        ));
    }
    schemas.push_str("    S32: {properties: {f32: {type: string}}}\n");
    let (api, _) = lowered(&doc(
        &get_returning("/a", "getA", "{$ref: '#/components/schemas/S0'}"),
        &schemas,
    ));
    assert_eq!(struct_of(&api, "S0").fields.len(), 33);
    let err = error_of(&returning_a(concat!(
        "    A: {allOf: [{$ref: '#/components/schemas/B'}], properties: {a: {type: string}}}\n",
        "    B: {allOf: [{$ref: '#/components/schemas/A'}], properties: {b: {type: string}}}\n",
    )));
    assert_eq!(
        err,
        "t.yaml#/components/schemas/A/allOf/0: allOf nests too deeply (a cycle?)"
    );
}

#[test]
fn string_properties_with_a_secret_name_are_secrets() {
    let (api, _) = lowered(&returning_a(
        "    A: {type: object, properties: {api_secret: {type: string}, secret: {type: integer}, name: {type: string}}}\n",
    ));
    assert_eq!(
        field_types(&api, "A"),
        [
            ("api_secret", &TypeRef::Secret),
            ("secret", &TypeRef::I64),
            ("name", &TypeRef::String)
        ]
    );
}

#[test]
fn a_reference_to_a_nullable_schema_is_a_nullable_field() {
    let (api, _) = lowered(&returning_a(concat!(
        "    A: {type: object, properties: {b: {$ref: '#/components/schemas/B'}, c: {$ref: '#/components/schemas/C'}}}\n",
        "    B: {type: object, nullable: true, properties: {x: {type: string}}}\n",
        "    C: {type: object, properties: {x: {type: string}}}\n",
    )));
    let nullable: Vec<bool> = struct_of(&api, "A")
        .fields
        .iter()
        .map(|f| f.nullable)
        .collect();
    assert_eq!(nullable, [true, false]);
}

#[test]
fn inline_schemas_lower_to_their_types_and_hoist_what_needs_a_name() {
    let props = [
        "u: {oneOf: [{type: string}, {type: integer}]}",
        "f: {type: number, format: float}",
        "n: {type: number, format: double}",
        "list: {type: array, items: {type: string}}",
        "obj: {properties: {x: {type: string}}}",
        "free: {type: object}",
        "any: {}",
        "map: {type: object, additionalProperties: {type: integer}}",
        "values: {type: object, additionalProperties: {}}",
        "same: {allOf: [{$ref: '#/components/schemas/B'}]}",
        "more: {allOf: [{$ref: '#/components/schemas/B'}], properties: {y: {type: integer}}}",
        "req: {allOf: [{$ref: '#/components/schemas/B'}], required: [x]}",
        "outer: {description: Outer, allOf: [{type: object, properties: {w: {type: string}}}]}",
    ];
    let (api, d) = lowered(&returning_a(&format!(
        "    A: {{type: object, properties: {{{}}}}}\n    B: {{type: object, properties: {{x: {{type: string}}}}}}\n",
        props.join(", ")
    )));
    assert_eq!(d.lines(), Vec::<String>::new());
    let types = field_types(&api, "A");
    let ty = |wire: &str| {
        types
            .iter()
            .find(|(w, _)| *w == wire)
            .map(|(_, t)| *t)
            .unwrap_or_else(|| panic!("no field {wire}"))
    };
    assert!(matches!(named(&api, ty("u")), Model::Union(_)));
    assert_eq!(ty("f"), &TypeRef::F32);
    assert_eq!(ty("n"), &TypeRef::F64);
    assert_eq!(ty("list"), &TypeRef::Vec(Box::new(TypeRef::String)));
    assert!(matches!(named(&api, ty("obj")), Model::Struct(_)));
    assert_eq!(ty("free"), &TypeRef::FreeForm);
    assert_eq!(ty("any"), &TypeRef::Any);
    assert_eq!(ty("map"), &TypeRef::Map(Box::new(TypeRef::I64)));
    assert_eq!(ty("values"), &TypeRef::FreeForm);
    assert!(matches!(ty("same"), TypeRef::Named(n) if n.bare() == "B"));
    let Model::Struct(more) = named(&api, ty("more")) else {
        panic!("more is not a struct")
    };
    assert_eq!(required(more), [("x", false), ("y", false)]);
    let Model::Struct(req) = named(&api, ty("req")) else {
        panic!("req is not a struct")
    };
    assert_eq!(required(req), [("x", true)]);
    let Model::Struct(outer) = named(&api, ty("outer")) else {
        panic!("outer is not a struct")
    };
    assert_eq!(outer.description.as_deref(), Some("Outer"));
    assert_eq!(required(outer), [("w", false)]);
}

#[test]
fn a_shared_name_keeps_only_the_words_every_suggestion_ends_with() {
    // The first suggestion has more words than the second: the common end is cut from it.
    let e = "{type: string, enum: [asc, desc]}";
    let param = format!(
        "      parameters:\n        - {{name: sort_order, in: query, schema: {e}}}\n      responses: {{'204': {{description: ok}}}}\n"
    );
    let paths = format!(
        "  /u:\n    get:\n      operationId: listAllUsers\n{param}  /k:\n    get:\n      operationId: getKeys\n{param}"
    );
    let (api, _) = lowered(&doc(&paths, "    Unused: {type: string}\n"));
    assert_eq!(names(&api), ["Unused", "SortOrder"]);
}

/// `allOf` that refines one non-object type (3.0's way to put text beside a `$ref`) is that
/// type, with the annotation parts' description and nullability.
#[test]
fn all_of_that_refines_one_scalar_type_is_that_type() {
    let (api, _) = lowered(&returning_a(concat!(
        "    Id: {type: string, description: An id.}\n",
        "    Level: {type: integer, format: int32}\n",
        "    Kind: {type: string, enum: [x, y]}\n",
        "    A:\n      type: object\n      properties:\n",
        "        id: {allOf: [{$ref: '#/components/schemas/Id'}, {description: Own text., nullable: true}]}\n",
        "        plain: {allOf: [{$ref: '#/components/schemas/Id'}, {maxLength: 3}]}\n",
        "        level: {allOf: [{type: integer, minimum: 1}, {$ref: '#/components/schemas/Level'}]}\n",
        "        kind: {allOf: [{$ref: '#/components/schemas/Kind'}, {type: string}]}\n",
        "        short: {allOf: [{type: string}, {type: string, maxLength: 3}]}\n",
        "        wrapped: {$ref: '#/components/schemas/Wrapped'}\n",
        "        either: {allOf: [{oneOf: [{type: string}, {type: integer}]}, {description: Either.}]}\n",
        "    Wrapped: {description: Wraps Id., allOf: [{$ref: '#/components/schemas/Id'}, {minLength: 1}]}\n",
    )));
    let s = struct_of(&api, "A");
    let field = |name: &str| {
        s.fields
            .iter()
            .find(|f| f.wire_name == name)
            .unwrap_or_else(|| panic!("no field {name}"))
    };
    let type_name = |name: &str| match &field(name).ty {
        TypeRef::Named(n) => n.bare(),
        other => format!("{other:?}"),
    };
    assert_eq!(
        ["id", "plain", "level", "kind", "short", "wrapped"].map(type_name),
        ["Id", "Id", "Level", "Kind", "String", "Wrapped"]
    );
    assert!(field("id").nullable && !field("plain").nullable);
    let text = |name: &str| field(name).description.clone().unwrap_or_default();
    assert_eq!(text("id"), "Own text.");
    assert_eq!(text("plain"), "An id.");
    assert_eq!(text("short"), "");
    assert!(matches!(alias_target(&api, "Wrapped"), TypeRef::Named(n) if n.bare() == "Id"));
    assert!(matches!(named(&api, &field("either").ty), Model::Union(_)));
    assert_eq!(text("either"), "Either.");
}

/// Parts that do not reduce to one type stay errors naming the first part the struct merge
/// cannot take, and a refinement that wraps itself is an error, not a hang.
#[test]
fn all_of_parts_of_different_types_and_refinement_cycles_are_errors() {
    let refused = "unsupported: allOf with a part that is not an object";
    let cases = [
        "    S: {type: string}\n    A: {allOf: [{$ref: '#/components/schemas/S'}, {type: integer}]}\n",
        "    S: {type: string}\n    T: {type: string, format: uuid}\n    A: {allOf: [{$ref: '#/components/schemas/S'}, {$ref: '#/components/schemas/T'}]}\n",
        "    A: {allOf: [{type: string, enum: [a]}, {type: string, enum: [b]}]}\n",
        "    A: {allOf: [{type: array, items: {type: string}}, {type: array, items: {type: string}}]}\n",
    ];
    for schemas in cases {
        let err = error_of(&returning_a(schemas));
        assert_eq!(
            err,
            format!("t.yaml#/components/schemas/A/allOf/0: {refused}"),
            "{schemas}"
        );
    }
    let cycle = error_of(&returning_a(
        "    A: {allOf: [{$ref: '#/components/schemas/A'}, {description: x}]}\n",
    ));
    assert_eq!(
        cycle,
        "t.yaml#/components/schemas/A: allOf nests too deeply (a cycle?)"
    );
}

/// A discriminator on a schema that is no union (3.0's `allOf` inheritance) is generated as a
/// struct, with a warning saying so at the discriminator.
#[test]
fn a_discriminator_without_a_union_is_a_struct_with_a_warning() {
    let (api, diagnostics) = lowered(&returning_a(concat!(
        "    A: {type: object, discriminator: {propertyName: kind}, properties: {kind: {type: string}}}\n",
        "    B: {allOf: [{$ref: '#/components/schemas/A'}, {type: object, properties: {b: {type: string}}}]}\n",
    )));
    assert_eq!(field_types(&api, "A"), [("kind", &TypeRef::String)]);
    let lines = diagnostics.lines();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains("t.yaml#/components/schemas/A/discriminator")
            && lines[0].contains("a discriminator without oneOf/anyOf"),
        "{lines:?}"
    );
}

/// Every keyword that says what a value is makes its part shape the value, so a second such
/// part of another kind beside `$ref: Id` is no refinement and the struct merge refuses it;
/// so does an `allOf` declared `type: object`.
#[test]
fn parts_with_any_shaping_keyword_take_part_in_the_refinement() {
    let refused = "t.yaml#/components/schemas/A/allOf/0: unsupported: allOf with a part that is not an object";
    let id = "    Id: {type: string}\n";
    let with = |part: &str| {
        format!("{id}    A: {{allOf: [{{$ref: '#/components/schemas/Id'}}, {part}]}}\n")
    };
    for part in [
        "{enum: [a]}",
        "{oneOf: [{type: string}, {type: integer}]}",
        "{anyOf: [{type: string}, {type: integer}]}",
        "{allOf: [{type: integer}]}",
        "{properties: {x: {type: string}}}",
        "{items: {type: string}}",
        "{additionalProperties: {type: string}}",
        "{type: string, anyOf: [{minLength: 1}, {pattern: x}]}",
    ] {
        assert_eq!(error_of(&returning_a(&with(part))), refused, "{part}");
    }
    for part in ["{const: a}", "{prefixItems: [{type: string}]}"] {
        assert_eq!(error_of(&returning_a31(&with(part))), refused, "{part}");
    }
    let declared_object = format!(
        "{id}    A: {{type: object, allOf: [{{$ref: '#/components/schemas/Id'}}, {{description: x}}]}}\n"
    );
    assert_eq!(error_of(&returning_a(&declared_object)), refused);
}

/// Refinements may wrap each other 33 deep (depths 0 to 32); one more is an error.
#[test]
fn refinement_chains_are_bounded_exactly() {
    let chain = |links: usize| {
        let mut schemas = String::from("    Base: {type: string}\n");
        for i in 0..links {
            let next = if i + 1 == links {
                "Base".to_string()
            } else {
                format!("R{}", i + 1)
            };
            schemas.push_str(&format!(
                "    R{i}: {{allOf: [{{$ref: '#/components/schemas/{next}'}}, {{description: d}}]}}\n"
            ));
        }
        schemas.push_str("    A: {allOf: [{$ref: '#/components/schemas/R0'}, {description: a}]}\n");
        lower_text(&returning_a(&schemas))
            .err()
            .map(|e| e.to_string())
    };
    assert_eq!(chain(32), None);
    assert_eq!(
        chain(33).as_deref(),
        Some("t.yaml#/components/schemas/R32: allOf nests too deeply (a cycle?)")
    );
}

/// An object part without `type` (only `properties`, or only `additionalProperties`) is still
/// an object: the `allOf` is merged into a struct, not taken as a refinement of it.
#[test]
fn untyped_object_parts_are_merged_not_refined() {
    let (api, _) = lowered(&returning_a(
        "    A: {allOf: [{properties: {x: {type: string}}}, {description: d}]}\n",
    ));
    assert_eq!(field_types(&api, "A"), [("x", &TypeRef::String)]);
    let (api, _) = lowered(&returning_a(
        "    A: {allOf: [{additionalProperties: {type: string}}, {description: d}]}\n",
    ));
    assert!(matches!(model(&api, "A"), Model::Struct(_)));
}
