//! Generator snapshots: the emitted code of every fixture spec (one snapshot per fixture, all
//! files concatenated), and the public surface of the real spec (one line per operation and
//! per model field, so a spec change reads as a short diff in review).
//!
//! Update after an intended change with `INSTA_UPDATE=always cargo test -p workspace-tests
//! --test snapshots` (or `cargo insta review`), then read the diff. CI runs with `CI=true` and
//! `INSTA_UPDATE=no`: a changed snapshot fails and nothing is written. `snapshot_dir_is_exact`
//! rejects unreferenced and pending snapshots, so CI needs no `cargo insta`.

use std::collections::BTreeSet;
use std::path::PathBuf;
use workspace_tests::{
    FIXTURES, concat_files, fixture_files, fixture_spec, package_name, workspace_root,
};

/// The snapshot file of the public surface.
const SURFACE_SNAPSHOT: &str = "public_surface";

fn snapshot_name(fixture: &str) -> String {
    format!("fixture_{fixture}")
}

fn snapshot_dir() -> PathBuf {
    workspace_root().join("tests").join("snapshots")
}

fn settings(description: &str) -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(snapshot_dir());
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_description(description);
    settings
}

fn generated(fixture: &str) -> String {
    let spec = fixture_spec(fixture);
    let files = xtask::codegen::generate_package(&spec, &package_name(fixture))
        .unwrap_or_else(|e| panic!("generating {}: {e}", spec.display()));
    concat_files(&files)
}

fn assert_fixture(fixture: &str) {
    let text = generated(fixture);
    settings(&format!(
        "cargo xtask codegen --spec tests/fixtures/{fixture}.yaml"
    ))
    .bind(|| insta::assert_snapshot!(snapshot_name(fixture), text));
}

macro_rules! fixture_snapshots {
    ($($name:ident),* $(,)?) => {
        /// The fixtures that have a snapshot test below.
        const SNAPSHOT_FIXTURES: &[&str] = &[$(stringify!($name)),*];
        $(
            #[test]
            fn $name() {
                assert_fixture(stringify!($name));
            }
        )*
    };
}

fixture_snapshots!(
    all_of,
    auth,
    collisions,
    dates,
    deprecated,
    digit_names,
    empty_bodies,
    enums,
    errors,
    escaped_collisions,
    formats,
    free_form,
    group_method_names,
    integers,
    keywords,
    nullable,
    pagination,
    params,
    query_arrays,
    query_json,
    recursive,
    request_bodies,
    required_optional,
    responses,
    secrets,
    security,
    security_31,
    success_codes,
    unions,
    unions_31,
);

#[test]
fn every_fixture_has_a_snapshot_test() {
    let on_disk = fixture_files();
    let listed: Vec<String> = FIXTURES.iter().map(|s| s.to_string()).collect();
    let tested: Vec<String> = SNAPSHOT_FIXTURES.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        on_disk, listed,
        "tests/fixtures/*.yaml and workspace_tests::FIXTURES differ"
    );
    assert_eq!(
        listed, tested,
        "workspace_tests::FIXTURES and the tests in snapshots.rs differ"
    );
}

#[test]
fn public_surface() {
    let spec = workspace_root().join(xtask::codegen::DEFAULT_SPEC);
    let (api, _) = xtask::codegen::load(&spec).unwrap_or_else(|e| panic!("{e}"));
    let surface = xtask::surface::render(&api);
    settings(&format!(
        "xtask::surface::render of {}",
        xtask::codegen::DEFAULT_SPEC
    ))
    .bind(|| insta::assert_snapshot!(SURFACE_SNAPSHOT, surface));
}

#[test]
fn generation_is_deterministic() {
    let mut specs: Vec<PathBuf> = FIXTURES.iter().map(|f| fixture_spec(f)).collect();
    specs.push(workspace_root().join(xtask::codegen::DEFAULT_SPEC));
    for spec in specs {
        let first = xtask::codegen::generate(&spec).unwrap_or_else(|e| panic!("{e}"));
        let second = xtask::codegen::generate(&spec).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            first == second,
            "two generations of {} differ",
            spec.display()
        );
        // Equal and empty would pass too: the crate's own files must be there.
        for file in ["Cargo.toml", "src/lib.rs", "src/client.rs", "src/models.rs"] {
            assert!(
                first
                    .get(file)
                    .is_some_and(|text| text.contains("@generated")),
                "{file} missing from the generation of {}",
                spec.display()
            );
        }
    }
}

/// An intra-doc link escaped into literal text (`\[`Name`\]`): rustdoc shows the brackets
/// and no link, and cannot warn about it, so only a test catches it.
fn escaped_links(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("\\[`") {
        let after = &rest[at + 3..];
        if let Some(end) = after.find("`\\]") {
            let name = &after[..end];
            if !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
            {
                found.push(name.to_string());
            }
        }
        rest = after;
    }
    found
}

#[test]
fn generated_docs_hold_no_escaped_intra_doc_links() {
    assert_eq!(
        escaped_links("a \\[`Foo`\\] b [`Bar`] \\[`x y`\\]"),
        ["Foo"]
    );
    let mut specs: Vec<PathBuf> = FIXTURES.iter().map(|f| fixture_spec(f)).collect();
    specs.push(workspace_root().join(xtask::codegen::DEFAULT_SPEC));
    for spec in specs {
        let files = xtask::codegen::generate(&spec).unwrap_or_else(|e| panic!("{e}"));
        for (file, text) in &files {
            let escaped = escaped_links(text);
            assert!(
                escaped.is_empty(),
                "{} {file}: escaped intra-doc links {escaped:?}",
                spec.display()
            );
        }
    }
}

/// `tests/snapshots/` holds exactly one `.snap` per snapshot test: no unreferenced snapshot
/// (left behind by a renamed or removed fixture) and no pending `.snap.new` / `.pending-snap`.
#[test]
fn snapshot_dir_is_exact() {
    let mut expected: BTreeSet<String> = FIXTURES
        .iter()
        .map(|f| format!("{}.snap", snapshot_name(f)))
        .collect();
    expected.insert(format!("{SURFACE_SNAPSHOT}.snap"));
    let found: BTreeSet<String> = std::fs::read_dir(snapshot_dir())
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    let missing: Vec<&String> = expected.difference(&found).collect();
    let extra: Vec<&String> = found.difference(&expected).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "tests/snapshots/ does not match the snapshot tests\n  missing: {missing:?}\n  \
         unreferenced or pending: {extra:?}\ncreate missing ones with `INSTA_UPDATE=always cargo \
         test -p workspace-tests --test snapshots` and review them; delete unreferenced ones; \
         review pending ones (`cargo insta review`, or compare and rename/delete by hand)"
    );
}
