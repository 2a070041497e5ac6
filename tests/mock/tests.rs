use std::sync::Arc;

use futures_util::StreamExt;
use serde_json::{Value, json};

use super::spec::{self, Operation, Segment};
use super::world::{Incoming, MAX_RECORDS, World};
use super::*;

/// The number of operations in `openapi/cld-provisioning.yaml`.
const OPERATIONS: usize = 48;

fn operations() -> Vec<Operation> {
    spec::load(&spec_path()).expect("the spec loads")
}

fn client(mock: &MockApi) -> cld_provisioning::Client {
    cld_provisioning::Client::builder()
        .credentials("mock-key", "mock-secret")
        .account_id("mock-account")
        .base_url(mock.uri())
        .build()
        .expect("a valid client configuration")
}

/// A concrete path for an operation, every parameter filled with `value`.
fn concrete_path(op: &Operation, value: &str) -> String {
    op.segments
        .iter()
        .map(|s| match s {
            Segment::Literal(text) => format!("/{text}"),
            Segment::Param(_) => format!("/{value}"),
        })
        .collect()
}

/// Sends one raw request; returns the status and the body (`Value::Null` when empty).
async fn send(
    mock: &MockApi,
    op: &Operation,
    path_and_query: &str,
    body: Option<&Value>,
    prefer: Option<&str>,
) -> (u16, Value) {
    let http = reqwest::Client::new();
    let method = reqwest::Method::from_bytes(op.method.as_bytes()).expect("a valid method");
    let mut request = http.request(method, format!("{}{path_and_query}", mock.uri()));
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_string());
    }
    if let Some(name) = prefer {
        request = request.header("prefer", format!("example={name}"));
    }
    let response = request.send().await.expect("the mock answers");
    let status = response.status().as_u16();
    let bytes = response.bytes().await.expect("a readable body");
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).expect("a JSON body")
    };
    (status, body)
}

#[test]
fn the_spec_has_every_operation_with_an_answer() {
    let ops = operations();
    assert_eq!(ops.len(), OPERATIONS);
    for op in &ops {
        assert!((200..300).contains(&op.status), "{}", op.id);
    }
    let bodiless: Vec<&str> = ops
        .iter()
        .filter(|op| op.examples.is_empty())
        .map(|op| op.id.as_str())
        .collect();
    assert_eq!(
        bodiless,
        [
            "deleteCustomPolicy",
            "updatePrincipalRoles",
            "deleteRole",
            "updateRolePrincipals",
        ]
    );
}

#[test]
fn each_request_path_matches_exactly_one_operation() {
    let ops = operations();
    for op in &ops {
        let path = concrete_path(op, "some-id");
        let matching: Vec<&str> = ops
            .iter()
            .filter(|other| other.method == op.method && other.path_params(&path).is_some())
            .map(|other| other.id.as_str())
            .collect();
        assert_eq!(matching, [op.id.as_str()], "{} {path}", op.method);
    }
}

#[tokio::test]
async fn every_operation_gets_a_2xx() {
    let mock = start().await;
    assert_eq!(mock.operations(), OPERATIONS);
    for (n, op) in operations().into_iter().enumerate() {
        // Ids differ per operation so that one operation's delete cannot hide another's resource.
        let mut path = concrete_path(&op, &format!("mock-test-id-{n}"));
        if op.id == "deleteAccessKeyByName" {
            path.push_str("?name=ci-uploader");
        }
        let body = op.request_examples.first().map(|(_, v)| v);
        let (status, answer) = send(&mock, &op, &path, body, None).await;
        assert_eq!(status, op.status, "{} answered {status}: {answer}", op.id);
        assert_eq!(answer.is_null(), op.examples.is_empty(), "{}", op.id);
    }
    assert_eq!(mock.requests_served(), OPERATIONS);
}

#[tokio::test]
async fn every_example_is_served_verbatim_on_request() {
    let mock = start().await;
    let mut served = 0;
    for op in operations() {
        let path = concrete_path(&op, "any-id");
        let body = op.request_examples.first().map(|(_, v)| v);
        for (name, example) in &op.examples {
            let (status, answer) = send(&mock, &op, &path, body, Some(name)).await;
            assert_eq!(status, op.status, "{} / {name}", op.id);
            assert_eq!(&answer, example, "{} / {name}", op.id);
            served += 1;
        }
    }
    // 44 operations answer with a body; six of them have two examples.
    assert_eq!(served, 50);
    // An unknown name is a client error, not a silent fallback.
    let op = operations()
        .into_iter()
        .find(|op| op.id == "getUsers")
        .unwrap();
    let (status, body) = send(&mock, &op, &concrete_path(&op, "a"), None, Some("nope")).await;
    assert_eq!(status, 400);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("twoUsers")
    );
}

#[tokio::test]
async fn the_request_picks_the_fitting_example() {
    let ops = operations();
    let op = |id: &str| ops.iter().find(|op| op.id == id).unwrap().clone();
    let example = |id: &str, name: &str| op(id).example(name).unwrap().clone();
    let group = "6b0e3d9a4c7f21e8d5a2b6c9f03e7d14";
    let cases: Vec<(&str, String, Option<Value>, &str)> = vec![
        ("getUserGroups", String::new(), None, "basic"),
        (
            "getUserGroups",
            "?extended_details=true".into(),
            None,
            "extended",
        ),
        ("getUserGroup", String::new(), None, "basic"),
        (
            "getUserGroup",
            "?extended_details=true".into(),
            None,
            "extended",
        ),
        (
            "getBillingUsage",
            "?include_prodenv_breakdown=true".into(),
            None,
            "monthly",
        ),
        ("getBillingUsage", "?year=2025".into(), None, "annual"),
        (
            "validateCedarPolicy",
            String::new(),
            op("validateCedarPolicy")
                .request_examples
                .first()
                .map(|(_, v)| v.clone()),
            "valid",
        ),
        (
            "validateCedarPolicy",
            String::new(),
            Some(json!({ "policy": "allow everyone" })),
            "invalid",
        ),
        ("getRolePrincipals", "?verbose=true".into(), None, "verbose"),
        ("getRolePrincipals", String::new(), None, "compact"),
    ];
    for (id, query, body, name) in cases {
        let mock = start().await;
        let op = op(id);
        let path = format!("{}{query}", concrete_path(&op, group));
        let (status, answer) = send(&mock, &op, &path, body.as_ref(), None).await;
        assert_eq!(status, op.status, "{id} {query}");
        assert_eq!(
            answer,
            example(id, name),
            "{id} {query} should answer `{name}`"
        );
    }
}

#[tokio::test]
async fn sending_the_request_example_gets_the_response_example() {
    // Where the example's id is still free in the mock's world, the answer is exact.
    for (id, path_value) in [
        ("createProductEnvironment", "x"),
        ("createUser", "x"),
        (
            "updateProductEnvironment",
            "4c2a9e81d7f3b6054a1e8c9d2b7f6a30",
        ),
        ("updateUser", "a83d0f6b2c9e47d1b05a6c3e8f2d9b41"),
        ("updateUserGroup", "6b0e3d9a4c7f21e8d5a2b6c9f03e7d14"),
        ("updateRole", "asset_curator_4k7p2q"),
        ("updateCustomPolicy", "7hq2k9wz4m1n8b3v6c0xrt5d"),
        ("getProductEnvironment", "b7e31c0f5a9d4e2c8f60a1d3e5b7c9f2"),
        ("getUser", "5e1c9a7d3b2f4086a1c7e9b3d5f70a2c"),
    ] {
        let mock = start().await;
        let op = operations().into_iter().find(|op| op.id == id).unwrap();
        let body = op.request_examples.first().map(|(_, v)| v.clone());
        let (status, answer) = send(
            &mock,
            &op,
            &concrete_path(&op, path_value),
            body.as_ref(),
            None,
        )
        .await;
        assert_eq!(status, op.status, "{id}");
        assert_eq!(answer, op.examples[0].1, "{id}");
    }
}

#[tokio::test]
async fn created_resources_are_fetched_listed_and_deleted() {
    let mock = start().await;
    let client = client(&mock);
    let envs = client.product_environments();
    let created = envs
        .create()
        .name("Docs sandbox")
        .cloud_name("docs-sandbox")
        .send()
        .await
        .unwrap();
    assert_eq!(created.name.as_deref(), Some("Docs sandbox"));
    assert_eq!(created.cloud_name.as_deref(), Some("docs-sandbox"));
    let id = created.id.clone().unwrap();

    let fetched = envs.get(&id).send().await.unwrap();
    assert_eq!(fetched.name.as_deref(), Some("Docs sandbox"));
    let listed = envs.list().send().await.unwrap().sub_accounts.unwrap();
    assert_eq!(listed.len(), 3);
    assert!(listed.iter().any(|e| e.id.as_deref() == Some(id.as_str())));

    // A second environment gets a fresh id of the same shape.
    let second = envs.create().name("Another").send().await.unwrap();
    let second_id = second.id.unwrap();
    assert_ne!(second_id, id);
    assert_eq!(second_id.len(), id.len());

    envs.delete(&id).send().await.unwrap();
    let err = envs.get(&id).send().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404), "{err}");
    let listed = envs.list().send().await.unwrap().sub_accounts.unwrap();
    assert_eq!(listed.len(), 3);
    assert!(!listed.iter().any(|e| e.id.as_deref() == Some(id.as_str())));
    assert_eq!(mock.requests_served(), 7);
}

#[tokio::test]
async fn group_membership_is_remembered() {
    let mock = start().await;
    let client = client(&mock);
    let user = client
        .users()
        .create()
        .name("Ada Lovelace")
        .email("ada@example.org")
        .send()
        .await
        .unwrap();
    let user_id = user.id.unwrap();
    let group = client
        .user_groups()
        .create()
        .name("Analysts")
        .send()
        .await
        .unwrap();
    let group_id = group.id.unwrap();
    // The example's group id is taken by an existing group, so the new one gets its own.
    assert_ne!(group_id, "6b0e3d9a4c7f21e8d5a2b6c9f03e7d14");

    let members = client
        .user_groups()
        .list_users(&group_id)
        .send()
        .await
        .unwrap();
    assert_eq!(members.users.unwrap_or_default().len(), 0);
    let added = client
        .user_groups()
        .add_user(&group_id, &user_id)
        .send()
        .await
        .unwrap();
    assert_eq!(added.name.as_deref(), Some("Ada Lovelace"));
    let members = client
        .user_groups()
        .list_users(&group_id)
        .send()
        .await
        .unwrap();
    let members = members.users.unwrap_or_default();
    assert_eq!(members.len(), 1);
    assert_eq!(members[0].email.as_deref(), Some("ada@example.org"));
    let extended = client
        .user_groups()
        .get(&group_id)
        .extended_details(true)
        .send()
        .await
        .unwrap();
    assert_eq!(extended.users.unwrap_or_default().len(), 1);

    let left = client
        .user_groups()
        .remove_user(&group_id, &user_id)
        .send()
        .await
        .unwrap();
    assert_eq!(left.users.unwrap_or_default().len(), 0);
}

#[tokio::test]
async fn role_assignments_are_remembered_and_guard_deletion() {
    use cld_provisioning::models::{
        OperationEnum, PrincipalTypeEnum, ScopeTypeEnum, UpdateRolePrincipal,
    };

    let mock = start().await;
    let client = client(&mock);
    let role = client
        .roles()
        .create()
        .name("Report reader")
        .permission_type("global")
        .scope_type(ScopeTypeEnum::Prodenv)
        .system_policy_ids(["cld::policy::global::upload_presets::manage"])
        .send()
        .await
        .unwrap()
        .data
        .unwrap();
    assert!(role.id.starts_with("report_reader_"), "{}", role.id);
    let policies = role.policies.unwrap_or_default();
    assert_eq!(policies.len(), 1);
    assert_eq!(policies[0].name, "Manage upload presets");

    let mut principal = UpdateRolePrincipal::new(
        PrincipalTypeEnum::User,
        "5e1c9a7d3b2f4086a1c7e9b3d5f70a2c".to_string(),
    );
    principal.scope_id = "northwind-prod".to_string().into();
    client
        .roles()
        .update_principals(&role.id)
        .operation(OperationEnum::Add)
        .principals([principal.clone()])
        .send()
        .await
        .unwrap();
    let held = client
        .roles()
        .list_principals(&role.id)
        .send()
        .await
        .unwrap();
    let held = held.data.unwrap_or_default();
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].id, "5e1c9a7d3b2f4086a1c7e9b3d5f70a2c");

    let refused = client.roles().delete(&role.id).send().await.unwrap_err();
    assert_eq!(refused.status().map(|s| s.as_u16()), Some(409), "{refused}");
    client
        .roles()
        .update_principals(&role.id)
        .operation(OperationEnum::Remove)
        .principals([principal])
        .send()
        .await
        .unwrap();
    client.roles().delete(&role.id).send().await.unwrap();
    let gone = client.roles().get(&role.id).send().await.unwrap_err();
    assert_eq!(gone.status().map(|s| s.as_u16()), Some(404), "{gone}");
}

#[tokio::test]
async fn streams_end() {
    let mock = start().await;
    let client = client(&mock);
    let users: Vec<_> = client
        .users()
        .list()
        .page_size(1)
        .into_stream()
        .collect()
        .await;
    assert_eq!(users.len(), 2);
    // Two full pages of one, then an empty third.
    assert_eq!(mock.requests_served(), 3);

    let unpaged: Vec<_> = client.users().list().into_stream().collect().await;
    assert_eq!(unpaged.len(), 2);
    assert_eq!(mock.requests_served(), 5);

    let policies: Vec<_> = client
        .custom_policies()
        .list()
        .into_stream()
        .collect()
        .await;
    assert_eq!(policies.len(), 2);
    assert_eq!(mock.requests_served(), 7);
}

#[tokio::test]
async fn unknown_paths_get_a_json_404_and_are_not_counted() {
    let mock = start().await;
    let response = reqwest::get(format!("{}/v1_1/nothing/here", mock.uri()))
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 404);
    let body: Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("/v1_1/nothing/here")
    );
    assert_eq!(mock.requests_served(), 0);
}

#[test]
fn the_memory_is_bounded() {
    let ops: Arc<[Operation]> = operations().into();
    let index = ops
        .iter()
        .position(|op| op.id == "createUserGroup")
        .unwrap();
    let path = concrete_path(&ops[index], "mock-account");
    let mut world = World::new(Arc::clone(&ops));
    let mut statuses = Vec::new();
    for n in 0..=MAX_RECORDS {
        let request = Incoming {
            path: path.clone(),
            body: Some(json!({ "name": format!("group {n}") })),
            ..Incoming::default()
        };
        statuses.push(world.answer(index, &request).status);
    }
    assert!(statuses[..MAX_RECORDS].iter().all(|s| *s == 200));
    assert_eq!(statuses[MAX_RECORDS], 507);
}
