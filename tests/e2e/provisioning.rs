//! End-to-end tests of the v1_1 provisioning operations (product environments, access keys,
//! users, user groups, billing usage) and of agent account creation: for each operation the
//! exact method, request target, headers and JSON body sent, and the decoding of the spec's
//! example response into values written out by hand.

use workspace_tests::{model, support};

use cld_provisioning::models::*;
use cld_provisioning::{Date, DateTime, SecretString};
use serde_json::{Map, Value, json};
use support::*;

fn map(value: Value) -> Map<String, Value> {
    value.as_object().expect("a JSON object").clone()
}

fn s(text: &str) -> Option<String> {
    Some(text.to_owned())
}

fn dt(text: &str) -> Option<DateTime> {
    Some(DateTime::new(text))
}

const PROD: &str = "b7e31c0f5a9d4e2c8f60a1d3e5b7c9f2";
const STAGING: &str = "4c2a9e81d7f3b6054a1e8c9d2b7f6a30";
const MOBILE: &str = "9d0f3b7a2e6c4185b9a0d7e2c4f61b38";
const PRIYA: &str = "5e1c9a7d3b2f4086a1c7e9b3d5f70a2c";
const TOMAS: &str = "a83d0f6b2c9e47d1b05a6c3e8f2d9b41";
const LENA: &str = "2f7b4e9c1a6d08354e2b7c9a0d3f6e18";
const EDITORS: &str = "6b0e3d9a4c7f21e8d5a2b6c9f03e7d14";
const MARKETING: &str = "e4a1c8f7b2d95063c7e4a9b1d8f2c605";

fn prod_environment() -> ProductEnvironment {
    model!(ProductEnvironment::default(); cloud_name: s("northwind-prod"), name: s("Northwind Production"), enabled: Some(true), id: s(PROD), api_access_keys: Some(vec![model!(ApiAccessKey::default(); key: s("483920175630481"), secret: Some(SecretString::new("Xr8Jm2QvLk5Tz0Wb7NcYh3Pd9Fs")), enabled: Some(true))]), created_at: dt("2023-02-14T09:12:44Z"), updated_at: dt("2024-10-01T16:05:19Z"))
}

fn ok_message() -> SuccessResponse {
    model!(SuccessResponse::default(); message: s("ok"))
}

// ---------------------------------------------------------------------------------------------
// Product environments
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_product_environments_sends_every_filter_and_decodes_the_list() {
    let server = serve_json(200, spec_example("ProductEnvironmentListSample")).await;
    let got = client(&server)
        .product_environments()
        .list()
        .enabled(false)
        .ids([PROD, STAGING])
        .cloud_names(["northwind-prod", "northwind staging"])
        .prefix("North wind&co")
        .send()
        .await
        .expect("list");
    assert_request(
        &only_request(&server).await,
        "GET",
        &format!(
            "{P}/sub_accounts?enabled=false&ids={PROD}&ids={STAGING}\
             &cloud_names=northwind-prod&cloud_names=northwind%20staging&prefix=North%20wind%26co"
        ),
        Auth::Basic,
        None,
    );
    let staging = model!(ProductEnvironment::default(); cloud_name: s("northwind-staging"), name: s("Northwind Staging"), enabled: Some(true), id: s(STAGING), api_access_keys: Some(vec![model!(ApiAccessKey::default(); key: s("917364028451937"), secret: Some(SecretString::new("Gm4Rt7Yw1Qe9Ua3Ik6Oz2Lp8Sx")), enabled: Some(true))]), created_at: dt("2024-06-03T15:40:02Z"), updated_at: dt("2024-06-03T15:40:02Z"));
    assert_eq!(
        got,
        model!(ProductEnvironmentsResponse::default(); sub_accounts: Some(vec![prod_environment(), staging]))
    );
}

#[tokio::test]
async fn get_product_environments_without_filters_sends_no_query() {
    let server = serve_json(200, json!({"sub_accounts": []})).await;
    let got = client(&server)
        .product_environments()
        .list()
        .send()
        .await
        .expect("list");
    assert_request(
        &only_request(&server).await,
        "GET",
        &format!("{P}/sub_accounts"),
        Auth::Basic,
        None,
    );
    assert_eq!(got.sub_accounts, Some(vec![]));
}

#[tokio::test]
async fn create_product_environment_sends_the_body_and_decodes_the_environment() {
    let server = serve_json(200, spec_example("ProductEnvironmentCreatedSample")).await;
    let got = client(&server)
        .product_environments()
        .create()
        .name("Northwind Mobile App")
        .cloud_name("northwind-mobile")
        .base_sub_account_id(PROD)
        .custom_attributes(map(
            json!({"cost_center": "mobile", "tiers": [1, 2], "owner": {"team": "apps"}}),
        ))
        .send()
        .await
        .expect("create");
    assert_request(
        &only_request(&server).await,
        "POST",
        &format!("{P}/sub_accounts"),
        Auth::Basic,
        Some(json!({
            "name": "Northwind Mobile App",
            "cloud_name": "northwind-mobile",
            "base_sub_account_id": PROD,
            "custom_attributes": {"cost_center": "mobile", "tiers": [1, 2], "owner": {"team": "apps"}}
        })),
    );
    assert_eq!(
        got,
        model!(ProductEnvironment::default(); cloud_name: s("northwind-mobile"), name: s("Northwind Mobile App"), enabled: Some(true), id: s(MOBILE), api_access_keys: Some(vec![model!(ApiAccessKey::default(); key: s("265019384756102"), secret: Some(SecretString::new("Bv5Nq8Wx2Ec7Rt4Yu1Io9Pa3Sd6")), enabled: Some(true))]), created_at: dt("2025-05-20T08:30:00Z"), updated_at: dt("2025-05-20T08:30:00Z"))
    );
}

#[tokio::test]
async fn get_product_environment_decodes_the_environment() {
    let server = serve_json(200, spec_example("ProductEnvironmentSample")).await;
    let got = client(&server)
        .product_environments()
        .get(PROD)
        .send()
        .await
        .expect("get");
    assert_request(
        &only_request(&server).await,
        "GET",
        &format!("{P}/sub_accounts/{PROD}"),
        Auth::Basic,
        None,
    );
    assert_eq!(got, prod_environment());
    assert_eq!(
        got.created_at.as_ref().and_then(DateTime::unix_seconds),
        Some(1_676_365_964)
    );
}

#[tokio::test]
async fn update_product_environment_sends_only_the_fields_set() {
    let server = serve_json(200, spec_example("ProductEnvironmentUpdatedSample")).await;
    let got = client(&server)
        .product_environments()
        .update(STAGING)
        .name("Northwind Staging (frozen)")
        .enabled(false)
        .send()
        .await
        .expect("update");
    assert_request(
        &only_request(&server).await,
        "PUT",
        &format!("{P}/sub_accounts/{STAGING}"),
        Auth::Basic,
        Some(json!({"name": "Northwind Staging (frozen)", "enabled": false})),
    );
    assert_eq!(got.name, s("Northwind Staging (frozen)"));
    assert_eq!(got.enabled, Some(false));
    assert_eq!(got.id, s(STAGING));
    assert_eq!(got.updated_at, dt("2025-05-21T11:02:37Z"));
    assert!(got.extra.is_empty(), "{:?}", got.extra);
}

#[tokio::test]
async fn update_product_environment_sends_custom_attributes_unchanged() {
    let server = serve_json(200, spec_example("ProductEnvironmentUpdatedSample")).await;
    client(&server)
        .product_environments()
        .update(STAGING)
        .custom_attributes(map(json!({"cost_center": null, "region": "eu"})))
        .cloud_name("northwind-staging-2")
        .send()
        .await
        .expect("update");
    assert_request(
        &only_request(&server).await,
        "PUT",
        &format!("{P}/sub_accounts/{STAGING}"),
        Auth::Basic,
        Some(json!({
            "cloud_name": "northwind-staging-2",
            "custom_attributes": {"cost_center": null, "region": "eu"}
        })),
    );
}

#[tokio::test]
async fn delete_product_environment_decodes_the_acknowledgement() {
    let server = serve_json(200, spec_example("SuccessSample")).await;
    let got = client(&server)
        .product_environments()
        .delete(STAGING)
        .send()
        .await
        .expect("delete");
    assert_request(
        &only_request(&server).await,
        "DELETE",
        &format!("{P}/sub_accounts/{STAGING}"),
        Auth::Basic,
        None,
    );
    assert_eq!(got, ok_message());
}

// ---------------------------------------------------------------------------------------------
// Access keys
// ---------------------------------------------------------------------------------------------

fn ci_key() -> AccessKey {
    model!(AccessKey::default(); name: s("ci-uploader"), api_key: s("730194625830517"), api_secret: Some(SecretString::new("Hj2Kl9Zx4Cv7Bn1Mq5Wr8Ty3Ui")), created_at: dt("2024-11-05T13:22:10Z"), updated_at: dt("2024-11-05T13:22:10Z"), enabled: Some(true))
}

#[tokio::test]
async fn get_access_keys_sends_paging_and_sorting_and_decodes_the_keys() {
    let server = serve_json(200, spec_example("AccessKeyListSample")).await;
    let got = client(&server)
        .access_keys()
        .list(PROD)
        .page_size(25)
        .page(2)
        .sort_by(GetAccessKeysSortBy::Name)
        .sort_order(SortOrder::Desc)
        .send()
        .await
        .expect("list");
    assert_request(
        &only_request(&server).await,
        "GET",
        &format!(
            "{P}/sub_accounts/{PROD}/access_keys?page_size=25&page=2&sort_by=name&sort_order=desc"
        ),
        Auth::Basic,
        None,
    );
    let legacy = model!(AccessKey::default(); name: s("legacy-backend"), api_key: s("358201947736402"), api_secret: Some(SecretString::new("Pq6As1Df8Gh3Jk0Lz5Xc2Vb9Nm")), created_at: dt("2021-07-19T07:48:31Z"), updated_at: dt("2025-01-08T10:15:54Z"), enabled: Some(false));
    assert_eq!(
        got,
        model!(AccessKeysResponse::default(); access_keys: Some(vec![ci_key(), legacy]), total: Some(2))
    );
}

#[tokio::test]
async fn generate_access_key_sends_the_body_and_decodes_the_key() {
    let server = serve_json(200, spec_example("AccessKeySample")).await;
    let got = client(&server)
        .access_keys()
        .generate(PROD)
        .name("ci-uploader")
        .enabled(true)
        .send()
        .await
        .expect("generate");
    assert_request(
        &only_request(&server).await,
        "POST",
        &format!("{P}/sub_accounts/{PROD}/access_keys"),
        Auth::Basic,
        Some(json!({"name": "ci-uploader", "enabled": true})),
    );
    assert_eq!(got, ci_key());
    assert_eq!(
        got.api_secret.as_ref().map(SecretString::expose_secret),
        Some("Hj2Kl9Zx4Cv7Bn1Mq5Wr8Ty3Ui")
    );
}

#[tokio::test]
async fn generate_access_key_without_options_sends_an_empty_object() {
    let server = serve_json(200, spec_example("AccessKeySample")).await;
    client(&server)
        .access_keys()
        .generate(PROD)
        .send()
        .await
        .expect("generate");
    assert_request(
        &only_request(&server).await,
        "POST",
        &format!("{P}/sub_accounts/{PROD}/access_keys"),
        Auth::Basic,
        Some(json!({})),
    );
}

#[tokio::test]
async fn delete_access_key_by_name_sends_the_name_in_the_query() {
    let server = serve_json(200, spec_example("SuccessSample")).await;
    let got = client(&server)
        .access_keys()
        .delete_by_name(PROD, "ci uploader/2025")
        .send()
        .await
        .expect("delete by name");
    assert_request(
        &only_request(&server).await,
        "DELETE",
        &format!("{P}/sub_accounts/{PROD}/access_keys?name=ci%20uploader%2F2025"),
        Auth::Basic,
        None,
    );
    assert_eq!(got, ok_message());
}

#[tokio::test]
async fn update_access_key_sends_the_body_and_decodes_the_key() {
    let server = serve_json(200, spec_example("AccessKeyUpdatedSample")).await;
    let got = client(&server)
        .access_keys()
        .update(PROD, "730194625830517")
        .name("ci-uploader-2025")
        .enabled(true)
        .dedicated_for(AccessKeyUpdateRequestDedicatedFor::Webhooks)
        .send()
        .await
        .expect("update");
    assert_request(
        &only_request(&server).await,
        "PUT",
        &format!("{P}/sub_accounts/{PROD}/access_keys/730194625830517"),
        Auth::Basic,
        Some(json!({"name": "ci-uploader-2025", "enabled": true, "dedicated_for": "webhooks"})),
    );
    assert_eq!(
        got,
        model!(ci_key(); name: s("ci-uploader-2025"), updated_at: dt("2025-05-21T09:41:03Z"))
    );
}

#[tokio::test]
async fn delete_access_key_addresses_the_key() {
    let server = serve_json(200, spec_example("SuccessSample")).await;
    let got = client(&server)
        .access_keys()
        .delete(PROD, "730194625830517")
        .send()
        .await
        .expect("delete");
    assert_request(
        &only_request(&server).await,
        "DELETE",
        &format!("{P}/sub_accounts/{PROD}/access_keys/730194625830517"),
        Auth::Basic,
        None,
    );
    assert_eq!(got, ok_message());
}

// ---------------------------------------------------------------------------------------------
// Users
// ---------------------------------------------------------------------------------------------

fn priya_listed() -> User {
    model!(User::default(); id: s(PRIYA), name: s("Priya Raman"), role: s("admin"), email: s("priya.raman@example.org"), pending: Some(false), enabled: Some(true), created_at: dt("2022-09-12T10:03:27Z"), updated_at: dt("2025-02-17T14:26:51Z"), last_login: dt("2025-05-19T07:55:12Z"), all_sub_accounts: Some(true))
}

fn tomas_listed() -> User {
    model!(User::default(); id: s(TOMAS), name: s("Tomas Ortega"), role: s("media_library_user"), email: s("tomas.ortega@example.org"), pending: Some(false), enabled: Some(true), created_at: dt("2023-11-30T16:44:09Z"), updated_at: dt("2023-11-30T16:44:09Z"), last_login: dt("2025-04-02T12:18:40Z"), all_sub_accounts: Some(false))
}

#[tokio::test]
async fn get_users_sends_every_filter_in_form_style_and_decodes_the_users() {
    let server = serve_json(200, spec_example("UserListSample")).await;
    let got = client(&server)
        .users()
        .list()
        .pending(true)
        .ids([PRIYA, TOMAS])
        .emails(["priya.raman@example.org", "tomas+ortega@example.org"])
        .prefix("pri")
        .sub_account_id(PROD)
        .last_login(true)
        .from(Date::new(2025, 3, 1).expect("a date"))
        .to("2025-05-31".parse::<Date>().expect("a date"))
        .union_type(GetUsersUnionType::Exclude)
        .sort_order(SortOrder::Asc)
        .sort_by(GetUsersSortBy::CreatedAt)
        .page(1)
        .page_size(50)
        .send()
        .await
        .expect("list");
    assert_request(
        &only_request(&server).await,
        "GET",
        &format!(
            "{P}/users?pending=true&ids={PRIYA}&ids={TOMAS}\
             &emails=priya.raman%40example.org&emails=tomas%2Bortega%40example.org\
             &prefix=pri&sub_account_id={PROD}&last_login=true&from=2025-03-01&to=2025-05-31\
             &union_type=exclude&sort_order=asc&sort_by=created_at&page=1&page_size=50"
        ),
        Auth::Basic,
        None,
    );
    assert_eq!(
        got,
        model!(UsersResponse::default(); users: Some(vec![priya_listed(), tomas_listed()]))
    );
}

#[tokio::test]
async fn create_user_sends_the_body_and_decodes_the_pending_user() {
    let server = serve_json(200, spec_example("UserCreatedSample")).await;
    let got = client(&server)
        .users()
        .create()
        .name("Lena Fischer")
        .email("lena.fischer@example.org")
        .role(UserRequestRole::TechnicalAdmin)
        .sub_account_ids([MOBILE])
        .enabled(true)
        .send()
        .await
        .expect("create");
    assert_request(
        &only_request(&server).await,
        "POST",
        &format!("{P}/users"),
        Auth::Basic,
        Some(json!({
            "name": "Lena Fischer",
            "email": "lena.fischer@example.org",
            "role": "technical_admin",
            "sub_account_ids": [MOBILE],
            "enabled": true
        })),
    );
    assert_eq!(
        got,
        model!(User::default(); id: s(LENA), name: s("Lena Fischer"), role: s("technical_admin"), email: s("lena.fischer@example.org"), pending: Some(true), enabled: Some(true), created_at: dt("2025-05-20T08:45:16Z"), updated_at: dt("2025-05-20T08:45:16Z"), all_sub_accounts: Some(false))
    );
}

#[tokio::test]
async fn get_user_decodes_every_documented_field() {
    let server = serve_json(200, spec_example("UserSample")).await;
    let got = client(&server)
        .users()
        .get(PRIYA)
        .send()
        .await
        .expect("get");
    assert_request(
        &only_request(&server).await,
        "GET",
        &format!("{P}/users/{PRIYA}"),
        Auth::Basic,
        None,
    );
    assert_eq!(
        got,
        model!(priya_listed(); first_name: s("Priya"), last_name: s("Raman"), two_factor: Some(true), status: s("active"), group_count: Some(1), sub_account_count: Some(2))
    );
}

#[tokio::test]
async fn update_user_sends_only_the_role() {
    let server = serve_json(200, spec_example("UserUpdatedSample")).await;
    let got = client(&server)
        .users()
        .update(TOMAS)
        .role(UserRequestRole::MediaLibraryAdmin)
        .send()
        .await
        .expect("update");
    assert_request(
        &only_request(&server).await,
        "PUT",
        &format!("{P}/users/{TOMAS}"),
        Auth::Basic,
        Some(json!({"role": "media_library_admin"})),
    );
    assert_eq!(
        got,
        model!(tomas_listed(); role: s("media_library_admin"), updated_at: dt("2025-05-21T13:09:58Z"))
    );
}

#[tokio::test]
async fn update_user_sends_every_field() {
    let server = serve_json(200, spec_example("UserUpdatedSample")).await;
    client(&server)
        .users()
        .update(TOMAS)
        .name("Tomás Ortega")
        .email("tomas@example.org")
        .role(UserRequestRole::Billing)
        .sub_account_ids([PROD, STAGING])
        .enabled(false)
        .send()
        .await
        .expect("update");
    assert_request(
        &only_request(&server).await,
        "PUT",
        &format!("{P}/users/{TOMAS}"),
        Auth::Basic,
        Some(json!({
            "name": "Tomás Ortega",
            "email": "tomas@example.org",
            "role": "billing",
            "sub_account_ids": [PROD, STAGING],
            "enabled": false
        })),
    );
}

#[tokio::test]
async fn delete_user_decodes_the_acknowledgement() {
    let server = serve_json(200, spec_example("SuccessSample")).await;
    let got = client(&server)
        .users()
        .delete(TOMAS)
        .send()
        .await
        .expect("delete");
    assert_request(
        &only_request(&server).await,
        "DELETE",
        &format!("{P}/users/{TOMAS}"),
        Auth::Basic,
        None,
    );
    assert_eq!(got, ok_message());
}

#[tokio::test]
async fn get_groups_for_user_decodes_the_groups() {
    let server = serve_json(200, spec_example("UserGroupSummaryListSample")).await;
    let got = client(&server)
        .users()
        .get_groups(PRIYA)
        .send()
        .await
        .expect("groups");
    assert_request(
        &only_request(&server).await,
        "GET",
        &format!("{P}/users/{PRIYA}/groups"),
        Auth::Basic,
        None,
    );
    assert_eq!(
        got,
        model!(UserGroupsListResponse::default(); groups: Some(vec![
            model!(UserGroupSummary::default(); id: s(EDITORS), name: s("Photo Editors")),
            model!(UserGroupSummary::default(); id: s(MARKETING), name: s("Marketing Ops")),
        ]))
    );
}

#[tokio::test]
async fn get_sub_accounts_for_user_decodes_the_summaries() {
    let server = serve_json(200, spec_example("UserSubAccountListSample")).await;
    let got = client(&server)
        .users()
        .list_sub_accounts(PRIYA)
        .send()
        .await
        .expect("sub accounts");
    assert_request(
        &only_request(&server).await,
        "GET",
        &format!("{P}/users/{PRIYA}/sub_accounts"),
        Auth::Basic,
        None,
    );
    assert_eq!(
        got,
        model!(UserSubAccountsResponse::default(); sub_accounts: Some(vec![
            model!(SubAccountSummary::default(); id: s(PROD), name: s("Northwind Production"), description: s("Customer-facing storefront assets"), cloud_name: s("northwind-prod"), enabled: Some(true)),
            model!(SubAccountSummary::default(); id: s(STAGING), name: s("Northwind Staging"), description: s("Pre-release testing"), cloud_name: s("northwind-staging"), enabled: Some(true)),
        ]))
    );
}

// ---------------------------------------------------------------------------------------------
// User groups
// ---------------------------------------------------------------------------------------------

fn member(id: &str, name: &str, email: &str) -> UserGroupUser {
    model!(UserGroupUser::default(); id: s(id), name: s(name), email: s(email))
}

fn priya_member() -> UserGroupUser {
    member(PRIYA, "Priya Raman", "priya.raman@example.org")
}

fn tomas_member() -> UserGroupUser {
    member(TOMAS, "Tomas Ortega", "tomas.ortega@example.org")
}

#[tokio::test]
async fn get_user_groups_with_extended_details_decodes_members_and_timestamps() {
    let server = serve_json(200, spec_example("UserGroupListExtendedSample")).await;
    let got = client(&server)
        .user_groups()
        .list()
        .extended_details(true)
        .send()
        .await
        .expect("list");
    assert_request(
        &only_request(&server).await,
        "GET",
        &format!("{P}/user_groups?extended_details=true"),
        Auth::Basic,
        None,
    );
    assert_eq!(
        got,
        model!(UserGroupsResponse::default(); user_groups: Some(vec![
            model!(UserGroup::default(); id: s(EDITORS), name: s("Photo Editors"), users: Some(vec![priya_member(), tomas_member()]), created_at: dt("2024-01-22T09:30:00Z"), updated_at: dt("2025-03-14T17:12:45Z")),
            model!(UserGroup::default(); id: s(MARKETING), name: s("Marketing Ops"), users: Some(vec![priya_member()]), created_at: dt("2024-08-05T11:17:26Z"), updated_at: dt("2024-08-05T11:17:26Z")),
        ]))
    );
}

#[tokio::test]
async fn create_user_group_sends_the_name_and_decodes_the_group() {
    let server = serve_json(200, spec_example("UserGroupSample")).await;
    let got = client(&server)
        .user_groups()
        .create()
        .name("Photo Editors")
        .send()
        .await
        .expect("create");
    assert_request(
        &only_request(&server).await,
        "POST",
        &format!("{P}/user_groups"),
        Auth::Basic,
        Some(json!({"name": "Photo Editors"})),
    );
    assert_eq!(
        got,
        model!(UserGroup::default(); id: s(EDITORS), name: s("Photo Editors"))
    );
}

#[tokio::test]
async fn get_user_group_sends_extended_details_and_decodes_members() {
    let server = serve_json(200, spec_example("UserGroupExtendedSample")).await;
    let got = client(&server)
        .user_groups()
        .get(EDITORS)
        .extended_details(false)
        .send()
        .await
        .expect("get");
    assert_request(
        &only_request(&server).await,
        "GET",
        &format!("{P}/user_groups/{EDITORS}?extended_details=false"),
        Auth::Basic,
        None,
    );
    assert_eq!(got.users, Some(vec![priya_member(), tomas_member()]));
    assert_eq!(got.created_at, dt("2024-01-22T09:30:00Z"));
    assert_eq!(got.updated_at, dt("2025-03-14T17:12:45Z"));
}

#[tokio::test]
async fn update_user_group_sends_the_new_name() {
    let server = serve_json(200, spec_example("UserGroupRenamedSample")).await;
    let got = client(&server)
        .user_groups()
        .update(EDITORS)
        .name("Photo and Video Editors")
        .extended_details(true)
        .send()
        .await
        .expect("update");
    assert_request(
        &only_request(&server).await,
        "PUT",
        &format!("{P}/user_groups/{EDITORS}"),
        Auth::Basic,
        Some(json!({"name": "Photo and Video Editors", "extended_details": true})),
    );
    assert_eq!(
        got,
        model!(UserGroup::default(); id: s(EDITORS), name: s("Photo and Video Editors"))
    );
}

#[tokio::test]
async fn delete_user_group_decodes_the_acknowledgement() {
    let server = serve_json(200, spec_example("SuccessSample")).await;
    let got = client(&server)
        .user_groups()
        .delete(EDITORS)
        .send()
        .await
        .expect("delete");
    assert_request(
        &only_request(&server).await,
        "DELETE",
        &format!("{P}/user_groups/{EDITORS}"),
        Auth::Basic,
        None,
    );
    assert_eq!(got, ok_message());
}

#[tokio::test]
async fn get_users_in_user_group_decodes_the_members() {
    let server = serve_json(200, spec_example("UserGroupMembersSample")).await;
    let got = client(&server)
        .user_groups()
        .list_users(EDITORS)
        .send()
        .await
        .expect("members");
    assert_request(
        &only_request(&server).await,
        "GET",
        &format!("{P}/user_groups/{EDITORS}/users"),
        Auth::Basic,
        None,
    );
    assert_eq!(
        got,
        model!(UserGroupUsersResponse::default(); users: Some(vec![priya_member(), tomas_member()]))
    );
}

#[tokio::test]
async fn add_user_to_user_group_is_a_post_without_body() {
    let server = serve_json(200, spec_example("UserGroupMemberSample")).await;
    let got = client(&server)
        .user_groups()
        .add_user(EDITORS, LENA)
        .send()
        .await
        .expect("add");
    assert_request(
        &only_request(&server).await,
        "POST",
        &format!("{P}/user_groups/{EDITORS}/users/{LENA}"),
        Auth::Basic,
        None,
    );
    assert_eq!(
        got,
        member(LENA, "Lena Fischer", "lena.fischer@example.org")
    );
}

#[tokio::test]
async fn add_user_to_user_group_accepts_the_empty_object_the_api_returns() {
    let server = serve_json(200, json!({})).await;
    let got = client(&server)
        .user_groups()
        .add_user(EDITORS, LENA)
        .send()
        .await
        .expect("add");
    assert_eq!(got, UserGroupUser::default());
}

#[tokio::test]
async fn remove_user_from_user_group_decodes_the_remaining_members() {
    let server = serve_json(200, spec_example("UserGroupMembersAfterRemovalSample")).await;
    let got = client(&server)
        .user_groups()
        .remove_user(EDITORS, TOMAS)
        .send()
        .await
        .expect("remove");
    assert_request(
        &only_request(&server).await,
        "DELETE",
        &format!("{P}/user_groups/{EDITORS}/users/{TOMAS}"),
        Auth::Basic,
        None,
    );
    assert_eq!(
        got,
        model!(UserGroupUsersResponse::default(); users: Some(vec![priya_member()]))
    );
}

// ---------------------------------------------------------------------------------------------
// Billing usage
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_billing_usage_sends_year_and_breakdown_and_decodes_the_monthly_array() {
    let server = serve_json(200, spec_example("BillingUsageMonthlySample")).await;
    let got = client(&server)
        .billing_usage()
        .get()
        .year(2025)
        .include_prodenv_breakdown(true)
        .send()
        .await
        .expect("billing");
    assert_request(
        &only_request(&server).await,
        "GET",
        &format!("{P}/billing_usage?year=2025&include_prodenv_breakdown=true"),
        Auth::Basic,
        None,
    );
    assert_eq!(got.len(), 1);
    let plan = &got[0];
    assert_eq!(plan.plan_name, s("Advanced PAYG"));
    let metrics = plan.metric_usage.as_ref().expect("metric_usage");
    assert_eq!(metrics.len(), 1);
    assert_eq!(metrics[0].metric, s("credit"));
    assert_eq!(metrics[0].limit, Some(600.0));
    assert_eq!(metrics[0].monthly_cycles, None);
    let cycles = metrics[0].cycles.as_ref().expect("cycles");
    assert_eq!(cycles.len(), 2);
    assert_eq!(cycles[0].from_day, Date::new(2025, 3, 10));
    assert_eq!(cycles[0].to_day, Date::new(2025, 4, 9));
    assert_eq!(cycles[0].usage, Some(388.12));
    assert_eq!(
        cycles[0].breakdown,
        Some(
            model!(BillingUsageBreakdown::default(); storage_image: Some(102.4), storage_video: Some(37.85), storage_raw: Some(0.6), transformations_image: Some(61.02), transformations_video: Some(12.5), bandwidth_image: Some(150.33), bandwidth_video: Some(23.1), bandwidth_raw: Some(0.32), image_impressions: None, video_seconds: None)
        )
    );
    let per_env = cycles[0]
        .product_environment_breakdown
        .as_ref()
        .expect("breakdown");
    assert_eq!(per_env.len(), 2);
    assert_eq!(per_env[0].cloud_name, s("northwind-prod"));
    assert_eq!(per_env[0].storage_image, Some(98.7));
    assert_eq!(per_env[1].cloud_name, s("northwind-staging"));
    assert_eq!(per_env[1].storage_video, Some(0.0));
    assert_eq!(per_env[1].bandwidth_image, Some(0.46));
    assert_eq!(cycles[1].from_day, Date::new(2025, 4, 10));
    assert_eq!(cycles[1].usage, Some(412.37));
}

#[tokio::test]
async fn get_billing_usage_decodes_an_annual_impression_plan() {
    let server = serve_json(200, spec_example("BillingUsageAnnualSample")).await;
    let got = client(&server)
        .billing_usage()
        .get()
        .send()
        .await
        .expect("billing");
    assert_request(
        &only_request(&server).await,
        "GET",
        &format!("{P}/billing_usage"),
        Auth::Basic,
        None,
    );
    let metric = &got[0].metric_usage.as_ref().expect("metric_usage")[0];
    assert_eq!(got[0].plan_name, s("Enterprise Annual Impressions"));
    assert_eq!(metric.limit, Some(24000.0));
    let year = &metric.cycles.as_ref().expect("cycles")[0];
    assert_eq!(year.from_day, Date::new(2025, 1, 1));
    assert_eq!(year.to_day, Date::new(2025, 12, 31));
    assert_eq!(year.usage, Some(7810.4));
    let breakdown = year.breakdown.as_ref().expect("breakdown");
    assert_eq!(breakdown.image_impressions, Some(2950.08));
    assert_eq!(breakdown.video_seconds, Some(577.3));
    assert_eq!(breakdown.bandwidth_image, None);
    let months = metric.monthly_cycles.as_ref().expect("monthly cycles");
    assert_eq!(months.len(), 2);
    assert_eq!(months[1].from_day, Date::new(2025, 2, 1));
    assert_eq!(months[1].to_day, Date::new(2025, 2, 28));
    assert_eq!(months[1].usage, Some(1533.9));
}

// ---------------------------------------------------------------------------------------------
// Agent account creation
// ---------------------------------------------------------------------------------------------

fn agent_response() -> AgentAccountResponse {
    model!(AgentAccountResponse::default(); external_id: s("e19c5b7a0d3f4826b1a9c7e5d2f08b43"), email: s("dana.kowalski@example.net"), plan_name: s("free"), guidance: s("## Next steps\n\
    1. Ask Dana to open the verification email sent to dana.kowalski@example.net and\n   \
    set a password within 24 hours. The credentials below stay inactive until then.\n\
    2. Save `CLOUDINARY_URL` in a git-ignored `.env` file; do not paste it in chat.\n\
    3. Install the Python SDK: `pip install cloudinary`.\n"), product_environments: Some(vec![model!(AgentProductEnvironment::default(); external_id: s("0c6e2a9f8b1d47e3a5c9b7d2e4f61a08"), cloud_name: s("dq8vz3kfa"), api_key: s("624918305571294"), api_secret: Some(SecretString::new("Lt3Vn8Qc1Xz6Bw4Mk9Jd2Hs7Rf")), api_environment_variable: Some(SecretString::new(
        "CLOUDINARY_URL=cloudinary://624918305571294:Lt3Vn8Qc1Xz6Bw4Mk9Jd2Hs7Rf@dq8vz3kfa",
    )))]))
}

#[tokio::test]
async fn create_agent_account_never_sends_authorization_even_with_credentials() {
    let server = serve_json(200, spec_example("AgentAccountResponseSample")).await;
    // The test client has credentials and an account id; neither may appear on the wire.
    let got = client(&server)
        .agent_accounts()
        .create()
        .email("dana.kowalski@example.net")
        .agent_framework("langchain")
        .agent_llm_model("claude-sonnet-4-5")
        .agent_goal("Host and resize product photos for an online ceramics shop")
        .sdk_framework("python")
        .send()
        .await
        .expect("create agent account");
    assert_request(
        &only_request(&server).await,
        "POST",
        "/v1_1/provisioning/agents/accounts",
        Auth::Absent,
        Some(json!({
            "email": "dana.kowalski@example.net",
            "agent_framework": "langchain",
            "agent_llm_model": "claude-sonnet-4-5",
            "agent_goal": "Host and resize product photos for an online ceramics shop",
            "sdk_framework": "python"
        })),
    );
    assert_eq!(got, agent_response());
}

#[tokio::test]
async fn create_agent_account_works_without_credentials_or_account_id_and_omits_unset_sdk_framework()
 {
    let server = serve_json(200, spec_example("AgentAccountResponseSample")).await;
    let got = anonymous_client(&server)
        .agent_accounts()
        .create()
        .email("dana.kowalski@example.net")
        .agent_framework("langchain")
        .agent_llm_model("claude-sonnet-4-5")
        .agent_goal("Host product photos")
        .send()
        .await
        .expect("create agent account");
    assert_request(
        &only_request(&server).await,
        "POST",
        "/v1_1/provisioning/agents/accounts",
        Auth::Absent,
        Some(json!({
            "email": "dana.kowalski@example.net",
            "agent_framework": "langchain",
            "agent_llm_model": "claude-sonnet-4-5",
            "agent_goal": "Host product photos"
        })),
    );
    let env = &got.product_environments.as_ref().expect("environments")[0];
    assert_eq!(env.cloud_name, s("dq8vz3kfa"));
    assert_eq!(env.api_key, s("624918305571294"));
    assert_eq!(
        env.api_secret.as_ref().map(SecretString::expose_secret),
        Some("Lt3Vn8Qc1Xz6Bw4Mk9Jd2Hs7Rf")
    );
    assert!(
        got.guidance
            .as_deref()
            .is_some_and(|g| g.starts_with("## Next steps"))
    );
}

#[tokio::test]
async fn create_agent_account_keeps_unknown_response_fields() {
    let mut body = spec_example("AgentAccountResponseSample");
    body["trial_days"] = json!(30);
    body["product_environments"][0]["region"] = json!("eu");
    let server = serve_json(200, body).await;
    let got = anonymous_client(&server)
        .agent_accounts()
        .create()
        .email("a@example.net")
        .agent_framework("fw")
        .agent_llm_model("m1")
        .agent_goal("goal")
        .send()
        .await
        .expect("create agent account");
    assert_eq!(got.extra, map(json!({"trial_days": 30})));
    assert_eq!(
        got.product_environments.expect("environments")[0].extra,
        map(json!({"region": "eu"}))
    );
}
