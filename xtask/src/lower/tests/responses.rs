//! Responses beyond their bodies: descriptions, the path to an error's message, the names of
//! inline success bodies, and pagination resolved against the response model.

use super::bodies::{only_op, s, statuses, with_responses};
use super::*;

/// Each step of a field path as (field, optional).
fn steps(path: &[MessageStep]) -> Vec<(String, bool)> {
    path.iter()
        .map(|m| (m.field.bare().to_string(), m.optional))
        .collect()
}

fn step(field: &str, optional: bool) -> (String, bool) {
    (field.to_string(), optional)
}

#[test]
fn descriptions_of_success_and_error_cases_are_kept_unless_blank() {
    let (api, _) = lowered(&with_responses(
        "'200': {description: fine}, '201': {description: '  '}, '400': {description: bad}, '404': {description: ' '}",
    ));
    let op = only_op(&api);
    let success: Vec<Option<&str>> = op
        .success
        .cases
        .iter()
        .map(|c| c.description.as_deref())
        .collect();
    assert_eq!(success, [Some("fine"), None]);
    let errors: Vec<Option<&str>> = op.errors.iter().map(|e| e.description.as_deref()).collect();
    assert_eq!(errors, [Some("bad"), None]);
}

#[test]
fn an_error_message_is_found_at_error_message_or_message_when_it_is_a_string() {
    let body = |schema: &str| {
        format!("{{description: e, content: {{application/json: {{schema: {schema}}}}}}}")
    };
    let responses = [
        ("'200'", "{description: ok}".to_string()),
        (
            "'400'",
            body(
                "{type: object, required: [error], properties: {error: {type: object, required: [message], properties: {message: {type: string}}}}}",
            ),
        ),
        (
            "'401'",
            body("{type: object, properties: {message: {type: string}}}"),
        ),
        (
            "'403'",
            body(
                "{type: object, required: [message], properties: {message: {type: string, nullable: true}}}",
            ),
        ),
        (
            "'409'",
            body("{type: object, properties: {message: {type: integer}}}"),
        ),
        (
            "'422'",
            body(
                "{type: object, required: [error], properties: {error: {type: string}, message: {type: string}}}",
            ),
        ),
        (
            "'500'",
            body(
                "{type: object, properties: {error: {type: object, properties: {code: {type: integer}}}}}",
            ),
        ),
    ];
    let listed: Vec<String> = responses.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    let (api, _) = lowered(&with_responses(&listed.join(", ")));
    let paths: Vec<(String, Vec<(String, bool)>)> = only_op(&api)
        .errors
        .iter()
        .map(|e| (e.status.label(), steps(&e.message_path)))
        .collect();
    let at = |status: &str, path: Vec<(String, bool)>| (status.to_string(), path);
    assert_eq!(
        paths,
        [
            // Both steps required and not nullable.
            at("400", vec![step("error", false), step("message", false)]),
            // Not required.
            at("401", vec![step("message", true)]),
            // Required but nullable.
            at("403", vec![step("message", true)]),
            // Not a string: no message.
            at("409", vec![]),
            // `error` is no object to look into: `message` beside it is the message.
            at("422", vec![step("message", true)]),
            // An `error` object without a `message`.
            at("500", vec![]),
        ]
    );
}

#[test]
fn different_inline_success_bodies_are_named_by_their_status() {
    let (api, _) = lowered(&with_responses(
        "'200': {description: ok, content: {application/json: {schema: {type: object, properties: {a: {type: string}}}}}}, '201': {description: made, content: {application/json: {schema: {type: object, properties: {b: {type: integer}}}}}}",
    ));
    assert_eq!(
        statuses(&only_op(&api).success.cases),
        [
            s("200", "Ok", "GetAOkBody"),
            s("201", "Created", "GetACreatedBody")
        ]
    );
}

/// `Page`: a required `next` cursor and the items under an optional `data` object.
const PAGE: &str = "    Page:\n      type: object\n      required: [next]\n      properties:\n        next: {type: string}\n        data: {type: object, required: [items], properties: {items: {type: array, items: {type: integer}}}}\n";

/// `GET /list` (`list`) with query parameters `params` (YAML flow mappings), paginated as
/// `pagination` says (a YAML flow mapping), returning `Page`.
fn paged(params: &str, pagination: &str) -> String {
    doc(
        &format!(
            "  /list:\n    get:\n      operationId: list\n      parameters: [{params}]\n      x-speakeasy-pagination: {pagination}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Page'}}\n"
        ),
        PAGE,
    )
}

/// An optional query parameter `name` of JSON type `ty`.
fn query(name: &str, ty: &str) -> String {
    format!("{{name: {name}, in: query, schema: {{type: {ty}}}}}")
}

/// A pagination of `kind` with `inputs` (`name: type` pairs, all `in: parameters`).
fn pagination(kind: &str, inputs: &[(&str, &str)]) -> String {
    let inputs: Vec<String> = inputs
        .iter()
        .map(|(name, role)| format!("{{name: {name}, in: parameters, type: {role}}}"))
        .collect();
    format!(
        "{{type: {kind}, inputs: [{}], outputs: {{results: $.data.items, nextCursor: $.next}}}}",
        inputs.join(", ")
    )
}

#[test]
fn a_page_pagination_takes_an_integer_page_and_limit_and_walks_to_the_items() {
    let (api, _) = lowered(&paged(
        &format!("{}, {}", query("page", "integer"), query("size", "integer")),
        &pagination("offsetLimit", &[("page", "page"), ("size", "limit")]),
    ));
    let p = op(&api, "list").pagination.as_ref().expect("paginated");
    assert_eq!(p.kind, PageKind::Page);
    assert_eq!(p.input.bare(), "page");
    assert_eq!(p.page_size.as_ref().map(|s| s.bare()), Some("size"));
    // `data` is optional, `items` inside it required.
    assert_eq!(
        steps(&p.results),
        [step("data", true), step("items", false)]
    );
    assert_eq!(p.item, TypeRef::I64);
    assert!(p.next_cursor.is_empty());
}

#[test]
fn a_cursor_pagination_walks_to_its_next_cursor() {
    let (api, _) = lowered(&paged(
        &query("after", "string"),
        &pagination("cursor", &[("after", "cursor")]),
    ));
    let p = op(&api, "list").pagination.as_ref().expect("paginated");
    assert_eq!(p.kind, PageKind::Cursor);
    assert_eq!(p.input.bare(), "after");
    assert!(p.page_size.is_none());
    assert_eq!(steps(&p.next_cursor), [step("next", false)]);
}

#[test]
fn pagination_inputs_of_the_wrong_role_or_type_are_errors_with_their_pointer() {
    let ptr = "t.yaml#/paths/~1list/get/x-speakeasy-pagination/inputs";
    // The error for input `i`, of role `role`, named `name`, in a pagination of `kind`.
    let refused = |i: usize, role: &str, kind: &str, name: &str| {
        format!(
            "{ptr}/{i}/type: unsupported input type Some({role:?}) for {kind} pagination on {name:?}"
        )
    };
    let cases = [
        // A page number that is not an integer.
        (
            query("page", "string"),
            pagination("offsetLimit", &[("page", "page")]),
            refused(0, "page", "Page", "page"),
        ),
        // A page size that is not an integer.
        (
            format!("{}, {}", query("page", "integer"), query("size", "string")),
            pagination("offsetLimit", &[("page", "page"), ("size", "limit")]),
            refused(1, "limit", "Page", "size"),
        ),
        // A cursor that is not a string.
        (
            query("after", "integer"),
            pagination("cursor", &[("after", "cursor")]),
            refused(0, "cursor", "Cursor", "after"),
        ),
        // A cursor in a page pagination.
        (
            query("after", "string"),
            pagination("offsetLimit", &[("after", "cursor")]),
            refused(0, "cursor", "Page", "after"),
        ),
        // A page number in a cursor pagination.
        (
            query("page", "integer"),
            pagination("cursor", &[("page", "page")]),
            refused(0, "page", "Cursor", "page"),
        ),
        // A page size alone.
        (
            query("size", "integer"),
            pagination("offsetLimit", &[("size", "limit")]),
            format!("{ptr}: no page or cursor input"),
        ),
    ];
    for (params, pagination, expected) in cases {
        assert_eq!(
            error_of(&paged(&params, &pagination)),
            expected,
            "{pagination}"
        );
    }
}
