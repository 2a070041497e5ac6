//! `cargo xtask codegen --check` as a test: the committed `crates/cld-provisioning` must be
//! byte-identical to a fresh generation from `openapi/cld-provisioning.yaml`, so a plain
//! `cargo test` catches a spec or generator change whose crate was not regenerated.

use workspace_tests::workspace_root;
use xtask::codegen::{DEFAULT_OUT, DEFAULT_SPEC, check, generate};

/// How much diff text the failure message shows.
const MAX_DIFF: usize = 60_000;

#[test]
fn committed_crate_matches_a_fresh_generation() {
    let root = workspace_root();
    let files = generate(&root.join(DEFAULT_SPEC))
        .unwrap_or_else(|e| panic!("generating from {DEFAULT_SPEC}: {e}"));
    let report = check(&files, &root.join(DEFAULT_OUT));
    if report.is_empty() {
        return;
    }
    let mut message = format!(
        "{DEFAULT_OUT} is stale: {} file(s) differ from a fresh generation\n",
        report.len()
    );
    for (path, _) in &report {
        message.push_str(&format!("  {path}\n"));
    }
    for (_, diff) in &report {
        if message.len() + diff.len() > MAX_DIFF {
            message.push_str("(more differences not shown)\n");
            break;
        }
        message.push_str(diff);
    }
    message.push_str("run `cargo xtask codegen` and commit the result");
    panic!("{message}");
}
