//! [`Arena::scoped`]: freeing what a closure allocated when it returns or unwinds.
//!
//! [`Arena::scoped`] marks the arena on entry (no record: the closure nests by construction) and
//! rewinds to the mark when the closure returns or unwinds. Inside, checkpoints taken before the
//! scope are refused, so the closure cannot rewind past its own start; a closure that resets
//! the arena (or swaps another arena in through the `&mut`) makes the scope's end reset the
//! whole arena instead, since the mark no longer describes it.

use core::ptr::NonNull;
use core::sync::atomic::{AtomicU64, Ordering};

use super::block::no_block;
use super::checkpoint::resume_first_panic;
use super::Arena;
use crate::asan;
use crate::drop_list::DropsRun;

/// Process-unique eras of `scoped` marks (0 is never given out: it means "none yet").
static NEXT_ERA: AtomicU64 = AtomicU64::new(1);

/// The arena's state at the start of a [`Arena::scoped`] closure: what the end of the scope
/// compares and puts back. The end of the block is not kept: only a scope whose closure moved
/// on to other blocks needs it, and that end looks it up among the chunks (see
/// [`Arena::block_end_of`]).
#[derive(Clone, Copy)]
struct Mark {
    /// The arena's era (never 0): unique in the process, so neither a reset nor another arena
    /// swapped in can match it.
    era: u64,
    cursor: NonNull<u8>,
    block_start: NonNull<u8>,
    drops_pending: usize,
}

/// The rest of what the end of a scope puts back: nothing in the common case ([`Plain`]: no
/// valid checkpoint at the scope's start, and an arena that does not count), the checkpoints
/// and the allocation count otherwise ([`Outer`]).
trait ScopeRest: Copy {
    /// Whether the end of the scope records what the block held in the peak the retention
    /// policy reads: only pooled arenas have a retention policy, and their scopes are general.
    const TRACKS_PEAK: bool;
    /// Makes the checkpoints valid at the scope's start the valid ones again, and puts back the
    /// allocation count.
    fn put_back(self, arena: &Arena);
    /// The newest valid record, the floor and the allocation count at the scope's start.
    fn outer(self, arena: &Arena) -> (NonNull<u8>, u64, usize);
}

/// No valid checkpoint at the scope's start (the floor was left as it was), and an arena that
/// does not count its allocations (the count stays 0).
#[derive(Clone, Copy)]
struct Plain;

impl ScopeRest for Plain {
    const TRACKS_PEAK: bool = false;

    #[inline(always)]
    fn put_back(self, arena: &Arena) {
        arena.checkpoints.set(no_block());
        debug_assert_eq!(arena.allocations.get(), 0, "a plain scope counted");
    }

    #[inline(always)]
    fn outer(self, arena: &Arena) -> (NonNull<u8>, u64, usize) {
        // The scopes nested in this one put the floor back as they found it.
        (no_block(), arena.scope_floor.get(), 0)
    }
}

/// The newest valid record, the floor (the scope raised it) and the allocation count at the
/// scope's start.
#[derive(Clone, Copy)]
struct Outer {
    top: NonNull<u8>,
    floor: u64,
    allocations: usize,
}

impl ScopeRest for Outer {
    const TRACKS_PEAK: bool = true;

    #[inline(always)]
    fn put_back(self, arena: &Arena) {
        arena.checkpoints.set(self.top);
        arena.scope_floor.set(self.floor);
        arena.allocations.set(self.allocations);
    }

    #[inline(always)]
    fn outer(self, _: &Arena) -> (NonNull<u8>, u64, usize) {
        (self.top, self.floor, self.allocations)
    }
}

impl Arena {
    /// Runs `f` with this arena and frees, when `f` returns or panics, everything `f` allocated
    /// in it: the destructors registered inside run, newest first, and the memory is handed
    /// out again by the next allocations. What was allocated before is untouched.
    ///
    /// Scopes nest to any depth (call `scoped` on the closure's argument). Entering and leaving
    /// one is a handful of loads and stores, with no system call and no allocation. When a
    /// scope outgrows the block and takes new chunks, its end goes back to the old block and
    /// keeps the blocks it leaves as spares, which the next scopes take before asking for any
    /// new chunk; the next reset merges everything under the retention rules. Nothing
    /// allocated inside can be returned: the closure's argument is a fresh borrow for each call
    /// (a higher-ranked closure).
    ///
    /// Inside the closure, checkpoints taken before it began are refused
    /// ([`CheckpointError::OutsideScope`](crate::CheckpointError::OutsideScope)). A closure that resets the arena makes the scope's
    /// end reset it again (what the closure allocated after its reset is freed too).
    ///
    /// # Panics
    ///
    /// If `f` panics (after the scope's destructors ran), or a destructor run at the end of the
    /// scope panics (after the others ran and the arena is consistent).
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// let mut mem = Arena::new();
    /// mem.alloc_str("allocated before: stays until the arena is reset");
    /// let before = mem.stats().used_bytes;
    /// let mut total = 0;
    /// for round in 0..3 {
    ///     total += mem.scoped(|tmp| {
    ///         let words = tmp.alloc_slice_fill_with(100, |i| i + round).len();
    ///         // A nested scope takes `&mut`: references of this scope end before it.
    ///         let deeper = tmp.scoped(|inner| inner.alloc_str("nested").len());
    ///         words + deeper
    ///     });
    ///     assert_eq!(mem.stats().used_bytes, before); // the round's memory is free again
    /// }
    /// assert_eq!(total, 3 * 106);
    /// ```
    ///
    /// Returning a reference from the closure does not compile: its lifetime is the closure
    /// call's (rustc: "lifetime may not live long enough", an error without a code, so it is
    /// checked against the compiler's message by the `arena` crate's UI tests,
    /// `reference_escapes_scoped`) —
    ///
    /// ```text
    /// let name: &str = mem.scoped(|tmp| tmp.alloc_str("escapes"));
    /// ```
    ///
    /// while returning a value computed from it does:
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// let mut mem = Arena::new();
    /// let len: usize = mem.scoped(|tmp| tmp.alloc_str("stays").len());
    /// assert_eq!(len, 5);
    /// ```
    ///
    /// and a reference made before the scope cannot be used after it (`E0502`), as after a
    /// rewind:
    ///
    /// ```compile_fail,E0502
    /// use arena_core::Arena;
    ///
    /// let mut mem = Arena::new();
    /// let before = mem.alloc(1u32);
    /// mem.scoped(|tmp| {
    ///     tmp.alloc(2u32);
    /// });
    /// *before += 1;
    /// ```
    #[inline]
    pub fn scoped<R>(&mut self, f: impl for<'s> FnOnce(&'s mut Arena) -> R) -> R {
        if self.checkpoints.get() != no_block() || self.general_scopes {
            return self.scoped_general(f);
        }
        // No valid checkpoint: none from before the scope can be rewound to inside it, so the
        // floor stays as it is, and the checkpoints taken inside are all forgotten at its end.
        // No counting: the allocation count stays 0 (only a reset changes whether an arena
        // counts, and `scoped` holds the `&mut`), so there is none to put back. Not pooled: no
        // retention policy reads the peak the scope held.
        self.scoped_with(f, Plain)
    }

    /// [`scoped`](Arena::scoped) when valid checkpoints exist (they are refused inside the
    /// scope, and are again the valid ones at its end), the arena counts its allocations, or it
    /// is pooled (its end records the peak for the retention policy).
    #[inline(never)]
    fn scoped_general<R>(&mut self, f: impl for<'s> FnOnce(&'s mut Arena) -> R) -> R {
        let outer = Outer {
            top: self.checkpoints.get(),
            floor: self.scope_floor.get(),
            allocations: self.allocations.get(),
        };
        self.scope_floor.set(self.next_stamp.get());
        self.scoped_with(f, outer)
    }

    /// The body of [`scoped`](Arena::scoped): mark, run `f`, go back to the mark (also when `f`
    /// unwinds). `outer` is what to put back of the checkpoints.
    #[inline(always)]
    fn scoped_with<R, C: ScopeRest>(
        &mut self,
        f: impl for<'s> FnOnce(&'s mut Arena) -> R,
        outer: C,
    ) -> R {
        let mark = self.mark();
        let arena: *mut Arena = self;
        let guard = ScopedGuard { arena, mark, outer };
        // SAFETY: `arena` comes from `&mut self`, which the guard holds for the whole call; the
        // closure's `&mut` is the only use of it until the closure returns or unwinds, and the
        // guard touches the arena only after that.
        let result = f(unsafe { &mut *arena });
        let guard = core::mem::ManuallyDrop::new(guard);
        // SAFETY: the closure returned, so its `&mut` is over; `arena` came from `&mut self`,
        // which is still borrowed.
        if !unsafe { (*arena).end_scope_fast(&guard.mark, guard.outer) } {
            // SAFETY: as above; the closure returned.
            unsafe { guard.finish_cold(ClosureEnd::Returned) };
        }
        result
    }

    /// Marks the present state for [`scoped`](Arena::scoped).
    #[inline(always)]
    fn mark(&mut self) -> Mark {
        Mark {
            era: self.scope_era(),
            cursor: self.cursor.get(),
            block_start: self.block_start.get(),
            drops_pending: self.drops.pending(),
        }
    }

    /// The end of a scope in the common case: the same arena, not reset, still in the block of
    /// the mark, and no destructor registered since. Puts back the cursor, the allocation count
    /// and the checkpoints, and returns `true`; otherwise changes nothing and returns `false`,
    /// and the caller takes [`end_scope_slow`](Arena::end_scope_slow).
    #[inline(always)]
    fn end_scope_fast<C: ScopeRest>(&mut self, mark: &Mark, outer: C) -> bool {
        // One test of the three words together: the compiler otherwise interleaves three
        // compares with the closure's last loads and gathers them into flags (longer).
        let differs = (self.era.get() ^ mark.era)
            | (self.block_start.get().as_ptr() as u64 ^ mark.block_start.as_ptr() as u64)
            | (self.drops.pending() as u64 ^ mark.drops_pending as u64);
        if differs != 0 {
            return false;
        }
        outer.put_back(self);
        let now = self.cursor.get().as_ptr() as usize;
        asan::poison(mark.cursor.as_ptr(), now - mark.cursor.as_ptr() as usize);
        if C::TRACKS_PEAK {
            // What the block held: the round's need when the arena has one chunk (a lower
            // bound otherwise), for the retention policy.
            let held = now - mark.block_start.as_ptr() as usize;
            if held > self.peak_used.get() {
                self.peak_used.set(held);
            }
        }
        self.cursor.set(mark.cursor);
        self.forget_byte_tail();
        true
    }

    /// The end of a scope that registered destructors, moved on to other blocks, or reset the
    /// arena: back to `mark`. Hands back what the destructors did.
    #[cold]
    #[inline(never)]
    fn end_scope_slow(
        &mut self,
        mark: &Mark,
        top: NonNull<u8>,
        floor: u64,
        allocations: usize,
    ) -> DropsRun {
        if self.era.get() != mark.era {
            return self.end_scope_after_reset(floor);
        }
        let block_end =
            if mark.block_start == no_block() || mark.block_start == self.block_start.get() {
                // Not looked at: no block to go back to, or the same block.
                mark.block_start.as_ptr() as usize
            } else {
                match self.block_end_of(mark.block_start) {
                    Some(end) => end,
                    None => {
                        // A mark of this arena names one of its blocks; should one ever be missing,
                        // the whole arena is reset rather than the cursor trusted.
                        debug_assert!(
                            false,
                            "the block of a scope's mark is not a chunk of the arena"
                        );
                        return self.end_scope_after_reset(floor);
                    }
                }
            };
        self.checkpoints.set(top);
        self.scope_floor.set(floor);
        self.rewind_to(
            mark.cursor,
            mark.block_start,
            block_end,
            mark.drops_pending,
            allocations,
        )
    }

    /// The arena's era for a new mark: the present one, or a new one after a reset.
    #[inline(always)]
    fn scope_era(&self) -> u64 {
        let era = self.era.get();
        if era != 0 {
            era
        } else {
            self.new_era()
        }
    }

    /// Gives the arena a new era (it had none since its last reset).
    #[cold]
    #[inline(never)]
    fn new_era(&self) -> u64 {
        let era = NEXT_ERA.fetch_add(1, Ordering::Relaxed);
        self.era.set(era);
        era
    }

    /// The end of the block that starts at `start`: every block is one whole chunk (see the
    /// [`block`](super::block) module), so it is the end of the chunk whose bytes start there.
    /// `None` if no chunk starts there.
    fn block_end_of(&self, start: NonNull<u8>) -> Option<usize> {
        // SAFETY: the iterator only reads chunk footers; nothing allocates from `self.bump`
        // while it runs.
        let mut chunks = unsafe { self.bump.iter_allocated_chunks_raw() };
        chunks.find_map(|(at, len)| (at == start.as_ptr()).then(|| at as usize + len))
    }

    /// The closure reset the arena, or swapped another one in: the mark describes memory that
    /// is gone (or another arena's), so the scope's end resets the arena in place.
    #[cold]
    #[inline(never)]
    fn end_scope_after_reset(&mut self, floor: u64) -> DropsRun {
        // The arena is reset below, and so is every scope open around this one when it ends
        // (their marks have the old era too): the floor only has to let the checkpoints taken
        // from now on be used. The enclosing scope's floor does that for this arena; for
        // another arena swapped in, stamps are its own, so it is capped at its next stamp.
        self.scope_floor.set(floor.min(self.next_stamp.get()));
        let keep = self.reserved_bytes();
        self.reset_keeping(keep)
    }
}

/// An open [`Arena::scoped`]: ends it when the closure returns or unwinds.
struct ScopedGuard<C: ScopeRest> {
    arena: *mut Arena,
    mark: Mark,
    outer: C,
}

/// How a `scoped` closure ended, for [`finish_cold`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum ClosureEnd {
    /// It returned, and the scope's end is not the common one.
    Returned,
    /// It unwound.
    Unwound,
}

/// The ends of a scope taken out of line, with the mark as four words (so the caller keeps it
/// in registers and never writes it to the stack): back to the mark (destructors, older blocks,
/// or a reset). After a return, a destructor's panic, if any, is resumed; while unwinding, a
/// second panic from one is dropped, since panicking again now would abort the process.
///
/// # Safety
///
/// `arena` is the arena of a `scoped` call whose closure ended as `how` says, and the mark is
/// that call's.
#[cold]
#[inline(never)]
unsafe fn finish_cold<C: ScopeRest>(
    arena: *mut Arena,
    era: u64,
    cursor: NonNull<u8>,
    block_start: NonNull<u8>,
    drops_pending: usize,
    outer: C,
    how: ClosureEnd,
) {
    let mark = Mark {
        era,
        cursor,
        block_start,
        drops_pending,
    };
    // SAFETY: the closure returned or unwound, so its `&mut` is over; the pointer came from the
    // `&mut self` of `scoped`, which is still borrowed (the caller's contract).
    let arena = unsafe { &mut *arena };
    match how {
        ClosureEnd::Returned => resume_first_panic(arena.end_scope_slow_with(&mark, outer)),
        ClosureEnd::Unwound => {
            if !arena.end_scope_fast(&mark, outer) {
                let _ = arena.end_scope_slow_with(&mark, outer);
            }
        }
    }
}

impl<C: ScopeRest> ScopedGuard<C> {
    /// Hands the mark, as words, to [`finish_cold`]. Inlined, so the mark stays in registers up
    /// to there.
    ///
    /// # Safety
    ///
    /// The closure of the guard's `scoped` call ended as `how` says.
    #[inline(always)]
    unsafe fn finish_cold(&self, how: ClosureEnd) {
        let Mark {
            era,
            cursor,
            block_start,
            drops_pending,
        } = self.mark;
        // SAFETY: the guard's arena and mark are its `scoped` call's, and the closure ended as
        // `how` says (the caller's contract).
        unsafe {
            finish_cold(
                self.arena,
                era,
                cursor,
                block_start,
                drops_pending,
                self.outer,
                how,
            )
        };
    }
}

impl<C: ScopeRest> Drop for ScopedGuard<C> {
    /// Unwinding out of the closure (the normal end wraps the guard in `ManuallyDrop`).
    #[inline(always)]
    fn drop(&mut self) {
        // SAFETY: the guard exists only while a `scoped` call's closure runs, and is dropped
        // only when that closure unwinds.
        unsafe { self.finish_cold(ClosureEnd::Unwound) };
    }
}

impl Arena {
    /// [`end_scope_slow`](Arena::end_scope_slow) with what `outer` puts back.
    #[inline(always)]
    fn end_scope_slow_with<C: ScopeRest>(&mut self, mark: &Mark, outer: C) -> DropsRun {
        let (top, floor, allocations) = outer.outer(self);
        self.end_scope_slow(mark, top, floor, allocations)
    }
}
