//! Which checkout the command acts on, found at run time.
//!
//! Never a path compiled into the binary: cargo treats an xtask built in one checkout as fresh
//! in another that shares its target directory (issue 10), so a compiled-in path would make
//! `cargo xtask codegen` in checkout B read and write checkout A. The root is the nearest
//! directory, walking up, whose `Cargo.toml` has a `[workspace]` table, starting from the
//! `CARGO_MANIFEST_DIR` that cargo sets in the environment of `cargo run` / `cargo test`
//! (so `cargo --manifest-path` and `cargo xtask` from any subdirectory mean the right
//! checkout), or else from the current directory (the binary run by hand).

use std::path::{Path, PathBuf};

/// The root of the workspace this process acts on, or why none was found.
pub fn root() -> Result<PathBuf, String> {
    if let Some(manifest_dir) = std::env::var_os("CARGO_MANIFEST_DIR") {
        let start = PathBuf::from(manifest_dir);
        return find_root(&start).ok_or_else(|| {
            format!(
                "no workspace Cargo.toml (one with [workspace]) in {} or above (from CARGO_MANIFEST_DIR)",
                start.display()
            )
        });
    }
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    find_root(&cwd).ok_or_else(|| {
        format!(
            "no workspace Cargo.toml (one with [workspace]) in {} or above: run inside the checkout, or pass --spec and --out",
            cwd.display()
        )
    })
}

/// The nearest directory at or above `start` whose `Cargo.toml` declares a workspace.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| {
            std::fs::read_to_string(dir.join("Cargo.toml"))
                .is_ok_and(|manifest| declares_workspace(&manifest))
        })
        .map(Path::to_path_buf)
}

/// Whether a manifest has a `[workspace]` table (or a `[workspace.*]` one), read line by line:
/// a member's manifest mentions `workspace = true` in its keys, never as a table header.
fn declares_workspace(manifest: &str) -> bool {
    manifest.lines().any(|line| {
        line.trim_start()
            .strip_prefix("[workspace")
            .is_some_and(|rest| rest.starts_with(']') || rest.starts_with('.'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workspace_tables_are_recognised() {
        assert!(declares_workspace("[workspace]\nmembers = []\n"));
        assert!(declares_workspace("[package]\n\n  [workspace.package]\n"));
        assert!(!declares_workspace(
            "[package]\nedition.workspace = true\n[dependencies]\nx = { workspace = true }\n"
        ));
        assert!(!declares_workspace("[workspaces]\n"));
    }

    #[test]
    fn the_root_is_found_from_a_member_and_from_below_it() {
        let dir = std::env::temp_dir().join(format!("xtask-root-{}", std::process::id()));
        let member = dir.join("xtask/src");
        std::fs::create_dir_all(&member).expect("scratch dir");
        std::fs::write(dir.join("Cargo.toml"), "[workspace]\n").expect("root manifest");
        std::fs::write(dir.join("xtask/Cargo.toml"), "[package]\nname = \"x\"\n")
            .expect("member manifest");
        assert_eq!(find_root(&member).as_deref(), Some(dir.as_path()));
        assert_eq!(
            find_root(&dir.join("xtask")).as_deref(),
            Some(dir.as_path())
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
