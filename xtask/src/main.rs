//! `cargo xtask codegen [--check] [--strict] [--verbose] [--spec PATH] [--out DIR]`: generates
//! `crates/cld-provisioning` from `openapi/cld-provisioning.yaml`.
//! `cargo xtask fixtures [--out DIR]`: writes every fixture spec as a crate of one scratch
//! workspace, for `.ci/test` to build, document and doc-test.

#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::ExitCode;

/// The generator allocates and frees many small objects (token trees, syn nodes, strings):
/// with glibc's allocator, malloc and free were about 30% of the emitting threads'
/// instructions; mimalloc cuts the whole run's instructions by about a fifth (see BENCHMARKS.md).
/// Only the generator binary uses it: the SDK and the library build keep the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "\
usage: cargo xtask codegen [--check] [--strict] [--verbose] [--spec PATH] [--out DIR]
       cargo xtask fixtures [--out DIR]
       cargo xtask help

Generates the SDK crate from the OpenAPI spec of the checkout it is run in.

  --check      compare the crate with a fresh generation instead of writing it;
               fails with the diff when they differ
  --strict     treat warnings about the spec as errors
  --verbose    with --check, print the whole diff however long
  --spec PATH  the spec to read (default: openapi/cld-provisioning.yaml in the workspace)
  --out DIR    the crate directory to write (default: crates/cld-provisioning)
  -h, --help   print this help

`fixtures` writes every tests/fixtures/*.yaml (and ../shared's upstream spec when present) as
a crate of one scratch workspace (default: <target dir>/fixture-crates), with warnings denied;
build it with `cargo build --manifest-path <DIR>/Cargo.toml --workspace`.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(Some(summary)) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Ok(None) => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Runs the command line: `Ok(None)` when help was asked for, else the summary line.
fn run(args: &[String]) -> Result<Option<String>, String> {
    let Some((command, rest)) = args.split_first() else {
        return Err(format!("no command given\n{USAGE}"));
    };
    match command.as_str() {
        "codegen" => {}
        "fixtures" => return fixtures(rest),
        "help" | "-h" | "--help" => return Ok(None),
        other => return Err(format!("unknown command {other:?}\n{USAGE}")),
    }
    let mut spec = None;
    let mut out = None;
    let mut check = false;
    let mut verbose = false;
    let mut strict = false;
    let mut it = rest.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--check" => check = true,
            "--strict" => strict = true,
            "--verbose" | "-v" => verbose = true,
            "--spec" => spec = Some(PathBuf::from(it.next().ok_or("--spec needs a path")?)),
            "--out" => out = Some(PathBuf::from(it.next().ok_or("--out needs a directory")?)),
            "-h" | "--help" => return Ok(None),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    // The workspace is only looked for when a default is needed, so `--spec` and `--out`
    // work outside any checkout.
    let default = |relative: &str| -> Result<PathBuf, String> {
        xtask::workspace::root().map(|root| root.join(relative))
    };
    let options = xtask::codegen::Options {
        spec: spec.map_or_else(|| default(xtask::codegen::DEFAULT_SPEC), Ok)?,
        out: out.map_or_else(|| default(xtask::codegen::DEFAULT_OUT), Ok)?,
        check,
        verbose,
        strict,
    };
    xtask::codegen::run(&options).map(Some)
}

/// `cargo xtask fixtures [--out DIR]`.
fn fixtures(args: &[String]) -> Result<Option<String>, String> {
    let mut out = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--out" => out = Some(PathBuf::from(it.next().ok_or("--out needs a directory")?)),
            "-h" | "--help" => return Ok(None),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    let root = xtask::workspace::root()?;
    let out = match out {
        Some(dir) => dir,
        None => target_dir(&root).join("fixture-crates"),
    };
    let specs = xtask::fixture_workspace::fixture_specs(&root)?;
    let packages = xtask::fixture_workspace::write(&root, &out, &specs)?;
    Ok(Some(format!(
        "fixtures: wrote {} crate(s) into {}",
        packages.len(),
        out.display()
    )))
}

/// `CARGO_TARGET_DIR` when set (relative to the root), else `<root>/target`.
fn target_dir(root: &std::path::Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR").filter(|d| !d.is_empty()) {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}
