//! Scopes: a pooled, per-thread arena for the length of a closure.
//!
//! Each thread keeps a chain of arenas, one per nesting depth. A scope takes the next one (nested
//! scopes each get their own), runs the closure, then runs the pending destructors and rewinds
//! the arena for the next scope, keeping as much memory as `ARENA_RETAIN` allows. After a few
//! iterations of a steady loop, entering and leaving a scope touches neither the global allocator
//! nor any lock.
//!
//! The hot path is short because the general end of a scope (destructors, retention, a resized
//! chunk) prepares the next one: it records the knob state it ran under and the least number of
//! bytes a round must use for its one chunk to be exactly what retention would keep (the steady
//! floor). While the knobs stay unchanged, the next plain scope is a thread-local load, one
//! compare of the knob state, and at the end a bare rewind when the round used at least the floor
//! and took no new chunk or destructor (either resets the floor). Anything else goes the general
//! way. The pool's memory is given back when the thread ends, except the arenas of scopes still
//! open then (`std::process::exit` inside a scope), which are left alone.

use core::cell::{Cell, UnsafeCell};
use core::ptr::{self, NonNull};
use std::borrow::Cow;
use std::panic;
use std::time::Instant;

use crate::arena::Arena;
use crate::config::{self, KnobState, Retain};
use crate::drop_list::DestructorPanic;
use crate::error::{LimitSetBy, OrPanic};
use crate::trace::TraceLine;

/// Options of one scope; what `arena_scope!(capacity = .., limit = .., label = .., |mem| ..)`
/// fills in.
#[derive(Clone, Copy, Debug)]
pub struct ScopeOptions {
    /// Bytes the scope's arena should have reserved before the closure runs; with a `limit`, no
    /// more than the limit lets one chunk hold (see
    /// [`ArenaBuilder::capacity`](crate::ArenaBuilder::capacity)).
    pub capacity: Option<usize>,
    /// A hard limit on the bytes the scope's arena may reserve.
    pub limit: Option<usize>,
    /// A name for errors, stats and trace lines.
    pub label: Option<&'static str>,
    /// `file:line` of the scope, shown in trace lines when there is no label.
    pub call_site: &'static str,
}

/// One pooled arena, with the link to the slot of the next nesting depth. `repr(C)` with the
/// head first: a pointer to a slot is a pointer to its head, which is what [`NEXT`] and
/// [`Slot::deeper`] hold.
#[repr(C)]
struct Slot {
    head: SlotHead,
    arena: Arena,
    /// The head of the slot a scope nested in this one takes; [`no_slot`] until a scope first
    /// nests that deep.
    deeper: Cell<*const SlotHead>,
}

/// What a scope reads of a slot before it knows it takes it.
#[repr(C)]
struct SlotHead {
    /// The knob state ([`config::scope_state`]) under which the arena's steady floor was last
    /// set: a scope takes the fast path only while the state is still this one (knobs loaded,
    /// tracing off, no knob written since). [`NO_FAST_PATH`] until then, and always in
    /// [`NO_SLOT`].
    fast_state: Cell<KnobState>,
}

/// A [`SlotHead::fast_state`] that no knob state equals.
const NO_FAST_PATH: KnobState = KnobState::NEVER;

/// A head with no slot around it: where [`NEXT`] and [`Slot::deeper`] point when there is no
/// slot to take. Its state never equals the knob state, so the fast path's one compare also
/// refuses "no slot", and only the slow path asks [`slot_of`] which it is.
struct NoSlot(SlotHead);

// SAFETY: the head's cell is never written: only the heads of real slots are (through a `&Slot`,
// in `refresh_fast_path`), and `slot_of` never turns this one into a slot. Reads of an unwritten
// cell from several threads do not race.
unsafe impl Sync for NoSlot {}

/// See [`NoSlot`].
static NO_SLOT: NoSlot = NoSlot(SlotHead {
    fast_state: Cell::new(NO_FAST_PATH),
});

/// The head that stands for "no slot".
#[inline(always)]
fn no_slot() -> *const SlotHead {
    &NO_SLOT.0
}

/// The slot a head belongs to; `None` for [`no_slot`].
#[inline(always)]
fn slot_of(head: *const SlotHead) -> Option<NonNull<Slot>> {
    if ptr::eq(head, no_slot()) {
        None
    } else {
        // A head other than `NO_SLOT`'s is the first field of a slot (`repr(C)`), and its
        // pointer was made from the slot's own (see `head_of`).
        NonNull::new(head.cast_mut().cast::<Slot>())
    }
}

/// The head of a slot, as [`NEXT`] and [`Slot::deeper`] hold it: the slot's own pointer, cast.
#[inline(always)]
fn head_of(slot: NonNull<Slot>) -> *const SlotHead {
    slot.as_ptr().cast_const().cast::<SlotHead>()
}

/// The arenas of one thread, owned here and freed when the thread ends. Slot `d` serves the
/// scopes at nesting depth `d`; each links to the next through [`Slot::deeper`].
struct Pool {
    /// Slots allocated with `Box::into_raw`, so each stays at a fixed address while the vector
    /// grows, and the pointers the scopes hold stay valid (only `Pool`'s drop turns them back
    /// into boxes).
    slots: UnsafeCell<Vec<NonNull<Slot>>>,
}

thread_local! {
    static POOL: Pool = const {
        Pool {
            slots: UnsafeCell::new(Vec::new()),
        }
    };

    /// The head of the slot the next scope on this thread takes: the one of depth 0 when no
    /// scope is open, the `deeper` link of the innermost open one otherwise. [`no_slot`] when
    /// that slot does not exist yet, and after the pool was freed. (No destructor, so reading it
    /// is a plain thread-local load.)
    static NEXT: Cell<*const SlotHead> = const { Cell::new(&NO_SLOT.0) };
}

/// Runs `f` with an arena from this thread's pool and returns what it returns. Everything
/// allocated in the arena is freed when `f` returns (or panics); nothing borrowed from it can be
/// returned, which the compiler checks.
///
/// Prefer the [`arena_scope!`](https://docs.rs/arena/latest/arena/macro.arena_scope.html) macro
/// of the `arena` crate, which adds options; this function records the caller's location for
/// the trace.
///
/// # Panics
///
/// If `f` panics (after the scope's destructors ran and its arena went back to the pool), if a
/// destructor run at the end of the scope panics, or if a knob in the environment is malformed
/// (the message names it). Every destructor runs even when some panic; when `f` returned, the
/// first destructor panic (the newest value's) is resumed once the arena is back in the pool;
/// when `f` panicked, its panic goes on and the destructors' panics are dropped.
///
/// `std::process::exit` inside `f` ends the process without ending the scope: as for the values
/// on the stack, the destructors of the scope's values do not run, and its arena is left alone
/// while the thread's other pooled arenas are freed.
///
/// ```
/// # use arena_core as arena;
/// use arena::scope;
///
/// let total: u64 = scope(|mem| {
///     let squares = mem.alloc_slice_fill_with(10, |i| (i * i) as u64);
///     squares.iter().sum()
/// });
/// assert_eq!(total, 285);
/// ```
///
/// Returning a reference into the scope's arena does not compile:
///
/// ```compile_fail
/// # use arena_core as arena;
/// let name: &str = arena::scope(|mem| mem.alloc_str("escapes"));
/// ```
#[track_caller]
#[inline]
pub fn scope<R>(f: impl for<'a> FnOnce(&'a Arena) -> R) -> R {
    let options = ScopeOptions {
        capacity: None,
        limit: None,
        label: None,
        call_site: "",
    };
    run_scope(&options, Some(panic::Location::caller()), f)
}

/// The entry point of `arena_scope!`: [`scope`] with options.
#[inline]
#[track_caller]
pub fn scope_with<R>(options: ScopeOptions, f: impl for<'a> FnOnce(&'a Arena) -> R) -> R {
    run_scope(&options, None, f)
}

/// The entry point of `arena_scope!(count_allocations = on, ..)`: [`scope_with`], with the
/// scope's allocations counted in [`Stats::allocations`](crate::Stats::allocations) when `on`
/// (as they are while tracing). A counting scope takes the general path, not the fast one.
#[inline]
#[track_caller]
pub fn scope_with_counting<R>(
    options: ScopeOptions,
    on: bool,
    f: impl for<'a> FnOnce(&'a Arena) -> R,
) -> R {
    if on {
        run_scope_slow(options, None, true, f)
    } else {
        run_scope(&options, None, f)
    }
}

#[inline(always)]
#[track_caller]
fn run_scope<R>(
    options: &ScopeOptions,
    location: Option<&'static panic::Location<'static>>,
    f: impl for<'a> FnOnce(&'a Arena) -> R,
) -> R {
    let plain = options.capacity.is_none() && options.limit.is_none() && options.label.is_none();
    let head = NEXT.get();
    // SAFETY: `NEXT` is `NO_SLOT`'s head (static) or the head of a live slot of this thread's
    // pool that no open scope holds (see `take_slot`); only the head is read.
    if plain && unsafe { (*head).fast_state.get() } == config::scope_state() {
        // SAFETY: `NO_SLOT`'s state equals no knob state, so this is a real slot's head, which
        // is the slot's own pointer (see `head_of`); the slot is taken now.
        let slot = unsafe { NonNull::new_unchecked(head.cast_mut().cast::<Slot>()) };
        run_fast_scope(slot, f)
    } else {
        run_scope_slow(*options, location, false, f)
    }
}

/// The hot path: knobs loaded and unchanged since the slot's last general end, tracing off, no
/// options. Enter is two thread-local accesses; the end is a bare rewind in the steady state.
#[inline(always)]
fn run_fast_scope<R>(slot: NonNull<Slot>, f: impl for<'a> FnOnce(&'a Arena) -> R) -> R {
    take(slot);
    let guard = FastScope { slot };
    // SAFETY: the arena stays in its boxed slot, unmoved and not reset, until the guard closes
    // after `f` returned or unwound; `NEXT` moved past the slot, so no other scope takes it
    // meanwhile. `f` gets a shared borrow that cannot escape (the closure is higher-ranked).
    let result = f(unsafe { &(*slot.as_ptr()).arena });
    guard.finish();
    result
}

/// A scope with options, tracing, knobs not loaded yet or changed, an arena not in the steady
/// state yet, or the first scope of this depth on this thread.
#[inline(never)]
#[track_caller]
fn run_scope_slow<R>(
    options: ScopeOptions,
    location: Option<&'static panic::Location<'static>>,
    count: bool,
    f: impl for<'a> FnOnce(&'a Arena) -> R,
) -> R {
    let state = config::scope_state();
    let traced = if state.is_loaded_untraced() {
        None
    } else {
        entry_slow(state)
    };
    let Some(slot) = take_slot() else {
        // The thread is tearing down its thread-locals (a scope in another thread-local's
        // destructor): a standalone arena, with the scope's options.
        return f(&standalone_arena(&options, count));
    };
    let guard = ScopeGuard::enter(slot, &options, location, traced, count);
    // SAFETY: as in `run_fast_scope`.
    let result = f(unsafe { &(*slot.as_ptr()).arena });
    guard.finish();
    result
}

/// Takes the slot for the next depth, creating it the first time; `None` once the pool is gone.
#[inline]
fn take_slot() -> Option<NonNull<Slot>> {
    let slot = match slot_of(NEXT.get()) {
        Some(slot) => slot,
        None => new_slot()?,
    };
    take(slot);
    Some(slot)
}

/// Marks `slot` as in use: the next scope, nested in this one, takes the slot after it.
#[inline(always)]
fn take(slot: NonNull<Slot>) {
    // SAFETY: `slot` is live (the pool frees slots only at thread end, and never one an open
    // scope holds); only its `deeper` field is read.
    NEXT.set(unsafe { (*slot.as_ptr()).deeper.get() });
}

/// After the general end of a scope: sets the slot up for the fast path under the knobs in
/// force and gives it back to the pool.
fn give_back(slot: NonNull<Slot>) {
    // SAFETY: the scope and its destructors are done; nothing else refers to the slot now.
    refresh_fast_path(unsafe { slot.as_ref() });
    // Only now: a destructor that opened a scope took a deeper slot, not this one.
    NEXT.set(head_of(slot));
}

/// `NEXT` is null while the pool lives only when every slot is taken by an open scope (the
/// pool has one per open depth): adds the slot of the next depth and links it below the
/// innermost one.
#[cold]
#[inline(never)]
fn new_slot() -> Option<NonNull<Slot>> {
    POOL.try_with(|pool| {
        // SAFETY: the vector is touched only here and in `Pool`'s drop, and no reference into
        // it is kept: slots are reached through their boxes' stable addresses.
        let slots = unsafe { &mut *pool.slots.get() };
        let new = NonNull::from(Box::leak(Box::new(Slot {
            head: SlotHead {
                fast_state: Cell::new(NO_FAST_PATH),
            },
            arena: new_pooled_arena(),
            deeper: Cell::new(no_slot()),
        })));
        if let Some(parent) = slots.last() {
            // SAFETY: the innermost slot is live. Its scope may be using its arena (even `&mut`,
            // when this runs from a destructor at that scope's end), so only the `deeper` field
            // is touched, through a reference to that field alone.
            unsafe { (*parent.as_ptr()).deeper.set(head_of(new)) };
        }
        slots.push(new);
        new
    })
    .ok()
}

/// An open fast scope (see [`run_fast_scope`]).
struct FastScope {
    slot: NonNull<Slot>,
}

impl FastScope {
    /// Ends the scope normally: a destructor's panic is resumed once the pool is consistent.
    #[inline(always)]
    fn finish(self) {
        let slot = core::mem::ManuallyDrop::new(self).slot;
        // SAFETY: `f` has returned, so its shared borrow is over; the scope is the arena's only
        // user again.
        let arena = unsafe { &mut (*slot.as_ptr()).arena };
        if arena.rewind_steady() {
            NEXT.set(head_of(slot));
        } else if let Some(payload) = end_slot(slot) {
            payload.resume();
        }
    }
}

impl Drop for FastScope {
    /// Unwinding out of the closure: destructors still run; a second panic from one of them is
    /// dropped, since panicking again now would abort the process. Inlined, so the slot stays
    /// in a register while the closure runs rather than being written to the stack.
    #[inline(always)]
    fn drop(&mut self) {
        let _ = end_slot(self.slot);
    }
}

/// The general end of a scope: destructors, retention, then the steady floor for the next
/// scopes, and the slot goes back to the pool. Returns a destructor's panic.
#[cold]
#[inline(never)]
fn end_slot(slot: NonNull<Slot>) -> Option<DestructorPanic> {
    // SAFETY: the scope's closure is over; the arena is the caller's alone until `NEXT` points at
    // the slot again below. Only the arena field is borrowed: a destructor that opens a scope
    // may link a new slot through this slot's `deeper`.
    let end = reset_with_retention(unsafe { &mut (*slot.as_ptr()).arena }, 0);
    give_back(slot);
    end.first_panic
}

/// Sets the slot's steady floor for the knobs in force and lets the next plain scopes take the
/// fast path while they stay in force.
fn refresh_fast_path(slot: &Slot) {
    // Read before the knobs: a knob written after this load changes the state, so a stale
    // floor is never used.
    let state = config::scope_state();
    // A counting arena (its scope started while tracing) takes one more general entry, which
    // turns counting off: fast scopes never count.
    let fast = state.is_loaded_untraced()
        && slot.arena.limit().is_none()
        && slot.arena.allocation_count().is_none()
        && slot
            .arena
            .set_steady_floor(config::retain(), config::ballast());
    slot.head
        .fast_state
        .set(if fast { state } else { NO_FAST_PATH });
}

/// The cold part of a scope's entry: first load of the knobs, tracing.
#[cold]
#[inline(never)]
#[track_caller]
fn entry_slow(state: KnobState) -> Option<Instant> {
    let state = if !state.is_loaded() {
        match config::ensure_loaded() {
            Ok(state) => state,
            Err(err) => panic!("arena scope: {err}"),
        }
    } else {
        state
    };
    crate::trace::mark_epoch();
    state.traces().then(Instant::now)
}

/// Where a scope is, for its trace line.
#[derive(Clone, Copy)]
enum Place {
    Label(&'static str),
    CallSite(&'static str),
    Location(&'static panic::Location<'static>),
}

/// An open scope. Closing it (normally or while unwinding) runs the arena's destructors, resets
/// it under the retention policy and gives it back to the pool.
struct ScopeGuard {
    slot: NonNull<Slot>,
    options_used: bool,
    /// The bytes the scope's `capacity` reserved (0 without one): its end keeps at least that,
    /// so the next scope with the same capacity finds it reserved and allocates nothing.
    capacity_kept: usize,
    place: Place,
    traced: Option<Instant>,
    finished: bool,
}

/// What closing a scope did.
pub(crate) struct ScopeEnd {
    pub(crate) drops: usize,
    pub(crate) first_panic: Option<DestructorPanic>,
}

impl ScopeGuard {
    #[inline]
    #[track_caller]
    fn enter(
        slot: NonNull<Slot>,
        options: &ScopeOptions,
        location: Option<&'static panic::Location<'static>>,
        traced: Option<Instant>,
        count: bool,
    ) -> ScopeGuard {
        let place = match (options.label, location) {
            (Some(label), _) => Place::Label(label),
            (None, Some(location)) => Place::Location(location),
            (None, None) => Place::CallSite(options.call_site),
        };
        // SAFETY: the scope has not started yet; the guard is the arena's only user, and the
        // arena holds nothing (the slot was reset when it was given back).
        unsafe {
            (*slot.as_ptr())
                .arena
                .set_counting(traced.is_some() || count)
        };
        let mut guard = ScopeGuard {
            slot,
            options_used: false,
            capacity_kept: 0,
            place,
            traced,
            finished: false,
        };
        if options.capacity.is_some() || options.limit.is_some() || options.label.is_some() {
            guard.apply_options(options);
        }
        guard
    }

    #[cold]
    #[track_caller]
    fn apply_options(&mut self, options: &ScopeOptions) {
        self.options_used = true;
        // SAFETY: the scope has not started yet; the guard is the arena's only user.
        let arena = unsafe { &mut (*self.slot.as_ptr()).arena };
        arena.set_limit(options.limit, LimitSetBy::Scope);
        arena.set_label(options.label.map(Cow::Borrowed));
        if options
            .limit
            .is_some_and(|limit| arena.reserved_bytes() > limit)
        {
            // The pool kept more than this scope may use: start it from nothing, so the limit
            // holds for the memory the scope can reach, not only for new chunks.
            let _ = arena.reserve_fresh(0);
        }
        if let Some(capacity) = options.capacity {
            // As much as the scope's limit allows, which a pooled arena may already hold.
            let within = arena.capacity_within_limit(capacity);
            self.capacity_kept = within;
            if arena.reserved_bytes() < within {
                if let Err(err) = arena.reserve_fresh(capacity) {
                    self.close();
                    self.finished = true;
                    err.panic();
                }
            }
        }
    }

    /// Ends the scope normally: a destructor's panic is resumed once the pool is consistent.
    #[inline]
    fn finish(mut self) {
        self.finished = true;
        if let Some(payload) = self.close().first_panic {
            payload.resume();
        }
    }

    /// Resets the arena, sets it up for the fast path and gives the slot back to the pool.
    #[inline]
    fn close(&mut self) -> ScopeEnd {
        // SAFETY: `f` has returned or unwound, so the shared borrow it had is over; the guard is
        // again the arena's only user, until `NEXT` points at the slot again. Only the arena
        // field is borrowed (see `end_slot`).
        let arena = unsafe { &mut (*self.slot.as_ptr()).arena };
        let end = if self.traced.is_some() || self.options_used {
            self.close_slow(arena)
        } else if arena.used_bytes() == 0 && arena.drops_pending() == 0 {
            // Nothing to free (an empty scope, or one that only computed): nothing to do.
            arena.clear_counters();
            ScopeEnd {
                drops: 0,
                first_panic: None,
            }
        } else {
            reset_with_retention(arena, 0)
        };
        give_back(self.slot);
        end
    }

    /// Closing with a trace line or scope options to undo.
    #[cold]
    #[inline(never)]
    fn close_slow(&self, arena: &mut Arena) -> ScopeEnd {
        let (end, line) = reset_traced(arena, self.capacity_kept, self.traced);
        if let Some(line) = line {
            match self.place {
                Place::Label(label) | Place::CallSite(label) => TraceLine {
                    place: label,
                    ..line
                }
                .emit(),
                Place::Location(location) => {
                    let mut buffer = [0u8; 256];
                    let place = crate::trace::format_location(location, &mut buffer);
                    TraceLine { place, ..line }.emit()
                }
            }
        }
        if self.options_used {
            arena.set_limit(None, LimitSetBy::Builder);
            arena.set_label(None);
        }
        end
    }
}

impl Drop for ScopeGuard {
    fn drop(&mut self) {
        if !self.finished {
            // Unwinding out of the closure: destructors still run; a second panic from one of
            // them is dropped, since panicking again now would abort the process.
            let _ = self.close();
        }
    }
}

/// [`reset_with_retention`], and when the round is traced (`started`), its trace line: the
/// arena's figures from before the reset, the memory kept after it, with no place yet (the
/// caller names it: a scope its label or call site, a pool its label).
pub(crate) fn reset_traced(
    arena: &mut Arena,
    at_least: usize,
    started: Option<Instant>,
) -> (ScopeEnd, Option<TraceLine<'static>>) {
    let Some(started) = started else {
        return (reset_with_retention(arena, at_least), None);
    };
    // With `scoped` or rewinds inside the round, what it held at its peak.
    let used = arena.peak_used_bytes();
    let reserved = arena.reserved_bytes();
    let chunks = arena.chunk_count();
    let (current, other) = (arena.current_chunk_usage(), arena.other_chunks_usage());
    let allocations = arena.allocation_count();
    let end = reset_with_retention(arena, at_least);
    let line = TraceLine {
        started,
        used,
        kept: arena.reserved_bytes(),
        reserved,
        chunks,
        current,
        other,
        allocations,
        drops: end.drops,
        limit: arena.limit(),
        place: "",
    };
    (end, Some(line))
}

/// Ends a scope that allocated (or a loan of [`ArenaPool`](crate::ArenaPool)): destructors, then
/// the retention policy (`ARENA_RETAIN`, never below `ARENA_BALLAST` nor `at_least` bytes).
#[cold]
#[inline(never)]
pub(crate) fn reset_with_retention(arena: &mut Arena, at_least: usize) -> ScopeEnd {
    let needed = arena.peak_used_bytes();
    let retain = config::retain();
    let keep = match retain {
        Retain::Off => arena.reserved_bytes(),
        Retain::Percent(percent) => {
            let scaled = (needed as u128 * u128::from(percent)).div_ceil(100);
            usize::try_from(scaled).unwrap_or(usize::MAX)
        }
    }
    .max(config::ballast())
    .max(at_least);
    // `off` merges everything into one chunk; a percentage keeps a grown round's chunks in place.
    let run = match retain {
        Retain::Off => arena.reset_keeping(keep),
        Retain::Percent(_) => arena.reset_for_reuse(keep),
    };
    ScopeEnd {
        drops: run.count,
        first_panic: run.first_panic,
    }
}

/// The arena of a scope that finds no pool (its thread is tearing down its thread-locals): the
/// same options, so its limit holds as in any scope.
#[cold]
#[track_caller]
fn standalone_arena(options: &ScopeOptions, count: bool) -> Arena {
    let mut builder = Arena::builder();
    if count {
        builder = builder.count_allocations(true);
    }
    if let Some(limit) = options.limit {
        builder = builder.limit(limit);
    }
    if let Some(label) = options.label {
        builder = builder.label(label);
    }
    if let Some(capacity) = options.capacity {
        builder = builder.capacity(capacity);
    }
    let mut arena = builder.try_build().or_panic();
    arena.set_limit(options.limit, LimitSetBy::Scope);
    arena
}

/// A new arena for the pool, with `ARENA_BALLAST` reserved (or empty if that cannot be had).
#[cold]
fn new_pooled_arena() -> Arena {
    let mut arena = Arena::try_with_capacity(config::ballast()).unwrap_or_default();
    arena.set_pooled();
    arena
}

impl Drop for Pool {
    /// Frees the pooled arenas of the ending thread, except those of scopes still open.
    ///
    /// Thread-local destructors usually run after the thread's code, with no scope open. But
    /// `std::process::exit` runs the calling thread's thread-local destructors (glibc does, in
    /// `exit`) while the scopes that called it are still open, and they never close. Their
    /// arenas stay allocated and untouched: like the values on the stack, which `exit` does not
    /// drop either, their destructors do not run, and the memory goes with the process. Later
    /// scopes, in other thread-locals' destructors, find no slot and use a standalone arena.
    fn drop(&mut self) {
        let next = NEXT.get();
        NEXT.set(no_slot());
        let slots = self.slots.get_mut();
        // Open scopes hold the first slots of the chain (one per open depth), up to the one the
        // next scope would take; all of them when that one does not exist yet.
        let open = slots
            .iter()
            .position(|&slot| ptr::eq(head_of(slot), next))
            .unwrap_or(slots.len());
        if let Some(innermost) = open.checked_sub(1).map(|depth| slots[depth]) {
            // SAFETY: the slot of the innermost open scope is live (it is not freed below). Its
            // scope may be using the arena, so only the `deeper` field is written: it no longer
            // leads to the slots freed below, should that scope ever close and another open
            // inside it.
            unsafe { (*innermost.as_ptr()).deeper.set(no_slot()) };
        }
        for slot in slots.drain(open..) {
            // SAFETY: each slot came from `Box::leak` in `new_slot` and is freed once, here; no
            // open scope holds it (those are the slots before `open`), and nothing links to it
            // any more: `NEXT` is null and the innermost open slot's `deeper` was cleared.
            drop(unsafe { Box::from_raw(slot.as_ptr()) });
        }
        // The slots of open scopes are left allocated (leaked).
    }
}
