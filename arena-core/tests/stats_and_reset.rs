//! `stats()`, `reset` keeping memory, `free` giving it back, and the thread rules.

use arena_core::Arena;

#[test]
fn stats_track_allocations_and_memory() {
    let mem = Arena::builder()
        .label("s")
        .limit(1 << 20)
        .count_allocations(true)
        .build();
    let empty = mem.stats();
    assert_eq!(
        (empty.used_bytes, empty.reserved_bytes, empty.chunks),
        (0, 0, 0)
    );
    assert_eq!(empty.allocations, Some(0));
    for i in 0..10u64 {
        mem.alloc(i);
    }
    mem.alloc_droppable(String::from("x"));
    let s = mem.stats();
    assert_eq!(s.allocations, Some(11));
    assert_eq!(s.drops_pending, 1);
    assert!(s.used_bytes >= 80 + 24, "{s:?}");
    assert!(s.used_bytes <= s.reserved_bytes);
    assert_eq!(s.chunks, 1);
    assert_eq!(s.limit, Some(1 << 20));
    assert_eq!(s.label.as_deref(), Some("s"));
}

#[test]
fn allocations_are_counted_only_when_asked() {
    let plain = Arena::new();
    plain.alloc(1u64);
    assert_eq!(plain.stats().allocations, None, "off by default");

    let mut counted = Arena::builder().count_allocations(true).build();
    counted.alloc(1u64);
    counted.alloc_str("two");
    counted.alloc_droppable(String::from("three"));
    {
        let mut v = counted.vec_with_capacity::<u32>(4);
        v.extend([1, 2, 3, 4]); // within its capacity: the buffer is the one allocation
        assert_eq!(v.len(), 4);
    }
    assert_eq!(counted.stats().allocations, Some(4));
    counted.reset();
    assert_eq!(
        counted.stats().allocations,
        Some(0),
        "a reset starts a new count"
    );
    counted.alloc(2u8);
    assert_eq!(counted.stats().allocations, Some(1));

    let off = Arena::builder().count_allocations(false).build();
    off.alloc(1u64);
    assert_eq!(off.stats().allocations, None);
}

#[test]
fn reset_keeps_memory_so_a_second_fill_needs_no_new_chunk() {
    let mut mem = Arena::builder().count_allocations(true).build();
    let fill = |mem: &Arena| {
        for i in 0..if cfg!(miri) { 2_000u64 } else { 50_000 } {
            mem.alloc(i);
        }
    };
    fill(&mem);
    let first = mem.stats();
    assert!(
        first.chunks > 1,
        "the first fill grows chunk by chunk: {first:?}"
    );
    mem.reset();
    let after_reset = mem.stats();
    assert_eq!(after_reset.used_bytes, 0);
    assert_eq!(after_reset.allocations, Some(0));
    assert!(
        after_reset.reserved_bytes >= first.reserved_bytes,
        "memory kept: {after_reset:?}"
    );
    assert_eq!(after_reset.chunks, 1, "merged into one chunk");
    fill(&mem);
    let second = mem.stats();
    assert_eq!(
        second.chunks, 1,
        "the second fill needed no new chunk: {second:?}"
    );
    assert_eq!(second.reserved_bytes, after_reset.reserved_bytes);
    for _ in 0..3 {
        mem.reset();
        fill(&mem);
        assert_eq!(mem.stats(), second);
    }
}

/// A reset of a one-chunk arena hands the same memory out again from its start.
#[test]
fn reset_hands_out_the_same_memory_again() {
    let mut mem = Arena::with_capacity(4096);
    let first = mem.alloc(1u64) as *mut u64 as usize;
    let second = mem.alloc(2u64) as *mut u64 as usize;
    assert_eq!(second, first + 8, "the arena bumps upward");
    mem.alloc_slice_copy(&[0u8; 1000]);
    mem.reset();
    assert_eq!(mem.stats().used_bytes, 0);
    assert_eq!(mem.alloc(3u64) as *mut u64 as usize, first);
    assert_eq!(mem.stats().used_bytes, 8);
    assert_eq!(mem.stats().chunks, 1);
}

#[test]
fn free_gives_memory_back_to_the_process_budget() {
    let before = arena_core::reserved_bytes_total();
    let mem = Arena::with_capacity(8 << 20);
    assert!(arena_core::reserved_bytes_total() >= before + (8 << 20));
    mem.free();
    // Other tests run in parallel threads; wait for our share to be visible as gone.
    assert!(arena_core::reserved_bytes_total() < before + (8 << 20));
}

#[test]
fn with_capacity_reserves_one_chunk_up_front() {
    let mem = Arena::with_capacity(1 << 20);
    let s = mem.stats();
    assert_eq!(s.chunks, 1);
    assert!(s.reserved_bytes >= 1 << 20);
    assert_eq!(s.used_bytes, 0);
    for i in 0..if cfg!(miri) { 1_000u64 } else { 100_000 } {
        mem.alloc(i);
    }
    assert_eq!(
        mem.stats().chunks,
        1,
        "up to 800 KB fit in the 1 MiB reserved up front"
    );
}

#[test]
fn arena_is_send_and_moves_to_another_thread() {
    fn assert_send<T: Send>() {}
    assert_send::<Arena>();
    let mem = Arena::new();
    mem.alloc_droppable(String::from("moved"));
    let handle = std::thread::spawn(move || {
        let x = mem.alloc(5u64);
        *x + mem.stats().drops_pending as u64
    });
    assert_eq!(handle.join().unwrap(), 6);
}

#[test]
fn debug_shows_the_stats() {
    let mem = Arena::builder().label("dbg").build();
    let text = format!("{mem:?}");
    assert!(text.starts_with("Arena"), "{text}");
    assert!(text.contains("dbg"), "{text}");
}
