//! `allocator_api2::alloc::Allocator` for `&Arena`, so allocator-api2 and hashbrown collections
//! can keep their buffers in an arena.
//!
//! The impl is for `&Arena`, not `Arena`: an allocator taken by value could be reset through
//! `&mut` while a collection still points into it. Borrowing keeps `reset` and `free` out of
//! reach for as long as any collection lives.
//!
//! In [`Stats::allocations`](crate::Stats::allocations), each `allocate` counts and `grow` and
//! `shrink` do not, so a collection that grows by allocating a new buffer instead of calling
//! `grow` (hashbrown's tables) counts every buffer it takes.

use core::alloc::Layout;
use core::ptr::NonNull;

use allocator_api2::alloc::{AllocError, Allocator};

use crate::arena::Arena;
use crate::asan;

// SAFETY: memory handed out stays valid and unmoved until the arena is reset, freed or dropped,
// which needs `&mut Arena` or `Arena` and so cannot happen while this `&Arena` (and any
// collection holding it) is alive. Copies of `&Arena` are the same allocator, so memory from one
// may be passed to another. `grow`/`shrink` keep the contents (in place when the memory is the
// newest allocation in the arena's block, else by copying it into a new allocation, which never
// overlaps it) and leave the old memory untouched when they fail.
unsafe impl Allocator for &Arena {
    #[inline]
    fn allocate(&self, layout: Layout) -> Result<NonNull<[u8]>, AllocError> {
        let ptr = self.try_alloc_counted(layout)?;
        Ok(NonNull::slice_from_raw_parts(ptr, layout.size()))
    }

    #[inline]
    unsafe fn deallocate(&self, ptr: NonNull<u8>, layout: Layout) {
        if asan::ENABLED {
            // Under the sanitizer a freed allocation stays poisoned instead of being reclaimed.
            asan::poison(ptr.as_ptr(), layout.size());
            return;
        }
        // The newest allocation is reclaimed; any other stays until the arena is reset.
        let _ = self.resize_newest(ptr, layout.size(), 0);
    }

    #[inline]
    unsafe fn grow(
        &self,
        ptr: NonNull<u8>,
        old_layout: Layout,
        new_layout: Layout,
    ) -> Result<NonNull<[u8]>, AllocError> {
        // In place when `ptr` is the newest allocation and the block has room: the cursor moves
        // up, nothing is copied. Under the sanitizer always copy, so that the old bytes can stay
        // poisoned.
        if !asan::ENABLED && ptr.as_ptr() as usize % new_layout.align() == 0 {
            if let Some(grown) = self.resize_newest(ptr, old_layout.size(), new_layout.size()) {
                return Ok(NonNull::slice_from_raw_parts(grown, new_layout.size()));
            }
        }
        let new = self.try_alloc_uncounted(new_layout)?;
        // SAFETY: `ptr` holds `old_layout.size()` initialized bytes (caller's guarantee) and
        // `new` is a fresh allocation of at least that size, disjoint from the live one at `ptr`.
        unsafe { core::ptr::copy_nonoverlapping(ptr.as_ptr(), new.as_ptr(), old_layout.size()) };
        asan::poison(ptr.as_ptr(), old_layout.size());
        Ok(NonNull::slice_from_raw_parts(new, new_layout.size()))
    }

    #[inline]
    unsafe fn shrink(
        &self,
        ptr: NonNull<u8>,
        old_layout: Layout,
        new_layout: Layout,
    ) -> Result<NonNull<[u8]>, AllocError> {
        if ptr.as_ptr() as usize % new_layout.align() == 0 {
            // In place: the newest allocation gives its tail back to the block; any other keeps
            // it until the arena is reset.
            if asan::ENABLED {
                // SAFETY: `new_layout.size() <= old_layout.size()` (caller's guarantee for
                // `shrink`), so the tail lies inside the old allocation.
                let tail = unsafe { ptr.as_ptr().add(new_layout.size()) };
                asan::poison(tail, old_layout.size() - new_layout.size());
            } else if let Some(shrunk) =
                self.resize_newest(ptr, old_layout.size(), new_layout.size())
            {
                return Ok(NonNull::slice_from_raw_parts(shrunk, new_layout.size()));
            }
            return Ok(NonNull::slice_from_raw_parts(ptr, new_layout.size()));
        }
        // A stricter alignment than `ptr` has: move to a new allocation.
        let new = self.try_alloc_uncounted(new_layout)?;
        // SAFETY: `ptr` holds at least `new_layout.size()` initialized bytes (the caller's
        // guarantee: they are its first bytes), and `new` is a fresh, disjoint allocation that size.
        unsafe { core::ptr::copy_nonoverlapping(ptr.as_ptr(), new.as_ptr(), new_layout.size()) };
        asan::poison(ptr.as_ptr(), old_layout.size());
        Ok(NonNull::slice_from_raw_parts(new, new_layout.size()))
    }
}
