//! End-to-end tests of the v2 permissions operations (public catalog/validate/schema, system,
//! custom and effective policies, roles, principals): for each operation the exact method,
//! request target, headers and JSON body sent, and the decoding of the spec's example
//! response into values written out by hand.

use workspace_tests::{model, support};

use cld_provisioning::models::*;
use serde_json::{Map, Value, json};
use support::*;

fn map(value: Value) -> Map<String, Value> {
    value.as_object().expect("a JSON object").clone()
}

fn s(text: &str) -> Option<String> {
    Some(text.to_owned())
}

const PRESS_KIT_POLICY: &str = "7hq2k9wz4m1n8b3v6c0xrt5d";
const CI_POLICY: &str = "2mv8c5r1xq7t0k4w9b3zpn6e";
const PARTNERS: &str = "e41b7c09d2a5f836c1e07b9a4d3f25";
const PRODENV: &str = "3fk82mq0vx7c1p4rt6sa";
const OTHER_PRODENV: &str = "9wd41hz6ty0e2n8qk5mb";
const FOLDER: &str = "f9c1e0a4b27d85e3";
const REVIEWER: &str = "press_kit_reviewer_8z3m1w";
const CURATOR: &str = "asset_curator_4k7p2q";
const USER_5C: &str = "5c1e9a7f03b2d846e0f1a93c27b58d";
const USER_A9: &str = "a90d3e6b1c7f254e8d0b9a61f3c72e";
const CI_KEY: &str = "614283957102846";

const VIEW_STATEMENT: &str = r#"permit(principal == Cloudinary::Group::"e41b7c09d2a5f836c1e07b9a4d3f25", action == Cloudinary::Action::"read", resource is Cloudinary::Asset) when { resource.ancestor_ids.contains("f9c1e0a4b27d85e3") };"#;
const EDIT_STATEMENT: &str = r#"permit(principal == Cloudinary::Group::"e41b7c09d2a5f836c1e07b9a4d3f25", action in [Cloudinary::Action::"read", Cloudinary::Action::"update"], resource is Cloudinary::Asset) when { resource.ancestor_ids.contains("f9c1e0a4b27d85e3") };"#;
const FORBID_DELETE: &str = r#"forbid(principal == Cloudinary::APIKey::"614283957102846", action == Cloudinary::Action::"delete", resource is Cloudinary::Asset);"#;
const MODERATE: &str = r#"permit(principal, action == Cloudinary::Action::"moderate", resource is Cloudinary::Asset);"#;
const UPLOAD_PRESETS: &str = "permit(principal, action, resource is Cloudinary::UploadPreset);\n\
                              permit(principal, action, resource is Cloudinary::UploadMapping);\n";

fn moderate_policy() -> SystemPolicyResponseData {
    model!(SystemPolicyResponseData::new("cld::policy::global::assets::moderate", "Moderate assets", ScopeTypeEnum::Prodenv, MODERATE, 1_733_140_800, 1_733_140_800); description: s("Approve or reject assets waiting in the moderation queue."), permission_type: s("global"), policy_parameters: None, category: s("Management"), sub_category: s("Moderation"))
}

fn upload_presets_policy() -> SystemPolicyResponseData {
    model!(SystemPolicyResponseData::new("cld::policy::global::upload_presets::manage", "Manage upload presets", ScopeTypeEnum::Prodenv, UPLOAD_PRESETS, 1_733_140_800, 1_736_942_400); description: s("Create, edit and delete upload presets and upload mappings."), permission_type: s("global"), policy_parameters: None, category: s("Settings"), sub_category: s("Upload"))
}

// ---------------------------------------------------------------------------------------------
// Public endpoints
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_catalog_works_without_credentials_and_keeps_the_free_form_catalog() {
    let server = serve_json(200, spec_example("PublicCatalogExample")).await;
    let got = anonymous_client(&server)
        .public()
        .get_catalog()
        .send()
        .await
        .expect("catalog");
    assert_request(
        &only_request(&server).await,
        "GET",
        "/v2/accounts/permissions/public/catalog",
        Auth::Absent,
        None,
    );
    let policies = got.catalog["system_policies"].as_array().expect("policies");
    assert_eq!(policies.len(), 2);
    assert_eq!(
        policies[0]["id"],
        "cld::policy::global::reports::usage::view"
    );
    assert_eq!(policies[1]["sub_category"], "View and download");
    let roles = got.catalog["system_roles"].as_array().expect("roles");
    assert_eq!(roles[0]["id"], "cld::role::prodenv::technical_admin");
    assert_eq!(
        roles[0]["system_policy_ids"],
        json!([
            "cld::policy::global::upload_presets::manage",
            "cld::policy::global::api_keys::manage",
            "cld::policy::global::reports::usage::view"
        ])
    );
    assert!(got.extra.is_empty());
}

#[tokio::test]
async fn get_catalog_sends_credentials_when_the_client_has_them() {
    let server = serve_json(200, spec_example("PublicCatalogExample")).await;
    client(&server)
        .public()
        .get_catalog()
        .send()
        .await
        .expect("catalog");
    assert_request(
        &only_request(&server).await,
        "GET",
        "/v2/accounts/permissions/public/catalog",
        Auth::Basic,
        None,
    );
}

#[tokio::test]
async fn validate_policy_sends_the_statement_and_decodes_a_valid_result() {
    let statement = r#"forbid(principal == Cloudinary::Group::"e41b7c09d2a5f836c1e07b9a4d3f25", action == Cloudinary::Action::"delete", resource is Cloudinary::Asset) when { resource.ancestor_ids.contains("f9c1e0a4b27d85e3") };"#;
    let server = serve_json(200, spec_example("ValidateCedarPolicyValidExample")).await;
    let got = anonymous_client(&server)
        .public()
        .validate_policy()
        .policy(statement)
        .send()
        .await
        .expect("validate");
    assert_request(
        &only_request(&server).await,
        "POST",
        "/v2/accounts/permissions/public/validate",
        Auth::Absent,
        Some(json!({ "policy": statement })),
    );
    assert_eq!(
        got,
        model!(ValidateCedarPolicyResponse::new(true); errors: Some(vec![]))
    );
}

#[tokio::test]
async fn validate_policy_decodes_an_invalid_result_and_sends_credentials_when_present() {
    let server = serve_json(200, spec_example("ValidateCedarPolicyInvalidExample")).await;
    let got = client(&server)
        .public()
        .validate_policy()
        .policy("permit(principal, action == Cloudinary::Action::\"browse\", resource);")
        .send()
        .await
        .expect("validate");
    assert_request(
        &only_request(&server).await,
        "POST",
        "/v2/accounts/permissions/public/validate",
        Auth::Basic,
        Some(json!({
            "policy": "permit(principal, action == Cloudinary::Action::\"browse\", resource);"
        })),
    );
    assert!(!got.valid);
    assert_eq!(
        got.errors,
        Some(vec![CedarError::new("invalid_action", "ACCOUNTS_00002")])
    );
}

#[tokio::test]
async fn get_schema_works_without_credentials_and_keeps_the_free_form_schema() {
    let server = serve_json(200, spec_example("CedarSchemaExample")).await;
    let got = anonymous_client(&server)
        .public()
        .get_schema()
        .send()
        .await
        .expect("schema");
    assert_request(
        &only_request(&server).await,
        "GET",
        "/v2/accounts/permissions/public/schema",
        Auth::Absent,
        None,
    );
    let cloudinary = &got.schema["Cloudinary"];
    assert_eq!(cloudinary["entityTypes"]["Group"], json!({}));
    assert_eq!(
        cloudinary["entityTypes"]["User"]["memberOfTypes"],
        json!(["Group"])
    );
    assert_eq!(
        cloudinary["actions"]["delete"]["appliesTo"]["resourceTypes"],
        json!(["Asset", "Folder", "Collection"])
    );
}

// ---------------------------------------------------------------------------------------------
// System, custom and effective policies
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_system_policies_sends_the_filters_and_decodes_the_policies() {
    let server = serve_json(200, spec_example("SystemPoliciesListExample")).await;
    let got = client(&server)
        .system_policies()
        .list()
        .permission_type(PermissionTypeEnum::Global)
        .scope_type(ScopeTypeEnum::Prodenv)
        .send()
        .await
        .expect("system policies");
    assert_request(
        &only_request(&server).await,
        "GET",
        &format!("{R}/policies/system?permission_type=global&scope_type=prodenv"),
        Auth::Basic,
        None,
    );
    assert_eq!(
        got,
        model!(SystemPoliciesResponse::default(); data: Some(vec![upload_presets_policy(), moderate_policy()]), next_cursor: None)
    );
}

#[tokio::test]
async fn get_custom_policies_sends_the_filters_and_decodes_a_page() {
    let server = serve_json(200, spec_example("CustomPoliciesPageExample")).await;
    let got = client(&server)
        .custom_policies()
        .list()
        .scope_type(ScopeTypeEnum::Prodenv)
        .scope_id(PRODENV)
        .enabled(true)
        .cursor("Y3AtcGFnZS0x")
        .send()
        .await
        .expect("custom policies");
    assert_request(
        &only_request(&server).await,
        "GET",
        &format!(
            "{R}/policies/custom?scope_type=prodenv&scope_id={PRODENV}&enabled=true&cursor=Y3AtcGFnZS0x"
        ),
        Auth::Basic,
        None,
    );
    assert_eq!(got.next_cursor, s("Y3AtcGFnZS0y"));
    assert_eq!(
        got.data,
        Some(vec![
            model!(CustomPolicyResponseData::new(PRESS_KIT_POLICY, VIEW_STATEMENT, ScopeTypeEnum::Prodenv, "Partners can view the press kit", true, 1_740_576_000, 1_740_576_000); description: s("Lets the Partners group see the assets of the press-kit folder."), scope_id: s(PRODENV)),
            model!(CustomPolicyResponseData::new(CI_POLICY, FORBID_DELETE, ScopeTypeEnum::Prodenv, "CI key never deletes", false, 1_736_942_400, 1_743_465_600); description: None, scope_id: s("all")),
        ])
    );
}

#[tokio::test]
async fn create_custom_policy_sends_the_body_and_decodes_the_201_response() {
    let server = serve_json(201, spec_example("CustomPolicyCreatedExample")).await;
    let got = client(&server)
        .custom_policies()
        .create()
        .name("Partners can view the press kit")
        .description("Lets the Partners group see the assets of the press-kit folder.")
        .policy_statement(VIEW_STATEMENT)
        .scope_type(ScopeTypeEnum::Prodenv)
        .scope_id(PRODENV)
        .enabled(true)
        .send_with_metadata()
        .await
        .expect("create");
    assert_request(
        &only_request(&server).await,
        "POST",
        &format!("{R}/policies/custom"),
        Auth::Basic,
        Some(json!({
            "name": "Partners can view the press kit",
            "description": "Lets the Partners group see the assets of the press-kit folder.",
            "policy_statement": VIEW_STATEMENT,
            "scope_type": "prodenv",
            "scope_id": PRODENV,
            "enabled": true
        })),
    );
    assert_eq!(got.status().as_u16(), 201);
    let data = got.into_inner().data.expect("data");
    assert_eq!(data.id, PRESS_KIT_POLICY);
    assert_eq!(data.name, "Partners can view the press kit");
    assert_eq!(data.policy_statement, VIEW_STATEMENT);
    assert!(data.enabled);
    assert_eq!(data.created_at, 1_740_576_000);
}

#[tokio::test]
async fn get_custom_policy_decodes_the_policy() {
    let server = serve_json(200, spec_example("CustomPolicyFetchedExample")).await;
    let got = client(&server)
        .custom_policies()
        .get(CI_POLICY)
        .send()
        .await
        .expect("get");
    assert_request(
        &only_request(&server).await,
        "GET",
        &format!("{R}/policies/custom/{CI_POLICY}"),
        Auth::Basic,
        None,
    );
    assert_eq!(
        got,
        model!(CustomPolicyResponse::default(); data: Some(model!(CustomPolicyResponseData::new(CI_POLICY, FORBID_DELETE, ScopeTypeEnum::Prodenv, "CI key never deletes", true, 1_736_942_400, 1_736_942_400); description: s("Stops the build pipeline's API key from deleting assets anywhere."), scope_id: s("all"))))
    );
}

#[tokio::test]
async fn update_custom_policy_sends_the_whole_policy() {
    let server = serve_json(200, spec_example("CustomPolicyUpdatedExample")).await;
    let got = client(&server)
        .custom_policies()
        .update(PRESS_KIT_POLICY)
        .name("Partners can view and edit the press kit")
        .description("Lets the Partners group see and edit the assets of the press-kit folder.")
        .policy_statement(EDIT_STATEMENT)
        .scope_type(ScopeTypeEnum::Prodenv)
        .scope_id(PRODENV)
        .enabled(true)
        .send()
        .await
        .expect("update");
    assert_request(
        &only_request(&server).await,
        "PUT",
        &format!("{R}/policies/custom/{PRESS_KIT_POLICY}"),
        Auth::Basic,
        Some(json!({
            "name": "Partners can view and edit the press kit",
            "description": "Lets the Partners group see and edit the assets of the press-kit folder.",
            "policy_statement": EDIT_STATEMENT,
            "scope_type": "prodenv",
            "scope_id": PRODENV,
            "enabled": true
        })),
    );
    let data = got.data.expect("data");
    assert_eq!(data.name, "Partners can view and edit the press kit");
    assert_eq!(data.policy_statement, EDIT_STATEMENT);
    assert_eq!(data.updated_at, 1_743_465_600);
}

#[tokio::test]
async fn delete_custom_policy_gives_unit_on_204() {
    let server = serve(wiremock::ResponseTemplate::new(204)).await;
    let got: () = client(&server)
        .custom_policies()
        .delete(CI_POLICY)
        .send()
        .await
        .expect("delete");
    assert_eq!(got, ());
    assert_request(
        &only_request(&server).await,
        "DELETE",
        &format!("{R}/policies/custom/{CI_POLICY}"),
        Auth::Basic,
        None,
    );
}

#[tokio::test]
async fn get_effective_policies_sends_the_filters_and_decodes_roles_and_policies() {
    let server = serve_json(200, spec_example("EffectivePoliciesForGroupExample")).await;
    let got = client(&server)
        .effective_policies()
        .list()
        .scope_type(ScopeTypeEnum::Prodenv)
        .scope_id(PRODENV)
        .principal_type(PrincipalTypeEnum::Group)
        .principal_id(PARTNERS)
        .send()
        .await
        .expect("effective");
    assert_request(
        &only_request(&server).await,
        "GET",
        &format!(
            "{R}/policies/effective?scope_type=prodenv&scope_id={PRODENV}&principal_type=group&principal_id={PARTNERS}"
        ),
        Auth::Basic,
        None,
    );
    let moderate = r#"permit(principal == Cloudinary::Group::"e41b7c09d2a5f836c1e07b9a4d3f25", action == Cloudinary::Action::"moderate", resource is Cloudinary::Asset);"#;
    let presets = "permit(principal == Cloudinary::Group::\"e41b7c09d2a5f836c1e07b9a4d3f25\", action, resource is Cloudinary::UploadPreset);\n\
                   permit(principal == Cloudinary::Group::\"e41b7c09d2a5f836c1e07b9a4d3f25\", action, resource is Cloudinary::UploadMapping);\n";
    assert_eq!(
        got,
        model!(EffectivePoliciesResponse::default(); data: Some(model!(EffectivePoliciesResponseData::default(); principals: Some(vec![model!(PrincipalRole::default(); principal_type: s("group"), principal_id: s(PARTNERS), roles: Some(vec![model!(EffectiveRole::default(); id: s(CURATOR), system_policies: Some(vec![
                            model!(EffectivePolicy::default(); id: s("cld::policy::global::assets::moderate"), policy_statement: s(moderate)),
                            model!(EffectivePolicy::default(); id: s("cld::policy::global::upload_presets::manage"), policy_statement: s(presets)),
                        ]))]))]), custom_policies: Some(vec![model!(EffectivePolicy::default(); id: s(PRESS_KIT_POLICY), policy_statement: s(VIEW_STATEMENT))]))))
    );
}

// ---------------------------------------------------------------------------------------------
// Roles
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_required_query_parameter_also_has_a_setter_that_replaces_the_argument() {
    let server = serve_json(200, json!({"data": []})).await;
    client(&server)
        .roles()
        .list(PermissionTypeEnum::Global)
        .permission_type(PermissionTypeEnum::Content)
        .send()
        .await
        .expect("roles");
    assert_request(
        &only_request(&server).await,
        "GET",
        &format!("{R}/roles?permission_type=content"),
        Auth::Basic,
        None,
    );
}

#[tokio::test]
async fn get_roles_sends_json_policy_parameters_and_decodes_the_roles() {
    let server = serve_json(200, spec_example("RolesListExample")).await;
    let got = client(&server)
        .roles()
        .list(PermissionTypeEnum::Content)
        .scope_type(ScopeTypeEnum::Prodenv)
        .management_type(ManagementTypeEnum::Custom)
        .policy_parameters(["folder_id", "collection_id"])
        .send()
        .await
        .expect("roles");
    assert_request(
        &only_request(&server).await,
        "GET",
        &format!(
            "{R}/roles?scope_type=prodenv&permission_type=content&management_type=custom\
             &policy_parameters=%5B%22folder_id%22%2C%22collection_id%22%5D"
        ),
        Auth::Basic,
        None,
    );
    assert_eq!(
        got.data,
        Some(vec![
            model!(RoleResponseData::new("cld::role::collection::viewer", "Collection viewer", ManagementTypeEnum::System, "content", ScopeTypeEnum::Prodenv, 1_733_140_800, 1_733_140_800); description: s("View the assets of a collection."), policy_parameters: Some(vec!["collection_id".into()])),
            model!(RoleResponseData::new(REVIEWER, "Press kit reviewer", ManagementTypeEnum::Custom, "content", ScopeTypeEnum::Prodenv, 1_741_100_000, 1_741_100_000); description: s("Review and annotate the assets of a press-kit folder."), policy_parameters: Some(vec!["folder_id".into()])),
        ])
    );
}

#[tokio::test]
async fn create_role_sends_the_body_and_decodes_the_role_with_its_policies() {
    let server = serve_json(201, spec_example("RoleCreatedGlobalExample")).await;
    let got = client(&server)
        .roles()
        .create()
        .id(CURATOR)
        .permission_type("global")
        .scope_type(ScopeTypeEnum::Prodenv)
        .name("Asset curator")
        .description("Moderates incoming assets and maintains the upload presets.")
        .system_policy_ids([
            "cld::policy::global::assets::moderate",
            "cld::policy::global::upload_presets::manage",
        ])
        .send()
        .await
        .expect("create role");
    assert_request(
        &only_request(&server).await,
        "POST",
        &format!("{R}/roles"),
        Auth::Basic,
        Some(json!({
            "id": CURATOR,
            "permission_type": "global",
            "scope_type": "prodenv",
            "name": "Asset curator",
            "description": "Moderates incoming assets and maintains the upload presets.",
            "system_policy_ids": [
                "cld::policy::global::assets::moderate",
                "cld::policy::global::upload_presets::manage"
            ]
        })),
    );
    assert_eq!(
        got,
        model!(RoleResponse::default(); data: Some(model!(RoleResponseDataInline::new(CURATOR, "Asset curator", ManagementTypeEnum::Custom, "global", ScopeTypeEnum::Prodenv, 1_738_368_000, 1_738_368_000); policies: Some(vec![moderate_policy(), upload_presets_policy()]), description: s("Moderates incoming assets and maintains the upload presets."), policy_parameters: None)))
    );
}

#[tokio::test]
async fn create_role_from_a_body_model_without_an_id() {
    let server = serve_json(201, spec_example("RoleCreatedContentExample")).await;
    let mut body = CreateRole::new("content", ScopeTypeEnum::Prodenv, "Press kit reviewer");
    body.description = "Review and annotate the assets of a press-kit folder."
        .to_owned()
        .into();
    body.system_policy_ids = Some(vec![
        "cld::policy::content::folder::view_download".into(),
        "cld::policy::content::folder::edit_metadata".into(),
    ]);
    let got = client(&server)
        .roles()
        .create()
        .body(body)
        .send()
        .await
        .expect("create role");
    assert_request(
        &only_request(&server).await,
        "POST",
        &format!("{R}/roles"),
        Auth::Basic,
        Some(json!({
            "permission_type": "content",
            "scope_type": "prodenv",
            "name": "Press kit reviewer",
            "description": "Review and annotate the assets of a press-kit folder.",
            "system_policy_ids": [
                "cld::policy::content::folder::view_download",
                "cld::policy::content::folder::edit_metadata"
            ]
        })),
    );
    let data = got.data.expect("data");
    assert_eq!(data.id, REVIEWER);
    assert_eq!(data.policy_parameters, Some(vec!["folder_id".to_owned()]));
    let policies = data.policies.expect("policies");
    assert_eq!(policies.len(), 2);
    assert_eq!(
        policies[1].id,
        "cld::policy::content::folder::edit_metadata"
    );
    assert_eq!(policies[1].permission_type, s("content"));
    assert_eq!(
        policies[1].policy_parameters,
        Some(vec!["folder_id".to_owned()])
    );
}

#[tokio::test]
async fn get_role_sends_the_content_instance_filters() {
    let server = serve_json(200, spec_example("RoleFetchedForFolderExample")).await;
    let got = client(&server)
        .roles()
        .get(REVIEWER)
        .folder_id(FOLDER)
        .asset_id("asset 1")
        .collection_id("col/1")
        .param_key(["folder_id", "collection_id"])
        .param_value([FOLDER, "7a1e5d0c9b3f42e8d6a1"])
        .send()
        .await
        .expect("get role");
    assert_request(
        &only_request(&server).await,
        "GET",
        &format!(
            "{R}/roles/{REVIEWER}?folder_id={FOLDER}&asset_id=asset%201&collection_id=col%2F1\
             &param_key=folder_id&param_key=collection_id&param_value={FOLDER}&param_value=7a1e5d0c9b3f42e8d6a1"
        ),
        Auth::Basic,
        None,
    );
    let data = got.data.expect("data");
    assert_eq!(data.id, REVIEWER);
    assert_eq!(data.management_type, ManagementTypeEnum::Custom);
    let policies = data.policies.expect("policies");
    assert_eq!(
        policies[0].policy_statement,
        r#"permit(principal, action == Cloudinary::Action::"read", resource is Cloudinary::Asset) when { resource.ancestor_ids.contains("f9c1e0a4b27d85e3") };"#
    );
}

#[tokio::test]
async fn update_role_sends_name_description_and_policies() {
    let server = serve_json(200, spec_example("RoleUpdatedExample")).await;
    let got = client(&server)
        .roles()
        .update(CURATOR)
        .name("Asset curator and uploader")
        .description("Moderates and uploads assets, and maintains the upload presets.")
        .system_policy_ids([
            "cld::policy::global::assets::moderate",
            "cld::policy::global::upload_presets::manage",
            "cld::policy::global::folder_and_asset_management::create_asset",
        ])
        .send()
        .await
        .expect("update role");
    assert_request(
        &only_request(&server).await,
        "PUT",
        &format!("{R}/roles/{CURATOR}"),
        Auth::Basic,
        Some(json!({
            "name": "Asset curator and uploader",
            "description": "Moderates and uploads assets, and maintains the upload presets.",
            "system_policy_ids": [
                "cld::policy::global::assets::moderate",
                "cld::policy::global::upload_presets::manage",
                "cld::policy::global::folder_and_asset_management::create_asset"
            ]
        })),
    );
    let data = got.data.expect("data");
    assert_eq!(data.name, "Asset curator and uploader");
    assert_eq!(data.updated_at, 1_742_169_600);
    let policies = data.policies.expect("policies");
    assert_eq!(policies.len(), 3);
    assert_eq!(policies[2].name, "Upload assets");
    assert_eq!(policies[2].sub_category, s("Folder and asset management"));
}

#[tokio::test]
async fn delete_role_sends_force_and_gives_unit_on_204() {
    let server = serve(wiremock::ResponseTemplate::new(204)).await;
    let got: () = client(&server)
        .roles()
        .delete(CURATOR)
        .force(true)
        .send()
        .await
        .expect("delete role");
    assert_eq!(got, ());
    assert_request(
        &only_request(&server).await,
        "DELETE",
        &format!("{R}/roles/{CURATOR}?force=true"),
        Auth::Basic,
        None,
    );
}

#[tokio::test]
async fn get_role_principals_sends_every_filter_and_decodes_verbose_assignments() {
    let server = serve_json(200, spec_example("RolePrincipalsVerboseExample")).await;
    let got = client(&server)
        .roles()
        .list_principals(REVIEWER)
        .scope_type(ScopeTypeEnum::Prodenv)
        .scope_id(PRODENV)
        .verbose(true)
        .folder_id(FOLDER)
        .asset_id("a1")
        .collection_id("c1")
        .param_key(["folder_id"])
        .param_value([FOLDER])
        .send()
        .await
        .expect("principals");
    assert_request(
        &only_request(&server).await,
        "GET",
        &format!(
            "{R}/roles/{REVIEWER}/principals?scope_type=prodenv&scope_id={PRODENV}&verbose=true\
             &folder_id={FOLDER}&asset_id=a1&collection_id=c1&param_key=folder_id&param_value={FOLDER}"
        ),
        Auth::Basic,
        None,
    );
    let data = got.data.expect("data");
    assert_eq!(data.len(), 2);
    assert_eq!(
        data[0],
        model!(PrincipalResponseData::new(PARTNERS, PrincipalTypeEnum::Group); role_id: s(REVIEWER), policy_parameters: Some(json!({"folder_id": FOLDER})), scope_type: Some(ScopeTypeEnum::Prodenv), scope_id: s(PRODENV), created_at: Some(1_741_186_400), updated_at: Some(1_741_186_400))
    );
    assert_eq!(data[1].r#type, PrincipalTypeEnum::User);
    assert_eq!(
        data[1].policy_parameters,
        Some(json!({"folder_id": "c03d58ab91ef2476"}))
    );
}

#[tokio::test]
async fn get_role_principals_decodes_compact_assignments() {
    let server = serve_json(200, spec_example("RolePrincipalsCompactExample")).await;
    let got = client(&server)
        .roles()
        .list_principals(REVIEWER)
        .send()
        .await
        .expect("principals");
    assert_request(
        &only_request(&server).await,
        "GET",
        &format!("{R}/roles/{REVIEWER}/principals"),
        Auth::Basic,
        None,
    );
    let data = got.data.expect("data");
    assert_eq!(data[1].id, USER_A9);
    assert_eq!(data[1].r#type, PrincipalTypeEnum::User);
    assert_eq!(data[1].role_id, None);
    assert_eq!(data[1].created_at, None);
}

#[tokio::test]
async fn update_role_principals_sends_the_assignments_and_accepts_an_empty_200() {
    let server = serve(wiremock::ResponseTemplate::new(200)).await;
    let mut user = UpdateRolePrincipal::new(PrincipalTypeEnum::User, USER_5C);
    user.scope_id = PRODENV.to_owned().into();
    user.policy_parameters = Some(json!({"folder_id": FOLDER}));
    let mut key = UpdateRolePrincipal::new(PrincipalTypeEnum::ApiKey, CI_KEY);
    key.scope_id = PRODENV.to_owned().into();
    key.policy_parameters = Some(json!({"folder_id": "c03d58ab91ef2476"}));
    let got: () = client(&server)
        .roles()
        .update_principals(REVIEWER)
        .operation(OperationEnum::Add)
        .principals([user, key])
        .send()
        .await
        .expect("update principals");
    assert_eq!(got, ());
    assert_request(
        &only_request(&server).await,
        "PUT",
        &format!("{R}/roles/{REVIEWER}/principals"),
        Auth::Basic,
        Some(json!({
            "operation": "add",
            "principals": [
                {
                    "principal_type": "user",
                    "principal_id": USER_5C,
                    "scope_id": PRODENV,
                    "policy_parameters": {"folder_id": FOLDER}
                },
                {
                    "principal_type": "apiKey",
                    "principal_id": CI_KEY,
                    "scope_id": PRODENV,
                    "policy_parameters": {"folder_id": "c03d58ab91ef2476"}
                }
            ]
        })),
    );
}

// ---------------------------------------------------------------------------------------------
// Principals
// ---------------------------------------------------------------------------------------------

fn reviewer_assignment(created: i64) -> PrincipalRolesData {
    model!(PrincipalRolesData::new(REVIEWER, "Press kit reviewer", ManagementTypeEnum::Custom, PermissionTypeEnum::Content, ScopeTypeEnum::Prodenv, created, created); description: s("Review and annotate the assets of a press-kit folder."), scope_id: s(PRODENV), policy_parameters: Some(json!({"folder_id": FOLDER})))
}

#[tokio::test]
async fn get_principal_roles_sends_required_and_optional_filters() {
    let server = serve_json(200, spec_example("PrincipalRolesListExample")).await;
    let got = client(&server)
        .principals()
        .list_roles(
            PrincipalTypeEnum::Group,
            PARTNERS,
            PermissionTypeEnum::Content,
        )
        .management_type(ManagementTypeEnum::System)
        .scope_type(ScopeTypeEnum::Prodenv)
        .scope_id(PRODENV)
        .folder_id(FOLDER)
        .asset_id("a 1")
        .collection_id("c1")
        .param_key(["collection_id"])
        .param_value(["7a1e5d0c9b3f42e8d6a1"])
        .send()
        .await
        .expect("principal roles");
    assert_request(
        &only_request(&server).await,
        "GET",
        &format!(
            "{R}/principal_roles?principal_type=group&principal_id={PARTNERS}&permission_type=content\
             &management_type=system&scope_type=prodenv&scope_id={PRODENV}&folder_id={FOLDER}\
             &asset_id=a%201&collection_id=c1&param_key=collection_id&param_value=7a1e5d0c9b3f42e8d6a1"
        ),
        Auth::Basic,
        None,
    );
    assert_eq!(
        got.data,
        Some(vec![
            reviewer_assignment(1_741_186_400),
            model!(PrincipalRolesData::new("cld::role::collection::viewer", "Collection viewer", ManagementTypeEnum::System, PermissionTypeEnum::Content, ScopeTypeEnum::Prodenv, 1_739_500_000, 1_739_500_000); description: s("View the assets of a collection."), scope_id: s(OTHER_PRODENV), policy_parameters: Some(json!({"collection_id": "7a1e5d0c9b3f42e8d6a1"}))),
        ])
    );
}

#[tokio::test]
async fn update_principal_roles_sends_the_principal_and_roles() {
    let server = serve(wiremock::ResponseTemplate::new(200)).await;
    let mut admin = RoleToManage::new("cld::role::prodenv::technical_admin");
    admin.scope_id = s(OTHER_PRODENV);
    let mut reviewer = RoleToManage::new(REVIEWER);
    reviewer.scope_id = s(PRODENV);
    reviewer.policy_parameters = Some(json!({"folder_id": FOLDER}));
    let got: () = client(&server)
        .principals()
        .update_roles()
        .operation(OperationEnum::Add)
        .principal(Principal::new(PrincipalTypeEnum::User, USER_5C))
        .roles([admin, reviewer])
        .send()
        .await
        .expect("update roles");
    assert_eq!(got, ());
    assert_request(
        &only_request(&server).await,
        "PUT",
        &format!("{R}/principal_roles"),
        Auth::Basic,
        Some(json!({
            "operation": "add",
            "principal": {"type": "user", "id": USER_5C},
            "roles": [
                {"id": "cld::role::prodenv::technical_admin", "scope_id": OTHER_PRODENV},
                {"id": REVIEWER, "scope_id": PRODENV, "policy_parameters": {"folder_id": FOLDER}}
            ]
        })),
    );
}

#[tokio::test]
async fn inspect_sends_every_filter_and_decodes_principals_and_cursor() {
    let server = serve_json(200, spec_example("InspectFolderExample")).await;
    let got = client(&server)
        .principals()
        .inspect(ScopeTypeEnum::Prodenv)
        .scope_id(PRODENV)
        .principal_type(PrincipalTypeEnum::Group)
        .principal_id(PARTNERS)
        .folder_id(FOLDER)
        .asset_id("a1")
        .collection_id("c1")
        .param_key(["folder_id"])
        .param_value([FOLDER])
        .cursor("aW5zcGVjdC1wYWdlLTE=")
        .send()
        .await
        .expect("inspect");
    assert_request(
        &only_request(&server).await,
        "GET",
        &format!(
            "{R}/principal_roles/inspect?scope_type=prodenv&scope_id={PRODENV}&principal_type=group\
             &principal_id={PARTNERS}&folder_id={FOLDER}&asset_id=a1&collection_id=c1\
             &param_key=folder_id&param_value={FOLDER}&cursor=aW5zcGVjdC1wYWdlLTE%3D"
        ),
        Auth::Basic,
        None,
    );
    assert_eq!(got.next_cursor, s("aW5zcGVjdC1wYWdlLTI"));
    let principals = got.data.expect("data").principals.expect("principals");
    assert_eq!(
        principals,
        vec![
            PrincipalRolesInspectData::new(
                PrincipalTypeEnum::Group,
                PARTNERS,
                vec![reviewer_assignment(1_741_186_400)]
            ),
            PrincipalRolesInspectData::new(
                PrincipalTypeEnum::User,
                USER_5C,
                vec![reviewer_assignment(1_743_465_600)]
            ),
        ]
    );
}

#[tokio::test]
async fn inspect_multiple_sends_the_principals_and_decodes_null_and_empty_roles() {
    let server = serve_json(200, spec_example("InspectMultipleResultExample")).await;
    let got = client(&server)
        .principals()
        .inspect_multiple()
        .scope_type(ScopeTypeEnum::Prodenv)
        .scope_id(OTHER_PRODENV)
        .principals([
            Principal::new(PrincipalTypeEnum::User, USER_5C),
            Principal::new(PrincipalTypeEnum::User, USER_A9),
            Principal::new(PrincipalTypeEnum::ApiKey, CI_KEY),
        ])
        .policy_parameters(map(json!({"folder_id": FOLDER})))
        .cursor("c2")
        .send()
        .await
        .expect("inspect multiple");
    assert_request(
        &only_request(&server).await,
        "POST",
        &format!("{R}/principal_roles/inspect"),
        Auth::Basic,
        Some(json!({
            "scope_type": "prodenv",
            "scope_id": OTHER_PRODENV,
            "principals": [
                {"type": "user", "id": USER_5C},
                {"type": "user", "id": USER_A9},
                {"type": "apiKey", "id": CI_KEY}
            ],
            "policy_parameters": {"folder_id": FOLDER},
            "cursor": "c2"
        })),
    );
    let principals = got.data.expect("data").principals.expect("principals");
    assert_eq!(principals.len(), 3);
    let admin = &principals[0].roles[0];
    assert_eq!(admin.id, "cld::role::prodenv::technical_admin");
    assert_eq!(admin.permission_type, PermissionTypeEnum::Global);
    assert_eq!(admin.management_type, ManagementTypeEnum::System);
    // `policy_parameters: null` in the example.
    assert_eq!(admin.policy_parameters, None);
    assert_eq!(principals[1].id, USER_A9);
    assert_eq!(principals[1].roles, vec![]);
    assert_eq!(principals[2].r#type, PrincipalTypeEnum::ApiKey);
    assert_eq!(principals[2].roles[0].id, CURATOR);
    // Absent in the example.
    assert_eq!(principals[2].roles[0].policy_parameters, None);
    assert_eq!(got.next_cursor, None);
}

#[tokio::test]
async fn public_endpoints_send_credentials_when_configured() {
    let server = serve_json(200, json!({"catalog": {}, "schema": {}, "valid": true})).await;
    let client = client(&server);
    for id in [
        "getSystemRolesAndPoliciesCatalog",
        "validateCedarPolicy",
        "getCedarSchema",
    ] {
        call(&client, id)
            .await
            .unwrap_or_else(|e| panic!("{id}: {e}"));
    }
    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 3);
    for req in &reqs {
        assert_eq!(
            header(req, "authorization").as_deref(),
            Some(BASIC_K_S),
            "{}",
            target(req)
        );
    }
}

#[tokio::test]
async fn void_operations_accept_any_2xx_and_ignore_the_body() {
    for template in [
        wiremock::ResponseTemplate::new(200).set_body_json(json!({"message": "deleted"})),
        wiremock::ResponseTemplate::new(202),
        raw_response(204, "text/html", ""),
        raw_response(200, "text/plain", "OK"),
    ] {
        let server = serve(template).await;
        let c = client(&server);
        c.roles().delete("r1").send().await.expect("delete role");
        c.custom_policies()
            .delete("cp1")
            .send()
            .await
            .expect("delete policy");
        c.principals()
            .update_roles()
            .send()
            .await
            .expect("update roles");
        c.roles()
            .update_principals("r1")
            .send()
            .await
            .expect("update principals");
        assert_eq!(requests(&server).await.len(), 4);
    }
}
