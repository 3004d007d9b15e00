//! What AddressSanitizer sees when unsafe code smuggles a pointer out of an arena: the Rust
//! version of the Go chapter's `go run -asan` example.
//!
//! Safe code cannot do this at all (the borrow checker rejects it: see the `compile_fail`
//! examples on `Arena`). Unsafe code can, by turning a reference into a raw pointer. Built with
//! `-Zsanitizer=address` and the `asan` feature, the arena poisons the memory it has taken back,
//! so the bad write is reported. `.ci/asan-probe` runs every mode and checks the report.
//!
//! ```sh
//! RUSTFLAGS=-Zsanitizer=address cargo +nightly run -p arena-core --features asan \
//!     --example asan_probe --target x86_64-unknown-linux-gnu -- reset-write
//! ```
//!
//! Modes:
//!
//! - `reset-write`: keep a raw pointer to an `alloc`ed value across `Arena::reset`, write through it;
//! - `scope-write`: smuggle a raw pointer out of `arena_core::scope`, write after the scope ended;
//! - `kept-scope-write`: the same in a scope that used 1 KiB, whose chunk the pool keeps;
//! - `free-write`: the Go chapter's example: keep a pointer, `free` the arena, write;
//! - `clean`: the same three programs without the bad writes.

use std::process::ExitCode;

use arena_core::{scope, Arena};

/// The Go chapter's `type T struct { Num int }`.
#[derive(Debug, Default)]
struct T {
    num: i64,
}

/// Writes through a pointer the arena no longer backs, unless `clean`. Volatile, so the write
/// cannot be optimized away as a store nobody reads.
fn write_num(o: *mut T, clean: bool) {
    if !clean {
        // SAFETY: none: this is the bug the sanitizer must report.
        unsafe { std::ptr::addr_of_mut!((*o).num).write_volatile(123) }
    }
}

/// `mem := arena.NewArena(); o := arena.New[T](mem); mem.Reset(); o.Num = 123`.
fn reset_write(clean: bool) {
    let mut mem = Arena::new();
    let o: *mut T = mem.alloc_default::<T>();
    // SAFETY: `o` is live: the arena has not been reset yet.
    unsafe { (*o).num = 1 };
    mem.reset();
    write_num(o, clean);
    // The arena is still usable, and the memory is handed out again (unpoisoned).
    let again = mem.alloc(T { num: 2 });
    assert_eq!(again.num, 2);
}

/// A raw pointer out of a pooled scope, used after the scope ended. The scope also takes
/// `extra` bytes (a scope that used more keeps its chunk at the end instead of freeing it).
fn scope_write(clean: bool, extra: usize) {
    // Warm the pooled arena so the scope ends the steady way.
    for _ in 0..3 {
        scope(|mem| {
            mem.alloc_slice_fill_default::<u8>(extra);
            mem.alloc_default::<T>().num = 7
        });
    }
    let o: *mut T = scope(|mem| {
        mem.alloc_slice_fill_default::<u8>(extra);
        let o = mem.alloc_default::<T>();
        o.num = 1;
        o as *mut T
    });
    write_num(o, clean);
    // The next scope reuses the same memory.
    scope(|mem| assert_eq!(mem.alloc(T { num: 3 }).num, 3));
}

/// The Go chapter's example verbatim: `o := arena.New[T](mem); mem.Free(); o.Num = 123`.
fn free_write(clean: bool) {
    let mem = Arena::new();
    let o: *mut T = mem.alloc_default::<T>();
    mem.free();
    write_num(o, clean);
}

/// The fast path of `Arena::alloc`, out of line under a fixed name so `.ci/asan-probe` can
/// disassemble it in a build without the feature: no sanitizer call may be left in it.
#[no_mangle]
#[inline(never)]
fn asan_probe_hot_alloc(mem: &Arena, value: u64) -> &mut u64 {
    mem.alloc(value)
}

fn main() -> ExitCode {
    let mode = std::env::args().nth(1).unwrap_or_default();
    match mode.as_str() {
        "reset-write" => reset_write(false),
        "scope-write" => scope_write(false, 0),
        "kept-scope-write" => scope_write(false, 1024),
        "free-write" => free_write(false),
        "clean" => {
            let mem = Arena::new();
            assert_eq!(*asan_probe_hot_alloc(&mem, 5), 5);
            reset_write(true);
            scope_write(true, 0);
            scope_write(true, 1024);
            free_write(true);
        }
        _ => {
            eprintln!(
                "usage: asan_probe reset-write|scope-write|kept-scope-write|free-write|clean"
            );
            return ExitCode::from(2);
        }
    }
    println!("asan_probe {mode}: no bad write reported");
    ExitCode::SUCCESS
}
