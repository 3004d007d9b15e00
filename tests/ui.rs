//! Every compile-time check of the facade, checked against the compiler's exact messages: cases
//! that must build are in `tests/ui/pass/`, cases that must fail are in `tests/ui/compile_fail/`
//! with the expected message in a `.stderr` file beside each. Both are grouped by what they show:
//!
//! - `arena_alloc/`: one mistake per case for `#[arena_alloc]`, and a pass case for each option;
//! - `arena_scope/`: one mistake per case for `arena_scope!`, and its options;
//! - `gallery/`: each misuse that Go's `arena` package can only catch at run time (with
//!   `go run -asan`, when the faulty path happens to run) is a compile error here;
//!   `pass/gallery/fixed.rs` holds the version of each that compiles.
//!
//! The pass cases are not only documentation: with any of them, trybuild builds every case fully
//! instead of only checking it, and `string_in_arena_value` fails only then (its error, E0080,
//! comes from a constant evaluated after monomorphization, which `cargo check` never reaches).
//!
//! The cases of `#[arena_alloc(deserialize)]` need the `serde` feature, so they are in
//! `tests/ui/serde/{pass,compile_fail}/` and run with it (`cargo test --features serde --test
//! ui`); `tests/ui/no_serde/` holds the error given without it.
//!
//! Set `TRYBUILD=overwrite` to rewrite the `.stderr` files after a deliberate change of a message.

#[test]
#[cfg_attr(miri, ignore = "trybuild runs the compiler")]
#[cfg_attr(
    feature = "asan",
    ignore = "the cases check compile errors, not memory: no need to build them with the sanitizer"
)]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/pass/**/*.rs");
    cases.compile_fail("tests/ui/compile_fail/**/*.rs");
}

#[test]
#[cfg(feature = "serde")]
#[cfg_attr(miri, ignore = "trybuild runs the compiler")]
#[cfg_attr(
    feature = "asan",
    ignore = "the cases check compile errors, not memory: no need to build them with the sanitizer"
)]
fn ui_deserialize() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/serde/pass/*.rs");
    cases.compile_fail("tests/ui/serde/compile_fail/*.rs");
}

#[test]
#[cfg(not(feature = "serde"))]
#[cfg_attr(miri, ignore = "trybuild runs the compiler")]
#[cfg_attr(
    feature = "asan",
    ignore = "the cases check compile errors, not memory: no need to build them with the sanitizer"
)]
fn ui_without_serde() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/no_serde/compile_fail/*.rs");
}
