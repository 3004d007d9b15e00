//! The size arithmetic of the arena, as pure functions: rounding to the block's alignment, the
//! padding an alignment needs, how large a chunk bumpalo builds for a request, and the pool's
//! steady floor.
//!
//! Nothing here touches memory, so the module forbids `unsafe`; the engine's SAFETY comments
//! rely on these functions' documented bounds, which the unit tests below check.
#![forbid(unsafe_code)]

/// The alignment the block's cursor keeps: sizes are rounded up to it, so a value aligned to at
/// most 8 bytes needs no alignment arithmetic.
pub(super) const BLOCK_ALIGN: usize = 8;

/// The largest size a block-aligned layout may have: `isize::MAX` rounded down to
/// [`BLOCK_ALIGN`].
pub(super) const LARGEST_BLOCK_REQUEST: usize = isize::MAX as usize & !(BLOCK_ALIGN - 1);

/// The smallest request a new chunk is sized for (bumpalo's own minimum chunk is about this).
pub(super) const MIN_CHUNK_REQUEST: usize = 512;

/// The steady floor of an arena whose scope must take the general end (see
/// [`Arena::rewind_steady`](super::Arena::rewind_steady)).
pub(crate) const NOT_STEADY: usize = usize::MAX;

/// `size` rounded up to [`BLOCK_ALIGN`]. Never overflows for a `Layout` size, which is at most
/// `isize::MAX`.
#[inline(always)]
pub(super) const fn block_bytes(size: usize) -> usize {
    (size + (BLOCK_ALIGN - 1)) & !(BLOCK_ALIGN - 1)
}

/// The bytes to skip from the [`BLOCK_ALIGN`]-aligned address `at` to the next multiple of
/// `align` (a power of two): 0 for the alignments the cursor already keeps, less than `align`
/// otherwise.
#[inline(always)]
pub(super) const fn padding_at(at: usize, align: usize) -> usize {
    if align <= BLOCK_ALIGN {
        0
    } else {
        at.wrapping_neg() & (align - 1)
    }
}

/// The most padding `align` can need at any [`BLOCK_ALIGN`]-aligned address.
#[inline(always)]
pub(super) const fn worst_padding(align: usize) -> usize {
    if align <= BLOCK_ALIGN {
        0
    } else {
        align - 1
    }
}

/// The size of a block-aligned probe that makes room for `size` bytes aligned to `align`
/// wherever the new block starts, cut down to [`LARGEST_BLOCK_REQUEST`] (a request that large
/// fails at the allocator, as it must).
#[inline]
pub(super) fn probe_bytes(size: usize, align: usize) -> usize {
    block_bytes(size)
        .saturating_add(worst_padding(align))
        .min(LARGEST_BLOCK_REQUEST)
}

/// `size` rounded up to `align` (a power of two), or `None` when that overflows.
#[inline]
pub(super) fn round_up(size: usize, align: usize) -> Option<usize> {
    size.checked_add(align - 1).map(|n| n & !(align - 1))
}

/// The alignment and size granularity of every bumpalo chunk's usable bytes (bumpalo's
/// `CHUNK_ALIGN`).
pub(super) const CHUNK_GRAIN: usize = 16;

/// The bytes bumpalo counts beside a chunk's usable bytes when it sizes the chunk: its footer
/// (six words, rounded up to [`CHUNK_GRAIN`]) and 16 bytes it expects the global allocator to
/// add, rounded up to [`CHUNK_GRAIN`]: 64 on a 64-bit target. They are not counted in
/// `reserved_bytes` nor against limits.
pub(crate) const CHUNK_OVERHEAD: usize = (16
    + (6 * core::mem::size_of::<usize>()).next_multiple_of(CHUNK_GRAIN))
.next_multiple_of(CHUNK_GRAIN);

/// Below this many usable bytes bumpalo rounds a chunk to a power of two with its overhead,
/// above to whole pages (bumpalo's `TYPICAL_PAGE_SIZE`).
const CHUNK_PAGE: usize = 4096;

/// The usable bytes of the chunk bumpalo builds for a request of `usable` bytes (a multiple of
/// [`CHUNK_GRAIN`]): with [`CHUNK_OVERHEAD`], a power of two below a page, whole pages above.
/// `None` on overflow.
fn chunk_class(usable: usize) -> Option<usize> {
    let with_overhead = usable.checked_add(CHUNK_OVERHEAD)?;
    let total = if usable < CHUNK_PAGE {
        with_overhead.checked_next_power_of_two()?
    } else {
        round_up(with_overhead, CHUNK_PAGE)?
    };
    Some(total - CHUNK_OVERHEAD)
}

/// The usable bytes of the smallest chunk that holds `bytes`: the chunk an arena that holds
/// nothing takes for them (bumpalo sizes it as [`chunk_class`] says, from `bytes` rounded up to
/// [`CHUNK_GRAIN`]). `None` on overflow.
pub(super) fn smallest_chunk_for(bytes: usize) -> Option<usize> {
    chunk_class(round_up(bytes, CHUNK_GRAIN)?)
}

/// The usable bytes of the largest chunk bumpalo builds that is at most `bytes`, or `None` when
/// even the smallest (`128 - CHUNK_OVERHEAD` bytes) is larger.
pub(super) fn largest_chunk_within(bytes: usize) -> Option<usize> {
    let total = bytes.saturating_add(CHUNK_OVERHEAD);
    let usable = if total >= 2 * CHUNK_PAGE {
        total / CHUNK_PAGE * CHUNK_PAGE - CHUNK_OVERHEAD
    } else {
        (1usize << total.ilog2()) - CHUNK_OVERHEAD
    };
    (usable >= smallest_chunk_for(1)?).then_some(usable)
}

/// bumpalo's first chunk for a small request: 512 bytes with [`CHUNK_OVERHEAD`] (bumpalo's
/// `DEFAULT_CHUNK_SIZE_WITHOUT_FOOTER`).
const DEFAULT_CHUNK: usize = 512 - CHUNK_OVERHEAD;

/// The size of a request that makes a bumpalo arena holding nothing build a chunk of exactly
/// `chunk` usable bytes (one [`chunk_class`] returns), when its fence admits that chunk and no
/// larger one. From [`DEFAULT_CHUNK`] up, the chunk's own size. Below, bumpalo tries
/// [`DEFAULT_CHUNK`] halved again and again, down to the request, and takes the first whose
/// chunk fits the fence: a request no larger than the largest of those halves whose chunk is
/// `chunk` gets it (56 bytes for the 64-byte chunk, 112 for the 192-byte one).
pub(super) fn request_for_chunk(chunk: usize) -> usize {
    if chunk >= DEFAULT_CHUNK {
        return chunk;
    }
    let mut half = DEFAULT_CHUNK;
    while half > 1
        && chunk_class(round_up(half, CHUNK_GRAIN).unwrap_or(half)).is_some_and(|c| c > chunk)
    {
        half /= 2;
    }
    half
}

/// The largest chunk bumpalo may build for `bytes` of usable space (it rounds small chunks up to
/// a power of two and large ones to a page, net of its footer): an upper bound to reserve first.
pub(super) fn chunk_bound(bytes: usize) -> Option<usize> {
    if bytes < 4096 {
        Some((bytes + 128).next_power_of_two())
    } else {
        bytes.checked_add(4096)
    }
}

/// Whether a chunk of `kept` bytes, left after a reset, is larger than a fresh chunk for
/// `keep_bytes` could be (so it should be replaced by a smaller one); a chunk kept for nothing
/// is always too large.
pub(super) fn kept_chunk_too_big(kept: usize, keep_bytes: usize) -> bool {
    keep_bytes == 0
        || chunk_bound(keep_bytes.max(MIN_CHUNK_REQUEST)).is_some_and(|bound| kept > bound)
}

/// With `ARENA_RETAIN=100`, a round that used `used` bytes keeps a chunk for
/// `max(used, ballast)` bytes, and a one-chunk arena of `reserved` bytes is already that chunk
/// when `reserved >= max(used, ballast)` and `reserved <= chunk_bound(max(used, ballast, 512))`.
/// The first holds for every round that fits the chunk once `ballast <= reserved`; the second
/// is monotone in `used`. So the rounds that need no resizing are those that used at least the
/// returned floor ([`NOT_STEADY`] when none is).
pub(super) fn steady_floor(reserved: usize, ballast: usize) -> usize {
    if ballast > reserved {
        return NOT_STEADY;
    }
    let fits = |used: usize| {
        chunk_bound(used.max(ballast).max(MIN_CHUNK_REQUEST)).is_some_and(|b| b >= reserved)
    };
    if !fits(reserved) {
        return NOT_STEADY;
    }
    // The least `used` in 1..=reserved that fits (`fits` is monotone).
    let (mut low, mut high) = (1, reserved.max(1));
    while low < high {
        let mid = low + (high - low) / 2;
        if fits(mid) {
            high = mid;
        } else {
            low = mid + 1;
        }
    }
    low
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_bytes_rounds_up_to_the_block_alignment() {
        assert_eq!(block_bytes(0), 0);
        assert_eq!(block_bytes(1), 8);
        assert_eq!(block_bytes(8), 8);
        assert_eq!(block_bytes(9), 16);
        assert_eq!(block_bytes(isize::MAX as usize), isize::MAX as usize + 1);
        for size in 0..100 {
            let rounded = block_bytes(size);
            assert!(rounded >= size && rounded - size < BLOCK_ALIGN);
            assert_eq!(rounded % BLOCK_ALIGN, 0);
        }
    }

    #[test]
    fn padding_reaches_the_next_multiple_of_the_alignment() {
        for at in (0..4096).step_by(BLOCK_ALIGN) {
            for shift in 0..13 {
                let align = 1 << shift;
                let padding = padding_at(at, align);
                assert_eq!((at + padding) % align, 0, "at {at}, align {align}");
                assert!(padding <= worst_padding(align));
                if align <= BLOCK_ALIGN {
                    assert_eq!(padding, 0);
                } else {
                    assert!(padding < align);
                }
            }
        }
    }

    #[test]
    fn probe_bytes_makes_room_and_saturates() {
        assert_eq!(probe_bytes(1, 8), 8);
        assert_eq!(probe_bytes(1, 4096), 8 + 4095);
        assert_eq!(probe_bytes(isize::MAX as usize, 8), LARGEST_BLOCK_REQUEST);
        assert_eq!(probe_bytes(usize::MAX - 7, 1 << 20), LARGEST_BLOCK_REQUEST);
        assert_eq!(LARGEST_BLOCK_REQUEST % BLOCK_ALIGN, 0);
    }

    #[test]
    fn round_up_overflows_to_none() {
        assert_eq!(round_up(0, 16), Some(0));
        assert_eq!(round_up(17, 16), Some(32));
        assert_eq!(round_up(usize::MAX, 16), None);
        assert_eq!(round_up(usize::MAX - 14, 16), None);
        assert_eq!(round_up(usize::MAX - 15, 16), Some(usize::MAX - 15));
    }

    #[test]
    fn chunk_bound_covers_the_request_and_is_monotone() {
        let mut last = 0;
        for bytes in (0..20_000).chain([usize::MAX / 2, usize::MAX - 4096]) {
            let bound = chunk_bound(bytes).unwrap();
            assert!(bound >= bytes, "{bytes}");
            assert!(bound >= last, "{bytes}");
            last = bound;
        }
        assert_eq!(chunk_bound(usize::MAX - 4095), None);
        assert_eq!(chunk_bound(100), Some(256));
        assert_eq!(chunk_bound(4096), Some(8192));
    }

    /// The chunk arithmetic against bumpalo itself: every chunk size `largest_chunk_within`
    /// and `smallest_chunk_for` name is one bumpalo builds, and a fresh `Bump` fenced at it
    /// builds it for `request_for_chunk`'s request (and fails one byte below).
    #[test]
    fn chunk_sizes_are_those_bumpalo_builds() {
        use core::alloc::Layout;
        if cfg!(target_pointer_width = "64") {
            assert_eq!(CHUNK_OVERHEAD, 64);
        }
        let sizes = (0..600)
            .chain((600..40_000).step_by(89))
            .chain([4032, 4033, 8128, 8129]);
        let mut checked = std::collections::BTreeSet::new();
        for bytes in sizes {
            let Some(chunk) = largest_chunk_within(bytes) else {
                assert!(bytes < smallest_chunk_for(1).unwrap());
                continue;
            };
            assert!(chunk <= bytes && chunk % CHUNK_GRAIN == 0, "{bytes}");
            assert_eq!(smallest_chunk_for(chunk), Some(chunk), "{bytes}");
            assert_eq!(smallest_chunk_for(bytes + 1).map(|c| c > bytes), Some(true));
            if !checked.insert(chunk) {
                continue;
            }
            let request = request_for_chunk(chunk);
            assert!(request <= chunk, "{chunk}");
            let layout = Layout::from_size_align(request, 8).unwrap();
            let bump = bumpalo::Bump::new();
            bump.set_allocation_limit(Some(chunk));
            assert!(
                bump.try_alloc_layout(layout).is_ok(),
                "chunk {chunk}, request {request}"
            );
            assert_eq!(bump.allocated_bytes(), chunk);
            let bump = bumpalo::Bump::new();
            bump.set_allocation_limit(Some(chunk - 1));
            assert!(
                bump.try_alloc_layout(layout).is_err(),
                "chunk {chunk} under {}",
                chunk - 1
            );
        }
        assert!(checked.len() > 10);
        assert_eq!(request_for_chunk(64), 56);
        assert_eq!(request_for_chunk(192), 112);
        assert_eq!(largest_chunk_within(4096), Some(4032));
        assert_eq!(largest_chunk_within(8192), Some(8128));
        assert_eq!(smallest_chunk_for(4096), Some(8128));
        let top = largest_chunk_within(usize::MAX).unwrap();
        assert_eq!(top % CHUNK_PAGE, CHUNK_PAGE - CHUNK_OVERHEAD);
    }

    #[test]
    fn a_kept_chunk_is_too_big_past_the_bound_or_for_nothing() {
        assert!(kept_chunk_too_big(4096, 0));
        assert!(!kept_chunk_too_big(1024, 600));
        assert!(kept_chunk_too_big(2048, 600));
        assert!(!kept_chunk_too_big(1 << 20, (1 << 20) - 4096));
        assert!(kept_chunk_too_big((1 << 20) + 1, (1 << 20) - 4096));
    }

    /// The floor is the least `used` whose round keeps exactly this chunk: checked against the
    /// definition by brute force for small chunks.
    #[test]
    fn steady_floor_is_the_least_steady_round() {
        let fits = |reserved: usize, ballast: usize, used: usize| {
            chunk_bound(used.max(ballast).max(MIN_CHUNK_REQUEST)).is_some_and(|b| b >= reserved)
        };
        for reserved in [0, 1, 512, 640, 1024, 2048, 4096, 5000, 8192, 12_288] {
            for ballast in [0, 100, 1000, 4096, 9000] {
                let floor = steady_floor(reserved, ballast);
                let least = (1..=reserved.max(1)).find(|&used| fits(reserved, ballast, used));
                if ballast > reserved || !fits(reserved, ballast, reserved) {
                    assert_eq!(floor, NOT_STEADY, "reserved {reserved}, ballast {ballast}");
                } else {
                    assert_eq!(Some(floor), least, "reserved {reserved}, ballast {ballast}");
                }
            }
        }
    }
}
