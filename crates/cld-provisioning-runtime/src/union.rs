//! Decoding of the enums generated for `oneOf` and `anyOf` schemas, kept here so that the
//! generated `Deserialize` impls are a list of variants rather than a copy of this logic each.
//!
//! A union with a discriminator reads the tag member with [`tag`] and decodes the variant it
//! names; one without tries its variants in the order the spec lists them with
//! [`first_match`], and the first that decodes wins. When none does, the error names every
//! variant tried and why it did not fit, so a decode failure says what the server sent
//! instead of serde's bare "did not match any variant".

use serde_json::Value;

/// One variant to try: its name (for the error) and how to decode it from a JSON value.
pub type Attempt<T> = (&'static str, fn(&Value) -> Result<T, serde_json::Error>);

/// Decodes `value` as the first variant of `type_name` that accepts it, in the order given.
///
/// The error lists each variant with the reason it rejected the value. It is a plain message:
/// callers turn it into their deserializer's error, and the runtime redacts decode errors
/// before it keeps them.
pub fn first_match<T>(
    type_name: &str,
    value: &Value,
    attempts: &[Attempt<T>],
) -> Result<T, String> {
    let mut reasons = Vec::with_capacity(attempts.len());
    for (name, decode) in attempts {
        match decode(value) {
            Ok(decoded) => return Ok(decoded),
            Err(e) => reasons.push(format!("{name}: {e}")),
        }
    }
    Err(format!(
        "the value is none of the variants of {type_name} (tried in order: {})",
        reasons.join("; ")
    ))
}

/// The discriminator of a tagged union: the string member `property` of the object `value`.
pub fn tag<'v>(type_name: &str, value: &'v Value, property: &str) -> Result<&'v str, String> {
    let object = value.as_object().ok_or_else(|| {
        format!(
            "{type_name} expects a JSON object with a `{property}` member, not {}",
            kind(value)
        )
    })?;
    match object.get(property) {
        Some(Value::String(s)) => Ok(s),
        Some(other) => Err(format!(
            "the `{property}` member of {type_name} must be a string, not {}",
            kind(other)
        )),
        None => Err(format!(
            "{type_name} expects a `{property}` member that says which variant it is"
        )),
    }
}

/// Serializes the variant `value` of a tagged union with its tag member `property` set to
/// one of the variant's `tags`: kept when the value already holds one of them (a variant
/// several mapping entries select), else the first. A caller who builds
/// `Operation::Resize(resize)` then never has to repeat, or can get wrong, the tag the variant
/// already says.
pub fn serialize_tagged<T, S>(
    value: &T,
    property: &str,
    tags: &[&str],
    serializer: S,
) -> Result<S::Ok, S::Error>
where
    T: serde::Serialize + ?Sized,
    S: serde::Serializer,
{
    use serde::ser::Error as _;
    let mut json = serde_json::to_value(value).map_err(S::Error::custom)?;
    if let (Value::Object(map), Some(first)) = (&mut json, tags.first()) {
        let holds_a_tag =
            matches!(map.get(property), Some(Value::String(t)) if tags.contains(&t.as_str()));
        if !holds_a_tag {
            map.insert(property.to_owned(), Value::String((*first).to_owned()));
        }
    }
    serde::Serialize::serialize(&json, serializer)
}

/// A JSON value's kind, for messages (never its contents, which may be a secret).
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Debug, PartialEq, Deserialize)]
    struct Cat {
        lives: u8,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Dog {
        bark: String,
    }

    #[derive(Debug, PartialEq)]
    enum Pet {
        Cat(Cat),
        Dog(Dog),
        Number(i64),
    }

    const ATTEMPTS: &[Attempt<Pet>] = &[
        ("Cat", |v| Cat::deserialize(v).map(Pet::Cat)),
        ("Dog", |v| Dog::deserialize(v).map(Pet::Dog)),
        ("Number", |v| i64::deserialize(v).map(Pet::Number)),
    ];

    #[test]
    fn the_first_variant_that_decodes_wins() {
        assert_eq!(
            first_match("Pet", &json!({"bark": "woof"}), ATTEMPTS),
            Ok(Pet::Dog(Dog {
                bark: "woof".into()
            }))
        );
        assert_eq!(
            first_match("Pet", &json!({"lives": 9, "bark": "woof"}), ATTEMPTS),
            Ok(Pet::Cat(Cat { lives: 9 }))
        );
        assert_eq!(first_match("Pet", &json!(7), ATTEMPTS), Ok(Pet::Number(7)));
    }

    #[test]
    fn no_match_names_every_variant_tried_and_why() {
        let err = first_match("Pet", &json!({"lives": "many"}), ATTEMPTS)
            .err()
            .unwrap_or_default();
        assert!(
            err.starts_with("the value is none of the variants of Pet (tried in order: Cat: "),
            "{err}"
        );
        let cat = err.find("Cat: invalid type").unwrap_or(usize::MAX);
        let dog = err.find("Dog: missing field `bark`").unwrap_or(usize::MAX);
        let number = err.find("Number: invalid type: map").unwrap_or(usize::MAX);
        assert!(cat < dog && dog < number && number < err.len(), "{err}");
    }

    #[test]
    fn an_empty_union_matches_nothing() {
        let none: &[Attempt<Pet>] = &[];
        assert!(first_match("Pet", &json!(1), none).is_err());
    }

    #[test]
    fn the_tag_is_a_string_member_of_an_object() {
        assert_eq!(tag("Pet", &json!({"kind": "cat"}), "kind"), Ok("cat"));
        assert_eq!(
            tag("Pet", &json!(["cat"]), "kind"),
            Err("Pet expects a JSON object with a `kind` member, not an array".into())
        );
        assert_eq!(
            tag("Pet", &json!({"kind": 1}), "kind"),
            Err("the `kind` member of Pet must be a string, not a number".into())
        );
        assert_eq!(
            tag("Pet", &json!({}), "kind"),
            Err("Pet expects a `kind` member that says which variant it is".into())
        );
    }

    #[test]
    fn messages_never_repeat_the_value() {
        let secret = "cloudinary://key:s3cr3t@cloud";
        let err = tag("Pet", &json!({"kind": {"x": secret}}), "kind")
            .err()
            .unwrap_or_default();
        assert!(!err.contains("s3cr3t"), "{err}");
    }

    #[test]
    fn a_tagged_variant_is_written_with_its_own_tag() {
        let write = |value: serde_json::Value, tags: &[&str]| {
            let mut out = Vec::new();
            serialize_tagged(
                &value,
                "type",
                tags,
                &mut serde_json::Serializer::new(&mut out),
            )
            .unwrap();
            serde_json::from_slice::<serde_json::Value>(&out).unwrap()
        };
        // A missing or wrong tag is the variant's first one.
        assert_eq!(
            write(json!({"width": 5}), &["resize"]),
            json!({"type": "resize", "width": 5})
        );
        assert_eq!(
            write(json!({"type": "crop", "width": 5}), &["resize", "scale"]),
            json!({"type": "resize", "width": 5})
        );
        // One of the variant's tags is kept.
        assert_eq!(
            write(json!({"type": "scale"}), &["resize", "scale"]),
            json!({"type": "scale"})
        );
        // Anything but an object is written as it is.
        assert_eq!(write(json!([1]), &["resize"]), json!([1]));
    }
}
