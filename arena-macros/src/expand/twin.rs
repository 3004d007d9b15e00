//! The owned twin's definition: the item's docs and a note, the derives (`Debug, Clone` unless
//! `derive(..)` says otherwise), and the same fields and variants with their owned types. When
//! the twin derives a serde trait, it repeats the item's `#[serde(..)]` attributes (on the item,
//! its fields and variants), so the twin reads and writes the same documents as the item.

use super::types::Render;
use super::Expander;
use crate::ast::{Body, Fields, Style};
use proc_macro2::TokenStream;
use quote::quote;

impl Expander<'_> {
    /// `{ a: A', .. }`, `(A', ..)` or nothing, for a struct or a variant.
    fn twin_fields(&self, fields: &Fields) -> TokenStream {
        let declared = fields.fields.iter().map(|field| {
            let docs = &field.docs;
            let serde = self.twin_serde(&field.serde);
            let vis = &field.vis;
            let ty = self.field_owned_type(field, Render::Twin);
            match &field.member {
                syn::Member::Named(name) => quote!(#(#docs)* #(#serde)* #vis #name: #ty),
                syn::Member::Unnamed(_) => quote!(#(#docs)* #(#serde)* #vis #ty),
            }
        });
        match fields.style {
            Style::Named => quote!({ #(#declared,)* }),
            Style::Unnamed => quote!((#(#declared,)*)),
            Style::Unit => TokenStream::new(),
        }
    }

    /// Whether the twin's `derive(..)` names `Serialize` or `Deserialize` (which register the
    /// `#[serde(..)]` attribute on it).
    fn twin_derives_serde(&self) -> bool {
        self.input.options.derives.iter().flatten().any(|path| {
            path.segments.last().is_some_and(|segment| {
                segment.ident == "Serialize" || segment.ident == "Deserialize"
            })
        })
    }

    /// `attrs` (the `#[serde(..)]` of a part of the item) when the twin derives a serde trait,
    /// else nothing: without such a derive the compiler would reject the attribute.
    fn twin_serde<'s>(&self, attrs: &'s [syn::Attribute]) -> &'s [syn::Attribute] {
        if self.twin_derives_serde() {
            attrs
        } else {
            &[]
        }
    }

    /// The twin's definition.
    pub(super) fn twin(&self) -> TokenStream {
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
        let serde = self.twin_serde(&self.input.serde);
        let head = quote! {
            #(#docs)*
            #blank
            #[doc = #note]
            #derives
            #(#serde)*
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
                    let serde = self.twin_serde(&variant.serde);
                    let ident = &variant.ident;
                    let fields = self.twin_fields(&variant.fields);
                    let discriminant = variant.discriminant.as_ref().map(|expr| quote!(= #expr));
                    quote!(#(#docs)* #(#serde)* #ident #fields #discriminant)
                });
                quote!(#head #vis enum #twin #generics { #(#variants,)* })
            }
            Body::Union(_) => unreachable!("rejected by valid::check"),
        }
    }
}
