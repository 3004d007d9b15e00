//! The expressions that copy a value, in each of the three directions: a field shape at a time
//! (`copy`), a field with its `#[arena(..)]` mode (`copy_field`), and the whole body of a
//! `clone_out` / `clone_in` method (`body`). Where the trait impls of `arena-core` already give
//! exactly the mapped type, the copy is one trait call, so slices of plain data keep their single
//! `memcpy`; otherwise the copy is spelled out here.

use super::types::Place;
use super::Expander;
use crate::ast::{Body, Field, Fields, Style};
use crate::attr::FieldMode;
use crate::shape::Shape;
use proc_macro2::{Span, TokenStream};
use quote::{quote, ToTokens};
use syn::{Ident, Index};

/// Which copy a generated expression makes.
#[derive(Clone, Copy)]
pub(super) enum Direction {
    /// arena value → owned twin (`CloneOut`).
    Out,
    /// arena value → arena value (`CloneIn` on the arena type).
    In,
    /// owned twin → arena value (`CloneIn` on the twin).
    FromOwned,
}

/// A local variable of the generated code, `__{prefix}{depth}`, invisible to the user's code.
fn local(prefix: &str, depth: usize) -> Ident {
    Ident::new(&format!("__{prefix}{depth}"), Span::mixed_site())
}

/// Whether the trait impls on the whole shape give exactly the mapped type in `direction`, so
/// that one trait call copies it.
fn copied_by_one_call(shape: &Shape, direction: Direction, place: Place) -> bool {
    let all = |shapes: &[&Shape], place: Place| {
        shapes
            .iter()
            .all(|shape| copied_by_one_call(shape, direction, place))
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
        (Shape::SelfRef { .. }, Direction::Out) => place == Place::Heap,
        (Shape::SelfRef { mutable }, Direction::FromOwned) => place == Place::Inline && !mutable,
        (Shape::Ref { target, .. }, Direction::Out | Direction::In) => all(&[target], place),
        (Shape::Slice { element, mutable }, Direction::FromOwned) => {
            !mutable && all(&[element], Place::Heap)
        }
        (
            Shape::Slice { element, .. } | Shape::ArenaVec(element),
            Direction::Out | Direction::In,
        ) => all(&[element], Place::Heap),
        (Shape::ArenaHashMap { key, value, .. }, _) => all(&[key, value], Place::Heap),
        (Shape::Option(inner) | Shape::Array(inner, _), _) => all(&[inner], place),
        (Shape::Result(ok, error), _) => all(&[ok, error], place),
        (Shape::Tuple(elements), _) => all(&elements.iter().collect::<Vec<_>>(), place),
    }
}

impl Expander<'_> {
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
    /// `shape` for `Out` and `In`, its owned type for `FromOwned`), stored at `place`; `depth`
    /// keeps the locals of nested copies apart.
    fn copy(
        &self,
        shape: &Shape,
        source: TokenStream,
        direction: Direction,
        depth: usize,
        place: Place,
    ) -> TokenStream {
        let krate = &self.krate;
        let arena = &self.arena_var;
        if copied_by_one_call(shape, direction, place) {
            return match direction {
                Direction::Out => quote!(#krate::__private::CloneOut::clone_out(#source)),
                Direction::In | Direction::FromOwned => {
                    quote!(#krate::__private::CloneIn::clone_in(#source, #arena))
                }
            };
        }
        let item = local("item", depth);
        let bound = local("source", depth);
        let key = local("key", depth);
        let index = local("index", depth);
        let copy = local("copy", depth);
        let inner = |shape: &Shape, source: TokenStream, place: Place| {
            self.copy(shape, source, direction, depth + 1, place)
        };
        // A slice or an `ArenaVec` cloned out: a `Vec` of the elements cloned out.
        let collect_out = |element: &Shape| {
            let element = inner(element, item.to_token_stream(), Place::Heap);
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
                Direction::FromOwned if place == Place::Inline => self.alloc_ref(
                    quote!(#krate::__private::CloneIn::clone_in(&**#source, #arena)),
                    *mutable,
                ),
                Direction::FromOwned => self.alloc_ref(
                    quote!(#krate::__private::CloneIn::clone_in(#source, #arena)),
                    *mutable,
                ),
            },
            Shape::Ref { target, mutable } => match direction {
                Direction::Out => inner(target, quote!(*#source), place),
                Direction::In => self.alloc_ref(inner(target, quote!(*#source), place), *mutable),
                Direction::FromOwned => self.alloc_ref(inner(target, source, place), *mutable),
            },
            Shape::Slice { element, mutable } => match direction {
                Direction::Out => collect_out(element),
                Direction::In | Direction::FromOwned => {
                    let element = inner(element, quote!(&#copy[#index]), Place::Heap);
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
                    let element = inner(element, item.to_token_stream(), Place::Heap);
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
                let key_copy = inner(key_shape, key.to_token_stream(), Place::Heap);
                let value_copy = inner(value, item.to_token_stream(), Place::Heap);
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
                let value = inner(inner_shape, item.to_token_stream(), place);
                quote!(::core::option::Option::map(::core::option::Option::as_ref(#source), |#item| #value))
            }
            Shape::Result(ok, error) => {
                let ok = inner(ok, item.to_token_stream(), place);
                let error = inner(error, item.to_token_stream(), place);
                quote!(match #source {
                    ::core::result::Result::Ok(#item) => ::core::result::Result::Ok(#ok),
                    ::core::result::Result::Err(#item) => ::core::result::Result::Err(#error),
                })
            }
            Shape::Tuple(elements) => {
                let elements = elements.iter().enumerate().map(|(position, element)| {
                    let position = Index::from(position);
                    inner(element, quote!(&#bound.#position), place)
                });
                quote!({
                    let #bound = #source;
                    (#(#elements,)*)
                })
            }
            Shape::Array(element, _) => {
                let element = inner(element, item.to_token_stream(), place);
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
                unreachable!("copied by one trait call, above")
            }
        }
    }

    /// An expression that copies one field, `source` being a reference to it.
    fn copy_field(&self, field: &Field, source: TokenStream, direction: Direction) -> TokenStream {
        let arena = &self.arena_var;
        match (&field.mode, direction) {
            (FieldMode::Mapped, _) => self.copy(&field.shape, source, direction, 0, Place::Inline),
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
                _ => local("field", position).to_token_stream(),
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

    /// The body of a `clone_out` / `clone_in` method: destructure `self`, build `target`.
    pub(super) fn body(&self, target: &Ident, direction: Direction) -> TokenStream {
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
}
