//! `impl DeserializeIn<'a> for Item`, for `#[arena_alloc(deserialize)]`: what serde_derive's
//! `Deserialize` is, with every field deserialized in the arena through its own `DeserializeIn`
//! (or its own `Deserialize`, for `#[arena(clone)]` plain data). Structs take serde's map and
//! sequence forms; enums are externally tagged. The helpers (field and variant identifiers,
//! visitors) live in an anonymous `const _: () = { .. };` and are generic over the item's
//! parameters plus the deserialization mode `__M`.
//!
//! This module holds the types the parts share (a field as read, the value being built), the
//! item's and visitors' generics, the visitor type and the impl itself; `fields` holds the code
//! that reads one set of fields (structs, and enum variants with fields): identifiers, sequence and
//! map visitors, defaults; `enums` holds the variant identifier and the enum's visitor. All rely on
//! the parsed item (`crate::ast`), its serde attributes (`crate::serde_attr`) and the facade's
//! hidden `__private::de` / `__private::serde` paths.

mod enums;
mod fields;

use super::Expander;
use crate::ast::{Body, Field, Style};
use crate::serde_attr::{FieldAttrs, Spec};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::visit_mut::VisitMut;
use syn::{GenericParam, Generics, Ident, Type};

/// Replaces `Self` in a field type by the item's own type (the visitors are other types).
struct ReplaceSelf<'t> {
    item: &'t Type,
}

impl VisitMut for ReplaceSelf<'_> {
    fn visit_type_mut(&mut self, ty: &mut Type) {
        if let Type::Path(path) = ty {
            if path.qself.is_none() && path.path.is_ident("Self") {
                *ty = self.item.clone();
                return;
            }
        }
        syn::visit_mut::visit_type_mut(self, ty);
    }
}

/// One field as deserialization sees it.
struct Wire<'f> {
    field: &'f Field,
    attrs: &'f FieldAttrs,
    /// The field's type, `Self` replaced.
    ty: Type,
    /// The key it is read from.
    name: String,
    /// The local variable that holds it.
    var: Ident,
}

/// Where the fields being read belong: a struct, or one variant of an enum.
struct Target {
    /// The path that builds the value: `Item` or `Item::Variant`.
    constructor: TokenStream,
    /// For messages: `struct Item`, `tuple variant Item::Variant` ..
    describe: String,
}

impl Expander<'_> {
    fn de(&self) -> TokenStream {
        let krate = &self.krate;
        quote!(#krate::__private::de)
    }

    fn serde(&self) -> TokenStream {
        let krate = &self.krate;
        quote!(#krate::__private::serde)
    }

    /// `Item<'a, T, ..>`.
    fn item_type(&self) -> Type {
        let ident = &self.input.item.ident;
        let (_, type_generics, _) = self.input.item.generics.split_for_impl();
        syn::parse_quote!(#ident #type_generics)
    }

    /// The item's generics without defaults (a visitor adds `__M` after them), plus `__M`.
    fn visitor_generics(&self) -> Generics {
        let mut generics = self.input.item.generics.clone();
        for param in generics.params.iter_mut() {
            match param {
                GenericParam::Type(param) => {
                    param.eq_token = None;
                    param.default = None;
                }
                GenericParam::Const(param) => {
                    param.eq_token = None;
                    param.default = None;
                }
                GenericParam::Lifetime(_) => {}
            }
        }
        generics.params.push(syn::parse_quote!(__M));
        generics
    }

    /// The generics of a visitor's impl: `'__de` first, and the bounds that make the item
    /// deserializable (each type parameter `DeserializeIn<'a>`, `__M` a mode).
    fn visitor_impl_generics(&self) -> Generics {
        let de = self.de();
        let arena = self.arena;
        let mut generics = self.visitor_generics();
        generics.params.insert(0, syn::parse_quote!('__de));
        let where_clause = generics.make_where_clause();
        where_clause
            .predicates
            .push(syn::parse_quote!(__M: #de::Mode<'__de, #arena>));
        for param in &self.input.type_params {
            where_clause
                .predicates
                .push(syn::parse_quote!(#param: #de::DeserializeIn<#arena>));
        }
        generics
    }

    /// A visitor type `__Visitor{tag}` whose `Value` is the item, with the given methods.
    fn visitor(&self, tag: usize, expecting: &str, methods: TokenStream) -> TokenStream {
        let serde = self.serde();
        let visitor = format_ident!("__Visitor{}", tag);
        let item = self.item_type();
        let generics = self.visitor_generics();
        let (_, type_generics, _) = generics.split_for_impl();
        let where_clause = &generics.where_clause;
        let params = &generics.params;
        let impl_generics = self.visitor_impl_generics();
        let (impl_generics, _, impl_where) = impl_generics.split_for_impl();
        quote! {
            struct #visitor<#params> #where_clause {
                __mode: __M,
                __marker: ::core::marker::PhantomData<fn() -> #item>,
            }

            #[automatically_derived]
            impl #impl_generics #serde::de::Visitor<'__de> for #visitor #type_generics #impl_where {
                type Value = #item;

                fn expecting(
                    &self,
                    __formatter: &mut ::core::fmt::Formatter<'_>,
                ) -> ::core::fmt::Result {
                    ::core::fmt::Formatter::write_str(__formatter, #expecting)
                }

                #methods
            }
        }
    }

    /// `__Visitor{tag} { __mode, __marker }` built from a mode expression.
    fn make_visitor(tag: usize, mode: TokenStream) -> TokenStream {
        let visitor = format_ident!("__Visitor{}", tag);
        quote!(#visitor { __mode: #mode, __marker: ::core::marker::PhantomData })
    }

    /// The whole `DeserializeIn` impl, wrapped in the facade's feature gate.
    pub(super) fn deserialize_impl(&self, spec: &Spec) -> TokenStream {
        let krate = &self.krate;
        let de = self.de();
        let serde = self.serde();
        let arena = self.arena;
        let ident = &self.input.item.ident;
        let name = spec
            .container
            .rename
            .clone()
            .unwrap_or_else(|| ident.to_string());
        let (helpers, call) = match &self.input.body {
            Body::Struct(fields) => {
                let describe = match fields.style {
                    Style::Named => format!("struct {name}"),
                    Style::Unnamed => format!("tuple struct {name}"),
                    Style::Unit => format!("unit struct {name}"),
                };
                let target = Target {
                    constructor: quote!(#ident),
                    describe,
                };
                let (helpers, fields_const) =
                    self.fields_visitor(0, &target, fields, &spec.fields, spec);
                let visitor = Self::make_visitor(0, quote!(__mode));
                let call = match (fields.style, fields.fields.len()) {
                    (Style::Named, _) => quote!(#serde::Deserializer::deserialize_struct(
                        __deserializer, #name, #fields_const, #visitor
                    )),
                    (Style::Unnamed, 1) => quote!(#serde::Deserializer::deserialize_newtype_struct(
                        __deserializer, #name, #visitor
                    )),
                    (Style::Unnamed, count) => {
                        quote!(#serde::Deserializer::deserialize_tuple_struct(
                            __deserializer, #name, #count, #visitor
                        ))
                    }
                    (Style::Unit, _) => quote!(#serde::Deserializer::deserialize_unit_struct(
                        __deserializer, #name, #visitor
                    )),
                };
                (helpers, call)
            }
            Body::Enum(variants) => self.enum_helpers(&name, variants, spec),
            Body::Union(_) => return quote!(),
        };
        let (impl_generics, type_generics, where_clause) =
            self.input.item.generics.split_for_impl();
        let mut predicates: Vec<TokenStream> = where_clause
            .map(|clause| clause.predicates.iter().map(|p| quote!(#p)).collect())
            .unwrap_or_default();
        for param in &self.input.type_params {
            predicates.push(quote!(#param: #de::DeserializeIn<#arena>));
        }
        quote! {
            #krate::__private::deserialize_gate! {
                const _: () = {
                    #helpers

                    #[automatically_derived]
                    impl #impl_generics #de::DeserializeIn<#arena> for #ident #type_generics
                    where #(#predicates,)*
                    {
                        #[inline]
                        fn deserialize_in_with<'__de, __D, __M>(
                            __deserializer: __D,
                            __mode: __M,
                        ) -> ::core::result::Result<Self, __D::Error>
                        where
                            __D: #serde::Deserializer<'__de>,
                            __M: #de::Mode<'__de, #arena>,
                        {
                            #call
                        }
                    }
                };
            }
        }
    }
}
