//! Operations lowered from small specs: where each parameter goes, names and groups, retry
//! classes, and the request body details the body tests leave out.

use super::*;

/// Each parameter's wire name and location.
fn locations(op: &Operation) -> Vec<(&str, ParamLocation)> {
    op.params
        .iter()
        .map(|p| (p.wire_name.as_str(), p.location))
        .collect()
}

#[test]
fn query_parameters_are_placed_by_style_explode_and_type() {
    let obj = "{type: object, properties: {a: {type: string}}}";
    let list = "{type: array, items: {type: string}}";
    let (api, _) = lowered(&get_with_path(
        "/a",
        &[
            "{name: plain, in: query, schema: {type: string}}",
            &format!("{{name: list, in: query, schema: {list}}}"),
            "{name: explicit, in: query, style: form, explode: true, schema: {type: integer}}",
            &format!("{{name: filter, in: query, schema: {obj}}}"),
            "{name: free, in: query, schema: {type: object}}",
            &format!("{{name: csv, in: query, explode: false, schema: {list}}}"),
            &format!("{{name: space, in: query, style: spaceDelimited, schema: {list}}}"),
            &format!("{{name: pipe, in: query, style: pipeDelimited, schema: {list}}}"),
            &format!("{{name: deep, in: query, style: deepObject, explode: true, schema: {obj}}}"),
            &format!("{{name: json, in: query, content: {{application/json: {{schema: {obj}}}}}}}"),
        ],
    ));
    let styled = ParamLocation::QueryStyled;
    assert_eq!(
        locations(&api.groups[0].operations[0]),
        [
            // `form` and `explode: true` are the defaults: scalars and arrays stay plain.
            ("plain", ParamLocation::Query),
            ("list", ParamLocation::Query),
            ("explicit", ParamLocation::Query),
            // An object's members are laid out by the runtime.
            ("filter", styled(QueryStyle::FormExploded)),
            ("free", styled(QueryStyle::FormExploded)),
            ("csv", styled(QueryStyle::Form)),
            ("space", styled(QueryStyle::SpaceDelimited)),
            ("pipe", styled(QueryStyle::PipeDelimited)),
            ("deep", styled(QueryStyle::DeepObject)),
            ("json", ParamLocation::QueryJson),
        ]
    );
}

#[test]
fn an_unknown_query_style_is_refused_with_its_pointer() {
    // The 3.0 reader refuses it already (openapiv3 knows the styles); 3.1 is read by us.
    let err = error_of(&doc31(
        "  /a:\n    get:\n      operationId: getA\n      parameters:\n        - {name: q, in: query, style: matrix, schema: {type: string}}\n      responses: {'204': {description: ok}}\n",
        "    Unused: {type: string}\n",
    ));
    assert_eq!(
        err,
        "t.yaml#/paths/~1a/get/parameters/0: unsupported query style \"matrix\" for \"q\""
    );
}

#[test]
fn parameter_content_other_than_json_is_refused_with_its_pointer() {
    let err = error_of(&get_with_path(
        "/a",
        &["{name: q, in: query, content: {text/plain: {schema: {type: string}}}}"],
    ));
    assert_eq!(
        err,
        "t.yaml#/paths/~1a/get/parameters/0/content: unsupported: parameter content other than application/json"
    );
}

#[test]
fn headers_the_client_sets_are_ignored_with_a_warning_and_the_rest_are_parameters() {
    let (api, d) = lowered(&get_with_path(
        "/a",
        &[
            "{name: X-Trace, in: header, schema: {type: string}}",
            "{name: Accept, in: header, schema: {type: string}}",
            "{name: content-type, in: header, schema: {type: string}}",
            "{name: AUTHORIZATION, in: header, schema: {type: string}}",
            "{name: sid, in: cookie, schema: {type: string}}",
        ],
    ));
    assert_eq!(
        locations(&api.groups[0].operations[0]),
        [
            ("X-Trace", ParamLocation::Header),
            ("sid", ParamLocation::Cookie)
        ]
    );
    let ptr = "t.yaml#/paths/~1a/get/parameters";
    assert_eq!(
        d.lines(),
        [
            format!(
                "{ptr}/1: warning: header parameter \"Accept\" is ignored, as the specification says"
            ),
            format!(
                "{ptr}/2: warning: header parameter \"content-type\" is ignored, as the specification says"
            ),
            format!(
                "{ptr}/3: warning: header parameter \"AUTHORIZATION\" is ignored, as the specification says"
            ),
        ]
    );
}

#[test]
fn an_optional_path_parameter_is_refused_with_its_pointer() {
    let err = error_of(&get_with_path(
        "/a/{id}",
        &["{name: id, in: path, schema: {type: string}}"],
    ));
    assert_eq!(
        err,
        "t.yaml#/paths/~1a~1{id}/get/parameters/0: path parameter \"id\" must be required"
    );
}

#[test]
fn operation_parameters_override_path_level_ones_of_the_same_place_and_name() {
    let paths = "  /a:\n    parameters:\n      - {name: q, in: query, description: path level, schema: {type: string}}\n      - {name: r, in: query, schema: {type: string}}\n    get:\n      operationId: getA\n      parameters:\n        - {name: q, in: query, required: true, deprecated: true, description: operation level, schema: {type: integer}}\n        - {name: q, in: header, schema: {type: string}}\n      responses: {'204': {description: ok}}\n";
    let (api, _) = lowered(&doc(paths, "    Unused: {type: string}\n"));
    let params: Vec<_> = api.groups[0].operations[0]
        .params
        .iter()
        .map(|p| {
            (
                p.wire_name.as_str(),
                p.rust_name.bare(),
                p.location,
                p.required,
                p.deprecated,
                p.ty.clone(),
                p.description.as_deref(),
            )
        })
        .collect();
    // The override keeps the path-level place in the order; a header of the same name is
    // another parameter, whose Rust name steps aside.
    assert_eq!(
        params,
        [
            (
                "q",
                "q",
                ParamLocation::Query,
                true,
                true,
                TypeRef::I64,
                Some("operation level")
            ),
            (
                "r",
                "r",
                ParamLocation::Query,
                false,
                false,
                TypeRef::String,
                None
            ),
            (
                "q",
                "q_param",
                ParamLocation::Header,
                false,
                false,
                TypeRef::String,
                None
            ),
        ]
    );
}

#[test]
fn methods_that_change_state_are_not_retried_unless_the_operation_says_so() {
    let op_line = |method: &str, id: &str, retry: &str| {
        format!(
            "    {method}:\n      operationId: {id}\n{retry}      responses: {{'204': {{description: ok}}}}\n"
        )
    };
    let plain = ["get", "put", "post", "delete", "patch"]
        .map(|m| op_line(m, &format!("{m}A"), ""))
        .concat();
    let paths = format!(
        "  /a:\n{plain}  /b:\n{}{}",
        op_line("post", "postB", "      x-cld-retry: idempotent\n"),
        op_line("get", "getB", "      x-cld-retry: never\n"),
    );
    let (api, _) = lowered(&doc(&paths, "    Unused: {type: string}\n"));
    let retry = [
        "getA", "putA", "postA", "deleteA", "patchA", "postB", "getB",
    ]
    .map(|id| op(&api, id).retry);
    assert_eq!(
        retry,
        [
            RetryClass::Idempotent,
            RetryClass::Idempotent,
            RetryClass::NonIdempotent,
            RetryClass::Idempotent,
            RetryClass::NonIdempotent,
            // The extension wins over the method.
            RetryClass::Idempotent,
            RetryClass::Never,
        ]
    );
}

/// A GET on `path` with operationId `id` and the extra lines `extra` (6-space indented).
fn get_op(path: &str, id: &str, extra: &str) -> String {
    format!(
        "  {path}:\n    get:\n      operationId: {id}\n{extra}      responses: {{'204': {{description: ok}}}}\n"
    )
}

#[test]
fn groups_come_from_the_extension_then_the_first_tag_then_default_in_order_of_first_use() {
    let paths = [
        get_op("/a", "getA", "      tags: [Users, Admin]\n"),
        get_op(
            "/b",
            "getB",
            "      x-speakeasy-group: keys\n      tags: [Users]\n",
        ),
        get_op("/c", "getC", ""),
        get_op(
            "/d",
            "getD",
            "      tags: [users]\n      x-speakeasy-name-override: list\n",
        ),
        get_op("/e", "' '", ""),
    ]
    .concat();
    let (api, _) = lowered(&doc(&paths, "    Unused: {type: string}\n"));
    let groups: Vec<(&str, Vec<(&str, &str)>)> = api
        .groups
        .iter()
        .map(|g| {
            let ops = g
                .operations
                .iter()
                .map(|o| (o.operation_id.as_str(), o.method_name.bare()))
                .collect();
            (g.module.bare(), ops)
        })
        .collect();
    assert_eq!(
        groups,
        [
            ("users", vec![("getA", "get_a"), ("getD", "list")]),
            ("keys", vec![("getB", "get_b")]),
            // A blank operationId is no name: the method and path give one.
            ("default", vec![("getC", "get_c"), ("get_e", "get_e")]),
        ]
    );
}

#[test]
fn duplicate_operation_ids_and_names_are_refused_with_their_pointer() {
    let schemas = "    Unused: {type: string}\n";
    let err = error_of(&doc(
        &[get_op("/a", "getA", ""), get_op("/b", "getA", "")].concat(),
        schemas,
    ));
    assert_eq!(
        err,
        "t.yaml#/paths/~1b/get/operationId: duplicate operationId \"getA\""
    );
    let same = "      x-speakeasy-name-override: same\n";
    let err = error_of(&doc(
        &[get_op("/a", "getA", same), get_op("/b", "getB", same)].concat(),
        schemas,
    ));
    assert_eq!(
        err,
        "t.yaml#/paths/~1b/get: duplicate operation name default.same (x-speakeasy-group / x-speakeasy-name-override)"
    );
}

const ITEM: &str = "    Item: {type: object, properties: {id: {type: string}, note: {type: string, nullable: true}}}\n";

/// `paths` with one POST `postA` on `/a` whose request body is `request_body` (a YAML flow
/// mapping body).
fn post_paths(request_body: &str) -> String {
    format!(
        "  /a:\n    post:\n      operationId: postA\n      requestBody: {{{request_body}}}\n      responses: {{'204': {{description: ok}}}}\n"
    )
}

/// A 3.0 document with [`post_paths`] and `schemas`.
fn post_with(request_body: &str, schemas: &str) -> String {
    doc(&post_paths(request_body), schemas)
}

/// The request body of `postA` in `text`.
fn body_of(text: &str) -> Body {
    let (api, _) = lowered(text);
    match &op(&api, "postA").body {
        Some(b) => b.clone(),
        None => panic!("no body"),
    }
}

fn object_of(body: &Body) -> &ObjectBody {
    match &body.object {
        Some(o) => o,
        None => panic!("no object body in {body:?}"),
    }
}

const ITEM_JSON: &str = "application/json: {schema: {$ref: '#/components/schemas/Item'}}";

#[test]
fn an_optional_object_body_has_a_presence_flag_and_nullable_fields_a_null_setter() {
    let body = body_of(&post_with(&format!("content: {{{ITEM_JSON}}}"), ITEM));
    assert!(!body.required);
    let o = object_of(&body);
    assert_eq!(
        o.presence_slot.as_ref().map(Ident::bare),
        Some("body_is_set")
    );
    let setters: Vec<(&str, usize, Option<&str>)> = o
        .setters
        .iter()
        .map(|s| {
            (
                s.setter.bare(),
                s.field,
                s.null_setter.as_ref().map(Ident::bare),
            )
        })
        .collect();
    assert_eq!(setters, [("id", 0, None), ("note", 1, Some("note_null"))]);
    assert_eq!(o.extra_slot.bare(), "extra");

    let body = body_of(&post_with(
        &format!("required: true, content: {{{ITEM_JSON}}}"),
        ITEM,
    ));
    assert!(body.required);
    assert!(object_of(&body).presence_slot.is_none());
}

#[test]
fn only_one_object_under_json_and_form_gets_the_switch_to_a_form() {
    let form = "application/x-www-form-urlencoded: {schema: {$ref: '#/components/schemas/Item'}}";
    let switch = |content: &str| {
        let body = body_of(&post_with(&format!("content: {{{content}}}"), ITEM));
        let o = object_of(&body);
        (
            o.encoding,
            o.form_setter.as_ref().map(|i| i.bare().to_string()),
            o.form_flag.as_ref().map(|i| i.bare().to_string()),
        )
    };
    assert_eq!(
        switch(&format!("{ITEM_JSON}, {form}")),
        (
            ObjectEncoding::Json,
            Some("form_body".to_string()),
            Some("send_as_form".to_string())
        )
    );
    // A JSON array beside the form object: the form is the object, with nothing to switch.
    assert_eq!(
        switch(&format!(
            "application/json: {{schema: {{type: array, items: {{type: string}}}}}}, {form}"
        )),
        (ObjectEncoding::Form, None, None)
    );
}

#[test]
fn a_form_body_named_through_an_alias_is_built_as_the_struct_it_names() {
    let schemas = format!(
        "{ITEM}    Alias: {{$ref: '#/components/schemas/Item'}}\n    Names: {{type: array, items: {{type: string}}}}\n    NamesAlias: {{$ref: '#/components/schemas/Names'}}\n"
    );
    let form = |schema: &str| {
        post_with(
            &format!(
                "content: {{application/x-www-form-urlencoded: {{schema: {{$ref: '#/components/schemas/{schema}'}}}}}}"
            ),
            &schemas,
        )
    };
    let body = body_of(&form("Alias"));
    let o = object_of(&body);
    assert_eq!(
        (o.model.bare(), o.encoding),
        ("Item".to_string(), ObjectEncoding::Form)
    );
    assert_eq!(
        error_of(&form("NamesAlias")),
        "t.yaml#/paths/~1a/post/requestBody/content/application~1x-www-form-urlencoded/schema: unsupported: a JSON or form request body that is not an object"
    );
}

#[test]
fn text_and_bytes_bodies_name_their_media_types() {
    let whole = |content: &str| -> Vec<(WholeKind, String)> {
        body_of(&post_with(&format!("content: {{{content}}}"), ITEM))
            .whole
            .into_iter()
            .map(|w| (w.kind, w.media_type))
            .collect()
    };
    assert_eq!(
        whole("text/csv: {}, application/octet-stream: {}"),
        [
            (
                WholeKind::Text {
                    content_type: "text/csv".into()
                },
                "text/csv".to_string()
            ),
            (
                WholeKind::Bytes {
                    content_type: Some("application/octet-stream".into())
                },
                "application/octet-stream".to_string()
            ),
        ]
    );
    // A text wildcard is sent as plain text; several bytes types are listed together.
    assert_eq!(
        whole("'text/*': {}, image/png: {}, image/jpeg: {}"),
        [
            (
                WholeKind::Text {
                    content_type: "text/plain".into()
                },
                "text/*".to_string()
            ),
            (
                WholeKind::Bytes { content_type: None },
                "image/png, image/jpeg".to_string()
            ),
        ]
    );
}

#[test]
fn multipart_parts_follow_references_and_take_content_media_types_as_files() {
    let schemas = "    Upload: {$ref: '#/components/schemas/Form'}\n    Form:\n      type: object\n      properties:\n        image: {type: string, contentMediaType: image/png}\n        name: {type: string}\n        scans: {type: array, items: {type: string, contentMediaType: application/pdf}}\n";
    let parts = |text: &str| match body_of(text).whole.first().map(|w| w.kind.clone()) {
        Some(WholeKind::Multipart { parts }) => parts,
        other => panic!("not a multipart body: {other:?}"),
    };
    let upload = "content: {multipart/form-data: {schema: {$ref: '#/components/schemas/Upload'}}}";
    assert_eq!(
        parts(&doc31(&post_paths(upload), schemas)),
        [
            ("image".to_string(), true),
            ("name".to_string(), false),
            ("scans".to_string(), true)
        ]
    );
    // Without a schema the parts are the caller's to name.
    assert_eq!(
        parts(&post_with("content: {multipart/form-data: {}}", schemas)),
        []
    );
}

#[test]
fn a_request_body_without_a_media_type_is_refused_with_its_pointer() {
    assert_eq!(
        error_of(&post_with("content: {}", ITEM)),
        "t.yaml#/paths/~1a/post/requestBody/content: a request body needs a media type"
    );
}

#[test]
fn a_path_parameter_missing_from_the_template_is_refused_with_its_pointer() {
    // Lowered, it would be an argument that the request drops without a word.
    let err = error_of(&get_with_path(
        "/a/{id}",
        &[
            "{name: id, in: path, required: true, schema: {type: string}}",
            "{name: other, in: path, required: true, schema: {type: string}}",
        ],
    ));
    assert_eq!(
        err,
        "t.yaml#/paths/~1a~1{id}/get/parameters/1: path parameter \"other\" is not in the path template \"/a/{id}\""
    );
}

#[test]
fn a_media_type_that_is_not_printable_ascii_is_refused_with_its_pointer() {
    // It would go into a `Content-Type` or `Accept` header.
    let err = error_of(&post_with("content: {\"text/plaín\": {}}", ITEM));
    assert!(
        err.starts_with("t.yaml#/paths/~1a/post/requestBody/content/text~1pla"),
        "{err}"
    );
    assert!(
        err.ends_with("media type \"text/plaín\" is not printable ASCII"),
        "{err}"
    );
    let err = error_of(&get_with_path("/a", &[]).replace(
        "'204': {description: ok}",
        "'200': {description: ok, content: {\"image/p\\tng\": {}}}",
    ));
    assert!(err.ends_with("is not printable ASCII"), "{err}");
    // Spaces (parameters after `;`) are printable.
    lowered(&post_with(
        "content: {\"text/plain; charset=utf-8\": {}}",
        ITEM,
    ));
}
