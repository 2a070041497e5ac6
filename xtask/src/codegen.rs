//! The command's two modes: write the crate (generate fully in memory, write to a temporary
//! sibling directory, then swap it in), or check that the committed crate is byte-identical.

use crate::emit::{self, EmitConfig};
use crate::error::{GenError, printable};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The spec, relative to the workspace root.
pub const DEFAULT_SPEC: &str = "openapi/cld-provisioning.yaml";
/// The generated crate, relative to the workspace root.
pub const DEFAULT_OUT: &str = "crates/cld-provisioning";
/// The generated crate's version, before `+<spec version>`.
pub const CRATE_VERSION: &str = "0.1.0";

/// What the command was asked to do.
pub struct Options {
    /// The spec to read.
    pub spec: PathBuf,
    /// The crate directory to write (or compare with, under `check`).
    pub out: PathBuf,
    /// Compare instead of writing.
    pub check: bool,
    /// Print the whole diff when checking.
    pub verbose: bool,
    /// Whether warnings about the spec are errors.
    pub strict: bool,
}

/// How a path is named in headers and messages: relative to the workspace root found at run
/// time ([`crate::workspace::root`]) when inside it, as given otherwise.
pub fn display_path(path: &Path) -> String {
    let abs = absolute(path);
    let abs = abs.canonicalize().unwrap_or(abs);
    let relative = crate::workspace::root().ok().and_then(|root| {
        let root = root.canonicalize().unwrap_or(root);
        abs.strip_prefix(&root)
            .ok()
            .map(|rel| rel.to_string_lossy().replace('\\', "/"))
    });
    match relative.unwrap_or_else(|| path.to_string_lossy().replace('\\', "/")) {
        // Named so that a message never starts with a bare `:`.
        shown if shown.is_empty() && path.as_os_str().is_empty() => "''".to_string(),
        shown if shown.is_empty() => ".".to_string(),
        shown => shown,
    }
}

/// `path` made absolute against the current directory (not resolving links: the summary line
/// names what the user named).
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
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
    generate_counted(spec, package).map(|generation| generation.files)
}

/// Generates the crate and returns the diagnostics too.
pub fn generate_with_diagnostics(
    spec: &Path,
    package: &str,
) -> Result<(BTreeMap<String, String>, crate::spec::Diagnostics), GenError> {
    generate_counted(spec, package).map(|generation| (generation.files, generation.diagnostics))
}

/// One generation: the files, the diagnostics, and the counts the summary line reports.
struct Generation {
    files: BTreeMap<String, String>,
    diagnostics: crate::spec::Diagnostics,
    operations: usize,
    models: usize,
}

fn generate_counted(spec: &Path, package: &str) -> Result<Generation, GenError> {
    let (api, diagnostics) = load(spec)?;
    let files = emit::emit(
        &api,
        &EmitConfig {
            package: package.to_string(),
            crate_version: CRATE_VERSION.to_string(),
        },
    )?;
    Ok(Generation {
        files,
        diagnostics,
        operations: api.groups.iter().map(|g| g.operations.len()).sum(),
        models: api.models.len(),
    })
}

/// Runs the command; on success, the one summary line to print.
pub fn run(options: &Options) -> Result<String, String> {
    let started = Instant::now();
    // The output is checked before any work, so a degenerate `--out` fails fast and nothing
    // is staged next to it.
    check_out_dir(&options.out).map_err(|e| e.to_string())?;
    let generation = generate_counted(&options.spec, PACKAGE).map_err(|e| e.to_string())?;
    for line in generation.diagnostics.lines() {
        eprintln!("{line}");
    }
    if options.strict {
        if let Some(e) = generation.diagnostics.first_warning_as_error() {
            return Err(e.to_string());
        }
    }
    let report = check(&generation.files, &options.out);
    if options.check && !report.is_empty() {
        return Err(stale_message(options, &report));
    }
    // An unchanged crate is left alone: its files keep their times, so cargo does not rebuild.
    if !options.check && !report.is_empty() {
        write(&generation.files, &options.out).map_err(|e| e.to_string())?;
    }
    Ok(summary(options, &generation, report.len(), started))
}

/// The success line: absolute paths, so the checkout acted on is never in doubt (issue 10).
fn summary(options: &Options, generation: &Generation, changed: usize, started: Instant) -> String {
    let (verb, changed_what) = if options.check {
        ("checked", "file(s) differ")
    } else {
        ("wrote", "file(s) changed")
    };
    format!(
        "codegen: read {}, {verb} {}: {} operations, {} models, {changed} {changed_what}, {} ms",
        printable(&absolute(&options.spec).display().to_string()),
        printable(&absolute(&options.out).display().to_string()),
        generation.operations,
        generation.models,
        started.elapsed().as_millis()
    )
}

/// The `--check` failure: which files differ, with the diff when it is short or asked for.
fn stale_message(options: &Options, report: &[(String, String)]) -> String {
    let mut message = format!(
        "{} is stale ({} file(s) differ):\n",
        display_path(&options.out),
        report.len()
    );
    for (path, diff) in report {
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
            for (_, diff) in report {
                message.push_str(diff);
            }
        } else {
            message.push_str("(diff too long; rerun with --verbose to see it)\n");
        }
    }
    message.push_str("run `cargo xtask codegen` and commit the result");
    message
}

/// Compares generated files with a directory: one entry per differing, missing or extra file,
/// with a unified diff.
pub fn check(files: &BTreeMap<String, String>, out: &Path) -> Vec<(String, String)> {
    let mut report = Vec::new();
    for (rel, want) in files {
        let have = fs::read(out.join(rel)).ok();
        // Byte-equal is the usual case: only a file that differs is decoded and normalised.
        if have.as_deref() == Some(want.as_bytes()) {
            continue;
        }
        let have = have.map(|b| normalise(&String::from_utf8_lossy(&b)));
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

/// Refuses an `--out` that cannot be swapped whole: empty, or with no last component to
/// stage beside (`.`, `..`, `/`), or an existing file. Checked before anything is written, so
/// such a value leaves no staging directory behind and replaces nothing.
fn check_out_dir(out: &Path) -> Result<(), GenError> {
    let shown = format!("--out {:?}", out.to_string_lossy());
    let refuse = |why: &str| Err(GenError::new(&shown, "", why));
    if out.as_os_str().is_empty() {
        return refuse("is empty: name the directory of the crate to write");
    }
    if out.file_name().is_none() {
        return refuse(
            "must end in a directory name (not `.`, `..` or `/`): the crate is written beside it and swapped in whole",
        );
    }
    if out.exists() && !out.is_dir() {
        return refuse("names a file, not a directory");
    }
    Ok(())
}

/// Writes the crate: everything goes to a sibling temporary directory first, which then
/// replaces `out` whole, so a failure never leaves a half-written crate and files the
/// generator no longer emits disappear.
pub fn write(files: &BTreeMap<String, String>, out: &Path) -> Result<(), GenError> {
    check_out_dir(out)?;
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
        if let Err(e) = fs::rename(out, &old) {
            let _ = fs::remove_dir_all(&staging);
            return Err(fail("cannot move the old crate aside", e));
        }
    }
    if let Err(e) = fs::rename(&staging, out) {
        // Put the old crate back so the tree is as it was, and leave nothing staged.
        let _ = fs::rename(&old, out);
        let _ = fs::remove_dir_all(&staging);
        return Err(fail("cannot move the new crate into place", e));
    }
    if old.exists() {
        fs::remove_dir_all(&old).map_err(|e| fail("cannot remove the old crate", e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Unit tests run in the package directory (`xtask/`), inside the workspace.
    #[test]
    fn paths_are_shown_relative_to_the_workspace_root() {
        // Relative to the current directory first, then to the root found at run time.
        assert_eq!(display_path(Path::new("Cargo.toml")), "xtask/Cargo.toml");
        let root = crate::workspace::root().unwrap_or_default();
        assert_eq!(
            display_path(&root.join("openapi/cld-provisioning.yaml")),
            "openapi/cld-provisioning.yaml"
        );
        // The root itself, and an empty path, are never shown as nothing.
        assert_eq!(display_path(&root), ".");
        assert_eq!(display_path(Path::new("")), "''");
        // Outside the workspace: as given.
        assert_eq!(
            display_path(Path::new("/nonexistent-dir/spec.yaml")),
            "/nonexistent-dir/spec.yaml"
        );
    }

    /// A one-operation spec whose schema lists a `required` name it does not define: valid,
    /// with one warning.
    const WARNED_SPEC: &str = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/A'}\ncomponents:\n  schemas:\n    A:\n      type: object\n      required: [gone]\n      properties:\n        id: {type: string}\n";

    /// A fresh scratch directory for one test.
    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        dir
    }

    /// The directory's identity: `write` swaps a whole new directory in, so a changed inode
    /// means the crate was written.
    #[cfg(unix)]
    fn inode(dir: &Path) -> u64 {
        use std::os::unix::fs::MetadataExt;
        fs::metadata(dir).map(|m| m.ino()).unwrap_or_default()
    }

    /// `cargo xtask codegen --check` as a test, so a plain `cargo test` catches a spec or
    /// generator change whose crate was not regenerated; a failure reads as the command's.
    #[test]
    fn the_committed_crate_is_what_generate_makes() {
        let root = crate::workspace::root().unwrap_or_else(|e| panic!("{e}"));
        let files = generate(&root.join(DEFAULT_SPEC)).unwrap_or_else(|e| panic!("{e}"));
        assert!(files.contains_key("Cargo.toml") && files.contains_key("src/lib.rs"));
        let options = Options {
            spec: root.join(DEFAULT_SPEC),
            out: root.join(DEFAULT_OUT),
            check: true,
            verbose: false,
            strict: false,
        };
        let report = check(&files, &options.out);
        assert!(report.is_empty(), "{}", stale_message(&options, &report));
    }

    #[test]
    fn diagnostics_come_with_the_same_files() {
        let dir = scratch("diagnostics");
        let spec = dir.join("spec.yaml");
        fs::write(&spec, WARNED_SPEC).unwrap_or_else(|e| panic!("{e}"));
        let (files, diagnostics) =
            generate_with_diagnostics(&spec, "sample").unwrap_or_else(|e| panic!("{e}"));
        let plain = generate_package(&spec, "sample").unwrap_or_else(|e| panic!("{e}"));
        let _ = fs::remove_dir_all(&dir);
        assert_eq!(files, plain);
        assert!(
            files
                .get("Cargo.toml")
                .is_some_and(|t| t.contains("name = \"sample\""))
        );
        let lines = diagnostics.lines();
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(lines[0].contains("gone"), "{lines:?}");
    }

    /// Writing, rewriting, checking and a stale check, as the command runs them.
    #[test]
    fn run_writes_only_what_changed_and_check_never_writes() {
        let dir = scratch("run");
        let spec = dir.join("spec.yaml");
        fs::write(&spec, WARNED_SPEC).unwrap_or_else(|e| panic!("{e}"));
        let out = dir.join("out");
        let options = |check: bool, strict: bool| Options {
            spec: spec.clone(),
            out: out.clone(),
            check,
            verbose: false,
            strict,
        };
        let first = run(&options(false, false)).unwrap_or_else(|e| panic!("{e}"));
        let written = list_files(&out).len();
        assert!(written > 3, "{written} files");
        assert!(
            first.starts_with(&format!(
                "codegen: read {}, wrote {}: 1 operations, 1 models, {written} file(s) changed, ",
                spec.display(),
                out.display()
            )),
            "{first}"
        );
        #[cfg(unix)]
        let before = inode(&out);
        let again = run(&options(false, false)).unwrap_or_else(|e| panic!("{e}"));
        assert!(again.contains(", 0 file(s) changed, "), "{again}");
        let checked = run(&options(true, false)).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            checked.contains(&format!(", checked {}: ", out.display())),
            "{checked}"
        );
        assert!(checked.contains(", 0 file(s) differ, "), "{checked}");
        #[cfg(unix)]
        assert_eq!(inode(&out), before, "an unchanged crate was rewritten");
        fs::write(out.join("src/lib.rs"), "// edited\n").unwrap_or_else(|e| panic!("{e}"));
        let stale = run(&options(true, false)).err().unwrap_or_default();
        assert!(
            stale.contains("(1 file(s) differ)") && stale.contains("  src/lib.rs\n"),
            "{stale}"
        );
        let kept = fs::read_to_string(out.join("src/lib.rs")).unwrap_or_default();
        assert_eq!(kept, "// edited\n", "--check wrote the crate");
        let strict = run(&options(true, true)).err().unwrap_or_default();
        assert!(strict.contains("gone"), "{strict}");
        let _ = fs::remove_dir_all(&dir);
    }

    /// Only an absent or empty directory, or a crate this command wrote, is replaced.
    #[test]
    fn only_generated_crates_and_empty_directories_are_replaceable() {
        let dir = scratch("replaceable");
        let sub = |name: &str| dir.join(name);
        assert!(replaceable(&sub("absent")));
        fs::create_dir_all(sub("empty")).unwrap_or_else(|e| panic!("{e}"));
        assert!(replaceable(&sub("empty")));
        for (name, manifest) in [
            (
                "generated",
                "# @generated by cargo xtask codegen from x\n[package]\n",
            ),
            ("handmade", "[package]\nname = \"mine\"\n"),
        ] {
            fs::create_dir_all(sub(name)).unwrap_or_else(|e| panic!("{e}"));
            fs::write(sub(name).join("Cargo.toml"), manifest).unwrap_or_else(|e| panic!("{e}"));
        }
        fs::create_dir_all(sub("no-manifest/src")).unwrap_or_else(|e| panic!("{e}"));
        let verdicts = ["generated", "handmade", "no-manifest"].map(|n| replaceable(&sub(n)));
        assert_eq!(verdicts, [true, false, false]);
        // A refused directory makes `write` fail and keeps it as it was.
        let files = BTreeMap::from([("Cargo.toml".to_string(), "x".to_string())]);
        assert!(write(&files, &sub("handmade")).is_err());
        let kept = fs::read_to_string(sub("handmade").join("Cargo.toml")).unwrap_or_default();
        let _ = fs::remove_dir_all(&dir);
        assert_eq!(kept, "[package]\nname = \"mine\"\n");
    }

    /// Staging happens beside `out` (never in the current directory), and a staging
    /// directory an interrupted run left there is cleared first.
    #[test]
    fn write_stages_beside_out_and_clears_leftovers() {
        let dir = scratch("staging");
        let out = dir.join("out");
        for leftover in [".out.codegen-new", ".out.codegen-old"] {
            fs::create_dir_all(dir.join(leftover).join("src")).unwrap_or_else(|e| panic!("{e}"));
        }
        let files = BTreeMap::from([("src/lib.rs".to_string(), "//\n".to_string())]);
        let written = write(&files, &out);
        let mut left: Vec<String> = fs::read_dir(&dir)
            .map(|d| {
                d.flatten()
                    .map(|e| e.file_name().to_string_lossy().into())
                    .collect()
            })
            .unwrap_or_default();
        left.sort();
        let lib = fs::read_to_string(out.join("src/lib.rs")).unwrap_or_default();
        let _ = fs::remove_dir_all(&dir);
        assert!(written.is_ok(), "{written:?}");
        assert_eq!(left, ["out"]);
        assert_eq!(lib, "//\n");
    }

    #[test]
    fn out_values_that_cannot_be_swapped_whole_are_refused() {
        let dir = scratch("out-values");
        let file = dir.join("a-file");
        fs::write(&file, "x").unwrap_or_else(|e| panic!("{e}"));
        let error = |out: &Path| check_out_dir(out).err().map(|e| e.message);
        assert_eq!(
            error(Path::new("")).as_deref(),
            Some("is empty: name the directory of the crate to write")
        );
        assert!(
            error(Path::new("..")).is_some_and(|m| m.starts_with("must end in a directory name"))
        );
        assert_eq!(
            error(&file).as_deref(),
            Some("names a file, not a directory")
        );
        assert_eq!(error(&dir), None);
        assert_eq!(error(&dir.join("new")), None);
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn stale_messages_show_short_diffs_once_and_long_ones_on_request() {
        let options = |verbose: bool| Options {
            spec: PathBuf::from("spec.yaml"),
            out: PathBuf::from("/nonexistent-dir/out"),
            check: true,
            verbose,
            strict: false,
        };
        let report = |len: usize| vec![("src/a.rs".to_string(), "d".repeat(len))];
        let head = "/nonexistent-dir/out is stale (1 file(s) differ):\n  src/a.rs\n";
        let tail = "run `cargo xtask codegen` and commit the result";
        // Up to 20,000 bytes of diff are shown without --verbose, once.
        let short = stale_message(&options(false), &report(20_000));
        assert_eq!(short, format!("{head}{}{tail}", "d".repeat(20_000)));
        let long = stale_message(&options(false), &report(20_001));
        assert_eq!(
            long,
            format!("{head}(diff too long; rerun with --verbose to see it)\n{tail}")
        );
        let verbose = stale_message(&options(true), &report(20_001));
        assert_eq!(verbose, format!("{head}{}{tail}", "d".repeat(20_001)));
    }

    #[test]
    fn check_reports_differing_missing_and_extra_files_but_not_line_endings() {
        let dir = std::env::temp_dir().join(format!("xtask-check-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("src")).unwrap_or_else(|e| panic!("{e}"));
        let write = |rel: &str, text: &str| {
            fs::write(dir.join(rel), text).unwrap_or_else(|e| panic!("{rel}: {e}"))
        };
        write("same.rs", "a\nb\n");
        write("crlf.rs", "a\r\nb\r\n");
        write("src/changed.rs", "a\nold\n");
        write("src/stray.rs", "x\n");
        let files: BTreeMap<String, String> = [
            ("same.rs", "a\nb\n"),
            ("crlf.rs", "a\nb\n"),
            ("src/changed.rs", "a\nnew\n"),
            ("src/missing.rs", "m\n"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let report = check(&files, &dir);
        let _ = fs::remove_dir_all(&dir);
        let names: Vec<&str> = report.iter().map(|(rel, _)| rel.as_str()).collect();
        assert_eq!(names, ["src/changed.rs", "src/missing.rs", "src/stray.rs"]);
        assert!(report[0].1.contains("-old\n+new\n"), "{}", report[0].1);
        assert!(
            report[0].1.contains("committed/src/changed.rs"),
            "{}",
            report[0].1
        );
        assert_eq!(report[1].1, "--- missing file src/missing.rs\n");
        assert!(
            report[2].1.starts_with("+++ extra file src/stray.rs"),
            "{}",
            report[2].1
        );
    }
}
