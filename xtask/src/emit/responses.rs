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
        ResponseBody::Text => quote!(String),
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

/// The method of the raw response that decodes the success value (or the error), which the
/// runtime's `request_builder_methods!` calls; its types come from `send_with_metadata`'s
/// return type there.
pub fn finish(op: &Operation) -> TokenStream {
    if op.success.enum_name.is_some() {
        return quote!(into_success);
    }
    match op.success.single() {
        Some(ResponseBody::Json(_)) => quote!(into_json),
        Some(ResponseBody::Text) => quote!(into_text),
        // A download: handed over unread (see `accept`).
        Some(ResponseBody::Bytes) => quote!(into_stream),
        Some(ResponseBody::Empty) | None => quote!(into_unit),
    }
}

/// `request.set_accept(..)` when a documented response is not JSON, and
/// `request.stream_success_body()` for a download.
pub fn accept(op: &Operation) -> TokenStream {
    let accept = match &op.success.accept {
        Some(media) => quote!(request.set_accept(#media)?;),
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
        let d = super::errors::status_doc(c.status, c.description.as_deref());
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
            has_default |= c.status == StatusMatch::Default;
            let pattern = super::errors::status_pattern(c.status);
            let decoded = match &c.body {
                ResponseBody::Json(_) => {
                    quote!(#rt::codegen::response_body::json(body).map(Self::#v))
                }
                ResponseBody::Text => quote!(#rt::codegen::response_body::text(body).map(Self::#v)),
                ResponseBody::Bytes => {
                    quote!(Ok(Self::#v(::std::clone::Clone::clone(body))))
                }
                ResponseBody::Empty => quote!(Ok(Self::#v)),
            };
            quote!(#pattern => Some(#decoded),)
        })
        .collect();
    let fallback = if has_default {
        quote!()
    } else {
        quote!(_ => None,)
    };
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
        }

        impl #rt::codegen::SuccessBody for #name {
            fn from_status(status: u16, body: &#rt::bytes::Bytes) -> Option<Result<Self, ::serde_json::Error>> {
                match status {
                    #(#arms)*
                    #fallback
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one operation of a spec whose `GET /a` answers `responses`.
    fn operation(responses: &str) -> Operation {
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses: {{{responses}}}\n"
        );
        let (api, _) = crate::lower::tests::lowered(&text);
        api.groups[0].operations[0].clone()
    }

    const PNG: &str = "'200': {description: ok, content: {image/png: {}}}";
    const JSON: &str =
        "'200': {description: ok, content: {application/json: {schema: {type: object}}}}";
    const PNG_OR_JSON: &str = "'200': {description: ok, content: {image/png: {}}}, '202': {description: later, content: {application/json: {schema: {type: object}}}}";

    #[test]
    fn a_single_binary_body_is_streamed_and_nothing_else_is() {
        let download = operation(PNG);
        assert!(streamed(&download));
        let asks = accept(&download).to_string();
        assert!(asks.contains("set_accept"), "{asks}");
        assert!(asks.contains("stream_success_body"), "{asks}");
        assert_eq!(finish(&download).to_string(), "into_stream");
        assert!(success_type(&download).to_string().ends_with("ByteStream"));

        let json = operation(JSON);
        assert!(!streamed(&json));
        assert!(!accept(&json).to_string().contains("stream_success_body"));
        assert_eq!(finish(&json).to_string(), "into_json");

        // Bytes among several success bodies are read whole, to pick the variant.
        let either = operation(PNG_OR_JSON);
        assert!(!streamed(&either));
        let asks = accept(&either).to_string();
        assert!(!asks.contains("stream_success_body"), "{asks}");
        assert_eq!(finish(&either).to_string(), "into_success");
    }

    #[test]
    fn several_success_bodies_make_an_enum_decoded_by_status() {
        assert!(success_enum(&operation(JSON)).is_empty());
        let either = operation(PNG_OR_JSON);
        let out = success_enum(&either).to_string();
        let name = either
            .success
            .enum_name
            .as_ref()
            .map(|n| n.bare().to_string());
        let name = name.unwrap_or_default();
        assert!(out.contains(&format!("pub enum {name}")), "{out}");
        assert!(
            out.contains("impl crate :: runtime :: codegen :: SuccessBody for"),
            "{out}"
        );
        // 200 carries the bytes as they came, 202 the decoded JSON; any other status is None.
        assert!(
            out.contains("Ok (crate :: runtime :: bytes :: Bytes) ,"),
            "{out}"
        );
        let bytes_arm =
            "200u16 => Some (Ok (Self :: Ok (:: std :: clone :: Clone :: clone (body))))";
        assert!(out.contains(bytes_arm), "{out}");
        let json_arm = "202u16 => Some (crate :: runtime :: codegen :: response_body :: json (body) . map (Self :: Accepted))";
        assert!(out.contains(json_arm), "{out}");
        assert!(out.contains("_ => None ,"), "{out}");
    }

    #[test]
    fn the_send_docs_say_what_arrives_unless_it_is_one_json_value() {
        assert_eq!(success_doc(&operation(JSON)), None);
        let text = operation("'200': {description: ok, content: {text/plain: {}}}");
        assert_eq!(
            success_doc(&text).as_deref(),
            Some("The body comes back as text.")
        );
        let either = success_doc(&operation(PNG_OR_JSON)).unwrap_or_default();
        assert!(
            either.starts_with("Which documented success status arrived"),
            "{either}"
        );
        assert!(success_doc(&operation(PNG)).is_some_and(|d| !d.is_empty()));
    }
}
