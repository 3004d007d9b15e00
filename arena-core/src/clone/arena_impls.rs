//! [`CloneOut`] / [`CloneIn`] for the arena's own containers: [`ArenaString`], [`ArenaVec`] and
//! [`ArenaHashMap`].
//!
//! Relies on the containers' public API (`with_capacity_in`, `push_str`, `extend`, `insert`,
//! `iter`) and on the slice copy of the standard impls, which copies plain data with one `memcpy`.

use core::hash::Hash;
use std::collections::HashMap;
use std::string::String;
use std::vec::Vec;

use super::std_impls::slice_clone_out;
use super::{CloneIn, CloneOut};
use crate::{Arena, ArenaHashMap, ArenaString, ArenaVec};

// ---------------------------------------------------------------------------------------------
// Strings.

impl CloneOut for ArenaString<'_> {
    type Owned = String;
    fn clone_out(&self) -> String {
        String::from(self.as_str())
    }
}

impl<'n> CloneIn<'n> for ArenaString<'_> {
    type Cloned = ArenaString<'n>;
    fn clone_in(&self, arena: &'n Arena) -> ArenaString<'n> {
        let mut copy = ArenaString::with_capacity_in(self.len(), arena);
        copy.push_str(self);
        copy
    }
}

// ---------------------------------------------------------------------------------------------
// Vectors.

impl<T: CloneOut> CloneOut for ArenaVec<'_, T> {
    type Owned = Vec<T::Owned>;
    fn clone_out(&self) -> Vec<T::Owned> {
        slice_clone_out(self.as_slice())
    }
}

impl<'n, T: CloneIn<'n>> CloneIn<'n> for ArenaVec<'_, T>
where
    T::Cloned: 'n,
{
    type Cloned = ArenaVec<'n, T::Cloned>;
    fn clone_in(&self, arena: &'n Arena) -> ArenaVec<'n, T::Cloned> {
        let mut copy = ArenaVec::with_capacity_in(self.len(), arena);
        copy.extend(self.iter().map(|element| element.clone_in(arena)));
        copy
    }
}

// ---------------------------------------------------------------------------------------------
// Maps.

impl<K, V> CloneOut for ArenaHashMap<'_, K, V>
where
    K: CloneOut + Eq + Hash,
    K::Owned: Eq + Hash,
    V: CloneOut,
{
    type Owned = HashMap<K::Owned, V::Owned>;
    fn clone_out(&self) -> HashMap<K::Owned, V::Owned> {
        let mut copy = HashMap::with_capacity(self.len());
        for (key, value) in self.iter() {
            copy.insert(key.clone_out(), value.clone_out());
        }
        copy
    }
}

impl<'n, K, V> CloneIn<'n> for ArenaHashMap<'_, K, V>
where
    K: CloneIn<'n> + Eq + Hash,
    K::Cloned: Eq + Hash + 'n,
    V: CloneIn<'n>,
    V::Cloned: 'n,
{
    type Cloned = ArenaHashMap<'n, K::Cloned, V::Cloned>;
    fn clone_in(&self, arena: &'n Arena) -> ArenaHashMap<'n, K::Cloned, V::Cloned> {
        copy_entries_in(self.iter(), arena)
    }
}

/// Clones map entries into a new [`ArenaHashMap`] in `arena` (arena → arena and heap → arena).
pub(super) fn copy_entries_in<'m, 'n, K, V>(
    entries: impl ExactSizeIterator<Item = (&'m K, &'m V)>,
    arena: &'n Arena,
) -> ArenaHashMap<'n, K::Cloned, V::Cloned>
where
    K: CloneIn<'n> + 'm,
    K::Cloned: Eq + Hash + 'n,
    V: CloneIn<'n> + 'm,
    V::Cloned: 'n,
{
    let mut copy = ArenaHashMap::with_capacity_in(entries.len(), arena);
    for (key, value) in entries {
        copy.insert(key.clone_in(arena), value.clone_in(arena));
    }
    copy
}
