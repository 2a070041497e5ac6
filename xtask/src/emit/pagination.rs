//! `into_stream()` for operations with `x-speakeasy-pagination`: page-number and cursor
//! streams built on the runtime's bounded `paginate`.

use super::types::{rt, ty};
use super::walk::{walk_owned, walk_ref};
use crate::ir::{Operation, PageKind, Pagination};
use proc_macro2::TokenStream;
use quote::quote;

/// The `into_stream` method of a paginated operation's builder.
pub fn pagination(op: &Operation, p: &Pagination) -> TokenStream {
    let rt = rt();
    let error = &op.error_type;
    let item = ty(&p.item);
    let input = &p.input;
    let items = walk_owned(&p.results);
    let stream_ty = quote!(impl ::futures_core::Stream<Item = Result<#item, #rt::Error<#error>>> + ::std::marker::Send + 'static);
    match p.kind {
        PageKind::Page => {
            let full = match &p.page_size {
                Some(_) => quote! {
                    let full = match page_size {
                        Some(size) => usize::try_from(size).map_or(true, |size| items.len() >= size),
                        None => true,
                    };
                },
                None => quote!(let full = true;),
            };
            let size_init = match &p.page_size {
                Some(size) => quote!(let page_size = self.#size;),
                None => quote!(),
            };
            quote! {
                /// Streams every item of every page, starting at this request's page (or the
                /// first), and stops at the first empty or short page.
                pub fn into_stream(self) -> #stream_ty {
                    let first = self.#input.unwrap_or(1);
                    #size_init
                    #rt::paginate((self, first), move |(builder, page)| async move {
                        let value = builder.clone().#input(page).send().await?;
                        let items: Vec<#item> = #items;
                        #full
                        // The last representable page has no successor: the stream ends.
                        let next = if items.is_empty() || !full {
                            None
                        } else {
                            page.checked_add(1).map(|next| (builder, next))
                        };
                        Ok((items, next))
                    })
                }
            }
        }
        PageKind::Cursor => {
            let cursor = walk_ref(
                quote!(&value),
                &p.next_cursor,
                quote!(.clone()),
                quote!(.clone()),
            );
            quote! {
                /// Streams every item of every page, following `next_cursor` from this request's
                /// cursor (or the start); stops on an empty, missing or already seen cursor.
                pub fn into_stream(self) -> #stream_ty {
                    let seen = ::std::collections::BTreeSet::<String>::new();
                    #rt::paginate((self, seen), |(builder, mut seen)| async move {
                        if let Some(cursor) = &builder.#input {
                            seen.insert(cursor.clone());
                        }
                        let value = builder.clone().send().await?;
                        let cursor: Option<String> = #cursor;
                        let items: Vec<#item> = #items;
                        let next = cursor
                            .filter(|c| !c.is_empty() && !seen.contains(c))
                            .map(|c| (builder.#input(c), seen));
                        Ok((items, next))
                    })
                }
            }
        }
    }
}
