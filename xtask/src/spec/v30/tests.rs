//! Whole-document tests of the 3.0 reader, on small specs written inline: what each 3.0
//! construct becomes in the version-neutral model, and where errors point.

use super::read;
use crate::error::{GenError, Result};
use crate::spec::test_support::{component, error_line, nested_items, property, read_with};
use crate::spec::{
    Additional, Bound, Diagnostics, Discriminator, Document, Method, OAuthFlow, ParameterIn,
    Schema, SchemaType, SecurityRequirement, SecuritySchemeKind, StatusKey,
};
use serde_json::json;

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

/// Reads `HEAD` followed by `body`; `paths` is added when `body` has none (3.0 requires it).
fn read_spec(body: &str) -> (Result<Document>, Diagnostics) {
    let paths = if body.contains("paths:") {
        ""
    } else {
        "paths: {}\n"
    };
    read_with(read, &format!("{HEAD}{paths}{body}"))
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

/// The pointers of a list of schemas.
fn pointers(schemas: &[Schema]) -> Vec<&str> {
    schemas.iter().map(|s| s.pointer.as_str()).collect()
}

#[test]
fn document_fields_are_read() -> Result<()> {
    let (result, diagnostics) = read_with(
        read,
        "openapi: 3.0.3\ninfo: {title: T, version: '2.0', description: D}\n\
         servers: [{url: 'https://api.test/v1', description: prod}, {url: /v2}]\n\
         security: [{basic: []}, {}]\nx-root: {a: 1}\npaths: {}\n",
    );
    let d = result?;
    assert_eq!(d.version, crate::spec::Version::V30);
    assert_eq!(
        (d.info.title.as_str(), d.info.version.as_str()),
        ("T", "2.0")
    );
    assert_eq!(d.info.description.as_deref(), Some("D"));
    let servers: Vec<_> = d
        .servers
        .iter()
        .map(|s| (s.url.as_str(), s.description.as_deref()))
        .collect();
    assert_eq!(
        servers,
        [("https://api.test/v1", Some("prod")), ("/v2", None)]
    );
    assert_eq!(
        d.security,
        Some(vec![
            SecurityRequirement {
                schemes: vec![("basic".into(), vec![])]
            },
            SecurityRequirement { schemes: vec![] },
        ])
    );
    assert_eq!(d.extensions.get("x-root"), Some(&json!({"a": 1})));
    assert_eq!(d.extensions.pointer_of("x-root"), "/x-root");
    assert!(diagnostics.lines().is_empty());
    // No `security` at all is not an empty list: the distinction decides whether auth applies.
    assert!(doc("")?.security.is_none());
    Ok(())
}

#[test]
fn extensions_on_paths_get_a_note_each() {
    assert_eq!(
        lines("paths:\n  x-a: 1\n  x-b: {c: 2}\n  /p: {}\n"),
        [
            "s.yaml#/paths/x-a: note: vendor extension x-a is not read here",
            "s.yaml#/paths/x-b: note: vendor extension x-b is not read here",
        ]
    );
    assert!(lines("paths:\n  /p: {}\n").is_empty());
}

#[test]
fn path_item_references_are_refused() {
    assert_eq!(
        error("paths:\n  /a: {$ref: '#/components/pathItems/A'}\n"),
        "s.yaml#/paths/~1a: unsupported: a path item $ref (\"#/components/pathItems/A\") in an \
         OpenAPI 3.0 document"
    );
}

#[test]
fn operations_come_in_method_order_with_their_fields() -> Result<()> {
    let d = doc("paths:\n  /u/{id}:\n    \
         parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n    \
         trace: {responses: {}}\n    patch: {responses: {}}\n    head: {responses: {}}\n    \
         options: {responses: {}}\n    delete: {responses: {}}\n    post: {responses: {}}\n    \
         put: {responses: {}}\n    get:\n      operationId: getU\n      summary: s\n      \
         description: d\n      tags: [a, b]\n      deprecated: true\n      \
         security: [{oauth: [read, write]}]\n      x-op: true\n      responses: {}\n")?;
    let path = &d.paths[0];
    assert_eq!(path.path, "/u/{id}");
    assert_eq!(path.pointer, "/paths/~1u~1{id}");
    assert_eq!(path.parameters.len(), 1);
    assert_eq!(path.parameters[0].pointer, "/paths/~1u~1{id}/parameters/0");
    let methods: Vec<Method> = path.operations.iter().map(|o| o.method).collect();
    assert_eq!(methods, Method::ALL);
    let op_pointers: Vec<&str> = path.operations.iter().map(|o| o.pointer.as_str()).collect();
    assert_eq!(op_pointers[0], "/paths/~1u~1{id}/get");
    assert_eq!(op_pointers[7], "/paths/~1u~1{id}/trace");
    let get = &path.operations[0];
    assert_eq!(get.operation_id.as_deref(), Some("getU"));
    assert_eq!(
        (get.summary.as_deref(), get.description.as_deref()),
        (Some("s"), Some("d"))
    );
    assert_eq!(get.tags, ["a", "b"]);
    assert!(get.deprecated && !path.operations[1].deprecated);
    assert_eq!(
        get.security,
        Some(vec![SecurityRequirement {
            schemes: vec![("oauth".into(), vec!["read".into(), "write".into()])]
        }])
    );
    assert!(path.operations[1].security.is_none());
    assert_eq!(get.extensions.get("x-op"), Some(&json!(true)));
    assert_eq!(get.extensions.pointer, "/paths/~1u~1{id}/get");
    Ok(())
}

#[test]
fn response_keys_and_pointers() -> Result<()> {
    let d = doc(
        "paths:\n  /x:\n    get:\n      responses:\n        200: {description: a}\n        \
         4XX: {description: b}\n        default: {description: c}\n",
    )?;
    let responses = &d.paths[0].operations[0].responses;
    let keys: Vec<StatusKey> = responses.iter().map(|(k, _)| *k).collect();
    assert_eq!(
        keys,
        [
            StatusKey::Code(200),
            StatusKey::Range(4),
            StatusKey::Default
        ]
    );
    let at: Vec<&str> = responses.iter().map(|(_, r)| r.pointer.as_str()).collect();
    assert_eq!(
        at,
        [
            "/paths/~1x/get/responses/200",
            "/paths/~1x/get/responses/4XX",
            "/paths/~1x/get/responses/default",
        ]
    );
    let descriptions: Vec<&str> = responses
        .iter()
        .map(|(_, r)| r.description.as_str())
        .collect();
    assert_eq!(descriptions, ["a", "b", "c"]);
    Ok(())
}

#[test]
fn callbacks_get_a_note_only_where_written() {
    let body = "paths:\n  /a:\n    post:\n      callbacks: {c: {}}\n      responses: {}\n  \
                /b:\n    post:\n      callbacks: {c: {}}\n      responses: {}\n";
    assert_eq!(
        lines(body),
        [
            "s.yaml#/paths/~1a/post/callbacks: note: callbacks are not generated (the client does \
          not serve requests) (and 1 more place)"
        ]
    );
    assert!(lines("paths:\n  /a:\n    post: {responses: {}}\n").is_empty());
}

#[test]
fn parameters_in_every_location_and_style() -> Result<()> {
    let d = doc(
        "paths:\n  /p/{a}/{b}/{c}:\n    get:\n      parameters:\n        \
         - {name: a, in: path, required: true, style: matrix, schema: {type: string}}\n        \
         - {name: b, in: path, required: true, style: label, schema: {type: string}}\n        \
         - {name: c, in: path, required: true, schema: {type: string}}\n        \
         - {name: q1, in: query, schema: {type: string}}\n        \
         - {name: q2, in: query, style: spaceDelimited, schema: {type: array, items: {type: string}}}\n        \
         - {name: q3, in: query, style: pipeDelimited, schema: {type: array, items: {type: string}}}\n        \
         - {name: q4, in: query, style: deepObject, explode: true, allowReserved: true, \
         deprecated: true, description: dq, x-p: [1], schema: {type: object}}\n        \
         - {name: X-H, in: header, required: true, schema: {type: integer}}\n        \
         - {name: k, in: cookie, schema: {type: string}}\n      \
         responses: {}\n",
    )?;
    let params = &d.paths[0].operations[0].parameters;
    let seen: Vec<(&str, ParameterIn, Option<&str>, bool)> = params
        .iter()
        .map(|p| (p.name.as_str(), p.location, p.style.as_deref(), p.required))
        .collect();
    assert_eq!(
        seen,
        [
            ("a", ParameterIn::Path, Some("matrix"), true),
            ("b", ParameterIn::Path, Some("label"), true),
            ("c", ParameterIn::Path, Some("simple"), true),
            ("q1", ParameterIn::Query, Some("form"), false),
            ("q2", ParameterIn::Query, Some("spaceDelimited"), false),
            ("q3", ParameterIn::Query, Some("pipeDelimited"), false),
            ("q4", ParameterIn::Query, Some("deepObject"), false),
            ("X-H", ParameterIn::Header, Some("simple"), true),
            ("k", ParameterIn::Cookie, Some("form"), false),
        ]
    );
    let q4 = &params[6];
    assert_eq!(q4.pointer, "/paths/~1p~1{a}~1{b}~1{c}/get/parameters/6");
    assert!(q4.allow_reserved && q4.deprecated && q4.explode == Some(true));
    assert!(!params[3].allow_reserved && !params[3].deprecated && params[3].explode.is_none());
    assert_eq!(q4.description.as_deref(), Some("dq"));
    assert_eq!(q4.extensions.get("x-p"), Some(&json!([1])));
    assert_eq!(
        q4.extensions.pointer,
        "/paths/~1p~1{a}~1{b}~1{c}/get/parameters/6"
    );
    let schema = q4.schema.as_ref();
    assert_eq!(
        schema.map(|s| s.types.clone()),
        Some(vec![SchemaType::Object])
    );
    assert_eq!(
        schema.map(|s| s.pointer.as_str()),
        Some("/paths/~1p~1{a}~1{b}~1{c}/get/parameters/6/schema")
    );
    assert!(params.iter().all(|p| p.content_type.is_none()));
    Ok(())
}

#[test]
fn content_parameters_and_headers_carry_their_media_type() -> Result<()> {
    let d = doc("paths:\n  /x:\n    get:\n      parameters:\n        \
         - {name: f, in: query, content: {application/json: {schema: {type: integer}}}}\n        \
         - {name: g, in: query, content: {text/plain: {}}}\n      \
         responses:\n        200:\n          description: ok\n          headers:\n            \
         X-J: {content: {application/json: {schema: {type: boolean}}}}\n")?;
    let op = &d.paths[0].operations[0];
    let [f, g] = op.parameters.as_slice() else {
        return Err(GenError::new("test", "", "two parameters expected"));
    };
    assert_eq!(f.content_type.as_deref(), Some("application/json"));
    let f_schema = f.schema.as_ref();
    assert_eq!(
        f_schema.map(|s| s.types.clone()),
        Some(vec![SchemaType::Integer])
    );
    assert_eq!(
        f_schema.map(|s| s.pointer.as_str()),
        Some("/paths/~1x/get/parameters/0/content/application~1json/schema")
    );
    assert_eq!(g.content_type.as_deref(), Some("text/plain"));
    assert!(g.schema.is_none());
    let header = &op.responses[0].1.headers[0];
    assert_eq!(
        header.schema.as_ref().map(|s| s.types.clone()),
        Some(vec![SchemaType::Boolean])
    );
    Ok(())
}

#[test]
fn content_of_a_parameter_needs_exactly_one_entry() {
    assert_eq!(
        error(
            "paths:\n  /x:\n    get:\n      \
               parameters: [{name: f, in: query, content: {a/b: {}, c/d: {}}}]\n      \
               responses: {}\n"
        ),
        "s.yaml#/paths/~1x/get/parameters/0/content: `content` of a parameter or header must \
         have exactly one entry"
    );
    assert_eq!(
        error(
            "paths:\n  /x:\n    get:\n      \
               parameters: [{name: f, in: query, content: {}}]\n      responses: {}\n"
        ),
        "s.yaml#/paths/~1x/get/parameters/0/content: `content` of a parameter or header must \
         have exactly one entry"
    );
}

#[test]
fn request_bodies_and_encodings() -> Result<()> {
    let d = doc(
        "paths:\n  /x:\n    post:\n      requestBody:\n        description: up\n        \
         required: true\n        content:\n          multipart/form-data:\n            \
         schema: {type: object}\n            \
         encoding:\n              file: {contentType: image/png, style: form, explode: false}\n              \
         meta: {style: deepObject}\n          \
         application/json: {}\n      responses: {}\n",
    )?;
    let body = d.paths[0].operations[0].request_body.as_ref();
    let Some(body) = body else {
        return Err(GenError::new("test", "", "a request body expected"));
    };
    assert_eq!(body.description.as_deref(), Some("up"));
    assert!(body.required);
    assert_eq!(body.pointer, "/paths/~1x/post/requestBody");
    let media: Vec<(&str, &str, bool)> = body
        .content
        .iter()
        .map(|m| {
            (
                m.media_type.as_str(),
                m.pointer.as_str(),
                m.schema.is_some(),
            )
        })
        .collect();
    assert_eq!(
        media,
        [
            (
                "multipart/form-data",
                "/paths/~1x/post/requestBody/content/multipart~1form-data",
                true
            ),
            (
                "application/json",
                "/paths/~1x/post/requestBody/content/application~1json",
                false
            ),
        ]
    );
    assert_eq!(
        body.content[0].schema.as_ref().map(|s| s.pointer.as_str()),
        Some("/paths/~1x/post/requestBody/content/multipart~1form-data/schema")
    );
    let encoding: Vec<String> = body.content[0]
        .encoding
        .iter()
        .map(|(name, e)| format!("{name} {:?} {:?} {:?}", e.content_type, e.style, e.explode))
        .collect();
    assert_eq!(
        encoding,
        [
            "file Some(\"image/png\") Some(\"form\") Some(false)",
            // openapiv3 reads a missing `explode` as `false`, whatever the style.
            "meta None Some(\"deepObject\") Some(false)",
        ]
    );
    Ok(())
}

#[test]
fn references_resolve_to_their_components() -> Result<()> {
    let d = doc("paths:\n  /a:\n    post:\n      \
         parameters: [{$ref: '#/components/parameters/P'}, {$ref: '#/components/parameters/Alias'}]\n      \
         requestBody: {$ref: '#/components/requestBodies/B'}\n      \
         responses:\n        200: {$ref: '#/components/responses/R'}\n\
         components:\n  parameters:\n    P: {name: p, in: query, description: theirs, schema: {type: string}}\n    \
         Alias: {$ref: '#/components/parameters/P'}\n  \
         requestBodies:\n    B: {description: b, content: {application/json: {}}}\n  \
         responses:\n    R:\n      description: ok\n      \
         headers:\n        H: {$ref: '#/components/headers/H'}\n        \
         I: {description: i, required: true, schema: {type: integer}}\n      \
         content: {application/json: {}}\n  \
         headers:\n    H: {description: h, schema: {type: string}}\n")?;
    let op = &d.paths[0].operations[0];
    let params: Vec<(&str, &str, Option<&str>)> = op
        .parameters
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.pointer.as_str(),
                p.description.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        params,
        [
            ("p", "/components/parameters/P", Some("theirs")),
            ("p", "/components/parameters/P", Some("theirs")),
        ]
    );
    let body = op.request_body.as_ref();
    assert_eq!(
        body.map(|b| (b.pointer.as_str(), b.description.as_deref())),
        Some(("/components/requestBodies/B", Some("b")))
    );
    assert_eq!(
        body.map(|b| b.content[0].pointer.as_str()),
        Some("/components/requestBodies/B/content/application~1json")
    );
    let response = &op.responses[0].1;
    assert_eq!(response.pointer, "/components/responses/R");
    assert_eq!(response.description, "ok");
    assert_eq!(
        response.content[0].pointer,
        "/components/responses/R/content/application~1json"
    );
    let headers: Vec<(&str, &str, Option<&str>, bool)> = response
        .headers
        .iter()
        .map(|h| {
            (
                h.name.as_str(),
                h.pointer.as_str(),
                h.description.as_deref(),
                h.required,
            )
        })
        .collect();
    assert_eq!(
        headers,
        [
            ("H", "/components/headers/H", Some("h"), false),
            ("I", "/components/responses/R/headers/I", Some("i"), true),
        ]
    );
    assert_eq!(
        response.headers[1]
            .schema
            .as_ref()
            .map(|s| s.pointer.as_str()),
        Some("/components/responses/R/headers/I/schema")
    );
    // Component parameters are read too (vendor extensions refer to them).
    let p = d.components.parameter("Alias");
    assert_eq!(
        p.map(|p| p.pointer.as_str()),
        Some("/components/parameters/P")
    );
    Ok(())
}

#[test]
fn bad_references_are_errors_at_the_ref() {
    let op = |param: &str| {
        format!(
            "paths:\n  /a:\n    get:\n      parameters: [{param}]\n      responses: {{}}\n\
             components:\n  parameters:\n    A: {{$ref: '#/components/parameters/B'}}\n    \
             B: {{$ref: '#/components/parameters/A'}}\n    \
             D: {{$ref: '#/components/parameters/Nope'}}\n"
        )
    };
    assert_eq!(
        error(&op("{$ref: '#/components/parameters/Missing'}")),
        "s.yaml#/paths/~1a/get/parameters/0: dangling $ref \"#/components/parameters/Missing\""
    );
    assert_eq!(
        error(&op("{$ref: 'other.yaml#/P'}")),
        "s.yaml#/paths/~1a/get/parameters/0: unsupported $ref \"other.yaml#/P\": expected a \
         local #/components/parameters/... reference"
    );
    // A dangling reference further down a chain is reported where the chain reached it.
    let err = doc(&op("{$ref: '#/components/parameters/D'}")).err();
    assert_eq!(
        err.map(|e| e.pointer),
        Some("/components/parameters/D".to_string())
    );
    assert_eq!(
        error(&op("{$ref: '#/components/parameters/A'}")),
        "s.yaml#/paths/~1a/get/parameters/0: a cycle of references (or a chain longer than 32)"
    );
}

#[test]
fn reference_chains_of_32_are_followed_and_longer_ones_refused() {
    let chain = |links: usize| {
        let mut body = String::from(
            "paths:\n  /a:\n    get:\n      parameters: [{$ref: '#/components/parameters/P0'}]\n      \
             responses: {}\ncomponents:\n  parameters:\n",
        );
        for i in 0..links {
            body.push_str(&format!(
                "    P{i}: {{$ref: '#/components/parameters/P{}'}}\n",
                i + 1
            ));
        }
        body.push_str(&format!(
            "    P{links}: {{name: p, in: query, schema: {{type: string}}}}\n"
        ));
        body
    };
    // The operation's reference plus 31 links is 32 references.
    assert_eq!(error(&chain(31)), "");
    assert_eq!(
        error(&chain(32)),
        "s.yaml#/paths/~1a/get/parameters/0: a cycle of references (or a chain longer than 32)"
    );
}

#[test]
fn schema_references_must_name_a_local_component() -> Result<()> {
    let s = schema("{properties: {a: {$ref: '#/components/schemas/T'}}}\n    T: {type: string}")?;
    let a = property(&s, "a");
    assert_eq!(
        a.and_then(|a| a.reference.as_deref()),
        Some("#/components/schemas/T")
    );
    assert_eq!(
        a.map(|a| a.pointer.as_str()),
        Some("/components/schemas/S/properties/a")
    );
    assert_eq!(
        error("components:\n  schemas:\n    S: {items: {$ref: '#/components/schemas/Nope'}}\n"),
        "s.yaml#/components/schemas/S/items: dangling $ref \"#/components/schemas/Nope\""
    );
    assert_eq!(
        error("components:\n  schemas:\n    S: {items: {$ref: 'x.yaml#/S'}}\n"),
        "s.yaml#/components/schemas/S/items: unsupported $ref \"x.yaml#/S\": only local \
         #/components/schemas/ references are supported"
    );
    assert_eq!(
        error(
            "paths:\n  /a:\n    get:\n      responses:\n        200:\n          description: d\n          \
               content: {application/json: {schema: {$ref: '#/components/schemas/S'}}}\n"
        ),
        "s.yaml#/paths/~1a/get/responses/200/content/application~1json/schema: dangling $ref \
         \"#/components/schemas/S\""
    );
    Ok(())
}

/// One level of nesting in 3.0: an array of what is inside.
fn array_of(inner: &str) -> String {
    format!("{{type: array, items: {inner}}}")
}

#[test]
fn inline_nesting_is_bounded() {
    assert_eq!(error(&nested_items(64, array_of)), "");
    let pointer = format!("/components/schemas/S{}", "/items".repeat(65));
    assert_eq!(
        error(&nested_items(65, array_of)),
        format!("s.yaml#{pointer}: schemas nest more than 64 levels deep")
    );
}

#[test]
fn schema_annotations_are_kept() -> Result<()> {
    let s = schema(
        "{type: string, nullable: true, title: T, description: D, deprecated: true, \
         readOnly: true, writeOnly: true, default: a, example: b, x-s: 1}",
    )?;
    assert_eq!(s.pointer, "/components/schemas/S");
    assert!(s.nullable && s.deprecated && s.read_only && s.write_only);
    assert_eq!(
        (s.title.as_deref(), s.description.as_deref()),
        (Some("T"), Some("D"))
    );
    assert_eq!(s.default, Some(json!("a")));
    assert_eq!(s.examples, [json!("b")]);
    assert_eq!(s.extensions.get("x-s"), Some(&json!(1)));
    assert_eq!(s.extensions.pointer, "/components/schemas/S");
    let plain = schema("{type: string}")?;
    assert!(!plain.nullable && !plain.deprecated && !plain.read_only && !plain.write_only);
    assert!(plain.examples.is_empty() && plain.default.is_none());
    Ok(())
}

#[test]
fn compositions_keep_their_order_and_pointers() -> Result<()> {
    let s = schema(
        "{oneOf: [{$ref: '#/components/schemas/A'}, {type: integer}], \
         discriminator: {propertyName: kind, mapping: {a: '#/components/schemas/A'}}}\n    \
         A: {type: object}",
    )?;
    assert_eq!(
        pointers(&s.one_of),
        [
            "/components/schemas/S/oneOf/0",
            "/components/schemas/S/oneOf/1"
        ]
    );
    assert_eq!(s.one_of[1].types, [SchemaType::Integer]);
    assert_eq!(
        s.discriminator,
        Some(Discriminator {
            property_name: "kind".into(),
            mapping: vec![("a".into(), "#/components/schemas/A".into())],
        })
    );
    let s = schema("{allOf: [{type: object}, {type: string}]}")?;
    assert_eq!(
        pointers(&s.all_of),
        [
            "/components/schemas/S/allOf/0",
            "/components/schemas/S/allOf/1"
        ]
    );
    let s = schema("{anyOf: [{type: boolean}]}")?;
    assert_eq!(pointers(&s.any_of), ["/components/schemas/S/anyOf/0"]);
    assert_eq!(s.any_of[0].types, [SchemaType::Boolean]);
    let s = schema("{not: {type: string}}")?;
    assert_eq!(
        s.not
            .as_ref()
            .map(|n| (n.pointer.as_str(), n.types.clone())),
        Some(("/components/schemas/S/not", vec![SchemaType::String]))
    );
    Ok(())
}

#[test]
fn objects_and_arrays() -> Result<()> {
    let s = schema(
        "{type: object, required: [a], properties: {a: {type: string}, b/c: {type: integer}}, \
         additionalProperties: {type: boolean}}",
    )?;
    assert_eq!(s.types, [SchemaType::Object]);
    assert_eq!(s.required, ["a"]);
    let props: Vec<(&str, &str)> = s
        .properties
        .iter()
        .map(|(n, p)| (n.as_str(), p.pointer.as_str()))
        .collect();
    assert_eq!(
        props,
        [
            ("a", "/components/schemas/S/properties/a"),
            ("b/c", "/components/schemas/S/properties/b~1c"),
        ]
    );
    assert_eq!(
        property(&s, "b/c").map(|p| p.types.clone()),
        Some(vec![SchemaType::Integer])
    );
    let Some(Additional::Schema(values)) = &s.additional else {
        return Err(GenError::new("test", "", "a value schema expected"));
    };
    assert_eq!(values.pointer, "/components/schemas/S/additionalProperties");
    assert_eq!(values.types, [SchemaType::Boolean]);
    let closed = schema("{type: object, additionalProperties: false}")?;
    assert!(matches!(closed.additional, Some(Additional::Bool(false))));
    let open = schema("{type: object, additionalProperties: true}")?;
    assert!(matches!(open.additional, Some(Additional::Bool(true))));
    assert!(schema("{type: object}")?.additional.is_none());
    let a = schema("{type: array, items: {type: string}}")?;
    assert_eq!(a.types, [SchemaType::Array]);
    assert_eq!(
        a.items
            .as_ref()
            .map(|i| (i.pointer.as_str(), i.types.clone())),
        Some(("/components/schemas/S/items", vec![SchemaType::String]))
    );
    Ok(())
}

#[test]
fn scalar_types_formats_enums_and_bounds() -> Result<()> {
    let s = schema("{type: string, format: date-time, enum: [a, null], nullable: true}")?;
    assert_eq!(s.types, [SchemaType::String]);
    assert_eq!(s.format.as_deref(), Some("date-time"));
    assert_eq!(s.enumeration, [json!("a"), json!(null)]);
    assert_eq!(
        schema("{type: string, format: byte}")?.format.as_deref(),
        Some("byte")
    );
    assert_eq!(
        schema("{type: string, format: uuid}")?.format.as_deref(),
        Some("uuid")
    );
    assert_eq!(schema("{type: string}")?.format, None);
    let n = schema(
        "{type: number, format: double, enum: [1.5], minimum: 0.5, exclusiveMinimum: true, \
         maximum: 9.5}",
    )?;
    assert_eq!(n.types, [SchemaType::Number]);
    assert_eq!(n.format.as_deref(), Some("double"));
    assert_eq!(n.enumeration, [json!(1.5)]);
    assert_eq!(
        (n.minimum, n.maximum),
        (
            Some(Bound {
                value: 0.5,
                exclusive: true
            }),
            Some(Bound {
                value: 9.5,
                exclusive: false
            })
        )
    );
    let i = schema(
        "{type: integer, format: int64, enum: [1, 2], minimum: 1, maximum: 10, \
         exclusiveMaximum: true}",
    )?;
    assert_eq!(i.types, [SchemaType::Integer]);
    assert_eq!(i.format.as_deref(), Some("int64"));
    assert_eq!(i.enumeration, [json!(1), json!(2)]);
    assert_eq!(
        (i.minimum, i.maximum),
        (
            Some(Bound {
                value: 1.0,
                exclusive: false
            }),
            Some(Bound {
                value: 10.0,
                exclusive: true
            })
        )
    );
    assert_eq!(
        schema("{type: integer, format: my-int}")?.format.as_deref(),
        Some("my-int")
    );
    let b = schema("{type: boolean, enum: [true]}")?;
    assert_eq!(b.types, [SchemaType::Boolean]);
    assert_eq!(b.enumeration, [json!(true)]);
    Ok(())
}

#[test]
fn schemas_mixing_kinds_keep_every_keyword() -> Result<()> {
    // `type: object` with `allOf` is not one of openapiv3's typed shapes: it reads it as
    // its catch-all, which must still carry every keyword.
    let s = schema(
        "{type: object, format: f, enum: [{}], required: [a], properties: {a: {type: string}}, \
         additionalProperties: false, items: {type: string}, minimum: 1, exclusiveMinimum: true, \
         maximum: 2, allOf: [{type: object}], oneOf: [{type: string}], anyOf: [{type: integer}], \
         not: {type: boolean}}",
    )?;
    assert_eq!(s.types, [SchemaType::Object]);
    assert_eq!(s.format.as_deref(), Some("f"));
    assert_eq!(s.enumeration, [json!({})]);
    assert_eq!(s.required, ["a"]);
    assert_eq!(
        property(&s, "a").map(|p| p.pointer.as_str()),
        Some("/components/schemas/S/properties/a")
    );
    assert!(matches!(s.additional, Some(Additional::Bool(false))));
    assert_eq!(
        s.items.as_ref().map(|i| i.pointer.as_str()),
        Some("/components/schemas/S/items")
    );
    assert_eq!(pointers(&s.all_of), ["/components/schemas/S/allOf/0"]);
    assert_eq!(pointers(&s.one_of), ["/components/schemas/S/oneOf/0"]);
    assert_eq!(pointers(&s.any_of), ["/components/schemas/S/anyOf/0"]);
    assert_eq!(
        s.not.as_ref().map(|n| n.pointer.as_str()),
        Some("/components/schemas/S/not")
    );
    assert_eq!(
        (s.minimum, s.maximum),
        (
            Some(Bound {
                value: 1.0,
                exclusive: true
            }),
            Some(Bound {
                value: 2.0,
                exclusive: false
            })
        )
    );
    let untyped = schema("{properties: {a: {type: string}}}")?;
    assert!(untyped.types.is_empty());
    assert_eq!(untyped.properties.len(), 1);
    assert_eq!(
        error("components:\n  schemas:\n    S: {type: banana}\n"),
        "s.yaml#/components/schemas/S/type: unknown schema type \"banana\""
    );
    Ok(())
}

#[test]
fn every_security_scheme_kind() -> Result<()> {
    let d = doc("components:\n  securitySchemes:\n    \
         q: {type: apiKey, name: q_key, in: query, description: k}\n    \
         h: {type: apiKey, name: X-Key, in: header}\n    \
         c: {type: apiKey, name: sid, in: cookie}\n    \
         basic: {type: http, scheme: Basic}\n    \
         bearer: {type: http, scheme: bearer, bearerFormat: JWT}\n    \
         oidc: {type: openIdConnect, openIdConnectUrl: 'https://id.test'}\n    \
         oauth:\n      type: oauth2\n      flows:\n        \
         clientCredentials: {tokenUrl: /t, refreshUrl: /r, scopes: {read: r, write: w}}\n        \
         implicit: {authorizationUrl: /a, scopes: {}}\n        \
         password: {tokenUrl: /t, scopes: {}}\n        \
         authorizationCode: {authorizationUrl: /a, tokenUrl: /t, scopes: {}}\n    \
         plain: {type: oauth2, flows: {implicit: {authorizationUrl: /a, scopes: {}}}}\n    \
         alias: {$ref: '#/components/securitySchemes/q'}\n")?;
    let schemes = &d.components.security_schemes;
    let kinds: Vec<SecuritySchemeKind> = schemes.iter().map(|(_, s)| s.kind.clone()).collect();
    let api_key = |name: &str, location| SecuritySchemeKind::ApiKey {
        name: name.into(),
        location,
    };
    assert_eq!(
        kinds,
        [
            api_key("q_key", ParameterIn::Query),
            api_key("X-Key", ParameterIn::Header),
            api_key("sid", ParameterIn::Cookie),
            SecuritySchemeKind::Http {
                scheme: "basic".into(),
                bearer_format: None
            },
            SecuritySchemeKind::Http {
                scheme: "bearer".into(),
                bearer_format: Some("JWT".into())
            },
            SecuritySchemeKind::OpenIdConnect {
                url: "https://id.test".into()
            },
            SecuritySchemeKind::OAuth2 {
                client_credentials: Some(OAuthFlow {
                    token_url: "/t".into(),
                    refresh_url: Some("/r".into()),
                    scopes: vec!["read".into(), "write".into()],
                }),
                other_flows: vec![
                    "implicit".into(),
                    "password".into(),
                    "authorizationCode".into()
                ],
            },
            SecuritySchemeKind::OAuth2 {
                client_credentials: None,
                other_flows: vec!["implicit".into()],
            },
            api_key("q_key", ParameterIn::Query),
        ]
    );
    let names: Vec<&str> = schemes.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names[0], "q");
    assert_eq!(names[8], "alias");
    assert_eq!(schemes[0].1.description.as_deref(), Some("k"));
    assert_eq!(schemes[1].1.description, None);
    assert_eq!(schemes[0].1.pointer, "/components/securitySchemes/q");
    // A scheme reached by `$ref` keeps the pointer of its target.
    assert_eq!(schemes[8].1.pointer, "/components/securitySchemes/q");
    Ok(())
}

#[test]
fn components_keep_file_order() -> Result<()> {
    let d = doc(
        "components:\n  schemas:\n    B: {type: string}\n    A: {type: integer}\n  \
         parameters:\n    P: {name: p, in: header, schema: {type: string}}\n",
    )?;
    let names: Vec<&str> = d
        .components
        .schemas
        .iter()
        .map(|(n, _)| n.as_str())
        .collect();
    assert_eq!(names, ["B", "A"]);
    assert_eq!(component(&d, "A")?.pointer, "/components/schemas/A");
    let p = d.components.parameter("P");
    assert_eq!(
        p.map(|p| (p.location, p.pointer.as_str())),
        Some((ParameterIn::Header, "/components/parameters/P"))
    );
    Ok(())
}

#[test]
fn shape_errors_name_the_deepest_node() {
    let location = "unknown variant `body`, expected one of `query`, `header`, `path`, `cookie`";
    let cases = [
        (
            "paths:\n  /x:\n    parameters: [{name: a, in: body, schema: {}}]\n",
            "/paths/~1x/parameters/0",
            location,
        ),
        (
            "paths:\n  /x:\n    get:\n      parameters: [{name: a, in: body, schema: {}}]\n      \
             responses: {}\n",
            "/paths/~1x/get/parameters/0",
            location,
        ),
        (
            "paths:\n  /x:\n    post:\n      requestBody: {content: 5}\n      responses: {}\n",
            "/paths/~1x/post/requestBody",
            "invalid type: integer `5`, expected a map",
        ),
        // Status codes written as YAML numbers are found too.
        (
            "paths:\n  /x:\n    get:\n      responses: {200: {content: {}}}\n",
            "/paths/~1x/get/responses/200",
            "missing field `description`",
        ),
        (
            "paths:\n  /x:\n    get: {responses: 5}\n",
            "/paths/~1x/get/responses",
            "expected a map of status codes",
        ),
        (
            "paths:\n  /x:\n    get: {tags: 5, responses: {}}\n",
            "/paths/~1x/get/tags",
            "invalid type: integer `5`, expected a sequence",
        ),
        (
            "paths:\n  /x: {summary: [a]}\n",
            "/paths/~1x",
            "invalid type: sequence, expected a string",
        ),
        (
            "components:\n  schemas:\n    S: 5\n",
            "/components/schemas/S",
            "invalid type: integer `5`, expected struct Schema",
        ),
        (
            "components:\n  parameters:\n    P: {name: p, in: body}\n",
            "/components/parameters/P",
            location,
        ),
        (
            "components:\n  responses:\n    R: {content: {}}\n",
            "/components/responses/R",
            "missing field `description`",
        ),
        (
            "components:\n  requestBodies:\n    B: {content: 5}\n",
            "/components/requestBodies/B",
            "invalid type: integer `5`, expected a map",
        ),
        (
            "components:\n  securitySchemes:\n    K: {type: magic}\n",
            "/components/securitySchemes/K",
            "unknown variant `magic`, expected one of `apiKey`, `http`, `oauth2`, `openIdConnect`",
        ),
    ];
    for (body, pointer, message) in cases {
        assert_eq!(
            error(body),
            format!("s.yaml#{pointer}: not a valid OpenAPI 3.0 document: {message}"),
            "{body}"
        );
    }
}
