//! A generated `Deserialize` for objects that keep unknown properties.
//!
//! `#[serde(flatten)]` on the `extra` map makes serde's derive buffer every object into its
//! private `Content` tree (each key and value copied) and then decode the struct from that
//! copy. The benchmark (`tests/bench`, issue 7) showed it costing the SDK a large share of the
//! time and memory of decoding a 10,000-user list. The visitor emitted here reads the map once:
//! known keys decode straight into their field, any other key goes into `extra` as a
//! `serde_json::Value`. The derive's behaviour is kept: a required property that is missing
//! is an error naming it (`missing field \`id\``), a repeated known property is an error,
//! `null` and absent mean what the field's type says (`Option`, `Nullable`), and only objects
//! are accepted (flatten never accepted arrays either).

use super::models::{FieldKind, field_kind};
use crate::ir::{Model, StructModel};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// The module name of the shared helpers; snake case, so no model (PascalCase) can take it.
fn support() -> TokenStream {
    quote!(crate::models::deserialize_support)
}

/// Whether any model gets the generated visitor (and so needs [`support_module`]).
pub fn any_keeps_unknown(models: &[Model]) -> bool {
    models
        .iter()
        .any(|m| matches!(m, Model::Struct(s) if s.keep_unknown))
}

/// The helpers every visitor uses, emitted once at the end of `models.rs`.
pub fn support_module() -> TokenStream {
    quote! {
        /// Helpers of the generated `Deserialize` impls of the models above.
        mod deserialize_support {
            /// An object key: borrowed from the input when the input allows it (no escapes),
            /// so a known key is matched without allocating.
            pub(crate) struct Key<'de>(::std::borrow::Cow<'de, str>);

            impl Key<'_> {
                /// The key's text.
                pub(crate) fn as_str(&self) -> &str {
                    &self.0
                }

                /// The key as an owned string, for the `extra` map.
                pub(crate) fn into_string(self) -> ::std::string::String {
                    self.0.into_owned()
                }
            }

            impl<'de> ::serde::Deserialize<'de> for Key<'de> {
                fn deserialize<D: ::serde::Deserializer<'de>>(
                    deserializer: D,
                ) -> ::std::result::Result<Self, D::Error> {
                    deserializer.deserialize_str(KeyVisitor)
                }
            }

            struct KeyVisitor;

            impl<'de> ::serde::de::Visitor<'de> for KeyVisitor {
                type Value = Key<'de>;

                fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str("an object key")
                }

                fn visit_borrowed_str<E: ::serde::de::Error>(
                    self,
                    v: &'de str,
                ) -> ::std::result::Result<Key<'de>, E> {
                    Ok(Key(::std::borrow::Cow::Borrowed(v)))
                }

                fn visit_str<E: ::serde::de::Error>(
                    self,
                    v: &str,
                ) -> ::std::result::Result<Key<'de>, E> {
                    Ok(Key(::std::borrow::Cow::Owned(v.to_owned())))
                }

                fn visit_string<E: ::serde::de::Error>(
                    self,
                    v: ::std::string::String,
                ) -> ::std::result::Result<Key<'de>, E> {
                    Ok(Key(::std::borrow::Cow::Owned(v)))
                }
            }

            /// Decodes the current value into `slot`; a second value for the same property is
            /// an error, as with serde's derive.
            pub(crate) fn fill<'de, T, A>(
                slot: &mut ::std::option::Option<T>,
                map: &mut A,
                name: &'static str,
            ) -> ::std::result::Result<(), A::Error>
            where
                T: ::serde::Deserialize<'de>,
                A: ::serde::de::MapAccess<'de>,
            {
                if slot.is_some() {
                    return Err(<A::Error as ::serde::de::Error>::duplicate_field(name));
                }
                *slot = Some(map.next_value()?);
                Ok(())
            }
        }
    }
}

/// The slot variable of the `i`th field (field names never become locals, so a property
/// called `map` or `key` cannot collide with the visitor's own names).
fn slot(i: usize) -> Ident {
    Ident::new(&format!("slot_{i}"), Span::call_site())
}

/// `impl Deserialize for <model>` reading the object in one pass.
pub fn deserialize_impl(s: &StructModel) -> TokenStream {
    let name = &s.name;
    let path = quote!(crate::models::#name);
    let support = support();
    let expecting = format!("struct {}", name.bare());
    // Each slot's type is inferred from the field it initialises.
    let slots = (0..s.fields.len()).map(|i| {
        let slot = slot(i);
        quote!(let mut #slot = ::std::option::Option::None;)
    });
    let arms = s.fields.iter().enumerate().map(|(i, f)| {
        let slot = slot(i);
        let wire = &f.wire_name;
        quote!(#wire => de::fill(&mut #slot, &mut map, #wire)?,)
    });
    let inits = s.fields.iter().enumerate().map(|(i, f)| {
        let slot = slot(i);
        let field = &f.rust_name;
        let wire = &f.wire_name;
        match field_kind(s, f) {
            FieldKind::Plain => quote! {
                #field: #slot.ok_or_else(|| {
                    <A::Error as ::serde::de::Error>::missing_field(#wire)
                })?,
            },
            // Absent means `None` / unset, exactly what `#[serde(default)]` gave.
            _ => quote!(#field: #slot.unwrap_or_default(),),
        }
    });
    let extra = &s.extra_field;
    let keep_unknown = quote! {
        let value = map.next_value::<::serde_json::Value>()?;
        #extra.insert(key.into_string(), value);
    };
    // A model with no declared property keeps every key; a `match` with one arm would not
    // pass clippy.
    let route = if s.fields.is_empty() {
        keep_unknown
    } else {
        quote! {
            match key.as_str() {
                #(#arms)*
                _ => { #keep_unknown }
            }
        }
    };
    let allow_deprecated = if s.fields.iter().any(|f| f.deprecated) {
        quote!(#[allow(deprecated)])
    } else {
        quote!()
    };
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                struct ObjectVisitor;

                impl<'de> ::serde::de::Visitor<'de> for ObjectVisitor {
                    type Value = #path;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }

                    #allow_deprecated
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> ::std::result::Result<#path, A::Error> {
                        use #support as de;
                        #(#slots)*
                        let mut #extra = ::serde_json::Map::new();
                        while let ::std::option::Option::Some(key) =
                            map.next_key::<de::Key<'de>>()?
                        {
                            #route
                        }
                        ::std::result::Result::Ok(#path {
                            #(#inits)*
                            #extra,
                        })
                    }
                }

                deserializer.deserialize_map(ObjectVisitor)
            }
        }
    }
}
