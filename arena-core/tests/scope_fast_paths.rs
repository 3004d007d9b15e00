//! The short paths of scopes and resets, and the cases that must leave them: a `scoped` mark
//! kept without the block's end (growth into other chunks goes back through the chunk list),
//! the plain scope that keeps no checkpoint state, arenas that count (every allocation takes the
//! slow path, which counts it), the one-chunk reset flag, and pooled scopes whose closure wrote
//! checkpoint records.

use std::alloc::Layout;

use arena_core::{Arena, CheckpointError};

#[path = "common/drop_log.rs"]
mod drop_log;

use drop_log::{log, taken, Logged};

#[test]
fn a_scope_that_grows_through_several_chunks_goes_back_to_its_block() {
    let drops = log();
    let mut mem = Arena::with_capacity(1024);
    let mut kept = mem.alloc(7u64) as *const u64 as usize;
    for round in 0..3 {
        mem.scoped(|tmp| {
            for i in 0..4 {
                tmp.alloc_layout(Layout::array::<u8>(16 << 10).unwrap());
                tmp.alloc_droppable(Logged(round * 10 + i, drops.clone()));
            }
        });
        assert_eq!(
            taken(&drops),
            [3, 2, 1, 0].map(|i| round * 10 + i),
            "newest first, once"
        );
        // The next allocation comes right after what was kept: the old block is the block again.
        let next = mem.alloc(8u64) as *const u64 as usize;
        assert_eq!(next, kept + 8);
        mem.scoped(|_| {});
        mem.reset();
        kept = mem.alloc(7u64) as *const u64 as usize;
    }
}

#[test]
fn a_scope_started_before_any_block_grows_and_ends_clean() {
    let mut mem = Arena::new();
    mem.scoped(|tmp| {
        tmp.scoped(|inner| {
            for _ in 0..3 {
                inner.alloc_layout(Layout::array::<u8>(8 << 10).unwrap());
            }
        });
        tmp.alloc_layout(Layout::array::<u8>(40 << 10).unwrap());
    });
    // The block the scope took first is free again: the next value is at its start.
    let first = mem.alloc(3u32) as *const u32 as usize;
    mem.reset();
    assert_eq!(mem.stats().used_bytes, 0);
    assert_eq!(*mem.alloc(3u32), 3);
    assert!(first != 0);
}

#[test]
fn checkpoints_from_before_a_nested_plain_scope_stay_refused_inside_it() {
    let mut mem = Arena::new();
    mem.scoped(|outer| {
        // No checkpoint at the outer scope's start: it keeps none.
        let early = outer.checkpoint();
        outer.alloc(1u64);
        outer.scoped(|inner| {
            assert_eq!(inner.try_rewind(early), Err(CheckpointError::OutsideScope));
            let own = inner.checkpoint();
            inner.alloc(2u64);
            inner.rewind(own);
        });
        let with_record = outer.stats().used_bytes - 8;
        outer.rewind(early);
        assert_eq!(
            outer.stats().used_bytes,
            with_record,
            "the record stays, the value goes"
        );
    });
    assert_eq!(mem.stats().used_bytes, 0);
    // The records taken inside are gone with the scope.
    let after = mem.checkpoint();
    mem.alloc(5u8);
    mem.rewind(after);
}

#[test]
fn a_counting_arena_counts_every_allocation_and_container_growth_once() {
    let mut mem = Arena::builder().count_allocations(true).build();
    let mut v = mem.vec::<u64>();
    for i in 0..1000 {
        v.push(i);
    }
    assert_eq!(v.iter().sum::<u64>(), 999 * 1000 / 2);
    mem.alloc(1u8);
    mem.alloc_layout(Layout::new::<()>());
    assert_eq!(
        mem.stats().allocations,
        Some(3),
        "the vector, a byte, a unit"
    );
    mem.scoped(|tmp| {
        tmp.alloc_str("in the scope");
        assert_eq!(tmp.stats().allocations, Some(4));
    });
    assert_eq!(mem.stats().allocations, Some(3));
    mem.reset();
    assert_eq!(mem.stats().allocations, Some(0));
    assert_eq!(*mem.alloc(9u16), 9);
}

#[test]
fn a_reset_after_destructors_or_growth_takes_the_general_path() {
    let drops = log();
    let mut mem = Arena::with_capacity(1024);
    mem.alloc_droppable(Logged(1, drops.clone()));
    mem.reset();
    assert_eq!(taken(&drops), [1]);
    // A second chunk: merged by the reset into one.
    for _ in 0..64 {
        mem.alloc_layout(Layout::array::<u8>(1024).unwrap());
    }
    assert!(mem.stats().chunks > 1);
    mem.reset();
    assert_eq!(mem.stats().chunks, 1);
    // A destructor that a scope already ran: the reset is still exact.
    mem.scoped(|tmp| {
        tmp.alloc_droppable(Logged(2, drops.clone()));
    });
    assert_eq!(taken(&drops), [2]);
    mem.alloc(1u8);
    mem.reset();
    assert!(taken(&drops).is_empty());
    assert_eq!(mem.stats().used_bytes, 0);
}

#[test]
fn pooled_scopes_whose_closure_wrote_checkpoints_forget_them() {
    for round in 0..20u64 {
        let sum = arena_core::scope(|mem| {
            // Each round overwrites where the last round's record was.
            let value = mem.alloc(round);
            let cp = mem.checkpoint();
            let again = mem.checkpoint();
            assert_eq!(cp, again, "nothing allocated between them: the same record");
            *value + *mem.alloc(1u64)
        });
        assert_eq!(sum, round + 1);
    }
    for round in 0..20u64 {
        let used = arena_core::scope(|mem| {
            mem.alloc(round);
            mem.stats().used_bytes
        });
        assert_eq!(used, 8);
    }
}

#[test]
fn a_panic_in_a_plain_scope_runs_its_destructors_and_the_arena_goes_on() {
    let drops = log();
    let mut mem = Arena::new();
    mem.alloc(1u64);
    let before = mem.stats().used_bytes;
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        mem.scoped(|tmp| {
            tmp.alloc_droppable(Logged(1, drops.clone()));
            tmp.alloc_layout(Layout::array::<u8>(64 << 10).unwrap());
            tmp.alloc_droppable(Logged(2, drops.clone()));
            panic!("inside");
        })
    }));
    assert!(result.is_err());
    assert_eq!(taken(&drops), [2, 1]);
    assert_eq!(mem.stats().used_bytes, before);
    let cp = mem.checkpoint();
    mem.alloc(2u64);
    mem.rewind(cp);
}
