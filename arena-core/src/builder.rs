//! [`ArenaBuilder`]: an arena with a capacity, a limit and a label.

use std::borrow::Cow;

use crate::arena::Arena;
use crate::error::{AllocError, LimitSetBy, OrPanic};

/// Configures an [`Arena`] before it is created. Made by [`Arena::builder`].
///
/// ```
/// # use arena_core as arena;
/// use arena::Arena;
///
/// let mem = Arena::builder()
///     .capacity(1 << 20) // reserve 1 MiB up front
///     .limit(64 << 20) // never reserve more than 64 MiB
///     .label("parser") // named in errors, stats and traces
///     .build();
/// assert!(mem.stats().reserved_bytes >= 1 << 20);
/// assert_eq!(mem.label(), Some("parser"));
/// ```
#[derive(Clone, Debug, Default)]
#[must_use = "an ArenaBuilder does nothing until `build` is called"]
pub struct ArenaBuilder {
    capacity: usize,
    limit: Option<usize>,
    label: Option<Cow<'static, str>>,
    count_allocations: Option<bool>,
}

impl ArenaBuilder {
    /// Bytes to reserve up front, in one chunk (default 0: nothing until the first allocation).
    ///
    /// With a [`limit`](ArenaBuilder::limit) the capacity may not exceed it (building fails),
    /// and the arena reserves no more than the limit allows: a capacity up to the limit whose
    /// chunk would be larger than the limit (chunks come in fixed sizes, see `limit`) gets the
    /// largest chunk within the limit, so `capacity(n).limit(n)` always builds.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// assert!(Arena::builder().capacity(4096).build().stats().reserved_bytes >= 4096);
    /// let all_of_it = Arena::builder().capacity(4096).limit(4096).build();
    /// assert_eq!(all_of_it.stats().reserved_bytes, 4096 - 64); // the largest chunk within 4096
    /// ```
    pub fn capacity(mut self, bytes: usize) -> Self {
        self.capacity = bytes;
        self
    }

    /// A hard limit on the bytes the arena may reserve. Allocations that would need more fail:
    /// `try_` methods return [`AllocError`], the others panic naming the limit.
    ///
    /// What counts is the usable bytes of the arena's chunks
    /// ([`Stats::reserved_bytes`](crate::Stats::reserved_bytes)); each chunk's bookkeeping (64
    /// bytes on a 64-bit target: bumpalo's footer and the global allocator's share) does not.
    /// bumpalo makes chunks of fixed sizes: usable bytes plus those 64 make a power of two (from
    /// 128) below a page, and whole pages above: 64, 192, 448, 960, 1984, 4032, then 8128,
    /// 12224, 16320 and so on. So a limit of `n` bytes holds one allocation as large as the
    /// largest such size within `n` (for `n` of 512 and more; below 448 bytes bumpalo's
    /// smallest chunks hold at most 112 bytes): `n - 64` when `n` is a power of two or a
    /// multiple of 4096, and a limit below 64 holds nothing but zero-size values. The error
    /// says how much the chunks hold and how much is left.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::builder().limit(4096).build();
    /// assert!(mem.try_alloc([0u8; 8192]).is_err());
    /// assert!(mem.stats().reserved_bytes <= 4096);
    ///
    /// let mem = Arena::builder().limit(4096).build();
    /// assert!(mem.try_alloc([0u8; 4096 - 64]).is_ok()); // one chunk of 4032 usable bytes
    /// let mem = Arena::builder().limit(4096).build();
    /// assert!(mem.try_alloc([0u8; 4096 - 63]).is_err()); // the next chunk holds 8128
    /// ```
    pub fn limit(mut self, bytes: usize) -> Self {
        self.limit = Some(bytes);
        self
    }

    /// A name for the arena, shown in error messages, [`Stats`](crate::Stats) and trace lines.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let worker = 3;
    /// let mem = Arena::builder().label(format!("worker-{worker}")).build();
    /// assert_eq!(mem.label(), Some("worker-3"));
    /// ```
    pub fn label(mut self, label: impl Into<Cow<'static, str>>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Whether the arena counts its allocations in [`Stats::allocations`](crate::Stats).
    /// The default is to count only while `ARENA_DEBUG=arenatrace=1` is in force when the arena
    /// is created: counting costs a read-modify-write on every allocation.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let counted = Arena::builder().count_allocations(true).build();
    /// counted.alloc(1u8);
    /// counted.alloc_str("two");
    /// assert_eq!(counted.stats().allocations, Some(2));
    ///
    /// let uncounted = Arena::builder().count_allocations(false).build();
    /// uncounted.alloc(1u8);
    /// assert_eq!(uncounted.stats().allocations, None);
    /// ```
    pub fn count_allocations(mut self, on: bool) -> Self {
        self.count_allocations = Some(on);
        self
    }

    /// Creates the arena.
    ///
    /// # Panics
    ///
    /// If the capacity cannot be reserved (it exceeds the limit or `ARENA_MEMLIMIT`, or memory
    /// is exhausted); [`try_build`](ArenaBuilder::try_build) returns the error instead.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::builder().build();
    /// assert_eq!(mem.stats().reserved_bytes, 0);
    /// ```
    #[track_caller]
    pub fn build(self) -> Arena {
        self.try_build().or_panic()
    }

    /// Creates the arena, or says why its capacity cannot be reserved.
    ///
    /// # Errors
    ///
    /// As [`Arena::try_alloc`](crate::Arena::try_alloc).
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let err = Arena::builder().capacity(1 << 20).limit(1 << 10).try_build().unwrap_err();
    /// assert!(err.to_string().contains("limit of 1024 bytes"));
    /// ```
    #[track_caller]
    pub fn try_build(self) -> Result<Arena, AllocError> {
        let mut arena = Arena::new();
        arena.set_limit(self.limit, LimitSetBy::Builder);
        arena.set_label(self.label);
        if let Some(on) = self.count_allocations {
            arena.set_counting(on);
        }
        arena.reserve_fresh(self.capacity)?;
        Ok(arena)
    }
}

impl Arena {
    /// A builder for an arena with a capacity, a limit and a label.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::builder().capacity(1 << 20).limit(512 << 20).label("parser").build();
    /// assert_eq!(mem.stats().limit, Some(512 << 20));
    /// ```
    pub fn builder() -> ArenaBuilder {
        ArenaBuilder::default()
    }
}
