//! Masking of secrets in text that may be shown: error messages, `Debug` output, logs.
//!
//! Responses of this API carry secrets (`api_secret` of access keys, `api_environment_variable`
//! of new product environments), and both peer SDKs print them in logs and errors. Everything in
//! this crate that shows a body goes through [`redact_text`]; headers go through
//! [`RedactedHeaders`].

use std::borrow::Cow;
use std::fmt;

use http::HeaderMap;

/// JSON keys whose values are always masked.
pub const SENSITIVE_KEYS: &[&str] = &[
    "api_secret",
    "secret",
    "provisioning_api_secret",
    "api_environment_variable",
    "password",
];

/// Header names whose values are never printed.
const SENSITIVE_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
];

/// URL schemes whose userinfo (`key:secret@`) is masked.
const URL_SCHEMES: &[&str] = &["cloudinary://", "account://"];

const MASK: &str = "***";

/// Masks secrets in arbitrary text, which may be JSON, truncated JSON or not JSON at all.
///
/// - the value of any JSON member named in [`SENSITIVE_KEYS`] becomes `"***"`, also when the
///   name is written with JSON escapes (`"api\u005fsecret"`);
/// - such a value (six characters or more) is also masked wherever else the same text holds
///   it, under another key or inside a message;
/// - the userinfo of `cloudinary://` and `account://` URLs becomes `***`.
///
/// It works on the text rather than on parsed JSON because bodies are shown truncated and may
/// be malformed, and a secret must be masked in those too.
pub fn redact_text(text: &str) -> Cow<'_, str> {
    redact_text_nested(text, MAX_NESTING)
}

/// How many levels of JSON quoted inside a string (and inside that one's strings) are looked
/// into: a server quoting a request body in a message is one level, quoting such a message
/// again is two. The bound keeps the work linear on hostile text.
const MAX_NESTING: usize = 3;

/// [`redact_text`], looking `levels` levels deep into strings that hold JSON of their own.
fn redact_text_nested(text: &str, levels: usize) -> Cow<'_, str> {
    let flat = redact_flat(text);
    match mask_nested(&flat, levels) {
        Cow::Borrowed(_) => flat,
        Cow::Owned(s) => Cow::Owned(s),
    }
}

/// One level of [`redact_text`]: URL userinfo, then members and repeated values.
///
/// URLs first: masking a repeated value can cut into a URL that holds it (a secret
/// `"cloudi"` turns `cloudinary://key:secret@` into `***nary://key:secret@`), after which the
/// URL would no longer be recognised and its secret would be shown.
fn redact_flat(text: &str) -> Cow<'_, str> {
    let urls = mask_url_userinfo(text);
    let mut masked = match mask_json_members(&urls) {
        Cow::Borrowed(_) => urls,
        Cow::Owned(s) => Cow::Owned(s),
    };
    if let Cow::Owned(members) = &masked {
        if let Cow::Owned(m) = mask_values(members, &sensitive_values(text)) {
            masked = Cow::Owned(m);
        }
    }
    masked
}

/// Masks, in place, the values of members named in [`SENSITIVE_KEYS`] at any depth, and the
/// userinfo of `cloudinary://` / `account://` URLs inside any string, member names included.
pub fn redact_json(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            if map
                .keys()
                .any(|k| matches!(mask_url_userinfo(k), Cow::Owned(_)))
            {
                for (k, v) in std::mem::take(map) {
                    map.insert(mask_url_userinfo(&k).into_owned(), v);
                }
            }
            for (k, v) in map.iter_mut() {
                if is_sensitive_key(k) && !v.is_null() {
                    *v = serde_json::Value::String(MASK.to_owned());
                } else {
                    redact_json(v);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(redact_json),
        serde_json::Value::String(s) => {
            if let Cow::Owned(masked) = mask_url_userinfo(s) {
                *s = masked;
            }
        }
        _ => {}
    }
}

/// `Debug` of any value with [`redact_text`] applied to what it prints.
///
/// The generated models use it for the fields whose contents come from outside and are not
/// typed as secrets: strings (a message may quote a `cloudinary://key:secret@cloud` URL),
/// free-form objects and the `extra` map of unknown properties (a newer server may add an
/// `api_secret` this crate has no field for).
pub struct RedactedDebug<'a, T: ?Sized>(pub &'a T);

impl<T: fmt::Debug + ?Sized> fmt::Debug for RedactedDebug<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The work is in a function compiled once; each `T` only lends its `Debug`.
        write_redacted(f, &ByRef(self.0))
    }
}

/// A `Debug` value behind a sized reference, so that an unsized one can be a `dyn Debug`.
struct ByRef<'a, T: ?Sized>(&'a T);

impl<T: fmt::Debug + ?Sized> fmt::Debug for ByRef<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// `value`'s `Debug` text (pretty when `f` asks for it), redacted, written to `f`.
pub(crate) fn write_redacted(f: &mut fmt::Formatter<'_>, value: &dyn fmt::Debug) -> fmt::Result {
    let text = if f.alternate() {
        format!("{value:#?}")
    } else {
        format!("{value:?}")
    };
    f.write_str(&redact_text(&text))
}

/// `Debug` for a header map that prints `***` for `Authorization`, cookies and the like.
pub struct RedactedHeaders<'a>(pub &'a HeaderMap);

impl fmt::Debug for RedactedHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.0 {
            // `is_sensitive` is how the `http` crate marks a value not to be shown; a caller
            // may set it on any header of their own (an API token under a custom name).
            if SENSITIVE_HEADERS.contains(&name.as_str()) || value.is_sensitive() {
                map.entry(&name.as_str(), &MASK);
            } else {
                match value.to_str() {
                    Ok(v) => map.entry(&name.as_str(), &redact_text(v)),
                    Err(_) => map.entry(&name.as_str(), &"<non-UTF-8>"),
                };
            }
        }
        map.finish()
    }
}

/// `true` for a JSON member name listed in [`SENSITIVE_KEYS`] (any case).
pub(crate) fn is_sensitive_key(key: &str) -> bool {
    SENSITIVE_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key))
}

/// [`is_sensitive_key`] for a name as written in JSON text, between its quotes: escapes
/// (`api\u005fsecret`, `api\_secret` is not valid JSON) are decoded first, so spelling a
/// name differently does not hide its value.
fn is_sensitive_raw_key(raw: &str) -> bool {
    if !raw.contains('\\') {
        return is_sensitive_key(raw);
    }
    serde_json::from_str::<String>(&format!("\"{raw}\"")).is_ok_and(|key| is_sensitive_key(&key))
}

/// `text` with every one of `values` (as [`sensitive_values`] lists them, longest first)
/// replaced by `***`.
pub(crate) fn mask_values<'a>(text: &'a str, values: &[String]) -> Cow<'a, str> {
    let mut out = Cow::Borrowed(text);
    for value in values {
        if out.contains(value.as_str()) {
            out = Cow::Owned(out.replace(value.as_str(), MASK));
        }
    }
    out
}

/// Masks `values` in every string (member names included) of a JSON value, in place.
pub(crate) fn mask_values_in_json(value: &mut serde_json::Value, values: &[String]) {
    if values.is_empty() {
        return;
    }
    match value {
        serde_json::Value::String(s) => {
            if let Cow::Owned(m) = mask_values(s, values) {
                *s = m;
            }
        }
        serde_json::Value::Array(items) => {
            items
                .iter_mut()
                .for_each(|v| mask_values_in_json(v, values));
        }
        serde_json::Value::Object(map) => {
            for (k, mut v) in std::mem::take(map) {
                mask_values_in_json(&mut v, values);
                map.insert(mask_values(&k, values).into_owned(), v);
            }
        }
        _ => {}
    }
}

/// Masks what strings holding JSON of their own (`"bad body {\"api_secret\":\"...\"}"`, a
/// server quoting what it was sent) hide from the member scan, which sees each such string as
/// one value: the string is decoded, redacted `levels - 1` levels further, and written back
/// re-escaped when anything in it was masked.
fn mask_nested(text: &str, levels: usize) -> Cow<'_, str> {
    if levels == 0 || !text.contains("\\\"") {
        return Cow::Borrowed(text);
    }
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'"' {
            i += 1;
            continue;
        }
        let closed = string_end(bytes, i);
        let end = closed.map_or(bytes.len(), |e| e + 1);
        let literal = &text[i..end];
        if literal.contains("\\\"") {
            if let Some(masked) = mask_literal(literal, closed.is_some(), levels) {
                let buf = out.get_or_insert_with(|| String::with_capacity(text.len()));
                buf.push_str(&text[copied..i]);
                buf.push_str(&masked);
                copied = end;
            }
        }
        i = end;
    }
    match out {
        Some(mut buf) => {
            buf.push_str(&text[copied..]);
            Cow::Owned(buf)
        }
        None => Cow::Borrowed(text),
    }
}

/// The string literal `literal` (with its quotes; the closing one missing when `closed` is
/// false) with the secrets of the text it encodes masked, or `None` when it hides none.
fn mask_literal(literal: &str, closed: bool, levels: usize) -> Option<String> {
    let quoted = if closed {
        Cow::Borrowed(literal)
    } else {
        // Cut off: close it (dropping a dangling escape) so that it decodes.
        let body = literal.strip_suffix('\\').unwrap_or(literal);
        Cow::Owned(format!("{body}\""))
    };
    // JSON escapes first; text that is not JSON (a `Debug` string) by its quotes and
    // backslashes alone.
    let decoded = serde_json::from_str::<String>(&quoted)
        .ok()
        .unwrap_or_else(|| unescape_quotes(&quoted[1..quoted.len() - 1]));
    let Cow::Owned(masked) = redact_text_nested(&decoded, levels - 1) else {
        return None;
    };
    let mut written = serde_json::Value::String(masked).to_string();
    if !closed {
        written.pop();
    }
    Some(written)
}

/// `\"` and `\\` read as `"` and `\`; every other escape kept as written.
fn unescape_quotes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (c, chars.clone().next()) {
            ('\\', Some(next @ ('"' | '\\'))) => {
                out.push(next);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

/// Replaces the values of sensitive JSON members in `text`.
fn mask_json_members(text: &str) -> Cow<'_, str> {
    let spans = sensitive_member_spans(text);
    if spans.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut buf = String::with_capacity(text.len());
    // `copied` is how far `text` has been copied to `buf`.
    let mut copied = 0;
    for (start, end) in spans {
        buf.push_str(&text[copied..start]);
        buf.push('"');
        buf.push_str(MASK);
        buf.push('"');
        copied = end;
    }
    buf.push_str(&text[copied..]);
    Cow::Owned(buf)
}

/// Byte ranges of the (non-null) values of members named in [`SENSITIVE_KEYS`] in `text`, in
/// order and not overlapping. Each range starts and ends on a character boundary.
fn sensitive_member_spans(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'"' {
            i += 1;
            continue;
        }
        // A JSON string starts here; find its end (honouring escapes).
        let Some(end) = string_end(bytes, i) else {
            break;
        };
        let key = &text[i + 1..end];
        let mut j = skip_ws(bytes, end + 1);
        if bytes.get(j) == Some(&b':') && is_sensitive_raw_key(key) {
            j = skip_ws(bytes, j + 1);
            let value_end = match bytes.get(j) {
                Some(b'"') => string_end(bytes, j).map_or(bytes.len(), |e| e + 1),
                Some(b'n') if bytes[j..].starts_with(b"null") => j, // nothing to hide
                Some(_) => scalar_end(bytes, j),
                None => j,
            };
            if value_end > j {
                spans.push((j, value_end));
            }
            i = value_end.max(j);
            continue;
        }
        i = end + 1;
    }
    spans
}

/// The shortest value [`sensitive_values`] reports: masking every occurrence of a very short
/// value (`"secret": "a"`) would mangle the message it is removed from, and hides nothing.
const MIN_SECRET_LEN: usize = 6;

/// The values of members named in [`SENSITIVE_KEYS`] in the JSON text `body`, in the forms in
/// which another message may repeat them: as written in the JSON, and for a string also
/// unescaped and `Debug`-escaped (how serde quotes a value in an error). Values shorter than
/// six characters are left out.
///
/// A deserializer's error repeats the offending value without its key
/// (``invalid type: integer `123`, expected a string``), so [`redact_text`] alone cannot tell a
/// secret there; these values can be masked in it by
/// [`JsonError`](crate::error::JsonError).
pub(crate) fn sensitive_values(body: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (start, end) in sensitive_member_spans(body) {
        let raw = &body[start..end];
        let mut forms = vec![raw.to_owned()];
        let mut value = raw;
        if let Some(inner) = raw.strip_prefix('"') {
            value = inner.strip_suffix('"').unwrap_or(inner);
            forms.push(value.to_owned());
            if let Ok(unescaped) = serde_json::from_str::<String>(raw) {
                let debug = format!("{unescaped:?}");
                forms.push(debug[1..debug.len() - 1].to_owned());
                forms.push(unescaped);
            }
        }
        if value.chars().count() < MIN_SECRET_LEN {
            continue;
        }
        for form in forms {
            if !out.contains(&form) {
                out.push(form);
            }
        }
    }
    // Longest first, so a value is masked whole before a shorter form of it is looked for.
    out.sort_by_key(|v| std::cmp::Reverse(v.len()));
    out
}

/// Index of the closing quote of the string opening at `start`, or `None` if it is cut off.
fn string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut k = start + 1;
    while k < bytes.len() {
        match bytes[k] {
            b'\\' => k += 2,
            b'"' => return Some(k),
            _ => k += 1,
        }
    }
    None
}

fn skip_ws(bytes: &[u8], mut k: usize) -> usize {
    while k < bytes.len() && bytes[k].is_ascii_whitespace() {
        k += 1;
    }
    k
}

/// End of a non-string JSON value (number, bool, or a nested value up to its matching bracket).
fn scalar_end(bytes: &[u8], start: usize) -> usize {
    let mut depth = 0usize;
    let mut k = start;
    while k < bytes.len() {
        match bytes[k] {
            b'"' => {
                k = string_end(bytes, k).map_or(bytes.len(), |e| e + 1);
                continue;
            }
            // Parentheses never occur in JSON outside strings; they nest in `Debug` output
            // (`String("x")`, pretty-printed over several lines), which is masked too.
            b'{' | b'[' | b'(' => depth += 1,
            b'}' | b']' | b')' if depth == 0 => return k,
            b'}' | b']' | b')' => {
                depth -= 1;
                if depth == 0 {
                    return k + 1;
                }
            }
            b',' if depth == 0 => return k,
            c if depth == 0 && c.is_ascii_whitespace() => return k,
            _ => {}
        }
        k += 1;
    }
    bytes.len()
}

/// Replaces `key:secret` in `cloudinary://key:secret@cloud` (and `account://`) with `***`.
fn mask_url_userinfo(text: &str) -> Cow<'_, str> {
    let lower = text.to_ascii_lowercase();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut search = 0;
    while let Some((pos, scheme)) = URL_SCHEMES
        .iter()
        .filter_map(|s| lower[search..].find(s).map(|p| (search + p, s.len())))
        .min()
    {
        let info_start = pos + scheme;
        // The userinfo ends at the last '@' before the authority ends.
        let authority_end = text[info_start..]
            .find(|c: char| c == '/' || c == '"' || c == '\'' || c == '\\' || c.is_whitespace())
            .map_or(text.len(), |e| info_start + e);
        search = authority_end.max(info_start);
        let authority = &text[info_start..authority_end];
        // A URL cut off by truncation before its '@' (`cloudinary://key:secr`) still holds
        // the secret: when the text ends inside a `key:...` authority, mask all of it.
        let cut_off = authority_end == text.len() && authority.contains(':');
        let masked_until = match authority.rfind('@') {
            Some(at) => Some(info_start + at),
            None if cut_off => Some(authority_end),
            None => None,
        };
        if let Some(end) = masked_until {
            let buf = out.get_or_insert_with(|| String::with_capacity(text.len()));
            buf.push_str(&text[copied..info_start]);
            buf.push_str(MASK);
            copied = end;
        }
    }
    match out {
        None => Cow::Borrowed(text),
        Some(mut buf) => {
            buf.push_str(&text[copied..]);
            Cow::Owned(buf)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_sensitive_json_members() {
        let cases = [
            (
                r#"{"api_key":"123","api_secret":"s3cr3t"}"#,
                r#"{"api_key":"123","api_secret":"***"}"#,
            ),
            (
                r#"{"secret" : "a\"b", "x":1}"#,
                r#"{"secret" : "***", "x":1}"#,
            ),
            (
                r#"{"provisioning_api_secret":42}"#,
                r#"{"provisioning_api_secret":"***"}"#,
            ),
            (
                r#"{"secret":{"a":[1,2]},"b":2}"#,
                r#"{"secret":"***","b":2}"#,
            ),
            (r#"{"secret":null}"#, r#"{"secret":null}"#),
            (r#"[{"API_SECRET":"x"}]"#, r#"[{"API_SECRET":"***"}]"#),
            // A value that is cut off is still masked.
            (r#"{"api_secret":"abc"#, r#"{"api_secret":"***""#),
            // The word as a value, not a key, is left alone.
            (r#"{"name":"secret","n":1}"#, r#"{"name":"secret","n":1}"#),
            // `Debug` output of a JSON map, plain and pretty.
            (
                r#"{"api_secret": String("s3"), "n": Number(1)}"#,
                r#"{"api_secret": "***", "n": Number(1)}"#,
            ),
            (
                "{\n    \"secret\": String(\n        \"s3\",\n    ),\n}",
                "{\n    \"secret\": \"***\",\n}",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(redact_text(input), want, "{input}");
        }
    }

    #[test]
    fn redaction_does_not_depend_on_the_spelling_of_the_key() {
        let escaped =
            r#"{"api\u005fsecret":"Hunter2Hunter2","x":1,"API\u005FSECRET":"Other22Secret"}"#;
        let out = redact_text(escaped);
        assert!(!out.contains("Hunter2Hunter2"), "{out}");
        assert!(!out.contains("Other22Secret"), "{out}");
        assert!(out.contains(r#""x":1"#), "{out}");
        // A broken escape is left to the plain comparison, never a panic.
        assert_eq!(redact_text(r#"{"api\u00":"v"}"#), r#"{"api\u00":"v"}"#);
    }

    #[test]
    fn a_secret_value_is_masked_wherever_else_the_body_repeats_it() {
        let body = r#"{"api_secret":"S3cr3tValue1","echo":"S3cr3tValue1","msg":"bad S3cr3tValue1!","S3cr3tValue1":2}"#;
        let out = redact_text(body);
        assert!(!out.contains("S3cr3tValue1"), "{out}");
        assert!(out.contains(r#""msg":"bad ***!""#), "{out}");
        // Short values are masked under their key only.
        let short = r#"{"secret":"abc","name":"abc"}"#;
        assert_eq!(redact_text(short), r#"{"secret":"***","name":"abc"}"#);

        let mut v = serde_json::json!({"a": ["x S3cr3tValue1"], "S3cr3tValue1": 1});
        mask_values_in_json(&mut v, &["S3cr3tValue1".to_owned()]);
        assert_eq!(v, serde_json::json!({"a": ["x ***"], "***": 1}));
    }

    #[test]
    fn headers_marked_sensitive_by_the_caller_are_masked() {
        let mut h = HeaderMap::new();
        let mut token = http::HeaderValue::from_static("TokenValue123");
        token.set_sensitive(true);
        h.insert("x-my-token", token);
        h.insert("x-plain", http::HeaderValue::from_static("shown"));
        let s = format!("{:?}", RedactedHeaders(&h));
        assert!(!s.contains("TokenValue123"), "{s}");
        assert!(s.contains("shown"), "{s}");
    }

    #[test]
    fn masks_url_userinfo() {
        let input = r#"{"api_environment_variable":"CLOUDINARY_URL=cloudinary://k:s@cloud","u":"account://key:se@cr@acc1 and CLOUDINARY://a:b@c/d"}"#;
        let out = redact_text(input);
        assert!(!out.contains("k:s"), "{out}");
        assert!(!out.contains("se@cr"), "{out}");
        assert!(!out.contains("a:b"), "{out}");
        assert!(out.contains("account://***@acc1"), "{out}");
        assert!(out.contains("CLOUDINARY://***@c/d"), "{out}");
        assert_eq!(
            redact_text("see cloudinary://cloud-only/x"),
            "see cloudinary://cloud-only/x"
        );
        assert!(matches!(redact_text("plain text"), Cow::Borrowed(_)));
        // Cut off before the '@' (a truncated body): the rest is masked.
        assert_eq!(
            redact_text(r#"["cloudinary://key:s3cr3tva"#),
            r#"["cloudinary://***"#
        );
        assert_eq!(
            redact_text("see cloudinary://cloud"),
            "see cloudinary://cloud"
        );
    }

    /// Found by the decoder property test: a truncated sensitive member whose value is the
    /// start of `cloudinary` turned an earlier account URL into `***nary://key:secret@...`,
    /// which was then no longer seen as a URL.
    #[test]
    fn a_repeated_value_that_starts_a_url_does_not_hide_the_url_from_masking() {
        let input = r#"{"api_secret":1000,"id":"cloudinary://key:s3cr3tvalue@demo","x":{"api_secret":"cloudi"#;
        let out = redact_text(input);
        assert!(!out.contains("s3cr3tvalue"), "{out}");
        // The repeated value is masked inside the URL too, after the URL's userinfo was.
        assert!(out.contains("nary://***@demo"), "{out}");
        // The same URL with no sensitive member beside it.
        assert_eq!(
            redact_text(r#"{"id":"cloudinary://key:s3cr3tvalue@demo"}"#),
            r#"{"id":"cloudinary://***@demo"}"#
        );
    }

    #[test]
    fn a_url_authority_ends_at_a_slash_a_quote_or_a_backslash() {
        // An '@' past the authority (in the path, or in the next string) does not end the
        // userinfo: masking up to it would swallow text that holds no secret.
        for (input, want) in [
            (
                "cloudinary://k:s3cr3tval@cloud/a@b",
                "cloudinary://***@cloud/a@b",
            ),
            (
                r#"["cloudinary://cloud","a@b"]"#,
                r#"["cloudinary://cloud","a@b"]"#,
            ),
            (
                "['cloudinary://cloud','a@b']",
                "['cloudinary://cloud','a@b']",
            ),
            (r#""cloudinary://cloud\a@b""#, r#""cloudinary://cloud\a@b""#),
        ] {
            assert_eq!(redact_text(input), want, "{input}");
        }
    }

    #[test]
    fn redact_json_value() {
        let mut v = serde_json::json!({
            "access_keys": [{"api_key": "1", "api_secret": "s"}],
            "note": "cloudinary://k:s@c",
            "secret": null,
        });
        redact_json(&mut v);
        assert_eq!(
            v,
            serde_json::json!({
                "access_keys": [{"api_key": "1", "api_secret": "***"}],
                "note": "cloudinary://***@c",
                "secret": null,
            })
        );
    }

    #[test]
    fn redact_json_masks_userinfo_in_member_names() {
        let mut v = serde_json::json!({"cloudinary://k:KEYSECRET@c": "x", "plain": 1});
        redact_json(&mut v);
        assert_eq!(
            v,
            serde_json::json!({"cloudinary://***@c": "x", "plain": 1})
        );
    }

    #[test]
    fn sensitive_values_in_all_their_forms() {
        let body = r#"{"api_secret":"ab\"cdef\u00e9","secret":123456789,"password":"short","x":{"provisioning_api_secret":"nested-secret"},"name":"not secret"}"#;
        let values = sensitive_values(body);
        for want in [
            r#""ab\"cdef\u00e9""#,
            r#"ab\"cdef\u00e9"#,
            r#"ab\"cdefé"#,
            "ab\"cdefé",
            "123456789",
            "nested-secret",
        ] {
            assert!(values.iter().any(|v| v == want), "{want} in {values:?}");
        }
        // Too short to be masked everywhere it occurs; never a non-sensitive member.
        assert!(!values.iter().any(|v| v.contains("short")), "{values:?}");
        assert!(
            !values.iter().any(|v| v.contains("not secret")),
            "{values:?}"
        );
        assert!(sensitive_values("not json at all").is_empty());
        assert!(sensitive_values(r#"{"api_secret":null}"#).is_empty());
        // Longest first.
        assert!(values.windows(2).all(|w| w[0].len() >= w[1].len()));
    }

    #[test]
    fn headers_debug_masks_authorization() {
        let mut h = HeaderMap::new();
        h.insert("authorization", "Basic azpz".parse().unwrap());
        h.insert("x-request-id", "r1".parse().unwrap());
        let s = format!("{:?}", RedactedHeaders(&h));
        assert!(!s.contains("azpz"), "{s}");
        assert!(s.contains("r1"), "{s}");
    }

    #[test]
    fn redacted_debug_masks_maps_strings_and_pretty_output() {
        let mut map = serde_json::Map::new();
        map.insert("api_secret".into(), "S3cr3tValue".into());
        map.insert("name".into(), "kept".into());
        let shown = format!("{:?}", RedactedDebug(&map));
        assert!(!shown.contains("S3cr3tValue"), "{shown}");
        assert!(shown.contains("kept"), "{shown}");
        let pretty = format!("{:#?}", RedactedDebug(&map));
        assert!(!pretty.contains("S3cr3tValue"), "{pretty}");
        let message = String::from("use cloudinary://123:S3cr3tValue@demo");
        let shown = format!("{:?}", RedactedDebug(&message));
        assert!(
            !shown.contains("S3cr3tValue") && shown.contains("@demo"),
            "{shown}"
        );
        assert_eq!(format!("{:?}", RedactedDebug(&Some(7))), "Some(7)");
    }

    #[test]
    fn a_sensitive_member_after_other_strings_is_masked_exactly() {
        // Earlier string members (keys and values) must be skipped whole, or the parser loses
        // track of which strings are keys.
        assert_eq!(
            redact_text(r#"{"note":"x","api_secret":"topsecret","n":1}"#),
            r#"{"note":"x","api_secret":"***","n":1}"#
        );
        assert_eq!(
            redact_text(r#"{"a":"b","c":"d","secret":"hunter22"}"#),
            r#"{"a":"b","c":"d","secret":"***"}"#
        );
    }

    #[test]
    fn only_a_real_null_is_left_unmasked() {
        assert_eq!(
            redact_text(r#"{"api_secret": null}"#),
            r#"{"api_secret": null}"#
        );
        // Not JSON, but a broken body can say it: a bare word starting with `n` is a value.
        assert!(!redact_text(r#"{"api_secret": nothing123}"#).contains("nothing123"));
    }

    #[test]
    fn the_scan_resumes_after_each_string_whole() {
        // An empty string is skipped like any other (resuming at its closing quote would
        // read that quote again, for ever).
        assert_eq!(
            redact_text(r#"{"a":"","api_secret":"hunter22"}"#),
            r#"{"a":"","api_secret":"***"}"#
        );
        // Text that is not JSON: a quote escaped outside any string must not make the scan
        // read the gap after a string as a string, which would swallow the key that follows.
        assert_eq!(
            redact_text(r#""x" \"api_secret":"hunter22""#),
            r#""x" \"api_secret":"***""#
        );
    }

    #[test]
    fn a_non_string_secret_ends_where_its_value_ends() {
        // A value cut off by truncation runs to the end of the text, and is masked whole.
        assert_eq!(redact_text(r#"{"secret":12345"#), r#"{"secret":"***""#);
        // A bracket inside a string of a nested value does not end the value.
        assert_eq!(
            redact_text(r#"{"secret":{"a":"}"},"n":1}"#),
            r#"{"secret":"***","n":1}"#
        );
        assert_eq!(
            redact_text(r#"{"api_secret": String("a)b"), "n": 1}"#),
            r#"{"api_secret": "***", "n": 1}"#
        );
        // Whitespace after a bare value ends it; what follows is kept as it was.
        assert_eq!(
            redact_text(r#"{"secret": 12345 , "n": 1}"#),
            r#"{"secret": "***" , "n": 1}"#
        );
    }

    #[test]
    fn a_secret_of_exactly_the_minimum_length_is_reported() {
        let body = format!(r#"{{"api_secret":"{}"}}"#, "s".repeat(MIN_SECRET_LEN));
        assert!(sensitive_values(&body).contains(&"s".repeat(MIN_SECRET_LEN)));
        let short = format!(r#"{{"api_secret":"{}"}}"#, "s".repeat(MIN_SECRET_LEN - 1));
        assert!(sensitive_values(&short).is_empty());
    }

    /// A server that quotes the body it was sent puts escaped JSON inside a string, which the
    /// member scan sees as one value; the secrets in it are masked, whatever their length,
    /// at each level of quoting, also when the text is cut off or is `Debug` output.
    #[test]
    fn secrets_in_json_quoted_inside_a_string_are_masked() {
        let one = r#"{"error":{"message":"bad body {\"api_secret\":\"hunter22hunter\",\"name\":\"n\"}"}}"#;
        assert_eq!(
            redact_text(one),
            r#"{"error":{"message":"bad body {\"api_secret\":\"***\",\"name\":\"n\"}"}}"#
        );
        // A short secret too: the member is known, not guessed from its length.
        let short = r#"{"message":"sent {\"secret\":\"abc\"}"}"#;
        assert_eq!(
            redact_text(short),
            r#"{"message":"sent {\"secret\":\"***\"}"}"#
        );
        // Quoted twice.
        let two = r#"{"m":"outer {\"inner\":\"got {\\\"api_secret\\\":\\\"s3cr3tValue\\\"}\"}"}"#;
        let out = redact_text(two);
        assert!(!out.contains("s3cr3tValue"), "{out}");
        assert!(out.contains("got {"), "{out}");
        // Cut off inside the quoted body, after the secret.
        let cut = r#"{"message":"bad body {\"api_secret\":\"hunter22hunter\",\"na"#;
        let out = redact_text(cut);
        assert!(!out.contains("hunter22hunter"), "{out}");
        assert!(out.ends_with(r#",\"na"#), "{out}");
        // `Debug` of a message, with an escape JSON does not have.
        let debug = r#"Some("bad \u{1f600} {\"api_secret\":\"hunter22hunter\"}")"#;
        // Its other escapes are kept, written the way JSON writes a backslash.
        assert_eq!(
            redact_text(debug),
            r#"Some("bad \\u{1f600} {\"api_secret\":\"***\"}")"#
        );
        // Nothing to mask: the same text, not a copy.
        let clean = r#"{"message":"bad body {\"name\":\"n\"}"}"#;
        assert!(matches!(redact_text(clean), Cow::Borrowed(_)));
    }

    /// Quoting deeper than the bound is left as it is rather than scanned without end.
    #[test]
    fn quoting_is_followed_a_bounded_number_of_levels() {
        let mut text = r#"{"api_secret":"deepSecret99"}"#.to_string();
        for _ in 0..MAX_NESTING {
            text = serde_json::Value::String(text).to_string();
        }
        assert!(!redact_text(&text).contains("deepSecret99"));
        let deeper = serde_json::Value::String(text).to_string();
        assert!(redact_text(&deeper).contains("deepSecret99"));
    }
}
