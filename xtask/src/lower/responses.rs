//! Responses: the success type, the per-status error cases with their message path, and
//! pagination (`x-speakeasy-pagination`) resolved against the response model.

use super::*;
use crate::spec::{self, StatusKey};

impl<'a> Lowerer<'a> {
    pub(super) fn responses(
        &mut self,
        op: &'a spec::Operation,
        op_ptr: &str,
        builder: &Ident,
    ) -> Result<(Success, Vec<ErrorCase>)> {
        let mut success: Option<Success> = None;
        let mut errors = Vec::new();
        let mut variants = Scope::default();
        let mut codes: Vec<(u16, &'a spec::Response)> = Vec::new();
        for (key, resp) in &op.responses {
            match key {
                StatusKey::Code(c) => codes.push((*c, resp)),
                StatusKey::Range(r) => {
                    return Err(self.err(
                        &format!("{op_ptr}/responses/{r}XX"),
                        "unsupported: status code ranges",
                    ));
                }
                StatusKey::Default => {
                    return Err(self.err(
                        &format!("{op_ptr}/responses/default"),
                        "unsupported: `default` responses",
                    ));
                }
            }
        }
        codes.sort_by_key(|(c, _)| *c);
        for (code, resp) in codes {
            let ptr = resp.pointer.clone();
            if !(200..300).contains(&code) && code < 400 {
                return Err(self.err(
                    &ptr,
                    format!("unsupported: a documented {code} response (1xx and 3xx statuses are not generated)"),
                ));
            }
            let json = resp
                .content
                .iter()
                .find(|m| m.media_type == "application/json")
                .and_then(|m| m.schema.as_ref());
            if (200..300).contains(&code) {
                let this = match json {
                    Some(s) if code != 204 => {
                        let (ty, _) = self.lower_schema(
                            s,
                            &format!("{}Response", builder.bare()),
                            &s.pointer,
                        )?;
                        Success::Json { status: code, ty }
                    }
                    _ => Success::Unit { status: code },
                };
                match (&success, &this) {
                    (None, _) => success = Some(this),
                    (Some(Success::Json { ty: a, .. }), Success::Json { ty: b, .. }) if a != b => {
                        return Err(self.err(
                            &ptr,
                            "unsupported: several success responses with different bodies",
                        ));
                    }
                    _ => {}
                }
            } else if code >= 400 {
                let body = match json {
                    Some(s) => Some(
                        self.lower_schema(
                            s,
                            &format!("{}{}Body", builder.bare(), naming::status_variant(code)),
                            &s.pointer,
                        )?
                        .0,
                    ),
                    None => None,
                };
                errors.push(ErrorCase {
                    status: code,
                    variant: variants
                        .allocate(naming::pascal(&naming::status_variant(code)), "Status"),
                    body,
                    message_path: Vec::new(),
                    description: Some(resp.description.clone()).filter(|d| !d.trim().is_empty()),
                });
            }
        }
        let success = success.ok_or_else(|| {
            self.err(&format!("{op_ptr}/responses"), "no 2xx response documented")
        })?;
        for e in &mut errors {
            if let Some(TypeRef::Named(n)) = &e.body {
                e.message_path = self
                    .field_path(n, &["error", "message"])
                    .or_else(|| self.field_path(n, &["message"]))
                    .unwrap_or_default();
            }
        }
        Ok((success, errors))
    }

    /// Follows `path` (wire names) through struct models; the last field must be a string.
    pub(super) fn field_path(&self, model: &TypeName, path: &[&str]) -> Option<Vec<MessageStep>> {
        let mut steps = Vec::new();
        let mut current = model.clone();
        for (i, wire) in path.iter().enumerate() {
            let Some(Model::Struct(s)) = self.find_model(&current) else {
                return None;
            };
            let f = s.fields.iter().find(|f| f.wire_name == *wire)?;
            steps.push(MessageStep {
                field: f.rust_name.clone(),
                optional: !f.required || f.nullable,
            });
            if i + 1 == path.len() {
                return (f.ty == TypeRef::String).then_some(steps);
            }
            match &f.ty {
                TypeRef::Named(n) => current = n.clone(),
                _ => return None,
            }
        }
        None
    }

    pub(super) fn pagination(&self, p: &Value, ptr: &str, op: &Operation) -> Result<Pagination> {
        let kind = match p.get("type").and_then(|t| t.as_str()) {
            Some("cursor") => PageKind::Cursor,
            Some("offsetLimit") => PageKind::Page,
            Some(other) => {
                return Err(self.err(
                    &format!("{ptr}/type"),
                    format!("unknown pagination type {other:?}: expected cursor or offsetLimit"),
                ));
            }
            None => return Err(self.err(&format!("{ptr}/type"), "missing pagination type")),
        };
        let inputs = p
            .get("inputs")
            .and_then(|i| i.as_array())
            .ok_or_else(|| self.err(&format!("{ptr}/inputs"), "expected a list"))?;
        let mut input = None;
        let mut page_size = None;
        for (i, inp) in inputs.iter().enumerate() {
            let i_ptr = format!("{ptr}/inputs/{i}");
            let name = inp
                .get("name")
                .and_then(|n| n.as_str())
                .ok_or_else(|| self.err(&i_ptr, "missing name"))?;
            if inp.get("in").and_then(|n| n.as_str()) != Some("parameters") {
                return Err(self.err(&format!("{i_ptr}/in"), "unsupported: only `in: parameters`"));
            }
            let param = op
                .params
                .iter()
                .find(|p| p.wire_name == name && p.location == ParamLocation::Query && !p.required)
                .ok_or_else(|| {
                    self.err(
                        &i_ptr,
                        format!("{name:?} is not an optional query parameter of the operation"),
                    )
                })?;
            match inp.get("type").and_then(|t| t.as_str()) {
                Some("page")
                    if kind == PageKind::Page
                        && matches!(param.ty, TypeRef::I32 | TypeRef::I64) =>
                {
                    input = Some(param.rust_name.clone())
                }
                Some("cursor") if kind == PageKind::Cursor && param.ty == TypeRef::String => {
                    input = Some(param.rust_name.clone())
                }
                Some("limit") if matches!(param.ty, TypeRef::I32 | TypeRef::I64) => {
                    page_size = Some(param.rust_name.clone())
                }
                other => {
                    return Err(self.err(
                        &format!("{i_ptr}/type"),
                        format!(
                            "unsupported input type {other:?} for {kind:?} pagination on {name:?}"
                        ),
                    ));
                }
            }
        }
        let input =
            input.ok_or_else(|| self.err(&format!("{ptr}/inputs"), "no page or cursor input"))?;
        let Success::Json {
            ty: TypeRef::Named(resp),
            ..
        } = &op.success
        else {
            return Err(self.err(ptr, "pagination needs a JSON object response"));
        };
        let outputs = p
            .get("outputs")
            .ok_or_else(|| self.err(&format!("{ptr}/outputs"), "missing outputs"))?;
        let jsonpath = |key: &str| -> Result<Vec<String>> {
            let s = outputs
                .get(key)
                .and_then(|v| v.as_str())
                .ok_or_else(|| self.err(&format!("{ptr}/outputs/{key}"), "missing JSONPath"))?;
            let rest = s.strip_prefix("$.").ok_or_else(|| {
                self.err(
                    &format!("{ptr}/outputs/{key}"),
                    format!("unsupported JSONPath {s:?}: expected $.field(.field)*"),
                )
            })?;
            Ok(rest.split('.').map(str::to_string).collect())
        };
        let results_path = jsonpath("results")?;
        let (results, item) = self
            .walk(resp, &results_path)
            .and_then(|(steps, ty)| match ty {
                TypeRef::Vec(inner) => Some((steps, *inner)),
                _ => None,
            })
            .ok_or_else(|| {
                self.err(
                    &format!("{ptr}/outputs/results"),
                    "does not lead to an array in the response",
                )
            })?;
        let next_cursor = if kind == PageKind::Cursor {
            let path = jsonpath("nextCursor")?;
            match self.walk(resp, &path) {
                Some((steps, TypeRef::String)) => steps,
                _ => {
                    return Err(self.err(
                        &format!("{ptr}/outputs/nextCursor"),
                        "does not lead to a string in the response",
                    ));
                }
            }
        } else {
            Vec::new()
        };
        Ok(Pagination {
            kind,
            input,
            results,
            item,
            next_cursor,
            page_size,
        })
    }

    pub(super) fn walk(
        &self,
        model: &TypeName,
        path: &[String],
    ) -> Option<(Vec<MessageStep>, TypeRef)> {
        let mut steps = Vec::new();
        let mut ty = TypeRef::Named(model.clone());
        for wire in path {
            let TypeRef::Named(n) = &ty else { return None };
            let Some(Model::Struct(s)) = self.find_model(n) else {
                return None;
            };
            let f = s.fields.iter().find(|f| &f.wire_name == wire)?;
            steps.push(MessageStep {
                field: f.rust_name.clone(),
                optional: !f.required || f.nullable,
            });
            ty = f.ty.clone();
        }
        Some((steps, ty))
    }
}
