//! [`PooledArena`]: the guard of an arena lent by an [`ArenaPool`].

use core::fmt;
use core::mem::ManuallyDrop;
use core::ops::{Deref, DerefMut};
use std::time::Instant;

use super::homes::Padded;
use super::ArenaPool;
use crate::arena::Arena;

/// An arena lent by an [`ArenaPool`]; dropping it gives the arena back, reset.
///
/// It dereferences to [`Arena`], so every arena method works on it. Every reference it hands out
/// borrows the guard, so none can outlive the loan (`E0505`):
///
/// ```compile_fail,E0505
/// # use arena_core as arena;
/// use arena::ArenaPool;
///
/// let pool = ArenaPool::new();
/// let mem = pool.get();
/// let name = mem.alloc_str("bob");
/// drop(mem); // error[E0505]: cannot move out of `mem` because it is borrowed
/// println!("{name}");
/// ```
///
/// while using the values before the guard goes compiles:
///
/// ```
/// # use arena_core as arena;
/// use arena::ArenaPool;
///
/// let pool = ArenaPool::new();
/// let mem = pool.get();
/// let name = mem.alloc_str("bob");
/// println!("{name}");
/// drop(mem);
/// ```
///
/// The guard is `Send`, so it can move to another thread or live across an `.await` in a task
/// a multi-threaded runtime moves between workers; it is not `Sync` (`E0277`), as an arena is
/// not:
///
/// ```compile_fail,E0277
/// # use arena_core as arena;
/// use arena::ArenaPool;
///
/// let pool = ArenaPool::new();
/// let mem = pool.get();
/// std::thread::scope(|s| {
///     s.spawn(|| mem.alloc(1u32));
/// });
/// ```
///
/// If the borrower panics, the guard is dropped while unwinding: the arena's destructors run and
/// it goes back to the pool as usual.
///
/// ```
/// # use arena_core as arena;
/// use arena::ArenaPool;
///
/// let pool = ArenaPool::new();
/// let outcome = std::panic::catch_unwind(|| {
///     let mem = pool.get();
///     mem.alloc_droppable(String::from("dropped while unwinding"));
///     panic!("request failed");
/// });
/// assert!(outcome.is_err());
/// assert_eq!(pool.stats().arenas_in_use, 0);
/// assert_eq!(pool.stats().idle_arenas, 1);
/// ```
pub struct PooledArena<'p> {
    /// Taken out only by `Drop`. Boxed, so that lending and giving back move a pointer.
    pub(super) arena: ManuallyDrop<Box<Padded>>,
    pub(super) pool: &'p ArenaPool,
    /// When the loan started, if it is traced.
    pub(super) traced: Option<Instant>,
}

impl PooledArena<'_> {
    /// The pool this arena goes back to.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::ArenaPool;
    ///
    /// let pool = ArenaPool::new();
    /// let mem = pool.get();
    /// assert!(std::ptr::eq(mem.pool(), &pool));
    /// ```
    pub fn pool(&self) -> &ArenaPool {
        self.pool
    }
}

impl Deref for PooledArena<'_> {
    type Target = Arena;

    #[inline(always)]
    fn deref(&self) -> &Arena {
        &self.arena
    }
}

impl DerefMut for PooledArena<'_> {
    /// `&mut Arena` for [`reset`](Arena::reset) and the other `&mut self` methods: the borrow
    /// checker then ends every reference into the arena, as it does for an arena owned outright.
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut Arena {
        &mut self.arena
    }
}

impl Drop for PooledArena<'_> {
    fn drop(&mut self) {
        // SAFETY: `arena` is taken exactly once, here; the guard is never used again.
        let arena = unsafe { ManuallyDrop::take(&mut self.arena) };
        if let Some(payload) = self.pool.give_back(arena, self.traced) {
            // A destructor panicked (after the arena was back in the pool). While already
            // unwinding, a second panic would abort: it is dropped then (where a panic of the
            // payload's own `Drop` is caught).
            if !std::thread::panicking() {
                payload.resume();
            }
        }
    }
}

impl fmt::Debug for PooledArena<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PooledArena")
            .field("stats", &self.arena.stats())
            .finish()
    }
}
