//! What to emit when the input is wrong: the item itself, unchanged apart from our own field
//! attributes, plus one `compile_error!` per mistake. The user's other code still sees the type,
//! so a mistake gives its own errors and no cascade of "cannot find type" errors.

use crate::errors::Errors;
use proc_macro2::{Span, TokenStream};
use quote::{quote, ToTokens};
use syn::DeriveInput;

/// The item plus every recorded error.
pub fn item_with_errors(item: &DeriveInput, errors: Errors) -> TokenStream {
    let mut tokens = item.to_token_stream();
    tokens.extend(errors.into_compile_errors());
    tokens
}

/// The macro was put on something that is not a struct, an enum or a union.
pub fn not_a_type(original: TokenStream) -> TokenStream {
    let error = syn::Error::new(
        Span::call_site(),
        "#[arena_alloc] goes on a struct or an enum that borrows an arena, like `struct Person<'a> { name: &'a str }`",
    )
    .to_compile_error();
    quote!(#original #error)
}
