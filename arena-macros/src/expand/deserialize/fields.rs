//! Reading one set of fields (a struct, or a struct or tuple variant): the fields as read, the
//! field identifier, the sequence and map visitors, missing fields and defaults.
//!
//! Relies on the shared types and visitor helpers of the parent module and on each field's
//! serde attributes (`crate::serde_attr`).

use super::{ReplaceSelf, Target, Wire};
use crate::ast::{Body, Fields, Style};
use crate::attr::FieldMode;
use crate::expand::Expander;
use crate::serde_attr::{DefaultValue, FieldAttrs, RenameRule, Spec};
use proc_macro2::{Literal, Span, TokenStream};
use quote::{format_ident, quote};
use syn::visit_mut::VisitMut;
use syn::{Ident, LitByteStr, LitStr, Member};

impl Expander<'_> {
    /// The fields as read; `rule` is the container's `rename_all` for a struct's fields (an
    /// enum's applies to its variants, not to their fields, as with serde_derive).
    pub(super) fn wires<'f>(
        &self,
        fields: &'f Fields,
        attrs: &'f [FieldAttrs],
        rule: Option<RenameRule>,
    ) -> Vec<Wire<'f>> {
        let item = self.item_type();
        fields
            .fields
            .iter()
            .zip(attrs)
            .enumerate()
            .map(|(index, (field, attrs))| {
                let mut ty = field.ty.clone();
                ReplaceSelf { item: &item }.visit_type_mut(&mut ty);
                let name = match (&attrs.rename, &field.member) {
                    (Some(name), _) => name.clone(),
                    (None, Member::Named(ident)) => {
                        let written = ident.to_string();
                        let plain = written.strip_prefix("r#").unwrap_or(&written).to_owned();
                        match rule {
                            Some(rule) => rule.apply_to_field(&plain),
                            None => plain,
                        }
                    }
                    (None, Member::Unnamed(index)) => index.index.to_string(),
                };
                Wire {
                    field,
                    attrs,
                    ty,
                    name,
                    var: format_ident!("__field{}", index, span = Span::mixed_site()),
                }
            })
            .collect()
    }

    /// The seed that reads one field: its `DeserializeIn` in the mode, or its own `Deserialize`.
    pub(super) fn seed(&self, wire: &Wire) -> TokenStream {
        let de = self.de();
        let ty = &wire.ty;
        match wire.field.mode {
            FieldMode::Clone(_) => quote!(#de::PlainSeed::<#ty>::new()),
            _ => quote!(#de::Seed::<#ty, __M>::new(self.__mode)),
        }
    }

    /// The value of a field the input does not give (`error` is the error type in scope).
    fn absent(&self, wire: &Wire, error: &TokenStream) -> TokenStream {
        let de = self.de();
        let ty = &wire.ty;
        let arena = self.arena;
        let name = &wire.name;
        let default_in = quote!(
            <#ty as #de::DefaultIn<#arena>>::default_in(#de::Mode::arena(self.__mode))
        );
        match &wire.attrs.default {
            Some(DefaultValue::Path(path)) => quote!(#path()),
            Some(DefaultValue::Default) => default_in,
            // A skipped field without `default = ..` takes its default, as with serde_derive.
            None if wire.attrs.skip => default_in,
            None => match wire.field.mode {
                FieldMode::Clone(_) => quote!(#de::missing_plain_field::<#ty, #error>(#name)?),
                _ => quote!(#de::missing_field::<#ty, __M, #error>(#name, self.__mode)?),
            },
        }
    }

    /// `Item { f: __field0, .. }`, in brace form (which also builds tuple and unit shapes).
    fn build(&self, target: &Target, wires: &[Wire]) -> TokenStream {
        let constructor = &target.constructor;
        let members = wires.iter().map(|wire| &wire.field.member);
        let vars = wires.iter().map(|wire| &wire.var);
        quote!(#constructor { #(#members: #vars),* })
    }

    /// `visit_seq`: the fields in order (skipped ones take their default).
    fn visit_seq(&self, target: &Target, wires: &[Wire]) -> TokenStream {
        let serde = self.serde();
        let read: Vec<&Wire> = wires.iter().filter(|wire| !wire.attrs.skip).collect();
        let expecting = format!("{} with {} elements", target.describe, read.len());
        let error = quote!(__S::Error);
        let mut index = 0usize;
        let lets = wires.iter().map(|wire| {
            let var = &wire.var;
            if wire.attrs.skip {
                let value = self.absent(wire, &error);
                return quote!(let #var = #value;);
            }
            let seed = self.seed(wire);
            let at = index;
            index += 1;
            let missing = match wire.attrs.default {
                Some(_) => self.absent(wire, &error),
                None => quote!(return ::core::result::Result::Err(
                    <__S::Error as #serde::de::Error>::invalid_length(#at, &#expecting)
                )),
            };
            quote! {
                let #var = match #serde::de::SeqAccess::next_element_seed(&mut __seq, #seed)? {
                    ::core::option::Option::Some(__value) => __value,
                    ::core::option::Option::None => #missing,
                };
            }
        });
        let lets: Vec<TokenStream> = lets.collect();
        let build = self.build(target, wires);
        quote! {
            #[inline]
            fn visit_seq<__S: #serde::de::SeqAccess<'__de>>(
                self,
                mut __seq: __S,
            ) -> ::core::result::Result<Self::Value, __S::Error> {
                #(#lets)*
                ::core::result::Result::Ok(#build)
            }
        }
    }

    /// The field identifier type of a struct (or struct variant) and its `Deserialize`, named
    /// `__Field{tag}`; returns it with the `FIELDS` constant's name.
    fn field_identifier(&self, tag: usize, wires: &[Wire], spec: &Spec) -> (TokenStream, Ident) {
        let serde = self.serde();
        let deny = spec.container.deny_unknown_fields;
        let ident = format_ident!("__Field{}", tag);
        let visitor = format_ident!("__FieldVisitor{}", tag);
        let fields_const = format_ident!("__FIELDS{}", tag);
        let read: Vec<&Wire> = wires.iter().filter(|wire| !wire.attrs.skip).collect();
        let variants: Vec<Ident> = (0..read.len()).map(|i| format_ident!("F{}", i)).collect();
        let names: Vec<&str> = read.iter().map(|wire| wire.name.as_str()).collect();
        let indices = (0..read.len()).map(|i| Literal::u64_unsuffixed(i as u64));
        let spellings: Vec<Vec<String>> = read
            .iter()
            .map(|wire| {
                let mut all = vec![wire.name.clone()];
                all.extend(wire.attrs.aliases.iter().cloned());
                all
            })
            .collect();
        let strs = spellings.iter().map(|all| {
            let lits = all.iter().map(|name| LitStr::new(name, Span::call_site()));
            quote!(#(#lits)|*)
        });
        let bytes = spellings.iter().map(|all| {
            let lits = all
                .iter()
                .map(|name| LitByteStr::new(name.as_bytes(), Span::call_site()));
            quote!(#(#lits)|*)
        });
        let (ignore_variant, on_other_index, on_other_str, on_other_bytes) = if deny {
            let count = read.len();
            let expecting = format!("field index 0 <= i < {count}");
            (
                quote!(),
                quote!(::core::result::Result::Err(__E::invalid_value(
                    #serde::de::Unexpected::Unsigned(__value),
                    &#expecting,
                ))),
                quote!(::core::result::Result::Err(__E::unknown_field(__value, #fields_const))),
                quote!(::core::result::Result::Err(__E::unknown_field(
                    ::core::str::from_utf8(__value).unwrap_or("\u{fffd}"),
                    #fields_const,
                ))),
            )
        } else {
            let ignore = quote!(::core::result::Result::Ok(#ident::Ignore));
            (quote!(Ignore,), ignore.clone(), ignore.clone(), ignore)
        };
        let strs: Vec<TokenStream> = strs.collect();
        let bytes: Vec<TokenStream> = bytes.collect();
        let tokens = quote! {
            const #fields_const: &[&str] = &[#(#names),*];

            enum #ident {
                #(#variants,)*
                #ignore_variant
            }

            struct #visitor;

            impl<'__de> #serde::de::Visitor<'__de> for #visitor {
                type Value = #ident;

                fn expecting(
                    &self,
                    __formatter: &mut ::core::fmt::Formatter<'_>,
                ) -> ::core::fmt::Result {
                    ::core::fmt::Formatter::write_str(__formatter, "a field identifier")
                }

                fn visit_u64<__E: #serde::de::Error>(
                    self,
                    __value: u64,
                ) -> ::core::result::Result<#ident, __E> {
                    match __value {
                        #(#indices => ::core::result::Result::Ok(#ident::#variants),)*
                        _ => #on_other_index,
                    }
                }

                fn visit_str<__E: #serde::de::Error>(
                    self,
                    __value: &str,
                ) -> ::core::result::Result<#ident, __E> {
                    match __value {
                        #(#strs => ::core::result::Result::Ok(#ident::#variants),)*
                        _ => #on_other_str,
                    }
                }

                fn visit_bytes<__E: #serde::de::Error>(
                    self,
                    __value: &[u8],
                ) -> ::core::result::Result<#ident, __E> {
                    match __value {
                        #(#bytes => ::core::result::Result::Ok(#ident::#variants),)*
                        _ => #on_other_bytes,
                    }
                }
            }

            impl<'__de> #serde::Deserialize<'__de> for #ident {
                #[inline]
                fn deserialize<__D: #serde::Deserializer<'__de>>(
                    __deserializer: __D,
                ) -> ::core::result::Result<Self, __D::Error> {
                    #serde::Deserializer::deserialize_identifier(__deserializer, #visitor)
                }
            }
        };
        (tokens, fields_const)
    }

    /// `visit_map`: each key once, unknown keys ignored (or refused), then the absent fields.
    fn visit_map(&self, tag: usize, target: &Target, wires: &[Wire], spec: &Spec) -> TokenStream {
        let serde = self.serde();
        let ident = format_ident!("__Field{}", tag);
        let error = quote!(__A::Error);
        let read: Vec<&Wire> = wires.iter().filter(|wire| !wire.attrs.skip).collect();
        let slots = read.iter().map(|wire| {
            let (var, ty) = (&wire.var, &wire.ty);
            quote!(let mut #var: ::core::option::Option<#ty> = ::core::option::Option::None;)
        });
        let arms = read.iter().enumerate().map(|(index, wire)| {
            let variant = format_ident!("F{}", index);
            let var = &wire.var;
            let name = &wire.name;
            let seed = self.seed(wire);
            quote! {
                #ident::#variant => {
                    if ::core::option::Option::is_some(&#var) {
                        return ::core::result::Result::Err(
                            <__A::Error as #serde::de::Error>::duplicate_field(#name),
                        );
                    }
                    #var = ::core::option::Option::Some(
                        #serde::de::MapAccess::next_value_seed(&mut __map, #seed)?,
                    );
                }
            }
        });
        let ignore = if spec.container.deny_unknown_fields {
            quote!()
        } else {
            quote! {
                #ident::Ignore => {
                    let _ = #serde::de::MapAccess::next_value::<#serde::de::IgnoredAny>(&mut __map)?;
                }
            }
        };
        let finish = wires.iter().map(|wire| {
            let var = &wire.var;
            let absent = self.absent(wire, &error);
            if wire.attrs.skip {
                quote!(let #var = #absent;)
            } else {
                quote! {
                    let #var = match #var {
                        ::core::option::Option::Some(__value) => __value,
                        ::core::option::Option::None => #absent,
                    };
                }
            }
        });
        let build = self.build(target, wires);
        quote! {
            #[inline]
            fn visit_map<__A: #serde::de::MapAccess<'__de>>(
                self,
                mut __map: __A,
            ) -> ::core::result::Result<Self::Value, __A::Error> {
                #(#slots)*
                while let ::core::option::Option::Some(__key) =
                    #serde::de::MapAccess::next_key::<#ident>(&mut __map)?
                {
                    match __key {
                        #(#arms)*
                        #ignore
                    }
                }
                #(#finish)*
                ::core::result::Result::Ok(#build)
            }
        }
    }

    /// The helpers and the visitor of one set of fields (a struct, or a struct or tuple
    /// variant), with the visitor's tag.
    pub(super) fn fields_visitor(
        &self,
        tag: usize,
        target: &Target,
        fields: &Fields,
        attrs: &[FieldAttrs],
        spec: &Spec,
    ) -> (TokenStream, Option<Ident>) {
        let rule = match self.input.body {
            Body::Struct(_) => spec.container.rename_all,
            _ => None,
        };
        let wires = self.wires(fields, attrs, rule);
        match fields.style {
            Style::Named => {
                let (identifier, fields_const) = self.field_identifier(tag, &wires, spec);
                let mut methods = self.visit_seq(target, &wires);
                methods.extend(self.visit_map(tag, target, &wires, spec));
                let visitor = self.visitor(tag, &target.describe, methods);
                (quote!(#identifier #visitor), Some(fields_const))
            }
            Style::Unnamed => {
                let mut methods = self.visit_seq(target, &wires);
                if let [only] = wires.as_slice() {
                    if !only.attrs.skip {
                        let serde = self.serde();
                        let seed = self.seed(only);
                        let var = &only.var;
                        let build = self.build(target, &wires);
                        methods.extend(quote! {
                            #[inline]
                            fn visit_newtype_struct<__E: #serde::Deserializer<'__de>>(
                                self,
                                __deserializer: __E,
                            ) -> ::core::result::Result<Self::Value, __E::Error> {
                                let #var =
                                    #serde::de::DeserializeSeed::deserialize(#seed, __deserializer)?;
                                ::core::result::Result::Ok(#build)
                            }
                        });
                    }
                }
                (self.visitor(tag, &target.describe, methods), None)
            }
            Style::Unit => {
                let serde = self.serde();
                let build = self.build(target, &wires);
                let methods = quote! {
                    #[inline]
                    fn visit_unit<__E: #serde::de::Error>(
                        self,
                    ) -> ::core::result::Result<Self::Value, __E> {
                        ::core::result::Result::Ok(#build)
                    }
                };
                (self.visitor(tag, &target.describe, methods), None)
            }
        }
    }
}
