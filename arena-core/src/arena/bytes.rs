//! The byte path of the block engine: strings and byte slices packed without rounding.
//!
//! The cursor keeps [`BLOCK_ALIGN`], so that a value aligned to at most 8 bytes needs no
//! alignment arithmetic, and every allocation of the block engine is rounded up to it. Byte data
//! (`alloc_str`, `alloc_slice_copy::<u8>`) needs no alignment at all: this room lets the next
//! byte allocation start where the previous one ended, in the rounding that follows it, instead
//! of at the cursor. Consecutive strings (a JSON object's key and its string value) are then as
//! tight as in an arena that does not round, while the aligned path stays a compare and an add.
//!
//! The record is `byte_tail`, the end of the newest byte allocation. Its invariant, which the
//! SAFETY comments below rely on and [`Arena::debug_check_block`] checks what it can of:
//!
//! * when `cursor - byte_tail` (wrapping) is less than [`BLOCK_ALIGN`], `byte_tail` lies in the
//!   block and `[byte_tail, cursor)` has not been handed out;
//! * any other value means there are no such free bytes (the aligned path moves the cursor at
//!   least [`BLOCK_ALIGN`] past the tail, which makes the record stale without writing it).
//!
//! So every move of the cursor to a point that is not above the tail's allocation (a rewind,
//! the end of a scope, a reset, a new or spare block) sets `byte_tail` to the new cursor
//! ([`Arena::forget_byte_tail`]): no free bytes below it. Giving back the tail of the newest
//! allocation needs nothing: that allocation started at or after the rounded tail, so the
//! cursor never goes below it.
//!
//! Under the `asan` feature nothing is packed (every byte allocation starts at the cursor, as
//! any other), so that what a scope allocated lies wholly above its start and is poisoned at
//! its end.

use core::alloc::Layout;
use core::ptr::NonNull;

use super::sizes::BLOCK_ALIGN;
use super::Arena;
use crate::asan;
use crate::error::{AllocError, AllocErrorKind, OrPanic};

impl Arena {
    /// Allocates `len` bytes with no alignment, counted as [`try_alloc_counted`] counts: right
    /// after the newest byte allocation when the bytes up to the cursor are free, else at the
    /// cursor.
    ///
    /// [`try_alloc_counted`]: Arena::try_alloc_counted
    #[inline(always)]
    pub(crate) fn try_alloc_bytes(&self, len: usize) -> Result<NonNull<u8>, AllocError> {
        let ptr = match self.bump_bytes_in_block(len) {
            Some(ptr) => ptr,
            None => self.alloc_bytes_slow(len)?,
        };
        self.count_allocation();
        asan::unpoison(ptr.as_ptr(), len);
        Ok(ptr)
    }

    /// [`try_alloc_bytes`](Arena::try_alloc_bytes), panicking at the caller's line when the
    /// arena cannot provide the bytes. The error is built out of line, so the fast path of the
    /// caller holds no error value (and stays small enough to be inlined).
    #[inline(always)]
    #[track_caller]
    pub(crate) fn alloc_bytes(&self, len: usize) -> NonNull<u8> {
        let ptr = match self.bump_bytes_in_block(len) {
            Some(ptr) => ptr,
            None => self.alloc_bytes_slow_or_panic(len),
        };
        self.count_allocation();
        asan::unpoison(ptr.as_ptr(), len);
        ptr
    }

    #[inline(always)]
    fn count_allocation(&self) {
        if self.counts_allocations {
            self.allocations.set(self.allocations.get() + 1);
        }
    }

    /// Takes `len` bytes from the free part of the block, from the tail of the newest byte
    /// allocation when the bytes from there to the cursor are free, or returns `None` when they
    /// do not fit. The cursor moves to the end rounded up to [`BLOCK_ALIGN`], the tail to the end.
    #[inline(always)]
    fn bump_bytes_in_block(&self, len: usize) -> Option<NonNull<u8>> {
        self.debug_check_block();
        let cursor = self.cursor.get();
        let tail = self.byte_tail.get();
        let below = (cursor.as_ptr() as usize).wrapping_sub(tail.as_ptr() as usize);
        // Under the sanitizer every byte allocation starts at the cursor, so that the end of a
        // scope poisons all of what the scope allocated (the bytes below the scope's start are
        // not poisoned by it).
        let from = if !asan::ENABLED && below < BLOCK_ALIGN {
            tail
        } else {
            cursor
        };
        let at = from.as_ptr() as usize;
        // `from` is at most the cursor, which is at most the block's end.
        if len > self.block_end.get() - at {
            return None;
        }
        // SAFETY: `from` is the cursor or, by the tail's invariant, a point of the block below it
        // whose bytes up to the cursor are free; both are derived from the block. `len` bytes
        // fit between `from` and the block's end, which is `BLOCK_ALIGN`-aligned (a block is a
        // multiple of 8 bytes from an 8-aligned start), so the end rounded up to it is still in
        // the block, and at least the cursor. The new tail is the end: the bytes from it to the
        // new cursor are free. Neither pointer is null.
        unsafe {
            let end = from.as_ptr().add(len);
            let rounding = (end as usize).wrapping_neg() & (BLOCK_ALIGN - 1);
            self.cursor.set(NonNull::new_unchecked(end.add(rounding)));
            self.byte_tail.set(NonNull::new_unchecked(end));
        }
        Some(from)
    }

    /// The block cannot hold `len` bytes: takes them from the block engine's slow path, which
    /// makes a spare block or a new chunk the block and hands them out at its cursor, and
    /// records their end as the tail.
    #[cold]
    #[inline(never)]
    fn alloc_bytes_slow(&self, len: usize) -> Result<NonNull<u8>, AllocError> {
        // A byte slice is at most `isize::MAX` bytes, so this layout always exists.
        let Ok(layout) = Layout::from_size_align(len, 1) else {
            return Err(self.alloc_error(AllocErrorKind::CapacityOverflow, len));
        };
        // Not counted here: the caller counts the allocation once.
        let ptr = self.try_alloc_uncounted(layout)?;
        // `len` is not 0 (0 bytes always fit the block), so the allocation came from the block,
        // at the cursor, and it ends `len` bytes after `ptr`, below the new cursor.
        debug_assert!(len > 0);
        // SAFETY: the allocation `[ptr, ptr + len)` is in the block (derived from it) and the
        // block engine bumped the cursor to its end rounded up to `BLOCK_ALIGN`: the bytes
        // between its end and the cursor are free, which is the tail's invariant.
        self.byte_tail
            .set(unsafe { NonNull::new_unchecked(ptr.as_ptr().add(len)) });
        Ok(ptr)
    }

    /// [`alloc_bytes_slow`](Arena::alloc_bytes_slow), panicking at the caller's line.
    #[cold]
    #[inline(never)]
    #[track_caller]
    fn alloc_bytes_slow_or_panic(&self, len: usize) -> NonNull<u8> {
        self.alloc_bytes_slow(len).or_panic()
    }

    /// Records that no bytes below the cursor are free: for every move of the cursor that is
    /// not a bump (a rewind, a reset, another block).
    #[inline(always)]
    pub(super) fn forget_byte_tail(&self) {
        self.byte_tail.set(self.cursor.get());
    }

    /// Checks, in debug builds, what can be checked of the tail's invariant: a tail that claims
    /// free bytes below the cursor lies in the block.
    #[inline(always)]
    pub(super) fn debug_check_byte_tail(&self) {
        let cursor = self.cursor.get().as_ptr() as usize;
        let tail = self.byte_tail.get().as_ptr() as usize;
        if cursor.wrapping_sub(tail) < BLOCK_ALIGN {
            debug_assert!(
                tail >= self.block_start.get().as_ptr() as usize,
                "the byte tail {tail:#x} is below the block's start"
            );
        }
    }
}
