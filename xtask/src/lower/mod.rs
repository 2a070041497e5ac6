//! Lowering: the version-neutral spec model -> [`crate::ir::Api`]. Resolves schema `$ref`s,
//! merges `allOf`, hoists and names inline schemas, reads the vendor extensions, and rejects
//! what the emitter cannot map faithfully, always with the JSON pointer of the offending node.
//! What is valid but odd becomes a warning in [`Diagnostics`].

use crate::error::{GenError, Result};
use crate::ir::*;
use crate::naming::{self, Ident, Scope, reserved};
use crate::profile::PROFILE;
use crate::spec::{Diagnostics, Document};
use indexmap::IndexMap;
use serde_json::Value;

mod aliases;
mod extensions;
mod operations;
mod refine;
mod responses;
mod schemas;
mod security;
mod unions;
mod usage;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Lowers a parsed spec; errors and headers name it as `spec.display`. Returns the IR and the
/// diagnostics of reading and lowering together.
pub fn lower(spec: &crate::parse::Spec) -> Result<(Api, Diagnostics)> {
    let doc = &spec.doc;
    let mut l = Lowerer::new(doc, &spec.display, spec.diagnostics.clone())?;
    l.check_extensions();
    l.security_schemes = l.lower_security_schemes();
    for (name, _) in &doc.components.schemas {
        l.component(name)?;
    }
    let groups = l.operations()?;
    let mut security_schemes = std::mem::take(&mut l.security_schemes);
    security::set_oauth_scopes(&mut security_schemes, &l.oauth_scopes);
    l.name_hoisted_types();
    let pointers = std::mem::take(&mut l.pointers);
    let diagnostics = l.diagnostics;
    let mut models: Vec<Model> = l.models.into_iter().flatten().collect();
    if let Some(id) = aliases::find_cycle(&models) {
        let pointer = pointers.get(&id).cloned().unwrap_or_default();
        return Err(GenError::new(
            &spec.display,
            &pointer,
            "this schema is defined through itself alone (a cycle of $ref, allOf, arrays or maps with no object in between), which no type can express",
        ));
    }
    usage::mark_usage(&mut models, &groups);
    usage::box_recursive_fields(&mut models);
    let type_depth = usage::type_depth(&models);
    let model_index = models
        .iter()
        .enumerate()
        .map(|(i, m)| (m.name().id(), i))
        .collect();
    let api = Api {
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        spec_display: spec.display.clone(),
        spec_sha256: spec.sha256.clone(),
        groups,
        models,
        model_index,
        type_depth,
        security_schemes,
    };
    Ok((api, diagnostics))
}

struct Lowerer<'a> {
    doc: &'a Document,
    file: &'a str,
    /// Models in emission order; `None` while a component is being lowered (its slot keeps
    /// components ahead of what they hoist), or where a hoisted schema was merged into an
    /// identical one.
    models: Vec<Option<Model>>,
    /// Position of each component schema in `doc.components.schemas`.
    schema_index: HashMap<&'a str, usize>,
    /// Each component schema's type, with its name decided up front.
    component_names: HashMap<String, TypeName>,
    component_slot: HashMap<String, usize>,
    /// The pointer of the schema each type was made from, for errors found after lowering.
    pointers: HashMap<TypeId, String>,
    /// Slot in `models` of each type id.
    slot_of: HashMap<TypeId, usize>,
    /// The next id for a hoisted type (components take the first ones).
    next_id: usize,
    /// Hoisted types waiting for a name, with the names their uses suggest, in creation
    /// order.
    unnamed: IndexMap<TypeId, (TypeName, Vec<String>)>,
    /// Structural key of each hoisted model -> the type it became, so identical inline
    /// schemas share one type.
    structural: HashMap<String, TypeName>,
    types: Scope,
    global_params: BTreeSet<String>,
    /// The schemes the client applies, lowered before the operations that name them.
    security_schemes: Vec<SecurityScheme>,
    /// The scopes operations require of each OAuth2 scheme.
    oauth_scopes: BTreeMap<String, BTreeSet<String>>,
    diagnostics: Diagnostics,
}

impl<'a> Lowerer<'a> {
    fn new(doc: &'a Document, file: &'a str, diagnostics: Diagnostics) -> Result<Self> {
        let mut types = Scope::with_reserved(reserved::TYPES);
        let mut component_names = HashMap::new();
        for (i, (name, _)) in doc.components.schemas.iter().enumerate() {
            let ident = types.allocate(naming::pascal(name), "Model");
            component_names.insert(name.clone(), TypeName::named(TypeId(i), ident));
        }
        let mut l = Lowerer {
            doc,
            file,
            models: Vec::new(),
            next_id: doc.components.schemas.len(),
            schema_index: doc
                .components
                .schemas
                .iter()
                .enumerate()
                .map(|(i, (n, _))| (n.as_str(), i))
                .collect(),
            component_names,
            component_slot: HashMap::new(),
            slot_of: HashMap::new(),
            pointers: HashMap::new(),
            unnamed: IndexMap::new(),
            structural: HashMap::new(),
            types,
            global_params: BTreeSet::new(),
            security_schemes: Vec::new(),
            oauth_scopes: BTreeMap::new(),
            diagnostics,
        };
        l.global_params = l.read_globals()?;
        Ok(l)
    }

    pub(super) fn err(&self, ptr: &str, msg: impl Into<String>) -> GenError {
        GenError::new(self.file, ptr, msg)
    }

    /// Names of the parameters in `x-speakeasy-globals` (the account id).
    pub(super) fn read_globals(&self) -> Result<BTreeSet<String>> {
        let ext = extensions::DocumentExtensions::read(&self.doc.extensions)
            .map_err(|bad| self.bad_extension(bad))?;
        let mut out = BTreeSet::new();
        for global in ext.globals.iter().flat_map(|g| &g.value) {
            match &global.value {
                extensions::GlobalParam::Component { name, reference } => {
                    let param = self.doc.components.parameter(name).ok_or_else(|| {
                        self.err(&global.pointer, format!("dangling $ref {reference:?}"))
                    })?;
                    out.insert(param.name.clone());
                }
                extensions::GlobalParam::Named(name) => {
                    out.insert(name.clone());
                }
            }
        }
        Ok(out)
    }

    /// The component schema a `$ref` names, with its name.
    pub(super) fn component_schema(
        &self,
        reference: &str,
        ptr: &str,
    ) -> Result<(&'a str, &'a crate::spec::Schema)> {
        let name = crate::spec::Schema::component_name(reference)
            .ok_or_else(|| self.err(ptr, format!("unsupported $ref {reference:?}: only local #/components/schemas/ refs are allowed here")))?;
        self.schema_index
            .get(name.as_str())
            .and_then(|&i| self.doc.components.schemas.get(i))
            .map(|(n, s)| (n.as_str(), s))
            .ok_or_else(|| self.err(ptr, format!("dangling $ref {reference:?}")))
    }

    /// A media type goes into a `Content-Type` or `Accept` header: it must be printable ASCII.
    pub(super) fn check_media_type(&self, m: &crate::spec::MediaType) -> Result<()> {
        if m.media_type
            .bytes()
            .all(|b| b == b' ' || b.is_ascii_graphic())
        {
            Ok(())
        } else {
            Err(self.err(
                &m.pointer,
                format!("media type {:?} is not printable ASCII", m.media_type),
            ))
        }
    }

    pub(super) fn find_model(&self, name: &TypeName) -> Option<&Model> {
        let slot = *self.slot_of.get(&name.id())?;
        self.models.get(slot)?.as_ref()
    }
}

/// Also the emitter tests' way from a spec text to the IR (`tests::lowered`).
#[cfg(test)]
pub(crate) mod tests;
