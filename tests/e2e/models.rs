//! Models, end to end: unknown response fields kept in `extra` and sent back, free-form
//! objects kept both ways, open enums round-tripping unknown values, request enums accepting
//! new values, absent and null optional fields, lenient timestamps, the nullable tri-state
//! (unset omitted / `_null()` sends null / value), and secrets hidden by `Debug` but kept for
//! serialization.

use workspace_tests::{model, support};

use cld_provisioning::models::*;
use cld_provisioning::{DateTime, Nullable, SecretString};
use serde_json::{Map, Value, json};
use support::*;

fn map(value: Value) -> Map<String, Value> {
    value.as_object().expect("a JSON object").clone()
}

// ---------------------------------------------------------------------------------------------
// Unknown fields
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn unknown_response_fields_are_kept_at_every_level() {
    let mut body = spec_example("ProductEnvironmentSample");
    body["region"] = json!("eu-central");
    body["limits"] = json!({"max_users": 10, "tiers": ["a", "b"]});
    body["api_access_keys"][0]["created_by"] = json!("ci");
    let server = serve_json(200, body).await;
    let got = client(&server)
        .product_environments()
        .get("pe1")
        .send()
        .await
        .expect("get");
    assert_eq!(
        got.extra,
        map(json!({"region": "eu-central", "limits": {"max_users": 10, "tiers": ["a", "b"]}}))
    );
    let key = &got.api_access_keys.as_ref().expect("keys")[0];
    assert_eq!(key.extra, map(json!({"created_by": "ci"})));
    // Serializing gives them back, next to the known fields.
    let again = serde_json::to_value(&got).expect("serialize");
    assert_eq!(again["region"], json!("eu-central"));
    assert_eq!(again["limits"]["tiers"], json!(["a", "b"]));
    assert_eq!(again["api_access_keys"][0]["created_by"], json!("ci"));
    assert_eq!(again["cloud_name"], json!("northwind-prod"));
}

#[tokio::test]
async fn unknown_fields_of_a_fetched_policy_are_sent_back_on_update() {
    let mut fetched = spec_example("CustomPolicyFetchedExample");
    fetched["data"]["priority"] = json!(5);
    fetched["data"]["tags"] = json!(["ci"]);
    let server = serve_json(200, fetched).await;
    let client = client(&server);
    let policy = client
        .custom_policies()
        .get("2mv8c5r1xq7t0k4w9b3zpn6e")
        .send()
        .await
        .expect("get")
        .data
        .expect("data");
    assert_eq!(policy.extra, map(json!({"priority": 5, "tags": ["ci"]})));

    let mut update = UpdateCustomPolicy::new(
        policy.policy_statement.clone(),
        policy.scope_type.clone(),
        "Renamed".to_owned(),
        Some(false),
    );
    update.scope_id = policy.scope_id.clone().into();
    update.extra = policy.extra.clone();
    client
        .custom_policies()
        .update(policy.id.as_str())
        .body(update)
        .send()
        .await
        .expect("update");
    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 2);
    assert_request(
        &reqs[1],
        "PUT",
        &format!("{R}/policies/custom/2mv8c5r1xq7t0k4w9b3zpn6e"),
        Auth::Basic,
        Some(json!({
            "policy_statement": "forbid(principal == Cloudinary::APIKey::\"614283957102846\", action == Cloudinary::Action::\"delete\", resource is Cloudinary::Asset);",
            "scope_type": "prodenv",
            "scope_id": "all",
            "name": "Renamed",
            "enabled": false,
            "priority": 5,
            "tags": ["ci"]
        })),
    );
}

#[tokio::test]
async fn extra_request_fields_set_through_a_body_model_are_sent() {
    let server = serve_json(200, spec_example("ProductEnvironmentUpdatedSample")).await;
    let mut body = model!(ProductEnvironmentUpdateRequest::default(); name: Some("n".into()));
    body.extra
        .insert("delivery_profile".into(), json!({"cdn": "x"}));
    client(&server)
        .product_environments()
        .update("pe1")
        .body(body)
        .send()
        .await
        .expect("update");
    assert_eq!(
        json_body(&only_request(&server).await),
        json!({"name": "n", "delivery_profile": {"cdn": "x"}})
    );
}

// ---------------------------------------------------------------------------------------------
// Free-form objects
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn free_form_objects_are_kept_in_responses() {
    let mut user = spec_example("UserSample");
    user["email_preferences"] = json!({"weekly_digest": false, "topics": {"billing": true}});
    let server = serve_json(200, user).await;
    let got = client(&server).users().get("u1").send().await.expect("get");
    assert_eq!(
        got.email_preferences,
        Some(json!({"weekly_digest": false, "topics": {"billing": true}}))
    );

    let server = serve_json(
        200,
        json!({"data": [{
            "id": "g1", "type": "group", "role_id": "r1",
            "policy_parameters": {"folder_id": "f1", "depth": 2, "nested": {"a": [1]}}
        }]}),
    )
    .await;
    let got = client(&server)
        .roles()
        .list_principals("r1")
        .send()
        .await
        .expect("principals");
    assert_eq!(
        got.data.expect("data")[0].policy_parameters,
        Some(json!({"folder_id": "f1", "depth": 2, "nested": {"a": [1]}}))
    );
}

#[tokio::test]
async fn free_form_objects_are_sent_unchanged_in_requests() {
    let server = serve(wiremock::ResponseTemplate::new(200)).await;
    // A free-form property takes `json!({..})` as it is, and a `Map` too.
    let role = RoleToManage::new("r1")
        .policy_parameters(json!({"folder_id": "f1", "extra": [1, {"b": null}]}));
    let also = RoleToManage::new("r2").policy_parameters(map(json!({"depth": 2})));
    client(&server)
        .principals()
        .update_roles()
        .roles([role, also])
        .send()
        .await
        .expect("update roles");
    assert_eq!(
        json_body(&only_request(&server).await),
        json!({"roles": [
            {"id": "r1", "policy_parameters": {"folder_id": "f1", "extra": [1, {"b": null}]}},
            {"id": "r2", "policy_parameters": {"depth": 2}}
        ]})
    );
}

// ---------------------------------------------------------------------------------------------
// Enums
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn open_response_enums_round_trip_unknown_values() {
    let server = serve_json(
        200,
        json!({"data": [{
            "id": "r1", "name": "n", "management_type": "managed", "permission_type": "hybrid",
            "scope_type": "folder", "created_at": 1, "updated_at": 2
        }]}),
    )
    .await;
    let got = client(&server)
        .principals()
        .list_roles("serviceAccount", "sa1", "hybrid")
        .send()
        .await
        .expect("principal roles");
    assert_eq!(
        target(&only_request(&server).await),
        format!(
            "{R}/principal_roles?principal_type=serviceAccount&principal_id=sa1&permission_type=hybrid"
        )
    );
    let role = &got.data.expect("data")[0];
    assert_eq!(
        role.management_type,
        ManagementTypeEnum::Unknown("managed".into())
    );
    assert_eq!(
        role.permission_type,
        PermissionTypeEnum::Unknown("hybrid".into())
    );
    assert_eq!(role.scope_type, ScopeTypeEnum::Unknown("folder".into()));
    let again = serde_json::to_value(role).expect("serialize");
    assert_eq!(again["management_type"], json!("managed"));
    assert_eq!(again["permission_type"], json!("hybrid"));
    assert_eq!(again["scope_type"], json!("folder"));

    // Known values map to their variants, and an unknown principal type survives too.
    assert_eq!(PrincipalTypeEnum::from("apiKey"), PrincipalTypeEnum::ApiKey);
    assert_eq!(
        PrincipalTypeEnum::from("provisioningKey"),
        PrincipalTypeEnum::ProvisioningKey
    );
    let unknown: PrincipalTypeEnum = serde_json::from_value(json!("robot")).expect("decode");
    assert_eq!(unknown, PrincipalTypeEnum::Unknown("robot".into()));
    assert_eq!(
        serde_json::to_value(&unknown).expect("encode"),
        json!("robot")
    );
}

#[tokio::test]
async fn request_enums_accept_values_newer_than_the_sdk() {
    let server = serve_json(200, json!({})).await;
    let client = client(&server);
    let _ = client
        .users()
        .list()
        .sort_by(GetUsersSortBy::Custom("last_name".into()))
        .sort_order("random")
        .union_type(GetUsersUnionType::from("intersect"))
        .send()
        .await;
    let _ = client
        .users()
        .create()
        .name("n")
        .email("e@example.org")
        .role(UserRequestRole::from("super_admin"))
        .send()
        .await;
    let _ = client
        .users()
        .update("u1")
        .role(UserRequestRole::Custom("auditor".into()))
        .send()
        .await;
    let _ = client
        .access_keys()
        .update("pe1", "k1")
        .dedicated_for("signing")
        .send()
        .await;
    let _ = client
        .access_keys()
        .list("pe1")
        .sort_by(GetAccessKeysSortBy::Custom("last_used".into()))
        .sort_order(SortOrder::Asc)
        .send()
        .await;
    let _ = client
        .roles()
        .update_principals("r1")
        .operation(OperationEnum::Custom("replace".into()))
        .send()
        .await;
    let reqs = requests(&server).await;
    assert_eq!(
        target(&reqs[0]),
        format!("{P}/users?union_type=intersect&sort_order=random&sort_by=last_name")
    );
    assert_eq!(json_body(&reqs[1])["role"], json!("super_admin"));
    assert_eq!(json_body(&reqs[2]), json!({"role": "auditor"}));
    assert_eq!(json_body(&reqs[3]), json!({"dedicated_for": "signing"}));
    assert_eq!(
        target(&reqs[4]),
        format!("{P}/sub_accounts/pe1/access_keys?sort_by=last_used&sort_order=asc")
    );
    assert_eq!(json_body(&reqs[5]), json!({"operation": "replace"}));
    // Known spellings still map to the named variants.
    assert_eq!(
        UserRequestRole::from("media_library_user"),
        UserRequestRole::MediaLibraryUser
    );
    assert_eq!(
        GetUsersSortBy::from("created_at"),
        GetUsersSortBy::CreatedAt
    );
    assert_eq!(OperationEnum::Remove.as_str(), "remove");
}

// ---------------------------------------------------------------------------------------------
// Absent and null fields, lenient timestamps
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn absent_and_null_optional_fields_never_fail_decoding() {
    let nulls = json!({
        "id": null, "name": null, "first_name": null, "last_name": null, "role": null,
        "email": null, "pending": null, "enabled": null, "created_at": null, "updated_at": null,
        "last_login": null, "all_sub_accounts": null, "providers": null,
        "email_preferences": null, "account_id": null, "two_factor": null, "status": null,
        "root": null, "technical_role": null, "group_count": null, "sub_account_count": null
    });
    for body in [json!({}), nulls] {
        let server = serve_json(200, body.clone()).await;
        let got = client(&server)
            .users()
            .get("u1")
            .send()
            .await
            .expect("decode");
        assert_eq!(got, User::default(), "{body}");
    }

    // Every v1_1 response type takes `{}`.
    let server = serve_json(200, json!({})).await;
    let c = client(&server);
    assert_eq!(
        c.product_environments()
            .list()
            .send()
            .await
            .expect("pe list"),
        ProductEnvironmentsResponse::default()
    );
    assert_eq!(
        c.product_environments().get("p").send().await.expect("pe"),
        ProductEnvironment::default()
    );
    assert_eq!(
        c.access_keys().list("p").send().await.expect("keys"),
        AccessKeysResponse::default()
    );
    assert_eq!(
        c.access_keys().generate("p").send().await.expect("key"),
        AccessKey::default()
    );
    assert_eq!(
        c.users().get_groups("u").send().await.expect("groups"),
        UserGroupsListResponse::default()
    );
    assert_eq!(
        c.users().list_sub_accounts("u").send().await.expect("subs"),
        UserSubAccountsResponse::default()
    );
    assert_eq!(
        c.user_groups().get("g").send().await.expect("group"),
        UserGroup::default()
    );
    assert_eq!(
        c.user_groups()
            .list_users("g")
            .send()
            .await
            .expect("members"),
        UserGroupUsersResponse::default()
    );
    assert_eq!(
        c.users().delete("u").send().await.expect("delete"),
        SuccessResponse::default()
    );
    assert_eq!(
        c.agent_accounts()
            .create()
            .email("e")
            .agent_framework("f")
            .agent_llm_model("m")
            .agent_goal("g")
            .send()
            .await
            .expect("agent"),
        AgentAccountResponse::default()
    );

    // Nested nulls and nullable v2 fields.
    let server = serve_json(
        200,
        json!({"sub_accounts": [{"id": "p1", "api_access_keys": null, "name": null}]}),
    )
    .await;
    let got = client(&server)
        .product_environments()
        .list()
        .send()
        .await
        .expect("decode");
    assert_eq!(
        got.sub_accounts,
        Some(vec![
            model!(ProductEnvironment::default(); id: Some("p1".into()))
        ])
    );
    let server = serve_json(
        200,
        json!({"data": {"id": "c1", "policy_statement": "p", "description": null,
                        "scope_type": "account", "scope_id": null, "name": "n",
                        "enabled": true, "created_at": 1, "updated_at": 2}}),
    )
    .await;
    let got = client(&server)
        .custom_policies()
        .get("c1")
        .send()
        .await
        .expect("decode")
        .data
        .expect("data");
    assert_eq!(got.description, None);
    assert_eq!(got.scope_id, None);
    let server = serve_json(200, json!({"data": null, "next_cursor": null})).await;
    let got = client(&server)
        .custom_policies()
        .list()
        .send()
        .await
        .expect("decode");
    assert_eq!(got.data, None);
    assert_eq!(got.next_cursor, None);
}

#[tokio::test]
async fn odd_timestamps_are_kept_as_sent_instead_of_failing_the_response() {
    let server = serve_json(
        200,
        json!({"users": [
            {"id": "a", "created_at": "2024-05-01T10:20:30Z"},
            {"id": "b", "created_at": "yesterday"},
            {"id": "c", "created_at": 1714558830},
            {"id": "d", "created_at": "2024-05-01T12:20:30+02:00"}
        ]}),
    )
    .await;
    let users = client(&server)
        .users()
        .list()
        .send()
        .await
        .expect("one odd timestamp must not fail the list")
        .users
        .expect("users");
    let stamps: Vec<(Option<&str>, Option<i64>)> = users
        .iter()
        .map(|u| {
            let t = u.created_at.as_ref();
            (t.map(DateTime::as_str), t.and_then(DateTime::unix_seconds))
        })
        .collect();
    // 2024-05-01T10:20:30Z is 1714558830 (date -u -d ... +%s).
    assert_eq!(
        stamps,
        vec![
            (Some("2024-05-01T10:20:30Z"), Some(1_714_558_830)),
            (Some("yesterday"), None),
            (Some("1714558830"), Some(1_714_558_830)),
            (Some("2024-05-01T12:20:30+02:00"), Some(1_714_558_830)),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Nullable tri-state
// ---------------------------------------------------------------------------------------------

async fn create_policy_body(
    build: impl FnOnce(
        cld_provisioning::operations::custom_policies::CreateCustomPolicy,
    ) -> cld_provisioning::operations::custom_policies::CreateCustomPolicy,
) -> Value {
    let server = serve_json(201, spec_example("CustomPolicyCreatedExample")).await;
    let request = client(&server)
        .custom_policies()
        .create()
        .name("n")
        .policy_statement("p")
        .scope_type(ScopeTypeEnum::Account);
    build(request).send().await.expect("create");
    json_body(&only_request(&server).await)
}

#[tokio::test]
async fn nullable_fields_are_omitted_when_unset_null_when_cleared_and_sent_when_set() {
    let base = json!({"name": "n", "policy_statement": "p", "scope_type": "account"});
    assert_eq!(create_policy_body(|r| r).await, base);

    let mut nulls = base.clone();
    nulls["description"] = Value::Null;
    nulls["scope_id"] = Value::Null;
    nulls["enabled"] = Value::Null;
    assert_eq!(
        create_policy_body(|r| r.description_null().scope_id_null().enabled_null()).await,
        nulls
    );

    let mut values = base.clone();
    values["description"] = json!("d");
    values["scope_id"] = json!("all");
    values["enabled"] = json!(false);
    assert_eq!(
        create_policy_body(|r| r.description("d").scope_id("all").enabled(false)).await,
        values
    );

    // The last call wins.
    let mut last = base.clone();
    last["description"] = json!("d2");
    assert_eq!(
        create_policy_body(|r| r.description_null().description("d2")).await,
        last
    );
}

#[tokio::test]
async fn required_nullable_enabled_of_a_policy_update_is_sent_as_null_when_cleared() {
    let server = serve_json(200, spec_example("CustomPolicyUpdatedExample")).await;
    client(&server)
        .custom_policies()
        .update("c1")
        .name("n")
        .policy_statement("p")
        .scope_type(ScopeTypeEnum::Account)
        .enabled_null()
        .send()
        .await
        .expect("update");
    assert_eq!(
        json_body(&only_request(&server).await),
        json!({"name": "n", "policy_statement": "p", "scope_type": "account", "enabled": null})
    );
}

#[tokio::test]
async fn role_descriptions_and_assignment_scopes_are_tri_state_too() {
    let server = serve_json(200, spec_example("RoleUpdatedExample")).await;
    let c = client(&server);
    c.roles()
        .update("r1")
        .name("n")
        .description_null()
        .send()
        .await
        .expect("update");
    c.roles()
        .update("r1")
        .name("n")
        .send()
        .await
        .expect("update");
    c.roles()
        .create()
        .name("n")
        .permission_type("global")
        .scope_type(ScopeTypeEnum::Prodenv)
        .description_null()
        .send()
        .await
        .expect("create");
    let mut cleared = UpdateRolePrincipal::new(PrincipalTypeEnum::Group, "g1");
    cleared.scope_id = Nullable::Null;
    let unset = UpdateRolePrincipal::new(PrincipalTypeEnum::User, "u1");
    let _ = c
        .roles()
        .update_principals("r1")
        .operation(OperationEnum::Remove)
        .principals([cleared, unset])
        .send()
        .await;
    let bodies: Vec<Value> = requests(&server).await.iter().map(json_body).collect();
    assert_eq!(
        bodies,
        vec![
            json!({"name": "n", "description": null}),
            json!({"name": "n"}),
            json!({"name": "n", "permission_type": "global", "scope_type": "prodenv", "description": null}),
            json!({"operation": "remove", "principals": [
                {"principal_type": "group", "principal_id": "g1", "scope_id": null},
                {"principal_type": "user", "principal_id": "u1"}
            ]}),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Secrets in models
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn secrets_in_models_are_hidden_by_debug_but_kept_for_serialization() {
    let server = serve_json(200, spec_example("AgentAccountResponseSample")).await;
    let agent = anonymous_client(&server)
        .agent_accounts()
        .create()
        .email("e")
        .agent_framework("f")
        .agent_llm_model("m")
        .agent_goal("g")
        .send()
        .await
        .expect("agent");
    let shown = format!("{agent:?} {agent:#?}");
    assert!(!shown.contains("Lt3Vn8Qc1Xz6Bw4Mk9Jd2Hs7Rf"), "{shown}");
    assert!(!shown.contains("cloudinary://"), "{shown}");
    assert!(
        shown.contains("624918305571294"),
        "the API key is not secret: {shown}"
    );
    let env = &agent.product_environments.as_ref().expect("envs")[0];
    assert_eq!(
        env.api_environment_variable
            .as_ref()
            .map(SecretString::expose_secret),
        Some("CLOUDINARY_URL=cloudinary://624918305571294:Lt3Vn8Qc1Xz6Bw4Mk9Jd2Hs7Rf@dq8vz3kfa")
    );
    let again = serde_json::to_value(&agent).expect("serialize");
    assert_eq!(
        again["product_environments"][0]["api_secret"],
        json!("Lt3Vn8Qc1Xz6Bw4Mk9Jd2Hs7Rf")
    );

    let server = serve_json(200, spec_example("AccessKeyListSample")).await;
    let keys = client(&server)
        .access_keys()
        .list("pe1")
        .send()
        .await
        .expect("keys");
    let shown = format!("{keys:?}");
    assert!(!shown.contains("Hj2Kl9Zx4Cv7Bn1Mq5Wr8Ty3Ui"), "{shown}");
    assert!(!shown.contains("Pq6As1Df8Gh3Jk0Lz5Xc2Vb9Nm"), "{shown}");

    let server = serve_json(200, spec_example("ProductEnvironmentListSample")).await;
    let envs = client(&server)
        .product_environments()
        .list()
        .send()
        .await
        .expect("envs");
    let shown = format!("{envs:?}");
    assert!(!shown.contains("Xr8Jm2QvLk5Tz0Wb7NcYh3Pd9Fs"), "{shown}");
    assert!(!shown.contains("Gm4Rt7Yw1Qe9Ua3Ik6Oz2Lp8Sx"), "{shown}");
}

#[tokio::test]
async fn secret_named_unknown_fields_are_hidden_by_debug() {
    let server = serve_json(
        200,
        json!({"sub_accounts": [{"id": "p1", "api_secret": "UnknownFieldSecret1"}]}),
    )
    .await;
    let got = client(&server)
        .users()
        .list_sub_accounts("u1")
        .send()
        .await
        .expect("decode");
    let shown = format!("{got:?}");
    assert!(!shown.contains("UnknownFieldSecret1"), "{shown}");
}

// ---------------------------------------------------------------------------------------------
// Query serialization details
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn empty_arrays_and_unset_values_are_left_out_of_the_query() {
    let server = serve_json(200, json!({})).await;
    let c = client(&server);
    c.users()
        .list()
        .ids(Vec::<String>::new())
        .emails(Vec::<String>::new())
        .send()
        .await
        .expect("list");
    c.roles()
        .get("r1")
        .param_key(Vec::<String>::new())
        .param_value(["v 1"])
        .send()
        .await
        .expect("get");
    c.product_environments()
        .list()
        .prefix("")
        .send()
        .await
        .expect("list");
    assert_eq!(
        targets(&server).await,
        vec![
            format!("{P}/users"),
            format!("{R}/roles/r1?param_value=v%201"),
            // An empty string is a value, not "unset".
            format!("{P}/sub_accounts?prefix="),
        ]
    );
}

#[test]
fn invalid_calendar_dates_cannot_be_built() {
    assert!(cld_provisioning::Date::new(2025, 2, 29).is_none());
    assert!(cld_provisioning::Date::new(2024, 2, 29).is_some());
    assert!("2025-13-01".parse::<cld_provisioning::Date>().is_err());
    assert_eq!(
        cld_provisioning::Date::new(2023, 1, 2)
            .expect("a date")
            .to_string(),
        "2023-01-02"
    );
}

// ---------------------------------------------------------------------------------------------
// The generated one-pass `Deserialize` (no `#[serde(flatten)]` buffering): what the derive did
// ---------------------------------------------------------------------------------------------

#[test]
fn a_missing_required_property_is_an_error_naming_it() {
    let err = serde_json::from_value::<ProductEnvironmentRequest>(json!({"cloud_name": "c"}))
        .expect_err("`name` is required");
    assert_eq!(err.to_string(), "missing field `name`");
    // Present, it decodes, and the unknown property goes to `extra`.
    let ok: ProductEnvironmentRequest =
        serde_json::from_value(json!({"name": "n", "cloud_name": "c", "tier": 2})).expect("decode");
    assert_eq!(ok.name, "n");
    assert_eq!(ok.extra, map(json!({"tier": 2})));
}

#[test]
fn a_repeated_known_property_is_an_error_naming_it() {
    let err = serde_json::from_str::<User>(r#"{"name": "a", "name": "b"}"#).expect_err("duplicate");
    assert!(
        err.to_string().starts_with("duplicate field `name`"),
        "{err}"
    );
}

#[test]
fn an_escaped_key_is_matched_after_unescaping() {
    // `\u006d` is `m`: the key is `name`, so it fills the field, not `extra`.
    let user: User =
        serde_json::from_str(r#"{"na\u006de": "Priya", "x\u0079": 1}"#).expect("decode");
    assert_eq!(user.name.as_deref(), Some("Priya"));
    assert_eq!(user.extra, map(json!({"xy": 1})));
}

#[test]
fn null_and_absent_optional_properties_are_none_and_unknown_values_keep_their_shape() {
    let body = json!({
        "id": "u1",
        "email": null,
        "future": {"nested": [1, 2.5, null, true, "s", {"k": {}}]},
        "also_new": null
    });
    let user: User = serde_json::from_value(body.clone()).expect("decode");
    assert_eq!(user.id.as_deref(), Some("u1"));
    assert_eq!((user.email, user.name), (None, None));
    assert_eq!(
        user.extra,
        map(json!({"future": {"nested": [1, 2.5, null, true, "s", {"k": {}}]}, "also_new": null}))
    );
    // From a reader (keys are then never borrowed) the result is the same.
    let from_reader: User = serde_json::from_reader(body.to_string().as_bytes()).expect("decode");
    assert_eq!(from_reader.extra, user.extra);
}

#[test]
fn only_objects_decode_into_a_model_and_a_wrong_type_names_what_was_expected() {
    let err = serde_json::from_str::<User>(r#"["u1"]"#).expect_err("an array is not a user");
    assert!(err.to_string().contains("expected struct User"), "{err}");
    let err = serde_json::from_str::<User>(r#"{"group_count": "many"}"#).expect_err("not a number");
    assert!(err.to_string().contains("invalid type: string"), "{err}");
}

#[test]
fn a_tri_state_field_decodes_null_as_null_and_absence_as_unset() {
    let policy: CustomPolicy = serde_json::from_value(json!({
        "policy_statement": "permit(principal, action, resource);",
        "scope_type": "account",
        "name": "n",
        "description": null,
        "enabled": true
    }))
    .expect("decode");
    assert_eq!(policy.description, Nullable::Null);
    assert_eq!(policy.scope_id, Nullable::Unset);
    assert_eq!(policy.enabled, Nullable::Value(true));
    let again = serde_json::to_value(&policy).expect("encode");
    assert_eq!(again["description"], Value::Null);
    assert!(again.get("scope_id").is_none(), "{again}");
}
