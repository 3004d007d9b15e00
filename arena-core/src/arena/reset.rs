//! Reset, free and drop: running the pending destructors, rewinding the one chunk or merging
//! several into one, resizing the kept chunk, keeping a pooled round's chunks in place, and
//! giving all memory back.
//!
//! Relies on the block engine to rewind the cursor, on the chunks room for fresh chunks and
//! poisoning, and on the drop list for the destructors.

use core::ptr::NonNull;

use super::checkpoint::SPARE_HEADER_BYTES;
use super::sizes::{chunk_bound, kept_chunk_too_big, NOT_STEADY};
use super::Arena;
use crate::budget;
use crate::drop_list::DropsRun;
use crate::trace::TraceLine;

/// The least a pooled arena's round must keep for [`Arena::reset_for_reuse`] to keep its
/// chunks in place rather than merge them: 64 KiB.
const KEEP_IN_PLACE_FROM: usize = 64 << 10;

impl Arena {
    /// Drops every pending value and makes all memory available again, keeping it for reuse.
    ///
    /// One chunk is rewound in place. Several chunks are merged into one at least as large as
    /// all of them together (bumpalo rounds chunk sizes up, so it may be a little larger), so
    /// the next fill of the same size needs no new chunk. If a limit leaves no room for the
    /// merged chunk, the arena keeps its newest, largest chunk instead.
    ///
    /// Takes `&mut self`, so no reference into the arena can be alive.
    ///
    /// # Panics
    ///
    /// If a destructor panics, the other destructors still run and the memory is still reset;
    /// then the first panic is resumed. The arena is usable afterwards.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mut mem = Arena::new();
    /// for round in 0..3 {
    ///     for i in 0..1000u64 {
    ///         mem.alloc(i);
    ///     }
    ///     if round > 0 {
    ///         assert_eq!(mem.stats().chunks, 1); // the memory of round 0 was kept
    ///     }
    ///     mem.reset();
    /// }
    /// ```
    #[inline]
    #[doc(alias = "clear")]
    pub fn reset(&mut self) {
        if self.general_reset.get() == 0 {
            // At most one chunk and nothing to drop: rewind it in place. (A chunk is kept whole,
            // so this is what the general path would do, without its bookkeeping.)
            debug_assert!(
                self.drops.pending() == 0 && self.reserved_bytes() == self.newest_chunk_bytes.get(),
                "a one-chunk reset with destructors or several chunks"
            );
            self.rewind_only_chunk();
            self.clear_counters();
        } else {
            self.reset_general();
        }
    }

    /// [`reset`](Arena::reset) with destructors to run or chunks to merge.
    #[cold]
    #[inline(never)]
    fn reset_general(&mut self) {
        let keep = self.reserved_bytes();
        let run = self.reset_keeping(keep);
        if let Some(payload) = run.first_panic {
            payload.resume();
        }
    }

    /// Runs the pending destructors and resets the memory, keeping one chunk of at least
    /// `keep_bytes` (none for 0). Hands back what the destructors did instead of resuming a
    /// panic, so callers decide (a scope that is already unwinding must not panic again).
    pub(crate) fn reset_keeping(&mut self, keep_bytes: usize) -> DropsRun {
        self.set_steady_floor_bytes(NOT_STEADY);
        let run = self.drops.run_all();
        self.allocations.set(0);
        // The round's peak was read by whoever chose `keep_bytes`; the next round starts anew.
        self.peak_used.set(0);
        // No destructor is left, and at most one chunk will be (bumpalo keeps its newest).
        self.general_reset.set(0);
        let reserved = self.bump.allocated_bytes();
        if reserved == 0 {
            return run;
        }
        // Rewind: bumpalo keeps the newest (largest) chunk and frees the older ones; the next
        // allocation takes the kept chunk as the block again.
        self.poison_used();
        self.drop_block();
        self.bump.reset();
        let kept = self.bump.allocated_bytes();
        self.bump.set_allocation_limit(Some(kept));
        self.newest_chunk_bytes.set(kept);
        budget::release(reserved - kept);
        // The steady case ends here: one chunk, the size we want to keep.
        let too_small = kept < keep_bytes;
        let too_big = kept_chunk_too_big(kept, keep_bytes);
        if too_small || too_big {
            self.resize_kept_chunk(keep_bytes, too_small);
        }
        self.holds_kept = self.bump.allocated_bytes() != 0;
        self.debug_check_chunks();
        run
    }

    /// The end of a pooled arena's round: runs the destructors and makes all memory available
    /// again, keeping about `keep_bytes` (the retention policy's figure) for the next round.
    ///
    /// A round that started from memory kept for it and outgrew it into new chunks keeps all
    /// its chunks, in place: the oldest becomes the block again and the newer ones are spares,
    /// taken in the order the round took them. The next round of the same size then touches
    /// exactly the pages this one touched, and nothing is freed to be allocated again. Freeing
    /// the chunks and asking for one merged chunk instead (what [`reset_keeping`] does) leaves
    /// the memory this round touched to the global allocator, which may keep it resident (glibc
    /// does for blocks below its `mmap` threshold, which moves with the blocks freed before)
    /// while the merged chunk's pages are touched anew. The chunks are merged as before when
    /// there is no kept memory yet (the first round: its chunks come from nothing and are
    /// merged into one), when they hold more than twice what is to be kept (a spike), or when
    /// what is to be kept is under [`KEEP_IN_PLACE_FROM`] bytes: merging a few small chunks costs
    /// a few pages at most, and gives back the one-chunk arena whose scopes end by a bare
    /// rewind.
    ///
    /// [`reset_keeping`]: Arena::reset_keeping
    pub(crate) fn reset_for_reuse(&mut self, keep_bytes: usize) -> DropsRun {
        if !self.keeps_all_chunks(keep_bytes) {
            return self.reset_keeping(keep_bytes);
        }
        self.set_steady_floor_bytes(NOT_STEADY);
        let run = self.drops.run_all();
        self.allocations.set(0);
        self.peak_used.set(0);
        self.poison_used();
        self.rewind_all_chunks();
        self.debug_check_chunks();
        run
    }

    /// Whether [`reset_for_reuse`](Arena::reset_for_reuse) keeps every chunk in place: a
    /// round that outgrew the memory kept for it, into chunks that together hold at most about
    /// twice `keep_bytes`, every one of them one whole block.
    fn keeps_all_chunks(&self, keep_bytes: usize) -> bool {
        let reserved = self.bump.allocated_bytes();
        self.holds_kept
            && keep_bytes >= KEEP_IN_PLACE_FROM
            && reserved != self.newest_chunk_bytes.get()
            && self.bump.chunk_capacity() == 0
            && chunk_bound(keep_bytes.saturating_mul(2)).is_some_and(|bound| reserved <= bound)
            // SAFETY: only reads chunk footers; nothing allocates while the iterator lives.
            && unsafe { self.bump.iter_allocated_chunks_raw() }
                .all(|(_, len)| len >= SPARE_HEADER_BYTES)
    }

    /// Makes the oldest chunk the block again, its cursor at its start, and every newer chunk
    /// a spare, the second oldest on top: the order the round took them in.
    #[cold]
    fn rewind_all_chunks(&mut self) {
        self.drop_block();
        let mut oldest = None;
        // SAFETY: only reads chunk footers, newest first; nothing allocates from bumpalo while
        // the iterator lives (pushing a spare writes into the chunk's own memory, which is
        // free: the round's values are gone, the destructors ran).
        for (start, len) in unsafe { self.bump.iter_allocated_chunks_raw() } {
            // Each chunk is wholly one block (`keeps_all_chunks` checked that bumpalo holds no
            // free space), `[start, start + len)`, at a non-null chunk address.
            let Some(start) = NonNull::new(start) else {
                continue;
            };
            if let Some((newer, newer_len)) = oldest.replace((start, len)) {
                self.push_spare(newer, newer.as_ptr() as usize + newer_len);
            }
        }
        if let Some((start, len)) = oldest {
            self.set_block_start(start);
            self.cursor.set(start);
            self.set_block_end(start.as_ptr() as usize + len);
            self.forget_byte_tail();
        }
    }

    /// Replaces the one chunk left after a reset by one of about `keep_bytes` (none for 0).
    #[cold]
    fn resize_kept_chunk(&mut self, keep_bytes: usize, growing: bool) {
        let kept = self.bump.allocated_bytes();
        if self.reserve_fresh(keep_bytes).is_err() && growing {
            // A limit forbids the merged chunk: keep a chunk as large as the one we had.
            let _ = self.reserve_fresh(kept);
        }
    }

    /// Drops every pending value and gives all memory back. Dropping the arena does the same;
    /// `free` says so explicitly, as Go's `mem.Free()` does.
    ///
    /// # Panics
    ///
    /// If a destructor panics, after the other destructors ran and the memory was freed.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// mem.alloc_droppable(String::from("dropped at free"));
    /// mem.free();
    /// ```
    pub fn free(self) {
        // `Drop` does the work, resuming a destructor's panic when not already unwinding.
        drop(self);
    }

    /// The work of `free` and `drop`: destructors, trace line, memory back.
    fn free_in_place(&mut self) -> DropsRun {
        let started = crate::trace::start_if_enabled();
        let used = self.used_bytes();
        let allocations = self.allocation_count();
        let run = self.drops.run_all();
        if let Some(started) = started {
            if !self.pooled {
                let mut buffer = [0u8; 256];
                let place = match self.label() {
                    Some(label) => label,
                    None => crate::trace::format_location(self.created_at(), &mut buffer),
                };
                TraceLine {
                    started,
                    used,
                    kept: 0,
                    reserved: self.reserved_bytes(),
                    chunks: self.chunk_count(),
                    current: self.current_chunk_usage(),
                    other: self.other_chunks_usage(),
                    allocations,
                    drops: run.count,
                    limit: self.limit,
                    place,
                }
                .emit();
            }
        }
        self.release_all_memory();
        run
    }
}

impl Drop for Arena {
    fn drop(&mut self) {
        let run = self.free_in_place();
        if let Some(payload) = run.first_panic {
            if !std::thread::panicking() {
                payload.resume();
            }
        }
    }
}
