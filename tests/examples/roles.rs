//! Permissions (Beta at Cloudinary): browse the system policies, build a custom role from two
//! of them, grant it to a user in one product environment, see who holds it, then take it
//! away and delete the role.
//!
//! ```text
//! cargo run -p workspace-tests --example roles                               # local mock
//! CLD_EXAMPLES_ALLOW_WRITES=1 \
//!   cargo run -p workspace-tests --example roles -- --live                   # real API
//! ```
//!
//! By default the program starts a local mock of the API (`workspace_tests::mock`) that answers
//! from the examples in `openapi/cld-provisioning.yaml` and remembers roles and assignments,
//! so it runs anywhere without an account. With `--live` it talks to Cloudinary with the
//! account credentials from the environment (`CLOUDINARY_ACCOUNT_URL`, or
//! `CLOUDINARY_PROVISIONING_API_KEY`, `CLOUDINARY_PROVISIONING_API_SECRET` and
//! `CLOUDINARY_ACCOUNT_ID`). The role goes to the first user listed, in the product
//! environment named by `CLD_EXAMPLES_SCOPE_ID` (the first one listed when unset). Because
//! that changes real permissions for a moment, `--live` is refused unless
//! `CLD_EXAMPLES_ALLOW_WRITES=1` is set as well.

use std::error::Error;
use std::time::{SystemTime, UNIX_EPOCH};

use cld_provisioning::models::{
    OperationEnum, PermissionTypeEnum, PrincipalTypeEnum, ScopeTypeEnum, UpdateRolePrincipal,
};
use workspace_tests::example::{ExampleResult, LiveAccess, example_client};

#[tokio::main]
async fn main() -> ExampleResult {
    // The local mock unless `--live`; CLOUDINARY_DEBUG=1 prints the SDK's request/response
    // log to stderr.
    let client = example_client(LiveAccess::Writes(
        "creates a role and grants it to a real user",
    ))
    .await?;

    // Roles are built from system policies; a global product-environment role takes global,
    // product-environment policies.
    let policies = client
        .system_policies()
        .list()
        .scope_type(ScopeTypeEnum::Prodenv)
        .permission_type(PermissionTypeEnum::Global)
        .send()
        .await?
        .data
        .unwrap_or_default();
    println!(
        "System policies for product environments ({}):",
        policies.len()
    );
    for policy in &policies {
        println!(
            "  {:<52} {}",
            policy.id,
            policy.description.as_deref().unwrap_or(&policy.name)
        );
    }
    let chosen: Vec<String> = policies.iter().take(2).map(|p| p.id.clone()).collect();
    if chosen.is_empty() {
        return Err("no system policy to build a role from".into());
    }

    let suffix = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    let role = client
        .roles()
        .create()
        .name(format!("Rust SDK example {suffix}"))
        .description("Created by the cld-provisioning roles example; safe to delete.")
        // The create body takes the permission type as plain text; the enum avoids typos.
        .permission_type(PermissionTypeEnum::Global.as_str())
        .scope_type(ScopeTypeEnum::Prodenv)
        .system_policy_ids(chosen)
        .send()
        .await?
        .data
        .ok_or("the role was created but not returned")?;
    println!("\nCreated role {:?} (id {})", role.name, role.id);
    for policy in role.policies.iter().flatten() {
        println!("  grants: {}", policy.name);
    }

    // From here on the role exists, so every step runs inside a block whose failure still
    // leads to the clean-up below.
    let mut assigned = None;
    let steps: Result<(), Box<dyn Error>> = async {
        let user = client
            .users()
            .list()
            .send()
            .await?
            .users
            .unwrap_or_default()
            .into_iter()
            .find(|u| u.id.is_some())
            .ok_or("the account has no user to grant the role to")?;
        let user_id = user.id.clone().unwrap_or_default();
        let scope_id = match std::env::var("CLD_EXAMPLES_SCOPE_ID") {
            Ok(id) => id,
            Err(_) => client
                .product_environments()
                .list()
                .send()
                .await?
                .sub_accounts
                .unwrap_or_default()
                .into_iter()
                .find_map(|env| env.id)
                .ok_or("the account has no product environment")?,
        };

        // A product-environment role always applies to one product environment.
        let principal = UpdateRolePrincipal::new(PrincipalTypeEnum::User, user_id.clone())
            .scope_id(scope_id.clone());
        client
            .roles()
            .update_principals(&role.id)
            .operation(OperationEnum::Add)
            .principals([principal.clone()])
            .send()
            .await?;
        assigned = Some(principal);
        println!(
            "Granted it to {} ({user_id}) in product environment {scope_id}",
            user.name.as_deref().unwrap_or("?")
        );

        let holders = client
            .roles()
            .list_principals(&role.id)
            .verbose(true)
            .send()
            .await?
            .data
            .unwrap_or_default();
        println!("Principals holding the role ({}):", holders.len());
        for holder in &holders {
            println!(
                "  {} {} in {}",
                holder.r#type,
                holder.id,
                holder.scope_id.as_deref().unwrap_or("every scope")
            );
        }

        // The same assignment seen from the user's side.
        let held = client
            .principals()
            .list_roles(
                PrincipalTypeEnum::User,
                &user_id,
                PermissionTypeEnum::Global,
            )
            .send()
            .await?
            .data
            .unwrap_or_default();
        let names: Vec<&str> = held.iter().map(|r| r.name.as_str()).collect();
        println!("Global roles of {user_id}: {}", names.join(", "));
        Ok(())
    }
    .await;

    // A role that is still assigned cannot be deleted without `force`, so take it away first;
    // only when that fails does the example fall back to forcing the deletion.
    let mut force = false;
    if let Some(principal) = assigned {
        match client
            .roles()
            .update_principals(&role.id)
            .operation(OperationEnum::Remove)
            .principals([principal])
            .send()
            .await
        {
            Ok(()) => println!("Took the role away again"),
            Err(e) => {
                eprintln!("Could not take the role away ({e}); deleting it with force");
                force = true;
            }
        }
    }
    let deleted = client.roles().delete(&role.id).force(force).send().await;
    match &deleted {
        Ok(()) => println!("Deleted role {}", role.id),
        Err(e) => eprintln!("Could not delete role {}: {e}", role.id),
    }
    client.print_mock_summary();
    steps?;
    deleted?;
    Ok(())
}
