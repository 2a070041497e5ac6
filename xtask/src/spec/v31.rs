//! The OpenAPI 3.1 reader: the YAML value to the version-neutral model.

use super::{Diagnostics, Document};
use crate::error::{GenError, Result};

/// Reads a 3.1 document.
pub(super) fn read(
    _value: &yaml_serde::Value,
    file: &str,
    _diagnostics: &mut Diagnostics,
) -> Result<Document> {
    Err(GenError::new(
        file,
        "/openapi",
        "OpenAPI 3.1 is not read yet",
    ))
}
