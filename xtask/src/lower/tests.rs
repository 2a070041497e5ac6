//! Unit tests of the lowering passes on small specs built in memory.

use super::*;

/// Responses (the status-to-body map) and request body kinds.
mod bodies;

/// Responses: descriptions, error message paths, names of success bodies, pagination.
mod responses;

/// Security schemes and requirements.
mod security;

/// Vendor extensions: typed parsing, pointers, warnings.
mod extensions;

/// Schemas: models, inline types, `allOf` merging, enums, shared names.
mod schemas;

/// Unions: variant names, tags, descriptions, null members, lists of types.
mod unions;

/// Usage marking and recursion boxing: what requests reach, which fields are boxed.
mod usage;

/// Operations: parameter locations, groups and names, retry classes, request body details.
mod operations;

/// A 3.0 document with `paths` and `schemas` spliced in.
fn doc(paths: &str, schemas: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:\n{paths}\ncomponents:\n  schemas:\n{schemas}"
    )
}

fn lower_text(text: &str) -> Result<(Api, Diagnostics)> {
    let spec = crate::parse::parse_spec(text.as_bytes(), "t.yaml")?;
    lower(&spec)
}

/// The error lowering `text` fails with; panics when it succeeds.
fn error_of(text: &str) -> String {
    match lower_text(text) {
        Ok(_) => panic!("lowered without an error"),
        Err(e) => e.to_string(),
    }
}

/// The IR and diagnostics of `text` (a spec named `t.yaml`); panics when lowering fails.
pub(crate) fn lowered(text: &str) -> (Api, Diagnostics) {
    match lower_text(text) {
        Ok(x) => x,
        Err(e) => panic!("lowering failed: {e}"),
    }
}

/// The operation whose operationId is `id`.
pub(crate) fn op<'a>(api: &'a Api, id: &str) -> &'a Operation {
    api.groups
        .iter()
        .flat_map(|g| &g.operations)
        .find(|o| o.operation_id == id)
        .unwrap_or_else(|| panic!("no operation {id}"))
}

fn model<'a>(api: &'a Api, name: &str) -> &'a Model {
    api.models
        .iter()
        .find(|m| m.name().bare() == name)
        .unwrap_or_else(|| panic!("no model {name}"))
}

/// The wire name and type of each field of struct `name`.
fn field_types<'a>(api: &'a Api, name: &str) -> Vec<(&'a str, &'a TypeRef)> {
    let Model::Struct(s) = model(api, name) else {
        panic!("{name} is not a struct")
    };
    s.fields
        .iter()
        .map(|f| (f.wire_name.as_str(), &f.ty))
        .collect()
}

fn names(api: &Api) -> Vec<String> {
    api.models.iter().map(|m| m.name().bare()).collect()
}

/// An operation that returns `schema` (YAML flow syntax).
fn get_returning(path: &str, id: &str, schema: &str) -> String {
    format!(
        "  {path}:\n    get:\n      operationId: {id}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {schema}\n"
    )
}

#[test]
fn a_required_name_that_is_not_a_property_is_a_warning() {
    let (api, d) = lowered(&doc(
        &get_returning("/a", "getA", "{$ref: '#/components/schemas/A'}"),
        "    A:\n      type: object\n      required: [id, data]\n      properties:\n        id: {type: string}\n",
    ));
    let Model::Struct(a) = model(&api, "A") else {
        panic!("A is not a struct")
    };
    assert_eq!(a.fields.len(), 1);
    assert!(a.fields[0].required);
    assert_eq!(
        d.lines(),
        [
            "t.yaml#/components/schemas/A: warning: required name \"data\" is not a property: no field is generated for it"
        ]
    );
}

#[test]
fn identical_inline_schemas_share_one_type_named_by_their_common_words() {
    let schema = "{type: object, properties: {order: {type: string, enum: [asc, desc]}}}";
    let paths = format!(
        "{}{}",
        get_returning("/users", "getUsers", schema),
        get_returning("/keys", "getKeys", schema)
    );
    let (api, _) = lowered(&doc(&paths, "    Unused: {type: string}\n"));
    // One response struct and one enum, not two of each.
    // Their common words (`Response`, `ResponseOrder`) name nothing of the spec's: the first
    // use's name is kept.
    assert_eq!(
        names(&api),
        ["Unused", "GetUsersResponse", "GetUsersResponseOrder"]
    );
    let ops: Vec<_> = api.groups.iter().flat_map(|g| &g.operations).collect();
    let ty = |i: usize| match ops[i].success.single() {
        Some(ResponseBody::Json(TypeRef::Named(n))) => n.id(),
        other => panic!("{other:?}"),
    };
    assert_eq!(ty(0), ty(1));
}

#[test]
fn a_shared_type_is_named_by_the_words_its_suggestions_end_with() {
    let e = "{type: string, enum: [asc, desc]}";
    let paths = format!(
        "  /u:\n    get:\n      operationId: getUsers\n      parameters:\n        - {{name: sort_order, in: query, schema: {e}}}\n      responses: {{'204': {{description: ok}}}}\n  /k:\n    get:\n      operationId: getKeys\n      parameters:\n        - {{name: sort_order, in: query, schema: {e}}}\n      responses: {{'204': {{description: ok}}}}\n"
    );
    let (api, _) = lowered(&doc(&paths, "    Unused: {type: string}\n"));
    assert_eq!(names(&api), ["Unused", "SortOrder"]);
}

#[test]
fn different_inline_schemas_stay_apart() {
    let paths = format!(
        "{}{}",
        get_returning("/a", "getA", "{type: string, enum: [x]}"),
        get_returning("/b", "getB", "{type: string, enum: [y]}")
    );
    let (api, _) = lowered(&doc(&paths, "    Unused: {type: string}\n"));
    assert_eq!(names(&api), ["Unused", "GetAResponse", "GetBResponse"]);
}

#[test]
fn a_long_chain_of_references_is_not_a_deep_recursion() {
    // Each schema holds the next in a property; lowering used to follow the chain recursively.
    let n = 5_000;
    let mut schemas = String::new();
    for i in 0..n {
        schemas.push_str(&format!(
            "    S{i}:\n      type: object\n      properties:\n        next: {{$ref: '#/components/schemas/S{}'}}\n",
            (i + 1) % n
        ));
    }
    let text = doc(
        &get_returning("/a", "getA", "{$ref: '#/components/schemas/S0'}"),
        &schemas,
    );
    let (api, _) = lowered(&text);
    assert_eq!(api.models.len(), n);
}

#[test]
fn unknown_formats_and_extensions_warn_once_each() {
    let (_, d) = lowered(&doc(
        &get_returning("/a", "getA", "{$ref: '#/components/schemas/A'}").replace(
            "      operationId: getA\n",
            "      operationId: getA\n      x-internal: true\n",
        ),
        "    A:\n      type: object\n      properties:\n        a: {type: string, format: snowflake}\n        b: {type: string, format: snowflake}\n        c: {type: string, format: uuid}\n",
    ));
    assert_eq!(
        d.lines(),
        [
            "t.yaml#/paths/~1a/get/x-internal: warning: vendor extension x-internal is not read by the generator",
            "t.yaml#/components/schemas/A/properties/a: warning: unknown format \"snowflake\": read as its plain type (and 1 more place)",
        ]
    );
}

#[test]
fn a_component_that_is_only_a_reference_is_an_alias() {
    let (api, _) = lowered(&doc(
        &get_returning("/a", "getA", "{$ref: '#/components/schemas/A'}"),
        "    A: {$ref: '#/components/schemas/B'}\n    B: {type: object, properties: {x: {type: string}}}\n",
    ));
    match model(&api, "A") {
        Model::Alias(a) => assert!(matches!(&a.target, TypeRef::Named(n) if n.bare() == "B")),
        _ => panic!("A is not an alias"),
    }
}

#[test]
fn trace_operations_are_lowered() {
    let (api, _) = lowered(&doc(
        &get_returning("/a", "traceA", "{type: string}").replace("    get:", "    trace:"),
        "    Unused: {type: string}\n",
    ));
    assert_eq!(api.groups[0].operations[0].http_method, Method::Trace);
}

#[test]
fn enums_seen_only_in_requests_take_custom_values_others_keep_unknown_ones() {
    let paths = "  /a:\n    post:\n      operationId: postA\n      requestBody:\n        content:\n          application/json:\n            schema: {$ref: '#/components/schemas/Req'}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Resp'}\n";
    let (api, _) = lowered(&doc(
        paths,
        "    Req: {type: object, properties: {kind: {$ref: '#/components/schemas/Kind'}, mode: {$ref: '#/components/schemas/Mode'}}}\n    Resp: {type: object, properties: {mode: {$ref: '#/components/schemas/Mode'}}}\n    Kind: {type: string, enum: [a]}\n    Mode: {type: string, enum: [b]}\n",
    ));
    let catch_all = |name: &str| match model(&api, name) {
        Model::Enum(e) => (e.catch_all.bare().to_string(), e.request_only),
        _ => panic!("{name} is not an enum"),
    };
    assert_eq!(catch_all("Kind"), ("Custom".to_string(), true));
    assert_eq!(catch_all("Mode"), ("Unknown".to_string(), false));
    let Model::Struct(req) = model(&api, "Req") else {
        panic!("Req is not a struct")
    };
    assert!(req.in_request);
    let Model::Struct(resp) = model(&api, "Resp") else {
        panic!("Resp is not a struct")
    };
    assert!(!resp.in_request);
}

#[test]
fn only_the_field_that_closes_a_cycle_of_structs_is_boxed() {
    let (api, _) = lowered(&doc(
        &get_returning("/a", "getA", "{$ref: '#/components/schemas/A'}"),
        "    A: {type: object, properties: {b: {$ref: '#/components/schemas/B'}, list: {type: array, items: {$ref: '#/components/schemas/A'}}}}\n    B: {type: object, properties: {a: {$ref: '#/components/schemas/A'}}}\n",
    ));
    let field_ty = |m: &str, f: &str| match model(&api, m) {
        Model::Struct(s) => s
            .fields
            .iter()
            .find(|x| x.wire_name == f)
            .map(|x| x.ty.clone())
            .unwrap_or_else(|| panic!("{m}.{f}")),
        _ => panic!("{m} is not a struct"),
    };
    assert!(matches!(field_ty("A", "b"), TypeRef::Boxed(_)));
    // One box breaks the cycle; the other field stays inline.
    assert!(matches!(field_ty("B", "a"), TypeRef::Named(_)));
    // A Vec is already behind a pointer.
    assert!(matches!(field_ty("A", "list"), TypeRef::Vec(_)));
}

#[test]
fn unions_lower_to_tagged_and_untagged_models() {
    let (api, _) = lowered(&doc(
        &get_returning("/a", "getA", "{$ref: '#/components/schemas/Pet'}"),
        "    Pet:\n      oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]\n      discriminator: {propertyName: kind, mapping: {kitty: '#/components/schemas/Cat'}}\n    Cat: {type: object, properties: {kind: {type: string}, owner: {$ref: '#/components/schemas/Owner'}}}\n    Dog: {type: object, properties: {kind: {type: string}}}\n    Owner:\n      anyOf: [{type: string}, {type: integer}]\n",
    ));
    let Model::Union(pet) = model(&api, "Pet") else {
        panic!("Pet is not a union")
    };
    let tags: Vec<(String, Vec<String>)> = pet
        .variants
        .iter()
        .map(|v| (v.name.bare().to_string(), v.tags.clone()))
        .collect();
    // The mapping names Cat's tag; Dog's is its schema's name.
    assert_eq!(
        tags,
        [
            ("Cat".to_string(), vec!["kitty".to_string()]),
            ("Dog".to_string(), vec!["Dog".to_string()])
        ]
    );
    assert!(matches!(&pet.matching, UnionMatching::Tagged { property, .. } if property == "kind"));
    let Model::Union(owner) = model(&api, "Owner") else {
        panic!("Owner is not a union")
    };
    assert!(owner.any_of);
    assert!(matches!(owner.matching, UnionMatching::Untagged));
    assert_eq!(owner.variants[0].ty, TypeRef::String);
    assert_eq!(owner.variants[1].ty, TypeRef::I64);
}

#[test]
fn a_union_of_one_type_and_null_is_that_type_made_nullable() {
    let (api, _) = lowered(&doc(
        &get_returning("/a", "getA", "{$ref: '#/components/schemas/A'}"),
        "    A: {type: object, properties: {b: {oneOf: [{$ref: '#/components/schemas/B'}], nullable: true}}}\n    B: {type: object, properties: {x: {type: string}}}\n",
    ));
    let Model::Struct(a) = model(&api, "A") else {
        panic!("A is not a struct")
    };
    assert!(a.fields[0].nullable);
    assert!(matches!(&a.fields[0].ty, TypeRef::Named(n) if n.bare() == "B"));
    assert_eq!(names(&api), ["A", "B"]);
}

#[test]
fn a_recursive_union_is_boxed_where_the_cycle_closes() {
    let (api, _) = lowered(&doc(
        &get_returning("/a", "getA", "{$ref: '#/components/schemas/Node'}"),
        "    Node: {oneOf: [{$ref: '#/components/schemas/Leaf'}, {$ref: '#/components/schemas/Branch'}]}\n    Leaf: {type: object, properties: {v: {type: string}}}\n    Branch: {type: object, properties: {first: {$ref: '#/components/schemas/Node'}}}\n",
    ));
    let Model::Union(node) = model(&api, "Node") else {
        panic!("Node is not a union")
    };
    assert!(matches!(node.variants[1].ty, TypeRef::Boxed(_)));
}

#[test]
fn union_problems_are_errors_with_their_pointer() {
    let cases = [
        (
            "    A: {oneOf: [{type: object, properties: {k: {type: string}}}], discriminator: {propertyName: k}}\n    B: {oneOf: [{type: object, properties: {k: {type: string}}}, {type: string}], discriminator: {propertyName: k}}\n",
            "t.yaml#/components/schemas/B/oneOf/0: an inline member of a discriminated union needs",
        ),
        (
            // A union alone in an `allOf` is that union (see `lower/refine.rs`); beside an
            // object part it would have to be merged into a struct.
            "    A: {allOf: [{oneOf: [{type: string}, {type: integer}]}, {type: object, properties: {x: {type: string}}}]}\n",
            "t.yaml#/components/schemas/A/allOf/0: unsupported construct: `oneOf`/`anyOf` inside `allOf`",
        ),
        (
            "    A: {oneOf: [{type: string}, {type: integer}], properties: {x: {type: string}}}\n",
            "t.yaml#/components/schemas/A: unsupported construct: `oneOf`/`anyOf` beside `properties`",
        ),
    ];
    for (schemas, want) in cases {
        let err = lower_text(&doc(
            &get_returning("/a", "getA", "{type: string}"),
            schemas,
        ))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(err.starts_with(want), "{err}");
    }
}

#[test]
fn a_union_query_parameter_is_refused() {
    let paths = "  /a:\n    get:\n      operationId: getA\n      parameters:\n        - {name: id, in: query, schema: {oneOf: [{type: string}, {type: integer}]}}\n      responses: {'204': {description: ok}}\n";
    let err = lower_text(&doc(paths, "    Unused: {type: string}\n"))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.starts_with(
            "t.yaml#/paths/~1a/get/parameters/0/schema: unsupported: \"id\" is a oneOf/anyOf"
        ),
        "{err}"
    );
}

#[test]
fn path_styles_keep_plain_scalars_plain_and_lay_out_the_rest() {
    let paths = "  /a/{id}/{tags}/{point}/{n}/{ids}:\n    get:\n      operationId: getA\n      parameters:\n        - {name: id, in: path, required: true, style: label, schema: {type: string}}\n        - {name: tags, in: path, required: true, style: matrix, explode: true, schema: {type: array, items: {type: string}}}\n        - {name: point, in: path, required: true, style: matrix, schema: {$ref: '#/components/schemas/Point'}}\n        - {name: n, in: path, required: true, style: simple, explode: true, schema: {type: integer}}\n        - {name: ids, in: path, required: true, schema: {$ref: '#/components/schemas/Ids'}}\n      responses: {'204': {description: ok}}\n";
    let schemas = "    Point: {type: object, properties: {x: {type: integer}}}\n    Ids: {type: array, items: {type: integer}}\n";
    let (api, _) = lowered(&doc(paths, schemas));
    let op = &api.groups[0].operations[0];
    let styles: Vec<Option<PathStyle>> = op
        .path
        .iter()
        .filter_map(|part| match part {
            PathPart::Param(_, style) => Some(*style),
            _ => None,
        })
        .collect();
    assert_eq!(
        styles,
        [
            Some(PathStyle::Label),
            Some(PathStyle::MatrixExploded),
            Some(PathStyle::Matrix),
            None,
            // An alias of an array in `simple` style is laid out, not printed.
            Some(PathStyle::Simple),
        ]
    );
}

#[test]
fn an_unknown_path_style_is_refused_with_its_pointer() {
    let paths = "  /a/{id}:\n    get:\n      operationId: getA\n      parameters:\n        - {name: id, in: path, required: true, style: form, schema: {type: string}}\n      responses: {'204': {description: ok}}\n";
    // The 3.0 reader refuses it already (openapiv3 knows the styles); 3.1 is read by us.
    let err = lower_text(&doc31(paths, "    Unused: {type: string}\n"))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert_eq!(
        err,
        "t.yaml#/paths/~1a~1{id}/get/parameters/0: unsupported path style \"form\" for \"id\": expected simple, label or matrix"
    );
}

#[test]
fn alias_cycles_are_errors_with_the_pointer_of_a_schema_on_the_cycle() {
    let cases = [
        (
            "    A: {allOf: [{$ref: '#/components/schemas/A'}]}\n",
            "t.yaml#/components/schemas/A:",
        ),
        (
            "    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n",
            "t.yaml#/components/schemas/",
        ),
        (
            "    A: {type: array, items: {$ref: '#/components/schemas/A'}}\n",
            "t.yaml#/components/schemas/A:",
        ),
        (
            "    A: {type: object, additionalProperties: {$ref: '#/components/schemas/A'}}\n",
            "t.yaml#/components/schemas/A:",
        ),
    ];
    for (schemas, want) in cases {
        let err = lower_text(&doc(
            &get_returning("/a", "getA", "{type: string}"),
            schemas,
        ))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(
            err.starts_with(want) && err.contains("defined through itself alone"),
            "{schemas}: {err}"
        );
    }
    // A chain of aliases without a cycle is fine (each is visited once).
    let ok = lower_text(&doc(
        &get_returning("/a", "getA", "{type: string}"),
        "    A: {$ref: '#/components/schemas/B'}\n    B: {type: array, items: {$ref: '#/components/schemas/C'}}\n    C: {$ref: '#/components/schemas/D'}\n    D: {type: object, properties: {x: {type: string}}}\n    E: {type: array, items: {$ref: '#/components/schemas/C'}}\n",
    ));
    assert!(ok.is_ok(), "{:?}", ok.err());
    // Through a struct the recursion is fine.
    let ok = lower_text(&doc(
        &get_returning("/a", "getA", "{type: string}"),
        "    A: {type: array, items: {$ref: '#/components/schemas/N'}}\n    N: {type: object, properties: {a: {$ref: '#/components/schemas/A'}}}\n",
    ));
    assert!(ok.is_ok(), "{:?}", ok.err());
}

#[test]
fn type_depth_follows_the_longest_chain_and_counts_cycles_once() {
    let chain = |n: usize| {
        let mut schemas = String::new();
        for i in 0..n {
            let next = if i + 1 < n {
                format!("{{$ref: '#/components/schemas/S{}'}}", i + 1)
            } else {
                "{type: string}".to_string()
            };
            schemas.push_str(&format!(
                "    S{i}: {{type: object, properties: {{next: {{type: array, items: {next}}}}}}}\n"
            ));
        }
        schemas
    };
    let (api, _) = lowered(&doc(
        &get_returning("/a", "getA", "{type: string}"),
        &chain(50),
    ));
    assert_eq!(api.type_depth, 50);
    // A -> B -> C -> A is one cycle of three, then D: four.
    let (api, _) = lowered(&doc(
        &get_returning("/a", "getA", "{type: string}"),
        "    A: {type: object, properties: {b: {$ref: '#/components/schemas/B'}}}\n    B: {type: object, properties: {c: {$ref: '#/components/schemas/C'}}}\n    C: {type: object, properties: {a: {$ref: '#/components/schemas/A'}, d: {$ref: '#/components/schemas/D'}}}\n    D: {type: object, properties: {x: {type: string}}}\n",
    ));
    assert_eq!(api.type_depth, 4);
}

#[test]
fn deep_types_raise_the_recursion_limit_of_the_emitted_crate() {
    let mut schemas = String::new();
    for i in 0..100 {
        schemas.push_str(&format!(
            "    S{i}: {{type: object, properties: {{next: {{$ref: '#/components/schemas/S{}'}}}}}}\n",
            i + 1
        ));
    }
    schemas.push_str("    S100: {type: object, properties: {x: {type: string}}}\n");
    let lib_rs = |text: &str| {
        let (api, _) = lowered(text);
        let config = crate::emit::EmitConfig {
            package: "deep".into(),
            crate_version: "0.1.0".into(),
        };
        crate::emit::emit(&api, &config)
            .map(|files| files.get("src/lib.rs").cloned().unwrap_or_default())
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let deep = lib_rs(&doc(
        &get_returning("/a", "getA", "{$ref: '#/components/schemas/S0'}"),
        &schemas,
    ));
    assert!(deep.contains("#![recursion_limit = \"468\"]"), "{deep}");
    let shallow = lib_rs(&doc(
        &get_returning("/a", "getA", "{type: string}"),
        "    A: {type: string}\n",
    ));
    assert!(!shallow.contains("recursion_limit"));
}

#[test]
fn operations_without_an_operation_id_are_named_from_method_and_path() {
    let paths = "  /users/{user_id}/keys:\n    get:\n      parameters:\n        - {name: user_id, in: path, required: true, schema: {type: string}}\n      responses: {'204': {description: ok}}\n    delete:\n      tags: [keys]\n      parameters:\n        - {name: user_id, in: path, required: true, schema: {type: string}}\n      responses: {'204': {description: ok}}\n";
    let (api, _) = lowered(&doc(paths, "    Unused: {type: string}\n"));
    let ops: Vec<(String, String, String)> = api
        .groups
        .iter()
        .flat_map(|g| {
            g.operations.iter().map(move |o| {
                (
                    g.module.bare().to_string(),
                    o.method_name.bare().to_string(),
                    o.operation_id.clone(),
                )
            })
        })
        .collect();
    assert_eq!(
        ops,
        [
            (
                "default".to_string(),
                "get_users_by_user_id_keys".to_string(),
                "get_users_by_user_id_keys".to_string()
            ),
            (
                "keys".to_string(),
                "delete_users_by_user_id_keys".to_string(),
                "delete_users_by_user_id_keys".to_string()
            ),
        ]
    );
}

#[test]
fn basic_bearer_and_api_key_schemes_are_applied_without_a_warning() {
    let text = doc(
        &get_returning("/a", "getA", "{type: string}"),
        "    Unused: {type: string}\n  securitySchemes:\n    basic: {type: http, scheme: basic}\n    token: {type: http, scheme: bearer}\n    key: {type: apiKey, in: header, name: X-Key}\n",
    );
    let (api, d) = lowered(&text);
    assert!(d.lines().is_empty(), "{:?}", d.lines());
    let names: Vec<&str> = api
        .security_schemes
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(names, ["basic", "token", "key"]);
}

/// A 3.1 document with `paths` and `schemas` spliced in.
fn doc31(paths: &str, schemas: &str) -> String {
    doc(paths, schemas).replacen("openapi: 3.0.3", "openapi: 3.1.0", 1)
}

#[test]
fn null_members_make_unions_nullable_in_3_1() {
    let (api, _) = lowered(&doc31(
        &get_returning("/a", "getA", "{$ref: '#/components/schemas/A'}"),
        "    A:\n      type: object\n      properties:\n        one: {oneOf: [{$ref: '#/components/schemas/B'}, {type: 'null'}]}\n        two: {oneOf: [{type: string}, {type: integer}, {type: 'null'}]}\n        three: {oneOf: [{type: string}, {type: integer}]}\n        four: {type: [string, integer]}\n    B: {type: object, properties: {x: {type: string}}}\n",
    ));
    let Model::Struct(a) = model(&api, "A") else {
        panic!("A is not a struct")
    };
    let field = |name: &str| {
        a.fields
            .iter()
            .find(|f| f.wire_name == name)
            .unwrap_or_else(|| panic!("no field {name}"))
    };
    // `B | null` is a nullable B, with no union type of its own.
    assert!(field("one").nullable);
    assert!(matches!(&field("one").ty, TypeRef::Named(n) if n.bare() == "B"));
    // A null member makes the union nullable instead of adding a variant.
    assert!(field("two").nullable);
    let TypeRef::Named(two) = &field("two").ty else {
        panic!("two is not a union")
    };
    let Some(Model::Union(two)) = api.model(two.id()) else {
        panic!("two is not a union")
    };
    assert_eq!(two.variants.len(), 2);
    // Without a null member the union is not nullable.
    assert!(!field("three").nullable);
    // A 3.1 list of types is a union whose variants are named after the types.
    let TypeRef::Named(four) = &field("four").ty else {
        panic!("four is not a union")
    };
    let Some(Model::Union(four)) = api.model(four.id()) else {
        panic!("four is not a union")
    };
    let names: Vec<&str> = four.variants.iter().map(|v| v.name.bare()).collect();
    assert_eq!(names, ["String", "Integer"]);
    assert_eq!(four.variants[1].ty, TypeRef::I64);
}

#[test]
fn a_discriminated_union_of_one_member_keeps_its_tag_handling_out() {
    // With a discriminator, `X | null` is not collapsed inline: the union schema has its own
    // meaning, and one member left makes it an alias of that member.
    let (api, _) = lowered(&doc31(
        &get_returning("/a", "getA", "{$ref: '#/components/schemas/A'}"),
        "    A:\n      type: object\n      properties:\n        p: {oneOf: [{$ref: '#/components/schemas/B'}, {type: 'null'}], discriminator: {propertyName: k}}\n    B: {type: object, properties: {k: {type: string}}}\n",
    ));
    let Model::Struct(a) = model(&api, "A") else {
        panic!("A is not a struct")
    };
    assert!(a.fields[0].nullable);
    let TypeRef::Named(p) = &a.fields[0].ty else {
        panic!("p is not named")
    };
    assert!(
        matches!(api.model(p.id()), Some(Model::Alias(_))),
        "{:?}",
        api.model(p.id())
    );
}

/// A POST whose JSON body has a `cursor` (optional unless `cursor_required`) and whose
/// pagination input is `input_in: input_name`.
fn body_cursor_spec(input_in: &str, input_name: &str, cursor_required: bool) -> String {
    let required = if cursor_required {
        "[q, cursor]"
    } else {
        "[q]"
    };
    doc(
        &format!(
            "  /search:\n    post:\n      operationId: search\n      requestBody:\n        required: true\n        content:\n          application/json:\n            schema: {{type: object, required: {required}, properties: {{q: {{type: string}}, cursor: {{type: string}}}}}}\n      x-speakeasy-pagination:\n        type: cursor\n        inputs: [{{name: {input_name}, in: {input_in}, type: cursor}}]\n        outputs: {{nextCursor: $.next, results: $.items}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Page'}}\n"
        ),
        "    Page:\n      type: object\n      properties:\n        next: {type: string}\n        items: {type: array, items: {type: string}}\n",
    )
}

#[test]
fn a_cursor_in_the_request_body_paginates_through_its_setter() {
    let (api, _) = lowered(&body_cursor_spec("requestBody", "cursor", false));
    let op = &api.groups[0].operations[0];
    let p = op.pagination.as_ref().expect("paginated");
    assert_eq!(p.kind, PageKind::Cursor);
    assert_eq!(p.input.bare(), "cursor");
    assert_eq!(p.item, TypeRef::String);
}

#[test]
fn a_body_cursor_that_is_required_missing_or_elsewhere_is_an_error_with_its_pointer() {
    let ptr = "t.yaml#/paths/~1search/post/x-speakeasy-pagination/inputs/0";
    for (spec, expected) in [
        (
            body_cursor_spec("requestBody", "cursor", true),
            format!("{ptr}: \"cursor\" is not an optional property of the operation's object body"),
        ),
        (
            body_cursor_spec("requestBody", "page", false),
            format!("{ptr}: \"page\" is not an optional property of the operation's object body"),
        ),
        (
            body_cursor_spec("parameters", "cursor", false),
            format!("{ptr}: \"cursor\" is not an optional query parameter of the operation"),
        ),
        (
            body_cursor_spec("header", "cursor", false),
            format!(
                "{ptr}/in: unsupported pagination input location \"header\": expected parameters or requestBody"
            ),
        ),
    ] {
        match lower_text(&spec) {
            Ok(_) => panic!("lowered, expected {expected}"),
            Err(e) => assert_eq!(e.to_string(), expected),
        }
    }
}

#[test]
fn read_only_and_write_only_required_properties_are_optional_fields() {
    let (api, _) = lowered(&doc(
        &get_returning("/a", "getA", "{$ref: '#/components/schemas/A'}"),
        "    A:\n      type: object\n      required: [id, secret, name]\n      properties:\n        id: {type: string, readOnly: true}\n        secret: {type: string, writeOnly: true}\n        name: {type: string}\n",
    ));
    let Model::Struct(a) = model(&api, "A") else {
        panic!("A is not a struct")
    };
    let required: Vec<(&str, bool)> = a
        .fields
        .iter()
        .map(|f| (f.wire_name.as_str(), f.required))
        .collect();
    assert_eq!(required, [("id", false), ("secret", false), ("name", true)]);
}

#[test]
fn tuples_of_one_type_are_lists_of_it_and_mixed_tuples_stay_json() {
    let (api, _) = lowered(&doc31(
        &get_returning("/a", "getA", "{$ref: '#/components/schemas/A'}"),
        "    A:\n      type: object\n      properties:\n        point: {type: array, prefixItems: [{type: number}, {type: number}]}\n        pair: {type: array, prefixItems: [{type: string}, {type: integer}]}\n        rest: {type: array, prefixItems: [{type: integer}], items: {type: string}}\n        same: {type: array, prefixItems: [{type: integer}], items: {type: integer}}\n",
    ));
    let types = field_types(&api, "A");
    let list = |t: TypeRef| TypeRef::Vec(Box::new(t));
    assert_eq!(
        types,
        [
            ("point", &list(TypeRef::F64)),
            ("pair", &list(TypeRef::Any)),
            // `items` of another type than the positions: elements of two types.
            ("rest", &list(TypeRef::Any)),
            ("same", &list(TypeRef::I64)),
        ]
    );
}

/// A GET on `path` whose path parameters are `params` (YAML flow mappings).
fn get_with_path(path: &str, params: &[&str]) -> String {
    doc(
        &format!(
            "  {path}:\n    get:\n      operationId: getA\n      parameters: [{}]\n      responses: {{'204': {{description: ok}}}}\n",
            params.join(", ")
        ),
        "    Unused: {type: string}\n",
    )
}

/// An operation's path parts, one tagged line each (`Literal(a/b)`, `ParamJoined(id)`).
fn listed_path(op: &Operation) -> Vec<String> {
    op.path
        .iter()
        .map(|part| match part {
            PathPart::Literal(l) => format!("Literal({l})"),
            PathPart::LiteralJoined(l) => format!("LiteralJoined({l})"),
            PathPart::Param(i, _) => format!("Param({})", op.params[*i].wire_name),
            PathPart::ParamJoined(i) => format!("ParamJoined({})", op.params[*i].wire_name),
            PathPart::AccountId => "AccountId".into(),
        })
        .collect()
}

#[test]
fn parameters_sharing_a_segment_with_text_continue_that_segment() {
    let p = |name: &str, ty: &str| {
        format!("{{name: {name}, in: path, required: true, schema: {{type: {ty}}}}}")
    };
    let (api, _) = lowered(&get_with_path(
        "/files/{id}.json/v{major}.{minor}/{name}:cancel",
        &[
            &p("id", "string"),
            &p("major", "integer"),
            &p("minor", "integer"),
            &p("name", "string"),
        ],
    ));
    let op = &api.groups[0].operations[0];
    assert_eq!(
        listed_path(op),
        [
            "Literal(files)",
            "Param(id)",
            "LiteralJoined(.json)",
            "Literal(v)",
            "ParamJoined(major)",
            "LiteralJoined(.)",
            "ParamJoined(minor)",
            "Param(name)",
            "LiteralJoined(:cancel)",
        ]
    );
}

#[test]
fn a_mixed_segment_that_cannot_be_laid_out_is_an_error_naming_it() {
    let id = "{name: id, in: path, required: true, schema: {type: string}}";
    let styled = "{name: id, in: path, required: true, style: label, schema: {type: string}}";
    let ptr = "t.yaml#/paths/~1a~1";
    for (path, params, expected) in [
        (
            "/a/{id.json",
            id,
            "unsupported path segment \"{id.json\": a `{` is not closed",
        ),
        (
            "/a/x}{id}",
            id,
            "unsupported path segment \"x}{id}\": a `}` has no `{`",
        ),
        (
            "/a/{id}.{other}",
            id,
            "path parameter {other} is not declared",
        ),
        (
            "/a/{}.json",
            id,
            "unsupported path segment \"{}.json\": a parameter name is empty or holds `{`",
        ),
        (
            "/a/{x{id}.json",
            id,
            "unsupported path segment \"{x{id}.json\": a parameter name is empty or holds `{`",
        ),
        (
            "/a/{id}.json",
            styled,
            "unsupported path segment \"{id}.json\": {id} shares its segment with text, so it must be a plain value (style simple, not an array or object)",
        ),
    ] {
        let err = match lower_text(&get_with_path(path, &[params])) {
            Ok(_) => panic!("{path} lowered"),
            Err(e) => e.to_string(),
        };
        assert!(err.starts_with(ptr), "{err}");
        assert!(err.ends_with(expected), "{path}: {err}");
    }
}

/// A spec whose account id is an `x-speakeasy-globals` path parameter, with one GET on `path`
/// that declares the parameters `params` (YAML flow mappings).
fn with_account_global(path: &str, params: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\nx-speakeasy-globals:\n  parameters:\n    - $ref: '#/components/parameters/AccountId'\npaths:\n  {path}:\n    get:\n      operationId: getA\n      parameters: [{params}]\n      responses: {{'204': {{description: ok}}}}\ncomponents:\n  parameters:\n    AccountId: {{name: account_id, in: path, required: true, schema: {{type: string}}}}\n"
    )
}

#[test]
fn path_parts_keep_literals_joined_and_in_order_around_parameters() {
    let account = "{$ref: '#/components/parameters/AccountId'}";
    let id = "{name: id, in: path, required: true, schema: {type: string}}";
    let (api, _) = lowered(&with_account_global(
        "/v1/accounts/{account_id}/users/{id}/roles",
        &format!("{account}, {id}"),
    ));
    let parts = listed_path(&api.groups[0].operations[0]);
    // Consecutive literal segments are one part, flushed before each parameter.
    assert_eq!(
        parts,
        [
            "Literal(v1/accounts)",
            "AccountId",
            "Literal(users)",
            "Param(id)",
            "Literal(roles)"
        ]
    );
}

#[test]
fn the_account_id_in_a_path_must_be_declared_by_the_operation() {
    let err = match lower_text(&with_account_global("/v1/{account_id}/users", "")) {
        Ok(_) => panic!("an undeclared account id was accepted"),
        Err(e) => e.to_string(),
    };
    assert!(
        err.ends_with("path parameter {account_id} is not declared"),
        "{err}"
    );
}

#[test]
fn a_query_cursor_must_be_an_optional_query_parameter() {
    let page = "    Page:\n      type: object\n      properties:\n        next: {type: string}\n        items: {type: array, items: {type: string}}\n";
    let spec = |param: &str| {
        doc(
            &format!(
                "  /list:\n    get:\n      operationId: list\n      parameters: [{param}]\n      x-speakeasy-pagination:\n        type: cursor\n        inputs: [{{name: cursor, in: parameters, type: cursor}}]\n        outputs: {{nextCursor: $.next, results: $.items}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Page'}}\n"
            ),
            page,
        )
    };
    let (api, _) = lowered(&spec("{name: cursor, in: query, schema: {type: string}}"));
    let p = api.groups[0].operations[0]
        .pagination
        .as_ref()
        .expect("paginated");
    assert_eq!(p.input.bare(), "cursor");
    for param in [
        // Required: the stream could not leave it unset for the first page.
        "{name: cursor, in: query, required: true, schema: {type: string}}",
        // In a header: not where `in: parameters` looks.
        "{name: cursor, in: header, schema: {type: string}}",
        // Another name.
        "{name: after, in: query, schema: {type: string}}",
    ] {
        match lower_text(&spec(param)) {
            Ok(_) => panic!("{param} was accepted as the cursor"),
            Err(e) => assert!(
                e.to_string()
                    .ends_with("\"cursor\" is not an optional query parameter of the operation"),
                "{param}: {e}"
            ),
        }
    }
}

#[test]
fn string_and_integer_formats_map_to_their_rust_types() {
    let props = [
        ("d", "{type: string, format: date}"),
        ("dt", "{type: string, format: date-time}"),
        ("pw", "{type: string, format: password}"),
        ("b", "{type: string, format: byte}"),
        ("u", "{type: string, format: uuid}"),
        ("i32", "{type: integer, format: int32}"),
        ("i16", "{type: integer, format: int16}"),
        ("i8", "{type: integer, format: int8}"),
        ("u8", "{type: integer, format: uint8}"),
        ("u16", "{type: integer, format: uint16}"),
        ("u64", "{type: integer, format: uint64}"),
        ("i64", "{type: integer, format: int64}"),
        ("plain", "{type: integer}"),
    ];
    let properties: Vec<String> = props.iter().map(|(n, s)| format!("{n}: {s}")).collect();
    let (api, _) = lowered(&doc(
        &get_returning("/a", "getA", "{$ref: '#/components/schemas/A'}"),
        &format!(
            "    A: {{type: object, properties: {{{}}}}}\n",
            properties.join(", ")
        ),
    ));
    let types = field_types(&api, "A");
    assert_eq!(
        types,
        [
            ("d", &TypeRef::Date),
            ("dt", &TypeRef::DateTime),
            ("pw", &TypeRef::Secret),
            ("b", &TypeRef::Bytes),
            ("u", &TypeRef::String),
            ("i32", &TypeRef::I32),
            ("i16", &TypeRef::I32),
            ("i8", &TypeRef::I32),
            ("u8", &TypeRef::I32),
            ("u16", &TypeRef::I32),
            ("u64", &TypeRef::U64),
            ("i64", &TypeRef::I64),
            ("plain", &TypeRef::I64),
        ]
    );
}
