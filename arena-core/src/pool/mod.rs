//! [`ArenaPool`]: arenas shared by the threads of a thread pool or the tasks of an async
//! runtime.
//!
//! The per-thread pool behind [`scope`](crate::scope) fits code whose arena lives and dies on one
//! thread, inside one call. Work that moves between threads (a task resumed by another worker
//! after an `.await`, a job handed to a thread pool) needs an arena it can carry along: the pool
//! lends one as a [`PooledArena`] guard, which is `Send`, and takes it back, reset, when the guard
//! is dropped, on whatever thread that happens.
//!
//! An arena is never shared, only handed over, so allocating from a guard touches no lock or
//! atomic. The pool keeps its idle arenas first in *homes*: a few slots, each on a cache line of
//! its own, one per thread (threads are numbered as they first use a pool). A thread takes from
//! and gives back to its own home with one atomic swap, touching no line another thread writes,
//! and gets back the arena it used last, still warm in its core's cache. An idle list behind a
//! mutex takes what the homes cannot hold (several guards per thread, more threads than homes).

use core::fmt;
use core::mem::ManuallyDrop;
use core::sync::atomic::{AtomicUsize, Ordering};
use std::borrow::Cow;
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::Instant;

use crate::arena::Arena;
use crate::config;
use crate::drop_list::DestructorPanic;
use crate::error::{AllocError, AllocErrorKind, LimitSetBy, OrPanic};
use crate::scope::reset_traced;
use crate::trace::TraceLine;

mod guard;
mod homes;

pub use guard::PooledArena;
use homes::{thread_number, Home, Padded, HOMES};

/// A pool of arenas that any thread can borrow from: `Send + Sync`, so it can sit in a `static`,
/// an `Arc` or a struct shared by workers.
///
/// [`get`](ArenaPool::get) lends an arena as a [`PooledArena`] guard; dropping the guard runs the
/// arena's pending destructors, resets it under the retention policy (`ARENA_RETAIN`, never
/// below `ARENA_BALLAST` or the pool's [`capacity`](ArenaPoolBuilder::capacity)) and puts it back
/// for the next borrower, or frees it when the pool already keeps
/// [`max_idle`](ArenaPoolBuilder::max_idle) idle arenas. A new arena starts with
/// `ARENA_BALLAST` (or the capacity) reserved; all of them reserve under `ARENA_MEMLIMIT`.
///
/// # Example
///
/// ```
/// # use arena_core as arena;
/// use arena::ArenaPool;
///
/// let pool = ArenaPool::new();
/// std::thread::scope(|s| {
///     for worker in 0..2u64 {
///         let pool = &pool;
///         s.spawn(move || {
///             for request in 0..10 {
///                 let mem = pool.get();
///                 let ids = mem.alloc_slice_fill_with(100, |i| worker * 1000 + request + i as u64);
///                 assert_eq!(ids[0], worker * 1000 + request);
///             } // back to the pool, reset
///         });
///     }
/// });
/// assert_eq!(pool.stats().arenas_in_use, 0);
/// assert!(pool.stats().idle_arenas <= 2);
/// ```
///
/// A guard can be taken on one thread and dropped on another:
///
/// ```
/// # use arena_core as arena;
/// use arena::ArenaPool;
///
/// static POOL: ArenaPool = ArenaPool::new();
///
/// let mem = POOL.get();
/// mem.alloc_str("made here");
/// std::thread::spawn(move || {
///     mem.alloc_str("and here");
///     drop(mem); // back to the pool from this thread
/// })
/// .join()
/// .unwrap();
/// assert_eq!(POOL.stats().idle_arenas, 1);
/// ```
pub struct ArenaPool {
    /// Idle arenas first go home: the first [`ArenaPool::homes_used`] of these.
    homes: [Home; HOMES],
    /// The idle arenas the homes cannot hold, at most `max_idle - homes_used` of them. Boxed,
    /// like the homes' and the guards' arenas, so that an arena moves between them as a pointer.
    #[allow(clippy::vec_box)]
    idle: Mutex<Vec<Box<Padded>>>,
    settings: PoolSettings,
    /// Arenas this pool created, over its whole life.
    created: AtomicUsize,
}

/// What a pool applies to each of its arenas.
#[derive(Clone, Debug, Default)]
struct PoolSettings {
    capacity: usize,
    limit: Option<usize>,
    label: Option<Cow<'static, str>>,
    /// `None`: [`default_max_idle`].
    max_idle: Option<usize>,
}

/// A snapshot of an [`ArenaPool`], returned by [`ArenaPool::stats`].
///
/// The pool knows its idle arenas' memory exactly; an arena lent out is its borrower's, whose
/// guard reports it ([`Arena::stats`] through the guard).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PoolStats {
    /// Arenas waiting in the pool, reset.
    pub idle_arenas: usize,
    /// Bytes of chunk memory the idle arenas hold (what the pool keeps between loans).
    pub idle_reserved_bytes: usize,
    /// Guards alive now (exact when no guard is being taken or given back meanwhile: each
    /// thread counts its own, and the snapshot adds them up).
    pub arenas_in_use: usize,
    /// Arenas the pool has created over its life (a loan reuses an idle arena when there is
    /// one, so this stays near the most guards alive at once).
    pub arenas_created: usize,
    /// How many idle arenas the pool keeps at most; one more given back is freed.
    pub max_idle: usize,
    /// The limit on the bytes each arena may reserve, if any.
    pub limit: Option<usize>,
    /// The pool's label, if any (each arena carries it too).
    pub label: Option<Cow<'static, str>>,
}

/// Configures an [`ArenaPool`]. Made by [`ArenaPool::builder`].
///
/// ```
/// # use arena_core as arena;
/// use arena::ArenaPool;
///
/// let pool = ArenaPool::builder()
///     .capacity(64 << 10) // each arena starts with, and keeps, at least 64 KiB
///     .limit(16 << 20) // and may never reserve more than 16 MiB
///     .label("requests") // named in errors, stats and trace lines
///     .max_idle(4) // keep at most 4 idle arenas
///     .build();
/// let mem = pool.get();
/// assert!(mem.stats().reserved_bytes >= 64 << 10);
/// assert_eq!(mem.limit(), Some(16 << 20));
/// assert_eq!(mem.label(), Some("requests"));
/// ```
#[derive(Clone, Debug, Default)]
#[must_use = "an ArenaPoolBuilder does nothing until `build` is called"]
pub struct ArenaPoolBuilder {
    settings: PoolSettings,
}

impl ArenaPoolBuilder {
    /// Bytes each arena reserves when the pool creates it, and keeps at least across loans
    /// (default 0; `ARENA_BALLAST` applies on top).
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::ArenaPool;
    ///
    /// let pool = ArenaPool::builder().capacity(1 << 20).build();
    /// drop(pool.get()); // given back: still 1 MiB, ready for the next loan
    /// assert!(pool.stats().idle_reserved_bytes >= 1 << 20);
    /// ```
    pub fn capacity(mut self, bytes: usize) -> Self {
        self.settings.capacity = bytes;
        self
    }

    /// A hard limit on the bytes each arena of the pool may reserve (as
    /// [`ArenaBuilder::limit`](crate::ArenaBuilder::limit)).
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::ArenaPool;
    ///
    /// let pool = ArenaPool::builder().limit(4096).build();
    /// assert!(pool.get().try_alloc([0u8; 8192]).is_err());
    /// ```
    pub fn limit(mut self, bytes: usize) -> Self {
        self.settings.limit = Some(bytes);
        self
    }

    /// A name for the pool's arenas, shown in error messages, stats and trace lines.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::ArenaPool;
    ///
    /// let pool = ArenaPool::builder().label("parser").build();
    /// assert_eq!(pool.get().label(), Some("parser"));
    /// ```
    pub fn label(mut self, label: impl Into<Cow<'static, str>>) -> Self {
        self.settings.label = Some(label.into());
        self
    }

    /// How many idle arenas the pool keeps at most (default: twice the number of CPUs the
    /// process may use). An arena given back beyond that is freed, its memory returned.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::ArenaPool;
    ///
    /// let pool = ArenaPool::builder().max_idle(1).build();
    /// let (a, b) = (pool.get(), pool.get());
    /// drop((a, b));
    /// assert_eq!(pool.stats().idle_arenas, 1);
    /// ```
    pub fn max_idle(mut self, arenas: usize) -> Self {
        self.settings.max_idle = Some(arenas);
        self
    }

    /// Creates the pool. It holds no arena until the first [`get`](ArenaPool::get).
    pub fn build(self) -> ArenaPool {
        ArenaPool::with_settings(self.settings)
    }
}

/// The default bound on idle arenas: twice the parallelism the process has (at least 2).
fn default_max_idle() -> usize {
    static DEFAULT: OnceLock<usize> = OnceLock::new();
    *DEFAULT.get_or_init(|| {
        std::thread::available_parallelism()
            .map_or(1, usize::from)
            .saturating_mul(2)
    })
}

impl ArenaPool {
    /// An empty pool with no limit, capacity or label; `const`, so it can be a `static`.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::ArenaPool;
    ///
    /// static POOL: ArenaPool = ArenaPool::new();
    /// assert_eq!(*POOL.get().alloc(7u32), 7);
    /// ```
    pub const fn new() -> Self {
        ArenaPool::with_settings(PoolSettings {
            capacity: 0,
            limit: None,
            label: None,
            max_idle: None,
        })
    }

    /// A builder for a pool with a capacity, a limit, a label or a bound on idle arenas.
    pub fn builder() -> ArenaPoolBuilder {
        ArenaPoolBuilder::default()
    }

    const fn with_settings(settings: PoolSettings) -> Self {
        ArenaPool {
            homes: [const { Home::new() }; HOMES],
            idle: Mutex::new(Vec::new()),
            settings,
            created: AtomicUsize::new(0),
        }
    }

    /// Lends an arena: an idle one, reset, or a new one. Dropping the guard gives it back.
    ///
    /// # Panics
    ///
    /// If a new arena's capacity (or `ARENA_BALLAST`) cannot be reserved under the limits, or a
    /// knob in the environment is malformed (the message names it);
    /// [`try_get`](ArenaPool::try_get) returns the error instead.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::ArenaPool;
    ///
    /// let pool = ArenaPool::new();
    /// let mem = pool.get();
    /// let name = mem.alloc_str("bob");
    /// assert_eq!(name, "bob");
    /// ```
    #[track_caller]
    pub fn get(&self) -> PooledArena<'_> {
        self.try_get().or_panic()
    }

    /// Like [`get`](ArenaPool::get), returning an error instead of panicking. The pool stays
    /// usable.
    ///
    /// # Errors
    ///
    /// When a new arena's capacity cannot be reserved (its limit, `ARENA_MEMLIMIT`, out of
    /// memory), or a knob in the environment is malformed.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::ArenaPool;
    ///
    /// let pool = ArenaPool::builder().capacity(1 << 20).limit(1 << 10).build();
    /// let err = pool.try_get().unwrap_err();
    /// assert!(err.to_string().contains("limit of 1024 bytes"));
    /// ```
    pub fn try_get(&self) -> Result<PooledArena<'_>, AllocError> {
        let state = config::ensure_loaded().map_err(|err| {
            AllocError::new(AllocErrorKind::Config(err), self.settings.capacity)
                .with_label(self.settings.label.as_ref())
        })?;
        let traced = state.traces().then(Instant::now);
        let number = thread_number();
        let homes = self.homes_used();
        let own = (homes > 0).then(|| &self.homes[number % homes]);
        let mut arena = match own.and_then(Home::take) {
            Some(arena) => arena,
            None => self.take_idle()?,
        };
        // The arena holds nothing (it was reset when given back): counting can switch.
        if arena.allocation_count().is_some() != traced.is_some() {
            arena.set_counting(traced.is_some());
        }
        self.homes[number % HOMES]
            .lent
            .fetch_add(1, Ordering::Relaxed);
        Ok(PooledArena {
            arena: ManuallyDrop::new(arena),
            pool: self,
            traced,
        })
    }

    /// A snapshot of the pool: its idle arenas and their memory, the guards out.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::ArenaPool;
    ///
    /// let pool = ArenaPool::new();
    /// let a = pool.get();
    /// a.alloc_slice_fill_with(1000, |i| i as u64);
    /// assert_eq!(pool.stats().arenas_in_use, 1);
    /// drop(a);
    /// let stats = pool.stats();
    /// assert_eq!((stats.arenas_in_use, stats.idle_arenas, stats.arenas_created), (0, 1, 1));
    /// assert!(stats.idle_reserved_bytes >= 8000);
    /// ```
    pub fn stats(&self) -> PoolStats {
        let mut idle = self.lock_idle();
        let (mut idle_arenas, mut idle_reserved_bytes) = (idle.len(), 0);
        idle_reserved_bytes += idle
            .iter()
            .map(|arena| arena.reserved_bytes())
            .sum::<usize>();
        for home in &self.homes[..self.homes_used()] {
            // Taken out to be read (an arena is not `Sync`), then put back; should its thread
            // have put another there meanwhile, it joins the list (or is freed, beyond the bound).
            if let Some(arena) = home.take() {
                idle_arenas += 1;
                idle_reserved_bytes += arena.reserved_bytes();
                if let Err(arena) = home.put(arena) {
                    if idle.len() < self.list_bound() {
                        idle.push(arena);
                    }
                }
            }
        }
        drop(idle);
        let lent = self.homes.iter().fold(0usize, |sum, home| {
            sum.wrapping_add(home.lent.load(Ordering::Relaxed))
        });
        PoolStats {
            idle_arenas,
            idle_reserved_bytes,
            // Transiently below zero when a guard given back on another thread is counted down
            // before its loan is seen counted up.
            arenas_in_use: if lent > usize::MAX / 2 { 0 } else { lent },
            arenas_created: self.created.load(Ordering::Relaxed),
            max_idle: self.max_idle(),
            limit: self.settings.limit,
            label: self.settings.label.clone(),
        }
    }

    /// Frees the idle arenas and gives their memory back (guards out stay valid and come back
    /// as usual).
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::ArenaPool;
    ///
    /// let pool = ArenaPool::builder().capacity(1 << 20).build();
    /// drop(pool.get());
    /// pool.free_idle();
    /// assert_eq!(pool.stats().idle_reserved_bytes, 0);
    /// ```
    pub fn free_idle(&self) {
        let idle = core::mem::take(&mut *self.lock_idle());
        // Freed outside the lock: freeing chunks is a call to the global allocator each.
        drop(idle);
        for home in &self.homes {
            drop(home.take());
        }
    }

    fn max_idle(&self) -> usize {
        self.settings.max_idle.unwrap_or_else(default_max_idle)
    }

    /// How many homes hold idle arenas: as many as the pool may keep, up to [`HOMES`].
    #[inline]
    fn homes_used(&self) -> usize {
        self.max_idle().min(HOMES)
    }

    /// How many idle arenas the list may hold: the homes count towards `max_idle` first.
    fn list_bound(&self) -> usize {
        self.max_idle() - self.homes_used()
    }

    /// The idle list. A panic never happens while it is held, but if one did, the list is
    /// still consistent (only `push`, `pop` and `take` touch it).
    #[allow(clippy::vec_box)]
    fn lock_idle(&self) -> MutexGuard<'_, Vec<Box<Padded>>> {
        self.idle.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// An idle arena when this thread's home has none: from the list, another thread's home, or
    /// a new one.
    #[cold]
    fn take_idle(&self) -> Result<Box<Padded>, AllocError> {
        if let Some(arena) = self.lock_idle().pop() {
            return Ok(arena);
        }
        if let Some(arena) = self.homes[..self.homes_used()].iter().find_map(Home::take) {
            return Ok(arena);
        }
        self.new_arena().map(|arena| Box::new(Padded(arena)))
    }

    /// Keeps an idle arena: in this thread's home, the list, another home, or nowhere (it is
    /// handed back, to be freed: the pool keeps `max_idle`).
    fn keep_idle(&self, arena: Box<Padded>) -> Option<Box<Padded>> {
        let homes = &self.homes[..self.homes_used()];
        if homes.is_empty() {
            return Some(arena);
        }
        let arena = match homes[thread_number() % homes.len()].put(arena) {
            Ok(()) => return None,
            Err(arena) => arena,
        };
        let arena = {
            let mut idle = self.lock_idle();
            if idle.len() < self.list_bound() {
                idle.push(arena);
                return None;
            }
            arena
        };
        homes
            .iter()
            .try_fold(arena, |arena, home| home.put(arena).err())
    }

    /// The least memory an arena of this pool starts with and keeps.
    fn floor(&self) -> usize {
        self.settings.capacity.max(config::ballast())
    }

    #[cold]
    fn new_arena(&self) -> Result<Arena, AllocError> {
        let mut arena = Arena::new();
        arena.set_limit(self.settings.limit, LimitSetBy::Pool);
        arena.set_label(self.settings.label.clone());
        arena.set_pooled();
        arena.reserve_fresh(self.floor())?;
        self.created.fetch_add(1, Ordering::Relaxed);
        Ok(arena)
    }

    /// Takes back the arena of a guard: destructors, retention, the trace line, then the idle
    /// list (or freed, beyond `max_idle`). Returns a destructor's panic.
    fn give_back(
        &self,
        mut arena: Box<Padded>,
        traced: Option<Instant>,
    ) -> Option<DestructorPanic> {
        // `DerefMut` lets a borrower swap another arena in: the pool's settings hold for
        // whatever comes back.
        arena.set_limit(self.settings.limit, LimitSetBy::Pool);
        arena.set_label(self.settings.label.clone());
        arena.set_pooled();
        let (end, line) = reset_traced(&mut arena, self.settings.capacity, traced);
        if self
            .settings
            .limit
            .is_some_and(|limit| arena.reserved_bytes() > limit)
        {
            // Only a swapped-in arena can hold more than the limit: start it afresh.
            let _ = arena.reserve_fresh(self.floor());
        }
        if let Some(line) = line {
            TraceLine {
                kept: arena.reserved_bytes(),
                place: self.settings.label.as_deref().unwrap_or("arena pool"),
                ..line
            }
            .emit();
        }
        // Freed (beyond the bound) outside the lock.
        drop(self.keep_idle(arena));
        self.homes[thread_number() % HOMES]
            .lent
            .fetch_sub(1, Ordering::Relaxed);
        end.first_panic
    }
}

impl Drop for ArenaPool {
    fn drop(&mut self) {
        for home in &self.homes {
            drop(home.take());
        }
    }
}

impl Default for ArenaPool {
    /// The same as [`ArenaPool::new`].
    fn default() -> Self {
        ArenaPool::new()
    }
}

impl fmt::Debug for ArenaPool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ArenaPool")
            .field("stats", &self.stats())
            .finish()
    }
}
