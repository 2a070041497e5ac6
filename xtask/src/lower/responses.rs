//! Responses: the status-to-body map (success cases, a plain value or an enum; error cases
//! per status, range and `default`, with their message path), and pagination (`x-speakeasy-pagination`) resolved against the response model.

use super::extensions::{self, At, PageInputIn, PageInputRole, PaginationExtension};
use super::*;
use crate::spec::{self, StatusKey};

/// How a documented response key is used.
enum Role {
    Success,
    Error,
    /// `default`: the error body of undocumented statuses, and the success body too when no
    /// 2xx is documented.
    Default,
}

/// Whether `media` is a JSON media type: `application/json`, `application/*+json`, either
/// with parameters (`; charset=utf-8`).
pub(super) fn is_json_media(media: &str) -> bool {
    let essence = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// The order cases are matched in: exact statuses ascending, then ranges, then `default`.
fn match_order(s: &StatusMatch) -> (u8, u16) {
    match s {
        StatusMatch::Code(c) => (0, *c),
        StatusMatch::Range(r) => (1, u16::from(*r)),
        StatusMatch::Default => (2, 0),
    }
}

/// The success enum's variant for a status.
fn success_variant(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(c) => naming::status_variant(c),
        StatusMatch::Range(r) => format!("Status{r}xx"),
        StatusMatch::Default => "Other".into(),
    }
}

impl<'a> Lowerer<'a> {
    /// The status-to-body map of an operation: its success cases (a plain value when they
    /// share one body, else an enum named `success_enum`) and its error cases.
    pub(super) fn responses(
        &mut self,
        op: &'a spec::Operation,
        op_ptr: &str,
        builder: &Ident,
        success_enum: Ident,
    ) -> Result<(Success, Vec<ErrorCase>)> {
        let mut documented: Vec<(StatusMatch, Role, &'a spec::Response)> = Vec::new();
        for (key, resp) in &op.responses {
            let (status, role) = match *key {
                StatusKey::Code(c) if (200..300).contains(&c) => {
                    (StatusMatch::Code(c), Role::Success)
                }
                StatusKey::Code(c) if (400..600).contains(&c) => {
                    (StatusMatch::Code(c), Role::Error)
                }
                StatusKey::Range(2) => (StatusMatch::Range(2), Role::Success),
                StatusKey::Range(r @ (4 | 5)) => (StatusMatch::Range(r), Role::Error),
                StatusKey::Default => (StatusMatch::Default, Role::Default),
                StatusKey::Code(c) => {
                    return Err(self.refused_status(&resp.pointer, &c.to_string()));
                }
                StatusKey::Range(r) => {
                    return Err(self.refused_status(&resp.pointer, &format!("{r}XX")));
                }
            };
            documented.push((status, role, resp));
        }
        documented.sort_by_key(|(s, _, _)| match_order(s));
        let has_2xx = documented
            .iter()
            .any(|(_, r, _)| matches!(r, Role::Success));
        let success_responses: Vec<(StatusMatch, &'a spec::Response)> = documented
            .iter()
            .filter(|(_, r, _)| {
                matches!(r, Role::Success) || (!has_2xx && matches!(r, Role::Default))
            })
            .map(|(s, _, resp)| (*s, *resp))
            .collect();
        if success_responses.is_empty() {
            return Err(self.err(
                &format!("{op_ptr}/responses"),
                "no 2xx (or `default`) response documented: nothing says what a successful call returns",
            ));
        }
        let no_body = |status: StatusMatch| {
            op.method == spec::Method::Head || matches!(status, StatusMatch::Code(204 | 205))
        };
        // Several success responses that are not obviously one body name inline schemas by
        // their status, so their types read apart.
        let distinct_shapes = success_responses
            .iter()
            .map(|(s, r)| (no_body(*s), body_shape_key(r)))
            .collect::<BTreeSet<_>>()
            .len()
            > 1;
        let mut variants = Scope::default();
        let mut cases = Vec::new();
        for (status, resp) in success_responses {
            let variant = success_variant(status);
            let hint = if distinct_shapes {
                format!("{}{variant}Body", builder.bare())
            } else {
                format!("{}Response", builder.bare())
            };
            let body = if no_body(status) {
                ResponseBody::Empty
            } else {
                self.response_body(resp, &hint)?
            };
            cases.push(SuccessCase {
                status,
                variant: variants.allocate(naming::pascal(&variant), "Status"),
                body,
                description: Some(resp.description.clone()).filter(|d| !d.trim().is_empty()),
            });
        }
        let shared = cases.windows(2).all(|w| w[0].body == w[1].body);
        let success = Success {
            cases,
            enum_name: (!shared).then_some(success_enum),
            accept: self.accept(op)?,
        };

        let mut errors = Vec::new();
        let mut variants = Scope::default();
        for (status, role, resp) in documented {
            if matches!(role, Role::Success) {
                continue;
            }
            let name = match status {
                StatusMatch::Code(c) => naming::status_variant(c),
                StatusMatch::Range(r) => format!("Status{r}xx"),
                StatusMatch::Default => "Other".into(),
            };
            let hint = format!("{}{}Body", builder.bare(), naming::pascal(&name).bare());
            let body = match self.response_body(resp, &hint)? {
                ResponseBody::Json(t) => Some(t),
                _ => None,
            };
            errors.push(ErrorCase {
                status,
                variant: variants.allocate(naming::pascal(&name), "Status"),
                body,
                message_path: Vec::new(),
                description: Some(resp.description.clone()).filter(|d| !d.trim().is_empty()),
            });
        }
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

    fn refused_status(&self, ptr: &str, status: &str) -> GenError {
        self.err(
            ptr,
            format!(
                "unsupported: a documented {status} response. Generated code never sees one: \
                 1xx responses are interim and consumed by the HTTP client, and 3xx redirects \
                 are followed by it; document the final response instead"
            ),
        )
    }

    /// The body of one response: its JSON media type when it has one, else its first.
    fn response_body(&mut self, resp: &'a spec::Response, hint: &str) -> Result<ResponseBody> {
        let chosen = resp
            .content
            .iter()
            .find(|m| is_json_media(&m.media_type))
            .or_else(|| resp.content.first());
        let Some(media) = chosen else {
            return Ok(ResponseBody::Empty);
        };
        if is_json_media(&media.media_type) {
            let ty = match &media.schema {
                Some(s) => self.lower_schema(s, hint, &s.pointer)?.0,
                None => TypeRef::Any,
            };
            return Ok(ResponseBody::Json(ty));
        }
        let text = media
            .media_type
            .trim()
            .to_ascii_lowercase()
            .starts_with("text/");
        Ok(if text {
            ResponseBody::Text
        } else {
            ResponseBody::Bytes
        })
    }

    /// `Accept` for an operation with a response that is not JSON: every media type it
    /// documents, in spec order.
    fn accept(&self, op: &'a spec::Operation) -> Result<Option<String>> {
        let mut types: Vec<&str> = Vec::new();
        for (_, resp) in &op.responses {
            for m in &resp.content {
                self.check_media_type(m)?;
                if !types.contains(&m.media_type.as_str()) {
                    types.push(&m.media_type);
                }
            }
        }
        Ok((!types.iter().all(|t| is_json_media(t))).then(|| types.join(", ")))
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

    /// `x-speakeasy-pagination`, as parsed, resolved against the operation: its inputs
    /// against the parameters and the body, its outputs against the response model.
    pub(super) fn pagination(
        &self,
        p: &At<PaginationExtension>,
        op: &Operation,
    ) -> Result<Pagination> {
        let At {
            value: p,
            pointer: ptr,
        } = p;
        let kind = p.kind;
        let mut input = None;
        let mut page_size = None;
        for inp in &p.inputs {
            let (rust_name, ty) = match inp.location {
                PageInputIn::Parameters => self.page_param(op, &inp.name, &inp.pointer)?,
                PageInputIn::RequestBody => self.page_body_field(op, &inp.name, &inp.pointer)?,
            };
            let int = matches!(ty, TypeRef::I32 | TypeRef::I64);
            match inp.role {
                PageInputRole::Page if kind == PageKind::Page && int => input = Some(rust_name),
                PageInputRole::Cursor if kind == PageKind::Cursor && ty == TypeRef::String => {
                    input = Some(rust_name)
                }
                PageInputRole::Limit if int => page_size = Some(rust_name),
                role => {
                    return Err(self.bad_extension(extensions::unsupported_input(
                        &inp.pointer,
                        Some(role.as_str()),
                        kind,
                        &inp.name,
                    )));
                }
            }
        }
        let input = input.ok_or_else(|| self.err(&p.inputs_pointer, "no page or cursor input"))?;
        let Some(ResponseBody::Json(TypeRef::Named(resp))) = op.success.single() else {
            return Err(self.err(ptr, "pagination needs a JSON object response"));
        };
        let (results, item) = self
            .walk(resp, &p.results.value)
            .and_then(|(steps, ty)| match ty {
                TypeRef::Vec(inner) => Some((steps, *inner)),
                _ => None,
            })
            .ok_or_else(|| {
                self.err(
                    &p.results.pointer,
                    "does not lead to an array in the response",
                )
            })?;
        let next_cursor = match &p.next_cursor {
            Some(path) => match self.walk(resp, &path.value) {
                Some((steps, TypeRef::String)) => steps,
                _ => {
                    return Err(
                        self.err(&path.pointer, "does not lead to a string in the response")
                    );
                }
            },
            None => Vec::new(),
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

    /// A pagination input `in: parameters`: an optional query parameter (its builder field
    /// and type).
    fn page_param(&self, op: &Operation, name: &str, ptr: &str) -> Result<(Ident, TypeRef)> {
        op.params
            .iter()
            .find(|p| p.wire_name == name && p.location == ParamLocation::Query && !p.required)
            .map(|p| (p.rust_name.clone(), p.ty.clone()))
            .ok_or_else(|| {
                self.err(
                    ptr,
                    format!("{name:?} is not an optional query parameter of the operation"),
                )
            })
    }

    /// A pagination input `in: requestBody`: an optional, non-nullable property of the
    /// operation's object body (its builder field, which is also its setter, and type).
    fn page_body_field(&self, op: &Operation, name: &str, ptr: &str) -> Result<(Ident, TypeRef)> {
        let not_found = || {
            self.err(
                ptr,
                format!("{name:?} is not an optional property of the operation's object body"),
            )
        };
        let object = op
            .body
            .as_ref()
            .and_then(|b| b.object.as_ref())
            .ok_or_else(not_found)?;
        let Some(Model::Struct(model)) = self.find_model(&object.model) else {
            return Err(not_found());
        };
        object
            .setters
            .iter()
            .find_map(|s| {
                let field = model.fields.get(s.field)?;
                (field.wire_name == name && !field.required && !field.nullable)
                    .then(|| (s.setter.clone(), field.ty.clone()))
            })
            .ok_or_else(not_found)
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

/// What tells two success responses' bodies apart before lowering: the kind of their chosen
/// media type and where their schema comes from.
fn body_shape_key(resp: &spec::Response) -> (bool, String) {
    let chosen = resp
        .content
        .iter()
        .find(|m| is_json_media(&m.media_type))
        .or_else(|| resp.content.first());
    match chosen {
        None => (false, String::new()),
        Some(m) if is_json_media(&m.media_type) => (
            true,
            m.schema
                .as_ref()
                .map(|s| s.reference.clone().unwrap_or_else(|| s.pointer.clone()))
                .unwrap_or_default(),
        ),
        Some(m) => (false, m.media_type.to_ascii_lowercase()),
    }
}
