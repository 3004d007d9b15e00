//! DESIGN.md rule 2, proven by the compiler: `alloc`, the slice methods and the containers refuse
//! a type that needs `Drop`, with a message that says what to use instead.
//!
//! The check is a constant evaluated when the generic method is instantiated, which `cargo check`
//! does not do. The pass case below makes trybuild build every case fully, so the `.stderr`
//! files hold the real errors.

#[test]
#[cfg_attr(miri, ignore = "trybuild runs the compiler")]
fn ui_values_that_need_drop_are_rejected_at_compile_time() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/drop_rules/pass_droppable_and_plain.rs");
    cases.compile_fail("tests/ui/drop_rules/alloc_string.rs");
    cases.compile_fail("tests/ui/drop_rules/vec_of_vec.rs");
    cases.compile_fail("tests/ui/drop_rules/hash_map_of_box.rs");
    cases.compile_fail("tests/ui/drop_rules/slice_fill_string.rs");
}
