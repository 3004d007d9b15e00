//! Per-arena limits: hard, reported precisely, and the arena stays usable.

use arena_core::{AllocErrorKind, Arena};

#[test]
fn reserved_memory_never_exceeds_the_limit() {
    let mem = Arena::builder().limit(64 << 10).label("bounded").build();
    let mut count = 0usize;
    while mem.try_alloc([0u8; 100]).is_ok() {
        count += 1;
        assert!(mem.stats().reserved_bytes <= 64 << 10);
    }
    assert!(
        count > 300,
        "most of the limit is usable: {count} allocations"
    );
    assert!(mem.stats().reserved_bytes <= 64 << 10);
}

#[test]
fn the_error_names_limit_request_and_label() {
    let mem = Arena::builder().limit(4096).label("parser").build();
    let err = mem.try_alloc_slice_fill_default::<u8>(10_000).unwrap_err();
    assert_eq!(err.kind(), &AllocErrorKind::ArenaLimit { limit: 4096 });
    assert_eq!(err.requested(), 10_000);
    assert_eq!(err.label(), Some("parser"));
    let text = err.to_string();
    for part in ["\"parser\"", "10000 bytes", "limit of 4096 bytes"] {
        assert!(text.contains(part), "{text:?} should mention {part}");
    }
}

#[test]
fn a_one_byte_request_is_one_byte_in_the_message() {
    let mem = Arena::builder().limit(0).build();
    let text = mem.try_alloc(1u8).unwrap_err().to_string();
    assert!(
        text.starts_with("arena: cannot allocate 1 byte: the arena's limit of 0 bytes"),
        "{text}"
    );
}

#[test]
fn non_try_methods_panic_with_the_same_message() {
    let mem = Arena::builder().limit(1024).label("small").build();
    let payload = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        mem.alloc_slice_fill_default::<u8>(5000);
    }))
    .unwrap_err();
    let message = payload.downcast_ref::<String>().unwrap();
    assert!(message.contains("limit of 1024 bytes"), "{message}");
    assert!(message.contains("5000 bytes"), "{message}");
    assert!(message.contains("small"), "{message}");
    // Usable afterwards, within the limit.
    assert_eq!(mem.alloc_str("still fine"), "still fine");
}

#[test]
fn every_try_method_reports_the_limit() {
    let mem = Arena::builder().limit(0).build();
    assert!(mem.try_alloc(1u8).is_err());
    assert!(mem.try_alloc_default::<u8>().is_err());
    assert!(mem.try_alloc_with(|| 1u8).is_err());
    assert!(mem.try_alloc_str("x").is_err());
    assert!(mem.try_alloc_slice_copy(&[1u8]).is_err());
    assert!(mem.try_alloc_slice_clone(&[1u8]).is_err());
    assert!(mem.try_alloc_slice_fill_with(1, |_| 1u8).is_err());
    assert!(mem.try_alloc_slice_fill_default::<u8>(1).is_err());
    assert!(mem.try_alloc_slice_fill_iter([1u8]).is_err());
    assert!(mem.try_alloc_fmt(format_args!("{}", 1)).is_err());
    assert!(mem.try_make_slice::<u8>(1, 1).is_err());
    assert!(mem.try_vec_with_capacity::<u8>(1).is_err());
    assert!(mem.try_string_with_capacity(1).is_err());
    assert!(mem.try_hash_map_with_capacity::<u8, u8>(1).is_err());
    assert!(mem.try_alloc_droppable(String::new()).is_err());
    assert!(mem
        .try_alloc_layout(std::alloc::Layout::new::<u8>())
        .is_err());
    let mut v = mem.vec();
    assert!(v.try_push(1u8).is_err());
    let mut s = mem.string();
    assert!(s.try_push_str("x").is_err());
    let mut m = mem.hash_map();
    assert!(m.try_insert(1u8, 1u8).is_err());
    assert_eq!(mem.stats().reserved_bytes, 0);
    // Zero-sized values need no memory, so even a zero limit allows them.
    assert!(mem.try_alloc(()).is_ok());
}

#[test]
fn containers_growing_past_the_limit_fail_cleanly() {
    let mem = Arena::builder().limit(16 << 10).build();
    let mut v = mem.vec::<u64>();
    let mut pushed = 0u64;
    while v.try_push(pushed).is_ok() {
        pushed += 1;
    }
    assert!(pushed > 100);
    assert!(
        v.iter().copied().eq(0..pushed),
        "contents intact after the failure"
    );
    assert!(mem.stats().reserved_bytes <= 16 << 10);
}

#[test]
fn push_past_the_limit_panics_and_leaves_the_vector_whole() {
    let mem = Arena::builder().limit(16 << 10).label("pushes").build();
    let mut v = mem.vec::<u64>();
    let mut pushed = 0u64;
    let payload = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| loop {
        v.push(pushed);
        pushed += 1;
    }))
    .unwrap_err();
    let message = payload.downcast_ref::<String>().unwrap();
    assert!(message.contains("limit of 16384 bytes"), "{message}");
    assert!(message.contains("pushes"), "{message}");
    assert!(pushed > 100);
    // The failed growth kept the old buffer: every pushed value is there, and the vector is
    // still usable within its capacity.
    assert_eq!(v.len() as u64, pushed);
    assert!(v.iter().copied().eq(0..pushed), "contents intact");
    assert_eq!(v.pop(), Some(pushed - 1));
    v.push(7);
    assert_eq!(v.len() as u64, pushed);
    assert_eq!(v.last(), Some(&7));
    assert!(mem.stats().reserved_bytes <= 16 << 10);
}

#[test]
fn builder_capacity_above_limit_is_an_error() {
    let err = Arena::builder()
        .capacity(1 << 20)
        .limit(1 << 16)
        .try_build()
        .unwrap_err();
    assert!(matches!(err.kind(), AllocErrorKind::ArenaLimit { limit } if *limit == 1 << 16));
}

#[test]
fn reset_makes_the_limit_available_again() {
    let mut mem = Arena::builder().limit(32 << 10).build();
    for _round in 0..5 {
        let mut n = 0;
        while mem.try_alloc([0u8; 256]).is_ok() {
            n += 1;
        }
        assert!(n > 50);
        mem.reset();
    }
}

// ---------------------------------------------------------------------------------------------
// At the boundary: what a limit of `n` bytes holds, with and without `capacity = n`.
// ---------------------------------------------------------------------------------------------

/// The usable bytes of the largest chunk within `bytes` (the sizes `ArenaBuilder::limit`
/// documents: with 64 bytes of bookkeeping, a power of two from 128 below a page, whole pages
/// from two pages up), 0 when none fits.
#[cfg(target_pointer_width = "64")]
fn largest_chunk_within(bytes: usize) -> usize {
    let total = bytes + 64;
    if total >= 8192 {
        total / 4096 * 4096 - 64
    } else if total >= 128 {
        (1 << total.ilog2()) - 64
    } else {
        0
    }
}

/// A byte layout of `bytes` (written nowhere: cheap under Miri).
fn bytes_layout(bytes: usize) -> std::alloc::Layout {
    std::alloc::Layout::array::<u8>(bytes).unwrap()
}

/// Limits from 512 bytes up: a fresh arena holds one allocation exactly as large as the largest
/// chunk within the limit, and one byte more fails, with a message that says what it counts.
#[cfg(target_pointer_width = "64")]
#[test]
fn a_limit_holds_one_allocation_of_its_largest_chunk_and_not_a_byte_more() {
    for n in [
        512,
        1000,
        1024,
        4095,
        4096,
        4097,
        8191,
        8192,
        10_000,
        12_288,
        65_536,
        1 << 20,
    ] {
        for limit in [n, n + 1] {
            let largest = largest_chunk_within(limit);
            assert!(largest <= limit && largest + 64 + 4096 > limit, "{limit}");
            let mem = Arena::builder().limit(limit).build();
            assert!(
                mem.try_alloc_layout(bytes_layout(largest)).is_ok(),
                "a limit of {limit} holds {largest} bytes"
            );
            assert_eq!(mem.stats().reserved_bytes, largest);
            let mem = Arena::builder().limit(limit).build();
            let err = mem.try_alloc_layout(bytes_layout(largest + 1)).unwrap_err();
            assert_eq!(err.kind(), &AllocErrorKind::ArenaLimit { limit });
            let expected = format!(
                "arena: cannot allocate {} bytes: the arena's limit of {limit} bytes would be \
                 exceeded: its chunks hold 0 bytes and no new chunk for {} bytes fits in the \
                 {limit} left (a chunk holds a power of two or whole pages of bytes less 64 for \
                 its bookkeeping, and what it holds counts against the limit); raise the limit \
                 with Arena::builder().limit(..) or free memory first",
                largest + 1,
                largest + 1
            );
            assert_eq!(err.to_string(), expected);
            assert_eq!(mem.stats().reserved_bytes, 0);
            assert_eq!(*mem.alloc(7u8), 7, "the arena stays usable");
        }
    }
}

/// The message of the limit that already holds chunks says how much they hold and how much is
/// left, and that is what the arena reports.
#[test]
fn the_limit_error_says_what_the_chunks_hold_and_what_is_left() {
    let mem = Arena::builder().limit(8192).build();
    mem.alloc_layout(bytes_layout(3000));
    let held = mem.stats().reserved_bytes;
    assert!(held > 0 && held < 8192);
    let err = mem.try_alloc_layout(bytes_layout(8000)).unwrap_err();
    let text = err.to_string();
    let left = 8192 - held;
    for part in [
        format!("its chunks hold {held} bytes"),
        format!("no new chunk for 8000 bytes fits in the {left} left"),
    ] {
        assert!(text.contains(&part), "{text:?} should say {part:?}");
    }
}

/// `capacity(n).limit(n)` builds for every `n`, with the largest chunk within the limit, which
/// then holds an allocation that large without a new chunk; a capacity above the limit is an
/// error naming it.
#[cfg(target_pointer_width = "64")]
#[test]
fn a_capacity_equal_to_the_limit_builds_with_the_largest_chunk_within() {
    for n in [
        0,
        10,
        63,
        64,
        65,
        100,
        191,
        192,
        300,
        447,
        448,
        500,
        1000,
        4095,
        4096,
        4097,
        8192,
        10_000,
        1 << 20,
    ] {
        let mem = Arena::builder().capacity(n).limit(n).build();
        let largest = largest_chunk_within(n);
        let stats = mem.stats();
        assert_eq!(stats.reserved_bytes, largest, "capacity = limit = {n}");
        assert!(stats.reserved_bytes <= n);
        if largest > 0 {
            assert!(mem.try_alloc_layout(bytes_layout(largest)).is_ok(), "{n}");
            assert_eq!(
                mem.stats().chunks,
                1,
                "the allocation took the reserved chunk"
            );
        }
        let err = Arena::builder()
            .capacity(n + 1)
            .limit(n)
            .try_build()
            .unwrap_err();
        assert_eq!(err.kind(), &AllocErrorKind::ArenaLimit { limit: n });
    }
}

/// The same in a scope (what `arena_scope!(capacity = n, limit = n, ..)` runs), twice on the same
/// pooled arena.
#[cfg(target_pointer_width = "64")]
#[test]
fn a_scope_with_capacity_equal_to_its_limit_runs() {
    use arena_core::__private::{scope_with, ScopeOptions};
    std::thread::spawn(|| {
        for n in [100, 4096, 4097, 65_536] {
            let largest = largest_chunk_within(n);
            for round in 0..2 {
                let options = ScopeOptions {
                    capacity: Some(n),
                    limit: Some(n),
                    label: Some("boundary"),
                    call_site: "",
                };
                scope_with(options, |mem| {
                    let stats = mem.stats();
                    assert_eq!(stats.reserved_bytes, largest, "{n}, round {round}");
                    assert!(mem.try_alloc_layout(bytes_layout(largest)).is_ok());
                    let err = mem.try_alloc_layout(bytes_layout(1)).unwrap_err();
                    assert_eq!(err.kind(), &AllocErrorKind::ArenaLimit { limit: n });
                    assert!(mem.stats().reserved_bytes <= n);
                });
            }
        }
    })
    .join()
    .unwrap();
}
