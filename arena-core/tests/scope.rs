//! Scopes on the per-thread pool: return values, nesting, panics, options, and values from
//! longer-lived arenas.

use arena_core::__private::{scope_with, ScopeOptions};
use arena_core::{scope, AllocErrorKind, Arena};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

fn options() -> ScopeOptions {
    ScopeOptions {
        capacity: None,
        limit: None,
        label: None,
        call_site: "tests/scope.rs",
    }
}

#[test]
fn a_scope_returns_the_closures_value() {
    let sum = scope(|mem| {
        let xs = mem.alloc_slice_fill_with(100, |i| i as u64);
        xs.iter().sum::<u64>()
    });
    assert_eq!(sum, 4950);
    let owned: String = scope(|mem| mem.alloc_fmt(format_args!("{}-{}", "a", 1)).to_string());
    assert_eq!(owned, "a-1");
}

#[test]
fn nested_scopes_each_get_their_own_arena() {
    scope(|outer| {
        let kept = outer.alloc(7u32);
        let outer_addr = outer as *const Arena;
        let used_before_inner = outer.stats().used_bytes;
        scope(|inner| {
            assert_ne!(inner as *const Arena, outer_addr);
            for i in 0..if cfg!(miri) { 500u32 } else { 10_000 } {
                inner.alloc(i);
            }
            scope(|innermost| {
                assert_ne!(innermost as *const Arena, inner as *const Arena);
                innermost.alloc(1u8);
            });
        });
        assert_eq!(
            *kept, 7,
            "the outer arena was not reset by the inner scopes"
        );
        assert_eq!(
            outer.stats().used_bytes,
            used_before_inner,
            "the inner scopes allocated in the outer arena"
        );
    });
}

#[test]
fn the_same_pooled_arena_is_reused_and_comes_back_reset() {
    let first = scope(|mem| {
        mem.alloc([0u8; 1000]);
        mem as *const Arena as usize
    });
    let second = scope(|mem| {
        let s = mem.stats();
        assert_eq!(s.used_bytes, 0);
        assert_eq!(s.drops_pending, 0);
        // Tracing is off, so the scope does not count its allocations (see `Stats`).
        assert_eq!(s.allocations, None);
        mem as *const Arena as usize
    });
    assert_eq!(first, second);
}

struct CountDrop(Arc<AtomicUsize>);

impl Drop for CountDrop {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn destructors_run_at_scope_end() {
    let drops = Arc::new(AtomicUsize::new(0));
    scope(|mem| {
        for _ in 0..10 {
            mem.alloc_droppable(CountDrop(Arc::clone(&drops)));
        }
        assert_eq!(drops.load(Ordering::SeqCst), 0);
    });
    assert_eq!(drops.load(Ordering::SeqCst), 10);
}

#[test]
fn a_panic_in_a_scope_runs_destructors_and_returns_the_arena() {
    let drops = Arc::new(AtomicUsize::new(0));
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        scope(|mem| {
            mem.alloc_droppable(CountDrop(Arc::clone(&drops)));
            mem.alloc_slice_fill_default::<u8>(10_000);
            panic!("request failed");
        })
    }));
    assert!(outcome.is_err());
    assert_eq!(drops.load(Ordering::SeqCst), 1);
    // The pool is consistent: the next scope at this depth is clean and works.
    let depth0_clean = scope(|mem| {
        let s = mem.stats();
        (s.used_bytes, s.drops_pending, *mem.alloc(5u8))
    });
    assert_eq!(depth0_clean, (0, 0, 5));
}

#[test]
fn a_panicking_destructor_at_scope_end_is_resumed_after_cleanup() {
    struct Bomb;
    impl Drop for Bomb {
        fn drop(&mut self) {
            panic!("bomb");
        }
    }
    let drops = Arc::new(AtomicUsize::new(0));
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        scope(|mem| {
            mem.alloc_droppable(CountDrop(Arc::clone(&drops)));
            mem.alloc_droppable(Bomb);
            mem.alloc_droppable(CountDrop(Arc::clone(&drops)));
        })
    }));
    let payload = outcome.unwrap_err();
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"bomb"));
    assert_eq!(drops.load(Ordering::SeqCst), 2, "the other destructors ran");
    assert_eq!(scope(|mem| mem.stats().drops_pending), 0);
}

#[test]
fn panic_in_scope_with_panicking_destructor_does_not_abort() {
    struct Bomb;
    impl Drop for Bomb {
        fn drop(&mut self) {
            panic!("bomb while unwinding");
        }
    }
    let outcome = catch_unwind(|| {
        scope(|mem| {
            mem.alloc_droppable(Bomb);
            panic!("first");
        })
    });
    let payload = outcome.unwrap_err();
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"first"));
    assert_eq!(scope(|mem| *mem.alloc(1u8)), 1);
}

#[test]
fn values_from_a_longer_lived_arena_can_be_returned() {
    let long_lived = Arena::new();
    let names: Vec<&str> = (0..3)
        .map(|i| {
            scope(|tmp| {
                let scratch = tmp.alloc_fmt(format_args!("user-{i}"));
                let kept: &str = long_lived.alloc_str(scratch);
                kept
            })
        })
        .collect();
    assert_eq!(names, ["user-0", "user-1", "user-2"]);
}

#[test]
fn scope_options_set_limit_label_and_capacity() {
    let err = scope_with(
        ScopeOptions {
            limit: Some(8 << 10),
            label: Some("req"),
            ..options()
        },
        |mem| {
            assert_eq!(mem.stats().limit, Some(8 << 10));
            assert_eq!(mem.label(), Some("req"));
            let err = mem
                .try_alloc_slice_fill_default::<u8>(64 << 10)
                .unwrap_err();
            assert!(mem.stats().reserved_bytes <= 8 << 10);
            assert_eq!(*mem.alloc(3u8), 3, "still usable after the error");
            err
        },
    );
    assert_eq!(err.kind(), &AllocErrorKind::ArenaLimit { limit: 8 << 10 });
    assert_eq!(err.label(), Some("req"));
    // The next scope on the same pooled arena has neither limit nor label.
    scope(|mem| {
        assert_eq!(mem.stats().limit, None);
        assert_eq!(mem.label(), None);
    });
    scope_with(
        ScopeOptions {
            capacity: Some(256 << 10),
            ..options()
        },
        |mem| {
            let s = mem.stats();
            assert!(s.reserved_bytes >= 256 << 10, "{s:?}");
            assert_eq!(s.chunks, 1);
        },
    );
}

#[test]
fn a_limit_panic_in_a_scope_leaves_the_pool_usable() {
    let outcome = catch_unwind(|| {
        scope_with(
            ScopeOptions {
                limit: Some(1024),
                label: Some("tiny"),
                ..options()
            },
            |mem| {
                mem.alloc_slice_fill_default::<u8>(64 << 10);
            },
        )
    });
    let payload = outcome.unwrap_err();
    let message = payload.downcast_ref::<String>().unwrap();
    assert!(
        message.contains("\"tiny\"") && message.contains("limit of 1024 bytes"),
        "{message}"
    );
    assert_eq!(
        scope(|mem| mem.alloc_slice_fill_default::<u8>(64 << 10).len()),
        64 << 10
    );
}

#[test]
fn scopes_on_many_threads_are_independent() {
    const ROUNDS: u64 = if cfg!(miri) { 20 } else { 1000 };
    let handles: Vec<_> = (0..4)
        .map(|t| {
            std::thread::spawn(move || {
                (0..ROUNDS)
                    .map(|i| {
                        scope(|mem| {
                            let v = mem.alloc_slice_fill_with(16, |j| t * 1_000_000 + i + j as u64);
                            v.iter().sum::<u64>()
                        })
                    })
                    .sum::<u64>()
            })
        })
        .collect();
    for (t, handle) in handles.into_iter().enumerate() {
        let t = t as u64;
        let expected: u64 = (0..ROUNDS)
            .map(|i| (0..16).map(|j| t * 1_000_000 + i + j).sum::<u64>())
            .sum();
        assert_eq!(handle.join().unwrap(), expected);
    }
}

/// Scopes that run on a warmed, steady pooled arena (the fast path that ends with a bare rewind)
/// must still see everything that makes a scope not steady: a destructor, a new chunk, nesting, a
/// panic. Each case runs after a warm-up, then the loop is steady again.
#[test]
fn a_warmed_steady_scope_still_runs_destructors_grows_nests_and_unwinds() {
    let round = || {
        scope(|mem| {
            let xs = mem.alloc_slice_fill_with(64, |i| i as u64);
            xs.iter().sum::<u64>()
        })
    };
    let warm = || {
        for _ in 0..16 {
            assert_eq!(round(), 2016);
        }
    };
    let reserved = || scope(|mem| mem.stats().reserved_bytes);
    warm();
    let steady = reserved();
    assert!(steady > 0);

    // A destructor registered in a steady scope runs at its end.
    let drops = Arc::new(AtomicUsize::new(0));
    scope(|mem| {
        mem.alloc(1u64);
        mem.alloc_droppable(CountDrop(Arc::clone(&drops)));
    });
    assert_eq!(drops.load(Ordering::SeqCst), 1);
    warm();

    // A scope that outgrows the steady chunk takes the general end: the next scope starts from
    // one chunk, empty, large enough for the bigger round.
    scope(|mem| {
        mem.alloc_slice_fill_default::<u8>(steady * 4);
    });
    let after = scope(|mem| mem.stats());
    assert_eq!((after.chunks, after.used_bytes), (1, 0));
    assert!(after.reserved_bytes >= steady * 4, "{after:?}");
    // Small rounds again: shrunk back to what they need, then steady.
    warm();
    let settled = reserved();
    warm();
    assert_eq!(reserved(), settled);

    // Nested scopes inside a steady one each get their own arena, and the outer values survive.
    scope(|outer| {
        let kept = outer.alloc(41u64);
        let inner_sum = scope(|inner| {
            assert_ne!(inner as *const Arena, outer as *const Arena);
            round() + *inner.alloc(1u64)
        });
        assert_eq!((*kept, inner_sum), (41, 2017));
    });

    // A panic in a steady scope runs its destructor and leaves the pool consistent.
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        scope(|mem| {
            mem.alloc_droppable(CountDrop(Arc::clone(&drops)));
            panic!("request failed");
        })
    }));
    assert!(outcome.is_err());
    assert_eq!(drops.load(Ordering::SeqCst), 2);
    warm();
    let clean = scope(|mem| {
        let s = mem.stats();
        (s.used_bytes, s.drops_pending, s.reserved_bytes > 0)
    });
    assert_eq!(clean, (0, 0, true));
}

/// A destructor run at the end of a scope may itself open scopes, nested one level deeper (a
/// new pooled arena the first time), while the ending scope's arena is being reset.
#[test]
fn a_destructor_at_scope_end_can_open_a_scope() {
    struct OpensScope(Arc<AtomicUsize>);
    impl Drop for OpensScope {
        fn drop(&mut self) {
            let sum = scope(|mem| mem.alloc_slice_fill_with(10, |i| i).iter().sum::<usize>());
            self.0.fetch_add(sum, Ordering::SeqCst);
        }
    }
    let seen = Arc::new(AtomicUsize::new(0));
    for _ in 0..3 {
        scope(|mem| {
            mem.alloc(1u64);
            mem.alloc_droppable(OpensScope(Arc::clone(&seen)));
        });
    }
    assert_eq!(seen.load(Ordering::SeqCst), 3 * 45);
    // The pool is consistent afterwards, at both depths.
    scope(|outer| {
        let inner = scope(|inner| inner as *const Arena as usize);
        assert_ne!(outer as *const Arena as usize, inner);
        assert_eq!(outer.stats().used_bytes, 0);
    });
}
