//! The container constructors on [`Arena`]: `vec`, `vec_with_capacity`, `make_slice`, `string`,
//! `string_with_capacity`, `hash_map`, `hash_map_with_capacity`, with their `try_` twins.
//!
//! Each is a shorthand for the container's own `*_in` constructor: it checks the drop rule once,
//! at the user's call, and builds through the container's unchecked constructor, so a refused
//! type gets one note; the panicking twins are the `try_` twins plus `or_panic`,
//! `#[track_caller]`. This is the one room of the arena that depends on the containers.

use super::{Arena, AssertNoDrop};
use crate::error::{AllocError, OrPanic};
use crate::hash_map::ArenaHashMap;
use crate::string::ArenaString;
use crate::vec::ArenaVec;

impl Arena {
    /// Go's `arena.MakeSlice[T](mem, len, cap)`: a vector of `len` default values with room for
    /// `cap`.
    ///
    /// # Panics
    ///
    /// As [`alloc`](Arena::alloc), or if `len > cap`.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::{Arena, ArenaVec};
    ///
    /// let mem = Arena::new();
    /// let names: ArenaVec<'_, &str> = mem.make_slice(100, 100);
    /// assert_eq!((names.len(), names.capacity()), (100, 100));
    /// assert_eq!(names[99], "");
    /// ```
    #[track_caller]
    pub fn make_slice<T: Default>(&self, len: usize, cap: usize) -> ArenaVec<'_, T> {
        let () = AssertNoDrop::<T>::OK;
        self.make_slice_raw(len, cap).or_panic()
    }

    /// Like [`make_slice`](Arena::make_slice), returning an error instead of panicking.
    ///
    /// # Errors
    ///
    /// As [`try_alloc`](Arena::try_alloc).
    ///
    /// # Panics
    ///
    /// If `len > cap` (a programming error, as in Go).
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::builder().limit(0).build();
    /// assert!(mem.try_make_slice::<u64>(10, 10).is_err());
    /// ```
    #[track_caller]
    pub fn try_make_slice<T: Default>(
        &self,
        len: usize,
        cap: usize,
    ) -> Result<ArenaVec<'_, T>, AllocError> {
        let () = AssertNoDrop::<T>::OK;
        self.make_slice_raw(len, cap)
    }

    /// An empty [`ArenaVec`]; it allocates when it first grows.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut v = mem.vec();
    /// v.push(1u64);
    /// assert_eq!(v, [1]);
    /// ```
    ///
    /// The element type is inferred from the first value pushed, and `alloc_str`, `alloc_fmt`
    /// and `alloc` return `&mut` references: a vector of arena strings that is to become a
    /// `&'a [&'a str]` names its element type, and the pushed `&mut str` then coerces:
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::{Arena, ArenaVec};
    ///
    /// let mem = Arena::new();
    /// let mut tags: ArenaVec<&str> = mem.vec(); // `mem.vec()` alone: ArenaVec<&mut str>
    /// tags.push(mem.alloc_str("api"));
    /// let tags: &[&str] = tags.into_bump_slice();
    /// assert_eq!(tags, ["api"]);
    /// ```
    pub fn vec<T>(&self) -> ArenaVec<'_, T> {
        let () = AssertNoDrop::<T>::OK;
        ArenaVec::new_in_raw(self)
    }

    /// An [`ArenaVec`] with room for `capacity` values.
    ///
    /// # Panics
    ///
    /// As [`alloc`](Arena::alloc).
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let v = mem.vec_with_capacity::<u64>(100);
    /// assert!(v.capacity() >= 100);
    /// ```
    #[track_caller]
    pub fn vec_with_capacity<T>(&self, capacity: usize) -> ArenaVec<'_, T> {
        let () = AssertNoDrop::<T>::OK;
        ArenaVec::try_with_capacity_in_raw(capacity, self).or_panic()
    }

    /// Like [`vec_with_capacity`](Arena::vec_with_capacity), returning an error instead of
    /// panicking.
    ///
    /// # Errors
    ///
    /// As [`try_alloc`](Arena::try_alloc).
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// assert!(mem.try_vec_with_capacity::<u64>(usize::MAX).is_err());
    /// ```
    pub fn try_vec_with_capacity<T>(&self, capacity: usize) -> Result<ArenaVec<'_, T>, AllocError> {
        let () = AssertNoDrop::<T>::OK;
        ArenaVec::try_with_capacity_in_raw(capacity, self)
    }

    /// An empty [`ArenaString`].
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    /// use std::fmt::Write;
    ///
    /// let mem = Arena::new();
    /// let mut s = mem.string();
    /// write!(s, "{}-{}", "a", 1).unwrap();
    /// assert_eq!(s, "a-1");
    /// ```
    pub fn string(&self) -> ArenaString<'_> {
        ArenaString::new_in(self)
    }

    /// An [`ArenaString`] with room for `capacity` bytes.
    ///
    /// # Panics
    ///
    /// As [`alloc`](Arena::alloc).
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// assert!(mem.string_with_capacity(64).capacity() >= 64);
    /// ```
    #[track_caller]
    pub fn string_with_capacity(&self, capacity: usize) -> ArenaString<'_> {
        self.try_string_with_capacity(capacity).or_panic()
    }

    /// Like [`string_with_capacity`](Arena::string_with_capacity), returning an error instead of
    /// panicking.
    ///
    /// # Errors
    ///
    /// As [`try_alloc`](Arena::try_alloc).
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::builder().limit(0).build();
    /// assert!(mem.try_string_with_capacity(64).is_err());
    /// ```
    pub fn try_string_with_capacity(&self, capacity: usize) -> Result<ArenaString<'_>, AllocError> {
        ArenaString::try_with_capacity_in(capacity, self)
    }

    /// An empty [`ArenaHashMap`].
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut ages = mem.hash_map();
    /// ages.insert("bob", 42u32);
    /// assert_eq!(ages["bob"], 42);
    /// ```
    pub fn hash_map<K, V>(&self) -> ArenaHashMap<'_, K, V> {
        let () = AssertNoDrop::<K>::OK;
        let () = AssertNoDrop::<V>::OK;
        ArenaHashMap::new_in_raw(self)
    }

    /// An [`ArenaHashMap`] with room for `capacity` entries.
    ///
    /// # Panics
    ///
    /// As [`alloc`](Arena::alloc).
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let m = mem.hash_map_with_capacity::<u32, u32>(100);
    /// assert!(m.capacity() >= 100);
    /// ```
    #[track_caller]
    pub fn hash_map_with_capacity<K: Eq + core::hash::Hash, V>(
        &self,
        capacity: usize,
    ) -> ArenaHashMap<'_, K, V> {
        let () = AssertNoDrop::<K>::OK;
        let () = AssertNoDrop::<V>::OK;
        ArenaHashMap::try_with_capacity_in_raw(capacity, self).or_panic()
    }

    /// Like [`hash_map_with_capacity`](Arena::hash_map_with_capacity), returning an error instead
    /// of panicking.
    ///
    /// # Errors
    ///
    /// As [`try_alloc`](Arena::try_alloc).
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::builder().limit(0).build();
    /// assert!(mem.try_hash_map_with_capacity::<u32, u32>(100).is_err());
    /// ```
    pub fn try_hash_map_with_capacity<K: Eq + core::hash::Hash, V>(
        &self,
        capacity: usize,
    ) -> Result<ArenaHashMap<'_, K, V>, AllocError> {
        let () = AssertNoDrop::<K>::OK;
        let () = AssertNoDrop::<V>::OK;
        ArenaHashMap::try_with_capacity_in_raw(capacity, self)
    }
}

/// The body the `make_slice` twins share, without the drop-rule check (both made it).
impl Arena {
    #[track_caller]
    fn make_slice_raw<T: Default>(
        &self,
        len: usize,
        cap: usize,
    ) -> Result<ArenaVec<'_, T>, AllocError> {
        assert!(
            len <= cap,
            "make_slice: len ({len}) is larger than cap ({cap})"
        );
        let mut vec = ArenaVec::try_with_capacity_in_raw(cap, self)?;
        vec.extend((0..len).map(|_| T::default()));
        Ok(vec)
    }
}
