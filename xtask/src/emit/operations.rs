//! `src/operations/*.rs`: per resource group, an accessor struct, one request builder per
//! operation, and one error enum per operation typed by the spec's error responses.

use super::docs::doc_attrs;
use super::types::{rt, setter_arg, ty};
use crate::ir::*;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub fn mod_rs(api: &Api) -> TokenStream {
    let mods = api.groups.iter().map(|g| {
        let m = &g.module;
        let d = format!(" Operations of the `{}` group.", g.module.bare());
        quote!(#[doc = #d] pub mod #m;)
    });
    quote! {
        //! One module per resource group: the group accessor, its request builders and the
        //! per-operation error types.
        #(#mods)*
    }
}

pub fn group_rs(api: &Api, group: &Group, crate_name: &str) -> TokenStream {
    let ty_name = &group.type_name;
    let module = &group.module;
    let intro = format!(
        "The `{}` operations. Get it with [`Client::{}`](crate::Client::{}); it borrows the client and costs nothing to make.",
        module.bare(),
        module.bare(),
        module.bare()
    );
    let example = group_example(api, group, crate_name);
    let accessor_doc = doc_attrs(&[&intro]);
    let example_doc = super::docs::raw_doc(&example);
    let methods = group.operations.iter().map(group_method);
    let ops = group
        .operations
        .iter()
        .map(|op| operation_items(api, group, op));
    quote! {
        #accessor_doc
        #example_doc
        #[derive(Debug, Clone, Copy)]
        pub struct #ty_name<'a> {
            pub(crate) client: &'a crate::Client,
        }

        impl<'a> #ty_name<'a> {
            #(#methods)*
        }

        #(#ops)*
    }
}

/// A compile-checked usage example for a group: its first operation whose arguments can be
/// written as literals, or none.
fn group_example(api: &Api, group: &Group, crate_name: &str) -> String {
    match usage_line(api, group, crate_name) {
        Some((line, has_value)) => {
            let used = if has_value {
                "println!(\"{response:?}\");\n"
            } else {
                ""
            };
            format!(
                "```no_run\n# async fn example(client: {crate_name}::Client) -> Result<(), Box<dyn std::error::Error>> {{\n{line}\n{used}# Ok(())\n# }}\n```"
            )
        }
        None => String::new(),
    }
}

/// `let response = client.group().method(args).send().await?;` for the first operation of
/// `group` whose positional arguments all have literal placeholders; the bool says whether
/// the call returns a value.
pub fn usage_line(api: &Api, group: &Group, crate_name: &str) -> Option<(String, bool)> {
    group.operations.iter().find_map(|op| {
        let args: Option<Vec<String>> = positional(op)
            .map(|p| example_value(api, &p.ty, &p.wire_name, crate_name))
            .collect();
        let args = args?;
        let has_value = op.success.single() != Some(&ResponseBody::Empty);
        let bind = if has_value { "let response = " } else { "" };
        Some((
            format!(
                "{bind}client.{}().{}({}).send().await?;",
                group.module.as_str(),
                op.method_name.as_str(),
                args.join(", ")
            ),
            has_value,
        ))
    })
}

/// A literal of type `t` for examples, when there is a simple one.
fn example_value(api: &Api, t: &TypeRef, name: &str, crate_name: &str) -> Option<String> {
    Some(match t {
        TypeRef::String => format!("{name:?}"),
        TypeRef::Bool => "true".into(),
        TypeRef::I32 | TypeRef::I64 | TypeRef::U64 => "1".into(),
        TypeRef::F32 | TypeRef::F64 => "1.0".into(),
        TypeRef::Date => format!("\"2024-01-31\".parse::<{crate_name}::Date>()?"),
        TypeRef::Vec(inner) => format!("[{}]", example_value(api, inner, name, crate_name)?),
        TypeRef::Named(n) => match api.model(n.id()) {
            Some(Model::Enum(e)) => {
                let (v, _) = e.variants.first()?;
                format!(
                    "{crate_name}::models::{}::{}",
                    n.ident().as_str(),
                    v.as_str()
                )
            }
            _ => return None,
        },
        _ => return None,
    })
}

/// `#[deprecated]` when the spec deprecates the item.
fn deprecated_attr(deprecated: bool) -> TokenStream {
    if deprecated {
        quote!(#[deprecated])
    } else {
        quote!()
    }
}

/// Positional arguments: path parameters and required query parameters.
fn positional(op: &Operation) -> impl Iterator<Item = &Param> {
    op.params
        .iter()
        .filter(|p| p.location == ParamLocation::Path || p.required)
}

fn op_line(op: &Operation) -> String {
    format!("`{} {}`", op.http_method.as_str(), op.path_template)
}

fn group_method(op: &Operation) -> TokenStream {
    let name = &op.method_name;
    let builder = &op.builder;
    let args = positional(op).map(|p| {
        let n = &p.rust_name;
        let (arg_ty, _) = setter_arg(&p.ty, n);
        quote!(#n: #arg_ty)
    });
    let values = positional(op).map(|p| {
        let n = &p.rust_name;
        let (_, conv) = setter_arg(&p.ty, n);
        conv
    });
    let summary = op
        .summary
        .clone()
        .unwrap_or_else(|| op.operation_id.clone());
    // Spec text is cleaned; the generator's own sentence keeps its intra-doc link.
    let spec_doc = doc_attrs(&[
        &summary,
        op.description.as_deref().unwrap_or(""),
        &op_line(op),
    ]);
    let see = super::docs::own_doc(&[&format!(
        "Build the request with the returned [`{}`], then call `.send().await`.",
        builder.bare()
    )]);
    let doc = quote!(#spec_doc #[doc = ""] #see);
    let deprecated = if op.deprecated {
        quote!(#[deprecated])
    } else {
        quote!()
    };
    quote! {
        #doc
        #deprecated
        pub fn #name(&self, #(#args),*) -> #builder {
            #builder::new(self.client.clone(), #(#values),*)
        }
    }
}

fn operation_items(api: &Api, group: &Group, op: &Operation) -> TokenStream {
    let rt = rt();
    let builder = &op.builder;
    let error = &op.error_type;
    let success = super::responses::success_type(op);
    let body = super::bodies::body_items(api, op);
    // The builder moves deprecated fields around like any other; only callers are warned.
    let touches_deprecated = op.params.iter().any(|p| p.deprecated) || body.touches_deprecated;
    let allow_deprecated = if touches_deprecated {
        quote!(#[allow(deprecated)])
    } else {
        quote!()
    };
    // Only operations whose path holds the account id can be sent to another account.
    let account_override = if op.path.iter().any(|p| matches!(p, PathPart::AccountId)) {
        quote! {
                    /// Sends this call to another account than the client's.
                    pub fn with_account_id(mut self, account_id: impl ::std::convert::Into<::std::string::String>) -> Self {
                        self.options.set_account_id(account_id);
                        self
                    }
        }
    } else {
        quote!()
    };

    // Builder fields.
    let param_fields = op.params.iter().map(|p| {
        let n = &p.rust_name;
        let t = ty(&p.ty);
        if p.location == ParamLocation::Path || p.required {
            quote!(#n: #t,)
        } else {
            quote!(#n: ::std::option::Option<#t>,)
        }
    });
    let body_fields = &body.fields;

    // Constructor.
    let ctor_args = positional(op).map(|p| {
        let n = &p.rust_name;
        let t = ty(&p.ty);
        quote!(#n: #t)
    });
    let ctor_inits = op.params.iter().map(|p| {
        let n = &p.rust_name;
        if p.location == ParamLocation::Path || p.required {
            quote!(#n,)
        } else {
            quote!(#n: ::std::option::Option::None,)
        }
    });
    let body_inits = &body.inits;

    // Every setter takes its argument as `value` (never a parameter name: those are fields).
    let value = crate::naming::snake("value");
    // A setter for every query parameter. Required ones are also arguments of the group
    // method, so they cannot be forgotten; their setter replaces the value given there.
    let param_setters = op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .map(|p| {
            let n = &p.rust_name;
            let (arg, conv) = setter_arg(&p.ty, &value);
            let fallback = format!(
                "Sets the `{}` {} parameter.",
                p.wire_name,
                p.location.describe()
            );
            let doc = doc_attrs(&[p.description.as_deref().unwrap_or(&fallback)]);
            let deprecated = deprecated_attr(p.deprecated);
            let store = if p.required {
                conv
            } else {
                quote!(::std::option::Option::Some(#conv))
            };
            quote! {
                #doc
                #deprecated
                pub fn #n(mut self, value: #arg) -> Self {
                    self.#n = #store;
                    self
                }
            }
        });
    let param_setters: Vec<TokenStream> = param_setters.collect();

    let body_setters = &body.setters;

    // The request.
    let method = format_ident!("{}", op.http_method.as_str());
    let op_id = &op.operation_id;
    let auth = match op.auth {
        Auth::Required => quote!(#rt::AuthMode::Required),
        Auth::Optional => quote!(#rt::AuthMode::Optional),
        Auth::None => quote!(#rt::AuthMode::None),
    };
    let security = super::security::operation_security(api, op);
    let retry = match op.retry {
        RetryClass::Idempotent => quote!(#rt::RetryClass::Idempotent),
        RetryClass::NonIdempotent => quote!(#rt::RetryClass::NonIdempotent),
        RetryClass::Never => quote!(#rt::RetryClass::Never),
    };
    let path_pushes = op.path.iter().map(|part| match part {
        PathPart::Literal(l) => quote!(request.push_literal(#l);),
        PathPart::LiteralJoined(l) => quote!(request.push_literal_joined(#l);),
        PathPart::ParamJoined(i) => {
            let p = &op.params[*i];
            let n = &p.rust_name;
            if p.ty == TypeRef::String {
                quote!(request.push_param_joined(&self.#n);)
            } else {
                quote!(request.push_param_joined(&self.#n.to_string());)
            }
        }
        PathPart::AccountId => quote!(request.push_account_id();),
        PathPart::Param(i, style) => {
            let p = &op.params[*i];
            let n = &p.rust_name;
            let wire = &p.wire_name;
            if let Some(style) = style {
                let style = quote::format_ident!("{}", style.runtime_variant());
                quote!(request.push_param_styled(#wire, &self.#n, #rt::params::PathStyle::#style).map_err(#rt::Error::Build)?;)
            } else if p.ty == TypeRef::String {
                quote!(request.push_param(&self.#n);)
            } else {
                quote!(request.push_param(&self.#n.to_string());)
            }
        }
    });
    let query_pushes = op.params.iter().filter(|p| p.location != ParamLocation::Path).map(|p| {
        let n = &p.rust_name;
        let wire = &p.wire_name;
        match (p.location, p.required) {
            (ParamLocation::QueryJson, false) => quote!(request.query_json(#wire, &self.#n).map_err(#rt::Error::Build)?;),
            (ParamLocation::QueryJson, true) => {
                quote!(request.query_json(#wire, &::std::option::Option::Some(&self.#n)).map_err(#rt::Error::Build)?;)
            }
            (ParamLocation::QueryStyled(style), _) => {
                let style = quote::format_ident!("{}", style.runtime_variant());
                quote!(request.query_styled(#wire, &self.#n, #rt::params::QueryStyle::#style).map_err(#rt::Error::Build)?;)
            }
            (ParamLocation::Header, _) => quote!(request.header_param(#wire, &self.#n).map_err(#rt::Error::Build)?;),
            (ParamLocation::Cookie, _) => quote!(request.cookie_param(#wire, &self.#n).map_err(#rt::Error::Build)?;),
            _ => quote!(request.query(#wire, &self.#n);),
        }
    });
    let body_build = &body.build;
    let accept = super::responses::accept(op);
    let finish = super::responses::finish(op);

    let builder_doc = format!(
        " A request for [`{}::{}`]({}::{}): set optional parameters, then `.send().await`.{}",
        group.type_name.bare(),
        op.method_name.bare(),
        group.type_name.bare(),
        op.method_name.bare(),
        super::bodies::kinds_doc(op)
    );
    let send_doc = super::docs::raw_doc(&match super::responses::success_doc(op) {
        Some(more) => format!(
            "Sends the request and returns the decoded result: {}. {more}",
            op_line(op)
        ),
        None => format!(
            "Sends the request and returns the decoded result: {}.",
            op_line(op)
        ),
    });
    let paginate = op
        .pagination
        .as_ref()
        .map(|p| super::pagination::pagination(op, p))
        .unwrap_or_default();
    let error_items = super::errors::error_enum(op);
    let success_items = super::responses::success_enum(op);

    quote! {
        #[doc = #builder_doc]
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent with `.send().await`"]
        pub struct #builder {
            client: crate::Client,
            options: #rt::CallOptions,
            #(#param_fields)*
            #(#body_fields)*
        }

        #allow_deprecated
        impl #builder {
            fn new(client: crate::Client, #(#ctor_args),*) -> Self {
                Self {
                    client,
                    options: #rt::CallOptions::default(),
                    #(#ctor_inits)*
                    #(#body_inits)*
                }
            }

            #(#param_setters)*
            #(#body_setters)*

            #account_override

            /// Overrides the client's timeout for this call (each attempt).
            pub fn with_timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.options.set_timeout(timeout);
                self
            }

            /// Bounds this whole call, attempts and waits included (overrides the client's
            /// operation timeout).
            pub fn with_operation_timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.options.set_operation_timeout(timeout);
                self
            }

            /// Overrides the client's retry policy for this call.
            pub fn with_retry(mut self, retry: #rt::RetryConfig) -> Self {
                self.options.set_retry(retry);
                self
            }

            /// Adds a header to this call only.
            pub fn with_header(mut self, name: #rt::http::HeaderName, value: #rt::http::HeaderValue) -> Self {
                self.options.insert_header(name, value);
                self
            }

            #send_doc
            pub async fn send(self) -> ::std::result::Result<#success, #rt::Error<#error>> {
                self.send_with_metadata().await.map(#rt::Response::into_inner)
            }

            /// Like [`send`](Self::send), and also returns the status, headers, request id and
            /// rate-limit headers of the response.
            pub async fn send_with_metadata(self) -> ::std::result::Result<#rt::Response<#success>, #rt::Error<#error>> {
                let mut request = #rt::OperationRequest::new(#rt::http::Method::#method, #op_id, #auth, #retry);
                #security
                #(#path_pushes)*
                #(#query_pushes)*
                #accept
                #body_build
                let raw = self.client.core.execute::<#error>(request, &self.options).await?;
                #finish
            }

            #paginate
        }

        #success_items

        #error_items
    }
}
