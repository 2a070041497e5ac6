//! Workspace-level tests live in `tests/*.rs`; this library holds shared helpers.
//!
//! - `snapshots.rs`: one insta snapshot per fixture spec of the emitted code, the public-surface
//!   listing of the real spec, determinism, and a check that `tests/snapshots/` holds exactly
//!   the expected files (so CI needs no `cargo insta`).
//! - `codegen_fresh.rs`: `cargo xtask codegen` acts on the checkout it runs in (issue 10). That
//!   the committed crate equals a fresh generation is an xtask unit test (`codegen.rs`).
//! - The emitted code of every fixture is compiled (warnings denied), documented and
//!   doc-tested by `.ci/test`, on the scratch workspace `cargo xtask fixtures` writes.
//! - `e2e/`: the end-to-end tests of the SDK against local servers, one binary with a module
//!   per area; `e2e_logs.rs` and `e2e_process_env.rs` keep binaries of their own because they
//!   touch process-wide state (a `tracing` subscriber, the environment).
//! - `mock` (module [`mock`]): a local server that answers every operation of the spec with
//!   its own examples; the examples in `examples/` and the tests run against it.
//! - `support` (module [`support`]): the end-to-end tests' helpers (wiremock set-up, request
//!   assertions, the operation table).

#![deny(missing_docs)]

pub mod example;
pub mod mock;
pub mod support;

/// A model value with the listed fields assigned on top of `base` (`Model::default()` or
/// `Model::new(..)`): the tests' stand-in for struct literals, which the SDK's
/// `#[non_exhaustive]` models do not allow outside their crate. Expected values stay written
/// out field by field, as the server's examples give them.
#[macro_export]
macro_rules! model {
    ($base:expr; $($field:ident: $value:expr),* $(,)?) => {{
        let mut value = $base;
        $(value.$field = $value;)*
        value
    }};
}

/// Installs a `tracing` subscriber printing the SDK's request/response log (DEBUG level, the
/// `cld_provisioning_runtime` target only) to stderr when `CLOUDINARY_DEBUG` is `1`, `true`,
/// `yes` or `on`. The examples call it first; a program of yours does the same with
/// `tracing-subscriber` (see the README). Returns whether logging was turned on.
pub fn init_debug_logging() -> bool {
    use cld_provisioning::runtime::{ENV_DEBUG, debug_logging_requested};
    use tracing_subscriber::Layer as _;
    use tracing_subscriber::layer::SubscriberExt as _;
    use tracing_subscriber::util::SubscriberInitExt as _;

    if !debug_logging_requested(std::env::var(ENV_DEBUG).ok().as_deref()) {
        return false;
    }
    let only_the_sdk = tracing_subscriber::filter::Targets::new().with_target(
        "cld_provisioning_runtime",
        tracing_subscriber::filter::LevelFilter::DEBUG,
    );
    tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                .with_filter(only_the_sdk),
        )
        // Another subscriber already installed wins; that is not an error for an example.
        .try_init()
        .is_ok()
}

/// The README's Rust examples, compiled as doctests so the front page cannot go stale.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use xtask::fixture_workspace::package_name;

/// The root of the checkout being tested, found at run time the way `cargo xtask` finds it
/// ([`xtask::workspace::root`]), never from a path compiled into the test binary: a binary
/// built in one checkout may be run in another that shares the target directory.
///
/// # Panics
///
/// When run outside a workspace without cargo's `CARGO_MANIFEST_DIR`; nothing can be tested.
pub fn workspace_root() -> PathBuf {
    xtask::workspace::root().unwrap_or_else(|e| panic!("the tests need the checkout: {e}"))
}

/// The workspace's target directory: `CARGO_TARGET_DIR` when set, else the directory holding
/// this test executable that cargo tagged with `CACHEDIR.TAG`, else `<root>/target`.
pub fn target_dir(root: &Path) -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR").filter(|d| !d.is_empty()) {
        let dir = PathBuf::from(dir);
        return if dir.is_absolute() {
            dir
        } else {
            root.join(dir)
        };
    }
    std::env::current_exe()
        .ok()
        .and_then(|exe| {
            exe.ancestors()
                .find(|d| d.join("CACHEDIR.TAG").is_file())
                .map(Path::to_path_buf)
        })
        .unwrap_or_else(|| root.join("target"))
}

/// `tests/fixtures/`.
pub fn fixtures_dir() -> PathBuf {
    workspace_root().join("tests").join("fixtures")
}

/// The spec file of a fixture.
pub fn fixture_spec(name: &str) -> PathBuf {
    fixtures_dir().join(format!("{name}.yaml"))
}

/// The fixture specs: the stems of the `.yaml` files in `tests/fixtures/`, sorted, one OpenAPI
/// feature (or one realistic API) each. The directory is the only list: adding a file adds its
/// snapshot and compile checks.
///
/// # Panics
///
/// When the directory cannot be read or holds no fixture: every test over the fixtures would
/// then pass without checking anything.
pub fn fixtures() -> Vec<String> {
    let dir = fixtures_dir();
    let entries =
        std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()));
    let mut out: Vec<String> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".yaml").map(str::to_string)
        })
        .collect();
    assert!(!out.is_empty(), "no fixture spec in {}", dir.display());
    out.sort();
    out
}

/// The generated files as one text: each file preceded by a `==> path <==` line, in path order.
pub fn concat_files(files: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    for (path, contents) in files {
        if !out.is_empty() && !out.ends_with("\n\n") {
            out.push('\n');
        }
        out.push_str(&format!("==> {path} <==\n"));
        out.push_str(contents);
    }
    out
}
