//! Go's memory ballast, `ballast := make([]byte, 10<<30)`, reserves heap up front so the
//! garbage collector runs less often. An arena has no collector to calm down, but the same idea
//! still pays: memory reserved up front means the first allocations never grow the arena chunk by
//! chunk. Two ways to do it:
//!
//! * `Arena::with_capacity(bytes)` for one arena;
//! * `ARENA_BALLAST=64MiB` (or `arena::config::set_ballast`) for every pooled scope arena.
//!
//! ```sh
//! cargo run --release --example ballast
//! ```

use arena::Arena;

const VALUES: usize = 1 << 20; // one million u64: 8 MiB

/// Fills `mem` with `VALUES` numbers, one allocation each, and returns how many chunks (calls to
/// the global allocator) that took.
fn fill(mem: &Arena) -> usize {
    let mut sum = 0u64;
    for i in 0..VALUES as u64 {
        sum = sum.wrapping_add(*mem.alloc(i));
    }
    std::hint::black_box(sum);
    mem.stats().chunks
}

fn main() {
    let grown = Arena::new();
    let chunks = fill(&grown);
    println!(
        "Arena::new()                : {chunks:>2} chunks after 1M allocs, {:>8} B reserved (grown by doubling)",
        grown.stats().reserved_bytes
    );

    let ballasted = Arena::with_capacity(VALUES * 8);
    let reserved_before = ballasted.stats().reserved_bytes;
    let chunks = fill(&ballasted);
    println!(
        "Arena::with_capacity(8 MiB) : {chunks:>2} chunk  after 1M allocs, {:>8} B reserved ({reserved_before} B before the first alloc)",
        ballasted.stats().reserved_bytes
    );

    // The same for pooled scopes: every new pooled arena starts with the ballast reserved.
    // (A new thread gets a fresh pool, so the setting applies to its first scope.)
    arena::config::set_ballast(1 << 20);
    let first_scope = std::thread::spawn(|| arena::scope(|mem| mem.stats().reserved_bytes))
        .join()
        .expect("the scope thread ran");
    println!("ARENA_BALLAST=1MiB          :  a new pooled scope arena starts with {first_scope} B reserved");
    arena::config::set_ballast(0);
}
