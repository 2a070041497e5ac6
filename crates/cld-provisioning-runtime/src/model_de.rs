//! The generated models' `Deserialize`, written by [`model_deserialize!`](crate::model_deserialize)
//! from one list of fields, and the helpers it expands to.
//!
//! # Why not `#[derive(Deserialize)]` with `#[serde(flatten)]`
//!
//! Every object keeps the properties this crate does not know in its `extra` map. serde's
//! derive does that with `#[serde(flatten)]`: it decodes the known properties straight into
//! their fields, but copies every other key and value into an intermediate buffer of its own,
//! then decodes that buffer a second time into the map. The impl written here reads each key
//! once, borrowed from the input when the input allows it: a known key decodes its value
//! straight into the field, any other key's value goes straight into `extra` (or is skipped,
//! for a model whose schema forbids other properties). With three unknown properties per
//! user, a 10,000-user list decodes in 3.4% fewer instructions; with none, it costs 0.8% more
//! (see `tests/bench/NOTES.md`). Written by a `macro_rules!` from the field list the generated
//! code already passes to `model_impls!`, it also compiles faster than the derive. What the
//! derive checked is kept: a required property that is missing and a known property given
//! twice are errors naming the property, and the other properties default when absent.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::{Map, Value};

/// A key of a JSON object, borrowed from the input when the deserializer can lend it (an
/// unescaped key of `serde_json::from_slice`) and owned otherwise.
#[derive(Debug, PartialEq, Eq)]
pub enum FieldKey<'de> {
    /// Borrowed from the input.
    Borrowed(&'de str),
    /// Copied (an escaped key, or a deserializer that does not lend its input).
    Owned(String),
}

impl FieldKey<'_> {
    /// The key's text, to match against the known properties' wire names.
    #[inline]
    pub fn as_str(&self) -> &str {
        match self {
            FieldKey::Borrowed(s) => s,
            FieldKey::Owned(s) => s,
        }
    }

    /// The key as an owned string, for the `extra` map.
    #[inline]
    pub fn into_string(self) -> String {
        match self {
            FieldKey::Borrowed(s) => s.to_owned(),
            FieldKey::Owned(s) => s,
        }
    }
}

impl<'de> Deserialize<'de> for FieldKey<'de> {
    #[inline]
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = FieldKey<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }

    #[inline]
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(FieldKey::Borrowed(v))
    }

    #[inline]
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(FieldKey::Owned(v.to_owned()))
    }

    #[inline]
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(FieldKey::Owned(v))
    }
}

/// Decodes the value of the known property `name` into its slot; a second occurrence of the
/// property in one object is an error, as it is for serde's derive.
#[inline]
pub fn set_once<'de, T, A>(
    slot: &mut Option<T>,
    map: &mut A,
    name: &'static str,
) -> Result<(), A::Error>
where
    T: Deserialize<'de>,
    A: MapAccess<'de>,
{
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Keeps the value of a property the model does not know in its `extra` map. A property
/// given twice keeps its last value, as a JSON object decoded into a map does.
#[inline]
pub fn keep_unknown<'de, A: MapAccess<'de>>(
    extra: &mut Map<String, Value>,
    key: FieldKey<'de>,
    map: &mut A,
) -> Result<(), A::Error> {
    let value: Value = map.next_value()?;
    extra.insert(key.into_string(), value);
    Ok(())
}

/// Skips the value of a property a model without `extra` does not know.
#[inline]
pub fn skip_unknown<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

/// The value of the required property `name`, or the error that names it.
#[inline]
pub fn required<T, E: de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}

/// A model's `Deserialize`, from the model's name, its fields in declaration order and, after
/// `..`, the field that keeps the other properties:
///
/// `model_deserialize!(User { id, @required email, display_name = "Display-Name", ..extra });`
///
/// A field's wire name is its identifier unless `= "wire"` follows it. `@required` marks a
/// property the object must have (the derive's plain field); every other field defaults when
/// absent (`None`, or `Nullable::Unset`). Without `..extra`, other properties are skipped.
#[macro_export]
#[doc(hidden)]
macro_rules! model_deserialize {
    (
        $model:ident {
            $($(@$req:ident)? $field:ident $(= $wire:literal)?),* $(,)?
            $(.. $extra:ident)?
        }
    ) => {
        // Deprecated fields are decoded like any other.
        #[allow(deprecated)]
        impl<'de> $crate::codegen::serde::Deserialize<'de> for $model {
            fn deserialize<D: $crate::codegen::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                // Generated model names are upper camel case, so none is `__Visitor`.
                struct __Visitor;

                impl<'de> $crate::codegen::serde::de::Visitor<'de> for __Visitor {
                    type Value = $model;

                    fn expecting(
                        &self,
                        f: &mut ::std::fmt::Formatter<'_>,
                    ) -> ::std::fmt::Result {
                        f.write_str(concat!("struct ", stringify!($model)))
                    }

                    fn visit_map<A: $crate::codegen::serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> ::std::result::Result<$model, A::Error> {
                        $(let mut $field = ::std::option::Option::None;)*
                        $(let mut $extra = $crate::codegen::serde_json::Map::new();)?
                        while let ::std::option::Option::Some(key) =
                            map.next_key::<$crate::codegen::model_de::FieldKey<'de>>()?
                        {
                            match key.as_str() {
                                $($crate::wire_name!($field $(= $wire)?) => {
                                    $crate::codegen::model_de::set_once(
                                        &mut $field,
                                        &mut map,
                                        $crate::wire_name!($field $(= $wire)?),
                                    )?
                                })*
                                _ => $crate::unknown_property!(map key $($extra)?),
                            }
                        }
                        ::std::result::Result::Ok($model {
                            $($field: $crate::field_value!($(@$req)? $field $(= $wire)?),)*
                            $($extra,)?
                        })
                    }
                }

                deserializer.deserialize_map(__Visitor)
            }
        }
    };
}

/// A field's wire name: the string after `=`, or the identifier itself.
#[macro_export]
#[doc(hidden)]
macro_rules! wire_name {
    ($field:ident = $wire:literal) => {
        $wire
    };
    ($field:ident) => {
        stringify!($field)
    };
}

/// What [`model_deserialize!`](crate::model_deserialize) does with a property it does not
/// know: keep it in `extra` when the model has one, else skip it.
#[macro_export]
#[doc(hidden)]
macro_rules! unknown_property {
    ($map:ident $key:ident $extra:ident) => {
        $crate::codegen::model_de::keep_unknown(&mut $extra, $key, &mut $map)?
    };
    ($map:ident $key:ident) => {
        $crate::codegen::model_de::skip_unknown(&mut $map)?
    };
}

/// A field's final value in [`model_deserialize!`](crate::model_deserialize): required, or its
/// type's default when absent.
#[macro_export]
#[doc(hidden)]
macro_rules! field_value {
    (@required $field:ident $(= $wire:literal)?) => {
        $crate::codegen::model_de::required($field, $crate::wire_name!($field $(= $wire)?))?
    };
    ($field:ident $(= $wire:literal)?) => {
        $field.unwrap_or_default()
    };
}

#[cfg(test)]
mod tests {
    #![allow(deprecated)]

    use crate::Nullable;
    use serde::Deserialize;
    use serde_json::{Map, Value, json};

    /// A model of every field kind, decoded by the macro.
    #[derive(Debug, PartialEq)]
    struct Thing {
        id: String,
        name: Option<String>,
        note: Nullable<String>,
        display_name: Option<String>,
        r#type: Option<String>,
        #[deprecated]
        old: Option<i64>,
        extra: Map<String, Value>,
    }
    crate::model_deserialize!(Thing {
        @required id,
        name,
        note,
        display_name = "Display-Name",
        r#type = "type",
        old,
        ..extra
    });

    /// The same model through serde's derive with `#[serde(flatten)]`, the behaviour the
    /// macro replaces.
    #[derive(Debug, PartialEq, Deserialize)]
    struct DerivedThing {
        id: String,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        note: Nullable<String>,
        #[serde(rename = "Display-Name", default)]
        display_name: Option<String>,
        #[serde(rename = "type", default)]
        r#type: Option<String>,
        #[serde(default)]
        old: Option<i64>,
        #[serde(flatten)]
        extra: Map<String, Value>,
    }

    impl From<DerivedThing> for Thing {
        fn from(d: DerivedThing) -> Self {
            Thing {
                id: d.id,
                name: d.name,
                note: d.note,
                display_name: d.display_name,
                r#type: d.r#type,
                old: d.old,
                extra: d.extra,
            }
        }
    }

    /// A model whose schema forbids other properties: no `extra`.
    #[derive(Debug, PartialEq)]
    struct Closed {
        a: Option<i64>,
    }
    crate::model_deserialize!(Closed { a });

    /// A model of no known property.
    #[derive(Debug, PartialEq)]
    struct Open {
        rest: Map<String, Value>,
    }
    crate::model_deserialize!(Open { ..rest });

    fn both(text: &str) -> (Result<Thing, String>, Result<Thing, String>) {
        let ours = serde_json::from_str::<Thing>(text).map_err(|e| e.to_string());
        let derived = serde_json::from_str::<DerivedThing>(text)
            .map(Thing::from)
            .map_err(|e| e.to_string().replace("DerivedThing", "Thing"));
        (ours, derived)
    }

    #[test]
    fn decodes_as_the_flattening_derive_did_on_every_shape() {
        let cases = [
            r#"{"id":"u1"}"#,
            r#"{"id":"u1","name":"Ann","note":"n","Display-Name":"A","type":"t","old":3}"#,
            r#"{"name":null,"note":null,"id":"u1","zz":{"deep":[1,{"x":null}]},"aa":1}"#,
            r#"{"id":"u1","x":1,"x":2}"#,
            r#"{"id":"u1","na\u006de":"escaped known","\u0041b":"escaped unknown"}"#,
            r#"{"id":"u1","display_name":"the rust name is not the wire name"}"#,
            r#"{"id":"u1","name":"a","name":"b"}"#,
            r#"{"id":"u1","id":"u2"}"#,
            r#"{"name":"no id"}"#,
            r#"{"id":7}"#,
            r#"{"id":"u1","old":"not a number"}"#,
            r#"{"id":"u1","note":5}"#,
            r#"[]"#,
            r#"["u1"]"#,
            r#""text""#,
            r#"null"#,
            r#"{"id":"u1","#,
            r#"{}"#,
        ];
        for text in cases {
            let (ours, derived) = both(text);
            assert_eq!(ours, derived, "{text}");
        }
    }

    #[test]
    fn known_properties_fill_their_fields_and_the_rest_go_to_extra() {
        let thing: Thing = serde_json::from_str(
            r#"{"id":"u1","Display-Name":"Ann","type":"t","future":{"a":[1]},"note":null}"#,
        )
        .unwrap();
        assert_eq!(thing.id, "u1");
        assert_eq!(thing.display_name.as_deref(), Some("Ann"));
        assert_eq!(thing.r#type.as_deref(), Some("t"));
        assert_eq!(thing.note, Nullable::Null);
        assert_eq!(thing.name, None);
        assert_eq!(thing.old, None);
        assert_eq!(Value::Object(thing.extra), json!({"future": {"a": [1]}}));
        let unset: Thing = serde_json::from_str(r#"{"id":"u1"}"#).unwrap();
        assert_eq!(unset.note, Nullable::Unset);
        assert!(unset.extra.is_empty());
    }

    #[test]
    fn errors_name_the_property_and_the_model() {
        let err = |text: &str| serde_json::from_str::<Thing>(text).unwrap_err().to_string();
        assert!(err(r#"{"name":"a"}"#).starts_with("missing field `id`"));
        assert!(
            err(r#"{"id":"a","Display-Name":"x","Display-Name":"y"}"#)
                .starts_with("duplicate field `Display-Name`")
        );
        assert!(err("[]").contains("expected struct Thing"), "{}", err("[]"));
    }

    #[test]
    fn a_value_decodes_by_reference_and_by_ownership() {
        let value = json!({"id": "u1", "name": "Ann", "other": true});
        let by_ref = Thing::deserialize(&value).unwrap();
        let owned = Thing::deserialize(value).unwrap();
        assert_eq!(by_ref, owned);
        assert_eq!(owned.name.as_deref(), Some("Ann"));
        assert_eq!(owned.extra.get("other"), Some(&Value::Bool(true)));
    }

    #[test]
    fn a_model_without_extra_skips_other_properties_and_one_without_fields_keeps_them_all() {
        let closed: Closed =
            serde_json::from_str(r#"{"z":{"deep":[1,2,{"x":"y"}]},"a":5,"b":null}"#).unwrap();
        assert_eq!(closed, Closed { a: Some(5) });
        assert!(serde_json::from_str::<Closed>(r#"{"a":1,"a":2}"#).is_err());
        // Unlike serde's derive without `flatten`, a JSON array is not taken as the fields in
        // order: it is not an object, so a union tries its next variant.
        assert!(serde_json::from_str::<Closed>("[5]").is_err());
        assert!(Closed::deserialize(&json!([5])).is_err());
        let open: Open = serde_json::from_str(r#"{"a":1,"b":[true]}"#).unwrap();
        assert_eq!(Value::Object(open.rest), json!({"a": 1, "b": [true]}));
    }

    #[test]
    fn keys_are_borrowed_when_the_input_lends_them_and_copied_otherwise() {
        let mut de = serde_json::Deserializer::from_str(r#""plain""#);
        let key = super::FieldKey::deserialize(&mut de).unwrap();
        assert!(matches!(key, super::FieldKey::Borrowed("plain")), "{key:?}");
        let mut de = serde_json::Deserializer::from_str(r#""esc\u0061ped""#);
        let key = super::FieldKey::deserialize(&mut de).unwrap();
        assert!(
            matches!(&key, super::FieldKey::Owned(s) if s == "escaped"),
            "{key:?}"
        );
        assert_eq!(key.as_str(), "escaped");
        assert_eq!(key.into_string(), "escaped");
        let key = super::FieldKey::deserialize(Value::String("owned".into())).unwrap();
        assert_eq!(key, super::FieldKey::Owned("owned".into()));
        assert_eq!(super::FieldKey::Borrowed("b").into_string(), "b");
        let err = super::FieldKey::deserialize(&json!(1)).unwrap_err();
        assert!(
            err.to_string().ends_with("expected a property name"),
            "{err}"
        );
    }
}
