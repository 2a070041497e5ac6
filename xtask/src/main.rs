//! `cargo xtask codegen [--check] [--strict] [--verbose] [--spec PATH] [--out DIR]`: generates
//! `crates/cld-provisioning` from `openapi/cld-provisioning.yaml`.

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str =
    "usage: cargo xtask codegen [--check] [--strict] [--verbose] [--spec PATH] [--out DIR]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<(), String> {
    let Some((command, rest)) = args.split_first() else {
        return Err(USAGE.to_string());
    };
    if command != "codegen" {
        return Err(format!("unknown command {command:?}\n{USAGE}"));
    }
    let root = xtask::codegen::workspace_root();
    let mut options = xtask::codegen::Options {
        spec: root.join(xtask::codegen::DEFAULT_SPEC),
        out: root.join(xtask::codegen::DEFAULT_OUT),
        check: false,
        verbose: false,
        strict: false,
    };
    let mut it = rest.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--check" => options.check = true,
            "--strict" => options.strict = true,
            "--verbose" | "-v" => options.verbose = true,
            "--spec" => options.spec = PathBuf::from(it.next().ok_or("--spec needs a path")?),
            "--out" => options.out = PathBuf::from(it.next().ok_or("--out needs a directory")?),
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    xtask::codegen::run(&options)
}
