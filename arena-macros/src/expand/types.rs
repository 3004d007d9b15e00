//! How the generated code writes types: the owned form of each field shape (the mapping table
//! of `#[arena_alloc]`'s docs), the twin and the item with their generic arguments, and the
//! substitution of the arena's lifetime and type parameters in the user's own types and bounds.

use super::Expander;
use crate::ast::Field;
use crate::attr::FieldMode;
use crate::shape::{self, Shape};
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;
use syn::{GenericParam, Ident, Lifetime, Type};

/// How a type parameter is written in the type being generated.
#[derive(Clone, Copy)]
pub(super) enum Render {
    /// Inside the twin: `T` is already the owned form.
    Twin,
    /// In the `CloneOut` impl of the arena type: `<T as CloneOut>::Owned`.
    OwnedOf,
}

/// Where the owned value of a shape is stored, which decides whether a reference to the item
/// itself is boxed there.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    /// In the twin itself (a field, or inside its `Option`, tuple, array…): a self-reference is
    /// boxed, or the twin would be infinitely large.
    Inline,
    /// In the heap buffer of a `Vec` or a `HashMap`: a self-reference is the twin itself.
    Heap,
}

/// Replaces the arena lifetime, and optionally each type parameter, in a type or bound.
pub(super) struct Substitute<'s> {
    arena: &'s Ident,
    lifetime: Lifetime,
    params: &'s [Ident],
    param_to: Option<&'s dyn Fn(&Ident) -> Type>,
}

impl VisitMut for Substitute<'_> {
    fn visit_lifetime_mut(&mut self, lifetime: &mut Lifetime) {
        if lifetime.ident == *self.arena {
            *lifetime = self.lifetime.clone();
        }
    }

    fn visit_type_mut(&mut self, ty: &mut Type) {
        if let (Type::Path(path), Some(param_to)) = (&*ty, self.param_to) {
            if let Some(ident) = path.path.get_ident() {
                if path.qself.is_none() && self.params.contains(ident) {
                    *ty = param_to(ident);
                    return;
                }
            }
        }
        syn::visit_mut::visit_type_mut(self, ty);
    }
}

impl Expander<'_> {
    /// Whether `ty` stands apart from the item (see [`shape::is_standalone`]), so that its
    /// `CloneOut` / `CloneIn` impls can be checked where the item is defined, once, with the
    /// error at the field.
    pub(super) fn is_standalone(&self, ty: &Type) -> bool {
        let params: Vec<Ident> = self
            .input
            .item
            .generics
            .params
            .iter()
            .filter_map(|param| match param {
                GenericParam::Type(param) => Some(param.ident.clone()),
                GenericParam::Const(param) => Some(param.ident.clone()),
                GenericParam::Lifetime(_) => None,
            })
            .collect();
        shape::is_standalone(ty, &params)
    }

    fn render_param(&self, param: &Ident, render: Render) -> TokenStream {
        let krate = &self.krate;
        match render {
            Render::Twin => param.to_token_stream(),
            Render::OwnedOf => quote!(<#param as #krate::__private::CloneOut>::Owned),
        }
    }

    /// `<T as CloneIn<'n>>::Cloned`.
    pub(super) fn cloned_param(&self, param: &Ident) -> Type {
        let krate = &self.krate;
        let new_arena = &self.new_arena;
        syn::parse_quote!(<#param as #krate::__private::CloneIn<#new_arena>>::Cloned)
    }

    /// The twin type with its generic arguments: `PersonOwned<T>` or `PersonOwned<T::Owned>`.
    pub(super) fn twin_type(&self, render: Render) -> TokenStream {
        let twin = &self.twin;
        let arguments: Vec<TokenStream> = self
            .input
            .item
            .generics
            .params
            .iter()
            .filter_map(|param| match param {
                GenericParam::Lifetime(param) if param.lifetime.ident == self.arena.ident => None,
                GenericParam::Lifetime(param) => Some(param.lifetime.to_token_stream()),
                GenericParam::Type(param) => Some(self.render_param(&param.ident, render)),
                GenericParam::Const(param) => Some(param.ident.to_token_stream()),
            })
            .collect();
        if arguments.is_empty() {
            quote!(#twin)
        } else {
            quote!(#twin<#(#arguments),*>)
        }
    }

    /// The twin's generic parameters, without bounds: the item's, minus the arena lifetime.
    pub(super) fn twin_generics_list(&self) -> Vec<TokenStream> {
        self.input
            .item
            .generics
            .params
            .iter()
            .filter_map(|param| match param {
                GenericParam::Lifetime(param) if param.lifetime.ident == self.arena.ident => None,
                GenericParam::Lifetime(param) => Some(param.lifetime.to_token_stream()),
                GenericParam::Type(param) => Some(param.ident.to_token_stream()),
                GenericParam::Const(param) => {
                    let (ident, ty) = (&param.ident, &param.ty);
                    Some(quote!(const #ident: #ty))
                }
            })
            .collect()
    }

    /// The twin's generic parameters in angle brackets, or nothing when it has none.
    pub(super) fn twin_generics(&self) -> TokenStream {
        let params = self.twin_generics_list();
        if params.is_empty() {
            TokenStream::new()
        } else {
            quote!(<#(#params),*>)
        }
    }

    /// The arena type in the new arena: `Person<'n, <T as CloneIn<'n>>::Cloned>`.
    pub(super) fn item_in_new_arena(&self) -> TokenStream {
        let ident = &self.input.item.ident;
        let arguments = self
            .input
            .item
            .generics
            .params
            .iter()
            .map(|param| match param {
                GenericParam::Lifetime(param) if param.lifetime.ident == self.arena.ident => {
                    self.new_arena.to_token_stream()
                }
                GenericParam::Lifetime(param) => param.lifetime.to_token_stream(),
                GenericParam::Type(param) => self.cloned_param(&param.ident).to_token_stream(),
                GenericParam::Const(param) => param.ident.to_token_stream(),
            });
        quote!(#ident<#(#arguments),*>)
    }

    /// `node` with the arena lifetime replaced by `lifetime` and, for `to_cloned`, every type
    /// parameter by `<T as CloneIn<'n>>::Cloned`.
    pub(super) fn substitute<T: Clone>(
        &self,
        node: &T,
        lifetime: Lifetime,
        to_cloned: bool,
        visit: impl FnOnce(&mut Substitute, &mut T),
    ) -> T {
        let to = |param: &Ident| self.cloned_param(param);
        let mut substitute = Substitute {
            arena: &self.arena.ident,
            lifetime,
            params: &self.input.type_params,
            param_to: if to_cloned { Some(&to) } else { None },
        };
        let mut node = node.clone();
        visit(&mut substitute, &mut node);
        node
    }

    /// The owned type of one field shape, stored at `place`.
    pub(super) fn owned_type(&self, shape: &Shape, place: Place, render: Render) -> TokenStream {
        let krate = &self.krate;
        match shape {
            Shape::Plain(ty) | Shape::Kept(ty) => ty.to_token_stream(),
            Shape::Leaf(ty) => {
                // The twin's type does not borrow: the arena's lifetime becomes `'static`.
                let ty = self.substitute(
                    ty,
                    Lifetime::new("'static", Span::call_site()),
                    false,
                    |s, n| s.visit_type_mut(n),
                );
                if self.is_standalone(&ty) {
                    // The one place that checks the impl, at the field: see `CheckedOwned`.
                    quote_spanned! {ty.span()=>
                        <#ty as #krate::__private::CheckedOwned<{
                            #krate::__private::assert_clone_out::<#ty>()
                        }>>::Owned
                    }
                } else {
                    quote!(<#ty as #krate::__private::CloneOut>::Owned)
                }
            }
            Shape::Param(param) => self.render_param(param, render),
            Shape::Str { .. } | Shape::ArenaString => quote!(#krate::__private::String),
            Shape::Slice { element, .. } | Shape::ArenaVec(element) => {
                let element = self.owned_type(element, Place::Heap, render);
                quote!(#krate::__private::Vec<#element>)
            }
            Shape::Ref { target, .. } => self.owned_type(target, place, render),
            Shape::SelfRef { .. } if place == Place::Inline => {
                let twin = self.twin_type(render);
                quote!(#krate::__private::Box<#twin>)
            }
            Shape::SelfRef { .. } | Shape::SelfValue => self.twin_type(render),
            Shape::ArenaHashMap { key, value, .. } => {
                let key = self.owned_type(key, Place::Heap, render);
                let value = self.owned_type(value, Place::Heap, render);
                quote!(#krate::__private::HashMap<#key, #value>)
            }
            Shape::Option(inner) => {
                let inner = self.owned_type(inner, place, render);
                quote!(::core::option::Option<#inner>)
            }
            Shape::Result(ok, error) => {
                let ok = self.owned_type(ok, place, render);
                let error = self.owned_type(error, place, render);
                quote!(::core::result::Result<#ok, #error>)
            }
            Shape::Tuple(elements) => {
                let elements = elements
                    .iter()
                    .map(|element| self.owned_type(element, place, render));
                quote!((#(#elements,)*))
            }
            Shape::Array(element, len) => {
                let element = self.owned_type(element, place, render);
                quote!([#element; #len])
            }
            Shape::Phantom(inner) => {
                let inner = self.owned_type(inner, Place::Heap, render);
                quote!(::core::marker::PhantomData<#inner>)
            }
            Shape::Unsupported => quote!(()),
        }
    }

    /// The type of `field` in the twin (`Render::Twin`) or in the `CloneOut` impl's `Owned`.
    pub(super) fn field_owned_type(&self, field: &Field, render: Render) -> TokenStream {
        match &field.mode {
            FieldMode::Mapped => self.owned_type(&field.shape, Place::Inline, render),
            FieldMode::Clone(_) => field.ty.to_token_stream(),
            FieldMode::With(path) => quote!(#path::Owned),
        }
    }
}
