//! Per-operation error enums: one variant per documented error status, typed by its body
//! (`ErrorResponse` or `PermissionsErrorResponse` in this API), and their `OperationError` impl
//! that the runtime calls to decode a failing response. The server's message is read by
//! `ErrorMessage`, generated once per error body model (the walk to its message); decoding
//! reads it while the model's type is known, so the enums need no code for it.

use super::types::{rt, ty};
use super::walk::walk_ref;
use crate::ir::{Api, ErrorCase, Group, Operation, StatusMatch, TypeRef};
use crate::profile::PROFILE;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::HashMap;

/// Which enum each operation's error type is. Operations that document the same errors (the
/// same statuses, bodies and descriptions) share the enum of the first of them, and name it
/// with a type alias under their own name: this API has 48 operations and 15 distinct error
/// lists, and an enum, its docs and its decoder are most of an operation's generated lines.
pub struct SharedErrors {
    /// Operation id -> the enum it aliases, for operations that alias one.
    aliases: HashMap<String, SharedEnum>,
}

/// An error enum that several operations name.
#[derive(Clone)]
struct SharedEnum {
    /// Its path from the crate root.
    path: TokenStream,
    /// The module it is in, and its name.
    module: String,
    name: String,
}

impl SharedErrors {
    /// Finds, for every operation, the first one in spec order with the same error list.
    pub fn new(api: &Api) -> Self {
        let mut first: HashMap<String, SharedEnum> = HashMap::new();
        let mut aliases = HashMap::new();
        for (group, op) in operations(api) {
            let key = errors_key(op);
            match first.get(&key) {
                Some(owner) => {
                    aliases.insert(op.operation_id.clone(), owner.clone());
                }
                None => {
                    first.insert(key, enum_path(group, op));
                }
            }
        }
        SharedErrors { aliases }
    }

    /// The enum `op`'s error type aliases, when it is another operation's.
    fn alias_of(&self, op: &Operation) -> Option<&SharedEnum> {
        self.aliases.get(&op.operation_id)
    }
}

fn operations(api: &Api) -> impl Iterator<Item = (&Group, &Operation)> {
    api.groups
        .iter()
        .flat_map(|g| g.operations.iter().map(move |op| (g, op)))
}

/// What makes two error enums the same: every variant's status, name, body type (by id) and
/// doc line.
fn errors_key(op: &Operation) -> String {
    let cases: Vec<String> = op
        .errors
        .iter()
        .map(|e| {
            format!(
                "{}|{}|{:?}|{}|{:?}",
                e.status.label(),
                e.variant.as_str(),
                e.body,
                has_message(e),
                variant_doc(e)
            )
        })
        .collect();
    cases.join("\n")
}

/// `op`'s error enum, as other operations name it.
fn enum_path(group: &Group, op: &Operation) -> SharedEnum {
    let module = &group.module;
    let name = &op.error_type;
    SharedEnum {
        path: quote!(crate::operations::#module::#name),
        module: module.as_str().to_string(),
        name: name.as_str().to_string(),
    }
}

/// The error enum of `op` (in `group`'s module) and its `OperationError` impl, or the alias
/// naming the enum it shares with an earlier operation.
pub fn error_enum(group: &Group, op: &Operation, shared: &SharedErrors) -> TokenStream {
    if let Some(owner) = shared.alias_of(op) {
        let name = &op.error_type;
        let target = &owner.name;
        // rustdoc rejects an explicit link target that the label alone resolves to.
        let link = if owner.module == group.module.as_str() {
            format!("[`{target}`]")
        } else {
            format!(
                "[`{target}`](crate::operations::{}::{target})",
                owner.module
            )
        };
        let doc = super::docs::own_doc(&[&format!(
            "The documented error responses of [`{}`]: the same as another operation's, so the type is that operation's {link}.",
            op.builder.bare()
        )]);
        let path = &owner.path;
        return quote!(#doc pub type #name = #path;);
    }
    let definition = enum_definition(op);
    let decode = from_status_impl(op);
    quote! {
        #definition
        #decode
    }
}

/// The enum itself: one variant per documented error status, holding its typed body if any.
fn enum_definition(op: &Operation) -> TokenStream {
    let name = &op.error_type;
    let doc = super::docs::own_doc(&[&format!(
        "The documented error responses of [`{}`]. Other failing statuses are reported as `Error::UnexpectedStatus`, with the {} error envelope parsed when present.",
        op.builder.bare(),
        PROFILE.vendor
    )]);
    let variants = op.errors.iter().map(|e| {
        let v = &e.variant;
        let d = variant_doc(e);
        match &e.body {
            Some(t) => {
                let t = ty(t);
                quote!(#[doc = #d] #v(#t),)
            }
            None => quote!(#[doc = #d] #v,),
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }
    }
}

/// A variant's doc line: its status and the first line of the response's description.
fn variant_doc(e: &ErrorCase) -> String {
    status_doc(e.status, e.description.as_deref())
}

/// The doc line of a variant for a response status (error or success): the status as the
/// spec writes it and the first line of the response's description.
pub(super) fn status_doc(status: StatusMatch, description: Option<&str>) -> String {
    format!(
        " {}: {}",
        status.label(),
        description
            .unwrap_or_default()
            .lines()
            .next()
            .unwrap_or("")
            .trim()
    )
}

/// The pattern matching `status` in generated code.
pub(super) fn status_pattern(status: StatusMatch) -> TokenStream {
    match status {
        StatusMatch::Code(code) => quote!(#code),
        StatusMatch::Range(r) => {
            let (lo, hi) = (u16::from(r) * 100, u16::from(r) * 100 + 99);
            quote!(#lo..=#hi)
        }
        StatusMatch::Default => quote!(_),
    }
}

/// `OperationError::from_status`: one line per documented status.
fn from_status_impl(op: &Operation) -> TokenStream {
    let rt = rt();
    let name = &op.error_type;
    let arms = op.errors.iter().map(|e| {
        let v = &e.variant;
        let status = status_pattern(e.status);
        let decode = match &e.body {
            Some(_) if has_message(e) => quote!(error_body(body, Self::#v)),
            Some(_) => quote!(error_body_plain(body, Self::#v)),
            None => quote!(no_body(Self::#v)),
        };
        quote!(#status => #rt::codegen::#decode,)
    });
    let body_param = if op.errors.iter().any(|e| e.body.is_some()) {
        quote!(body)
    } else {
        quote!(_body)
    };
    // A `default` response is the last arm and already matches every other status.
    let fallback = if op.errors.iter().any(|e| e.status == StatusMatch::Default) {
        quote!()
    } else {
        quote!(_ => None,)
    };
    quote! {
        impl #rt::codegen::OperationError for #name {
            fn from_status(status: u16, #body_param: &[u8]) -> #rt::codegen::FromStatus<Self> {
                match status {
                    #(#arms)*
                    #fallback
                }
            }
        }
    }
}

/// Whether a variant's body carries a message (its model implements `ErrorMessage`).
fn has_message(e: &ErrorCase) -> bool {
    e.body.is_some() && !e.message_path.is_empty()
}

/// `ErrorMessage` for every error body model with a message, once per model: the walk from
/// the body to its message is the model's, whichever operation's error holds it.
pub fn body_message_impls(api: &Api) -> TokenStream {
    let rt = rt();
    let mut seen = std::collections::BTreeSet::new();
    let impls = api
        .groups
        .iter()
        .flat_map(|g| &g.operations)
        .flat_map(|op| &op.errors)
        .filter(|e| has_message(e))
        .filter_map(|e| match &e.body {
            Some(TypeRef::Named(n)) if seen.insert(n.id()) => {
                let walk = walk_ref(
                    quote!(self),
                    &e.message_path,
                    quote!(.as_deref()),
                    quote!(.as_str()),
                );
                Some(quote! {
                    impl #rt::ErrorMessage for crate::models::#n {
                        fn message(&self) -> Option<&str> {
                            #walk
                        }
                    }
                })
            }
            _ => None,
        });
    let impls: Vec<TokenStream> = impls.collect();
    quote!(#(#impls)*)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lowers a 3.0 document whose paths are `paths`, with an `Err` schema carrying
    /// `error.message` and a `Plain` one without a message.
    fn api(paths: &str) -> Api {
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:\n{paths}components:\n  schemas:\n    Err:\n      type: object\n      properties:\n        error:\n          type: object\n          properties:\n            message: {{type: string}}\n    Plain:\n      type: object\n      properties:\n        code: {{type: integer}}\n"
        );
        let spec = crate::parse::parse_spec(text.as_bytes(), "t.yaml")
            .unwrap_or_else(|e| panic!("parse: {e}"));
        crate::lower::lower(&spec)
            .unwrap_or_else(|e| panic!("lower: {e}"))
            .0
    }

    /// A GET operation with the given error responses (YAML, indented as `responses` items).
    fn get(path: &str, id: &str, errors: &str) -> String {
        format!(
            "  {path}:\n    get:\n      operationId: {id}\n      responses:\n        '200':\n          description: ok\n{errors}"
        )
    }

    fn response(status: &str, description: &str, schema: Option<&str>) -> String {
        let content = schema.map_or(String::new(), |s| {
            format!(
                "          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/{s}'}}\n"
            )
        });
        format!("        '{status}':\n          description: {description}\n{content}")
    }

    /// The items emitted for the operation `id`, as one line of text.
    fn items(api: &Api, id: &str) -> String {
        let shared = SharedErrors::new(api);
        let (group, op) = operations(api)
            .find(|(_, op)| op.operation_id == id)
            .unwrap_or_else(|| panic!("no operation {id}"));
        error_enum(group, op, &shared).to_string()
    }

    #[test]
    fn operations_with_the_same_errors_share_the_first_enum_and_others_get_their_own() {
        let errors = response("404", "Not found", Some("Err"));
        let api = api(&format!(
            "{}{}{}",
            get("/a", "getA", &errors),
            get("/b", "getB", &errors),
            get(
                "/c",
                "getC",
                &response("404", "Gone elsewhere", Some("Err"))
            ),
        ));
        let a = items(&api, "getA");
        assert!(a.contains("pub enum GetAError"), "{a}");
        // Without a `default` response, other statuses are not this operation's.
        assert!(a.contains("_ => None ,"), "{a}");
        let b = items(&api, "getB");
        assert!(
            b.contains("pub type GetBError = crate :: operations :: default :: GetAError ;"),
            "{b}"
        );
        assert!(!b.contains("enum"), "{b}");
        // In the same module, the doc links by name alone (rustdoc rejects a redundant target).
        assert!(b.contains("that operation's [`GetAError`]."), "{b}");
        // Another description is another doc line, so another enum.
        let c = items(&api, "getC");
        assert!(c.contains("pub enum GetCError"), "{c}");
    }

    #[test]
    fn each_status_decodes_by_what_its_body_carries() {
        let api = api(&get(
            "/a",
            "getA",
            &format!(
                "{}{}{}{}",
                response("404", "Not found", Some("Err")),
                response("409", "Conflict", Some("Plain")),
                response("5XX", "Server", None),
                response("default", "Other", Some("Err")),
            ),
        ));
        let a = items(&api, "getA");
        for arm in [
            "404u16 => crate :: runtime :: codegen :: error_body (body , Self :: NotFound) ,",
            "409u16 => crate :: runtime :: codegen :: error_body_plain (body , Self :: Conflict) ,",
            "500u16 ..= 599u16 => crate :: runtime :: codegen :: no_body (Self :: Status5xx) ,",
            "_ => crate :: runtime :: codegen :: error_body (body , Self :: Other) ,",
        ] {
            assert!(a.contains(arm), "{arm} not in {a}");
        }
        // `default` already matches every other status: no second fallback arm.
        assert!(!a.contains("_ => None"), "{a}");
        assert!(a.contains("# [doc = \" 5XX: Server\"] Status5xx ,"), "{a}");
    }

    #[test]
    fn a_message_walk_is_emitted_once_per_error_body_model() {
        let errors = format!(
            "{}{}",
            response("404", "Not found", Some("Err")),
            response("409", "Conflict", Some("Plain"))
        );
        let api = api(&format!(
            "{}{}",
            get("/a", "getA", &errors),
            get("/b", "getB", &response("400", "Bad", Some("Err")))
        ));
        let impls = body_message_impls(&api).to_string();
        assert_eq!(
            impls
                .matches("impl crate :: runtime :: ErrorMessage for")
                .count(),
            1
        );
        assert!(impls.contains("for crate :: models :: Err"), "{impls}");
        assert!(impls.contains(". error . as_ref ()"), "{impls}");
        assert!(impls.contains(". message . as_deref ()"), "{impls}");
    }
}
