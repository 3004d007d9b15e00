#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

pub use arena_core::{
    config, reserved_bytes_total, scope, AllocError, AllocErrorKind, Arena, ArenaBuilder,
    ArenaHashMap, ArenaPool, ArenaPoolBuilder, ArenaString, ArenaVec, CloneIn, CloneOut,
    CloneStrategy, CollectIn, FromIteratorIn, IntoIter, PoolStats, PooledArena, Stats,
};

pub use arena_macros::{arena_alloc, arena_scope};

/// Items the macros expand to. Not public API: names and signatures may change in any release.
#[doc(hidden)]
pub mod __private {
    pub use arena_core::__private::*;
    include!("private.rs");
}
