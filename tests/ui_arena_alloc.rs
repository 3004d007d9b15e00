//! Compile errors of `#[arena_alloc]`, one case per mistake, and pass cases for each option.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/arena_alloc/pass_*.rs");
    cases.compile_fail("tests/ui/arena_alloc/[!p]*.rs");
}
