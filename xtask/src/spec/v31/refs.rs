//! `$ref`s: parsing a local reference, finding its target, following chains of references
//! with cycle detection, and giving every schema reference a component to point at.
//!
//! Only local references (`#/...`) are read; an external file or URL, or a plain-name anchor
//! (`#node`), is an error at the pointer of the `$ref`. Parameter, request-body, response,
//! header and path-item references may point anywhere in the document (3.1 allows it) and are
//! replaced by their target. Schema references stay references (see [`SchemaRefs`]).

use super::node::{Node, key_string};
use crate::error::{Result, pointer_token};
use crate::spec::unescape_pointer_token;
use std::collections::{HashMap, HashSet, VecDeque};

/// How many `$ref`s a chain may pass through before it is refused; a legitimate chain is one
/// or two long, and the bound keeps a hostile chain from costing more than it is worth.
const MAX_CHAIN: usize = 32;

/// The unescaped tokens of the local reference `reference`, written at `at` (the `$ref` node).
pub(super) fn local_tokens(at: &Node<'_>, reference: &str) -> Result<Vec<String>> {
    let Some(fragment) = reference.strip_prefix('#') else {
        return Err(at.error(format!(
            "external reference {reference:?} is not supported: only local `#/...` references are"
        )));
    };
    let fragment = percent_decode(fragment).ok_or_else(|| {
        at.error(format!(
            "reference {reference:?} is not valid percent-encoding"
        ))
    })?;
    if fragment.is_empty() {
        return Ok(Vec::new());
    }
    let Some(path) = fragment.strip_prefix('/') else {
        return Err(at.error(format!(
            "anchor reference {reference:?} is not supported: only JSON-pointer references are"
        )));
    };
    Ok(path.split('/').map(unescape_pointer_token).collect())
}

/// The node at `tokens` below `root`, if there is one. Map keys compare in their string form,
/// so `#/components/responses/200` finds a key YAML read as a number.
pub(super) fn resolve<'a>(root: &Node<'a>, tokens: &[String]) -> Option<Node<'a>> {
    let mut node = root.clone();
    for token in tokens {
        let value = node.value();
        let child = if let Some(map) = value.as_mapping() {
            map.get(token.as_str()).or_else(|| {
                map.iter()
                    .find(|(k, _)| key_string(k).as_deref() == Some(token.as_str()))
                    .map(|(_, v)| v)
            })
        } else if let Some(items) = value.as_sequence() {
            token.parse::<usize>().ok().and_then(|i| items.get(i))
        } else {
            None
        }?;
        node = node.child(token, child);
    }
    Some(node)
}

/// Follows `$ref`s from `node` to the first node that is not a reference. A dangling, external
/// or cyclic reference is an error at the pointer of the `$ref` that makes it so.
pub(super) fn follow<'a>(root: &Node<'a>, node: Node<'a>) -> Result<Node<'a>> {
    let mut node = node;
    let mut passed: Vec<String> = Vec::new();
    while let Some(at) = node.field("$ref") {
        if passed.len() >= MAX_CHAIN {
            return Err(at.error(format!(
                "more than {MAX_CHAIN} references in a row (a reference chain this long is refused)"
            )));
        }
        let reference = at.str()?;
        let tokens = local_tokens(&at, reference)?;
        let target = resolve(root, &tokens)
            .ok_or_else(|| at.error(format!("dangling reference {reference:?}")))?;
        passed.push(node.pointer().to_string());
        if passed.iter().any(|p| p == target.pointer()) {
            return Err(at.error(format!(
                "reference cycle: {reference:?} leads back to a reference already followed"
            )));
        }
        node = target;
    }
    Ok(node)
}

/// Decodes `%XX` escapes (URI fragments may carry them); `None` for a bad escape or bytes
/// that are not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    if !text.contains('%') {
        return Some(text.to_string());
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Schema references, each made to name a component.
///
/// A reference to `#/components/schemas/X` stays as it is (in canonical spelling) once `X` is
/// known to exist. Any other local target, chiefly a 3.1 `$defs` entry
/// (`#/components/schemas/X/$defs/Y`, `#/$defs/Y`), is *hoisted*: registered as an extra
/// component schema under a derived name and the reference rewritten to it, so the rest of the
/// generator sees one kind of schema reference. Derived names join the tokens after
/// `#/components/schemas/` with `.`, leave out `$defs` and `definitions`, and replace anything
/// outside `[A-Za-z0-9._-]`: `X/$defs/Y` becomes `X.Y`, `#/$defs/Y` becomes `Y`. A name already
/// taken gets `_2`, `_3`, ... in the order targets are first referenced. Each target is
/// hoisted once, however many references reach it, and only targets some reference reaches.
#[derive(Debug, Default)]
pub(super) struct SchemaRefs<'a> {
    /// Names of `components.schemas`.
    components: HashSet<String>,
    /// Every name in use: components and hoisted targets.
    taken: HashSet<String>,
    /// Pointer of a hoisted target -> its component name.
    hoisted: HashMap<String, String>,
    /// Hoisted targets not read yet.
    pending: VecDeque<(String, Node<'a>)>,
}

impl<'a> SchemaRefs<'a> {
    /// The registry for a document whose `components.schemas` has `names`.
    pub(super) fn new(names: impl IntoIterator<Item = String>) -> Self {
        let components: HashSet<String> = names.into_iter().collect();
        SchemaRefs {
            taken: components.clone(),
            components,
            ..SchemaRefs::default()
        }
    }

    /// The canonical `#/components/schemas/...` reference for `reference`, written at `at`;
    /// hoists the target if it is not a component (see the type's documentation).
    pub(super) fn canonical(
        &mut self,
        root: &Node<'a>,
        at: &Node<'a>,
        reference: &str,
    ) -> Result<String> {
        let tokens = local_tokens(at, reference)?;
        let dangling = || at.error(format!("dangling reference {reference:?}"));
        if let [components, schemas, name] = tokens.as_slice() {
            if components == "components" && schemas == "schemas" {
                return if self.components.contains(name) {
                    Ok(component_ref(name))
                } else {
                    Err(dangling())
                };
            }
        }
        if tokens.is_empty() {
            return Err(at.error(format!(
                "reference {reference:?} is the whole document, not a schema"
            )));
        }
        let target = resolve(root, &tokens).ok_or_else(dangling)?;
        if let Some(name) = self.hoisted.get(target.pointer()) {
            return Ok(component_ref(name));
        }
        let name = self.unique(derived_name(&tokens));
        self.hoisted
            .insert(target.pointer().to_string(), name.clone());
        let reference = component_ref(&name);
        self.pending.push_back((name, target));
        Ok(reference)
    }

    /// The next hoisted target to read as a component schema, with its name.
    pub(super) fn next_pending(&mut self) -> Option<(String, Node<'a>)> {
        self.pending.pop_front()
    }

    fn unique(&mut self, base: String) -> String {
        let name = if self.taken.contains(&base) {
            // One of these is free: there are only `taken.len()` names in use.
            (2..=self.taken.len() + 2)
                .map(|n| format!("{base}_{n}"))
                .find(|candidate| !self.taken.contains(candidate))
                .unwrap_or_else(|| format!("{base}_{}", self.taken.len() + 3))
        } else {
            base
        };
        self.taken.insert(name.clone());
        name
    }
}

/// `#/components/schemas/<name>`, with the name escaped.
fn component_ref(name: &str) -> String {
    format!("#/components/schemas/{}", pointer_token(name))
}

/// The component name for a hoisted target at `tokens`.
fn derived_name(tokens: &[String]) -> String {
    let rest = match tokens {
        [components, schemas, rest @ ..] if components == "components" && schemas == "schemas" => {
            rest
        }
        _ => tokens,
    };
    let name = rest
        .iter()
        .filter(|t| *t != "$defs" && *t != "definitions")
        .map(|t| {
            t.chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                        c
                    } else {
                        '_'
                    }
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join(".");
    if name.is_empty() {
        "Schema".to_string()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yaml_serde::Value;

    fn parse(text: &str) -> Value {
        yaml_serde::from_str(text).unwrap_or(Value::Null)
    }

    fn err_of<T>(result: Result<T>) -> String {
        result.err().map(|e| e.to_string()).unwrap_or_default()
    }

    #[test]
    fn tokens_are_unescaped_and_percent_decoded() {
        let value = Value::Null;
        let at = Node::root("s.yaml", &value);
        let tokens = local_tokens(&at, "#/a~1b/c~0d/e%20f").unwrap_or_default();
        assert_eq!(tokens, ["a/b", "c~d", "e f"]);
        assert!(local_tokens(&at, "#").is_ok_and(|t| t.is_empty()));
    }

    #[test]
    fn external_anchor_and_bad_escapes_are_refused() {
        let value = parse("$ref: x\n");
        let root = Node::root("s.yaml", &value);
        let at = root.field("$ref").unwrap_or_else(|| root.clone());
        assert_eq!(
            err_of(local_tokens(&at, "other.yaml#/components/schemas/A")),
            "s.yaml#/$ref: external reference \"other.yaml#/components/schemas/A\" is not \
             supported: only local `#/...` references are"
        );
        assert_eq!(
            err_of(local_tokens(&at, "#thing")),
            "s.yaml#/$ref: anchor reference \"#thing\" is not supported: only JSON-pointer \
             references are"
        );
        assert!(err_of(local_tokens(&at, "#/a%zz")).contains("percent-encoding"));
    }

    #[test]
    fn resolve_walks_maps_by_key_string_and_lists_by_index() {
        let value = parse("r:\n  200: {l: [a, {b: c}]}\n");
        let root = Node::root("s.yaml", &value);
        let tokens: Vec<String> = ["r", "200", "l", "1", "b"].map(String::from).to_vec();
        let found = resolve(&root, &tokens);
        assert_eq!(found.as_ref().map(|n| n.pointer()), Some("/r/200/l/1/b"));
        assert_eq!(found.and_then(|n| n.value().as_str()), Some("c"));
        assert!(resolve(&root, &["r".to_string(), "404".to_string()]).is_none());
    }

    #[test]
    fn chains_are_followed_and_cycles_refused() {
        let value = parse(
            "a: {$ref: '#/b'}\nb: {$ref: '#/c'}\nc: {name: x}\n\
             p: {$ref: '#/q'}\nq: {$ref: '#/p'}\ns: {$ref: '#/s'}\nd: {$ref: '#/nope'}\n",
        );
        let root = Node::root("s.yaml", &value);
        let start = |key: &str| root.field(key).unwrap_or_else(|| root.clone());
        let end = follow(&root, start("a"));
        assert_eq!(
            end.ok().map(|n| n.pointer().to_string()).as_deref(),
            Some("/c")
        );
        assert_eq!(
            err_of(follow(&root, start("p"))),
            "s.yaml#/q/$ref: reference cycle: \"#/p\" leads back to a reference already followed"
        );
        assert!(err_of(follow(&root, start("s"))).starts_with("s.yaml#/s/$ref: reference cycle"));
        assert_eq!(
            err_of(follow(&root, start("d"))),
            "s.yaml#/d/$ref: dangling reference \"#/nope\""
        );
    }

    #[test]
    fn long_chains_are_bounded() {
        let mut text = String::new();
        for i in 0..100 {
            text.push_str(&format!("n{i}: {{$ref: '#/n{}'}}\n", i + 1));
        }
        text.push_str("n100: {}\n");
        let value = parse(&text);
        let root = Node::root("s.yaml", &value);
        let start = root.field("n0").unwrap_or_else(|| root.clone());
        assert!(err_of(follow(&root, start)).contains("more than 32 references in a row"));
    }

    #[test]
    fn defs_are_hoisted_once_with_derived_unique_names() {
        let value = parse(
            "components:\n  schemas:\n    A: {$defs: {B: {type: string}}}\n    A.B: {}\n\
             $defs: {C: {type: integer}}\n",
        );
        let root = Node::root("s.yaml", &value);
        let mut refs = SchemaRefs::new(["A".to_string(), "A.B".to_string()]);
        let at = root.clone();
        let mut canonical = |r: &str| refs.canonical(&root, &at, r).unwrap_or_default();
        assert_eq!(
            canonical("#/components/schemas/A"),
            "#/components/schemas/A"
        );
        assert_eq!(
            canonical("#/components/schemas/A/$defs/B"),
            "#/components/schemas/A.B_2"
        );
        assert_eq!(
            canonical("#/components/schemas/A/%24defs/B"),
            "#/components/schemas/A.B_2"
        );
        assert_eq!(canonical("#/$defs/C"), "#/components/schemas/C");
        let pending: Vec<(String, String)> = std::iter::from_fn(|| refs.next_pending())
            .map(|(name, node)| (name, node.pointer().to_string()))
            .collect();
        assert_eq!(
            pending,
            [
                (
                    "A.B_2".to_string(),
                    "/components/schemas/A/$defs/B".to_string()
                ),
                ("C".to_string(), "/$defs/C".to_string()),
            ]
        );
    }

    /// Only `#/components/schemas/X` names a component: a three-token pointer elsewhere that
    /// merely passes through a `schemas` key is hoisted, under a name from all its tokens.
    #[test]
    fn only_components_schemas_name_a_component() {
        let value =
            parse("components:\n  schemas:\n    A: {}\nx:\n  schemas:\n    A: {type: string}\n");
        let root = Node::root("s.yaml", &value);
        let mut refs = SchemaRefs::new(["A".to_string()]);
        let at = root.clone();
        assert_eq!(
            refs.canonical(&root, &at, "#/x/schemas/A").ok().as_deref(),
            Some("#/components/schemas/x.schemas.A")
        );
    }

    #[test]
    fn dangling_schema_refs_are_errors() {
        let value = parse("components: {schemas: {A: {}}}\n");
        let root = Node::root("s.yaml", &value);
        let mut refs = SchemaRefs::new(["A".to_string()]);
        let at = root.child("$ref", &value);
        assert_eq!(
            err_of(refs.canonical(&root, &at, "#/components/schemas/B")),
            "s.yaml#/$ref: dangling reference \"#/components/schemas/B\""
        );
        assert_eq!(
            err_of(refs.canonical(&root, &at, "#/components/schemas/A/$defs/X")),
            "s.yaml#/$ref: dangling reference \"#/components/schemas/A/$defs/X\""
        );
        assert!(err_of(refs.canonical(&root, &at, "#")).contains("the whole document"));
    }
}
