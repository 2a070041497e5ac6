//! Look around an account: its product environments, its users and its user groups.
//!
//! ```text
//! cargo run -p workspace-tests --example list_product_environments           # local mock
//! cargo run -p workspace-tests --example list_product_environments -- --live # real API
//! ```
//!
//! By default the program starts a local mock of the API (`workspace_tests::mock`) that answers
//! from the examples in `openapi/cld-provisioning.yaml`, so it runs anywhere without an
//! account. With `--live` it talks to Cloudinary with the account credentials from the
//! environment: `CLOUDINARY_ACCOUNT_URL=account://KEY:SECRET@ACCOUNT_ID`, or
//! `CLOUDINARY_PROVISIONING_API_KEY`, `CLOUDINARY_PROVISIONING_API_SECRET` and
//! `CLOUDINARY_ACCOUNT_ID`. This example only reads.

use futures_util::TryStreamExt;
use workspace_tests::example::{ExampleResult, LiveAccess, example_client};

#[tokio::main]
async fn main() -> ExampleResult {
    // The local mock unless `--live`; CLOUDINARY_DEBUG=1 prints the SDK's request/response
    // log to stderr.
    let client = example_client(LiveAccess::ReadOnly).await?;

    // Without filters the list holds every product environment, enabled or not.
    let environments = client.product_environments().list().send().await?;
    let environments = environments.sub_accounts.unwrap_or_default();
    println!("Product environments ({}):", environments.len());
    for env in &environments {
        let state = if env.enabled == Some(false) {
            "disabled"
        } else {
            "enabled"
        };
        println!(
            "  {:<20} {:<28} {state:<8} {} access key(s)  id {}",
            env.cloud_name.as_deref().unwrap_or("?"),
            env.name.as_deref().unwrap_or("(no name)"),
            env.api_access_keys.as_ref().map_or(0, Vec::len),
            env.id.as_deref().unwrap_or("?"),
        );
    }

    // Accounts can have thousands of users: the stream fetches page after page as it is
    // consumed instead of loading everything at once. The page size is tiny here only so
    // that paging shows against the small sample data; use something like 100 for real.
    println!("\nUsers (streamed, 1 per page):");
    let mut users = Box::pin(client.users().list().page_size(1).into_stream());
    let mut count = 0;
    while let Some(user) = users.try_next().await? {
        count += 1;
        let pending = if user.pending == Some(true) {
            " (invitation pending)"
        } else {
            ""
        };
        println!(
            "  {:<16} {:<28} {}{pending}",
            user.name.as_deref().unwrap_or("(no name)"),
            user.email.as_deref().unwrap_or("?"),
            user.role.as_deref().unwrap_or("?"),
        );
    }
    println!("  {count} user(s)");

    // `extended_details` adds the members of each group, saving one request per group.
    let groups = client
        .user_groups()
        .list()
        .extended_details(true)
        .send()
        .await?;
    let groups = groups.user_groups.unwrap_or_default();
    println!("\nUser groups ({}):", groups.len());
    for group in &groups {
        let members: Vec<&str> = group
            .users
            .iter()
            .flatten()
            .filter_map(|member| member.name.as_deref())
            .collect();
        println!(
            "  {:<16} {} member(s): {}",
            group.name.as_deref().unwrap_or("(no name)"),
            members.len(),
            members.join(", ")
        );
    }

    client.print_mock_summary();
    Ok(())
}
