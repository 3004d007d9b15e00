//! Compile errors of `arena_scope!`, one case per mistake.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/arena_scope/pass_*.rs");
    cases.compile_fail("tests/ui/arena_scope/[!p]*.rs");
}
