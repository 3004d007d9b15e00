//! A pool's homes: one slot per thread, on cache lines of its own, where the thread gives back
//! and takes again the arena it used last with one atomic swap; and the padding that keeps each
//! lent arena on lines of its own.

use core::cell::Cell;
use core::ops::{Deref, DerefMut};
use core::ptr;
use core::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

use crate::arena::Arena;

/// How many homes a pool has (it uses at most `max_idle` of them).
pub(super) const HOMES: usize = 8;

/// One home of a pool: an idle arena kept for the threads numbered to it, and the loans those
/// threads took and gave back. Aligned to 128 bytes (two cache lines, which some processors
/// fetch in pairs), so two threads' homes never share a line.
#[repr(align(128))]
pub(super) struct Home {
    /// An idle arena from `Box::into_raw`, owned by the home, or null. Whoever swaps it out
    /// owns it.
    arena: AtomicPtr<Padded>,
    /// Guards taken minus guards given back by the threads of this home (wrapping: a guard
    /// given back on another thread is counted down in that thread's home).
    pub(super) lent: AtomicUsize,
}

impl Home {
    pub(super) const fn new() -> Home {
        Home {
            arena: AtomicPtr::new(ptr::null_mut()),
            lent: AtomicUsize::new(0),
        }
    }

    /// The home's arena, if it has one; it is the caller's from now on.
    #[inline]
    pub(super) fn take(&self) -> Option<Box<Padded>> {
        if self.arena.load(Ordering::Relaxed).is_null() {
            return None;
        }
        let arena = self.arena.swap(ptr::null_mut(), Ordering::Acquire);
        // SAFETY: a non-null pointer in a home came from `Box::into_raw` in `put` and, swapped
        // out, is no longer the home's: no one else can take it. `Acquire` pairs with `put`'s
        // `Release`, so the writes of the thread that put it there are visible.
        (!arena.is_null()).then(|| unsafe { Box::from_raw(arena) })
    }

    /// Puts `arena` in the home if it is empty, or hands it back.
    #[inline]
    pub(super) fn put(&self, arena: Box<Padded>) -> Result<(), Box<Padded>> {
        if !self.arena.load(Ordering::Relaxed).is_null() {
            return Err(arena);
        }
        let raw = Box::into_raw(arena);
        match self.arena.compare_exchange(
            ptr::null_mut(),
            raw,
            Ordering::Release,
            Ordering::Relaxed,
        ) {
            Ok(_) => Ok(()),
            // SAFETY: the exchange failed, so the home did not take `raw`: it is still ours,
            // from the `Box::into_raw` above.
            Err(_) => Err(unsafe { Box::from_raw(raw) }),
        }
    }
}

/// An arena on cache lines of its own: lent arenas stay where they are in memory while their
/// borrowers use them (a guard holds a pointer), so two of them allocated side by side must not
/// share a line that both threads write (the cursor is written by every allocation).
#[repr(align(128))]
pub(super) struct Padded(pub(super) Arena);

impl Deref for Padded {
    type Target = Arena;

    #[inline(always)]
    fn deref(&self) -> &Arena {
        &self.0
    }
}

impl DerefMut for Padded {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut Arena {
        &mut self.0
    }
}

/// The arena is handed between threads through the homes' atomic pointers, never shared: the
/// pool is `Sync` because an `Arena` is `Send`.
const _: fn() = || {
    fn send<T: Send>() {}
    send::<Arena>();
};

/// This thread's number among the threads that used a pool (any pool), from 0.
#[inline]
pub(super) fn thread_number() -> usize {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    thread_local! {
        // No destructor: usable while the thread's other thread-locals are dropped.
        static NUMBER: Cell<usize> = const { Cell::new(usize::MAX) };
    }
    NUMBER.with(|number| match number.get() {
        usize::MAX => {
            let next = NEXT.fetch_add(1, Ordering::Relaxed);
            number.set(next);
            next
        }
        known => known,
    })
}
