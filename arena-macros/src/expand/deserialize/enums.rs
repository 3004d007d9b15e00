//! Externally tagged enums: the variant identifier, one fields visitor per variant with fields,
//! and the enum's own visitor.
//!
//! Relies on the parent module's visitor helpers, on `fields` for each variant's fields, and on
//! the variants' serde attributes (`crate::serde_attr`).

use super::Target;
use crate::ast::Style;
use crate::expand::Expander;
use crate::serde_attr::Spec;
use proc_macro2::{Literal, Span, TokenStream};
use quote::{format_ident, quote};
use syn::{Ident, LitByteStr, LitStr};

impl Expander<'_> {
    /// The variant identifier, one visitor per variant with fields, and the enum's visitor
    /// (tag 0), with the call that starts it.
    pub(super) fn enum_helpers(
        &self,
        name: &str,
        variants: &[crate::ast::Variant],
        spec: &Spec,
    ) -> (TokenStream, TokenStream) {
        let serde = self.serde();
        let ident = &self.input.item.ident;
        let names: Vec<String> = variants
            .iter()
            .zip(&spec.variants)
            .map(|(variant, (attrs, _))| match &attrs.rename {
                Some(name) => name.clone(),
                None => {
                    let written = variant.ident.to_string();
                    let plain = written.strip_prefix("r#").unwrap_or(&written).to_owned();
                    match spec.container.rename_all {
                        Some(rule) => rule.apply_to_variant(&plain),
                        None => plain,
                    }
                }
            })
            .collect();
        let tags: Vec<Ident> = (0..variants.len())
            .map(|i| format_ident!("V{}", i))
            .collect();
        let indices = (0..variants.len()).map(|i| Literal::u64_unsuffixed(i as u64));
        let spellings: Vec<Vec<String>> = names
            .iter()
            .zip(&spec.variants)
            .map(|(name, (attrs, _))| {
                let mut all = vec![name.clone()];
                all.extend(attrs.aliases.iter().cloned());
                all
            })
            .collect();
        let strs: Vec<TokenStream> = spellings
            .iter()
            .map(|all| {
                let lits = all.iter().map(|n| LitStr::new(n, Span::call_site()));
                quote!(#(#lits)|*)
            })
            .collect();
        let bytes: Vec<TokenStream> = spellings
            .iter()
            .map(|all| {
                let lits = all
                    .iter()
                    .map(|n| LitByteStr::new(n.as_bytes(), Span::call_site()));
                quote!(#(#lits)|*)
            })
            .collect();
        let index_expecting = format!("variant index 0 <= i < {}", variants.len());

        let mut per_variant = TokenStream::new();
        let mut arms = Vec::new();
        for (index, ((variant, (_, field_attrs)), tag)) in
            variants.iter().zip(&spec.variants).zip(&tags).enumerate()
        {
            let variant_ident = &variant.ident;
            let constructor = quote!(#ident::#variant_ident);
            let visitor_tag = index + 1;
            let fields = &variant.fields;
            let arm = match (fields.style, fields.fields.len()) {
                (Style::Unit, _) => quote! {
                    (__Variant::#tag, __variant) => {
                        #serde::de::VariantAccess::unit_variant(__variant)?;
                        ::core::result::Result::Ok(#constructor)
                    }
                },
                (Style::Unnamed, 1) if !field_attrs[0].skip => {
                    let wires = self.wires(fields, field_attrs, None);
                    let seed = self.seed(&wires[0]);
                    let member = &wires[0].field.member;
                    quote! {
                        (__Variant::#tag, __variant) => ::core::result::Result::Ok(#constructor {
                            #member: #serde::de::VariantAccess::newtype_variant_seed(__variant, #seed)?,
                        }),
                    }
                }
                (style, count) => {
                    let describe = match style {
                        Style::Named => format!("struct variant {name}::{variant_ident}"),
                        _ => format!("tuple variant {name}::{variant_ident}"),
                    };
                    let target = Target {
                        constructor: constructor.clone(),
                        describe,
                    };
                    let (helpers, fields_const) =
                        self.fields_visitor(visitor_tag, &target, fields, field_attrs, spec);
                    per_variant.extend(helpers);
                    let visitor = Self::make_visitor(visitor_tag, quote!(self.__mode));
                    match fields_const {
                        Some(fields_const) => quote! {
                            (__Variant::#tag, __variant) => #serde::de::VariantAccess::struct_variant(
                                __variant, #fields_const, #visitor,
                            ),
                        },
                        None => quote! {
                            (__Variant::#tag, __variant) => #serde::de::VariantAccess::tuple_variant(
                                __variant, #count, #visitor,
                            ),
                        },
                    }
                }
            };
            arms.push(arm);
        }
        let visit_enum = if variants.is_empty() {
            quote! {
                let (__tag, _) = #serde::de::EnumAccess::variant::<__Variant>(__data)?;
                match __tag {}
            }
        } else {
            quote! {
                match #serde::de::EnumAccess::variant::<__Variant>(__data)? {
                    #(#arms)*
                }
            }
        };
        let methods = quote! {
            fn visit_enum<__A: #serde::de::EnumAccess<'__de>>(
                self,
                __data: __A,
            ) -> ::core::result::Result<Self::Value, __A::Error> {
                #visit_enum
            }
        };
        let enum_visitor = self.visitor(0, &format!("enum {name}"), methods);
        let helpers = quote! {
            const __VARIANTS: &[&str] = &[#(#names),*];

            enum __Variant {
                #(#tags,)*
            }

            struct __VariantVisitor;

            impl<'__de> #serde::de::Visitor<'__de> for __VariantVisitor {
                type Value = __Variant;

                fn expecting(
                    &self,
                    __formatter: &mut ::core::fmt::Formatter<'_>,
                ) -> ::core::fmt::Result {
                    ::core::fmt::Formatter::write_str(__formatter, "a variant identifier")
                }

                fn visit_u64<__E: #serde::de::Error>(
                    self,
                    __value: u64,
                ) -> ::core::result::Result<__Variant, __E> {
                    match __value {
                        #(#indices => ::core::result::Result::Ok(__Variant::#tags),)*
                        _ => ::core::result::Result::Err(__E::invalid_value(
                            #serde::de::Unexpected::Unsigned(__value),
                            &#index_expecting,
                        )),
                    }
                }

                fn visit_str<__E: #serde::de::Error>(
                    self,
                    __value: &str,
                ) -> ::core::result::Result<__Variant, __E> {
                    match __value {
                        #(#strs => ::core::result::Result::Ok(__Variant::#tags),)*
                        _ => ::core::result::Result::Err(__E::unknown_variant(__value, __VARIANTS)),
                    }
                }

                fn visit_bytes<__E: #serde::de::Error>(
                    self,
                    __value: &[u8],
                ) -> ::core::result::Result<__Variant, __E> {
                    match __value {
                        #(#bytes => ::core::result::Result::Ok(__Variant::#tags),)*
                        _ => ::core::result::Result::Err(__E::unknown_variant(
                            ::core::str::from_utf8(__value).unwrap_or("\u{fffd}"),
                            __VARIANTS,
                        )),
                    }
                }
            }

            impl<'__de> #serde::Deserialize<'__de> for __Variant {
                #[inline]
                fn deserialize<__D: #serde::Deserializer<'__de>>(
                    __deserializer: __D,
                ) -> ::core::result::Result<Self, __D::Error> {
                    #serde::Deserializer::deserialize_identifier(__deserializer, __VariantVisitor)
                }
            }

            #per_variant

            #enum_visitor
        };
        let visitor = Self::make_visitor(0, quote!(__mode));
        let call = quote!(#serde::Deserializer::deserialize_enum(
            __deserializer, #name, __VARIANTS, #visitor
        ));
        (helpers, call)
    }
}
