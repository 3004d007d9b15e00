//! Tuple structs, unit-like payloads, arrays, tuples and plain data.

#![allow(missing_docs)] // test types, named for what they exercise; the tests are their documentation

use arena::{arena_alloc, Arena, CloneIn, CloneOut};
use core::marker::PhantomData;

#[arena_alloc]
pub struct Span<'a>(
    pub &'a str,
    pub u32,
    pub (u8, &'a str),
    pub [&'a str; 2],
    PhantomData<&'a ()>,
);

#[test]
fn tuple_struct_clones_out_and_in() {
    let mem = Arena::new();
    let span = Span(
        mem.alloc_str("main.rs"),
        7,
        (1, mem.alloc_str("x")),
        ["a", mem.alloc_str("b")],
        PhantomData,
    );
    let owned: SpanOwned = span.clone_out();
    assert_eq!(owned.0, "main.rs");
    assert_eq!(owned.1, 7);
    assert_eq!(owned.2, (1, String::from("x")));
    assert_eq!(owned.3, [String::from("a"), String::from("b")]);
    let _: PhantomData<()> = owned.4;

    let other = Arena::new();
    let copy: Span<'_> = span.clone_in(&other);
    assert_eq!(
        (copy.0, copy.1, copy.2, copy.3),
        ("main.rs", 7, (1, "x"), ["a", "b"])
    );
    let back: Span<'_> = owned.clone_in(&other);
    assert_eq!(back.3, ["a", "b"]);
}

#[arena_alloc]
#[derive(Debug)]
pub struct Samples<'a> {
    pub values: &'a [f64],
    pub counts: &'a mut [u32],
    pub label: Option<&'a str>,
    pub result: Result<&'a str, u16>,
    pub fixed: &'static str,
}

#[test]
fn plain_data_slices_copy_and_static_references_stay() {
    let mem = Arena::new();
    let samples = Samples {
        values: mem.alloc_slice_copy(&[1.5, 2.5]),
        counts: mem.alloc_slice_copy(&[3, 4]),
        label: Some(mem.alloc_str("speed")),
        result: Err(404),
        fixed: "static",
    };
    let owned = samples.clone_out();
    assert_eq!(owned.values, vec![1.5, 2.5]);
    assert_eq!(owned.counts, vec![3, 4]);
    assert_eq!(owned.label.as_deref(), Some("speed"));
    assert_eq!(owned.result, Err(404));
    let fixed: &'static str = owned.fixed;
    assert_eq!(fixed, "static");

    let other = Arena::new();
    let back = owned.clone_in(&other);
    back.counts[0] = 30;
    assert_eq!(back.counts, [30, 4]);
    assert_eq!(samples.counts, [3, 4]);
    let again = samples.clone_in(&other);
    assert_eq!(again.values, [1.5, 2.5]);
    assert_eq!(again.result, Err(404));
}
