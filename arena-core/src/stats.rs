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
    /// arena created while `ARENA_DEBUG=arenatrace=1` is in force, and for a scope that starts
    /// while it is (the trace line reports the count).
    pub allocations: Option<usize>,
    /// Destructors registered with `alloc_droppable` that have not run yet.
    pub drops_pending: usize,
    /// The arena's own limit on `reserved_bytes`, if any.
    pub limit: Option<usize>,
    /// The arena's label, if any.
    pub label: Option<Cow<'static, str>>,
}
