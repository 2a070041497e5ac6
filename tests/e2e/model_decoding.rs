//! The generated models' `Deserialize` (written by the runtime's `model_impls!` from the
//! generator's field list) against serde's derive with `#[serde(flatten)]`, which it replaced:
//! for each model below, a hand-written twin declares the same fields with the attributes the
//! derive needs, and arbitrary JSON objects (known properties with right, wrong and `null`
//! values, unknown properties, repeated and escaped keys, in any order) must decode to the same
//! value in both, or fail with the same message. The twins are written from the schema, not
//! from the generated code, so a wrong `@required` or wire name in the generator's output shows.
//!
//! Part of the `e2e` test binary.

use cld_provisioning::models::{
    PrincipalResponseData, PrincipalTypeEnum, ScopeTypeEnum, UpdateCustomPolicy, User,
};
use cld_provisioning::runtime::{DateTime, Nullable};
use proptest::prelude::*;
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use serde_json::{Map, Value};

/// Cases per model.
const CASES: u32 = 256;

/// `User`: every property optional.
#[derive(Serialize, Deserialize)]
struct UserTwin {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pending: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    created_at: Option<DateTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    updated_at: Option<DateTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    last_login: Option<DateTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    all_sub_accounts: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    providers: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    email_preferences: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    account_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    two_factor: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    root: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    technical_role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    group_count: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sub_account_count: Option<i64>,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

/// `PrincipalResponseData`: `id` and `type` required, the wire name `type` a keyword in Rust.
#[derive(Serialize, Deserialize)]
struct PrincipalTwin {
    id: String,
    r#type: PrincipalTypeEnum,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    role_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    policy_parameters: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    scope_type: Option<ScopeTypeEnum>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    scope_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    created_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    updated_at: Option<i64>,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

/// `UpdateCustomPolicy`, a request model: required fields, tri-state optional nullable ones,
/// and `enabled`, required and nullable.
#[derive(Serialize, Deserialize)]
struct UpdateCustomPolicyTwin {
    policy_statement: String,
    #[serde(default, skip_serializing_if = "Nullable::is_unset")]
    description: Nullable<String>,
    scope_type: ScopeTypeEnum,
    #[serde(default, skip_serializing_if = "Nullable::is_unset")]
    scope_id: Nullable<String>,
    name: String,
    #[serde(default)]
    enabled: Option<bool>,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

/// What a property's value should be, to draw right and wrong values for it.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Text,
    Flag,
    Int,
    Date,
    Texts,
    Any,
    Choice(&'static [&'static str]),
}

const USER: &[(&str, Kind)] = &[
    ("id", Kind::Text),
    ("name", Kind::Text),
    ("first_name", Kind::Text),
    ("last_name", Kind::Text),
    ("role", Kind::Text),
    ("email", Kind::Text),
    ("pending", Kind::Flag),
    ("enabled", Kind::Flag),
    ("created_at", Kind::Date),
    ("updated_at", Kind::Date),
    ("last_login", Kind::Date),
    ("all_sub_accounts", Kind::Flag),
    ("providers", Kind::Texts),
    ("email_preferences", Kind::Any),
    ("account_id", Kind::Text),
    ("two_factor", Kind::Flag),
    ("status", Kind::Text),
    ("root", Kind::Flag),
    ("technical_role", Kind::Text),
    ("group_count", Kind::Int),
    ("sub_account_count", Kind::Int),
];

const SCOPES: &[&str] = &["account", "prodenv"];

const PRINCIPAL: &[(&str, Kind)] = &[
    ("id", Kind::Text),
    (
        "type",
        Kind::Choice(&["user", "group", "apiKey", "provisioningKey"]),
    ),
    ("role_id", Kind::Text),
    ("policy_parameters", Kind::Any),
    ("scope_type", Kind::Choice(SCOPES)),
    ("scope_id", Kind::Text),
    ("created_at", Kind::Int),
    ("updated_at", Kind::Int),
];

const UPDATE_POLICY: &[(&str, Kind)] = &[
    ("policy_statement", Kind::Text),
    ("description", Kind::Text),
    ("scope_type", Kind::Choice(SCOPES)),
    ("scope_id", Kind::Text),
    ("name", Kind::Text),
    ("enabled", Kind::Flag),
];

/// Names no model here knows, some close to known ones or to the Rust field names.
const UNKNOWN: &[&str] = &[
    "extra",
    "display_name",
    "Type",
    "r#type",
    "ID",
    "future",
    "",
];

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "[a-z@. ]{0,8}".prop_map(Value::from),
    ]
}

fn any_json() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::vec(("[a-z]{0,4}", inner), 0..4)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

/// A value of the right shape for `kind`.
fn right(kind: Kind) -> BoxedStrategy<Value> {
    match kind {
        Kind::Text => "[a-zA-Z0-9@._ -]{0,12}".prop_map(Value::from).boxed(),
        Kind::Flag => any::<bool>().prop_map(Value::from).boxed(),
        Kind::Int => any::<i64>().prop_map(Value::from).boxed(),
        Kind::Date => prop_oneof![
            Just(Value::from("2024-05-01T10:20:30Z")),
            any::<i64>().prop_map(Value::from),
            "[0-9T:Z-]{0,20}".prop_map(Value::from),
        ]
        .boxed(),
        Kind::Texts => prop::collection::vec("[a-z]{0,6}", 0..3)
            .prop_map(Value::from)
            .boxed(),
        Kind::Any => any_json().boxed(),
        Kind::Choice(values) => prop_oneof![
            prop::sample::select(values).prop_map(Value::from),
            "[a-z]{0,6}".prop_map(Value::from),
        ]
        .boxed(),
    }
}

/// A value for a property of `kind`: mostly right, sometimes `null`, sometimes anything.
fn value(kind: Kind) -> BoxedStrategy<Value> {
    prop_oneof![
        6 => right(kind),
        1 => Just(Value::Null),
        1 => any_json(),
    ]
    .boxed()
}

/// One member of an object as text: the name (sometimes escaped, which a deserializer cannot
/// lend from the input) and the value.
fn member(name: String, value: &Value, escape: bool) -> String {
    let name = match (escape, name.chars().next()) {
        (true, Some(first)) => format!("\\u{:04x}{}", u32::from(first), &name[first.len_utf8()..]),
        _ => name,
    };
    format!("\"{name}\":{value}")
}

/// JSON object text for a model whose properties are `fields`: each property present or not,
/// unknown properties, sometimes one member repeated, in a random order.
fn object(fields: &'static [(&'static str, Kind)]) -> impl Strategy<Value = String> {
    let known: Vec<_> = fields
        .iter()
        .map(|&(name, kind)| prop::option::weighted(0.7, (Just(name), value(kind), any::<bool>())))
        .collect();
    let unknown = prop::collection::vec(
        (prop::sample::select(UNKNOWN), any_json(), any::<bool>()),
        0..3,
    );
    (known, unknown, any::<Option<prop::sample::Index>>())
        .prop_flat_map(|(known, unknown, repeat)| {
            let mut members: Vec<String> = known
                .into_iter()
                .flatten()
                .map(|(name, value, escape)| member(name.to_owned(), &value, escape))
                .chain(
                    unknown
                        .into_iter()
                        .map(|(name, value, escape)| member((*name).to_owned(), &value, escape)),
                )
                .collect();
            if let (Some(index), false) = (repeat, members.is_empty()) {
                let again = members[index.index(members.len())].clone();
                members.push(again);
            }
            Just(members).prop_shuffle()
        })
        .prop_map(|members| format!("{{{}}}", members.join(",")))
}

/// Decodes `text` as the generated model and as its twin: both must succeed with the same
/// JSON when written back, or both fail with the same message (naming the model as `model`).
fn same<M, T>(text: &str, model: &str, twin: &str) -> Result<(), TestCaseError>
where
    M: DeserializeOwned + Serialize,
    T: DeserializeOwned + Serialize,
{
    let ours = serde_json::from_str::<M>(text);
    let theirs = serde_json::from_str::<T>(text);
    match (ours, theirs) {
        (Ok(ours), Ok(theirs)) => {
            let ours =
                serde_json::to_value(ours).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let theirs =
                serde_json::to_value(theirs).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(ours, theirs, "{}", text);
        }
        (Err(ours), Err(theirs)) => {
            let theirs = theirs.to_string().replace(twin, model);
            prop_assert_eq!(ours.to_string(), theirs, "{}", text);
        }
        (ours, theirs) => {
            return Err(TestCaseError::fail(format!(
                "{text}\n  generated: {:?}\n  derive: {:?}",
                ours.err(),
                theirs.err()
            )));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: CASES, ..ProptestConfig::default() })]

    #[test]
    fn user_decodes_as_the_flattening_derive(text in object(USER)) {
        same::<User, UserTwin>(&text, "User", "UserTwin")?;
    }

    #[test]
    fn principal_decodes_as_the_flattening_derive(text in object(PRINCIPAL)) {
        same::<PrincipalResponseData, PrincipalTwin>(
            &text,
            "PrincipalResponseData",
            "PrincipalTwin",
        )?;
    }

    #[test]
    fn update_custom_policy_decodes_as_the_flattening_derive(text in object(UPDATE_POLICY)) {
        same::<UpdateCustomPolicy, UpdateCustomPolicyTwin>(
            &text,
            "UpdateCustomPolicy",
            "UpdateCustomPolicyTwin",
        )?;
    }
}

#[test]
fn the_object_strategy_draws_every_kind_of_input() {
    // The property tests above only mean something if the inputs reach every path: required
    // properties missing, repeated members, escaped names, unknown members, wrong values.
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = object(PRINCIPAL);
    let (mut missing, mut escaped, mut unknown, mut ok, mut err) = (0, 0, 0, 0, 0);
    for _ in 0..400 {
        let text = strategy
            .new_tree(&mut runner)
            .map_err(|e| e.to_string())
            .unwrap_or_else(|e| panic!("{e}"))
            .current();
        missing += usize::from(!text.contains("\"id\"") && !text.contains("\\u0069d"));
        escaped += usize::from(text.contains("\\u00"));
        unknown += usize::from(
            UNKNOWN[..6]
                .iter()
                .any(|u| text.contains(&format!("\"{u}\""))),
        );
        match serde_json::from_str::<PrincipalResponseData>(&text) {
            Ok(_) => ok += 1,
            Err(_) => err += 1,
        }
    }
    for (what, count) in [
        ("missing id", missing),
        ("escaped names", escaped),
        ("unknown members", unknown),
        ("decoded", ok),
        ("rejected", err),
    ] {
        assert!(count > 20, "{what}: {count} of 400");
    }
}
