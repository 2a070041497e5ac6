//! Per-operation error enums: one variant per documented error status, typed by its body
//! (`ErrorResponse` or `PermissionsErrorResponse` in this API), and their `OperationError`
//! impl that the runtime calls to decode a failing response.

use super::types::{rt, ty};
use super::walk::walk_ref;
use crate::ir::{Operation, StatusMatch};
use proc_macro2::TokenStream;
use quote::quote;

/// The error enum of `op` and its `OperationError` impl.
pub fn error_enum(op: &Operation) -> TokenStream {
    let rt = rt();
    let name = &op.error_type;
    let doc = super::docs::own_doc(&[&format!(
        "The documented error responses of [`{}`]. Other failing statuses are reported as `Error::UnexpectedStatus`, with the Cloudinary error envelope parsed when present.",
        op.builder.bare()
    )]);
    let variants = op.errors.iter().map(|e| {
        let v = &e.variant;
        let d = format!(
            " {}: {}",
            e.status.label(),
            e.description
                .clone()
                .unwrap_or_default()
                .lines()
                .next()
                .unwrap_or("")
                .trim()
        );
        match &e.body {
            Some(t) => {
                let t = ty(t);
                quote!(#[doc = #d] #v(#t),)
            }
            None => quote!(#[doc = #d] #v,),
        }
    });
    let arms = op.errors.iter().map(|e| {
        let v = &e.variant;
        let status = match e.status {
            StatusMatch::Code(code) => quote!(#code),
            StatusMatch::Range(r) => {
                let (lo, hi) = (u16::from(r) * 100, u16::from(r) * 100 + 99);
                quote!(#lo..=#hi)
            }
            StatusMatch::Default => quote!(_),
        };
        match &e.body {
            Some(_) => quote!(#status => ::std::option::Option::Some(::serde_json::from_slice(body).map(Self::#v)),),
            None => quote!(#status => ::std::option::Option::Some(::std::result::Result::Ok(Self::#v)),),
        }
    });
    let message_arms = op
        .errors
        .iter()
        .filter(|e| e.body.is_some() && !e.message_path.is_empty())
        .map(|e| {
            let v = &e.variant;
            let walk = walk_ref(
                quote!(body),
                &e.message_path,
                quote!(.as_deref()),
                quote!(.as_str()),
            );
            quote!(Self::#v(body) => #walk,)
        });
    let message_arms: Vec<TokenStream> = message_arms.collect();
    let has_other = message_arms.len() < op.errors.len();
    let message_body = if op.errors.is_empty() {
        quote!(match *self {})
    } else if message_arms.is_empty() {
        quote!(::std::option::Option::None)
    } else if has_other {
        quote!(match self { #(#message_arms)* _ => ::std::option::Option::None, })
    } else {
        quote!(match self { #(#message_arms)* })
    };
    let body_param = if op.errors.iter().any(|e| e.body.is_some()) {
        quote!(body)
    } else {
        quote!(_body)
    };
    // A `default` response is the last arm and already matches every other status.
    let fallback = if op.errors.iter().any(|e| e.status == StatusMatch::Default) {
        quote!()
    } else {
        quote!(_ => ::std::option::Option::None,)
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }

        impl #rt::OperationError for #name {
            fn from_status(status: u16, #body_param: &[u8]) -> ::std::option::Option<::std::result::Result<Self, ::serde_json::Error>> {
                match status {
                    #(#arms)*
                    #fallback
                }
            }

            fn message(&self) -> ::std::option::Option<&str> {
                #message_body
            }
        }
    }
}
