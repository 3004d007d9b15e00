//! Code generation for `#[arena_alloc]`, the last step of the pipeline: parse the options
//! (`attr`) and the item (`ast`), check it (`valid`), then expand it here, or emit the item with
//! its errors (`fallback`).
//!
//! This module holds the entry point, the context every generator shares ([`Expander`]) and the
//! assembly of the output. Each family of generated items has a file of its own:
//!
//! - `twin`: the owned twin's definition;
//! - `clone_out`: `impl CloneOut for Item` (arena → heap);
//! - `clone_in`: `impl CloneIn<'n> for Item` (arena → arena) and for the twin (heap → arena);
//!
//! and the pieces they share: `types` (how an owned type is written), `copy` (the expressions
//! that copy a field, one per direction) and `bounds` (the `where` predicates of the impls).
//! A new generated impl is one more file beside `clone_out` and `clone_in`, called from
//! [`Expander::expand`].

mod bounds;
mod clone_in;
mod clone_out;
mod copy;
mod deserialize;
mod twin;
mod types;

use crate::ast::Input;
use crate::attr;
use crate::errors::Errors;
use crate::{fallback, serde_attr, valid};
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, ToTokens};
use syn::{DeriveInput, Ident, Lifetime};

/// The whole pipeline: parse, validate, then expand or fall back.
pub fn arena_alloc(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let options = attr::parse_item_options(args, &mut errors);
    let parsed: DeriveInput = match syn::parse2(item.clone()) {
        Ok(parsed) => parsed,
        Err(_) => return fallback::not_a_type(item),
    };
    let mut input = Input::from_syn(parsed, options, &mut errors);
    let spec = input.options.deserialize.is_some().then(|| {
        let spec = serde_attr::parse(&input.item, &mut errors);
        // Without a serde derive on the item, nothing registers `#[serde(..)]`: drop it.
        if !serde_attr::serde_derive_present(&input.item) {
            serde_attr::strip(&mut input.item);
        }
        spec
    });
    valid::check(&input, &mut errors);
    match (&input.arena, errors.is_empty()) {
        (Some(arena), true) => {
            let expander = Expander::new(&input, arena);
            let mut tokens = expander.expand();
            if let Some(spec) = &spec {
                tokens.extend(expander.deserialize_impl(spec));
            }
            tokens
        }
        _ => fallback::item_with_errors(&input.item, errors),
    }
}

/// What every generator needs: the checked item and the names the generated code uses.
struct Expander<'i> {
    input: &'i Input,
    /// The path of the `arena` crate: `::arena`, or the `crate = path` option.
    krate: TokenStream,
    /// The owned twin's name.
    twin: Ident,
    /// The item's arena lifetime, `'a`.
    arena: &'i Lifetime,
    /// The lifetime of the arena that `CloneIn` copies into: `'n`, or `'__n` when the item
    /// already has an `'n`.
    new_arena: Lifetime,
    /// The name of the `CloneIn` impls' arena argument.
    arena_var: Ident,
}

impl<'i> Expander<'i> {
    fn new(input: &'i Input, arena: &'i Lifetime) -> Self {
        let krate = match &input.options.krate {
            Some(path) => path.to_token_stream(),
            None => quote!(::arena),
        };
        let twin = input
            .options
            .owned
            .clone()
            .unwrap_or_else(|| format_ident!("{}Owned", input.item.ident));
        let taken = input
            .item
            .generics
            .lifetimes()
            .any(|param| param.lifetime.ident == "n");
        let new_arena = Lifetime::new(if taken { "'__n" } else { "'n" }, Span::call_site());
        Expander {
            input,
            krate,
            twin,
            arena,
            new_arena,
            arena_var: Ident::new("__arena", Span::mixed_site()),
        }
    }

    /// The item as written, then its twin and every generated impl.
    fn expand(&self) -> TokenStream {
        let item = &self.input.item;
        let twin = self.twin();
        let clone_out = self.clone_out_impl();
        let clone_in = self.clone_in_impl();
        let twin_clone_in = self.twin_clone_in_impl();
        quote! {
            #item

            #twin

            #clone_out

            #clone_in

            #twin_clone_in
        }
    }
}
