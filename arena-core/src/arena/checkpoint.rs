//! Freeing part of an arena with [`Arena::checkpoint`] and [`Arena::rewind`], for code shaped as
//! a loop with early exits, and the spare blocks a rewind leaves; [`Arena::scoped`], the same in
//! a closure, is in the `scoped` room and goes back through [`Arena::rewind_to`] here.
//!
//! A checkpoint is a point in the arena's history: the block and the cursor in it, the number of
//! pending destructors and the allocation count. Rewinding to it runs, newest first, the
//! destructors registered since, and moves the cursor back, so the memory handed out since is
//! handed out again. Both `rewind` and `scoped` take `&mut self`, so no reference into the arena
//! is alive when its memory is taken back: the borrow checker, not a run-time check, rules out a
//! use after rewind.
//!
//! # Which checkpoints are valid
//!
//! A checkpoint stays valid while the arena only moves forward from it or is rewound to it or to
//! a later checkpoint; a reset, or a rewind to an earlier point, makes it stale. The valid ones
//! form a stack, and the arena keeps that stack in its own memory: each checkpoint writes a
//! small record (the state above, its stamp and the record below it) into the block, and the
//! arena keeps the newest record. A rewind looks its checkpoint up from the newest record down
//! (stamps decrease along the way, so the walk stops at the first smaller one) and refuses a
//! checkpoint it does not find, from another arena (each arena has a process-unique id) or
//! stale, with a [`CheckpointError`]: a refused rewind changes nothing. A checkpoint taken when
//! nothing changed since the newest record is that record again, so a loop that takes a
//! checkpoint and rewinds to it every iteration writes one record, not one per iteration.
//!
//! # Chunks taken after a checkpoint
//!
//! When the block filled up after the checkpoint and the arena moved on to new chunks, the
//! rewind goes back to the checkpoint's block and puts the block it leaves, now free, on a list
//! of *spare* blocks (a small header at the start of each links them): the next time the block
//! is full, the newest spare becomes the block before any new chunk is asked for. Rewinds that
//! unwind a growth through several chunks push those blocks newest first, so the next growth
//! takes them again in the same order: a loop whose rounds grow the same way asks for no new
//! memory after the first round. A reset merges all the chunks as usual (the retention rules
//! apply then) and empties the list; the end of a pooled round that outgrew the memory kept for
//! it keeps its chunks in place instead, the oldest as the block and the others on this list
//! (`Arena::reset_for_reuse`).

use super::checkpoint_error::CheckpointError;
use core::mem::size_of;
use core::ptr::NonNull;
use core::sync::atomic::{AtomicU64, Ordering};

use super::block::no_block;
use super::Arena;
use crate::asan;
use crate::drop_list::DropsRun;
use crate::error::AllocError;

/// Process-unique arena ids (0 is never given out).
static NEXT_ARENA_ID: AtomicU64 = AtomicU64::new(1);

/// A new id for an arena being created.
pub(super) fn new_arena_id() -> u64 {
    NEXT_ARENA_ID.fetch_add(1, Ordering::Relaxed)
}

/// What a checkpoint records, written into the block it was taken in. The checkpoint's
/// position is just past the record, so the record itself stays handed out while the checkpoint
/// is valid (a rewind to it keeps it).
#[repr(C)]
struct CheckpointRecord {
    /// The record of the next older valid checkpoint.
    below: Option<NonNull<CheckpointRecord>>,
    /// Unique within the arena; larger for newer records.
    stamp: u64,
    block_start: NonNull<u8>,
    block_end: usize,
    drops_pending: usize,
    allocations: usize,
}

/// The bytes a spare block's header takes: a block must hold them to be a spare.
pub(super) const SPARE_HEADER_BYTES: usize = size_of::<SpareHeader>();

/// The start of a spare block: a free block a rewind went back past, kept for the next time
/// the block is full (see the module docs).
#[repr(C)]
struct SpareHeader {
    /// The spare block pushed before this one.
    below: Option<NonNull<SpareHeader>>,
    /// The address one past this block.
    end: usize,
}

/// Bytes of block a record takes (a multiple of the block's alignment).
const RECORD_BYTES: usize = size_of::<CheckpointRecord>();

/// A point in an arena's history to [`rewind`](Arena::rewind) to, made by
/// [`Arena::checkpoint`].
///
/// It is plain data (`Copy`, `Send`, `Sync`, no borrow of the arena), so it can be kept in a
/// loop, in a struct or across calls; the arena checks it when it is used. See
/// [`Arena::try_rewind`] for when it is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    arena: u64,
    stamp: u64,
    /// The address of its record, compared with the arena's records, never dereferenced.
    record: usize,
}

impl Arena {
    /// Marks the present state, so that [`rewind`](Arena::rewind) can come back to it: what is
    /// allocated after the checkpoint is freed by the rewind (destructors run, newest first),
    /// what was allocated before stays.
    ///
    /// The checkpoint writes a small record into the arena (counted in
    /// [`Stats::used_bytes`](crate::Stats::used_bytes)), except when nothing changed since the
    /// newest valid checkpoint, which it then returns again.
    ///
    /// # Panics
    ///
    /// If the record needs a new chunk and a limit forbids it (as [`alloc`](Arena::alloc));
    /// [`try_checkpoint`](Arena::try_checkpoint) returns the error instead.
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// let mut mem = Arena::new();
    /// mem.alloc_str("kept");
    /// let cp = mem.checkpoint();
    /// for line in ["a", "bb", "ccc"] {
    ///     let parsed = mem.alloc_str(line);
    ///     assert!(!parsed.is_empty());
    ///     mem.rewind(cp); // `parsed` is freed; "kept" is not
    /// }
    /// ```
    ///
    /// A reference made after the checkpoint cannot be used after the rewind (`E0502`):
    ///
    /// ```compile_fail,E0502
    /// use arena_core::Arena;
    ///
    /// let mut mem = Arena::new();
    /// let cp = mem.checkpoint();
    /// let name = mem.alloc_str("bob");
    /// mem.rewind(cp); // error[E0502]: cannot borrow `mem` as mutable because it is also borrowed as immutable
    /// println!("{name}");
    /// ```
    ///
    /// Used before the rewind, it compiles:
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// let mut mem = Arena::new();
    /// let cp = mem.checkpoint();
    /// let name = mem.alloc_str("bob");
    /// println!("{name}");
    /// mem.rewind(cp);
    /// ```
    #[track_caller]
    pub fn checkpoint(&self) -> Checkpoint {
        self.try_checkpoint().unwrap_or_else(|err| err.panic())
    }

    /// Like [`checkpoint`](Arena::checkpoint), returning an error instead of panicking.
    ///
    /// # Errors
    ///
    /// When the record needs a new chunk that a limit forbids, or memory is exhausted; the arena
    /// is unchanged.
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// let mut mem = Arena::new();
    /// let cp = mem.try_checkpoint().unwrap();
    /// mem.alloc(1u8);
    /// mem.rewind(cp);
    /// ```
    pub fn try_checkpoint(&self) -> Result<Checkpoint, AllocError> {
        let cursor = self.cursor.get();
        if let Some(top) = self.newest_record() {
            // SAFETY: records on the list live in handed-out memory that no rewind or reset has
            // taken back (both unlink the records above the point they go to) and that nobody
            // else can reach: they were never handed out.
            let record = unsafe { top.as_ref() };
            if top.as_ptr() as usize + RECORD_BYTES == cursor.as_ptr() as usize
                && record.stamp >= self.scope_floor.get()
                && record.block_start == self.block_start.get()
                && record.drops_pending == self.drops.pending()
                && record.allocations == self.allocations.get()
            {
                // Nothing was allocated since that checkpoint, and it belongs to the running
                // scope (if any): this is the same point.
                return Ok(self.checkpoint_of(top, record.stamp));
            }
        }
        let layout = core::alloc::Layout::new::<CheckpointRecord>();
        let at = self.try_alloc_uncounted(layout)?.cast::<CheckpointRecord>();
        let stamp = self.next_stamp.get();
        self.next_stamp.set(stamp + 1);
        // SAFETY: `at` is fresh, aligned memory for one record, inside the block (an allocation
        // always is), never handed out to anyone.
        unsafe {
            at.as_ptr().write(CheckpointRecord {
                below: self.newest_record(),
                stamp,
                block_start: self.block_start.get(),
                block_end: self.block_end.get(),
                drops_pending: self.drops.pending(),
                allocations: self.allocations.get(),
            });
        }
        debug_assert_eq!(
            at.as_ptr() as usize + RECORD_BYTES,
            self.cursor.get().as_ptr() as usize
        );
        self.set_newest_record(Some(at));
        // A pooled scope that ends by a bare rewind does not forget records: one written makes
        // its end the general one.
        self.set_steady_floor_bytes(super::sizes::NOT_STEADY);
        Ok(self.checkpoint_of(at, stamp))
    }

    fn checkpoint_of(&self, record: NonNull<CheckpointRecord>, stamp: u64) -> Checkpoint {
        Checkpoint {
            arena: self.id,
            stamp,
            record: record.as_ptr() as usize,
        }
    }

    /// Frees everything allocated since `checkpoint` was taken: the destructors registered since
    /// run, newest first, and the memory is handed out again by the next allocations. What was
    /// allocated before the checkpoint is untouched. The checkpoint stays valid (rewind to it
    /// again each iteration of a loop); the checkpoints taken after it become stale.
    ///
    /// Takes `&mut self`, so no reference into the arena is alive: a value made after the
    /// checkpoint cannot be used after the rewind (see [`checkpoint`](Arena::checkpoint)).
    ///
    /// # Panics
    ///
    /// If the checkpoint is refused (another arena's, stale, or from outside the running
    /// [`scoped`](Arena::scoped) closure; the message says which), changing nothing; and, after
    /// the rewind is complete, if a destructor panicked (the others still ran).
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// let mut mem = Arena::new();
    /// let cp = mem.checkpoint();
    /// mem.alloc_slice_fill_with(1000, |i| i as u64);
    /// let used = mem.stats().used_bytes;
    /// mem.rewind(cp);
    /// assert!(mem.stats().used_bytes < used);
    /// ```
    #[track_caller]
    pub fn rewind(&mut self, checkpoint: Checkpoint) {
        if let Err(err) = self.try_rewind(checkpoint) {
            panic!("{err}");
        }
    }

    /// Like [`rewind`](Arena::rewind), returning an error instead of panicking when the
    /// checkpoint is refused. A refused rewind changes nothing.
    ///
    /// # Errors
    ///
    /// [`CheckpointError::OtherArena`] for a checkpoint of another arena;
    /// [`CheckpointError::Stale`] when this arena was reset, or rewound to an earlier point,
    /// after the checkpoint was taken; [`CheckpointError::OutsideScope`] inside a
    /// [`scoped`](Arena::scoped) closure, for a checkpoint taken before the closure began.
    ///
    /// # Panics
    ///
    /// After the rewind is complete, if a destructor panicked (the others still ran).
    ///
    /// ```
    /// use arena_core::{Arena, CheckpointError};
    ///
    /// let mut mem = Arena::new();
    /// let outer = mem.checkpoint();
    /// mem.alloc(1u32);
    /// let inner = mem.checkpoint();
    /// mem.rewind(outer);
    /// assert_eq!(mem.try_rewind(inner), Err(CheckpointError::Stale));
    /// assert_eq!(Arena::new().try_rewind(outer), Err(CheckpointError::OtherArena));
    /// mem.reset();
    /// assert_eq!(mem.try_rewind(outer), Err(CheckpointError::Stale));
    /// ```
    pub fn try_rewind(&mut self, checkpoint: Checkpoint) -> Result<(), CheckpointError> {
        if checkpoint.arena != self.id {
            return Err(CheckpointError::OtherArena);
        }
        let mut next = self.newest_record();
        let record = loop {
            let Some(at) = next else {
                return Err(CheckpointError::Stale);
            };
            // SAFETY: a record on the list (see `try_checkpoint`).
            let record = unsafe { at.as_ref() };
            if record.stamp < checkpoint.stamp {
                // Stamps decrease down the list: the checkpoint is not on it.
                return Err(CheckpointError::Stale);
            }
            if at.as_ptr() as usize == checkpoint.record && record.stamp == checkpoint.stamp {
                if checkpoint.stamp < self.scope_floor.get() {
                    return Err(CheckpointError::OutsideScope);
                }
                break at;
            }
            next = record.below;
        };
        // SAFETY: as above; read out before the memory above the record is taken back.
        let (block_start, block_end, drops_pending, allocations) = unsafe {
            let r = record.as_ref();
            (r.block_start, r.block_end, r.drops_pending, r.allocations)
        };
        // SAFETY: the record is inside its block, `RECORD_BYTES` long.
        let cursor =
            unsafe { NonNull::new_unchecked(record.as_ptr().cast::<u8>().add(RECORD_BYTES)) };
        self.set_newest_record(Some(record));
        let run = self.rewind_to(cursor, block_start, block_end, drops_pending, allocations);
        resume_first_panic(run);
        Ok(())
    }

    /// Goes back to a point of this arena's history that is still valid: destructors down to
    /// `drops_pending`, then the block and cursor. The present block, when it is not that
    /// point's, was taken after it (a block is only ever taken whole and free, and no rewind
    /// went to a point before): it becomes the spare.
    #[inline(always)]
    pub(super) fn rewind_to(
        &mut self,
        cursor: NonNull<u8>,
        block_start: NonNull<u8>,
        block_end: usize,
        drops_pending: usize,
        allocations: usize,
    ) -> DropsRun {
        let run = if self.drops.pending() != drops_pending {
            self.drops.run_newer_than(drops_pending)
        } else {
            DropsRun {
                count: 0,
                first_panic: None,
            }
        };
        if self.block_start.get() == block_start {
            let now = self.cursor.get().as_ptr() as usize;
            asan::poison(cursor.as_ptr(), now - cursor.as_ptr() as usize);
            // What the block held before the rewind: the round's need when the arena has one
            // chunk (a lower bound otherwise), for the retention policy.
            let held = self.block_used();
            if held > self.peak_used.get() {
                self.peak_used.set(held);
            }
        } else if block_start.as_ptr() as usize == block_end {
            // The point had no block (nothing was handed out from any block yet): rather than
            // give the present block up to the spare list, start it over. It was taken after the
            // point, so all of it is free again. What it held is recorded first, as above.
            let start = self.block_start.get();
            let held = self.block_used();
            if held > self.peak_used.get() {
                self.peak_used.set(held);
            }
            asan::poison(start.as_ptr(), held);
            self.cursor.set(start);
            self.forget_byte_tail();
            self.allocations.set(allocations);
            return run;
        } else {
            self.switch_back(cursor, block_start, block_end);
        }
        self.cursor.set(cursor);
        self.forget_byte_tail();
        self.allocations.set(allocations);
        run
    }

    /// Makes an older block the block again; the present one goes on the spare list.
    #[cold]
    #[inline(never)]
    fn switch_back(&mut self, cursor: NonNull<u8>, block_start: NonNull<u8>, block_end: usize) {
        self.peak_used
            .set(self.peak_used.get().max(self.used_bytes()));
        // The older block's tail, counted as stranded when a newer chunk took over, is the
        // block's free part again; which tails were whose is not recorded, so none is counted
        // any more (`Stats::other_chunks` then counts them as used, as `used_bytes` does).
        self.stranded_bytes.set(0);
        let start = self.block_start.get();
        let end = self.block_end.get();
        if end - start.as_ptr() as usize >= size_of::<SpareHeader>() {
            self.push_spare(start, end);
        }
        self.set_block_start(block_start);
        self.set_block_end(block_end);
        // What the older block handed out after the point, before the arena moved on.
        asan::poison(cursor.as_ptr(), block_end - cursor.as_ptr() as usize);
        self.set_steady_floor_bytes(super::sizes::NOT_STEADY);
    }

    /// Puts the free block `[start, end)` on top of the spare list, its header at its start
    /// (the block holds at least [`SPARE_HEADER_BYTES`]).
    pub(super) fn push_spare(&self, start: NonNull<u8>, end: usize) {
        let len = end - start.as_ptr() as usize;
        asan::poison(start.as_ptr(), len);
        asan::unpoison(start.as_ptr(), size_of::<SpareHeader>());
        let header = start.cast::<SpareHeader>();
        // SAFETY: the block is one allocation from bumpalo, at least a header long, 8-aligned
        // (blocks start at bumpalo's 8-aligned chunk starts), and free: no value and no record
        // in it is live (it was taken after the point rewound to). Only the spare list points
        // into it from now on.
        unsafe {
            header.as_ptr().write(SpareHeader {
                below: self.newest_spare(),
                end,
            });
        }
        self.set_newest_spare(Some(header));
        self.spare_bytes.set(self.spare_bytes.get() + len);
    }

    /// The most bytes the arena held since its last reset: what it holds now, or more, when a
    /// rewind or the end of a `scoped` took some back. What the retention policy of a pooled
    /// arena calls the memory a round needed.
    #[inline]
    pub(crate) fn peak_used_bytes(&self) -> usize {
        self.used_bytes().max(self.peak_used.get())
    }

    /// Bytes of the spare blocks (0 with none).
    #[inline(always)]
    pub(super) fn spare_len(&self) -> usize {
        self.spare_bytes.get()
    }

    /// Makes the newest spare block the block when it can hold `layout` (the old block's free
    /// tail is given up until the next reset). Returns whether it did.
    pub(super) fn take_spare_as_block(&self, layout: core::alloc::Layout) -> bool {
        let Some(header) = self.newest_spare() else {
            return false;
        };
        // SAFETY: a spare header, written by `push_spare` into a block no one else reaches; the
        // list is emptied whenever the chunks are reset or freed.
        let SpareHeader { below, end } = unsafe { header.as_ptr().read() };
        let start = header.cast::<u8>();
        let at = start.as_ptr() as usize;
        let padding = super::sizes::padding_at(at, layout.align());
        let needed = padding.saturating_add(super::sizes::block_bytes(layout.size()));
        if needed > end - at {
            return false;
        }
        asan::poison(start.as_ptr(), size_of::<SpareHeader>());
        self.set_newest_spare(below);
        self.spare_bytes.set(self.spare_bytes.get() - (end - at));
        self.set_block_start(start);
        self.cursor.set(start);
        self.set_block_end(end);
        self.forget_byte_tail();
        true
    }

    /// Forgets the spare blocks (their chunks are being reset or freed).
    #[inline(always)]
    pub(super) fn forget_spare(&self) {
        self.set_newest_spare(None);
        self.spare_bytes.set(0);
    }

    /// The newest valid checkpoint's record. (The list heads are kept as `Cell<NonNull<u8>>`,
    /// [`no_block`] for none, like the cursor: a type `Arena` already has, so the compiler's
    /// note on why `Arena` is not `Sync` does not grow a line per list.)
    #[inline(always)]
    fn newest_record(&self) -> Option<NonNull<CheckpointRecord>> {
        let at = self.checkpoints.get();
        (at != no_block()).then(|| at.cast())
    }

    #[inline(always)]
    fn set_newest_record(&self, record: Option<NonNull<CheckpointRecord>>) {
        self.checkpoints
            .set(record.map_or_else(no_block, NonNull::cast));
    }

    /// The newest spare block's header.
    #[inline(always)]
    fn newest_spare(&self) -> Option<NonNull<SpareHeader>> {
        let at = self.spares.get();
        (at != no_block()).then(|| at.cast())
    }

    #[inline(always)]
    fn set_newest_spare(&self, spare: Option<NonNull<SpareHeader>>) {
        self.spares.set(spare.map_or_else(no_block, NonNull::cast));
    }

    /// Forgets every checkpoint (and the peak use): called by every reset, which takes back the
    /// memory of the records.
    #[inline(always)]
    pub(super) fn forget_checkpoints(&self) {
        self.set_newest_record(None);
        self.era.set(0);
    }
}

/// Resumes the first panic of a destructor run, once the arena is consistent again.
#[inline(always)]
pub(super) fn resume_first_panic(run: DropsRun) {
    if let Some(payload) = run.first_panic {
        payload.resume();
    }
}
