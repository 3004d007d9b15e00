//! [`Stats`]: a snapshot of what an arena holds.

use std::borrow::Cow;

/// A snapshot of an arena's memory, returned by [`Arena::stats`](crate::Arena::stats).
///
/// # Example
///
/// ```
/// # use arena_core as arena;
/// use arena::Arena;
///
/// let mem = Arena::builder()
///     .limit(1 << 20)
///     .label("demo")
///     .count_allocations(true)
///     .build();
/// mem.alloc(1u64);
/// mem.alloc_droppable(String::from("owned"));
/// let stats = mem.stats();
/// assert_eq!(stats.allocations, Some(2));
/// assert_eq!(stats.drops_pending, 1);
/// assert!(stats.used_bytes >= 8 && stats.used_bytes <= stats.reserved_bytes);
/// assert_eq!(stats.chunks, 1);
/// assert_eq!(stats.current_chunk.reserved_bytes, stats.reserved_bytes);
/// assert_eq!(stats.other_chunks.reserved_bytes, 0);
/// assert_eq!(stats.limit, Some(1 << 20));
/// assert_eq!(stats.label.as_deref(), Some("demo"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Stats {
    /// Bytes handed out since the last reset, alignment padding included, counting every byte
    /// consumed from older chunks (a chunk's unusable tail counts once a newer chunk took over).
    pub used_bytes: usize,
    /// Bytes of chunk memory the arena holds (each chunk also carries a small fixed-size
    /// bookkeeping footer, not counted here nor against limits).
    pub reserved_bytes: usize,
    /// How many chunks hold that memory.
    pub chunks: usize,
    /// The chunk allocations come from now (after a checkpoint's rewind into an older chunk,
    /// the part of it the arena went back to): its bytes, and how many of them are handed out.
    /// Its [`free_bytes`](ChunkUsage::free_bytes) are what the arena can still hand out without
    /// a new chunk.
    pub current_chunk: ChunkUsage,
    /// The other chunks together (empty with one chunk). An older chunk was filled until an
    /// allocation did not fit and a newer chunk took over: the tail it was left with holds
    /// nothing, and nothing can use it before a reset (which merges the chunks into one, or
    /// makes them all free again in place at the end of a pooled round that outgrew its kept
    /// memory), so
    /// `used_bytes` counts it while this does not: `used_bytes` is
    /// `current_chunk.used_bytes + other_chunks.used_bytes` plus those tails.
    pub other_chunks: ChunkUsage,
    /// Allocations made since the last reset, or `None` when the arena does not count them.
    ///
    /// Each value, slice, string and destructor registration counts once. An arena container
    /// (`ArenaVec`, `ArenaString`, `ArenaHashMap`) counts once when it takes its first buffer;
    /// growing it does not count, whether it grows in place, by a copy, or, for a hash map, by
    /// moving to a new table. A copy of a container (`clone`) is a container of its own and
    /// counts its first buffer. Through the `Allocator` impl of `&Arena` (allocator-api2 and
    /// hashbrown collections), each `allocate` counts and `grow` and `shrink` do not: a
    /// collection that grows by allocating a new buffer, as a hashbrown `HashMap` does, counts
    /// every buffer it takes.
    ///
    /// Counting is off by default, because it is not free: one more read-modify-write per
    /// allocation made binary-trees about a fifth slower. It is on for an arena built with
    /// [`ArenaBuilder::count_allocations`](crate::ArenaBuilder::count_allocations), for an
    /// arena created while `ARENA_DEBUG=arenatrace=1` is in force, for a scope that starts
    /// while it is (the trace line reports the count), and for a scope written
    /// `arena_scope!(count_allocations = true, ..)`.
    pub allocations: Option<usize>,
    /// Destructors registered with `alloc_droppable` that have not run yet.
    pub drops_pending: usize,
    /// The arena's own limit on `reserved_bytes`, if any.
    pub limit: Option<usize>,
    /// The arena's label, if any.
    pub label: Option<Cow<'static, str>>,
}

/// How much of some chunk memory is handed out: a part of [`Stats`].
///
/// The difference, [`free_bytes`](ChunkUsage::free_bytes), is the arena's slack there: bytes
/// reserved that hold nothing. (Which handed-out bytes still belong to live values is not
/// knowable: an arena never learns when a value stops being used.)
///
/// ```
/// # use arena_core as arena;
/// use arena::Arena;
///
/// let mem = Arena::with_capacity(4096);
/// mem.alloc_slice_copy(&[0u8; 1000]);
/// let current = mem.stats().current_chunk;
/// assert_eq!(current.used_bytes, 1000);
/// assert!(current.reserved_bytes >= 4096);
/// assert_eq!(current.free_bytes(), current.reserved_bytes - 1000);
///
/// // An allocation larger than what is left takes a new chunk; the old one keeps its tail.
/// mem.alloc_slice_copy(&[0u8; 8000]);
/// let stats = mem.stats();
/// assert_eq!(stats.chunks, 2);
/// assert_eq!(stats.other_chunks.used_bytes, 1000);
/// assert_eq!(stats.current_chunk.used_bytes, 8000);
/// // `used_bytes` also counts the old chunk's tail, which nothing can use before a reset.
/// assert_eq!(
///     stats.used_bytes,
///     stats.current_chunk.used_bytes + stats.other_chunks.reserved_bytes,
/// );
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ChunkUsage {
    /// Bytes of chunk memory (footers not counted, as in [`Stats::reserved_bytes`]).
    pub reserved_bytes: usize,
    /// Bytes of it handed out since the last reset, alignment padding included.
    pub used_bytes: usize,
}

impl ChunkUsage {
    /// Bytes reserved but not handed out: `reserved_bytes - used_bytes`.
    pub fn free_bytes(&self) -> usize {
        self.reserved_bytes - self.used_bytes
    }
}
