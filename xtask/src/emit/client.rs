//! The crate frame: `Cargo.toml`, `src/lib.rs` and `src/client.rs`.

use super::EmitConfig;
use super::types::rt;
use crate::error::printable;
use crate::ir::Api;
use crate::naming::reserved::{BUILDER, CLIENT, CORE, FROM_ENV, ident};
use crate::profile::PROFILE;
use proc_macro2::TokenStream;
use quote::quote;

/// The generated package manifest. Dependencies come from the workspace, so fixture crates
/// and the real crate resolve the same versions.
pub fn cargo_toml(api: &Api, config: &EmitConfig, header: &str) -> String {
    let version = match build_metadata(&api.version) {
        Some(meta) => format!("version = \"{}+{meta}\"", config.crate_version),
        None => format!(
            "# info.version has no character allowed in build metadata ([0-9A-Za-z-]), so the\n# version carries none.\nversion = \"{}\"",
            config.crate_version
        ),
    };
    let description = toml_string(&format!(
        "Rust client for the {}, generated from its OpenAPI description.",
        one_line(&api.title)
    ));
    format!(
        r#"# {header}

[package]
name = "{package}"
{version}
description = {description}
edition.workspace = true
rust-version.workspace = true
license.workspace = true
keywords = [{keywords}]
categories = ["api-bindings", "web-programming::http-client"]

[features]
default = ["rustls"]
# TLS through rustls (the default).
rustls = ["{runtime}/rustls"]
# TLS through the platform's native library.
native-tls = ["{runtime}/native-tls"]
# `ClientBuilder::http_client`, which takes a `reqwest::Client` of this reqwest version.
reqwest-0_13 = ["{runtime}/reqwest-0_13"]
# Conversions of `Date` and `DateTime` to and from the `time` crate's types.
time = ["{runtime}/time"]
# Conversions of `Date` and `DateTime` to and from the `chrono` crate's types.
chrono = ["{runtime}/chrono"]

[dependencies]
{runtime} = {{ workspace = true }}
futures-core = {{ workspace = true }}
serde = {{ workspace = true }}
serde_json = {{ workspace = true }}
"#,
        package = config.package,
        keywords = PROFILE
            .keywords
            .iter()
            .map(|k| toml_string(k))
            .collect::<Vec<_>>()
            .join(", "),
        runtime = PROFILE.runtime_package,
    )
}

/// `info.version` as semver build metadata: its runs of `[0-9A-Za-z-]` joined by dots
/// (`1.0 (draft)` -> `1.0.draft`), or `None` when it has none. Empty identifiers are invalid
/// semver, and cargo rejects the manifest.
fn build_metadata(version: &str) -> Option<String> {
    let identifiers: Vec<&str> = version
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|part| !part.is_empty())
        .collect();
    (!identifiers.is_empty()).then(|| identifiers.join("."))
}

/// Spec text on one line: runs of whitespace (newlines too) become one space, and characters
/// that are unsafe in comments are escaped.
fn one_line(text: &str) -> String {
    printable(&text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// A TOML basic string: quotes, backslashes and every control character escaped.
fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub fn lib_rs(api: &Api, config: &EmitConfig) -> TokenStream {
    let title = format!(
        " A Rust client for the {} (API version {}).",
        one_line(&api.title),
        one_line(&api.version)
    );
    let groups = api.groups.iter().map(|g| {
        let line = format!(
            " - [`Client::{}`] ({} operation{})",
            g.module.bare(),
            g.operations.len(),
            if g.operations.len() == 1 { "" } else { "s" }
        );
        quote!(#![doc = #line])
    });
    let crate_name = config.package.replace('-', "_");
    // The example calls the first group's first simple operation, so it fits any spec.
    let call = api
        .groups
        .iter()
        .find_map(|g| super::operations::usage_line(api, g, &crate_name));
    let mut example_lines = vec![
        " ```no_run".to_string(),
        " # async fn example() -> Result<(), Box<dyn std::error::Error>> {".to_string(),
        format!(
            " // {}=account://KEY:SECRET@ACCOUNT_ID, or the individual variables.",
            PROFILE.env.account_url
        ),
        format!(" let client = {crate_name}::Client::from_env()?;"),
    ];
    if let Some((line, has_value)) = call {
        example_lines.push(format!(" {line}"));
        if has_value {
            example_lines.push(" println!(\"{response:?}\");".to_string());
        }
    }
    example_lines.extend([
        " # Ok(())".to_string(),
        " # }".to_string(),
        " ```".to_string(),
    ]);
    // One attribute per line: prettyplease prints those as `//!` lines, as rustfmt keeps them.
    let example = example_lines.iter().map(|l| quote!(#![doc = #l]));
    let guide = crate_guide().into_iter().map(|l| quote!(#![doc = #l]));
    let rt = super::types::rt_crate();
    let recursion_limit = recursion_limit(api);
    quote! {
        #![doc = #title]
        #![doc = ""]
        #![doc = " Make a [`Client`] (from the environment or with [`Client::builder`]), pick a"]
        #![doc = " resource group, build a request and send it:"]
        #![doc = ""]
        #(#example)*
        #![doc = ""]
        #![doc = " Resource groups:"]
        #(#groups)*
        #(#guide)*
        #![forbid(unsafe_code)]
        #recursion_limit

        #[rustfmt::skip]
        mod client;
        #[rustfmt::skip]
        pub mod models;
        #[rustfmt::skip]
        pub mod operations;

        // The re-exports live in the `client` module: rustfmt formats the crate root, and
        // two short `use` lines in its own order leave it nothing to change.
        /// The hand-written runtime this crate is built on.
        pub use #rt as runtime;
        pub use client::*;
    }
}

/// The crate root's guide to what every generated crate shares (errors, retries, pagination,
/// secrets, logging, features), one doc line each. It names only the root's re-exports, so its
/// links resolve in every crate.
fn crate_guide() -> Vec<String> {
    let logging = format!(
        " `{}`) and never installs a subscriber: add one, such as",
        PROFILE.runtime_crate()
    );
    let mut lines: Vec<String> = CRATE_GUIDE_HEAD.iter().map(|l| l.to_string()).collect();
    lines.push(logging);
    lines.extend(CRATE_GUIDE_TAIL.iter().map(|l| l.to_string()));
    lines
}

/// The guide up to the line that names the runtime's logging target.
const CRATE_GUIDE_HEAD: &[&str] = &[
    "",
    " # Errors",
    "",
    " `send` returns `Result<T, Error<E>>`, `E` being the operation's error enum. [`Error`] says",
    " what happened: `Build` (nothing was sent), `Transport`, `Timeout`, `Api` (a documented error",
    " status, with its typed body), `UnexpectedStatus` and `Decode`; `kind()`, `status()`,",
    " `request_id()` and `is_retryable()` answer the usual questions. `?` turns any operation's",
    " error into the plain [`Error`], whose typed body is still reachable with `downcast`.",
    "",
    " # Retries and time",
    "",
    " Idempotent operations are retried on throttling, 5xx statuses, timeouts and broken",
    " connections; the others only when they provably never left, or were throttled",
    " ([`RetryConfig`]). Each attempt has a timeout, the whole call may have one, retries draw",
    " on a client-wide [`RetryQuota`], and a body that trickles fails early",
    " ([`StalledStreamProtection`]).",
    "",
    " # Pagination",
    "",
    " Operations that list in pages have `into_stream()`, every item ([`Items`]), and",
    " `into_pages()`, every page ([`Pages`]): nameable streams with an inherent `next().await`",
    " and `try_collect().await`, bounded in pages.",
    "",
    " # Secrets and logging",
    "",
    " Secrets ([`SecretString`] fields, configured credentials, the `Authorization` header, and",
    " the same values echoed by a server) print as `***` in `Debug`, `Display`, errors and logs.",
    " The crate logs requests and responses through `tracing` (target",
];

/// The guide after the line that names the runtime's logging target.
const CRATE_GUIDE_TAIL: &[&str] = &[
    " `tracing-subscriber`, in your binary to see them.",
    "",
    " # Features",
    "",
    " `rustls` (default) or `native-tls` picks the TLS library; `time` and `chrono` add",
    " conversions between this crate's dates and theirs; `reqwest-0_13` adds",
    " `ClientBuilder::http_client`, which takes a `reqwest::Client` of that version. A Tokio",
    " runtime is required. The minimum supported Rust version is the `rust-version` of the",
    " crate's manifest.",
];

pub fn client_rs(api: &Api, crate_name: &str) -> TokenStream {
    let rt = rt();
    let unauthenticated: Vec<String> = api
        .groups
        .iter()
        .flat_map(|g| g.operations.iter().map(move |o| (g, o)))
        .filter(|(_, o)| o.auth != crate::ir::Auth::Required)
        .map(|(g, o)| format!("`{}().{}()`", g.module.as_str(), o.method_name.as_str()))
        .collect();
    let auth_note = if unauthenticated.is_empty() {
        "Every operation authenticates with the configured credentials.".to_string()
    } else {
        format!(
            "Credentials are only needed by operations that authenticate; these work without them: {}.",
            unauthenticated.join(", ")
        )
    };
    let example = format!(
        "```no_run\n# fn example() -> Result<(), {crate_name}::ConfigError> {{\nuse std::time::Duration;\n\nlet client = {crate_name}::Client::builder()\n    .credentials(\"api-key\", \"api-secret\")\n    .account_id(\"account-id\")\n    .region({crate_name}::Region::ApiEu)\n    .timeout(Duration::from_secs(30))\n    .user_agent_suffix(\"my-platform/1.2\")\n    .build()?;\n// Clones are cheap and share the connection pool.\nlet for_a_task = client.clone();\n# drop(for_a_task);\n# Ok(())\n# }}\n```"
    );
    let client_doc = super::docs::doc_attrs(&[
        "A client for the API. Cheap to clone: clones share one configuration and one connection pool, which is released when the last clone is dropped.",
        &auth_note,
    ]);
    let client_example = super::docs::raw_doc(&example);
    let schema_version = &api.version;
    let env = &PROFILE.env;
    let from_env_doc = super::docs::own_doc(&[&format!(
        "A client configured from `{}` and the individual\n`{}`, `{}` and\n`{}` variables (which win over the URL, field by field).",
        env.account_url, env.api_key, env.api_secret, env.account_id
    )]);
    let security_call = super::security::builder_call(api);
    let security_items = super::security::client_items(api, crate_name);
    let client = ident(CLIENT);
    let accessors = api.groups.iter().map(|g| {
        let m = &g.module;
        let t = &g.type_name;
        let doc = format!(" The `{}` operations.", m.bare());
        quote! {
            #[doc = #doc]
            pub fn #m(&self) -> crate::operations::#m::#t<'_> {
                crate::operations::#m::#t { #client: self }
            }
        }
    });
    let core = ident(CORE);
    let (builder, from_env) = (ident(BUILDER), ident(FROM_ENV));
    quote! {
        //! The client: configuration, the shared connection pool, and the resource groups.
        //! Also the runtime types users need, re-exported at the crate root.

        pub use #rt::{
            AfterResponse, AnyOperationError, AttemptFailure, BeforeSend, BuildError, CallOptions,
            Classifier, ConfigError, Credentials, CredentialsError, CredentialsProvider, Date,
            DateConversionError, DateTime, Error, ErrorEnvelope, ErrorKind, ErrorMessage,
            Intercept, JsonError, Nullable, ProvideCredentials, Region, Response, RetryClass,
            RetryConfig, RetryQuota, SecretString, StalledStreamProtection, provide_credentials_fn,
        };
        // The payloads of `Error`'s variants, so each has a page in this crate's docs.
        pub use #rt::{ApiError, DecodeError, TimeoutError, TransportError, UnexpectedStatus};
        // What paginated operations return (`into_stream`, `into_pages`).
        pub use #rt::{Items, Pages};
        // What a `Classifier`'s function takes and answers.
        pub use #rt::retry::{Decision, Outcome, RetryReason};
        // What free-form model properties take (`serde_json::json!({..})`).
        pub use #rt::serde_json;

        /// The client builder; see [`Client::builder`].
        pub type ClientBuilder = #rt::ClientBuilder<Client>;

        const SDK_INFO: #rt::codegen::SdkInfo = #rt::codegen::SdkInfo {
            sdk_version: env!("CARGO_PKG_VERSION"),
            schema_version: #schema_version,
        };

        #security_items

        #client_doc
        #client_example
        #[derive(Debug, Clone)]
        pub struct Client {
            pub(crate) #core: #rt::codegen::Core,
        }

        impl From<#rt::codegen::Core> for Client {
            fn from(#core: #rt::codegen::Core) -> Self {
                Self { #core }
            }
        }

        impl Client {
            /// A builder for credentials, account id, server, timeouts, retries and headers.
            pub fn #builder() -> ClientBuilder {
                #rt::ClientBuilder::new(SDK_INFO)#security_call
            }

            #from_env_doc
            pub fn #from_env() -> Result<Self, #rt::ConfigError> {
                // `from_env` here is the runtime `ClientBuilder`'s.
                Self::#builder().from_env().build()
            }

            #(#accessors)*
        }
    }
}

/// `#![recursion_limit]` for specs whose types nest deeper than rustc follows by default:
/// computing a type's layout and drop rules walks its fields, and a chain of some hundred
/// schemas each holding the next exceeds the default of 128 (`queries overflow the depth
/// limit`). The limit grows with the deepest chain, so the crate compiles however deep the
/// spec nests; ordinary specs get no attribute.
fn recursion_limit(api: &Api) -> TokenStream {
    if api.type_depth <= 32 {
        return TokenStream::new();
    }
    let limit = (api.type_depth.saturating_mul(4).saturating_add(64))
        .max(256)
        .to_string();
    quote!(#![recursion_limit = #limit])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Our lowering of a one-operation spec with this `info` and this security.
    fn api(title: &str, version: &str, security: &str) -> Api {
        let spec = format!(
            "openapi: 3.0.3\ninfo: {{title: {title}, version: {version}}}\n{security}paths:\n  /ping:\n    get:\n      operationId: ping\n      responses:\n        '204': {{description: ok}}\n"
        );
        crate::lower::tests::lowered(&spec).0
    }

    fn config() -> EmitConfig {
        EmitConfig {
            package: "sample-sdk".into(),
            crate_version: "0.3.0".into(),
        }
    }

    #[test]
    fn build_metadata_joins_the_runs_of_semver_characters_with_dots() {
        assert_eq!(build_metadata("1.0 (draft)").as_deref(), Some("1.0.draft"));
        assert_eq!(build_metadata("v2-beta").as_deref(), Some("v2-beta"));
        assert_eq!(build_metadata("..a__b.."), Some("a.b".to_string()));
        assert_eq!(build_metadata("(+) ~"), None);
        assert_eq!(build_metadata(""), None);
    }

    #[test]
    fn toml_strings_escape_quotes_backslashes_and_control_characters_only() {
        assert_eq!(toml_string(r#"a "b" \c"#), r#""a \"b\" \\c""#);
        assert_eq!(
            toml_string("bell\u{7}tab\tnl\n"),
            r#""bell\u0007tab\u0009nl\u000A""#
        );
        assert_eq!(toml_string("café ✓"), "\"café ✓\"");
    }

    #[test]
    fn one_line_collapses_whitespace_runs() {
        assert_eq!(one_line("  The\n  Admin \t API \n"), "The Admin API");
    }

    #[test]
    fn the_manifest_carries_the_spec_version_as_build_metadata_and_an_escaped_description() {
        let toml = cargo_toml(
            &api("'Admin \"X\" API'", "'1.0 (draft)'", ""),
            &config(),
            "HEAD",
        );
        assert!(toml.starts_with("# HEAD\n"), "{toml}");
        assert!(toml.contains("name = \"sample-sdk\"\n"), "{toml}");
        assert!(toml.contains("\nversion = \"0.3.0+1.0.draft\"\n"), "{toml}");
        assert!(
            toml.contains(
                "description = \"Rust client for the Admin \\\"X\\\" API, generated from its OpenAPI description.\"\n"
            ),
            "{toml}"
        );
        assert!(!toml.contains("has no character allowed"), "{toml}");
    }

    #[test]
    fn a_version_without_semver_characters_gives_a_plain_version_and_says_why() {
        let toml = cargo_toml(&api("T", "'(?)'", ""), &config(), "HEAD");
        assert!(toml.contains("\nversion = \"0.3.0\"\n"), "{toml}");
        assert!(
            toml.contains("# info.version has no character allowed"),
            "{toml}"
        );
    }

    #[test]
    fn the_client_docs_name_the_operations_that_need_no_credentials() {
        let security = "components:\n  securitySchemes:\n    basic: {type: http, scheme: basic}\nsecurity: [{basic: []}]\n";
        let authenticated = client_rs(&api("T", "'1'", security), "sample").to_string();
        assert!(
            authenticated
                .contains("Every operation authenticates with the configured credentials."),
            "{authenticated}"
        );
        // The same operation, opted out of the global requirement.
        let spec = format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\n{security}paths:\n  /ping:\n    get:\n      operationId: ping\n      tags: [health]\n      security: []\n      responses:\n        '204': {{description: ok}}\n"
        );
        let open = client_rs(&crate::lower::tests::lowered(&spec).0, "sample").to_string();
        assert!(
            open.contains("these work without them: `health().ping()`."),
            "{open}"
        );
        assert!(!open.contains("Every operation authenticates"), "{open}");
        assert!(open.contains("sample::Client::builder()"), "{open}");
    }

    #[test]
    fn the_recursion_limit_appears_only_past_depth_32_and_grows_with_the_depth() {
        let mut api = api("T", "'1'", "");
        api.type_depth = 32;
        assert!(recursion_limit(&api).is_empty());
        api.type_depth = 33;
        assert_eq!(
            recursion_limit(&api).to_string(),
            quote!(#![recursion_limit = "256"]).to_string()
        );
        api.type_depth = 100;
        assert_eq!(
            recursion_limit(&api).to_string(),
            quote!(#![recursion_limit = "464"]).to_string()
        );
        assert!(
            lib_rs(&api, &config())
                .to_string()
                .contains("recursion_limit = \"464\"")
        );
    }

    #[test]
    fn the_crate_root_carries_the_guide_with_the_runtime_s_logging_target() {
        let lib = lib_rs(&api("T", "'1'", ""), &config()).to_string();
        for line in [
            "\" # Errors\"",
            "\" `send` returns `Result<T, Error<E>>`, `E` being the operation's error enum. [`Error`] says\"",
            &format!(
                "\" `{}`) and never installs a subscriber: add one, such as\"",
                PROFILE.runtime_crate()
            ),
        ] {
            assert!(lib.contains(line), "{line}\nnot in\n{lib}");
        }
        // The guide's lines keep their order: the logging line comes after the errors heading.
        let errors = lib.find("\" # Errors\"").unwrap_or(usize::MAX);
        let logging = lib.find("never installs a subscriber").unwrap_or(0);
        assert!(errors < logging, "{lib}");
    }
}
