//! Code generation for `#[arena_alloc]`: the owned twin, `CloneOut` for the arena type, and
//! `CloneIn` arena → arena and twin → arena.

use crate::ast::{Body, Field, Fields, Input, Style};
use crate::attr::{self, FieldMode};
use crate::errors::Errors;
use crate::shape::Shape;
use crate::{fallback, valid};
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, ToTokens};
use syn::visit_mut::VisitMut;
use syn::{DeriveInput, GenericParam, Ident, Index, Lifetime, Type, WherePredicate};

/// The whole pipeline: parse, validate, then expand or fall back.
pub fn arena_alloc(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let options = attr::parse_item_options(args, &mut errors);
    let parsed: DeriveInput = match syn::parse2(item.clone()) {
        Ok(parsed) => parsed,
        Err(_) => return fallback::not_a_type(item),
    };
    let input = Input::from_syn(parsed, options, &mut errors);
    valid::check(&input, &mut errors);
    match (&input.arena, errors.is_empty()) {
        (Some(arena), true) => Gen::new(&input, arena).expand(),
        _ => fallback::item_with_errors(&input.item, errors),
    }
}

/// How a type parameter is written in the type being generated.
#[derive(Clone, Copy)]
enum Render {
    /// Inside the twin: `T` is already the owned form.
    Twin,
    /// In the `CloneOut` impl of the arena type: `<T as CloneOut>::Owned`.
    OwnedOf,
}

/// Which copy a generated expression makes.
#[derive(Clone, Copy)]
enum Direction {
    /// arena value → owned twin (`CloneOut`).
    Out,
    /// arena value → arena value (`CloneIn` on the arena type).
    In,
    /// owned twin → arena value (`CloneIn` on the twin).
    FromOwned,
}

struct Gen<'i> {
    input: &'i Input,
    krate: TokenStream,
    twin: Ident,
    arena: &'i Lifetime,
    new_arena: Lifetime,
    arena_var: Ident,
}

fn var(prefix: &str, depth: usize) -> Ident {
    Ident::new(&format!("__{prefix}{depth}"), Span::mixed_site())
}

/// Replaces the arena lifetime, and optionally each type parameter, in a type or bound.
struct Substitute<'s> {
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

impl<'i> Gen<'i> {
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
        Gen {
            input,
            krate,
            twin,
            arena,
            new_arena,
            arena_var: Ident::new("__arena", Span::mixed_site()),
        }
    }

    // ---- types -------------------------------------------------------------------------------

    fn render_param(&self, param: &Ident, render: Render) -> TokenStream {
        let krate = &self.krate;
        match render {
            Render::Twin => param.to_token_stream(),
            Render::OwnedOf => quote!(<#param as #krate::__private::CloneOut>::Owned),
        }
    }

    /// `<T as CloneIn<'n>>::Cloned`.
    fn cloned_param(&self, param: &Ident) -> Type {
        let krate = &self.krate;
        let new_arena = &self.new_arena;
        syn::parse_quote!(<#param as #krate::__private::CloneIn<#new_arena>>::Cloned)
    }

    /// The twin type with its generic arguments: `PersonOwned<T>` or `PersonOwned<T::Owned>`.
    fn twin_type(&self, render: Render) -> TokenStream {
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

    /// The arena type in the new arena: `Person<'n, <T as CloneIn<'n>>::Cloned>`.
    fn item_in_new_arena(&self) -> TokenStream {
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

    /// `ty` with the arena lifetime replaced by `lifetime` and, for `to_cloned`, every type
    /// parameter by `<T as CloneIn<'n>>::Cloned`.
    fn substitute<T: Clone>(
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

    /// The owned type of one field shape; `boxed` says whether a self-reference here would be
    /// stored inline in the twin (and so must be boxed).
    fn owned_type(&self, shape: &Shape, boxed: bool, render: Render) -> TokenStream {
        let krate = &self.krate;
        match shape {
            Shape::Plain(ty) | Shape::Kept(ty) => ty.to_token_stream(),
            Shape::Leaf(ty) => {
                let ty = self.substitute(
                    ty,
                    Lifetime::new("'static", Span::call_site()),
                    false,
                    |s, n| s.visit_type_mut(n),
                );
                quote!(<#ty as #krate::__private::CloneOut>::Owned)
            }
            Shape::Param(param) => self.render_param(param, render),
            Shape::Str { .. } | Shape::ArenaString => quote!(#krate::__private::String),
            Shape::Slice { element, .. } | Shape::ArenaVec(element) => {
                let element = self.owned_type(element, false, render);
                quote!(#krate::__private::Vec<#element>)
            }
            Shape::Ref { target, .. } => self.owned_type(target, boxed, render),
            Shape::SelfRef { .. } if boxed => {
                let twin = self.twin_type(render);
                quote!(#krate::__private::Box<#twin>)
            }
            Shape::SelfRef { .. } | Shape::SelfValue => self.twin_type(render),
            Shape::ArenaHashMap { key, value, .. } => {
                let key = self.owned_type(key, false, render);
                let value = self.owned_type(value, false, render);
                quote!(#krate::__private::HashMap<#key, #value>)
            }
            Shape::Option(inner) => {
                let inner = self.owned_type(inner, boxed, render);
                quote!(::core::option::Option<#inner>)
            }
            Shape::Result(ok, error) => {
                let ok = self.owned_type(ok, boxed, render);
                let error = self.owned_type(error, boxed, render);
                quote!(::core::result::Result<#ok, #error>)
            }
            Shape::Tuple(elements) => {
                let elements = elements
                    .iter()
                    .map(|element| self.owned_type(element, boxed, render));
                quote!((#(#elements,)*))
            }
            Shape::Array(element, len) => {
                let element = self.owned_type(element, boxed, render);
                quote!([#element; #len])
            }
            Shape::Phantom(inner) => {
                let inner = self.owned_type(inner, false, render);
                quote!(::core::marker::PhantomData<#inner>)
            }
            Shape::Unsupported => quote!(()),
        }
    }

    fn field_owned_type(&self, field: &Field, render: Render) -> TokenStream {
        match &field.mode {
            FieldMode::Mapped => self.owned_type(&field.shape, true, render),
            FieldMode::Clone(_) => field.ty.to_token_stream(),
            FieldMode::With(path) => quote!(#path::Owned),
        }
    }

    // ---- expressions -------------------------------------------------------------------------

    /// Whether the trait impls on the whole shape give exactly the mapped type, so one trait
    /// call does the copy (and slices of plain data get their single `memcpy`).
    fn exact(shape: &Shape, direction: Direction, boxed: bool) -> bool {
        let all = |shapes: &[&Shape], boxed: bool| {
            shapes
                .iter()
                .all(|shape| Self::exact(shape, direction, boxed))
        };
        match (shape, direction) {
            (Shape::Kept(_) | Shape::Phantom(_) | Shape::Unsupported, _) => false,
            (Shape::Plain(_) | Shape::Leaf(_) | Shape::Param(_) | Shape::SelfValue, _) => true,
            (Shape::Str { mutable }, Direction::FromOwned) => !mutable,
            (Shape::Ref { .. } | Shape::ArenaVec(_) | Shape::ArenaString, Direction::FromOwned) => {
                false
            }
            (Shape::Str { .. } | Shape::ArenaString, _) => true,
            (Shape::SelfRef { .. }, Direction::In) => true,
            (Shape::SelfRef { .. }, Direction::Out) => !boxed,
            (Shape::SelfRef { mutable }, Direction::FromOwned) => boxed && !mutable,
            (Shape::Ref { target, .. }, Direction::Out | Direction::In) => all(&[target], boxed),
            (Shape::Slice { element, mutable }, Direction::FromOwned) => {
                !mutable && all(&[element], false)
            }
            (
                Shape::Slice { element, .. } | Shape::ArenaVec(element),
                Direction::Out | Direction::In,
            ) => all(&[element], false),
            (Shape::ArenaHashMap { key, value, .. }, _) => all(&[key, value], false),
            (Shape::Option(inner) | Shape::Array(inner, _), _) => all(&[inner], boxed),
            (Shape::Result(ok, error), _) => all(&[ok, error], boxed),
            (Shape::Tuple(elements), _) => all(&elements.iter().collect::<Vec<_>>(), boxed),
        }
    }

    /// `&mut T` or `&T` from an arena allocation of `value`.
    fn alloc_ref(&self, value: TokenStream, mutable: bool) -> TokenStream {
        let arena = &self.arena_var;
        if mutable {
            quote!(#arena.alloc(#value))
        } else {
            quote!(&*#arena.alloc(#value))
        }
    }

    /// An expression that copies `source` (an expression of type `&T`, `T` the arena type of
    /// `shape` for `Out` and `In`, its owned type for `FromOwned`).
    fn copy(
        &self,
        shape: &Shape,
        source: TokenStream,
        direction: Direction,
        depth: usize,
        boxed: bool,
    ) -> TokenStream {
        let krate = &self.krate;
        let arena = &self.arena_var;
        if Self::exact(shape, direction, boxed) {
            return match direction {
                Direction::Out => quote!(#krate::__private::CloneOut::clone_out(#source)),
                Direction::In | Direction::FromOwned => {
                    quote!(#krate::__private::CloneIn::clone_in(#source, #arena))
                }
            };
        }
        let item = var("item", depth);
        let bound = var("source", depth);
        let key = var("key", depth);
        let index = var("index", depth);
        let copy = var("copy", depth);
        let inner = |shape: &Shape, source: TokenStream, boxed: bool| {
            self.copy(shape, source, direction, depth + 1, boxed)
        };
        // A slice or an `ArenaVec` cloned out: a `Vec` of the elements cloned out.
        let collect_out = |element: &Shape| {
            let element = inner(element, item.to_token_stream(), false);
            quote!({
                let #bound = #source;
                #bound.iter().map(|#item| #element).collect::<#krate::__private::Vec<_>>()
            })
        };
        match shape {
            Shape::Plain(_) | Shape::Kept(_) => quote!(*#source),
            Shape::Phantom(_) => quote!(::core::marker::PhantomData),
            Shape::Str { mutable: true } => quote!(#arena.alloc_str(#source)),
            Shape::ArenaString => quote!({
                let #bound = #source;
                let mut #copy = #krate::__private::ArenaString::with_capacity_in(#bound.len(), #arena);
                #copy.push_str(#bound);
                #copy
            }),
            Shape::SelfRef { mutable } => match direction {
                Direction::Out => {
                    quote!(#krate::__private::Box::new(#krate::__private::CloneOut::clone_out(*#source)))
                }
                Direction::In => self.alloc_ref(
                    quote!(#krate::__private::CloneIn::clone_in(*#source, #arena)),
                    *mutable,
                ),
                Direction::FromOwned if boxed => self.alloc_ref(
                    quote!(#krate::__private::CloneIn::clone_in(&**#source, #arena)),
                    *mutable,
                ),
                Direction::FromOwned => self.alloc_ref(
                    quote!(#krate::__private::CloneIn::clone_in(#source, #arena)),
                    *mutable,
                ),
            },
            Shape::Ref { target, mutable } => match direction {
                Direction::Out => inner(target, quote!(*#source), boxed),
                Direction::In => self.alloc_ref(inner(target, quote!(*#source), boxed), *mutable),
                Direction::FromOwned => self.alloc_ref(inner(target, source, boxed), *mutable),
            },
            Shape::Slice { element, mutable } => match direction {
                Direction::Out => collect_out(element),
                Direction::In | Direction::FromOwned => {
                    let element = inner(element, quote!(&#copy[#index]), false);
                    let slice =
                        quote!(#arena.alloc_slice_fill_with(#copy.len(), |#index| #element));
                    let slice = if *mutable { slice } else { quote!(&*#slice) };
                    quote!({
                        let #copy = #source;
                        #slice
                    })
                }
            },
            Shape::ArenaVec(element) => match direction {
                Direction::Out => collect_out(element),
                Direction::In | Direction::FromOwned => {
                    let element = inner(element, item.to_token_stream(), false);
                    quote!({
                        let #bound = #source;
                        let mut #copy = #krate::__private::ArenaVec::with_capacity_in(#bound.len(), #arena);
                        for #item in #bound.iter() {
                            #copy.push(#element);
                        }
                        #copy
                    })
                }
            },
            Shape::ArenaHashMap {
                key: key_shape,
                value,
                ..
            } => {
                let key_copy = inner(key_shape, key.to_token_stream(), false);
                let value_copy = inner(value, item.to_token_stream(), false);
                let map = match direction {
                    Direction::Out => {
                        quote!(#krate::__private::HashMap::with_capacity(#bound.len()))
                    }
                    Direction::In | Direction::FromOwned => {
                        quote!(#krate::__private::ArenaHashMap::with_capacity_in(#bound.len(), #arena))
                    }
                };
                quote!({
                    let #bound = #source;
                    let mut #copy = #map;
                    for (#key, #item) in #bound.iter() {
                        #copy.insert(#key_copy, #value_copy);
                    }
                    #copy
                })
            }
            Shape::Option(inner_shape) => {
                let value = inner(inner_shape, item.to_token_stream(), boxed);
                quote!(::core::option::Option::map(::core::option::Option::as_ref(#source), |#item| #value))
            }
            Shape::Result(ok, error) => {
                let ok = inner(ok, item.to_token_stream(), boxed);
                let error = inner(error, item.to_token_stream(), boxed);
                quote!(match #source {
                    ::core::result::Result::Ok(#item) => ::core::result::Result::Ok(#ok),
                    ::core::result::Result::Err(#item) => ::core::result::Result::Err(#error),
                })
            }
            Shape::Tuple(elements) => {
                let elements = elements.iter().enumerate().map(|(position, element)| {
                    let position = Index::from(position);
                    inner(element, quote!(&#bound.#position), boxed)
                });
                quote!({
                    let #bound = #source;
                    (#(#elements,)*)
                })
            }
            Shape::Array(element, _) => {
                let element = inner(element, item.to_token_stream(), boxed);
                quote!({
                    let #bound = #source;
                    #bound.each_ref().map(|#item| #element)
                })
            }
            Shape::Leaf(_)
            | Shape::Param(_)
            | Shape::Str { .. }
            | Shape::SelfValue
            | Shape::Unsupported => {
                unreachable!("handled by the exact case above")
            }
        }
    }

    fn copy_field(&self, field: &Field, source: TokenStream, direction: Direction) -> TokenStream {
        let arena = &self.arena_var;
        match (&field.mode, direction) {
            (FieldMode::Mapped, _) => self.copy(&field.shape, source, direction, 0, true),
            (FieldMode::Clone(_), _) => quote!(::core::clone::Clone::clone(#source)),
            (FieldMode::With(path), Direction::Out) => quote!(#path::clone_out(#source)),
            (FieldMode::With(path), Direction::In) => quote!(#path::clone_in(#source, #arena)),
            (FieldMode::With(path), Direction::FromOwned) => {
                quote!(#path::from_owned(#source, #arena))
            }
        }
    }

    /// `Self { a: __field0, .. }` and the constructor `Target { a: copy(__field0), .. }`.
    fn copy_fields(
        &self,
        fields: &Fields,
        pattern_path: TokenStream,
        target_path: TokenStream,
        direction: Direction,
    ) -> (TokenStream, TokenStream) {
        let bindings: Vec<TokenStream> = fields
            .fields
            .iter()
            .enumerate()
            .map(|(position, field)| match (&field.mode, &field.shape) {
                (FieldMode::Mapped, Shape::Phantom(_)) => quote!(_),
                _ => var("field", position).to_token_stream(),
            })
            .collect();
        let copies = fields
            .fields
            .iter()
            .zip(&bindings)
            .map(|(field, binding)| self.copy_field(field, binding.clone(), direction));
        let members = fields.fields.iter().map(|field| &field.member);
        match fields.style {
            Style::Named => {
                let members: Vec<_> = members.collect();
                (
                    quote!(#pattern_path { #(#members: #bindings),* }),
                    quote!(#target_path { #(#members: #copies),* }),
                )
            }
            Style::Unnamed => (
                quote!(#pattern_path(#(#bindings),*)),
                quote!(#target_path(#(#copies),*)),
            ),
            Style::Unit => (quote!(#pattern_path), quote!(#target_path)),
        }
    }

    fn body(&self, target: &Ident, direction: Direction) -> TokenStream {
        match &self.input.body {
            Body::Struct(fields) => {
                let (pattern, construct) =
                    self.copy_fields(fields, quote!(Self), quote!(#target), direction);
                quote! {
                    let #pattern = self;
                    #construct
                }
            }
            Body::Enum(variants) if variants.is_empty() => quote!(match *self {}),
            Body::Enum(variants) => {
                let arms = variants.iter().map(|variant| {
                    let ident = &variant.ident;
                    let (pattern, construct) = self.copy_fields(
                        &variant.fields,
                        quote!(Self::#ident),
                        quote!(#target::#ident),
                        direction,
                    );
                    quote!(#pattern => #construct,)
                });
                quote!(match self { #(#arms)* })
            }
            Body::Union(_) => unreachable!("rejected by valid::check"),
        }
    }

    // ---- items -------------------------------------------------------------------------------

    fn twin_generics(&self) -> TokenStream {
        let params = self.twin_generics_list();
        if params.is_empty() {
            TokenStream::new()
        } else {
            quote!(<#(#params),*>)
        }
    }

    fn twin_fields(&self, fields: &Fields) -> TokenStream {
        let declared = fields.fields.iter().map(|field| {
            let docs = &field.docs;
            let vis = &field.vis;
            let ty = self.field_owned_type(field, Render::Twin);
            match &field.member {
                syn::Member::Named(name) => quote!(#(#docs)* #vis #name: #ty),
                syn::Member::Unnamed(_) => quote!(#(#docs)* #vis #ty),
            }
        });
        match fields.style {
            Style::Named => quote!({ #(#declared,)* }),
            Style::Unnamed => quote!((#(#declared,)*)),
            Style::Unit => TokenStream::new(),
        }
    }

    fn twin(&self) -> TokenStream {
        let item = &self.input.item;
        let vis = &item.vis;
        let twin = &self.twin;
        let generics = self.twin_generics();
        let docs = item.attrs.iter().filter(|attr| attr.path().is_ident("doc"));
        let note = format!(
            " The owned twin of [`{}`], made by `#[arena_alloc]`: the same fields, on the heap.",
            item.ident
        );
        let blank = if item.attrs.iter().any(|attr| attr.path().is_ident("doc")) {
            quote!(#[doc = ""])
        } else {
            TokenStream::new()
        };
        let derives = match &self.input.options.derives {
            None => quote!(#[derive(::core::fmt::Debug, ::core::clone::Clone)]),
            Some(paths) if paths.is_empty() => TokenStream::new(),
            Some(paths) => quote!(#[derive(#(#paths),*)]),
        };
        let head = quote! {
            #(#docs)*
            #blank
            #[doc = #note]
            #derives
        };
        match &self.input.body {
            Body::Struct(fields) => {
                let body = self.twin_fields(fields);
                let semicolon = if fields.style == Style::Named {
                    None
                } else {
                    Some(quote!(;))
                };
                quote!(#head #vis struct #twin #generics #body #semicolon)
            }
            Body::Enum(variants) => {
                let variants = variants.iter().map(|variant| {
                    let docs = &variant.docs;
                    let ident = &variant.ident;
                    let fields = self.twin_fields(&variant.fields);
                    let discriminant = variant.discriminant.as_ref().map(|expr| quote!(= #expr));
                    quote!(#(#docs)* #ident #fields #discriminant)
                });
                quote!(#head #vis enum #twin #generics { #(#variants,)* })
            }
            Body::Union(_) => unreachable!("rejected by valid::check"),
        }
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

    /// Keys of maps that mention a type parameter need `Eq + Hash` on their copies.
    fn hashed_keys<'s>(shape: &'s Shape, keys: &mut Vec<(&'s Shape, &'s Type)>) {
        match shape {
            Shape::ArenaHashMap {
                key,
                key_type,
                value,
            } => {
                if mentions_param(key) {
                    keys.push((key, key_type));
                }
                Self::hashed_keys(key, keys);
                Self::hashed_keys(value, keys);
            }
            Shape::Slice { element: inner, .. }
            | Shape::Ref { target: inner, .. }
            | Shape::ArenaVec(inner)
            | Shape::Option(inner)
            | Shape::Array(inner, _) => Self::hashed_keys(inner, keys),
            Shape::Result(ok, error) => {
                Self::hashed_keys(ok, keys);
                Self::hashed_keys(error, keys);
            }
            Shape::Tuple(elements) => elements
                .iter()
                .for_each(|element| Self::hashed_keys(element, keys)),
            _ => {}
        }
    }

    /// `where` predicates for the `CloneIn<'n>` impls: each parameter copies into `'n`, and the
    /// item's own bounds hold for the copies.
    fn clone_in_predicates(&self) -> Vec<TokenStream> {
        let krate = &self.krate;
        let new_arena = &self.new_arena;
        let mut predicates = Vec::new();
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
        let mut keys = Vec::new();
        self.shapes()
            .into_iter()
            .for_each(|shape| Self::hashed_keys(shape, &mut keys));
        for (_, key_type) in keys {
            let cloned = self.substitute(key_type, new_arena.clone(), true, |s, n| {
                s.visit_type_mut(n)
            });
            predicates.push(quote!(#key_type: ::core::cmp::Eq + ::core::hash::Hash));
            predicates.push(quote!(#cloned: ::core::cmp::Eq + ::core::hash::Hash));
        }
        predicates
    }

    fn clone_out_predicates(&self) -> Vec<TokenStream> {
        let krate = &self.krate;
        let mut predicates: Vec<TokenStream> = self
            .input
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
            .collect();
        for param in self.input.item.generics.type_params() {
            let ident = &param.ident;
            predicates.push(quote!(#ident: #krate::__private::CloneOut));
        }
        let mut keys = Vec::new();
        self.shapes()
            .into_iter()
            .for_each(|shape| Self::hashed_keys(shape, &mut keys));
        for (key, key_type) in keys {
            let key = self.owned_type(key, false, Render::OwnedOf);
            predicates.push(quote!(#key_type: ::core::cmp::Eq + ::core::hash::Hash));
            predicates.push(quote!(#key: ::core::cmp::Eq + ::core::hash::Hash));
        }
        predicates
    }

    fn expand(&self) -> TokenStream {
        let krate = &self.krate;
        let item = &self.input.item;
        let ident = &item.ident;
        let twin = &self.twin;
        let new_arena = &self.new_arena;
        let arena = &self.arena_var;
        let (impl_generics, type_generics, _) = item.generics.split_for_impl();

        let twin_definition = self.twin();
        let owned = self.twin_type(Render::OwnedOf);
        let out_predicates = self.clone_out_predicates();
        let out_body = self.body(twin, Direction::Out);

        let mut generics_in = item.generics.clone();
        generics_in.params.insert(0, syn::parse_quote!(#new_arena));
        let (impl_generics_in, _, _) = generics_in.split_for_impl();
        let cloned = self.item_in_new_arena();
        let in_predicates = self.clone_in_predicates();
        let in_body = self.body(ident, Direction::In);

        let twin_params = self.twin_generics();
        let twin_impl_generics = match twin_params.is_empty() {
            true => quote!(<#new_arena>),
            false => {
                let params = self.twin_generics_list();
                quote!(<#new_arena, #(#params),*>)
            }
        };
        let twin_type = self.twin_type(Render::Twin);
        let from_owned_body = self.body(ident, Direction::FromOwned);

        quote! {
            #item

            #twin_definition

            #[automatically_derived]
            impl #impl_generics #krate::__private::CloneOut for #ident #type_generics
            where #(#out_predicates,)*
            {
                type Owned = #owned;

                fn clone_out(&self) -> Self::Owned {
                    #out_body
                }
            }

            #[automatically_derived]
            impl #impl_generics_in #krate::__private::CloneIn<#new_arena> for #ident #type_generics
            where #(#in_predicates,)*
            {
                type Cloned = #cloned;

                fn clone_in(&self, #arena: &#new_arena #krate::__private::Arena) -> Self::Cloned {
                    #in_body
                }
            }

            #[automatically_derived]
            impl #twin_impl_generics #krate::__private::CloneIn<#new_arena> for #twin_type
            where #(#in_predicates,)*
            {
                type Cloned = #cloned;

                fn clone_in(&self, #arena: &#new_arena #krate::__private::Arena) -> Self::Cloned {
                    #from_owned_body
                }
            }
        }
    }

    fn twin_generics_list(&self) -> Vec<TokenStream> {
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
}

fn mentions_param(shape: &Shape) -> bool {
    match shape {
        Shape::Param(_) => true,
        Shape::Slice { element: inner, .. }
        | Shape::Ref { target: inner, .. }
        | Shape::ArenaVec(inner)
        | Shape::Option(inner)
        | Shape::Array(inner, _)
        | Shape::Phantom(inner) => mentions_param(inner),
        Shape::ArenaHashMap { key, value, .. } => mentions_param(key) || mentions_param(value),
        Shape::Result(ok, error) => mentions_param(ok) || mentions_param(error),
        Shape::Tuple(elements) => elements.iter().any(mentions_param),
        _ => false,
    }
}
