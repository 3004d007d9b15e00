//! The compile-fail gallery: each misuse that Go's `arena` package can only catch at run time
//! (with `go run -asan`, when the faulty path happens to run) is a compile error here. One case
//! per mistake in `tests/ui/gallery/`, with the exact compiler message beside it, and
//! `pass_fixed.rs` with the version of each that compiles.
//!
//! The pass case is not only documentation: with it, trybuild builds the cases fully instead of
//! only checking them, and `string_in_arena_value` fails only then (its error, E0080, comes from
//! a constant evaluated after monomorphization, which `cargo check` never reaches).

#[test]
fn compile_fail_gallery() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/gallery/pass_fixed.rs");
    cases.compile_fail("tests/ui/gallery/[!p]*.rs");
}
