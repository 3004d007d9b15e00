//! Deep copies out of an arena ([`CloneOut`]) and into an arena ([`CloneIn`]).
//!
//! `#[arena_alloc]` implements both traits for arena types; the impls here cover the standard
//! types so that hand-written types can take part as well.
//!
//! # Plain data is copied in one piece
//!
//! Stable Rust has no specialization, so the slice impls cannot ask "is `T: Copy`?". Instead each
//! impl states, through the associated constant [`CloneOut::STRATEGY`] / [`CloneIn::STRATEGY`],
//! whether its result is a bitwise copy of the source. The slice, `Vec` and array impls read that
//! constant: a slice of `u32`, `f64`, `[u8; 16]`, `PhantomData` … is copied with one
//! [`core::ptr::copy_nonoverlapping`] (a `memcpy`), any other slice element by element. The
//! constant is a [`CloneStrategy`], a value that only `unsafe` code can make "bitwise", so a wrong
//! promise cannot be made by accident.

use core::cell::Cell;
use core::hash::Hash;
use core::marker::PhantomData;
use core::mem::{align_of, size_of, MaybeUninit};
use core::ptr;
use std::boxed::Box;
use std::collections::HashMap;
use std::string::String;
use std::vec::Vec;

use crate::{Arena, ArenaHashMap, ArenaString, ArenaVec};

/// How a [`CloneOut`] or [`CloneIn`] impl copies a value: value by value (the default), or as a
/// plain bitwise copy that slices may do with one `memcpy`.
///
/// Only `unsafe` code can make the bitwise strategy ([`CloneStrategy::bitwise_copy`]); the slice
/// impls additionally check that the source and result types have the same size and alignment.
///
/// # Examples
///
/// ```
/// # use arena_core as arena;
/// use arena::{CloneIn, CloneOut, CloneStrategy};
///
/// assert!(<u64 as CloneOut>::STRATEGY.is_bitwise_copy());
/// assert!(<[u8; 4] as CloneIn<'_>>::STRATEGY.is_bitwise_copy());
/// assert!(!<&str as CloneOut>::STRATEGY.is_bitwise_copy());
/// assert!(!CloneStrategy::VALUE_BY_VALUE.is_bitwise_copy());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CloneStrategy {
    bitwise_copy: bool,
}

impl CloneStrategy {
    /// Each value is cloned by calling its `clone_out` / `clone_in`. Always correct.
    pub const VALUE_BY_VALUE: CloneStrategy = CloneStrategy {
        bitwise_copy: false,
    };

    /// The result of `clone_out` / `clone_in` is a bitwise copy of the source value, so a slice
    /// of such values may be copied with one `memcpy`.
    ///
    /// # Safety
    ///
    /// The implementing type `S` and its result type `R` (`Owned` or `Cloned`) must have the
    /// same size and alignment, every bit pattern of a valid `S` must be a valid `R`, copying
    /// the bits must produce the same value that `clone_out` / `clone_in` would return, and
    /// neither type may need `Drop` (no ownership is duplicated).
    ///
    /// # Examples
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::{Arena, CloneIn, CloneOut, CloneStrategy};
    ///
    /// #[derive(Clone, Copy, Debug, PartialEq)]
    /// struct Rgb(u8, u8, u8);
    ///
    /// impl CloneOut for Rgb {
    ///     type Owned = Rgb;
    ///     // SAFETY: `Owned` is `Self`, which is `Copy`; a bitwise copy is exactly `clone_out`.
    ///     const STRATEGY: CloneStrategy = unsafe { CloneStrategy::bitwise_copy() };
    ///     fn clone_out(&self) -> Rgb {
    ///         *self
    ///     }
    /// }
    ///
    /// let pixels = [Rgb(1, 2, 3), Rgb(4, 5, 6)];
    /// let owned: Vec<Rgb> = pixels[..].clone_out(); // one memcpy
    /// assert_eq!(owned, pixels);
    /// ```
    pub const unsafe fn bitwise_copy() -> CloneStrategy {
        CloneStrategy { bitwise_copy: true }
    }

    /// Whether this is the bitwise strategy.
    ///
    /// # Examples
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::{CloneOut, CloneStrategy};
    ///
    /// assert!(<char as CloneOut>::STRATEGY.is_bitwise_copy());
    /// assert!(!<Option<char> as CloneOut>::STRATEGY.is_bitwise_copy());
    /// ```
    pub const fn is_bitwise_copy(self) -> bool {
        self.bitwise_copy
    }

    /// The bitwise strategy when both `self` and `other` are bitwise, value by value otherwise.
    /// Used for arrays and other containers whose layout is that of their elements.
    ///
    /// # Examples
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::{CloneOut, CloneStrategy};
    ///
    /// let both = <u8 as CloneOut>::STRATEGY.and(<u16 as CloneOut>::STRATEGY);
    /// assert!(both.is_bitwise_copy());
    /// assert!(!both.and(CloneStrategy::VALUE_BY_VALUE).is_bitwise_copy());
    /// ```
    pub const fn and(self, other: CloneStrategy) -> CloneStrategy {
        CloneStrategy {
            bitwise_copy: self.bitwise_copy && other.bitwise_copy,
        }
    }
}

/// Deep copy of a value out of its arena into ordinary owned heap values — Go's `arena.Clone`,
/// but deep and typed: `&'a str` becomes `String`, `&'a [T]` becomes `Vec<T::Owned>`, an
/// arena struct becomes its owned twin.
///
/// The result borrows nothing, so it outlives the arena (or the scope) it came from.
///
/// # Examples
///
/// ```
/// # use arena_core as arena;
/// use arena::{Arena, CloneOut};
///
/// let owned: (String, Vec<u32>) = {
///     let mem = Arena::new();
///     let name: &str = mem.alloc_str("bob");
///     let ids: &[u32] = mem.alloc_slice_copy(&[1, 2, 3]);
///     (name, ids).clone_out()
/// }; // the arena is gone, the copies live on
/// assert_eq!(owned, (String::from("bob"), vec![1, 2, 3]));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be copied out of an arena: it does not implement `CloneOut`",
    label = "no `CloneOut` impl",
    note = "as a field of an `#[arena_alloc]` type: if `{Self}` borrows no arena (a plain `Copy` \
            enum, for example), mark the field `#[arena(clone)]` to copy it with `Clone`; if it \
            borrows the arena, put `#[arena_alloc]` on `{Self}` too, or implement `CloneOut` and \
            `CloneIn` for it"
)]
pub trait CloneOut {
    /// The owned, heap-allocated counterpart of `Self`.
    type Owned;

    /// Whether `clone_out` is a bitwise copy (see [`CloneStrategy`]). Value by value unless an
    /// impl promises otherwise.
    const STRATEGY: CloneStrategy = CloneStrategy::VALUE_BY_VALUE;

    /// Copies `self`, deeply, into owned values.
    fn clone_out(&self) -> Self::Owned;
}

/// Deep copy of a value into the arena `'n`: from another arena (arena → arena), or from its
/// owned heap form (heap → arena).
///
/// # Examples
///
/// ```
/// # use arena_core as arena;
/// use arena::{Arena, CloneIn};
///
/// let long_lived = Arena::new();
/// let kept: &[&str] = {
///     let short_lived = Arena::new();
///     let words: &[&str] = short_lived.alloc_slice_copy(&["a", "b"]);
///     words.clone_in(&long_lived)
/// };
/// assert_eq!(kept, ["a", "b"]);
///
/// // From the heap into the arena:
/// let name: &str = String::from("carol").clone_in(&long_lived);
/// assert_eq!(name, "carol");
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be copied into an arena: it does not implement `CloneIn`",
    label = "no `CloneIn` impl",
    note = "as a field of an `#[arena_alloc]` type: if `{Self}` borrows no arena (a plain `Copy` \
            enum, for example), mark the field `#[arena(clone)]` to copy it with `Clone`; if it \
            borrows the arena, put `#[arena_alloc]` on `{Self}` too, or implement `CloneOut` and \
            `CloneIn` for it"
)]
pub trait CloneIn<'n> {
    /// The type of the copy, borrowing the arena `'n`.
    type Cloned;

    /// Whether `clone_in` is a bitwise copy (see [`CloneStrategy`]). Value by value unless an
    /// impl promises otherwise.
    const STRATEGY: CloneStrategy = CloneStrategy::VALUE_BY_VALUE;

    /// Copies `self`, deeply, into `arena`.
    fn clone_in(&self, arena: &'n Arena) -> Self::Cloned;
}

/// Whether a slice of `S` may be turned into a slice of `R` with one `memcpy`.
const fn can_memcpy<S, R>(strategy: CloneStrategy) -> bool {
    strategy.is_bitwise_copy()
        && size_of::<S>() == size_of::<R>()
        && align_of::<S>() == align_of::<R>()
}

/// Copies `source` into a new `Vec`, with one `memcpy` when `T::STRATEGY` allows it.
fn slice_clone_out<T: CloneOut>(source: &[T]) -> Vec<T::Owned> {
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

plain_data!(
    (),
    bool,
    char,
    u8,
    u16,
    u32,
    u64,
    u128,
    usize,
    i8,
    i16,
    i32,
    i64,
    i128,
    isize,
    f32,
    f64,
    core::num::NonZeroU8,
    core::num::NonZeroU16,
    core::num::NonZeroU32,
    core::num::NonZeroU64,
    core::num::NonZeroU128,
    core::num::NonZeroUsize,
    core::num::NonZeroI8,
    core::num::NonZeroI16,
    core::num::NonZeroI32,
    core::num::NonZeroI64,
    core::num::NonZeroI128,
    core::num::NonZeroIsize,
    core::time::Duration,
    core::cmp::Ordering,
);

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

/// Clones map entries into a new [`ArenaHashMap`] in `arena` (arena → arena and heap → arena).
fn copy_entries_in<'m, 'n, K, V>(
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
