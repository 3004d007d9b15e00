//! Arenas in a parallel loop, two ways, with the trace showing which thread each arena ended on.
//!
//! 1. `arena_scope!` inside rayon's `par_iter`: every worker thread has its own per-thread pool,
//!    so each item takes a pooled arena of the thread it runs on, with no lock.
//! 2. An `ArenaPool` with `map_init`: rayon calls the init closure once per piece of work it
//!    splits off, which takes a guard from the shared pool; the items of that piece reuse the
//!    guard's arena, each in its own `scoped` region, and the guard goes back to the pool when
//!    the piece is done, on whichever worker ran it.
//!
//! ```sh
//! cargo run --release --example parallel          # 8 lines per way, traced
//! cargo run --release --example parallel -- 100000 # more lines, untraced
//! ```

use arena::{arena_scope, Arena, ArenaPool, ArenaVec};
use rayon::prelude::*;

/// One log line, parsed into the arena: its words, and the sum of the numbers among them.
fn parse<'a>(mem: &'a Arena, line: &str) -> (ArenaVec<'a, &'a str>, u64) {
    let mut words = mem.vec();
    let mut sum = 0;
    for word in line.split_whitespace() {
        if let Ok(n) = word.parse::<u64>() {
            sum += n;
        }
        words.push(&*mem.alloc_str(word));
    }
    (words, sum)
}

fn line(i: usize) -> String {
    format!("GET /item/{i} 200 {} bytes in {} ms", 100 + i % 900, i % 17)
}

fn main() {
    let lines: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(8);
    let trace = lines <= 32;
    if trace {
        arena::config::set_trace(true);
    }
    // Named workers, so the trace's `thread` field says which one ended each arena.
    let workers = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .thread_name(|i| format!("worker-{i}"))
        .build()
        .expect("a rayon pool of two threads");
    let input: Vec<String> = (0..lines).map(line).collect();

    // 1. A per-thread pooled arena per item.
    eprintln!("-- arena_scope! in par_iter: one trace line per item, on the thread it ran on");
    let total: u64 = workers.install(|| {
        input
            .par_iter()
            .map(|text| {
                arena_scope!(label = "par_iter item", |mem| {
                    let (words, sum) = parse(mem, text);
                    sum + words.len() as u64
                })
            })
            .sum()
    });
    println!("arena_scope!: total {total}");

    // 2. A shared pool, one guard per piece of work.
    eprintln!("-- ArenaPool with map_init: one trace line per guard given back");
    let pool = ArenaPool::builder().label("map_init guard").build();
    let again: u64 = workers.install(|| {
        input
            .par_iter()
            .map_init(
                || pool.get(),
                |mem, text| {
                    // Each item frees what it allocated; the guard keeps the memory.
                    mem.scoped(|tmp| {
                        let (words, sum) = parse(tmp, text);
                        sum + words.len() as u64
                    })
                },
            )
            .sum()
    });
    println!("ArenaPool:    total {again}");
    assert_eq!(total, again);
    let stats = pool.stats();
    println!(
        "pool: {} arenas created for {} lines, {} idle now ({} B kept), {} in use",
        stats.arenas_created,
        lines,
        stats.idle_arenas,
        stats.idle_reserved_bytes,
        stats.arenas_in_use
    );
    if trace {
        eprintln!("(the last field of each trace line is the thread that ended the arena)");
    }
}
