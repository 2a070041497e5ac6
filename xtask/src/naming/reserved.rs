//! The names generated code defines itself, which a [`Scope`](super::Scope) must never hand
//! out to a spec name: one list per scope, kept here next to the allocator. The tests below
//! read the names the emitter writes out of emitted code (and out of the runtime's source,
//! for what its macros and builder define), so a name the emitter starts to write that no
//! list reserves fails a test instead of a user's build.

/// Type names the generated crate uses itself; models are renamed around them. The prelude
/// names among them (`Option`, `Some`, `String`, `Into`, ...) are what lets generated code
/// write them unqualified: no generated type can shadow one.
pub const TYPES: &[&str] = &[
    "Client",
    "ClientBuilder",
    "Error",
    "ErrorKind",
    "Response",
    "Result",
    "Option",
    "Some",
    "None",
    "Ok",
    "Err",
    "Vec",
    "String",
    "Box",
    "Value",
    "Map",
    "Date",
    "DateTime",
    "Nullable",
    "SecretString",
    "RetryConfig",
    "Region",
    "Default",
    "Into",
    "IntoIterator",
    "From",
    "Self_",
];

// The members generated code defines, one constant per name: the lists below are built from
// them, and the emitter writes each of these names through its constant (turned into an
// identifier by [`ident`]), so a name cannot be written in one place and reserved in another.
// Names that the runtime's macros, derives or implemented traits (`from`) fix are plain
// strings in the lists; the tests check the macros' names against the runtime's source.

/// The `client` field of a request builder and of a group.
pub const CLIENT: &str = "client";
/// A request builder's per-call options field.
pub const OPTIONS: &str = "options";
/// A request builder's setter of the whole request body.
pub const BODY: &str = "body";
/// A request builder's `send` (the runtime's macro defines it; the emitter calls it).
pub const SEND: &str = "send";
/// A request builder's `send_with_metadata` (the runtime's macro defines it).
pub const SEND_WITH_METADATA: &str = "send_with_metadata";
/// A request builder's private `sent`, which builds the request for the runtime's `send`.
pub const SENT: &str = "sent";
/// A paginated request builder's item stream.
pub const INTO_STREAM: &str = "into_stream";
/// A paginated request builder's page stream.
pub const INTO_PAGES: &str = "into_pages";
/// A request builder's description of its operation (the runtime's macro defines it; the
/// emitter calls it).
pub const OPERATION_REQUEST: &str = "operation_request";
/// The `Client`'s engine field.
pub const CORE: &str = "core";
/// `Client::builder`.
pub const BUILDER: &str = "builder";
/// `Client::from_env`.
pub const FROM_ENV: &str = "from_env";

/// A reserved name as an identifier, for the emitter's `quote!`s.
pub fn ident(name: &str) -> proc_macro2::Ident {
    quote::format_ident!("{name}")
}

/// The `Client`'s own members, which group accessors must not take: its `core` field,
/// `builder` and `from_env`, and the methods of the traits it derives or implements
/// (`Clone`, `Debug`, `From<Core>`).
pub const CLIENT_MEMBERS: &[&str] = &[CORE, BUILDER, FROM_ENV, "clone", "fmt", "from"];

/// A group's own members, which operation methods must not take: its `client` field and the
/// methods of the traits it derives (`Clone`, `Debug`).
pub const GROUP_MEMBERS: &[&str] = &["clone", "clone_from", "fmt", CLIENT];

/// A request builder's own fields and methods (what the emitter writes and what the runtime's
/// `request_builder_methods!` expands to); parameters and body setters never take these.
pub const BUILDER_MEMBERS: &[&str] = &[
    CLIENT,
    OPTIONS,
    BODY,
    SEND,
    SEND_WITH_METADATA,
    SENT,
    INTO_STREAM,
    INTO_PAGES,
    "with_account_id",
    "with_timeout",
    "with_retry",
    "with_header",
    "with_operation_timeout",
    OPERATION_REQUEST,
    // Not written as builder members by the emitter: `clone` and `fmt` come from derives,
    // `request` is `sent`'s local, `new` and `raw` are kept out for safety.
    "new",
    "clone",
    "fmt",
    "request",
    "raw",
];

/// The reserved members the emitter never writes as members: what the runtime's macro, the
/// derives and the implemented traits define, and the names kept out for safety. Every
/// other member is written through its constant.
#[cfg(test)]
const NOT_EMITTED: &[&str] = &[
    "with_account_id",
    "with_timeout",
    "with_retry",
    "with_header",
    "with_operation_timeout",
    "new",
    "clone",
    "clone_from",
    "fmt",
    "from",
    "request",
    "raw",
];

/// The runtime `ClientBuilder`'s own methods: a generated setter of the same name would be
/// hidden by them (inherent methods win), so scheme setters never take these names. A test
/// checks the list against the runtime's source.
pub const CLIENT_BUILDER_METHODS: &[&str] = &[
    "new",
    "credentials",
    "credentials_provider",
    "security_schemes",
    "basic_credentials_for",
    "token_for",
    "token_provider_for",
    "client_credentials_for",
    "account_id",
    "region",
    "host",
    "base_url",
    "timeout",
    "operation_timeout",
    "interceptor",
    "retry_quota",
    "allow_insecure_http",
    "stalled_stream_protection",
    "connect_timeout",
    "default_header",
    "user_agent_suffix",
    "http_client",
    "retry",
    "sleep_impl",
    "from_env",
    "from_env_with",
    "build",
    "build_core",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Api;
    use std::collections::BTreeSet;

    /// A spec whose operations have nothing (no parameter, no body), a page parameter
    /// (paginated), and an object body: what remains of their builders after their setters
    /// is what the emitter writes itself.
    const SPEC: &str = "openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /plain:
    get:
      operationId: getPlain
      tags: [things]
      responses: {'204': {description: none}}
  /list:
    get:
      operationId: listThings
      tags: [things]
      parameters: [{name: page, in: query, schema: {type: integer}}]
      x-speakeasy-pagination:
        type: offsetLimit
        inputs: [{name: page, in: parameters, type: page}]
        outputs: {results: $.items}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {items: {type: array, items: {type: string}}}}
  /make:
    post:
      operationId: makeThing
      tags: [things]
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, properties: {name: {type: string}}}
      responses: {'204': {description: none}}
";

    fn emitted() -> (Api, Vec<syn::File>) {
        let (api, _) = crate::lower::tests::lowered(SPEC);
        let files = crate::emit::emit(
            &api,
            &crate::emit::EmitConfig {
                package: "t".into(),
                crate_version: "0.1.0".into(),
            },
        )
        .expect("emits");
        let parsed = files
            .iter()
            .filter(|(path, _)| path.ends_with(".rs"))
            .map(|(_, text)| syn::parse_file(text).expect("emitted Rust parses"))
            .collect();
        (api, parsed)
    }

    /// The field names of struct `ty` and the method names of its impls, across `files`.
    fn members(files: &[syn::File], ty: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for item in files.iter().flat_map(|f| &f.items) {
            match item {
                syn::Item::Struct(s) if s.ident == ty => {
                    out.extend(
                        s.fields
                            .iter()
                            .filter_map(|f| f.ident.as_ref().map(|i| i.to_string())),
                    );
                }
                syn::Item::Impl(i) if self_type_is(&i.self_ty, ty) => {
                    out.extend(i.items.iter().filter_map(|item| match item {
                        syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                        _ => None,
                    }));
                }
                _ => {}
            }
        }
        out
    }

    fn self_type_is(self_ty: &syn::Type, name: &str) -> bool {
        matches!(self_ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == name))
    }

    /// Every name of `found` that is neither `allocated` (handed out by the scope) nor
    /// `reserved`.
    fn unreserved(
        found: BTreeSet<String>,
        allocated: &BTreeSet<String>,
        reserved: &[&str],
    ) -> Vec<String> {
        found
            .into_iter()
            .filter(|n| !allocated.contains(n) && !reserved.contains(&n.as_str()))
            .collect()
    }

    /// The names lowering allocated in an operation's builder scope: parameters and every
    /// body setter, flag and slot.
    fn allocated_builder_names(op: &crate::ir::Operation) -> BTreeSet<String> {
        let mut names: Vec<&crate::naming::Ident> =
            op.params.iter().map(|p| &p.rust_name).collect();
        if let Some(body) = &op.body {
            names.extend(&body.whole_slot);
            names.extend(body.whole.iter().map(|w| &w.setter));
            if let Some(o) = &body.object {
                names.extend(
                    o.setters
                        .iter()
                        .flat_map(|s| std::iter::once(&s.setter).chain(&s.null_setter)),
                );
                names.extend(
                    o.form_setter
                        .iter()
                        .chain(&o.form_flag)
                        .chain(&o.presence_slot),
                );
                names.push(&o.extra_slot);
            }
        }
        names.into_iter().map(|n| n.bare().to_string()).collect()
    }

    /// The emitter's sources (`src/emit`), without their test modules and comments (prose
    /// names members in doc links such as `[`send`](Self::send)`).
    fn emitter_sources() -> Vec<(std::path::PathBuf, String)> {
        let mut dirs = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/emit")];
        let mut out = Vec::new();
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("src/emit reads") {
                let path = entry.expect("a directory entry").path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs")
                    && path.file_name().is_some_and(|n| n != "tests.rs")
                {
                    let text = std::fs::read_to_string(&path).expect("an emitter file reads");
                    let code = text.split("#[cfg(test)]").next().unwrap_or("");
                    let code = code
                        .lines()
                        .filter(|l| !l.trim_start().starts_with("//"))
                        .collect::<Vec<_>>()
                        .join("\n");
                    out.push((path, code));
                }
            }
        }
        out
    }

    /// Where `source` spells `name` as a member (defined, or reached through `self`/`Self`),
    /// with no identifier character right after it.
    fn spelled_as_member(source: &str, name: &str) -> Vec<String> {
        let after_ident = |rest: &str| rest.starts_with(|c: char| c.is_alphanumeric() || c == '_');
        ["fn ", "self.", "Self::"]
            .iter()
            .flat_map(|prefix| {
                let pattern = format!("{prefix}{name}");
                source
                    .match_indices(&pattern)
                    .filter(|(at, _)| !after_ident(&source[at + pattern.len()..]))
                    .map(|_| pattern.clone())
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    #[test]
    fn the_emitter_writes_the_reserved_members_through_their_constants() {
        let sources = emitter_sources();
        assert!(sources.len() > 10, "{} files", sources.len());
        let emitted: BTreeSet<&str> = [BUILDER_MEMBERS, CLIENT_MEMBERS, GROUP_MEMBERS]
            .concat()
            .into_iter()
            .filter(|n| !NOT_EMITTED.contains(n))
            .collect();
        assert!(
            emitted.contains(INTO_PAGES) && emitted.contains(CORE),
            "{emitted:?}"
        );
        let mut spelled = Vec::new();
        for (path, code) in &sources {
            for name in &emitted {
                for found in spelled_as_member(code, name) {
                    spelled.push(format!("{}: {found}", path.display()));
                }
            }
        }
        assert_eq!(spelled, Vec::<String>::new());
        // The check itself sees a spelled member.
        assert_eq!(
            spelled_as_member("pub fn into_pages(self) { self.into_pages_x }", INTO_PAGES),
            vec!["fn into_pages".to_owned()]
        );
    }

    #[test]
    fn every_name_the_emitter_gives_a_builder_is_reserved() {
        let (api, files) = emitted();
        let ops: Vec<_> = api.groups.iter().flat_map(|g| &g.operations).collect();
        assert_eq!(ops.len(), 3);
        assert!(ops.iter().any(|o| o.pagination.is_some()));
        for op in ops {
            let allocated = allocated_builder_names(op);
            let found = members(&files, op.builder.bare());
            // `client`, `options`, `send`: the builder really was found.
            assert!(found.len() >= 3, "{}: {found:?}", op.builder);
            assert_eq!(
                unreserved(found, &allocated, BUILDER_MEMBERS),
                Vec::<String>::new(),
                "{}",
                op.builder
            );
        }
    }

    /// The names of the methods defined with one of `prefixes` (`pub fn `) in the block of
    /// the runtime's `source` that starts at `start`, up to the first line that closes a
    /// top-level item.
    fn runtime_methods<'a>(source: &'a str, start: &str, prefixes: &[&str]) -> Vec<&'a str> {
        let from = source.find(start).unwrap_or_else(|| panic!("no {start}"));
        let block = &source[from..];
        let end = block.find("\n}\n").expect("its end");
        block[..end]
            .lines()
            .filter_map(|l| {
                let l = l.trim_start();
                prefixes.iter().find_map(|p| l.strip_prefix(p))
            })
            .filter_map(|rest| rest.split(['(', '<']).next())
            .collect()
    }

    #[test]
    fn every_method_of_the_runtime_builder_macro_is_reserved() {
        let source = include_str!("../../../crates/cld-provisioning-runtime/src/codegen.rs");
        // The macro expands in the generated crate, where even its private methods are
        // reachable, so they count too.
        let methods = runtime_methods(
            source,
            "macro_rules! request_builder_methods",
            &["pub fn ", "fn "],
        );
        assert!(methods.len() >= 5, "{methods:?}");
        for m in &methods {
            assert!(BUILDER_MEMBERS.contains(m), "{m} is not reserved");
        }
    }

    #[test]
    fn reserved_setters_match_the_runtime_builder() {
        let source = include_str!("../../../crates/cld-provisioning-runtime/src/config.rs");
        // Its private methods are no candidates for a call from the generated crate.
        let methods = runtime_methods(
            source,
            "impl<C: From<Core>> ClientBuilder<C> {",
            &["pub fn "],
        );
        assert!(methods.len() > 20, "{methods:?}");
        for m in &methods {
            assert!(CLIENT_BUILDER_METHODS.contains(m), "{m} is not reserved");
        }
    }

    #[test]
    fn every_member_the_emitter_gives_the_client_and_its_groups_is_reserved() {
        let (api, files) = emitted();
        let accessors: BTreeSet<String> = api
            .groups
            .iter()
            .map(|g| g.module.bare().to_string())
            .collect();
        let found = members(&files, "Client");
        assert!(found.contains("builder"), "{found:?}");
        assert_eq!(
            unreserved(found, &accessors, CLIENT_MEMBERS),
            Vec::<String>::new()
        );
        for g in &api.groups {
            let methods: BTreeSet<String> = g
                .operations
                .iter()
                .map(|o| o.method_name.bare().to_string())
                .collect();
            let found = members(&files, g.type_name.bare());
            assert!(found.contains("client"), "{found:?}");
            assert_eq!(
                unreserved(found, &methods, GROUP_MEMBERS),
                Vec::<String>::new()
            );
        }
    }
}
