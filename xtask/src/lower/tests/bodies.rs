//! The status-to-body map of responses and the request body kinds, lowered from small specs.

use super::*;

const SCHEMAS: &str = "    Item: {type: object, properties: {id: {type: string}}}\n    Job: {type: object, properties: {job: {type: string}}}\n";

/// One GET operation `op` on `/a` with `responses` (YAML flow mapping body).
pub(super) fn with_responses(responses: &str) -> String {
    doc(
        &format!("  /a:\n    get:\n      operationId: getA\n      responses: {{{responses}}}\n"),
        SCHEMAS,
    )
}

pub(super) fn only_op(api: &Api) -> &Operation {
    &api.groups[0].operations[0]
}

const ITEM: &str = "content: {application/json: {schema: {$ref: '#/components/schemas/Item'}}}";
const JOB: &str = "content: {application/json: {schema: {$ref: '#/components/schemas/Job'}}}";

pub(super) fn statuses(cases: &[SuccessCase]) -> Vec<(String, String, String)> {
    cases
        .iter()
        .map(|c| {
            let body = match &c.body {
                ResponseBody::Json(TypeRef::Named(n)) => n.bare(),
                other => format!("{other:?}"),
            };
            (c.status.label(), c.variant.bare().to_string(), body)
        })
        .collect()
}

pub(super) fn s(a: &str, b: &str, c: &str) -> (String, String, String) {
    (a.into(), b.into(), c.into())
}

#[test]
fn a_json_200_beside_an_empty_204_is_an_enum_whose_204_has_no_body() {
    let (api, _) = lowered(&with_responses(&format!(
        "'200': {{description: ok, {ITEM}}}, '204': {{description: nothing}}"
    )));
    let op = only_op(&api);
    assert_eq!(
        op.success.enum_name.as_ref().map(|n| n.bare().to_string()),
        Some("GetAResponse".into())
    );
    assert_eq!(
        statuses(&op.success.cases),
        [s("200", "Ok", "Item"), s("204", "NoContent", "Empty")]
    );
    // Even with a schema, a 204 carries no body.
    let (api, _) = lowered(&with_responses(&format!(
        "'204': {{description: nothing, {ITEM}}}"
    )));
    assert_eq!(only_op(&api).success.single(), Some(&ResponseBody::Empty));
}

#[test]
fn success_statuses_sharing_a_body_stay_one_plain_value() {
    let (api, _) = lowered(&with_responses(&format!(
        "'201': {{description: made, {ITEM}}}, '200': {{description: ok, {ITEM}}}"
    )));
    let op = only_op(&api);
    assert!(op.success.enum_name.is_none());
    // Exact statuses in ascending order whatever the file order.
    assert_eq!(
        statuses(&op.success.cases),
        [s("200", "Ok", "Item"), s("201", "Created", "Item")]
    );
    assert!(op.success.accept.is_none());
}

#[test]
fn different_success_bodies_and_a_2xx_range_each_get_a_variant() {
    let (api, _) = lowered(&with_responses(&format!(
        "'2XX': {{description: other}}, '202': {{description: queued, {JOB}}}, '200': {{description: ok, {ITEM}}}, '207': {{description: mixed, content: {{application/json: {{schema: {{type: object, properties: {{n: {{type: integer}}}}}}}}}}}}"
    )));
    let op = only_op(&api);
    assert_eq!(
        statuses(&op.success.cases),
        [
            s("200", "Ok", "Item"),
            s("202", "Accepted", "Job"),
            s("207", "MultiStatus", "GetAMultiStatusBody"),
            s("2XX", "Status2xx", "Empty"),
        ]
    );
}

#[test]
fn default_and_ranges_are_error_cases_and_default_is_the_success_without_a_2xx() {
    let err_body = "content: {application/json: {schema: {type: object, properties: {message: {type: string}}}}}";
    let (api, _) = lowered(&with_responses(&format!(
        "default: {{description: any, {err_body}}}, '4XX': {{description: client}}, '404': {{description: missing}}, '200': {{description: ok, {ITEM}}}"
    )));
    let op = only_op(&api);
    let errors: Vec<(String, String, bool)> = op
        .errors
        .iter()
        .map(|e| {
            (
                e.status.label(),
                e.variant.bare().to_string(),
                e.message_path.is_empty(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            ("404".into(), "NotFound".into(), true),
            ("4XX".into(), "Status4xx".into(), true),
            ("default".into(), "Other".into(), false),
        ]
    );
    assert_eq!(statuses(&op.success.cases), [s("200", "Ok", "Item")]);

    let (api, _) = lowered(&with_responses(&format!(
        "default: {{description: any, {ITEM}}}"
    )));
    let op = only_op(&api);
    assert_eq!(statuses(&op.success.cases), [s("default", "Other", "Item")]);
    assert!(op.success.enum_name.is_none());
    assert_eq!(op.errors.len(), 1);
    assert_eq!(op.errors[0].status, StatusMatch::Default);
}

#[test]
fn informational_and_redirect_statuses_are_refused_with_the_reason() {
    for (key, word) in [("'302'", "302"), ("'101'", "101"), ("3XX", "3XX")] {
        let text = with_responses(&format!(
            "'200': {{description: ok}}, {key}: {{description: other}}"
        ));
        let err = lower_text(&text)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.starts_with(&format!(
                "t.yaml#/paths/~1a/get/responses/{word}: unsupported: a documented {word} response"
            )),
            "{key}: {err}"
        );
        assert!(err.contains("redirects are followed"), "{err}");
    }
    let err = lower_text(&with_responses("'404': {description: missing}"))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("no 2xx (or `default`) response"), "{err}");
}

#[test]
fn media_types_decide_between_json_text_and_bytes() {
    let cases = [
        ("application/json; charset=utf-8", "Json(Any)", None),
        ("application/problem+json", "Json(Any)", None),
        ("text/csv", "Text", Some("text/csv, application/json")),
        ("image/png", "Bytes", Some("image/png, application/json")),
        ("'*/*'", "Bytes", Some("*/*, application/json")),
        (
            "application/octet-stream",
            "Bytes",
            Some("application/octet-stream, application/json"),
        ),
    ];
    for (media, body, accept) in cases {
        let (api, _) = lowered(&with_responses(&format!(
            "'200': {{description: ok, content: {{{media}: {{}}}}}}, '400': {{description: bad, content: {{application/json: {{}}}}}}"
        )));
        let op = only_op(&api);
        assert_eq!(
            format!("{:?}", op.success.single().unwrap()),
            body,
            "{media}"
        );
        assert_eq!(op.success.accept.as_deref(), accept, "{media}");
    }
    // JSON wins over another media type of the same response.
    let (api, _) = lowered(&with_responses(
        "'200': {description: ok, content: {text/html: {}, application/json: {schema: {$ref: '#/components/schemas/Item'}}}}",
    ));
    assert!(matches!(
        only_op(&api).success.single(),
        Some(ResponseBody::Json(TypeRef::Named(_)))
    ));
}

#[test]
fn a_head_response_has_no_body() {
    let text = doc(
        &format!(
            "  /a:\n    head:\n      operationId: headA\n      responses: {{'200': {{description: ok, {ITEM}}}}}\n"
        ),
        SCHEMAS,
    );
    let (api, _) = lowered(&text);
    assert_eq!(only_op(&api).success.single(), Some(&ResponseBody::Empty));
}

/// One POST operation on `/a` with request body `content` (YAML flow mapping body).
fn with_body(content: &str) -> String {
    doc(
        &format!(
            "  /a:\n    post:\n      operationId: postA\n      requestBody: {{required: true, content: {{{content}}}}}\n      responses: {{'204': {{description: ok}}}}\n"
        ),
        SCHEMAS,
    )
}

fn body_of(text: &str) -> Body {
    let (api, _) = lowered(text);
    match &only_op(&api).body {
        Some(b) => b.clone(),
        None => panic!("no body"),
    }
}

const ITEM_SCHEMA: &str = "{schema: {$ref: '#/components/schemas/Item'}}";

#[test]
fn json_and_form_of_one_schema_share_the_setters_and_json_is_the_default() {
    let b = body_of(&with_body(&format!(
        "application/x-www-form-urlencoded: {ITEM_SCHEMA}, application/json: {ITEM_SCHEMA}"
    )));
    let o = b.object.as_ref().unwrap();
    assert_eq!(o.encoding, ObjectEncoding::Json);
    assert_eq!(o.form_setter.as_ref().unwrap().bare(), "form_body");
    assert_eq!(o.setters[0].setter.bare(), "id");
    assert!(b.whole.is_empty() && b.whole_slot.is_none());

    assert!(o.json_media_type.is_none());

    let b = body_of(&with_body(&format!(
        "application/merge-patch+json: {ITEM_SCHEMA}"
    )));
    let o = b.object.as_ref().unwrap();
    assert_eq!(
        o.json_media_type.as_deref(),
        Some("application/merge-patch+json")
    );

    let b = body_of(&with_body(&format!(
        "application/x-www-form-urlencoded: {ITEM_SCHEMA}"
    )));
    let o = b.object.as_ref().unwrap();
    assert_eq!(o.encoding, ObjectEncoding::Form);
    assert!(o.form_setter.is_none());

    let err = lower_text(&with_body(&format!(
        "application/json: {ITEM_SCHEMA}, application/x-www-form-urlencoded: {{schema: {{$ref: '#/components/schemas/Job'}}}}"
    )))
    .err()
    .map(|e| e.to_string())
    .unwrap_or_default();
    assert!(
        err.starts_with("t.yaml#/paths/~1a/post/requestBody/content/application~1x-www-form-urlencoded: unsupported: a form body whose schema differs"),
        "{err}"
    );
}

#[test]
fn multipart_text_and_bytes_bodies_are_given_whole() {
    let b = body_of(&with_body(
        "multipart/form-data: {schema: {type: object, properties: {file: {type: string, format: binary}, folder: {type: string}, pages: {type: array, items: {type: string, format: binary}}}}}, text/plain: {}, application/octet-stream: {}, application/json: {schema: {$ref: '#/components/schemas/Item'}}",
    ));
    assert!(b.object.is_some());
    let whole: Vec<(String, WholeKind)> = b
        .whole
        .iter()
        .map(|w| (w.setter.bare().to_string(), w.kind.clone()))
        .collect();
    assert_eq!(
        whole,
        [
            (
                "multipart_body".to_string(),
                WholeKind::Multipart {
                    parts: vec![
                        ("file".into(), true),
                        ("folder".into(), false),
                        ("pages".into(), true)
                    ]
                }
            ),
            (
                "text_body".to_string(),
                WholeKind::Text {
                    content_type: "text/plain".into()
                }
            ),
            (
                "bytes_body".to_string(),
                WholeKind::Bytes {
                    content_type: Some("application/octet-stream".into())
                }
            ),
        ]
    );
    assert_eq!(b.whole_slot.as_ref().unwrap().bare(), "whole_body");

    // A wildcard, or several bytes media types: the caller names the type.
    for content in [
        "'*/*': {}",
        "image/png: {}, image/jpeg: {}",
        "'image/*': {}",
    ] {
        let b = body_of(&with_body(content));
        assert!(b.object.is_none());
        assert_eq!(
            b.whole[0].kind,
            WholeKind::Bytes { content_type: None },
            "{content}"
        );
    }
}

#[test]
fn a_json_body_that_is_not_an_object_is_given_whole_through_body() {
    let whole = |content: &str| -> Vec<(String, WholeKind)> {
        let b = body_of(&with_body(content));
        assert!(b.object.is_none(), "{content}");
        b.whole
            .iter()
            .map(|w| (w.setter.bare().to_string(), w.kind.clone()))
            .collect()
    };
    let items = TypeRef::Vec(Box::new(TypeRef::String));
    assert_eq!(
        whole("application/json: {schema: {type: array, items: {type: string}}}"),
        [(
            "body".to_string(),
            WholeKind::Json {
                ty: items.clone(),
                content_type: None
            }
        )]
    );
    assert_eq!(
        whole("application/json-patch+json: {schema: {type: array, items: {type: string}}}"),
        [(
            "body".to_string(),
            WholeKind::Json {
                ty: items,
                content_type: Some("application/json-patch+json".into())
            }
        )]
    );
    let map =
        whole("application/json: {schema: {type: object, additionalProperties: {type: integer}}}");
    assert!(
        matches!(&map[0].1, WholeKind::Json { ty: TypeRef::Map(v), .. } if **v == TypeRef::I64),
        "{map:?}"
    );

    // Beside a form object, the form keeps `body(model)` and JSON gets `json_body`.
    let b = body_of(&with_body(&format!(
        "application/json: {{schema: {{type: array, items: {{type: integer}}}}}}, application/x-www-form-urlencoded: {ITEM_SCHEMA}"
    )));
    assert_eq!(
        b.object.as_ref().map(|o| o.encoding),
        Some(ObjectEncoding::Form)
    );
    assert_eq!(b.whole[0].setter.bare(), "json_body");

    // A form body still has to be an object.
    let err = lower_text(&with_body(
        "application/x-www-form-urlencoded: {schema: {type: array, items: {type: string}}}",
    ))
    .err()
    .map(|e| e.to_string())
    .unwrap_or_default();
    assert!(err.contains("not an object"), "{err}");
}

#[test]
fn a_json_body_named_through_an_alias_of_a_struct_is_still_an_object_body() {
    // `Alias` is only a reference to `Item`: the body gets Item's setters, not `body(value)`.
    let text = doc(
        "  /a:\n    post:\n      operationId: postA\n      requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/Alias'}}}}\n      responses: {'204': {description: ok}}\n",
        &format!("{SCHEMAS}    Alias: {{$ref: '#/components/schemas/Item'}}\n"),
    );
    let b = body_of(&text);
    assert!(b.whole.is_empty(), "{:?}", b.whole);
    assert_eq!(
        b.object.as_ref().map(|o| o.model.bare()),
        Some("Item".to_string())
    );
}
