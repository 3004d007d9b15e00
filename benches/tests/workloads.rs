//! The benchmark workloads (`benches/common`) at test sizes: every peer of a workload, and its
//! allocator-free floors, must return the same checksum, or a faster peer could be faster by
//! doing less. The benches assert the same at full size, but CI only compiles them.

#[path = "../common/mod.rs"]
mod common;

use common::*;

#[test]
fn every_binary_trees_peer_builds_and_checks_the_same_trees() {
    for depth in [6, 8] {
        let expected = bt_arena_reset(depth);
        let mut floor = BtFloor::new(depth);
        let peers: [(&str, u64); 7] = [
            ("arena", bt_arena_scope(depth)),
            ("system", bt_system(depth)),
            ("bumpalo", bt_bumpalo(depth)),
            ("bump_scope", bt_bump_scope(depth)),
            ("typed_arena", bt_typed_arena(depth)),
            ("floor", floor.run(depth)),
            ("floor, second run", floor.run(depth)),
        ];
        for (peer, checksum) in peers {
            assert_eq!(checksum, expected, "{peer} at depth {depth}");
        }
    }
    // The checksum counts the nodes checked, so it is not trivially equal across depths.
    assert_ne!(bt_arena_reset(6), bt_arena_reset(8));
}

#[test]
fn every_request_loop_peer_does_the_same_requests() {
    let requests = 300;
    let expected = req_arena_reset(requests);
    let peers: [(&str, u64); 8] = [
        ("arena", req_arena_scope(requests)),
        ("system", req_system(requests)),
        ("bumpalo", req_bumpalo(requests)),
        ("bump_scope", req_bump_scope(requests)),
        ("typed_arena", req_typed_arena(requests)),
        ("floor", req_floor(requests)),
        ("floor_push", req_floor_push(requests)),
        ("arena, again", req_arena_scope(requests)),
    ];
    for (peer, checksum) in peers {
        assert_eq!(checksum, expected, "{peer}");
    }
    for parts in ["aaa", "aas", "asa", "ass", "saa", "sas", "ssa", "sss"] {
        let run = req_arena_parts_named(&format!("parts:{parts}")).expect("a known spelling");
        assert_eq!(run(requests), expected, "parts:{parts}");
    }
    assert!(req_arena_parts_named("parts:aax").is_none());
    assert!(req_arena_parts_named("aaa").is_none());
    assert_ne!(req_arena_reset(requests + 1), expected);
}

#[test]
fn every_raw_allocation_peer_sums_the_same_values() {
    let n = 10_000;
    let expected = raw_expected(n);
    let mut mem = arena::Arena::new();
    let mut boxes = Vec::new();
    let mut bump = bumpalo::Bump::new();
    let mut scoped: bump_scope::Bump = bump_scope::Bump::new();
    let peers: [(&str, u64); 9] = [
        ("arena cold", raw_arena_cold(n)),
        ("arena warm", raw_arena_warm(&mut mem, n)),
        ("arena warm, again", raw_arena_warm(&mut mem, n)),
        ("arena scope warm", raw_arena_scope_warm(n)),
        ("system", raw_system(&mut boxes, n)),
        ("bumpalo cold", raw_bumpalo_cold(n)),
        ("bumpalo warm", raw_bumpalo_warm(&mut bump, n)),
        ("bump_scope warm", raw_bump_scope_warm(&mut scoped, n)),
        ("typed_arena", raw_typed_arena_cold(n)),
    ];
    for (peer, checksum) in peers {
        assert_eq!(checksum, expected, "{peer}");
    }
    assert_eq!(raw_bump_scope_cold(n), expected);
}

#[test]
fn every_destructor_peer_drops_every_value() {
    // Each peer runs inside `counted`, which panics unless the thread's destructor counter moved
    // by exactly `n`; these calls are the assertions.
    let n = 2_000;
    drop_arena_scope(n);
    drop_arena(n);
    drop_system(n);
    drop_bumpalo(n);
    drop_bump_scope(n);
    drop_typed_arena(n);
}
