//! Footprint: a frozen or shrunk container holds the bytes of its elements and no more when it
//! is the arena's newest allocation, and keeps its buffer (nothing is reclaimed below the
//! newest allocation) when it is not.

// Under the `asan` feature the tests that need in-place growth are left out, and with them
// some helpers.
#![cfg_attr(feature = "asan", allow(unused))]

use arena_core::{Arena, ArenaString, ArenaVec};

/// `bytes` rounded up to the arena's 8-byte granularity: what `bytes` of data take in the block.
fn in_block(bytes: usize) -> usize {
    bytes.div_ceil(8) * 8
}

/// The lengths tried: empty, around the first capacity and around several doublings.
const LENGTHS: [usize; 12] = [0, 1, 2, 3, 4, 5, 7, 8, 9, 100, 1000, 4097];

/// An arena whose one chunk holds every vector of the tests, so growth stays in one block (a
/// vector that outgrows its chunk leaves its old buffer in the older chunk: see
/// `growth_into_a_new_chunk_leaves_the_old_buffer_behind`).
fn warm_arena() -> Arena {
    Arena::with_capacity(1 << 20)
}

// Under the `asan` feature a growing buffer is always copied (its old bytes stay poisoned),
// so what it outgrew stays behind.
#[cfg(not(feature = "asan"))]
#[test]
fn a_vector_grown_by_push_and_frozen_takes_what_its_elements_need() {
    for n in LENGTHS {
        let mem = warm_arena();
        let mut v = mem.vec();
        for i in 0..n as u64 {
            v.push(i);
        }
        assert!(v.capacity() >= n);
        let frozen = v.into_bump_slice();
        assert_eq!(frozen.len(), n);
        assert!(frozen.iter().copied().eq(0..n as u64));
        assert_eq!(mem.stats().used_bytes, n * 8, "{n} u64s pushed");
    }
}

// Under the `asan` feature a growing buffer is always copied (its old bytes stay poisoned),
// so what it outgrew stays behind.
#[cfg(not(feature = "asan"))]
#[test]
fn a_vector_grown_by_extend_and_frozen_takes_what_its_elements_need() {
    for n in LENGTHS {
        // An iterator without a length hint, so the vector grows step by step.
        let mem = warm_arena();
        let mut v: ArenaVec<'_, [u8; 3]> = mem.vec();
        v.extend((0..n).filter(|_| true).map(|i| [i as u8; 3]));
        let frozen = v.into_bump_slice_mut();
        assert_eq!(frozen.len(), n);
        assert_eq!(
            mem.stats().used_bytes,
            in_block(n * 3),
            "{n} [u8; 3]s extended"
        );

        // From a slice, in one step, onto a vector that already had room for more.
        let mem = warm_arena();
        let mut v = mem.vec_with_capacity::<u32>(2 * n + 5);
        v.extend_from_slice(&vec![7u32; n]);
        assert_eq!(v.into_bump_slice(), vec![7u32; n]);
        assert_eq!(
            mem.stats().used_bytes,
            in_block(n * 4),
            "{n} u32s from a slice"
        );
    }
}

// Under the `asan` feature a growing buffer is always copied (its old bytes stay poisoned),
// so what it outgrew stays behind.
#[cfg(not(feature = "asan"))]
#[test]
fn a_string_frozen_takes_what_its_bytes_need() {
    for n in LENGTHS {
        let mem = warm_arena();
        let mut s = mem.string();
        for i in 0..n {
            s.push(char::from(b'a' + (i % 26) as u8));
        }
        let frozen = s.into_bump_str();
        assert_eq!(frozen.len(), n);
        assert_eq!(mem.stats().used_bytes, in_block(n), "{n} bytes pushed");
    }
    // `alloc_fmt` keeps its first 32 bytes (cheaper for short strings); writing into an
    // `ArenaString` and freezing it gives them back.
    let mem = Arena::new();
    let seven = std::hint::black_box(7);
    assert_eq!(mem.alloc_fmt(format_args!("id-{seven}")), "id-7");
    assert_eq!(mem.stats().used_bytes, 32);
    let mut s = mem.string();
    std::fmt::Write::write_fmt(&mut s, format_args!("id-{seven}")).unwrap();
    assert_eq!(s.into_bump_str(), "id-7");
    assert_eq!(mem.stats().used_bytes, 32 + 8);
}

#[test]
fn frozen_vectors_one_after_another_pack_tightly() {
    let mem = Arena::new();
    let mut expected = 0;
    let mut slices = Vec::new();
    for n in [3usize, 5, 1, 9, 0, 17] {
        let mut v = mem.vec();
        v.extend((0..n).map(|i| i as u16));
        slices.push(v.into_bump_slice());
        expected += in_block(n * 2);
        assert_eq!(mem.stats().used_bytes, expected);
    }
    for (slice, n) in slices.iter().zip([3usize, 5, 1, 9, 0, 17]) {
        assert!(slice.iter().copied().eq(0..n as u16));
    }
}

#[test]
fn a_vector_that_is_not_the_newest_keeps_its_buffer() {
    let mem = Arena::new();
    let mut v = mem.vec_with_capacity::<u64>(10);
    v.push(1);
    let after_vector = mem.stats().used_bytes;
    let later = mem.alloc(2u64);
    v.shrink_to_fit();
    assert_eq!(
        v.capacity(),
        10,
        "nothing to gain: the capacity stays usable"
    );
    let frozen = v.into_bump_slice();
    assert_eq!(frozen, [1]);
    assert_eq!(*later, 2);
    assert_eq!(mem.stats().used_bytes, after_vector + 8);
}

// Under the `asan` feature a growing buffer is always copied (its old bytes stay poisoned),
// so what it outgrew stays behind.
#[cfg(not(feature = "asan"))]
#[test]
fn shrink_to_fit_gives_back_and_the_vector_grows_again_in_place() {
    let mem = Arena::new();
    let mut v = mem.vec_with_capacity::<u64>(64);
    v.extend([1, 2, 3]);
    v.shrink_to_fit();
    assert_eq!(v.capacity(), 3);
    assert_eq!(mem.stats().used_bytes, 24);
    let before = v.as_ptr();
    v.push(4);
    assert_eq!(v.as_ptr(), before, "the newest buffer grows where it is");
    assert_eq!(v, [1, 2, 3, 4]);

    let mut empty = mem.vec_with_capacity::<u64>(8);
    empty.shrink_to_fit();
    assert_eq!(empty.capacity(), 0);
    empty.push(9);
    assert_eq!(empty, [9]);

    let mut s = ArenaString::with_capacity_in(100, &mem);
    s.push_str("hello");
    let used = mem.stats().used_bytes;
    s.shrink_to_fit();
    assert_eq!(s.capacity(), 5);
    assert_eq!(mem.stats().used_bytes, used - in_block(100) + 8);
    s.push_str(", world");
    assert_eq!(s, "hello, world");
}

#[test]
fn the_given_back_tail_is_handed_out_next() {
    let mem = Arena::new();
    let mut v = mem.vec_with_capacity::<u64>(16);
    v.push(5);
    let frozen = v.into_bump_slice();
    let next: *const u64 = mem.alloc(6u64);
    assert_eq!(next, frozen.as_ptr().wrapping_add(1));
    assert_eq!(frozen, [5]);
}

#[test]
fn a_frozen_vector_of_empty_values_takes_nothing() {
    let mem = Arena::new();
    let mut v = mem.vec();
    for _ in 0..100 {
        v.push(());
    }
    assert_eq!(v.into_bump_slice().len(), 100);
    assert_eq!(mem.stats().used_bytes, 0);
}

#[test]
fn the_first_capacity_follows_the_element_size() {
    let mem = Arena::new();
    let mut bytes = mem.vec::<u8>();
    bytes.push(1);
    assert_eq!(bytes.capacity(), 8);
    let mut words = mem.vec::<u64>();
    words.push(1);
    assert_eq!(words.capacity(), 4);
    let mut pages = mem.vec::<[u8; 4096]>();
    pages.push([0; 4096]);
    assert_eq!(pages.capacity(), 1);
    assert_eq!(ArenaVec::<u8>::MIN_NON_ZERO_CAP, 8);
    assert_eq!(ArenaVec::<[u8; 1024]>::MIN_NON_ZERO_CAP, 4);
    assert_eq!(ArenaVec::<[u8; 1025]>::MIN_NON_ZERO_CAP, 1);
}

// Under the `asan` feature a growing buffer is always copied (its old bytes stay poisoned),
// so what it outgrew stays behind.
#[cfg(not(feature = "asan"))]
#[test]
fn freezing_after_a_reset_reuses_the_same_bytes() {
    let mut mem = Arena::new();
    for _ in 0..3 {
        let mut v = mem.vec();
        v.extend((0..10u32).filter(|_| true));
        assert_eq!(v.into_bump_slice().len(), 10);
        assert_eq!(mem.stats().used_bytes, 40);
        mem.reset();
    }
}

// Under the `asan` feature a growing buffer is always copied (its old bytes stay poisoned), so
// the vectors the deserializer grows leave their old buffers behind.
#[cfg(all(feature = "serde", not(feature = "asan")))]
#[test]
fn deserialized_slices_and_strings_take_what_they_need() {
    use arena_core::DeserializeIn;

    let mem = Arena::new();
    let mut json = serde_json::Deserializer::from_str("[1, 2, 3, 4, 5]");
    let numbers = <&[u64]>::deserialize_in(&mut json, &mem).unwrap();
    assert_eq!(numbers, [1, 2, 3, 4, 5]);
    assert_eq!(mem.stats().used_bytes, 5 * 8);
}

#[test]
fn growth_into_a_new_chunk_leaves_the_old_buffer_behind() {
    let mem = Arena::new();
    let mut v = mem.vec();
    for i in 0..1000u64 {
        v.push(i);
    }
    let frozen = v.into_bump_slice();
    assert!(frozen.iter().copied().eq(0..1000));
    let stats = mem.stats();
    assert!(stats.chunks > 1, "{stats:?}");
    // The last move put the buffer alone at the start of the newest chunk, and freezing gave
    // its spare capacity back there.
    assert_eq!(stats.current_chunk.used_bytes, 8000, "{stats:?}");
    // The older chunks hold the buffers it outgrew; `used_bytes` also counts the tails they
    // were left with, which nothing can use before a reset.
    assert!(stats.other_chunks.used_bytes > 0, "{stats:?}");
    assert_eq!(
        stats.used_bytes,
        stats.current_chunk.used_bytes + stats.other_chunks.reserved_bytes,
        "{stats:?}"
    );
    assert_eq!(
        stats.reserved_bytes,
        stats.current_chunk.reserved_bytes + stats.other_chunks.reserved_bytes
    );
}

#[test]
fn the_chunk_usage_adds_up_at_every_step_and_resets() {
    let mut mem = Arena::new();
    for round in 0..3 {
        for size in [8usize, 100, 1000, 24, 5000, 3, 20_000, 1] {
            mem.alloc_slice_fill_default::<u8>(size);
            let stats = mem.stats();
            let (current, other) = (stats.current_chunk, stats.other_chunks);
            assert!(current.used_bytes <= current.reserved_bytes, "{stats:?}");
            assert!(other.used_bytes <= other.reserved_bytes, "{stats:?}");
            assert_eq!(stats.used_bytes, current.used_bytes + other.reserved_bytes);
            assert_eq!(
                stats.reserved_bytes,
                current.reserved_bytes + other.reserved_bytes
            );
            if stats.chunks == 1 {
                assert_eq!(other, Default::default(), "round {round}");
            }
        }
        mem.reset();
        let stats = mem.stats();
        assert_eq!(stats.chunks, 1);
        // After a reset the kept chunk waits, free, for the next allocation to take it.
        assert_eq!(stats.current_chunk.used_bytes, 0);
        assert_eq!(stats.other_chunks.used_bytes, 0);
    }
}
