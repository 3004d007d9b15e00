//! [`DeserializeIn`] for what arena values are made of: plain data, strings, references,
//! slices, the arena containers, `Option`, tuples and arrays.

use core::fmt;
use core::hash::Hash;
use core::marker::PhantomData;
use core::mem::size_of;

use serde::de::{Deserialize, Deserializer, Error, MapAccess, SeqAccess, Visitor};

use super::{alloc_failed, DeserializeIn, Marker, Mode, Seed};
use crate::arena::AssertNoDrop;
use crate::hash_map::ArenaHashMap;
use crate::string::ArenaString;
use crate::vec::ArenaVec;

/// Deserializes plain data with its own [`serde::Deserialize`]: what `#[arena(clone)]` fields of
/// an `#[arena_alloc(deserialize)]` type go through, for hand-written impls too. `T` must not
/// need `Drop` (a compile-time check), since it is stored in the arena.
///
/// # Errors
///
/// The deserializer's.
///
/// ```
/// # use arena_core as arena;
/// #[derive(serde::Deserialize, Clone, Copy, Debug, PartialEq)]
/// enum Level { Info, Warn }
///
/// let mut json = serde_json::Deserializer::from_str(r#""Warn""#);
/// let level: Level = arena::de::deserialize_plain(&mut json).unwrap();
/// assert_eq!(level, Level::Warn);
/// ```
#[inline]
pub fn deserialize_plain<'de, T, D>(deserializer: D) -> Result<T, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    let () = AssertNoDrop::<T>::OK;
    T::deserialize(deserializer)
}

macro_rules! plain_data {
    ($($ty:ty),* $(,)?) => {$(
        impl<'a> DeserializeIn<'a> for $ty {
            #[inline]
            fn deserialize_in_with<'de, D, M>(deserializer: D, _mode: M) -> Result<Self, D::Error>
            where
                D: Deserializer<'de>,
                M: Mode<'de, 'a>,
            {
                <$ty as Deserialize<'de>>::deserialize(deserializer)
            }
        }
    )*};
}

crate::plain_data::for_each_plain_type!(plain_data);

impl<'a, T: ?Sized> DeserializeIn<'a> for PhantomData<T> {
    #[inline]
    fn deserialize_in_with<'de, D, M>(deserializer: D, _mode: M) -> Result<Self, D::Error>
    where
        D: Deserializer<'de>,
        M: Mode<'de, 'a>,
    {
        PhantomData::<T>::deserialize(deserializer)
    }
}

// ---------------------------------------------------------------------------------------------
// Strings.

/// What a string of the input becomes: `&'a str` (which may borrow the input), `&'a mut str`
/// and `ArenaString<'a>` (which always copy).
trait StrTarget<'a>: Sized {
    /// A copy of `text` in `arena`.
    fn copy_in(arena: &'a crate::Arena, text: &str) -> Result<Self, crate::AllocError>;
    /// `text` itself, when this type can borrow it.
    fn borrowed(text: &'a str) -> Option<Self>;
}

impl<'a> StrTarget<'a> for &'a str {
    #[inline(always)]
    fn copy_in(arena: &'a crate::Arena, text: &str) -> Result<Self, crate::AllocError> {
        arena.try_alloc_str(text).map(|copy| &*copy)
    }
    #[inline(always)]
    fn borrowed(text: &'a str) -> Option<Self> {
        Some(text)
    }
}

impl<'a> StrTarget<'a> for &'a mut str {
    #[inline(always)]
    fn copy_in(arena: &'a crate::Arena, text: &str) -> Result<Self, crate::AllocError> {
        arena.try_alloc_str(text)
    }
    #[inline(always)]
    fn borrowed(_text: &'a str) -> Option<Self> {
        None
    }
}

impl<'a> StrTarget<'a> for ArenaString<'a> {
    #[inline(always)]
    fn copy_in(arena: &'a crate::Arena, text: &str) -> Result<Self, crate::AllocError> {
        let mut copy = ArenaString::try_with_capacity_in(text.len(), arena)?;
        copy.try_push_str(text)?;
        Ok(copy)
    }
    #[inline(always)]
    fn borrowed(_text: &'a str) -> Option<Self> {
        None
    }
}

/// Visits a string: borrowed when the mode, the deserializer and `T` allow it, else copied.
struct StrVisitor<'a, M, T> {
    mode: M,
    marker: Marker<'a, T>,
}

impl<'a, M, T> StrVisitor<'a, M, T> {
    #[inline(always)]
    fn new(mode: M) -> Self {
        StrVisitor {
            mode,
            marker: PhantomData,
        }
    }
}

impl<'de, 'a, M: Mode<'de, 'a>, T: StrTarget<'a>> StrVisitor<'a, M, T> {
    #[inline]
    fn copy<E: Error>(&self, text: &str) -> Result<T, E> {
        T::copy_in(self.mode.arena(), text).map_err(alloc_failed)
    }
}

impl<'de, 'a, M: Mode<'de, 'a>, T: StrTarget<'a>> Visitor<'de> for StrVisitor<'a, M, T> {
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a string")
    }

    #[inline]
    fn visit_borrowed_str<E: Error>(self, text: &'de str) -> Result<T, E> {
        match self.mode.borrow_str(text).and_then(T::borrowed) {
            Some(borrowed) => Ok(borrowed),
            None => self.copy(text),
        }
    }

    #[inline]
    fn visit_str<E: Error>(self, text: &str) -> Result<T, E> {
        self.copy(text)
    }

    fn visit_borrowed_bytes<E: Error>(self, bytes: &'de [u8]) -> Result<T, E> {
        match core::str::from_utf8(bytes) {
            Ok(text) => self.visit_borrowed_str(text),
            Err(_) => Err(E::invalid_value(serde::de::Unexpected::Bytes(bytes), &self)),
        }
    }

    fn visit_bytes<E: Error>(self, bytes: &[u8]) -> Result<T, E> {
        match core::str::from_utf8(bytes) {
            Ok(text) => self.copy(text),
            Err(_) => Err(E::invalid_value(serde::de::Unexpected::Bytes(bytes), &self)),
        }
    }
}

impl<'a> DeserializeIn<'a> for &'a str {
    /// Copied into the arena, or borrowed from the input in the [`Borrowing`](super::Borrowing)
    /// mode when the deserializer lends the string.
    #[inline]
    fn deserialize_in_with<'de, D, M>(deserializer: D, mode: M) -> Result<Self, D::Error>
    where
        D: Deserializer<'de>,
        M: Mode<'de, 'a>,
    {
        deserializer.deserialize_str(StrVisitor::new(mode))
    }
}

impl<'a> DeserializeIn<'a> for &'a mut str {
    /// Always copied into the arena (the input cannot be lent mutably).
    #[inline]
    fn deserialize_in_with<'de, D, M>(deserializer: D, mode: M) -> Result<Self, D::Error>
    where
        D: Deserializer<'de>,
        M: Mode<'de, 'a>,
    {
        deserializer.deserialize_str(StrVisitor::new(mode))
    }
}

impl<'a> DeserializeIn<'a> for ArenaString<'a> {
    /// Always copied into the arena, with no spare capacity.
    #[inline]
    fn deserialize_in_with<'de, D, M>(deserializer: D, mode: M) -> Result<Self, D::Error>
    where
        D: Deserializer<'de>,
        M: Mode<'de, 'a>,
    {
        deserializer.deserialize_str(StrVisitor::new(mode))
    }
}

// ---------------------------------------------------------------------------------------------
// References and options.

impl<'a, T: DeserializeIn<'a>> DeserializeIn<'a> for &'a T {
    /// The value is deserialized, then moved into the arena.
    #[inline]
    fn deserialize_in_with<'de, D, M>(deserializer: D, mode: M) -> Result<Self, D::Error>
    where
        D: Deserializer<'de>,
        M: Mode<'de, 'a>,
    {
        let value = T::deserialize_in_with(deserializer, mode)?;
        match mode.arena().try_alloc(value) {
            Ok(place) => Ok(place),
            Err(err) => Err(alloc_failed(err)),
        }
    }
}

impl<'a, T: DeserializeIn<'a>> DeserializeIn<'a> for &'a mut T {
    #[inline]
    fn deserialize_in_with<'de, D, M>(deserializer: D, mode: M) -> Result<Self, D::Error>
    where
        D: Deserializer<'de>,
        M: Mode<'de, 'a>,
    {
        let value = T::deserialize_in_with(deserializer, mode)?;
        mode.arena().try_alloc(value).map_err(alloc_failed)
    }
}

struct OptionVisitor<'a, T, M> {
    mode: M,
    marker: Marker<'a, T>,
}

impl<'de, 'a, T: DeserializeIn<'a>, M: Mode<'de, 'a>> Visitor<'de> for OptionVisitor<'a, T, M> {
    type Value = Option<T>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("an optional value")
    }

    #[inline]
    fn visit_none<E: Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    #[inline]
    fn visit_unit<E: Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    #[inline]
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        T::deserialize_in_with(deserializer, self.mode).map(Some)
    }
}

impl<'a, T: DeserializeIn<'a>> DeserializeIn<'a> for Option<T> {
    /// `null` (or the format's none) is `None`.
    #[inline]
    fn deserialize_in_with<'de, D, M>(deserializer: D, mode: M) -> Result<Self, D::Error>
    where
        D: Deserializer<'de>,
        M: Mode<'de, 'a>,
    {
        deserializer.deserialize_option(OptionVisitor {
            mode,
            marker: PhantomData,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Sequences: `ArenaVec`, slices.

/// How many elements to reserve up front for a size hint: the hint comes from the input, so it
/// is capped (at about 64 KiB of elements) so that a lying length does not reserve a huge
/// buffer, or hit a limit, before the elements are even read.
#[inline]
fn cautious<T>(hint: Option<usize>) -> usize {
    const MAX_PREALLOCATED_BYTES: usize = 64 << 10;
    let most = MAX_PREALLOCATED_BYTES / size_of::<T>().max(1);
    hint.unwrap_or(0).min(most)
}

struct VecVisitor<'a, T, M> {
    mode: M,
    marker: Marker<'a, T>,
}

impl<'de, 'a, T: DeserializeIn<'a>, M: Mode<'de, 'a>> Visitor<'de> for VecVisitor<'a, T, M> {
    type Value = ArenaVec<'a, T>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a sequence")
    }

    #[inline]
    fn visit_seq<S: SeqAccess<'de>>(self, seq: S) -> Result<ArenaVec<'a, T>, S::Error> {
        collect_seq(seq, self.mode)
    }
}

/// Reads the elements of `seq` into a new [`ArenaVec`] (reserved for the format's size hint,
/// capped by [`cautious`]): what every sequence visitor that collects does (`ArenaVec`, slices,
/// the arrays of a [`Value`](super::Value)).
#[inline]
pub(super) fn collect_seq<'de, 'a, T, M, S>(
    mut seq: S,
    mode: M,
) -> Result<ArenaVec<'a, T>, S::Error>
where
    T: DeserializeIn<'a>,
    M: Mode<'de, 'a>,
    S: SeqAccess<'de>,
{
    let mut items = ArenaVec::try_with_capacity_in(cautious::<T>(seq.size_hint()), mode.arena())
        .map_err(alloc_failed)?;
    while let Some(item) = seq.next_element_seed(Seed::<T, M>::new(mode))? {
        push_in(&mut items, item)?;
    }
    Ok(items)
}

/// Appends `item`, growing `items` through the arena's `try_` path: a refusal (a limit) is an
/// error of the format, not a panic.
#[inline(always)]
pub(super) fn push_in<T, E: Error>(items: &mut ArenaVec<'_, T>, item: T) -> Result<(), E> {
    if items.len() == items.capacity() {
        items.try_reserve(1).map_err(alloc_failed)?;
    }
    items.push(item);
    Ok(())
}

impl<'a, T: DeserializeIn<'a>> DeserializeIn<'a> for ArenaVec<'a, T> {
    #[inline]
    fn deserialize_in_with<'de, D, M>(deserializer: D, mode: M) -> Result<Self, D::Error>
    where
        D: Deserializer<'de>,
        M: Mode<'de, 'a>,
    {
        deserializer.deserialize_seq(VecVisitor {
            mode,
            marker: PhantomData,
        })
    }
}

impl<'a, T: DeserializeIn<'a>> DeserializeIn<'a> for &'a [T] {
    /// Collected in an [`ArenaVec`], then frozen.
    #[inline]
    fn deserialize_in_with<'de, D, M>(deserializer: D, mode: M) -> Result<Self, D::Error>
    where
        D: Deserializer<'de>,
        M: Mode<'de, 'a>,
    {
        ArenaVec::<T>::deserialize_in_with(deserializer, mode).map(ArenaVec::into_bump_slice)
    }
}

impl<'a, T: DeserializeIn<'a>> DeserializeIn<'a> for &'a mut [T] {
    #[inline]
    fn deserialize_in_with<'de, D, M>(deserializer: D, mode: M) -> Result<Self, D::Error>
    where
        D: Deserializer<'de>,
        M: Mode<'de, 'a>,
    {
        ArenaVec::<T>::deserialize_in_with(deserializer, mode).map(ArenaVec::into_bump_slice_mut)
    }
}

// ---------------------------------------------------------------------------------------------
// Maps.

struct MapVisitor<'a, K, V, M> {
    mode: M,
    marker: Marker<'a, (K, V)>,
}

impl<'de, 'a, K, V, M> Visitor<'de> for MapVisitor<'a, K, V, M>
where
    K: DeserializeIn<'a> + Eq + Hash,
    V: DeserializeIn<'a>,
    M: Mode<'de, 'a>,
{
    type Value = ArenaHashMap<'a, K, V>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let arena = self.mode.arena();
        let mut entries =
            ArenaHashMap::try_with_capacity_in(cautious::<(K, V)>(map.size_hint()), arena)
                .map_err(alloc_failed)?;
        while let Some((key, value)) =
            map.next_entry_seed(Seed::<K, M>::new(self.mode), Seed::<V, M>::new(self.mode))?
        {
            entries.try_insert(key, value).map_err(alloc_failed)?;
        }
        Ok(entries)
    }
}

impl<'a, K, V> DeserializeIn<'a> for ArenaHashMap<'a, K, V>
where
    K: DeserializeIn<'a> + Eq + Hash,
    V: DeserializeIn<'a>,
{
    /// A key given twice keeps its last value, as with `HashMap`.
    fn deserialize_in_with<'de, D, M>(deserializer: D, mode: M) -> Result<Self, D::Error>
    where
        D: Deserializer<'de>,
        M: Mode<'de, 'a>,
    {
        deserializer.deserialize_map(MapVisitor {
            mode,
            marker: PhantomData,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Arrays and tuples.

struct ArrayVisitor<'a, T, M, const N: usize> {
    mode: M,
    marker: Marker<'a, T>,
}

impl<'de, 'a, T, M, const N: usize> Visitor<'de> for ArrayVisitor<'a, T, M, N>
where
    T: DeserializeIn<'a>,
    M: Mode<'de, 'a>,
{
    type Value = [T; N];

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "an array of length {N}")
    }

    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<[T; N], S::Error> {
        let mut failed = None;
        let mut index = 0;
        let slots: [Option<T>; N] = core::array::from_fn(|_| {
            if failed.is_some() {
                return None;
            }
            let item = match seq.next_element_seed(Seed::<T, M>::new(self.mode)) {
                Ok(Some(item)) => Some(item),
                Ok(None) => {
                    failed = Some(S::Error::invalid_length(index, &self));
                    None
                }
                Err(err) => {
                    failed = Some(err);
                    None
                }
            };
            index += 1;
            item
        });
        if let Some(err) = failed {
            return Err(err);
        }
        // Every slot is `Some`: an empty one set `failed`.
        Ok(slots.map(|slot| slot.unwrap_or_else(|| unreachable!("every slot was filled"))))
    }
}

impl<'a, T: DeserializeIn<'a>, const N: usize> DeserializeIn<'a> for [T; N] {
    fn deserialize_in_with<'de, D, M>(deserializer: D, mode: M) -> Result<Self, D::Error>
    where
        D: Deserializer<'de>,
        M: Mode<'de, 'a>,
    {
        deserializer.deserialize_tuple(
            N,
            ArrayVisitor {
                mode,
                marker: PhantomData,
            },
        )
    }
}

macro_rules! tuple {
    ($visitor:ident, $len:literal, $($name:ident $index:tt),+) => {
        struct $visitor<'a, M, $($name),+> {
            mode: M,
            marker: Marker<'a, ($($name,)+)>,
        }

        impl<'de, 'a, M: Mode<'de, 'a>, $($name: DeserializeIn<'a>),+> Visitor<'de>
            for $visitor<'a, M, $($name),+>
        {
            type Value = ($($name,)+);

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str(concat!("a tuple of ", $len, " elements"))
            }

            #[inline]
            fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Self::Value, S::Error> {
                Ok(($(
                    match seq.next_element_seed(Seed::<$name, M>::new(self.mode))? {
                        Some(item) => item,
                        None => return Err(S::Error::invalid_length($index, &self)),
                    },
                )+))
            }
        }

        impl<'a, $($name: DeserializeIn<'a>),+> DeserializeIn<'a> for ($($name,)+) {
            #[inline]
            fn deserialize_in_with<'de, D, M>(deserializer: D, mode: M) -> Result<Self, D::Error>
            where
                D: Deserializer<'de>,
                M: Mode<'de, 'a>,
            {
                deserializer.deserialize_tuple($len, $visitor { mode, marker: PhantomData })
            }
        }
    };
}

tuple!(Tuple1, 1, T0 0);
tuple!(Tuple2, 2, T0 0, T1 1);
tuple!(Tuple3, 3, T0 0, T1 1, T2 2);
tuple!(Tuple4, 4, T0 0, T1 1, T2 2, T3 3);
tuple!(Tuple5, 5, T0 0, T1 1, T2 2, T3 3, T4 4);
tuple!(Tuple6, 6, T0 0, T1 1, T2 2, T3 3, T4 4, T5 5);
tuple!(Tuple7, 7, T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6);
tuple!(Tuple8, 8, T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6, T7 7);
tuple!(Tuple9, 9, T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6, T7 7, T8 8);
tuple!(Tuple10, 10, T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6, T7 7, T8 8, T9 9);
tuple!(Tuple11, 11, T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6, T7 7, T8 8, T9 9, T10 10);
tuple!(Tuple12, 12, T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6, T7 7, T8 8, T9 9, T10 10, T11 11);
