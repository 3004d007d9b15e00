//! Criterion settings shared by the peer bench binaries (`peers.rs`, `peers_mimalloc.rs`).

use std::time::Duration;

use criterion::{BenchmarkGroup, Criterion, SamplingMode};

/// `ARENA_BENCH_QUICK=1`: shorter measurements for a quick look.
pub fn quick() -> bool {
    std::env::var_os("ARENA_BENCH_QUICK").is_some_and(|v| v != "0")
}

/// binary-trees depths: `ARENA_BENCH_DEPTHS=18,20` (what `scripts/bench-table` runs); 18 alone by
/// default, to keep a plain `cargo bench` short (depth 20 takes about six minutes more here).
pub fn depths() -> Vec<u32> {
    std::env::var("ARENA_BENCH_DEPTHS")
        .unwrap_or_else(|_| "18".into())
        .split(',')
        .map(|d| {
            d.trim()
                .parse()
                .expect("ARENA_BENCH_DEPTHS: comma-separated depths")
        })
        .collect()
}

/// A group for long-running workloads: flat sampling (one call per sample when it is long).
pub fn group<'c>(
    c: &'c mut Criterion,
    name: &str,
) -> BenchmarkGroup<'c, criterion::measurement::WallTime> {
    let mut g = c.benchmark_group(name);
    g.sampling_mode(SamplingMode::Flat);
    g.sample_size(10);
    g.warm_up_time(Duration::from_millis(300));
    g.measurement_time(Duration::from_secs(if quick() { 1 } else { 3 }));
    g
}
