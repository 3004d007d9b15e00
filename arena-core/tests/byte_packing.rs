//! Byte data (`alloc_str`, `alloc_slice_copy` of one-byte values) is packed: a string starts
//! where the previous one ended when nothing was allocated between them, and never over memory
//! that a value, a rewind, a scope or a reset handed out again.
//!
//! Under the `asan` feature byte data is not packed (so that the end of a scope poisons all of
//! what the scope allocated): the tests of packing itself are left out there.

#![cfg_attr(feature = "asan", allow(unused))]

use arena_core::Arena;

fn addr<T: ?Sized>(value: &T) -> usize {
    (value as *const T).cast::<u8>() as usize
}

#[cfg(not(feature = "asan"))]
#[test]
fn consecutive_strings_are_packed_without_rounding() {
    let mem = Arena::with_capacity(4096);
    let a = mem.alloc_str("abc");
    let b = mem.alloc_str("defgh");
    let c = mem.alloc_slice_copy(b"ij");
    assert_eq!(addr(b), addr(a) + 3);
    assert_eq!(addr(c), addr(b) + 5);
    assert_eq!((&*a, &*b, &*c), ("abc", "defgh", &b"ij"[..]));
    // 10 bytes of data take two 8-byte granules.
    assert_eq!(mem.stats().used_bytes, 16);
}

#[test]
fn a_value_after_strings_is_aligned_and_the_next_string_does_not_reuse_its_rounding() {
    let mem = Arena::with_capacity(4096);
    let a = mem.alloc_str("abcde");
    let n = mem.alloc(u64::MAX);
    assert_eq!(addr(n) % 8, 0);
    assert!(addr(n) >= addr(a) + 5);
    let b = mem.alloc_str("xyz");
    assert!(
        addr(b) >= addr(n) + 8,
        "a string went below the value before it"
    );
    assert_eq!((*n, &*a, &*b), (u64::MAX, "abcde", "xyz"));
}

#[test]
fn the_try_twins_pack_too_and_fail_cleanly() {
    let mem = Arena::builder().limit(0).build();
    assert!(mem.try_alloc_str("too much").is_err());
    assert!(mem.try_alloc_slice_copy(&[1u8, 2]).is_err());
    // Zero bytes need no memory, even under a zero limit.
    assert_eq!(mem.try_alloc_str("").unwrap(), "");

    let mem = Arena::with_capacity(4096);
    let a = mem.try_alloc_str("ab").unwrap();
    let b = mem.try_alloc_slice_copy(&[1i8, 2, 3]).unwrap();
    if cfg!(not(feature = "asan")) {
        assert_eq!(addr(b), addr(a) + 2);
    }
    assert_eq!((&*a, &*b), ("ab", &[1i8, 2, 3][..]));
}

#[test]
fn a_rewind_never_lets_a_string_overlap_what_was_allocated_after_it() {
    let mut mem = Arena::with_capacity(4096);
    let cp = mem.checkpoint();
    mem.alloc_str("abcde");
    mem.rewind(cp);
    // The value takes the granule the string had; the next string must not start in it.
    let n: *const u64 = mem.alloc(u64::MAX);
    let s: *const str = mem.alloc_str("zz");
    // SAFETY: both live in the arena, which is not reset or rewound before these reads.
    let (n, s) = unsafe { (&*n, &*s) };
    assert_eq!((*n, s), (u64::MAX, "zz"));
    assert!(addr(s) >= addr(n) + 8);
}

#[test]
fn a_scope_end_never_lets_a_string_overlap_what_was_allocated_after_it() {
    let mut mem = Arena::with_capacity(4096);
    mem.alloc_str("a");
    mem.scoped(|mem| {
        mem.alloc_str("bcdefgh-and-more");
    });
    let n: *const u64 = mem.alloc(7);
    let s: *const str = mem.alloc_str("tail");
    // SAFETY: as above.
    let (n, s) = unsafe { (&*n, &*s) };
    assert_eq!((*n, s), (7, "tail"));
    assert!(addr(s) >= addr(n) + 8);
}

#[test]
fn a_reset_never_lets_a_string_overlap_what_was_allocated_after_it() {
    let mut mem = Arena::with_capacity(4096);
    mem.alloc_str("abcde");
    mem.reset();
    let n: *const u64 = mem.alloc(u64::MAX);
    let s: *const str = mem.alloc_str("zz");
    // SAFETY: as above.
    let (n, s) = unsafe { (&*n, &*s) };
    assert_eq!((*n, s), (u64::MAX, "zz"));
    assert!(addr(s) >= addr(n) + 8);
}

#[cfg(not(feature = "asan"))]
#[test]
fn a_frozen_vector_given_back_whole_lets_the_next_string_pack_again() {
    let mem = Arena::with_capacity(4096);
    let a = mem.alloc_str("abc");
    let empty = mem.vec_with_capacity::<u64>(4).into_bump_slice();
    let b = mem.alloc_str("de");
    assert!(empty.is_empty());
    assert_eq!(addr(b), addr(a) + 3);
    assert_eq!(mem.stats().used_bytes, 8);
}

#[test]
fn strings_across_a_new_chunk_stay_intact() {
    let mem = Arena::new();
    let words: Vec<String> = (0..300).map(|i| format!("w{i}")).collect();
    let copies: Vec<&str> = words.iter().map(|w| &*mem.alloc_str(w)).collect();
    assert!(mem.stats().chunks > 1);
    for (word, copy) in words.iter().zip(&copies) {
        assert_eq!(word, copy);
    }
    // A string too large for the block takes a chunk of its own and is whole.
    let long = "x".repeat(20_000);
    let copy = mem.alloc_str(&long);
    let after = mem.alloc_str("y");
    assert_eq!((copy.len(), &*after), (20_000, "y"));
    assert!(copy.bytes().all(|b| b == b'x'));
}

#[test]
fn packed_strings_count_as_allocations() {
    let mem = Arena::builder().count_allocations(true).build();
    mem.alloc_str("a");
    mem.alloc_str("b");
    mem.try_alloc_slice_copy(b"c").unwrap();
    assert_eq!(mem.stats().allocations, Some(3));
}

/// A pooled scope that ends by a bare rewind of its block (the steady state) must forget the
/// tail of the round's last string: the next round's values take those bytes again, and a string
/// after them must not start inside one.
#[test]
fn a_steady_scope_end_never_lets_a_string_overlap_the_next_rounds_values() {
    for round in 0..32 {
        let second = arena_core::scope(|mem| {
            // Enough to make the rounds steady (they end by a bare rewind).
            let filler = mem.alloc_slice_fill_with(64, |i| i as u64);
            assert_eq!(filler[63], 63);
            mem.alloc(1u64);
            if round % 2 == 0 {
                // The round ends with a string: its tail is 5 bytes into the next granule.
                mem.alloc_str("abcde");
                return u64::MAX;
            }
            // The next round puts a value over that granule, then a string.
            let second: &u64 = mem.alloc(u64::MAX);
            assert_eq!(mem.alloc_str("zz"), "zz");
            *second
        });
        assert_eq!(
            second,
            u64::MAX,
            "a string overwrote a value in round {round}"
        );
    }
}
