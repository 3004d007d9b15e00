//! The pool's memory over time: a warmed loop allocates nothing from the global allocator,
//! retention follows `ARENA_RETAIN`, and a thread's pooled memory is given back when it ends.
//!
//! These tests change process-wide settings and count global allocations, so they live in their
//! own test binary and run one after another under a lock. Each runs its scopes on a thread it
//! joins, so no test's pool outlives it and skews the next one's process-wide totals.

use arena_core::config::{self, Retain};
use arena_core::scope;
use arena_core::testing::{count_global_allocations, CountingAllocator};
use std::alloc::Layout;
use std::fmt::Write as _;
use std::sync::Mutex;

// The crate's own counting allocator (feature `counting-allocator`), as users would install it.
#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator::new();

static SERIAL: Mutex<()> = Mutex::new(());

/// Takes `bytes` of arena memory without writing them (cheap under Miri too).
fn big(mem: &arena_core::Arena, bytes: usize) {
    mem.alloc_layout(Layout::array::<u8>(bytes).unwrap());
}

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

/// Global allocations made by `f` on this thread.
fn global_allocations(f: impl FnOnce()) -> usize {
    count_global_allocations(f).1
}

/// One request of a steady hot loop: small values, a vector grown by push, a map, formatted
/// strings.
fn request(i: u64) -> u64 {
    #[derive(Clone, Copy)]
    struct Token<'a> {
        text: &'a str,
        weight: u64,
    }
    scope(|mem| {
        let mut tokens = mem.vec();
        for j in 0..64 {
            let text = mem.alloc_fmt(format_args!("tok-{i}-{j}"));
            tokens.push(*mem.alloc(Token { text, weight: j }));
        }
        let mut seen = mem.hash_map();
        for t in &tokens {
            *seen.entry(t.text.len()).or_insert(0u64) += t.weight;
        }
        let mut line = mem.string();
        for t in tokens.iter().take(8) {
            let _ = write!(line, "{} ", t.text);
        }
        let mut numbers = mem.vec::<u32>();
        for n in 0..256 {
            numbers.push(n);
        }
        seen.values().sum::<u64>()
            + line.len() as u64
            + numbers.iter().map(|&n| n as u64).sum::<u64>()
    })
}

/// What `arena_scope!(capacity = .., |mem| ..)` expands to.
fn scope_with_capacity<R>(capacity: usize, f: impl FnOnce(&arena_core::Arena) -> R) -> R {
    let options = arena_core::__private::ScopeOptions {
        capacity: Some(capacity),
        limit: None,
        label: None,
        call_site: concat!(file!(), ":", line!()),
    };
    arena_core::__private::scope_with(options, f)
}

#[test]
fn a_scope_with_a_capacity_keeps_it_and_allocates_nothing_when_warm() {
    let _serial = serial();
    config::set_retain(Retain::Percent(100));
    config::set_ballast(0);
    std::thread::spawn(|| {
        let capacity = 256 << 10;
        let round = |i: u64| {
            scope_with_capacity(capacity, |mem| {
                // Much less than the capacity: retention alone would shrink the chunk.
                let reserved = mem.stats().reserved_bytes;
                assert!(
                    reserved >= capacity,
                    "{reserved} bytes for a capacity of {capacity}"
                );
                *mem.alloc(i) + mem.alloc_str("small").len() as u64
            })
        };
        for i in 0..3 {
            round(i); // warm-up: the first scope reserves the capacity
        }
        let allocations = global_allocations(|| {
            for i in 0..if cfg!(miri) { 10 } else { 1000 } {
                assert_eq!(round(i), i + 5);
            }
        });
        assert_eq!(
            allocations, 0,
            "a scope with a capacity must find it reserved, not reserve it again"
        );
        // A plain scope on the same slot keeps working (and keeps the memory it found).
        assert_eq!(scope(|mem| *mem.alloc(7u8)), 7);
    })
    .join()
    .unwrap();
}

#[test]
fn a_warmed_hot_loop_never_reaches_the_global_allocator() {
    let _serial = serial();
    config::set_retain(Retain::Percent(100));
    config::set_ballast(0);
    // On a thread of its own, joined before the lock is released, so its pooled memory is gone
    // before the next test reads the process-wide total (a test's own thread frees its pool only
    // when it exits, after the lock).
    std::thread::spawn(|| {
        let mut checksum = 0;
        for i in 0..20 {
            checksum += request(i); // warm-up
        }
        let allocations = global_allocations(|| {
            for i in 20..if cfg!(miri) { 40 } else { 2000 } {
                checksum += request(i);
            }
        });
        assert_eq!(
            allocations, 0,
            "a warmed loop must not allocate from the global allocator"
        );
        assert!(checksum > 0);
        // And the counter does count: a Vec allocates.
        assert_eq!(
            global_allocations(|| drop(std::hint::black_box(vec![1u8; 10]))),
            1
        );
    })
    .join()
    .unwrap();
}

#[test]
fn retain_keeps_what_the_scope_needed_and_shrinks_after_a_spike() {
    let _serial = serial();
    config::set_retain(Retain::Percent(100));
    config::set_ballast(0);
    std::thread::spawn(|| {
        let reserved = || scope(|mem| mem.stats().reserved_bytes);
        // A spike of 8 MiB, then small scopes: with RETAIN=100 the pooled arena shrinks to what a
        // small scope needs.
        scope(|mem| {
            big(mem, 8 << 20);
        });
        assert!(
            reserved() >= 8 << 20,
            "kept after the spike: {}",
            reserved()
        );
        scope(|mem| {
            mem.alloc_slice_fill_default::<u8>(10_000);
        });
        let after_small = reserved();
        assert!(
            after_small < 64 << 10,
            "shrunk to about 10 KB: {after_small}"
        );
        // Steady: the same scope again keeps exactly the same memory.
        for _ in 0..10 {
            scope(|mem| {
                mem.alloc_slice_fill_default::<u8>(10_000);
            });
            assert_eq!(reserved(), after_small);
        }
        // RETAIN=0 keeps nothing.
        config::set_retain(Retain::Percent(0));
        scope(|mem| {
            mem.alloc(1u64);
        });
        assert_eq!(reserved(), 0);
        // RETAIN=off keeps everything ever reserved.
        config::set_retain(Retain::Off);
        scope(|mem| {
            big(mem, 4 << 20);
        });
        scope(|mem| {
            mem.alloc(1u8);
        });
        assert!(reserved() >= 4 << 20);
        // RETAIN=50 keeps about half of what the scope needed, in whole chunks.
        config::set_retain(Retain::Percent(50));
        scope(|mem| {
            big(mem, 1 << 20);
        });
        let half = reserved();
        assert!(
            (512 << 10..1 << 20).contains(&half),
            "about half of 1 MiB: {half}"
        );
    })
    .join()
    .unwrap();
    config::set_retain(Retain::Percent(100));
}

#[test]
fn ballast_is_reserved_by_each_new_pooled_arena() {
    let _serial = serial();
    config::set_ballast(2 << 20);
    let reserved = std::thread::spawn(|| scope(|mem| mem.stats().reserved_bytes))
        .join()
        .unwrap();
    config::set_ballast(0);
    assert!(reserved >= 2 << 20, "{reserved}");
}

#[test]
fn a_threads_pooled_memory_is_given_back_when_it_ends() {
    let _serial = serial();
    config::set_retain(Retain::Off);
    let before = arena_core::reserved_bytes_total();
    let during = std::thread::spawn(|| {
        scope(|mem| {
            big(mem, 16 << 20);
            scope(|inner| {
                big(inner, 16 << 20);
            });
        });
        arena_core::reserved_bytes_total()
    })
    .join()
    .unwrap();
    config::set_retain(Retain::Percent(100));
    assert!(
        during >= before + (32 << 20),
        "retained while the thread lived"
    );
    assert_eq!(
        arena_core::reserved_bytes_total(),
        before,
        "all given back at thread end"
    );
}

#[test]
fn a_round_that_outgrew_its_kept_memory_keeps_its_chunks_in_place() {
    let _serial = serial();
    config::set_retain(Retain::Percent(100));
    config::set_ballast(0);
    std::thread::spawn(|| {
        // 256 KiB first (a first round: merged into one chunk), then rounds that go on past it
        // in 16 KiB pieces, into new chunks.
        let round = |mem: &arena_core::Arena| {
            let first = mem.alloc_layout(Layout::array::<u8>(256 << 10).unwrap());
            for _ in 0..20 {
                big(mem, 16 << 10);
            }
            first.as_ptr() as usize
        };
        scope(|mem| big(mem, 256 << 10));
        assert_eq!(scope(|mem| mem.stats().chunks), 1);
        scope(round);
        let kept = scope(|mem| mem.stats());
        assert!(kept.chunks > 1, "the grown round's chunks stay: {kept:?}");
        assert_eq!(kept.used_bytes, 0, "{kept:?}");
        assert!(
            kept.reserved_bytes >= (256 + 20 * 16) << 10,
            "what the round needed is kept: {kept:?}"
        );
        // The same round again starts where the last one did and asks for nothing new.
        let start = scope(round);
        let mut again = 0;
        let allocations = global_allocations(|| again = scope(round));
        assert_eq!(allocations, 0, "the kept chunks hold the round");
        assert_eq!(again, start, "the oldest chunk is the block again");
        assert_eq!(scope(|mem| mem.stats()), kept);
        // Small rounds again: merged and shrunk to what they need, as after any spike.
        scope(|mem| big(mem, 10_000));
        let small = scope(|mem| mem.stats());
        assert_eq!(small.chunks, 1, "{small:?}");
        assert!(small.reserved_bytes < 64 << 10, "{small:?}");
    })
    .join()
    .unwrap();
}
