//! The OpenAPI 3.1 reader: the YAML value to the version-neutral model.
//!
//! It walks the value itself (no typed 3.1 crate fits: `openapiv3` stops at 3.0), through a
//! [`node::Node`] that carries its JSON pointer, so every shape error names the file and the
//! node and nothing panics. What it decides:
//!
//! - Unknown keys that are not `x-` are ignored (forward compatibility); `x-` keys are kept in
//!   [`Extensions`](crate::spec::Extensions) for the lowering to judge.
//! - Keys YAML reads as numbers or booleans (`200:`) take their string form.
//! - Parameter, request-body, response, header, path-item and security-scheme references are
//!   replaced by their targets; schema references stay references, each made to name a
//!   component: a `$defs` entry (or any other schema reached by pointer) becomes an extra
//!   component schema under a derived name, see [`refs::SchemaRefs`].
//! - `webhooks` and `jsonSchemaDialect` are read past with one note each; 3.0 spellings that
//!   3.1 dropped (`nullable`, boolean exclusive bounds) are honoured with a warning.
//! - Lenient where the generator loses nothing: a response without `description` (common in
//!   real specs) is read with an empty one and a warning; a path parameter not marked
//!   `required` is read as required, with a warning.
//! - Bounded on any input: inline schemas nest at most 64 levels, `$ref` chains are at most 32
//!   long and checked for cycles, plain values nest at most 128 levels, and hoisted schemas are
//!   read from a work list, so no recursion follows the input without a limit.
//! - YAML merge keys (`<<`) are not expanded here: the caller parses the value (and may call
//!   `apply_merge` on it first).

mod document;
mod node;
mod operation;
mod refs;
mod schema;
#[cfg(test)]
mod tests;

use super::{Diagnostics, Document};
use crate::error::Result;
use node::Node;
use refs::SchemaRefs;

/// Reads a 3.1 document.
pub(super) fn read(
    value: &yaml_serde::Value,
    file: &str,
    diagnostics: &mut Diagnostics,
) -> Result<Document> {
    let root = Node::root(file, value);
    root.map()?;
    let mut reader = Reader {
        schemas: SchemaRefs::new(document::component_schema_names(&root)?),
        root,
        diagnostics,
    };
    reader.document()
}

/// The state of one read: the document root (for references), where warnings go, and the
/// schema-reference registry.
struct Reader<'a, 'd> {
    root: Node<'a>,
    diagnostics: &'d mut Diagnostics,
    schemas: SchemaRefs<'a>,
}
