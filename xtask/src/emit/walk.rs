//! Field-path walks through generated models: the expressions that reach a nested field
//! (an item array, a cursor, an error message) through optional and required steps.

use crate::ir::MessageStep;
use proc_macro2::TokenStream;
use quote::quote;

/// `Some(&value)` walked along `steps` by reference, ending in a clone of the last field.
pub fn walk_ref(
    root: TokenStream,
    steps: &[MessageStep],
    last_optional: TokenStream,
    last_required: TokenStream,
) -> TokenStream {
    let mut expr = quote!(Some(#root));
    for (i, s) in steps.iter().enumerate() {
        let f = &s.field;
        let is_last = i + 1 == steps.len();
        expr = match (is_last, s.optional) {
            (false, true) => quote!(#expr.and_then(|v| v.#f.as_ref())),
            (false, false) => quote!(#expr.map(|v| &v.#f)),
            (true, true) => quote!(#expr.and_then(|v| v.#f #last_optional)),
            (true, false) => quote!(#expr.map(|v| v.#f #last_required)),
        };
    }
    expr
}

/// Moves the item array out of `value` along `steps`.
pub fn walk_owned(steps: &[MessageStep]) -> TokenStream {
    let mut expr = quote!(Some(value));
    for s in steps {
        let f = &s.field;
        expr = if s.optional {
            quote!(#expr.and_then(|v| v.#f))
        } else {
            quote!(#expr.map(|v| v.#f))
        };
    }
    quote!(#expr.unwrap_or_default())
}
