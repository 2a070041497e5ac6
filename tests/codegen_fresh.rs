//! `cargo xtask codegen` acts on the checkout it is run in (issue 10). That the committed
//! crate equals a fresh generation is tested in xtask itself
//! (`codegen::tests::the_committed_crate_is_what_generate_makes`).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use workspace_tests::{target_dir, workspace_root};
use xtask::codegen::{DEFAULT_OUT, DEFAULT_SPEC};

/// Issue 10: two checkouts sharing one target directory; xtask is built in the first and run
/// as `cargo xtask codegen` in the second after a spec change there. The second checkout's
/// crate must change and the first's must not.
///
/// Cost: the checkouts are copies of this tree (without `target/` and `.git/`, about 2.5 MB,
/// file times kept) at fixed places under the target directory, built into a target directory
/// of their own there (a nested cargo must not wait on the lock of the one running this test).
/// The first run compiles xtask and its dependencies there once (about 1.5 minutes on two
/// cores); later runs find them fresh and take a few seconds, unless xtask's sources changed.
#[test]
fn codegen_acts_on_the_checkout_it_runs_in() {
    let root = workspace_root();
    let scratch = target_dir(&root).join("issue10");
    let (first, second) = (scratch.join("checkout-a"), scratch.join("checkout-b"));
    let shared_target = scratch.join("target");
    for checkout in [&first, &second] {
        let _ = std::fs::remove_dir_all(checkout);
        copy_tree(&root, checkout).unwrap_or_else(|e| panic!("copying the checkout: {e}"));
    }
    let build = cargo(&first, &shared_target, &["build", "-p", "xtask"]);
    assert!(
        build.ok,
        "building xtask in the first checkout failed:\n{}",
        build.stderr
    );

    let spec = second.join(DEFAULT_SPEC);
    let text = std::fs::read_to_string(&spec).unwrap_or_else(|e| panic!("reading the spec: {e}"));
    let edited = text.replacen(
        "\n  schemas:\n",
        "\n  schemas:\n    IssueTenMarker:\n      type: object\n      properties:\n        marker: {type: string}\n",
        1,
    );
    assert_ne!(
        edited, text,
        "{DEFAULT_SPEC} has no `components: schemas:` to add a model to"
    );
    std::fs::write(&spec, edited).unwrap_or_else(|e| panic!("editing the spec: {e}"));

    let run = cargo(&second, &shared_target, &["xtask", "codegen"]);
    assert!(
        run.ok,
        "cargo xtask codegen in the second checkout failed:\n{}",
        run.stderr
    );
    // The scenario needs the binary built in the first checkout: were it rebuilt here, the
    // test would pass whatever the tool does.
    assert!(
        !run.stderr.contains("Compiling xtask"),
        "cargo rebuilt xtask in the second checkout, so the scenario was not reproduced:\n{}",
        run.stderr
    );
    let out = second.join(DEFAULT_OUT);
    assert!(
        run.stdout.contains(&spec.display().to_string())
            && run.stdout.contains(&out.display().to_string()),
        "the summary line does not name the second checkout's spec and crate: {}",
        run.stdout
    );
    let models = |checkout: &Path| {
        std::fs::read_to_string(checkout.join(DEFAULT_OUT).join("src/models.rs"))
            .unwrap_or_else(|e| panic!("reading models.rs: {e}"))
    };
    assert!(
        models(&second).contains("pub struct IssueTenMarker"),
        "the second checkout's crate was not regenerated from its spec"
    );
    assert_eq!(
        models(&first),
        std::fs::read_to_string(root.join(DEFAULT_OUT).join("src/models.rs"))
            .unwrap_or_else(|e| panic!("reading models.rs: {e}")),
        "the first checkout's crate changed"
    );
}

/// What a finished cargo run said.
struct Outcome {
    ok: bool,
    stdout: String,
    stderr: String,
}

/// Runs cargo in `checkout` with `target` as its target directory, offline, bounded in time.
fn cargo(checkout: &Path, target: &Path, args: &[&str]) -> Outcome {
    const LIMIT: Duration = Duration::from_secs(10 * 60);
    let logs = target.join("logs");
    std::fs::create_dir_all(&logs).unwrap_or_else(|e| panic!("creating {}: {e}", logs.display()));
    let (stdout_path, stderr_path) = (logs.join("stdout"), logs.join("stderr"));
    let file = |path: &Path| {
        std::fs::File::create(path).unwrap_or_else(|e| panic!("creating {}: {e}", path.display()))
    };
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut child = Command::new(cargo)
        .args(args)
        .current_dir(checkout)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_NET_OFFLINE", "true")
        // What the outer `cargo test` set describes this checkout, not the scratch ones.
        .env_remove("CARGO_MANIFEST_DIR")
        .stdin(Stdio::null())
        .stdout(file(&stdout_path))
        .stderr(file(&stderr_path))
        .spawn()
        .unwrap_or_else(|e| panic!("starting cargo: {e}"));
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() < LIMIT => std::thread::sleep(Duration::from_millis(100)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
        }
    };
    let read = |path: &Path| std::fs::read_to_string(path).unwrap_or_default();
    let mut stderr = read(&stderr_path);
    if status.is_none() {
        stderr.push_str(&format!("\n(killed after {} s)", LIMIT.as_secs()));
    }
    Outcome {
        ok: status.is_some_and(|s| s.success()),
        stdout: read(&stdout_path),
        stderr,
    }
}

/// Copies the checkout at `from` to `to`, without `.git/` and cargo target directories (the
/// top-level `target/`, and any directory tagged `CACHEDIR.TAG`, such as a `CARGO_TARGET_DIR`
/// inside the tree that holds these copies), keeping file times: a fresh `git clone` or
/// `git worktree add` also gives files older than any later build.
fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        std::fs::create_dir_all(to.join(&rel))?;
        for entry in std::fs::read_dir(from.join(&rel))? {
            let entry = entry?;
            let name = entry.file_name();
            if rel.as_os_str().is_empty() && (name == "target" || name == ".git") {
                continue;
            }
            let kind = entry.file_type()?;
            if kind.is_dir() && entry.path().join("CACHEDIR.TAG").exists() {
                continue;
            }
            if kind.is_dir() {
                stack.push(rel.join(&name));
            } else if kind.is_file() {
                let target = to.join(&rel).join(&name);
                std::fs::copy(entry.path(), &target)?;
                let modified = entry.metadata()?.modified()?;
                std::fs::File::options()
                    .write(true)
                    .open(&target)?
                    .set_modified(modified)?;
            }
        }
    }
    Ok(())
}
