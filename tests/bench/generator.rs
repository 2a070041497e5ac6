//! Generator figures: the generation step alone (in process, tool already built), the lines it
//! emits, and the generated crate's build and `cargo check` times from warm dependencies.

use std::path::Path;
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

/// Generates the crate from `spec` `runs` times (after one untimed run).
pub fn measure_generation(spec: &Path, runs: usize) -> Result<GeneratorFigures, String> {
    let files = xtask::codegen::generate(spec).map_err(|e| e.to_string())?;
    let lines = files.values().map(|text| text.lines().count()).sum();
    let mut ms = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        let out = xtask::codegen::generate(spec).map_err(|e| e.to_string())?;
        ms.push(start.elapsed().as_secs_f64() * 1e3);
        std::hint::black_box(out);
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

/// `cargo clean -p cld-provisioning` then a timed `cargo <subcommand> -p cld-provisioning`
/// with `CARGO_INCREMENTAL=0`, `runs` times: the generated crate alone, its dependencies warm.
pub fn measure_cargo(workspace: &Path, subcommand: &str, runs: usize) -> Result<Summary, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let run = |args: &[&str]| -> Result<Duration, String> {
        let start = Instant::now();
        let status = Command::new(&cargo)
            .args(args)
            .current_dir(workspace)
            .env("CARGO_INCREMENTAL", "0")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map_err(|e| format!("cargo {}: {e}", args.join(" ")))?;
        if !status.success() {
            return Err(format!("cargo {} failed ({status})", args.join(" ")));
        }
        Ok(start.elapsed())
    };
    // Dependencies warm first, so the timed runs only compile the generated crate.
    run(&[subcommand, "-q", "-p", "cld-provisioning"])?;
    let mut seconds = Vec::with_capacity(runs);
    for _ in 0..runs {
        run(&["clean", "-q", "-p", "cld-provisioning"])?;
        seconds.push(run(&[subcommand, "-q", "-p", "cld-provisioning"])?.as_secs_f64());
    }
    Ok(Summary::of(&seconds))
}
