//! `into_pages()` and `into_stream()` for operations with `x-speakeasy-pagination`:
//! page-number and cursor lists built on the runtime's bounded, nameable `Pages` and `Items`.

use super::types::{rt, ty};
use super::walk::{walk_owned, walk_ref};
use crate::ir::{Operation, PageKind, Pagination};
use crate::naming::reserved::{INTO_PAGES, INTO_STREAM, SEND, ident};
use proc_macro2::TokenStream;
use quote::quote;

/// The `into_pages` and `into_stream` methods of a paginated operation's builder.
pub fn pagination(op: &Operation, p: &Pagination) -> TokenStream {
    let rt = rt();
    let error = &op.error_type;
    let item = ty(&p.item);
    let page = super::responses::success_type(op);
    let items = walk_owned(&p.results);
    let (pages, start, stops) = match p.kind {
        PageKind::Page => (
            page_numbers(p),
            "page (or the first)",
            "the first empty or short page",
        ),
        PageKind::Cursor => (
            cursors(p),
            "cursor (or the start)",
            "an empty page or an empty, missing or already seen cursor",
        ),
    };
    let pages_doc = format!(
        "Streams every page (each a decoded response), starting at this request's {start},\nand stops after {stops}; at most\n[`MAX_PAGES`](crate::runtime::pagination::MAX_PAGES) pages."
    );
    let pages_doc = super::docs::own_doc(&[
        &pages_doc,
        "Use `.next().await` in a loop, `.try_collect().await`, or any stream adapter.",
    ]);
    let (into_pages, into_stream) = (ident(INTO_PAGES), ident(INTO_STREAM));
    // `#[inline]`: both box the operation's `send` future into a nameable stream, which
    // compiles the whole request path (send, retries, decoding of every page model). Without
    // it that happened in the generated crate, for every paginated operation, whether a
    // program paginates or not (about half the crate's LLVM IR for our spec); inline, it is
    // compiled where it is called, as the `send` of every other operation already is.
    quote! {
        #pages_doc
        #[inline]
        pub fn #into_pages(self) -> #rt::Pages<#page, #rt::Error<#error>> {
            #pages
        }

        /// Streams every item of every page (see [`into_pages`](Self::into_pages) for where
        /// it starts and stops); `.next().await` in a loop or `.try_collect().await`.
        #[inline]
        pub fn #into_stream(self) -> #rt::Items<#item, #rt::Error<#error>> {
            self.#into_pages().items(|value| #items)
        }
    }
}

/// The number of items on the page in `value` (a reference), walked by reference.
fn item_count(p: &Pagination, value: TokenStream) -> TokenStream {
    let count = walk_ref(
        value,
        &p.results,
        quote!(.as_ref().map(::std::vec::Vec::len)),
        quote!(.len()),
    );
    quote!(#count.unwrap_or(0))
}

/// The page stream of a page-numbered list: the runtime's `numbered_pages` loop (page n+1
/// after a full page n), given how to set this builder's page and count this response's items.
fn page_numbers(p: &Pagination) -> TokenStream {
    let rt = rt();
    let send = ident(SEND);
    let input = &p.input;
    let count = item_count(p, quote!(value));
    let page_size = match &p.page_size {
        // A size that does not fit a usize (a negative one) sets no bound.
        Some(size) => quote!(self.#size.and_then(|size| usize::try_from(size).ok())),
        None => quote!(::std::option::Option::None),
    };
    quote! {
        let first = self.#input.unwrap_or(1);
        let page_size = #page_size;
        #rt::codegen::numbered_pages(self, #rt::codegen::NumberedList {
            first,
            page_size,
            set: |builder, page| builder.#input(page),
            succ: |page| page.checked_add(1),
            count: |value| #count,
            send: Self::#send,
        })
    }
}

/// The page stream of a cursor list: the runtime's `cursor_pages` loop, given how to reach
/// this builder's cursor and this response's items and next cursor.
fn cursors(p: &Pagination) -> TokenStream {
    let rt = rt();
    let send = ident(SEND);
    let input = &p.input;
    let count = item_count(p, quote!(value));
    let next = walk_ref(
        quote!(value),
        &p.next_cursor,
        quote!(.as_deref()),
        quote!(.as_str()),
    );
    quote! {
        #rt::codegen::cursor_pages(self, #rt::codegen::CursorList {
            current: |builder| builder.#input.as_deref(),
            set: |builder, cursor| builder.#input(cursor),
            count: |value| #count,
            next: |value| #next,
            send: Self::#send,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Api;

    /// A paginated `GET /list` with the page input `input` (a query parameter of `param_type`)
    /// and, when `size` is set, a `page_size` limit.
    fn api(kind: &str, input: &str, param_type: &str, size: bool) -> Api {
        crate::lower::tests::lowered(&spec(kind, input, param_type, size)).0
    }

    /// The spec text of [`api`].
    fn spec(kind: &str, input: &str, param_type: &str, size: bool) -> String {
        let (size_param, size_input) = if size {
            (
                ", {name: page_size, in: query, schema: {type: integer}}",
                ", {name: page_size, in: parameters, type: limit}",
            )
        } else {
            ("", "")
        };
        format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:\n  /list:\n    get:\n      operationId: list\n      parameters: [{{name: {input}, in: query, schema: {{type: {param_type}}}}}{size_param}]\n      x-speakeasy-pagination:\n        type: {kind}\n        inputs: [{{name: {input}, in: parameters, type: {input}}}{size_input}]\n        outputs: {{results: $.data.items, nextCursor: $.next}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{type: object, properties: {{next: {{type: string}}, data: {{type: object, properties: {{items: {{type: array, items: {{type: integer}}}}}}}}}}}}\n"
        )
    }

    /// The paginated operation's `into_pages` and `into_stream`, printed.
    fn emitted(api: &Api) -> String {
        let op = &api.groups[0].operations[0];
        let p = op.pagination.as_ref().expect("paginated");
        pagination(op, p).to_string()
    }

    fn has(out: &str, fragment: TokenStream) {
        let fragment = fragment.to_string();
        assert!(out.contains(&fragment), "{fragment}\nnot in\n{out}");
    }

    #[test]
    fn page_numbers_start_at_the_request_s_page_and_stop_after_a_short_page() {
        let out = emitted(&api("offsetLimit", "page", "integer", true));
        has(&out, quote!(#[inline] pub fn into_pages(self)));
        has(&out, quote!(#[inline] pub fn into_stream(self)));
        has(&out, quote!(let first = self.page.unwrap_or(1);));
        has(
            &out,
            quote!(let page_size = self.page_size.and_then(|size| usize::try_from(size).ok());),
        );
        assert!(
            out.contains("numbered_pages (self , crate :: runtime :: codegen :: NumberedList {"),
            "{out}"
        );
        has(&out, quote!(set: |builder, page| builder.page(page),));
        has(&out, quote!(succ: |page| page.checked_add(1),));
        has(&out, quote!(send: Self::send,));
        // Items are counted through the optional `data` and `items` fields.
        has(&out, quote!(.as_ref().map(::std::vec::Vec::len)));
        assert!(out.contains("the first empty or short page"), "{out}");
        assert!(out.contains("page (or the first)"), "{out}");
        let unsized_pages = emitted(&api("offsetLimit", "page", "integer", false));
        has(
            &unsized_pages,
            quote!(let page_size = ::std::option::Option::None;),
        );
        assert!(
            !unsized_pages.contains("self . page_size"),
            "{unsized_pages}"
        );
    }

    #[test]
    fn cursors_hand_the_runtime_loop_the_builder_s_cursor_and_the_page_s_count_and_next() {
        let out = emitted(&api("cursor", "cursor", "string", false));
        has(&out, quote!(crate::runtime::codegen::cursor_pages));
        has(&out, quote!(crate::runtime::codegen::CursorList));
        has(&out, quote!(current: |builder| builder.cursor.as_deref(),));
        has(&out, quote!(set: |builder, cursor| builder.cursor(cursor),));
        // Counted and followed through the optional `data`, `items` and `next` fields.
        has(
            &out,
            quote!(count: |value| Some(value).and_then(|v| v.data.as_ref()).and_then(|v| v.items.as_ref().map(::std::vec::Vec::len)).unwrap_or(0),),
        );
        has(
            &out,
            quote!(next: |value| Some(value).and_then(|v| v.next.as_deref()),),
        );
        has(&out, quote!(send: Self::send,));
        assert!(out.contains("cursor (or the start)"), "{out}");
        assert!(
            out.contains("an empty, missing or already seen cursor"),
            "{out}"
        );
        assert!(!out.contains("checked_add"), "{out}");
    }

    #[test]
    fn a_required_next_cursor_is_lent_as_a_str() {
        let text = spec("cursor", "cursor", "string", false).replace(
            "schema: {type: object, properties: {next:",
            "schema: {type: object, required: [next], properties: {next:",
        );
        let out = emitted(&crate::lower::tests::lowered(&text).0);
        has(
            &out,
            quote!(next: |value| Some(value).map(|v| v.next.as_str()),),
        );
    }
}
