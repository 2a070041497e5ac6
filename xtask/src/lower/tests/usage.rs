//! After lowering (`lower/usage.rs`): which models requests reach, and which fields are boxed
//! to break cycles of structs.

use super::schemas::returning_a;
use super::*;

#[test]
fn requests_reach_models_through_lists_and_maps() {
    let paths = "  /a:\n    post:\n      operationId: postA\n      requestBody:\n        content:\n          application/json:\n            schema: {$ref: '#/components/schemas/Req'}\n      responses: {'204': {description: ok}}\n";
    let (api, _) = lowered(&doc(
        paths,
        "    Req: {type: object, properties: {tags: {type: array, items: {$ref: '#/components/schemas/Tag'}}, meta: {type: object, additionalProperties: {$ref: '#/components/schemas/Meta'}}}}\n    Tag: {type: string, enum: [a]}\n    Meta: {type: object, properties: {x: {type: string}}}\n",
    ));
    let Model::Enum(tag) = model(&api, "Tag") else {
        panic!("Tag is not an enum")
    };
    assert!(tag.request_only);
    assert_eq!(tag.catch_all.bare(), "Custom");
    let Model::Struct(meta) = model(&api, "Meta") else {
        panic!("Meta is not a struct")
    };
    assert!(meta.in_request);
}

#[test]
fn boxing_one_cycle_boxes_no_field_outside_a_cycle() {
    // S holds itself; A and B hold each other; C, D, E, F hold each other in a ring. The
    // other fields lead from one cycle into another that cannot lead back: no cycle closes
    // through them, so they stay inline whatever numbering boxing the cycles gives.
    let (api, _) = lowered(&returning_a(concat!(
        "    S: {type: object, properties: {s: {$ref: '#/components/schemas/S'}}}\n",
        "    A: {type: object, properties: {b: {$ref: '#/components/schemas/B'}, z: {$ref: '#/components/schemas/S'}}}\n",
        "    B: {type: object, properties: {a: {$ref: '#/components/schemas/A'}}}\n",
        "    C: {type: object, properties: {d: {$ref: '#/components/schemas/D'}, w: {$ref: '#/components/schemas/A'}}}\n",
        "    D: {type: object, properties: {e: {$ref: '#/components/schemas/E'}, x: {$ref: '#/components/schemas/B'}}}\n",
        "    E: {type: object, properties: {f: {$ref: '#/components/schemas/F'}, y: {$ref: '#/components/schemas/A'}}}\n",
        "    F: {type: object, properties: {c: {$ref: '#/components/schemas/C'}}}\n",
    )));
    let boxed: Vec<String> = ["S", "A", "B", "C", "D", "E", "F"]
        .iter()
        .flat_map(|m| {
            field_types(&api, m)
                .into_iter()
                .filter(|(_, ty)| matches!(ty, TypeRef::Boxed(_)))
                .map(move |(f, _)| format!("{m}.{f}"))
        })
        .collect();
    // The first field of each cycle, in model and field order.
    assert_eq!(boxed, ["S.s", "A.b", "C.d"]);
}

#[test]
fn a_cycle_reached_from_a_struct_outside_it_is_boxed_where_it_closes() {
    // R comes first and only leads into the cycle of A and B: the cycle does not start where
    // the search for cycles does.
    let (api, _) = lowered(&returning_a(concat!(
        "    R: {type: object, properties: {a: {$ref: '#/components/schemas/A'}}}\n",
        "    A: {type: object, properties: {b: {$ref: '#/components/schemas/B'}}}\n",
        "    B: {type: object, properties: {a: {$ref: '#/components/schemas/A'}}}\n",
    )));
    let boxed = |m: &str| {
        field_types(&api, m)
            .into_iter()
            .map(|(_, ty)| matches!(ty, TypeRef::Boxed(_)))
            .collect::<Vec<bool>>()
    };
    assert_eq!(
        [boxed("R"), boxed("A"), boxed("B")],
        [[false], [true], [false]]
    );
}
