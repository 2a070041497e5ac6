//! Create a product environment, a user and a user group, put the user in the group, then
//! remove everything again in reverse order, also when a step fails half-way.
//!
//! ```text
//! cargo run -p workspace-tests --example create_and_clean_up                  # local mock
//! CLD_EXAMPLES_ALLOW_WRITES=1 \
//!   cargo run -p workspace-tests --example create_and_clean_up -- --live      # real API
//! ```
//!
//! By default the program starts a local mock of the API (`workspace_tests::mock`) that answers
//! from the examples in `openapi/cld-provisioning.yaml` and remembers what is created and
//! deleted, so it runs anywhere without an account. With `--live` it talks to Cloudinary with
//! the account credentials from the environment (`CLOUDINARY_ACCOUNT_URL`, or
//! `CLOUDINARY_PROVISIONING_API_KEY`, `CLOUDINARY_PROVISIONING_API_SECRET` and
//! `CLOUDINARY_ACCOUNT_ID`). Because that creates and deletes real resources (and sends an
//! invitation email to an address at example.com), `--live` is refused unless
//! `CLD_EXAMPLES_ALLOW_WRITES=1` is set as well.

use std::error::Error;
use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use cld_provisioning::models::UserRequestRole;
use cld_provisioning::{Client, ErrorKind};
use workspace_tests::example::{ExampleResult, LiveAccess, example_client};

/// Something this run created, remembered so that it can be undone.
enum Created {
    ProductEnvironment(String),
    User(String),
    UserGroup(String),
    Membership { group: String, user: String },
}

impl fmt::Display for Created {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ProductEnvironment(id) => write!(f, "product environment {id}"),
            Self::User(id) => write!(f, "user {id}"),
            Self::UserGroup(id) => write!(f, "user group {id}"),
            Self::Membership { group, user } => write!(f, "membership of user {user} in {group}"),
        }
    }
}

#[tokio::main]
async fn main() -> ExampleResult {
    // The local mock unless `--live`; CLOUDINARY_DEBUG=1 prints the SDK's request/response
    // log to stderr.
    let client = example_client(LiveAccess::Writes(
        "creates and deletes real resources in your account",
    ))
    .await?;

    // Cloud names are unique across Cloudinary, so every run picks new names.
    let suffix = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    let mut created = Vec::new();
    let outcome = create_everything(&client, suffix, &mut created).await;
    if let Err(e) = &outcome {
        eprintln!("A step failed: {e}\nCleaning up what was created so far.");
    }
    let environment = created.iter().find_map(|c| match c {
        Created::ProductEnvironment(id) => Some(id.clone()),
        _ => None,
    });
    let failures = clean_up(&client, created).await;

    // Deleted resources are gone for good: fetching one now is a 404.
    if let (Some(id), 0) = (environment, failures) {
        match client.product_environments().get(&id).send().await {
            Err(e) if e.kind() == ErrorKind::NotFound => {
                println!("Checked: product environment {id} is gone (404).");
            }
            Err(e) => println!("Could not check product environment {id}: {e}"),
            Ok(_) => println!("Product environment {id} is still visible; deletion may lag."),
        }
    }
    client.print_mock_summary();
    outcome?;
    if failures > 0 {
        return Err(format!("{failures} clean-up step(s) failed; see above").into());
    }
    Ok(())
}

/// Creates the resources, recording each one in `created` as soon as it exists, so that the
/// caller can remove them whatever happens later.
async fn create_everything(
    client: &Client,
    suffix: u64,
    created: &mut Vec<Created>,
) -> Result<(), Box<dyn Error>> {
    let env = client
        .product_environments()
        .create()
        .name(format!("Rust SDK example {suffix}"))
        .cloud_name(format!("rust-sdk-example-{suffix}"))
        .send()
        .await?;
    let env_id = env.id.ok_or("the new product environment has no id")?;
    created.push(Created::ProductEnvironment(env_id.clone()));
    println!(
        "Created product environment {:?} (cloud name {:?}, id {env_id})",
        env.name.as_deref().unwrap_or_default(),
        env.cloud_name.as_deref().unwrap_or_default(),
    );

    // Restricting the user to the new environment keeps the example away from real data.
    let user = client
        .users()
        .create()
        .name(format!("Rust SDK Example {suffix}"))
        .email(format!("rust-sdk-example+{suffix}@example.com"))
        .role(UserRequestRole::MediaLibraryUser)
        .sub_account_ids([env_id.clone()])
        .send()
        .await?;
    let user_id = user.id.ok_or("the new user has no id")?;
    created.push(Created::User(user_id.clone()));
    println!(
        "Created user {:?} <{}> as {} (pending: {}, id {user_id})",
        user.name.as_deref().unwrap_or_default(),
        user.email.as_deref().unwrap_or_default(),
        user.role.as_deref().unwrap_or("?"),
        user.pending.unwrap_or(false),
    );

    let group = client
        .user_groups()
        .create()
        .name(format!("Rust SDK example {suffix}"))
        .send()
        .await?;
    let group_id = group.id.ok_or("the new user group has no id")?;
    created.push(Created::UserGroup(group_id.clone()));
    println!(
        "Created user group {:?} (id {group_id})",
        group.name.as_deref().unwrap_or_default()
    );

    client
        .user_groups()
        .add_user(&group_id, &user_id)
        .send()
        .await?;
    created.push(Created::Membership {
        group: group_id.clone(),
        user: user_id,
    });
    // Read the membership back rather than trusting the add call's answer.
    let members = client.user_groups().list_users(&group_id).send().await?;
    let names: Vec<&str> = members
        .users
        .iter()
        .flatten()
        .filter_map(|m| m.email.as_deref())
        .collect();
    println!("Group members now: {}", names.join(", "));
    Ok(())
}

/// Undoes everything in `created`, newest first (a group before the environment its user
/// belongs to, and so on). A failing step is reported and the others still run; returns how
/// many failed.
async fn clean_up(client: &Client, created: Vec<Created>) -> usize {
    println!("Cleaning up:");
    let mut failures = 0;
    for item in created.into_iter().rev() {
        let outcome: Result<(), Box<dyn Error>> = match &item {
            Created::Membership { group, user } => client
                .user_groups()
                .remove_user(group, user)
                .send()
                .await
                .map(drop)
                .map_err(Into::into),
            Created::UserGroup(id) => client
                .user_groups()
                .delete(id)
                .send()
                .await
                .map(drop)
                .map_err(Into::into),
            Created::User(id) => client
                .users()
                .delete(id)
                .send()
                .await
                .map(drop)
                .map_err(Into::into),
            Created::ProductEnvironment(id) => client
                .product_environments()
                .delete(id)
                .send()
                .await
                .map(drop)
                .map_err(Into::into),
        };
        match outcome {
            Ok(()) => println!("  removed {item}"),
            Err(e) => {
                failures += 1;
                eprintln!("  could not remove {item}: {e}");
            }
        }
    }
    failures
}
