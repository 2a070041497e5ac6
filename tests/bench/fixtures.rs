//! The canned response bodies, built in code so they cannot drift from a file nobody reads:
//! users and a product environment shaped like the spec's own examples
//! (`UserListSample`, `ProductEnvironmentCreatedSample`), every documented property filled.
//! With `BENCH_EXTRA_FIELDS` set in the environment, each user also carries three properties
//! the spec does not know (a newer server's), which the SDK keeps in `extra` and the raw
//! client skips: the case the generated one-pass `Deserialize` is for (see NOTES.md).

use bytes::Bytes;
use serde_json::{Value, json};

/// Users in a w1 page (`users().list().page_size(50)`).
pub const PAGE_USERS: usize = 50;
/// The environment variable that adds unknown properties to every user.
pub const EXTRA_FIELDS: &str = "BENCH_EXTRA_FIELDS";
/// Users in the w3 answer (`users().list()` with no filter returns everyone).
pub const ALL_USERS: usize = 10_000;

/// One user, every property of the spec's `User` set, with the variety a real account has
/// (pending invitations, users who never signed in, single sign-on providers).
fn user(i: usize) -> Value {
    let pending = i % 7 == 0;
    let mut u = json!({
        "id": format!("{:032x}", 0x5e1c_9a7d_3b2f_4086_a1c7_e9b3_d5f7_0000_u128 + i as u128),
        "name": format!("User Number{i}"),
        "first_name": "User",
        "last_name": format!("Number{i}"),
        "role": if i % 5 == 0 { "admin" } else { "media_library_user" },
        "email": format!("user.number{i}@example.org"),
        "pending": pending,
        "enabled": !pending,
        "created_at": "2023-02-14T09:12:44Z",
        "updated_at": "2025-05-20T08:30:00Z",
        "all_sub_accounts": i % 3 == 0,
        "providers": if i % 4 == 0 { json!(["saml"]) } else { json!([]) },
        "email_preferences": {"product_updates": i % 2 == 0, "usage_reports": true},
        "account_id": "0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e",
        "two_factor": i % 2 == 1,
        "status": if pending { "pending" } else { "active" },
        "root": i == 0,
        "technical_role": if i % 5 == 0 { "admin" } else { "media_library_user" },
        "group_count": i % 4,
        "sub_account_count": i % 9,
    });
    if !pending {
        u["last_login"] = json!("2025-05-19T17:45:03Z");
    }
    if std::env::var_os(EXTRA_FIELDS).is_some() {
        u["department"] = json!("Engineering");
        u["sso_groups"] = json!(["design", "platform"]);
        u["custom"] = json!({"cost_center": 1234, "manager": "user.number1@example.org"});
    }
    u
}

/// `{"users": [...]}` with `n` users.
pub fn users_body(n: usize) -> Bytes {
    let users: Vec<Value> = (0..n).map(user).collect();
    Bytes::from(json!({ "users": users }).to_string())
}

/// The answer to `product_environments().create()`.
pub fn created_environment_body() -> Bytes {
    Bytes::from(
        json!({
            "cloud_name": "bench-env",
            "name": "Bench Environment",
            "enabled": true,
            "id": "9d0f3b7a2e6c4185b9a0d7e2c4f61b38",
            "api_access_keys": [
                {"key": "265019384756102", "secret": "Bv5Nq8Wx2Ec7Rt4Yu1Io9Pa3Sd6", "enabled": true}
            ],
            "created_at": "2025-05-20T08:30:00Z",
            "updated_at": "2025-05-20T08:30:00Z"
        })
        .to_string(),
    )
}
