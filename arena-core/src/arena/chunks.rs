//! Chunks and the limit fence: adding a chunk reserved first under the arena's limit and the
//! process-wide budget, replacing all memory by one fresh chunk, giving it all back, and the
//! AddressSanitizer poisoning of chunk memory.
//!
//! bumpalo owns the chunks; it is kept fenced (its allocation limit equals what it holds), and
//! only [`Arena::add_chunk`] lifts the fence, for one probe allocation that sizes the new chunk.
//! Relies on the size arithmetic, the budget, and bumpalo's chunk iteration.

use core::alloc::Layout;

use allocator_api2::alloc::Allocator;

use super::sizes::{
    block_bytes, chunk_bound, largest_chunk_within, request_for_chunk, round_up,
    smallest_chunk_for, BLOCK_ALIGN, LARGEST_BLOCK_REQUEST, MIN_CHUNK_REQUEST, NOT_STEADY,
};
use super::{Arena, Engine};
use crate::asan;
use crate::budget;
use crate::error::{AllocError, AllocErrorKind};

impl Arena {
    /// Lets bumpalo add one chunk big enough for `probe`, reserved first under the arena's limit
    /// and the process-wide limit, and fences bumpalo again. The new chunk becomes bumpalo's
    /// current chunk, with nothing handed out (the probe allocation only sized it). Errors name
    /// `requested` bytes, what the caller asked for.
    #[cold]
    #[inline(never)]
    pub(super) fn add_chunk(&self, probe: Layout, requested: usize) -> Result<(), AllocError> {
        let error = |kind| Err(self.alloc_error(kind, requested));
        // Only the knobs every arena reads (the memory limit, tracing): a pooled arena's scope
        // or pool checked the others before lending it.
        if let Err(err) = crate::config::ensure_standalone_loaded() {
            return error(AllocErrorKind::Config(err));
        }
        crate::trace::mark_epoch();
        let align = probe.align().max(16);
        let Some(needed) = round_up(probe.size(), align) else {
            return error(AllocErrorKind::CapacityOverflow);
        };
        let Some(smallest) = chunk_bound(needed.max(MIN_CHUNK_REQUEST)) else {
            return error(AllocErrorKind::CapacityOverflow);
        };
        let doubled = self.newest_chunk_bytes.get().saturating_mul(2);
        let preferred = chunk_bound(needed.max(doubled).max(MIN_CHUNK_REQUEST)).unwrap_or(smallest);
        let reserved = self.bump.allocated_bytes();
        let headroom = match self.limit {
            Some(limit) => limit.saturating_sub(reserved),
            None => usize::MAX,
        };
        // Reserve the preferred size; when the process-wide budget refuses it, what the budget
        // has left, if that still holds the request (bumpalo then builds the largest chunk,
        // down from twice its newest, that fits the grant), before giving up.
        let mut memlimit_refusal = None;
        let mut grant = preferred.min(headroom);
        loop {
            if let Err(limit) = budget::try_reserve(grant) {
                memlimit_refusal = Some(limit);
                let left = limit.saturating_sub(budget::reserved_total()).min(headroom);
                if left >= needed && left < grant {
                    grant = left;
                    continue;
                }
                return error(AllocErrorKind::MemLimit { limit });
            }
            self.bump.set_allocation_limit(Some(reserved + grant));
            let outcome = self.bump.try_alloc_layout(probe).ok().map(|sized| {
                // SAFETY: `sized` is bumpalo's newest allocation, made just now with `probe`
                // and never handed out; bumpalo takes it back by moving its pointer up.
                unsafe { Allocator::deallocate(&&self.bump, sized, probe) }
            });
            let now = self.bump.allocated_bytes();
            debug_assert!(
                now - reserved <= grant,
                "bumpalo reserved {} bytes past a fence of {grant}",
                now - reserved
            );
            self.bump.set_allocation_limit(Some(now));
            budget::release(grant - (now - reserved));
            if now != reserved {
                // One chunk at most per lifted fence: the growth is the new chunk.
                self.newest_chunk_bytes.set(now - reserved);
                if reserved != 0 {
                    self.general_reset.set(1);
                }
                self.set_steady_floor_bytes(NOT_STEADY);
                self.poison_new_chunk();
            }
            // A failure under a grant that a limit cut down is that limit's refusal (no chunk
            // size bumpalo builds fits under it), not the global allocator's.
            return match (outcome, memlimit_refusal) {
                (Some(value), _) => Ok(value),
                (None, _) if grant == headroom => Err(self
                    .alloc_error(
                        AllocErrorKind::ArenaLimit {
                            limit: self.limit.unwrap_or(0),
                        },
                        requested,
                    )
                    .with_held(reserved)),
                (None, Some(limit)) => error(AllocErrorKind::MemLimit { limit }),
                (None, None) => error(AllocErrorKind::OutOfMemory),
            };
        }
    }

    /// Checks, in debug builds, the chunk accounting the counters and the one-chunk fast paths
    /// rely on: the newest chunk is part of what bumpalo holds, and the block lies in it.
    #[inline(always)]
    pub(super) fn debug_check_chunks(&self) {
        let reserved = self.bump.allocated_bytes();
        let newest = self.newest_chunk_bytes.get();
        debug_assert!(
            newest <= reserved,
            "the newest chunk ({newest} bytes) is larger than all chunks ({reserved} bytes)"
        );
        // A block is one whole chunk: the newest, or, after a rewind went back past newer
        // chunks, an older one (which a limit may have made larger than the newest).
        let block = self.block_end.get() - self.block_start.get().as_ptr() as usize;
        debug_assert!(
            block <= reserved,
            "the block ({block} bytes) is larger than all chunks ({reserved} bytes)"
        );
    }

    /// Poisons the whole of the newest chunk (the caller unpoisons exactly the bytes it hands
    /// out).
    fn poison_new_chunk(&self) {
        if asan::ENABLED {
            // SAFETY: only reads chunk footers; nothing allocates while the iterator lives.
            let newest = unsafe { self.bump.iter_allocated_chunks_raw() }.next();
            if let Some((used_start, used_len)) = newest {
                let free = self.bump.chunk_capacity();
                // SAFETY: the current chunk's free space lies just below its used part.
                let start = unsafe { used_start.sub(free) };
                asan::poison(start, free + used_len);
            }
        }
    }

    /// Poisons every byte handed out since the last reset (they are about to be invalid).
    pub(super) fn poison_used(&self) {
        if asan::ENABLED {
            // SAFETY: only reads chunk footers; nothing allocates while the iterator lives.
            for (start, len) in unsafe { self.bump.iter_allocated_chunks_raw() } {
                asan::poison(start, len);
            }
        }
    }

    /// The bytes [`reserve_fresh`](Arena::reserve_fresh) reserves for a capacity of `bytes`:
    /// `bytes` (rounded up to a chunk), except that under a limit that `bytes` does not exceed
    /// but the chunk that holds them would, the largest chunk within the limit (0 if the limit
    /// holds no chunk at all). A capacity never makes an arena fail its own limit.
    pub(crate) fn capacity_within_limit(&self, bytes: usize) -> usize {
        match self.limit {
            Some(limit)
                if bytes <= limit && smallest_chunk_for(bytes).is_some_and(|c| c > limit) =>
            {
                largest_chunk_within(limit).unwrap_or(0)
            }
            _ => bytes,
        }
    }

    /// Replaces all memory with one fresh chunk of at least `bytes` (or none for 0), reserved
    /// under the limits; under the arena's limit, as much of `bytes` as it allows (see
    /// [`capacity_within_limit`](Arena::capacity_within_limit)). The arena must hold no live
    /// values.
    pub(crate) fn reserve_fresh(&mut self, bytes: usize) -> Result<(), AllocError> {
        self.release_all_memory();
        let bytes = self.capacity_within_limit(bytes);
        if bytes == 0 {
            return Ok(());
        }
        // No layout is larger than `isize::MAX` bytes; within that, round to the block's
        // alignment, down at the very top.
        if bytes > isize::MAX as usize {
            return Err(self.alloc_error(AllocErrorKind::CapacityOverflow, bytes));
        }
        // Under a limit that holds the chunk for `bytes`, ask bumpalo for that very chunk: its
        // own sizing of a small first chunk could skip it and try only larger ones.
        let size = match self.limit {
            Some(limit) if bytes <= limit => {
                smallest_chunk_for(bytes).map_or(bytes, request_for_chunk)
            }
            _ => bytes,
        };
        let size = block_bytes(size).min(LARGEST_BLOCK_REQUEST);
        let Ok(probe) = Layout::from_size_align(size, BLOCK_ALIGN) else {
            return Err(self.alloc_error(AllocErrorKind::CapacityOverflow, bytes));
        };
        self.add_chunk(probe, bytes)?;
        self.holds_kept = true;
        Ok(())
    }

    /// Frees every chunk and returns its bytes to the process budget.
    pub(super) fn release_all_memory(&mut self) {
        let reserved = self.bump.allocated_bytes();
        self.drop_block();
        self.bump = Engine::with_min_align();
        self.bump.set_allocation_limit(Some(0));
        self.newest_chunk_bytes.set(0);
        self.general_reset
            .set(usize::from(self.drops.pending() != 0));
        self.set_steady_floor_bytes(NOT_STEADY);
        self.holds_kept = false;
        budget::release(reserved);
    }

    /// Bytes of chunk memory held (see [`Stats::reserved_bytes`]).
    #[inline]
    pub(crate) fn reserved_bytes(&self) -> usize {
        self.bump.allocated_bytes()
    }

    pub(crate) fn chunk_count(&self) -> usize {
        // SAFETY: the iterator only reads chunk footers; nothing allocates from `self.bump`
        // while it runs (we hold `&self` and do not allocate here).
        unsafe { self.bump.iter_allocated_chunks_raw().count() }
    }
}
