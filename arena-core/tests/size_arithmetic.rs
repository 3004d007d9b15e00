//! Property tests of the size arithmetic, through the public API: lengths and layouts whose byte
//! size is small, near a limit, near `isize::MAX` or past `usize::MAX`.
//!
//! For `try_alloc_slice_fill_default::<T>(len)`, `try_vec_with_capacity::<T>(cap)` and
//! `try_alloc_layout(size, align)` (align up to 64 KiB):
//!
//! - a `try_` method never panics;
//! - it fails with `CapacityOverflow` exactly when the byte size overflows (`len * size_of::<T>()`
//!   beyond `isize::MAX` less the alignment), with `ArenaLimit` when the size is beyond the
//!   arena's limit, and succeeds when it fits with room to spare (between the two, chunk
//!   rounding decides: either `Ok` or `ArenaLimit`);
//! - what it returns is correctly aligned, as long as asked, writable to the last byte, and
//!   disjoint from everything else handed out;
//! - a failure leaves the arena unchanged and usable, and `reserved_bytes` never passes the limit.
//!
//! Huge requests always go to an arena with a limit, so nothing asks the system allocator for
//! terabytes (which AddressSanitizer would report). 512 cases per property natively, 4 under
//! Miri; `SIZE_CASES` overrides.

mod common;

use std::alloc::Layout;

use arena_core::{AllocErrorKind, Arena};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    common::proptest_config("SIZE_CASES", 512, 4)
}

/// Limits up to 1 MiB natively (64 KiB under Miri, where every byte written costs).
const MAX_LIMIT: usize = if cfg!(miri) { 64 << 10 } else { 1 << 20 };

/// How many zero-sized values to write at most: each is still a loop iteration.
const ZST_FILL: usize = if cfg!(miri) { 64 } else { 1 << 16 };

/// A `len` for elements of `size` bytes: small, around the limit, around the overflow boundary,
/// or anything.
fn length(size: usize) -> impl Strategy<Value = usize> {
    let size = size.max(1);
    let boundary = (isize::MAX as usize) / size;
    prop_oneof![
        4 => 0..64usize,
        4 => 0..MAX_LIMIT / size + 2,
        2 => (boundary - 64..=boundary).prop_map(move |n| n + 32),
        1 => usize::MAX - 64..=usize::MAX,
        1 => any::<usize>(),
    ]
}

fn limit() -> impl Strategy<Value = usize> {
    prop_oneof![0..4096usize, 0..MAX_LIMIT]
}

/// `bytes` of alignment `align` surely fit under `limit` (the largest chunk the arena could need
/// for them, its rounding and alignment padding included).
fn surely_fits(bytes: usize, align: usize, limit: usize) -> bool {
    let worst_chunk = 2 * (bytes as u128 + 2 * align as u128 + 640) + 4096;
    worst_chunk <= limit as u128
}

/// The byte size of `len` values of `size` bytes aligned to `align`, if a `Layout` can have it.
fn array_bytes(size: usize, align: usize, len: usize) -> Option<usize> {
    let bytes = (size as u128) * (len as u128);
    (bytes <= (isize::MAX as u128) - (align as u128 - 1)).then_some(bytes as usize)
}

#[derive(Clone, Copy, Debug, PartialEq)]
#[repr(align(64))]
struct Line([u8; 64]);

impl Default for Line {
    fn default() -> Self {
        Line([0; 64])
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq)]
#[repr(align(4096))]
struct Page(u8);

#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Zst;

/// Checks `try_alloc_slice_fill_default::<T>(len)` in an arena limited to `limit`, writing
/// `mark` to every element of a success.
fn slice_case<T: Default + Copy + PartialEq + core::fmt::Debug>(
    len: usize,
    limit: usize,
    mark: T,
) -> Result<(), TestCaseError> {
    let (size, align) = (size_of::<T>(), align_of::<T>());
    if size == 0 && len > ZST_FILL {
        // A zero-sized slice of any length needs no memory, but filling it is still `len` calls.
        return Ok(());
    }
    let mem = Arena::builder()
        .limit(limit)
        .count_allocations(true)
        .build();
    let before = mem.stats();
    let result = mem.try_alloc_slice_fill_default::<T>(len);
    match (array_bytes(size, align, len), result) {
        (None, Err(err)) => prop_assert_eq!(err.kind(), &AllocErrorKind::CapacityOverflow),
        (None, Ok(_)) => prop_assert!(false, "{len} x {size} bytes overflow but succeeded"),
        (Some(bytes), Err(err)) => {
            prop_assert!(
                !surely_fits(bytes, align, limit),
                "{bytes} bytes fit {limit}: {err}"
            );
            prop_assert_eq!(err.kind(), &AllocErrorKind::ArenaLimit { limit });
        }
        (Some(bytes), Ok(xs)) => {
            prop_assert!(
                bytes <= limit,
                "{bytes} bytes allocated under a {limit} limit"
            );
            prop_assert_eq!(xs.len(), len);
            prop_assert_eq!(xs.as_ptr() as usize % align, 0);
            prop_assert!(xs.iter().all(|x| *x == T::default()));
            xs.fill(mark);
            prop_assert!(xs.iter().all(|x| *x == mark));
            prop_assert!(mem.stats().used_bytes >= bytes);
        }
    }
    let after = mem.stats();
    prop_assert!(after.reserved_bytes <= limit, "{after:?}");
    if after.allocations == before.allocations {
        // A failure changed nothing, and the arena is still usable.
        prop_assert_eq!(after.used_bytes, before.used_bytes);
        if surely_fits(16, 8, limit) {
            prop_assert_eq!(*mem.try_alloc(7u64).unwrap(), 7);
        }
    }
    Ok(())
}

/// Checks `try_vec_with_capacity::<T>(cap)`, then fills the capacity it promised without a new
/// allocation.
fn vec_case<T: Default + Copy + PartialEq + core::fmt::Debug>(
    cap: usize,
    limit: usize,
    mark: T,
) -> Result<(), TestCaseError> {
    let (size, align) = (size_of::<T>(), align_of::<T>());
    let mem = Arena::builder()
        .limit(limit)
        .count_allocations(true)
        .build();
    let result = mem.try_vec_with_capacity::<T>(cap);
    match (array_bytes(size, align, cap), result) {
        (None, Err(err)) => prop_assert_eq!(err.kind(), &AllocErrorKind::CapacityOverflow),
        (None, Ok(_)) => prop_assert!(false, "{cap} x {size} bytes overflow but succeeded"),
        (Some(bytes), Err(err)) => {
            prop_assert!(
                !surely_fits(bytes, align, limit),
                "{bytes} bytes fit {limit}: {err}"
            );
            prop_assert_eq!(err.kind(), &AllocErrorKind::ArenaLimit { limit });
        }
        (Some(bytes), Ok(mut v)) => {
            prop_assert!(size == 0 || bytes <= limit);
            prop_assert!(v.capacity() >= cap);
            let allocations = mem.stats().allocations;
            let fill = if size == 0 { cap.min(ZST_FILL) } else { cap };
            for _ in 0..fill {
                v.push(mark);
            }
            prop_assert_eq!(
                mem.stats().allocations,
                allocations,
                "pushing within capacity"
            );
            prop_assert_eq!(v.as_ptr() as usize % align, 0);
            prop_assert!(v.iter().all(|x| *x == mark));
        }
    }
    prop_assert!(mem.stats().reserved_bytes <= limit);
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn slice_of_bytes(len in length(1), limit in limit()) {
        slice_case::<u8>(len, limit, 0xA5)?;
    }

    #[test]
    fn slice_of_u32(len in length(4), limit in limit()) {
        slice_case::<u32>(len, limit, 0xDEAD_BEEF)?;
    }

    #[test]
    fn slice_of_u64(len in length(8), limit in limit()) {
        slice_case::<u64>(len, limit, u64::MAX - 1)?;
    }

    #[test]
    fn slice_of_odd_sized(len in length(3), limit in limit()) {
        slice_case::<[u8; 3]>(len, limit, [1, 2, 3])?;
    }

    #[test]
    fn slice_of_cache_lines(len in length(64), limit in limit()) {
        slice_case::<Line>(len, limit, Line([9; 64]))?;
    }

    #[test]
    fn slice_of_page_aligned(len in length(4096), limit in limit()) {
        slice_case::<Page>(len, limit, Page(3))?;
    }

    #[test]
    fn slice_of_zero_sized(len in length(0), limit in limit()) {
        slice_case::<Zst>(len, limit, Zst)?;
    }

    #[test]
    fn vec_of_u64(cap in length(8), limit in limit()) {
        vec_case::<u64>(cap, limit, 42)?;
    }

    #[test]
    fn vec_of_odd_sized(cap in length(3), limit in limit()) {
        vec_case::<[u8; 3]>(cap, limit, [7, 7, 7])?;
    }

    #[test]
    fn vec_of_cache_lines(cap in length(64), limit in limit()) {
        vec_case::<Line>(cap, limit, Line([1; 64]))?;
    }

    #[test]
    fn vec_of_zero_sized(cap in length(0), limit in limit()) {
        vec_case::<Zst>(cap, limit, Zst)?;
    }

    /// Several raw layouts in one arena: each aligned, writable and disjoint from the others.
    #[test]
    fn layouts_are_aligned_writable_and_disjoint(
        requests in prop::collection::vec(
            (
                prop_oneof![4 => 0..2048usize, 2 => 0..MAX_LIMIT, 1 => (isize::MAX as usize) - (1 << 17)..=isize::MAX as usize],
                0u32..=16,
            ),
            1..12,
        ),
        limit in limit(),
    ) {
        let mem = Arena::builder().limit(limit).count_allocations(true).build();
        let mut blocks: Vec<(core::ptr::NonNull<u8>, usize, u8)> = Vec::new();
        for (index, (size, align_log2)) in requests.into_iter().enumerate() {
            let align = 1usize << align_log2;
            let Ok(layout) = Layout::from_size_align(size, align) else {
                // Not a layout (its size rounded up to the alignment overflows isize).
                prop_assert!(size > (isize::MAX as usize) - (align - 1));
                continue;
            };
            let used = mem.stats().used_bytes;
            match mem.try_alloc_layout(layout) {
                Ok(ptr) => {
                    prop_assert!(size <= limit, "{size} bytes allocated under a {limit} limit");
                    prop_assert_eq!(ptr.as_ptr() as usize % align, 0, "align {}", align);
                    let mark = index as u8;
                    // SAFETY: `ptr` is a fresh block of `size` writable bytes.
                    unsafe { ptr.as_ptr().write_bytes(mark, size) };
                    blocks.push((ptr, size, mark));
                }
                Err(err) => {
                    prop_assert!(!surely_fits(size, align, limit.saturating_sub(mem.stats().reserved_bytes)), "{size}/{align} fits {limit}: {err}");
                    prop_assert_eq!(err.kind(), &AllocErrorKind::ArenaLimit { limit });
                    prop_assert_eq!(mem.stats().used_bytes, used);
                }
            }
            prop_assert!(mem.stats().reserved_bytes <= limit);
        }
        blocks.sort_unstable_by_key(|(ptr, _, _)| ptr.as_ptr().addr());
        for pair in blocks.windows(2) {
            let ((a, a_len, _), (b, _, _)) = (pair[0], pair[1]);
            prop_assert!(a.as_ptr().addr() + a_len <= b.as_ptr().addr(), "blocks overlap: {:?}", pair);
        }
        for (start, len, mark) in blocks {
            // SAFETY: each block is still allocated (the arena is alive, never reset) and was
            // filled with its mark above.
            let bytes = unsafe { core::slice::from_raw_parts(start.as_ptr(), len) };
            prop_assert!(bytes.iter().all(|b| *b == mark), "a block was overwritten");
        }
    }
}

/// The boundaries, exactly: the largest lengths that do not overflow, and the first that do.
#[test]
fn overflow_boundaries() {
    let mem = Arena::builder()
        .limit(1 << 16)
        .count_allocations(true)
        .build();
    for len in [
        isize::MAX as usize / 8,
        isize::MAX as usize / 8 + 1,
        usize::MAX / 8 + 1,
    ] {
        let err = mem.try_alloc_slice_fill_default::<u64>(len).unwrap_err();
        let want = if len <= isize::MAX as usize / 8 {
            AllocErrorKind::ArenaLimit { limit: 1 << 16 }
        } else {
            AllocErrorKind::CapacityOverflow
        };
        assert_eq!(err.kind(), &want, "len {len}");
        let err = mem.try_vec_with_capacity::<u64>(len).unwrap_err();
        assert_eq!(err.kind(), &want, "vec cap {len}");
    }
    // The page-aligned type: the size limit is isize::MAX less the alignment.
    let last = (isize::MAX as usize - 4095) / 4096;
    assert!(matches!(
        mem.try_alloc_slice_fill_default::<Page>(last)
            .unwrap_err()
            .kind(),
        AllocErrorKind::ArenaLimit { .. }
    ));
    assert_eq!(
        mem.try_alloc_slice_fill_default::<Page>(last + 1)
            .unwrap_err()
            .kind(),
        &AllocErrorKind::CapacityOverflow
    );
    assert_eq!(mem.stats().allocations, Some(0));
    assert_eq!(mem.stats().reserved_bytes, 0);
}
