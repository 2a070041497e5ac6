//! Parameter serialization beyond `form` with `explode` (which [`QueryValue`](crate::query::QueryValue)
//! does): the other query styles, path parameters in the `simple`, `label` and `matrix`
//! styles, header parameters and cookie parameters, by the rules of the OpenAPI
//! specification's "Style Values" table (3.0.3 §4.7.12.4).
//!
//! Values are first turned into JSON (every generated type is `Serialize`), then laid out:
//! primitives as their text, arrays and objects joined with the style's delimiter, `deepObject`
//! as `name[key]=value`. `null` and absent values send nothing.

use crate::error::{BuildError, JsonError};
use crate::query::{QueryPairs, encode_component};
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

/// How a path parameter is laid out in its segment (the spec's `style` and `explode`), for a
/// parameter `color` holding `blue`, `[blue, black]` or `{R: 100, G: 200}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathStyle {
    /// `simple`: `blue`, `blue,black`, `R,100,G,200`.
    Simple,
    /// `simple` with `explode`: `blue`, `blue,black`, `R=100,G=200`.
    SimpleExploded,
    /// `label`: `.blue`, `.blue,black`, `.R,100,G,200`.
    Label,
    /// `label` with `explode`: `.blue`, `.blue.black`, `.R=100.G=200`.
    LabelExploded,
    /// `matrix`: `;color=blue`, `;color=blue,black`, `;color=R,100,G,200`.
    Matrix,
    /// `matrix` with `explode`: `;color=blue`, `;color=blue;color=black`, `;R=100;G=200`.
    MatrixExploded,
}

impl PathStyle {
    /// The text before the value and between exploded items.
    fn prefix(self) -> &'static str {
        match self {
            PathStyle::Simple | PathStyle::SimpleExploded => "",
            PathStyle::Label | PathStyle::LabelExploded => ".",
            PathStyle::Matrix | PathStyle::MatrixExploded => ";",
        }
    }

    fn exploded(self) -> bool {
        matches!(
            self,
            PathStyle::SimpleExploded | PathStyle::LabelExploded | PathStyle::MatrixExploded
        )
    }
}

/// The percent-encoded path segment of parameter `name` holding `value`, laid out in `style`.
///
/// Names, keys and values are encoded whole, so a `,` `.` `;` or `=` inside them can never be
/// read as a delimiter; the delimiters themselves stay literal. `null` and an empty array or
/// object give an empty segment (RFC 6570: an undefined value expands to nothing), which the
/// request refuses before sending, like an empty id.
pub fn path_segment(name: &str, value: &Value, style: PathStyle) -> String {
    let enc = |text: &str| encode_component(text);
    let item = |v: &Value| enc(&scalar(v).unwrap_or_else(|| v.to_string()));
    let prefix = style.prefix();
    // Matrix names every item; the other styles only lead with their prefix.
    let lead = |key: &str| match style {
        PathStyle::Matrix | PathStyle::MatrixExploded => format!(";{}=", enc(key)),
        _ => prefix.to_owned(),
    };
    match value {
        Value::Null => String::new(),
        Value::Array(items) if items.is_empty() => String::new(),
        Value::Object(map) if map.is_empty() => String::new(),
        Value::Array(items) if style.exploded() && style != PathStyle::SimpleExploded => items
            .iter()
            .map(|v| format!("{}{}", lead(name), item(v)))
            .collect(),
        Value::Array(items) => {
            let list: Vec<String> = items.iter().map(item).collect();
            format!("{}{}", lead(name), list.join(","))
        }
        Value::Object(map) if style.exploded() => {
            // `k=v` pairs: after the prefix for label and matrix, joined by commas for simple.
            let pairs = map.iter().map(|(k, v)| format!("{}={}", enc(k), item(v)));
            match style {
                PathStyle::SimpleExploded => pairs.collect::<Vec<_>>().join(","),
                _ => pairs.map(|pair| format!("{prefix}{pair}")).collect(),
            }
        }
        Value::Object(map) => {
            let list: Vec<String> = map.iter().flat_map(|(k, v)| [enc(k), item(v)]).collect();
            format!("{}{}", lead(name), list.join(","))
        }
        primitive => format!("{}{}", lead(name), item(primitive)),
    }
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

    fn segments(value: Value) -> Vec<String> {
        use PathStyle::*;
        [
            Simple,
            SimpleExploded,
            Label,
            LabelExploded,
            Matrix,
            MatrixExploded,
        ]
        .into_iter()
        .map(|style| path_segment("color", &value, style))
        .collect()
    }

    #[test]
    fn the_path_rows_of_the_style_table() {
        // The specification's table, column by column (simple, simple*, label, label*,
        // matrix, matrix*).
        assert_eq!(
            segments(json!("blue")),
            [
                "blue",
                "blue",
                ".blue",
                ".blue",
                ";color=blue",
                ";color=blue"
            ]
        );
        assert_eq!(
            segments(json!(["blue", "black", "brown"])),
            [
                "blue,black,brown",
                "blue,black,brown",
                ".blue,black,brown",
                ".blue.black.brown",
                ";color=blue,black,brown",
                ";color=blue;color=black;color=brown"
            ]
        );
        assert_eq!(
            segments(json!({"R": 100, "G": 200, "B": 150})),
            [
                "B,150,G,200,R,100",
                "B=150,G=200,R=100",
                ".B,150,G,200,R,100",
                ".B=150.G=200.R=100",
                ";color=B,150,G,200,R,100",
                ";B=150;G=200;R=100"
            ]
        );
    }

    #[test]
    fn path_delimiters_inside_values_are_encoded_and_empty_values_give_nothing() {
        assert_eq!(
            segments(json!("a,b.c;d=e/f")),
            [
                "a%2Cb.c%3Bd%3De%2Ff",
                "a%2Cb.c%3Bd%3De%2Ff",
                ".a%2Cb.c%3Bd%3De%2Ff",
                ".a%2Cb.c%3Bd%3De%2Ff",
                ";color=a%2Cb.c%3Bd%3De%2Ff",
                ";color=a%2Cb.c%3Bd%3De%2Ff"
            ]
        );
        assert_eq!(
            path_segment("a b", &json!({"k=": true}), PathStyle::MatrixExploded),
            ";k%3D=true"
        );
        assert_eq!(
            path_segment("a b", &json!(1.5), PathStyle::Matrix),
            ";a%20b=1.5"
        );
        for empty in [Value::Null, json!([]), json!({})] {
            assert_eq!(segments(empty), ["", "", "", "", "", ""]);
        }
    }

    #[test]
    fn simple_style_for_headers() {
        assert_eq!(simple_text(&json!(5)).as_deref(), Some("5"));
        assert_eq!(simple_text(&json!([1, 2])).as_deref(), Some("1,2"));
        assert_eq!(simple_text(&json!({"a": "x"})).as_deref(), Some("a,x"));
        assert_eq!(simple_text(&Value::Null), None);
    }
}
