//! A request builder's body: the builder fields, constructor values, setters and the
//! statement that encodes the body into the request.
//!
//! An object body (JSON, or a form when the operation takes no JSON) gets a setter per field
//! and `.body(model)`; when the operation also takes the object as a form, `.form_body(model)`
//! sets it and switches the encoding. Kinds given whole (multipart, text, bytes) get one
//! setter each and share one builder slot: whichever body setter ran last decides what is
//! sent (a field setter clears a body given whole, a whole-body setter replaces the fields).

use super::docs::doc_attrs;
use super::models::{FieldKind, field_kind, field_type};
use super::types::{rt, setter_arg};
use crate::ir::*;
use crate::naming::Ident;
use crate::naming::reserved::{self, BODY};
use proc_macro2::TokenStream;
use quote::quote;

/// The body's contribution to a request builder.
#[derive(Default)]
pub struct BodyItems {
    /// Builder fields.
    pub fields: Vec<TokenStream>,
    /// Their initial values in `new`.
    pub inits: Vec<TokenStream>,
    /// Setters.
    pub setters: Vec<TokenStream>,
    /// Statements of `send_with_metadata` that put the body into `request`.
    pub build: TokenStream,
    /// Whether a deprecated field is moved around (the impl then allows `deprecated`).
    pub touches_deprecated: bool,
}

/// A sentence for the builder's docs when the operation takes several body kinds: how the
/// caller picks one. Empty otherwise.
pub fn kinds_doc(op: &Operation) -> String {
    let Some(body) = &op.body else {
        return String::new();
    };
    let mut setters: Vec<String> = Vec::new();
    if let Some(o) = &body.object {
        setters.push("the body property setters or `body` (JSON)".into());
        if let Some(f) = &o.form_setter {
            setters.push(format!("`{}` (a form)", f.bare()));
        }
    }
    setters.extend(body.whole.iter().map(|w| format!("`{}`", w.setter.bare())));
    if setters.len() < 2 {
        return String::new();
    }
    format!(
        " The operation takes several body kinds: {}; the kind of the body setter called last is sent.",
        setters.join(", ")
    )
}

/// One object field with its builder names.
struct Slot<'a> {
    setter: &'a Ident,
    null_setter: Option<&'a Ident>,
    field: &'a Field,
    kind: FieldKind,
}

/// The body items of `op` (empty when it takes no body).
pub fn body_items(api: &Api, op: &Operation) -> BodyItems {
    let Some(body) = &op.body else {
        return BodyItems::default();
    };
    let mut items = BodyItems::default();
    // Setting a field or the object means the object is sent, instead of a body given whole.
    let whole_slot = body.whole_slot.as_ref();
    let clear_whole = whole_slot.map(|w| quote!(self.#w = None;));
    let object = body.object.as_ref().and_then(|o| {
        let model = match api.model(o.model.id()) {
            Some(Model::Struct(s)) => s,
            _ => return None,
        };
        Some((o, model))
    });
    let object_build = match object {
        Some((o, model)) => object_items(&mut items, op, o, model, clear_whole.as_ref()),
        None => quote!(),
    };
    if let Some(w) = whole_slot {
        whole_items(&mut items, body, w);
    }
    let rt = rt();
    let op_id = &op.operation_id;
    items.build = match (whole_slot, body.object.is_some(), body.required) {
        (None, _, _) => object_build,
        (Some(w), true, _) => quote! {
            match &self.#w {
                Some(payload) => request.payload(payload)?,
                None => { #object_build }
            }
        },
        (Some(w), false, true) => quote! {
            let payload = self.#w.as_ref().ok_or(#rt::BuildError::missing_field(#op_id, "request body"))?;
            request.payload(payload)?;
        },
        (Some(w), false, false) => quote! {
            if let Some(payload) = &self.#w {
                request.payload(payload)?;
            }
        },
    };
    items
}

/// Fields, setters and `.body(model)` of an object body; returns the statements that build
/// and encode it.
fn object_items(
    items: &mut BodyItems,
    op: &Operation,
    o: &ObjectBody,
    model: &StructModel,
    clear_whole: Option<&TokenStream>,
) -> TokenStream {
    let rt = rt();
    let slots: Vec<Slot<'_>> = o
        .setters
        .iter()
        .filter_map(|s| {
            let field = model.fields.get(s.field)?;
            Some(Slot {
                setter: &s.setter,
                null_setter: s.null_setter.as_ref(),
                field,
                kind: field_kind(model, field),
            })
        })
        .collect();
    items.touches_deprecated = slots.iter().any(|s| s.field.deprecated);
    let extra_slot = &o.extra_slot;
    let presence = o.presence_slot.as_ref();
    // Setting anything on an optional body means it is sent.
    let mark_present = presence.map(|p| quote!(self.#p = true;));
    let touched = quote!(#mark_present #clear_whole);

    for s in &slots {
        let n = s.setter;
        let t = field_type(s.kind, &s.field.ty);
        items.fields.push(match s.kind {
            FieldKind::Plain | FieldKind::RequiredNullable => {
                quote!(#n: Option<#t>,)
            }
            FieldKind::Optional | FieldKind::Tristate => quote!(#n: #t,),
        });
        items.inits.push(quote!(#n: Default::default(),));
    }
    if model.keep_unknown {
        items
            .fields
            .push(quote!(#extra_slot: ::serde_json::Map<String, ::serde_json::Value>,));
        items
            .inits
            .push(quote!(#extra_slot: ::serde_json::Map::new(),));
    }
    for flag in [presence, o.form_flag.as_ref()].into_iter().flatten() {
        items.fields.push(quote!(#flag: bool,));
        items.inits.push(quote!(#flag: false,));
    }

    // Every setter takes its argument as `value` (never a parameter name: those are fields).
    let value = crate::naming::snake("value");
    for s in &slots {
        let n = s.setter;
        let (arg, conv) = setter_arg(&s.field.ty, &value);
        let fallback = format!("Sets the `{}` body property.", s.field.wire_name);
        let doc = doc_attrs(&[s.field.description.as_deref().unwrap_or(&fallback)]);
        let store = match s.kind {
            FieldKind::Plain | FieldKind::Optional => {
                quote!(Some(#conv))
            }
            FieldKind::RequiredNullable => {
                quote!(Some(Some(#conv)))
            }
            FieldKind::Tristate => quote!(#rt::Nullable::Value(#conv)),
        };
        let deprecated = if s.field.deprecated {
            quote!(#[deprecated])
        } else {
            quote!()
        };
        items.setters.push(quote! {
            #doc
            #deprecated
            pub fn #n(mut self, value: #arg) -> Self {
                self.#n = #store;
                #touched
                self
            }
        });
        if let (Some(null_name), FieldKind::RequiredNullable | FieldKind::Tristate) =
            (s.null_setter, s.kind)
        {
            let d = format!(" Sends `{}` as an explicit JSON `null`.", s.field.wire_name);
            let store = match s.kind {
                FieldKind::Tristate => quote!(#rt::Nullable::Null),
                _ => quote!(Some(None)),
            };
            items.setters.push(quote! {
                #[doc = #d]
                pub fn #null_name(mut self) -> Self {
                    self.#n = #store;
                    #touched
                    self
                }
            });
        }
    }
    items
        .setters
        .push(whole_object_setters(o, model, &slots, &touched));
    object_build(op, o, model, &slots)
}

/// `.body(model)`, and `.form_body(model)` when the object may also go as a form.
fn whole_object_setters(
    o: &ObjectBody,
    model: &StructModel,
    slots: &[Slot<'_>],
    touched: &TokenStream,
) -> TokenStream {
    let model_name = &model.name;
    let extra_slot = &o.extra_slot;
    let assigns = slots.iter().map(|s| {
        let n = s.setter;
        let f = &s.field.rust_name;
        match s.kind {
            FieldKind::Plain | FieldKind::RequiredNullable => {
                quote!(self.#n = Some(body.#f);)
            }
            FieldKind::Optional | FieldKind::Tristate => quote!(self.#n = body.#f;),
        }
    });
    let extra_assign = if model.keep_unknown {
        let e = &model.extra_field;
        quote!(self.#extra_slot = body.#e;)
    } else {
        quote!()
    };
    let as_json = o.form_flag.as_ref().map(|f| quote!(self.#f = false;));
    let encoding = match (o.encoding, &o.form_setter) {
        (ObjectEncoding::Form, _) => " Sent as `application/x-www-form-urlencoded`.",
        (ObjectEncoding::Json, Some(_)) => {
            " Sent as JSON (use the `form_body` setter to send it as a form instead)."
        }
        (ObjectEncoding::Json, None) => "",
    };
    let d = format!(
        " Sets the whole request body from a [`{}`](crate::models::{}), replacing every body property set so far.{encoding}",
        model_name.bare(),
        model_name.bare()
    );
    let body_setter = reserved::ident(BODY);
    let form = match (&o.form_setter, &o.form_flag) {
        (Some(setter), Some(flag)) => {
            let d = format!(
                " Sets the whole request body from a [`{}`](crate::models::{}) like `body`, and sends it as `application/x-www-form-urlencoded` (fields as pairs) instead of JSON.",
                model_name.bare(),
                model_name.bare()
            );
            quote! {
                #[doc = #d]
                pub fn #setter(self, body: crate::models::#model_name) -> Self {
                    let mut this = self.#body_setter(body);
                    this.#flag = true;
                    this
                }
            }
        }
        _ => quote!(),
    };
    quote! {
        #[doc = #d]
        pub fn #body_setter(mut self, body: crate::models::#model_name) -> Self {
            #(#assigns)*
            #extra_assign
            #as_json
            #touched
            self
        }

        #form
    }
}

/// Builds the model from the builder's fields and encodes it.
fn object_build(
    op: &Operation,
    o: &ObjectBody,
    model: &StructModel,
    slots: &[Slot<'_>],
) -> TokenStream {
    let rt = rt();
    let op_id = &op.operation_id;
    let model_name = &model.name;
    let inits = slots.iter().map(|s| {
        let n = s.setter;
        let f = &s.field.rust_name;
        let wire = &s.field.wire_name;
        match s.kind {
            FieldKind::Plain | FieldKind::RequiredNullable => quote! {
                #f: #rt::codegen::required(self.#n, #op_id, #wire)?,
            },
            FieldKind::Optional | FieldKind::Tristate => quote!(#f: self.#n,),
        }
    });
    let extra = if model.keep_unknown {
        let e = &model.extra_field;
        let slot = &o.extra_slot;
        quote!(#e: self.#slot,)
    } else {
        quote!()
    };
    let json = match &o.json_media_type {
        Some(media) => quote!(request.json_body_as(&body, #media)?;),
        None => quote!(request.json_body(&body)?;),
    };
    let encode = match (o.encoding, &o.form_flag) {
        (ObjectEncoding::Form, _) => quote!(request.form_body(&body)?;),
        (ObjectEncoding::Json, Some(flag)) => quote! {
            if self.#flag {
                request.form_body(&body)?;
            } else {
                #json
            }
        },
        (ObjectEncoding::Json, None) => json,
    };
    let build = quote! {
        let body = crate::models::#model_name { #(#inits)* #extra };
        #encode
    };
    match &o.presence_slot {
        Some(p) => quote!(if self.#p { #build }),
        None => build,
    }
}

/// The slot and setters of the kinds given whole.
fn whole_items(items: &mut BodyItems, body: &Body, slot: &Ident) {
    let rt = rt();
    items.fields.push(quote!(#slot: Option<#rt::Payload>,));
    items.inits.push(quote!(#slot: None,));
    let replaces = if body.object.is_some() {
        " It replaces the body properties set so far; setting one afterwards sends the properties instead."
    } else {
        ""
    };
    for w in &body.whole {
        let n = &w.setter;
        let (args, payload, what) = match &w.kind {
            WholeKind::Multipart { parts } => (
                quote!(value: #rt::Multipart),
                quote!(#rt::Payload::Multipart(value)),
                multipart_doc(parts),
            ),
            WholeKind::Text { content_type } => (
                quote!(value: impl Into<String>),
                quote!(#rt::Payload::Raw { body: #rt::bytes::Bytes::from(value.into()), content_type: String::from(#content_type) }),
                format!("text, sent as `{content_type}`."),
            ),
            WholeKind::Json { ty, content_type } => {
                let value = crate::naming::snake("value");
                let (arg, conv) = setter_arg(ty, &value);
                let ct = match content_type {
                    Some(ct) => quote!(::std::option::Option::Some(#ct)),
                    None => quote!(::std::option::Option::None),
                };
                (
                    quote!(value: #arg),
                    {
                        let t = super::types::ty(ty);
                        quote!({
                            let value: #t = #conv;
                            #rt::Payload::json(&value, #ct)
                        })
                    },
                    format!("JSON (`{}`), given whole.", w.media_type.trim()),
                )
            }
            WholeKind::Bytes {
                content_type: Some(ct),
            } => (
                quote!(value: impl Into<#rt::bytes::Bytes>),
                quote!(#rt::Payload::Raw { body: value.into(), content_type: String::from(#ct) }),
                format!("bytes, sent as `{ct}`."),
            ),
            WholeKind::Bytes { content_type: None } => (
                quote!(value: impl Into<#rt::bytes::Bytes>, content_type: impl Into<String>),
                quote!(#rt::Payload::Raw { body: value.into(), content_type: content_type.into() }),
                format!(
                    "bytes, sent under `content_type` (the spec accepts `{}`).",
                    w.media_type
                ),
            ),
        };
        let d = format!(" Sets the request body as {what}{replaces}");
        items.setters.push(quote! {
            #[doc = #d]
            pub fn #n(mut self, #args) -> Self {
                self.#slot = Some(#payload);
                self
            }
        });
    }
}

/// The doc of a multipart setter: the parts the spec lists.
fn multipart_doc(parts: &[(String, bool)]) -> String {
    let listed: Vec<String> = parts
        .iter()
        .map(|(name, file)| {
            if *file {
                format!("`{name}` (a file: `Multipart::file`, `file_path` or `file_stream`)")
            } else {
                format!("`{name}`")
            }
        })
        .collect();
    if listed.is_empty() {
        "`multipart/form-data`, built with `Multipart::text` and `Multipart::file` (or `file_path`, `file_stream`).".into()
    } else {
        format!(
            "`multipart/form-data`, built with `Multipart::text` and `Multipart::file` (or `file_path`, `file_stream`). The spec lists the parts {}.",
            listed.join(", ")
        )
    }
}

#[cfg(test)]
mod tests;
