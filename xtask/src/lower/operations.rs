//! Operations: groups and method names, parameters, the path template, and request bodies.

use super::extensions::OperationExtensions;
use super::*;
use crate::spec::{self, MediaType, Parameter, ParameterIn, PathEntry, RequestBody};

impl<'a> Lowerer<'a> {
    // ----- operations -------------------------------------------------------------------

    pub(super) fn operations(&mut self) -> Result<Vec<Group>> {
        let mut groups: IndexMap<String, Group> = IndexMap::new();
        let mut group_scope = Scope::with_reserved(reserved::CLIENT_MEMBERS);
        let mut group_types = Scope::with_reserved(reserved::TYPES);
        let mut op_ids: BTreeSet<String> = BTreeSet::new();
        let mut builder_names = Scope::with_reserved(reserved::TYPES);
        // Per group: the accessor's method names, which must not shadow the traits it derives.
        let mut method_scopes: HashMap<String, Scope> = HashMap::new();
        for entry in &self.doc.paths {
            for op in &entry.operations {
                let method = ir_method(op.method);
                let op_ptr = op.pointer.clone();
                // Without an operationId the operation is named from its method and path
                // (`get_users_by_id`), which also names it in logs and errors.
                let op_id = op
                    .operation_id
                    .clone()
                    .filter(|id| !id.trim().is_empty())
                    .unwrap_or_else(|| naming::operation_name("", method.as_str(), &entry.path));
                if !op_ids.insert(op_id.clone()) {
                    return Err(self.err(
                        &format!("{op_ptr}/operationId"),
                        format!("duplicate operationId {op_id:?}"),
                    ));
                }
                let name_raw = naming::operation_name(&op_id, method.as_str(), &entry.path);
                let ext = OperationExtensions::read(&op.extensions)
                    .map_err(|bad| self.bad_extension(bad))?;
                let group_raw = match &ext.group {
                    Some(group) => group.value.0.clone(),
                    None => op
                        .tags
                        .first()
                        .cloned()
                        .unwrap_or_else(|| "default".to_string()),
                };
                let method_raw = match &ext.name_override {
                    Some(name) => name.value.0.clone(),
                    None => name_raw.clone(),
                };
                let group_key = naming::snake(&group_raw).bare().to_string();
                if !groups.contains_key(&group_key) {
                    let module = group_scope.allocate(naming::snake(&group_raw), "_group");
                    let type_name = group_types.allocate(naming::pascal(&group_raw), "Group");
                    groups.insert(
                        group_key.clone(),
                        Group {
                            module,
                            type_name,
                            operations: Vec::new(),
                        },
                    );
                }
                let method_name = naming::snake(&method_raw);
                let group = groups
                    .get(&group_key)
                    .ok_or_else(|| self.err(&op_ptr, "internal: group vanished"))?;
                if group
                    .operations
                    .iter()
                    .any(|o| o.method_name == method_name)
                {
                    return Err(self.err(
                        &op_ptr,
                        format!("duplicate operation name {}.{} (x-speakeasy-group / x-speakeasy-name-override)", group.module, method_name),
                    ));
                }
                let method_name = method_scopes
                    .entry(group_key.clone())
                    .or_insert_with(|| Scope::with_reserved(reserved::GROUP_MEMBERS))
                    .allocate(method_name, "_op");
                let builder = builder_names.allocate(naming::pascal(&name_raw), "Request");
                let error_type = builder_names.allocate(
                    naming::joined_type(&format!("{}Error", builder.bare())),
                    "Op",
                );
                let success_enum = builder_names.allocate(
                    naming::joined_type(&format!("{}Response", builder.bare())),
                    "Op",
                );
                let lowered = self.operation(OpInput {
                    path: &entry.path,
                    path_item: entry,
                    op,
                    op_ptr: &op_ptr,
                    op_id,
                    method,
                    method_name,
                    builder,
                    error_type,
                    success_enum,
                    ext: &ext,
                })?;
                if let Some(g) = groups.get_mut(&group_key) {
                    g.operations.push(lowered);
                }
            }
        }
        Ok(groups.into_values().collect())
    }

    pub(super) fn operation(&mut self, input: OpInput<'a, '_>) -> Result<Operation> {
        let OpInput {
            path,
            path_item,
            op,
            op_ptr,
            op_id,
            method,
            method_name,
            builder,
            error_type,
            success_enum,
            ext,
        } = input;
        let mut scope = Scope::with_reserved(reserved::BUILDER_MEMBERS);

        // Path-level parameters first, overridden by operation-level ones with the same (in, name).
        let mut merged: IndexMap<(ParameterIn, String), &'a Parameter> = IndexMap::new();
        for param in path_item.parameters.iter().chain(&op.parameters) {
            merged.insert((param.location, param.name.clone()), param);
        }

        let mut params = Vec::new();
        let mut path_index: HashMap<String, (usize, Option<PathStyle>)> = HashMap::new();
        let mut has_account = false;
        for data in merged.values() {
            let p_ptr = &data.pointer;
            let mut path_style = None;
            let location = match data.location {
                ParameterIn::Path => {
                    if self.global_params.contains(&data.name) {
                        has_account = true;
                        continue;
                    }
                    path_style = Some(self.path_style(data)?);
                    ParamLocation::Path
                }
                ParameterIn::Query => match &data.content_type {
                    Some(_) => ParamLocation::QueryJson,
                    None => self.query_location(data)?,
                },
                ParameterIn::Header => {
                    // The specification says these are ignored as parameters: the client
                    // sets them itself.
                    if ["accept", "content-type", "authorization"]
                        .contains(&data.name.to_ascii_lowercase().as_str())
                    {
                        self.diagnostics.warn(
                            p_ptr,
                            format!(
                                "header parameter {:?} is ignored, as the specification says",
                                data.name
                            ),
                        );
                        continue;
                    }
                    ParamLocation::Header
                }
                ParameterIn::Cookie => ParamLocation::Cookie,
            };
            let hint = format!("{}{}", builder.bare(), naming::pascal(&data.name).bare());
            if let Some(media) = &data.content_type {
                if media != "application/json" {
                    return Err(self.err(
                        &format!("{p_ptr}/content"),
                        "unsupported: parameter content other than application/json",
                    ));
                }
            }
            let schema = data
                .schema
                .as_ref()
                .ok_or_else(|| self.err(p_ptr, "missing schema"))?;
            let ty = self.lower_schema(schema, &hint, &schema.pointer)?.0;
            // `form` with `explode` on an object lays out its members, which the plain query
            // path cannot.
            let location = match location {
                ParamLocation::Query if self.is_object(&ty) => {
                    ParamLocation::QueryStyled(QueryStyle::FormExploded)
                }
                other => other,
            };
            if matches!(location, ParamLocation::Query | ParamLocation::Path) && self.is_union(&ty)
            {
                return Err(self.err(
                    &schema.pointer,
                    format!(
                        "unsupported: {:?} is a oneOf/anyOf, which has no form in a path or query string (send it as `content: application/json`)",
                        data.name
                    ),
                ));
            }
            if location == ParamLocation::Path && !data.required {
                return Err(self.err(
                    p_ptr,
                    format!("path parameter {:?} must be required", data.name),
                ));
            }
            let rust_name = scope.allocate(naming::snake(&data.name), "_param");
            if let Some(style) = path_style {
                // A scalar in `simple` style is its own text; everything else is laid out by
                // the runtime from the value's JSON.
                let plain = matches!(style, PathStyle::Simple | PathStyle::SimpleExploded)
                    && !self.is_object(&ty)
                    && !self.is_list(&ty);
                let style = (!plain).then_some(style);
                path_index.insert(data.name.clone(), (params.len(), style));
            }
            params.push(Param {
                wire_name: data.name.clone(),
                rust_name,
                location,
                required: data.required,
                ty,
                description: data.description.clone(),
                deprecated: data.deprecated,
            });
        }

        let path_parts = self.path_parts(path, op_ptr, &path_index, has_account)?;
        self.check_path_params_in_template(&params, &path_parts, &merged, op_ptr, path)?;
        let body = match &op.request_body {
            None => None,
            Some(rb) => Some(self.body(rb, &builder, &mut scope)?),
        };
        let (success, errors) = self.responses(op, op_ptr, &builder, success_enum)?;
        let schemes = std::mem::take(&mut self.security_schemes);
        let mut scopes = std::mem::take(&mut self.oauth_scopes);
        let lowered = self.operation_security(op, op_ptr, &schemes, &mut scopes);
        self.security_schemes = schemes;
        self.oauth_scopes = scopes;
        let (security_auth, security) = lowered?;
        let auth = ext.auth.as_ref().map_or(security_auth, |a| a.value);
        let retry = match &ext.retry {
            Some(r) => r.value,
            None => match method {
                Method::Post | Method::Patch => RetryClass::NonIdempotent,
                _ => RetryClass::Idempotent,
            },
        };
        let mut operation = Operation {
            operation_id: op_id,
            method_name,
            builder,
            error_type,
            http_method: method,
            path_template: path.to_string(),
            path: path_parts,
            params,
            body,
            success,
            errors,
            auth,
            security,
            retry,
            pagination: None,
            summary: op.summary.clone(),
            description: op.description.clone(),
            deprecated: op.deprecated,
        };
        if let Some(p) = &ext.pagination {
            operation.pagination = Some(self.pagination(p, &operation)?);
        }
        Ok(operation)
    }

    /// A declared path parameter that the template does not hold would be an argument the
    /// request silently drops: the specification requires the match, so it is refused.
    fn check_path_params_in_template(
        &self,
        params: &[Param],
        parts: &[PathPart],
        merged: &IndexMap<(ParameterIn, String), &Parameter>,
        op_ptr: &str,
        path: &str,
    ) -> Result<()> {
        for (i, p) in params.iter().enumerate() {
            let in_template = parts.iter().any(
                |part| matches!(part, PathPart::Param(j, _) | PathPart::ParamJoined(j) if *j == i),
            );
            if p.location == ParamLocation::Path && !in_template {
                let ptr = merged
                    .get(&(ParameterIn::Path, p.wire_name.clone()))
                    .map_or(op_ptr, |data| data.pointer.as_str());
                return Err(self.err(
                    ptr,
                    format!(
                        "path parameter {:?} is not in the path template {path:?}",
                        p.wire_name
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The layout of a path parameter, by its style (`simple` by default) and `explode`
    /// (`false` by default).
    fn path_style(&self, data: &Parameter) -> Result<PathStyle> {
        let explode = data.explode.unwrap_or(false);
        Ok(match (data.style.as_deref().unwrap_or("simple"), explode) {
            ("simple", false) => PathStyle::Simple,
            ("simple", true) => PathStyle::SimpleExploded,
            ("label", false) => PathStyle::Label,
            ("label", true) => PathStyle::LabelExploded,
            ("matrix", false) => PathStyle::Matrix,
            ("matrix", true) => PathStyle::MatrixExploded,
            (other, _) => {
                return Err(self.err(
                    &data.pointer,
                    format!(
                        "unsupported path style {other:?} for {:?}: expected simple, label or matrix",
                        data.name
                    ),
                ));
            }
        })
    }

    /// The location of a query parameter without `content`, by its style and `explode`.
    fn query_location(&self, data: &Parameter) -> Result<ParamLocation> {
        let style = data.style.as_deref().unwrap_or("form");
        // `explode` defaults to true for `form` only.
        let explode = data.explode.unwrap_or(style == "form");
        Ok(match (style, explode) {
            ("form", true) => ParamLocation::Query,
            ("form", false) => ParamLocation::QueryStyled(QueryStyle::Form),
            ("spaceDelimited", _) => ParamLocation::QueryStyled(QueryStyle::SpaceDelimited),
            ("pipeDelimited", _) => ParamLocation::QueryStyled(QueryStyle::PipeDelimited),
            ("deepObject", _) => ParamLocation::QueryStyled(QueryStyle::DeepObject),
            (other, _) => {
                return Err(self.err(
                    &data.pointer,
                    format!("unsupported query style {other:?} for {:?}", data.name),
                ));
            }
        })
    }

    pub(super) fn path_parts(
        &self,
        path: &str,
        ptr: &str,
        index: &HashMap<String, (usize, Option<PathStyle>)>,
        has_account: bool,
    ) -> Result<Vec<PathPart>> {
        let mut parts = Vec::new();
        let mut literal: Vec<&str> = Vec::new();
        for segment in path.split('/').filter(|s| !s.is_empty()) {
            let whole = segment
                .strip_prefix('{')
                .and_then(|s| s.strip_suffix('}'))
                .filter(|name| !name.contains(['{', '}']));
            match whole {
                Some(name) => {
                    flush_literal(&mut parts, &mut literal);
                    if let Some((i, style)) = index.get(name) {
                        parts.push(PathPart::Param(*i, *style));
                    } else if has_account && self.global_params.contains(name) {
                        parts.push(PathPart::AccountId);
                    } else {
                        return Err(
                            self.err(ptr, format!("path parameter {{{name}}} is not declared"))
                        );
                    }
                }
                None if segment.contains('{') || segment.contains('}') => {
                    flush_literal(&mut parts, &mut literal);
                    self.mixed_segment(segment, ptr, index, &mut parts)?;
                }
                None => literal.push(segment),
            }
        }
        flush_literal(&mut parts, &mut literal);
        Ok(parts)
    }

    /// A segment that holds parameters and text (`{id}.json`, `{name}:cancel`, `{a}-{b}`):
    /// its first piece starts a segment, the others continue it. Such a parameter must be a
    /// plain value (no `label`/`matrix` style, no array or object).
    fn mixed_segment(
        &self,
        segment: &str,
        ptr: &str,
        index: &HashMap<String, (usize, Option<PathStyle>)>,
        parts: &mut Vec<PathPart>,
    ) -> Result<()> {
        let bad = |why: &str| self.err(ptr, format!("unsupported path segment {segment:?}: {why}"));
        let mut rest = segment;
        let mut first = true;
        while !rest.is_empty() {
            let piece = match rest.find('{') {
                Some(0) => {
                    let end = rest.find('}').ok_or_else(|| bad("a `{` is not closed"))?;
                    let name = &rest[1..end];
                    if name.is_empty() || name.contains('{') {
                        return Err(bad("a parameter name is empty or holds `{`"));
                    }
                    rest = &rest[end + 1..];
                    match index.get(name) {
                        Some((i, None)) if first => PathPart::Param(*i, None),
                        Some((i, None)) => PathPart::ParamJoined(*i),
                        Some((_, Some(_))) => {
                            return Err(bad(&format!(
                                "{{{name}}} shares its segment with text, so it must be a plain value (style simple, not an array or object)"
                            )));
                        }
                        None => {
                            return Err(
                                self.err(ptr, format!("path parameter {{{name}}} is not declared"))
                            );
                        }
                    }
                }
                found => {
                    let end = found.unwrap_or(rest.len());
                    let text = &rest[..end];
                    if text.contains('}') {
                        return Err(bad("a `}` has no `{`"));
                    }
                    rest = &rest[end..];
                    if first {
                        PathPart::Literal(text.to_string())
                    } else {
                        PathPart::LiteralJoined(text.to_string())
                    }
                }
            };
            parts.push(piece);
            first = false;
        }
        Ok(())
    }

    /// The request body: an object from the JSON or form media type (JSON first), and the
    /// kinds given whole (multipart, text, bytes), each with its builder names.
    pub(super) fn body(
        &mut self,
        rb: &'a RequestBody,
        builder: &Ident,
        scope: &mut Scope,
    ) -> Result<Body> {
        let ptr = &rb.pointer;
        let mut json = None;
        let mut form = None;
        let mut multipart = None;
        let mut text: Option<&MediaType> = None;
        let mut bytes: Vec<&MediaType> = Vec::new();
        for m in &rb.content {
            let essence = m
                .media_type
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            if super::responses::is_json_media(&essence) {
                json.get_or_insert(m);
            } else if essence == "application/x-www-form-urlencoded" {
                form.get_or_insert(m);
            } else if essence == "multipart/form-data" {
                multipart.get_or_insert(m);
            } else if essence.starts_with("text/") {
                text.get_or_insert(m);
            } else {
                bytes.push(m);
            }
            self.check_media_type(m)?;
        }
        if rb.content.is_empty() {
            return Err(self.err(
                &format!("{ptr}/content"),
                "a request body needs a media type",
            ));
        }
        let hint = format!("{}Request", builder.bare());
        // A JSON body that is not an object (an array, a map, a union, a scalar) is given
        // whole; an object gets a setter per property.
        let json_shape = match json {
            Some(j) => Some(self.json_body_shape(j, &hint)?),
            None => None,
        };
        let (object_model, encoding) = match (&json_shape, form) {
            (Some(JsonBodyShape::Object(model)), _) => (Some(model.clone()), ObjectEncoding::Json),
            (_, Some(f)) => (Some(self.object_model(f, &hint)?), ObjectEncoding::Form),
            (_, None) => (None, ObjectEncoding::Json),
        };
        // The same object as a form too: `form_body(model)` switches the encoding. A form of
        // another schema than the JSON body would need a second set of setters.
        let form_too = match (json, form, &object_model) {
            (Some(_), Some(_), Some(_)) if encoding == ObjectEncoding::Form => false,
            (Some(_), Some(f), Some(model)) => {
                if &self.object_model(f, &hint)? != model {
                    return Err(self.err(
                        &f.pointer,
                        "unsupported: a form body whose schema differs from the JSON body's (send one schema under both media types)",
                    ));
                }
                true
            }
            _ => false,
        };
        let object = match object_model {
            Some(model) => {
                let mut object = self.object_body(model, encoding, form_too, rb.required, scope)?;
                object.json_media_type = json
                    .map(|m| m.media_type.trim())
                    .filter(|m| !m.eq_ignore_ascii_case("application/json"))
                    .map(str::to_string);
                Some(object)
            }
            None => None,
        };
        let mut whole = Vec::new();
        if let (Some(JsonBodyShape::Whole(ty)), Some(m)) = (json_shape, json) {
            // `body` unless a form object body emits its own `body(model)`.
            let setter = if object.is_some() {
                scope.allocate(naming::snake("json_body"), "_")
            } else {
                naming::snake("body")
            };
            let media = m.media_type.trim();
            whole.push(WholeBody {
                setter,
                kind: WholeKind::Json {
                    ty,
                    content_type: (!media.eq_ignore_ascii_case("application/json"))
                        .then(|| media.to_string()),
                },
                media_type: m.media_type.clone(),
            });
        }
        if let Some(m) = multipart {
            whole.push(WholeBody {
                setter: scope.allocate(naming::snake("multipart_body"), "_"),
                kind: WholeKind::Multipart {
                    parts: self.multipart_parts(m)?,
                },
                media_type: m.media_type.clone(),
            });
        }
        if let Some(m) = text {
            let content_type = if m.media_type.contains('*') {
                "text/plain".to_string()
            } else {
                m.media_type.clone()
            };
            whole.push(WholeBody {
                setter: scope.allocate(naming::snake("text_body"), "_"),
                kind: WholeKind::Text { content_type },
                media_type: m.media_type.clone(),
            });
        }
        if let Some(first) = bytes.first() {
            // One setter for every bytes media type: with one concrete type it is sent under
            // it, with several or a wildcard the caller says which.
            let content_type = match bytes.as_slice() {
                [only] if !only.media_type.contains('*') => Some(only.media_type.clone()),
                _ => None,
            };
            let listed: Vec<&str> = bytes.iter().map(|m| m.media_type.as_str()).collect();
            whole.push(WholeBody {
                setter: scope.allocate(naming::snake("bytes_body"), "_"),
                kind: WholeKind::Bytes { content_type },
                media_type: if listed.len() == 1 {
                    first.media_type.clone()
                } else {
                    listed.join(", ")
                },
            });
        }
        let whole_slot =
            (!whole.is_empty()).then(|| scope.allocate(naming::snake("whole_body"), "_"));
        Ok(Body {
            required: rb.required,
            object,
            whole,
            whole_slot,
        })
    }

    /// What a JSON body is built as: a struct with a setter per property, or a value given
    /// whole.
    fn json_body_shape(&mut self, media: &'a MediaType, hint: &str) -> Result<JsonBodyShape> {
        let schema = media
            .schema
            .as_ref()
            .ok_or_else(|| self.err(&media.pointer, "missing schema"))?;
        let (ty, _) = self.lower_schema(schema, hint, &schema.pointer)?;
        Ok(match self.struct_behind(&ty) {
            Some(model) => JsonBodyShape::Object(model),
            None => JsonBodyShape::Whole(ty),
        })
    }

    /// The struct a type names, through aliases.
    fn struct_behind(&self, ty: &TypeRef) -> Option<TypeName> {
        let TypeRef::Named(mut model) = ty.clone() else {
            return None;
        };
        for _ in 0..16 {
            match self.find_model(&model) {
                Some(Model::Alias(AliasModel {
                    target: TypeRef::Named(next),
                    ..
                })) => model = next.clone(),
                Some(Model::Struct(_)) => return Some(model),
                _ => return None,
            }
        }
        None
    }

    /// The struct a JSON or form body is built as.
    fn object_model(&mut self, media: &'a MediaType, hint: &str) -> Result<TypeName> {
        let schema = media
            .schema
            .as_ref()
            .ok_or_else(|| self.err(&media.pointer, "missing schema"))?;
        let (ty, _) = self.lower_schema(schema, hint, &schema.pointer)?;
        let not_object = || {
            self.err(
                &schema.pointer,
                "unsupported: a JSON or form request body that is not an object",
            )
        };
        let TypeRef::Named(mut model) = ty else {
            return Err(not_object());
        };
        // A body named through aliases is built as the struct they name.
        for _ in 0..16 {
            match self.find_model(&model) {
                Some(Model::Alias(AliasModel {
                    target: TypeRef::Named(next),
                    ..
                })) => model = next.clone(),
                _ => break,
            }
        }
        match self.find_model(&model) {
            Some(Model::Struct(_)) => Ok(model),
            _ => Err(not_object()),
        }
    }

    /// The builder names of an object body.
    fn object_body(
        &self,
        model: TypeName,
        encoding: ObjectEncoding,
        form_too: bool,
        required: bool,
        scope: &mut Scope,
    ) -> Result<ObjectBody> {
        let fields: Vec<(Ident, bool)> = match self.find_model(&model) {
            Some(Model::Struct(s)) => s
                .fields
                .iter()
                .map(|f| (f.rust_name.clone(), f.nullable))
                .collect(),
            _ => Vec::new(),
        };
        // Plain setters first so they keep their natural names; `_null` setters and the
        // extra slot take what is left in the same scope, so nothing can collide.
        let mut setters: Vec<BodySetter> = fields
            .iter()
            .enumerate()
            .map(|(i, (f, _))| BodySetter {
                setter: scope.allocate(f.clone(), "_body"),
                field: i,
                null_setter: None,
            })
            .collect();
        for (s, (_, nullable)) in setters.iter_mut().zip(&fields) {
            if *nullable {
                let wanted = naming::snake(&format!("{}_null", s.setter.bare()));
                s.null_setter = Some(scope.allocate(wanted, "_"));
            }
        }
        let extra_slot = scope.allocate(naming::snake("extra"), "_");
        let presence_slot = (!required).then(|| scope.allocate(naming::snake("body_is_set"), "_"));
        let (form_setter, form_flag) = if form_too {
            (
                Some(scope.allocate(naming::snake("form_body"), "_")),
                Some(scope.allocate(naming::snake("send_as_form"), "_")),
            )
        } else {
            (None, None)
        };
        Ok(ObjectBody {
            model,
            encoding,
            json_media_type: None,
            form_setter,
            form_flag,
            setters,
            extra_slot,
            presence_slot,
        })
    }

    /// The parts a multipart schema lists: wire name, and whether it is a file (a binary
    /// string, one with a `contentMediaType`, or an array of them).
    fn multipart_parts(&self, media: &'a MediaType) -> Result<Vec<(String, bool)>> {
        let Some(mut schema) = media.schema.as_ref() else {
            return Ok(Vec::new());
        };
        for _ in 0..16 {
            match &schema.reference {
                Some(r) => schema = self.component_schema(r, &schema.pointer)?.1,
                None => break,
            }
        }
        let is_file = |s: &spec::Schema| {
            s.format.as_deref() == Some("binary") || s.content_media_type.is_some()
        };
        Ok(schema
            .properties
            .iter()
            .map(|(name, p)| {
                let file = is_file(p) || p.items.as_deref().is_some_and(is_file);
                (name.clone(), file)
            })
            .collect())
    }
}

pub(super) struct OpInput<'a, 'p> {
    path: &'a str,
    path_item: &'a PathEntry,
    op: &'a spec::Operation,
    op_ptr: &'p str,
    op_id: String,
    method: Method,
    method_name: Ident,
    builder: Ident,
    error_type: Ident,
    /// The name of the success enum, used when the success responses differ.
    success_enum: Ident,
    /// The operation's vendor extensions, parsed.
    ext: &'p OperationExtensions,
}

/// The IR's method for the spec's.
fn ir_method(m: spec::Method) -> Method {
    match m {
        spec::Method::Get => Method::Get,
        spec::Method::Put => Method::Put,
        spec::Method::Post => Method::Post,
        spec::Method::Delete => Method::Delete,
        spec::Method::Options => Method::Options,
        spec::Method::Head => Method::Head,
        spec::Method::Patch => Method::Patch,
        spec::Method::Trace => Method::Trace,
    }
}

/// How a JSON request body is built.
enum JsonBodyShape {
    /// A struct, with a setter per property.
    Object(TypeName),
    /// Any other type, set whole with one setter.
    Whole(TypeRef),
}

/// Ends a run of literal path segments: they become one `Literal` part (`v1/users`).
fn flush_literal(parts: &mut Vec<PathPart>, literal: &mut Vec<&str>) {
    if !literal.is_empty() {
        parts.push(PathPart::Literal(literal.join("/")));
        literal.clear();
    }
}
