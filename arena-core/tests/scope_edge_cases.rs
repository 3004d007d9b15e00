//! Edge cases of the pooled-scope slot chain, its fast path and the steady floor: knob
//! changes (`ARENA_RETAIN`, `ARENA_BALLAST`) seen by a warmed slot, panics in the closure, in a
//! destructor and in `apply_options`, scopes opened from destructors at a scope's end, and
//! scopes run from thread-local destructors before and after the pool is freed.
//!
//! Every test changes process-wide knobs, so they run one at a time under a lock, each on a
//! fresh thread (a fresh pool).

use arena_core::__private::{scope_with, ScopeOptions};
use arena_core::config::{self, Retain};
use arena_core::{scope, Arena};
use std::alloc::Layout;
use std::cell::RefCell;
use std::collections::HashSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

static SERIAL: Mutex<()> = Mutex::new(());

/// Holds the lock and puts the default knobs back when the test ends (even when it fails).
struct Knobs(#[allow(dead_code)] MutexGuard<'static, ()>);

impl Drop for Knobs {
    fn drop(&mut self) {
        set_knobs(Retain::Percent(100), 0);
    }
}

fn set_knobs(retain: Retain, ballast: usize) {
    config::set_memlimit(None);
    config::set_trace(false);
    config::set_retain(retain);
    config::set_ballast(ballast);
}

fn knobs(retain: Retain, ballast: usize) -> Knobs {
    let guard = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    set_knobs(retain, ballast);
    Knobs(guard)
}

/// Runs `f` on a new thread (so with a new, empty pool) and returns its result; a panic in `f`
/// fails the test.
fn on_fresh_thread<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
    std::thread::spawn(f)
        .join()
        .expect("the test thread panicked")
}

/// Takes `bytes` of arena memory without writing them (cheap under Miri).
fn take(mem: &Arena, bytes: usize) {
    mem.alloc_layout(Layout::array::<u8>(bytes).unwrap());
}

fn addr(mem: &Arena) -> usize {
    mem as *const Arena as usize
}

const BALLAST: usize = 256 << 10;

struct CountDrop(Arc<AtomicUsize>);

impl Drop for CountDrop {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

// ---------------------------------------------------------------------------------------------
// ARENA_BALLAST and the fast path
// ---------------------------------------------------------------------------------------------

/// The rounds of a small steady loop after the ballast was raised, with one empty scope first
/// (a scope that only computed): returns what the pooled arena holds afterwards.
fn reserved_after_ballast_raised_then_empty_scope(retain: Retain) -> usize {
    let _knobs = knobs(retain, 0);
    on_fresh_thread(|| {
        for _ in 0..8 {
            scope(|mem| take(mem, 1000));
        }
        assert!(scope(|mem| mem.stats().reserved_bytes) < BALLAST);
        config::set_ballast(BALLAST);
        // The first scope after the change computes only.
        scope(|_| ());
        for _ in 0..8 {
            scope(|mem| take(mem, 1000));
        }
        scope(|mem| mem.stats().reserved_bytes)
    })
}

/// Control: with `ARENA_RETAIN=100` a raised ballast is applied by the next scope that
/// allocates, even when an empty scope came first.
#[test]
fn retain_100_applies_a_raised_ballast_after_an_empty_scope() {
    let reserved = reserved_after_ballast_raised_then_empty_scope(Retain::Percent(100));
    assert!(
        reserved >= BALLAST,
        "reserved {reserved} < ballast {BALLAST}"
    );
}

/// Regression: with `ARENA_RETAIN=off` an empty scope armed the fast path with a floor of 1
/// although the one chunk was smaller than the ballast, so the general end (which keeps
/// `max(reserved, ballast)`) never ran again and the ballast was never reserved.
#[test]
fn retain_off_applies_a_raised_ballast_after_an_empty_scope() {
    let reserved = reserved_after_ballast_raised_then_empty_scope(Retain::Off);
    assert!(
        reserved >= BALLAST,
        "reserved {reserved} < ballast {BALLAST}"
    );
}

/// A pooled arena created while the memory limit refuses its ballast, then rounds that fit its
/// small chunk, then the memory comes back (another arena is freed): returns what the pooled
/// arena holds after a few more rounds.
fn reserved_after_memlimit_refused_the_ballast(retain: Retain) -> usize {
    let _knobs = knobs(retain, 0);
    on_fresh_thread(|| {
        let base = arena_core::reserved_bytes_total();
        config::set_memlimit(Some(base + BALLAST + (BALLAST / 2)));
        let hog = Arena::with_capacity(BALLAST);
        config::set_ballast(BALLAST);
        for _ in 0..4 {
            scope(|mem| take(mem, 1000));
        }
        assert!(scope(|mem| mem.stats().reserved_bytes) < BALLAST);
        drop(hog); // the budget has room for the ballast again; no knob changed
        for _ in 0..4 {
            scope(|mem| take(mem, 1000));
        }
        let reserved = scope(|mem| mem.stats().reserved_bytes);
        config::set_memlimit(None);
        reserved
    })
}

/// Control: with `ARENA_RETAIN=100` every round retries the ballast until it can be had.
#[test]
fn retain_100_retries_a_ballast_the_memlimit_refused() {
    let reserved = reserved_after_memlimit_refused_the_ballast(Retain::Percent(100));
    assert!(
        reserved >= BALLAST,
        "reserved {reserved} < ballast {BALLAST}"
    );
}

/// Regression: with `ARENA_RETAIN=off` the fast path was armed on a chunk smaller than the
/// ballast, so the ballast was never retried once memory was available again.
#[test]
fn retain_off_retries_a_ballast_the_memlimit_refused() {
    let reserved = reserved_after_memlimit_refused_the_ballast(Retain::Off);
    assert!(
        reserved >= BALLAST,
        "reserved {reserved} < ballast {BALLAST}"
    );
}

/// A lowered ballast is applied too: the next rounds shrink to what they use (RETAIN=100).
#[test]
fn a_lowered_ballast_shrinks_a_warmed_arena() {
    let _knobs = knobs(Retain::Percent(100), BALLAST);
    on_fresh_thread(|| {
        for _ in 0..4 {
            scope(|mem| take(mem, 1000));
        }
        assert!(scope(|mem| mem.stats().reserved_bytes) >= BALLAST);
        config::set_ballast(0);
        scope(|_| ());
        for _ in 0..4 {
            scope(|mem| take(mem, 1000));
        }
        let reserved = scope(|mem| mem.stats().reserved_bytes);
        assert!(reserved < 16 << 10, "{reserved}");
    });
}

// ---------------------------------------------------------------------------------------------
// ARENA_RETAIN changes seen by a warmed slot
// ---------------------------------------------------------------------------------------------

/// Warm a slot on the fast path with a large round, then switch retention: the next rounds
/// follow the new policy (0 keeps nothing, 50 keeps about half, off keeps everything, 100 keeps
/// what the last round needed).
#[test]
fn retain_changes_apply_to_a_warmed_fast_slot() {
    let _knobs = knobs(Retain::Percent(100), 0);
    on_fresh_thread(|| {
        let reserved = || scope(|mem| mem.stats().reserved_bytes);
        for _ in 0..8 {
            scope(|mem| take(mem, 64 << 10));
        }
        let warm = reserved();
        assert!(warm >= 64 << 10);

        config::set_retain(Retain::Percent(0));
        scope(|mem| take(mem, 64 << 10));
        assert_eq!(reserved(), 0, "RETAIN=0 keeps nothing");
        // Steady with RETAIN=0: still nothing kept after each round.
        for _ in 0..4 {
            scope(|mem| take(mem, 64 << 10));
            assert_eq!(reserved(), 0);
        }

        config::set_retain(Retain::Percent(100));
        for _ in 0..4 {
            scope(|mem| take(mem, 64 << 10));
        }
        assert!(reserved() >= 64 << 10);
        config::set_retain(Retain::Percent(50));
        scope(|mem| take(mem, 64 << 10));
        let half = reserved();
        assert!(
            (32 << 10..60 << 10).contains(&half),
            "RETAIN=50 kept {half}"
        );
        // (What a round "needed" counts the older chunks too, so the kept size wanders between
        // half and all of a 64 KiB round; it never keeps a spike.)
        for _ in 0..4 {
            scope(|mem| take(mem, 64 << 10));
            let kept = reserved();
            assert!(kept <= (64 << 10) + 4096, "RETAIN=50 kept {kept}");
        }
        scope(|mem| take(mem, 512 << 10));
        scope(|mem| take(mem, 64 << 10));
        let kept = reserved();
        assert!(kept < 300 << 10, "RETAIN=50 kept {kept} after a spike");

        config::set_retain(Retain::Off);
        scope(|mem| take(mem, 512 << 10));
        for _ in 0..4 {
            scope(|mem| take(mem, 1000));
        }
        assert!(reserved() >= 512 << 10, "RETAIN=off keeps everything");

        config::set_retain(Retain::Percent(100));
        for _ in 0..4 {
            scope(|mem| take(mem, 1000));
        }
        assert!(reserved() < 16 << 10, "RETAIN=100 shrinks to the round");
    });
}

/// A knob written inside a warmed scope applies from the next scope on: the scope that was
/// open may end under the old settings, the one after may not.
#[test]
fn a_knob_written_inside_a_fast_scope_applies_to_the_next_scope() {
    let _knobs = knobs(Retain::Percent(100), 0);
    on_fresh_thread(|| {
        for _ in 0..8 {
            scope(|mem| take(mem, 32 << 10));
        }
        scope(|mem| {
            take(mem, 32 << 10);
            config::set_retain(Retain::Percent(0));
        });
        scope(|mem| take(mem, 32 << 10));
        assert_eq!(scope(|mem| mem.stats().reserved_bytes), 0);
    });
}

// ---------------------------------------------------------------------------------------------
// Fast path still sees destructors, new chunks and nesting (also with RETAIN=off)
// ---------------------------------------------------------------------------------------------

#[test]
fn retain_off_fast_path_still_runs_destructors_and_merges_chunks() {
    let _knobs = knobs(Retain::Off, 0);
    on_fresh_thread(|| {
        let drops = Arc::new(AtomicUsize::new(0));
        for _ in 0..8 {
            scope(|mem| take(mem, 1000));
        }
        for i in 1..=4 {
            scope(|mem| {
                take(mem, 100);
                mem.alloc_droppable(CountDrop(Arc::clone(&drops)));
            });
            assert_eq!(drops.load(Ordering::SeqCst), i);
            assert_eq!(scope(|mem| mem.stats().drops_pending), 0);
        }
        // A round that needs more chunks: the next scope starts from one merged chunk.
        scope(|mem| {
            for _ in 0..8 {
                take(mem, 16 << 10);
            }
        });
        let s = scope(|mem| mem.stats());
        assert_eq!(
            (s.chunks, s.used_bytes, s.allocations),
            (1, 0, None),
            "{s:?}"
        );
        assert!(s.reserved_bytes >= 128 << 10, "{s:?}");
    });
}

// ---------------------------------------------------------------------------------------------
// One arena per open scope
// ---------------------------------------------------------------------------------------------

thread_local! {
    /// Arenas of the scopes open on this thread (by address).
    static OPEN: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

/// `scope`, checking that its arena is held by no other open scope on this thread, and that it
/// starts empty.
fn checked_scope<R>(f: impl for<'a> FnOnce(&'a Arena) -> R) -> R {
    scope(|mem| {
        let a = addr(mem);
        OPEN.with(|open| {
            let mut open = open.borrow_mut();
            assert!(!open.contains(&a), "arena {a:#x} handed to two open scopes");
            open.push(a);
        });
        let s = mem.stats();
        assert_eq!(
            (s.used_bytes, s.drops_pending, s.allocations, s.limit),
            (0, 0, None, None),
            "{s:?}"
        );
        struct Pop(usize);
        impl Drop for Pop {
            fn drop(&mut self) {
                OPEN.with(|open| {
                    let mut open = open.borrow_mut();
                    assert_eq!(open.pop(), Some(self.0));
                });
            }
        }
        let _pop = Pop(a);
        f(mem)
    })
}

/// A destructor that opens scopes at the end of the scope that owns it: `depth` levels of
/// scopes, each registering another such destructor one level shallower.
struct OpensScopes {
    depth: usize,
    seen: Arc<AtomicUsize>,
    panic_inside: bool,
}

impl Drop for OpensScopes {
    fn drop(&mut self) {
        let seen = Arc::clone(&self.seen);
        let depth = self.depth;
        let panic_inside = self.panic_inside;
        checked_scope(move |mem| {
            take(mem, 200);
            seen.fetch_add(1, Ordering::SeqCst);
            if depth > 0 {
                mem.alloc_droppable(OpensScopes {
                    depth: depth - 1,
                    seen: Arc::clone(&seen),
                    panic_inside,
                });
                checked_scope(|inner| take(inner, 50));
            }
            if panic_inside && depth == 0 {
                panic!("inner scope of a destructor");
            }
        });
    }
}

#[test]
fn destructors_at_scope_end_open_nested_scopes_on_distinct_arenas() {
    let _knobs = knobs(Retain::Percent(100), 0);
    on_fresh_thread(|| {
        let seen = Arc::new(AtomicUsize::new(0));
        for round in 0..6 {
            // Steady warm-up first so the scope below starts on the fast path.
            for _ in 0..3 {
                checked_scope(|mem| take(mem, 300));
            }
            let panic_inside = round % 2 == 1;
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                checked_scope(|mem| {
                    take(mem, 300);
                    mem.alloc_droppable(OpensScopes {
                        depth: 2,
                        seen: Arc::clone(&seen),
                        panic_inside,
                    });
                })
            }));
            // The innermost panic is caught by each drop run on the way out and resumed by
            // each scope end, up to the outermost one.
            assert_eq!(outcome.is_err(), panic_inside);
            assert_eq!(seen.load(Ordering::SeqCst), 3 * (round + 1));
        }
        // The pool is consistent at every depth afterwards.
        checked_scope(|a| {
            checked_scope(|b| {
                checked_scope(|c| {
                    checked_scope(|d| {
                        let set: HashSet<usize> = [a, b, c, d].iter().map(|m| addr(m)).collect();
                        assert_eq!(set.len(), 4);
                    })
                })
            })
        });
    });
}

/// A destructor that panics while a scope it opened is still open: the panic leaves the nested
/// scope first, then is caught by the drop run, then resumed by the outer scope's end.
#[test]
fn a_destructor_panicking_out_of_its_own_scope_is_resumed_and_the_pool_stays_consistent() {
    struct PanicsInScope(Arc<AtomicUsize>);
    impl Drop for PanicsInScope {
        fn drop(&mut self) {
            let seen = Arc::clone(&self.0);
            scope(move |mem| {
                take(mem, 64);
                seen.fetch_add(1, Ordering::SeqCst);
                panic!("from a scope in a destructor");
            });
        }
    }
    let _knobs = knobs(Retain::Percent(100), 0);
    on_fresh_thread(|| {
        let seen = Arc::new(AtomicUsize::new(0));
        let drops = Arc::new(AtomicUsize::new(0));
        for i in 1..=4 {
            for _ in 0..3 {
                checked_scope(|mem| take(mem, 300));
            }
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                checked_scope(|mem| {
                    take(mem, 300);
                    mem.alloc_droppable(CountDrop(Arc::clone(&drops)));
                    mem.alloc_droppable(PanicsInScope(Arc::clone(&seen)));
                    mem.alloc_droppable(CountDrop(Arc::clone(&drops)));
                })
            }));
            let payload = outcome.expect_err("the destructor's panic is resumed");
            assert_eq!(
                payload.downcast_ref::<&str>(),
                Some(&"from a scope in a destructor")
            );
            assert_eq!(seen.load(Ordering::SeqCst), i);
            assert_eq!(
                drops.load(Ordering::SeqCst),
                2 * i,
                "the other destructors ran"
            );
        }
        checked_scope(|a| checked_scope(|b| assert_ne!(addr(a), addr(b))));
    });
}

/// Unwinding out of a warmed fast scope whose destructor opens a scope: the destructor still
/// runs (once), its scope gets a deeper arena, and the pool is consistent.
#[test]
fn unwinding_out_of_a_fast_scope_runs_a_destructor_that_opens_a_scope() {
    let _knobs = knobs(Retain::Percent(100), 0);
    on_fresh_thread(|| {
        let seen = Arc::new(AtomicUsize::new(0));
        for _ in 0..4 {
            checked_scope(|mem| take(mem, 300));
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            checked_scope(|mem| {
                mem.alloc_droppable(OpensScopes {
                    depth: 1,
                    seen: Arc::clone(&seen),
                    panic_inside: false,
                });
                panic!("closure");
            })
        }));
        assert!(outcome.is_err());
        assert_eq!(seen.load(Ordering::SeqCst), 2);
        for _ in 0..4 {
            checked_scope(|a| checked_scope(|b| assert_ne!(addr(a), addr(b))));
        }
    });
}

// ---------------------------------------------------------------------------------------------
// Panics in apply_options (capacity that cannot be reserved)
// ---------------------------------------------------------------------------------------------

fn capacity(bytes: usize) -> ScopeOptions {
    ScopeOptions {
        capacity: Some(bytes),
        limit: None,
        label: Some("too-big"),
        call_site: "tests/scope_review.rs",
    }
}

#[test]
fn a_capacity_that_cannot_be_reserved_leaves_every_depth_consistent() {
    let _knobs = knobs(Retain::Percent(100), 0);
    on_fresh_thread(|| {
        // Warm depths 0 and 1 onto the fast path.
        for _ in 0..4 {
            checked_scope(|mem| {
                take(mem, 300);
                checked_scope(|inner| take(inner, 300));
            });
        }
        let closure_ran = AtomicUsize::new(0);
        // At depth 0.
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            scope_with(capacity(usize::MAX / 2), |_| {
                closure_ran.fetch_add(1, Ordering::SeqCst);
            })
        }));
        assert!(outcome.is_err());
        // With a memory limit in the way, at depth 1 inside a fast scope, caught there.
        let base = arena_core::reserved_bytes_total();
        checked_scope(|outer| {
            let kept = outer.alloc(7u64);
            config::set_memlimit(Some(base + (64 << 10)));
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                scope_with(capacity(1 << 20), |_| {
                    closure_ran.fetch_add(1, Ordering::SeqCst);
                })
            }));
            config::set_memlimit(None);
            assert!(outcome.is_err());
            // The next scope at depth 1 gets the same arena as before, not the outer one.
            checked_scope(|inner| {
                assert_ne!(addr(inner), addr(outer));
                assert_eq!(inner.stats().limit, None);
                assert_eq!(inner.label(), None);
                take(inner, 300);
            });
            assert_eq!(*kept, 7);
        });
        assert_eq!(closure_ran.load(Ordering::SeqCst), 0);
        for _ in 0..4 {
            checked_scope(|mem| {
                assert_eq!(mem.label(), None);
                take(mem, 300);
                checked_scope(|inner| take(inner, 300));
            });
        }
    });
}

// ---------------------------------------------------------------------------------------------
// Scopes in thread-local destructors
// ---------------------------------------------------------------------------------------------

/// What a scope run from a thread-local destructor saw.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct LateScopes {
    ran: bool,
    /// The scope's arena held the ballast at entry: a pooled arena (the pool is alive).
    pooled: bool,
    /// A `limit = 4096` scope refused 64 KiB.
    limit_held: bool,
    /// Destructors registered in the scopes ran.
    drops: usize,
    /// Nested scopes got distinct arenas.
    nested_distinct: bool,
}

struct RunsScopesOnDrop(Arc<Mutex<LateScopes>>);

impl Drop for RunsScopesOnDrop {
    fn drop(&mut self) {
        let drops = Arc::new(AtomicUsize::new(0));
        let pooled = scope(|mem| mem.stats().reserved_bytes >= BALLAST);
        let limit_held = scope_with(
            ScopeOptions {
                capacity: None,
                limit: Some(4096),
                label: Some("late"),
                call_site: "tests/scope_review.rs",
            },
            |mem| mem.try_alloc_slice_fill_default::<u8>(64 << 10).is_err(),
        );
        let nested_distinct = scope(|a| {
            a.alloc_droppable(CountDrop(Arc::clone(&drops)));
            scope(|b| {
                b.alloc_droppable(CountDrop(Arc::clone(&drops)));
                addr(a) != addr(b)
            })
        });
        *self.0.lock().unwrap() = LateScopes {
            ran: true,
            pooled,
            limit_held,
            drops: drops.load(Ordering::SeqCst),
            nested_distinct,
        };
    }
}

thread_local! {
    static LATE: RefCell<Option<RunsScopesOnDrop>> = const { RefCell::new(None) };
}

/// Runs a thread that registers `LATE` before or after the pool (thread-local destructors run
/// in reverse order of registration) and reports what the scopes in `LATE`'s destructor saw.
fn scopes_in_a_thread_local_destructor(pool_first: bool) -> LateScopes {
    let _knobs = knobs(Retain::Percent(100), BALLAST);
    let report = Arc::new(Mutex::new(LateScopes::default()));
    let shared = Arc::clone(&report);
    on_fresh_thread(move || {
        if pool_first {
            scope(|mem| take(mem, 100));
        }
        LATE.with(|late| *late.borrow_mut() = Some(RunsScopesOnDrop(shared)));
        if !pool_first {
            scope(|mem| take(mem, 100));
        }
    });
    let seen = *report.lock().unwrap();
    assert!(seen.ran, "the thread-local destructor ran");
    seen
}

/// The pool registered first is freed last: the destructor's scopes use pooled arenas.
#[test]
fn scopes_in_a_thread_local_destructor_before_the_pool_is_freed() {
    let seen = scopes_in_a_thread_local_destructor(true);
    assert_eq!(
        seen,
        LateScopes {
            ran: true,
            pooled: true,
            limit_held: true,
            drops: 2,
            nested_distinct: true
        }
    );
}

/// The pool registered last is freed first: the destructor's scopes fall back to standalone
/// arenas, which must still run destructors and nest.
#[test]
fn scopes_in_a_thread_local_destructor_after_the_pool_is_freed_run_destructors() {
    let seen = scopes_in_a_thread_local_destructor(false);
    assert!(!seen.pooled, "the pool was already freed: {seen:?}");
    assert_eq!((seen.drops, seen.nested_distinct), (2, true), "{seen:?}");
}

/// Regression (older than the slot chain): after the pool is freed, a scope fell back to
/// `Arena::new()` and dropped its options, so a scope `limit` was not enforced (a limit must hold in every case).
#[test]
fn a_scope_limit_holds_in_a_thread_local_destructor_after_the_pool_is_freed() {
    let seen = scopes_in_a_thread_local_destructor(false);
    assert!(!seen.pooled, "the pool was already freed: {seen:?}");
    assert!(seen.limit_held, "limit = 4096 let 64 KiB through: {seen:?}");
}

// ---------------------------------------------------------------------------------------------
// Slot chain growth while outer scopes hold their arenas (Miri: no pointer invalidated)
// ---------------------------------------------------------------------------------------------

/// Opens `depth` nested scopes; each keeps a value in its arena across the inner ones and checks
/// it afterwards. Returns the sum of the depths seen.
fn nest(depth: usize, open: &mut Vec<usize>) -> usize {
    if depth == 0 {
        return 0;
    }
    checked_scope(|mem| {
        let kept = mem.alloc(depth as u64);
        let v = mem.alloc_slice_fill_with(16, |i| (i + depth) as u32);
        open.push(addr(mem));
        let below = nest(depth - 1, open);
        open.pop();
        assert_eq!(*kept, depth as u64);
        assert!(v.iter().enumerate().all(|(i, &x)| x == (i + depth) as u32));
        below + depth
    })
}

#[test]
fn deep_nesting_grows_the_slot_chain_while_outer_scopes_hold_their_arenas() {
    let _knobs = knobs(Retain::Percent(100), 0);
    on_fresh_thread(|| {
        let mut open = Vec::new();
        // The first time creates the slots (the pool's vector reallocates on the way); then the
        // same chain is walked on the fast path, deeper each time.
        for depth in [3, 12, 12, 20, 20] {
            assert_eq!(nest(depth, &mut open), depth * (depth + 1) / 2);
            assert!(open.is_empty());
        }
        // The arenas of the chain are 20 distinct ones, reused in the same order.
        let chain = |n: usize| {
            fn walk(n: usize, out: &mut Vec<usize>) {
                if n > 0 {
                    scope(|mem| {
                        out.push(addr(mem));
                        walk(n - 1, out);
                    });
                }
            }
            let mut out = Vec::new();
            walk(n, &mut out);
            out
        };
        let first = chain(20);
        assert_eq!(first.iter().collect::<HashSet<_>>().len(), 20);
        assert_eq!(chain(20), first);
    });
}
