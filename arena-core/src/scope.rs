//! Scopes: a pooled, per-thread arena for the length of a closure.
//!
//! Each thread keeps a stack of arenas. A scope takes the next one (nested scopes each get their
//! own), runs the closure, then runs the pending destructors and rewinds the arena for the next
//! scope, keeping as much memory as `ARENA_RETAIN` allows. After a few iterations of a steady
//! loop, entering and leaving a scope touches neither the global allocator nor any lock. The
//! pool's memory is given back when the thread ends.

use core::any::Any;
use core::cell::{Cell, UnsafeCell};
use core::ptr::NonNull;
use std::borrow::Cow;
use std::panic;
use std::time::Instant;

use crate::arena::Arena;
use crate::config::{self, Retain};
use crate::trace::TraceLine;

/// Options of one scope; what `arena_scope!(capacity = .., limit = .., label = .., |mem| ..)`
/// fills in.
#[derive(Clone, Copy, Debug)]
pub struct ScopeOptions {
    /// Bytes the scope's arena should have reserved before the closure runs.
    pub capacity: Option<usize>,
    /// A hard limit on the bytes the scope's arena may reserve.
    pub limit: Option<usize>,
    /// A name for errors, stats and trace lines.
    pub label: Option<&'static str>,
    /// `file:line` of the scope, shown in trace lines when there is no label.
    pub call_site: &'static str,
}

/// The arenas of one thread.
struct Pool {
    /// One boxed arena per nesting depth in use so far; boxes keep each arena at a fixed address
    /// while deeper scopes push more.
    #[allow(clippy::vec_box)]
    arenas: UnsafeCell<Vec<Box<Arena>>>,
    /// How many scopes are open on this thread.
    depth: Cell<usize>,
}

thread_local! {
    static POOL: Pool = const {
        Pool {
            arenas: UnsafeCell::new(Vec::new()),
            depth: Cell::new(0),
        }
    };
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
/// (the message names it).
///
/// ```
/// use arena_core::scope;
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
/// let name: &str = arena_core::scope(|mem| mem.alloc_str("escapes"));
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
pub fn scope_with<R>(options: ScopeOptions, f: impl for<'a> FnOnce(&'a Arena) -> R) -> R {
    run_scope(&options, None, f)
}

#[inline(always)]
fn run_scope<R>(
    options: &ScopeOptions,
    location: Option<&'static panic::Location<'static>>,
    f: impl for<'a> FnOnce(&'a Arena) -> R,
) -> R {
    let plain = options.capacity.is_none() && options.limit.is_none() && options.label.is_none();
    let state = config::scope_state();
    if plain && state == config::LOADED {
        run_plain_scope(f)
    } else {
        run_scope_slow(options, location, state, f)
    }
}

/// Runs `run(pool, f)` on this thread's pool; while the thread is tearing down its
/// thread-locals (a scope in another thread-local's destructor), runs `f` in a standalone arena.
#[inline(always)]
fn with_pool<R, F: for<'a> FnOnce(&'a Arena) -> R>(f: F, run: impl FnOnce(&Pool, F) -> R) -> R {
    let mut f = Some(f);
    let pooled = POOL.try_with(|pool| run(pool, f.take().expect("the scope closure runs once")));
    match pooled {
        Ok(result) => result,
        Err(_) => (f.take().expect("the scope closure runs once"))(&Arena::new()),
    }
}

/// The hot path: knobs loaded, tracing off, no options.
#[inline(always)]
fn run_plain_scope<R>(f: impl for<'a> FnOnce(&'a Arena) -> R) -> R {
    with_pool(f, |pool, f| {
        let guard = PlainScope::enter(pool);
        // SAFETY: as in `run_scope_slow`: the pooled arena is the guard's alone until it closes.
        let result = f(unsafe { guard.arena.as_ref() });
        guard.finish();
        result
    })
}

/// A scope with options, tracing, or knobs not loaded yet.
#[inline(never)]
fn run_scope_slow<R>(
    options: &ScopeOptions,
    location: Option<&'static panic::Location<'static>>,
    state: u8,
    f: impl for<'a> FnOnce(&'a Arena) -> R,
) -> R {
    let traced = if state == config::LOADED {
        None
    } else {
        entry_slow(state)
    };
    with_pool(f, |pool, f| {
        let guard = ScopeGuard::enter(pool, options, location, traced);
        // SAFETY: the arena is boxed in the pool and stays there, unmoved and not reset, until
        // the guard is closed after `f` returned or unwound; the pool hands each depth to one
        // scope at a time, so no other reference to it exists. `f` gets a shared borrow that
        // cannot escape (the higher-ranked closure type forbids returning or storing it).
        let result = f(unsafe { guard.arena.as_ref() });
        guard.finish();
        result
    })
}

impl Pool {
    /// Takes the arena for the next depth (creating it the first time) and opens the depth.
    #[inline(always)]
    fn open(&self) -> (NonNull<Arena>, usize) {
        let depth = self.depth.get();
        // SAFETY: the vector is only touched here and in `Pool`'s drop, never while a reference
        // into it is held across user code: we copy out one box's address and let go.
        let arena = unsafe {
            let arenas = &mut *self.arenas.get();
            if depth == arenas.len() {
                grow_pool(arenas);
            }
            NonNull::from(&mut **arenas.get_unchecked_mut(depth))
        };
        self.depth.set(depth + 1);
        (arena, depth)
    }
}

#[cold]
#[inline(never)]
#[allow(clippy::vec_box)]
fn grow_pool(arenas: &mut Vec<Box<Arena>>) {
    arenas.push(new_pooled_arena());
}

/// An open plain scope (see [`run_plain_scope`]).
struct PlainScope<'p> {
    pool: &'p Pool,
    arena: NonNull<Arena>,
    depth: usize,
}

impl<'p> PlainScope<'p> {
    #[inline(always)]
    fn enter(pool: &'p Pool) -> Self {
        let (arena, depth) = pool.open();
        PlainScope { pool, arena, depth }
    }

    /// Ends the scope normally: a destructor's panic is resumed once the pool is consistent.
    #[inline(always)]
    fn finish(self) {
        let this = core::mem::ManuallyDrop::new(self);
        // SAFETY: `f` has returned, so its shared borrow is over; the scope is the arena's only
        // user again.
        let first_panic = close_plain(unsafe { &mut *this.arena.as_ptr() });
        this.pool.depth.set(this.depth);
        if let Some(payload) = first_panic {
            panic::resume_unwind(payload);
        }
    }
}

impl Drop for PlainScope<'_> {
    /// Unwinding out of the closure: destructors still run; a second panic from one of them is
    /// dropped, since panicking again now would abort the process.
    fn drop(&mut self) {
        // SAFETY: as in `finish`: the closure unwound, its borrow is over.
        let _ = close_plain(unsafe { self.arena.as_mut() });
        self.pool.depth.set(self.depth);
    }
}

/// The end of a plain scope: a bare rewind in the steady state, the full reset otherwise.
#[inline(always)]
fn close_plain(arena: &mut Arena) -> Option<Box<dyn Any + Send>> {
    let retain_all_used = config::retain() == Retain::Percent(100);
    if arena.rewind_if_steady(retain_all_used, config::ballast()) {
        None
    } else {
        reset_with_retention(arena).first_panic
    }
}

/// The cold part of a scope's entry: first load of the knobs, tracing.
#[cold]
#[inline(never)]
fn entry_slow(state: u8) -> Option<Instant> {
    let state = if state & config::LOADED == 0 {
        match config::ensure_loaded() {
            Ok(state) => state,
            Err(err) => panic!("arena scope: {err}"),
        }
    } else {
        state
    };
    crate::trace::mark_epoch();
    (state & config::TRACE != 0).then(Instant::now)
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
struct ScopeGuard<'p> {
    pool: &'p Pool,
    arena: NonNull<Arena>,
    depth: usize,
    options_used: bool,
    place: Place,
    traced: Option<Instant>,
    finished: bool,
}

/// What closing a scope did.
struct ScopeEnd {
    drops: usize,
    first_panic: Option<Box<dyn Any + Send>>,
}

impl<'p> ScopeGuard<'p> {
    #[inline]
    fn enter(
        pool: &'p Pool,
        options: &ScopeOptions,
        location: Option<&'static panic::Location<'static>>,
        traced: Option<Instant>,
    ) -> ScopeGuard<'p> {
        let (arena, depth) = pool.open();
        let place = match (options.label, location) {
            (Some(label), _) => Place::Label(label),
            (None, Some(location)) => Place::Location(location),
            (None, None) => Place::CallSite(options.call_site),
        };
        let mut guard = ScopeGuard {
            pool,
            arena,
            depth,
            options_used: false,
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
    fn apply_options(&mut self, options: &ScopeOptions) {
        self.options_used = true;
        // SAFETY: the scope has not started yet; the guard is the arena's only user.
        let arena = unsafe { self.arena.as_mut() };
        arena.set_limit(options.limit);
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
            if arena.reserved_bytes() < capacity {
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
            panic::resume_unwind(payload);
        }
    }

    /// Resets the arena and pops the depth.
    #[inline]
    fn close(&mut self) -> ScopeEnd {
        // SAFETY: `f` has returned or unwound, so the shared borrow it had is over; the guard is
        // again the arena's only user.
        let arena = unsafe { self.arena.as_mut() };
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
            reset_with_retention(arena)
        };
        self.pool.depth.set(self.depth);
        end
    }

    /// Closing with a trace line or scope options to undo.
    #[cold]
    #[inline(never)]
    fn close_slow(&self, arena: &mut Arena) -> ScopeEnd {
        let used = arena.used_bytes();
        let reserved = arena.reserved_bytes();
        let chunks = arena.chunk_count();
        let allocations = arena.allocation_count();
        let end = reset_with_retention(arena);
        if let Some(started) = self.traced {
            let line = TraceLine {
                started,
                used,
                kept: arena.reserved_bytes(),
                reserved,
                chunks,
                allocations,
                drops: end.drops,
                limit: arena.limit(),
                place: "",
            };
            match self.place {
                Place::Label(label) | Place::CallSite(label) => TraceLine {
                    place: label,
                    ..line
                }
                .emit(),
                Place::Location(location) => {
                    let mut buffer = [0u8; 256];
                    let place = format_location(location, &mut buffer);
                    TraceLine { place, ..line }.emit()
                }
            }
        }
        if self.options_used {
            arena.set_limit(None);
            arena.set_label(None);
        }
        end
    }
}

/// `file:line` of a location, written into `buffer` (no allocation); cut if too long.
fn format_location<'b>(location: &panic::Location<'_>, buffer: &'b mut [u8; 256]) -> &'b str {
    use std::io::Write as _;
    let mut cursor = std::io::Cursor::new(&mut buffer[..]);
    let _ = write!(cursor, "{}:{}", location.file(), location.line());
    let len = cursor.position() as usize;
    let text = &buffer[..len];
    match core::str::from_utf8(text) {
        Ok(text) => text,
        Err(err) => core::str::from_utf8(&text[..err.valid_up_to()]).unwrap_or(""),
    }
}

impl Drop for ScopeGuard<'_> {
    fn drop(&mut self) {
        if !self.finished {
            // Unwinding out of the closure: destructors still run; a second panic from one of
            // them is dropped, since panicking again now would abort the process.
            let _ = self.close();
        }
    }
}

/// Ends a scope that allocated: destructors, then the retention policy (`ARENA_RETAIN`, never
/// below `ARENA_BALLAST`).
#[cold]
#[inline(never)]
fn reset_with_retention(arena: &mut Arena) -> ScopeEnd {
    let needed = arena.used_bytes();
    let keep = match config::retain() {
        Retain::Off => arena.reserved_bytes(),
        Retain::Percent(percent) => {
            let scaled = (needed as u128 * u128::from(percent)).div_ceil(100);
            usize::try_from(scaled).unwrap_or(usize::MAX)
        }
    }
    .max(config::ballast());
    let run = arena.reset_keeping(keep);
    ScopeEnd {
        drops: run.count,
        first_panic: run.first_panic,
    }
}

/// A new arena for the pool, with `ARENA_BALLAST` reserved (or empty if that cannot be had).
#[cold]
fn new_pooled_arena() -> Box<Arena> {
    let mut arena = Arena::try_with_capacity(config::ballast()).unwrap_or_default();
    arena.pooled = true;
    Box::new(arena)
}

impl Drop for Pool {
    fn drop(&mut self) {
        // The thread is ending: free every pooled arena and give its bytes back to the process.
        self.arenas.get_mut().clear();
    }
}
