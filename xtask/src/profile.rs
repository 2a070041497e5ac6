//! The generator's configuration for one API: every string that is about Cloudinary rather
//! than about OpenAPI or Rust (secret property names, the runtime crate, the environment
//! variables, crates.io keywords, the vendor's name in docs) lives in [`PROFILE`], so the
//! lowering and the emitters hold no vendor literal.
//!
//! A `const` in code rather than a file next to the spec: each value is bound to the
//! hand-written runtime (`from_env` reads those variables, the runtime crate has that name, its
//! error envelope is Cloudinary's), so it changes only together with Rust code, in the same
//! review; a file beside the spec would suggest that a spec author can change it alone, and
//! would bring parsing and its errors for no gain. A second API would get a second `const`.

/// What the generator needs to know about the API family it generates for.
#[derive(Debug)]
pub struct Profile {
    /// The vendor, as docs name it (`the Cloudinary error envelope`).
    pub vendor: &'static str,
    /// Property names whose string values are credentials: they become `SecretString`s,
    /// never printed.
    pub secret_properties: &'static [&'static str],
    /// The hand-written runtime's package name (its crate name has `_` for `-`).
    pub runtime_package: &'static str,
    /// crates.io keywords of the generated package.
    pub keywords: &'static [&'static str],
    /// The environment variables the runtime's `from_env` reads, for the generated docs.
    pub env: EnvVars,
}

/// The environment variables of `Client::from_env`.
#[derive(Debug)]
pub struct EnvVars {
    /// The whole configuration as one URL (`account://KEY:SECRET@ACCOUNT_ID`).
    pub account_url: &'static str,
    /// The API key alone.
    pub api_key: &'static str,
    /// The API secret alone.
    pub api_secret: &'static str,
    /// The account id alone.
    pub account_id: &'static str,
}

/// Cloudinary's Account Provisioning API: the profile every generation uses.
pub const PROFILE: Profile = Profile {
    vendor: "Cloudinary",
    secret_properties: &[
        "api_secret",
        "secret",
        "provisioning_api_secret",
        "api_environment_variable",
    ],
    runtime_package: "cld-provisioning-runtime",
    keywords: &["cloudinary", "provisioning", "sdk", "api"],
    env: EnvVars {
        account_url: "CLOUDINARY_ACCOUNT_URL",
        api_key: "CLOUDINARY_PROVISIONING_API_KEY",
        api_secret: "CLOUDINARY_PROVISIONING_API_SECRET",
        account_id: "CLOUDINARY_ACCOUNT_ID",
    },
};

impl Profile {
    /// The runtime's crate name, as Rust code names it.
    pub fn runtime_crate(&self) -> String {
        self.runtime_package.replace('-', "_")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    /// The runtime's sources (a bounded walk: the crate is a few dozen files).
    fn runtime_sources() -> String {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join("crates")
            .join(PROFILE.runtime_package)
            .join("src");
        let mut dirs: Vec<PathBuf> = vec![root];
        let mut text = String::new();
        let mut seen = 0;
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("the runtime's sources") {
                let path = entry.expect("a directory entry").path();
                seen += 1;
                assert!(seen < 1_000, "runtime source tree unexpectedly large");
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    text.push_str(&std::fs::read_to_string(&path).expect("a source file"));
                }
            }
        }
        text
    }

    #[test]
    fn the_environment_variables_are_the_ones_the_runtime_reads() {
        let sources = runtime_sources();
        let e = &PROFILE.env;
        for name in [e.account_url, e.api_key, e.api_secret, e.account_id] {
            assert!(
                sources.contains(&format!("\"{name}\"")),
                "{name} is not in the runtime"
            );
        }
    }

    #[test]
    fn the_runtime_crate_is_a_workspace_dependency_and_an_identifier() {
        let manifest = include_str!("../../Cargo.toml");
        assert!(
            manifest.contains(&format!("\n{} = ", PROFILE.runtime_package)),
            "{} is not a workspace dependency",
            PROFILE.runtime_package
        );
        assert!(syn::parse_str::<syn::Ident>(&PROFILE.runtime_crate()).is_ok());
    }
}
