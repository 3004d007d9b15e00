//! The two `CloneIn<'n>` impls, whose `Cloned` is the item in the arena `'n`: on the arena type
//! (arena → arena) and on the twin (heap → arena).

use super::copy::Direction;
use super::types::Render;
use super::Expander;
use proc_macro2::TokenStream;
use quote::quote;

impl Expander<'_> {
    /// `impl CloneIn<'n> for Item<'a, ..>`.
    pub(super) fn clone_in_impl(&self) -> TokenStream {
        let krate = &self.krate;
        let item = &self.input.item;
        let ident = &item.ident;
        let new_arena = &self.new_arena;
        let arena = &self.arena_var;
        let (_, type_generics, _) = item.generics.split_for_impl();
        let mut generics = item.generics.clone();
        generics.params.insert(0, syn::parse_quote!(#new_arena));
        let (impl_generics, _, _) = generics.split_for_impl();
        let cloned = self.item_in_new_arena();
        let predicates = self.clone_in_predicates(false);
        let body = self.body(ident, Direction::In);
        quote! {
            #[automatically_derived]
            impl #impl_generics #krate::__private::CloneIn<#new_arena> for #ident #type_generics
            where #(#predicates,)*
            {
                type Cloned = #cloned;

                fn clone_in(&self, #arena: &#new_arena #krate::__private::Arena) -> Self::Cloned {
                    #body
                }
            }
        }
    }

    /// `impl CloneIn<'n> for ItemOwned<..>`.
    pub(super) fn twin_clone_in_impl(&self) -> TokenStream {
        let krate = &self.krate;
        let ident = &self.input.item.ident;
        let new_arena = &self.new_arena;
        let arena = &self.arena_var;
        let params = self.twin_generics_list();
        let impl_generics = if params.is_empty() {
            quote!(<#new_arena>)
        } else {
            quote!(<#new_arena, #(#params),*>)
        };
        let twin = self.twin_type(Render::Twin);
        let cloned = self.item_in_new_arena();
        let predicates = self.clone_in_predicates(true);
        let body = self.body(ident, Direction::FromOwned);
        quote! {
            #[automatically_derived]
            impl #impl_generics #krate::__private::CloneIn<#new_arena> for #twin
            where #(#predicates,)*
            {
                type Cloned = #cloned;

                fn clone_in(&self, #arena: &#new_arena #krate::__private::Arena) -> Self::Cloned {
                    #body
                }
            }
        }
    }
}
