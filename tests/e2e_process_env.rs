//! `Client::from_env()` against the real process environment. This binary holds a single test,
//! so setting variables cannot race with another test; every other configuration test uses
//! `from_env_with` and never touches the process environment.

use workspace_tests::support;

use cld_provisioning::{BuildError, Client, ConfigError, Error, RetryConfig};
use serde_json::json;
use support::*;

const VARS: [&str; 4] = [
    "CLOUDINARY_ACCOUNT_URL",
    "CLOUDINARY_PROVISIONING_API_KEY",
    "CLOUDINARY_PROVISIONING_API_SECRET",
    "CLOUDINARY_ACCOUNT_ID",
];

fn set_env(pairs: &[(&str, &str)]) {
    for name in VARS {
        // SAFETY: this is the only test of this binary, and nothing else in the process reads
        // or writes the environment while it runs.
        unsafe { std::env::remove_var(name) };
    }
    for (name, value) in pairs {
        // SAFETY: as above.
        unsafe { std::env::set_var(name, value) };
    }
}

#[tokio::test]
async fn client_from_env_reads_the_process_environment() {
    // Nothing set: the client builds, and calls fail before sending.
    set_env(&[]);
    let client = Client::from_env().expect("no variables is not a configuration error");
    let err = client
        .users()
        .list()
        .send()
        .await
        .expect_err("no account id");
    assert!(
        matches!(err, Error::Build(BuildError::MissingAccountId)),
        "{err:?}"
    );
    let err = client
        .users()
        .list()
        .with_account_id("acc")
        .send()
        .await
        .expect_err("no credentials");
    assert!(
        matches!(
            err,
            Error::Build(BuildError::MissingCredentials {
                missing: "key and secret"
            })
        ),
        "{err:?}"
    );

    // A malformed URL is a typed error that names the variable and hides the secret.
    set_env(&[("CLOUDINARY_ACCOUNT_URL", "cloudinary://k:ProcSecret77@acc")]);
    let err = Client::from_env().expect_err("bad scheme");
    assert!(
        matches!(
            err,
            ConfigError::InvalidAccountUrl {
                variable: "CLOUDINARY_ACCOUNT_URL",
                ..
            }
        ),
        "{err:?}"
    );
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("CLOUDINARY_ACCOUNT_URL"), "{shown}");
    assert!(!shown.contains("ProcSecret77"), "{shown}");

    // Per-field precedence: the individual variables beat the URL.
    set_env(&[
        ("CLOUDINARY_ACCOUNT_URL", "account://uk:ProcSecret77@uacc"),
        ("CLOUDINARY_PROVISIONING_API_SECRET", "es"),
        ("CLOUDINARY_ACCOUNT_ID", "eacc"),
    ]);
    let client = Client::from_env().expect("valid environment");
    let shown = format!("{client:?}");
    assert!(shown.contains("\"eacc\""), "{shown}");
    assert!(shown.contains("\"uk\""), "{shown}");
    assert!(!shown.contains("ProcSecret77"), "{shown}");
    assert!(shown.contains("https://api.cloudinary.com"), "{shown}");

    let server = serve_json(200, json!({"users": []})).await;
    let client = Client::builder()
        .from_env()
        .base_url(server.uri())
        .retry(RetryConfig::disabled())
        .build()
        .expect("valid environment");
    client.users().list().send().await.expect("list");
    let req = only_request(&server).await;
    assert_eq!(target(&req), "/v1_1/provisioning/accounts/eacc/users");
    // base64("uk:es")
    assert_eq!(
        header(&req, "authorization").as_deref(),
        Some("Basic dWs6ZXM=")
    );

    set_env(&[]);
}
