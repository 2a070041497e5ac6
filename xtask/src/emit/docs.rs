//! Doc comments from spec text. Spec prose is Markdown written for a web page; rustdoc would
//! compile its code blocks as doctests, so fences become `text` and indentation is dropped.

use crate::error::{printable, unprintable};
use proc_macro2::{Group, Literal, TokenStream, TokenTree};
use quote::quote;

/// `#[doc = ...]` attributes, one per line, from any number of paragraphs.
pub fn doc_attrs(paragraphs: &[&str]) -> TokenStream {
    let mut lines: Vec<String> = Vec::new();
    for p in paragraphs.iter().filter(|p| !p.trim().is_empty()) {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(clean(p));
    }
    let attrs = lines.iter().map(|l| {
        let text = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        let text = doc_literal(&text);
        quote!(#[doc = #text])
    });
    quote!(#(#attrs)*)
}

/// `#[doc = ...]` attributes for the generator's own prose, which is written as rustdoc
/// Markdown and may hold intra-doc links (`[`Name`]`): unlike spec text it is not cleaned,
/// so those links stay links. Paragraphs are separated by a blank line.
pub fn own_doc(paragraphs: &[&str]) -> TokenStream {
    let mut lines: Vec<String> = Vec::new();
    for p in paragraphs.iter().filter(|p| !p.trim().is_empty()) {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(p.trim().lines().map(|l| format!(" {}", l.trim_end())));
    }
    let lines = lines.iter().map(|l| doc_literal(l));
    quote!(#(#[doc = #lines])*)
}

/// A blank doc line and then `text` verbatim: for the generator's own compile-checked
/// examples, which must stay Rust code blocks.
pub fn raw_doc(text: &str) -> TokenStream {
    let attrs = std::iter::once(String::new())
        .chain(text.lines().map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!(" {l}")
            }
        }))
        .map(|l| {
            let l = doc_literal(&l);
            quote!(#[doc = #l])
        });
    quote!(#(#attrs)*)
}

/// The string literal of one doc line. A line that prettyplease prints as a `///` comment
/// (one line, not starting with `/`) and that holds nothing [`printable_docs`] must escape is
/// written raw (`r"..."`): prettyplease prints the same comment either way, and a raw
/// literal is neither escaped here nor unescaped by syn, which was an eighth of emitting.
/// Any other line is an ordinary escaped literal, as before.
pub fn doc_literal(text: &str) -> Literal {
    let plain = !text.starts_with('/') && !text.contains(|c| c == '\n' || unprintable(c));
    if plain {
        // Enough `#`s that no `"` in the text, followed by them, ends the literal early.
        let hashes = if text.contains('"') {
            1 + text.split(|c| c != '#').map(str::len).max().unwrap_or(0)
        } else {
            0
        };
        let fence = "#".repeat(hashes);
        if let Ok(literal) = format!("r{fence}\"{text}\"{fence}").parse::<Literal>() {
            return literal;
        }
    }
    Literal::string(text)
}

/// `tokens` with every `doc = "..."` string made [`printable`] (see `print_piece` in the
/// parent module for why); strings without such characters are left as they are.
pub fn printable_docs(tokens: TokenStream) -> TokenStream {
    // 0: nothing, 1: after `doc`, 2: after `doc =`.
    let mut state = 0u8;
    tokens
        .into_iter()
        .map(|tree| {
            let tree = match tree {
                TokenTree::Group(group) => {
                    let mut inner = Group::new(group.delimiter(), printable_docs(group.stream()));
                    inner.set_span(group.span());
                    TokenTree::Group(inner)
                }
                TokenTree::Literal(literal) if state == 2 => {
                    TokenTree::Literal(printable_literal(literal))
                }
                other => other,
            };
            state = match &tree {
                TokenTree::Ident(ident) if ident == "doc" => 1,
                TokenTree::Punct(punct) if punct.as_char() == '=' && state == 1 => 2,
                _ => 0,
            };
            tree
        })
        .collect()
}

/// A string literal with its value made [`printable`]; any other literal unchanged.
fn printable_literal(literal: Literal) -> Literal {
    // Literals made by `quote!` write control characters and direction overrides as escapes,
    // so one without a backslash holds none: most doc lines skip the parse.
    if !literal.to_string().contains('\\') {
        return literal;
    }
    let Ok(string) = syn::parse2::<syn::LitStr>(TokenTree::Literal(literal.clone()).into()) else {
        return literal;
    };
    let value = string.value();
    let safe = printable(&value);
    if safe == value {
        literal
    } else {
        Literal::string(&safe)
    }
}

fn clean(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in text.trim().lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            out.push(if in_fence {
                "```".to_string()
            } else {
                "```text".to_string()
            });
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(line.trim_end().to_string());
        } else {
            // List continuations need their indentation; four spaces or more would start an
            // indented code block, which rustdoc compiles as a doctest. Three keeps the first
            // and drops the second.
            let indent = line.len() - line.trim_start().len();
            out.push(format!("{}{}", " ".repeat(indent.min(3)), prose(trimmed)));
        }
    }
    if in_fence {
        out.push("```".to_string());
    }
    out
}

/// One line of prose made safe for rustdoc: outside inline code, a bare URL becomes an
/// autolink (`<https://...>`) and a `[` that does not open a Markdown link is escaped, so
/// spec text cannot trip rustdoc's `bare_urls` and `broken_intra_doc_links` lints.
fn prose(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_code = false;
    // `[`s escaped so far and not yet closed: their `]` is escaped too.
    let mut escaped_open = 0usize;
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            in_code = !in_code;
            out.push(c);
            rest = &rest[1..];
            continue;
        }
        if !in_code {
            if rest.starts_with("https://") || rest.starts_with("http://") {
                let end = rest
                    .find(|ch: char| ch.is_whitespace())
                    .unwrap_or(rest.len());
                // Trailing sentence punctuation is not part of the address.
                let url = rest[..end].trim_end_matches(['.', ',', ';', ':', ')']);
                let wrapped = !out.ends_with('(') && !out.ends_with('<');
                if wrapped {
                    out.push('<');
                    out.push_str(url);
                    out.push('>');
                } else {
                    out.push_str(url);
                }
                rest = &rest[url.len()..];
                continue;
            }
            if c == '[' && opens_link(rest) {
                // A link to a page of the spec's own site (`[guide](permissions_guide)`) would
                // be read by rustdoc as a path to a Rust item: keep its label only.
                if let Some((label, after)) = relative_link(rest) {
                    out.push_str(label);
                    rest = after;
                    continue;
                }
            }
            if c == '[' && !opens_link(rest) {
                out.push_str("\\[");
                escaped_open += 1;
                rest = &rest[1..];
                continue;
            }
            if c == ']' && escaped_open > 0 {
                out.push_str("\\]");
                escaped_open -= 1;
                rest = &rest[1..];
                continue;
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// For `[label](target)...` whose target is not an absolute URL: the label and the text after
/// the link.
fn relative_link(text: &str) -> Option<(&str, &str)> {
    let close = text.find(']')?;
    let after_label = text.get(close + 1..)?.strip_prefix('(')?;
    let end = after_label.find(')')?;
    let target = &after_label[..end];
    // Absolute URLs stay, and so do the generator's own intra-doc links (`crate::Client`).
    if target.contains("://") || target.starts_with("mailto:") || target.contains("::") {
        return None;
    }
    Some((&text[1..close], &after_label[end + 1..]))
}

/// Whether `text` (starting with `[`) is a Markdown link: `[label](target)`.
fn opens_link(text: &str) -> bool {
    match text.find(']') {
        Some(close) => text[close + 1..].starts_with('('),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_become_text_and_deep_indentation_is_capped() {
        assert_eq!(
            clean("a\n    indented\n```\ncode\n```"),
            vec!["a", "   indented", "```text", "code", "```"]
        );
        assert_eq!(clean("```json\n{}"), vec!["```text", "{}", "```"]);
        assert_eq!(
            clean("```\n[x] https://a.b\n```"),
            vec!["```text", "[x] https://a.b", "```"]
        );
        assert_eq!(clean("- item\n  more"), vec!["- item", "  more"]);
    }

    #[test]
    fn prose_is_safe_for_rustdoc() {
        assert_eq!(
            prose("see https://example.com/x."),
            "see <https://example.com/x>."
        );
        assert_eq!(
            prose("a [link](https://example.com) stays"),
            "a [link](https://example.com) stays"
        );
        assert_eq!(
            prose("<https://example.com> stays"),
            "<https://example.com> stays"
        );
        assert_eq!(prose("ids [a, b] are listed"), "ids \\[a, b\\] are listed");
        assert_eq!(
            prose("see the [guide](permissions_guide) first"),
            "see the guide first"
        );
        assert_eq!(
            prose("[`Client`](crate::Client) stays"),
            "[`Client`](crate::Client) stays"
        );
        assert_eq!(
            prose("code `[x] https://a` stays"),
            "code `[x] https://a` stays"
        );
    }

    /// The string values of the `#[doc = ...]` attributes in `tokens`, in order.
    fn doc_lines(tokens: TokenStream) -> Vec<String> {
        let file: syn::File =
            syn::parse2(quote!(#tokens struct S;)).unwrap_or_else(|e| panic!("{e}"));
        let syn::Item::Struct(item) = &file.items[0] else {
            panic!("not a struct")
        };
        item.attrs
            .iter()
            .map(|a| match &a.meta {
                syn::Meta::NameValue(nv) => match &nv.value {
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }) => s.value(),
                    other => panic!("{}", quote!(#other)),
                },
                other => panic!("{}", quote!(#other)),
            })
            .collect()
    }

    #[test]
    fn spec_paragraphs_become_cleaned_lines_with_a_blank_line_between_them() {
        assert_eq!(
            doc_lines(doc_attrs(&["First [x].", "  ", "", "Second\n\nthird"])),
            [" First \\[x\\].", "", " Second", "", " third"]
        );
        assert!(doc_attrs(&["", " \n "]).is_empty());
    }

    #[test]
    fn the_generator_s_own_prose_keeps_its_links_and_is_trimmed() {
        assert_eq!(
            doc_lines(own_doc(&[
                "  See [`Client`] and [x].  \n  next  ",
                "",
                "Two."
            ])),
            [" See [`Client`] and [x].", "   next", "", " Two."]
        );
    }

    #[test]
    fn raw_examples_start_with_a_blank_line_and_keep_their_text() {
        assert_eq!(
            doc_lines(raw_doc("```\nlet a = [1];\n\n```")),
            ["", " ```", " let a = [1];", "", " ```"]
        );
    }

    /// Plain lines are raw literals with as many `#`s as their quotes need; every line keeps
    /// its value exactly.
    #[test]
    fn doc_literals_are_raw_only_where_that_prints_the_same() {
        let cases = [
            (" plain", r#"r" plain""#),
            ("", r#"r"""#),
            (r#" say "hi""#, r##"r#" say "hi""#"##),
            (r##" a "# b"##, r###"r##" a "# b"##"###),
            (r" \\ and \n stay text", r#"r" \\ and \n stay text""#),
            // prettyplease prints a line that starts with `/` as an attribute, which must
            // keep the ordinary spelling; the rest hold what `printable_docs` must escape.
            ("/ slash", r#""/ slash""#),
            ("a\nb", r#""a\nb""#),
            ("a\rb", r#""a\rb""#),
            ("e\u{202e}f", r#""e\u{202e}f""#),
            ("bell\u{7}", r#""bell\u{7}""#),
        ];
        for (text, spelled) in cases {
            let literal = doc_literal(text);
            assert_eq!(literal.to_string(), spelled, "{text:?}");
            let parsed: syn::LitStr =
                syn::parse2(TokenTree::Literal(literal).into()).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(parsed.value(), text);
        }
    }

    /// A raw doc line prints as the same `///` comment as the escaped one did, and an
    /// unprintable line still reaches `printable_docs` as an escaped literal it can fix.
    #[test]
    fn raw_doc_lines_print_as_before_and_unprintable_ones_are_still_fixed() {
        let print = |tokens: TokenStream| {
            let file: syn::File = syn::parse2(tokens).unwrap_or_else(|e| panic!("{e}"));
            prettyplease::unparse(&file)
        };
        let raw = doc_attrs(&["He said \"#1\" twice."]);
        let escaped = quote!(#[doc = " He said \"#1\" twice."]);
        assert_eq!(
            print(quote!(#raw struct S;)),
            print(quote!(#escaped struct S;))
        );
        let odd = doc_attrs(&["a\u{202e}b"]);
        let fixed = print(printable_docs(quote!(#odd struct S;)));
        assert!(fixed.contains(r"/// a\u{202e}b"), "{fixed}");
    }

    #[test]
    fn only_doc_strings_are_made_printable_in_nested_groups_too() {
        let tokens = quote! {
            #[doc = "a\rb"]
            #[serde(rename = "c\rd")]
            mod m {
                #[doc = "e\u{202e}f"]
                #[doc = "plain"]
                struct S(#[doc = "g\u{7}"] u8);
            }
        };
        let printed = printable_docs(tokens).to_string();
        assert!(printed.contains(r#"doc = "a\\rb""#), "{printed}");
        assert!(printed.contains(r#"rename = "c\rd""#), "{printed}");
        assert!(printed.contains(r#"doc = "e\\u{202e}f""#), "{printed}");
        assert!(printed.contains(r#"doc = "plain""#), "{printed}");
        assert!(printed.contains(r#"doc = "g\\u{7}""#), "{printed}");
        // `doc` not followed by `=` starts nothing: the next literal is left alone.
        let other = printable_docs(quote!(doc("x\ry"))).to_string();
        assert!(other.contains(r#""x\ry""#), "{other}");
    }

    #[test]
    fn clean_caps_indentation_at_three_and_closes_an_open_fence() {
        assert_eq!(
            clean("a\n  two\n      six\n```\n  kept  \n"),
            vec!["a", "  two", "   six", "```text", "  kept", "```"]
        );
    }

    #[test]
    fn urls_lose_trailing_punctuation_and_are_not_wrapped_twice() {
        assert_eq!(prose("at http://a.b/c, then"), "at <http://a.b/c>, then");
        assert_eq!(prose("(https://a.b/c);"), "(https://a.b/c);");
        assert_eq!(prose("x https://a.b:"), "x <https://a.b>:");
        assert_eq!(prose("end https://a.b/x)"), "end <https://a.b/x>)");
        assert_eq!(prose("https://a.b"), "<https://a.b>");
    }

    #[test]
    fn brackets_are_escaped_in_pairs_outside_code_only() {
        assert_eq!(prose("[a [b] c]"), "\\[a \\[b\\] c\\]");
        assert_eq!(prose("a] b"), "a] b");
        // A `]` closes one escaped `[`: once they are all closed, the next `]` stays as it is.
        assert_eq!(prose("[a] b]"), "\\[a\\] b]");
        assert_eq!(prose("`[x]` [y]"), "`[x]` \\[y\\]");
        assert_eq!(prose("é [ü]"), "é \\[ü\\]");
    }

    #[test]
    fn relative_links_keep_their_label_and_absolute_ones_stay() {
        assert_eq!(
            prose("[mail](mailto:a@b.c) and [x](https://a.b)"),
            "[mail](mailto:a@b.c) and [x](https://a.b)"
        );
        assert_eq!(prose("[t](crate::T) [g](guide#top)!"), "[t](crate::T) g!");
        assert_eq!(relative_link("[a](b"), None);
        assert_eq!(relative_link("[a]b"), None);
        assert_eq!(relative_link("[a](b) c"), Some(("a", " c")));
        assert!(opens_link("[a](b)"));
        assert!(!opens_link("[a] (b)"));
        assert!(!opens_link("[a"));
    }
}
