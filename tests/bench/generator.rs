//! Generator figures: the generation step alone (the `xtask` binary, already built), the lines it
//! emits, and the generated crate's build and `cargo check` times from warm dependencies.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::stats::Summary;

/// What the generator figures came to.
pub struct GeneratorFigures {
    /// Milliseconds per generation of our spec.
    pub generate_ms: Summary,
    pub runs: usize,
    pub files: usize,
    pub lines: usize,
    /// Seconds for `cargo build` / `cargo check -p cld-provisioning`, when measured.
    pub build_s: Option<Summary>,
    pub check_s: Option<Summary>,
    pub build_runs: usize,
}

/// Times the generator as users run it: the `xtask` binary (built first, `release` or the
/// dev profile) running `codegen --check` on our spec `runs` times after one untimed run,
/// each time reading the milliseconds it prints (reading the spec to comparing the files;
/// process start-up excluded). The files and lines come from one in-process generation.
pub fn measure_generation(
    workspace: &Path,
    spec: &Path,
    runs: usize,
    release: bool,
) -> Result<GeneratorFigures, String> {
    let files = xtask::codegen::generate(spec).map_err(|e| e.to_string())?;
    let lines = files.values().map(|text| text.lines().count()).sum();
    let xtask = build_xtask(workspace, release)?;
    let mut ms = Vec::with_capacity(runs);
    for run in 0..=runs {
        let took = codegen_check_ms(&xtask, workspace, spec)?;
        if run > 0 {
            ms.push(took);
        }
    }
    Ok(GeneratorFigures {
        generate_ms: Summary::of(&ms),
        runs,
        files: files.len(),
        lines,
        build_s: None,
        check_s: None,
        build_runs: 0,
    })
}

/// Builds the generator binary and returns its path (in `CARGO_TARGET_DIR` when set).
fn build_xtask(workspace: &Path, release: bool) -> Result<PathBuf, String> {
    let mut args = vec!["build", "-q", "-p", "xtask"];
    if release {
        args.push("--release");
    }
    cargo(workspace, &args, &[])?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| workspace.join("target"), PathBuf::from);
    let profile = if release { "release" } else { "debug" };
    Ok(target.join(profile).join("xtask"))
}

/// Runs `cargo <args>` (the cargo running the benchmark) in `workspace` with `env` set, and
/// returns how long it took; a failure is an error carrying what cargo printed to stderr.
fn cargo(workspace: &Path, args: &[&str], env: &[(&str, &str)]) -> Result<Duration, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let start = Instant::now();
    let out = Command::new(&cargo)
        .args(args)
        .envs(env.iter().copied())
        .current_dir(workspace)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cargo {}: {e}", args.join(" ")))?;
    let took = start.elapsed();
    if !out.status.success() {
        return Err(format!(
            "cargo {} failed ({}): {}",
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(took)
}

/// One `xtask codegen --check` run, and the milliseconds it reports.
fn codegen_check_ms(xtask: &Path, workspace: &Path, spec: &Path) -> Result<f64, String> {
    let out = Command::new(xtask)
        .arg("codegen")
        .arg("--check")
        .arg("--spec")
        .arg(spec)
        .current_dir(workspace)
        .output()
        .map_err(|e| format!("{}: {e}", xtask.display()))?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!(
            "`xtask codegen --check` failed ({}): {text}{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    reported_ms(&text).ok_or_else(|| format!("no `N ms` in codegen's output: {text}"))
}

/// The `N ms` at the end of codegen's summary line.
fn reported_ms(output: &str) -> Option<f64> {
    let line = output.lines().find(|l| l.starts_with("codegen:"))?;
    let number = line
        .trim_end()
        .strip_suffix(" ms")?
        .rsplit([' ', ','])
        .next()?;
    number.parse().ok()
}

/// `cargo clean -p cld-provisioning` then a timed `cargo <subcommand> -p cld-provisioning`
/// with `CARGO_INCREMENTAL=0`, `runs` times: the generated crate alone, its dependencies warm.
pub fn measure_cargo(workspace: &Path, subcommand: &str, runs: usize) -> Result<Summary, String> {
    let run = |args: &[&str]| cargo(workspace, args, &[("CARGO_INCREMENTAL", "0")]);
    // Dependencies warm first, so the timed runs only compile the generated crate.
    run(&[subcommand, "-q", "-p", "cld-provisioning"])?;
    let mut seconds = Vec::with_capacity(runs);
    for _ in 0..runs {
        run(&["clean", "-q", "-p", "cld-provisioning"])?;
        seconds.push(run(&[subcommand, "-q", "-p", "cld-provisioning"])?.as_secs_f64());
    }
    Ok(Summary::of(&seconds))
}
