//! The pool's steady contract: the floor of used bytes above which a pooled scope may end by a
//! bare rewind of the block, and that rewind.
//!
//! The pool sets the floor after a general scope end ([`Arena::set_steady_floor`]); anything
//! that could make a bare rewind wrong (a new chunk, a pending destructor, replaced memory) sets
//! it back to [`NOT_STEADY`]. Relies on the size arithmetic for the floor and on the block
//! engine for the rewind.

use core::ptr::NonNull;

use super::sizes::{steady_floor, NOT_STEADY};
use super::Arena;
use crate::config::Retain;

impl Arena {
    /// The end of a pooled scope in the steady state, and nothing else: returns `true` after
    /// rewinding the block's cursor when nothing was allocated (a scope that only computed), or
    /// when what was used is at least the steady floor the pool set — one chunk, no pending
    /// destructor, and exactly the chunk the retention policy would keep. Otherwise does nothing
    /// and returns `false`: the caller takes the general end (destructors, retention).
    #[inline(always)]
    pub(crate) fn rewind_steady(&mut self) -> bool {
        // Nothing to clear: the pool enables the fast path only for arenas that do not count,
        // and turning counting on again starts from zero.
        debug_assert!(!self.counts_allocations, "a fast scope that counts");
        // While a floor is set (not `NOT_STEADY`) the arena still holds one chunk and no
        // destructor, since a new chunk or a destructor clears the floor, and that chunk is the
        // block (or is untouched, with no block): what the block handed out is then all that
        // was used. A floor, when set, is at least 1, and the steady cursor is the block's start
        // plus the floor (the largest `usize` without one): a cursor at or above it means the
        // round used at least the floor. (The scope with one value in it, the case to make
        // short, is tested first, by one compare.)
        let cursor = self.cursor.get().as_ptr() as usize;
        if cursor >= self.steady_cursor.get() {
            let start = self.block_start.get();
            debug_assert_eq!(cursor - start.as_ptr() as usize, self.used_bytes());
            // Only the cursor: the scope's closure had `&Arena`, so no `scoped` mark is open to
            // need a new era, and writing a checkpoint record cleared the floor (the end is then
            // the general one, which forgets the records).
            // And the byte tail, which must be forgotten: a tail left above the rewound cursor
            // claims nothing now, but the next round's values move the cursor up past it, and
            // once the cursor is less than 8 bytes above it the tail would claim bytes of one of
            // those values as free (one store; the byte-packing tests catch its absence).
            crate::asan::poison(start.as_ptr(), cursor - start.as_ptr() as usize);
            self.cursor.set(start);
            self.forget_byte_tail();
            return true;
        }
        // Nothing in the block: the scope used nothing, unless (without a floor) it used chunks
        // the block has since moved past.
        let floor = self.steady_floor.get();
        self.block_used() == 0 && (floor != NOT_STEADY || self.used_bytes() == 0)
    }

    /// Sets the steady floor, and the steady cursor made from it and the block's start.
    #[inline]
    pub(super) fn set_steady_floor_bytes(&self, floor: usize) {
        self.steady_floor.set(floor);
        self.steady_cursor.set(steady_cursor_for(
            self.block_start.get().as_ptr() as usize,
            floor,
        ));
    }

    /// Sets the block's start, and the steady cursor made from it and the steady floor.
    #[inline]
    pub(super) fn set_block_start(&self, start: NonNull<u8>) {
        self.block_start.set(start);
        self.steady_cursor.set(steady_cursor_for(
            start.as_ptr() as usize,
            self.steady_floor.get(),
        ));
    }

    /// Called by the pool after the general end of a scope: allows bare rewinds from now on when
    /// the arena holds at most one chunk and no destructor, and `ARENA_RETAIN` is `100` or `off`
    /// with `ballast` (`ARENA_BALLAST`) in force. Returns whether it did.
    pub(crate) fn set_steady_floor(&self, retain: Retain, ballast: usize) -> bool {
        let reserved = self.reserved_bytes();
        let one_chunk = reserved == self.newest_chunk_bytes.get() || reserved == 0;
        let floor = if self.drops.pending() != 0 || !one_chunk {
            NOT_STEADY
        } else {
            match retain {
                // Everything is kept, but a ballast larger than the chunk must still be reserved
                // by the general end.
                Retain::Off if ballast > reserved => NOT_STEADY,
                // Everything is kept: any round that fits the chunk is steady.
                Retain::Off => 1,
                Retain::Percent(100) => steady_floor(reserved, ballast),
                // Other percentages keep less than a round used: their end resizes.
                Retain::Percent(_) => NOT_STEADY,
            }
        };
        self.set_steady_floor_bytes(floor);
        floor != NOT_STEADY
    }
}

/// The cursor at or above which a block starting at `start` has handed out at least `floor`
/// bytes; `usize::MAX`, which no cursor reaches, for [`NOT_STEADY`]. A set floor is at most
/// the chunk's size, so the sum stays inside the block's end.
fn steady_cursor_for(start: usize, floor: usize) -> usize {
    if floor == NOT_STEADY {
        usize::MAX
    } else {
        start.saturating_add(floor)
    }
}
