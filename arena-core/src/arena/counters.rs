//! What the arena reports: [`Arena::stats`], its `Debug` output, and the byte and allocation
//! counters the pool and the trace lines read.
//!
//! Relies on the block (its free tail is not used) and on bumpalo's chunk accounting.

use core::fmt;

use super::Arena;
use crate::stats::{ChunkUsage, Stats};

impl Arena {
    /// A snapshot of the arena's memory and bookkeeping. See [`Stats`].
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// mem.alloc_slice_copy(&[0u8; 100]);
    /// assert!(mem.stats().used_bytes >= 100);
    /// // Allocations are counted on request (or while tracing), since counting is not free.
    /// assert_eq!(mem.stats().allocations, None);
    ///
    /// let counted = Arena::builder().count_allocations(true).build();
    /// counted.alloc_slice_copy(&[0u8; 100]);
    /// assert_eq!(counted.stats().allocations, Some(1));
    /// ```
    pub fn stats(&self) -> Stats {
        Stats {
            used_bytes: self.used_bytes(),
            reserved_bytes: self.reserved_bytes(),
            chunks: self.chunk_count(),
            current_chunk: self.current_chunk_usage(),
            other_chunks: self.other_chunks_usage(),
            allocations: self.allocation_count(),
            drops_pending: self.drops.pending(),
            limit: self.limit,
            label: self.label.clone(),
        }
    }

    /// Bytes consumed since the last reset (see [`Stats::used_bytes`]).
    #[inline]
    pub(crate) fn used_bytes(&self) -> usize {
        self.debug_check_block();
        self.debug_check_chunks();
        // bumpalo counts the whole block (and the spare) as handed out; their free parts are not.
        let block_free = self.block_end.get() - self.cursor.get().as_ptr() as usize;
        self.bump.allocated_bytes() - self.bump.chunk_capacity() - block_free - self.spare_len()
    }

    /// The memory allocations come from now and what of it is handed out (see
    /// [`Stats::current_chunk`]).
    pub(crate) fn current_chunk_usage(&self) -> ChunkUsage {
        ChunkUsage {
            reserved_bytes: self.block_end.get() - self.block_start.get().as_ptr() as usize,
            used_bytes: self.block_used(),
        }
    }

    /// The rest of the chunk memory and what of it is handed out (see [`Stats::other_chunks`]):
    /// all of it but a chunk bumpalo holds free, the blocks a rewind gave back, and the tails
    /// blocks were left with when a new chunk took over.
    pub(crate) fn other_chunks_usage(&self) -> ChunkUsage {
        let current = self.block_end.get() - self.block_start.get().as_ptr() as usize;
        let reserved_bytes = self.reserved_bytes() - current;
        let free = self.bump.chunk_capacity() + self.spare_len() + self.stranded_bytes.get();
        ChunkUsage {
            reserved_bytes,
            used_bytes: reserved_bytes.saturating_sub(free),
        }
    }

    #[inline]
    pub(crate) fn drops_pending(&self) -> usize {
        self.drops.pending()
    }

    /// Zeroes the per-round counters of an arena that holds nothing.
    #[inline]
    pub(crate) fn clear_counters(&mut self) {
        self.allocations.set(0);
    }

    /// The allocations since the last reset, when the arena counts them.
    #[inline]
    pub(crate) fn allocation_count(&self) -> Option<usize> {
        self.counts_allocations.then(|| self.allocations.get())
    }

    /// Runs `grow`, a container moving to a larger buffer through an allocator that cannot tell
    /// growth from a first buffer (hashbrown allocates a new table to grow), and takes back the
    /// counts of what it allocated: growth is not an allocation (see [`Stats::allocations`]).
    #[inline]
    pub(crate) fn without_counting<R>(&self, grow: impl FnOnce() -> R) -> R {
        let before = self.allocations.get();
        let result = grow();
        self.allocations.set(before);
        result
    }
}

impl fmt::Debug for Arena {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Arena")
            .field("stats", &self.stats())
            .finish()
    }
}
