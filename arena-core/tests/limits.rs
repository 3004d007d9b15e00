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
