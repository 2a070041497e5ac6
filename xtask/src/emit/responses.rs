//! What `send` returns: the success type of an operation (a plain value when its success
//! responses share one body, else an enum with a variant per documented status), the runtime
//! call that decodes it, and the `Accept` header for operations that answer in other media
//! types than JSON.

use super::types::{rt, ty};
use crate::ir::*;
use proc_macro2::TokenStream;
use quote::quote;

/// The Rust type of one response body.
fn body_type(body: &ResponseBody) -> TokenStream {
    let rt = rt();
    match body {
        ResponseBody::Json(t) => ty(t),
        ResponseBody::Text => quote!(::std::string::String),
        ResponseBody::Bytes => quote!(#rt::bytes::Bytes),
        ResponseBody::Empty => quote!(()),
    }
}

/// Whether `send` hands the body over unread: a single success body that is neither JSON nor
/// text (a download). Bytes among several success bodies are read whole, to pick the variant.
fn streamed(op: &Operation) -> bool {
    op.success.enum_name.is_none() && matches!(op.success.single(), Some(ResponseBody::Bytes))
}

/// The type `send` returns.
pub fn success_type(op: &Operation) -> TokenStream {
    let rt = rt();
    match (&op.success.enum_name, op.success.single()) {
        (Some(name), _) => quote!(#name),
        (None, Some(ResponseBody::Bytes)) => quote!(#rt::ByteStream),
        (None, Some(body)) => body_type(body),
        (None, None) => quote!(()),
    }
}

/// The expression that turns `raw` into the success value (or the error).
pub fn finish(op: &Operation) -> TokenStream {
    let error = &op.error_type;
    if let Some(name) = &op.success.enum_name {
        return quote!(raw.into_success::<#name, #error>());
    }
    match op.success.single() {
        Some(ResponseBody::Json(t)) => {
            let t = ty(t);
            quote!(raw.into_json::<#t, #error>())
        }
        Some(ResponseBody::Text) => quote!(raw.into_text::<#error>()),
        Some(ResponseBody::Bytes) => quote!(raw.into_stream::<#error>()),
        Some(ResponseBody::Empty) | None => quote!(raw.into_unit::<#error>()),
    }
}

/// `request.set_accept(..)` when a documented response is not JSON, and
/// `request.stream_success_body()` for a download.
pub fn accept(op: &Operation) -> TokenStream {
    let rt = rt();
    let accept = match &op.success.accept {
        Some(media) => quote!(request.set_accept(#media).map_err(#rt::Error::Build)?;),
        None => quote!(),
    };
    if streamed(op) {
        quote!(#accept request.stream_success_body();)
    } else {
        accept
    }
}

/// A sentence for `send`'s docs on what arrives, when it is not one JSON value.
pub fn success_doc(op: &Operation) -> Option<String> {
    match (&op.success.enum_name, op.success.single()) {
        (Some(name), _) => Some(format!(
            "Which documented success status arrived is the variant of [`{}`].",
            name.bare()
        )),
        (None, Some(ResponseBody::Text)) => Some("The body comes back as text.".into()),
        (None, Some(ResponseBody::Bytes)) => Some(
            "The body comes back unread, as a stream the caller reads (`ByteStream`): the call \
             returns once the headers are in, and is not retried after that."
                .into(),
        ),
        _ => None,
    }
}

/// The success enum and its `SuccessBody` impl, for an operation whose success responses
/// differ; nothing otherwise.
pub fn success_enum(op: &Operation) -> TokenStream {
    let Some(name) = &op.success.enum_name else {
        return quote!();
    };
    let rt = rt();
    let doc = format!(
        " The success responses of [`{}`]: which documented status arrived, with its body.",
        op.builder.bare()
    );
    let variants = op.success.cases.iter().map(|c| {
        let v = &c.variant;
        let d = format!(
            " {}: {}",
            c.status.label(),
            c.description
                .as_deref()
                .unwrap_or_default()
                .lines()
                .next()
                .unwrap_or("")
                .trim()
        );
        match &c.body {
            ResponseBody::Empty => quote!(#[doc = #d] #v,),
            body => {
                let t = body_type(body);
                quote!(#[doc = #d] #v(#t),)
            }
        }
    });
    let mut has_default = false;
    let arms: Vec<TokenStream> = op
        .success
        .cases
        .iter()
        .map(|c| {
            let v = &c.variant;
            let pattern = match c.status {
                StatusMatch::Code(code) => quote!(#code),
                StatusMatch::Range(r) => {
                    let (lo, hi) = (u16::from(r) * 100, u16::from(r) * 100 + 99);
                    quote!(#lo..=#hi)
                }
                StatusMatch::Default => {
                    has_default = true;
                    quote!(_)
                }
            };
            let decoded = match &c.body {
                ResponseBody::Json(_) => quote!(#rt::response_body::json(body).map(Self::#v)),
                ResponseBody::Text => quote!(#rt::response_body::text(body).map(Self::#v)),
                ResponseBody::Bytes => {
                    quote!(::std::result::Result::Ok(Self::#v(::std::clone::Clone::clone(body))))
                }
                ResponseBody::Empty => quote!(::std::result::Result::Ok(Self::#v)),
            };
            quote!(#pattern => ::std::option::Option::Some(#decoded),)
        })
        .collect();
    let fallback = if has_default {
        quote!()
    } else {
        quote!(_ => ::std::option::Option::None,)
    };
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
        }

        impl #rt::SuccessBody for #name {
            fn from_status(status: u16, body: &#rt::bytes::Bytes) -> ::std::option::Option<::std::result::Result<Self, ::serde_json::Error>> {
                match status {
                    #(#arms)*
                    #fallback
                }
            }
        }
    }
}
