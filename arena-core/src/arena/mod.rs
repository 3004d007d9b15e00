//! [`Arena`]: the region allocator, and the invariants every room of this module keeps.
//!
//! An arena is two layers, and three words name what they hold, each with one meaning
//! throughout the crate:
//!
//! * a **chunk** is memory bumpalo (the [`Engine`]) owns: it sizes chunks, grows by adding
//!   them, and is fenced so that it adds one only under the arena's and the process's limits;
//! * the **block** is the chunk the arena bumps through: bumpalo's current chunk, taken from it
//!   whole in one bumpalo allocation, with the arena's own cursor moving upward through it;
//! * an **allocation** is what the arena hands out from the block: a value, a slice, a
//!   container's buffer. A buffer that grows stays one allocation (in place when it is the
//!   newest allocation, else moved to a new one).
//!
//! The rooms, from the bottom up:
//!
//! | file | holds | relies on |
//! |---|---|---|
//! | [`sizes`] | the size arithmetic, as pure functions (no `unsafe`) | nothing |
//! | [`block`] | the block engine: the cursor, the bump, growth and resizing of the newest allocation | `sizes`, `chunks` |
//! | [`bytes`] | the byte path: strings and byte slices packed without rounding | `block` |
//! | [`chunks`] | new chunks under the limit fence, poisoning, giving all memory back | `sizes`, the budget, bumpalo |
//! | [`create`] | constructors, limit, label, counting | `block`, `chunks` |
//! | [`counters`] | [`Stats`](crate::Stats) and the byte and allocation counters | `block`, `chunks` |
//! | [`alloc`] | the public allocation API for layouts and single values | `block` |
//! | [`slices`] | the public allocation API for slices, strings and formatting | `block`, `ArenaString` |
//! | [`containers`] | the container constructors (`vec`, `string`, `hash_map`, `make_slice`) | the containers |
//! | [`reset`] | reset, free and drop: destructors, rewinding, the kept chunk | `block`, `chunks` |
//! | [`checkpoint`] | freeing part of an arena: `checkpoint` and `rewind`, the spare blocks | `block`, the drop list |
//! | [`scoped`] | `scoped`: a closure's allocations freed at its end | `checkpoint`, `block` |
//! | [`checkpoint_error`] | why a rewind was refused, and its message | nothing |
//! | [`steady`] | the pool's steady contract: when a scope may end by a bare rewind | `sizes`, `block` |
//!
//! The containers (`ArenaVec`, `ArenaString`, `ArenaHashMap`) and the `Allocator` impl call the
//! block engine's `pub(crate)` functions, never the public API files, so they sit between the
//! engine and the API without a cycle.
//!
//! # Invariants
//!
//! * The block is `[block_start, block_end)`, one allocation taken from bumpalo; allocations
//!   were handed out from `block_start` up to `cursor`, and `block_start <= cursor <=
//!   block_end`. With no block all three are the same dangling, aligned address.
//! * The cursor is [`sizes::BLOCK_ALIGN`]-aligned.
//! * When `byte_tail` is less than [`sizes::BLOCK_ALIGN`] below the cursor, the bytes between
//!   them are free: every cursor move that is not a bump resets it to the cursor ([`bytes`]).
//! * Only the block allocates from bumpalo, and bumpalo never grows on its own: its allocation
//!   limit is kept at what it holds, and [`chunks`] lifts it only to add one chunk that was
//!   first reserved from the process budget.
//! * `steady_floor` is [`sizes::NOT_STEADY`] whenever the arena holds more than one chunk or a
//!   pending destructor.

mod alloc;
mod block;
mod bytes;
mod checkpoint;
mod checkpoint_error;
mod chunks;
mod containers;
mod counters;
mod create;
mod reset;
mod scoped;
mod sizes;
mod slices;
mod steady;

pub use checkpoint::Checkpoint;
pub use checkpoint_error::CheckpointError;
pub(crate) use sizes::CHUNK_OVERHEAD;

use core::cell::Cell;
use core::marker::PhantomData;
use core::mem;
use core::ptr::NonNull;
use std::borrow::Cow;

use bumpalo::Bump;

use crate::drop_list::DropList;
use crate::error::LimitSetBy;

/// The chunk allocator underneath: bumpalo's `Bump`, with its minimum alignment raised to 8 so
/// its chunks and everything taken from them start 8-aligned. bumpalo owns the chunks (their
/// sizes, their growth, the fence that keeps them under the limits); the arena takes each chunk
/// whole as its block and bumps upward through it itself (see the [`block`] module).
pub(crate) type Engine = Bump<8>;

/// A region of memory: allocate many values, free them all at once.
///
/// Every reference an `Arena` hands out borrows it, so the borrow checker rejects any use after
/// [`reset`](Arena::reset) (which takes `&mut self`) or [`free`](Arena::free) (which takes
/// `self`): the use-after-free that Go's `arena` package can only catch at run time does not
/// compile here.
///
/// Values put in the arena with [`alloc`](Arena::alloc), the slice methods and the containers
/// must not need `Drop` (this is checked at compile time); values that own heap memory go
/// through [`alloc_droppable`](Arena::alloc_droppable), whose destructors run exactly once, newest
/// first, at `reset`, `free` or drop.
///
/// `Arena` is `Send` but not `Sync`: it can move to another thread, but two threads cannot
/// allocate from it at once.
///
/// # Example
///
/// ```
/// # use arena_core as arena;
/// use arena::Arena;
///
/// #[derive(Debug)]
/// struct Person<'a> {
///     name: &'a str,
///     age: u32,
/// }
///
/// let mut mem = Arena::new();
/// let name = mem.alloc_str("bob");
/// let bob = mem.alloc(Person { name, age: 42 });
/// bob.age += 1;
/// assert_eq!(bob.age, 43);
/// mem.reset(); // frees bob; the memory stays for the next round
/// mem.free(); // gives it back
/// ```
///
/// Using a value after the arena is freed is a compile error (`E0505`):
///
/// ```compile_fail,E0505
/// # use arena_core as arena;
/// use arena::Arena;
///
/// let mem = Arena::new();
/// let n = mem.alloc(1u32);
/// mem.free();
/// *n = 123; // error[E0505]: cannot move out of `mem` because it is borrowed
/// ```
///
/// and so is using it across a reset (`E0502`):
///
/// ```compile_fail,E0502
/// # use arena_core as arena;
/// use arena::Arena;
///
/// let mut mem = Arena::new();
/// let n = mem.alloc(1u32);
/// mem.reset();
/// *n = 123; // error[E0502]: cannot borrow `mem` as mutable because it is also borrowed
/// ```
///
/// An arena cannot be shared between threads (`E0277`: `Cell<..>` is not `Sync`):
///
/// ```compile_fail,E0277
/// # use arena_core as arena;
/// use arena::Arena;
///
/// let mem = Arena::new();
/// std::thread::scope(|s| {
///     s.spawn(|| mem.alloc(1u32));
/// });
/// ```
///
/// but it can be moved to one:
///
/// ```
/// # use arena_core as arena;
/// use arena::Arena;
///
/// let mem = Arena::new();
/// std::thread::spawn(move || *mem.alloc(1u32)).join().unwrap();
/// ```
///
/// A value that needs `Drop` is refused by `alloc` (`E0080`, with a message saying what to use
/// instead):
///
/// ```compile_fail,E0080
/// # use arena_core as arena;
/// use arena::Arena;
///
/// let mem = Arena::new();
/// mem.alloc(String::from("bob"));
/// ```
///
/// and welcome in `alloc_droppable`, or as an arena string:
///
/// ```
/// # use arena_core as arena;
/// use arena::Arena;
///
/// let mem = Arena::new();
/// let owned: &mut String = mem.alloc_droppable(String::from("bob"));
/// let in_arena: &str = mem.alloc_str("bob");
/// assert_eq!(owned.as_str(), in_arena);
/// ```
pub struct Arena {
    bump: Engine,
    /// The next free byte of the block: the block is `[block_start, block_end)`, handed out up
    /// to `cursor`, free from there. The block is bumpalo's whole current chunk, taken from
    /// bumpalo in one allocation, so bumpalo's own pointer never moves while the arena bumps;
    /// nothing else allocates from bumpalo. [`block::no_block`] for all three when there is none.
    cursor: Cell<NonNull<u8>>,
    block_start: Cell<NonNull<u8>>,
    /// The address one past the block (only compared, never dereferenced).
    block_end: Cell<usize>,
    /// The end of the newest byte allocation, where the next one starts when the bytes from
    /// it up to the cursor are free (see the `bytes` room for its invariant).
    byte_tail: Cell<NonNull<u8>>,
    /// Where the allocation fast path must stop: `block_end`, or 0 in an arena that counts its
    /// allocations, whose allocations all take the slow path (where they are counted), so that
    /// the fast path of every other arena has no counting in it (see `Arena::set_block_end`).
    fast_end: Cell<usize>,
    drops: DropList,
    /// Allocations since the last reset, kept only while `counts_allocations` (see
    /// [`Stats::allocations`]).
    allocations: Cell<usize>,
    /// Whether `allocations` is kept. A plain field, so the allocation fast path reads it once
    /// per borrow; counting in every arena cost binary-trees about a fifth of its speed.
    counts_allocations: bool,
    /// Whether [`scoped`](Arena::scoped) takes its general path whatever the checkpoints: the
    /// arena counts its allocations (a scope puts the count back) or is pooled (a scope records
    /// the peak it held, which the retention policy reads). One field, so the plain scope's
    /// entry tests one flag besides the checkpoints.
    general_scopes: bool,
    /// Nonzero when a [`reset`](Arena::reset) must take the general path: set when a destructor
    /// is registered or a second chunk is added, cleared when a reset or a release leaves at
    /// most one chunk and no destructor. One word, so the one-chunk reset tests one field. (A
    /// `usize`, a type `Arena` already has a `Cell` of: see `newest_record`.)
    general_reset: Cell<usize>,
    /// Size of the newest chunk, to tell a one-chunk arena from a many-chunk one and to size the
    /// next chunk like bumpalo does (double the last).
    newest_chunk_bytes: Cell<usize>,
    /// Bytes at the ends of older blocks that were never handed out: each block's free tail
    /// when a new chunk took over. Counted in `used_bytes` (nothing can use them before a
    /// reset), left out of [`Stats::other_chunks`](crate::Stats::other_chunks)'s used bytes. A
    /// lower bound once a checkpoint's rewind went back to an older block (see `switch_back`).
    stranded_bytes: Cell<usize>,
    /// The fewest used bytes for which a pooled scope may end by a bare rewind
    /// ([`Arena::rewind_steady`]); [`NOT_STEADY`] when it may not. Only the pool sets it (see
    /// [`Arena::set_steady_floor`]); whatever could make a bare rewind wrong — a new chunk, a
    /// pending destructor, replaced memory — sets it back to [`NOT_STEADY`].
    steady_floor: Cell<usize>,
    /// `block_start + steady_floor` as an address, or `usize::MAX` with [`NOT_STEADY`]: the
    /// steady end compares the cursor with it directly. Kept by `Arena::set_block_start` and
    /// `Arena::set_steady_floor_bytes`, the only writers of the two fields it is made of.
    steady_cursor: Cell<usize>,
    limit: Option<usize>,
    /// Which option set `limit`, for the advice in its error message.
    limit_set_by: LimitSetBy,
    label: Option<Cow<'static, str>>,
    /// Pooled arenas are traced by their scope, not when they are dropped (set by
    /// `Arena::set_pooled`).
    pooled: bool,
    /// Unique in the process: tells a checkpoint of this arena from another's.
    id: u64,
    /// Which stretch of the arena's history an open [`scoped`](Arena::scoped) mark belongs to:
    /// 0 until a scope asks for it, then a process-unique value, and 0 again at every reset. The
    /// end of a scope whose mark has another era knows that the closure reset the arena (or
    /// swapped another one in), so its mark no longer describes the arena.
    era: Cell<u64>,
    /// The newest valid checkpoint's record, in the arena's own memory (see [`checkpoint`]).
    /// A `CheckpointRecord`, or `block::no_block()` for none.
    checkpoints: Cell<NonNull<u8>>,
    /// The stamp the next checkpoint record gets.
    next_stamp: Cell<u64>,
    /// Checkpoints with a smaller stamp were taken before the running `scoped` closure began,
    /// and are refused until it ends (0 outside any scope).
    scope_floor: Cell<u64>,
    /// Free blocks to take before asking for a new chunk: the blocks rewinds went back past,
    /// newest first (see [`checkpoint`]).
    /// A `SpareHeader`, or `block::no_block()` for none.
    spares: Cell<NonNull<u8>>,
    /// Bytes of the spare blocks together.
    spare_bytes: Cell<usize>,
    /// The most bytes held before a rewind since the last reset (see
    /// `Arena::peak_used_bytes`).
    peak_used: Cell<usize>,
    /// Whether the oldest chunk is memory kept for this round: by a reset that kept memory, or
    /// reserved up front (a capacity, the ballast). See `Arena::reset_for_reuse`.
    holds_kept: bool,
    /// Where the arena was created, for the trace line of an arena without a label.
    created_at: &'static std::panic::Location<'static>,
    /// `Arena` holds raw pointers to the values in its drop list; they are not shared.
    _not_sync: PhantomData<Cell<()>>,
}

// SAFETY: the only non-`Send` state is raw pointers into the arena's own chunks: the block's
// cursor and start, and the drop list's, every value of which was required to be `Send` by
// `alloc_droppable`; bumpalo's `Bump` is `Send`. Moving the arena moves ownership of all of it
// to the other thread at once.
unsafe impl Send for Arena {}

/// Compile-time proof that `T` has no drop glue: an arena frees its memory without running
/// destructors, so only [`Arena::alloc_droppable`] may take a value that needs one.
pub(crate) struct AssertNoDrop<T>(PhantomData<T>);

impl<T> AssertNoDrop<T> {
    /// Evaluated when `alloc::<T>` (or a container of `T`) is instantiated.
    pub(crate) const OK: () = assert!(
        !mem::needs_drop::<T>(),
        "arena values must not need Drop (an arena frees its memory without running \
         destructors): store `&'a str` (Arena::alloc_str) instead of String, `ArenaVec<'a, T>` \
         instead of Vec<T>, `&'a T` instead of Box<T>, or use Arena::alloc_droppable for a value \
         whose destructor must run. The last note below names the call; this check is made by \
         `cargo build`, `cargo test` and `cargo run`, not by `cargo check`"
    );
}
