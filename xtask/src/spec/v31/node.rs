//! A YAML node that knows where it is: every accessor that finds the wrong shape returns a
//! [`GenError`] with the file and the JSON pointer of the node, so the reader above it never
//! builds a message or a pointer by hand and never panics on a surprising value.

use crate::error::{GenError, Result, pointer_token};
use crate::spec::Extensions;
use std::collections::HashSet;
use yaml_serde::{Mapping, Value};

/// How deep a plain value (`default`, `enum`, an extension) may nest. The YAML parser stops at
/// 128 levels already; this guard keeps the converter bounded for values built in memory too.
const MAX_VALUE_DEPTH: usize = 128;

/// One node of the document with its pointer.
#[derive(Debug, Clone)]
pub(super) struct Node<'a> {
    file: &'a str,
    value: &'a Value,
    pointer: String,
}

impl<'a> Node<'a> {
    /// The document root of `file`.
    pub(super) fn root(file: &'a str, value: &'a Value) -> Self {
        Node {
            file,
            value,
            pointer: String::new(),
        }
    }

    /// The node at `pointer` (already escaped), for targets found by following a `$ref`.
    pub(super) fn at_pointer(&self, value: &'a Value, pointer: String) -> Node<'a> {
        Node {
            file: self.file,
            value,
            pointer,
        }
    }

    /// The child `value` under the (unescaped) `token`.
    pub(super) fn child(&self, token: &str, value: &'a Value) -> Node<'a> {
        // Every node read gets a pointer, so this is on the hot path of a large spec: one
        // allocation, and escaping only for the rare token that needs it.
        let mut pointer = String::with_capacity(self.pointer.len() + 1 + token.len());
        pointer.push_str(&self.pointer);
        pointer.push('/');
        if token.contains(['~', '/']) {
            pointer.push_str(&pointer_token(token));
        } else {
            pointer.push_str(token);
        }
        self.at_pointer(value, pointer)
    }

    /// The JSON pointer of this node (empty for the root).
    pub(super) fn pointer(&self) -> &str {
        &self.pointer
    }

    /// The raw value.
    pub(super) fn value(&self) -> &'a Value {
        self.value
    }

    /// An error about this node.
    pub(super) fn error(&self, message: impl Into<String>) -> GenError {
        GenError::new(self.file, &self.pointer, message)
    }

    /// The pointer of field `key` of this node, present or not.
    pub(super) fn pointer_of(&self, key: &str) -> String {
        format!("{}/{}", self.pointer, pointer_token(key))
    }

    /// An error about field `key` of this node, present or not.
    pub(super) fn field_error(&self, key: &str, message: impl Into<String>) -> GenError {
        GenError::new(self.file, &self.pointer_of(key), message)
    }

    /// The error for a required field `key` that is absent.
    pub(super) fn missing(&self, key: &str) -> GenError {
        self.field_error(key, format!("required field `{key}` is missing"))
    }

    fn expected(&self, what: &str) -> GenError {
        self.error(format!("expected {what}, found {}", describe(self.value)))
    }

    /// The node as a mapping.
    pub(super) fn map(&self) -> Result<&'a Mapping> {
        match self.value {
            Value::Mapping(m) => Ok(m),
            _ => Err(self.expected("a map")),
        }
    }

    /// The entries of a mapping in file order, keys in their string form (`200:` is `"200"`).
    /// Two keys with the same string form (`200` and `'200'`) are an error.
    pub(super) fn entries(&self) -> Result<Vec<(String, Node<'a>)>> {
        let map = self.map()?;
        let mut seen = HashSet::with_capacity(map.len());
        let mut out = Vec::with_capacity(map.len());
        for (key, value) in map {
            let key = key_string(key).ok_or_else(|| {
                self.error(format!(
                    "a key of this map is {}, not a string",
                    describe(key)
                ))
            })?;
            let node = self.child(&key, value);
            if !seen.insert(key.clone()) {
                return Err(node.error(format!("duplicate key {key:?}")));
            }
            out.push((key, node));
        }
        Ok(out)
    }

    /// The items of a sequence, each with its index in the pointer.
    pub(super) fn items(&self) -> Result<Vec<Node<'a>>> {
        match self.value {
            Value::Sequence(items) => Ok(items
                .iter()
                .enumerate()
                .map(|(i, v)| self.child(&i.to_string(), v))
                .collect()),
            _ => Err(self.expected("a list")),
        }
    }

    /// Field `key` of a mapping; `None` when absent or when this node is not a mapping (the
    /// caller has checked the shape with [`Node::map`] where it matters).
    pub(super) fn field(&self, key: &str) -> Option<Node<'a>> {
        self.value
            .as_mapping()
            .and_then(|m| m.get(key))
            .map(|v| self.child(key, v))
    }

    /// The node as a string.
    pub(super) fn str(&self) -> Result<&'a str> {
        self.value.as_str().ok_or_else(|| self.expected("a string"))
    }

    /// The node as a boolean.
    pub(super) fn bool(&self) -> Result<bool> {
        self.value
            .as_bool()
            .ok_or_else(|| self.expected("a boolean"))
    }

    /// The node as a finite number.
    pub(super) fn number(&self) -> Result<f64> {
        match self.value {
            Value::Number(n) => n
                .as_f64()
                .filter(|f| f.is_finite())
                .ok_or_else(|| self.expected("a finite number")),
            _ => Err(self.expected("a number")),
        }
    }

    /// Optional string field `key`.
    pub(super) fn opt_str(&self, key: &str) -> Result<Option<String>> {
        self.field(key)
            .map(|n| n.str().map(str::to_string))
            .transpose()
    }

    /// Required string field `key`; its absence is an error at the field's pointer.
    pub(super) fn req_str(&self, key: &str) -> Result<String> {
        self.opt_str(key)?.ok_or_else(|| self.missing(key))
    }

    /// Optional boolean field `key`.
    pub(super) fn opt_bool(&self, key: &str) -> Result<Option<bool>> {
        self.field(key).map(|n| n.bool()).transpose()
    }

    /// Boolean field `key`, `false` when absent.
    pub(super) fn flag(&self, key: &str) -> Result<bool> {
        Ok(self.opt_bool(key)?.unwrap_or(false))
    }

    /// Optional list-of-strings field `key`.
    pub(super) fn opt_strings(&self, key: &str) -> Result<Vec<String>> {
        let Some(list) = self.field(key) else {
            return Ok(Vec::new());
        };
        list.items()?
            .iter()
            .map(|n| n.str().map(str::to_string))
            .collect()
    }

    /// The vendor extensions (`x-...` keys) of a mapping, in file order.
    pub(super) fn extensions(&self) -> Result<Extensions> {
        // Only string keys can start with `x-`; the other keys are not looked at, so a schema
        // with many properties costs no pointer strings here.
        let mut entries = Vec::new();
        for (key, value) in self.value.as_mapping().into_iter().flatten() {
            if let Some(key) = key.as_str().filter(|k| k.starts_with("x-")) {
                entries.push((key.to_string(), self.child(key, value).json()?));
            }
        }
        Ok(Extensions {
            pointer: self.pointer.clone(),
            entries,
        })
    }

    /// The node as a JSON value (for `default`, `enum`, `const`, examples and extensions).
    /// Keys become their string form; tags and non-finite numbers have no JSON spelling and
    /// are errors.
    pub(super) fn json(&self) -> Result<serde_json::Value> {
        self.json_at(0)
    }

    fn json_at(&self, depth: usize) -> Result<serde_json::Value> {
        use serde_json::Value as J;
        if depth > MAX_VALUE_DEPTH {
            return Err(self.error(format!("value nested deeper than {MAX_VALUE_DEPTH} levels")));
        }
        Ok(match self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    J::from(i)
                } else if let Some(u) = n.as_u64() {
                    J::from(u)
                } else {
                    n.as_f64()
                        .and_then(serde_json::Number::from_f64)
                        .map(J::Number)
                        .ok_or_else(|| self.expected("a finite number"))?
                }
            }
            Value::String(s) => J::String(s.clone()),
            Value::Sequence(_) => J::Array(
                self.items()?
                    .iter()
                    .map(|n| n.json_at(depth + 1))
                    .collect::<Result<_>>()?,
            ),
            Value::Mapping(_) => J::Object(
                self.entries()?
                    .into_iter()
                    .map(|(k, n)| Ok((k, n.json_at(depth + 1)?)))
                    .collect::<Result<_>>()?,
            ),
            Value::Tagged(_) => return Err(self.expected("a plain value")),
        })
    }
}

pub(super) use crate::spec::key_string;

/// "a string", "a list", ... for messages.
fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a map",
        Value::Tagged(_) => "a tagged value",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Value {
        yaml_serde::from_str(text).unwrap_or(Value::Null)
    }

    #[test]
    fn non_string_keys_take_their_yaml_spelling() {
        let value = parse("200: a\ntrue: b\n~: c\n2XX: d\n");
        let keys: Vec<String> = Node::root("s.yaml", &value)
            .entries()
            .map(|e| e.into_iter().map(|(k, _)| k).collect())
            .unwrap_or_default();
        assert_eq!(keys, ["200", "true", "null", "2XX"]);
    }

    #[test]
    fn keys_equal_as_strings_are_duplicates() {
        let value = parse("r:\n  200: a\n  '200': b\n");
        let root = Node::root("s.yaml", &value);
        let err = root.field("r").map(|r| r.entries().map(|_| ()));
        assert_eq!(
            err.and_then(|e| e.err()).map(|e| e.to_string()).as_deref(),
            Some("s.yaml#/r/200: duplicate key \"200\"")
        );
    }

    #[test]
    fn a_list_as_a_key_is_an_error_at_the_map() {
        let value = parse("m:\n  ? [a, b]\n  : c\n");
        let err = Node::root("s.yaml", &value)
            .field("m")
            .and_then(|m| m.entries().err())
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("s.yaml#/m: a key of this map is a list, not a string")
        );
    }

    #[test]
    fn wrong_shapes_name_the_node_and_what_was_found() {
        let value = parse("a: {b: [1, x]}\n");
        let root = Node::root("s.yaml", &value);
        let b = root.field("a").and_then(|a| a.field("b"));
        let items = b.as_ref().map(|b| b.items()).transpose().ok().flatten();
        let second = items.as_ref().and_then(|i| i.get(1));
        assert_eq!(
            second.and_then(|n| n.number().err()).map(|e| e.to_string()),
            Some("s.yaml#/a/b/1: expected a number, found a string".to_string())
        );
        assert_eq!(
            root.field("a")
                .and_then(|a| a.req_str("title").err())
                .map(|e| e.to_string()),
            Some("s.yaml#/a/title: required field `title` is missing".to_string())
        );
        assert_eq!(
            b.as_ref()
                .and_then(|b| b.map().err())
                .map(|e| e.to_string()),
            Some("s.yaml#/a/b: expected a map, found a list".to_string())
        );
    }

    #[test]
    fn values_become_json_with_string_keys() {
        let value = parse("v: {1: [true, 2.5, -3, ~], k: s}\n");
        let json = Node::root("s.yaml", &value)
            .field("v")
            .map(|v| v.json())
            .transpose()
            .ok()
            .flatten();
        assert_eq!(
            json,
            Some(serde_json::json!({"1": [true, 2.5, -3, null], "k": "s"}))
        );
    }

    #[test]
    fn non_finite_numbers_and_tags_are_not_json() {
        let value = parse("a: .nan\nb: !thing x\n");
        let root = Node::root("s.yaml", &value);
        let err = |key: &str| {
            root.field(key)
                .and_then(|n| n.json().err())
                .map(|e| e.to_string())
        };
        assert_eq!(
            err("a").as_deref(),
            Some("s.yaml#/a: expected a finite number, found a number")
        );
        assert_eq!(
            err("b").as_deref(),
            Some("s.yaml#/b: expected a plain value, found a tagged value")
        );
    }

    /// `levels` lists (or maps) nested in each other around a null.
    fn nested(levels: usize, in_maps: bool) -> Value {
        let mut value = Value::Null;
        for _ in 0..levels {
            value = if in_maps {
                let mut map = yaml_serde::Mapping::new();
                map.insert(Value::String("k".into()), value);
                Value::Mapping(map)
            } else {
                Value::Sequence(vec![value])
            };
        }
        value
    }

    /// The limit is exact, and lists and maps both count a level each.
    #[test]
    fn json_depth_limit_is_exact_for_lists_and_maps() {
        for in_maps in [false, true] {
            let at_limit = nested(MAX_VALUE_DEPTH, in_maps);
            assert!(
                Node::root("s.yaml", &at_limit).json().is_ok(),
                "{MAX_VALUE_DEPTH} levels refused (maps: {in_maps})"
            );
            let over = nested(MAX_VALUE_DEPTH + 1, in_maps);
            let err = Node::root("s.yaml", &over).json().err().map(|e| e.message);
            assert_eq!(
                err.as_deref(),
                Some("value nested deeper than 128 levels"),
                "maps: {in_maps}"
            );
        }
    }

    #[test]
    fn json_conversion_is_depth_bounded() {
        let mut value = Value::Null;
        for _ in 0..(MAX_VALUE_DEPTH + 5) {
            value = Value::Sequence(vec![value]);
        }
        let err = Node::root("s.yaml", &value).json().err();
        assert!(
            err.is_some_and(|e| e.message.contains("deeper than 128")),
            "deep value accepted"
        );
    }
}
