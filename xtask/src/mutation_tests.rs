//! Random mutations of real specs (the fixtures and our own), fed to the whole generator in
//! process: every mutant must give a clean error or generated files, never a panic.
//!
//! Mutations are drawn from a fixed seed, so a failure reproduces; set
//! `XTASK_MUTATION_SEED` (and `XTASK_MUTATIONS`, mutants per spec) to explore further.

use crate::emit::{EmitConfig, emit};
use std::path::{Path, PathBuf};
use yaml_serde::Value;

/// A small deterministic generator (xorshift64*): no dependency, the same sequence everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// A path to a node: keys and indices from the root.
#[derive(Clone, Debug)]
enum Step {
    Key(Value),
    Index(usize),
}

/// Every node's path, breadth first (an explicit queue: no recursion on the document).
fn node_paths(root: &Value) -> Vec<Vec<Step>> {
    let mut out = Vec::new();
    let mut queue = std::collections::VecDeque::from([(Vec::new(), root)]);
    while let Some((path, node)) = queue.pop_front() {
        match node {
            Value::Mapping(m) => {
                for (k, v) in m {
                    let mut p = path.clone();
                    p.push(Step::Key(k.clone()));
                    queue.push_back((p, v));
                }
            }
            Value::Sequence(s) => {
                for (i, v) in s.iter().enumerate() {
                    let mut p = path.clone();
                    p.push(Step::Index(i));
                    queue.push_back((p, v));
                }
            }
            _ => {}
        }
        out.push(path);
    }
    out
}

fn node_mut<'v>(root: &'v mut Value, path: &[Step]) -> Option<&'v mut Value> {
    let mut node = root;
    for step in path {
        node = match (step, node) {
            (Step::Key(k), Value::Mapping(m)) => m.get_mut(k)?,
            (Step::Index(i), Value::Sequence(s)) => s.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(node)
}

/// Values a mutation may put anywhere.
fn odd_value(rng: &mut Rng) -> Value {
    let text = |s: &str| Value::String(s.to_string());
    match rng.below(12) {
        0 => Value::Null,
        1 => Value::Bool(true),
        2 => Value::Number(7.into()),
        3 => text(""),
        4 => text("#/components/schemas/Nope"),
        5 => text("object"),
        6 => Value::Sequence(vec![text("string"), text("null")]),
        7 => Value::Mapping(Default::default()),
        8 => yaml_serde::from_str("{$ref: '#/components/schemas/Nope'}").unwrap_or(Value::Null),
        9 => yaml_serde::from_str("{oneOf: [{type: string}, {type: integer}]}")
            .unwrap_or(Value::Null),
        10 => yaml_serde::from_str("{type: array}").unwrap_or(Value::Null),
        _ => text("x-\u{200b}\n\"'{}[]"),
    }
}

/// Applies one random mutation: delete a node, replace it, or point a `$ref` elsewhere.
fn mutate(doc: &mut Value, rng: &mut Rng) {
    let paths = node_paths(doc);
    let path = paths[rng.below(paths.len())].clone();
    let Some((last, parent_path)) = path.split_last() else {
        return;
    };
    match rng.below(4) {
        0 => {
            // Delete the node.
            if let Some(parent) = node_mut(doc, parent_path) {
                match (parent, last) {
                    (Value::Mapping(m), Step::Key(k)) => {
                        m.remove(k);
                    }
                    (Value::Sequence(s), Step::Index(i)) if *i < s.len() => {
                        s.remove(*i);
                    }
                    _ => {}
                }
            }
        }
        1 => {
            // Point a reference at another component, or at the document itself.
            let target = [
                "#/components/schemas",
                "#/",
                "#/components/schemas/Nope",
                "#/paths",
            ][rng.below(4)];
            if let Some(node) = node_mut(doc, &path) {
                *node = Value::String(target.to_string());
            }
        }
        _ => {
            let value = odd_value(rng);
            if let Some(node) = node_mut(doc, &path) {
                *node = value;
            }
        }
    }
}

/// Runs the generator on `text`; a panic fails the test with the mutant to reproduce it.
fn generate_text(text: &str, label: &str) {
    let outcome = std::panic::catch_unwind(|| {
        let spec = crate::parse::parse_spec(text.as_bytes(), "mutant.yaml")?;
        let (api, _) = crate::lower::lower(&spec)?;
        emit(
            &api,
            &EmitConfig {
                package: "mutant".into(),
                crate_version: "0.1.0".into(),
            },
        )
        .map(|_| ())
    });
    if outcome.is_err() {
        panic!("the generator panicked on {label}; the mutant:\n{text}");
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn workspace() -> PathBuf {
    // Cargo sets CARGO_MANIFEST_DIR (xtask/) for the test run: read at run time, not compiled
    // in, so a test binary built in another checkout reads this one's specs.
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .unwrap_or_default()
}

/// Each spec mutated `count` times, several mutations per mutant.
fn mutate_all(specs: &[PathBuf], count: u64, seed: u64) {
    for (n, spec) in specs.iter().enumerate() {
        let Ok(text) = std::fs::read_to_string(spec) else {
            continue;
        };
        let Ok(original) = yaml_serde::from_str::<Value>(&text) else {
            continue;
        };
        let mut rng = Rng(seed ^ (n as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        for i in 0..count {
            let mut doc = original.clone();
            for _ in 0..=rng.below(3) {
                mutate(&mut doc, &mut rng);
            }
            let Ok(mutant) = yaml_serde::to_string(&doc) else {
                continue;
            };
            generate_text(
                &mutant,
                &format!("{} mutant {i} (seed {seed})", spec.display()),
            );
        }
    }
}

#[test]
fn mutated_fixture_specs_never_panic_the_generator() {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(workspace().join("tests/fixtures"))
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    specs.sort();
    assert!(!specs.is_empty(), "no fixture specs found");
    let seed = env_number("XTASK_MUTATION_SEED", 0x5EED);
    mutate_all(&specs, env_number("XTASK_MUTATIONS", 25), seed);
}

#[test]
fn mutated_provisioning_specs_never_panic_the_generator() {
    let spec = workspace().join("openapi/cld-provisioning.yaml");
    let seed = env_number("XTASK_MUTATION_SEED", 0xC1D);
    mutate_all(&[spec], env_number("XTASK_MUTATIONS", 25) / 2 + 1, seed);
}
