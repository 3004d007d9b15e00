//! `arena` against the peers, on the system allocator. The mimalloc peer lives in
//! `peers_mimalloc.rs` (the global allocator is per binary) and writes into the same groups.
//!
//! `cargo bench -p arena-benches --bench peers` runs everything; `scripts/bench-table` runs it
//! with the other bench binaries and prints the Markdown table. `ARENA_BENCH_QUICK=1` shortens the measurement
//! (fewer samples, depth 20 skipped) for a quick look.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};

mod common;
mod setup;
use common::*;
use setup::{depths, group};

type Run<A, R> = fn(A) -> R;

fn binary_trees(c: &mut Criterion) {
    for depth in depths() {
        let expected = bt_arena_reset(depth);
        let mut g = group(c, &format!("binary_trees_d{depth}"));
        let peers: [(&str, Run<u32, u64>); 6] = [
            ("arena", bt_arena_scope),
            ("arena_reset", bt_arena_reset),
            ("system", bt_system),
            ("bumpalo", bt_bumpalo),
            ("bump_scope", bt_bump_scope),
            ("typed_arena", bt_typed_arena),
        ];
        for (name, run) in peers {
            g.bench_function(name, |b| {
                b.iter(|| assert_eq!(run(black_box(depth)), expected))
            });
        }
        g.finish();
    }
}

fn request_loop(c: &mut Criterion) {
    let expected = req_arena_reset(REQUESTS);
    let mut g = group(c, "request_loop");
    let peers: [(&str, Run<u64, u64>); 6] = [
        ("arena", req_arena_scope),
        ("arena_reset", req_arena_reset),
        ("system", req_system),
        ("bumpalo", req_bumpalo),
        ("bump_scope", req_bump_scope),
        ("typed_arena", req_typed_arena),
    ];
    for (name, run) in peers {
        g.bench_function(name, |b| {
            b.iter(|| assert_eq!(run(black_box(REQUESTS)), expected))
        });
    }
    g.finish();
}

fn raw_alloc(c: &mut Criterion) {
    let n = RAW_N;
    let expected = raw_expected(n);
    let mut g = group(c, "raw_alloc_cold");
    g.bench_function("arena", |b| {
        b.iter(|| assert_eq!(raw_arena_cold(black_box(n)), expected))
    });
    g.bench_function("system", |b| {
        b.iter(|| {
            let mut boxes = Vec::with_capacity(n as usize);
            assert_eq!(raw_system(&mut boxes, black_box(n)), expected)
        })
    });
    g.bench_function("bumpalo", |b| {
        b.iter(|| assert_eq!(raw_bumpalo_cold(black_box(n)), expected))
    });
    g.bench_function("bump_scope", |b| {
        b.iter(|| assert_eq!(raw_bump_scope_cold(black_box(n)), expected))
    });
    g.bench_function("typed_arena", |b| {
        b.iter(|| assert_eq!(raw_typed_arena_cold(black_box(n)), expected))
    });
    g.finish();

    let mut g = group(c, "raw_alloc_warm");
    let mut mem = arena::Arena::new();
    g.bench_function("arena_reset", |b| {
        b.iter(|| assert_eq!(raw_arena_warm(&mut mem, black_box(n)), expected))
    });
    drop(mem);
    g.bench_function("arena", |b| {
        b.iter(|| assert_eq!(raw_arena_scope_warm(black_box(n)), expected))
    });
    let mut boxes = Vec::with_capacity(n as usize);
    g.bench_function("system", |b| {
        b.iter(|| assert_eq!(raw_system(&mut boxes, black_box(n)), expected))
    });
    drop(boxes);
    let mut bump = bumpalo::Bump::new();
    g.bench_function("bumpalo", |b| {
        b.iter(|| assert_eq!(raw_bumpalo_warm(&mut bump, black_box(n)), expected))
    });
    drop(bump);
    let mut bump: bump_scope::Bump = bump_scope::Bump::new();
    g.bench_function("bump_scope", |b| {
        b.iter(|| assert_eq!(raw_bump_scope_warm(&mut bump, black_box(n)), expected))
    });
    g.finish();
}

fn destructors(c: &mut Criterion) {
    let n = DROP_N;
    let mut g = group(c, "destructors");
    let peers: [(&str, Run<usize, usize>); 6] = [
        ("arena", drop_arena_scope),
        ("arena_reset", drop_arena),
        ("system", drop_system),
        ("bumpalo", drop_bumpalo),
        ("bump_scope", drop_bump_scope),
        ("typed_arena", drop_typed_arena),
    ];
    for (name, run) in peers {
        g.bench_function(name, |b| b.iter(|| assert_eq!(run(black_box(n)), n)));
    }
    g.finish();
}

fn scope_overhead(c: &mut Criterion) {
    let mut g = c.benchmark_group("scope_overhead");
    g.sample_size(20);
    g.warm_up_time(Duration::from_millis(300));
    g.measurement_time(Duration::from_secs(1));
    g.bench_function("arena", |b| b.iter(|| scope_arena(black_box(7))));
    g.bench_function("arena_empty", |b| {
        b.iter(|| scope_arena_empty(black_box(7)))
    });
    let mut mem = arena::Arena::new();
    g.bench_function("arena_reset", |b| {
        b.iter(|| scope_arena_reset(&mut mem, black_box(7)))
    });
    g.bench_function("system", |b| b.iter(|| scope_system(black_box(7))));
    let mut bump = bumpalo::Bump::new();
    g.bench_function("bumpalo", |b| {
        b.iter(|| scope_bumpalo(&mut bump, black_box(7)))
    });
    let mut bump: bump_scope::Bump = bump_scope::Bump::new();
    g.bench_function("bump_scope", |b| {
        b.iter(|| scope_bump_scope(&mut bump, black_box(7)))
    });
    g.bench_function("typed_arena", |b| {
        b.iter(|| scope_typed_arena(black_box(7)))
    });
    g.finish();
}

criterion_group!(
    benches,
    binary_trees,
    request_loop,
    raw_alloc,
    destructors,
    scope_overhead
);
criterion_main!(benches);
