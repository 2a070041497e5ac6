//! The OpenAPI 3.0 reader: through `openapiv3`, to the version-neutral model.

use super::{Diagnostics, Document};
use crate::error::{GenError, Result};

/// Reads a 3.0 document.
pub(super) fn read(
    _value: &yaml_serde::Value,
    file: &str,
    _diagnostics: &mut Diagnostics,
) -> Result<Document> {
    Err(GenError::new(file, "/openapi", "not wired yet"))
}
