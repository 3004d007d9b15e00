//! [`CheckpointError`]: why a rewind was refused, and the message that says what to do instead.
//! It relies on nothing but the checkpoint rules of the `checkpoint` room beside it.

use core::fmt;

#[cfg(doc)]
use super::{Arena, Checkpoint};

/// Why a [`Checkpoint`] was refused by [`Arena::try_rewind`]. The arena is unchanged.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CheckpointError {
    /// The checkpoint was taken in another arena.
    OtherArena,
    /// The arena was reset, or rewound to a point before the checkpoint, after it was taken.
    Stale,
    /// The checkpoint is valid, but was taken before the [`Arena::scoped`] closure now running
    /// began: inside a scope, only the scope's own checkpoints can be rewound to.
    OutsideScope,
}

impl fmt::Display for CheckpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CheckpointError::OtherArena => {
                "cannot rewind to a checkpoint of another arena: take the checkpoint from the \
                 arena you rewind"
            }
            CheckpointError::Stale => {
                "cannot rewind to a stale checkpoint: the arena was reset, or rewound to an \
                 earlier checkpoint, after it was taken; take a new checkpoint after the reset \
                 or rewind"
            }
            CheckpointError::OutsideScope => {
                "cannot rewind past the start of the running `scoped` closure: the checkpoint \
                 was taken before the scope began; rewind to it after the scope returns"
            }
        })
    }
}

impl std::error::Error for CheckpointError {}
