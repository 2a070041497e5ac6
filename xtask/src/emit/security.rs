//! Security as data for the runtime: the scheme table the client builder is given, each
//! operation's alternatives, and `ClientBuilderExt`, one setter per scheme.
//!
//! The setters live on an extension trait because the builder is the runtime's type (the
//! generated `ClientBuilder` is an alias), and a crate cannot add inherent methods to another
//! crate's type. The trait is sealed, so adding a scheme later adds a method without breaking
//! anyone. A spec whose only scheme is HTTP Basic gets none of this: the runtime applies Basic
//! with `ClientBuilder::credentials` by default.

use super::types::rt;
use crate::ir::{Api, ApiKeyLocation, Auth, Operation, SchemeKind, SecurityScheme};
use proc_macro2::TokenStream;
use quote::quote;

/// `request.set_security(..)` for an operation of an API with a scheme table.
pub fn operation_security(api: &Api, op: &Operation) -> TokenStream {
    if !api.has_security_table() || op.auth == Auth::None {
        return TokenStream::new();
    }
    let alternatives = op.security.iter().map(|names| quote!(&[#(#names),*]));
    quote!(request.set_security(&[#(#alternatives),*]);)
}

/// `.security_schemes(SECURITY_SCHEMES)` on the builder `Client::builder` returns.
pub fn builder_call(api: &Api) -> TokenStream {
    if api.has_security_table() {
        quote!(.security_schemes(SECURITY_SCHEMES))
    } else {
        TokenStream::new()
    }
}

/// The re-exports the scheme setters' signatures need, beyond those every crate has.
fn reexports(api: &Api) -> TokenStream {
    let rt = rt();
    let schemes = &api.security_schemes;
    let mut names = Vec::new();
    if schemes
        .iter()
        .any(|s| matches!(s.kind, SchemeKind::OAuth2ClientCredentials { .. }))
    {
        names.push(quote!(ClientCredentials));
    }
    if schemes.iter().any(|s| s.provider_setter.is_some()) {
        names.push(quote!(ProvideToken));
        names.push(quote!(provide_token_fn));
    }
    if names.is_empty() {
        return TokenStream::new();
    }
    quote!(pub use #rt::{#(#names),*};)
}

/// The scheme table, the sealed `ClientBuilderExt` trait and its implementation.
pub fn client_items(api: &Api, crate_name: &str) -> TokenStream {
    if !api.has_security_table() {
        return TokenStream::new();
    }
    let rt = rt();
    let table = api.security_schemes.iter().map(scheme_entry);
    let declarations = api.security_schemes.iter().map(|s| setters(s, false));
    let definitions = api.security_schemes.iter().map(|s| setters(s, true));
    let reexports = reexports(api);
    let trait_doc = super::docs::own_doc(&[
        "Credentials for this API's security schemes: one setter per scheme, implemented for [`ClientBuilder`]. Each operation applies the first of the schemes it accepts whose credentials are set; an operation that requires credentials fails before sending, naming the schemes it accepts, when none are.",
        &format!("Bring it into scope with `use {crate_name}::ClientBuilderExt as _;`."),
    ]);
    let example = super::docs::raw_doc(&example(api, crate_name));
    quote! {
        #reexports

        /// The API's security schemes, as the client applies them.
        const SECURITY_SCHEMES: &[#rt::SecurityScheme] = &[#(#table),*];

        mod sealed {
            /// Only [`ClientBuilder`](super::ClientBuilder) implements the setters' trait.
            pub trait Sealed {}
            impl Sealed for super::ClientBuilder {}
        }

        #trait_doc
        #example
        pub trait ClientBuilderExt: sealed::Sealed + Sized {
            #(#declarations)*
        }

        impl ClientBuilderExt for ClientBuilder {
            #(#definitions)*
        }
    }
}

/// One entry of the runtime's scheme table.
fn scheme_entry(s: &SecurityScheme) -> TokenStream {
    let rt = rt();
    let name = &s.name;
    let kind = match &s.kind {
        SchemeKind::Basic => quote!(#rt::SchemeKind::Basic),
        SchemeKind::Bearer { .. } => quote!(#rt::SchemeKind::Bearer),
        SchemeKind::ApiKey { location, name } => {
            let location = match location {
                ApiKeyLocation::Header => quote!(#rt::ApiKeyLocation::Header),
                ApiKeyLocation::Query => quote!(#rt::ApiKeyLocation::Query),
                ApiKeyLocation::Cookie => quote!(#rt::ApiKeyLocation::Cookie),
            };
            quote!(#rt::SchemeKind::ApiKey { location: #location, name: #name })
        }
        SchemeKind::OAuth2ClientCredentials { token_url, scopes } => quote!(
            #rt::SchemeKind::OAuth2ClientCredentials { token_url: #token_url, scopes: &[#(#scopes),*] }
        ),
    };
    quote!(#rt::SecurityScheme { name: #name, kind: #kind })
}

/// What a scheme is, in words, for its setter's doc.
fn what(s: &SecurityScheme) -> String {
    match &s.kind {
        SchemeKind::Basic => "HTTP Basic".to_string(),
        SchemeKind::Bearer { format: Some(f) } => format!("an HTTP bearer token ({f})"),
        SchemeKind::Bearer { format: None } => "an HTTP bearer token".to_string(),
        SchemeKind::ApiKey { location, name } => {
            let place = match location {
                ApiKeyLocation::Header => "header",
                ApiKeyLocation::Query => "query parameter",
                ApiKeyLocation::Cookie => "cookie",
            };
            format!("an API key in the `{name}` {place}")
        }
        SchemeKind::OAuth2ClientCredentials { token_url, scopes } if scopes.is_empty() => {
            format!(
                "OAuth2 client credentials; the client fetches, caches and refreshes the access token from `{token_url}`"
            )
        }
        SchemeKind::OAuth2ClientCredentials { token_url, scopes } => format!(
            "OAuth2 client credentials; the client fetches, caches and refreshes the access token from `{token_url}`, requesting the scopes the operations need by default ({})",
            scopes
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The setter (and provider setter) of one scheme: declarations for the trait, or
/// definitions for its implementation.
fn setters(s: &SecurityScheme, with_body: bool) -> TokenStream {
    let rt = rt();
    let name = &s.name;
    let setter = &s.setter;
    let headline = format!("Sets the credentials of `{name}`: {}.", what(s));
    let description = s.description.as_deref().unwrap_or_default();
    let doc = super::docs::doc_attrs(&[&headline, description]);
    let (args, body) = match &s.kind {
        SchemeKind::Basic => (
            quote!(user: impl ::std::convert::Into<::std::string::String>, password: impl ::std::convert::Into<#rt::SecretString>),
            quote!(self.basic_credentials_for(#name, user, password)),
        ),
        SchemeKind::Bearer { .. } => (
            quote!(token: impl ::std::convert::Into<#rt::SecretString>),
            quote!(self.token_for(#name, token)),
        ),
        SchemeKind::ApiKey { .. } => (
            quote!(key: impl ::std::convert::Into<#rt::SecretString>),
            quote!(self.token_for(#name, key)),
        ),
        SchemeKind::OAuth2ClientCredentials { .. } => (
            quote!(credentials: #rt::ClientCredentials),
            quote!(self.client_credentials_for(#name, credentials)),
        ),
    };
    let main = signature(&doc, setter, &args, with_body.then_some(&body));
    let provider = s.provider_setter.as_ref().map(|p| {
        let credential = match s.kind {
            SchemeKind::ApiKey { .. } => "API key",
            _ => "token",
        };
        let doc_line = format!(
            " Sets a provider asked for the {credential} of `{name}` on every attempt (a vault, a metadata service); when it fails, the call fails before sending and says why."
        );
        let doc = quote!(#[doc = #doc_line]);
        let args = quote!(provider: impl #rt::ProvideToken + 'static);
        let body = quote!(self.token_provider_for(#name, provider));
        signature(&doc, p, &args, with_body.then_some(&body))
    });
    quote!(#main #provider)
}

/// `fn name(self, args) -> Self;` or with a body.
fn signature(
    doc: &TokenStream,
    name: &crate::naming::Ident,
    args: &TokenStream,
    body: Option<&TokenStream>,
) -> TokenStream {
    match body {
        None => quote! {
            #doc
            fn #name(self, #args) -> Self;
        },
        Some(body) => quote! {
            fn #name(self, #args) -> Self {
                #body
            }
        },
    }
}

/// A compile-checked example that sets the first scheme's credentials.
fn example(api: &Api, crate_name: &str) -> String {
    let first = api.security_schemes.first();
    let call = match first {
        None => String::new(),
        Some(s) => {
            let args = match &s.kind {
                SchemeKind::Basic => "\"user\", \"password\"".to_string(),
                SchemeKind::Bearer { .. } | SchemeKind::ApiKey { .. } => "\"token\"".to_string(),
                SchemeKind::OAuth2ClientCredentials { .. } => {
                    format!(
                        "{crate_name}::ClientCredentials::new(\"client-id\", \"client-secret\")"
                    )
                }
            };
            format!("\n    .{}({args})", s.setter.as_str())
        }
    };
    format!(
        "```no_run\nuse {crate_name}::ClientBuilderExt as _;\n\n# fn example() -> Result<(), {crate_name}::ConfigError> {{\nlet client = {crate_name}::Client::builder(){call}\n    .build()?;\n# drop(client);\n# Ok(())\n# }}\n```"
    )
}

#[cfg(test)]
mod tests;
