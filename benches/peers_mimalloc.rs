//! The `Box`/`Vec`/`String` peer of `peers.rs` with mimalloc as the global allocator (a global
//! allocator is per binary). Writes the `mimalloc` entry of the same criterion groups.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod common;
mod setup;
use common::*;
use setup::{depths, group};

fn all(c: &mut Criterion) {
    for depth in depths() {
        let expected = bt_arena_reset(depth);
        let mut g = group(c, &format!("binary_trees_d{depth}"));
        g.bench_function("mimalloc", |b| {
            b.iter(|| assert_eq!(bt_system(black_box(depth)), expected))
        });
        g.finish();
    }

    let expected = req_arena_reset(REQUESTS);
    let mut g = group(c, "request_loop");
    g.bench_function("mimalloc", |b| {
        b.iter(|| assert_eq!(req_system(black_box(REQUESTS)), expected))
    });
    g.finish();

    let n = RAW_N;
    let expected = raw_expected(n);
    let mut g = group(c, "raw_alloc_cold");
    g.bench_function("mimalloc", |b| {
        b.iter(|| {
            let mut boxes = Vec::with_capacity(n as usize);
            assert_eq!(raw_system(&mut boxes, black_box(n)), expected)
        })
    });
    g.finish();
    let mut g = group(c, "raw_alloc_warm");
    let mut boxes = Vec::with_capacity(n as usize);
    g.bench_function("mimalloc", |b| {
        b.iter(|| assert_eq!(raw_system(&mut boxes, black_box(n)), expected))
    });
    g.finish();

    let mut g = group(c, "destructors");
    g.bench_function("mimalloc", |b| {
        b.iter(|| assert_eq!(drop_system(black_box(DROP_N)), DROP_N))
    });
    g.finish();

    let mut g = c.benchmark_group("scope_overhead");
    g.sample_size(20);
    g.warm_up_time(Duration::from_millis(300));
    g.measurement_time(Duration::from_secs(1));
    g.bench_function("mimalloc", |b| b.iter(|| scope_system(black_box(7))));
    g.finish();
}

criterion_group!(benches, all);
criterion_main!(benches);
