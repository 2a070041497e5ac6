//! `cargo xtask fixtures`: writes every fixture spec (`tests/fixtures/*.yaml`, and the
//! unchanged upstream spec when `../shared` sits next to the checkout) as a crate of one
//! scratch workspace, so that plain `cargo build`, `cargo doc` and `cargo test --doc` on that
//! workspace check the emitted code of every fixture (`.ci/test` runs them).
//!
//! The scratch workspace mirrors the real one: its `[workspace.*]` tables and profiles (with
//! path dependencies made absolute) and its `Cargo.lock`, so the fixture crates resolve the
//! versions the real SDK uses and a shared target directory reuses every compiled dependency.
//! Each fixture crate opts into the scratch workspace's lints, which deny warnings: only the
//! fixture crates' own code is held to it, and the dependencies' build flags (and so their
//! compiled artifacts) stay those of the real workspace.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The upstream spec, relative to the workspace root.
pub const UPSTREAM_SPEC: &str = "../shared/upstream/provisioning.schema.yml";

/// The package name a fixture is generated under (`all_of` -> `fixture-all-of`).
pub fn package_name(fixture: &str) -> String {
    format!("fixture-{}", fixture.replace('_', "-"))
}

/// The fixture specs to generate: `(name, spec path)` for each `tests/fixtures/*.yaml` in
/// name order, then the upstream spec as `upstream` when it is present.
pub fn fixture_specs(root: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    let dir = root.join("tests").join("fixtures");
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("reading {}: {e}", dir.display()))?;
    let mut specs: Vec<(String, PathBuf)> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let stem = name.strip_suffix(".yaml")?.to_string();
            Some((stem, e.path()))
        })
        .collect();
    specs.sort();
    let upstream = root.join(UPSTREAM_SPEC);
    if upstream.is_file() {
        specs.push(("upstream".to_string(), upstream));
    }
    Ok(specs)
}

/// Writes the scratch workspace into `out`: one crate per spec, the manifest and the lock
/// file. Unchanged files keep their timestamps (so unchanged crates are not rebuilt), crates
/// of earlier runs that are no longer wanted are removed. Returns the package names; fails
/// naming every spec that did not generate.
pub fn write(root: &Path, out: &Path, specs: &[(String, PathBuf)]) -> Result<Vec<String>, String> {
    let mut packages = Vec::new();
    let mut problems = Vec::new();
    for (name, spec) in specs {
        let package = package_name(name);
        match crate::codegen::generate_package(spec, &package) {
            Ok(mut files) => {
                if let Some(manifest) = files.get_mut("Cargo.toml") {
                    manifest.push_str("\n[lints]\nworkspace = true\n");
                }
                sync_dir(&out.join(&package), &files)
                    .map_err(|e| format!("writing {}: {e}", out.join(&package).display()))?;
                packages.push(package);
            }
            Err(e) => problems.push(format!("{}: {e}", spec.display())),
        }
    }
    if !problems.is_empty() {
        return Err(format!(
            "fixtures that did not generate:\n{}",
            problems.join("\n")
        ));
    }
    remove_stale_members(out, &packages);
    let real = std::fs::read_to_string(root.join("Cargo.toml"))
        .map_err(|e| format!("reading {}: {e}", root.join("Cargo.toml").display()))?;
    write_if_changed(&out.join("Cargo.toml"), &manifest(root, &real, &packages))
        .map_err(|e| format!("writing the scratch manifest: {e}"))?;
    let lock = root.join("Cargo.lock");
    if lock.is_file() {
        let text = std::fs::read_to_string(&lock)
            .map_err(|e| format!("reading {}: {e}", lock.display()))?;
        write_if_changed(&out.join("Cargo.lock"), &text)
            .map_err(|e| format!("writing the scratch lock file: {e}"))?;
    }
    Ok(packages)
}

/// Makes `dir` hold exactly `files`, rewriting only what changed.
fn sync_dir(dir: &Path, files: &BTreeMap<String, String>) -> std::io::Result<()> {
    for (rel, contents) in files {
        write_if_changed(&dir.join(rel), contents)?;
    }
    let wanted: BTreeSet<PathBuf> = files.keys().map(|rel| dir.join(rel)).collect();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)?.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if !wanted.contains(&path) {
                std::fs::remove_file(&path)?;
            }
        }
    }
    Ok(())
}

fn write_if_changed(path: &Path, contents: &str) -> std::io::Result<()> {
    if std::fs::read(path).is_ok_and(|have| have == contents.as_bytes()) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, contents)
}

/// Removes the crate directories of earlier runs (a renamed or removed fixture).
fn remove_stale_members(out: &Path, packages: &[String]) {
    let keep: BTreeSet<&str> = packages.iter().map(String::as_str).collect();
    let Ok(entries) = std::fs::read_dir(out) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_dir() && name.starts_with("fixture-") && !keep.contains(name.as_str()) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// The scratch manifest: the packages as members, warnings denied for them, and the real
/// manifest's `[workspace.*]` and `[profile.*]` tables with relative paths made absolute.
pub fn manifest(root: &Path, real: &str, packages: &[String]) -> String {
    let members: Vec<String> = packages.iter().map(|p| format!("    \"{p}\",")).collect();
    let mut out = format!(
        "# Written by `cargo xtask fixtures`: one crate per fixture spec, built together.\n\
         [workspace]\nresolver = \"3\"\nmembers = [\n{}\n]\n\n\
         # Every fixture crate opts in: the emitted code must compile without warnings.\n\
         [workspace.lints.rust]\nwarnings = \"deny\"\n",
        members.join("\n")
    );
    let mut copying = false;
    for line in real.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            let header = trimmed.trim_start_matches('[').trim_end_matches(']');
            copying = (header.starts_with("workspace.") && !header.starts_with("workspace.lints"))
                || header.starts_with("profile.");
            if copying {
                out.push('\n');
            }
        }
        if !copying {
            continue;
        }
        match absolute_path_dep(root, line) {
            Some(Some(rewritten)) => out.push_str(&rewritten),
            // A path dependency whose directory is not there: no fixture needs it.
            Some(None) => continue,
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

/// For a line with `path = "..."`: `Some(line with the path made absolute)`, or `Some(None)`
/// when the directory does not exist; `None` for other lines.
fn absolute_path_dep(root: &Path, line: &str) -> Option<Option<String>> {
    let key = "path = \"";
    let start = line.find(key)? + key.len();
    let len = line[start..].find('"')?;
    let abs = root.join(&line[start..start + len]);
    if !abs.is_dir() {
        return Some(None);
    }
    let escaped = abs
        .to_string_lossy()
        .replace('\\', "\\\\")
        .replace('"', "\\\"");
    Some(Some(format!(
        "{}{escaped}{}",
        &line[..start],
        &line[start + len..]
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_names_are_kebab_case_and_prefixed() {
        assert_eq!(package_name("all_of"), "fixture-all-of");
        assert_eq!(package_name("unions_31"), "fixture-unions-31");
    }

    #[test]
    fn the_manifest_lists_members_denies_warnings_and_copies_workspace_tables() {
        let root = std::env::temp_dir().join(format!("xtask-fixture-ws-{}", std::process::id()));
        std::fs::create_dir_all(root.join("crates/rt")).expect("temp dir");
        let real = "[workspace]\nmembers = [\"x\"]\n\n[workspace.package]\nedition = \"2024\"\n\n\
                    [workspace.dependencies]\nrt = { path = \"crates/rt\", version = \"0.1\" }\n\
                    gone = { path = \"crates/gone\" }\nserde = \"1\"\n\n[workspace.lints.rust]\n\
                    unsafe_code = \"forbid\"\n\n[profile.dev]\ndebug = 1\n\n[package]\nname = \"x\"\n";
        let text = manifest(&root, real, &["fixture-a".into(), "fixture-b".into()]);
        let _ = std::fs::remove_dir_all(&root);
        assert!(
            text.contains("members = [\n    \"fixture-a\",\n    \"fixture-b\",\n]"),
            "{text}"
        );
        assert!(
            text.contains("[workspace.lints.rust]\nwarnings = \"deny\"\n"),
            "{text}"
        );
        // The real workspace's own lints are not copied: two lint tables would clash.
        assert!(!text.contains("unsafe_code"), "{text}");
        assert!(
            text.contains("[workspace.package]\nedition = \"2024\""),
            "{text}"
        );
        let abs = root.join("crates/rt");
        assert!(
            text.contains(&format!(
                "rt = {{ path = \"{}\", version = \"0.1\" }}",
                abs.display()
            )),
            "{text}"
        );
        assert!(!text.contains("gone"), "{text}");
        assert!(text.contains("serde = \"1\""), "{text}");
        assert!(text.contains("[profile.dev]\ndebug = 1"), "{text}");
        assert!(!text.contains("name = \"x\""), "{text}");
    }

    const TINY: &str = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '204': {description: none}\n";

    #[test]
    fn write_generates_each_crate_opted_into_the_lints_and_removes_stale_ones() {
        let root = std::env::temp_dir().join(format!("xtask-fixture-write-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let fixtures = root.join("tests/fixtures");
        std::fs::create_dir_all(&fixtures).expect("temp dir");
        std::fs::write(fixtures.join("tiny_one.yaml"), TINY).expect("spec");
        std::fs::write(
            root.join("Cargo.toml"),
            "[workspace]\n[workspace.package]\nedition = \"2024\"\n",
        )
        .expect("manifest");
        std::fs::write(root.join("Cargo.lock"), "# lock\n").expect("lock");
        let out = root.join("out");
        std::fs::create_dir_all(out.join("fixture-stale")).expect("stale dir");

        let specs = fixture_specs(&root).expect("specs");
        assert_eq!(
            specs,
            [("tiny_one".to_string(), fixtures.join("tiny_one.yaml"))]
        );
        let packages = write(&root, &out, &specs).expect("write");
        assert_eq!(packages, ["fixture-tiny-one"]);
        let manifest = std::fs::read_to_string(out.join("fixture-tiny-one/Cargo.toml"))
            .expect("crate manifest");
        assert!(
            manifest.ends_with("\n[lints]\nworkspace = true\n"),
            "{manifest}"
        );
        assert!(out.join("fixture-tiny-one/src/lib.rs").is_file());
        assert!(!out.join("fixture-stale").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("Cargo.lock")).expect("lock"),
            "# lock\n"
        );
        assert!(
            std::fs::read_to_string(out.join("Cargo.toml"))
                .expect("ws")
                .contains("\"fixture-tiny-one\",")
        );

        // A spec that does not generate is named, and nothing claims success.
        std::fs::write(fixtures.join("broken.yaml"), "openapi: 3.0.3\npaths: [").expect("spec");
        let specs = fixture_specs(&root).expect("specs");
        let err = write(&root, &out, &specs).expect_err("broken spec");
        let _ = std::fs::remove_dir_all(&root);
        assert!(err.contains("broken.yaml"), "{err}");
        assert!(!err.contains("tiny_one.yaml"), "{err}");
    }
}
