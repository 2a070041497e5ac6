//! Type references as tokens, with fully qualified paths so generated code needs no imports.

use crate::ir::TypeRef;
use crate::naming::Ident;
use proc_macro2::TokenStream;
use quote::quote;

/// The path of the runtime crate in generated code.
pub fn rt() -> TokenStream {
    quote!(::cld_provisioning_runtime)
}

/// The Rust type for a type reference.
pub fn ty(t: &TypeRef) -> TokenStream {
    let rt = rt();
    match t {
        TypeRef::String => quote!(::std::string::String),
        TypeRef::Secret => quote!(#rt::SecretString),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::U64 => quote!(u64),
        TypeRef::F32 => quote!(f32),
        TypeRef::Bytes => quote!(#rt::Base64Bytes),
        TypeRef::I64 => quote!(i64),
        TypeRef::F64 => quote!(f64),
        TypeRef::Date => quote!(#rt::Date),
        TypeRef::DateTime => quote!(#rt::DateTime),
        TypeRef::Any => quote!(::serde_json::Value),
        TypeRef::FreeForm => quote!(::serde_json::Map<::std::string::String, ::serde_json::Value>),
        TypeRef::Map(inner) => {
            let inner = ty(inner);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
        TypeRef::Vec(inner) => {
            let inner = ty(inner);
            quote!(::std::vec::Vec<#inner>)
        }
        TypeRef::Named(n) => quote!(crate::models::#n),
        TypeRef::Boxed(inner) => {
            let inner = ty(inner);
            quote!(::std::boxed::Box<#inner>)
        }
    }
}

/// A setter's argument type and the expression that converts the argument `var` into the
/// stored type.
pub fn setter_arg(t: &TypeRef, var: &Ident) -> (TokenStream, TokenStream) {
    match t {
        TypeRef::Vec(inner) => {
            let inner = ty(inner);
            (
                quote!(impl ::std::iter::IntoIterator<Item = impl ::std::convert::Into<#inner>>),
                quote!(#var.into_iter().map(::std::convert::Into::into).collect()),
            )
        }
        other => {
            let t = ty(other);
            (quote!(impl ::std::convert::Into<#t>), quote!(#var.into()))
        }
    }
}

/// A short human name of a type, for the public-surface listing.
pub fn display(t: &TypeRef) -> String {
    match t {
        TypeRef::String => "String".into(),
        TypeRef::Secret => "SecretString".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::I32 => "i32".into(),
        TypeRef::U64 => "u64".into(),
        TypeRef::F32 => "f32".into(),
        TypeRef::Bytes => "Base64Bytes".into(),
        TypeRef::I64 => "i64".into(),
        TypeRef::F64 => "f64".into(),
        TypeRef::Date => "Date".into(),
        TypeRef::DateTime => "DateTime".into(),
        TypeRef::Any => "Value".into(),
        TypeRef::FreeForm => "Map<String, Value>".into(),
        TypeRef::Map(i) => format!("BTreeMap<String, {}>", display(i)),
        TypeRef::Vec(i) => format!("Vec<{}>", display(i)),
        TypeRef::Named(n) => n.bare().to_string(),
        TypeRef::Boxed(i) => format!("Box<{}>", display(i)),
    }
}
