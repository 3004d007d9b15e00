//! `arena_scope!(count_allocations = ..)`: counting a scope's allocations without tracing.

use arena::arena_scope;

/// `count_allocations = true` counts a scope's allocations without tracing; the next plain
/// scope on the same pooled arena is back to not counting.
#[test]
fn a_scope_counts_its_allocations_on_request() {
    let counted = arena_scope!(count_allocations = true, |mem| {
        mem.alloc(1u64);
        mem.alloc_slice_copy(&[1u8, 2, 3]);
        mem.stats().allocations
    });
    assert_eq!(counted, Some(2));
    assert_eq!(arena_scope!(|mem| mem.stats().allocations), None);
    let off = arena_scope!(count_allocations = false, |mem| {
        mem.alloc(1u64);
        mem.stats().allocations
    });
    assert_eq!(off, None);
}
