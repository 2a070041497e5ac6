//! Type references as tokens. Generated code needs no imports: std types are named by their
//! prelude names (which no generated type may take, see `naming::reserved::TYPES`), everything else by
//! a path from the crate root.

use crate::ir::TypeRef;
use crate::naming::Ident;
use crate::profile::PROFILE;
use proc_macro2::TokenStream;
use quote::quote;

/// The path of the runtime crate in generated code: its re-export at the crate root, which
/// is shorter than the crate's own name and is the path users see too.
pub fn rt() -> TokenStream {
    quote!(crate::runtime)
}

/// The runtime crate by its own name, for the root's re-export.
pub fn rt_crate() -> TokenStream {
    // The profile is a constant whose crate name a test checks is an identifier.
    let name = proc_macro2::Ident::new(&PROFILE.runtime_crate(), proc_macro2::Span::call_site());
    quote!(::#name)
}

/// The Rust type for a type reference.
pub fn ty(t: &TypeRef) -> TokenStream {
    ty_in(t, &quote!(crate::models::))
}

/// [`ty`] as written in `models.rs` itself, where the models are in scope by their bare
/// names (no model may take a prelude type's name, so none shadows `String` or `Vec`).
pub fn local_ty(t: &TypeRef) -> TokenStream {
    ty_in(t, &quote!())
}

/// The Rust type for a type reference, with `models` before a model's name.
fn ty_in(t: &TypeRef, models: &TokenStream) -> TokenStream {
    let rt = rt();
    let ty = |inner: &TypeRef| ty_in(inner, models);
    match t {
        TypeRef::String => quote!(String),
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
        // A free-form object is a `Value` rather than a `Map`, so a caller can write it as
        // `json!({..})` (and a `Map` still converts); union variants keep the `Map`, see
        // `object_ty`.
        TypeRef::Any | TypeRef::FreeForm => quote!(::serde_json::Value),
        TypeRef::Map(inner) => {
            let inner = ty(inner);
            quote!(::std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Vec(inner) => {
            let inner = ty(inner);
            quote!(Vec<#inner>)
        }
        TypeRef::Named(n) => quote!(#models #n),
        TypeRef::Boxed(inner) => {
            let inner = ty(inner);
            quote!(Box<#inner>)
        }
    }
}

/// [`ty`], except that a free-form object stays a `Map`: for a union's variants, which are
/// tried in order and told apart by their types, where a `Value` would match anything.
pub fn object_ty(t: &TypeRef) -> TokenStream {
    match t {
        TypeRef::FreeForm => quote!(::serde_json::Map<String, ::serde_json::Value>),
        other => ty(other),
    }
}

/// A setter's argument type and the expression that converts the argument `var` into the
/// stored type.
pub fn setter_arg(t: &TypeRef, var: &Ident) -> (TokenStream, TokenStream) {
    match t {
        TypeRef::Vec(inner) => {
            let inner = ty(inner);
            (
                quote!(impl IntoIterator<Item = impl Into<#inner>>),
                quote!(#var.into_iter().map(Into::into).collect()),
            )
        }
        other => {
            let t = ty(other);
            (quote!(impl Into<#t>), quote!(#var.into()))
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
        TypeRef::Any | TypeRef::FreeForm => "Value".into(),
        TypeRef::Map(i) => format!("BTreeMap<String, {}>", display(i)),
        TypeRef::Vec(i) => format!("Vec<{}>", display(i)),
        TypeRef::Named(n) => n.bare().to_string(),
        TypeRef::Boxed(i) => format!("Box<{}>", display(i)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{TypeId, TypeName};

    /// The public-surface listing's names, nested types included.
    #[test]
    fn display_names_every_type() {
        let user = TypeRef::Named(TypeName::named(TypeId(0), crate::naming::pascal("user")));
        let cases = [
            (TypeRef::String, "String"),
            (TypeRef::Secret, "SecretString"),
            (TypeRef::Bool, "bool"),
            (TypeRef::I32, "i32"),
            (TypeRef::U64, "u64"),
            (TypeRef::F32, "f32"),
            (TypeRef::Bytes, "Base64Bytes"),
            (TypeRef::I64, "i64"),
            (TypeRef::F64, "f64"),
            (TypeRef::Date, "Date"),
            (TypeRef::DateTime, "DateTime"),
            (TypeRef::Any, "Value"),
            (TypeRef::FreeForm, "Value"),
            (
                TypeRef::Map(Box::new(TypeRef::Vec(Box::new(user.clone())))),
                "BTreeMap<String, Vec<User>>",
            ),
            (TypeRef::Boxed(Box::new(user)), "Box<User>"),
        ];
        for (ty, want) in cases {
            assert_eq!(display(&ty), want);
        }
    }
}
