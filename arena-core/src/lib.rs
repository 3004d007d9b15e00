//! The engine behind the [`arena`](https://docs.rs/arena) crate: the region [`Arena`], its
//! drop-free containers, the per-thread pool of scoped arenas, the clone-out / clone-in traits,
//! the process-wide memory budget and the Go-style knobs.
//!
//! Users depend on the `arena` facade, which re-exports everything here together with the
//! `#[arena_alloc]` and `arena_scope!` macros.
#![deny(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(clippy::undocumented_unsafe_blocks)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod allocator;
mod arena;
mod asan;
mod budget;
mod builder;
mod clone;
mod collect;
pub mod config;
#[cfg(feature = "serde")]
pub mod de;
mod drop_list;
mod error;
mod hash_map;
mod plain_data;
mod pool;
mod scope;
#[cfg(feature = "serde")]
mod serde_impls;
mod stats;
mod string;
#[cfg(feature = "counting-allocator")]
pub mod testing;
mod trace;
mod vec;

pub use crate::arena::{Arena, Checkpoint, CheckpointError};
pub use crate::builder::ArenaBuilder;
pub use crate::clone::{CloneIn, CloneOut, CloneStrategy};
pub use crate::collect::{CollectIn, FromIteratorIn};
#[cfg(feature = "serde")]
pub use crate::de::DeserializeIn;
pub use crate::error::{AllocError, AllocErrorKind};
pub use crate::hash_map::ArenaHashMap;
pub use crate::pool::{ArenaPool, ArenaPoolBuilder, PoolStats, PooledArena};
pub use crate::scope::scope;
pub use crate::stats::{ChunkUsage, Stats};
pub use crate::string::ArenaString;
pub use crate::vec::{ArenaVec, IntoIter};

/// allocator-api2, in the version whose `Allocator` trait `&Arena` implements. Name its
/// collections through this path (`arena::allocator_api2::vec::Vec<T, &Arena>`): a different
/// version in your own dependencies would be a different trait, which `&Arena` does not
/// implement ("multiple different versions of crate `allocator_api2`").
///
/// ```
/// # use arena_core as arena;
/// use arena::allocator_api2::vec::Vec;
/// use arena::Arena;
///
/// let mem = Arena::new();
/// let mut squares: Vec<u64, &Arena> = Vec::new_in(&mem);
/// squares.extend((1..=4).map(|i| i * i));
/// assert_eq!(squares, [1, 4, 9, 16]);
/// ```
pub use allocator_api2;

/// hashbrown, in the version built against the same allocator-api2 as `&Arena`, so its maps and
/// sets take `&Arena` as their allocator (`arena::hashbrown::HashMap<K, V, S, &Arena>`).
/// [`ArenaHashMap`] wraps its `HashMap` for the common case.
///
/// ```
/// # use arena_core as arena;
/// use arena::hashbrown::{DefaultHashBuilder, HashSet};
/// use arena::Arena;
///
/// let mem = Arena::new();
/// let mut seen: HashSet<&str, DefaultHashBuilder, &Arena> = HashSet::new_in(&mem);
/// for word in "to be or not to be".split(' ') {
///     seen.insert(word);
/// }
/// assert_eq!(seen.len(), 4);
/// ```
pub use hashbrown;

/// Bytes reserved by all arenas of the process together (standalone, pooled and retained): the
/// figure `ARENA_MEMLIMIT` bounds.
///
/// ```
/// # use arena_core as arena;
/// let mem = arena::Arena::with_capacity(1 << 16);
/// assert!(arena::reserved_bytes_total() >= 1 << 16);
/// # drop(mem);
/// ```
pub fn reserved_bytes_total() -> usize {
    budget::reserved_total()
}

/// Items the macros of the `arena` crate expand to. Not public API: names and signatures may
/// change in any release.
#[doc(hidden)]
pub mod __private {
    pub use crate::scope::{scope_with, scope_with_counting, ScopeOptions};
    #[cfg(feature = "serde")]
    pub use ::serde;

    /// What `#[arena_alloc(deserialize)]` expands to.
    #[cfg(feature = "serde")]
    pub mod de {
        pub use crate::de::support::{missing_field, missing_plain_field, PlainSeed};
        pub use crate::de::{DefaultIn, DeserializeIn, Mode, Seed};
    }
}
