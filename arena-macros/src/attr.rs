//! Parsing of the options: `#[arena_alloc(owned = .., derive(..), crate = .., lifetime = ..)]`
//! on the item and `#[arena(clone)]` / `#[arena(with = ..)]` on fields.
//!
//! A mistake in one option is recorded and parsing goes on with the next, so the user sees every
//! mistake at once.

use crate::errors::Errors;
use proc_macro2::{Span, TokenTree};
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Attribute, Ident, Lifetime, Path, Token};

const ITEM_OPTIONS: &str =
    "`owned = Name`, `derive(Trait, ..)`, `crate = path`, `lifetime = 'a` or `deserialize`";
const FIELD_OPTIONS: &str = "`clone` or `with = path`";

/// The options of `#[arena_alloc(..)]`.
///
/// An option is a field here, an arm in [`parse_item_options`] (a `key = value` option parses
/// its value, a flag such as `key` alone parses nothing more), a mention in `ITEM_OPTIONS` for
/// the "unknown option" error, and a row in the options table of `#[arena_alloc]`'s docs. A new
/// generated impl that the option turns on is one more file in `expand/`.
#[derive(Default)]
pub struct ItemOptions {
    /// `owned = Name`: the name of the owned twin.
    pub owned: Option<Ident>,
    /// `derive(..)`: replaces the twin's default `derive(Debug, Clone)`.
    pub derives: Option<Vec<Path>>,
    /// `crate = path`: where the `arena` crate is, for a renamed dependency.
    pub krate: Option<Path>,
    /// `lifetime = 'a`: which lifetime parameter is the arena's.
    pub lifetime: Option<Lifetime>,
    /// `deserialize`: also generate `DeserializeIn`, honouring the item's `#[serde(..)]`.
    pub deserialize: Option<Ident>,
}

/// How one field is copied.
pub enum FieldMode {
    /// By the mapping table (the default).
    Mapped,
    /// `#[arena(clone)]`: same type in the twin, copied with `Clone::clone`.
    Clone(Ident),
    /// `#[arena(with = path)]`: through `path::clone_out`, `path::clone_in`, `path::from_owned`,
    /// with `path::Owned` as the twin's field type.
    With(Path),
}

/// Skips the rest of a malformed option, up to the next top-level comma.
fn skip_option(input: ParseStream) -> syn::Result<()> {
    while !input.is_empty() && !input.peek(Token![,]) {
        input.parse::<TokenTree>()?;
    }
    Ok(())
}

fn note_duplicate<T>(errors: &mut Errors, slot: &Option<T>, key: &Ident) {
    if slot.is_some() {
        errors.at(key, format!("duplicate option `{key}`: give it once"));
    }
}

/// Parses the arguments of `#[arena_alloc(..)]`, recording every mistake in `errors`.
pub fn parse_item_options(args: proc_macro2::TokenStream, errors: &mut Errors) -> ItemOptions {
    let mut options = ItemOptions::default();
    let parser = |input: ParseStream| -> syn::Result<()> {
        while !input.is_empty() {
            let key = input.call(Ident::parse_any)?;
            let parsed = match key.to_string().as_str() {
                "owned" => input
                    .parse::<Token![=]>()
                    .and_then(|_| input.parse::<Ident>())
                    .map(|name| {
                        note_duplicate(errors, &options.owned, &key);
                        options.owned = Some(name);
                    }),
                "derive" => {
                    let content;
                    let parens = syn::parenthesized!(content in input);
                    let _ = parens;
                    Punctuated::<Path, Token![,]>::parse_terminated(&content).map(|paths| {
                        note_duplicate(errors, &options.derives, &key);
                        options.derives = Some(paths.into_iter().collect());
                    })
                }
                "crate" => input
                    .parse::<Token![=]>()
                    .and_then(|_| input.parse::<Path>())
                    .map(|path| {
                        note_duplicate(errors, &options.krate, &key);
                        options.krate = Some(path);
                    }),
                "lifetime" => input
                    .parse::<Token![=]>()
                    .and_then(|_| input.parse::<Lifetime>())
                    .map(|lifetime| {
                        note_duplicate(errors, &options.lifetime, &key);
                        options.lifetime = Some(lifetime);
                    }),
                "deserialize" => {
                    note_duplicate(errors, &options.deserialize, &key);
                    if input.peek(Token![=]) || input.peek(syn::token::Paren) {
                        Err(syn::Error::new(
                            key.span(),
                            "`deserialize` takes no value: write `#[arena_alloc(deserialize)]`; \
                             how fields are read comes from their `#[serde(..)]` attributes",
                        ))
                    } else {
                        options.deserialize = Some(key.clone());
                        Ok(())
                    }
                }
                _ => Err(syn::Error::new(
                    key.span(),
                    format!("unknown option `{key}`; #[arena_alloc] accepts {ITEM_OPTIONS}"),
                )),
            };
            if let Err(error) = parsed {
                errors.push(error);
                skip_option(input)?;
            }
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        Ok(())
    };
    if let Err(error) = parser.parse2(args) {
        errors.push(error);
    }
    options
}

/// Whether `attr` is one of ours, `#[arena(..)]`.
pub fn is_field_attr(attr: &Attribute) -> bool {
    attr.path().is_ident("arena")
}

/// Parses the `#[arena(..)]` attributes of one field, recording every mistake in `errors`.
pub fn parse_field_options(attrs: &[Attribute], errors: &mut Errors) -> FieldMode {
    let mut mode = FieldMode::Mapped;
    let mut seen: Option<Ident> = None;
    for attr in attrs.iter().filter(|attr| is_field_attr(attr)) {
        let parsed = attr.parse_nested_meta(|meta| {
            let key = meta.path.get_ident().cloned().unwrap_or_else(|| Ident::new("_", Span::call_site()));
            let chosen = if meta.path.is_ident("clone") {
                FieldMode::Clone(key.clone())
            } else if meta.path.is_ident("with") {
                FieldMode::With(meta.value()?.parse::<Path>()?)
            } else {
                let written = meta.path.to_token_stream().to_string().replace(' ', "");
                return Err(meta.error(format_args!(
                    "unknown field option `{written}`; #[arena(..)] accepts {FIELD_OPTIONS}"
                )));
            };
            if let Some(previous) = &seen {
                errors.at(
                    &meta.path,
                    format!(
                        "`{key}` conflicts with `{previous}` given before: a field is copied one way; keep one of them"
                    ),
                );
            } else {
                seen = Some(key);
                mode = chosen;
            }
            Ok(())
        });
        if let Err(error) = parsed {
            errors.push(error);
        }
    }
    mode
}
