//! `arena_scope!([option = value, ..] |mem| body)`: parses the options and the closure and
//! expands to a call of `__private::scope_with` that records the call site.

use crate::errors::Errors;
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::{Expr, Ident, Token};

const OPTIONS: &str =
    "`capacity = bytes`, `limit = bytes`, `label = \"name\"` and `count_allocations = bool`";

#[derive(Default)]
struct ScopeInput {
    capacity: Option<Expr>,
    limit: Option<Expr>,
    label: Option<Expr>,
    count_allocations: Option<Expr>,
    krate: Option<syn::Path>,
    closure: Option<Expr>,
}

fn parse(input: ParseStream, errors: &mut Errors) -> syn::Result<ScopeInput> {
    let mut parsed = ScopeInput::default();
    while !input.is_empty() {
        let is_option =
            (input.peek(Ident::peek_any) && input.peek2(Token![=]) && !input.peek2(Token![==]))
                || input.peek(Token![crate]);
        if !is_option {
            let closure: Expr = input.parse()?;
            match &closure {
                Expr::Closure(found) if found.inputs.len() == 1 => {}
                Expr::Closure(found) => errors.at(
                    &found.inputs,
                    "the closure of arena_scope! takes one argument, the scope's arena: `|mem| ..`",
                ),
                other => errors.at(
                    other,
                    "arena_scope! expects a closure here, as in `arena_scope!(|mem| ..)`; to run a \
                     function, wrap it: `arena_scope!(|mem| work(mem))`",
                ),
            }
            parsed.closure = Some(closure);
            if input.peek(Token![,]) {
                input.parse::<Token![,]>()?;
            }
            if !input.is_empty() {
                return Err(input.error(
                    "unexpected tokens after the closure of arena_scope!; the options go before it",
                ));
            }
            break;
        }
        let key = input.call(Ident::parse_any)?;
        input.parse::<Token![=]>()?;
        let slot_name = key.to_string();
        if slot_name == "crate" {
            let path: syn::Path = input.parse()?;
            if parsed.krate.replace(path).is_some() {
                errors.at(&key, "duplicate option `crate`: give it once");
            }
        } else {
            let value: Expr = input.parse()?;
            let slot = match slot_name.as_str() {
                "capacity" => Some(&mut parsed.capacity),
                "limit" => Some(&mut parsed.limit),
                "label" => Some(&mut parsed.label),
                "count_allocations" => Some(&mut parsed.count_allocations),
                _ => None,
            };
            match slot {
                Some(slot) if slot.is_some() => {
                    errors.at(&key, format!("duplicate option `{key}`: give it once"))
                }
                Some(slot) => *slot = Some(value),
                None => errors.at(
                    &key,
                    format!("unknown option `{key}`; arena_scope! accepts {OPTIONS}, each at most once, then the closure"),
                ),
            }
        }
        if input.is_empty() {
            break;
        }
        input.parse::<Token![,]>()?;
    }
    Ok(parsed)
}

fn optional(value: Option<Expr>) -> TokenStream {
    match value {
        Some(value) => quote!(::core::option::Option::Some(#value)),
        None => quote!(::core::option::Option::None),
    }
}

/// Expands one `arena_scope!` call.
pub fn arena_scope(tokens: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let parsed = match (|input: ParseStream| parse(input, &mut errors)).parse2(tokens) {
        Ok(parsed) => parsed,
        Err(error) => {
            errors.push(error);
            ScopeInput::default()
        }
    };
    let Some(closure) = parsed.closure else {
        if errors.is_empty() {
            errors.push(syn::Error::new(
                Span::call_site(),
                "arena_scope! needs a closure that gets the scope's arena, as in \
                 `arena_scope!(|mem| ..)` or `arena_scope!(label = \"req\", |mem| ..)`",
            ));
        }
        return errors.into_compile_errors();
    };
    if !errors.is_empty() {
        return errors.into_compile_errors();
    }
    let krate = parsed
        .krate
        .map_or_else(|| quote!(::arena), |path| quote!(#path));
    let capacity = optional(parsed.capacity);
    let limit = optional(parsed.limit);
    let label = optional(parsed.label);
    let call_site =
        quote_spanned!(Span::call_site()=> ::core::concat!(::core::file!(), ":", ::core::line!()));
    let options = quote! {
        #krate::__private::ScopeOptions {
            capacity: #capacity,
            limit: #limit,
            label: #label,
            call_site: #call_site,
        }
    };
    match parsed.count_allocations {
        Some(on) => quote! {
            #krate::__private::scope_with_counting(#options, #on, #closure)
        },
        None => quote! {
            #krate::__private::scope_with(#options, #closure)
        },
    }
}
