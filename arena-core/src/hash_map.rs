//! [`ArenaHashMap`]: a hash map whose table lives in an arena.

use core::borrow::Borrow;
use core::fmt;
use core::hash::Hash;
use core::mem::ManuallyDrop;
use core::ops::Index;

use hashbrown::hash_map::{Entry, Iter, IterMut, Keys, Values, ValuesMut};
use hashbrown::{DefaultHashBuilder, HashMap};

use crate::arena::{Arena, AssertNoDrop};
use crate::error::{AllocError, AllocErrorKind, OrPanic};

/// A hash map (hashbrown's SwissTable) whose table lives in an [`Arena`].
///
/// No drop glue, so it can be a field of an arena value; keys and values must not need `Drop`
/// (checked at compile time). Growing the table allocates a new one in the arena; the old one is
/// reclaimed with the arena.
///
/// ```
/// # use arena_core as arena;
/// use arena::Arena;
///
/// let mem = Arena::new();
/// let mut counts = mem.hash_map();
/// for word in "a b a c a".split(' ') {
///     *counts.entry(word).or_insert(0u32) += 1;
/// }
/// assert_eq!(counts["a"], 3);
/// assert_eq!(counts.get("z"), None);
/// ```
pub struct ArenaHashMap<'a, K, V> {
    inner: ManuallyDrop<HashMap<K, V, DefaultHashBuilder, &'a Arena>>,
}

impl<'a, K, V> ArenaHashMap<'a, K, V> {
    /// An empty map in `arena`; it allocates when the first entry goes in.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::{Arena, ArenaHashMap};
    ///
    /// let mem = Arena::new();
    /// let m: ArenaHashMap<'_, u32, u32> = ArenaHashMap::new_in(&mem);
    /// assert!(m.is_empty());
    /// ```
    pub fn new_in(arena: &'a Arena) -> Self {
        let () = AssertNoDrop::<K>::OK;
        let () = AssertNoDrop::<V>::OK;
        Self::new_in_raw(arena)
    }

    /// [`new_in`](ArenaHashMap::new_in) without the drop-rule check, for callers that made it
    /// already (each public entry point checks once, so a refused type gets one note, at the
    /// user's call). A map of a type that needs `Drop` would only leak, which is safe.
    #[inline]
    pub(crate) fn new_in_raw(arena: &'a Arena) -> Self {
        ArenaHashMap {
            inner: ManuallyDrop::new(HashMap::with_hasher_in(
                DefaultHashBuilder::default(),
                arena,
            )),
        }
    }

    /// The arena the table lives in.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// assert!(std::ptr::eq(mem.hash_map::<u8, u8>().arena(), &mem));
    /// ```
    pub fn arena(&self) -> &'a Arena {
        self.inner.allocator()
    }

    /// The number of entries.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut m = mem.hash_map();
    /// m.insert(1, 2);
    /// assert_eq!(m.len(), 1);
    /// ```
    #[inline]
    pub fn len(&self) -> usize {
        self.inner.len()
    }

    /// Whether the map has no entries.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// assert!(Arena::new().hash_map::<u8, u8>().is_empty());
    /// ```
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }

    /// How many entries fit before the table grows.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// assert!(Arena::new().hash_map_with_capacity::<u8, u8>(10).capacity() >= 10);
    /// ```
    pub fn capacity(&self) -> usize {
        self.inner.capacity()
    }

    /// Iterates over `(&key, &value)` in arbitrary order.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut m = mem.hash_map();
    /// m.insert("a", 1);
    /// assert_eq!(m.iter().collect::<Vec<_>>(), [(&"a", &1)]);
    /// ```
    pub fn iter(&self) -> Iter<'_, K, V> {
        self.inner.iter()
    }

    /// Iterates over `(&key, &mut value)` in arbitrary order.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut m = mem.hash_map();
    /// m.insert("a", 1);
    /// for (_, v) in m.iter_mut() {
    ///     *v += 1;
    /// }
    /// assert_eq!(m["a"], 2);
    /// ```
    pub fn iter_mut(&mut self) -> IterMut<'_, K, V> {
        self.inner.iter_mut()
    }

    /// Iterates over the keys.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut m = mem.hash_map();
    /// m.insert("a", 1);
    /// assert_eq!(m.keys().collect::<Vec<_>>(), [&"a"]);
    /// ```
    pub fn keys(&self) -> Keys<'_, K, V> {
        self.inner.keys()
    }

    /// Iterates over the values.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut m = mem.hash_map();
    /// m.insert("a", 1);
    /// assert_eq!(m.values().sum::<i32>(), 1);
    /// ```
    pub fn values(&self) -> Values<'_, K, V> {
        self.inner.values()
    }

    /// Iterates over the values, mutable.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut m = mem.hash_map();
    /// m.insert("a", 1);
    /// m.values_mut().for_each(|v| *v = 7);
    /// assert_eq!(m["a"], 7);
    /// ```
    pub fn values_mut(&mut self) -> ValuesMut<'_, K, V> {
        self.inner.values_mut()
    }

    /// Keeps only the entries for which `keep` returns `true`.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut m = mem.hash_map();
    /// m.extend((0..10).map(|i| (i, i)));
    /// m.retain(|k, _| k % 2 == 0);
    /// assert_eq!(m.len(), 5);
    /// ```
    pub fn retain(&mut self, keep: impl FnMut(&K, &mut V) -> bool) {
        self.inner.retain(keep)
    }

    /// Removes every entry, keeping the table.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut m = mem.hash_map();
    /// m.insert(1, 1);
    /// m.clear();
    /// assert!(m.is_empty());
    /// ```
    pub fn clear(&mut self) {
        self.inner.clear()
    }
}

impl<'a, K: Eq + Hash, V> ArenaHashMap<'a, K, V> {
    /// An empty map in `arena` with room for `capacity` entries.
    ///
    /// # Panics
    ///
    /// If the arena cannot provide the memory.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::{Arena, ArenaHashMap};
    ///
    /// let mem = Arena::new();
    /// let m: ArenaHashMap<'_, u32, u32> = ArenaHashMap::with_capacity_in(8, &mem);
    /// assert!(m.capacity() >= 8);
    /// ```
    #[track_caller]
    pub fn with_capacity_in(capacity: usize, arena: &'a Arena) -> Self {
        let () = AssertNoDrop::<K>::OK;
        let () = AssertNoDrop::<V>::OK;
        Self::try_with_capacity_in_raw(capacity, arena).or_panic()
    }

    /// Like [`with_capacity_in`](ArenaHashMap::with_capacity_in), returning an error instead of
    /// panicking.
    ///
    /// # Errors
    ///
    /// As [`Arena::try_alloc`].
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::{Arena, ArenaHashMap};
    ///
    /// let mem = Arena::builder().limit(0).build();
    /// assert!(ArenaHashMap::<u32, u32>::try_with_capacity_in(8, &mem).is_err());
    /// ```
    pub fn try_with_capacity_in(capacity: usize, arena: &'a Arena) -> Result<Self, AllocError> {
        let () = AssertNoDrop::<K>::OK;
        let () = AssertNoDrop::<V>::OK;
        Self::try_with_capacity_in_raw(capacity, arena)
    }

    /// [`try_with_capacity_in`](ArenaHashMap::try_with_capacity_in) without the drop-rule
    /// check, as [`new_in_raw`](ArenaHashMap::new_in_raw).
    pub(crate) fn try_with_capacity_in_raw(
        capacity: usize,
        arena: &'a Arena,
    ) -> Result<Self, AllocError> {
        let mut map = Self::new_in_raw(arena);
        map.try_reserve(capacity)?;
        Ok(map)
    }

    /// Makes room for `additional` more entries.
    ///
    /// # Panics
    ///
    /// If the arena cannot provide the memory.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut m = mem.hash_map::<u32, u32>();
    /// m.reserve(100);
    /// assert!(m.capacity() >= 100);
    /// ```
    #[track_caller]
    pub fn reserve(&mut self, additional: usize) {
        self.try_reserve(additional).or_panic()
    }

    /// Makes room for `additional` more entries, or says why it cannot.
    ///
    /// # Errors
    ///
    /// As [`Arena::try_alloc`]; the map is unchanged.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// assert!(mem.hash_map::<u64, u64>().try_reserve(usize::MAX).is_err());
    /// ```
    pub fn try_reserve(&mut self, additional: usize) -> Result<(), AllocError> {
        let arena = self.arena();
        // A map with no table takes its first one here, which counts; a map with one grows by
        // allocating a larger table (hashbrown's way), which does not (see `Stats::allocations`).
        let reserved = if self.inner.capacity() == 0 {
            self.inner.try_reserve(additional)
        } else {
            arena.without_counting(|| self.inner.try_reserve(additional))
        };
        reserved.map_err(|err| {
            match err {
                hashbrown::TryReserveError::CapacityOverflow => {
                    arena.alloc_error(AllocErrorKind::CapacityOverflow, usize::MAX)
                }
                hashbrown::TryReserveError::AllocError { layout } => {
                    // Ask the arena once more to learn which limit refused (cold path).
                    match arena.try_alloc_uncounted(layout) {
                        Err(err) => err,
                        Ok(_) => arena.alloc_error(AllocErrorKind::OutOfMemory, layout.size()),
                    }
                }
            }
        })
    }

    /// Makes sure one more entry fits, panicking with the arena's message if it does not.
    #[inline]
    #[track_caller]
    fn reserve_one(&mut self) {
        if self.inner.len() == self.inner.capacity() {
            self.reserve(1);
        }
    }

    /// Inserts `value` under `key`, returning the value it replaced.
    ///
    /// # Panics
    ///
    /// If the table must grow and the arena cannot provide the memory; see
    /// [`try_insert`](ArenaHashMap::try_insert).
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut m = mem.hash_map();
    /// assert_eq!(m.insert("k", 1), None);
    /// assert_eq!(m.insert("k", 2), Some(1));
    /// ```
    #[inline]
    #[track_caller]
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        self.reserve_one();
        self.inner.insert(key, value)
    }

    /// Like [`insert`](ArenaHashMap::insert), returning an error instead of panicking.
    ///
    /// # Errors
    ///
    /// As [`Arena::try_alloc`]; the map is unchanged.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::builder().limit(0).build();
    /// let mut m = mem.hash_map();
    /// assert!(m.try_insert(1u8, 1u8).is_err());
    /// ```
    pub fn try_insert(&mut self, key: K, value: V) -> Result<Option<V>, AllocError> {
        if self.inner.len() == self.inner.capacity() {
            self.try_reserve(1)?;
        }
        Ok(self.inner.insert(key, value))
    }

    /// The entry for `key`, for in-place updates.
    ///
    /// # Panics
    ///
    /// If the table must grow and the arena cannot provide the memory.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut m = mem.hash_map();
    /// *m.entry("hits").or_insert(0) += 1;
    /// assert_eq!(m["hits"], 1);
    /// ```
    #[track_caller]
    pub fn entry(&mut self, key: K) -> Entry<'_, K, V, DefaultHashBuilder, &'a Arena> {
        self.reserve_one();
        self.inner.entry(key)
    }

    /// The value under `key`.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut m = mem.hash_map();
    /// m.insert("a", 1);
    /// assert_eq!(m.get("a"), Some(&1));
    /// ```
    #[inline]
    pub fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.inner.get(key)
    }

    /// The value under `key`, mutable.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut m = mem.hash_map();
    /// m.insert("a", 1);
    /// *m.get_mut("a").unwrap() = 5;
    /// assert_eq!(m["a"], 5);
    /// ```
    #[inline]
    pub fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.inner.get_mut(key)
    }

    /// Whether the map has an entry for `key`.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut m = mem.hash_map();
    /// m.insert(1, ());
    /// assert!(m.contains_key(&1));
    /// ```
    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.inner.contains_key(key)
    }

    /// Removes the entry for `key`, returning its value.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut m = mem.hash_map();
    /// m.insert(1, 'x');
    /// assert_eq!(m.remove(&1), Some('x'));
    /// assert!(m.is_empty());
    /// ```
    pub fn remove<Q>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.inner.remove(key)
    }
}

impl<K, Q, V> Index<&Q> for ArenaHashMap<'_, K, V>
where
    K: Eq + Hash + Borrow<Q>,
    Q: Eq + Hash + ?Sized,
{
    type Output = V;

    /// # Panics
    ///
    /// If the key is not in the map.
    fn index(&self, key: &Q) -> &V {
        self.get(key).expect("no entry found for key")
    }
}

impl<K: Eq + Hash, V> Extend<(K, V)> for ArenaHashMap<'_, K, V> {
    #[track_caller]
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, entries: I) {
        let entries = entries.into_iter();
        self.reserve(entries.size_hint().0);
        for (key, value) in entries {
            self.insert(key, value);
        }
    }
}

impl<'m, K, V> IntoIterator for &'m ArenaHashMap<'_, K, V> {
    type Item = (&'m K, &'m V);
    type IntoIter = Iter<'m, K, V>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'m, K, V> IntoIterator for &'m mut ArenaHashMap<'_, K, V> {
    type Item = (&'m K, &'m mut V);
    type IntoIter = IterMut<'m, K, V>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for ArenaHashMap<'_, K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K: Eq + Hash, V: PartialEq> PartialEq for ArenaHashMap<'_, K, V> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len()
            && self
                .iter()
                .all(|(key, value)| other.get(key).is_some_and(|v| value == v))
    }
}

impl<K: Eq + Hash, V: Eq> Eq for ArenaHashMap<'_, K, V> {}

impl<K: Eq + Hash + Clone, V: Clone> Clone for ArenaHashMap<'_, K, V> {
    /// Copies the entries into a new table in the same arena.
    #[track_caller]
    fn clone(&self) -> Self {
        // The drop rule was checked when this map was made.
        let mut copy = ArenaHashMap::try_with_capacity_in_raw(self.len(), self.arena()).or_panic();
        copy.extend(self.iter().map(|(k, v)| (k.clone(), v.clone())));
        copy
    }
}
