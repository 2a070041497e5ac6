//! Operations: groups and method names, parameters, the path template, and request bodies.

use super::*;
use crate::spec::{self, Parameter, ParameterIn, PathEntry, RequestBody};

impl<'a> Lowerer<'a> {
    // ----- operations -------------------------------------------------------------------

    pub(super) fn operations(&mut self) -> Result<Vec<Group>> {
        let mut groups: IndexMap<String, Group> = IndexMap::new();
        let mut group_scope =
            Scope::with_reserved(&["core", "builder", "from_env", "clone", "fmt", "from"]);
        let mut group_types = Scope::with_reserved(RESERVED_TYPES);
        let mut op_ids: BTreeSet<String> = BTreeSet::new();
        let mut builder_names = Scope::with_reserved(RESERVED_TYPES);
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
                let group_raw = match op.extensions.get("x-speakeasy-group") {
                    Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
                    Some(_) => {
                        return Err(self.err(
                            &format!("{op_ptr}/x-speakeasy-group"),
                            "expected a non-empty string",
                        ));
                    }
                    None => op
                        .tags
                        .first()
                        .cloned()
                        .unwrap_or_else(|| "default".to_string()),
                };
                let method_raw = match op.extensions.get("x-speakeasy-name-override") {
                    Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
                    Some(_) => {
                        return Err(self.err(
                            &format!("{op_ptr}/x-speakeasy-name-override"),
                            "expected a non-empty string",
                        ));
                    }
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
                    .or_insert_with(|| {
                        Scope::with_reserved(&["clone", "clone_from", "fmt", "client"])
                    })
                    .allocate(method_name, "_op");
                let builder = builder_names.allocate(naming::pascal(&name_raw), "Request");
                let error_type = builder_names.allocate(
                    naming::joined_type(&format!("{}Error", builder.bare())),
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
        } = input;
        let mut scope = Scope::with_reserved(BUILDER_RESERVED);

        // Path-level parameters first, overridden by operation-level ones with the same (in, name).
        let mut merged: IndexMap<(ParameterIn, String), &'a Parameter> = IndexMap::new();
        for param in path_item.parameters.iter().chain(&op.parameters) {
            merged.insert((param.location, param.name.clone()), param);
        }

        let mut params = Vec::new();
        let mut path_index: HashMap<String, usize> = HashMap::new();
        let mut has_account = false;
        for data in merged.values() {
            let p_ptr = &data.pointer;
            let location = match data.location {
                ParameterIn::Path => {
                    if self.global_params.contains(&data.name) {
                        has_account = true;
                        continue;
                    }
                    if let Some(style) = data.style.as_deref().filter(|s| *s != "simple") {
                        return Err(self.err(
                            p_ptr,
                            format!(
                                "unsupported path style {style:?} for {:?}: only simple",
                                data.name
                            ),
                        ));
                    }
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
            if location == ParamLocation::Path {
                path_index.insert(data.name.clone(), params.len());
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
        let body = match &op.request_body {
            None => None,
            Some(rb) => Some(self.body(rb, &builder, &mut scope)?),
        };
        let (success, errors) = self.responses(op, op_ptr, &builder)?;
        let auth = match op.extensions.get("x-cld-auth") {
            None => {
                // Without the extension, an explicit empty `security` means no auth.
                match &op.security {
                    Some(s) if s.is_empty() => Auth::None,
                    _ => Auth::Required,
                }
            }
            Some(Value::String(s)) if s == "required" => Auth::Required,
            Some(Value::String(s)) if s == "optional" => Auth::Optional,
            Some(Value::String(s)) if s == "none" => Auth::None,
            Some(other) => {
                return Err(self.err(
                    &format!("{op_ptr}/x-cld-auth"),
                    format!("unknown value {other}: expected required, optional or none"),
                ));
            }
        };
        let retry = match op.extensions.get("x-cld-retry") {
            None => match method {
                Method::Post | Method::Patch => RetryClass::NonIdempotent,
                _ => RetryClass::Idempotent,
            },
            Some(Value::String(s)) if s == "idempotent" => RetryClass::Idempotent,
            Some(Value::String(s)) if s == "non-idempotent" => RetryClass::NonIdempotent,
            Some(Value::String(s)) if s == "never" => RetryClass::Never,
            Some(other) => {
                return Err(self.err(
                    &format!("{op_ptr}/x-cld-retry"),
                    format!("unknown value {other}: expected idempotent, non-idempotent or never"),
                ));
            }
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
            retry,
            pagination: None,
            summary: op.summary.clone(),
            description: op.description.clone(),
            deprecated: op.deprecated,
        };
        if let Some(p) = op.extensions.get("x-speakeasy-pagination") {
            operation.pagination = Some(self.pagination(
                p,
                &format!("{op_ptr}/x-speakeasy-pagination"),
                &operation,
            )?);
        }
        Ok(operation)
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
        index: &HashMap<String, usize>,
        has_account: bool,
    ) -> Result<Vec<PathPart>> {
        let mut parts = Vec::new();
        let mut literal: Vec<&str> = Vec::new();
        for segment in path.split('/').filter(|s| !s.is_empty()) {
            match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => {
                    if !literal.is_empty() {
                        parts.push(PathPart::Literal(literal.join("/")));
                        literal.clear();
                    }
                    if let Some(i) = index.get(name) {
                        parts.push(PathPart::Param(*i));
                    } else if has_account && self.global_params.contains(name) {
                        parts.push(PathPart::AccountId);
                    } else {
                        return Err(
                            self.err(ptr, format!("path parameter {{{name}}} is not declared"))
                        );
                    }
                }
                None if segment.contains('{') || segment.contains('}') => {
                    return Err(self.err(ptr, format!("unsupported path segment {segment:?}: a parameter must be a whole segment")));
                }
                None => literal.push(segment),
            }
        }
        if !literal.is_empty() {
            parts.push(PathPart::Literal(literal.join("/")));
        }
        Ok(parts)
    }

    pub(super) fn body(
        &mut self,
        rb: &'a RequestBody,
        builder: &Ident,
        scope: &mut Scope,
    ) -> Result<Body> {
        let ptr = &rb.pointer;
        let media = rb
            .content
            .iter()
            .find(|m| m.media_type == "application/json")
            .ok_or_else(|| {
                self.err(
                    &format!("{ptr}/content"),
                    "unsupported: request body content other than application/json",
                )
            })?;
        let schema = media
            .schema
            .as_ref()
            .ok_or_else(|| self.err(&media.pointer, "missing schema"))?;
        let hint = format!("{}Request", builder.bare());
        let (ty, _) = self.lower_schema(schema, &hint, &schema.pointer)?;
        let model = match ty {
            TypeRef::Named(n) => n,
            _ => {
                return Err(self.err(
                    &schema.pointer,
                    "unsupported: a request body that is not an object",
                ));
            }
        };
        // A body named through aliases is built as the struct they name.
        let mut model = model;
        for _ in 0..16 {
            match self.find_model(&model) {
                Some(Model::Alias(AliasModel {
                    target: TypeRef::Named(next),
                    ..
                })) => model = next.clone(),
                _ => break,
            }
        }
        let fields: Vec<(Ident, bool)> = match self.find_model(&model) {
            Some(Model::Struct(s)) => s
                .fields
                .iter()
                .map(|f| (f.rust_name.clone(), f.nullable))
                .collect(),
            _ => {
                return Err(self.err(
                    &schema.pointer,
                    "unsupported: a request body that is not an object",
                ));
            }
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
        let presence_slot =
            (!rb.required).then(|| scope.allocate(naming::snake("body_is_set"), "_"));
        Ok(Body {
            model,
            required: rb.required,
            setters,
            extra_slot,
            presence_slot,
        })
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
