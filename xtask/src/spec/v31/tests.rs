//! Whole-document tests of the 3.1 reader, on small specs written inline.

use super::read;
use crate::error::{GenError, Result};
use crate::spec::test_support::{component, error_line, nested_items, property, read_with};
use crate::spec::{
    Additional, Bound, Diagnostics, Document, Method, ParameterIn, Schema, SchemaType,
    SecuritySchemeKind, StatusKey,
};
use serde_json::json;

const HEAD: &str = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n";

/// Reads `HEAD` followed by `body`.
fn read_spec(body: &str) -> (Result<Document>, Diagnostics) {
    read_with(read, &format!("{HEAD}{body}"))
}

fn doc(body: &str) -> Result<Document> {
    read_spec(body).0
}

/// The error line for `body`, or "" when it reads.
fn error(body: &str) -> String {
    error_line(doc(body))
}

/// The diagnostics' lines for `body`.
fn lines(body: &str) -> Vec<String> {
    read_spec(body).1.lines()
}

/// One component schema written inline.
fn schema(yaml: &str) -> Result<Schema> {
    let d = doc(&format!("components:\n  schemas:\n    S: {yaml}\n"))?;
    component(&d, "S")
}

/// The kinds of a document's security schemes, in order.
fn scheme_kinds(doc: &Document) -> Vec<SecuritySchemeKind> {
    let schemes = doc.components.security_schemes.iter();
    schemes.map(|(_, s)| s.kind.clone()).collect()
}

#[test]
fn type_lists_with_null_mean_nullable() -> Result<()> {
    let s = schema("{type: [string, 'null', string]}")?;
    assert_eq!(s.types, [SchemaType::String]);
    assert!(s.nullable);
    // Null beside another type is nullability, not a constant.
    assert_eq!(s.constant, None);
    let s = schema("{type: [integer, number]}")?;
    assert_eq!(s.types, [SchemaType::Integer, SchemaType::Number]);
    assert!(!s.nullable);
    // `type: "null"` alone admits only null: a constant, so not "anything".
    let s = schema("{type: 'null'}")?;
    assert!(s.nullable && s.types.is_empty());
    assert_eq!(s.constant, Some(json!(null)));
    assert!(!s.is_unconstrained());
    Ok(())
}

#[test]
fn bad_types_are_errors_at_the_name() {
    assert_eq!(
        error("components:\n  schemas:\n    S: {type: [string, file]}\n"),
        "s.yaml#/components/schemas/S/type/1: unknown type \"file\""
    );
    assert_eq!(
        error("components:\n  schemas:\n    S: {type: []}\n"),
        "s.yaml#/components/schemas/S/type: `type` is an empty list"
    );
    assert_eq!(
        error("components:\n  schemas:\n    S: {type: 5}\n"),
        "s.yaml#/components/schemas/S/type: expected a string, found a number"
    );
}

#[test]
fn const_enum_default_and_examples() -> Result<()> {
    let s =
        schema("{const: 5, enum: [a, 1, null], default: a, examples: [x, {k: 1}], example: y}")?;
    assert_eq!(s.constant, Some(json!(5)));
    assert!(!s.nullable);
    assert_eq!(s.enumeration, [json!("a"), json!(1), json!(null)]);
    assert_eq!(s.default, Some(json!("a")));
    assert_eq!(s.examples, [json!("x"), json!({"k": 1}), json!("y")]);
    let s = schema("{const: null}")?;
    assert!(s.nullable);
    assert_eq!(s.constant, Some(json!(null)));
    Ok(())
}

#[test]
fn examples_that_are_not_a_list_are_kept_with_a_warning() -> Result<()> {
    let body = "components:\n  schemas:\n    S: {examples: {a: {value: 1}}}\n";
    assert_eq!(
        component(&doc(body)?, "S")?.examples,
        [json!({"a": {"value": 1}})]
    );
    assert_eq!(
        lines(body),
        [
            "s.yaml#/components/schemas/S/examples: warning: a schema's `examples` is a list; read as one example"
        ]
    );
    Ok(())
}

#[test]
fn ref_siblings_are_kept_beside_the_reference() -> Result<()> {
    let d = doc("components:\n  schemas:\n    A: {type: object}\n    \
         S: {$ref: '#/components/schemas/A', description: d, type: [object, 'null'], x-k: 1}\n")?;
    let s = component(&d, "S")?;
    assert_eq!(s.reference.as_deref(), Some("#/components/schemas/A"));
    assert_eq!(s.description.as_deref(), Some("d"));
    assert!(s.nullable);
    assert_eq!(s.types, [SchemaType::Object]);
    assert_eq!(s.extensions.get("x-k"), Some(&json!(1)));
    assert_eq!(s.extensions.pointer_of("x-k"), "/components/schemas/S/x-k");
    Ok(())
}

#[test]
fn numeric_exclusive_bounds() -> Result<()> {
    let bound = |value, exclusive| Some(Bound { value, exclusive });
    let s = schema("{exclusiveMinimum: 0, maximum: 10}")?;
    assert_eq!(
        (s.minimum, s.maximum),
        (bound(0.0, true), bound(10.0, false))
    );
    // The tighter bound wins; on a tie the exclusive one.
    let s = schema("{minimum: 5, exclusiveMinimum: 3, maximum: 10, exclusiveMaximum: 10}")?;
    assert_eq!(
        (s.minimum, s.maximum),
        (bound(5.0, false), bound(10.0, true))
    );
    let s = schema("{minimum: 4, exclusiveMinimum: 4}")?;
    assert_eq!(s.minimum, bound(4.0, true), "a tie of lower bounds");
    let s = schema("{minimum: 1, exclusiveMinimum: 3, maximum: 2.5, exclusiveMaximum: 9}")?;
    assert_eq!(
        (s.minimum, s.maximum),
        (bound(3.0, true), bound(2.5, false))
    );
    assert_eq!(
        error("components:\n  schemas:\n    S: {exclusiveMaximum: ten}\n"),
        "s.yaml#/components/schemas/S/exclusiveMaximum: expected a number, found a string"
    );
    Ok(())
}

#[test]
fn boolean_exclusive_bounds_are_honoured_with_a_warning() -> Result<()> {
    let body = "components:\n  schemas:\n    S: {minimum: 1, exclusiveMinimum: true}\n";
    let s = component(&doc(body)?, "S")?;
    assert_eq!(
        s.minimum,
        Some(Bound {
            value: 1.0,
            exclusive: true
        })
    );
    assert_eq!(
        lines(body),
        [
            "s.yaml#/components/schemas/S/exclusiveMinimum: warning: a boolean `exclusiveMinimum` \
          is OpenAPI 3.0, not 3.1 (3.1 takes the bound itself); honoured"
        ]
    );
    Ok(())
}

#[test]
fn tuples_and_content_keywords() -> Result<()> {
    let s = schema(
        "{type: array, prefixItems: [{type: string}, {type: integer}], items: false, \
         contentMediaType: image/png, contentEncoding: base64}",
    )?;
    let types: Vec<_> = s.prefix_items.iter().map(|p| p.types.clone()).collect();
    assert_eq!(types, [[SchemaType::String], [SchemaType::Integer]]);
    assert_eq!(
        s.prefix_items[1].pointer,
        "/components/schemas/S/prefixItems/1"
    );
    // `items: false` (no items beyond the tuple) is a schema that accepts nothing.
    assert!(s.items.as_ref().is_some_and(|i| i.not.is_some()));
    assert_eq!(s.content_media_type.as_deref(), Some("image/png"));
    assert_eq!(s.content_encoding.as_deref(), Some("base64"));
    Ok(())
}

#[test]
fn a_list_under_items_is_read_as_a_tuple_with_a_warning() -> Result<()> {
    let body = "components:\n  schemas:\n    S: {items: [{type: string}]}\n";
    let s = component(&doc(body)?, "S")?;
    assert_eq!(s.prefix_items.len(), 1);
    assert!(s.items.is_none());
    assert_eq!(lines(body).len(), 1);
    Ok(())
}

#[test]
fn boolean_schemas_and_additional_properties() -> Result<()> {
    let s = schema(
        "{properties: {any: true, none: false}, additionalProperties: {type: integer}, \
         required: [any, gone]}",
    )?;
    assert!(property(&s, "any").is_some_and(Schema::is_unconstrained));
    assert!(property(&s, "none").is_some_and(|n| n.not.is_some()));
    assert_eq!(s.required, ["any", "gone"]);
    assert!(
        matches!(&s.additional, Some(Additional::Schema(v)) if v.types == [SchemaType::Integer])
    );
    let s = schema("{additionalProperties: false}")?;
    assert!(matches!(s.additional, Some(Additional::Bool(false))));
    Ok(())
}

/// The annotations the generator shows in docs and uses for field access are read, and
/// every schema, boolean ones too, knows where it was written.
#[test]
fn annotations_and_pointers_are_read() -> Result<()> {
    let s = schema(
        "{type: string, format: uuid, title: Id, deprecated: true, readOnly: true, \
         properties: {pin: {type: string, writeOnly: true}, any: true, none: false}}",
    )?;
    assert_eq!(s.format.as_deref(), Some("uuid"));
    assert_eq!(s.title.as_deref(), Some("Id"));
    assert!(s.deprecated && s.read_only && !s.write_only);
    assert!(property(&s, "pin").is_some_and(|p| p.write_only && !p.read_only && !p.deprecated));
    let pointers: Vec<&str> = ["pin", "any", "none"]
        .iter()
        .filter_map(|name| property(&s, name))
        .map(|p| p.pointer.as_str())
        .collect();
    assert_eq!(
        pointers,
        [
            "/components/schemas/S/properties/pin",
            "/components/schemas/S/properties/any",
            "/components/schemas/S/properties/none",
        ]
    );
    Ok(())
}

#[test]
fn compositions_and_discriminator_mappings_are_normalised() -> Result<()> {
    let d = doc(
        "components:\n  schemas:\n    Cat: {type: object}\n    Dog: {type: object}\n    \
         Pet:\n      oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]\n      \
         anyOf: [{type: object}]\n      allOf: [{title: a}]\n      not: {type: string}\n      \
         discriminator:\n        propertyName: kind\n        \
         mapping: {cat: Cat, dog: '#/components/schemas/Dog'}\n",
    )?;
    let pet = component(&d, "Pet")?;
    assert_eq!(pet.one_of.len(), 2);
    assert_eq!((pet.any_of.len(), pet.all_of.len()), (1, 1));
    assert!(pet.not.is_some());
    let disc = pet
        .discriminator
        .unwrap_or_else(|| crate::spec::Discriminator {
            property_name: String::new(),
            mapping: Vec::new(),
        });
    assert_eq!(disc.property_name, "kind");
    assert_eq!(
        disc.mapping,
        [
            ("cat".to_string(), "#/components/schemas/Cat".to_string()),
            ("dog".to_string(), "#/components/schemas/Dog".to_string()),
        ]
    );
    assert_eq!(
        error(
            "components:\n  schemas:\n    P: {discriminator: {propertyName: k, mapping: {x: Nope}}}\n"
        ),
        "s.yaml#/components/schemas/P/discriminator/mapping/x: dangling reference \
         \"#/components/schemas/Nope\""
    );
    assert_eq!(
        error("components:\n  schemas:\n    P: {discriminator: {mapping: {}}}\n"),
        "s.yaml#/components/schemas/P/discriminator/propertyName: required field \
         `propertyName` is missing"
    );
    Ok(())
}

#[test]
fn defs_become_components_and_refs_point_at_them() -> Result<()> {
    let d = doc(
        "components:\n  schemas:\n    Order:\n      type: object\n      \
         properties:\n        line: {$ref: '#/components/schemas/Order/$defs/Line'}\n        \
         again: {$ref: '#/components/schemas/Order/$defs/Line'}\n        \
         tag: {$ref: '#/$defs/Tag'}\n      \
         $defs:\n        Line: {type: object, properties: {sku: {$ref: '#/components/schemas/Order/$defs/Sku'}, \
         next: {$ref: '#/components/schemas/Order/$defs/Line'}}}\n        \
         Sku: {type: string}\n        Unused: {type: string}\n\
         $defs:\n  Tag: {type: string}\n",
    )?;
    let names: Vec<&str> = d
        .components
        .schemas
        .iter()
        .map(|(n, _)| n.as_str())
        .collect();
    // Hoisted in the order first referenced; `Unused` is reached by nothing.
    assert_eq!(names, ["Order", "Order.Line", "Tag", "Order.Sku"]);
    assert_eq!(
        component(&d, "Order.Line")?.pointer,
        "/components/schemas/Order/$defs/Line"
    );
    // (component, property, where its reference now points); a `$defs` entry that refers to
    // itself (`next`) stays a reference, read once.
    let expected = [
        ("Order", "line", "Order.Line"),
        ("Order", "again", "Order.Line"),
        ("Order", "tag", "Tag"),
        ("Order.Line", "sku", "Order.Sku"),
        ("Order.Line", "next", "Order.Line"),
    ];
    for (owner, name, target) in expected {
        let owner = component(&d, owner)?;
        let reference = property(&owner, name).and_then(|p| p.reference.clone());
        assert_eq!(
            reference,
            Some(format!("#/components/schemas/{target}")),
            "{name}"
        );
    }
    Ok(())
}

#[test]
fn dangling_and_external_schema_refs_are_errors_at_the_ref() {
    assert_eq!(
        error(
            "components:\n  schemas:\n    S: {properties: {a: {$ref: '#/components/schemas/Nope'}}}\n"
        ),
        "s.yaml#/components/schemas/S/properties/a/$ref: dangling reference \
         \"#/components/schemas/Nope\""
    );
    assert_eq!(
        error("components:\n  schemas:\n    S: {$ref: '#/components/schemas/S/$defs/X'}\n"),
        "s.yaml#/components/schemas/S/$ref: dangling reference \"#/components/schemas/S/$defs/X\""
    );
    assert_eq!(
        error("components:\n  schemas:\n    S: {$ref: 'common.yaml#/Thing'}\n"),
        "s.yaml#/components/schemas/S/$ref: external reference \"common.yaml#/Thing\" is not \
         supported: only local `#/...` references are"
    );
}

#[test]
fn self_referencing_component_schemas_stay_references() -> Result<()> {
    let d = doc(
        "components:\n  schemas:\n    Node: {properties: {next: {$ref: '#/components/schemas/Node'}}}\n    \
         A: {allOf: [{$ref: '#/components/schemas/A'}]}\n",
    )?;
    let node = component(&d, "Node")?;
    assert_eq!(
        property(&node, "next").and_then(|n| n.reference.as_deref()),
        Some("#/components/schemas/Node")
    );
    assert_eq!(d.components.schemas.len(), 2);
    Ok(())
}

const WITH_REFS: &str = "\
paths:
  /items/{id}:
    $ref: '#/components/pathItems/Item'
components:
  pathItems:
    Item:
      parameters: [{$ref: '#/components/parameters/Id'}]
      post:
        requestBody: {$ref: '#/components/requestBodies/New'}
        responses:
          200: {$ref: '#/components/responses/Ok'}
  parameters:
    Id: {name: id, in: path, required: true, schema: {type: string}}
    Alias: {$ref: '#/components/parameters/Id'}
  requestBodies:
    New:
      required: true
      content: {application/json: {schema: {type: object}}}
  responses:
    Ok:
      description: fine
      headers:
        X-Rate: {$ref: '#/components/headers/Rate'}
        Content-Type: {schema: {type: string}}
  headers:
    Rate: {required: true, schema: {type: integer}}
";

#[test]
fn every_kind_of_reference_is_resolved() -> Result<()> {
    let d = doc(WITH_REFS)?;
    let [path] = d.paths.as_slice() else {
        return Err(GenError::new("test", "", "one path expected"));
    };
    assert_eq!(path.path, "/items/{id}");
    assert_eq!(path.pointer, "/paths/~1items~1{id}");
    assert_eq!(path.parameters.len(), 1);
    assert_eq!(path.parameters[0].pointer, "/components/parameters/Id");
    let [op] = path.operations.as_slice() else {
        return Err(GenError::new("test", "", "one operation expected"));
    };
    assert_eq!(op.method, Method::Post);
    assert_eq!(op.pointer, "/components/pathItems/Item/post");
    let body = op.request_body.as_ref();
    assert_eq!(
        body.map(|b| b.pointer.as_str()),
        Some("/components/requestBodies/New")
    );
    assert!(body.is_some_and(|b| b.required && b.content.len() == 1));
    let [(status, response)] = op.responses.as_slice() else {
        return Err(GenError::new("test", "", "one response expected"));
    };
    assert_eq!(*status, StatusKey::Code(200));
    assert_eq!(response.pointer, "/components/responses/Ok");
    assert_eq!(response.description, "fine");
    // `Content-Type` response headers are ignored, as the specification says.
    let headers: Vec<_> = response
        .headers
        .iter()
        .map(|h| (h.name.as_str(), h.pointer.as_str(), h.required))
        .collect();
    assert_eq!(headers, [("X-Rate", "/components/headers/Rate", true)]);
    let alias = d.components.parameter("Alias");
    assert_eq!(
        alias.map(|p| p.pointer.as_str()),
        Some("/components/parameters/Id")
    );
    Ok(())
}

#[test]
fn reference_cycles_are_errors_never_loops() {
    assert_eq!(
        error(
            "components:\n  parameters:\n    A: {$ref: '#/components/parameters/B'}\n    \
             B: {$ref: '#/components/parameters/A'}\n"
        ),
        "s.yaml#/components/parameters/B/$ref: reference cycle: \"#/components/parameters/A\" \
         leads back to a reference already followed"
    );
    assert_eq!(
        error("paths:\n  /a: {$ref: '#/paths/~1a'}\n"),
        "s.yaml#/paths/~1a/$ref: reference cycle: \"#/paths/~1a\" leads back to a reference \
         already followed"
    );
    let response_cycle = error(
        "paths:\n  /a:\n    get:\n      responses:\n        200: {$ref: '#/components/responses/R'}\n\
         components:\n  responses:\n    R: {$ref: '#/components/responses/R'}\n",
    );
    assert!(
        response_cycle.starts_with("s.yaml#/components/responses/R/$ref: reference cycle"),
        "{response_cycle}"
    );
}

#[test]
fn dangling_and_external_refs_name_the_ref() {
    assert_eq!(
        error(
            "paths:\n  /a:\n    get:\n      parameters: [{$ref: '#/components/parameters/Nope'}]\n"
        ),
        "s.yaml#/paths/~1a/get/parameters/0/$ref: dangling reference \
         \"#/components/parameters/Nope\""
    );
    assert_eq!(
        error("paths:\n  /a:\n    get:\n      requestBody: {$ref: 'https://x.test/b.yaml'}\n"),
        "s.yaml#/paths/~1a/get/requestBody/$ref: external reference \"https://x.test/b.yaml\" \
         is not supported: only local `#/...` references are"
    );
    assert_eq!(
        error("paths:\n  /a: {$ref: '#/components/pathItems/Nope'}\n"),
        "s.yaml#/paths/~1a/$ref: dangling reference \"#/components/pathItems/Nope\""
    );
    assert_eq!(
        error(
            "paths:\n  /a:\n    get:\n      responses:\n        200:\n          description: x\n          \
             headers: {H: {$ref: '#/components/headers/H'}}\n"
        ),
        "s.yaml#/paths/~1a/get/responses/200/headers/H/$ref: dangling reference \
         \"#/components/headers/H\""
    );
}

#[test]
fn fields_beside_a_path_item_ref_are_ignored_with_a_warning() -> Result<()> {
    let body = "paths:\n  /a:\n    $ref: '#/components/pathItems/P'\n    summary: s\n    get: {}\n\
                components:\n  pathItems:\n    P: {put: {}}\n";
    let d = doc(body)?;
    let methods: Vec<Method> = d.paths[0].operations.iter().map(|o| o.method).collect();
    assert_eq!(methods, [Method::Put]);
    assert_eq!(
        lines(body),
        [
            "s.yaml#/paths/~1a/get: warning: `get` beside `$ref` in a path item is ignored (the target is read)"
        ]
    );
    Ok(())
}

#[test]
fn webhooks_and_dialect_get_one_note_each() -> Result<()> {
    let body = "jsonSchemaDialect: https://spec.openapis.org/oas/3.1/dialect/base\n\
                webhooks:\n  a: {post: {}}\n  b: {post: {}}\n";
    let (result, diagnostics) = read_spec(body);
    assert!(result?.paths.is_empty());
    assert!(!diagnostics.has_warnings());
    assert_eq!(
        diagnostics.lines(),
        [
            "s.yaml#/webhooks: note: webhooks are not generated (they describe requests the API \
             sends, not ones the client makes)",
            "s.yaml#/jsonSchemaDialect: note: jsonSchemaDialect is ignored: schemas are read as \
             OpenAPI 3.1's default dialect",
        ]
    );
    Ok(())
}

#[test]
fn nullable_is_honoured_with_one_warning() -> Result<()> {
    let body = "components:\n  schemas:\n    A: {type: string, nullable: true}\n    \
                B: {type: string, nullable: true}\n    C: {type: string, nullable: false}\n";
    let d = doc(body)?;
    assert!(component(&d, "A")?.nullable && component(&d, "B")?.nullable);
    assert!(!component(&d, "C")?.nullable);
    assert_eq!(
        lines(body),
        [
            "s.yaml#/components/schemas/A/nullable: warning: `nullable` is OpenAPI 3.0, not 3.1 \
          (write `type: [..., \"null\"]`); honoured (and 1 more place)"
        ]
    );
    Ok(())
}

#[test]
fn shape_errors_name_the_node() {
    let cases = [
        (
            "paths:\n  /x:\n    get: {responses: 5}\n",
            "s.yaml#/paths/~1x/get/responses: expected a map, found a number",
        ),
        (
            "paths:\n  /x:\n    get: {parameters: [{in: query}]}\n",
            "s.yaml#/paths/~1x/get/parameters/0/name: required field `name` is missing",
        ),
        (
            "paths:\n  /x:\n    get: {parameters: [{name: a}]}\n",
            "s.yaml#/paths/~1x/get/parameters/0/in: required field `in` is missing",
        ),
        (
            "paths:\n  /x:\n    get: {parameters: [{name: a, in: body}]}\n",
            "s.yaml#/paths/~1x/get/parameters/0/in: unknown parameter location \"body\" (expected path, query, header or cookie)",
        ),
        (
            "paths:\n  /x:\n    get: {parameters: {a: 1}}\n",
            "s.yaml#/paths/~1x/get/parameters: expected a list, found a map",
        ),
        (
            "paths:\n  x: {}\n",
            "s.yaml#/paths/x: path \"x\" does not start with `/`",
        ),
        (
            "paths:\n  /x: [get]\n",
            "s.yaml#/paths/~1x: expected a map, found a list",
        ),
        (
            "paths:\n  /x:\n    get: {operationId: [a]}\n",
            "s.yaml#/paths/~1x/get/operationId: expected a string, found a list",
        ),
        (
            "paths:\n  /x:\n    get: {deprecated: 'yes'}\n",
            "s.yaml#/paths/~1x/get/deprecated: expected a boolean, found a string",
        ),
        (
            "paths:\n  /x:\n    post: {requestBody: {description: d}}\n",
            "s.yaml#/paths/~1x/post/requestBody/content: required field `content` is missing",
        ),
        (
            "paths:\n  /x:\n    get: {parameters: [{name: a, in: query, schema: {}, content: {}}]}\n",
            "s.yaml#/paths/~1x/get/parameters/0: has both `schema` and `content`; use one",
        ),
        (
            "paths:\n  /x:\n    get: {parameters: [{name: a, in: query, content: {a/b: {}, c/d: {}}}]}\n",
            "s.yaml#/paths/~1x/get/parameters/0/content: `content` here must have exactly one entry",
        ),
        (
            "servers: [{description: d}]\n",
            "s.yaml#/servers/0/url: required field `url` is missing",
        ),
        (
            "components: []\n",
            "s.yaml#/components: expected a map, found a list",
        ),
        (
            "components:\n  schemas:\n    S: {properties: [a]}\n",
            "s.yaml#/components/schemas/S/properties: expected a map, found a list",
        ),
        (
            "components:\n  schemas:\n    S: 5\n",
            "s.yaml#/components/schemas/S: expected a map, found a number",
        ),
        (
            "components:\n  schemas:\n    S: {required: [1]}\n",
            "s.yaml#/components/schemas/S/required/0: expected a string, found a number",
        ),
        (
            "security: [{basic: []}]\n",
            "s.yaml#/security/0/basic: security scheme \"basic\" is not declared in components.securitySchemes",
        ),
        (
            "components:\n  securitySchemes:\n    k: {type: apiKey, name: k, in: path}\n",
            "s.yaml#/components/securitySchemes/k/in: unknown API key location \"path\" (expected query, header or cookie)",
        ),
        (
            "components:\n  securitySchemes:\n    k: {type: magic}\n",
            "s.yaml#/components/securitySchemes/k/type: unknown security scheme type \"magic\" (expected apiKey, http, oauth2, openIdConnect or mutualTLS)",
        ),
    ];
    for (body, expected) in cases {
        assert_eq!(error(body), expected, "{body}");
    }
}

#[test]
fn info_and_root_shape_errors() {
    let read_text = |text: &str| {
        let value: yaml_serde::Value = yaml_serde::from_str(text).unwrap_or_default();
        read(&value, "s.yaml", &mut Diagnostics::new("s.yaml"))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    assert_eq!(read_text("- a\n"), "s.yaml: expected a map, found a list");
    assert_eq!(
        read_text("openapi: 3.1.0\n"),
        "s.yaml#/info: required field `info` is missing"
    );
    assert_eq!(
        read_text("openapi: 3.1.0\ninfo: {version: '1'}\n"),
        "s.yaml#/info/title: required field `title` is missing"
    );
    assert_eq!(
        read_text("openapi: 3.1.0\ninfo: {title: t, version: 1.0}\n"),
        "s.yaml#/info/version: expected a string, found a number"
    );
    assert_eq!(
        read_text("openapi: 3.1.0\ninfo: t\n"),
        "s.yaml#/info: expected a map, found a string"
    );
}

#[test]
fn response_keys_in_every_spelling() -> Result<()> {
    let d = doc(
        "paths:\n  /x:\n    get:\n      responses:\n        200: {description: a}\n        \
         '201': {description: b}\n        2XX: {description: c}\n        4xx: {description: d}\n        \
         default: {description: e}\n        x-note: {anything: 1}\n",
    )?;
    let keys: Vec<StatusKey> = d.paths[0].operations[0]
        .responses
        .iter()
        .map(|(k, _)| *k)
        .collect();
    assert_eq!(
        keys,
        [
            StatusKey::Code(200),
            StatusKey::Code(201),
            StatusKey::Range(2),
            StatusKey::Range(4),
            StatusKey::Default
        ]
    );
    assert_eq!(
        error("paths:\n  /x:\n    get:\n      responses:\n        20: {description: a}\n"),
        "s.yaml#/paths/~1x/get/responses/20: unknown response key \"20\" (expected a status \
         code such as 200, a range such as 2XX, or default)"
    );
    assert_eq!(
        error("paths:\n  /x:\n    get:\n      responses:\n        true: {description: a}\n"),
        "s.yaml#/paths/~1x/get/responses/true: unknown response key \"true\" (expected a status \
         code such as 200, a range such as 2XX, or default)"
    );
    Ok(())
}

#[test]
fn non_string_keys_elsewhere_take_their_string_form() -> Result<()> {
    let s = schema("{properties: {true: {type: boolean}, 404: {type: string}}}")?;
    let names: Vec<&str> = s.properties.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["true", "404"]);
    assert_eq!(
        s.properties[1].1.pointer,
        "/components/schemas/S/properties/404"
    );
    // A reference can reach a response filed under a numeric key.
    let d = doc(
        "paths:\n  /x:\n    get:\n      responses:\n        200: {description: a}\n  \
         /y:\n    get:\n      responses:\n        200: {$ref: '#/paths/~1x/get/responses/200'}\n",
    )?;
    assert_eq!(
        d.paths[1].operations[0].responses[0].1.pointer,
        "/paths/~1x/get/responses/200"
    );
    Ok(())
}

#[test]
fn responses_without_description_are_read_with_a_warning() -> Result<()> {
    let body = "paths:\n  /x:\n    get:\n      responses:\n        204: {}\n";
    let d = doc(body)?;
    assert_eq!(d.paths[0].operations[0].responses[0].1.description, "");
    assert_eq!(
        lines(body),
        [
            "s.yaml#/paths/~1x/get/responses/204: warning: a response without `description` \
          (required by OpenAPI); read as empty"
        ]
    );
    Ok(())
}

#[test]
fn inline_nesting_is_bounded() {
    assert_eq!(
        error(&nested_items(64, |inner| format!("{{items: {inner}}}"))),
        ""
    );
    let err = error(&nested_items(65, |inner| format!("{{items: {inner}}}")));
    let pointer = format!("/components/schemas/S{}", "/items".repeat(65));
    assert_eq!(
        err,
        format!(
            "s.yaml#{pointer}: schemas nested deeper than 64 levels (move the inner ones to \
             components)"
        )
    );
}

#[test]
fn unknown_keys_are_ignored_and_extensions_kept() -> Result<()> {
    let d = doc("x-root: {a: 1}\nfuture: whatever\n\
         paths:\n  x-paths-ext: 1\n  /x:\n    get:\n      x-op: true\n      futureField: 1\n      \
         parameters: [{name: a, in: query, x-p: [1], unknownKey: 2}]\n      responses: {}\n")?;
    assert_eq!(d.extensions.get("x-root"), Some(&json!({"a": 1})));
    assert_eq!(d.extensions.pointer_of("x-root"), "/x-root");
    let op = &d.paths[0].operations[0];
    assert_eq!(op.extensions.get("x-op"), Some(&json!(true)));
    assert_eq!(op.extensions.pointer, "/paths/~1x/get");
    assert_eq!(op.parameters[0].extensions.get("x-p"), Some(&json!([1])));
    assert_eq!(d.paths.len(), 1);
    Ok(())
}

#[test]
fn operations_and_parameters_are_read_faithfully() -> Result<()> {
    let d = doc(
        "servers: [{url: 'https://api.test/v1', description: prod}]\nsecurity: [{basic: []}, {}]\n\
         paths:\n  /u/{id}:\n    parameters:\n      - {name: id, in: path, schema: {type: string}}\n    \
         delete: {}\n    get:\n      operationId: getU\n      summary: s\n      description: d\n      \
         tags: [a, b]\n      deprecated: true\n      security: [{oauth: [read, write]}]\n      \
         parameters:\n        - {name: q, in: query, style: deepObject, explode: true, \
         allowReserved: true, deprecated: true, description: dq, schema: {type: object}}\n        \
         - {name: X-H, in: header, required: true, content: {application/json: {schema: {type: integer}}}}\n        \
         - {name: c, in: cookie}\n      \
         requestBody:\n        content:\n          multipart/form-data:\n            schema: {type: object}\n            \
         encoding: {file: {contentType: image/png, style: form, explode: false}}\n      \
         responses: {}\n\
         components:\n  securitySchemes:\n    basic: {type: http, scheme: Basic}\n    \
         oauth: {type: oauth2, flows: {clientCredentials: {tokenUrl: /t, scopes: {read: r, write: w}}, \
         authorizationCode: {authorizationUrl: /a, tokenUrl: /t, scopes: {}}}}\n",
    )?;
    assert_eq!(d.servers.len(), 1);
    assert_eq!(d.servers[0].url, "https://api.test/v1");
    assert_eq!(d.servers[0].description.as_deref(), Some("prod"));
    let security = d.security.as_ref().map(|s| s.len());
    assert_eq!(security, Some(2));
    let path = &d.paths[0];
    // Operations come in the order of `Method::ALL`, whatever the file's order.
    let methods: Vec<Method> = path.operations.iter().map(|o| o.method).collect();
    assert_eq!(methods, [Method::Get, Method::Delete]);
    // A path parameter is required even when the spec forgets to say so.
    assert!(path.parameters[0].required);
    let get = &path.operations[0];
    assert_eq!(get.operation_id.as_deref(), Some("getU"));
    assert_eq!(
        (get.summary.as_deref(), get.description.as_deref()),
        (Some("s"), Some("d"))
    );
    assert_eq!(get.tags, ["a", "b"]);
    assert!(get.deprecated);
    let scopes = get
        .security
        .as_ref()
        .and_then(|s| s.first())
        .map(|r| r.schemes.clone());
    assert_eq!(
        scopes,
        Some(vec![(
            "oauth".to_string(),
            vec!["read".to_string(), "write".to_string()]
        )])
    );
    let [q, h, c] = get.parameters.as_slice() else {
        return Err(GenError::new("test", "", "three parameters expected"));
    };
    assert_eq!(
        (q.location, q.style.as_deref(), q.explode),
        (ParameterIn::Query, Some("deepObject"), Some(true))
    );
    assert!(q.allow_reserved && q.deprecated && !q.required);
    assert_eq!(q.description.as_deref(), Some("dq"));
    assert_eq!((h.location, h.required), (ParameterIn::Header, true));
    assert_eq!(h.content_type.as_deref(), Some("application/json"));
    assert!(
        h.schema
            .as_ref()
            .is_some_and(|s| s.types == [SchemaType::Integer])
    );
    assert_eq!(
        (c.location, c.schema.is_none()),
        (ParameterIn::Cookie, true)
    );
    let media = get.request_body.as_ref().and_then(|b| b.content.first());
    assert_eq!(
        media.map(|m| m.media_type.as_str()),
        Some("multipart/form-data")
    );
    assert_eq!(
        media.map(|m| m.pointer.as_str()),
        Some("/paths/~1u~1{id}/get/requestBody/content/multipart~1form-data")
    );
    let encoding = media.and_then(|m| m.encoding.first()).cloned();
    assert!(encoding.is_some_and(|(name, e)| name == "file"
        && e.content_type.as_deref() == Some("image/png")
        && e.style.as_deref() == Some("form")
        && e.explode == Some(false)));
    let kinds = scheme_kinds(&d);
    assert_eq!(
        kinds[0],
        SecuritySchemeKind::Http {
            scheme: "basic".into(),
            bearer_format: None
        }
    );
    assert_eq!(
        kinds[1],
        SecuritySchemeKind::OAuth2 {
            client_credentials: Some(crate::spec::OAuthFlow {
                token_url: "/t".into(),
                refresh_url: None,
                scopes: vec!["read".into(), "write".into()],
            }),
            other_flows: vec!["authorizationCode".into()],
        }
    );
    Ok(())
}

#[test]
fn every_security_scheme_kind() -> Result<()> {
    let d = doc("components:\n  securitySchemes:\n    \
         key: {type: apiKey, name: api_key, in: query, description: k}\n    \
         bearer: {type: http, scheme: bearer, bearerFormat: JWT}\n    \
         oidc: {type: openIdConnect, openIdConnectUrl: 'https://id.test'}\n    \
         mtls: {type: mutualTLS}\n    \
         alias: {$ref: '#/components/securitySchemes/key'}\n")?;
    let kinds = scheme_kinds(&d);
    assert_eq!(
        kinds,
        [
            SecuritySchemeKind::ApiKey {
                name: "api_key".into(),
                location: ParameterIn::Query
            },
            SecuritySchemeKind::Http {
                scheme: "bearer".into(),
                bearer_format: Some("JWT".into())
            },
            SecuritySchemeKind::OpenIdConnect {
                url: "https://id.test".into()
            },
            SecuritySchemeKind::MutualTls,
            SecuritySchemeKind::ApiKey {
                name: "api_key".into(),
                location: ParameterIn::Query
            },
        ]
    );
    assert_eq!(
        d.components.security_schemes[0].1.description.as_deref(),
        Some("k")
    );
    assert_eq!(
        d.components.security_schemes[4].1.pointer,
        "/components/securitySchemes/key"
    );
    Ok(())
}

#[test]
fn info_is_read() -> Result<()> {
    let text = "openapi: 3.1.0\ninfo: {title: T, version: '2.0', description: D, summary: S}\n";
    let value: yaml_serde::Value = yaml_serde::from_str(text).unwrap_or_default();
    let d = read(&value, "s.yaml", &mut Diagnostics::new("s.yaml"))?;
    assert_eq!(d.version, crate::spec::Version::V31);
    assert_eq!(
        (d.info.title.as_str(), d.info.version.as_str()),
        ("T", "2.0")
    );
    assert_eq!(d.info.description.as_deref(), Some("D"));
    assert!(d.security.is_none() && d.paths.is_empty() && d.servers.is_empty());
    Ok(())
}

#[test]
fn a_description_beside_a_ref_overrides_the_target() -> Result<()> {
    let d = doc("paths:\n  /a:\n    post:\n      \
         parameters: [{$ref: '#/components/parameters/P', description: mine}, {$ref: '#/components/parameters/P'}]\n      \
         requestBody: {$ref: '#/components/requestBodies/B', description: body here}\n      \
         responses:\n        200:\n          $ref: '#/components/responses/R'\n          description: ok here\n\
         components:\n  parameters:\n    P: {name: p, in: query, description: theirs}\n  \
         requestBodies:\n    B: {content: {}}\n  \
         responses:\n    R:\n      description: ok\n      headers: {H: {$ref: '#/components/headers/H', description: h here}}\n  \
         headers:\n    H: {description: h}\n")?;
    let op = &d.paths[0].operations[0];
    let descriptions: Vec<_> = op
        .parameters
        .iter()
        .map(|p| p.description.as_deref())
        .collect();
    assert_eq!(descriptions, [Some("mine"), Some("theirs")]);
    let body = op
        .request_body
        .as_ref()
        .and_then(|b| b.description.as_deref());
    assert_eq!(body, Some("body here"));
    let response = &op.responses[0].1;
    assert_eq!(response.description, "ok here");
    assert_eq!(response.headers[0].description.as_deref(), Some("h here"));
    Ok(())
}

#[test]
fn callbacks_and_links_get_a_note() {
    let body = "paths:\n  /a:\n    post:\n      callbacks: {c: {}}\n      \
                responses:\n        200: {description: x, links: {l: {}}}\n  \
                /b:\n    post:\n      callbacks: {c: {}}\n";
    assert_eq!(
        lines(body),
        [
            "s.yaml#/paths/~1a/post/callbacks: note: callbacks are not generated (they describe \
             requests the API sends) (and 1 more place)",
            "s.yaml#/paths/~1a/post/responses/200/links: note: response links are not generated",
        ]
    );
}

#[test]
fn long_chains_of_defs_are_read_without_recursion() -> Result<()> {
    // Each `$defs` entry refers to the next: a work list, not a recursion, reads them.
    let mut body = String::from("components:\n  schemas:\n    S: {$ref: '#/$defs/D0'}\n$defs:\n");
    for i in 0..2000 {
        body.push_str(&format!(
            "  D{i}: {{properties: {{next: {{$ref: '#/$defs/D{}'}}}}}}\n",
            i + 1
        ));
    }
    body.push_str("  D2000: {type: string}\n");
    let d = doc(&body)?;
    assert_eq!(d.components.schemas.len(), 2002);
    assert_eq!(
        d.components.schemas.last().map(|(n, _)| n.as_str()),
        Some("D2000")
    );
    Ok(())
}

#[test]
fn path_parameters_not_marked_required_warn_once() -> Result<()> {
    let body = "paths:\n  /a/{x}/{y}:\n    parameters:\n      - {name: x, in: path}\n      \
                - {name: y, in: path, required: false}\n";
    let d = doc(body)?;
    assert!(d.paths[0].parameters.iter().all(|p| p.required));
    assert_eq!(
        lines(body),
        [
            "s.yaml#/paths/~1a~1{x}~1{y}/parameters/0: warning: path parameter \"x\" is not marked \
          `required: true`; read as required (and 1 more place)"
        ]
    );
    Ok(())
}

#[test]
fn other_schema_pointers_are_hoisted_and_refs_canonicalised() -> Result<()> {
    let d = doc(
        "components:\n  schemas:\n    A: {properties: {b: {type: string}}}\n    My Name: {}\n    \
         S:\n      properties:\n        deep: {$ref: '#/components/schemas/A/properties/b'}\n        \
         spaced: {$ref: '#/components/schemas/My%20Name'}\n      \
         discriminator: {propertyName: k, mapping: {d: '#/$defs/D'}}\n\
         $defs:\n  D: {type: object}\n",
    )?;
    let s = component(&d, "S")?;
    let reference = |name: &str| property(&s, name).and_then(|p| p.reference.clone());
    assert_eq!(
        reference("deep").as_deref(),
        Some("#/components/schemas/A.properties.b")
    );
    assert_eq!(
        reference("spaced").as_deref(),
        Some("#/components/schemas/My Name")
    );
    let mapping = s.discriminator.map(|d| d.mapping).unwrap_or_default();
    assert_eq!(
        mapping,
        [("d".to_string(), "#/components/schemas/D".to_string())]
    );
    let hoisted = component(&d, "A.properties.b")?;
    assert_eq!(hoisted.pointer, "/components/schemas/A/properties/b");
    assert_eq!(hoisted.types, [SchemaType::String]);
    assert!(component(&d, "D").is_ok());
    Ok(())
}

#[test]
fn identity_keywords_get_a_note_and_dynamic_refs_a_warning() {
    let body = "components:\n  schemas:\n    \
                A: {$id: 'https://x.test/a', $schema: 'https://json-schema.org/draft/2020-12/schema', \
                $comment: c, $anchor: a}\n    B: {$dynamicRef: '#meta'}\n";
    assert_eq!(
        lines(body),
        [
            "s.yaml#/components/schemas/A/$id: note: `$id` is not used: references are resolved \
             by JSON pointer",
            "s.yaml#/components/schemas/A/$schema: note: `$schema` is not used: references are \
             resolved by JSON pointer",
            "s.yaml#/components/schemas/A/$anchor: note: `$anchor` is not used: references are \
             resolved by JSON pointer",
            "s.yaml#/components/schemas/B/$dynamicRef: warning: `$dynamicRef` is not followed; \
             the schema is read without it",
        ]
    );
}
