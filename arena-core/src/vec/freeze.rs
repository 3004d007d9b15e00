//! Shrinking and freezing an [`ArenaVec`]: [`shrink_to_fit`](ArenaVec::shrink_to_fit),
//! [`into_bump_slice`](ArenaVec::into_bump_slice) and
//! [`into_bump_slice_mut`](ArenaVec::into_bump_slice_mut), which give the unused capacity back to
//! the arena when the buffer is its newest allocation.
//!
//! Relies on the vector's allocator-api2 buffer (taken apart into its raw parts) and on the block
//! engine's `give_back_tail`, which moves the arena's cursor back over a newest allocation's tail.

use core::mem::ManuallyDrop;
use core::ptr::NonNull;

use allocator_api2::vec::Vec as ApiVec;

use super::ArenaVec;

impl<'a, T> ArenaVec<'a, T> {
    /// Gives the unused capacity back to the arena when the buffer is the arena's newest
    /// allocation (a move of the arena's cursor, nothing is copied); otherwise keeps it, since
    /// an arena cannot reuse memory below its newest allocation before a reset.
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut v = mem.vec_with_capacity::<u64>(100);
    /// v.extend([1, 2, 3]);
    /// v.shrink_to_fit();
    /// assert_eq!(v.capacity(), 3);
    /// assert_eq!(mem.stats().used_bytes, 3 * 8);
    /// ```
    pub fn shrink_to_fit(&mut self) {
        self.give_back_spare();
    }

    /// The work of [`shrink_to_fit`](ArenaVec::shrink_to_fit): a cursor move when the buffer is
    /// the newest allocation, nothing otherwise.
    #[inline]
    fn give_back_spare(&mut self) {
        let size = core::mem::size_of::<T>();
        let (len, capacity) = (self.inner.len(), self.inner.capacity());
        if size == 0 || len == capacity {
            return;
        }
        let arena = self.arena();
        let ptr = self.inner.as_mut_ptr();
        // SAFETY: `capacity > len >= 0`, so the buffer is allocated: not null.
        let start = unsafe { NonNull::new_unchecked(ptr.cast::<u8>()) };
        // `capacity * size` is the size of the live buffer, so neither product overflows.
        if !arena.give_back_tail(start, capacity * size, len * size) {
            return;
        }
        let shrunk = if len == 0 {
            ApiVec::new_in(arena)
        } else {
            // SAFETY: the buffer now ends `len` elements after `ptr` for the arena (its tail was
            // given back, so the arena treats it as an allocation of `len * size` bytes, which is
            // what `Layout::array::<T>(len)` describes), and holds the same `len` initialized
            // elements. The old value is `ManuallyDrop`, so replacing it frees nothing.
            unsafe { ApiVec::from_raw_parts_in(ptr, len, len, arena) }
        };
        self.inner = ManuallyDrop::new(shrunk);
    }

    /// Gives up the ability to grow and returns the elements as a slice that lives as long as
    /// the arena. The unused capacity goes back to the arena when the buffer is its newest
    /// allocation (see [`shrink_to_fit`](ArenaVec::shrink_to_fit)), so a vector built and
    /// frozen before anything else is allocated takes exactly the bytes of its elements.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut v = mem.vec();
    /// v.extend(["a", "b"]);
    /// let words: &[&str] = v.into_bump_slice();
    /// assert_eq!(words, ["a", "b"]);
    /// ```
    pub fn into_bump_slice(self) -> &'a [T] {
        self.into_bump_slice_mut()
    }

    /// Like [`into_bump_slice`](ArenaVec::into_bump_slice), mutable.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut v = mem.vec();
    /// v.push(1);
    /// let xs = v.into_bump_slice_mut();
    /// xs[0] = 2;
    /// assert_eq!(xs, [2]);
    /// ```
    pub fn into_bump_slice_mut(self) -> &'a mut [T] {
        let mut inner = ManuallyDrop::into_inner(self.inner);
        let (len, capacity) = (inner.len(), inner.capacity());
        let ptr = inner.as_mut_ptr();
        let arena = *inner.allocator();
        core::mem::forget(inner);
        let size = core::mem::size_of::<T>();
        if size != 0 && len != capacity {
            // SAFETY: `capacity > len`, so the buffer is allocated: not null.
            let start = unsafe { NonNull::new_unchecked(ptr.cast::<u8>()) };
            // The slice keeps the first `len * size` bytes; the spare capacity is nobody's now.
            // (`capacity * size` is the live buffer's size, so neither product overflows.)
            arena.give_back_tail(start, capacity * size, len * size);
        }
        // SAFETY: the buffer holds `len` initialized elements and lives in the arena borrowed for
        // `'a`; the vector was forgotten, so nothing else owns or frees it (an arena never frees
        // individual buffers that are not its newest allocation, and this one is now in use).
        unsafe { core::slice::from_raw_parts_mut(ptr, len) }
    }

    /// [`into_bump_slice_mut`](ArenaVec::into_bump_slice_mut) keeping the spare capacity taken:
    /// for `alloc_fmt`, whose short strings are not worth the give-back's instructions.
    #[inline]
    pub(crate) fn into_bump_slice_mut_untrimmed(self) -> &'a mut [T] {
        let mut inner = ManuallyDrop::into_inner(self.inner);
        let len = inner.len();
        let ptr = inner.as_mut_ptr();
        core::mem::forget(inner);
        // SAFETY: as in `into_bump_slice_mut`, with the whole buffer still taken.
        unsafe { core::slice::from_raw_parts_mut(ptr, len) }
    }
}
