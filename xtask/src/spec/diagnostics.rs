//! Warnings and notes about a spec that is valid but odd. They never stop generation unless
//! the caller asks for `--strict`, which turns warnings (not notes) into errors.
//!
//! Real-world specs repeat the same oddity many times (one unknown `format` on every id, one
//! vendor extension on every operation); a warning given with a `key` is printed once, at its
//! first place, with the count of the others, so the output stays readable.

use crate::error::GenError;
use std::collections::BTreeMap;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Something was read past on purpose (`webhooks`): informational only.
    Note,
    /// Valid but probably not what the author meant, or not fully used by the generator.
    Warning,
}

/// One diagnostic at one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// How serious it is.
    pub severity: Severity,
    /// JSON pointer of the node it is about.
    pub pointer: String,
    /// What is odd, in one line.
    pub message: String,
    /// How many more places had the same diagnostic (same key).
    pub more: usize,
}

/// The diagnostics of one run, in the order they were first raised.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    file: String,
    items: Vec<Warning>,
    /// Key -> index into `items`, for diagnostics reported once per key.
    keyed: BTreeMap<String, usize>,
}

impl Diagnostics {
    /// Diagnostics about the spec `file` (as shown in messages).
    pub fn new(file: &str) -> Self {
        Diagnostics {
            file: file.to_string(),
            ..Diagnostics::default()
        }
    }

    /// A warning at `pointer`.
    pub fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.push(Severity::Warning, None, pointer, message.into());
    }

    /// A warning reported once per `key`; later ones only raise its count.
    pub fn warn_once(&mut self, key: &str, pointer: &str, message: impl Into<String>) {
        self.push(Severity::Warning, Some(key), pointer, message.into());
    }

    /// A note (never an error, even with `--strict`), once per `key`.
    pub fn note_once(&mut self, key: &str, pointer: &str, message: impl Into<String>) {
        self.push(Severity::Note, Some(key), pointer, message.into());
    }

    fn push(&mut self, severity: Severity, key: Option<&str>, pointer: &str, message: String) {
        if let Some(key) = key {
            let key = format!("{severity:?}:{key}");
            if let Some(&i) = self.keyed.get(&key) {
                if let Some(w) = self.items.get_mut(i) {
                    w.more += 1;
                }
                return;
            }
            self.keyed.insert(key, self.items.len());
        }
        self.items.push(Warning {
            severity,
            pointer: pointer.to_string(),
            message,
            more: 0,
        });
    }

    /// Every diagnostic, in the order first raised.
    pub fn items(&self) -> &[Warning] {
        &self.items
    }

    /// Whether any diagnostic is a warning (what `--strict` refuses).
    pub fn has_warnings(&self) -> bool {
        self.items.iter().any(|w| w.severity == Severity::Warning)
    }

    /// The first warning as an error, for `--strict`.
    pub fn first_warning_as_error(&self) -> Option<GenError> {
        self.items
            .iter()
            .find(|w| w.severity == Severity::Warning)
            .map(|w| {
                GenError::new(
                    &self.file,
                    &w.pointer,
                    format!("{} (an error because of --strict)", w.message),
                )
            })
    }

    /// One line per diagnostic: `file#pointer: warning: message (and N more)`.
    pub fn lines(&self) -> Vec<String> {
        self.items
            .iter()
            .map(|w| {
                let word = match w.severity {
                    Severity::Note => "note",
                    Severity::Warning => "warning",
                };
                let more = match w.more {
                    0 => String::new(),
                    1 => " (and 1 more place)".to_string(),
                    n => format!(" (and {n} more places)"),
                };
                let place = if w.pointer.is_empty() {
                    self.file.clone()
                } else {
                    format!("{}#{}", self.file, w.pointer)
                };
                format!(
                    "{place}: {word}: {}{more}",
                    w.message.replace(['\n', '\r'], " ")
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyed_warnings_are_counted_not_repeated() {
        let mut d = Diagnostics::new("s.yaml");
        d.warn_once("format:uuid2", "/a", "unknown format uuid2");
        d.warn_once("format:uuid2", "/b", "unknown format uuid2");
        d.warn_once("format:uuid2", "/c", "unknown format uuid2");
        d.warn("/d", "required name \"x\" is not a property");
        assert_eq!(
            d.lines(),
            [
                "s.yaml#/a: warning: unknown format uuid2 (and 2 more places)",
                "s.yaml#/d: warning: required name \"x\" is not a property",
            ]
        );
    }

    #[test]
    fn notes_are_not_warnings() {
        let mut d = Diagnostics::new("s.yaml");
        d.note_once("webhooks", "/webhooks", "webhooks are not generated");
        assert!(!d.has_warnings());
        assert!(d.first_warning_as_error().is_none());
        assert_eq!(
            d.lines(),
            ["s.yaml#/webhooks: note: webhooks are not generated"]
        );
        d.warn("/x", "odd\nthing");
        assert!(d.has_warnings());
        let err = d.first_warning_as_error().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("s.yaml#/x: odd thing (an error because of --strict)")
        );
    }

    #[test]
    fn the_same_key_of_another_severity_is_kept_apart() {
        let mut d = Diagnostics::new("s.yaml");
        d.note_once("k", "/a", "n");
        d.warn_once("k", "/b", "w");
        assert_eq!(d.items().len(), 2);
    }
}
