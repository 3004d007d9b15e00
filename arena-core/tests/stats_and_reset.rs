//! `stats()`, `reset` keeping memory, `free` giving it back, and the thread rules.

use arena_core::{Arena, ArenaHashMap, ArenaString, ArenaVec, CollectIn};

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

/// Elements for the growth tests: enough to grow every container through many buffers (a hash
/// map grown to 10,000 entries takes 13 tables), fewer under Miri.
const GROWN: u32 = if cfg!(miri) { 100 } else { 10_000 };

/// Runs `fill` on a fresh counting arena and returns how many allocations it counted.
fn counted(fill: impl FnOnce(&Arena)) -> usize {
    let mem = Arena::builder().count_allocations(true).build();
    fill(&mem);
    mem.stats().allocations.expect("the arena counts")
}

#[test]
fn a_container_counts_its_first_buffer_and_never_its_growth() {
    let pushed = counted(|mem| {
        let mut v = mem.vec();
        for i in 0..GROWN {
            v.push(i);
        }
        assert_eq!(v.len(), GROWN as usize);
    });
    assert_eq!(pushed, 1, "ArenaVec::push");
    let extended = counted(|mem| {
        let mut v = mem.vec_with_capacity(2);
        for i in 0..GROWN {
            v.extend_from_slice(&[i, i]);
        }
        v.insert(0, 7);
        v.reserve(v.len() * 2);
        assert_eq!(v[0], 7);
    });
    assert_eq!(extended, 1, "ArenaVec::extend_from_slice, insert, reserve");
    let collected = counted(|mem| {
        let v: ArenaVec<'_, u32> = (0..GROWN).collect_in(mem);
        assert_eq!(v.len(), GROWN as usize);
    });
    assert_eq!(collected, 1, "collect_in into an ArenaVec");

    let string = counted(|mem| {
        let mut s = mem.string();
        for _ in 0..GROWN {
            s.push_str("abc");
            s.push('d');
        }
        assert_eq!(s.len(), 4 * GROWN as usize);
    });
    assert_eq!(string, 1, "ArenaString::push_str, push");
    let string_collected = counted(|mem| {
        let s: ArenaString<'_> = (0..GROWN).map(|_| 'x').collect_in(mem);
        assert_eq!(s.len(), GROWN as usize);
    });
    assert_eq!(string_collected, 1, "collect_in into an ArenaString");
    let formatted = counted(|mem| {
        let long = "y".repeat(GROWN as usize);
        let text = mem.alloc_fmt(format_args!("{long}-{long}"));
        assert_eq!(text.len(), 2 * GROWN as usize + 1);
    });
    assert_eq!(
        formatted, 1,
        "alloc_fmt of a string that outgrows its first buffer"
    );

    let inserted = counted(|mem| {
        let mut m = mem.hash_map();
        for i in 0..GROWN {
            m.insert(i, i);
        }
        assert_eq!(m.len(), GROWN as usize);
        assert_eq!(m[&(GROWN - 1)], GROWN - 1);
    });
    assert_eq!(inserted, 1, "ArenaHashMap::insert");
    let entries = counted(|mem| {
        let mut m = mem.hash_map();
        for i in 0..GROWN {
            *m.entry(i % 5_000).or_insert(0u32) += 1;
        }
        m.reserve(GROWN as usize);
        m.extend((0..GROWN).map(|i| (i + GROWN, 1)));
        assert!(m.try_insert(u32::MAX, 0).is_ok());
    });
    assert_eq!(
        entries, 1,
        "ArenaHashMap::entry, reserve, extend, try_insert"
    );
    let map_collected = counted(|mem| {
        let m: ArenaHashMap<'_, u32, u32> = (0..GROWN).map(|i| (i, i)).collect_in(mem);
        assert_eq!(m.len(), GROWN as usize);
    });
    assert_eq!(map_collected, 1, "collect_in into an ArenaHashMap");
    let cleared = counted(|mem| {
        let mut m = mem.hash_map_with_capacity(4);
        for round in 0..3 {
            m.clear();
            for i in 0..GROWN {
                m.insert(i, round);
            }
        }
    });
    assert_eq!(cleared, 1, "a cleared map keeps its table");
}

#[test]
fn a_copied_container_counts_its_own_first_buffer() {
    let cloned = counted(|mem| {
        let mut m = mem.hash_map();
        let mut v = mem.vec();
        for i in 0..GROWN {
            m.insert(i, i);
            v.push(i);
        }
        let mut m2 = m.clone();
        m2.insert(GROWN, GROWN);
        let mut v2 = v.clone();
        v2.push(GROWN);
        assert_eq!((m2.len(), v2.len()), (m.len() + 1, v.len() + 1));
    });
    assert_eq!(cloned, 4, "two containers and their two copies");
}

#[test]
fn through_the_allocator_trait_each_allocate_counts_and_grow_does_not() {
    use allocator_api2::vec::Vec as ApiVec;
    let pushed = counted(|mem| {
        let mut v = ApiVec::new_in(mem);
        for i in 0..GROWN {
            v.push(i);
        }
        v.shrink_to_fit();
    });
    assert_eq!(pushed, 1, "allocator-api2's Vec grows with `grow`");
    // hashbrown grows a table by allocating a new one and freeing the old: each is an
    // `allocate`, so each counts (a map used through `ArenaHashMap` counts only its first).
    let mut tables = 0;
    let direct = counted(|mem| {
        let mut m: hashbrown::HashMap<u32, u32, hashbrown::DefaultHashBuilder, &Arena> =
            hashbrown::HashMap::with_hasher_in(Default::default(), mem);
        let mut capacity = m.capacity();
        for i in 0..GROWN {
            m.insert(i, i);
            if m.capacity() != capacity {
                capacity = m.capacity();
                tables += 1;
            }
        }
    });
    assert!(tables > 1);
    assert_eq!(direct, tables, "one count per table hashbrown allocated");
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
