//! [`ArenaVec`]: a growable vector whose buffer lives in an arena, its constructors and its
//! growth.
//!
//! The buffer is an allocator-api2 `Vec` over `&Arena`, whose `Allocator` impl grows the newest
//! allocation in place; the constructors and the error probes call the block engine's
//! `pub(crate)` functions directly. The standard traits and the owning iterator are in
//! [`traits`]; shrinking and freezing (`shrink_to_fit`, `into_bump_slice`) are in `freeze`.

use core::mem::ManuallyDrop;

use allocator_api2::vec::Vec as ApiVec;

use crate::arena::{Arena, AssertNoDrop};
use crate::error::{AllocError, AllocErrorKind, OrPanic};

mod freeze;
mod traits;

pub use self::traits::IntoIter;

/// A vector whose buffer lives in an [`Arena`]: Go's arena slices (`arena.MakeSlice`), growable.
///
/// It has no drop glue, so it can be a field of a value allocated in the arena; its elements
/// must not need `Drop` either (checked at compile time), since nothing ever runs their
/// destructors. Growing reallocates inside the arena, in place when the vector is the newest
/// allocation. Made by [`Arena::vec`], [`Arena::vec_with_capacity`], [`Arena::make_slice`] or
/// [`collect_in`](crate::CollectIn::collect_in).
///
/// ```
/// # use arena_core as arena;
/// use arena::{Arena, ArenaVec};
///
/// struct Node<'a> {
///     name: &'a str,
///     children: ArenaVec<'a, &'a Node<'a>>,
/// }
///
/// let mem = Arena::new();
/// let leaf = mem.alloc(Node { name: "leaf", children: mem.vec() });
/// let mut children = mem.vec();
/// children.push(&*leaf);
/// let root = mem.alloc(Node { name: "root", children });
/// assert_eq!(root.children[0].name, "leaf");
/// assert_eq!(root.name, "root");
/// ```
///
/// A vector of values that need `Drop` does not compile (`E0080`):
///
/// ```compile_fail,E0080
/// # use arena_core as arena;
/// use arena::Arena;
///
/// let mem = Arena::new();
/// let mut v = mem.vec();
/// v.push(String::from("x"));
/// ```
pub struct ArenaVec<'a, T> {
    inner: ManuallyDrop<ApiVec<T, &'a Arena>>,
}

/// The growth of [`ArenaVec::push`], out of line: takes the parts of a full vector, grows it as
/// [`ArenaVec::try_reserve`] does, and returns the new buffer and capacity (the length is
/// unchanged). Panics, as `push` does, when the arena cannot grow it; the caller's vector then
/// still owns its old buffer, untouched.
#[cold]
#[inline(never)]
#[track_caller]
fn grow_buffer_for_one<T>(
    arena: &Arena,
    ptr: *mut T,
    len: usize,
    capacity: usize,
) -> (*mut T, usize) {
    let inner = if capacity == 0 {
        ApiVec::new_in(arena)
    } else {
        // SAFETY: the parts are those of the caller's live vector (`ArenaVec::grow_one`): `ptr`
        // was allocated by `arena` for `capacity` elements and holds `len` initialized ones.
        // The caller replaces its vector with what this returns, so the buffer has one owner.
        unsafe { ApiVec::from_raw_parts_in(ptr, len, capacity, arena) }
    };
    let mut grown = ArenaVec {
        inner: ManuallyDrop::new(inner),
    };
    // On an error `try_reserve` left the buffer as it was, and the caller still holds it.
    grown.try_reserve(1).or_panic();
    (grown.inner.as_mut_ptr(), grown.inner.capacity())
}

fn overflow_error(arena: &Arena) -> AllocError {
    arena.alloc_error(AllocErrorKind::CapacityOverflow, usize::MAX)
}

impl<'a, T> ArenaVec<'a, T> {
    /// The capacity an empty vector takes when it first grows by less than this: 8 elements of
    /// one byte, 4 of up to 1 KiB, 1 of anything larger.
    ///
    /// These are the steps of `std`'s `Vec`, which bump-scope's vectors follow too (bumpalo's
    /// grow 1, 2, 4, ..). In an arena a first buffer smaller than this saves little: every
    /// allocation is rounded up to 8 bytes, so 8 bytes hold no fewer than 8 `u8`s, and a
    /// buffer that was too large costs nothing once frozen, since
    /// [`into_bump_slice`](ArenaVec::into_bump_slice) gives the spare capacity back when the
    /// buffer is the newest allocation. A larger first buffer would cost memory wherever the
    /// vector is not the newest allocation at its end (a JSON object, whose keys and values are
    /// allocated while it grows), and a smaller one more growth steps. The JSON benchmark
    /// (`bench_json_dom` in the benchmarks package) builds its DOM with these steps at the
    /// footprint of bump-scope's vectors, which take the same steps.
    pub const MIN_NON_ZERO_CAP: usize = match core::mem::size_of::<T>() {
        1 => 8,
        0..=1024 => 4,
        _ => 1,
    };

    /// An empty vector in `arena`. It allocates when it first grows.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::{Arena, ArenaVec};
    ///
    /// let mem = Arena::new();
    /// let v: ArenaVec<'_, u8> = ArenaVec::new_in(&mem);
    /// assert!(v.is_empty());
    /// ```
    #[inline]
    pub fn new_in(arena: &'a Arena) -> Self {
        let () = AssertNoDrop::<T>::OK;
        Self::new_in_raw(arena)
    }

    /// An empty vector in `arena` with room for `capacity` elements.
    ///
    /// # Panics
    ///
    /// If the arena cannot provide the memory (limit, overflow); see
    /// [`try_with_capacity_in`](ArenaVec::try_with_capacity_in).
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::{Arena, ArenaVec};
    ///
    /// let mem = Arena::new();
    /// let v: ArenaVec<'_, u8> = ArenaVec::with_capacity_in(10, &mem);
    /// assert!(v.capacity() >= 10);
    /// ```
    #[track_caller]
    pub fn with_capacity_in(capacity: usize, arena: &'a Arena) -> Self {
        let () = AssertNoDrop::<T>::OK;
        Self::try_with_capacity_in_raw(capacity, arena).or_panic()
    }

    /// Like [`with_capacity_in`](ArenaVec::with_capacity_in), returning an error instead of
    /// panicking.
    ///
    /// # Errors
    ///
    /// As [`Arena::try_alloc`].
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::{Arena, ArenaVec};
    ///
    /// let mem = Arena::builder().limit(100).build();
    /// assert!(ArenaVec::<u64>::try_with_capacity_in(1000, &mem).is_err());
    /// ```
    #[inline]
    pub fn try_with_capacity_in(capacity: usize, arena: &'a Arena) -> Result<Self, AllocError> {
        let () = AssertNoDrop::<T>::OK;
        Self::try_with_capacity_in_raw(capacity, arena)
    }

    /// [`new_in`](ArenaVec::new_in) without the drop-rule check, for callers that made it
    /// already (each public entry point checks once, so a refused type gets one note, at the
    /// user's call). A vector of a type that needs `Drop` would only leak, which is safe.
    #[inline]
    pub(crate) fn new_in_raw(arena: &'a Arena) -> Self {
        ArenaVec {
            inner: ManuallyDrop::new(ApiVec::new_in(arena)),
        }
    }

    /// [`try_with_capacity_in`](ArenaVec::try_with_capacity_in) without the drop-rule check,
    /// as [`new_in_raw`](ArenaVec::new_in_raw).
    #[inline]
    pub(crate) fn try_with_capacity_in_raw(
        capacity: usize,
        arena: &'a Arena,
    ) -> Result<Self, AllocError> {
        if capacity == 0 || core::mem::size_of::<T>() == 0 {
            return Ok(Self::new_in_raw(arena));
        }
        // One bump, inlined, instead of the growth path.
        let buffer = arena.try_alloc_array::<T>(capacity)?;
        // SAFETY: `buffer` is a fresh allocation from `arena` with the layout `Layout::array::<T>
        // (capacity)`, which is exactly what `Allocator::allocate` of `&Arena` hands out for
        // that layout (it calls the same `try_alloc_counted`); the vector starts empty.
        let inner = unsafe { ApiVec::from_raw_parts_in(buffer.as_ptr(), 0, capacity, arena) };
        Ok(ArenaVec {
            inner: ManuallyDrop::new(inner),
        })
    }

    /// The arena the buffer lives in.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let v = mem.vec::<u8>();
    /// assert!(std::ptr::eq(v.arena(), &mem));
    /// ```
    #[inline]
    pub fn arena(&self) -> &'a Arena {
        self.inner.allocator()
    }

    /// Appends a value.
    ///
    /// # Panics
    ///
    /// If growing fails; see [`try_push`](ArenaVec::try_push).
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut v = mem.vec();
    /// v.push(1);
    /// v.push(2);
    /// assert_eq!(v, [1, 2]);
    /// ```
    #[inline(always)]
    #[track_caller]
    pub fn push(&mut self, value: T) {
        let len = self.inner.len();
        if len == self.inner.capacity() {
            self.grow_one();
        }
        // SAFETY: `len < capacity` now, so the slot at `len` is inside the buffer and
        // uninitialized; writing it and bumping the length keeps the vector's invariants.
        unsafe {
            self.inner.as_mut_ptr().add(len).write(value);
            self.inner.set_len(len + 1);
        }
    }

    /// Makes room for one more element. Only the buffer's raw parts go to the out-of-line
    /// growth, by value, and come back the same way: the vector's address never escapes, so a
    /// loop of `push`es keeps its pointer, length and capacity in registers.
    #[inline(always)]
    #[track_caller]
    fn grow_one(&mut self) {
        let arena = self.arena();
        let len = self.inner.len();
        let (ptr, capacity) =
            grow_buffer_for_one(arena, self.inner.as_mut_ptr(), len, self.inner.capacity());
        // SAFETY: `grow_buffer_for_one` returned the buffer of the grown vector it rebuilt from
        // this vector's parts: allocated by `arena` for `capacity` elements, holding the same
        // `len` initialized ones. The old value is `ManuallyDrop`, so overwriting it frees
        // nothing (the grown vector took over the buffer).
        self.inner =
            ManuallyDrop::new(unsafe { ApiVec::from_raw_parts_in(ptr, len, capacity, arena) });
    }

    /// Appends a value, or gives it back with the reason when the arena cannot grow the buffer.
    ///
    /// # Errors
    ///
    /// As [`Arena::try_alloc`]; the vector is unchanged.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::builder().limit(0).build();
    /// let mut v = mem.vec();
    /// assert!(v.try_push(1u8).is_err());
    /// assert!(v.is_empty());
    /// ```
    pub fn try_push(&mut self, value: T) -> Result<(), AllocError> {
        if self.inner.len() == self.inner.capacity() {
            self.try_reserve(1)?;
        }
        self.inner.push(value);
        Ok(())
    }

    /// Makes room for at least `additional` more elements.
    ///
    /// # Panics
    ///
    /// If growing fails.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut v = mem.vec::<u32>();
    /// v.reserve(64);
    /// assert!(v.capacity() >= 64);
    /// ```
    #[track_caller]
    pub fn reserve(&mut self, additional: usize) {
        self.try_reserve(additional).or_panic()
    }

    /// Makes room for at least `additional` more elements, or says why it cannot.
    ///
    /// # Errors
    ///
    /// As [`Arena::try_alloc`]; the vector is unchanged.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// assert!(mem.vec::<u64>().try_reserve(usize::MAX).is_err());
    /// ```
    pub fn try_reserve(&mut self, additional: usize) -> Result<(), AllocError> {
        let arena = self.arena();
        if additional <= self.inner.capacity() - self.inner.len() {
            return Ok(());
        }
        let wanted = self
            .inner
            .len()
            .checked_add(additional)
            .ok_or_else(|| overflow_error(arena))?;
        // Amortized doubling, as `Vec` does, from a first capacity of `MIN_NON_ZERO_CAP`.
        let target = wanted
            .max(self.inner.capacity().saturating_mul(2))
            .max(Self::MIN_NON_ZERO_CAP);
        let len = self.inner.len();
        if self.inner.try_reserve_exact(target - len).is_ok() {
            return Ok(());
        }
        self.inner
            .try_reserve_exact(additional)
            .map_err(|_| self.reserve_error(additional))
    }

    /// Rebuilds the precise error for a failed reservation (the allocator trait only says
    /// "failed").
    #[cold]
    fn reserve_error(&self, additional: usize) -> AllocError {
        let arena = self.arena();
        match core::alloc::Layout::array::<T>(self.inner.len().saturating_add(additional)) {
            // Not counted: the probe is no buffer of the vector's.
            Ok(layout) => match arena.try_alloc_uncounted(layout) {
                Err(err) => err,
                Ok(_) => arena.alloc_error(AllocErrorKind::OutOfMemory, layout.size()),
            },
            Err(_) => overflow_error(arena),
        }
    }

    /// Removes and returns the last element.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut v = mem.vec();
    /// v.push('a');
    /// assert_eq!(v.pop(), Some('a'));
    /// assert_eq!(v.pop(), None);
    /// ```
    #[inline]
    pub fn pop(&mut self) -> Option<T> {
        self.inner.pop()
    }

    /// Inserts `value` at `index`, shifting the rest right.
    ///
    /// # Panics
    ///
    /// If `index > len`, or growing fails.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut v = mem.vec();
    /// v.extend([1, 3]);
    /// v.insert(1, 2);
    /// assert_eq!(v, [1, 2, 3]);
    /// ```
    #[track_caller]
    pub fn insert(&mut self, index: usize, value: T) {
        assert!(
            index <= self.len(),
            "insertion index (is {index}) should be <= len (is {})",
            self.len()
        );
        self.reserve(1);
        self.inner.insert(index, value);
    }

    /// Removes and returns the element at `index`, shifting the rest left.
    ///
    /// # Panics
    ///
    /// If `index >= len`.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut v = mem.vec();
    /// v.extend([1, 2, 3]);
    /// assert_eq!(v.remove(0), 1);
    /// assert_eq!(v, [2, 3]);
    /// ```
    pub fn remove(&mut self, index: usize) -> T {
        self.inner.remove(index)
    }

    /// Removes the element at `index` by moving the last one into its place.
    ///
    /// # Panics
    ///
    /// If `index >= len`.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut v = mem.vec();
    /// v.extend([1, 2, 3]);
    /// assert_eq!(v.swap_remove(0), 1);
    /// assert_eq!(v, [3, 2]);
    /// ```
    pub fn swap_remove(&mut self, index: usize) -> T {
        self.inner.swap_remove(index)
    }

    /// Keeps only the elements for which `keep` returns `true`, in order.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut v = mem.vec();
    /// v.extend(1..=6);
    /// v.retain(|x| x % 2 == 0);
    /// assert_eq!(v, [2, 4, 6]);
    /// ```
    pub fn retain(&mut self, keep: impl FnMut(&T) -> bool) {
        self.inner.retain(keep)
    }

    /// Shortens the vector to `len` elements (no effect if it is shorter).
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut v = mem.vec();
    /// v.extend([1, 2, 3]);
    /// v.truncate(1);
    /// assert_eq!(v, [1]);
    /// ```
    pub fn truncate(&mut self, len: usize) {
        self.inner.truncate(len)
    }

    /// Removes every element, keeping the buffer.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut v = mem.vec();
    /// v.push(1);
    /// v.clear();
    /// assert!(v.is_empty());
    /// ```
    pub fn clear(&mut self) {
        self.inner.clear()
    }

    /// The number of elements the buffer has room for.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// assert_eq!(mem.vec::<u8>().capacity(), 0);
    /// ```
    #[inline]
    pub fn capacity(&self) -> usize {
        self.inner.capacity()
    }

    /// The elements as a slice.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut v = mem.vec();
    /// v.push(1);
    /// assert_eq!(v.as_slice(), &[1]);
    /// ```
    #[inline]
    pub fn as_slice(&self) -> &[T] {
        self.inner.as_slice()
    }

    /// The elements as a mutable slice.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut v = mem.vec();
    /// v.push(1);
    /// v.as_mut_slice()[0] = 5;
    /// assert_eq!(v, [5]);
    /// ```
    #[inline]
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        self.inner.as_mut_slice()
    }
}

impl<'a, T: Copy> ArenaVec<'a, T> {
    /// Appends a copy of every element of `src` with one copy.
    ///
    /// # Panics
    ///
    /// If growing fails.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut v = mem.vec();
    /// v.extend_from_slice(&[1, 2]);
    /// assert_eq!(v, [1, 2]);
    /// ```
    #[inline]
    #[track_caller]
    pub fn extend_from_slice(&mut self, src: &[T]) {
        self.try_extend_from_slice(src).or_panic()
    }

    /// Like [`extend_from_slice`](ArenaVec::extend_from_slice), returning an error instead of
    /// panicking.
    ///
    /// # Errors
    ///
    /// As [`Arena::try_alloc`]; the vector is unchanged.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::builder().limit(0).build();
    /// assert!(mem.vec().try_extend_from_slice(&[1u8, 2]).is_err());
    /// ```
    #[inline]
    pub fn try_extend_from_slice(&mut self, src: &[T]) -> Result<(), AllocError> {
        if self.inner.capacity() - self.inner.len() < src.len() {
            return self.extend_from_slice_growing(src);
        }
        self.copy_into_spare(src);
        Ok(())
    }

    /// [`try_extend_from_slice`](ArenaVec::try_extend_from_slice) when the buffer must grow
    /// first: out of line, so the common case (room left) needs no registers saved.
    #[cold]
    #[inline(never)]
    fn extend_from_slice_growing(&mut self, src: &[T]) -> Result<(), AllocError> {
        self.try_reserve(src.len())?;
        self.copy_into_spare(src);
        Ok(())
    }

    /// Appends `src`, which the spare capacity holds (checked by the caller).
    #[inline(always)]
    fn copy_into_spare(&mut self, src: &[T]) {
        let len = self.inner.len();
        debug_assert!(self.inner.capacity() - len >= src.len());
        // SAFETY: the caller checked there is room for `src.len()` more elements after `len`;
        // `T: Copy`, so a bitwise copy from the disjoint `src` initializes them. The length is
        // set first (nothing can observe the vector before the copy, which cannot fail), so no
        // register has to live across the copy's call to `memcpy`.
        unsafe {
            let end = self.inner.as_mut_ptr().add(len);
            self.inner.set_len(len + src.len());
            core::ptr::copy_nonoverlapping(src.as_ptr(), end, src.len());
        }
    }
}
