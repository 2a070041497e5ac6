//! The emitted code must compile, without warnings: every fixture spec (and the unchanged
//! upstream spec, when `../shared` sits next to the workspace) is generated as its own crate
//! into a scratch workspace under the target directory, and all of them are built with ONE
//! `cargo build --offline`.
//!
//! The scratch workspace mirrors the real one: same `[workspace.package]`,
//! `[workspace.dependencies]` (the runtime as an absolute path), profiles and `Cargo.lock`,
//! so the fixture crates resolve exactly the versions the real SDK uses. The build shares the
//! workspace's target directory, so the dependencies the workspace has already compiled
//! (reqwest, rustls, serde, the runtime) are reused and only the fixture crates are compiled.
//! Should that directory's lock be held for good (a cargo that keeps it while running tests),
//! the build falls back to a target directory of its own, `target/fixture-target`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use workspace_tests::{
    UPSTREAM_SPEC, fixture_spec, fixtures, package_name, target_dir, upstream_spec, workspace_root,
};

/// The build is killed after this long.
const TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// How long cargo may wait for the shared target directory's lock, printing nothing else,
/// before the build moves to its own target directory.
const LOCK_PATIENCE: Duration = Duration::from_secs(90);

/// The fallback target directory, below the workspace's.
const FALLBACK_TARGET: &str = "fixture-target";

/// One crate of a scratch workspace.
struct FixtureCrate {
    /// Directory and package name (`fixture-all-of`).
    package: String,
    /// What it was generated from, for messages.
    spec: PathBuf,
}

/// Every fixture (and the upstream spec) builds without warnings, documents without rustdoc
/// warnings, and then the doc examples
/// the generator writes (crate, client, group accessors) compile for every fixture, as the
/// real crate's do under `cargo test --doc`. One test runs both in turn: two nested cargo
/// runs at once would only queue on the target directory's lock.
#[test]
fn fixture_crates_compile_without_warnings() {
    let fixtures: Vec<(String, PathBuf)> = fixtures()
        .into_iter()
        .map(|f| {
            let spec = fixture_spec(&f);
            (f, spec)
        })
        .collect();
    let mut specs = fixtures.clone();
    match upstream_spec() {
        Some(path) => specs.push(("upstream".to_string(), path)),
        None => eprintln!(
            "note: {} is absent; the upstream spec is not compiled",
            workspace_root().join(UPSTREAM_SPEC).display()
        ),
    }
    compile(&specs, "fixture-crates", Step::Build);
    compile(&specs, "fixture-crates", Step::Docs);
    compile(&fixtures, "fixture-crates-doc", Step::DocTests);
}

/// Generates `specs` as crates of the scratch workspace `target/<scratch_name>`, builds them
/// all with one cargo, and fails on any error or any warning in them.
fn compile(specs: &[(String, PathBuf)], scratch_name: &str, step: Step) {
    let root = workspace_root();
    let target = target_dir(&root);
    let scratch = target.join(scratch_name);
    std::fs::create_dir_all(&scratch).expect("create the scratch workspace");

    let mut crates = Vec::new();
    let mut problems = Vec::new();
    for (name, spec) in specs {
        let package = package_name(name);
        match xtask::codegen::generate_package(spec, &package) {
            Ok(files) => {
                sync_dir(&scratch.join(&package), &files)
                    .unwrap_or_else(|e| panic!("writing {package}: {e}"));
                crates.push(FixtureCrate {
                    package,
                    spec: spec.clone(),
                });
            }
            Err(e) => problems.push(format!("{}: generation failed: {e}", spec.display())),
        }
    }
    remove_stale_members(&scratch, &crates);
    write_if_changed(
        &scratch.join("Cargo.toml"),
        &workspace_manifest(&root, &crates),
    )
    .expect("write the scratch workspace manifest");
    let lock = root.join("Cargo.lock");
    if lock.is_file() {
        std::fs::copy(&lock, scratch.join("Cargo.lock")).expect("copy Cargo.lock");
    }

    let started = Instant::now();
    let (output, used_target) = match build(&scratch, &target, step) {
        Ok(output) => (output, target.clone()),
        Err(BuildFailure::LockHeld(text)) => {
            let fallback = target.join(FALLBACK_TARGET);
            eprintln!(
                "note: {} stayed locked for {}s; building in {} instead\n{text}",
                target.display(),
                LOCK_PATIENCE.as_secs(),
                fallback.display()
            );
            match build(&scratch, &fallback, step) {
                Ok(output) => (output, fallback),
                Err(e) => panic!("{e}"),
            }
        }
        Err(e) => panic!("{e}"),
    };
    eprintln!(
        "{} {} crate(s) of {} in {:.1}s (target dir {})",
        step.describe(),
        crates.len(),
        scratch.display(),
        started.elapsed().as_secs_f64(),
        used_target.display()
    );

    let mut fixture_warnings = Vec::new();
    let mut other_warnings = Vec::new();
    for line in output.text.lines().filter(|l| is_warning(l)) {
        if line.contains("fixture-") || line.contains("fixture_") {
            fixture_warnings.push(line);
        } else {
            other_warnings.push(line);
        }
    }
    if !other_warnings.is_empty() {
        eprintln!(
            "note: warnings outside the fixture crates (not failing this test):\n{}",
            other_warnings.join("\n")
        );
    }
    if !output.success {
        problems.push(format!(
            "`cargo {}` failed ({})",
            step.args()[0],
            output.status
        ));
    }
    if !fixture_warnings.is_empty() {
        problems.push(format!(
            "warnings in the fixture crates:\n{}",
            fixture_warnings.join("\n")
        ));
    }
    if !problems.is_empty() {
        let listing: Vec<String> = crates
            .iter()
            .map(|c| format!("  {} <- {}", c.package, c.spec.display()))
            .collect();
        panic!(
            "{}\n\ncrates (in {}):\n{}\n\ncargo output:\n{}",
            problems.join("\n"),
            scratch.display(),
            listing.join("\n"),
            output.text
        );
    }
}

/// Makes `dir` hold exactly `files`, rewriting only what changed, so an unchanged crate keeps
/// its timestamps and is not rebuilt.
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

/// Removes member directories of earlier runs (a renamed, removed or fixed fixture).
fn remove_stale_members(scratch: &Path, crates: &[FixtureCrate]) {
    let keep: BTreeSet<&str> = crates.iter().map(|c| c.package.as_str()).collect();
    let Ok(entries) = std::fs::read_dir(scratch) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_dir() && name.starts_with("fixture-") && !keep.contains(name.as_str()) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// The scratch workspace's manifest: the fixture crates as members, and the real workspace's
/// `[workspace.*]` tables (package, dependencies, lints) and profiles, with relative `path`s
/// made absolute.
fn workspace_manifest(root: &Path, crates: &[FixtureCrate]) -> String {
    let real = std::fs::read_to_string(root.join("Cargo.toml")).expect("read Cargo.toml");
    let members: Vec<String> = crates
        .iter()
        .map(|c| format!("    \"{}\",", c.package))
        .collect();
    let mut out = format!(
        "# Written by tests/fixtures_compile.rs: one crate per fixture spec, built together.\n\
         [workspace]\nresolver = \"3\"\nmembers = [\n{}\n]\n",
        members.join("\n")
    );
    let mut copying = false;
    for line in real.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            let header = trimmed.trim_start_matches('[').trim_end_matches(']');
            copying = header.starts_with("workspace.") || header.starts_with("profile.");
            if copying {
                out.push('\n');
            }
        }
        if !copying {
            continue;
        }
        match absolute_path_dep(root, line) {
            Some(Some(rewritten)) => out.push_str(&rewritten),
            // A path dependency whose directory is not there (yet): no fixture needs it.
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

fn is_warning(line: &str) -> bool {
    (line.starts_with("warning") || line.contains(": warning"))
        && !line.starts_with("warning: build failed")
}

struct BuildOutput {
    success: bool,
    status: String,
    /// stderr followed by stdout.
    text: String,
}

enum BuildFailure {
    /// cargo waited for the target directory's lock for [`LOCK_PATIENCE`]; its output so far.
    LockHeld(String),
    Other(String),
}

impl std::fmt::Display for BuildFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildFailure::LockHeld(text) => write!(f, "the target directory stayed locked\n{text}"),
            BuildFailure::Other(text) => f.write_str(text),
        }
    }
}

/// Output collected by a reader thread, with the time it last grew.
#[derive(Clone)]
struct Collected(Arc<Mutex<(Vec<u8>, Instant)>>);

impl Collected {
    fn text(&self) -> String {
        let guard = self.0.lock().unwrap_or_else(|e| e.into_inner());
        String::from_utf8_lossy(&guard.0).into_owned()
    }

    /// Whether the last thing printed is cargo waiting for a lock, for longer than `patience`.
    fn stuck_on_lock(&self, patience: Duration) -> bool {
        let guard = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let text = String::from_utf8_lossy(&guard.0);
        let last = text.lines().rev().find(|l| !l.trim().is_empty());
        last.is_some_and(|l| l.contains("Blocking waiting for file lock"))
            && guard.1.elapsed() > patience
    }
}

/// What cargo is asked to do with the scratch workspace.
#[derive(Clone, Copy)]
enum Step {
    /// `cargo build`: the crates compile.
    Build,
    /// `cargo test --doc`: the doc examples compile too.
    DocTests,
    /// `cargo doc` with rustdoc warnings as errors: spec prose becomes clean documentation.
    Docs,
}

impl Step {
    fn args(self) -> &'static [&'static str] {
        match self {
            // `--keep-going`: one broken crate hides nothing about the others.
            Step::Build => &[
                "build",
                "--offline",
                "--workspace",
                "--keep-going",
                "--message-format=short",
            ],
            Step::DocTests => &[
                "test",
                "--offline",
                "--workspace",
                "--doc",
                "--no-fail-fast",
                "--message-format=short",
            ],
            Step::Docs => &[
                "doc",
                "--offline",
                "--workspace",
                "--no-deps",
                "--keep-going",
                "--message-format=short",
            ],
        }
    }

    /// `RUSTDOCFLAGS` for the step; rustdoc flags leave the compiled dependencies alone.
    fn rustdoc_flags(self) -> Option<&'static str> {
        match self {
            Step::Docs => Some("-D warnings"),
            Step::Build | Step::DocTests => None,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Step::Build => "built",
            Step::DocTests => "ran the doc examples of",
            Step::Docs => "documented",
        }
    }
}

/// `cargo <step>` in `scratch` with `target` as the target directory, killed after
/// [`TIMEOUT`], or after [`LOCK_PATIENCE`] spent waiting for the directory's lock.
fn build(scratch: &Path, target: &Path, step: Step) -> Result<BuildOutput, BuildFailure> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(scratch)
        .args(step.args())
        .env("CARGO_TARGET_DIR", target)
        .env("RUSTDOCFLAGS", step.rustdoc_flags().unwrap_or(""))
        .env_remove("CARGO_BUILD_TARGET_DIR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    #[cfg(unix)]
    {
        // Its own process group, so a timeout kills the rustc processes along with cargo.
        use std::os::unix::process::CommandExt;
        command.process_group(0);
    }
    let mut child = command
        .spawn()
        .map_err(|e| BuildFailure::Other(format!("cannot run cargo: {e}")))?;
    let (stdout, stdout_reader) = collect(child.stdout.take());
    let (stderr, stderr_reader) = collect(child.stderr.take());
    // The pipes close once cargo and its rustc processes are gone (exited or killed).
    let drain = move || {
        let _ = stdout_reader.join();
        let _ = stderr_reader.join();
    };
    let deadline = Instant::now() + TIMEOUT;
    let text =
        |stderr: &Collected, stdout: &Collected| format!("{}{}", stderr.text(), stdout.text());
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                kill(&mut child);
                drain();
                return Err(BuildFailure::Other(format!(
                    "`cargo {}` of the fixture crates took longer than {}s and was killed\n{}",
                    step.args()[0],
                    TIMEOUT.as_secs(),
                    text(&stderr, &stdout)
                )));
            }
            Ok(None) if stderr.stuck_on_lock(LOCK_PATIENCE) => {
                kill(&mut child);
                drain();
                return Err(BuildFailure::LockHeld(text(&stderr, &stdout)));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(200)),
            Err(e) => return Err(BuildFailure::Other(format!("waiting for cargo: {e}"))),
        }
    };
    drain();
    Ok(BuildOutput {
        success: status.success(),
        status: status.to_string(),
        text: text(&stderr, &stdout),
    })
}

/// Reads `pipe` on a thread into a shared buffer.
fn collect<R: Read + Send + 'static>(pipe: Option<R>) -> (Collected, JoinHandle<()>) {
    let collected = Collected(Arc::new(Mutex::new((Vec::new(), Instant::now()))));
    let sink = collected.clone();
    let reader = std::thread::spawn(move || {
        let Some(mut pipe) = pipe else { return };
        let mut buf = [0u8; 8192];
        loop {
            match pipe.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    let mut guard = sink.0.lock().unwrap_or_else(|e| e.into_inner());
                    guard.0.extend_from_slice(&buf[..n]);
                    guard.1 = Instant::now();
                }
            }
        }
    });
    (collected, reader)
}

fn kill(child: &mut Child) {
    #[cfg(unix)]
    {
        let _ = Command::new("kill")
            .args(["-KILL", &format!("-{}", child.id())])
            .status();
    }
    let _ = child.kill();
    let _ = child.wait();
}
