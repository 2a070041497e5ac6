//! Query-string and path-segment encoding.
//!
//! The API uses OpenAPI `form` style with `explode: true`: an array is one repeated key per item
//! (`ids=a&ids=b`), unset values and empty arrays are left out, booleans are `true`/`false`.
//! Everything except RFC 3986 unreserved characters is percent-encoded, so a space is `%20`
//! (not `+`) and `@` is `%40`, as the peer SDKs send it.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Characters left as they are: RFC 3986 "unreserved" (letters, digits and `-._~`).
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one whole path segment or query component (`a/b c?d` -> `a%2Fb%20c%3Fd`).
pub(crate) fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    push_component(&mut out, value);
    out
}

/// [`encode_component`] written onto the end of `out`, without a string of its own: a URL is
/// assembled this way on every request.
pub(crate) fn push_component(out: &mut String, value: &str) {
    out.extend(utf8_percent_encode(value, COMPONENT));
}

/// Name/value pairs of a query string, in the order they were pushed, not yet encoded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryPairs {
    pairs: Vec<(String, String)>,
}

impl QueryPairs {
    /// An empty query.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends one `name=value` pair (a repeated name is kept, not replaced).
    pub fn push(&mut self, name: &str, value: &str) {
        self.pairs.push((name.to_owned(), value.to_owned()));
    }

    /// `true` when no pair was pushed.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// The pairs, unencoded, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// The encoded query string without the leading `?` (`ids=a&ids=b&emails=x%40y.com`).
    pub fn encode(&self) -> String {
        // Sized for the common case of nothing to escape: one allocation, no regrowth.
        let len = self.pairs.iter().map(|(n, v)| n.len() + v.len() + 2);
        let mut out = String::with_capacity(len.sum());
        for (i, (name, value)) in self.pairs.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            push_component(&mut out, name);
            out.push('=');
            push_component(&mut out, value);
        }
        out
    }
}

/// A value that can be written into a query string under a parameter name.
///
/// Generated enums implement it through their `as_str()`.
pub trait QueryValue {
    /// Appends this value's pairs (none, one, or one per array item) to `out`.
    fn push_to(&self, name: &str, out: &mut QueryPairs);
}

impl<T: QueryValue + ?Sized> QueryValue for &T {
    fn push_to(&self, name: &str, out: &mut QueryPairs) {
        (**self).push_to(name, out);
    }
}

impl QueryValue for str {
    fn push_to(&self, name: &str, out: &mut QueryPairs) {
        out.push(name, self);
    }
}

impl QueryValue for String {
    fn push_to(&self, name: &str, out: &mut QueryPairs) {
        out.push(name, self);
    }
}

impl QueryValue for crate::SecretString {
    /// Sent as the secret itself (the spec put it in the query; only formatting hides it).
    fn push_to(&self, name: &str, out: &mut QueryPairs) {
        out.push(name, self.expose_secret());
    }
}

impl QueryValue for bool {
    fn push_to(&self, name: &str, out: &mut QueryPairs) {
        out.push(name, if *self { "true" } else { "false" });
    }
}

macro_rules! display_query_value {
    ($($t:ty),*) => {$(
        impl QueryValue for $t {
            fn push_to(&self, name: &str, out: &mut QueryPairs) {
                out.push(name, &self.to_string());
            }
        }
    )*};
}
display_query_value!(i8, i16, i32, i64, u8, u16, u32, u64, usize, f32, f64);

impl<T: QueryValue> QueryValue for Option<T> {
    /// `None` is left out.
    fn push_to(&self, name: &str, out: &mut QueryPairs) {
        if let Some(v) = self {
            v.push_to(name, out);
        }
    }
}

impl<T: QueryValue> QueryValue for crate::Nullable<T> {
    /// Only a value is sent: a query string has no `null`, and leaving the parameter out is
    /// how "no filter" is said.
    fn push_to(&self, name: &str, out: &mut QueryPairs) {
        if let crate::Nullable::Value(v) = self {
            v.push_to(name, out);
        }
    }
}

impl<T: QueryValue> QueryValue for [T] {
    /// One repeated key per item (`form` + `explode`); an empty slice is left out.
    fn push_to(&self, name: &str, out: &mut QueryPairs) {
        for item in self {
            item.push_to(name, out);
        }
    }
}

impl<T: QueryValue> QueryValue for Vec<T> {
    /// One repeated key per item (`form` + `explode`); an empty vector is left out.
    fn push_to(&self, name: &str, out: &mut QueryPairs) {
        self.as_slice().push_to(name, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(f: impl FnOnce(&mut QueryPairs)) -> String {
        let mut q = QueryPairs::new();
        f(&mut q);
        q.encode()
    }

    #[test]
    fn component_encoding() {
        assert_eq!(encode_component("a/b c?d"), "a%2Fb%20c%3Fd");
        assert_eq!(encode_component("x@y.com"), "x%40y.com");
        assert_eq!(encode_component("A-z_0.9~"), "A-z_0.9~");
        assert_eq!(encode_component("a+b&c=d#e%f"), "a%2Bb%26c%3Dd%23e%25f");
        assert_eq!(encode_component("é"), "%C3%A9");
    }

    #[test]
    fn scalars() {
        assert_eq!(encode(|q| true.push_to("pending", q)), "pending=true");
        assert_eq!(encode(|q| false.push_to("enabled", q)), "enabled=false");
        assert_eq!(encode(|q| 2024i32.push_to("year", q)), "year=2024");
        assert_eq!(encode(|q| (-5i64).push_to("n", q)), "n=-5");
        assert_eq!(encode(|q| 7u32.push_to("n", q)), "n=7");
        assert_eq!(encode(|q| 7u64.push_to("n", q)), "n=7");
        assert_eq!(encode(|q| 1.5f64.push_to("n", q)), "n=1.5");
        assert_eq!(encode(|q| "a b".push_to("prefix", q)), "prefix=a%20b");
        // Names are encoded like values, and pairs are joined with `&`.
        assert_eq!(
            encode(|q| {
                "v&w".push_to("a b", q);
                "é".push_to("c=d", q);
            }),
            "a%20b=v%26w&c%3Dd=%C3%A9"
        );
        assert_eq!(
            encode(|q| String::from("x@y.com").push_to("emails", q)),
            "emails=x%40y.com"
        );
    }

    #[test]
    fn arrays_repeat_the_key_and_empty_or_none_is_omitted() {
        let ids = vec!["a".to_owned(), "b".to_owned()];
        assert_eq!(encode(|q| ids.push_to("ids", q)), "ids=a&ids=b");
        assert_eq!(encode(|q| Vec::<String>::new().push_to("ids", q)), "");
        assert_eq!(encode(|q| None::<bool>.push_to("pending", q)), "");
        assert_eq!(encode(|q| Some(vec![1u32, 2]).push_to("n", q)), "n=1&n=2");
        assert_eq!(encode(|q| ["a"].as_slice().push_to("k", q)), "k=a");
        assert_eq!(
            encode(|q| crate::Nullable::Value(false).push_to("enabled", q)),
            "enabled=false"
        );
        assert_eq!(
            encode(|q| crate::Nullable::<bool>::Null.push_to("enabled", q)),
            ""
        );
        assert_eq!(
            encode(|q| crate::Nullable::<bool>::Unset.push_to("enabled", q)),
            ""
        );
        assert_eq!(encode(|q| 3usize.push_to("n", q)), "n=3");
        assert_eq!(
            encode(|q| crate::SecretString::new("p w").push_to("password", q)),
            "password=p%20w"
        );
    }

    #[test]
    fn order_is_kept_and_names_are_encoded() {
        let s = encode(|q| {
            "x@y.com".push_to("emails", q);
            true.push_to("pending", q);
            "v".push_to("a b", q);
        });
        assert_eq!(s, "emails=x%40y.com&pending=true&a%20b=v");
    }
}
