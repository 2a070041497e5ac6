//! Lowering: `openapiv3` document -> [`crate::ir::Api`]. Resolves `$ref`s, merges `allOf`, hoists and
//! names inline schemas, reads the vendor extensions, and rejects what the emitter cannot map
//! faithfully, always with the JSON pointer of the offending node.

use crate::error::{GenError, Result, pointer_token};
use crate::ir::*;
use crate::naming::{self, Ident, Scope};
use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, OpenAPI, Parameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr,
    RequestBody, Response, Schema, SchemaKind, StatusCode, Type,
};
use schemas::SRef;
use serde_json::Value;

mod operations;
mod responses;
mod schemas;
mod usage;
use std::collections::{BTreeSet, HashMap};

/// Property names whose string values are credentials and must never be printed.
const SECRET_PROPERTIES: &[&str] = &[
    "api_secret",
    "secret",
    "provisioning_api_secret",
    "api_environment_variable",
];

/// Type names the generated crate uses itself; models are renamed around them.
const RESERVED_TYPES: &[&str] = &[
    "Client",
    "ClientBuilder",
    "Error",
    "ErrorKind",
    "Response",
    "Result",
    "Option",
    "Some",
    "None",
    "Ok",
    "Err",
    "Vec",
    "String",
    "Box",
    "Value",
    "Map",
    "Date",
    "DateTime",
    "Nullable",
    "SecretString",
    "RetryConfig",
    "Region",
    "Default",
    "Self_",
];

/// Builder methods and fields the emitter writes itself; parameters never take these names.
pub const BUILDER_RESERVED: &[&str] = &[
    "client",
    "options",
    "body",
    "send",
    "send_with_metadata",
    "into_stream",
    "with_account_id",
    "with_timeout",
    "with_retry",
    "with_header",
    "new",
    "clone",
    "fmt",
    "request",
    "raw",
];

const METHODS_IN_ORDER: &[(&str, Method)] = &[
    ("get", Method::Get),
    ("put", Method::Put),
    ("post", Method::Post),
    ("delete", Method::Delete),
    ("options", Method::Options),
    ("head", Method::Head),
    ("patch", Method::Patch),
];

/// Lowers a parsed spec; errors and headers name it as `spec.display`.
pub fn lower(spec: &crate::parse::Spec) -> Result<Api> {
    let doc = &spec.doc;
    let mut l = Lowerer::new(doc, &spec.display)?;
    let names: Vec<String> = doc
        .components
        .as_ref()
        .map(|c| c.schemas.keys().cloned().collect())
        .unwrap_or_default();
    for name in &names {
        l.component(name)?;
    }
    let groups = l.operations()?;
    let mut models: Vec<Model> = l.models.into_iter().flatten().collect();
    usage::mark_usage(&mut models, &groups);
    usage::box_recursive_fields(&mut models);
    Ok(Api {
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        spec_display: spec.display.clone(),
        spec_sha256: spec.sha256.clone(),
        groups,
        models,
    })
}

struct Lowerer<'a> {
    doc: &'a OpenAPI,
    file: &'a str,
    /// Models in emission order; `None` while a component is being lowered (its slot keeps
    /// components ahead of what they hoist).
    models: Vec<Option<Model>>,
    component_names: HashMap<String, Ident>,
    component_slot: HashMap<String, usize>,
    types: Scope,
    global_params: BTreeSet<String>,
}

impl<'a> Lowerer<'a> {
    fn new(doc: &'a OpenAPI, file: &'a str) -> Result<Self> {
        let mut types = Scope::with_reserved(RESERVED_TYPES);
        let mut component_names = HashMap::new();
        if let Some(c) = &doc.components {
            for name in c.schemas.keys() {
                let ident = types.allocate(naming::pascal(name), "Model");
                component_names.insert(name.clone(), ident);
            }
        }
        let mut l = Lowerer {
            doc,
            file,
            models: Vec::new(),
            component_names,
            component_slot: HashMap::new(),
            types,
            global_params: BTreeSet::new(),
        };
        l.global_params = l.read_globals()?;
        Ok(l)
    }

    pub(super) fn err(&self, ptr: &str, msg: impl Into<String>) -> GenError {
        GenError::new(self.file, ptr, msg)
    }

    /// Names of the parameters in `x-speakeasy-globals` (the account id).
    pub(super) fn read_globals(&self) -> Result<BTreeSet<String>> {
        let mut out = BTreeSet::new();
        let Some(g) = self.doc.extensions.get("x-speakeasy-globals") else {
            return Ok(out);
        };
        let ptr = "/x-speakeasy-globals/parameters";
        let params = g
            .get("parameters")
            .and_then(|p| p.as_array())
            .ok_or_else(|| self.err(ptr, "expected a list of parameters"))?;
        for (i, p) in params.iter().enumerate() {
            let p_ptr = format!("{ptr}/{i}");
            if let Some(r) = p.get("$ref").and_then(|r| r.as_str()) {
                let param = self.resolve_parameter_ref(r, &p_ptr)?;
                out.insert(param.parameter_data_ref().name.clone());
            } else if let Some(n) = p.get("name").and_then(|n| n.as_str()) {
                out.insert(n.to_string());
            } else {
                return Err(self.err(&p_ptr, "a global parameter needs `$ref` or `name`"));
            }
        }
        Ok(out)
    }

    pub(super) fn component_schema(
        &self,
        reference: &str,
        ptr: &str,
    ) -> Result<(&'a str, &'a Schema)> {
        let name = reference
            .strip_prefix("#/components/schemas/")
            .ok_or_else(|| self.err(ptr, format!("unsupported $ref {reference:?}: only local #/components/schemas/ refs are allowed here")))?;
        let schema = self
            .doc
            .components
            .as_ref()
            .and_then(|c| c.schemas.get_key_value(name))
            .ok_or_else(|| self.err(ptr, format!("dangling $ref {reference:?}")))?;
        match schema.1 {
            ReferenceOr::Item(s) => Ok((schema.0.as_str(), s)),
            ReferenceOr::Reference { reference: r2 } => Err(self.err(
                &format!("/components/schemas/{}", pointer_token(name)),
                format!("unsupported: a component schema that is only a $ref ({r2:?})"),
            )),
        }
    }

    pub(super) fn resolve_parameter_ref(
        &self,
        reference: &str,
        ptr: &str,
    ) -> Result<&'a Parameter> {
        let name = reference
            .strip_prefix("#/components/parameters/")
            .ok_or_else(|| {
                self.err(
                    ptr,
                    format!("unsupported $ref {reference:?}: expected #/components/parameters/..."),
                )
            })?;
        match self
            .doc
            .components
            .as_ref()
            .and_then(|c| c.parameters.get(name))
        {
            Some(ReferenceOr::Item(p)) => Ok(p),
            Some(ReferenceOr::Reference { .. }) => Err(self.err(
                ptr,
                "unsupported: a parameter component that is only a $ref",
            )),
            None => Err(self.err(ptr, format!("dangling $ref {reference:?}"))),
        }
    }

    pub(super) fn find_model(&self, name: &Ident) -> Option<&Model> {
        self.models.iter().flatten().find(|m| m.name() == name)
    }
}
