//! [`Nullable`]: the three states of a nullable request field.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A field that can be left out, sent as JSON `null`, or sent with a value.
///
/// `Option<T>` cannot tell "leave it unchanged" from "clear it", and the API gives the two
/// different meanings (for example `description` on a custom policy). Generated code pairs this
/// type with `#[serde(default, skip_serializing_if = "Nullable::is_unset")]`, so:
///
/// - [`Nullable::Unset`] is omitted from the JSON object (and is what an absent field decodes to);
/// - [`Nullable::Null`] is sent and decoded as `null`;
/// - [`Nullable::Value`] is sent and decoded as the value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Nullable<T> {
    /// Not set: the field is omitted.
    #[default]
    Unset,
    /// Explicitly `null`.
    Null,
    /// A value.
    Value(T),
}

impl<T> Nullable<T> {
    /// `true` for [`Nullable::Unset`]; used by `skip_serializing_if`.
    pub fn is_unset(&self) -> bool {
        matches!(self, Self::Unset)
    }

    /// `true` for [`Nullable::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }

    /// `true` for [`Nullable::Value`].
    pub fn is_value(&self) -> bool {
        matches!(self, Self::Value(_))
    }

    /// The value, if there is one (`Unset` and `Null` both give `None`).
    pub fn as_option(&self) -> Option<&T> {
        match self {
            Self::Value(v) => Some(v),
            Self::Unset | Self::Null => None,
        }
    }

    /// Converts into the value, if there is one.
    pub fn into_option(self) -> Option<T> {
        match self {
            Self::Value(v) => Some(v),
            Self::Unset | Self::Null => None,
        }
    }

    /// Borrows the value inside, keeping the state.
    pub fn as_ref(&self) -> Nullable<&T> {
        match self {
            Self::Unset => Nullable::Unset,
            Self::Null => Nullable::Null,
            Self::Value(v) => Nullable::Value(v),
        }
    }

    /// Maps the value, keeping `Unset` and `Null`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Nullable<U> {
        match self {
            Self::Unset => Nullable::Unset,
            Self::Null => Nullable::Null,
            Self::Value(v) => Nullable::Value(f(v)),
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Self::Value(value)
    }
}

impl<T> From<Option<T>> for Nullable<T> {
    /// `None` becomes [`Nullable::Null`]: a caller who passes an `Option` has decided.
    fn from(value: Option<T>) -> Self {
        match value {
            Some(v) => Self::Value(v),
            None => Self::Null,
        }
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            // `Unset` only reaches here without `skip_serializing_if`; `null` is the closest.
            Self::Unset | Self::Null => serializer.serialize_none(),
            Self::Value(v) => v.serialize(serializer),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::deserialize(deserializer)?.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};

    #[derive(Debug, Serialize, Deserialize, PartialEq)]
    struct Body {
        #[serde(default, skip_serializing_if = "Nullable::is_unset")]
        description: Nullable<String>,
    }

    #[test]
    fn serializes_three_states() {
        let unset = Body {
            description: Nullable::Unset,
        };
        let null = Body {
            description: Nullable::Null,
        };
        let value = Body {
            description: "d".to_owned().into(),
        };
        assert_eq!(serde_json::to_string(&unset).unwrap(), "{}");
        assert_eq!(
            serde_json::to_string(&null).unwrap(),
            r#"{"description":null}"#
        );
        assert_eq!(
            serde_json::to_string(&value).unwrap(),
            r#"{"description":"d"}"#
        );
    }

    #[test]
    fn deserializes_three_states() {
        let b: Body = serde_json::from_str("{}").unwrap();
        assert_eq!(b.description, Nullable::Unset);
        let b: Body = serde_json::from_str(r#"{"description":null}"#).unwrap();
        assert_eq!(b.description, Nullable::Null);
        let b: Body = serde_json::from_str(r#"{"description":"x"}"#).unwrap();
        assert_eq!(b.description, Nullable::Value("x".to_owned()));
    }

    #[test]
    fn conversions_and_accessors() {
        assert_eq!(Nullable::from(Some(1)), Nullable::Value(1));
        assert_eq!(Nullable::<i32>::from(None), Nullable::Null);
        assert_eq!(Nullable::<i32>::default(), Nullable::Unset);
        // No `T: Default` bound.
        struct NoDefault;
        assert!(Nullable::<NoDefault>::default().is_unset());
        assert_eq!(Nullable::Value(2).as_option(), Some(&2));
        assert_eq!(Nullable::<i32>::Null.as_option(), None);
        assert_eq!(Nullable::Value(2).map(|v| v * 2).into_option(), Some(4));
        assert!(Nullable::<i32>::Null.is_null());
        assert!(Nullable::Value(1).is_value());
    }
}
