//! [`ErrorEnvelope`]: the Cloudinary error body, parsed (and redacted) from any failing
//! response.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::redact::{
    is_sensitive_key, mask_values, mask_values_in_json, redact_json, redact_text, sensitive_values,
};

/// The Cloudinary error body, parsed from any failing response of any endpoint.
///
/// Recognised shapes:
/// - `{"error": {"message", "category", "code", "details"}}` (v1_1 and permissions APIs);
/// - `{"error": "text"}` and `{"message": "text"}`;
/// - bare field maps `{"email": ["is invalid"]}` or `{"email": "has already been taken"}`,
///   collected into [`ErrorEnvelope::field_errors`].
///
/// Its contents are redacted (see [`crate::redact`]): it is meant to be shown. The raw body on
/// the error keeps the exact bytes.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct ErrorEnvelope {
    /// `error.message` (or `error` when it is a string).
    pub message: Option<String>,
    /// `error.category` (permissions API).
    pub category: Option<String>,
    /// `error.code` (a number is kept as its decimal text).
    pub code: Option<String>,
    /// `error.details` when it is an object (kept whole; it is free-form).
    pub details: Option<Map<String, Value>>,
    /// Field name -> messages, from a bare field map or from string entries of `details`.
    pub field_errors: BTreeMap<String, Vec<String>>,
}

impl ErrorEnvelope {
    /// Parses a body; `None` for non-JSON bodies and for JSON that says nothing (`{}`), so that
    /// an empty envelope never hides the raw body.
    pub fn parse(body: &[u8]) -> Option<ErrorEnvelope> {
        let value: Value = serde_json::from_slice(body).ok()?;
        let mut env = ErrorEnvelope::default();
        match value {
            Value::String(s) => env.message = non_empty(&s),
            Value::Object(map) => {
                for (key, value) in map {
                    match (key.as_str(), value) {
                        ("error", Value::Object(err)) => env.read_error_object(err),
                        ("error" | "message", Value::String(s)) if env.message.is_none() => {
                            env.message = non_empty(&s);
                        }
                        (_, value) => env.add_field_error(key, &value),
                    }
                }
            }
            _ => return None,
        }
        // A value the body holds under a secret key may be repeated in a message.
        env.mask_values(&sensitive_values(&String::from_utf8_lossy(body)));
        (!env.is_empty()).then_some(env)
    }

    /// Masks `secrets` in every text the envelope holds.
    fn mask_values(&mut self, secrets: &[String]) {
        if secrets.is_empty() {
            return;
        }
        for text in [&mut self.message, &mut self.category, &mut self.code]
            .into_iter()
            .flatten()
        {
            if let Cow::Owned(m) = mask_values(text, secrets) {
                *text = m;
            }
        }
        for (field, messages) in std::mem::take(&mut self.field_errors) {
            let messages = messages
                .iter()
                .map(|m| mask_values(m, secrets).into_owned())
                .collect();
            self.field_errors
                .insert(mask_values(&field, secrets).into_owned(), messages);
        }
        if let Some(details) = self.details.take() {
            let mut value = Value::Object(details);
            mask_values_in_json(&mut value, secrets);
            if let Value::Object(map) = value {
                self.details = Some(map);
            }
        }
    }

    fn read_error_object(&mut self, err: Map<String, Value>) {
        for (key, value) in err {
            match (key.as_str(), value) {
                ("message", Value::String(s)) => self.message = non_empty(&s),
                ("category", Value::String(s)) => self.category = non_empty(&s),
                ("code", Value::String(s)) => self.code = non_empty(&s),
                ("code", Value::Number(n)) => self.code = Some(n.to_string()),
                ("details", Value::Object(mut details)) => {
                    redact_json_map(&mut details);
                    for (field, v) in &details {
                        self.add_field_error(field.clone(), v);
                    }
                    if !details.is_empty() {
                        self.details = Some(details);
                    }
                }
                _ => {}
            }
        }
    }

    /// Adds `field: "msg"` or `field: ["msg", ...]`; other values are not field errors, and
    /// secret-named members never are.
    fn add_field_error(&mut self, field: String, value: &Value) {
        if is_sensitive_key(&field) {
            return;
        }
        let messages: Vec<String> = match value {
            Value::String(s) => non_empty(s).into_iter().collect(),
            Value::Array(items) => items
                .iter()
                .filter_map(|v| v.as_str().and_then(non_empty))
                .collect(),
            _ => Vec::new(),
        };
        if !messages.is_empty() {
            // The name comes from the server too, and `summary` shows it.
            let field = redact_text(&field).into_owned();
            self.field_errors.entry(field).or_default().extend(messages);
        }
    }

    /// `true` when nothing was found.
    pub fn is_empty(&self) -> bool {
        self.message.is_none()
            && self.category.is_none()
            && self.code.is_none()
            && self.details.is_none()
            && self.field_errors.is_empty()
    }

    /// The message, else the field errors joined as `email is invalid, bad; name can't be blank`.
    pub fn summary(&self) -> Option<String> {
        if let Some(m) = &self.message {
            return Some(m.clone());
        }
        if self.field_errors.is_empty() {
            return None;
        }
        let parts: Vec<String> = self
            .field_errors
            .iter()
            .map(|(field, msgs)| format!("{field} {}", msgs.join(", ")))
            .collect();
        Some(parts.join("; "))
    }
}

/// Trimmed, redacted, and `None` when empty.
fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| redact_text(t).into_owned())
}

fn redact_json_map(map: &mut Map<String, Value>) {
    let mut value = Value::Object(std::mem::take(map));
    redact_json(&mut value);
    if let Value::Object(m) = value {
        *map = m;
    }
}
