//! Unions (`oneOf`, `anyOf`, 3.1 type lists): an enum with one tuple variant per member, a
//! `Serialize` that writes the member as it is (with the variant's tag, for a tagged union),
//! and a `Deserialize` that hands the decision to the runtime's `union` module (by tag, or
//! first match in spec order).

use super::docs::doc_attrs;
use super::types::{object_ty, rt};
use crate::ir::{UnionMatching, UnionModel};
use proc_macro2::TokenStream;
use quote::quote;

/// The enum and its trait impls.
pub fn union_model(u: &UnionModel) -> TokenStream {
    let name = &u.name;
    let label = name.bare();
    let doc = doc_attrs(&[
        u.description
            .as_deref()
            .unwrap_or(&format!("The `{label}` union.")),
        &matching_doc(u),
    ]);
    let variants = u.variants.iter().map(|v| {
        let vname = &v.name;
        let t = object_ty(&v.ty);
        let default_doc = match v.tags.as_slice() {
            [] => format!("The `{}` variant.", vname.bare()),
            tags => format!("Tagged {}.", quoted(tags)),
        };
        let vdoc = doc_attrs(&[v.description.as_deref().unwrap_or(&default_doc)]);
        quote!(#vdoc #vname(#t),)
    });
    let catch_all = match &u.matching {
        UnionMatching::Tagged {
            catch_all,
            property,
        } => {
            let cdoc = format!(
                "A `{property}` this crate does not know, with the value as received, so a newer server's variants still decode."
            );
            let cdoc = doc_attrs(&[&cdoc]);
            quote!(#cdoc #catch_all(::serde_json::Value),)
        }
        UnionMatching::Untagged => quote!(),
    };
    let conversions = from_impls(u);
    let serialize = serialize_impl(u);
    let deserialize = deserialize_impl(u);
    let debug = debug_impl(u);
    quote! {
        #doc
        #[derive(Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
            #catch_all
        }
        #debug
        #(#conversions)*
        #serialize
        #deserialize
    }
}

/// `From<T>` for each variant whose type no other variant has, so a value of that type goes
/// wherever the union is asked for (`impl Into<Union>` setters and constructors).
fn from_impls(u: &UnionModel) -> Vec<TokenStream> {
    let name = &u.name;
    u.variants
        .iter()
        .filter(|v| u.variants.iter().filter(|w| w.ty == v.ty).count() == 1)
        .map(|v| {
            let vname = &v.name;
            let t = object_ty(&v.ty);
            quote! {
                impl From<#t> for #name {
                    fn from(value: #t) -> Self {
                        Self::#vname(value)
                    }
                }
            }
        })
        .collect()
}

/// How the union decodes, for its docs.
fn matching_doc(u: &UnionModel) -> String {
    let names: Vec<String> = u
        .variants
        .iter()
        .map(|v| format!("`{}`", v.name.bare()))
        .collect();
    match &u.matching {
        UnionMatching::Tagged {
            property,
            catch_all,
        } => format!(
            "The `{property}` member says which variant a value is; a value it does not name is kept as `{}`.",
            catch_all.bare()
        ),
        UnionMatching::Untagged if u.any_of => format!(
            "A value may fit several variants (`anyOf`): decoding tries {} in that order and keeps the first that fits.",
            names.join(", ")
        ),
        UnionMatching::Untagged => format!(
            "Decoding tries {} in that order and keeps the first that fits.",
            names.join(", ")
        ),
    }
}

fn quoted(tags: &[String]) -> String {
    tags.iter()
        .map(|t| format!("`{t}`"))
        .collect::<Vec<_>>()
        .join(" or ")
}

fn serialize_impl(u: &UnionModel) -> TokenStream {
    let name = &u.name;
    let rt = rt();
    let arms = u.variants.iter().map(|v| {
        let vname = &v.name;
        match (&u.matching, v.tags.as_slice()) {
            // The variant says which tag it is: written whatever the value's tag member holds.
            (UnionMatching::Tagged { property, .. }, tags) if !tags.is_empty() => {
                quote!(Self::#vname(value) => #rt::codegen::union::serialize_tagged(value, #property, &[#(#tags),*], serializer),)
            }
            _ => quote!(Self::#vname(value) => ::serde::Serialize::serialize(value, serializer),),
        }
    });
    let catch_all = match &u.matching {
        UnionMatching::Tagged { catch_all, .. } => {
            quote!(Self::#catch_all(value) => ::serde::Serialize::serialize(value, serializer),)
        }
        UnionMatching::Untagged => quote!(),
    };
    quote! {
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#arms)*
                    #catch_all
                }
            }
        }
    }
}

fn deserialize_impl(u: &UnionModel) -> TokenStream {
    let name = &u.name;
    let label = name.bare();
    let rt = rt();
    let body = match &u.matching {
        UnionMatching::Untagged => {
            let attempts = u.variants.iter().map(|v| {
                let vname = &v.name;
                let shown = vname.bare();
                let t = object_ty(&v.ty);
                quote!((#shown, |v| <#t as ::serde::Deserialize>::deserialize(v).map(Self::#vname)),)
            });
            quote! {
                #rt::codegen::union::first_match(#label, &value, &[#(#attempts)*])
                    .map_err(<D::Error as ::serde::de::Error>::custom)
            }
        }
        UnionMatching::Tagged {
            property,
            catch_all,
        } => {
            let arms = u.variants.iter().map(|v| {
                let vname = &v.name;
                let t = object_ty(&v.ty);
                let tags = &v.tags;
                quote! {
                    #(#tags)|* => <#t as ::serde::Deserialize>::deserialize(&value)
                        .map(Self::#vname)
                        .map_err(<D::Error as ::serde::de::Error>::custom),
                }
            });
            quote! {
                let tag = #rt::codegen::union::tag(#label, &value, #property)
                    .map_err(<D::Error as ::serde::de::Error>::custom)?;
                match tag {
                    #(#arms)*
                    _ => Ok(Self::#catch_all(value)),
                }
            }
        }
    };
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                #body
            }
        }
    }
}

/// `Debug` like a derived one, with text and raw JSON redacted (a member may be a secret the
/// schema does not type as one).
fn debug_impl(u: &UnionModel) -> TokenStream {
    let name = &u.name;
    let rt = rt();
    let arm = |vname: &crate::naming::Ident, redact: bool| {
        let shown = vname.bare();
        if redact {
            quote!(Self::#vname(value) => f.debug_tuple(#shown).field(&#rt::redact::RedactedDebug(value)).finish(),)
        } else {
            quote!(Self::#vname(value) => f.debug_tuple(#shown).field(value).finish(),)
        }
    };
    let arms = u
        .variants
        .iter()
        .map(|v| arm(&v.name, super::models::needs_redaction(&v.ty)));
    let catch_all = match &u.matching {
        UnionMatching::Tagged { catch_all, .. } => arm(catch_all, true),
        UnionMatching::Untagged => quote!(),
    };
    quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(#arms)*
                    #catch_all
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Model;

    const SPEC: &str = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}}\ncomponents:\n  schemas:\n    Pet:\n      oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]\n      discriminator: {propertyName: kind, mapping: {kitty: '#/components/schemas/Cat'}}\n    Cat: {type: object, properties: {kind: {type: string}, owner: {$ref: '#/components/schemas/Owner'}}}\n    Dog: {type: object, properties: {kind: {type: string}}}\n    Owner:\n      anyOf: [{type: string}, {type: integer}, {type: string, maxLength: 3}]\n    Shape:\n      oneOf: [{type: string}, {type: boolean}]\n";

    /// The union `name` of [`SPEC`], emitted and printed without spaces.
    fn emitted(name: &str) -> String {
        let (api, _) = crate::lower::tests::lowered(SPEC);
        let union = api.models.iter().find_map(|m| match m {
            Model::Union(u) if u.name.bare() == name => Some(u),
            _ => None,
        });
        let out = union.map(union_model).unwrap_or_default().to_string();
        out.replace(' ', "")
    }

    #[test]
    fn a_tagged_union_writes_and_reads_its_tag_and_keeps_unknown_tags() {
        let out = emitted("Pet");
        assert!(out.contains("pubenumPet{"), "{out}");
        // Tag values in the docs, the catch-all variant holding the value as received.
        assert!(out.contains("Tagged`kitty`."), "{out}");
        assert!(out.contains("Unknown(::serde_json::Value),"), "{out}");
        assert!(out.contains("`kind`membersayswhichvariant"), "{out}");
        // Serialize writes each variant's tag; the catch-all as it is.
        assert!(out.contains("Self::Cat(value)=>crate::runtime::codegen::union::serialize_tagged(value,\"kind\",&[\"kitty\"],serializer),"), "{out}");
        assert!(
            out.contains("Self::Unknown(value)=>::serde::Serialize::serialize(value,serializer),"),
            "{out}"
        );
        // Deserialize reads the tag and picks the arm; any other tag is kept.
        assert!(out.contains("union::tag(\"Pet\",&value,\"kind\")"), "{out}");
        assert!(
            out.contains(
                "\"kitty\"=><crate::models::Catas::serde::Deserialize>::deserialize(&value).map(Self::Cat)"
            ),
            "{out}"
        );
        assert!(
            out.contains(
                "\"Dog\"=><crate::models::Dogas::serde::Deserialize>::deserialize(&value).map(Self::Dog)"
            ),
            "{out}"
        );
        assert!(out.contains("_=>Ok(Self::Unknown(value)),"), "{out}");
        // Each member type converts into the union; raw JSON is redacted in Debug.
        assert!(out.contains("implFrom<crate::models::Cat>forPet"), "{out}");
        assert!(out.contains("implFrom<crate::models::Dog>forPet"), "{out}");
        assert!(out.contains("Self::Unknown(value)=>f.debug_tuple(\"Unknown\").field(&crate::runtime::redact::RedactedDebug(value)).finish(),"), "{out}");
    }

    #[test]
    fn only_an_any_of_union_says_a_value_may_fit_several_variants() {
        let one_of = emitted("Shape");
        assert!(one_of.contains("pubenumShape{"), "{one_of}");
        assert!(
            one_of.contains("Decodingtries`String`,`Boolean`inthatorder"),
            "{one_of}"
        );
        assert!(!one_of.contains("anyOf"), "{one_of}");
    }

    #[test]
    fn an_untagged_union_tries_its_variants_in_spec_order() {
        let out = emitted("Owner");
        assert!(out.contains("pubenumOwner{"), "{out}");
        assert!(!out.contains("Unknown"), "{out}");
        assert!(out.contains("(`anyOf`):decodingtries"), "{out}");
        // The attempts, in the spec's order.
        let first = out.find("first_match(\"Owner\",&value,&[");
        assert!(first.is_some(), "{out}");
        let order: Vec<usize> = [
            "(\"String\",|v|<Stringas",
            "(\"Integer\",|v|<i64as",
            "(\"StringVariant\",|v|<Stringas",
        ]
        .iter()
        .filter_map(|t| out.find(t))
        .collect();
        assert_eq!(order.len(), 3, "{out}");
        assert!(order[0] < order[1] && order[1] < order[2], "{out}");
        // Two variants are strings: neither gets `From<String>`; the integer one does.
        assert!(!out.contains("implFrom<String>forOwner"), "{out}");
        assert!(out.contains("implFrom<i64>forOwner"), "{out}");
        // Written as the member is, without a tag.
        assert!(!out.contains("serialize_tagged"), "{out}");
        assert!(
            out.contains("=>::serde::Serialize::serialize(value,serializer),"),
            "{out}"
        );
        // Text is redacted in Debug (a string may be a secret); a number is shown as it is.
        assert!(
            out.contains(".field(&crate::runtime::redact::RedactedDebug(value))"),
            "{out}"
        );
        assert!(out.contains(".field(value).finish(),"), "{out}");
    }
}
