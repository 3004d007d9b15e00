//! `ArenaPool` and its `PooledArena` guards: reuse, the bound on idle arenas, destructors (also
//! when the borrower panics), the pool's limit, capacity and label, the knobs (`ARENA_RETAIN`,
//! `ARENA_BALLAST`, `ARENA_MEMLIMIT`), guards moving between threads, and memory coming back.
//!
//! The knobs are process-wide: tests that set them programmatically hold `SERIAL`; the ones that
//! read them from the environment run in a child process (this binary re-executed with one test
//! selected and the variables set).

use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};

use arena_core::config::{self, Retain};
use arena_core::{AllocErrorKind, Arena, ArenaPool, PooledArena};

static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

/// Counts its drops in a shared counter.
struct Counted(Arc<AtomicUsize>);

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn pool_is_send_and_sync_and_guards_are_send() {
    fn send_sync<T: Send + Sync>() {}
    fn send<T: Send>() {}
    send_sync::<ArenaPool>();
    send::<PooledArena<'static>>();
}

#[test]
fn a_returned_arena_is_lent_again_reset() {
    let pool = ArenaPool::new();
    let first = {
        let mem = pool.get();
        mem.alloc_slice_fill_with(1000, |i| i as u64);
        assert!(mem.stats().used_bytes >= 8000);
        mem.stats().reserved_bytes
    };
    let mem = pool.get();
    let stats = mem.stats();
    assert_eq!(stats.used_bytes, 0, "reset when given back");
    assert_eq!(stats.reserved_bytes, first, "its memory was kept");
    assert_eq!(pool.stats().arenas_created, 1);
    assert_eq!(pool.stats().arenas_in_use, 1);
    assert_eq!(pool.stats().idle_arenas, 0);
}

#[test]
fn guards_alive_together_get_distinct_arenas() {
    let pool = ArenaPool::new();
    let a = pool.get();
    let b = pool.get();
    let x = a.alloc(1u64);
    let y = b.alloc(2u64);
    assert_ne!(x as *mut u64, y as *mut u64);
    assert_eq!((*x, *y), (1, 2));
    assert_eq!(pool.stats().arenas_created, 2);
    assert_eq!(pool.stats().arenas_in_use, 2);
}

#[test]
fn idle_arenas_are_bounded() {
    let pool = ArenaPool::builder().max_idle(2).build();
    let guards: Vec<_> = (0..5).map(|_| pool.get()).collect();
    for g in &guards {
        g.alloc(0u8);
    }
    drop(guards);
    let stats = pool.stats();
    assert_eq!(stats.idle_arenas, 2);
    assert_eq!(stats.max_idle, 2);
    assert_eq!(stats.arenas_in_use, 0);
    assert_eq!(stats.arenas_created, 5);
    let none = ArenaPool::builder().max_idle(0).build();
    drop(none.get());
    assert_eq!(none.stats().idle_arenas, 0);
    assert_eq!(none.stats().idle_reserved_bytes, 0);
}

#[test]
fn destructors_run_once_when_the_guard_goes() {
    let pool = ArenaPool::new();
    let drops = Arc::new(AtomicUsize::new(0));
    {
        let mem = pool.get();
        for _ in 0..10 {
            mem.alloc_droppable(Counted(drops.clone()));
        }
        assert_eq!(mem.stats().drops_pending, 10);
        assert_eq!(drops.load(Ordering::SeqCst), 0);
    }
    assert_eq!(drops.load(Ordering::SeqCst), 10);
    assert_eq!(pool.get().stats().drops_pending, 0);
    assert_eq!(drops.load(Ordering::SeqCst), 10, "not again");
}

#[test]
fn a_panicking_borrower_gives_the_arena_back_with_its_destructors_run() {
    let pool = ArenaPool::new();
    let drops = Arc::new(AtomicUsize::new(0));
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mem = pool.get();
        mem.alloc_droppable(Counted(drops.clone()));
        mem.alloc_droppable(Counted(drops.clone()));
        panic!("borrower failed");
    }));
    assert!(outcome.is_err());
    assert_eq!(drops.load(Ordering::SeqCst), 2);
    let stats = pool.stats();
    assert_eq!((stats.arenas_in_use, stats.idle_arenas), (0, 1));
    let mem = pool.get();
    assert_eq!(mem.stats().used_bytes, 0);
    assert_eq!(*mem.alloc(5u8), 5, "usable again");
}

/// Panics when dropped.
struct Bomb;

impl Drop for Bomb {
    fn drop(&mut self) {
        panic!("bomb destructor");
    }
}

#[test]
fn a_panicking_destructor_is_resumed_after_the_arena_is_back() {
    let pool = ArenaPool::new();
    let drops = Arc::new(AtomicUsize::new(0));
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mem = pool.get();
        mem.alloc_droppable(Counted(drops.clone()));
        mem.alloc_droppable(Bomb);
        mem.alloc_droppable(Counted(drops.clone()));
    }));
    let payload = outcome.unwrap_err();
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"bomb destructor"));
    assert_eq!(drops.load(Ordering::SeqCst), 2, "the others still ran");
    assert_eq!(pool.stats().arenas_in_use, 0);
    assert_eq!(pool.stats().idle_arenas, 1);
}

#[test]
fn a_destructor_panic_while_unwinding_does_not_abort() {
    let pool = ArenaPool::new();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mem = pool.get();
        mem.alloc_droppable(Bomb);
        panic!("first");
    }));
    assert_eq!(outcome.unwrap_err().downcast_ref::<&str>(), Some(&"first"));
    assert_eq!(pool.stats().idle_arenas, 1);
}

#[test]
fn limit_capacity_and_label_hold_for_every_arena() {
    let pool = ArenaPool::builder()
        .capacity(8 << 10)
        .limit(64 << 10)
        .label("workers")
        .build();
    for _ in 0..3 {
        let mem = pool.get();
        assert!(mem.stats().reserved_bytes >= 8 << 10);
        assert_eq!(mem.label(), Some("workers"));
        let err = mem
            .try_alloc_slice_fill_default::<u8>(128 << 10)
            .unwrap_err();
        assert!(matches!(err.kind(), AllocErrorKind::ArenaLimit { limit } if *limit == 64 << 10));
        assert!(err.to_string().contains("\"workers\""), "{err}");
        mem.alloc_slice_fill_default::<u8>(32 << 10);
        assert!(mem.stats().reserved_bytes <= 64 << 10);
    }
    let stats = pool.stats();
    assert_eq!(stats.arenas_created, 1);
    assert_eq!(stats.limit, Some(64 << 10));
    assert_eq!(stats.label.as_deref(), Some("workers"));
    assert!(stats.idle_reserved_bytes >= 8 << 10 && stats.idle_reserved_bytes <= 64 << 10);
}

#[test]
fn a_capacity_over_the_limit_is_an_error_and_the_pool_stays_usable() {
    let pool = ArenaPool::builder()
        .capacity(1 << 20)
        .limit(4 << 10)
        .label("tight")
        .build();
    let err = pool.try_get().unwrap_err();
    assert!(matches!(err.kind(), AllocErrorKind::ArenaLimit { .. }));
    let text = err.to_string();
    assert!(
        text.contains("\"tight\"") && text.contains("4096"),
        "{text}"
    );
    let message = std::panic::catch_unwind(|| drop(pool.get())).unwrap_err();
    let message = message.downcast_ref::<String>().unwrap();
    assert!(message.contains("limit of 4096 bytes"), "{message}");
    assert_eq!(pool.stats().arenas_in_use, 0);
    assert_eq!(pool.stats().arenas_created, 0);
}

#[test]
fn an_arena_swapped_in_through_deref_mut_is_brought_under_the_pool_settings() {
    let pool = ArenaPool::builder().limit(16 << 10).label("p").build();
    let swapped_out = {
        let mut mem = pool.get();
        std::mem::replace(&mut *mem, Arena::with_capacity(1 << 20))
    };
    assert_eq!(swapped_out.label(), Some("p"));
    let mem = pool.get();
    assert_eq!(mem.label(), Some("p"));
    assert_eq!(mem.limit(), Some(16 << 10));
    assert!(mem.stats().reserved_bytes <= 16 << 10);
}

#[test]
fn reset_through_the_guard_keeps_the_loan() {
    let pool = ArenaPool::new();
    let mut mem = pool.get();
    for round in 0..3u64 {
        let v = mem.alloc(round);
        assert_eq!(*v, round);
        mem.reset();
        assert_eq!(mem.stats().used_bytes, 0);
    }
    assert_eq!(pool.stats().arenas_in_use, 1);
}

#[test]
fn guards_move_between_threads_and_come_back() {
    let pool = ArenaPool::builder().max_idle(4).build();
    let drops = Arc::new(AtomicUsize::new(0));
    let rounds = if cfg!(miri) { 4 } else { 200 };
    std::thread::scope(|s| {
        let (to_worker, from_main) = mpsc::channel::<(u64, PooledArena<'_>)>();
        let worker = s.spawn({
            let drops = drops.clone();
            move || {
                for (i, mem) in from_main {
                    // Made on the main thread, still there.
                    let head = mem.alloc(i);
                    mem.alloc_droppable(Counted(drops.clone()));
                    assert_eq!(*head, i);
                    drop(mem); // back to the pool from this thread
                }
            }
        });
        for i in 0..rounds {
            let mem = pool.get();
            mem.alloc_slice_fill_with(100, |k| k as u64 + i);
            to_worker.send((i, mem)).unwrap();
        }
        drop(to_worker);
        worker.join().unwrap();
    });
    assert_eq!(drops.load(Ordering::SeqCst), rounds as usize);
    let stats = pool.stats();
    assert_eq!(stats.arenas_in_use, 0);
    assert!(stats.idle_arenas <= 4 && stats.arenas_created <= rounds as usize);
}

#[test]
fn retain_zero_keeps_nothing_and_off_keeps_everything() {
    let _serial = serial();
    let pool = ArenaPool::new();
    config::set_retain(Retain::Percent(0));
    {
        let mem = pool.get();
        mem.alloc_slice_fill_default::<u8>(100 << 10);
    }
    let kept_with_zero = pool.stats().idle_reserved_bytes;
    config::set_retain(Retain::Off);
    let reserved = {
        let mem = pool.get();
        mem.alloc_slice_fill_default::<u8>(10 << 10);
        mem.alloc_slice_fill_default::<u8>(100 << 10);
        mem.stats().reserved_bytes
    };
    let kept_with_off = pool.stats().idle_reserved_bytes;
    config::set_retain(Retain::Percent(100));
    assert_eq!(kept_with_zero, 0);
    assert!(kept_with_off >= reserved, "{kept_with_off} < {reserved}");
}

#[test]
fn ballast_is_reserved_up_front_and_kept() {
    let _serial = serial();
    config::set_ballast(256 << 10);
    let pool = ArenaPool::new();
    let at_start = pool.get().stats().reserved_bytes;
    config::set_retain(Retain::Percent(0));
    let kept = pool.stats().idle_reserved_bytes;
    config::set_retain(Retain::Percent(100));
    config::set_ballast(0);
    assert!(at_start >= 256 << 10, "{at_start}");
    assert!(kept >= 256 << 10, "even RETAIN=0 keeps the ballast: {kept}");
}

#[test]
fn the_memlimit_refuses_a_new_arena_and_the_pool_recovers() {
    let _serial = serial();
    let pool = ArenaPool::builder().capacity(1 << 20).build();
    let base = arena_core::reserved_bytes_total();
    config::set_memlimit(Some(base + (1 << 20) + (64 << 10)));
    let first = pool.try_get();
    let second = pool.try_get().map(drop);
    config::set_memlimit(None);
    assert!(first.is_ok());
    let err = second.unwrap_err();
    assert!(
        matches!(err.kind(), AllocErrorKind::MemLimit { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("ARENA_MEMLIMIT"), "{err}");
    drop(first);
    assert_eq!(pool.stats().arenas_in_use, 0);
    assert_eq!(pool.stats().idle_arenas, 1);
    drop(pool.get());
}

#[test]
fn free_idle_gives_the_memory_back() {
    let _serial = serial();
    let base = arena_core::reserved_bytes_total();
    let pool = ArenaPool::builder().capacity(256 << 10).build();
    drop((pool.get(), pool.get()));
    assert!(arena_core::reserved_bytes_total() >= base + (512 << 10));
    pool.free_idle();
    assert_eq!(pool.stats().idle_arenas, 0);
    assert_eq!(arena_core::reserved_bytes_total(), base);
}

// ---------------------------------------------------------------------------------------------
// From the environment, in child processes.
// ---------------------------------------------------------------------------------------------

/// Runs the test `name` of this binary in a child process with `env` set; returns whether it
/// passed and its output.
fn run_child(name: &str, env: &[(&str, &str)]) -> (bool, String) {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([
        "--exact",
        name,
        "--nocapture",
        "--test-threads=1",
        "--include-ignored",
    ]);
    cmd.env("ARENA_TEST_CHILD", "1");
    for key in [
        "ARENA_MEMLIMIT",
        "ARENA_RETAIN",
        "ARENA_BALLAST",
        "ARENA_DEBUG",
    ] {
        cmd.env_remove(key);
    }
    for (key, value) in env {
        cmd.env(key, value);
    }
    let out = cmd.output().unwrap();
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

fn in_child() -> bool {
    std::env::var_os("ARENA_TEST_CHILD").is_some()
}

#[test]
#[ignore = "run as a child process by the pool_honours_retain_and_ballast_from_the_environment"]
fn child_retain_and_ballast() {
    if !in_child() {
        return;
    }
    let pool = ArenaPool::new();
    let mem = pool.get();
    assert!(
        mem.stats().reserved_bytes >= 128 << 10,
        "ARENA_BALLAST=128KiB"
    );
    mem.alloc_slice_fill_default::<u8>(1 << 20);
    drop(mem);
    // ARENA_RETAIN=0 keeps nothing above the ballast.
    let kept = pool.stats().idle_reserved_bytes;
    assert!((128 << 10..1 << 20).contains(&kept), "{kept}");
    eprintln!("child_retain_and_ballast done");
}

#[test]
#[cfg_attr(miri, ignore = "spawns a process")]
fn pool_honours_retain_and_ballast_from_the_environment() {
    let (ok, out) = run_child(
        "child_retain_and_ballast",
        &[("ARENA_RETAIN", "0"), ("ARENA_BALLAST", "128KiB")],
    );
    assert!(ok && out.contains("child_retain_and_ballast done"), "{out}");
}

#[test]
#[ignore = "run as a child process by a_malformed_knob_fails_the_first_get"]
fn child_malformed() {
    if !in_child() {
        return;
    }
    let pool = ArenaPool::new();
    let err = pool.try_get().unwrap_err();
    assert!(matches!(err.kind(), AllocErrorKind::Config(_)), "{err:?}");
    eprintln!("try_get: {err}");
    drop(pool.get());
}

#[test]
#[cfg_attr(miri, ignore = "spawns a process")]
fn a_malformed_knob_fails_the_first_get() {
    let (ok, out) = run_child("child_malformed", &[("ARENA_RETAIN", "half")]);
    assert!(!ok, "{out}");
    assert!(
        out.contains("try_get: ") && out.contains("ARENA_RETAIN"),
        "{out}"
    );
    assert!(out.contains("\"half\""), "{out}");
}

/// The stress test: four threads take guards, fill them, and pass them to each other through
/// channels, each guard dropped by a thread other than the one that took it, all under a 4 MiB
/// `ARENA_MEMLIMIT` that some rounds hit on purpose. The limit is never exceeded, every
/// destructor runs once, and once the pool frees its idle arenas the process holds exactly the
/// memory it held before.
#[test]
#[ignore = "run as a child process by guards_across_threads_under_the_memlimit"]
fn child_stress() {
    if !in_child() {
        return;
    }
    const LIMIT: usize = 4 << 20;
    const THREADS: usize = 4;
    const ROUNDS: usize = 100;
    let start = arena_core::reserved_bytes_total();
    let pool = ArenaPool::builder().max_idle(3).build();
    let drops = Arc::new(AtomicUsize::new(0));
    let made = Arc::new(AtomicUsize::new(0));
    let refused = AtomicUsize::new(0);
    let peak = AtomicUsize::new(0);
    std::thread::scope(|s| {
        let (senders, receivers): (Vec<_>, Vec<_>) = (0..THREADS)
            .map(|_| mpsc::channel::<PooledArena<'_>>())
            .unzip();
        for (t, inbox) in receivers.into_iter().enumerate() {
            let next = senders[(t + 1) % THREADS].clone();
            let (pool, drops, made, refused, peak) = (&pool, &drops, &made, &refused, &peak);
            s.spawn(move || {
                let mut seed = t as u64 * 7919 + 1;
                for round in 0..ROUNDS {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    // Guards from the neighbour: use and drop them here.
                    while let Ok(mem) = inbox.try_recv() {
                        mem.alloc_slice_fill_with(64, |i| i as u64);
                        drop(mem);
                    }
                    let Ok(mem) = pool.try_get() else {
                        refused.fetch_add(1, Ordering::Relaxed);
                        continue;
                    };
                    // Four threads with a few guards each reach the limit.
                    let bytes = 512 << 10;
                    match mem.try_alloc_slice_fill_default::<u8>(bytes) {
                        Ok(bytes) => bytes[0] = round as u8,
                        Err(err) => {
                            assert!(
                                matches!(err.kind(), AllocErrorKind::MemLimit { .. }),
                                "{err:?}"
                            );
                            refused.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    if mem.try_alloc_droppable(Counted(drops.clone())).is_ok() {
                        made.fetch_add(1, Ordering::Relaxed);
                    }
                    peak.fetch_max(arena_core::reserved_bytes_total(), Ordering::Relaxed);
                    if seed % 3 == 0 {
                        drop(mem);
                    } else {
                        // The neighbour may have finished; then the guard comes back here.
                        let _ = next.send(mem);
                    }
                }
            });
        }
        drop(senders);
    });
    let total = arena_core::reserved_bytes_total();
    assert!(peak.load(Ordering::Relaxed) <= LIMIT, "the limit held");
    assert_eq!(pool.stats().arenas_in_use, 0);
    assert_eq!(drops.load(Ordering::SeqCst), made.load(Ordering::SeqCst));
    assert!(pool.stats().idle_arenas <= 3);
    assert_eq!(total, start + pool.stats().idle_reserved_bytes);
    pool.free_idle();
    assert_eq!(arena_core::reserved_bytes_total(), start, "memory is back");
    eprintln!(
        "child_stress done: {} destructors, {} refusals, peak {} B",
        made.load(Ordering::SeqCst),
        refused.load(Ordering::Relaxed),
        peak.load(Ordering::Relaxed)
    );
}

#[test]
#[cfg_attr(miri, ignore = "spawns a process")]
fn guards_across_threads_under_the_memlimit() {
    let (ok, out) = run_child("child_stress", &[("ARENA_MEMLIMIT", "4MiB")]);
    assert!(ok && out.contains("child_stress done"), "{out}");
}

#[test]
fn a_peak_inside_scoped_is_kept_for_the_next_loan_only() {
    let _serial = serial();
    config::set_retain(Retain::Percent(100));
    let pool = ArenaPool::new();
    {
        let mut mem = pool.get();
        mem.alloc(1u64);
        // 1 MiB taken and given back inside the loan: its peak is what the loan needed.
        mem.scoped(|tmp| {
            tmp.alloc_layout(std::alloc::Layout::array::<u8>(1 << 20).unwrap());
        });
    }
    assert!(pool.stats().idle_reserved_bytes >= 1 << 20);
    // Small loans after it: the pool shrinks the arena to what they need.
    for _ in 0..2 {
        pool.get().alloc_slice_fill_default::<u8>(1000);
    }
    let kept = pool.stats().idle_reserved_bytes;
    assert!(kept < 64 << 10, "shrunk back after the peak: {kept}");
}

#[test]
fn a_peak_inside_scoped_in_the_same_block_is_kept_too() {
    let _serial = serial();
    config::set_retain(Retain::Percent(100));
    // With a value before the scope, the scope starts and ends in the block the arena already
    // has (its common end); without, the scope's first allocation takes the kept chunk as the
    // block, and its end starts that block over.
    for value_before in [true, false] {
        let pool = ArenaPool::new();
        // A first loan that needs 1.5 MiB: the pool keeps one chunk of about that size.
        pool.get()
            .alloc_layout(std::alloc::Layout::array::<u8>(3 << 19).unwrap());
        let grown = pool.stats().idle_reserved_bytes;
        assert!(grown >= 3 << 19, "kept what the first loan needed: {grown}");
        {
            let mut mem = pool.get();
            if value_before {
                mem.alloc(1u64);
            }
            assert_eq!(mem.stats().chunks, 1);
            // 1 MiB taken and given back inside the loan, in the chunk the arena already has:
            // its peak is still what the loan needed.
            mem.scoped(|tmp| {
                tmp.alloc_layout(std::alloc::Layout::array::<u8>(1 << 20).unwrap());
            });
            assert_eq!(mem.stats().chunks, 1, "the scope stayed in the one chunk");
            assert!(
                mem.stats().used_bytes < 64,
                "the scope's megabyte is free again"
            );
        }
        let kept = pool.stats().idle_reserved_bytes;
        assert!(
            kept >= 1 << 20,
            "value before: {value_before}; kept what the scope needed: {kept}"
        );
    }
}
