//! The SDK against a raw `reqwest` + `serde_json` client, side by side on a loopback server,
//! plus the generator's own figures (issue 7).
//!
//! ```text
//! cargo bench -p workspace-tests --bench sdk_vs_raw              # full run, rewrites BENCHMARKS.md
//! cargo test -p workspace-tests --bench sdk_vs_raw -- --quick    # CI smoke test: runs and decodes
//! ```
//!
//! The binary plays three roles: the parent (orchestrates and reports), `--serve` (the hyper
//! server, a child process pinned to core 0) and `--child ...` (one client workload, a child
//! process pinned to core 1, so its peak memory and CPU time are its own).

#![forbid(unsafe_code)]

mod child;
mod clients;
mod fixtures;
mod generator;
mod processes;
mod report;
mod runs;
mod server;
mod stats;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("--serve") => server::serve(),
        Some("--child") => child::Plan::from_args(&args[1..]).and_then(child::run),
        _ => parent_role(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sdk_vs_raw: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The repository root (the test crate lives in `tests/`).
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

fn parent_role(args: &[String]) -> Result<(), String> {
    // `cargo bench` passes `--bench`; anything else unknown is a mistake worth stopping on.
    let mut quick = false;
    let mut build_times = true;
    for a in args {
        match a.as_str() {
            "--quick" => quick = true,
            "--no-build-times" => build_times = false,
            "--bench" => {}
            other => {
                return Err(format!(
                    "unknown argument `{other}` (expected --quick or --no-build-times)"
                ));
            }
        }
    }
    let root = workspace_root();
    let config = if quick {
        runs::Config::quick()
    } else {
        runs::Config::full()
    };
    let results = runs::run_all(&config)?;
    let spec = root.join("openapi/cld-provisioning.yaml");
    let mut generator =
        generator::measure_generation(&root, &spec, config.generation_runs, !quick)?;
    if quick {
        report::print_summary(&results, &generator);
        println!("quick mode: every workload ran and decoded in full; nothing written");
        return Ok(());
    }
    if build_times {
        eprintln!("timing cargo build / check of the generated crate...");
        generator.build_s = Some(generator::measure_cargo(&root, "build", 3)?);
        generator.check_s = Some(generator::measure_cargo(&root, "check", 3)?);
        generator.build_runs = 3;
    }
    report::print_summary(&results, &generator);
    report::write(&root, &results, &generator)
}
