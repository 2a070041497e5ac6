//! The set-up every example in `examples/` shares: the debug log, the choice between the local
//! mock and the real API (`--live`), and the guard that keeps a live run from writing to an
//! account unless the caller says so.

use std::error::Error;
use std::ops::Deref;

use cld_provisioning::Client;

use crate::mock::MockApi;

/// What an example does when run with `--live` against a real account.
#[derive(Debug, Clone, Copy)]
pub enum LiveAccess {
    /// It only reads.
    ReadOnly,
    /// It creates or deletes something; the text says what, for the refusal message.
    Writes(&'static str),
}

/// The client an example uses, with the local mock it talks to (kept alive as long as the
/// client is used). Dereferences to [`Client`].
pub struct ExampleClient {
    client: Client,
    mock: Option<MockApi>,
}

impl Deref for ExampleClient {
    type Target = Client;

    fn deref(&self) -> &Client {
        &self.client
    }
}

impl ExampleClient {
    /// Prints how many requests the local mock answered; prints nothing after a `--live` run.
    pub fn print_mock_summary(&self) {
        if let Some(mock) = &self.mock {
            println!(
                "(answered by the local mock at {}: {} requests)",
                mock.uri(),
                mock.requests_served()
            );
        }
    }
}

/// The environment variable that allows a `--live` run to write.
pub const ALLOW_WRITES: &str = "CLD_EXAMPLES_ALLOW_WRITES";

/// Turns on the debug log when `CLOUDINARY_DEBUG` asks for it ([`crate::init_debug_logging`]),
/// then builds the example's client: with `--live` among the program's arguments, from the
/// environment (`Client::from_env`), refusing an example that writes unless
/// `CLD_EXAMPLES_ALLOW_WRITES=1`; otherwise against a freshly started local mock.
pub async fn example_client(access: LiveAccess) -> Result<ExampleClient, Box<dyn Error>> {
    crate::init_debug_logging();
    let live = std::env::args().skip(1).any(|arg| arg == "--live");
    if !live {
        let mock = crate::mock::start().await;
        let client = Client::builder()
            .credentials("mock-key", "mock-secret")
            .account_id("mock-account")
            .base_url(mock.uri())
            .build()?;
        return Ok(ExampleClient {
            client,
            mock: Some(mock),
        });
    }
    if let LiveAccess::Writes(what) = access {
        if std::env::var(ALLOW_WRITES).as_deref() != Ok("1") {
            return Err(format!("--live {what}; set {ALLOW_WRITES}=1 to allow it").into());
        }
    }
    Ok(ExampleClient {
        client: Client::from_env()?,
        mock: None,
    })
}

/// What an example's `main` returns: on failure Rust prints the error's `Debug`, which for
/// this type is the `Display` text and its causes (`Error: the request has no account id ...`),
/// not a structure dump (`Build(MissingAccountId)`).
pub type ExampleResult = Result<(), Failure>;

/// Any error, printed for a person by `main` (see [`ExampleResult`]).
pub struct Failure(Box<dyn Error>);

impl<E: Into<Box<dyn Error>>> From<E> for Failure {
    fn from(error: E) -> Self {
        Self(error.into())
    }
}

impl std::fmt::Debug for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)?;
        let mut source = self.0.source();
        while let Some(cause) = source {
            write!(f, "\n  caused by: {cause}")?;
            source = cause.source();
        }
        Ok(())
    }
}
