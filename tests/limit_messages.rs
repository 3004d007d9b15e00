//! What a limit's panic message advises: the option that set the limit, in the form the user
//! wrote it (a scope's `limit = ..`, a pool's builder, an arena's builder).

use std::panic;

use arena::{arena_scope, Arena, ArenaPool};

/// The message a closure panicked with.
fn panic_message(f: impl FnOnce() + panic::UnwindSafe) -> String {
    let payload = panic::catch_unwind(f).expect_err("the closure should panic");
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .expect("a string payload")
}

#[test]
fn a_scope_limit_advises_the_scope_option() {
    let message = panic_message(|| {
        arena_scope!(limit = 4096, |mem| {
            mem.alloc_slice_fill_with(1 << 20, |_| 0u8);
        })
    });
    assert_eq!(
        message,
        "arena: cannot allocate 1048576 bytes: the arena's limit of 4096 bytes would be exceeded: \
         its chunks hold 0 bytes and no new chunk for 1048576 bytes fits in the 4096 left (a chunk \
         holds a power of two or whole pages of bytes less 64 for its bookkeeping, and what it \
         holds counts against the limit); raise the limit with the scope's arena_scope!(limit = .., ..) or free \
         memory first"
    );
    let message = panic_message(|| {
        arena_scope!(limit = 4096, label = "req", |mem| {
            mem.alloc_slice_fill_with(1 << 20, |_| 0u8);
        })
    });
    assert!(
        message.starts_with("arena \"req\": cannot allocate 1048576 bytes")
            && message.contains("arena_scope!(limit = .., ..)"),
        "{message}"
    );
    // The pooled arena goes back without the scope's limit: a plain scope is unbounded again,
    // and a standalone arena's limit still advises the builder.
    assert_eq!(
        arena_scope!(|mem| mem.alloc_slice_fill_with(1 << 16, |_| 0u8).len()),
        1 << 16
    );
    let message = panic_message(|| {
        let mem = Arena::builder().limit(4096).build();
        mem.alloc_slice_fill_with(1 << 20, |_| 0u8);
    });
    assert!(
        message.contains("raise the limit with Arena::builder().limit(..) or"),
        "{message}"
    );
}

#[test]
fn a_pool_limit_advises_the_pool_builder() {
    let pool = ArenaPool::builder().limit(4096).build();
    let message = panic_message(|| {
        pool.get().alloc_slice_fill_with(1 << 20, |_| 0u8);
    });
    assert_eq!(
        message,
        "arena: cannot allocate 1048576 bytes: the arena's limit of 4096 bytes would be exceeded: \
         its chunks hold 0 bytes and no new chunk for 1048576 bytes fits in the 4096 left (a chunk \
         holds a power of two or whole pages of bytes less 64 for its bookkeeping, and what it \
         holds counts against the limit); raise the limit with ArenaPool::builder().limit(..) or free \
         memory first"
    );
}
