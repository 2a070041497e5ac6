//! What the readers' tests share: reading a spec written inline, and finding its parts.

use super::{Diagnostics, Document, Schema};
use crate::error::{GenError, Result};

/// A version's reader (`v30::read`, `v31::read`).
pub(super) type Reader = fn(&yaml_serde::Value, &str, &mut Diagnostics) -> Result<Document>;

/// Reads the whole document `text` (named `s.yaml`) with `reader`, with its diagnostics.
pub(super) fn read_with(reader: Reader, text: &str) -> (Result<Document>, Diagnostics) {
    let mut diagnostics = Diagnostics::new("s.yaml");
    let value: yaml_serde::Value = match yaml_serde::from_str(text) {
        Ok(v) => v,
        Err(e) => return (Err(GenError::new("s.yaml", "", e.to_string())), diagnostics),
    };
    (reader(&value, "s.yaml", &mut diagnostics), diagnostics)
}

/// The error line of a read, or "" when it succeeded.
pub(super) fn error_line(result: Result<Document>) -> String {
    result.err().map(|e| e.to_string()).unwrap_or_default()
}

/// Component schema `name` of a document.
pub(super) fn component(doc: &Document, name: &str) -> Result<Schema> {
    doc.components
        .schema(name)
        .cloned()
        .ok_or_else(|| GenError::new("test", "", format!("no component {name}")))
}

/// Property `name` of a schema.
pub(super) fn property<'s>(schema: &'s Schema, name: &str) -> Option<&'s Schema> {
    schema
        .properties
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, s)| s)
}

/// A component `S` whose `items` nest `levels` deep, each level written by `level` around the
/// one inside it.
pub(super) fn nested_items(levels: usize, level: fn(&str) -> String) -> String {
    let mut inner = String::from("{type: string}");
    for _ in 0..levels {
        inner = level(&inner);
    }
    format!("components:\n  schemas:\n    S: {inner}\n")
}
