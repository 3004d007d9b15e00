//! The block engine: the cursor that bumps upward through the block, the slow path that takes a
//! new block, and the resizing of the newest allocation in place.
//!
//! Every allocation of the arena, counted or not, goes through [`Arena::try_alloc_counted`] or
//! [`Arena::try_alloc_uncounted`] here, or through the byte path of the `bytes` room for
//! unaligned byte data; the public allocation API, the containers and the
//! `Allocator` impl all call these `pub(crate)` functions. Relies on the size arithmetic and, when
//! the block is full, on the chunks room for a new chunk under the limits.

use core::alloc::Layout;
use core::ptr::{self, NonNull};

use super::sizes::{block_bytes, padding_at, probe_bytes, BLOCK_ALIGN};
use super::Arena;
use crate::asan;
use crate::error::{AllocError, AllocErrorKind};

/// The cursor and start of an arena with no block: a dangling address aligned to
/// [`BLOCK_ALIGN`], with no room after it.
#[inline(always)]
pub(super) fn no_block() -> NonNull<u8> {
    NonNull::<u64>::dangling().cast()
}

/// The highest block end the allocation fast path bumps up to: below it, the cursor plus any
/// layout's size and padding (at most `isize::MAX + 7`) stays below `usize::MAX`.
const FAST_END_MAX: usize = isize::MAX as usize - 7;

/// The fast end of a block ending at `end`: `end`, or 0 (nothing fits) in an arena that counts
/// or for a block past [`FAST_END_MAX`].
#[inline(always)]
fn fast_end_for(end: usize, counts: bool) -> usize {
    if counts || end > FAST_END_MAX {
        0
    } else {
        end
    }
}

impl Arena {
    /// An error of this arena (labelled with its label).
    #[cold]
    pub(crate) fn alloc_error(&self, kind: AllocErrorKind, requested: usize) -> AllocError {
        AllocError::new(kind, requested)
            .with_label(self.label.as_ref())
            .with_limit_set_by(self.limit_set_by)
    }

    /// Allocates `layout` from the block, counting it in [`Stats::allocations`] when the arena
    /// counts: the allocation every public method, container and the `Allocator` impl make.
    ///
    /// [`Stats::allocations`]: crate::Stats::allocations
    #[inline(always)]
    pub(crate) fn try_alloc_counted(&self, layout: Layout) -> Result<NonNull<u8>, AllocError> {
        self.try_alloc_as::<true>(layout)
    }

    /// [`try_alloc_counted`](Arena::try_alloc_counted) without counting: for a container's buffer
    /// that moves as it grows, which is not a new allocation (see [`Stats::allocations`]).
    #[inline(always)]
    pub(crate) fn try_alloc_uncounted(&self, layout: Layout) -> Result<NonNull<u8>, AllocError> {
        self.try_alloc_as::<false>(layout)
    }

    /// The allocation, counted or not. The fast path has no counting in it: an arena that
    /// counts has no room in its fast end (see [`Arena::set_block_end`]), so each of its
    /// allocations takes the slow path, which counts.
    #[inline(always)]
    fn try_alloc_as<const COUNTED: bool>(&self, layout: Layout) -> Result<NonNull<u8>, AllocError> {
        if layout.size() == 0 {
            // A zero-size value needs an aligned address and no memory: no block, no chunk, no
            // limit. (For a typed allocation this test is decided at compile time.)
            if COUNTED && self.counts_allocations {
                self.allocations.set(self.allocations.get() + 1);
            }
            let aligned = ptr::null_mut::<u8>().wrapping_add(layout.align());
            // SAFETY: an alignment is a power of two, so the address is not zero.
            return Ok(unsafe { NonNull::new_unchecked(aligned) });
        }
        let ptr = match self.bump_below::<true>(self.fast_end.get(), layout) {
            Some(ptr) => ptr,
            None => self.alloc_layout_slow(layout, COUNTED)?,
        };
        asan::unpoison(ptr.as_ptr(), layout.size());
        Ok(ptr)
    }

    /// Takes `layout` from the free part of the block, upward, or returns `None` when it does not
    /// fit.
    #[inline(always)]
    fn bump_in_block(&self, layout: Layout) -> Option<NonNull<u8>> {
        self.bump_below::<false>(self.block_end.get(), layout)
    }

    /// Takes `layout` from the free part of the block, upward, if it ends at `end` at the latest;
    /// else returns `None`. `end` is the block's end, or with `FAST` the fast end (see
    /// [`Arena::set_block_end`]). The cursor stays [`BLOCK_ALIGN`]-aligned, so for the common
    /// alignments this is an add, a compare and a store of the cursor, with no alignment
    /// arithmetic.
    #[inline(always)]
    fn bump_below<const FAST: bool>(&self, end: usize, layout: Layout) -> Option<NonNull<u8>> {
        self.debug_check_block();
        let cursor = self.cursor.get();
        let at = cursor.as_ptr() as usize;
        let padding = padding_at(at, layout.align());
        let taken = block_bytes(layout.size());
        // A layout's size plus its alignment's padding is at most `isize::MAX`, so `padding +
        // taken <= isize::MAX + 7` does not overflow.
        let needed = padding + taken;
        let fits = if FAST {
            // The fast end is 0, or a block's end at most `FAST_END_MAX` with the cursor at or
            // below it: then `at + needed < 2^usize::BITS - 1` does not wrap and is at least 8,
            // and `new - 1 < end` is `new <= end`. With 0 nothing fits, wrapped or not.
            let new = at.wrapping_add(needed);
            new.wrapping_sub(1) < end
        } else {
            // Past the end of the address space is past the block's end too.
            at.checked_add(needed).is_some_and(|new| new <= end)
        };
        if !fits {
            return None;
        }
        // SAFETY: `end` is at most the block's end (the fast end is the block's end or 0), so
        // the `padding + taken` bytes from the cursor lie inside the block, which is one
        // allocation (with no block nothing fits and this is not reached), so both pointers stay
        // inside it; neither is null.
        unsafe {
            let start = cursor.as_ptr().add(padding);
            self.cursor.set(NonNull::new_unchecked(start.add(taken)));
            Some(NonNull::new_unchecked(start))
        }
    }

    /// Sets the end of the block, and the fast end with it: the same, or 0 in an arena that
    /// counts its allocations, which sends all of them to the slow path, where they are counted.
    /// Also 0 for a block that ends above [`FAST_END_MAX`] (none does on a 64-bit target, where
    /// addresses stay far below it), so the fast path's sum never wraps.
    #[inline(always)]
    pub(super) fn set_block_end(&self, end: usize) {
        self.block_end.set(end);
        self.fast_end
            .set(fast_end_for(end, self.counts_allocations));
    }

    /// The block cannot hold `layout`: takes bumpalo's current chunk as the new block when it is
    /// free, or else a new chunk reserved under the limits, and takes `layout` from it.
    ///
    /// In an arena that counts, every allocation comes here: it is counted (when `counted`) and
    /// taken from the block when it fits.
    #[cold]
    #[inline(never)]
    fn alloc_layout_slow(&self, layout: Layout, counted: bool) -> Result<NonNull<u8>, AllocError> {
        let ptr = self.alloc_beyond_fast_end(layout)?;
        if counted && self.counts_allocations {
            self.allocations.set(self.allocations.get() + 1);
        }
        Ok(ptr)
    }

    /// [`alloc_layout_slow`](Arena::alloc_layout_slow) without the count.
    fn alloc_beyond_fast_end(&self, layout: Layout) -> Result<NonNull<u8>, AllocError> {
        if let Some(ptr) = self.bump_in_block(layout) {
            // Room in the block: only the fast end (0 in an arena that counts) sent it here.
            return Ok(ptr);
        }
        // A block a rewind went back past, free again: before any new chunk.
        if self.take_spare_as_block(layout) {
            if let Some(ptr) = self.bump_in_block(layout) {
                return Ok(ptr);
            }
        }
        if self.take_free_chunk_as_block() {
            if let Some(ptr) = self.bump_in_block(layout) {
                return Ok(ptr);
            }
        }
        // Room for the value wherever its alignment puts it in the new block. A size past
        // `isize::MAX` cannot be had from any allocator: asking for the most a layout can hold
        // fails the same way (limit or out of memory).
        let probe_size = probe_bytes(layout.size(), layout.align());
        let Ok(probe) = Layout::from_size_align(probe_size, BLOCK_ALIGN) else {
            return Err(self.alloc_error(AllocErrorKind::CapacityOverflow, layout.size()));
        };
        self.add_chunk(probe, layout.size())?;
        let taken = self.take_free_chunk_as_block();
        debug_assert!(taken, "a new chunk is free");
        match self.bump_in_block(layout) {
            Some(ptr) => Ok(ptr),
            // Only a probe cut down to `LARGEST_BLOCK_REQUEST` can be too small, and no allocator grants that.
            None => Err(self.alloc_error(AllocErrorKind::OutOfMemory, layout.size())),
        }
    }

    /// Makes bumpalo's current chunk the block when bumpalo has not handed any of it out (a new
    /// chunk, or one rewound by bumpalo's `reset`): one allocation of all its free bytes. Returns
    /// whether it did. The old block's free tail, if any, is given up until the next reset.
    fn take_free_chunk_as_block(&self) -> bool {
        let free = self.bump.chunk_capacity();
        if free == 0 {
            return false;
        }
        // bumpalo's pointer and its chunks' starts are aligned to its minimum alignment, 8, so
        // `free` is a multiple of it.
        let Ok(whole) = Layout::from_size_align(free, BLOCK_ALIGN) else {
            return false;
        };
        // The whole free part fits the current chunk exactly: bumpalo's fast path, no new chunk.
        let Ok(start) = self.bump.try_alloc_layout(whole) else {
            return false;
        };
        // The old block's free tail (0 with no block) stays unused until the next reset.
        let tail = self.block_end.get() - self.cursor.get().as_ptr() as usize;
        self.stranded_bytes.set(self.stranded_bytes.get() + tail);
        self.set_block_start(start);
        self.cursor.set(start);
        self.set_block_end(start.as_ptr() as usize + free);
        self.forget_byte_tail();
        true
    }

    /// Forgets the block (its chunk is being reset or freed by bumpalo, and the older chunks
    /// with it: nothing is stranded any more).
    #[inline]
    pub(super) fn drop_block(&self) {
        self.stranded_bytes.set(0);
        self.cursor.set(no_block());
        self.set_block_start(no_block());
        self.set_block_end(no_block().as_ptr() as usize);
        self.forget_byte_tail();
        self.forget_spare();
        self.forget_checkpoints();
    }

    /// Whether `[ptr, ptr + size)` is the newest allocation of the block: it ends at the cursor.
    #[inline]
    fn is_newest(&self, ptr: NonNull<u8>, size: usize) -> bool {
        let at = ptr.as_ptr() as usize;
        at >= self.block_start.get().as_ptr() as usize
            && at.wrapping_add(block_bytes(size)) == self.cursor.get().as_ptr() as usize
    }

    /// Resizes the newest allocation of the block, `[ptr, ptr + old)`, to `new` bytes where it
    /// is, by moving the cursor, and returns its start (the same address as `ptr`, derived from
    /// the block). Returns `None`, changing nothing, when `ptr` is not the newest allocation or
    /// the block has no room to grow it. `new == 0` gives it back.
    pub(crate) fn resize_newest(
        &self,
        ptr: NonNull<u8>,
        old: usize,
        new: usize,
    ) -> Option<NonNull<u8>> {
        self.debug_check_block();
        if !self.is_newest(ptr, old) {
            return None;
        }
        let (old, new) = (block_bytes(old), block_bytes(new));
        let cursor = self.cursor.get().as_ptr();
        // SAFETY: the allocation starts at or after the block's start (`is_newest`) and ends at
        // the cursor, so its start is `old` bytes below the cursor, inside the block.
        let start = unsafe { cursor.sub(old) };
        if new > old && new - old > self.block_end.get() - cursor as usize {
            return None;
        }
        // SAFETY: `start + new` is at most the block's end (checked just above when growing; at
        // most the cursor when shrinking), and the block is not at address 0.
        unsafe {
            self.cursor.set(NonNull::new_unchecked(start.add(new)));
            Some(NonNull::new_unchecked(start))
        }
    }

    /// Checks, in debug builds, the invariants the engine's SAFETY comments rely on: the block
    /// is `block_start <= cursor <= block_end`, the cursor keeps [`BLOCK_ALIGN`], a block
    /// is all of bumpalo's current chunk (bumpalo has no free bytes of its own while there is
    /// a block), so what the block hands out is inside one allocation of bumpalo's, and the
    /// byte path's tail is in the block when it claims free bytes (see the `bytes` room).
    #[inline(always)]
    pub(super) fn debug_check_block(&self) {
        let start = self.block_start.get().as_ptr() as usize;
        let cursor = self.cursor.get().as_ptr() as usize;
        let end = self.block_end.get();
        debug_assert!(
            start <= cursor && cursor <= end,
            "the cursor {cursor:#x} is outside the block [{start:#x}, {end:#x})"
        );
        debug_assert_eq!(cursor % BLOCK_ALIGN, 0, "the cursor lost its alignment");
        debug_assert_eq!(
            self.fast_end.get(),
            fast_end_for(end, self.counts_allocations),
            "the fast end is not the block's end (or 0)"
        );
        debug_assert!(
            start == end || self.bump.chunk_capacity() == 0,
            "the block is not all of bumpalo's current chunk"
        );
        self.debug_check_byte_tail();
    }

    /// Gives the tail of the newest allocation, `[ptr + new, ptr + old)`, back to the block by
    /// moving the cursor down, so the next allocation starts right after the first `new` bytes.
    /// Returns whether it did (only the newest allocation can give memory back; any other keeps
    /// its tail until the arena is reset). Under the `asan` feature the tail is poisoned like
    /// the rest of the block's free part.
    ///
    /// This is how a container that is frozen or shrunk returns its spare capacity: a cursor
    /// move, with no allocator call.
    #[inline(always)]
    pub(crate) fn give_back_tail(&self, ptr: NonNull<u8>, old: usize, new: usize) -> bool {
        debug_assert!(new <= old, "a tail longer than the allocation");
        let at = ptr.as_ptr() as usize;
        let cursor = self.cursor.get().as_ptr();
        let (old, kept) = (block_bytes(old), block_bytes(new));
        if at.wrapping_add(old) != cursor as usize || at < self.block_start.get().as_ptr() as usize
        {
            return false;
        }
        // SAFETY: the allocation `[at, at + old)` starts in the block and ends at the cursor, and
        // `kept <= old`, so the new cursor `at + kept` lies between the allocation's start and
        // the old cursor, inside the block (derived from the cursor, so from the block); it is
        // not null.
        unsafe {
            let moved = cursor.sub(old - kept);
            self.cursor.set(NonNull::new_unchecked(moved));
            asan::poison(moved, old - kept);
        }
        true
    }

    /// Bytes the block has handed out: from its start to the cursor (0 with no block).
    #[inline(always)]
    pub(super) fn block_used(&self) -> usize {
        self.cursor.get().as_ptr() as usize - self.block_start.get().as_ptr() as usize
    }

    /// Moves the cursor of the arena's one chunk back to its start (what was handed out is
    /// poisoned under the `asan` feature). The caller knows there is no other chunk and no
    /// pending destructor. That chunk is the block, or, with no block, the spare (free, and kept
    /// as it is) or untouched since bumpalo made or reset it: only the block allocates from
    /// bumpalo. bumpalo's own pointer stays where it is, with the whole chunk handed out to the
    /// block. The checkpoints' records are taken back with the rest.
    #[inline(always)]
    pub(super) fn rewind_only_chunk(&mut self) {
        self.debug_check_block();
        let start = self.block_start.get();
        asan::poison(start.as_ptr(), self.block_used());
        self.cursor.set(start);
        self.forget_byte_tail();
        self.forget_checkpoints();
    }

    /// Allocates uninitialized space for `len` values of `T`.
    #[inline]
    pub(crate) fn try_alloc_array<T>(&self, len: usize) -> Result<NonNull<T>, AllocError> {
        match Layout::array::<T>(len) {
            Ok(layout) => Ok(self.try_alloc_counted(layout)?.cast::<T>()),
            Err(_) => Err(self.alloc_error(AllocErrorKind::CapacityOverflow, usize::MAX)),
        }
    }
}
