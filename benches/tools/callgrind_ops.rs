//! One measured operation in a loop, for instruction counts under callgrind.
//!
//! `callgrind_ops <op> <n>` warms up, then runs `<op>` `n` times. Running it with `n` and `2n`
//! under `valgrind --tool=callgrind` and taking `(Ir(2n) - Ir(n)) / n` cancels start-up and
//! set-up and leaves the net instructions of one operation (plus the loop, which `noop`
//! measures). `scripts/callgrind` does exactly that for every op and prints a table.
//!
//! Ops:
//! - `noop`: the loop and `black_box` alone;
//! - `alloc_arena`, `alloc_bumpalo`, `alloc_bump_scope`: one `alloc::<u64>` on a warm allocator
//!   with room for every allocation (no chunk growth inside the loop);
//! - `scope_arena_empty`, `scope_arena`: `arena::scope` (empty / with one `alloc::<u64>`);
//! - `scope_macro_empty`, `scope_macro`: the same through `arena_scope!`;
//! - `scoped_arena_empty`, `scoped_arena`: `Arena::scoped` on a warm arena (empty / one
//!   `alloc::<u64>`);
//! - `reset_arena`: one `alloc::<u64>` then `Arena::reset`;
//! - `scoped_bump_scope_empty`, `scoped_bump_scope`: bump-scope's `Bump::scoped` (empty / one alloc);
//! - `reset_bumpalo_empty`, `reset_bumpalo`: bumpalo's `Bump::reset` (nothing / one alloc before it).

use std::hint::black_box;

const WARM_UP: u64 = 1_000;

#[inline(never)]
fn run(n: u64, mut op: impl FnMut(u64)) {
    for i in 0..WARM_UP {
        op(i);
    }
    for i in 0..n {
        op(black_box(i));
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let op = args.next().unwrap_or_default();
    let n: u64 = args.next().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    // Room for every allocation of the warm-up and the loop, so no op grows a chunk.
    let room = ((n + WARM_UP) as usize + 64) * 16;
    match op.as_str() {
        "noop" => run(n, |i| {
            black_box(i);
        }),
        "alloc_arena" => {
            let mem = arena::Arena::with_capacity(room);
            run(n, |i| {
                black_box(mem.alloc(i));
            });
        }
        "alloc_bumpalo" => {
            let bump = bumpalo::Bump::with_capacity(room);
            run(n, |i| {
                black_box(bump.alloc(i));
            });
        }
        "alloc_bump_scope" => {
            let bump: bump_scope::Bump = bump_scope::Bump::with_capacity(
                std::alloc::Layout::array::<u64>(room / 8).unwrap(),
            );
            run(n, |i| {
                black_box(bump.alloc(i).into_mut());
            });
        }
        "scope_arena_empty" => run(n, |i| {
            black_box(arena::scope(|mem| black_box((mem, i)).1));
        }),
        "scope_arena" => run(n, |i| {
            black_box(arena::scope(|mem| *black_box(mem.alloc(i))));
        }),
        "scope_macro_empty" => run(n, |i| {
            black_box(arena::arena_scope!(|mem| black_box((mem, i)).1));
        }),
        "scope_macro" => run(n, |i| {
            black_box(arena::arena_scope!(|mem| *black_box(mem.alloc(i))));
        }),
        "scoped_arena_empty" => {
            let mut mem = arena::Arena::new();
            run(n, |i| {
                black_box(mem.scoped(|s| black_box((&*s, i)).1));
            });
        }
        "scoped_arena" => {
            let mut mem = arena::Arena::new();
            run(n, |i| {
                black_box(mem.scoped(|s| *black_box(s.alloc(i))));
            });
        }
        "reset_arena" => {
            let mut mem = arena::Arena::new();
            run(n, |i| {
                black_box(mem.alloc(i));
                mem.reset();
            });
        }
        "scoped_bump_scope_empty" => {
            let mut bump: bump_scope::Bump = bump_scope::Bump::new();
            run(n, |i| {
                black_box(bump.scoped(|s| black_box((s, i)).1));
            });
        }
        "scoped_bump_scope" => {
            let mut bump: bump_scope::Bump = bump_scope::Bump::new();
            run(n, |i| {
                black_box(bump.scoped(|s| *black_box(s.alloc(i).into_mut())));
            });
        }
        "reset_bumpalo_empty" => {
            let mut bump = bumpalo::Bump::new();
            run(n, |i| {
                black_box(i);
                bump.reset();
            });
        }
        "reset_bumpalo" => {
            let mut bump = bumpalo::Bump::new();
            run(n, |i| {
                black_box(bump.alloc(i));
                bump.reset();
            });
        }
        other => {
            eprintln!(
                "unknown op {other:?}; see the list at the top of benches/tools/callgrind_ops.rs"
            );
            std::process::exit(2);
        }
    }
}
