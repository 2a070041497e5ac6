//! `src/models.rs`: one type per schema. Objects keep unknown properties in an `extra` map
//! (written back flattened by the derived `Serialize`, read by the runtime's `model_impls!`,
//! which decodes without serde's `flatten` buffer), enums are open (a catch-all variant keeps
//! new server values), nullable request fields are tri-state.
//!
//! # Why `#[non_exhaustive]` structs with public fields, `new` and setters
//!
//! Two shapes were weighed for object models: plain structs with public fields, built with
//! struct literals (progenitor), and non-exhaustive structs built through methods (the AWS
//! SDK, with a builder per model). A spec grows by adding properties, mostly optional ones,
//! and with plain structs every added property breaks each caller's struct literal and
//! exhaustive pattern, so each API update would be a breaking release. Non-exhaustive structs
//! make an added optional property a compatible change. Reading stays as plain as before
//! (fields are public, and can still be assigned), and building goes through `new(required..)`
//! (or `Default` when nothing is required) and one chainable setter per optional property,
//! written by the runtime's `model_impls!` so that each costs one short entry in the
//! generated code. A separate builder type per model, as the AWS SDK has, would double the
//! generated models for what `new` and the setters already give. Adding a required property
//! changes `new` and stays a breaking change, as it is for the API itself.

use super::docs::doc_attrs;
use super::types::{local_ty, rt, setter_arg, ty};
use crate::ir::{AliasModel, EnumModel, Field, Model, StructModel, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

/// How a field is stored, which decides its Rust type and serde attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// Required, not nullable: `T`.
    Plain,
    /// Required and nullable: `Option<T>`, always serialized (null when `None`).
    RequiredNullable,
    /// Optional: `Option<T>`, omitted when `None`.
    Optional,
    /// Optional and nullable in a request model: `Nullable<T>`, omitted when unset.
    Tristate,
}

/// The storage kind of a field of `model`.
pub fn field_kind(model: &StructModel, f: &Field) -> FieldKind {
    match (f.required, f.nullable) {
        (true, false) => FieldKind::Plain,
        (true, true) => FieldKind::RequiredNullable,
        (false, true) if model.in_request => FieldKind::Tristate,
        (false, _) => FieldKind::Optional,
    }
}

/// The full Rust type of a field.
pub fn field_type(kind: FieldKind, t: &TypeRef) -> TokenStream {
    kind_type(kind, ty(t))
}

/// [`field_type`] as written in `models.rs`, which names the models bare.
fn local_field_type(kind: FieldKind, t: &TypeRef) -> TokenStream {
    kind_type(kind, local_ty(t))
}

/// The type a field of `kind` stores a value of type `inner` as.
fn kind_type(kind: FieldKind, inner: TokenStream) -> TokenStream {
    let rt = rt();
    match kind {
        FieldKind::Plain => inner,
        FieldKind::RequiredNullable | FieldKind::Optional => quote!(Option<#inner>),
        FieldKind::Tristate => quote!(#rt::Nullable<#inner>),
    }
}

/// The inner attributes that open `models.rs`.
pub fn module_docs() -> TokenStream {
    quote! {
        //! Request and response types, one per schema of the spec.
        //!
        //! Every object keeps the properties this crate does not know in its `extra` map, so a
        //! newer server's fields survive a round trip; every enum has a catch-all variant for
        //! values added after this crate was generated.
    }
}

/// The items of one model: its type and its impls.
pub fn model_items(model: &Model) -> TokenStream {
    match model {
        Model::Struct(s) => struct_model(s),
        Model::Enum(e) if e.integer => super::int_enums::int_enum_model(e),
        Model::Enum(e) => enum_model(e),
        Model::Alias(a) => alias_model(a),
        Model::Union(u) => super::unions::union_model(u),
    }
}

/// Whether a field's `Debug` must go through redaction: text and maps that come from outside
/// may carry a secret the schema does not type as one.
pub(super) fn needs_redaction(t: &TypeRef) -> bool {
    match t {
        TypeRef::String | TypeRef::Any | TypeRef::FreeForm | TypeRef::Map(_) => true,
        TypeRef::Vec(inner) | TypeRef::Boxed(inner) => needs_redaction(inner),
        _ => false,
    }
}

/// Inherent methods a setter must not shadow: the constructor, and the methods and
/// associated functions of the traits every model implements, which method calls and paths
/// would otherwise resolve to the setter (`value.clone()`, `Model::default()`).
const NOT_SETTERS: &[&str] = &[
    "new",
    "clone",
    "clone_from",
    "default",
    "deserialize",
    "eq",
    "fmt",
    "ne",
    "serialize",
];

/// The `Debug` impl and the setters, from the runtime's `model_impls!`. The `Debug` is like
/// the derived one, with secrets masked in what it prints: the macro formats the listed fields
/// and redacts the text as a whole, so no field is spelled out here and none can be forgotten.
/// Every optional property gets a setter, unless it is deprecated (setting the field then
/// warns, as it should) or its name is one of [`NOT_SETTERS`].
fn model_impls(s: &StructModel) -> TokenStream {
    let rt = rt();
    let name = &s.name;
    let fields = s.fields.iter().map(|f| impls_field(field_kind(s, f), f));
    let extra = s.keep_unknown.then(|| {
        let e = &s.extra_field;
        quote!(..#e)
    });
    let setters: Vec<TokenStream> = s
        .fields
        .iter()
        .filter(|f| !f.deprecated && !NOT_SETTERS.contains(&f.rust_name.bare()))
        .filter_map(|f| setter_entry(field_kind(s, f), f))
        .collect();
    let setters = (!setters.is_empty()).then(|| quote!({ #(#setters),* }));
    quote!(#rt::model_impls!(#name { #(#fields,)* #extra } #setters);)
}

/// A field's entry in `model_impls!`'s field list: its identifier, then its wire name when
/// that differs, and `@required` first when the object must have it (the one kind that has
/// no default to fall back on when decoding).
fn impls_field(kind: FieldKind, f: &Field) -> TokenStream {
    let n = &f.rust_name;
    let required = (kind == FieldKind::Plain).then(|| quote!(@required));
    let wire = &f.wire_name;
    let rename = (n.to_string() != *wire).then(|| quote!(= #wire));
    quote!(#required #n #rename)
}

/// A field's entry in `model_impls!`'s setter list, by its kind; none for a required field,
/// which `new` takes.
fn setter_entry(kind: FieldKind, f: &Field) -> Option<TokenStream> {
    let n = &f.rust_name;
    match (kind, &f.ty) {
        (FieldKind::Plain | FieldKind::RequiredNullable, _) => None,
        (FieldKind::Optional, TypeRef::Vec(inner)) => {
            let t = local_ty(inner);
            Some(quote!(@vec #n: #t))
        }
        (FieldKind::Optional, t) => {
            let t = local_ty(t);
            Some(quote!(#n: #t))
        }
        (FieldKind::Tristate, t) => {
            let t = local_ty(t);
            Some(quote!(@null #n: #t))
        }
    }
}

fn struct_model(s: &StructModel) -> TokenStream {
    let name = &s.name;
    let impls = model_impls(s);
    let default_doc = format!("The `{}` object.", name.bare());
    let doc = doc_attrs(&[s.description.as_deref().unwrap_or(&default_doc)]);
    let has_required = s.fields.iter().any(|f| f.required);
    let derive_default = if has_required {
        quote!()
    } else {
        quote!(Default,)
    };
    let fields = s.fields.iter().map(|f| {
        let kind = field_kind(s, f);
        let fname = &f.rust_name;
        let fty = local_field_type(kind, &f.ty);
        let wire = &f.wire_name;
        let rename = if fname.bare() != wire {
            quote!(rename = #wire,)
        } else {
            quote!()
        };
        // Only `Serialize` is derived: `model_impls!` writes the `Deserialize`, which defaults
        // every field but a required one itself.
        let serde = match kind {
            FieldKind::Plain | FieldKind::RequiredNullable => {
                if rename.is_empty() {
                    quote!()
                } else {
                    quote!(#[serde(#rename)])
                }
            }
            FieldKind::Optional => {
                quote!(#[serde(#rename skip_serializing_if = "Option::is_none")])
            }
            FieldKind::Tristate => {
                let skip = format!("{}::Nullable::is_unset", rt());
                let skip = skip.replace(' ', "");
                quote!(#[serde(#rename skip_serializing_if = #skip)])
            }
        };
        let fallback = format!("The `{wire}` property.");
        let doc = doc_attrs(&[f.description.as_deref().unwrap_or(&fallback)]);
        let deprecated = if f.deprecated {
            quote!(#[deprecated])
        } else {
            quote!()
        };
        quote! {
            #doc
            #deprecated
            #serde
            pub #fname: #fty,
        }
    });
    let extra = if s.keep_unknown {
        let e = &s.extra_field;
        quote! {
            /// Properties this crate does not know, kept as they came so nothing is lost.
            #[serde(flatten)]
            pub #e: ::serde_json::Map<String, ::serde_json::Value>,
        }
    } else {
        quote!()
    };
    let constructor = if has_required {
        // Required plain fields take anything convertible, like the request builders' setters.
        let args = s.fields.iter().filter(|f| f.required).map(|f| {
            let n = &f.rust_name;
            match field_kind(s, f) {
                FieldKind::Plain => {
                    let (arg, _) = setter_arg(&f.ty, n);
                    quote!(#n: #arg)
                }
                kind => {
                    let t = field_type(kind, &f.ty);
                    quote!(#n: #t)
                }
            }
        });
        let inits = s.fields.iter().map(|f| {
            let n = &f.rust_name;
            match (f.required, field_kind(s, f)) {
                (true, FieldKind::Plain) => {
                    let (_, conv) = setter_arg(&f.ty, n);
                    quote!(#n: #conv)
                }
                (true, _) => quote!(#n),
                (false, _) => quote!(#n: Default::default()),
            }
        });
        let extra_init = if s.keep_unknown {
            let e = &s.extra_field;
            quote!(#e: ::serde_json::Map::new(),)
        } else {
            quote!()
        };
        let allow_deprecated = if s.fields.iter().any(|f| f.deprecated) {
            quote!(#[allow(deprecated)])
        } else {
            quote!()
        };
        // Clippy's limit is seven arguments; only a constructor above it is allowed more.
        let required = s.fields.iter().filter(|f| f.required).count();
        let allow_many = if required > 7 {
            quote!(#[allow(clippy::too_many_arguments)])
        } else {
            quote!()
        };
        quote! {
            #allow_deprecated
            impl #name {
                /// A value with the required properties set and every optional one unset.
                #allow_many
                pub fn new(#(#args),*) -> Self {
                    Self { #(#inits,)* #extra_init }
                }
            }
        }
    } else {
        quote!()
    };
    quote! {
        #doc
        #[derive(Clone, PartialEq, #derive_default ::serde::Serialize)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #extra
        }
        #constructor
        #impls
    }
}

fn enum_model(e: &EnumModel) -> TokenStream {
    let name = &e.name;
    let rt = rt();
    let default_doc = format!("The `{}` values.", name.bare());
    let doc = doc_attrs(&[e.description.as_deref().unwrap_or(&default_doc)]);
    let catch = &e.catch_all;
    let variants = e.variants.iter().map(|(v, wire)| {
        let d = format!(" `{wire}`");
        quote!(#[doc = #d] #v,)
    });
    let wires = e.variants.iter().map(|(v, wire)| quote!(#v = #wire));
    let catch_doc = if e.request_only {
        " A value this crate does not list; sent as written, so new server values need no new release."
    } else {
        " A value this crate does not know yet, kept as received so it round-trips."
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#variants)*
            #[doc = #catch_doc]
            #catch(String),
        }

        #rt::string_enum_impls!(#name { #(#wires),* } #catch);
    }
}

fn alias_model(a: &AliasModel) -> TokenStream {
    let name = &a.name;
    let target = local_ty(&a.target);
    let default_doc = format!("The `{}` schema.", name.bare());
    let doc = doc_attrs(&[a.description.as_deref().unwrap_or(&default_doc)]);
    quote! {
        #doc
        pub type #name = #target;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Api;

    /// A request model `ThingRequest` (sent by `createThing`) and a response model `Thing`
    /// (its answer), with a field of every kind.
    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /things:
    post:
      operationId: createThing
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/ThingRequest'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  schemas:
    ThingRequest:
      type: object
      required: [name, owner]
      properties:
        name: {type: string}
        owner: {type: string, nullable: true}
        note: {type: string, nullable: true}
        tags: {type: array, items: {type: string}}
        size: {type: integer, format: int64}
        clone: {type: string}
        old: {type: string, deprecated: true}
        Display-Name: {type: string}
        mode: {type: string, enum: [fast, slow]}
    Thing:
      type: object
      additionalProperties: false
      properties:
        note: {type: string, nullable: true}
        attributes: {type: object}
        type: {type: string}
    Many:
      type: object
      required: [a, b, c, d, e, f, g, h]
      properties:
        a: {type: string}
        b: {type: string}
        c: {type: string}
        d: {type: string}
        e: {type: string}
        f: {type: string}
        g: {type: string}
        h: {type: string}
    Seven:
      type: object
      required: [a, b, c, d, e, f, g]
      properties:
        a: {type: string}
        b: {type: string}
        c: {type: string}
        d: {type: string}
        e: {type: string}
        f: {type: string}
        g: {type: string}
    Mode:
      type: string
      enum: [on, off]
    Level:
      type: integer
      enum: [1, 2]
    Alias:
      type: array
      items: {$ref: '#/components/schemas/Thing'}
"#;

    fn api() -> Api {
        let spec = crate::parse::parse_spec(SPEC.as_bytes(), "t.yaml")
            .unwrap_or_else(|e| panic!("parse: {e}"));
        crate::lower::lower(&spec)
            .unwrap_or_else(|e| panic!("lower: {e}"))
            .0
    }

    fn struct_named<'a>(api: &'a Api, name: &str) -> &'a StructModel {
        api.models
            .iter()
            .find_map(|m| match m {
                Model::Struct(s) if s.name.bare() == name => Some(s),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no struct {name}"))
    }

    fn field<'a>(s: &'a StructModel, wire: &str) -> &'a Field {
        s.fields
            .iter()
            .find(|f| f.wire_name == wire)
            .unwrap_or_else(|| panic!("no field {wire}"))
    }

    /// Tokens as text without any whitespace, so a test reads like the code it looks for.
    fn compact(tokens: &TokenStream) -> String {
        tokens.to_string().split_whitespace().collect()
    }

    #[test]
    fn field_kinds_follow_required_nullable_and_the_request_side() {
        let api = api();
        let req = struct_named(&api, "ThingRequest");
        assert!(req.in_request);
        assert_eq!(field_kind(req, field(req, "name")), FieldKind::Plain);
        assert_eq!(
            field_kind(req, field(req, "owner")),
            FieldKind::RequiredNullable
        );
        assert_eq!(field_kind(req, field(req, "note")), FieldKind::Tristate);
        assert_eq!(field_kind(req, field(req, "tags")), FieldKind::Optional);
        // The same optional nullable field in a response is a plain `Option`.
        let resp = struct_named(&api, "Thing");
        assert!(!resp.in_request);
        assert_eq!(field_kind(resp, field(resp, "note")), FieldKind::Optional);
    }

    #[test]
    fn field_types_wrap_the_type_by_kind_with_crate_paths() {
        let t = TypeRef::String;
        assert_eq!(compact(&field_type(FieldKind::Plain, &t)), "String");
        assert_eq!(
            compact(&field_type(FieldKind::Optional, &t)),
            "Option<String>"
        );
        assert_eq!(
            compact(&field_type(FieldKind::RequiredNullable, &t)),
            "Option<String>"
        );
        assert_eq!(
            compact(&field_type(FieldKind::Tristate, &t)),
            "crate::runtime::Nullable<String>"
        );
        let api = api();
        let mode = &field(struct_named(&api, "ThingRequest"), "mode").ty;
        assert!(
            compact(&field_type(FieldKind::Optional, mode)).starts_with("Option<crate::models::")
        );
    }

    #[test]
    fn a_request_model_gets_new_for_its_required_fields_and_a_setter_per_settable_optional_one() {
        let api = api();
        let out = compact(&struct_model(struct_named(&api, "ThingRequest")));
        assert!(
            out.contains("#[non_exhaustive]pubstructThingRequest{"),
            "{out}"
        );
        // Something is required: no `Default`, a constructor taking exactly the required fields.
        assert!(!out.contains("Default,"), "{out}");
        assert!(
            out.contains("pubfnnew(name:implInto<String>,owner:Option<String>)->Self"),
            "{out}"
        );
        assert!(
            out.contains("name:name.into(),owner,note:Default::default(),"),
            "{out}"
        );
        assert!(out.contains("extra:::serde_json::Map::new(),"), "{out}");
        // A deprecated field is moved by the constructor: it allows that, and says so once.
        assert!(
            out.contains("#[allow(deprecated)]implThingRequest{"),
            "{out}"
        );
        assert!(!out.contains("too_many_arguments"), "{out}");
        // Serde attributes by kind, and a rename for a wire name that is not an identifier.
        assert!(out.contains("pubname:String,"), "{out}");
        // Only `Serialize` is derived (`model_impls!` writes `Deserialize`), so no `default`.
        assert!(
            out.contains("#[derive(Clone,PartialEq,::serde::Serialize)]"),
            "{out}"
        );
        assert!(!out.contains("serde(default"), "{out}");
        assert!(
            out.contains("#[doc=r\"The`owner`property.\"]pubowner:Option<String>"),
            "{out}"
        );
        assert!(
            out.contains(
                "#[serde(skip_serializing_if=\"crate::runtime::Nullable::is_unset\")]pubnote:crate::runtime::Nullable<String>"
            ),
            "{out}"
        );
        assert!(
            out.contains(
                "#[serde(skip_serializing_if=\"Option::is_none\")]pubtags:Option<Vec<String>>"
            ),
            "{out}"
        );
        assert!(
            out.contains("#[serde(rename=\"Display-Name\",skip_serializing_if"),
            "{out}"
        );
        assert!(out.contains("#[deprecated]"), "{out}");
        // One `model_impls!`: every field for `Debug` and `Deserialize`, the one without a
        // default marked required, a wire name that is not the identifier after `=`, and the
        // map of unknown properties after `..`; then the setters by kind; none for the
        // required fields, the deprecated one, or `clone`, which would shadow `Clone::clone`.
        let impls = &out[out.find("crate::runtime::model_impls!").unwrap_or(0)..];
        assert!(
            impls.starts_with("crate::runtime::model_impls!(ThingRequest{@requiredname,owner,note,tags,size,clone,old,display_name=\"Display-Name\",mode,..extra}{@nullnote:String,@vectags:String,size:i64,display_name:String,mode:"),
            "{impls}"
        );
        assert!(!impls.contains("clone:"), "{impls}");
        assert!(!impls.contains("old:"), "{impls}");
    }

    #[test]
    fn a_model_with_nothing_required_derives_default_and_names_models_bare() {
        let api = api();
        let out = compact(&struct_model(struct_named(&api, "Thing")));
        assert!(
            out.contains("#[derive(Clone,PartialEq,Default,::serde::Serialize"),
            "{out}"
        );
        assert!(!out.contains("pubfnnew"), "{out}");
        // `additionalProperties: false`: no `extra` field, none in `Debug` or `Deserialize`.
        // A raw identifier names its wire name, which `stringify!` would not give.
        assert!(!out.contains("extra"), "{out}");
        assert!(
            out.contains("pubattributes:Option<::serde_json::Value>"),
            "{out}"
        );
        assert!(
            out.ends_with("crate::runtime::model_impls!(Thing{note,attributes,r#type=\"type\",}{note:String,attributes:::serde_json::Value,r#type:String});"),
            "{out}"
        );
    }

    #[test]
    fn only_a_constructor_of_more_than_seven_arguments_allows_them() {
        let api = api();
        let many = compact(&struct_model(struct_named(&api, "Many")));
        assert!(
            many.contains("#[allow(clippy::too_many_arguments)]pubfnnew("),
            "{many}"
        );
        // All required: a constructor, and no setter list at all.
        assert!(
            many.ends_with(
                "{@requireda,@requiredb,@requiredc,@requiredd,@requirede,@requiredf,@requiredg,@requiredh,..extra});"
            ),
            "{many}"
        );
        let seven = compact(&struct_model(struct_named(&api, "Seven")));
        assert!(!seven.contains("too_many_arguments"), "{seven}");
        assert!(!seven.contains("allow(deprecated)"), "{seven}");
    }

    #[test]
    fn string_enums_list_their_wire_values_once_with_the_catch_all_of_their_side() {
        let api = api();
        let enums: Vec<&EnumModel> = api
            .models
            .iter()
            .filter_map(|m| match m {
                Model::Enum(e) => Some(e),
                _ => None,
            })
            .collect();
        let mode = enums
            .iter()
            .find(|e| e.name.bare() == "Mode")
            .expect("Mode");
        let out = compact(&enum_model(mode));
        assert!(
            out.contains("pubenumMode{#[doc=\"`on`\"]On,#[doc=\"`off`\"]Off,"),
            "{out}"
        );
        assert!(out.contains("keptasreceivedsoitround-trips"), "{out}");
        assert!(
            out.ends_with(
                "crate::runtime::string_enum_impls!(Mode{On=\"on\",Off=\"off\"}Unknown);"
            ),
            "{out}"
        );
        let request_only = enums
            .iter()
            .find(|e| e.request_only)
            .expect("the request's inline enum");
        let out = compact(&enum_model(request_only));
        assert!(out.contains("sentaswritten"), "{out}");
        assert!(
            out.contains("Fast=\"fast\",Slow=\"slow\"}Custom);"),
            "{out}"
        );
    }

    #[test]
    fn the_models_file_has_every_kind_of_model_and_aliases_name_models_bare() {
        let api = api();
        assert!(
            module_docs()
                .to_string()
                .contains("Request and response types")
        );
        let all: String = api
            .models
            .iter()
            .map(|m| compact(&model_items(m)))
            .collect();
        assert!(all.contains("pubstructThingRequest"), "{all}");
        // A string enum through `string_enum_impls!`, an integer one with its `i64` catch-all.
        assert!(
            all.contains("string_enum_impls!(Mode{On=\"on\",Off=\"off\"}Unknown);"),
            "{all}"
        );
        assert!(!all.contains("string_enum_impls!(Level"), "{all}");
        assert!(all.contains("Unknown(i64),}implLevel{"), "{all}");
        assert!(all.contains("pubtypeAlias=Vec<Thing>;"), "{all}");
    }

    #[test]
    fn text_and_maps_are_redacted_numbers_and_flags_are_not() {
        for t in [TypeRef::String, TypeRef::Any, TypeRef::FreeForm] {
            assert!(needs_redaction(&t), "{t:?}");
        }
        assert!(needs_redaction(&TypeRef::Map(Box::new(TypeRef::I64))));
        assert!(needs_redaction(&TypeRef::Vec(Box::new(TypeRef::String))));
        assert!(needs_redaction(&TypeRef::Boxed(Box::new(TypeRef::String))));
        assert!(!needs_redaction(&TypeRef::Vec(Box::new(TypeRef::I64))));
        assert!(!needs_redaction(&TypeRef::Boxed(Box::new(TypeRef::Bool))));
        assert!(!needs_redaction(&TypeRef::Bool));
    }
}
