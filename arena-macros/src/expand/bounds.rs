//! The `where` predicates of the generated impls: each type parameter clones out (or in), the
//! item's own bounds hold for the copies, and the keys of hash maps that involve a type
//! parameter stay `Eq + Hash` once copied.

use super::types::{Place, Render};
use super::Expander;
use crate::ast::{Body, Field};
use crate::attr::FieldMode;
use crate::shape::Shape;
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;
use syn::{Type, WherePredicate};

/// Pushes onto `keys` the key shape and arena-side key type of every hash map inside `shape`
/// whose key involves a type parameter: their copies need `Eq + Hash`, which the impls must ask
/// for.
fn param_keys<'s>(shape: &'s Shape, keys: &mut Vec<(&'s Shape, &'s Type)>) {
    match shape {
        Shape::ArenaHashMap {
            key,
            key_type,
            value,
        } => {
            if key.contains_param() {
                keys.push((key, key_type));
            }
            param_keys(key, keys);
            param_keys(value, keys);
        }
        Shape::Slice { element: inner, .. }
        | Shape::Ref { target: inner, .. }
        | Shape::ArenaVec(inner)
        | Shape::Option(inner)
        | Shape::Array(inner, _) => param_keys(inner, keys),
        Shape::Result(ok, error) => {
            param_keys(ok, keys);
            param_keys(error, keys);
        }
        Shape::Tuple(elements) => elements
            .iter()
            .for_each(|element| param_keys(element, keys)),
        _ => {}
    }
}

/// Pushes onto `leaves`, once each, the standalone types inside `shape` that are copied through
/// their own impls (see [`Expander::is_standalone`]); the contents of `PhantomData` are never
/// copied.
fn standalone_leaves<'s>(expander: &Expander, shape: &'s Shape, leaves: &mut Vec<&'s Type>) {
    match shape {
        Shape::Leaf(ty) if expander.is_standalone(ty) => {
            let written = ty.to_token_stream().to_string();
            if !leaves
                .iter()
                .any(|seen| seen.to_token_stream().to_string() == written)
            {
                leaves.push(ty);
            }
        }
        Shape::Slice { element: inner, .. }
        | Shape::Ref { target: inner, .. }
        | Shape::ArenaVec(inner)
        | Shape::Option(inner)
        | Shape::Array(inner, _) => standalone_leaves(expander, inner, leaves),
        Shape::ArenaHashMap { key, value, .. } | Shape::Result(key, value) => {
            standalone_leaves(expander, key, leaves);
            standalone_leaves(expander, value, leaves);
        }
        Shape::Tuple(elements) => elements
            .iter()
            .for_each(|element| standalone_leaves(expander, element, leaves)),
        _ => {}
    }
}

impl Expander<'_> {
    /// The standalone types copied through their own impls, each once.
    fn leaves(&self) -> Vec<&Type> {
        let mut leaves = Vec::new();
        self.shapes()
            .into_iter()
            .for_each(|shape| standalone_leaves(self, shape, &mut leaves));
        leaves
    }

    /// Every shape of every mapped field.
    fn shapes(&self) -> Vec<&Shape> {
        let fields: Vec<&Field> = match &self.input.body {
            Body::Struct(fields) => fields.fields.iter().collect(),
            Body::Enum(variants) => variants
                .iter()
                .flat_map(|variant| &variant.fields.fields)
                .collect(),
            Body::Union(_) => Vec::new(),
        };
        fields
            .into_iter()
            .filter(|field| matches!(field.mode, FieldMode::Mapped))
            .map(|field| &field.shape)
            .collect()
    }

    /// The hash-map keys that need `Eq + Hash` on their copies (see [`param_keys`]).
    fn hashed_keys(&self) -> Vec<(&Shape, &Type)> {
        let mut keys = Vec::new();
        self.shapes()
            .into_iter()
            .for_each(|shape| param_keys(shape, &mut keys));
        keys
    }

    /// The item's own `where` clause, as written.
    fn own_predicates(&self) -> Vec<TokenStream> {
        self.input
            .item
            .generics
            .where_clause
            .iter()
            .flat_map(|where_clause| {
                where_clause
                    .predicates
                    .iter()
                    .map(ToTokens::to_token_stream)
            })
            .collect()
    }

    /// `where` predicates for the `CloneIn<'n>` impls: each parameter copies into `'n`, and the
    /// item's own bounds hold for the copies. On the arena type (`for_twin` false) the item's
    /// own `where` clause holds as well, as its inline bounds do: the type needs it to exist. On
    /// the twin, whose parameters stand for the owned forms, only the copies must meet it.
    pub(super) fn clone_in_predicates(&self, for_twin: bool) -> Vec<TokenStream> {
        let krate = &self.krate;
        let new_arena = &self.new_arena;
        let mut predicates = if for_twin {
            Vec::new()
        } else {
            self.own_predicates()
        };
        if !for_twin {
            // The twin names these types' owned forms through `CheckedOwned`, which reports a
            // missing impl once, at the field. Here the bound lets the body type-check without a
            // second report: `for<'__check>` keeps the compiler from checking it where the impl
            // is defined (and makes it global, so the type's own impl is still the one used), and
            // `Cloned = T` is what the copy needs anyway, a standalone type borrowing no arena.
            for ty in self.leaves() {
                predicates.push(quote_spanned! {ty.span()=>
                    for<'__check> #ty: #krate::__private::CloneIn<'__check, Cloned = #ty>
                });
            }
        }
        for param in self.input.item.generics.type_params() {
            let ident = &param.ident;
            let cloned = self.cloned_param(ident);
            let bounds = param.bounds.iter().map(|bound| {
                self.substitute(bound, new_arena.clone(), true, |s, n| {
                    s.visit_type_param_bound_mut(n)
                })
            });
            predicates.push(quote!(#ident: #krate::__private::CloneIn<#new_arena>));
            predicates.push(quote!(#cloned: #new_arena #(+ #bounds)*));
        }
        if let Some(where_clause) = &self.input.item.generics.where_clause {
            for predicate in &where_clause.predicates {
                let predicate: WherePredicate =
                    self.substitute(predicate, new_arena.clone(), true, |s, n| {
                        s.visit_where_predicate_mut(n)
                    });
                predicates.push(predicate.to_token_stream());
            }
        }
        for (_, key_type) in self.hashed_keys() {
            let cloned = self.substitute(key_type, new_arena.clone(), true, |s, n| {
                s.visit_type_mut(n)
            });
            predicates.push(quote!(#key_type: ::core::cmp::Eq + ::core::hash::Hash));
            predicates.push(quote!(#cloned: ::core::cmp::Eq + ::core::hash::Hash));
        }
        predicates
    }

    /// `where` predicates for the `CloneOut` impl: the item's own, each parameter clones out,
    /// and hashed keys stay hashable once owned.
    pub(super) fn clone_out_predicates(&self) -> Vec<TokenStream> {
        let krate = &self.krate;
        let mut predicates = self.own_predicates();
        // As in `clone_in_predicates`: the body type-checks without a second report.
        for ty in self.leaves() {
            predicates.push(quote_spanned! {ty.span()=>
                for<'__check> #ty: #krate::__private::CloneOut
            });
        }
        for param in self.input.item.generics.type_params() {
            let ident = &param.ident;
            predicates.push(quote!(#ident: #krate::__private::CloneOut));
        }
        for (key, key_type) in self.hashed_keys() {
            let key = self.owned_type(key, Place::Heap, Render::OwnedOf);
            predicates.push(quote!(#key_type: ::core::cmp::Eq + ::core::hash::Hash));
            predicates.push(quote!(#key: ::core::cmp::Eq + ::core::hash::Hash));
        }
        predicates
    }
}
