//! Vendor extensions: parsed once into typed structs with pointers; bad values are errors (or,
//! where the extension changes nothing, warnings) naming their pointer.

use super::*;
use crate::lower::extensions::{
    DocumentExtensions, GlobalParam, OperationExtensions, PageInputIn, PageInputRole,
    ParameterExtensions,
};
use crate::spec::Extensions;
use serde_json::json;

/// An operation `GET /a` (`getA`) with `ext` (YAML lines at operation level) added.
fn op_with(ext: &str) -> String {
    doc(
        &get_returning("/a", "getA", "{type: string}").replace(
            "      operationId: getA\n",
            &format!("      operationId: getA\n{ext}"),
        ),
        "    Unused: {type: string}\n",
    )
}

fn extensions(pointer: &str, entries: &[(&str, Value)]) -> Extensions {
    Extensions {
        pointer: pointer.to_string(),
        entries: entries
            .iter()
            .map(|(n, v)| (n.to_string(), v.clone()))
            .collect(),
    }
}

#[test]
fn operation_extensions_are_read_with_the_pointer_of_each() {
    let set = extensions(
        "/paths/~1a/get",
        &[
            ("x-speakeasy-group", json!("users")),
            ("x-speakeasy-name-override", json!("list")),
            ("x-cld-auth", json!("optional")),
            ("x-cld-retry", json!("never")),
            (
                "x-speakeasy-pagination",
                json!({"type": "cursor", "inputs": [{"name": "c", "in": "requestBody", "type": "cursor"}],
                       "outputs": {"results": "$.data.items", "nextCursor": "$.next"}}),
            ),
        ],
    );
    let ext = OperationExtensions::read(&set).unwrap_or_else(|e| panic!("{e:?}"));
    let group = ext.group.expect("group");
    assert_eq!(group.value.0, "users");
    assert_eq!(group.pointer, "/paths/~1a/get/x-speakeasy-group");
    assert_eq!(ext.name_override.expect("name").value.0, "list");
    let auth = ext.auth.expect("auth");
    assert_eq!(auth.value, Auth::Optional);
    assert_eq!(auth.pointer, "/paths/~1a/get/x-cld-auth");
    assert_eq!(ext.retry.expect("retry").value, RetryClass::Never);
    let p = ext.pagination.expect("pagination").value;
    assert_eq!(p.kind, PageKind::Cursor);
    assert_eq!(p.inputs.len(), 1);
    assert_eq!(p.inputs[0].name, "c");
    assert_eq!(p.inputs[0].location, PageInputIn::RequestBody);
    assert_eq!(p.inputs[0].role, PageInputRole::Cursor);
    assert_eq!(
        p.inputs[0].pointer,
        "/paths/~1a/get/x-speakeasy-pagination/inputs/0"
    );
    assert_eq!(p.results.value, ["data", "items"]);
    assert_eq!(
        p.results.pointer,
        "/paths/~1a/get/x-speakeasy-pagination/outputs/results"
    );
    let next = p.next_cursor.expect("a cursor pagination's next cursor");
    assert_eq!(next.value, ["next"]);
}

#[test]
fn absent_extensions_are_none_and_page_paginations_have_no_cursor_path() {
    let ext = OperationExtensions::read(&extensions("/p", &[])).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(ext.group.is_none() && ext.auth.is_none() && ext.pagination.is_none());
    let set = extensions(
        "/p",
        &[(
            "x-speakeasy-pagination",
            json!({"type": "offsetLimit", "inputs": [{"name": "n", "in": "parameters", "type": "limit"}],
                   "outputs": {"results": "$.items"}}),
        )],
    );
    let p = OperationExtensions::read(&set)
        .unwrap_or_else(|e| panic!("{e:?}"))
        .pagination
        .expect("pagination")
        .value;
    assert_eq!(p.kind, PageKind::Page);
    assert_eq!(p.inputs[0].role, PageInputRole::Limit);
    assert_eq!(p.inputs[0].location, PageInputIn::Parameters);
    assert!(p.next_cursor.is_none());
}

#[test]
fn globals_are_read_as_component_references_or_names() {
    let set = extensions(
        "",
        &[(
            "x-speakeasy-globals",
            json!({"parameters": [{"$ref": "#/components/parameters/A~1B"}, {"name": "region"}]}),
        )],
    );
    let globals = DocumentExtensions::read(&set)
        .unwrap_or_else(|e| panic!("{e:?}"))
        .globals
        .expect("globals")
        .value;
    assert_eq!(
        globals.iter().map(|g| &g.value).collect::<Vec<_>>(),
        [
            &GlobalParam::Component {
                name: "A/B".into(),
                reference: "#/components/parameters/A~1B".into()
            },
            &GlobalParam::Named("region".into()),
        ]
    );
    assert_eq!(globals[1].pointer, "/x-speakeasy-globals/parameters/1");
}

#[test]
fn bad_extension_values_are_errors_naming_their_pointer() {
    let ptr = "t.yaml#/paths/~1a/get";
    let pagination = |body: &str| format!("      x-speakeasy-pagination: {body}\n");
    let cases = [
        (
            "      x-cld-auth: sometimes\n".to_string(),
            format!(
                "{ptr}/x-cld-auth: unknown value \"sometimes\": expected required, optional or none"
            ),
        ),
        (
            "      x-cld-retry: 3\n".to_string(),
            format!(
                "{ptr}/x-cld-retry: unknown value 3: expected idempotent, non-idempotent or never"
            ),
        ),
        (
            "      x-speakeasy-group: ' '\n".to_string(),
            format!("{ptr}/x-speakeasy-group: expected a non-empty string"),
        ),
        (
            "      x-speakeasy-name-override: [a]\n".to_string(),
            format!("{ptr}/x-speakeasy-name-override: expected a non-empty string"),
        ),
        (
            pagination("{type: seek, inputs: [], outputs: {}}"),
            format!(
                "{ptr}/x-speakeasy-pagination/type: unknown pagination type \"seek\": expected cursor or offsetLimit"
            ),
        ),
        (
            pagination("{inputs: []}"),
            format!("{ptr}/x-speakeasy-pagination/type: missing pagination type"),
        ),
        (
            pagination("{type: cursor, inputs: {}}"),
            format!("{ptr}/x-speakeasy-pagination/inputs: expected a list"),
        ),
        (
            pagination("{type: cursor, inputs: [{in: parameters}]}"),
            format!("{ptr}/x-speakeasy-pagination/inputs/0: missing name"),
        ),
        (
            pagination("{type: cursor, inputs: [{name: c, type: cursor}]}"),
            format!(
                "{ptr}/x-speakeasy-pagination/inputs/0: missing `in`: expected parameters or requestBody"
            ),
        ),
        (
            pagination("{type: cursor, inputs: [{name: c, in: parameters, type: offset}]}"),
            format!(
                "{ptr}/x-speakeasy-pagination/inputs/0/type: unsupported input type Some(\"offset\") for Cursor pagination on \"c\""
            ),
        ),
        (
            pagination("{type: cursor, inputs: []}"),
            format!("{ptr}/x-speakeasy-pagination/outputs: missing outputs"),
        ),
        (
            pagination("{type: cursor, inputs: [], outputs: {results: items}}"),
            format!(
                "{ptr}/x-speakeasy-pagination/outputs/results: unsupported JSONPath \"items\": expected $.field(.field)*"
            ),
        ),
        (
            pagination("{type: cursor, inputs: [], outputs: {results: $.items}}"),
            format!("{ptr}/x-speakeasy-pagination/outputs/nextCursor: missing JSONPath"),
        ),
    ];
    for (ext, want) in cases {
        assert_eq!(error_of(&op_with(&ext)), want);
    }
}

#[test]
fn bad_globals_are_errors_naming_their_pointer() {
    let with_globals = |globals: &str| {
        doc(
            &get_returning("/a", "getA", "{type: string}"),
            "    Unused: {type: string}\n",
        )
        .replace(
            "paths:\n",
            &format!("x-speakeasy-globals: {globals}\npaths:\n"),
        )
    };
    for (globals, want) in [
        (
            "{parameters: 1}",
            "t.yaml#/x-speakeasy-globals/parameters: expected a list of parameters",
        ),
        (
            "{parameters: [{in: path}]}",
            "t.yaml#/x-speakeasy-globals/parameters/0: a global parameter needs `$ref` or `name`",
        ),
        (
            "{parameters: [{$ref: '#/components/schemas/Unused'}]}",
            "t.yaml#/x-speakeasy-globals/parameters/0: unsupported $ref \"#/components/schemas/Unused\": expected #/components/parameters/...",
        ),
        (
            "{parameters: [{$ref: '#/components/parameters/Gone'}]}",
            "t.yaml#/x-speakeasy-globals/parameters/0: dangling $ref \"#/components/parameters/Gone\"",
        ),
    ] {
        assert_eq!(error_of(&with_globals(globals)), want);
    }
}

#[test]
fn a_parameter_extension_with_a_bad_value_is_a_warning_naming_its_pointer() {
    let set = extensions("/p", &[("x-speakeasy-globals-hidden", json!(true))]);
    let hidden = ParameterExtensions::read(&set).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(hidden.globals_hidden.map(|h| h.value), Some(true));
    let paths = "  /a:\n    get:\n      operationId: getA\n      parameters:\n        - {name: id, in: query, schema: {type: string}, x-speakeasy-globals-hidden: 'yes'}\n      responses: {'204': {description: ok}}\n";
    let (_, d) = lowered(&doc(paths, "    Unused: {type: string}\n"));
    assert_eq!(
        d.lines(),
        [
            "t.yaml#/paths/~1a/get/parameters/0/x-speakeasy-globals-hidden: warning: expected true or false, not \"yes\": the extension is ignored"
        ]
    );
}

#[test]
fn a_known_extension_where_it_is_not_read_is_a_warning_saying_where_it_is() {
    let (_, d) = lowered(&doc(
        &get_returning("/a", "getA", "{$ref: '#/components/schemas/A'}"),
        "    A: {type: object, x-cld-auth: none, properties: {a: {type: string}}}\n",
    ));
    assert_eq!(
        d.lines(),
        [
            "t.yaml#/components/schemas/A/x-cld-auth: warning: vendor extension x-cld-auth is read on operations only, not here"
        ]
    );
}

#[test]
fn every_extension_read_is_known_where_it_is_read() {
    // The known list is the parsed structs' names: an extension added to a struct is known
    // without a second list, and nothing is known twice.
    let mut all: Vec<&str> = [
        DocumentExtensions::NAMES,
        OperationExtensions::NAMES,
        ParameterExtensions::NAMES,
    ]
    .concat();
    assert_eq!(all.len(), 7);
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), 7);
    let (_, d) = lowered(&op_with(
        "      x-speakeasy-group: g\n      x-speakeasy-name-override: n\n      x-cld-auth: none\n      x-cld-retry: never\n",
    ));
    assert_eq!(d.lines(), Vec::<String>::new());
}
