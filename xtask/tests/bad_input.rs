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
    assert!(generate(false).status.success());
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
}
