//! Parsing a large spec's YAML on several threads.
//!
//! The YAML parse is the longest step of `codegen` that runs on one thread (about a third
//! of it for our spec), and it cannot be split inside the parser. It can be split outside:
//! an OpenAPI document is a block mapping whose top-level entries (`info`, `paths`,
//! `components`, ...) start at column 0, and each run of whole entries is a YAML document of
//! its own. Each run is parsed on its own thread and the mappings are joined in order.
//!
//! The split is only an optimisation, never a second parser: whenever the text is not laid
//! out plainly (directives, document markers, anything at column 0 that is not a plain key),
//! a run fails to parse (an alias whose anchor sits in another run, an unterminated quote or
//! flow collection cut at a key-looking line), or two runs hold the same key, the caller
//! parses the whole text as before, so every message and every result is the whole parse's.

use yaml_serde::{Mapping, Value};

/// Below this size the threads cost more than they save.
pub const MIN_SPLIT_BYTES: usize = 64 * 1024;

/// The document parsed in `parts` runs on as many threads, or `None` when the text is small,
/// cannot be split safely, or any run fails: the caller then parses it whole.
pub fn parse_in_parts(text: &str, parts: usize) -> Option<Value> {
    if text.len() < MIN_SPLIT_BYTES || parts < 2 {
        return None;
    }
    let starts = entry_starts(text)?;
    let cuts = cut_points(&starts, text.len(), parts);
    if cuts.len() < 2 {
        return None;
    }
    let runs: Vec<&str> = cuts
        .iter()
        .zip(cuts.iter().skip(1).chain(std::iter::once(&text.len())))
        .filter_map(|(&from, &to)| text.get(from..to))
        .collect();
    let parsed: Vec<Option<Mapping>> = std::thread::scope(|scope| {
        let handles: Vec<_> = runs[1..]
            .iter()
            .map(|run| scope.spawn(move || parse_run(run)))
            .collect();
        let mut parsed = vec![parse_run(runs[0])];
        parsed.extend(handles.into_iter().map(|h| h.join().ok().flatten()));
        parsed
    });
    join(parsed)
}

/// One run of top-level entries, when it parses to a mapping.
fn parse_run(run: &str) -> Option<Mapping> {
    match yaml_serde::from_str::<Value>(run).ok()? {
        Value::Mapping(m) => Some(m),
        _ => None,
    }
}

/// The runs' mappings as one, in order; `None` when a run failed or a key repeats (the
/// whole parse then reports it).
fn join(parsed: Vec<Option<Mapping>>) -> Option<Value> {
    let mut all = Mapping::new();
    for run in parsed {
        for (key, value) in run? {
            if all.contains_key(&key) {
                return None;
            }
            all.insert(key, value);
        }
    }
    Some(Value::Mapping(all))
}

/// The byte offsets of the lines that start a top-level entry, or `None` when something at
/// column 0 is neither such a line, a comment nor blank (a directive, a document marker, a
/// flow mapping, a scalar continued at column 0, ...): such text is parsed whole.
fn entry_starts(text: &str) -> Option<Vec<usize>> {
    let mut starts = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let at = offset;
        offset += line.len();
        let Some(first) = line.chars().next() else {
            continue;
        };
        if first.is_whitespace() || first == '#' {
            continue;
        }
        if !is_plain_key_line(line) {
            return None;
        }
        starts.push(at);
    }
    Some(starts)
}

/// `name:` or `name: value` with a plain key: a letter, digit or `_` first, no quote,
/// bracket or comment in the key.
fn is_plain_key_line(line: &str) -> bool {
    let Some((key, rest)) = line.split_once(':') else {
        return false;
    };
    let plain = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '$' | '@' | '/'));
    plain && (rest.is_empty() || rest.starts_with([' ', '\t', '\n', '\r']))
}

/// Where each run starts: the entry start nearest each `i / parts` of the text, the first
/// run at 0 (before the first entry sit only comments and blank lines).
fn cut_points(starts: &[usize], len: usize, parts: usize) -> Vec<usize> {
    let mut cuts = vec![0];
    for i in 1..parts {
        let target = len / parts * i;
        let nearest = starts
            .iter()
            .copied()
            .filter(|&s| s > 0)
            .min_by_key(|&s| s.abs_diff(target));
        if let Some(cut) = nearest.filter(|c| c > cuts.last().unwrap_or(&0)) {
            cuts.push(cut);
        }
    }
    cuts
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A spec-shaped text past the size threshold: `entries` top-level keys, each with
    /// enough nested lines to pass `MIN_SPLIT_BYTES` in total.
    fn big(entries: usize) -> String {
        let mut text = String::from("# a comment\nopenapi: 3.0.3\n");
        for e in 0..entries {
            text.push_str(&format!("key{e}:\n"));
            for i in 0..400 {
                text.push_str(&format!("  item{i}: {{a: {i}, b: 'text {e}'}}\n"));
            }
        }
        text
    }

    fn whole(text: &str) -> Value {
        yaml_serde::from_str(text).unwrap_or(Value::Null)
    }

    #[test]
    fn the_parts_join_to_the_whole_parse_in_order() {
        let text = big(6);
        assert!(text.len() > MIN_SPLIT_BYTES);
        for parts in 2..5 {
            let split = parse_in_parts(&text, parts);
            assert_eq!(split.as_ref(), Some(&whole(&text)), "{parts} parts");
            let keys: Vec<_> = split
                .as_ref()
                .and_then(Value::as_mapping)
                .map(|m| m.keys().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            assert_eq!(
                keys,
                ["openapi", "key0", "key1", "key2", "key3", "key4", "key5"]
            );
        }
    }

    #[test]
    fn small_texts_and_one_part_are_parsed_whole() {
        assert_eq!(parse_in_parts("openapi: 3.0.3\npaths: {}\n", 2), None);
        assert_eq!(parse_in_parts(&big(6), 1), None);
    }

    #[test]
    fn an_alias_to_an_anchor_in_another_run_falls_back() {
        let mut text = big(4);
        text = text.replacen("key0:\n", "key0: &shared\n", 1);
        text.push_str("last: *shared\n");
        assert_eq!(parse_in_parts(&text, 2), None);
        assert!(whole(&text).get("last").is_some());
    }

    #[test]
    fn a_repeated_top_level_key_falls_back() {
        let mut text = big(4);
        text.push_str("key0: again\n");
        assert_eq!(parse_in_parts(&text, 2), None);
    }

    #[test]
    fn anything_else_at_column_zero_falls_back() {
        for odd in [
            "---\n",
            "%YAML 1.2\n",
            "\"quoted\": 1\n",
            "- item\n",
            "{a: 1}\n",
            "continued\n",
        ] {
            let text = format!("{}{odd}", big(4));
            assert_eq!(parse_in_parts(&text, 2), None, "{odd:?}");
        }
    }

    #[test]
    fn a_quoted_scalar_cut_at_a_key_looking_line_falls_back() {
        // Inside the quotes, `inside: x` at column 0 is text, and it is the entry start
        // nearest the middle: the first run ends in an open quote and does not parse.
        let half = "  words words words words words words words words words\n".repeat(700);
        let text =
            format!("openapi: 3.0.3\nquote: \"open\n{half}inside: x\n{half}  end\"\nlast: 1\n");
        let whole = whole(&text);
        let quoted = whole
            .get("quote")
            .and_then(Value::as_str)
            .unwrap_or_default();
        assert!(quoted.contains("inside: x"), "{quoted:.40}");
        let starts = entry_starts(&text).unwrap_or_default();
        let inside = text.find("\ninside").map_or(0, |i| i + 1);
        assert_eq!(cut_points(&starts, text.len(), 2), [0, inside]);
        assert_eq!(parse_in_parts(&text, 2), None);
    }

    #[test]
    fn cuts_fall_on_entry_starts_nearest_equal_shares() {
        assert_eq!(cut_points(&[0, 10, 50, 90], 100, 2), [0, 50]);
        assert_eq!(cut_points(&[0, 10, 20, 90], 100, 2), [0, 20]);
        assert_eq!(cut_points(&[0, 30, 60], 90, 3), [0, 30, 60]);
        // Fewer entries than parts: no empty runs.
        assert_eq!(cut_points(&[0, 40], 100, 4), [0, 40]);
        assert_eq!(cut_points(&[0], 100, 2), [0]);
    }

    #[test]
    fn plain_key_lines() {
        for yes in [
            "paths:\n",
            "openapi: 3.0.3\n",
            "x-tag-groups:\n",
            "a_b: [1]\n",
            "k:",
        ] {
            assert!(is_plain_key_line(yes), "{yes:?}");
        }
        for no in [
            "paths\n",
            "'q': 1\n",
            "a b: 1\n",
            "url:http\n",
            "{a: 1}\n",
            "-x: 1\n",
        ] {
            assert!(!is_plain_key_line(no), "{no:?}");
        }
    }
}
