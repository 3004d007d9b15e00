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
//!
//! This module holds the traits and [`CloneStrategy`]; `std_impls` holds the impls for the
//! standard types (plain data, strings, references, slices, boxes, `Vec`, `HashMap`, `Option`,
//! `Result`, arrays, tuples) and the one-`memcpy` slice copies they share; `arena_impls` holds the
//! impls for the arena's own containers ([`ArenaString`], [`ArenaVec`], [`ArenaHashMap`]), which
//! rely on those slice copies and on the containers' public API.

mod arena_impls;
mod std_impls;

use crate::Arena;
#[cfg(doc)]
use crate::{ArenaHashMap, ArenaString, ArenaVec};

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
