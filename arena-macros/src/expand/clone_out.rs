//! `impl CloneOut for Item`: the deep copy from the arena to the heap, whose `Owned` is the twin.

use super::copy::Direction;
use super::types::Render;
use super::Expander;
use proc_macro2::TokenStream;
use quote::quote;

impl Expander<'_> {
    /// The `CloneOut` impl of the arena type.
    pub(super) fn clone_out_impl(&self) -> TokenStream {
        let krate = &self.krate;
        let item = &self.input.item;
        let ident = &item.ident;
        let (impl_generics, type_generics, _) = item.generics.split_for_impl();
        let owned = self.twin_type(Render::OwnedOf);
        let predicates = self.clone_out_predicates();
        let body = self.body(&self.twin, Direction::Out);
        quote! {
            #[automatically_derived]
            impl #impl_generics #krate::__private::CloneOut for #ident #type_generics
            where #(#predicates,)*
            {
                type Owned = #owned;

                fn clone_out(&self) -> Self::Owned {
                    #body
                }
            }
        }
    }
}
