//! [`CollectIn`] and [`FromIteratorIn`]: `collect()` into an arena container.

use core::hash::Hash;

use crate::arena::{Arena, AssertNoDrop};
use crate::hash_map::ArenaHashMap;
use crate::string::ArenaString;
use crate::vec::ArenaVec;

/// A container that can be built from an iterator inside an arena: the arena counterpart of
/// [`FromIterator`]. Used through [`CollectIn::collect_in`].
pub trait FromIteratorIn<'a, T>: Sized {
    /// Builds the container in `arena` from `items`.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::{Arena, ArenaVec, FromIteratorIn};
    ///
    /// let mem = Arena::new();
    /// let v = ArenaVec::from_iter_in(1..=3, &mem);
    /// assert_eq!(v, [1, 2, 3]);
    /// ```
    fn from_iter_in<I: IntoIterator<Item = T>>(items: I, arena: &'a Arena) -> Self;
}

/// `collect()` into an arena: `iter.collect_in::<ArenaVec<_>>(&mem)`.
///
/// ```
/// # use arena_core as arena;
/// use arena::{Arena, ArenaHashMap, ArenaString, ArenaVec, CollectIn};
///
/// let mem = Arena::new();
/// let evens: ArenaVec<'_, u32> = (0..10).filter(|n| n % 2 == 0).collect_in(&mem);
/// assert_eq!(evens, [0, 2, 4, 6, 8]);
/// let shout: ArenaString<'_> = "abc".chars().map(|c| c.to_ascii_uppercase()).collect_in(&mem);
/// assert_eq!(shout, "ABC");
/// let index: ArenaHashMap<'_, &str, usize> = ["x", "y"].into_iter().zip(0..).collect_in(&mem);
/// assert_eq!(index["y"], 1);
/// ```
pub trait CollectIn: Iterator + Sized {
    /// Collects the items into a container allocated in `arena`.
    #[track_caller]
    fn collect_in<'a, C: FromIteratorIn<'a, Self::Item>>(self, arena: &'a Arena) -> C {
        C::from_iter_in(self, arena)
    }
}

impl<I: Iterator> CollectIn for I {}

impl<'a, T> FromIteratorIn<'a, T> for ArenaVec<'a, T> {
    #[track_caller]
    fn from_iter_in<I: IntoIterator<Item = T>>(items: I, arena: &'a Arena) -> Self {
        let () = AssertNoDrop::<T>::OK;
        let mut vec = ArenaVec::new_in_raw(arena);
        vec.extend(items);
        vec
    }
}

impl<'a> FromIteratorIn<'a, char> for ArenaString<'a> {
    #[track_caller]
    fn from_iter_in<I: IntoIterator<Item = char>>(items: I, arena: &'a Arena) -> Self {
        let mut s = ArenaString::new_in(arena);
        s.extend(items);
        s
    }
}

impl<'a, 's> FromIteratorIn<'a, &'s str> for ArenaString<'a> {
    #[track_caller]
    fn from_iter_in<I: IntoIterator<Item = &'s str>>(items: I, arena: &'a Arena) -> Self {
        let mut s = ArenaString::new_in(arena);
        s.extend(items);
        s
    }
}

impl<'a, K: Eq + Hash, V> FromIteratorIn<'a, (K, V)> for ArenaHashMap<'a, K, V> {
    #[track_caller]
    fn from_iter_in<I: IntoIterator<Item = (K, V)>>(items: I, arena: &'a Arena) -> Self {
        let () = AssertNoDrop::<K>::OK;
        let () = AssertNoDrop::<V>::OK;
        let mut map = ArenaHashMap::new_in_raw(arena);
        map.extend(items);
        map
    }
}
