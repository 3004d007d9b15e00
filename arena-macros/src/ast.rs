//! The parsed `#[arena_alloc]` item: the original syntax (for spans and to re-emit it) plus, per
//! field, how it is copied.

use crate::attr::{self, FieldMode, ItemOptions};
use crate::errors::Errors;
use crate::shape::{self, Classifier, Shape};
use syn::{Attribute, DeriveInput, Expr, GenericParam, Ident, Lifetime, Member, Type, Visibility};

/// The item, ready to validate and expand.
pub struct Input {
    /// The item as written, minus our `#[arena(..)]` field attributes: what is re-emitted.
    pub item: DeriveInput,
    pub options: ItemOptions,
    /// The arena's lifetime, when the item has a usable one.
    pub arena: Option<Lifetime>,
    pub type_params: Vec<Ident>,
    /// The item's `#[serde(..)]` attributes as written (the owned twin repeats them when it
    /// derives a serde trait).
    pub serde: Vec<Attribute>,
    pub body: Body,
}

pub enum Body {
    Struct(Fields),
    Enum(Vec<Variant>),
    Union(syn::token::Union),
}

pub struct Variant {
    pub ident: Ident,
    pub docs: Vec<Attribute>,
    /// Its `#[serde(..)]` attributes as written.
    pub serde: Vec<Attribute>,
    pub discriminant: Option<Expr>,
    pub fields: Fields,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Named,
    Unnamed,
    Unit,
}

pub struct Fields {
    pub style: Style,
    pub fields: Vec<Field>,
}

pub struct Field {
    pub member: Member,
    pub vis: Visibility,
    pub docs: Vec<Attribute>,
    /// Its `#[serde(..)]` attributes as written.
    pub serde: Vec<Attribute>,
    pub ty: Type,
    pub mode: FieldMode,
    pub shape: Shape,
}

/// The attributes `#[name ..]` among `attrs` (`doc`, `serde`), as written.
fn named(attrs: &[Attribute], name: &str) -> Vec<Attribute> {
    attrs
        .iter()
        .filter(|attr| attr.path().is_ident(name))
        .cloned()
        .collect()
}

/// Reports and removes `#[arena(..)]` where it has no meaning (on the item or a variant).
fn reject_misplaced(attrs: &mut Vec<Attribute>, errors: &mut Errors) {
    for attr in attrs.iter().filter(|attr| attr::is_field_attr(attr)) {
        errors.at(
            attr,
            "#[arena(..)] goes on a field; options for the whole item go in #[arena_alloc(..)]",
        );
    }
    attrs.retain(|attr| !attr::is_field_attr(attr));
}

/// Picks the arena's lifetime among the item's lifetime parameters.
fn arena_lifetime(
    item: &DeriveInput,
    options: &ItemOptions,
    errors: &mut Errors,
) -> Option<Lifetime> {
    let lifetimes: Vec<&Lifetime> = item
        .generics
        .lifetimes()
        .map(|param| &param.lifetime)
        .collect();
    if let Some(chosen) = &options.lifetime {
        if lifetimes
            .iter()
            .any(|lifetime| lifetime.ident == chosen.ident)
        {
            return Some(chosen.clone());
        }
        let names: Vec<String> = lifetimes
            .iter()
            .map(|lifetime| format!("`{lifetime}`"))
            .collect();
        errors.at(
            chosen,
            format!(
                "`{}` is not a lifetime parameter of `{}`, whose lifetimes are {}",
                chosen,
                item.ident,
                names.join(", ")
            ),
        );
        return lifetimes.first().map(|lifetime| (*lifetime).clone());
    }
    match lifetimes.as_slice() {
        [] => {
            let span_tokens: &dyn quote::ToTokens = if item.generics.params.is_empty() {
                &item.ident
            } else {
                &item.generics
            };
            errors.at(
                span_tokens,
                format!(
                    "#[arena_alloc] needs the arena's lifetime parameter, as in `{}<'a>`: the \
                     fields borrow the arena (`&'a str`, `ArenaVec<'a, T>`); a type that borrows \
                     nothing needs no twin, derive `Clone` instead",
                    item.ident
                ),
            );
            None
        }
        [only] => Some((*only).clone()),
        [first, second, ..] => {
            let choices: Vec<String> = lifetimes
                .iter()
                .map(|lifetime| format!("`#[arena_alloc(lifetime = {lifetime})]`"))
                .collect();
            errors.at(
                second,
                format!(
                    "`{}` has more than one lifetime parameter; say which one is the arena's \
                     with {}",
                    item.ident,
                    choices.join(" or ")
                ),
            );
            Some((*first).clone())
        }
    }
}

impl Input {
    /// Parses the item, recording every mistake in `errors`.
    pub fn from_syn(mut item: DeriveInput, options: ItemOptions, errors: &mut Errors) -> Input {
        reject_misplaced(&mut item.attrs, errors);
        let arena = arena_lifetime(&item, &options, errors);
        let type_params: Vec<Ident> = item
            .generics
            .params
            .iter()
            .filter_map(|param| match param {
                GenericParam::Type(param) => Some(param.ident.clone()),
                _ => None,
            })
            .collect();
        let arena_ident = arena
            .as_ref()
            .map_or_else(shape::placeholder_lifetime, |lifetime| {
                lifetime.ident.clone()
            });
        let classifier = Classifier {
            item: &item.ident,
            arena: &arena_ident,
            params: &type_params,
        };
        let body = match &mut item.data {
            syn::Data::Struct(data) => {
                Body::Struct(parse_fields(&mut data.fields, &classifier, errors))
            }
            syn::Data::Enum(data) => Body::Enum(
                data.variants
                    .iter_mut()
                    .map(|variant| {
                        reject_misplaced(&mut variant.attrs, errors);
                        Variant {
                            ident: variant.ident.clone(),
                            docs: named(&variant.attrs, "doc"),
                            serde: named(&variant.attrs, "serde"),
                            discriminant: variant
                                .discriminant
                                .as_ref()
                                .map(|(_, expr)| expr.clone()),
                            fields: parse_fields(&mut variant.fields, &classifier, errors),
                        }
                    })
                    .collect(),
            ),
            syn::Data::Union(data) => {
                for field in data.fields.named.iter_mut() {
                    field.attrs.retain(|attr| !attr::is_field_attr(attr));
                }
                Body::Union(data.union_token)
            }
        };
        Input {
            serde: named(&item.attrs, "serde"),
            item,
            options,
            arena,
            type_params,
            body,
        }
    }
}

fn parse_fields(fields: &mut syn::Fields, classifier: &Classifier, errors: &mut Errors) -> Fields {
    let style = match fields {
        syn::Fields::Named(_) => Style::Named,
        syn::Fields::Unnamed(_) => Style::Unnamed,
        syn::Fields::Unit => Style::Unit,
    };
    let fields = fields
        .iter_mut()
        .enumerate()
        .map(|(index, field)| {
            let mode = attr::parse_field_options(&field.attrs, errors);
            field.attrs.retain(|attr| !attr::is_field_attr(attr));
            let shape = match mode {
                FieldMode::Mapped => classifier.classify(&field.ty, errors),
                _ => Shape::Unsupported,
            };
            Field {
                member: match &field.ident {
                    Some(ident) => Member::Named(ident.clone()),
                    None => Member::Unnamed(index.into()),
                },
                vis: field.vis.clone(),
                docs: named(&field.attrs, "doc"),
                serde: named(&field.attrs, "serde"),
                ty: field.ty.clone(),
                mode,
                shape,
            }
        })
        .collect();
    Fields { style, fields }
}
