//! Rotate-style work on the access keys of one product environment: generate a key, list the
//! keys, rename and disable the new one, and delete it.
//!
//! ```text
//! cargo run -p workspace-tests --example access_keys                         # local mock
//! CLD_EXAMPLES_ALLOW_WRITES=1 \
//!   cargo run -p workspace-tests --example access_keys -- --live             # real API
//! ```
//!
//! By default the program starts a local mock of the API (`workspace_tests::mock`) that answers
//! from the examples in `openapi/cld-provisioning.yaml`, so it runs anywhere without an
//! account. With `--live` it talks to Cloudinary with the account credentials from the
//! environment (`CLOUDINARY_ACCOUNT_URL`, or `CLOUDINARY_PROVISIONING_API_KEY`,
//! `CLOUDINARY_PROVISIONING_API_SECRET` and `CLOUDINARY_ACCOUNT_ID`), on the product
//! environment named by `CLD_EXAMPLES_SUB_ACCOUNT_ID` (the first one listed when unset).
//! Because that creates and deletes a real key, `--live` is refused unless
//! `CLD_EXAMPLES_ALLOW_WRITES=1` is set as well.
//!
//! API secrets are `SecretString`s: printing one, on its own or inside a struct, shows `***`,
//! so keys can be logged without leaking secrets.

use std::error::Error;
use std::time::{SystemTime, UNIX_EPOCH};

use workspace_tests::example::{ExampleResult, LiveAccess, example_client};

#[tokio::main]
async fn main() -> ExampleResult {
    // The local mock unless `--live`; CLOUDINARY_DEBUG=1 prints the SDK's request/response
    // log to stderr.
    let client =
        example_client(LiveAccess::Writes("creates and deletes a real access key")).await?;

    let env_id = match std::env::var("CLD_EXAMPLES_SUB_ACCOUNT_ID") {
        Ok(id) => id,
        Err(_) => {
            let listed = client.product_environments().list().send().await?;
            listed
                .sub_accounts
                .unwrap_or_default()
                .into_iter()
                .find_map(|env| env.id)
                .ok_or("the account has no product environment")?
        }
    };
    println!("Working on product environment {env_id}");

    let name = format!(
        "rust-sdk-example-{}",
        SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs()
    );
    let key = client
        .access_keys()
        .generate(&env_id)
        .name(&name)
        .enabled(true)
        .send()
        .await?;
    let api_key = key.api_key.clone().ok_or("the new key has no api_key")?;
    println!(
        "Generated key {api_key} named {:?}",
        key.name.as_deref().unwrap_or_default()
    );
    // Display and Debug both redact the secret; the whole struct can go to a log as it is.
    if let Some(secret) = &key.api_secret {
        println!("  secret: {secret}");
        println!(
            "  (a real {}-character secret; hand it on with expose_secret(), never print it)",
            secret.expose_secret().len()
        );
    }
    println!("  debug view: {key:?}");

    // Everything after the key exists runs in a block, so that the key is deleted even when
    // one of these steps fails.
    let steps: Result<(), Box<dyn Error>> = async {
        let keys = client.access_keys().list(&env_id).send().await?;
        println!(
            "The product environment has {} key(s):",
            keys.total.unwrap_or_default()
        );
        for k in keys.access_keys.iter().flatten() {
            println!(
                "  {:<16} {:<28} enabled: {:<5} secret: {}",
                k.api_key.as_deref().unwrap_or("?"),
                k.name.as_deref().unwrap_or("(no name)"),
                k.enabled.unwrap_or(false),
                k.api_secret
                    .as_ref()
                    .map_or_else(String::new, ToString::to_string),
            );
        }

        // Disabling first lets you check that nothing still uses a key before deleting it.
        let updated = client
            .access_keys()
            .update(&env_id, &api_key)
            .name(format!("{name}-retired"))
            .enabled(false)
            .send()
            .await?;
        println!(
            "Updated key {api_key}: name {:?}, enabled: {}",
            updated.name.as_deref().unwrap_or_default(),
            updated.enabled.unwrap_or(true)
        );
        Ok(())
    }
    .await;

    let deleted = client.access_keys().delete(&env_id, &api_key).send().await;
    match &deleted {
        Ok(answer) => println!(
            "Deleted key {api_key}: {}",
            answer.message.as_deref().unwrap_or("done")
        ),
        Err(e) => eprintln!("Could not delete key {api_key}: {e}"),
    }
    client.print_mock_summary();
    steps?;
    deleted?;
    Ok(())
}
