//! `allocator_api2::alloc::Allocator` for `&Arena`, so allocator-api2 and hashbrown collections
//! can keep their buffers in an arena.
//!
//! The impl is for `&Arena`, not `Arena`: an allocator taken by value could be reset through
//! `&mut` while a collection still points into it. Borrowing keeps `reset` and `free` out of
//! reach for as long as any collection lives.

use core::alloc::Layout;
use core::ptr::NonNull;

use allocator_api2::alloc::{AllocError, Allocator};

use crate::arena::Arena;
use crate::asan;

// SAFETY: memory handed out stays valid and unmoved until the arena is reset, freed or dropped,
// which needs `&mut Arena` or `Arena` and so cannot happen while this `&Arena` (and any
// collection holding it) is alive. Copies of `&Arena` are the same allocator, so memory from one
// may be passed to another. `grow`/`shrink` keep the contents (bumpalo copies them, or moves the
// last allocation in place) and leave the old block untouched when they fail.
unsafe impl Allocator for &Arena {
    #[inline]
    fn allocate(&self, layout: Layout) -> Result<NonNull<[u8]>, AllocError> {
        let ptr = self.try_alloc_layout(layout)?;
        Ok(NonNull::slice_from_raw_parts(ptr, layout.size()))
    }

    #[inline]
    unsafe fn deallocate(&self, ptr: NonNull<u8>, layout: Layout) {
        if asan::ENABLED {
            // Under the sanitizer a freed block stays poisoned instead of being reclaimed.
            asan::poison(ptr.as_ptr(), layout.size());
            return;
        }
        // SAFETY: forwarded under the caller's guarantee that `ptr` was allocated by this arena
        // with `layout`; bumpalo only reclaims it when it is the newest allocation.
        unsafe { Allocator::deallocate(&self.bump(), ptr, layout) }
    }

    #[inline]
    unsafe fn grow(
        &self,
        ptr: NonNull<u8>,
        old_layout: Layout,
        new_layout: Layout,
    ) -> Result<NonNull<[u8]>, AllocError> {
        if asan::ENABLED {
            // bumpalo's in-place growth writes bytes that are poisoned: copy to a fresh block.
            let new = self.try_alloc_layout(new_layout)?;
            // SAFETY: `ptr` holds `old_layout.size()` initialized bytes (caller's guarantee) and
            // `new` is a fresh, disjoint block of at least that size.
            unsafe {
                core::ptr::copy_nonoverlapping(ptr.as_ptr(), new.as_ptr(), old_layout.size())
            };
            asan::poison(ptr.as_ptr(), old_layout.size());
            return Ok(NonNull::slice_from_raw_parts(new, new_layout.size()));
        }
        // SAFETY: forwarded under the caller's guarantees for `grow`. bumpalo is fenced (see
        // `Arena::grow_then`), so this never takes a new chunk; when it fails, the old block is
        // untouched and we retry once a chunk was reserved under the limits.
        match unsafe { Allocator::grow(&self.bump(), ptr, old_layout, new_layout) } {
            Ok(block) => Ok(block),
            Err(AllocError) => Ok(self.grow_then(new_layout, |bump| {
                // SAFETY: as above; `ptr` is still the caller's live block.
                unsafe { Allocator::grow(&bump, ptr, old_layout, new_layout).ok() }
            })?),
        }
    }

    #[inline]
    unsafe fn shrink(
        &self,
        ptr: NonNull<u8>,
        old_layout: Layout,
        new_layout: Layout,
    ) -> Result<NonNull<[u8]>, AllocError> {
        if asan::ENABLED && ptr.as_ptr() as usize % new_layout.align() == 0 {
            // Shrink in place and poison the tail, rather than letting bumpalo move bytes.
            // SAFETY: `new_layout.size() <= old_layout.size()` (caller's guarantee for `shrink`).
            let tail = unsafe { ptr.as_ptr().add(new_layout.size()) };
            asan::poison(tail, old_layout.size() - new_layout.size());
            return Ok(NonNull::slice_from_raw_parts(ptr, new_layout.size()));
        }
        // SAFETY: forwarded under the caller's guarantees for `shrink`; shrinking never needs a
        // new chunk.
        unsafe { Allocator::shrink(&self.bump(), ptr, old_layout, new_layout) }
    }
}
