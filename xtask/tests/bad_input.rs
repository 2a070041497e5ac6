//! Bad specs give a one-line error naming the file and the JSON pointer, a non-zero exit,
//! and leave an existing output directory exactly as it was.

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

fn scratch(name: &str) -> PathBuf {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let dir =
        std::env::temp_dir().join(format!("xtask-bad-input-{}-{n}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

const GOOD_OP: &str = r#"
  /things/{thing_id}:
    get:
      operationId: getThing
      parameters:
        - {name: thing_id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
"#;

fn spec(paths: &str, schemas: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:{paths}\ncomponents:\n  schemas:\n    Thing:\n      type: object\n      properties:\n        id: {{type: string}}\n{schemas}"
    )
}

/// Runs the generator on `text` into an output dir holding one sentinel file; returns
/// (exit success, stderr) and asserts the sentinel survived and nothing else appeared.
fn run(name: &str, text: &str) -> (bool, String) {
    let dir = scratch(name);
    let spec_path = dir.join("spec.yaml");
    std::fs::write(&spec_path, text).expect("write spec");
    let out = dir.join("out");
    std::fs::create_dir_all(&out).expect("out dir");
    std::fs::write(out.join("sentinel.txt"), "keep me").expect("sentinel");
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["codegen", "--spec"])
        .arg(&spec_path)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run xtask");
    let entries: Vec<_> = std::fs::read_dir(&out)
        .expect("read out")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(entries.len(), 1, "output dir changed: {entries:?}");
    assert_eq!(
        std::fs::read_to_string(out.join("sentinel.txt")).expect("sentinel"),
        "keep me"
    );
    let siblings: Vec<_> = std::fs::read_dir(&dir)
        .expect("read dir")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(siblings.len(), 2, "staging left behind: {siblings:?}");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).to_string(),
    )
}

fn assert_one_line_error(stderr: &str, file_and_pointer: &str, message: &str) {
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "expected one line, got: {stderr}");
    assert!(lines[0].starts_with("error: "), "{stderr}");
    assert!(
        lines[0].contains(file_and_pointer),
        "expected {file_and_pointer:?} in {stderr}"
    );
    assert!(
        lines[0].contains(message),
        "expected {message:?} in {stderr}"
    );
}

#[test]
fn invalid_yaml() {
    let (ok, err) = run("yaml", "openapi: 3.0.3\ninfo: {title: T\npaths: {}\n");
    assert!(!ok);
    // The text stops parsing at line 3 (`paths`); the message names the unclosed mapping.
    assert_one_line_error(&err, "spec.yaml#/paths: invalid YAML at line 3", "line 2");
}

#[test]
fn dangling_ref() {
    let text = spec(
        &GOOD_OP.replace("#/components/schemas/Thing", "#/components/schemas/Missing"),
        "",
    );
    let (ok, err) = run("dangling", &text);
    assert!(!ok);
    assert_one_line_error(
        &err,
        "spec.yaml#/paths/~1things~1{thing_id}/get/responses/200/content/application~1json/schema",
        "dangling $ref \"#/components/schemas/Missing\"",
    );
}

#[test]
fn duplicate_operation_name() {
    let second = GOOD_OP
        .replace("/things/{thing_id}:", "/things/{thing_id}/copy:")
        .replace(
            "operationId: getThing",
            "operationId: getThingCopy\n      x-speakeasy-name-override: getThing",
        );
    let text = spec(&format!("{GOOD_OP}{second}"), "");
    let (ok, err) = run("duplicate", &text);
    assert!(!ok);
    assert_one_line_error(
        &err,
        "spec.yaml#/paths/~1things~1{thing_id}~1copy/get",
        "duplicate operation name default.get_thing",
    );
}

#[test]
fn duplicate_operation_id() {
    let second = GOOD_OP.replace("/things/{thing_id}:", "/other/{thing_id}:");
    let (ok, err) = run("duplicate-id", &spec(&format!("{GOOD_OP}{second}"), ""));
    assert!(!ok);
    assert_one_line_error(
        &err,
        "spec.yaml#/paths/~1other~1{thing_id}/get/operationId",
        "duplicate operationId \"getThing\"",
    );
}

#[test]
fn unsupported_construct() {
    // A bare `not` says what a value is not, which gives no Rust type.
    let schemas = "    Never:\n      not: {type: string}\n";
    let (ok, err) = run("not", &spec(GOOD_OP, schemas));
    assert!(!ok);
    assert_one_line_error(
        &err,
        "spec.yaml#/components/schemas/Never",
        "unsupported construct `not`",
    );
}

#[test]
fn unknown_vendor_extension_value() {
    let op = GOOD_OP.replace(
        "operationId: getThing",
        "operationId: getThing\n      x-cld-auth: sometimes",
    );
    let (ok, err) = run("extension", &spec(&op, ""));
    assert!(!ok);
    assert_one_line_error(
        &err,
        "spec.yaml#/paths/~1things~1{thing_id}/get/x-cld-auth",
        "unknown value \"sometimes\"",
    );
}

#[test]
fn unknown_pagination_type() {
    let op = GOOD_OP.replace(
        "operationId: getThing",
        "operationId: getThing\n      x-speakeasy-pagination: {type: magic}",
    );
    let (ok, err) = run("pagination", &spec(&op, ""));
    assert!(!ok);
    assert_one_line_error(
        &err,
        "spec.yaml#/paths/~1things~1{thing_id}/get/x-speakeasy-pagination/type",
        "unknown pagination type \"magic\"",
    );
}

#[test]
fn shape_error_deep_in_an_operation() {
    // `in: body` is Swagger 2, not OpenAPI 3: openapiv3 rejects the parameter itself.
    let op = GOOD_OP.replace(
        "{name: thing_id, in: path, required: true, schema: {type: string}}",
        "{name: thing_id, in: body, required: true, schema: {type: string}}",
    );
    let (ok, err) = run("shape", &spec(&op, ""));
    assert!(!ok);
    assert_one_line_error(
        &err,
        "spec.yaml#/paths/~1things~1{thing_id}/get/parameters/0",
        "not a valid OpenAPI 3.0 document",
    );
}

#[test]
fn unsupported_openapi_version() {
    let (ok, err) = run(
        "version",
        &spec(GOOD_OP, "").replace("openapi: 3.0.3", "openapi: 3.2.0"),
    );
    assert!(!ok);
    assert_one_line_error(&err, "spec.yaml#/openapi", "unsupported OpenAPI version");
}

#[test]
fn missing_spec_file() {
    let dir = scratch("missing");
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["codegen", "--spec"])
        .arg(dir.join("nope.yaml"))
        .arg("--out")
        .arg(dir.join("out"))
        .output()
        .expect("run xtask");
    assert!(!output.status.success());
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("nope.yaml: cannot read the spec"), "{err}");
    assert!(!dir.join("out").exists());
}

#[test]
fn refuses_to_replace_a_directory_that_is_not_a_generated_crate() {
    let dir = scratch("not-generated");
    let spec_path = dir.join("spec.yaml");
    std::fs::write(&spec_path, spec(GOOD_OP, "")).expect("write spec");
    let out = dir.join("precious");
    std::fs::create_dir_all(&out).expect("out dir");
    std::fs::write(out.join("Cargo.toml"), "[package]\nname = \"mine\"\n").expect("manifest");
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["codegen", "--spec"])
        .arg(&spec_path)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run xtask");
    assert!(!output.status.success());
    let err = String::from_utf8_lossy(&output.stderr);
    assert_one_line_error(
        &err,
        "precious",
        "refusing to replace a non-empty directory",
    );
    assert_eq!(
        std::fs::read_to_string(out.join("Cargo.toml")).expect("manifest kept"),
        "[package]\nname = \"mine\"\n"
    );
}

#[test]
fn good_spec_generates_and_check_passes_then_detects_extra_files() {
    let dir = scratch("good");
    let spec_path = dir.join("spec.yaml");
    std::fs::write(&spec_path, spec(GOOD_OP, "")).expect("write spec");
    let out = dir.join("out");
    let generate = |check: bool| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_xtask"));
        cmd.args(["codegen", "--spec"])
            .arg(&spec_path)
            .arg("--out")
            .arg(&out);
        if check {
            cmd.arg("--check");
        }
        cmd.output().expect("run xtask")
    };
    assert!(generate(false).status.success());
    let first = std::fs::read_to_string(out.join("src/models.rs")).expect("models");
    let modified = |p: &std::path::Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let before = modified(&out.join("src/models.rs"));
    std::thread::sleep(std::time::Duration::from_millis(20));
    assert!(generate(false).status.success());
    // An unchanged crate is left alone (its files keep their times, so cargo does not rebuild).
    assert_eq!(modified(&out.join("src/models.rs")), before);
    assert_eq!(
        first,
        std::fs::read_to_string(out.join("src/models.rs")).expect("models")
    );
    assert!(generate(true).status.success());
    std::fs::write(out.join("src/stray.rs"), "// not generated").expect("stray");
    let output = generate(true);
    assert!(!output.status.success());
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains("src/stray.rs") && err.contains("extra file"),
        "{err}"
    );
    assert!(err.contains("run `cargo xtask codegen`"), "{err}");
    // Regenerating removes files the generator no longer emits.
    assert!(generate(false).status.success());
    assert!(!out.join("src/stray.rs").exists());
    std::fs::write(
        out.join("src/models.rs"),
        first.replace("pub struct Thing", "pub struct Thang"),
    )
    .expect("edit");
    let output = generate(true);
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(
        err.contains("-pub struct Thang") && err.contains("+pub struct Thing"),
        "{err}"
    );
    // --check reports; it never writes.
    assert!(
        std::fs::read_to_string(out.join("src/models.rs"))
            .expect("models")
            .contains("pub struct Thang"),
        "--check rewrote the crate"
    );
}

/// A valid but odd spec generates, with one warning line per oddity naming the file and the
/// pointer; `--strict` makes the first warning an error and writes nothing.
#[test]
fn warnings_are_printed_and_strict_makes_them_errors() {
    let schemas = "    Odd:\n      type: object\n      required: [ghost]\n      x-internal: true\n      properties:\n        id: {type: string, format: snowflake}\n";
    let dir = scratch("warnings");
    let spec_path = dir.join("spec.yaml");
    std::fs::write(&spec_path, spec(GOOD_OP, schemas)).expect("write spec");
    let out = dir.join("out");
    let codegen = |strict: bool| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_xtask"));
        cmd.args(["codegen", "--spec"])
            .arg(&spec_path)
            .arg("--out")
            .arg(&out);
        if strict {
            cmd.arg("--strict");
        }
        cmd.output().expect("run xtask")
    };
    let strict = codegen(true);
    assert!(!strict.status.success());
    assert!(!out.exists(), "--strict wrote output");
    let err = String::from_utf8_lossy(&strict.stderr);
    assert!(
        err.contains("(an error because of --strict)")
            && err.contains("spec.yaml#/components/schemas/Odd"),
        "{err}"
    );
    let lenient = codegen(false);
    assert!(
        lenient.status.success(),
        "{}",
        String::from_utf8_lossy(&lenient.stderr)
    );
    let err = String::from_utf8_lossy(&lenient.stderr);
    let warnings: Vec<&str> = err.lines().filter(|l| l.contains(": warning: ")).collect();
    assert_eq!(warnings.len(), 3, "{err}");
    for (pointer, what) in [
        (
            "#/components/schemas/Odd/x-internal",
            "vendor extension x-internal",
        ),
        (
            "#/components/schemas/Odd:",
            "required name \"ghost\" is not a property",
        ),
        (
            "#/components/schemas/Odd/properties/id",
            "unknown format \"snowflake\"",
        ),
    ] {
        assert!(
            warnings
                .iter()
                .any(|w| w.contains(pointer) && w.contains(what)),
            "{pointer} {what}: {err}"
        );
    }
    assert!(out.join("src/models.rs").exists());
    // The success line names the spec read and the directory written.
    let summary = String::from_utf8_lossy(&lenient.stdout);
    assert!(
        summary.starts_with("codegen: read ")
            && summary.contains("spec.yaml, wrote ")
            && summary.contains(" operations, ")
            && summary.contains(" models, "),
        "{summary}"
    );
}

/// Runs `cargo xtask codegen` on `args` from `cwd`, where nothing else is expected to change.
fn xtask_in(cwd: &std::path::Path, args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("codegen")
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run xtask")
}

/// Generates `text` (saved as `file_name`) into a fresh `out/`; asserts success.
fn generate_ok(name: &str, file_name: &str, text: &str) -> PathBuf {
    let dir = scratch(name);
    std::fs::write(dir.join(file_name), text).expect("write spec");
    let output = xtask_in(
        &dir,
        &[
            "--spec".as_ref(),
            file_name.as_ref(),
            "--out".as_ref(),
            "out".as_ref(),
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(stdout.lines().count(), 1, "one summary line: {stdout}");
    dir.join("out")
}

#[test]
fn byte_order_mark_is_accepted() {
    let out = generate_ok(
        "bom",
        "spec.yaml",
        &format!("\u{feff}{}", spec(GOOD_OP, "")),
    );
    let models = std::fs::read_to_string(out.join("src/models.rs")).expect("models");
    assert!(models.contains("pub struct Thing"), "{models}");
}

#[test]
fn yaml_error_without_a_position() {
    // Aliases that expand a billion times: the YAML parser stops with no position to give.
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let (ok, err) = run("no-position", &text);
    assert!(!ok);
    assert_one_line_error(
        &err,
        "spec.yaml: invalid YAML: ",
        "repetition limit exceeded",
    );
    assert!(!err.contains(" at :"), "{err}");
}

#[test]
fn swagger_2_is_named_as_such() {
    let text = "swagger: \"2.0\"\ninfo: {title: T, version: '1'}\npaths: {}\n";
    let (ok, err) = run("swagger", text);
    assert!(!ok);
    assert_one_line_error(&err, "spec.yaml#/swagger", "Swagger (OpenAPI 2) document");
}

#[test]
fn openapi_version_written_as_a_number() {
    let (ok, err) = run(
        "version-number",
        &spec(GOOD_OP, "").replace("openapi: 3.0.3", "openapi: 3.0"),
    );
    assert!(!ok);
    assert_one_line_error(
        &err,
        "spec.yaml#/openapi",
        "must be a version string such as \"3.0.3\", not the number 3.0",
    );
}

#[test]
fn path_without_a_leading_slash() {
    let op = GOOD_OP.replace("/things/{thing_id}:", "things/{thing_id}:");
    let (ok, err) = run("no-slash", &spec(&op, ""));
    assert!(!ok);
    assert_one_line_error(
        &err,
        "spec.yaml#/paths/things~1{thing_id}",
        "does not start with `/`",
    );
}

#[test]
fn deep_flow_nesting_is_refused_before_parsing() {
    // 160 KB of `[` kept the YAML scanner busy for seconds to minutes (measured in the commit
    // that added the bound); the pre-scan refuses it at the 129th bracket.
    let (ok, err) = run("brackets", &"[".repeat(160_000));
    assert!(!ok);
    assert_one_line_error(
        &err,
        "spec.yaml: invalid YAML at line 1 column 129",
        "nested deeper than 128 levels",
    );
}

#[test]
fn oversized_spec_is_refused_unread() {
    let dir = scratch("oversized");
    let spec_path = dir.join("huge.yaml");
    // A sparse file: 32 MiB + 1 byte of zeros, without writing them.
    let file = std::fs::File::create(&spec_path).expect("create");
    file.set_len(xtask::text_bounds::MAX_SPEC_BYTES + 1)
        .expect("set_len");
    let output = xtask_in(
        &dir,
        &[
            "--spec".as_ref(),
            "huge.yaml".as_ref(),
            "--out".as_ref(),
            "out".as_ref(),
        ],
    );
    assert!(!output.status.success());
    let err = String::from_utf8_lossy(&output.stderr);
    assert_one_line_error(&err, "huge.yaml", "larger than 32 MiB");
    assert!(!dir.join("out").exists());
}

#[test]
fn degenerate_out_values_stage_and_replace_nothing() {
    let dir = scratch("degenerate-out");
    std::fs::write(dir.join("spec.yaml"), spec(GOOD_OP, "")).expect("write spec");
    std::fs::write(dir.join("a-file"), "keep me").expect("file");
    let listing = |dir: &std::path::Path| {
        let mut names: Vec<_> = std::fs::read_dir(dir)
            .expect("read dir")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        names.sort();
        names
    };
    let before = listing(&dir);
    for out in ["", ".", "/", "..", "a-file"] {
        let output = xtask_in(
            &dir,
            &[
                "--spec".as_ref(),
                "spec.yaml".as_ref(),
                "--out".as_ref(),
                out.as_ref(),
            ],
        );
        assert!(!output.status.success(), "--out {out:?} succeeded");
        let err = String::from_utf8_lossy(&output.stderr);
        assert_one_line_error(&err, &format!("--out {out:?}"), "");
        assert_eq!(listing(&dir), before, "--out {out:?} changed the directory");
        assert_eq!(
            std::fs::read_to_string(dir.join("a-file")).expect("file"),
            "keep me"
        );
    }
    assert!(!std::path::Path::new("/.out.codegen-new").exists());
}

#[test]
fn degenerate_spec_values_are_read_errors() {
    let dir = scratch("degenerate-spec");
    std::fs::create_dir_all(dir.join("a-dir")).expect("dir");
    for spec_arg in ["", ".", "/", "a-dir"] {
        let output = xtask_in(
            &dir,
            &[
                "--spec".as_ref(),
                spec_arg.as_ref(),
                "--out".as_ref(),
                "out".as_ref(),
            ],
        );
        assert!(!output.status.success(), "--spec {spec_arg:?} succeeded");
        let err = String::from_utf8_lossy(&output.stderr);
        assert_one_line_error(&err, "", "cannot read the spec");
        assert!(!err.starts_with("error: :"), "{err}");
        assert!(!dir.join("out").exists());
    }
}

#[test]
fn operations_without_a_usable_id_are_named_from_method_and_path() {
    let empty = GOOD_OP.replace("operationId: getThing", "operationId: ''");
    let non_ascii = GOOD_OP
        .replace("/things/{thing_id}:", "/things/{thing_id}/parts:")
        .replace("operationId: getThing", "operationId: 获取部件");
    let out = generate_ok(
        "op-names",
        "spec.yaml",
        &spec(&format!("{empty}{non_ascii}"), ""),
    );
    let ops = std::fs::read_to_string(out.join("src/operations/default.rs")).expect("ops");
    for wanted in [
        "pub fn get_things_by_thing_id(",
        "pub fn get_things_by_thing_id_parts(",
        "pub struct GetThingsByThingId ",
        "pub struct GetThingsByThingIdParts ",
    ] {
        assert!(ops.contains(wanted), "no {wanted:?} in:\n{ops}");
    }
    assert!(!ops.contains("fn value("), "{ops}");
}

/// Spec text and the spec's file name reach Cargo.toml, headers and docs: a newline, quotes or
/// a direction override in them must leave every file valid, each header one line.
#[test]
fn odd_title_version_and_file_name_keep_the_crate_valid() {
    // Spec text quoted in doc lines: enum values, property names, descriptions.
    let schemas = "    Odd:\n      type: string\n      enum: [\"a\\u202eb\", \"c\\rd\"]\n    Odder:\n      type: object\n      properties:\n        \"we\\rird\": {type: string, description: \"x\\u202ey\\rz\"}\n";
    let text = spec(GOOD_OP, schemas).replace(
        "info: {title: T, version: '1'}",
        "info: {title: \"Odd \\\"API\\\"\\nsecond \\\\ line \\u202e\\r\", version: '1.0 (draft)'}",
    );
    let file_name = "odd\nname \u{202e}.yaml";
    let out = generate_ok("odd-text", file_name, &text);
    let files = list_files(&out);
    assert!(files.len() > 3, "{files:?}");
    for path in &files {
        let contents = std::fs::read_to_string(path).expect("read");
        let mut lines = contents.lines();
        let header = lines.next().unwrap_or_default();
        assert!(
            header.contains(
                "@generated by cargo xtask codegen from odd\\nname \\u{202e}.yaml (sha256"
            ),
            "{}: {header}",
            path.display()
        );
        assert_eq!(lines.next(), Some(""), "{}: header spilled", path.display());
        let bad = contents
            .chars()
            .find(|&c| (c.is_control() && c != '\n') || ('\u{202a}'..='\u{202e}').contains(&c));
        assert_eq!(bad, None, "{}", path.display());
    }
    let manifest = cargo_manifest(&out);
    assert_eq!(manifest["version"], "0.1.0+1.0.draft", "{manifest}");
    assert_eq!(
        manifest["description"],
        "Rust client for the Odd \"API\" second \\ line \\u{202e}, generated from its OpenAPI description.",
        "{manifest}"
    );
    // A version with nothing usable as build metadata: no metadata, and a note saying why.
    let text = spec(GOOD_OP, "").replace("version: '1'", "version: '(*)'");
    let out = generate_ok("odd-version", "spec.yaml", &text);
    assert_eq!(cargo_manifest(&out)["version"], "0.1.0");
    let toml = std::fs::read_to_string(out.join("Cargo.toml")).expect("manifest");
    assert!(toml.contains("so the\n# version carries none"), "{toml}");
}

/// Every file below `dir`.
fn list_files(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir").flatten() {
            if entry.path().is_dir() {
                stack.push(entry.path());
            } else {
                files.push(entry.path());
            }
        }
    }
    files
}

/// The generated manifest as cargo reads it (`cargo metadata --no-deps` inside a scratch
/// workspace that gives it the `workspace = true` values), so cargo itself judges its validity.
fn cargo_manifest(crate_dir: &std::path::Path) -> serde_json::Value {
    let workspace = crate_dir.parent().expect("scratch dir");
    let root = xtask::workspace::root().expect("the xtask's own workspace");
    std::fs::write(
        workspace.join("Cargo.toml"),
        format!(
            "[workspace]\nmembers = [\"out\"]\nresolver = \"3\"\n[workspace.package]\nedition = \"2024\"\nrust-version = \"1.85\"\nlicense = \"MIT\"\n[workspace.dependencies]\ncld-provisioning-runtime = {{ path = {:?} }}\nfutures-core = \"0.3\"\nserde = \"1\"\nserde_json = \"1\"\n",
            root.join("crates/cld-provisioning-runtime")
        ),
    )
    .expect("scratch workspace");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "metadata",
            "--no-deps",
            "--offline",
            "--format-version",
            "1",
        ])
        .current_dir(workspace)
        .env_remove("CARGO_TARGET_DIR")
        .output()
        .expect("run cargo metadata");
    assert!(
        output.status.success(),
        "cargo rejects the generated manifest: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("cargo metadata JSON");
    metadata["packages"][0].clone()
}
