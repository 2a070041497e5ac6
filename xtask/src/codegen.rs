//! The command's two modes: write the crate (generate fully in memory, write to a temporary
//! sibling directory, then swap it in), or check that the committed crate is byte-identical.

use crate::emit::{self, EmitConfig};
use crate::error::GenError;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// The spec, relative to the workspace root.
pub const DEFAULT_SPEC: &str = "openapi/cld-provisioning.yaml";
/// The generated crate, relative to the workspace root.
pub const DEFAULT_OUT: &str = "crates/cld-provisioning";
/// The generated crate's version, before `+<spec version>`.
pub const CRATE_VERSION: &str = "0.1.0";

/// What the command was asked to do.
pub struct Options {
    pub spec: PathBuf,
    pub out: PathBuf,
    pub check: bool,
    pub verbose: bool,
    /// Whether warnings about the spec are errors.
    pub strict: bool,
}

/// The workspace root (the parent of `xtask/`).
pub fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

/// How a path is named in headers and messages: relative to the workspace when inside it.
pub fn display_path(path: &Path) -> String {
    let root = workspace_root();
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    let abs = abs.canonicalize().unwrap_or(abs);
    let root = root.canonicalize().unwrap_or(root);
    match abs.strip_prefix(&root) {
        Ok(rel) => rel.to_string_lossy().replace('\\', "/"),
        Err(_) => path.to_string_lossy().replace('\\', "/"),
    }
}

/// The package name of the generated SDK.
pub const PACKAGE: &str = "cld-provisioning";

/// Reads, validates and lowers the spec at `spec` into the IR, with the warnings and notes
/// raised on the way.
pub fn load(spec: &Path) -> Result<(crate::ir::Api, crate::spec::Diagnostics), GenError> {
    let display = display_path(spec);
    let parsed = crate::parse::read_spec(spec, &display)?;
    crate::lower::lower(&parsed)
}

/// Generates every file of the SDK crate from the spec at `spec`, in memory.
pub fn generate(spec: &Path) -> Result<BTreeMap<String, String>, GenError> {
    generate_package(spec, PACKAGE)
}

/// Generates the crate under another package name (fixture crates in the tests).
pub fn generate_package(spec: &Path, package: &str) -> Result<BTreeMap<String, String>, GenError> {
    generate_with_diagnostics(spec, package).map(|(files, _)| files)
}

/// Generates the crate and returns the diagnostics too.
pub fn generate_with_diagnostics(
    spec: &Path,
    package: &str,
) -> Result<(BTreeMap<String, String>, crate::spec::Diagnostics), GenError> {
    let (api, diagnostics) = load(spec)?;
    let files = emit::emit(
        &api,
        &EmitConfig {
            package: package.to_string(),
            crate_version: CRATE_VERSION.to_string(),
        },
    )?;
    Ok((files, diagnostics))
}

/// Runs the command.
pub fn run(options: &Options) -> Result<(), String> {
    let (files, diagnostics) =
        generate_with_diagnostics(&options.spec, PACKAGE).map_err(|e| e.to_string())?;
    for line in diagnostics.lines() {
        eprintln!("{line}");
    }
    if options.strict {
        if let Some(e) = diagnostics.first_warning_as_error() {
            return Err(e.to_string());
        }
    }
    if options.check {
        let report = check(&files, &options.out);
        if report.is_empty() {
            return Ok(());
        }
        let mut message = format!(
            "{} is stale ({} file(s) differ):\n",
            display_path(&options.out),
            report.len()
        );
        for (path, diff) in &report {
            message.push_str(&format!("  {path}\n"));
            if options.verbose {
                message.push_str(diff);
            }
        }
        if !options.verbose {
            // The full diff is what a reviewer needs to see; print it even without --verbose
            // when it is short.
            let total: usize = report.iter().map(|(_, d)| d.len()).sum();
            if total <= 20_000 {
                for (_, diff) in &report {
                    message.push_str(diff);
                }
            } else {
                message.push_str("(diff too long; rerun with --verbose to see it)\n");
            }
        }
        message.push_str("run `cargo xtask codegen` and commit the result");
        return Err(message);
    }
    write(&files, &options.out).map_err(|e| e.to_string())
}

/// Compares generated files with a directory: one entry per differing, missing or extra file,
/// with a unified diff.
pub fn check(files: &BTreeMap<String, String>, out: &Path) -> Vec<(String, String)> {
    let mut report = Vec::new();
    for (rel, want) in files {
        let have = fs::read(out.join(rel))
            .ok()
            .map(|b| normalise(&String::from_utf8_lossy(&b)));
        match have {
            Some(have) if have == *want => {}
            Some(have) => report.push((rel.clone(), unified(rel, &have, want))),
            None => report.push((rel.clone(), format!("--- missing file {rel}\n"))),
        }
    }
    for rel in list_files(out) {
        if !files.contains_key(&rel) {
            report.push((
                rel.clone(),
                format!("+++ extra file {rel} (the generator does not emit it)\n"),
            ));
        }
    }
    report
}

fn normalise(text: &str) -> String {
    text.replace("\r\n", "\n")
}

fn unified(rel: &str, have: &str, want: &str) -> String {
    similar::TextDiff::from_lines(have, want)
        .unified_diff()
        .context_radius(3)
        .header(&format!("committed/{rel}"), &format!("generated/{rel}"))
        .to_string()
}

/// Every file below `dir`, as sorted `/`-separated relative paths.
fn list_files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(dir) {
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    out
}

/// Whether `out` may be replaced whole: it is absent, empty, or a crate this command wrote.
/// `--out` names any directory, and a typo must not delete someone's work.
fn replaceable(out: &Path) -> bool {
    if !out.exists() {
        return true;
    }
    if fs::read_dir(out)
        .map(|mut d| d.next().is_none())
        .unwrap_or(false)
    {
        return true;
    }
    fs::read_to_string(out.join("Cargo.toml"))
        .map(|manifest| manifest.starts_with("# @generated by cargo xtask codegen"))
        .unwrap_or(false)
}

/// Writes the crate: everything goes to a sibling temporary directory first, which then
/// replaces `out` whole, so a failure never leaves a half-written crate and files the
/// generator no longer emits disappear.
pub fn write(files: &BTreeMap<String, String>, out: &Path) -> Result<(), GenError> {
    let shown = display_path(out);
    let fail = |what: &str, e: std::io::Error| GenError::new(&shown, "", format!("{what}: {e}"));
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "out".into());
    fs::create_dir_all(parent).map_err(|e| fail("cannot create the parent directory", e))?;
    if !replaceable(out) {
        return Err(GenError::new(
            &shown,
            "",
            "refusing to replace a non-empty directory that does not hold a generated crate \
             (its Cargo.toml has no `@generated by cargo xtask codegen` header): choose another --out",
        ));
    }
    let staging = parent.join(format!(".{name}.codegen-new"));
    let old = parent.join(format!(".{name}.codegen-old"));
    for leftover in [&staging, &old] {
        if leftover.exists() {
            fs::remove_dir_all(leftover)
                .map_err(|e| fail("cannot remove a leftover staging directory", e))?;
        }
    }
    let staged = (|| -> std::io::Result<()> {
        for (rel, contents) in files {
            let path = staging.join(rel);
            if let Some(dir) = path.parent() {
                fs::create_dir_all(dir)?;
            }
            fs::write(path, contents)?;
        }
        Ok(())
    })();
    if let Err(e) = staged {
        let _ = fs::remove_dir_all(&staging);
        return Err(fail("cannot write the generated files", e));
    }
    if out.exists() {
        fs::rename(out, &old).map_err(|e| fail("cannot move the old crate aside", e))?;
    }
    if let Err(e) = fs::rename(&staging, out) {
        // Put the old crate back so the tree is as it was.
        let _ = fs::rename(&old, out);
        return Err(fail("cannot move the new crate into place", e));
    }
    if old.exists() {
        fs::remove_dir_all(&old).map_err(|e| fail("cannot remove the old crate", e))?;
    }
    Ok(())
}
