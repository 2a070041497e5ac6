//! Integer enums (`type: integer, enum: [1, 2, 3]`): an open enum like the string ones, whose
//! catch-all holds any other integer, sent and read as a JSON number.

use super::docs::doc_attrs;
use super::types::rt;
use crate::ir::EnumModel;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// The enum and its trait impls.
pub fn int_enum_model(e: &EnumModel) -> TokenStream {
    let name = &e.name;
    let rt = rt();
    let default_doc = format!("The `{}` values.", name.bare());
    let doc = doc_attrs(&[e.description.as_deref().unwrap_or(&default_doc)]);
    let catch = &e.catch_all;
    // Values were checked to be i64 when lowered; one that is not would make no variant.
    let values: Vec<(&crate::naming::Ident, Literal)> = e
        .variants
        .iter()
        .filter_map(|(v, wire)| {
            wire.parse::<i64>()
                .ok()
                .map(|n| (v, Literal::i64_unsuffixed(n)))
        })
        .collect();
    let variants = values.iter().map(|(v, n)| {
        let d = format!(" `{n}`");
        quote!(#[doc = #d] #v,)
    });
    let to_value = values.iter().map(|(v, n)| quote!(Self::#v => #n,));
    let from_value = values.iter().map(|(v, n)| quote!(#n => Self::#v,));
    let catch_doc = if e.request_only {
        " A value this crate does not list; sent as written, so new server values need no new release."
    } else {
        " A value this crate does not know yet, kept as received so it round-trips."
    };
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#variants)*
            #[doc = #catch_doc]
            #catch(i64),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn value(&self) -> i64 {
                match self {
                    #(#to_value)*
                    Self::#catch(value) => *value,
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.value(), f)
            }
        }

        impl From<i64> for #name {
            fn from(value: i64) -> Self {
                match value {
                    #(#from_value)*
                    other => Self::#catch(other),
                }
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <i64 as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(value))
            }
        }

        impl #rt::codegen::QueryValue for #name {
            fn push_to(&self, name: &str, out: &mut #rt::codegen::QueryPairs) {
                #rt::codegen::QueryValue::push_to(&self.value(), name, out)
            }
        }
    }
}
