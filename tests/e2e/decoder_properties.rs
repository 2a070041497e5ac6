//! Property tests of every response decoder and error parser: arbitrary bytes and arbitrary
//! JSON, with any status, fed to each operation's decoding (`RawResponse::into_json` with the
//! operation's model and error enum, or `into_unit`), to `ErrorEnvelope::parse` and to the
//! redaction of shown text. None may panic, and a failing status always gives an error that
//! carries that status and formats (`Display`, `Debug`) without panicking.
//!
//! The number of cases is bounded (`CASES`), so CI time stays fixed; every case runs all the
//! decoders. Part of the `e2e` test binary.

use bytes::Bytes;
use cld_provisioning::models::*;
use cld_provisioning::operations::{
    access_keys, agent_accounts, billing_usage, custom_policies, effective_policies, principals,
    product_environments, public, roles, system_policies, user_groups, users,
};
use cld_provisioning::runtime::codegen::RawResponse;
use cld_provisioning::runtime::http::{HeaderMap, StatusCode};
use cld_provisioning::runtime::redact::redact_text;
use cld_provisioning::{Error, ErrorEnvelope};
use proptest::prelude::*;
use serde_json::Value;

use workspace_tests::support::OPERATIONS;

/// Cases per property.
const CASES: u32 = 256;

/// One operation's decoding of a response, returning what the caller would see.
type Decode = fn(StatusCode, Bytes) -> Result<(), Error<()>>;

/// What a caller sees of a typed error, after formatting it (which must not panic either).
fn untyped<E: std::fmt::Debug>(e: Error<E>) -> Error<()> {
    let _ = format!("{e} {e:?} {:?}", e.api_body());
    e.into_untyped()
}

/// `decoder!("opId", into_json::<Model, OpError>)` or `decoder!("opId", into_unit::<OpError>)`:
/// the operation's own decoding of a `RawResponse`, as generated code calls it.
macro_rules! decoder {
    ($id:literal, $($decode:tt)+) => {
        ($id, (|status: StatusCode, body: Bytes| {
            RawResponse::new("op", status, HeaderMap::new(), body, 1)
                .$($decode)+()
                .map(|_| ())
                .map_err(untyped)
        }) as Decode)
    };
}

/// Every operation's decoder, by operationId.
fn decoders() -> Vec<(&'static str, Decode)> {
    vec![
        decoder!(
            "getAccessKeys",
            into_json::<AccessKeysResponse, access_keys::GetAccessKeysError>
        ),
        decoder!(
            "generateAccessKey",
            into_json::<AccessKey, access_keys::GenerateAccessKeyError>
        ),
        decoder!(
            "deleteAccessKeyByName",
            into_json::<SuccessResponse, access_keys::DeleteAccessKeyByNameError>
        ),
        decoder!(
            "updateAccessKey",
            into_json::<AccessKey, access_keys::UpdateAccessKeyError>
        ),
        decoder!(
            "deleteAccessKey",
            into_json::<SuccessResponse, access_keys::DeleteAccessKeyError>
        ),
        decoder!(
            "createAgentAccount",
            into_json::<AgentAccountResponse, agent_accounts::CreateAgentAccountError>
        ),
        decoder!(
            "getBillingUsage",
            into_json::<BillingUsageResponse, billing_usage::GetBillingUsageError>
        ),
        decoder!(
            "getCustomPolicies",
            into_json::<CustomPoliciesResponse, custom_policies::GetCustomPoliciesError>
        ),
        decoder!(
            "createCustomPolicy",
            into_json::<CustomPolicyResponse, custom_policies::CreateCustomPolicyError>
        ),
        decoder!(
            "getCustomPolicy",
            into_json::<CustomPolicyResponse, custom_policies::GetCustomPolicyError>
        ),
        decoder!(
            "updateCustomPolicy",
            into_json::<CustomPolicyResponse, custom_policies::UpdateCustomPolicyError>
        ),
        decoder!(
            "getEffectivePolicies",
            into_json::<EffectivePoliciesResponse, effective_policies::GetEffectivePoliciesError>
        ),
        decoder!(
            "getPrincipalRoles",
            into_json::<PrincipalRolesResponse, principals::GetPrincipalRolesError>
        ),
        decoder!(
            "inspect",
            into_json::<PrincipalRolesInspectResponse, principals::InspectError>
        ),
        decoder!(
            "inspectMultiple",
            into_json::<PrincipalRolesInspectResponse, principals::InspectMultipleError>
        ),
        decoder!(
            "getProductEnvironments",
            into_json::<
                ProductEnvironmentsResponse,
                product_environments::GetProductEnvironmentsError,
            >
        ),
        decoder!(
            "createProductEnvironment",
            into_json::<ProductEnvironment, product_environments::CreateProductEnvironmentError>
        ),
        decoder!(
            "getProductEnvironment",
            into_json::<ProductEnvironment, product_environments::GetProductEnvironmentError>
        ),
        decoder!(
            "updateProductEnvironment",
            into_json::<ProductEnvironment, product_environments::UpdateProductEnvironmentError>
        ),
        decoder!(
            "deleteProductEnvironment",
            into_json::<SuccessResponse, product_environments::DeleteProductEnvironmentError>
        ),
        decoder!(
            "getSystemRolesAndPoliciesCatalog",
            into_json::<
                SystemRolesAndPoliciesCatalogResponse,
                public::GetSystemRolesAndPoliciesCatalogError,
            >
        ),
        decoder!(
            "validateCedarPolicy",
            into_json::<ValidateCedarPolicyResponse, public::ValidateCedarPolicyError>
        ),
        decoder!(
            "getCedarSchema",
            into_json::<CedarSchemaResponse, public::GetCedarSchemaError>
        ),
        decoder!("getRoles", into_json::<RolesResponse, roles::GetRolesError>),
        decoder!(
            "createRole",
            into_json::<RoleResponse, roles::CreateRoleError>
        ),
        decoder!("getRole", into_json::<RoleResponse, roles::GetRoleError>),
        decoder!(
            "updateRole",
            into_json::<RoleResponse, roles::UpdateRoleError>
        ),
        decoder!(
            "getRolePrincipals",
            into_json::<PrincipalsResponse, roles::GetRolePrincipalsError>
        ),
        decoder!(
            "getSystemPolicies",
            into_json::<SystemPoliciesResponse, system_policies::GetSystemPoliciesError>
        ),
        decoder!(
            "getUserGroups",
            into_json::<UserGroupsResponse, user_groups::GetUserGroupsError>
        ),
        decoder!(
            "createUserGroup",
            into_json::<UserGroup, user_groups::CreateUserGroupError>
        ),
        decoder!(
            "getUserGroup",
            into_json::<UserGroup, user_groups::GetUserGroupError>
        ),
        decoder!(
            "updateUserGroup",
            into_json::<UserGroup, user_groups::UpdateUserGroupError>
        ),
        decoder!(
            "deleteUserGroup",
            into_json::<SuccessResponse, user_groups::DeleteUserGroupError>
        ),
        decoder!(
            "getUsersInUserGroup",
            into_json::<UserGroupUsersResponse, user_groups::GetUsersInUserGroupError>
        ),
        decoder!(
            "addUserToUserGroup",
            into_json::<UserGroupUser, user_groups::AddUserToUserGroupError>
        ),
        decoder!(
            "removeUserFromUserGroup",
            into_json::<UserGroupUsersResponse, user_groups::RemoveUserFromUserGroupError>
        ),
        decoder!("getUsers", into_json::<UsersResponse, users::GetUsersError>),
        decoder!("createUser", into_json::<User, users::CreateUserError>),
        decoder!("getUser", into_json::<User, users::GetUserError>),
        decoder!("updateUser", into_json::<User, users::UpdateUserError>),
        decoder!(
            "deleteUser",
            into_json::<SuccessResponse, users::DeleteUserError>
        ),
        decoder!(
            "getGroupsForUser",
            into_json::<UserGroupsListResponse, users::GetGroupsForUserError>
        ),
        decoder!(
            "getSubAccountsForUser",
            into_json::<UserSubAccountsResponse, users::GetSubAccountsForUserError>
        ),
        decoder!(
            "deleteCustomPolicy",
            into_unit::<custom_policies::DeleteCustomPolicyError>
        ),
        decoder!(
            "updatePrincipalRoles",
            into_unit::<principals::UpdatePrincipalRolesError>
        ),
        decoder!("deleteRole", into_unit::<roles::DeleteRoleError>),
        decoder!(
            "updateRolePrincipals",
            into_unit::<roles::UpdateRolePrincipalsError>
        ),
    ]
}

#[test]
fn every_operation_has_a_decoder_here() {
    let mut here: Vec<&str> = decoders().iter().map(|(id, _)| *id).collect();
    let mut all: Vec<&str> = OPERATIONS.iter().map(|op| op.id).collect();
    here.sort_unstable();
    all.sort_unstable();
    assert_eq!(here, all);
}

/// Arbitrary JSON, bounded in depth and size, with member names that the decoders and the
/// redaction look for mixed with arbitrary ones.
fn json_value() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("error".to_owned()),
        Just("message".to_owned()),
        Just("api_secret".to_owned()),
        Just("API_SECRET".to_owned()),
        Just("id".to_owned()),
        Just("name".to_owned()),
        Just("users".to_owned()),
        Just("details".to_owned()),
        Just("next_cursor".to_owned()),
        any::<String>(),
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        any::<String>().prop_map(Value::from),
        Just(Value::from("cloudinary://key:s3cr3tvalue@demo")),
    ];
    leaf.prop_recursive(4, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::from),
            prop::collection::vec((key.clone(), inner), 0..8)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

/// Bytes: arbitrary, JSON text, or JSON text cut short.
fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256),
        json_value().prop_map(|v| v.to_string().into_bytes()),
        (json_value(), any::<prop::sample::Index>()).prop_map(|(v, cut)| {
            let mut text = v.to_string().into_bytes();
            text.truncate(cut.index(text.len() + 1));
            text
        }),
    ]
}

fn status() -> impl Strategy<Value = StatusCode> {
    prop_oneof![
        prop::sample::select(vec![
            200u16, 201, 204, 400, 401, 403, 404, 409, 420, 422, 429, 500, 503
        ]),
        100u16..1000,
    ]
    .prop_map(|code| StatusCode::from_u16(code).expect("100..1000 is a valid status"))
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: CASES,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn decoders_never_panic_and_failing_statuses_are_errors(status in status(), body in body()) {
        let body = Bytes::from(body);
        for (id, decode) in decoders() {
            match decode(status, body.clone()) {
                Ok(()) => prop_assert!(status.is_success(), "{id}: {status} decoded as success"),
                Err(e) => {
                    let _ = format!("{e} {e:?} {:?}", e.kind());
                    if !status.is_success() {
                        prop_assert_eq!(e.status(), Some(status), "{}", id);
                    } else {
                        prop_assert!(matches!(e, Error::Decode(_)), "{id}: {e:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn error_parsing_and_redaction_never_panic(body in body()) {
        if let Some(envelope) = ErrorEnvelope::parse(&body) {
            let _ = format!("{envelope:?} {:?}", envelope.summary());
        }
        let text = String::from_utf8_lossy(&body);
        let shown = redact_text(&text);
        // A whole account URL is always masked, wherever it sits.
        if text.contains("key:s3cr3tvalue@") {
            prop_assert!(!shown.contains("s3cr3tvalue"), "{}", shown);
        }
    }
}
