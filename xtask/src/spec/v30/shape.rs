//! Shape checking of a 3.0 document: deserializing it as `openapiv3::OpenAPI`, and when that
//! fails, finding the deepest node that does not have the shape 3.0 asks for, so the error
//! names it.

use crate::error::{GenError, Result, pointer_token};

/// Deserializes the document; a shape error names its node.
pub(super) fn deserialize(value: &yaml_serde::Value, file: &str) -> Result<openapiv3::OpenAPI> {
    // The plain pass is the common case and the cheaper one; only a document that fails is
    // deserialized again, with serde_path_to_error tracking where openapiv3 gave up, so a shape
    // error names its node. Below openapiv3's untagged and flattened types that trail is lost,
    // and the locator deserializes the document part by part to find the deepest node that fails.
    let plain = match serde::Deserialize::deserialize(value) {
        Ok(document) => return Ok(document),
        Err(e) => e,
    };
    let (pointer, message) = locate_shape_error(value).unwrap_or_else(|| {
        match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(value) {
            Err(tracked) => (path_pointer(tracked.path()), tracked.inner().to_string()),
            // Deserializing is deterministic, so the tracked pass fails as the plain one did.
            Ok(_) => (String::new(), plain.to_string()),
        }
    });
    Err(GenError::new(
        file,
        &pointer,
        format!("not a valid OpenAPI 3.0 document: {message}"),
    ))
}

/// Deserializes `value` as `T`; on failure, the pointer (below `at`) and message of the error.
fn try_part<T: serde::de::DeserializeOwned>(
    value: &yaml_serde::Value,
    at: &str,
) -> Option<(String, String)> {
    serde_path_to_error::deserialize::<_, T>(value)
        .err()
        .map(|e| {
            (
                format!("{at}{}", path_pointer(e.path())),
                e.inner().to_string(),
            )
        })
}

/// The entries of a mapping, keyed by their string form: YAML reads `200:` as a number, and
/// the status codes of `responses` are mostly written that way.
fn entries(value: Option<&yaml_serde::Value>) -> Vec<(String, &yaml_serde::Value)> {
    value
        .and_then(|v| v.as_mapping())
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| crate::spec::key_string(k).map(|k| (k, v)))
                .collect()
        })
        .unwrap_or_default()
}

/// Deserializes one part of the document as its openapiv3 type.
type PartCheck = fn(&yaml_serde::Value, &str) -> Option<(String, String)>;

/// The deepest part of the document that openapiv3 rejects: path items, their operations,
/// parameters, bodies and responses, and each component, tried one at a time.
fn locate_shape_error(doc: &yaml_serde::Value) -> Option<(String, String)> {
    use openapiv3::{
        Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema, SecurityScheme,
    };
    for (path, item) in entries(doc.get("paths")) {
        let at = format!("/paths/{}", pointer_token(&path));
        if try_part::<ReferenceOr<PathItem>>(item, &at).is_none() {
            continue;
        }
        for (i, p) in item
            .get("parameters")
            .and_then(|p| p.as_sequence())
            .into_iter()
            .flatten()
            .enumerate()
        {
            if let Some(found) =
                try_part::<ReferenceOr<Parameter>>(p, &format!("{at}/parameters/{i}"))
            {
                return Some(found);
            }
        }
        for method in [
            "get", "put", "post", "delete", "options", "head", "patch", "trace",
        ] {
            let Some(op) = item.get(method) else { continue };
            let op_at = format!("{at}/{method}");
            if try_part::<Operation>(op, &op_at).is_none() {
                continue;
            }
            for (i, p) in op
                .get("parameters")
                .and_then(|p| p.as_sequence())
                .into_iter()
                .flatten()
                .enumerate()
            {
                if let Some(found) =
                    try_part::<ReferenceOr<Parameter>>(p, &format!("{op_at}/parameters/{i}"))
                {
                    return Some(found);
                }
            }
            if let Some(found) = op.get("requestBody").and_then(|b| {
                try_part::<ReferenceOr<RequestBody>>(b, &format!("{op_at}/requestBody"))
            }) {
                return Some(found);
            }
            match op.get("responses").map(|r| r.as_mapping().is_some()) {
                Some(true) => {
                    for (code, r) in entries(op.get("responses")) {
                        let r_at = format!("{op_at}/responses/{}", pointer_token(&code));
                        if let Some(found) = try_part::<ReferenceOr<Response>>(r, &r_at) {
                            return Some(found);
                        }
                    }
                }
                Some(false) => {
                    return Some((
                        format!("{op_at}/responses"),
                        "expected a map of status codes".into(),
                    ));
                }
                None => {}
            }
            return try_part::<Operation>(op, &op_at);
        }
        return try_part::<ReferenceOr<PathItem>>(item, &at);
    }
    let components = doc.get("components");
    let sections: [(&str, PartCheck); 5] = [
        ("schemas", try_part::<ReferenceOr<Schema>>),
        ("parameters", try_part::<ReferenceOr<Parameter>>),
        ("responses", try_part::<ReferenceOr<Response>>),
        ("requestBodies", try_part::<ReferenceOr<RequestBody>>),
        ("securitySchemes", try_part::<ReferenceOr<SecurityScheme>>),
    ];
    for (section, check) in sections {
        for (name, part) in entries(components.and_then(|c| c.get(section))) {
            if let Some(found) = check(
                part,
                &format!("/components/{section}/{}", pointer_token(&name)),
            ) {
                return Some(found);
            }
        }
    }
    None
}

/// The JSON pointer of a serde path (`paths./users.get.parameters[0]` ->
/// `/paths/~1users/get/parameters/0`).
fn path_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|segment| match segment {
            Segment::Seq { index } => Some(index.to_string()),
            Segment::Map { key } => Some(key.clone()),
            Segment::Enum { variant } => Some(variant.clone()),
            Segment::Unknown => None,
        })
        .map(|token| format!("/{}", pointer_token(&token)))
        .collect()
}
