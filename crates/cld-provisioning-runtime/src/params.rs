//! Parameter serialization beyond `form` with `explode` (which [`QueryValue`](crate::QueryValue)
//! does): the other query styles, header parameters and cookie parameters, by the rules of the
//! OpenAPI specification's "Style Values" table.
//!
//! Values are first turned into JSON (every generated type is `Serialize`), then laid out:
//! primitives as their text, arrays and objects joined with the style's delimiter, `deepObject`
//! as `name[key]=value`. `null` and absent values send nothing.

use crate::error::{BuildError, JsonError};
use crate::query::QueryPairs;
use serde::Serialize;
use serde_json::Value;

/// How a query parameter is laid out (the spec's `style` and `explode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    /// `form` with `explode: true`: arrays repeat the name, objects become their own pairs
    /// (`a=1&b=2`).
    FormExploded,
    /// `form` with `explode: false`: `name=a,b,c`; an object is `name=k1,v1,k2,v2`.
    Form,
    /// `spaceDelimited`: `name=a b c`.
    SpaceDelimited,
    /// `pipeDelimited`: `name=a|b|c`.
    PipeDelimited,
    /// `deepObject`: `name[key]=value`, nested objects as `name[a][b]=value`.
    DeepObject,
}

/// How deeply `deepObject` follows nested objects before giving up: a server that reads
/// brackets rarely goes further, and the bound keeps hostile values from recursing far.
const MAX_DEPTH: usize = 16;

/// The value as JSON, for laying out.
pub(crate) fn to_json<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<Value, BuildError> {
    serde_json::to_value(value).map_err(|source| BuildError::Serialize {
        what: format!("parameter `{name}`"),
        source: JsonError::from(source),
    })
}

/// The text of a primitive (strings unquoted); `None` for `null`, arrays and objects.
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

/// Arrays and objects joined with `delimiter` (objects as key, value, key, value).
fn joined(value: &Value, delimiter: &str) -> Option<String> {
    match value {
        Value::Array(items) => Some(
            items
                .iter()
                .map(|v| scalar(v).unwrap_or_else(|| v.to_string()))
                .collect::<Vec<_>>()
                .join(delimiter),
        ),
        Value::Object(map) => Some(
            map.iter()
                .flat_map(|(k, v)| [k.clone(), scalar(v).unwrap_or_else(|| v.to_string())])
                .collect::<Vec<_>>()
                .join(delimiter),
        ),
        other => scalar(other),
    }
}

/// Pushes a query parameter in `style`.
pub fn push_query(out: &mut QueryPairs, name: &str, value: &Value, style: QueryStyle) {
    match (style, value) {
        (_, Value::Null) => {}
        (QueryStyle::FormExploded, Value::Array(items)) => {
            for item in items {
                if let Some(text) =
                    scalar(item).or_else(|| (!item.is_null()).then(|| item.to_string()))
                {
                    out.push(name, &text);
                }
            }
        }
        (QueryStyle::FormExploded, Value::Object(map)) => {
            for (k, v) in map {
                if let Some(text) = scalar(v).or_else(|| (!v.is_null()).then(|| v.to_string())) {
                    out.push(k, &text);
                }
            }
        }
        (QueryStyle::DeepObject, Value::Object(_)) => deep(out, name, value, 0),
        (QueryStyle::SpaceDelimited, v) => push_some(out, name, joined(v, " ")),
        (QueryStyle::PipeDelimited, v) => push_some(out, name, joined(v, "|")),
        (_, v) => push_some(out, name, joined(v, ",")),
    }
}

fn push_some(out: &mut QueryPairs, name: &str, text: Option<String>) {
    if let Some(text) = text {
        out.push(name, &text);
    }
}

/// `deepObject`: one pair per leaf, the path in brackets.
fn deep(out: &mut QueryPairs, prefix: &str, value: &Value, depth: usize) {
    match value {
        Value::Object(map) if depth < MAX_DEPTH => {
            for (k, v) in map {
                deep(out, &format!("{prefix}[{k}]"), v, depth + 1);
            }
        }
        Value::Array(items) => {
            for item in items {
                push_some(out, prefix, scalar(item).or_else(|| Some(item.to_string())));
            }
        }
        Value::Null => {}
        other => push_some(
            out,
            prefix,
            scalar(other).or_else(|| Some(other.to_string())),
        ),
    }
}

/// The text of a header or cookie parameter (`simple` style: arrays and objects joined with
/// commas); `None` for `null`.
pub fn simple_text(value: &Value) -> Option<String> {
    joined(value, ",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn query(value: Value, style: QueryStyle) -> Vec<(String, String)> {
        let mut out = QueryPairs::new();
        push_query(&mut out, "p", &value, style);
        out.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn the_style_table_of_the_specification() {
        use QueryStyle::*;
        let array = json!(["blue", "black", "brown"]);
        let object = json!({"R": 100, "G": 200, "B": 150});
        assert_eq!(query(json!("blue"), Form), pairs(&[("p", "blue")]));
        assert_eq!(
            query(array.clone(), Form),
            pairs(&[("p", "blue,black,brown")])
        );
        assert_eq!(
            query(array.clone(), FormExploded),
            pairs(&[("p", "blue"), ("p", "black"), ("p", "brown")])
        );
        assert_eq!(
            query(object.clone(), Form),
            pairs(&[("p", "B,150,G,200,R,100")])
        );
        assert_eq!(
            query(object.clone(), FormExploded),
            pairs(&[("B", "150"), ("G", "200"), ("R", "100")])
        );
        assert_eq!(
            query(array.clone(), SpaceDelimited),
            pairs(&[("p", "blue black brown")])
        );
        assert_eq!(
            query(array, PipeDelimited),
            pairs(&[("p", "blue|black|brown")])
        );
        assert_eq!(
            query(object, DeepObject),
            pairs(&[("p[B]", "150"), ("p[G]", "200"), ("p[R]", "100")])
        );
    }

    #[test]
    fn deep_objects_nest_in_brackets_and_null_sends_nothing() {
        assert_eq!(
            query(
                json!({"a": {"b": 1, "c": null}, "d": [1, 2]}),
                QueryStyle::DeepObject
            ),
            pairs(&[("p[a][b]", "1"), ("p[d]", "1"), ("p[d]", "2")])
        );
        assert!(query(Value::Null, QueryStyle::Form).is_empty());
    }

    #[test]
    fn deep_objects_stop_at_the_depth_bound() {
        let mut v = json!(1);
        for _ in 0..40 {
            v = json!({ "k": v });
        }
        let out = query(v, QueryStyle::DeepObject);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].0.matches('[').count(), MAX_DEPTH);
    }

    #[test]
    fn simple_style_for_headers() {
        assert_eq!(simple_text(&json!(5)).as_deref(), Some("5"));
        assert_eq!(simple_text(&json!([1, 2])).as_deref(), Some("1,2"));
        assert_eq!(simple_text(&json!({"a": "x"})).as_deref(), Some("a,x"));
        assert_eq!(simple_text(&Value::Null), None);
    }
}
