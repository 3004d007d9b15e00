//! Every allocating method of `Arena`, its `try_` twin, zero-sized types, large alignments and
//! sizes that overflow.

use arena_core::{AllocErrorKind, Arena};
use std::alloc::Layout;

#[derive(Debug, Default, PartialEq, Clone, Copy)]
struct Point {
    x: i32,
    y: i32,
}

#[test]
fn alloc_returns_a_writable_value_that_keeps_its_content() {
    let mem = Arena::new();
    let values: Vec<&mut Point> = (0..1000)
        .map(|i| mem.alloc(Point { x: i, y: -i }))
        .collect();
    for (i, p) in values.into_iter().enumerate() {
        assert_eq!(
            *p,
            Point {
                x: i as i32,
                y: -(i as i32)
            }
        );
        p.x += 1;
        assert_eq!(p.x, i as i32 + 1);
    }
}

#[test]
fn alloc_default_and_alloc_with_build_values() {
    let mem = Arena::new();
    assert_eq!(*mem.alloc_default::<Point>(), Point::default());
    let big = mem.alloc_with(|| [7u64; 1000]);
    assert!(big.iter().all(|&v| v == 7));
    assert_eq!(*mem.try_alloc_default::<u16>().unwrap(), 0);
    assert_eq!(*mem.try_alloc_with(|| 'x').unwrap(), 'x');
    assert_eq!(*mem.try_alloc(3u8).unwrap(), 3);
}

#[test]
fn strings_and_slices_are_copied() {
    let mem = Arena::new();
    let mut source = String::from("hello");
    let copy = mem.alloc_str(&source);
    source.push('!');
    assert_eq!(copy, "hello");
    assert_eq!(mem.try_alloc_str("").unwrap(), "");

    let xs = mem.alloc_slice_copy(&[1u32, 2, 3]);
    xs[1] = 20;
    assert_eq!(xs, [1, 20, 3]);
    assert_eq!(mem.try_alloc_slice_copy::<u8>(&[]).unwrap(), &[] as &[u8]);

    let words = mem.alloc_slice_clone(&["a", "b"]);
    assert_eq!(words, ["a", "b"]);
    assert_eq!(
        mem.try_alloc_slice_clone(&[Point::default()])
            .unwrap()
            .len(),
        1
    );

    assert_eq!(
        mem.alloc_slice_fill_with(5, |i| i * 10),
        [0, 10, 20, 30, 40]
    );
    assert_eq!(
        mem.try_alloc_slice_fill_with(2, |i| i as u8).unwrap(),
        [0, 1]
    );
    assert_eq!(
        mem.alloc_slice_fill_default::<Point>(2),
        [Point::default(); 2]
    );
    assert_eq!(
        mem.try_alloc_slice_fill_default::<u8>(3).unwrap(),
        [0, 0, 0]
    );
    assert_eq!(mem.alloc_slice_fill_iter([3, 2, 1]), [3, 2, 1]);
    assert_eq!(mem.try_alloc_slice_fill_iter(0..3).unwrap(), [0, 1, 2]);
}

#[test]
fn alloc_fmt_formats_into_the_arena() {
    let mem = Arena::new();
    let id = mem.alloc_fmt(format_args!("id-{}-{:>4}", 7, "x"));
    assert_eq!(id, "id-7-   x");
    assert_eq!(mem.alloc_fmt(format_args!("literal")), "literal");
    let long = mem
        .try_alloc_fmt(format_args!("{}", "y".repeat(3000)))
        .unwrap();
    assert_eq!(long.len(), 3000);
}

#[test]
fn make_slice_is_go_makeslice() {
    let mem = Arena::new();
    let mut names = mem.make_slice::<&str>(100, 100);
    assert_eq!(names.len(), 100);
    assert_eq!(names.capacity(), 100);
    assert!(names.iter().all(|n| n.is_empty()));
    names[5] = "five";
    let before = names.as_ptr();
    names.truncate(10);
    names.push("eleventh");
    assert_eq!(
        names.as_ptr(),
        before,
        "pushing within capacity must not move the buffer"
    );
    assert!(mem.try_make_slice::<u8>(0, 0).unwrap().is_empty());
}

#[test]
#[should_panic(expected = "make_slice: len (5) is larger than cap (4)")]
fn make_slice_rejects_len_above_cap() {
    Arena::new().make_slice::<u8>(5, 4);
}

#[test]
fn zero_sized_types_work() {
    #[derive(Debug, PartialEq)]
    struct Unit;
    let mem = Arena::new();
    for _ in 0..1000 {
        assert_eq!(*mem.alloc(Unit), Unit);
        mem.alloc(());
    }
    let n = if cfg!(miri) { 1000 } else { 1_000_000 };
    assert_eq!(mem.alloc_slice_fill_with(n, |_| ()).len(), n);
    assert_eq!(mem.stats().used_bytes, 0, "zero-sized values take no space");
    let mut units = mem.vec();
    for _ in 0..100 {
        units.push(());
    }
    assert_eq!(units.len(), 100);
}

#[test]
fn alignments_up_to_a_page_are_honoured() {
    #[repr(align(4096))]
    struct Page([u8; 4096]);
    #[repr(align(64))]
    #[derive(Clone, Copy)]
    struct Line(u8);

    let mem = Arena::new();
    for i in 0..8u8 {
        mem.alloc(i); // misalign the bump pointer
        let page = mem.alloc(Page([i; 4096]));
        assert_eq!(page as *const Page as usize % 4096, 0);
        assert!(page.0.iter().all(|&b| b == i));
        let line = mem.alloc(Line(i));
        assert_eq!(line as *const Line as usize % 64, 0);
        assert_eq!(line.0, i);
        let lines = mem.alloc_slice_copy(&[Line(i); 3]);
        assert_eq!(lines.as_ptr() as usize % 64, 0);
    }
    for align in [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096] {
        let p = mem.alloc_layout(Layout::from_size_align(3, align).unwrap());
        assert_eq!(p.as_ptr() as usize % align, 0, "align {align}");
    }
}

#[test]
fn sizes_that_overflow_are_errors_not_ub() {
    let mem = Arena::new();
    let err = mem
        .try_alloc_slice_fill_with(usize::MAX / 4, |_| 0u64)
        .unwrap_err();
    assert_eq!(err.kind(), &AllocErrorKind::CapacityOverflow);
    assert!(err.to_string().contains("overflows usize"), "{err}");
    assert!(mem.try_alloc_slice_fill_default::<u32>(usize::MAX).is_err());
    assert!(mem.try_vec_with_capacity::<u64>(usize::MAX).is_err());
    assert!(mem.try_string_with_capacity(usize::MAX).is_err());
    assert!(mem
        .try_hash_map_with_capacity::<u64, u64>(usize::MAX)
        .is_err());
    assert!(mem.try_make_slice::<u16>(0, usize::MAX).is_err());
    assert!(mem
        .try_alloc_layout(Layout::from_size_align(isize::MAX as usize - 8, 8).unwrap())
        .is_err());
    // Still usable.
    assert_eq!(*mem.alloc(5u8), 5);
}

#[test]
#[should_panic(expected = "overflows usize")]
fn overflowing_size_panics_with_a_clear_message() {
    Arena::new().alloc_slice_fill_default::<u64>(usize::MAX / 2);
}

#[test]
fn large_allocations_get_their_own_chunk() {
    let mem = Arena::new();
    mem.alloc(1u8);
    let size = if cfg!(miri) { 64 << 10 } else { 10 << 20 };
    let big = mem.alloc_slice_fill_default::<u8>(size);
    assert_eq!(big.len(), size);
    big[size - 1] = 1;
    assert!(mem.stats().reserved_bytes >= size);
    assert_eq!(*mem.alloc(2u8), 2);
}
