//! The Benchmarks Game "binary-trees" program, on arenas.
//!
//! ```sh
//! cargo run --release --example binary_trees 21
//! ```
//!
//! Every short-lived tree is built in a pooled scope arena and freed at once when the scope ends;
//! the arena's memory is reused by the next tree, so after the first tree of each depth no call
//! reaches the global allocator. The long-lived tree sits in a standalone `Arena`. The output is
//! the benchmark's exact format (tab-separated), for a depth given on the command line
//! (default 10).

use arena::{arena_scope, Arena};

/// A tree node: both children or none. `Copy`-free, `Drop`-free: arena memory only.
struct Node<'a> {
    children: Option<(&'a Node<'a>, &'a Node<'a>)>,
}

/// A perfect binary tree of `depth` levels below the root.
fn bottom_up<'a>(mem: &'a Arena, depth: u32) -> &'a Node<'a> {
    let children = (depth > 0).then(|| (bottom_up(mem, depth - 1), bottom_up(mem, depth - 1)));
    mem.alloc(Node { children })
}

impl Node<'_> {
    /// The number of nodes, as the benchmark's `check` counts them.
    fn check(&self) -> u32 {
        match self.children {
            Some((left, right)) => 1 + left.check() + right.check(),
            None => 1,
        }
    }
}

const MIN_DEPTH: u32 = 4;

fn main() {
    let n: u32 = match std::env::args().nth(1) {
        Some(arg) => arg.parse().unwrap_or_else(|_| {
            eprintln!("usage: binary_trees [DEPTH]   (DEPTH is a whole number, default 10)");
            std::process::exit(2)
        }),
        None => 10,
    };
    let max_depth = n.max(MIN_DEPTH + 2);

    let stretch_depth = max_depth + 1;
    let check = arena_scope!(|mem| bottom_up(mem, stretch_depth).check());
    println!("stretch tree of depth {stretch_depth}\t check: {check}");

    let long_lived = Arena::new();
    let long_lived_tree = bottom_up(&long_lived, max_depth);

    for depth in (MIN_DEPTH..=max_depth).step_by(2) {
        let iterations = 1u32 << (max_depth - depth + MIN_DEPTH);
        let check: u32 = (0..iterations)
            .map(|_| arena_scope!(|mem| bottom_up(mem, depth).check()))
            .sum();
        println!("{iterations}\t trees of depth {depth}\t check: {check}");
    }

    println!(
        "long lived tree of depth {max_depth}\t check: {}",
        long_lived_tree.check()
    );
}
