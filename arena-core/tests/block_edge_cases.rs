//! Edge cases of the arena's upward-bumping *block* (bumpalo's whole current chunk, taken in one
//! allocation): buffers that stop being the newest allocation and then grow, shrink or are
//! given back through `allocator_api2::Allocator for &Arena` (allocator-api2 vectors and boxes,
//! hashbrown maps, `ArenaVec`, `ArenaString`, `ArenaHashMap`); growth past the end of the block
//! into a new chunk and back; zero-size layouts with and without a block and at its end;
//! over-aligned layouts in the fast path and when a new chunk is needed; `reset` of one-chunk
//! and many-chunk arenas and the cursor rewind of steady pooled scopes, followed by reuse;
//! destructors of `alloc_droppable` values mixed with in-place growth and shrinking; limits hit
//! during growth; `Arena::with_capacity`; and the `used_bytes <= reserved_bytes` invariant.
//!
//! Every test checks what it reads back: values written with distinct markers, that no two live
//! allocations overlap, destructor counts and stats. The `unsafe` blocks call the `Allocator`
//! trait directly and respect its contract. Sizes are cut down under Miri.

use allocator_api2::alloc::Allocator;
use allocator_api2::boxed::Box as ApiBox;
use allocator_api2::vec::Vec as ApiVec;
use arena_core::{scope, Arena};
use std::alloc::Layout;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

mod common;

/// `native` natively, `miri` under Miri.
const fn size(native: usize, miri: usize) -> usize {
    if cfg!(miri) {
        miri
    } else {
        native
    }
}

/// The bytes a value occupies, as an address range.
fn range_of<T: ?Sized>(value: &T) -> (usize, usize) {
    let start = value as *const T as *const u8 as usize;
    (start, start + std::mem::size_of_val(value))
}

/// Panics if two non-empty ranges of `ranges` overlap.
fn assert_disjoint(ranges: &[(usize, usize)]) {
    let mut sorted: Vec<_> = ranges.iter().copied().filter(|(s, e)| s < e).collect();
    sorted.sort_unstable();
    for pair in sorted.windows(2) {
        assert!(
            pair[0].1 <= pair[1].0,
            "live allocations overlap: {:#x}..{:#x} and {:#x}..{:#x}",
            pair[0].0,
            pair[0].1,
            pair[1].0,
            pair[1].1
        );
    }
}

/// Panics unless `used_bytes <= reserved_bytes`.
fn assert_stats_consistent(mem: &Arena) {
    let stats = mem.stats();
    assert!(stats.used_bytes <= stats.reserved_bytes, "{stats:?}");
}

/// Allocates `layout` through the `Allocator` trait and fills it with `byte`.
fn filled(mem: &Arena, layout: Layout, byte: u8) -> NonNull<u8> {
    let block = (&mem).allocate(layout).expect("allocation failed");
    assert_eq!(block.len(), layout.size());
    let ptr = block.cast::<u8>();
    assert_eq!(ptr.as_ptr() as usize % layout.align(), 0, "{layout:?}");
    // SAFETY: `ptr` is a fresh allocation of `layout.size()` bytes.
    unsafe { ptr.as_ptr().write_bytes(byte, layout.size()) };
    ptr
}

/// Panics unless the `len` bytes at `ptr` are all `byte`.
///
/// # Safety
///
/// `ptr` must be valid for reads of `len` initialized bytes.
unsafe fn assert_filled(ptr: NonNull<u8>, len: usize, byte: u8) {
    // SAFETY: the caller's guarantee.
    let bytes = unsafe { std::slice::from_raw_parts(ptr.as_ptr(), len) };
    assert!(bytes.iter().all(|&b| b == byte), "expected all {byte:#x}");
}

/// A value whose destructor counts itself.
struct Counted {
    id: usize,
    drops: Arc<AtomicUsize>,
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.drops.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn api_vec_that_stops_being_newest_moves_and_keeps_contents() {
    let mem = Arena::with_capacity(4096);
    let n = size(2000, 100) as u64;
    let mut v: ApiVec<u64, &Arena> = ApiVec::new_in(&mem);
    let mut markers = Vec::new();
    for i in 0..n {
        v.push(i * 3);
        if i % 17 == 0 {
            // Something after the vector: its next growth cannot be in place.
            markers.push((i, &*mem.alloc(0xA000_0000_0000_0000 | i)));
        }
    }
    assert!(v.iter().copied().eq((0..n).map(|i| i * 3)));
    let mut ranges: Vec<_> = markers.iter().map(|(_, m)| range_of(*m)).collect();
    ranges.push(range_of(v.as_slice()));
    assert_disjoint(&ranges);
    for (i, m) in &markers {
        assert_eq!(**m, 0xA000_0000_0000_0000 | i);
    }
    assert_stats_consistent(&mem);
}

#[test]
fn two_vectors_growing_in_turn_never_overlap() {
    let mem = Arena::with_capacity(1024);
    let n = size(3000, 120) as u32;
    let mut a: ApiVec<u32, &Arena> = ApiVec::new_in(&mem);
    let mut b = mem.vec::<u32>();
    for i in 0..n {
        // Each push may grow one while the other is the newest buffer.
        a.push(i);
        b.push(!i);
        if i % 64 == 0 {
            assert_disjoint(&[range_of(a.as_slice()), range_of(b.as_slice())]);
        }
    }
    assert!(a.iter().copied().eq(0..n));
    assert!(b.iter().copied().eq((0..n).map(|i| !i)));
    assert_disjoint(&[range_of(a.as_slice()), range_of(b.as_slice())]);
    assert!(mem.stats().chunks > 1, "{:?}", mem.stats());
    assert_stats_consistent(&mem);
}

#[test]
fn hashbrown_map_and_vectors_interleaved_keep_every_entry() {
    let mem = Arena::with_capacity(2048);
    let n = size(1500, 80) as u64;
    let mut map: hashbrown::HashMap<u64, u64, hashbrown::DefaultHashBuilder, &Arena> =
        hashbrown::HashMap::with_hasher_in(Default::default(), &mem);
    let mut arena_map = mem.hash_map::<u64, u64>();
    let mut v: ApiVec<u64, &Arena> = ApiVec::new_in(&mem);
    let mut s = mem.string();
    for i in 0..n {
        map.insert(i, i * 7);
        v.push(i ^ 0x55);
        arena_map.insert(i, !i);
        s.push(char::from(b'a' + (i % 26) as u8));
    }
    assert_eq!(map.len(), n as usize);
    for i in 0..n {
        assert_eq!(map[&i], i * 7);
        assert_eq!(arena_map.get(&i), Some(&!i));
    }
    assert!(v.iter().copied().eq((0..n).map(|i| i ^ 0x55)));
    assert!(s.bytes().eq((0..n).map(|i| b'a' + (i % 26) as u8)));
    assert_disjoint(&[range_of(v.as_slice()), range_of(s.as_str())]);
    // Dropping the hashbrown map gives its table back (reclaimed only if it is the newest).
    drop(map);
    let after = mem.alloc_slice_copy(&[0xEEu8; 64]);
    assert!(after.iter().all(|&b| b == 0xEE));
    assert!(v.iter().copied().eq((0..n).map(|i| i ^ 0x55)));
    assert_disjoint(&[
        range_of(v.as_slice()),
        range_of(s.as_str()),
        range_of(&*after),
    ]);
    assert_stats_consistent(&mem);
}

#[test]
fn newest_vector_grows_past_the_block_into_a_new_chunk_then_shrinks_back() {
    let mem = Arena::with_capacity(512);
    let first_chunk = mem.stats().reserved_bytes;
    let head = mem.alloc(0x1111_u64);
    let mut v: ApiVec<u64, &Arena> = ApiVec::new_in(&mem);
    let n = size(4096, 300) as u64;
    for i in 0..n {
        v.push(i);
    }
    assert!(mem.stats().reserved_bytes > first_chunk);
    assert!(mem.stats().chunks >= 2);
    // Shrink the newest buffer in place, then allocate after it: the new values must not land
    // on the elements still in the vector.
    v.truncate(10);
    v.shrink_to_fit();
    assert_eq!(v.capacity(), 10);
    let tail = mem.alloc_slice_fill_with(64, |i| 0xBEEF_0000 + i as u64);
    assert!(v.iter().copied().eq(0..10));
    assert!(tail.iter().copied().eq((0..64).map(|i| 0xBEEF_0000 + i)));
    assert_disjoint(&[range_of(v.as_slice()), range_of(&*tail), range_of(&*head)]);
    // Growing again must move it (the tail is now the newest) and keep everything.
    v.extend(10..200);
    assert!(v.iter().copied().eq(0..200));
    assert!(tail.iter().copied().eq((0..64).map(|i| 0xBEEF_0000 + i)));
    assert_eq!(*head, 0x1111);
    assert_disjoint(&[range_of(v.as_slice()), range_of(&*tail), range_of(&*head)]);
    assert_stats_consistent(&mem);
}

// Under the `asan` feature memory given back stays poisoned instead of being reused.
#[cfg(not(feature = "asan"))]
#[test]
fn given_back_newest_box_is_reused_and_older_boxes_are_not() {
    let mem = Arena::with_capacity(4096);
    let older = ApiBox::new_in([0x0Au8; 24], &mem);
    let newest = ApiBox::new_in([0x0Bu8; 40], &mem);
    let newest_at = &*newest as *const [u8; 40] as usize;
    let used_with_both = mem.stats().used_bytes;
    drop(newest);
    assert_eq!(mem.stats().used_bytes, used_with_both - 40);
    let reuse = mem.alloc([0x0Cu8; 40]);
    assert_eq!(
        reuse as *const [u8; 40] as usize, newest_at,
        "newest bytes reclaimed"
    );
    // `older` is not the newest any more: giving it back reclaims nothing, and a new value must
    // not be placed over `reuse`.
    let used = mem.stats().used_bytes;
    drop(older);
    assert_eq!(mem.stats().used_bytes, used);
    let next = mem.alloc([0x0Du8; 24]);
    assert!(reuse.iter().all(|&b| b == 0x0C));
    assert!(next.iter().all(|&b| b == 0x0D));
    assert_disjoint(&[range_of(&*reuse), range_of(&*next)]);
}

#[test]
fn shrunk_buffer_that_is_not_newest_keeps_its_bytes_and_neighbours() {
    let mem = Arena::with_capacity(4096);
    let layout = Layout::from_size_align(256, 8).unwrap();
    let a = filled(&mem, layout, 0xA1);
    let b = filled(&mem, Layout::new::<[u8; 32]>(), 0xB2);
    let small = Layout::from_size_align(16, 8).unwrap();
    // SAFETY: `a` was allocated by `&mem` with `layout`; 16 <= 256.
    let a = unsafe { (&mem).shrink(a, layout, small) }
        .unwrap()
        .cast::<u8>();
    let c = filled(&mem, Layout::new::<[u8; 64]>(), 0xC3);
    // SAFETY: each pointer is live with the size it was last given.
    unsafe {
        assert_filled(a, 16, 0xA1);
        assert_filled(b, 32, 0xB2);
        assert_filled(c, 64, 0xC3);
    }
    // Grow `a` back: it is not the newest, so it must move and keep its 16 bytes.
    // SAFETY: `a` is live with `small`; 512 >= 16.
    let a = unsafe { (&mem).grow(a, small, Layout::from_size_align(512, 8).unwrap()) }
        .unwrap()
        .cast::<u8>();
    // SAFETY: as above; `a` has 16 initialized bytes.
    unsafe {
        assert_filled(a, 16, 0xA1);
        assert_filled(b, 32, 0xB2);
        assert_filled(c, 64, 0xC3);
    }
    let addr = |p: NonNull<u8>| p.as_ptr() as usize;
    assert_disjoint(&[
        (addr(a), addr(a) + 512),
        (addr(b), addr(b) + 32),
        (addr(c), addr(c) + 64),
    ]);
}

// Under the `asan` feature memory given back stays poisoned instead of being reused.
#[cfg(not(feature = "asan"))]
#[test]
fn newest_shrunk_in_place_then_overwritten_neighbour_stays_intact() {
    let mem = Arena::with_capacity(4096);
    let big = Layout::from_size_align(200, 8).unwrap();
    let a = filled(&mem, big, 0x11);
    let small = Layout::from_size_align(13, 1).unwrap();
    // SAFETY: `a` was allocated by `&mem` with `big`; 13 <= 200 and align 1 <= 8.
    let a = unsafe { (&mem).shrink(a, big, small) }
        .unwrap()
        .cast::<u8>();
    // The 187 bytes given back are reused by the next allocation.
    let b = filled(&mem, Layout::from_size_align(40, 8).unwrap(), 0x22);
    // SAFETY: `a` is live with 13 bytes, `b` with 40.
    unsafe {
        assert_filled(a, 13, 0x11);
        assert_filled(b, 40, 0x22);
    }
    assert!(b.as_ptr() as usize >= a.as_ptr() as usize + 13);
    assert!(
        b.as_ptr() as usize <= a.as_ptr() as usize + 16,
        "freed tail reused"
    );
    // `a` (13 bytes, rounded to 16) is no longer the newest: growing it must copy.
    let grown = Layout::from_size_align(24, 1).unwrap();
    // SAFETY: `a` is live with `small`; 24 >= 13.
    let a2 = unsafe { (&mem).grow(a, small, grown) }
        .unwrap()
        .cast::<u8>();
    assert_ne!(a2, a);
    // SAFETY: `a2` holds 13 initialized bytes, `b` 40.
    unsafe {
        assert_filled(a2, 13, 0x11);
        assert_filled(b, 40, 0x22);
        (&mem).deallocate(a2, grown);
        (&mem).deallocate(b, Layout::from_size_align(40, 8).unwrap());
    }
}

#[test]
fn zero_size_layouts_with_no_block_at_block_end_and_in_the_middle() {
    let mem = Arena::new();
    let aligns = [1usize, 8, 16, 64, 4096];
    // No block at all yet: alignments up to 8 are served by the dangling cursor.
    for align in [1usize, 2, 4, 8] {
        let layout = Layout::from_size_align(0, align).unwrap();
        let p = (&mem).allocate(layout).unwrap();
        assert_eq!(p.len(), 0);
        assert_eq!(p.cast::<u8>().as_ptr() as usize % align, 0);
        // SAFETY: `p` was allocated with `layout`.
        unsafe { (&mem).deallocate(p.cast(), layout) };
    }
    assert_eq!(mem.stats().reserved_bytes, 0);
    assert_eq!(mem.stats().used_bytes, 0);
    // Fill the block exactly, so that the cursor sits at its end.
    let first = mem.alloc(1u64);
    let free_after_first = mem.stats().reserved_bytes - mem.stats().used_bytes;
    let rest = mem.alloc_slice_fill_with(free_after_first / 8, |i| i as u64);
    assert_eq!(mem.stats().chunks, 1);
    assert_eq!(
        mem.stats().used_bytes,
        mem.stats().reserved_bytes,
        "block full"
    );
    let mut zs = Vec::new();
    for &align in &aligns {
        let layout = Layout::from_size_align(0, align).unwrap();
        let p = (&mem).allocate(layout).unwrap().cast::<u8>();
        assert_eq!(p.as_ptr() as usize % align, 0);
        zs.push((p, layout));
    }
    // A zero-size allocation at the end of a full block, grown: it must get real room.
    let (z, zl) = zs[1];
    let grown = Layout::from_size_align(48, 8).unwrap();
    // SAFETY: `z` was allocated by `&mem` with `zl`; 48 >= 0.
    let g = unsafe { (&mem).grow(z, zl, grown) }.unwrap().cast::<u8>();
    // SAFETY: `g` is 48 writable bytes.
    unsafe { g.as_ptr().write_bytes(0x5A, 48) };
    let after = mem.alloc([0xC0FFEE_u64; 4]);
    // SAFETY: `g` is live with 48 initialized bytes.
    unsafe { assert_filled(g, 48, 0x5A) };
    assert_eq!(*first, 1);
    assert!(rest.iter().copied().eq(0..rest.len() as u64));
    assert_eq!(*after, [0xC0FFEE; 4]);
    let ga = g.as_ptr() as usize;
    assert_disjoint(&[
        range_of(&*first),
        range_of(&*rest),
        (ga, ga + 48),
        range_of(&*after),
    ]);
    for (p, layout) in zs {
        if p != z {
            // SAFETY: each was allocated by `&mem` with `layout` and is not used again.
            unsafe { (&mem).deallocate(p, layout) };
        }
    }
    assert_eq!(*after, [0xC0FFEE; 4]);
    assert_stats_consistent(&mem);
}

/// A zero-size value needs no memory whatever its alignment (bumpalo, which the arena used to
/// allocate through, hands out a dangling aligned pointer for it). Fails: the block path sends
/// an over-aligned zero-size layout that does not fit the (absent) block to the slow path,
/// which adds a chunk for it, or fails under a limit.
#[test]
fn zero_size_over_aligned_values_need_no_memory_even_under_a_zero_limit() {
    #[derive(Clone, Copy, Debug)]
    #[repr(align(64))]
    struct Aligned64(#[allow(dead_code)] u8);

    let mem = Arena::builder().limit(0).build();
    let plain: &mut [u64; 0] = mem.try_alloc([]).expect("align 8");
    assert_eq!(plain.as_ptr() as usize % 8, 0);
    let over = mem.try_alloc([Aligned64(0); 0]);
    assert!(over.is_ok(), "a zero-size value refused: {:?}", over.err());
    let free = Arena::new();
    let p = free.alloc([Aligned64(0); 0]).as_ptr();
    assert_eq!(p as usize % 64, 0);
    assert_eq!(free.stats().reserved_bytes, 0, "{:?}", free.stats());
    // Nor at the end of a full block: no new chunk, no bytes used.
    let full = Arena::with_capacity(256);
    let room = full.stats().reserved_bytes;
    full.alloc_slice_fill_with(room / 8, |i| i as u64);
    let stats = full.stats();
    full.alloc([Aligned64(0); 0]);
    assert_eq!(full.stats().chunks, stats.chunks, "{:?}", full.stats());
    assert_eq!(full.stats().used_bytes, stats.used_bytes);
}

#[test]
fn zero_size_allocation_before_a_real_one_cannot_grow_over_it() {
    let mem = Arena::with_capacity(4096);
    let zl = Layout::from_size_align(0, 8).unwrap();
    let z = (&mem).allocate(zl).unwrap().cast::<u8>();
    // The next allocation starts where the zero-size one is.
    let live = filled(&mem, Layout::from_size_align(32, 8).unwrap(), 0x77);
    let grown = Layout::from_size_align(64, 8).unwrap();
    // SAFETY: `z` was allocated by `&mem` with `zl`; 64 >= 0.
    let g = unsafe { (&mem).grow(z, zl, grown) }.unwrap().cast::<u8>();
    // SAFETY: `g` is 64 writable bytes.
    unsafe { g.as_ptr().write_bytes(0x88, 64) };
    // SAFETY: `live` is live with 32 bytes, `g` with 64.
    unsafe {
        assert_filled(live, 32, 0x77);
        assert_filled(g, 64, 0x88);
    }
    let (l, ga) = (live.as_ptr() as usize, g.as_ptr() as usize);
    assert_disjoint(&[(l, l + 32), (ga, ga + 64)]);
    // Giving the zero-size allocation back would be wrong now (it was grown); give back the
    // live block, which is not the newest: nothing moves.
    let used = mem.stats().used_bytes;
    // SAFETY: `live` was allocated with this layout and is not used again.
    unsafe { (&mem).deallocate(live, Layout::from_size_align(32, 8).unwrap()) };
    assert_eq!(mem.stats().used_bytes, used);
    // SAFETY: `g` is live with 64 bytes.
    unsafe { assert_filled(g, 64, 0x88) };
}

#[test]
fn zero_sized_values_and_vectors_take_no_bytes() {
    let mem = Arena::with_capacity(1024);
    let used = mem.stats().used_bytes;
    let units: Vec<&mut ()> = (0..100).map(|_| mem.alloc(())).collect();
    let empty: &mut [u64; 0] = mem.alloc([]);
    let mut v = mem.vec::<()>();
    for _ in 0..size(10_000, 100) {
        v.push(());
    }
    let mut api: ApiVec<(), &Arena> = ApiVec::new_in(&mem);
    api.extend(std::iter::repeat_n((), 1000));
    assert_eq!(units.len(), 100);
    assert_eq!(empty.len(), 0);
    assert_eq!(v.len(), size(10_000, 100));
    assert_eq!(api.len(), 1000);
    assert_eq!(mem.stats().used_bytes, used);
    let real = mem.alloc(0xFEED_u64);
    assert_eq!(*real, 0xFEED);
    assert_eq!(mem.stats().used_bytes, used + 8);
}

#[test]
fn over_aligned_layouts_in_the_block_and_in_new_chunks() {
    let mem = Arena::with_capacity(512);
    let mut live = Vec::new();
    let rounds = size(6, 2);
    for round in 0..rounds {
        for shift in 4..=12 {
            let align = 1usize << shift;
            let len = 8 * (round + 1) + shift;
            let layout = Layout::from_size_align(len, align).unwrap();
            let byte = (round * 16 + shift) as u8;
            let p = filled(&mem, layout, byte);
            // A small value right after, in the fast path.
            let small = mem.alloc(byte as u32);
            live.push((p, len, byte, small));
            assert_stats_consistent(&mem);
        }
    }
    assert!(mem.stats().chunks > 1, "{:?}", mem.stats());
    let mut ranges = Vec::new();
    for (p, len, byte, small) in &live {
        // SAFETY: `p` is live with `len` initialized bytes.
        unsafe { assert_filled(*p, *len, *byte) };
        assert_eq!(**small, *byte as u32);
        let a = p.as_ptr() as usize;
        ranges.push((a, a + len));
        ranges.push(range_of(&**small));
    }
    assert_disjoint(&ranges);
}

#[test]
fn over_aligned_vectors_grow_in_place_or_move_and_keep_contents() {
    #[derive(Clone, Copy, PartialEq, Debug)]
    #[repr(align(64))]
    struct Line(u64);

    let mem = Arena::with_capacity(1024);
    let mut v: ApiVec<Line, &Arena> = ApiVec::new_in(&mem);
    let mut w = mem.vec::<Line>();
    let n = size(300, 40) as u64;
    for i in 0..n {
        v.push(Line(i));
        if i % 5 == 0 {
            w.push(Line(!i));
        }
        assert_eq!(v.as_ptr() as usize % 64, 0);
        assert_eq!(w.as_ptr() as usize % 64, 0);
    }
    assert!(v.iter().copied().eq((0..n).map(Line)));
    assert!(w.iter().copied().eq((0..n).step_by(5).map(|i| Line(!i))));
    assert_disjoint(&[range_of(v.as_slice()), range_of(w.as_slice())]);
}

#[test]
fn grow_and_shrink_to_a_stricter_alignment_keep_contents() {
    let mem = Arena::with_capacity(8192);
    for align in [16usize, 64, 256, 4096] {
        // Put the cursor off the stricter alignment first.
        mem.alloc(0u64);
        let old = Layout::from_size_align(40, 8).unwrap();
        let p = filled(&mem, old, 0x3C);
        let new = Layout::from_size_align(80, align).unwrap();
        // SAFETY: `p` was allocated by `&mem` with `old`; 80 >= 40.
        let g = unsafe { (&mem).grow(p, old, new) }.unwrap().cast::<u8>();
        assert_eq!(g.as_ptr() as usize % align, 0);
        // SAFETY: `g` holds the 40 bytes of `p`.
        unsafe { assert_filled(g, 40, 0x3C) };
        let narrow = Layout::from_size_align(24, align * 2).unwrap();
        // SAFETY: `g` is live with `new`; 24 <= 80.
        let s = unsafe { (&mem).shrink(g, new, narrow) }
            .unwrap()
            .cast::<u8>();
        assert_eq!(s.as_ptr() as usize % (align * 2), 0);
        // SAFETY: `s` holds the first 24 bytes of `g`.
        unsafe { assert_filled(s, 24, 0x3C) };
        let marker = mem.alloc(align as u64);
        // SAFETY: as above.
        unsafe { assert_filled(s, 24, 0x3C) };
        assert_eq!(*marker, align as u64);
        let sa = s.as_ptr() as usize;
        assert_disjoint(&[(sa, sa + 24), range_of(&*marker)]);
        // SAFETY: `s` is live with `narrow` and not used again.
        unsafe { (&mem).deallocate(s, narrow) };
    }
    assert_stats_consistent(&mem);
}

#[test]
fn reset_of_a_one_chunk_arena_hands_out_fresh_values_only() {
    let mut mem = Arena::with_capacity(8192);
    let n = size(500, 40);
    for round in 0..size(20, 3) as u64 {
        let tag = round << 32;
        let mut values = Vec::new();
        let mut v: ApiVec<u64, &Arena> = ApiVec::new_in(&mem);
        for i in 0..n as u64 {
            values.push(&*mem.alloc(tag | i));
            if i % 10 == 0 {
                v.push(tag | 0xFFFF | i);
            }
        }
        let bytes = mem.alloc_slice_fill_with(37, |i| (i as u8) ^ (round as u8));
        for (i, value) in values.iter().enumerate() {
            assert_eq!(**value, tag | i as u64);
        }
        assert!(v
            .iter()
            .copied()
            .eq((0..n as u64).step_by(10).map(|i| tag | 0xFFFF | i)));
        assert!(bytes
            .iter()
            .enumerate()
            .all(|(i, &b)| b == (i as u8) ^ (round as u8)));
        let mut ranges: Vec<_> = values.iter().map(|v| range_of(*v)).collect();
        ranges.push(range_of(v.as_slice()));
        ranges.push(range_of(&*bytes));
        assert_disjoint(&ranges);
        assert_eq!(mem.stats().chunks, 1);
        assert_stats_consistent(&mem);
        drop(v);
        drop(values);
        mem.reset();
        assert_eq!(mem.stats().used_bytes, 0);
        assert_eq!(mem.stats().chunks, 1);
    }
}

#[test]
fn reset_of_a_many_chunk_arena_merges_and_reuses() {
    let mut mem = Arena::new();
    let n = size(3000, 150) as u64;
    for round in 0..size(5, 2) as u64 {
        let tag = round << 40;
        let mut vecs: Vec<ApiVec<u64, &Arena>> = (0..3).map(|_| ApiVec::new_in(&mem)).collect();
        let mut singles = Vec::new();
        for i in 0..n {
            vecs[(i % 3) as usize].push(tag | i);
            if i % 7 == 0 {
                singles.push(&*mem.alloc(tag | (i << 1) | 1));
            }
        }
        for (k, v) in vecs.iter().enumerate() {
            assert!(v
                .iter()
                .copied()
                .eq((0..n).filter(|i| i % 3 == k as u64).map(|i| tag | i)));
        }
        for (j, s) in singles.iter().enumerate() {
            assert_eq!(**s, tag | ((j as u64 * 7) << 1) | 1);
        }
        let mut ranges: Vec<_> = vecs.iter().map(|v| range_of(v.as_slice())).collect();
        ranges.extend(singles.iter().map(|s| range_of(*s)));
        assert_disjoint(&ranges);
        if round == 0 {
            assert!(mem.stats().chunks > 1, "{:?}", mem.stats());
        }
        assert_stats_consistent(&mem);
        drop(singles);
        drop(vecs);
        mem.reset();
        let stats = mem.stats();
        assert_eq!(stats.used_bytes, 0, "{stats:?}");
        assert_eq!(stats.chunks, 1, "{stats:?}");
    }
}

#[test]
fn droppable_values_drop_once_around_growth_and_reset() {
    let drops = Arc::new(AtomicUsize::new(0));
    let mut mem = Arena::with_capacity(1024);
    let per_round = size(50, 8);
    let rounds = size(4, 2);
    for round in 0..rounds {
        let mut v: ApiVec<u64, &Arena> = ApiVec::new_in(&mem);
        let mut ids = Vec::new();
        for i in 0..per_round {
            let c = mem.alloc_droppable(Counted {
                id: round * 1000 + i,
                drops: Arc::clone(&drops),
            });
            ids.push(&*c);
            // Grow the vector after the droppable value, past the first chunk.
            v.extend((0..64).map(|k| (i * 64 + k) as u64));
        }
        v.truncate(3);
        v.shrink_to_fit();
        for (i, c) in ids.iter().enumerate() {
            assert_eq!(c.id, round * 1000 + i);
        }
        assert!(v.iter().copied().eq(0..3));
        assert_eq!(mem.stats().drops_pending, per_round);
        drop(v);
        drop(ids);
        mem.reset();
        assert_eq!(drops.load(Ordering::SeqCst), (round + 1) * per_round);
        assert_eq!(mem.stats().used_bytes, 0);
        assert_eq!(mem.stats().drops_pending, 0);
    }
    mem.alloc_droppable(Counted {
        id: 0,
        drops: Arc::clone(&drops),
    });
    drop(mem);
    assert_eq!(drops.load(Ordering::SeqCst), rounds * per_round + 1);
}

#[test]
fn droppable_values_in_scopes_with_growth_into_a_new_chunk_drop_exactly_once() {
    std::thread::spawn(|| {
        let drops = Arc::new(AtomicUsize::new(0));
        let rounds = size(8, 3);
        let per_scope = size(20, 4);
        for round in 0..rounds {
            let d = Arc::clone(&drops);
            let sum = scope(|mem| {
                let mut ids = Vec::new();
                for i in 0..per_scope {
                    ids.push(&*mem.alloc_droppable(Counted {
                        id: i,
                        drops: Arc::clone(&d),
                    }));
                }
                // A big newest vector, into a new chunk, then freed; then another shrunk.
                let mut big: ApiVec<u64, &Arena> = ApiVec::new_in(mem);
                big.extend(0..size(20_000, 500) as u64);
                let total: u64 = big.iter().sum();
                drop(big);
                let mut shrunk: ApiVec<u64, &Arena> = ApiVec::with_capacity_in(1000, mem);
                shrunk.extend([1, 2, 3]);
                shrunk.shrink_to_fit();
                let late = mem.alloc_droppable(Counted {
                    id: 999,
                    drops: Arc::clone(&d),
                });
                assert_eq!(late.id, 999);
                assert!(shrunk.iter().copied().eq([1, 2, 3]));
                assert!(ids.iter().enumerate().all(|(i, c)| c.id == i));
                assert_eq!(d.load(Ordering::SeqCst), round * (per_scope + 1));
                total
            });
            let n = size(20_000, 500) as u64;
            assert_eq!(sum, n * (n - 1) / 2);
            assert_eq!(drops.load(Ordering::SeqCst), (round + 1) * (per_scope + 1));
        }
    })
    .join()
    .unwrap();
}

// Under the `asan` feature memory given back stays poisoned instead of being reused.
#[cfg(not(feature = "asan"))]
#[test]
fn steady_scopes_rewind_and_never_show_old_values() {
    std::thread::spawn(|| {
        let n = size(200, 20);
        for round in 0..size(50, 6) as u64 {
            let tag = round << 48;
            let mut addrs = Vec::new();
            scope(|mem| {
                let mut singles = Vec::new();
                let mut v = mem.vec::<u64>();
                for i in 0..n as u64 {
                    singles.push(&*mem.alloc(tag | i));
                    v.push(!(tag | i));
                }
                let zeroed = mem.alloc_slice_fill_default::<u64>(16);
                assert!(zeroed.iter().all(|&z| z == 0));
                zeroed.fill(tag);
                for (i, s) in singles.iter().enumerate() {
                    assert_eq!(**s, tag | i as u64);
                }
                assert!(v.iter().copied().eq((0..n as u64).map(|i| !(tag | i))));
                let mut ranges: Vec<_> = singles.iter().map(|s| range_of(*s)).collect();
                ranges.push(range_of(v.as_slice()));
                ranges.push(range_of(&*zeroed));
                assert_disjoint(&ranges);
                addrs.push(singles[0] as *const u64 as usize);
                let stats = mem.stats();
                assert!(stats.used_bytes <= stats.reserved_bytes, "{stats:?}");
            });
            // An empty scope and a scope that only gives back what it took.
            scope(|mem| assert_eq!(mem.stats().used_bytes, 0));
            scope(|mem| {
                assert_eq!(mem.stats().used_bytes, 0);
                let b = ApiBox::new_in([round; 8], mem);
                assert_eq!(*b, [round; 8]);
                drop(b);
                assert_eq!(mem.stats().used_bytes, 0);
            });
        }
    })
    .join()
    .unwrap();
}

#[test]
fn a_steady_scope_sees_zeroed_memory_from_allocate_zeroed() {
    std::thread::spawn(|| {
        for round in 0..size(10, 3) {
            scope(|mem| {
                let layout = Layout::from_size_align(512, 16).unwrap();
                let z = (&mem).allocate_zeroed(layout).unwrap().cast::<u8>();
                // SAFETY: `z` is 512 zeroed bytes.
                unsafe { assert_filled(z, 512, 0) };
                // SAFETY: as above; dirty it for the next round.
                unsafe { z.as_ptr().write_bytes(0xFF, 512) };
                let bigger = Layout::from_size_align(2048, 16).unwrap();
                // SAFETY: `z` was allocated by `&mem` with `layout`; 2048 >= 512.
                let g = unsafe { (&mem).grow_zeroed(z, layout, bigger) }
                    .unwrap()
                    .cast::<u8>();
                // SAFETY: `g` holds 512 copied bytes and 1536 zeroed ones.
                unsafe {
                    assert_filled(g, 512, 0xFF);
                    assert_filled(NonNull::new(g.as_ptr().add(512)).unwrap(), 1536, 0);
                    g.as_ptr().write_bytes(0xEE, 2048);
                }
                round
            });
        }
    })
    .join()
    .unwrap();
}

#[test]
fn limit_hit_while_growing_keeps_the_buffer_and_the_arena_usable() {
    let limit = 16 << 10;
    let mut mem = Arena::builder().limit(limit).build();
    for round in 0..size(3, 2) as u32 {
        let mut v = mem.vec::<u32>();
        let mut api: ApiVec<u32, &Arena> = ApiVec::new_in(&mem);
        let mut i = 0u32;
        // Grow until the limit refuses.
        let err = loop {
            if let Err(err) = v.try_push(i ^ round) {
                break err;
            }
            if api.try_reserve(1).is_err() {
                break mem.try_alloc([0u8; 64 << 10]).unwrap_err();
            }
            api.push(!i);
            i += 1;
        };
        assert!(err.to_string().contains("limit"), "{err}");
        assert!(mem.stats().reserved_bytes <= limit, "{:?}", mem.stats());
        assert!(v.iter().copied().eq((0..v.len() as u32).map(|k| k ^ round)));
        assert!(api.iter().copied().eq((0..api.len() as u32).map(|k| !k)));
        // Still usable: small values from what is left, or a refusal, never a broken arena.
        if let Ok(x) = mem.try_alloc(0xAB_u8) {
            assert_eq!(*x, 0xAB);
            assert_disjoint(&[
                range_of(&*x),
                range_of(v.as_slice()),
                range_of(api.as_slice()),
            ]);
        }
        assert!(mem.try_alloc([0u8; 32 << 10]).is_err());
        assert!(v.iter().copied().eq((0..v.len() as u32).map(|k| k ^ round)));
        assert_stats_consistent(&mem);
        drop(api);
        mem.reset();
        assert_eq!(mem.stats().used_bytes, 0);
        assert!(mem.stats().reserved_bytes <= limit);
        let after = mem.alloc_slice_fill_with(100, |k| k as u16);
        assert!(after.iter().copied().eq(0..100));
    }
}

#[test]
fn a_limit_refusal_in_the_slow_path_leaves_the_block_in_use() {
    let mem = Arena::builder().capacity(2048).limit(4096).build();
    let before = mem.stats();
    let a = mem.alloc(0x1234_u64);
    assert!(mem.try_alloc_layout(Layout::new::<[u8; 8192]>()).is_err());
    // Over-aligned and larger than the whole block, so it cannot fit wherever the block lies
    // (a small over-aligned layout may well fit it: Miri places chunks at random addresses).
    assert!(mem
        .try_alloc_layout(Layout::from_size_align(4096, 8192).unwrap())
        .is_err());
    let b = mem.alloc(0x5678_u64);
    assert_eq!(
        b as *const u64 as usize,
        a as *const u64 as usize + 8,
        "same block"
    );
    assert_eq!(*a, 0x1234);
    assert_eq!(mem.stats().chunks, before.chunks);
    assert_eq!(mem.stats().used_bytes, 16);
}

#[test]
fn with_capacity_serves_its_capacity_from_one_chunk() {
    let cap = size(64 << 10, 4 << 10);
    let mem = Arena::with_capacity(cap);
    let stats = mem.stats();
    assert!(stats.reserved_bytes >= cap);
    assert_eq!(stats.chunks, 1);
    assert_eq!(stats.used_bytes, 0);
    let mut v = mem.vec::<u8>();
    let mut singles = Vec::new();
    let mut taken = 0;
    while taken + 64 <= cap {
        singles.push(&*mem.alloc((taken / 8) as u64));
        v.push((taken % 251) as u8);
        taken += 64;
    }
    assert_eq!(mem.stats().chunks, 1, "{:?}", mem.stats());
    for (i, s) in singles.iter().enumerate() {
        assert_eq!(**s, (i * 8) as u64);
    }
    assert!(v
        .iter()
        .enumerate()
        .all(|(i, &b)| b == ((i * 64) % 251) as u8));
    assert_stats_consistent(&mem);
    let zero = Arena::with_capacity(0);
    assert_eq!(zero.stats().reserved_bytes, 0);
    assert_eq!(*zero.alloc(5u8), 5);
}

#[test]
fn used_bytes_tracks_every_step_and_is_zero_after_reset() {
    let mut mem = Arena::new();
    let steps = size(400, 60);
    for round in 0..2 {
        let mut v: ApiVec<u64, &Arena> = ApiVec::new_in(&mem);
        let mut boxes = Vec::new();
        let mut last = mem.stats().used_bytes;
        for i in 0..steps {
            match i % 5 {
                0 => {
                    mem.alloc_slice_copy(&[i as u8; 13]);
                }
                1 => v.extend((0..i as u64).take(40)),
                2 => boxes.push((i as u64, ApiBox::new_in([i as u64; 3], &mem))),
                3 => {
                    boxes.pop();
                }
                _ => {
                    mem.alloc_layout(Layout::from_size_align(24, 32 << (i % 5)).unwrap());
                }
            }
            let stats = mem.stats();
            assert!(stats.used_bytes <= stats.reserved_bytes, "{stats:?}");
            if i % 5 != 3 {
                assert!(stats.used_bytes >= last, "used shrank on an allocation");
            }
            last = stats.used_bytes;
        }
        for (i, b) in &boxes {
            assert_eq!(**b, [*i; 3]);
        }
        drop(boxes);
        drop(v);
        mem.reset();
        let stats = mem.stats();
        assert_eq!(stats.used_bytes, 0, "round {round}: {stats:?}");
        assert_eq!(stats.chunks, 1);
    }
}

#[test]
fn free_and_new_arena_after_growth_start_empty() {
    let mem = Arena::with_capacity(256);
    let mut v = mem.vec::<u64>();
    v.extend(0..size(5000, 200) as u64);
    assert!(v.iter().copied().eq(0..size(5000, 200) as u64));
    mem.free();
    let fresh = Arena::new();
    assert_eq!(fresh.stats().reserved_bytes, 0);
    assert_eq!(fresh.stats().used_bytes, 0);
    let x = fresh.alloc(0xDEAD_u64);
    assert_eq!(*x, 0xDEAD);
    assert_eq!(fresh.stats().used_bytes, 8);
}

/// One step of [`random_allocator_calls_keep_every_live_block_intact`].
#[derive(Clone, Debug)]
enum Op {
    Allocate {
        size: usize,
        align_shift: u32,
    },
    Grow {
        which: usize,
        extra: usize,
        align_shift: u32,
    },
    Shrink {
        which: usize,
        keep: usize,
        align_shift: u32,
    },
    Deallocate {
        which: usize,
    },
    Value(u64),
    Reset,
}

fn op() -> impl proptest::strategy::Strategy<Value = Op> {
    use proptest::prelude::*;
    prop_oneof![
        4 => (0usize..300, 0u32..8).prop_map(|(size, align_shift)| Op::Allocate { size, align_shift }),
        4 => (any::<usize>(), 0usize..600, 0u32..8)
            .prop_map(|(which, extra, align_shift)| Op::Grow { which, extra, align_shift }),
        2 => (any::<usize>(), any::<usize>(), 0u32..8)
            .prop_map(|(which, keep, align_shift)| Op::Shrink { which, keep, align_shift }),
        3 => any::<usize>().prop_map(|which| Op::Deallocate { which }),
        2 => any::<u64>().prop_map(Op::Value),
        1 => Just(Op::Reset),
    ]
}

proptest::proptest! {
    #![proptest_config(common::proptest_config("BLOCK_EDGE_CASES", 256, 4))]

    /// Random `allocate`/`grow`/`shrink`/`deallocate` calls (newest or not, to stricter
    /// alignments, with zero sizes), typed values and resets, on a small arena: after every
    /// step each live block still holds its own marker byte, every value reads back, and no two
    /// live allocations overlap.
    #[test]
    fn random_allocator_calls_keep_every_live_block_intact(
        ops in proptest::collection::vec(op(), 1..if cfg!(miri) { 40 } else { 200 })
    ) {
        let mut mem = Arena::with_capacity(256);
        let mut marker = 0u8;
        let mut next_marker = || {
            marker = marker.wrapping_add(1).max(1);
            marker
        };
        // Live blocks: pointer, layout, marker. Values: address and what was written.
        let mut blocks: Vec<(NonNull<u8>, Layout, u8)> = Vec::new();
        let mut values: Vec<(*const u64, u64)> = Vec::new();
        for op in ops {
            match op {
                Op::Allocate { size, align_shift } => {
                    let layout = Layout::from_size_align(size, 1 << align_shift).unwrap();
                    let byte = next_marker();
                    blocks.push((filled(&mem, layout, byte), layout, byte));
                }
                Op::Grow { which, extra, align_shift } if !blocks.is_empty() => {
                    let i = which % blocks.len();
                    let (ptr, old, byte) = blocks[i];
                    let new = Layout::from_size_align(old.size() + extra, 1 << align_shift).unwrap();
                    // SAFETY: `ptr` is live, allocated by `&mem` with `old`; `new` is larger.
                    let grown = unsafe { (&mem).grow(ptr, old, new) }.unwrap().cast::<u8>();
                    assert_eq!(grown.as_ptr() as usize % new.align(), 0);
                    // SAFETY: the first `old.size()` bytes were copied; the rest are writable.
                    unsafe {
                        assert_filled(grown, old.size(), byte);
                        grown.as_ptr().add(old.size()).write_bytes(byte, extra);
                    }
                    blocks[i] = (grown, new, byte);
                }
                Op::Shrink { which, keep, align_shift } if !blocks.is_empty() => {
                    let i = which % blocks.len();
                    let (ptr, old, byte) = blocks[i];
                    let new = Layout::from_size_align(keep % (old.size() + 1), 1 << align_shift)
                        .unwrap();
                    // SAFETY: `ptr` is live with `old`; `new` is no larger.
                    let shrunk = unsafe { (&mem).shrink(ptr, old, new) }.unwrap().cast::<u8>();
                    assert_eq!(shrunk.as_ptr() as usize % new.align(), 0);
                    // SAFETY: the first `new.size()` bytes are kept.
                    unsafe { assert_filled(shrunk, new.size(), byte) };
                    blocks[i] = (shrunk, new, byte);
                }
                Op::Deallocate { which } if !blocks.is_empty() => {
                    let (ptr, layout, _) = blocks.swap_remove(which % blocks.len());
                    // SAFETY: `ptr` is live with `layout` and is dropped from the model.
                    unsafe { (&mem).deallocate(ptr, layout) };
                }
                Op::Value(v) => values.push((mem.alloc(v) as *const u64, v)),
                Op::Reset => {
                    blocks.clear();
                    values.clear();
                    mem.reset();
                    proptest::prop_assert_eq!(mem.stats().used_bytes, 0);
                }
                _ => {}
            }
            let mut ranges = Vec::new();
            for &(ptr, layout, byte) in &blocks {
                // SAFETY: every block of the model is live with its layout, fully written.
                unsafe { assert_filled(ptr, layout.size(), byte) };
                let a = ptr.as_ptr() as usize;
                ranges.push((a, a + layout.size()));
            }
            for &(at, v) in &values {
                // SAFETY: `at` came from `mem.alloc` since the last reset and is not written
                // through any other pointer.
                proptest::prop_assert_eq!(unsafe { *at }, v);
                ranges.push((at as usize, at as usize + 8));
            }
            assert_disjoint(&ranges);
            assert_stats_consistent(&mem);
        }
    }
}
