//! Tests of the model's own helpers: the names it gives methods, locations and types, lookups
//! by name, and what counts as an unconstrained schema.

use super::*;
use serde_json::json;

#[test]
fn methods_locations_and_types_have_the_specs_words() {
    let keys: Vec<&str> = Method::ALL.iter().map(|m| m.key()).collect();
    assert_eq!(
        keys,
        [
            "get", "put", "post", "delete", "options", "head", "patch", "trace"
        ]
    );
    let locations = [
        ParameterIn::Path,
        ParameterIn::Query,
        ParameterIn::Header,
        ParameterIn::Cookie,
    ];
    let words: Vec<&str> = locations.iter().map(|l| l.as_str()).collect();
    assert_eq!(words, ["path", "query", "header", "cookie"]);
    let types = [
        SchemaType::String,
        SchemaType::Number,
        SchemaType::Integer,
        SchemaType::Boolean,
        SchemaType::Object,
        SchemaType::Array,
    ];
    let words: Vec<&str> = types.iter().map(|t| t.as_str()).collect();
    assert_eq!(
        words,
        ["string", "number", "integer", "boolean", "object", "array"]
    );
    // Every word reads back as its type; `null` is nullability, not a type.
    for t in types {
        assert_eq!(SchemaType::from_word(t.as_str()), Some(t));
    }
    assert_eq!(SchemaType::from_word("null"), None);
    assert_eq!(SchemaType::from_word("String"), None);
}

#[test]
fn components_and_extensions_are_found_by_name() {
    let schema = |pointer: &str| Schema {
        pointer: pointer.into(),
        ..Schema::default()
    };
    let parameter = |name: &str| Parameter {
        pointer: format!("/components/parameters/{name}"),
        name: name.into(),
        location: ParameterIn::Query,
        required: false,
        deprecated: false,
        description: None,
        style: None,
        explode: None,
        allow_reserved: false,
        schema: None,
        content_type: None,
        extensions: Extensions::default(),
    };
    let components = Components {
        schemas: vec![("A".into(), schema("/a")), ("B".into(), schema("/b"))],
        parameters: vec![("P".into(), parameter("p")), ("Q".into(), parameter("q"))],
        security_schemes: vec![],
    };
    assert_eq!(
        components.schema("B").map(|s| s.pointer.as_str()),
        Some("/b")
    );
    assert_eq!(
        components.schema("A").map(|s| s.pointer.as_str()),
        Some("/a")
    );
    assert!(components.schema("C").is_none());
    assert_eq!(
        components.parameter("Q").map(|p| p.name.as_str()),
        Some("q")
    );
    assert_eq!(
        components.parameter("P").map(|p| p.name.as_str()),
        Some("p")
    );
    assert!(components.parameter("R").is_none());

    let extensions = Extensions {
        pointer: "/paths/~1a/get".into(),
        entries: vec![("x-a".into(), json!(1)), ("x-b/c".into(), json!("two"))],
    };
    assert_eq!(extensions.get("x-b/c"), Some(&json!("two")));
    assert_eq!(extensions.get("x-a"), Some(&json!(1)));
    assert_eq!(extensions.get("x-z"), None);
    // The pointer of an extension escapes its name, present or not.
    assert_eq!(extensions.pointer_of("x-b/c"), "/paths/~1a/get/x-b~1c");
    assert_eq!(extensions.pointer_of("x-z"), "/paths/~1a/get/x-z");
}

#[test]
fn component_names_are_unescaped_from_local_references() {
    assert_eq!(
        Schema::component_name("#/components/schemas/User").as_deref(),
        Some("User")
    );
    assert_eq!(
        Schema::component_name("#/components/schemas/a~1b~0c").as_deref(),
        Some("a/b~c")
    );
    assert_eq!(Schema::component_name("#/components/responses/User"), None);
    assert_eq!(
        Schema::component_name("other.yaml#/components/schemas/User"),
        None
    );
    // `~01` is an escaped `~` followed by `1`, not an escaped `/`.
    assert_eq!(unescape_pointer_token("~01"), "~1");
    assert_eq!(unescape_pointer_token("plain"), "plain");
}

#[test]
fn only_a_schema_without_constraints_is_unconstrained() {
    let bare = Schema {
        pointer: "/s".into(),
        description: Some("anything".into()),
        title: Some("t".into()),
        nullable: true,
        default: Some(json!(1)),
        examples: vec![json!(2)],
        ..Schema::default()
    };
    assert!(bare.is_unconstrained());
    let some = || Box::new(Schema::default());
    let constrained: [(&str, Schema); 14] = [
        (
            "reference",
            Schema {
                reference: Some("#/components/schemas/A".into()),
                ..Schema::default()
            },
        ),
        (
            "types",
            Schema {
                types: vec![SchemaType::String],
                ..Schema::default()
            },
        ),
        (
            "format",
            Schema {
                format: Some("uuid".into()),
                ..Schema::default()
            },
        ),
        (
            "enum",
            Schema {
                enumeration: vec![json!("a")],
                ..Schema::default()
            },
        ),
        (
            "const",
            Schema {
                constant: Some(json!("a")),
                ..Schema::default()
            },
        ),
        (
            "properties",
            Schema {
                properties: vec![("a".into(), Schema::default())],
                ..Schema::default()
            },
        ),
        (
            "required",
            Schema {
                required: vec!["a".into()],
                ..Schema::default()
            },
        ),
        (
            "additionalProperties",
            Schema {
                additional: Some(Additional::Bool(false)),
                ..Schema::default()
            },
        ),
        (
            "items",
            Schema {
                items: Some(some()),
                ..Schema::default()
            },
        ),
        (
            "prefixItems",
            Schema {
                prefix_items: vec![Schema::default()],
                ..Schema::default()
            },
        ),
        (
            "allOf",
            Schema {
                all_of: vec![Schema::default()],
                ..Schema::default()
            },
        ),
        (
            "oneOf",
            Schema {
                one_of: vec![Schema::default()],
                ..Schema::default()
            },
        ),
        (
            "anyOf",
            Schema {
                any_of: vec![Schema::default()],
                ..Schema::default()
            },
        ),
        (
            "not",
            Schema {
                not: Some(some()),
                ..Schema::default()
            },
        ),
    ];
    for (keyword, schema) in constrained {
        assert!(!schema.is_unconstrained(), "{keyword}");
    }
}

#[test]
fn each_version_has_its_reader() {
    let read_text = |text: &str, version| {
        let value: yaml_serde::Value = yaml_serde::from_str(text).unwrap_or_default();
        read(&value, version, "s.yaml", &mut Diagnostics::new("s.yaml"))
    };
    // `paths` is required in 3.0 and optional in 3.1: each reader judges its own version.
    let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n";
    let v31 = read_text(text, Version::V31);
    assert_eq!(v31.map(|d| d.version).ok(), Some(Version::V31));
    let v30 = read_text(text, Version::V30).err().map(|e| e.to_string());
    assert_eq!(
        v30.as_deref(),
        Some("s.yaml: not a valid OpenAPI 3.0 document: missing field `paths`")
    );
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";
    let v30 = read_text(text, Version::V30);
    assert_eq!(v30.map(|d| d.version).ok(), Some(Version::V30));
}

#[test]
fn mapping_keys_take_their_string_form() {
    use yaml_serde::Value;
    let number = yaml_serde::from_str::<Value>("200").unwrap_or_default();
    assert_eq!(key_string(&number).as_deref(), Some("200"));
    assert_eq!(key_string(&Value::String("a".into())).as_deref(), Some("a"));
    assert_eq!(key_string(&Value::Bool(true)).as_deref(), Some("true"));
    assert_eq!(key_string(&Value::Null).as_deref(), Some("null"));
    assert_eq!(key_string(&Value::Sequence(vec![])), None);
    assert_eq!(key_string(&Value::Mapping(Default::default())), None);
}
