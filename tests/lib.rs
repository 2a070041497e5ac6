//! Workspace-level tests live in `tests/*.rs`; this library holds shared helpers.
//!
//! - `snapshots.rs`: one insta snapshot per fixture spec of the emitted code, the public-surface
//!   listing of the real spec, determinism, and a check that `tests/snapshots/` holds exactly
//!   the expected files (so CI needs no `cargo insta`).
//! - `codegen_fresh.rs`: the committed `crates/cld-provisioning` equals a fresh generation
//!   (`cargo xtask codegen --check` as a test).
//! - `fixtures_compile.rs`: every fixture (and the unchanged upstream spec when `../shared` is
//!   present) generates a crate that compiles without warnings.
//! - `mock` (module [`mock`]): a local server that answers every operation of the spec with
//!   its own examples; the examples in `examples/` and the tests run against it.

#![deny(missing_docs)]

pub mod mock;

/// The README's Rust examples, compiled as doctests so the front page cannot go stale.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The fixture specs in `tests/fixtures/`, by file stem, one OpenAPI feature each.
pub const FIXTURES: &[&str] = &[
    "all_of",
    "auth",
    "collisions",
    "dates",
    "deprecated",
    "digit_names",
    "empty_bodies",
    "enums",
    "errors",
    "escaped_collisions",
    "free_form",
    "group_method_names",
    "integers",
    "keywords",
    "nullable",
    "pagination",
    "query_arrays",
    "query_json",
    "recursive",
    "request_bodies",
    "required_optional",
    "responses",
    "secrets",
    "success_codes",
    "unions",
    "unions_31",
];

/// The package name a fixture is generated under (`fixture-all-of`).
pub fn package_name(fixture: &str) -> String {
    format!("fixture-{}", fixture.replace('_', "-"))
}

/// The unchanged upstream spec, relative to the workspace root.
pub const UPSTREAM_SPEC: &str = "../shared/upstream/provisioning.schema.yml";

/// The workspace root (the parent of `tests/`).
pub fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// `tests/fixtures/`.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// The spec file of a fixture.
pub fn fixture_spec(name: &str) -> PathBuf {
    fixtures_dir().join(format!("{name}.yaml"))
}

/// The stems of the `.yaml` files in `tests/fixtures/`, sorted.
pub fn fixture_files() -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(fixtures_dir())
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    name.strip_suffix(".yaml").map(str::to_string)
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// The upstream spec, when the shared checkout sits next to the workspace.
pub fn upstream_spec() -> Option<PathBuf> {
    let path = workspace_root().join(UPSTREAM_SPEC);
    path.is_file().then_some(path)
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
