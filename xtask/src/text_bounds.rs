//! Work bounds on the spec text, checked before the YAML parser sees it.
//!
//! The YAML scanner does work proportional to the open flow collections (`[`, `{`) for every
//! token of a line, so one line of 160 KB of `[` kept it busy for seconds to minutes before
//! the parser's own nesting limit (128 levels) failed the document. A linear pre-scan
//! estimates the flow depth and rejects a document the parser would reject anyway; with the
//! size cap this bounds the parser's work to about size × depth limit. Long lines, many lines
//! and deep block indentation were measured to cost linear time and need no bound of their own.

/// The largest spec read, in bytes. The largest public OpenAPI descriptions are about a third
/// of this; the cap only keeps a wrong `--spec` (a device, a dump) from being read whole.
pub const MAX_SPEC_BYTES: u64 = 32 * 1024 * 1024;

/// The deepest nesting of flow collections accepted: the YAML deserializer's own limit on
/// nesting of any kind, so nothing it would accept is refused here.
pub const MAX_FLOW_DEPTH: usize = 128;

/// Where a flow collection first opens deeper than `limit`, as a 1-based (line, column);
/// `None` when the text stays within it.
///
/// The estimate never undercounts real flow collections: quoted scalars, comments and block
/// scalars are skipped, and a bracket in block context only counts where a node can start
/// (after `: `, `- `, `? ` or at the start of a line), so `[` in prose does not count.
pub fn flow_too_deep(text: &str, limit: usize) -> Option<(usize, usize)> {
    let mut scan = FlowScan::default();
    text.lines()
        .enumerate()
        .find_map(|(index, line)| scan.line(line, limit).map(|column| (index + 1, column)))
}

/// The scanner state carried from line to line.
#[derive(Default)]
struct FlowScan {
    /// Open flow collections.
    depth: usize,
    /// The quote character of a quoted scalar that is still open.
    quote: Option<char>,
    /// Inside a block scalar (`|`, `>`): lines indented more than this are its content.
    block_scalar: Option<usize>,
}

impl FlowScan {
    /// Scans one line; the 1-based column where the depth first exceeds `limit`.
    fn line(&mut self, line: &str, limit: usize) -> Option<usize> {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(parent) = self.block_scalar {
            if line.trim().is_empty() || indent > parent {
                return None;
            }
            self.block_scalar = None;
        }
        // Most lines hold none of the characters that change the state (prose, `key: value`):
        // skipping them byte-wise makes the scan a small part of reading the spec.
        let changes_state =
            |b: &u8| matches!(b, b'[' | b']' | b'{' | b'}' | b'\'' | b'"' | b'|' | b'>');
        if self.quote.is_none() && !line.as_bytes().iter().any(changes_state) {
            return None;
        }
        // A node may start here: at the start of a line, after an indicator, inside a flow
        // collection after `[`, `{` or `,`.
        let mut node_start = true;
        let mut after_space = true;
        // Columns of this line's first key and last `- `, for a block scalar's indentation.
        let mut key_column: Option<usize> = None;
        let mut dash_column: Option<usize> = None;
        let mut chars = line.char_indices().peekable();
        while let Some((column, c)) = chars.next() {
            if let Some(quote) = self.quote {
                if c == '\\' && quote == '"' {
                    chars.next();
                } else if c == quote {
                    if quote == '\'' && chars.peek().is_some_and(|&(_, n)| n == '\'') {
                        chars.next();
                    } else {
                        self.quote = None;
                        node_start = false;
                    }
                }
                continue;
            }
            let next_is_space = chars.peek().is_none_or(|&(_, n)| n == ' ' || n == '\t');
            let in_flow = self.depth > 0;
            match c {
                ' ' | '\t' => {
                    after_space = true;
                    continue;
                }
                '#' if after_space => break,
                '[' | '{' if node_start || in_flow => {
                    self.depth += 1;
                    if self.depth > limit {
                        return Some(column + 1);
                    }
                    key_column.get_or_insert(column);
                    node_start = true;
                }
                ']' | '}' if in_flow => {
                    self.depth -= 1;
                    node_start = false;
                }
                ',' if in_flow => node_start = true,
                // In flow context a value may follow `:` directly (`{"a":[1]}`).
                ':' if next_is_space || in_flow => node_start = true,
                '-' | '?' if next_is_space && !in_flow => {
                    dash_column = Some(column);
                    node_start = true;
                }
                '|' | '>' if node_start && !in_flow => {
                    self.block_scalar = Some(key_column.or(dash_column).unwrap_or(indent));
                    return None;
                }
                '\'' | '"' if node_start => {
                    key_column.get_or_insert(column);
                    self.quote = Some(c);
                }
                // An anchor or a tag comes before the node it names.
                '&' | '!' if node_start => {
                    while chars.next_if(|&(_, n)| n != ' ' && n != '\t').is_some() {}
                    key_column.get_or_insert(column);
                }
                _ => {
                    if node_start {
                        key_column.get_or_insert(column);
                    }
                    node_start = false;
                }
            }
            after_space = false;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth_ok(text: &str, limit: usize) -> bool {
        flow_too_deep(text, limit).is_none()
    }

    #[test]
    fn deep_flow_collections_are_found_where_they_cross_the_limit() {
        assert_eq!(flow_too_deep(&"[".repeat(200), 128), Some((1, 129)));
        assert_eq!(flow_too_deep("a: 1\nb: {c: [[[", 3), Some((2, 10)));
        assert!(depth_ok(
            &format!("{}{}", "[".repeat(128), "]".repeat(128)),
            128
        ));
        // Closed collections do not add up.
        assert!(depth_ok(&"- [[a]]\n".repeat(1000), 2));
    }

    #[test]
    fn brackets_that_open_nothing_are_not_counted() {
        let text = "\
description: see [the docs] and [[wiki\n\
quoted: 'it''s [[[ {{{'\n\
double: \"\\\" [[[ \"\n\
plain: a#[[[ # comment [[[\n\
# [[[ a comment line\n\
block: |\n  [[[ markdown\n   {{{\n\n  more [[[\n\
next: >-\n  [[[\n\
- |\n  [[[\n\
- key: >\n    [[[\n  other: ok\n\
json: {\"a\":\"[[[\", \"b\":[1]}\n";
        assert!(depth_ok(text, 2), "{:?}", flow_too_deep(text, 2));
    }

    #[test]
    fn brackets_after_anchors_tags_and_indicators_count() {
        assert!(!depth_ok("a: &x [[", 1));
        assert!(!depth_ok("a: !!seq [[", 1));
        assert!(!depth_ok("- [[", 1));
        assert!(!depth_ok("? [[", 1));
        // A block scalar ends where the indentation returns to its parent's.
        assert!(!depth_ok("a: |\n  [[[\nb: [[", 1));
    }

    /// Quoted scalars end where YAML ends them, so what follows them is counted again;
    /// comments, anchors and block-scalar indicators act only where YAML reads them as such.
    /// Each case is worked out by hand from the YAML rules, not from this scanner.
    #[test]
    fn scalars_and_indicators_end_where_yaml_ends_them() {
        let too_deep = [
            ("q: \"ab\"\nz: [[", 1),
            // A backslash is text in single quotes; `''` is one quote inside them.
            ("q: 'a\\'\nz: [[", 1),
            ("q: \"a\\\"b\"\nz: [[", 1),
            ("q: 'it''s'\nz: [[", 1),
            ("z: ['a', [[", 2),
            ("z: [a, \"]]\", [[", 2),
            // A tab after `-` makes it an indicator too.
            ("-\t[[", 1),
            // `#` starts a comment only after a space; `|`, `&` and a quote inside a flow
            // collection or a word start nothing.
            ("z: [a#b, [[", 2),
            ("z: [|a, [[", 2),
            ("z: [a&[[", 2),
            ("a: it's\nb: [[", 1),
        ];
        for (text, limit) in too_deep {
            assert!(!depth_ok(text, limit), "undercounted: {text:?}");
        }
        let within = [
            // `-`, `,` and `:` glued to text are part of a plain scalar, not indicators.
            ("a: x-[[ y", 1),
            ("a: x, [[ y", 1),
            ("a: x:[[", 1),
            // `''` inside single quotes does not end them.
            ("z: ['a'' [[ ']", 1),
            // A comment inside a flow collection hides its brackets.
            ("z: [1, # [[[\n  2]", 1),
        ];
        for (text, limit) in within {
            assert!(depth_ok(text, limit), "overcounted: {text:?}");
        }
    }

    #[test]
    fn the_projects_specs_are_not_overcounted() {
        // Their flow collections are at most two deep (`security: []`, `{type: string}`),
        // while their prose is full of brackets; an estimate above 4 means prose was counted.
        let root = crate::workspace::root().unwrap_or_else(|e| panic!("{e}"));
        let fixtures = std::fs::read_dir(root.join("tests/fixtures"))
            .unwrap_or_else(|e| panic!("tests/fixtures: {e}"))
            .flatten()
            .map(|entry| entry.path());
        let specs: Vec<_> = fixtures
            .chain([root.join(crate::codegen::DEFAULT_SPEC)])
            .collect();
        assert!(specs.len() > 1);
        for spec in specs {
            let text = std::fs::read_to_string(&spec)
                .unwrap_or_else(|e| panic!("{}: {e}", spec.display()));
            assert_eq!(flow_too_deep(&text, 4), None, "{}", spec.display());
        }
    }
}
