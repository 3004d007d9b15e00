#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub use arena_core::{
    config, reserved_bytes_total, scope, AllocError, AllocErrorKind, Arena, ArenaBuilder,
    ArenaHashMap, ArenaPool, ArenaPoolBuilder, ArenaString, ArenaVec, Checkpoint, CheckpointError,
    ChunkUsage, CloneIn, CloneOut, CloneStrategy, CollectIn, FromIteratorIn, IntoIter, PoolStats,
    PooledArena, Stats,
};

#[cfg(feature = "serde")]
pub use arena_core::{de, DeserializeIn};

pub use arena_macros::{arena_alloc, arena_scope};

#[doc(no_inline)]
pub use arena_core::{allocator_api2, hashbrown};

#[cfg(feature = "counting-allocator")]
pub use arena_core::testing;

#[doc(hidden)]
pub mod __private;
