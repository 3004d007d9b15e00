//! Checking "no global allocation in the steady state" yourself (feature `counting-allocator`).
//!
//! A scope loop, once warm, should not reach the global allocator at all. To check that in your
//! own tests, install [`CountingAllocator`] as the global allocator of the test binary and
//! count what a piece of code allocates on the calling thread with [`count_global_allocations`]:
//!
//! ```
//! # use arena_core as arena;
//! use arena::testing::{count_global_allocations, CountingAllocator};
//!
//! #[global_allocator]
//! static GLOBAL: CountingAllocator = CountingAllocator::new();
//!
//! fn request(i: u32) -> u32 {
//!     arena::scope(|mem| {
//!         let mut words = mem.vec();
//!         words.extend(["GET", "/users", "200"]);
//!         let line = mem.alloc_fmt(format_args!("{i} {}", words.len()));
//!         line.len() as u32
//!     })
//! }
//!
//! # fn main() {
//! for i in 0..100 {
//!     request(i); // warm the thread's pooled arena
//! }
//! let (_, allocations) = count_global_allocations(|| {
//!     for i in 0..1000 {
//!         request(i);
//!     }
//! });
//! assert_eq!(allocations, 0);
//! let (_, allocations) = count_global_allocations(|| Box::new(1u8));
//! assert_eq!(allocations, 1);
//! # }
//! ```
//!
//! Only the calling thread's allocations are counted, so tests running on other threads do not
//! disturb the count; `alloc`, `alloc_zeroed` and `realloc` each count one, `dealloc` none.

use core::alloc::{GlobalAlloc, Layout};
use core::cell::Cell;
use core::sync::atomic::{AtomicBool, Ordering};
use std::alloc::System;

/// A global allocator that forwards to another one (the system allocator by default) and
/// counts, per thread, the allocations made inside [`count_global_allocations`].
///
/// Install it with `#[global_allocator]` (see the [module docs](self)).
#[derive(Debug, Default)]
pub struct CountingAllocator<A = System> {
    inner: A,
}

impl CountingAllocator<System> {
    /// Counting over the system allocator.
    pub const fn new() -> Self {
        CountingAllocator { inner: System }
    }
}

impl<A> CountingAllocator<A> {
    /// Counting over `inner`, for a program with its own global allocator.
    pub const fn wrapping(inner: A) -> Self {
        CountingAllocator { inner }
    }
}

/// Set by the first allocation through a [`CountingAllocator`].
static INSTALLED: AtomicBool = AtomicBool::new(false);

thread_local! {
    /// Allocations counted on this thread, while `COUNTING` is set.
    static COUNT: Cell<usize> = const { Cell::new(0) };
    static COUNTING: Cell<bool> = const { Cell::new(false) };
}

/// Counts one allocation if the thread is counting. Never allocates: the thread-locals are const
/// initialised and have no destructor.
#[inline]
fn note_allocation() {
    if !INSTALLED.load(Ordering::Relaxed) {
        INSTALLED.store(true, Ordering::Relaxed);
    }
    let _ = COUNTING.try_with(|on| {
        if on.get() {
            let _ = COUNT.try_with(|count| count.set(count.get() + 1));
        }
    });
}

// SAFETY: every call is forwarded unchanged to `inner`, which upholds `GlobalAlloc`'s contract;
// the counting touches only const thread-locals and an atomic, which never allocate or unwind.
unsafe impl<A: GlobalAlloc> GlobalAlloc for CountingAllocator<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note_allocation();
        // SAFETY: forwarded with the caller's layout, under the caller's guarantees.
        unsafe { self.inner.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note_allocation();
        // SAFETY: as in `alloc`.
        unsafe { self.inner.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `inner` (every allocation is forwarded there) with `layout`.
        unsafe { self.inner.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note_allocation();
        // SAFETY: `ptr` came from `inner` with `layout`; the caller's guarantees hold.
        unsafe { self.inner.realloc(ptr, layout, new_size) }
    }
}

/// Runs `f` and returns its result with the number of global allocations it made on this
/// thread (`alloc`, `alloc_zeroed` and `realloc` calls). Calls nest: an inner count is also
/// part of the outer one.
///
/// # Panics
///
/// If no [`CountingAllocator`] is the global allocator (nothing was ever allocated through
/// one), since every count would then be 0 whatever `f` does.
pub fn count_global_allocations<R>(f: impl FnOnce() -> R) -> (R, usize) {
    // Make sure the allocator has seen an allocation before checking it is installed.
    drop(std::hint::black_box(Box::new(0u8)));
    assert!(
        INSTALLED.load(Ordering::Relaxed),
        "count_global_allocations counts nothing: install the allocator first, with \
         `#[global_allocator] static GLOBAL: arena::testing::CountingAllocator = \
         arena::testing::CountingAllocator::new();`"
    );
    let was_counting = COUNTING.with(|on| on.replace(true));
    let before = COUNT.with(Cell::get);
    /// Restores the thread's counting state, also when `f` panics.
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            COUNTING.with(|on| on.set(self.0));
        }
    }
    let restore = Restore(was_counting);
    let result = f();
    drop(restore);
    let count = COUNT.with(Cell::get) - before;
    (result, count)
}
