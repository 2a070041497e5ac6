//! Doc comments from spec text. Spec prose is Markdown written for a web page; rustdoc would
//! compile its code blocks as doctests, so fences become `text` and indentation is dropped.

use proc_macro2::TokenStream;
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
        quote!(#[doc = #text])
    });
    quote!(#(#attrs)*)
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
        .map(|l| quote!(#[doc = #l]));
    quote!(#(#attrs)*)
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
            out.push(format!("{}{}", " ".repeat(indent.min(3)), trimmed));
        }
    }
    if in_fence {
        out.push("```".to_string());
    }
    out
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
        assert_eq!(clean("- item\n  more"), vec!["- item", "  more"]);
    }
}
