//! Runs every peer of one benchmark workload in turn, in one process, several rounds, and prints
//! each peer's median time and `arena`'s time divided by it (below 1: `arena` is faster). Taking
//! turns round after round spreads the shared machine's slow spells over all peers alike, where
//! criterion measures one peer after another. A cross-check of the criterion table, not a
//! replacement for it.
//!
//! ```text
//! cargo run --release -p arena-benches --bin bench_interleaved -- binary_trees 20 5
//! cargo run --release -p arena-benches --bin bench_interleaved -- request_loop 200000 7
//! cargo run --release -p arena-benches --bin bench_interleaved -- scope 10000000 15
//! cargo run --release -p arena-benches --bin bench_interleaved -- raw_cold 10000000 15
//! ```

#[path = "../common/mod.rs"]
mod common;

use std::hint::black_box;
use std::time::Instant;

use common::*;

type Peer = (&'static str, Box<dyn Fn() -> u64>);

/// A peer that runs `one` on `0..n` (its loop compiled for `one`, which keeps its state).
fn each(n: u64, one: impl FnMut(u64) -> u64 + 'static) -> Box<dyn Fn() -> u64> {
    let one = std::cell::RefCell::new(one);
    Box::new(move || {
        let mut one = one.borrow_mut();
        (0..n).fold(0u64, |sum, i| sum.wrapping_add(one(black_box(i))))
    })
}

fn peers(workload: &str, n: u64) -> Vec<Peer> {
    match workload {
        "binary_trees" => {
            let d = u32::try_from(n).expect("a depth");
            vec![
                ("arena", Box::new(move || bt_arena_scope(d))),
                ("arena_reset", Box::new(move || bt_arena_reset(d))),
                ("system", Box::new(move || bt_system(d))),
                ("bumpalo", Box::new(move || bt_bumpalo(d))),
                ("bump_scope", Box::new(move || bt_bump_scope(d))),
                ("typed_arena", Box::new(move || bt_typed_arena(d))),
            ]
        }
        "request_loop" => vec![
            ("arena", Box::new(move || req_arena_scope(n))),
            ("arena_reset", Box::new(move || req_arena_reset(n))),
            ("system", Box::new(move || req_system(n))),
            ("bumpalo", Box::new(move || req_bumpalo(n))),
            ("bump_scope", Box::new(move || req_bump_scope(n))),
            ("typed_arena", Box::new(move || req_typed_arena(n))),
            ("floor_push", Box::new(move || req_floor_push(n))),
        ],
        // `n` scopes, each with one `u64` in it: the enter+exit of each peer's scope.
        "scope" => {
            let mut mem = arena::Arena::new();
            let mut reset = arena::Arena::new();
            let mut bump: bump_scope::Bump = bump_scope::Bump::new();
            let mut bumpalo = bumpalo::Bump::new();
            vec![
                ("arena", each(n, scope_arena)),
                (
                    "arena_scoped",
                    each(n, move |x| scope_arena_scoped(&mut mem, x)),
                ),
                (
                    "arena_reset",
                    each(n, move |x| scope_arena_reset(&mut reset, x)),
                ),
                (
                    "bump_scope",
                    each(n, move |x| scope_bump_scope(&mut bump, x)),
                ),
                ("bumpalo", each(n, move |x| scope_bumpalo(&mut bumpalo, x))),
            ]
        }
        "raw_cold" => vec![
            ("arena", Box::new(move || raw_arena_cold(n))),
            ("bumpalo", Box::new(move || raw_bumpalo_cold(n))),
            ("bump_scope", Box::new(move || raw_bump_scope_cold(n))),
            ("typed_arena", Box::new(move || raw_typed_arena_cold(n))),
        ],
        other => {
            eprintln!(
                "unknown workload '{other}': expected binary_trees, request_loop, scope or raw_cold"
            );
            std::process::exit(2);
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(workload), Some(n), rounds) = (args.first(), args.get(1), args.get(2)) else {
        eprintln!(
            "usage: bench_interleaved <binary_trees DEPTH | request_loop N | scope N | raw_cold N> [ROUNDS]"
        );
        std::process::exit(2);
    };
    let n: u64 = n.parse().expect("a number");
    let rounds: usize = rounds.map_or(5, |r| r.parse().expect("a number of rounds"));
    let peers = peers(workload, n);
    let mut times = vec![Vec::with_capacity(rounds); peers.len()];
    let mut checksum = None;
    for _ in 0..rounds {
        for (k, (name, run)) in peers.iter().enumerate() {
            let started = Instant::now();
            let sum = black_box(run());
            times[k].push(started.elapsed().as_secs_f64());
            assert_eq!(
                *checksum.get_or_insert(sum),
                sum,
                "{name} did different work"
            );
        }
    }
    let medians: Vec<f64> = times
        .iter_mut()
        .map(|t| {
            t.sort_by(f64::total_cmp);
            t[t.len() / 2]
        })
        .collect();
    let arena = medians[0];
    println!("{workload} {n}, {rounds} rounds: median, and arena ÷ this peer");
    for ((name, _), median) in peers.iter().zip(&medians) {
        println!("{name:12} {:9.1} ms  {:5.2}", median * 1e3, arena / median);
    }
}
