//! The drop rule, proven by the compiler: `alloc`, the slice methods and the containers refuse a
//! type that needs `Drop` (the arena never runs destructors of values it hands out that way), with
//! a message that says what to use instead. Cases that must build are in `tests/ui/pass/`, cases
//! that must fail are in `tests/ui/compile_fail/` with the expected message beside each.
//!
//! The check is a constant evaluated when the generic method is instantiated, which `cargo check`
//! does not do. The pass case makes trybuild build every case fully, so the `.stderr` files hold
//! the real errors.
//!
//! The snapshots are those of `cargo test --workspace` (the command CI and the README run). There
//! the benchmark member turns on arena-core's `serde` feature, and with serde in the build rustc
//! prints some standard types by their full path (`std::string::String`); `cargo test -p
//! arena-core` alone, without serde, prints `String` and differs in those lines only.

#[test]
#[cfg_attr(miri, ignore = "trybuild runs the compiler")]
#[cfg_attr(
    feature = "asan",
    ignore = "the cases check compile errors, not memory: no need to build them with the sanitizer"
)]
fn ui_values_that_need_drop_are_rejected_at_compile_time() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/pass/*.rs");
    cases.compile_fail("tests/ui/compile_fail/*.rs");
}
