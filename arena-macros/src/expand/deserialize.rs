//! `impl DeserializeIn<'a> for Item`, for `#[arena_alloc(deserialize)]`: what serde_derive's
//! `Deserialize` is, with every field deserialized in the arena through its own `DeserializeIn`
//! (or its own `Deserialize`, for `#[arena(clone)]` plain data). Structs take serde's map and
//! sequence forms; enums are externally tagged. The helpers (field and variant identifiers,
//! visitors) live in an anonymous `const _: () = { .. };` and are generic over the item's
//! parameters plus the deserialization mode `__M`.

use super::Expander;
use crate::ast::{Body, Field, Fields, Style};
use crate::attr::FieldMode;
use crate::serde_attr::{DefaultValue, FieldAttrs, RenameRule, Spec};
use proc_macro2::{Literal, Span, TokenStream};
use quote::{format_ident, quote};
use syn::visit_mut::VisitMut;
use syn::{GenericParam, Generics, Ident, LitByteStr, LitStr, Member, Type};

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

    /// The fields as read; `rule` is the container's `rename_all` for a struct's fields (an
    /// enum's applies to its variants, not to their fields, as with serde_derive).
    fn wires<'f>(
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
    fn seed(&self, wire: &Wire) -> TokenStream {
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

    /// The helpers and the visitor of one set of fields (a struct, or a struct or tuple
    /// variant), with the visitor's tag.
    fn fields_visitor(
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

    /// The variant identifier, one visitor per variant with fields, and the enum's visitor
    /// (tag 0), with the call that starts it.
    fn enum_helpers(
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
