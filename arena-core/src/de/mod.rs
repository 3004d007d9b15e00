//! From the wire into the arena (feature `serde`): [`DeserializeIn`], a [`serde`] deserialization
//! whose result lives in an [`Arena`].
//!
//! `serde::Deserialize` cannot build arena values: it has no arena to allocate in. A
//! [`DeserializeIn<'a>`] type is deserialized *with* an arena, `T::deserialize_in(deserializer,
//! &mem)`, from any [`serde::Deserializer`] (JSON, MessagePack, bincode, CBOR, …): strings,
//! slices, vectors and maps go into `mem`, so the whole document is freed with the arena.
//! [`seed`] gives the same as a [`DeserializeSeed`], for code that takes seeds
//! (`SeqAccess::next_element_seed`, a streaming deserializer).
//!
//! `#[arena_alloc(deserialize)]` generates the impl for a struct or an enum; [`Value`] is a
//! document of any shape, in the arena.
//!
//! # Copied or borrowed strings
//!
//! By default every string is **copied** into the arena, whatever the deserializer lends: the
//! input buffer can be reused or dropped right after parsing, which is what a loop reading
//! requests into one buffer needs. When the input outlives the arena's borrow (the whole file
//! is in memory for as long as the values are used), [`deserialize_in_borrowing`] and
//! [`seed_borrowing`] let `&'a str` (and the strings of a [`Value`]) point straight into the
//! input when the deserializer lends them (`serde_json` does for strings without escapes);
//! strings it cannot lend are still copied. The borrow checker enforces the "outlives": the
//! input's lifetime `'de` must outlive `'a`.
//!
//! | entry point | strings | input must live |
//! |---|---|---|
//! | `T::deserialize_in(d, &mem)`, [`seed::<T>(&mem)`](seed) | copied into the arena | only while parsing |
//! | [`T::deserialize_in_borrowing(d, &mem)`](DeserializeIn::deserialize_in_borrowing), [`seed_borrowing::<T>(&mem)`](seed_borrowing) | borrowed from the input when lent, else copied | as long as the values (`'de: 'a`) |
//!
//! [`deserialize_in_borrowing`]: DeserializeIn::deserialize_in_borrowing
//!
//! # Limits and bad input
//!
//! Every allocation goes through the arena's `try_` paths: a document that does not fit the
//! arena's limit, a scope's `limit = ..` or `ARENA_MEMLIMIT` is an error of the format
//! (`D::Error::custom`, with the arena's message naming the limit), never a panic. Whatever a
//! failed document had taken stays in the arena until its reset or the end of the scope; the
//! arena stays usable. Deeply nested input is refused by the format's own recursion limit
//! (`serde_json` stops at 128 levels).
//!
//! ```
//! # use arena_core as arena;
//! use arena::de::{self, DeserializeIn};
//! use arena::{Arena, ArenaVec};
//! use serde::de::DeserializeSeed;
//!
//! let mem = Arena::new();
//! let mut json = serde_json::Deserializer::from_str(r#"[["a", "b"], ["c"]]"#);
//! let rows = <&[ArenaVec<'_, &str>]>::deserialize_in(&mut json, &mem).unwrap();
//! assert_eq!(rows[0], ["a", "b"]);
//!
//! // The same through a seed:
//! let mut json = serde_json::Deserializer::from_str("[1, 2, 3]");
//! let ids = de::seed::<ArenaVec<'_, u32>>(&mem).deserialize(&mut json).unwrap();
//! assert_eq!(ids, [1, 2, 3]);
//! ```

use core::marker::PhantomData;

use serde::de::{DeserializeSeed, Deserializer, Error};

use crate::arena::Arena;
use crate::error::AllocError;

mod impls;
pub(crate) mod support;
mod value;

pub use self::impls::deserialize_plain;
pub use self::value::{Number, Value, ValueOwned};

/// A type that can be deserialized into an arena: the arena counterpart of
/// [`serde::Deserialize`].
///
/// Callers use [`deserialize_in`](DeserializeIn::deserialize_in) (strings copied) or
/// [`deserialize_in_borrowing`](DeserializeIn::deserialize_in_borrowing) (strings borrowed from
/// input that outlives the arena's borrow). An impl writes the one required method,
/// [`deserialize_in_with`](DeserializeIn::deserialize_in_with), which passes the [`Mode`] on to
/// its parts; `#[arena_alloc(deserialize)]` writes it for structs and enums.
///
/// # Errors
///
/// The deserializer's own errors (malformed input, a wrong type, a missing field, with the
/// position the format reports), and `D::Error::custom` with the arena's message when an
/// allocation would exceed a limit.
///
/// # Examples
///
/// A hand-written impl for a type whose input is a `[x, y]` pair:
///
/// ```
/// # use arena_core as arena;
/// use arena::de::{DeserializeIn, Mode};
/// use arena::Arena;
///
/// struct Point<'a> {
///     name: &'a str,
///     at: (i32, i32),
/// }
///
/// impl<'a> DeserializeIn<'a> for Point<'a> {
///     fn deserialize_in_with<'de, D, M>(deserializer: D, mode: M) -> Result<Self, D::Error>
///     where
///         D: serde::Deserializer<'de>,
///         M: Mode<'de, 'a>,
///     {
///         let (name, at) = <(&'a str, (i32, i32))>::deserialize_in_with(deserializer, mode)?;
///         Ok(Point { name, at })
///     }
/// }
///
/// let mem = Arena::new();
/// let text = r#"["origin", [0, 0]]"#;
/// let p = Point::deserialize_in(&mut serde_json::Deserializer::from_str(text), &mem).unwrap();
/// assert_eq!((p.name, p.at), ("origin", (0, 0)));
/// ```
pub trait DeserializeIn<'a>: Sized {
    /// Deserializes a value into `arena`, with the strings of the input copied into it.
    ///
    /// # Errors
    ///
    /// See the [trait](DeserializeIn#errors).
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::de::DeserializeIn;
    /// use arena::{Arena, ArenaString};
    ///
    /// let mem = Arena::new();
    /// let text = String::from(r#""hello""#);
    /// let s = ArenaString::deserialize_in(&mut serde_json::Deserializer::from_str(&text), &mem);
    /// drop(text); // the string was copied: the input may go
    /// assert_eq!(s.unwrap(), "hello");
    /// ```
    #[inline]
    fn deserialize_in<'de, D>(deserializer: D, arena: &'a Arena) -> Result<Self, D::Error>
    where
        D: Deserializer<'de>,
    {
        Self::deserialize_in_with(deserializer, Copying::new(arena))
    }

    /// Deserializes a value into `arena`, borrowing the strings the deserializer lends from the
    /// input (`&'a str` then points into the input); other strings are copied. The input must
    /// outlive the arena's borrow (`'de: 'a`).
    ///
    /// # Errors
    ///
    /// See the [trait](DeserializeIn#errors).
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::de::DeserializeIn;
    /// use arena::Arena;
    ///
    /// let input = r#"["plain", "esc\"aped"]"#.to_string();
    /// let mem = Arena::new();
    /// let mut json = serde_json::Deserializer::from_str(&input);
    /// let words = <[&str; 2]>::deserialize_in_borrowing(&mut json, &mem).unwrap();
    /// assert!(input.as_bytes().as_ptr_range().contains(&words[0].as_ptr())); // borrowed
    /// assert_eq!(words[1], "esc\"aped"); // unescaped, so copied into the arena
    /// ```
    #[inline]
    fn deserialize_in_borrowing<'de: 'a, D>(
        deserializer: D,
        arena: &'a Arena,
    ) -> Result<Self, D::Error>
    where
        D: Deserializer<'de>,
    {
        Self::deserialize_in_with(deserializer, Borrowing::new(arena))
    }

    /// Deserializes a value, allocating through `mode` (which says which arena, and whether the
    /// input's strings may be borrowed). The method an impl writes; the parts of a value are
    /// deserialized with the same `mode`.
    ///
    /// # Errors
    ///
    /// See the [trait](DeserializeIn#errors).
    fn deserialize_in_with<'de, D, M>(deserializer: D, mode: M) -> Result<Self, D::Error>
    where
        D: Deserializer<'de>,
        M: Mode<'de, 'a>;
}

mod sealed {
    pub trait Sealed {}
}

/// How a [`DeserializeIn`] impl allocates: in which arena, and whether strings of the input
/// (lifetime `'de`) may be borrowed for `'a`. Implemented by [`Copying`] and [`Borrowing`] only.
pub trait Mode<'de, 'a>: Copy + sealed::Sealed {
    /// The arena values are allocated in.
    fn arena(self) -> &'a Arena;

    /// `text` itself when the mode borrows (it lives long enough), `None` when it must be
    /// copied.
    fn borrow_str(self, text: &'de str) -> Option<&'a str>;
}

/// The [`Mode`] that copies every string into the arena; the input may be dropped after
/// parsing.
#[derive(Clone, Copy, Debug)]
pub struct Copying<'a> {
    arena: &'a Arena,
}

impl<'a> Copying<'a> {
    /// The copying mode for `arena`.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::de::{Copying, Mode};
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let mode = Copying::new(&mem);
    /// assert!(std::ptr::eq(Mode::<'static, '_>::arena(mode), &mem));
    /// ```
    #[inline]
    pub fn new(arena: &'a Arena) -> Self {
        Copying { arena }
    }
}

impl sealed::Sealed for Copying<'_> {}

impl<'de, 'a> Mode<'de, 'a> for Copying<'a> {
    #[inline(always)]
    fn arena(self) -> &'a Arena {
        self.arena
    }

    #[inline(always)]
    fn borrow_str(self, _text: &'de str) -> Option<&'a str> {
        None
    }
}

/// The [`Mode`] that borrows the strings the deserializer lends from the input, which outlives
/// `'a`, and copies the others.
#[derive(Clone, Copy, Debug)]
pub struct Borrowing<'a> {
    arena: &'a Arena,
}

impl<'a> Borrowing<'a> {
    /// The borrowing mode for `arena`.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::de::Borrowing;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let _mode = Borrowing::new(&mem);
    /// ```
    #[inline]
    pub fn new(arena: &'a Arena) -> Self {
        Borrowing { arena }
    }
}

impl sealed::Sealed for Borrowing<'_> {}

impl<'de: 'a, 'a> Mode<'de, 'a> for Borrowing<'a> {
    #[inline(always)]
    fn arena(self) -> &'a Arena {
        self.arena
    }

    #[inline(always)]
    fn borrow_str(self, text: &'de str) -> Option<&'a str> {
        Some(text)
    }
}

/// A [`DeserializeSeed`] that deserializes a `T` into an arena, in the mode `M`. Made by
/// [`seed`] and [`seed_borrowing`].
pub struct Seed<'a, T, M = Copying<'a>> {
    mode: M,
    marker: Marker<'a, T>,
}

impl<'a, T, M: Copy> Seed<'a, T, M> {
    /// The seed of a `T` in `mode`.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::de::{Copying, Seed};
    /// use arena::Arena;
    /// use serde::de::DeserializeSeed;
    ///
    /// let mem = Arena::new();
    /// let seed = Seed::<u8, _>::new(Copying::new(&mem));
    /// assert_eq!(seed.deserialize(&mut serde_json::Deserializer::from_str("7")).unwrap(), 7);
    /// ```
    #[inline(always)]
    pub fn new(mode: M) -> Self {
        Seed {
            mode,
            marker: PhantomData,
        }
    }
}

impl<T, M: Copy> Clone for Seed<'_, T, M> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T, M: Copy> Copy for Seed<'_, T, M> {}

impl<'de, 'a, T, M> DeserializeSeed<'de> for Seed<'a, T, M>
where
    T: DeserializeIn<'a>,
    M: Mode<'de, 'a>,
{
    type Value = T;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        T::deserialize_in_with(deserializer, self.mode)
    }
}

/// The [`DeserializeSeed`] of a `T` in `arena`, strings copied: what
/// [`T::deserialize_in`](DeserializeIn::deserialize_in) does, for code that takes seeds.
///
/// ```
/// # use arena_core as arena;
/// use arena::{de, Arena, ArenaVec};
/// use serde::de::DeserializeSeed;
///
/// let mem = Arena::new();
/// let lines = "[1, 2]\n[3]\n";
/// let mut total = 0;
/// for line in lines.lines() {
///     let seed = de::seed::<ArenaVec<'_, u32>>(&mem);
///     let numbers = seed.deserialize(&mut serde_json::Deserializer::from_str(line)).unwrap();
///     total += numbers.iter().sum::<u32>();
/// }
/// assert_eq!(total, 6);
/// ```
#[inline]
pub fn seed<'a, T: DeserializeIn<'a>>(arena: &'a Arena) -> Seed<'a, T, Copying<'a>> {
    Seed::new(Copying::new(arena))
}

/// The [`DeserializeSeed`] of a `T` in `arena` that borrows the strings the deserializer lends:
/// what [`T::deserialize_in_borrowing`](DeserializeIn::deserialize_in_borrowing) does.
///
/// ```
/// # use arena_core as arena;
/// use arena::{de, Arena};
/// use serde::de::DeserializeSeed;
///
/// let input = String::from(r#""borrowed""#);
/// let mem = Arena::new();
/// let seed = de::seed_borrowing::<&str>(&mem);
/// let word = seed.deserialize(&mut serde_json::Deserializer::from_str(&input)).unwrap();
/// assert_eq!(word.as_ptr(), input[1..].as_ptr());
/// ```
#[inline]
pub fn seed_borrowing<'a, T: DeserializeIn<'a>>(arena: &'a Arena) -> Seed<'a, T, Borrowing<'a>> {
    Seed::new(Borrowing::new(arena))
}

/// Ties a seed or visitor to the arena's lifetime and the type it makes, owning neither.
pub(crate) type Marker<'a, T> = PhantomData<(fn() -> T, &'a ())>;

/// An arena refusal as an error of the format, with the arena's message (which names the limit).
#[cold]
#[inline(never)]
pub(crate) fn alloc_failed<E: Error>(err: AllocError) -> E {
    E::custom(err)
}

/// The value of a missing `#[serde(default)]` field, made in the arena: what `Default` is for
/// heap types. The arena containers ([`ArenaVec`](crate::ArenaVec),
/// [`ArenaString`](crate::ArenaString), [`ArenaHashMap`](crate::ArenaHashMap)) are empty, in the
/// arena; every type that has [`Default`] (`&'a str`, `&'a [T]`, `Option<T>`, numbers, …) uses
/// it.
///
/// ```
/// # use arena_core as arena;
/// use arena::de::DefaultIn;
/// use arena::{Arena, ArenaVec};
///
/// let mem = Arena::new();
/// let empty = ArenaVec::<u32>::default_in(&mem);
/// assert!(empty.is_empty() && std::ptr::eq(empty.arena(), &mem));
/// assert_eq!(<&str>::default_in(&mem), "");
/// assert_eq!(u8::default_in(&mem), 0);
/// ```
pub trait DefaultIn<'a> {
    /// The default value, allocating (if at all) in `arena`.
    fn default_in(arena: &'a Arena) -> Self;
}

impl<'a, T: Default> DefaultIn<'a> for T {
    #[inline]
    fn default_in(_arena: &'a Arena) -> Self {
        T::default()
    }
}

impl<'a, T> DefaultIn<'a> for crate::ArenaVec<'a, T> {
    #[inline]
    fn default_in(arena: &'a Arena) -> Self {
        crate::ArenaVec::new_in(arena)
    }
}

impl<'a> DefaultIn<'a> for crate::ArenaString<'a> {
    #[inline]
    fn default_in(arena: &'a Arena) -> Self {
        crate::ArenaString::new_in(arena)
    }
}

impl<'a, K, V> DefaultIn<'a> for crate::ArenaHashMap<'a, K, V> {
    #[inline]
    fn default_in(arena: &'a Arena) -> Self {
        crate::ArenaHashMap::new_in(arena)
    }
}
