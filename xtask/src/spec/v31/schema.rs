//! Schema objects (JSON Schema 2020-12 as OpenAPI 3.1 uses it) to [`Schema`].
//!
//! The 3.1 spellings are normalised here: a `type` list with `"null"` (or `type: "null"`
//! alone, which is read as `const: null`), `const`, `examples` lists, numeric
//! `exclusiveMinimum`/`exclusiveMaximum`, `prefixItems`, boolean schemas (`true` is `{}`,
//! `false` is `not: {}`), and `$ref` beside other keywords. 3.0 spellings that real 3.1
//! documents still carry (`nullable`, boolean exclusive bounds, `example`, a list under
//! `items`) are honoured with a warning, except `example`, which 3.1 still allows.

use super::Reader;
use super::node::Node;
use crate::error::Result;
use crate::spec::{Additional, Bound, Discriminator, Schema, SchemaType};
use serde_json::Value;

/// How deep inline schemas may nest below a component, parameter or media type. Real specs
/// stay far below; the bound turns a hostile nesting into an error instead of a stack
/// overflow (references do not count: they are not followed here).
pub(super) const MAX_SCHEMA_DEPTH: usize = 64;

/// Keywords that identify a schema for JSON Schema tooling; the generator resolves references
/// by JSON pointer alone, so they are read past with a note (`$comment` silently).
const IDENTITY_KEYWORDS: [&str; 4] = ["$id", "$schema", "$anchor", "$dynamicAnchor"];

impl<'a> Reader<'a, '_> {
    /// Reads the schema at `node`, `depth` levels below the outermost schema.
    pub(super) fn schema(&mut self, node: &Node<'a>, depth: usize) -> Result<Schema> {
        if depth > MAX_SCHEMA_DEPTH {
            return Err(node.error(format!(
                "schemas nested deeper than {MAX_SCHEMA_DEPTH} levels (move the inner ones to \
                 components)"
            )));
        }
        let pointer = node.pointer().to_string();
        if let Some(accepts) = node.value().as_bool() {
            // Boolean schemas: `true` accepts anything, `false` nothing.
            let any = Schema {
                pointer: pointer.clone(),
                ..Schema::default()
            };
            return Ok(if accepts {
                any
            } else {
                Schema {
                    pointer,
                    not: Some(Box::new(any)),
                    ..Schema::default()
                }
            });
        }
        node.map()?;
        self.note_identity_keywords(node);
        let mut schema = Schema {
            pointer,
            format: node.opt_str("format")?,
            required: node.opt_strings("required")?,
            title: node.opt_str("title")?,
            description: node.opt_str("description")?,
            deprecated: node.flag("deprecated")?,
            read_only: node.flag("readOnly")?,
            write_only: node.flag("writeOnly")?,
            content_media_type: node.opt_str("contentMediaType")?,
            content_encoding: node.opt_str("contentEncoding")?,
            extensions: node.extensions()?,
            ..Schema::default()
        };
        if let Some(at) = node.field("$ref") {
            let reference = at.str()?;
            schema.reference = Some(self.schemas.canonical(&self.root, &at, reference)?);
        }
        self.read_types(node, &mut schema)?;
        self.read_values(node, &mut schema)?;
        self.read_children(node, depth, &mut schema)?;
        schema.minimum = self.bound(node, "minimum", "exclusiveMinimum", Tighter::Larger)?;
        schema.maximum = self.bound(node, "maximum", "exclusiveMaximum", Tighter::Smaller)?;
        if let Some(at) = node.field("discriminator") {
            schema.discriminator = Some(self.discriminator(&at)?);
        }
        Ok(schema)
    }

    fn note_identity_keywords(&mut self, node: &Node<'a>) {
        for keyword in IDENTITY_KEYWORDS {
            if node.field(keyword).is_some() {
                self.diagnostics.note_once(
                    keyword,
                    &node.pointer_of(keyword),
                    format!("`{keyword}` is not used: references are resolved by JSON pointer"),
                );
            }
        }
        if node.field("$dynamicRef").is_some() {
            self.diagnostics.warn_once(
                "$dynamicRef",
                &node.pointer_of("$dynamicRef"),
                "`$dynamicRef` is not followed; the schema is read without it",
            );
        }
    }

    /// `type` (a name or a list of names, `"null"` meaning nullable) and 3.0's `nullable`.
    fn read_types(&mut self, node: &Node<'a>, schema: &mut Schema) -> Result<()> {
        if let Some(at) = node.field("type") {
            let names = if at.value().is_sequence() {
                let items = at.items()?;
                if items.is_empty() {
                    return Err(at.error("`type` is an empty list"));
                }
                items
            } else {
                vec![at]
            };
            for name_node in names {
                let name = name_node.str()?;
                match type_named(name) {
                    Some(t) if !schema.types.contains(&t) => schema.types.push(t),
                    Some(_) => {}
                    None if name == "null" => schema.nullable = true,
                    None => return Err(name_node.error(format!("unknown type {name:?}"))),
                }
            }
            if schema.types.is_empty() && schema.nullable && node.field("const").is_none() {
                // `type: "null"` alone admits one value; saying so keeps the schema from
                // reading as "anything" to a consumer that looks only at `types`.
                schema.constant = Some(Value::Null);
            }
        }
        if node.opt_bool("nullable")? == Some(true) {
            self.diagnostics.warn_once(
                "nullable-in-3.1",
                &node.pointer_of("nullable"),
                "`nullable` is OpenAPI 3.0, not 3.1 (write `type: [..., \"null\"]`); honoured",
            );
            schema.nullable = true;
        }
        Ok(())
    }

    /// `enum`, `const`, `default`, `examples` and `example`.
    fn read_values(&mut self, node: &Node<'a>, schema: &mut Schema) -> Result<()> {
        if let Some(at) = node.field("enum") {
            schema.enumeration = at.items()?.iter().map(Node::json).collect::<Result<_>>()?;
        }
        if let Some(at) = node.field("const") {
            let value = at.json()?;
            schema.nullable |= value.is_null();
            schema.constant = Some(value);
        }
        schema.default = node.field("default").map(|n| n.json()).transpose()?;
        if let Some(at) = node.field("examples") {
            if at.value().is_sequence() {
                for item in at.items()? {
                    schema.examples.push(item.json()?);
                }
            } else {
                // A map of named examples belongs to a media type, not a schema; keep it as
                // one example rather than refuse documentation.
                self.diagnostics.warn_once(
                    "schema-examples-not-a-list",
                    at.pointer(),
                    "a schema's `examples` is a list; read as one example",
                );
                schema.examples.push(at.json()?);
            }
        }
        if let Some(at) = node.field("example") {
            schema.examples.push(at.json()?);
        }
        Ok(())
    }

    /// The subschemas: properties, items, tuples, compositions and `not`.
    fn read_children(&mut self, node: &Node<'a>, depth: usize, schema: &mut Schema) -> Result<()> {
        let next = depth + 1;
        if let Some(at) = node.field("properties") {
            for (name, property) in at.entries()? {
                schema
                    .properties
                    .push((name, self.schema(&property, next)?));
            }
        }
        if let Some(at) = node.field("additionalProperties") {
            schema.additional = Some(match at.value().as_bool() {
                Some(allowed) => Additional::Bool(allowed),
                None => Additional::Schema(Box::new(self.schema(&at, next)?)),
            });
        }
        if let Some(at) = node.field("prefixItems") {
            schema.prefix_items = self.schema_list(&at, next)?;
        }
        if let Some(at) = node.field("items") {
            if at.value().is_sequence() {
                self.diagnostics.warn_once(
                    "items-list",
                    at.pointer(),
                    "a list under `items` is the tuple form of older JSON Schema; read as \
                     `prefixItems`",
                );
                if schema.prefix_items.is_empty() {
                    schema.prefix_items = self.schema_list(&at, next)?;
                }
            } else {
                schema.items = Some(Box::new(self.schema(&at, next)?));
            }
        }
        if let Some(at) = node.field("allOf") {
            schema.all_of = self.schema_list(&at, next)?;
        }
        if let Some(at) = node.field("oneOf") {
            schema.one_of = self.schema_list(&at, next)?;
        }
        if let Some(at) = node.field("anyOf") {
            schema.any_of = self.schema_list(&at, next)?;
        }
        if let Some(at) = node.field("not") {
            schema.not = Some(Box::new(self.schema(&at, next)?));
        }
        Ok(())
    }

    fn schema_list(&mut self, node: &Node<'a>, depth: usize) -> Result<Vec<Schema>> {
        node.items()?
            .iter()
            .map(|item| self.schema(item, depth))
            .collect()
    }

    /// A numeric bound from its inclusive keyword and its exclusive one: a number (3.1) is a
    /// bound of its own, the tighter of the two wins (the exclusive one on a tie); a boolean
    /// (3.0) marks the inclusive bound exclusive, with a warning.
    fn bound(
        &mut self,
        node: &Node<'a>,
        inclusive_key: &str,
        exclusive_key: &str,
        tighter: Tighter,
    ) -> Result<Option<Bound>> {
        let inclusive = node
            .field(inclusive_key)
            .map(|n| n.number())
            .transpose()?
            .map(|value| Bound {
                value,
                exclusive: false,
            });
        let Some(at) = node.field(exclusive_key) else {
            return Ok(inclusive);
        };
        if let Some(flag) = at.value().as_bool() {
            self.diagnostics.warn_once(
                "boolean-exclusive-bound",
                at.pointer(),
                format!("a boolean `{exclusive_key}` is OpenAPI 3.0, not 3.1 (3.1 takes the bound itself); honoured"),
            );
            return Ok(inclusive.map(|b| Bound {
                exclusive: flag,
                ..b
            }));
        }
        let exclusive = Bound {
            value: at.number()?,
            exclusive: true,
        };
        Ok(Some(match inclusive {
            Some(b) if tighter.prefers(b.value, exclusive.value) => b,
            _ => exclusive,
        }))
    }

    fn discriminator(&mut self, node: &Node<'a>) -> Result<Discriminator> {
        node.map()?;
        let property_name = node.req_str("propertyName")?;
        let mut mapping = Vec::new();
        if let Some(at) = node.field("mapping") {
            for (tag, target) in at.entries()? {
                let written = target.str()?;
                // A bare name is a component name; anything else is a reference.
                let reference = if written.contains(['#', '/']) {
                    written.to_string()
                } else {
                    format!(
                        "#/components/schemas/{}",
                        crate::error::pointer_token(written)
                    )
                };
                let reference = self.schemas.canonical(&self.root, &target, &reference)?;
                mapping.push((tag, reference));
            }
        }
        Ok(Discriminator {
            property_name,
            mapping,
        })
    }
}

/// Which of two bounds is the tighter.
#[derive(Clone, Copy)]
enum Tighter {
    /// Lower bounds: the larger.
    Larger,
    /// Upper bounds: the smaller.
    Smaller,
}

impl Tighter {
    /// Whether the inclusive `a` is strictly tighter than the exclusive `b`.
    fn prefers(self, a: f64, b: f64) -> bool {
        match self {
            Tighter::Larger => a > b,
            Tighter::Smaller => a < b,
        }
    }
}

fn type_named(name: &str) -> Option<SchemaType> {
    Some(match name {
        "string" => SchemaType::String,
        "number" => SchemaType::Number,
        "integer" => SchemaType::Integer,
        "boolean" => SchemaType::Boolean,
        "object" => SchemaType::Object,
        "array" => SchemaType::Array,
        _ => return None,
    })
}
