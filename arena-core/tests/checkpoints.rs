//! Freeing part of an arena: `checkpoint` / `rewind` / `try_rewind` and `scoped` — what is
//! freed and what stays, destructors (newest first, exactly once, also on panic), refused
//! checkpoints, growth into new chunks and the spare block, limits, nesting.

use std::alloc::Layout;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use arena_core::{Arena, CheckpointError};

#[path = "common/drop_log.rs"]
mod drop_log;

use drop_log::{log, taken, Logged};

#[test]
fn rewind_frees_what_came_after_and_keeps_what_came_before() {
    let mut mem = Arena::new();
    let before = mem.alloc_slice_copy(&[1u64, 2, 3]) as *const [u64];
    let cp = mem.checkpoint();
    let at_checkpoint = mem.stats().used_bytes;
    mem.alloc_slice_fill_with(100, |i| i as u64);
    assert!(mem.stats().used_bytes >= at_checkpoint + 800);
    mem.rewind(cp);
    assert_eq!(mem.stats().used_bytes, at_checkpoint);
    // SAFETY: in this test, the slice was allocated before the checkpoint and the arena was not
    // reset.
    assert_eq!(unsafe { &*before }, &[1, 2, 3]);
    // The memory is handed out again: the next allocation starts where the checkpoint was.
    let again = mem.alloc(7u64) as *mut u64 as usize;
    mem.rewind(cp);
    let and_again = mem.alloc(8u64) as *mut u64 as usize;
    assert_eq!(again, and_again);
}

#[test]
fn destructors_after_the_checkpoint_run_newest_first_and_once() {
    let drops = log();
    let mut mem = Arena::new();
    mem.alloc_droppable(Logged(1, drops.clone()));
    let cp = mem.checkpoint();
    for n in 2..=4 {
        mem.alloc_droppable(Logged(n, drops.clone()));
    }
    assert_eq!(mem.stats().drops_pending, 4);
    mem.rewind(cp);
    assert_eq!(taken(&drops), [4, 3, 2]);
    assert_eq!(mem.stats().drops_pending, 1);
    mem.rewind(cp);
    assert!(taken(&drops).is_empty(), "nothing runs twice");
    drop(mem);
    assert_eq!(taken(&drops), [1]);
}

#[test]
fn a_checkpoint_in_a_loop_writes_one_record() {
    let mut mem = Arena::new();
    mem.alloc(0u8);
    let first = mem.checkpoint();
    let used = mem.stats().used_bytes;
    for i in 0..1000u64 {
        let cp = mem.checkpoint();
        assert_eq!(cp, first, "nothing changed since: the same checkpoint");
        mem.alloc_slice_fill_with(10, |k| k as u64 + i);
        mem.rewind(cp);
    }
    assert_eq!(mem.stats().used_bytes, used);
}

#[test]
fn a_rewind_to_an_earlier_checkpoint_makes_the_later_ones_stale() {
    let mut mem = Arena::new();
    let a = mem.checkpoint();
    mem.alloc(1u32);
    let b = mem.checkpoint();
    mem.alloc(2u32);
    let c = mem.checkpoint();
    mem.rewind(b); // c is stale now, a and b are not
    assert_eq!(mem.try_rewind(c), Err(CheckpointError::Stale));
    mem.alloc(3u32);
    let d = mem.checkpoint();
    assert_eq!(mem.try_rewind(c), Err(CheckpointError::Stale), "still");
    assert_eq!(mem.try_rewind(d), Ok(()));
    assert_eq!(mem.try_rewind(b), Ok(()));
    assert_eq!(mem.try_rewind(a), Ok(()));
    assert_eq!(mem.try_rewind(b), Err(CheckpointError::Stale));
    assert_eq!(mem.try_rewind(d), Err(CheckpointError::Stale));
    assert_eq!(mem.stats().used_bytes, 48, "only a's record is left");
}

#[test]
fn a_stale_checkpoint_whose_record_address_was_reused_is_refused() {
    let mut mem = Arena::new();
    let a = mem.checkpoint();
    let b = mem.checkpoint_after(|m| {
        m.alloc(1u64);
    });
    mem.rewind(a);
    // A new checkpoint at the same place as `b`'s record.
    mem.alloc(1u64);
    let c = mem.checkpoint();
    assert_eq!(mem.try_rewind(b), Err(CheckpointError::Stale));
    assert_eq!(mem.try_rewind(c), Ok(()));
}

/// A test helper: runs `f`, then takes a checkpoint.
trait CheckpointAfter {
    fn checkpoint_after(&self, f: impl FnOnce(&Arena)) -> arena_core::Checkpoint;
}

impl CheckpointAfter for Arena {
    fn checkpoint_after(&self, f: impl FnOnce(&Arena)) -> arena_core::Checkpoint {
        f(self);
        self.checkpoint()
    }
}

#[test]
fn checkpoints_of_another_arena_or_from_before_a_reset_are_refused() {
    let mut mem = Arena::new();
    let mut other = Arena::new();
    let cp = mem.checkpoint();
    assert_eq!(other.try_rewind(cp), Err(CheckpointError::OtherArena));
    mem.alloc(1u8);
    mem.reset();
    assert_eq!(mem.try_rewind(cp), Err(CheckpointError::Stale));
    // The arenas are fine afterwards.
    let fresh = mem.checkpoint();
    mem.alloc(2u8);
    mem.rewind(fresh);
    assert_eq!(*other.alloc(3u8), 3);
}

#[test]
fn a_refused_rewind_changes_nothing_and_panics_with_a_clear_message() {
    let drops = log();
    let mut mem = Arena::new();
    let cp = mem.checkpoint();
    mem.alloc_droppable(Logged(1, drops.clone()));
    let used = mem.stats().used_bytes;
    let foreign = Arena::new().checkpoint();
    let message =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| mem.rewind(foreign))).unwrap_err();
    let message = message.downcast_ref::<String>().unwrap();
    assert!(message.contains("another arena"), "{message}");
    assert_eq!(mem.stats().used_bytes, used);
    assert_eq!(mem.stats().drops_pending, 1);
    assert!(taken(&drops).is_empty());
    mem.rewind(cp);
    assert_eq!(taken(&drops), [1]);
    let stale = CheckpointError::Stale.to_string();
    assert!(
        stale.contains("reset") && stale.contains("take a new checkpoint"),
        "{stale}"
    );
}

#[test]
fn a_panicking_destructor_is_resumed_after_the_rewind() {
    struct Bomb;
    impl Drop for Bomb {
        fn drop(&mut self) {
            panic!("bomb");
        }
    }
    let drops = log();
    let mut mem = Arena::new();
    let cp = mem.checkpoint();
    let used = mem.stats().used_bytes;
    mem.alloc_droppable(Logged(1, drops.clone()));
    mem.alloc_droppable(Bomb);
    mem.alloc_droppable(Logged(3, drops.clone()));
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| mem.rewind(cp)));
    assert_eq!(outcome.unwrap_err().downcast_ref::<&str>(), Some(&"bomb"));
    assert_eq!(taken(&drops), [3, 1]);
    assert_eq!(mem.stats().used_bytes, used);
    assert_eq!(mem.stats().drops_pending, 0);
}

#[test]
fn growth_past_the_block_goes_back_and_the_new_block_is_reused() {
    let mut mem = Arena::with_capacity(4096);
    let cp = mem.checkpoint();
    let at_checkpoint = mem.stats();
    // Far more than the first chunk: the arena moves on to a new one.
    mem.alloc_layout(Layout::array::<u8>(64 << 10).unwrap());
    let grown = mem.stats();
    assert_eq!(grown.chunks, 2);
    mem.rewind(cp);
    assert_eq!(mem.stats().used_bytes, at_checkpoint.used_bytes);
    assert_eq!(mem.stats().reserved_bytes, grown.reserved_bytes, "kept");
    // The next round needs the big block again: it takes the spare, no new chunk.
    for _ in 0..10 {
        mem.alloc_layout(Layout::array::<u8>(64 << 10).unwrap());
        assert_eq!(mem.stats().chunks, 2);
        assert_eq!(mem.stats().reserved_bytes, grown.reserved_bytes);
        mem.rewind(cp);
        assert_eq!(mem.stats().used_bytes, at_checkpoint.used_bytes);
    }
    // What was allocated before the checkpoint is still in the first block.
    mem.reset();
    assert_eq!(mem.stats().used_bytes, 0);
}

#[test]
fn limits_hold_across_rewinds() {
    let mut mem = Arena::builder().limit(64 << 10).build();
    let cp = mem.checkpoint();
    // Each round writes 40 KiB byte by byte, which takes Miri minutes: two rounds show it there.
    let rounds = if cfg!(miri) { 2 } else { 20 };
    for round in 0..rounds {
        let big = mem.try_alloc_slice_fill_default::<u8>(40 << 10);
        assert!(big.is_ok(), "round {round}");
        assert!(mem.try_alloc_slice_fill_default::<u8>(40 << 10).is_err());
        assert!(mem.stats().reserved_bytes <= 64 << 10);
        mem.rewind(cp);
    }
}

#[test]
fn scoped_frees_what_the_closure_allocated_and_returns_its_value() {
    let drops = log();
    let mut mem = Arena::new();
    mem.alloc_droppable(Logged(0, drops.clone()));
    let used = mem.stats().used_bytes;
    let n = mem.scoped(|tmp| {
        tmp.alloc_droppable(Logged(1, drops.clone()));
        tmp.alloc_droppable(Logged(2, drops.clone()));
        tmp.alloc_slice_fill_with(50, |i| i as u32)
            .iter()
            .sum::<u32>()
    });
    assert_eq!(n, 1225);
    assert_eq!(taken(&drops), [2, 1]);
    assert_eq!(mem.stats().used_bytes, used, "no record is left behind");
    assert_eq!(mem.stats().drops_pending, 1);
}

#[test]
fn scoped_nests_to_any_depth() {
    fn depth(mem: &mut Arena, left: u32, drops: &Arc<Mutex<Vec<u32>>>) -> u32 {
        if left == 0 {
            return 0;
        }
        mem.scoped(|inner| {
            inner.alloc_droppable(Logged(left, drops.clone()));
            let here = *inner.alloc(left);
            here + depth(inner, left - 1, drops)
        })
    }
    let drops = log();
    let levels = if cfg!(miri) { 20 } else { 500 };
    // Room for every level: each scope ends exactly where it began.
    let mut mem = Arena::with_capacity(64 << 10);
    assert_eq!(depth(&mut mem, levels, &drops), levels * (levels + 1) / 2);
    // The innermost ends first.
    assert_eq!(taken(&drops), (1..=levels).collect::<Vec<_>>());
    assert_eq!(mem.stats().used_bytes, 0);
    // Growing chunk by chunk: the blocks between the first and the newest stay given up (and
    // counted as used) until the next reset, the newest is reused, so a second descent takes no
    // new memory.
    let mut mem = Arena::new();
    depth(&mut mem, levels, &drops);
    let after_one = mem.stats();
    depth(&mut mem, levels, &drops);
    assert_eq!(mem.stats().reserved_bytes, after_one.reserved_bytes);
    assert_eq!(taken(&drops).len(), 2 * levels as usize);
    mem.reset();
    assert_eq!(mem.stats().used_bytes, 0);
}

#[test]
fn a_panic_in_scoped_runs_its_destructors_and_keeps_the_arena_usable() {
    let drops = log();
    let mut mem = Arena::new();
    mem.alloc_droppable(Logged(0, drops.clone()));
    let used = mem.stats().used_bytes;
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        mem.scoped(|tmp| {
            tmp.alloc_droppable(Logged(1, drops.clone()));
            tmp.scoped(|deeper| {
                deeper.alloc_droppable(Logged(2, drops.clone()));
                panic!("inner failure");
            })
        })
    }));
    assert!(outcome.is_err());
    assert_eq!(taken(&drops), [2, 1]);
    assert_eq!(mem.stats().used_bytes, used);
    assert_eq!(*mem.alloc(5u8), 5);
}

#[test]
fn inside_scoped_earlier_checkpoints_are_refused_and_its_own_work() {
    let mut mem = Arena::new();
    let outer = mem.checkpoint();
    mem.scoped(|tmp| {
        assert_eq!(tmp.try_rewind(outer), Err(CheckpointError::OutsideScope));
        let inner = tmp.checkpoint();
        tmp.alloc(1u64);
        assert_eq!(tmp.try_rewind(inner), Ok(()));
        let message = CheckpointError::OutsideScope.to_string();
        assert!(message.contains("scope"), "{message}");
    });
    // After the scope, the outer checkpoint is valid again; the inner one is stale.
    assert_eq!(mem.try_rewind(outer), Ok(()));
}

#[test]
fn a_checkpoint_taken_inside_scoped_is_stale_after_it() {
    let mut mem = Arena::new();
    let escaped = mem.scoped(|tmp| {
        tmp.alloc(1u8);
        tmp.checkpoint()
    });
    mem.alloc(2u64);
    assert_eq!(mem.try_rewind(escaped), Err(CheckpointError::Stale));
}

#[test]
fn a_closure_that_resets_or_swaps_the_arena_still_ends_clean() {
    let drops = log();
    let mut mem = Arena::new();
    mem.alloc_droppable(Logged(0, drops.clone()));
    mem.scoped(|tmp| {
        tmp.alloc_droppable(Logged(1, drops.clone()));
        tmp.reset();
        tmp.alloc_droppable(Logged(2, drops.clone()));
    });
    assert_eq!(taken(&drops), [1, 0, 2]);
    assert_eq!(mem.stats().used_bytes, 0);
    let mut kept_aside = None;
    mem.scoped(|tmp| {
        tmp.alloc_droppable(Logged(3, drops.clone()));
        kept_aside = Some(std::mem::replace(tmp, Arena::with_capacity(1024)));
    });
    assert!(taken(&drops).is_empty());
    drop(kept_aside);
    assert_eq!(taken(&drops), [3]);
    assert_eq!(*mem.alloc(1u8), 1);
}

#[test]
fn scoped_growth_keeps_the_grown_block_for_the_next_scopes() {
    let mut mem = Arena::with_capacity(1024);
    mem.scoped(|tmp| {
        tmp.alloc_layout(Layout::array::<u8>(32 << 10).unwrap());
    });
    let after_first = mem.stats();
    for _ in 0..10 {
        mem.scoped(|tmp| {
            tmp.alloc_layout(Layout::array::<u8>(32 << 10).unwrap());
        });
        assert_eq!(mem.stats(), after_first, "no new chunk, same memory");
    }
}

#[test]
fn counting_arenas_get_their_count_back() {
    let mut mem = Arena::builder().count_allocations(true).build();
    mem.alloc(1u8);
    let cp = mem.checkpoint();
    mem.alloc(2u8);
    mem.alloc(3u8);
    assert_eq!(mem.stats().allocations, Some(3));
    mem.rewind(cp);
    assert_eq!(mem.stats().allocations, Some(1));
    mem.scoped(|tmp| {
        tmp.alloc(4u8);
        assert_eq!(tmp.stats().allocations, Some(2));
    });
    assert_eq!(mem.stats().allocations, Some(1));
}

#[test]
fn pooled_guards_scope_and_rewind_too() {
    let pool = arena_core::ArenaPool::new();
    let drops = Arc::new(AtomicUsize::new(0));
    struct Counted(Arc<AtomicUsize>);
    impl Drop for Counted {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
    let mut mem = pool.get();
    let cp = mem.checkpoint();
    mem.scoped(|tmp| {
        tmp.alloc_droppable(Counted(drops.clone()));
    });
    assert_eq!(drops.load(Ordering::SeqCst), 1);
    mem.alloc_droppable(Counted(drops.clone()));
    mem.rewind(cp);
    assert_eq!(drops.load(Ordering::SeqCst), 2);
    let stale = mem.checkpoint_after(|m| {
        m.alloc(1u8);
    });
    drop(mem);
    // The guard's arena was reset on the way back: its checkpoints are stale.
    let mut again = pool.get();
    assert_eq!(again.try_rewind(stale), Err(CheckpointError::Stale));
}
