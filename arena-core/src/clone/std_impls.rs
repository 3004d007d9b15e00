//! [`CloneOut`] / [`CloneIn`] for the standard types: plain data, `PhantomData`, `Cell`, strings,
//! references, slices, boxes, `Vec`, `HashMap`, `Option`, `Result`, arrays and tuples.
//!
//! Also the slice copies shared with the arena containers' impls, which copy with one `memcpy`
//! when the element's [`CloneStrategy`] is bitwise. Relies on the arena's allocation API
//! ([`Arena::alloc`], `alloc_str`, `alloc_slice_fill_with`) and on `ArenaHashMap` as the arena form
//! of a `HashMap`.

use core::cell::Cell;
use core::hash::Hash;
use core::marker::PhantomData;
use core::mem::{align_of, size_of, MaybeUninit};
use core::ptr;
use std::boxed::Box;
use std::collections::HashMap;
use std::string::String;
use std::vec::Vec;

use super::arena_impls::copy_entries_in;
use super::{CloneIn, CloneOut, CloneStrategy};
use crate::{Arena, ArenaHashMap};

/// Whether a slice of `S` may be turned into a slice of `R` with one `memcpy`.
const fn can_memcpy<S, R>(strategy: CloneStrategy) -> bool {
    strategy.is_bitwise_copy()
        && size_of::<S>() == size_of::<R>()
        && align_of::<S>() == align_of::<R>()
}

/// Copies `source` into a new `Vec`, with one `memcpy` when `T::STRATEGY` allows it.
pub(super) fn slice_clone_out<T: CloneOut>(source: &[T]) -> Vec<T::Owned> {
    if can_memcpy::<T, T::Owned>(T::STRATEGY) {
        let mut copy = Vec::<T::Owned>::with_capacity(source.len());
        // SAFETY: `T::STRATEGY` is bitwise, which its `unsafe` constructor's contract makes a
        // promise that a bit copy of a `T` is a valid `T::Owned` equal to `clone_out`; sizes and
        // alignments were checked equal just above, so `source.len()` `T`s fill exactly
        // `source.len()` `T::Owned` slots, all within the capacity reserved above. The regions do
        // not overlap (fresh allocation). After the copy the first `source.len()` elements are
        // initialized, so `set_len` is sound.
        unsafe {
            ptr::copy_nonoverlapping(
                source.as_ptr().cast::<T::Owned>(),
                copy.as_mut_ptr(),
                source.len(),
            );
            copy.set_len(source.len());
        }
        copy
    } else {
        source.iter().map(T::clone_out).collect()
    }
}

/// Copies `source` into `arena`, with one `memcpy` when `T::STRATEGY` allows it.
// The `&mut` result is a fresh arena allocation, as with `Arena::alloc`, not a reborrow of `source`.
#[allow(clippy::mut_from_ref)]
fn slice_clone_in<'n, T: CloneIn<'n>>(source: &[T], arena: &'n Arena) -> &'n mut [T::Cloned] {
    if can_memcpy::<T, T::Cloned>(<T as CloneIn<'n>>::STRATEGY) {
        // Writing `MaybeUninit::uninit()` is a no-op, so this only reserves the space.
        let slots: &'n mut [MaybeUninit<T::Cloned>] =
            arena.alloc_slice_fill_with(source.len(), |_| MaybeUninit::uninit());
        // SAFETY: `slots` is a fresh arena allocation of exactly `source.len()` elements, so it
        // does not overlap `source`. The bitwise strategy promises that a bit copy of a `T` is a
        // valid `T::Cloned` (same size and alignment, checked above), so after the copy every
        // slot is initialized and `MaybeUninit<T::Cloned>` (same layout as `T::Cloned`) may be
        // viewed as `T::Cloned`.
        unsafe {
            ptr::copy_nonoverlapping(
                source.as_ptr().cast::<T::Cloned>(),
                slots.as_mut_ptr().cast::<T::Cloned>(),
                source.len(),
            );
            &mut *(slots as *mut [MaybeUninit<T::Cloned>] as *mut [T::Cloned])
        }
    } else {
        arena.alloc_slice_fill_with(source.len(), |index| source[index].clone_in(arena))
    }
}

// ---------------------------------------------------------------------------------------------
// Plain data: copied as is.

macro_rules! plain_data {
    ($($ty:ty),* $(,)?) => {$(
        impl CloneOut for $ty {
            type Owned = $ty;
            // SAFETY: `Owned` is `Self`, a `Copy` type without drop glue.
            const STRATEGY: CloneStrategy = unsafe { CloneStrategy::bitwise_copy() };
            #[inline]
            fn clone_out(&self) -> $ty {
                *self
            }
        }

        impl<'n> CloneIn<'n> for $ty {
            type Cloned = $ty;
            // SAFETY: `Cloned` is `Self`, a `Copy` type without drop glue.
            const STRATEGY: CloneStrategy = unsafe { CloneStrategy::bitwise_copy() };
            #[inline]
            fn clone_in(&self, _arena: &'n Arena) -> $ty {
                *self
            }
        }
    )*};
}

crate::plain_data::for_each_plain_type!(plain_data);
plain_data!(core::cmp::Ordering);

impl<T: ?Sized> CloneOut for PhantomData<T> {
    type Owned = PhantomData<T>;
    // SAFETY: `Owned` is `Self`, a zero-sized `Copy` type.
    const STRATEGY: CloneStrategy = unsafe { CloneStrategy::bitwise_copy() };
    #[inline]
    fn clone_out(&self) -> PhantomData<T> {
        PhantomData
    }
}

impl<'n, T: ?Sized> CloneIn<'n> for PhantomData<T> {
    type Cloned = PhantomData<T>;
    // SAFETY: `Cloned` is `Self`, a zero-sized `Copy` type.
    const STRATEGY: CloneStrategy = unsafe { CloneStrategy::bitwise_copy() };
    #[inline]
    fn clone_in(&self, _arena: &'n Arena) -> PhantomData<T> {
        PhantomData
    }
}

impl<T: Copy + CloneOut> CloneOut for Cell<T> {
    type Owned = Cell<T::Owned>;
    // `Cell<T>` has the layout of `T`, so it is bitwise when `T` is.
    const STRATEGY: CloneStrategy = T::STRATEGY;
    fn clone_out(&self) -> Cell<T::Owned> {
        Cell::new(self.get().clone_out())
    }
}

impl<'n, T: Copy + CloneIn<'n>> CloneIn<'n> for Cell<T> {
    type Cloned = Cell<T::Cloned>;
    // `Cell<T>` has the layout of `T`, so it is bitwise when `T` is.
    const STRATEGY: CloneStrategy = T::STRATEGY;
    fn clone_in(&self, arena: &'n Arena) -> Cell<T::Cloned> {
        Cell::new(self.get().clone_in(arena))
    }
}

// ---------------------------------------------------------------------------------------------
// Strings.

impl CloneOut for str {
    type Owned = String;
    fn clone_out(&self) -> String {
        String::from(self)
    }
}

impl<'n> CloneIn<'n> for &str {
    type Cloned = &'n str;
    fn clone_in(&self, arena: &'n Arena) -> &'n str {
        arena.alloc_str(self)
    }
}

impl<'n> CloneIn<'n> for &mut str {
    type Cloned = &'n mut str;
    fn clone_in(&self, arena: &'n Arena) -> &'n mut str {
        arena.alloc_str(self)
    }
}

impl CloneOut for String {
    type Owned = String;
    fn clone_out(&self) -> String {
        self.clone()
    }
}

/// Heap → arena: a `String` becomes an arena `&str`.
impl<'n> CloneIn<'n> for String {
    type Cloned = &'n str;
    fn clone_in(&self, arena: &'n Arena) -> &'n str {
        arena.alloc_str(self)
    }
}

// ---------------------------------------------------------------------------------------------
// References, slices, boxes and vectors.

/// A reference clones out to the owned form of what it points at (no `Box`): `&'a str` →
/// `String`, `&'a [T]` → `Vec<T::Owned>`, `&'a T` → `T::Owned`.
impl<T: CloneOut + ?Sized> CloneOut for &T {
    type Owned = T::Owned;
    #[inline]
    fn clone_out(&self) -> T::Owned {
        (**self).clone_out()
    }
}

impl<T: CloneOut + ?Sized> CloneOut for &mut T {
    type Owned = T::Owned;
    #[inline]
    fn clone_out(&self) -> T::Owned {
        (**self).clone_out()
    }
}

/// A reference clones in to a reference to a copy allocated in the new arena.
impl<'n, T: CloneIn<'n>> CloneIn<'n> for &T
where
    T::Cloned: 'n,
{
    type Cloned = &'n T::Cloned;
    fn clone_in(&self, arena: &'n Arena) -> &'n T::Cloned {
        arena.alloc((**self).clone_in(arena))
    }
}

impl<'n, T: CloneIn<'n>> CloneIn<'n> for &mut T
where
    T::Cloned: 'n,
{
    type Cloned = &'n mut T::Cloned;
    fn clone_in(&self, arena: &'n Arena) -> &'n mut T::Cloned {
        arena.alloc((**self).clone_in(arena))
    }
}

impl<T: CloneOut> CloneOut for [T] {
    type Owned = Vec<T::Owned>;
    fn clone_out(&self) -> Vec<T::Owned> {
        slice_clone_out(self)
    }
}

impl<'n, T: CloneIn<'n>> CloneIn<'n> for &[T]
where
    T::Cloned: 'n,
{
    type Cloned = &'n [T::Cloned];
    fn clone_in(&self, arena: &'n Arena) -> &'n [T::Cloned] {
        slice_clone_in(self, arena)
    }
}

impl<'n, T: CloneIn<'n>> CloneIn<'n> for &mut [T]
where
    T::Cloned: 'n,
{
    type Cloned = &'n mut [T::Cloned];
    fn clone_in(&self, arena: &'n Arena) -> &'n mut [T::Cloned] {
        slice_clone_in(self, arena)
    }
}

impl<T: CloneOut> CloneOut for Vec<T> {
    type Owned = Vec<T::Owned>;
    fn clone_out(&self) -> Vec<T::Owned> {
        slice_clone_out(self)
    }
}

/// Heap → arena: a `Vec<T>` becomes an arena slice of `T::Cloned`.
impl<'n, T: CloneIn<'n>> CloneIn<'n> for Vec<T>
where
    T::Cloned: 'n,
{
    type Cloned = &'n [T::Cloned];
    fn clone_in(&self, arena: &'n Arena) -> &'n [T::Cloned] {
        slice_clone_in(self, arena)
    }
}

impl<T: CloneOut + ?Sized> CloneOut for Box<T> {
    type Owned = Box<T::Owned>;
    fn clone_out(&self) -> Box<T::Owned> {
        Box::new((**self).clone_out())
    }
}

/// Heap → arena: a `Box<T>` becomes an arena reference to `T::Cloned`.
impl<'n, T: CloneIn<'n>> CloneIn<'n> for Box<T>
where
    T::Cloned: 'n,
{
    type Cloned = &'n T::Cloned;
    fn clone_in(&self, arena: &'n Arena) -> &'n T::Cloned {
        arena.alloc((**self).clone_in(arena))
    }
}

// ---------------------------------------------------------------------------------------------
// Maps.

impl<K, V, S> CloneOut for HashMap<K, V, S>
where
    K: CloneOut,
    K::Owned: Eq + Hash,
    V: CloneOut,
{
    type Owned = HashMap<K::Owned, V::Owned>;
    fn clone_out(&self) -> HashMap<K::Owned, V::Owned> {
        self.iter()
            .map(|(key, value)| (key.clone_out(), value.clone_out()))
            .collect()
    }
}

/// Heap → arena: a `HashMap` becomes an [`ArenaHashMap`].
impl<'n, K, V, S> CloneIn<'n> for HashMap<K, V, S>
where
    K: CloneIn<'n>,
    K::Cloned: Eq + Hash + 'n,
    V: CloneIn<'n>,
    V::Cloned: 'n,
{
    type Cloned = ArenaHashMap<'n, K::Cloned, V::Cloned>;
    fn clone_in(&self, arena: &'n Arena) -> ArenaHashMap<'n, K::Cloned, V::Cloned> {
        copy_entries_in(self.iter(), arena)
    }
}

// ---------------------------------------------------------------------------------------------
// Option, Result, arrays, tuples.

impl<T: CloneOut> CloneOut for Option<T> {
    type Owned = Option<T::Owned>;
    #[inline]
    fn clone_out(&self) -> Option<T::Owned> {
        self.as_ref().map(T::clone_out)
    }
}

impl<'n, T: CloneIn<'n>> CloneIn<'n> for Option<T> {
    type Cloned = Option<T::Cloned>;
    #[inline]
    fn clone_in(&self, arena: &'n Arena) -> Option<T::Cloned> {
        self.as_ref().map(|value| value.clone_in(arena))
    }
}

impl<T: CloneOut, E: CloneOut> CloneOut for Result<T, E> {
    type Owned = Result<T::Owned, E::Owned>;
    fn clone_out(&self) -> Result<T::Owned, E::Owned> {
        match self {
            Ok(value) => Ok(value.clone_out()),
            Err(error) => Err(error.clone_out()),
        }
    }
}

impl<'n, T: CloneIn<'n>, E: CloneIn<'n>> CloneIn<'n> for Result<T, E> {
    type Cloned = Result<T::Cloned, E::Cloned>;
    fn clone_in(&self, arena: &'n Arena) -> Result<T::Cloned, E::Cloned> {
        match self {
            Ok(value) => Ok(value.clone_in(arena)),
            Err(error) => Err(error.clone_in(arena)),
        }
    }
}

impl<T: CloneOut, const N: usize> CloneOut for [T; N] {
    type Owned = [T::Owned; N];
    // An array has the layout of `N` elements, so it is bitwise when its element is.
    const STRATEGY: CloneStrategy = T::STRATEGY;
    fn clone_out(&self) -> [T::Owned; N] {
        core::array::from_fn(|index| self[index].clone_out())
    }
}

impl<'n, T: CloneIn<'n>, const N: usize> CloneIn<'n> for [T; N] {
    type Cloned = [T::Cloned; N];
    // An array has the layout of `N` elements, so it is bitwise when its element is.
    const STRATEGY: CloneStrategy = T::STRATEGY;
    fn clone_in(&self, arena: &'n Arena) -> [T::Cloned; N] {
        core::array::from_fn(|index| self[index].clone_in(arena))
    }
}

macro_rules! tuples {
    ($(($($name:ident . $index:tt),+))*) => {$(
        impl<$($name: CloneOut),+> CloneOut for ($($name,)+) {
            type Owned = ($($name::Owned,)+);
            fn clone_out(&self) -> Self::Owned {
                ($(self.$index.clone_out(),)+)
            }
        }

        impl<'n, $($name: CloneIn<'n>),+> CloneIn<'n> for ($($name,)+) {
            type Cloned = ($($name::Cloned,)+);
            fn clone_in(&self, arena: &'n Arena) -> Self::Cloned {
                ($(self.$index.clone_in(arena),)+)
            }
        }
    )*};
}

tuples! {
    (A.0)
    (A.0, B.1)
    (A.0, B.1, C.2)
    (A.0, B.1, C.2, D.3)
    (A.0, B.1, C.2, D.3, E.4)
    (A.0, B.1, C.2, D.3, E.4, F.5)
    (A.0, B.1, C.2, D.3, E.4, F.5, G.6)
    (A.0, B.1, C.2, D.3, E.4, F.5, G.6, H.7)
    (A.0, B.1, C.2, D.3, E.4, F.5, G.6, H.7, I.8)
    (A.0, B.1, C.2, D.3, E.4, F.5, G.6, H.7, I.8, J.9)
    (A.0, B.1, C.2, D.3, E.4, F.5, G.6, H.7, I.8, J.9, K.10)
    (A.0, B.1, C.2, D.3, E.4, F.5, G.6, H.7, I.8, J.9, K.10, L.11)
}
