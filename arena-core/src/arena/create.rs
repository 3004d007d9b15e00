//! Construction: [`Arena::new`], [`Arena::with_capacity`] and its `try_` twin, and the setters the
//! builder uses (limit, label, counting), with their getters.
//!
//! Relies on the block engine for the empty block and on the chunks room to reserve a first
//! chunk; a new arena fences bumpalo at once, so that every chunk goes through the limits.

use core::cell::Cell;
use core::marker::PhantomData;
use std::borrow::Cow;
use std::panic::Location;

use super::block::no_block;
use super::sizes::NOT_STEADY;
use super::{Arena, Engine};
use crate::drop_list::DropList;
use crate::error::{AllocError, LimitSetBy, OrPanic};

impl Arena {
    /// A new, empty arena. It takes no memory until the first allocation. It counts its
    /// allocations only if `ARENA_DEBUG=arenatrace=1` is in force now (see
    /// [`Stats::allocations`](crate::Stats::allocations); [`Arena::builder`] can ask for counting).
    ///
    /// Go: `arena.NewArena()`.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// assert_eq!(mem.stats().reserved_bytes, 0);
    /// ```
    #[track_caller]
    pub fn new() -> Self {
        Arena {
            bump: Engine::with_min_align(),
            cursor: Cell::new(no_block()),
            block_start: Cell::new(no_block()),
            block_end: Cell::new(no_block().as_ptr() as usize),
            byte_tail: Cell::new(no_block()),
            fast_end: Cell::new(no_block().as_ptr() as usize),
            drops: DropList::default(),
            allocations: Cell::new(0),
            counts_allocations: crate::trace::enabled(),
            general_scopes: crate::trace::enabled(),
            general_reset: Cell::new(0),
            newest_chunk_bytes: Cell::new(0),
            stranded_bytes: Cell::new(0),
            steady_floor: Cell::new(NOT_STEADY),
            steady_cursor: Cell::new(usize::MAX),
            limit: None,
            limit_set_by: LimitSetBy::Builder,
            label: None,
            pooled: false,
            id: super::checkpoint::new_arena_id(),
            era: Cell::new(0),
            checkpoints: Cell::new(no_block()),
            next_stamp: Cell::new(1),
            scope_floor: Cell::new(0),
            spares: Cell::new(no_block()),
            spare_bytes: Cell::new(0),
            peak_used: Cell::new(0),
            holds_kept: false,
            created_at: Location::caller(),
            _not_sync: PhantomData,
        }
        .with_bumpalo_fenced()
        .with_fast_end()
    }

    /// Sets the fast end for whether the new arena counts (see [`Arena::set_block_end`]).
    fn with_fast_end(self) -> Self {
        self.set_block_end(self.block_end.get());
        self
    }

    /// Keeps bumpalo from growing on its own: every new chunk goes through
    /// [`Arena::add_chunk`], which reserves it under the limits first.
    fn with_bumpalo_fenced(self) -> Self {
        self.bump
            .set_allocation_limit(Some(self.bump.allocated_bytes()));
        self
    }

    /// A new arena with at least `bytes` reserved up front, so the first allocations need no new
    /// chunk (the Rust counterpart of Go's memory ballast).
    ///
    /// # Panics
    ///
    /// If the memory cannot be reserved (process-wide limit, out of memory).
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::with_capacity(64 << 10);
    /// assert!(mem.stats().reserved_bytes >= 64 << 10);
    /// assert_eq!(mem.stats().chunks, 1);
    /// ```
    #[track_caller]
    pub fn with_capacity(bytes: usize) -> Self {
        Self::try_with_capacity(bytes).or_panic()
    }

    /// Like [`with_capacity`](Arena::with_capacity), returning an error instead of panicking.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// assert!(Arena::try_with_capacity(usize::MAX).is_err());
    /// ```
    #[track_caller]
    pub fn try_with_capacity(bytes: usize) -> Result<Self, AllocError> {
        let mut arena = Arena::new();
        arena.reserve_fresh(bytes)?;
        Ok(arena)
    }

    /// Sets the arena's own limit; `by` names the option that set it, which the limit's error
    /// message advises raising.
    pub(crate) fn set_limit(&mut self, limit: Option<usize>, by: LimitSetBy) {
        self.limit = limit;
        self.limit_set_by = by;
    }

    pub(crate) fn set_label(&mut self, label: Option<Cow<'static, str>>) {
        self.label = label;
    }

    /// Makes the arena a pool's: traced by its scope or guard rather than when dropped, and
    /// its `scoped` ends record the peak the retention policy reads.
    pub(crate) fn set_pooled(&mut self) {
        self.pooled = true;
        self.general_scopes = true;
    }

    /// Turns the allocation count of [`Stats::allocations`] on or off. Called only on an arena
    /// that allocated nothing since its last reset, so a count is always complete.
    pub(crate) fn set_counting(&mut self, on: bool) {
        debug_assert_eq!(self.used_bytes(), 0, "counting switched mid-round");
        self.counts_allocations = on;
        self.general_scopes = on || self.pooled;
        self.set_block_end(self.block_end.get());
        self.clear_counters();
    }

    /// The arena's label, if it has one.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// assert_eq!(Arena::builder().label("req").build().label(), Some("req"));
    /// ```
    pub fn label(&self) -> Option<&str> {
        self.label.as_deref()
    }

    /// Where the arena was created (the call of `Arena::new`, `with_capacity` or the builder's
    /// `build`): what a trace line shows for an arena without a label.
    pub(crate) fn created_at(&self) -> &'static Location<'static> {
        self.created_at
    }

    /// The arena's own limit on reserved bytes, if it has one.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// assert_eq!(Arena::new().limit(), None);
    /// ```
    pub fn limit(&self) -> Option<usize> {
        self.limit
    }
}

impl Default for Arena {
    /// The same as [`Arena::new`].
    #[track_caller]
    fn default() -> Self {
        Arena::new()
    }
}
