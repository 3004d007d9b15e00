//! [`AllocError`]: why an arena could not hand out memory.

use core::fmt;
use std::borrow::Cow;

/// An allocation an arena could not satisfy.
///
/// Returned by every `try_` method of [`Arena`](crate::Arena) (and by the arena's
/// [`Allocator`](allocator_api2::alloc::Allocator) impl, as the unit error that trait requires).
/// The methods without `try_` panic with this error's message instead. Either way the arena is
/// left exactly as it was before the call: nothing allocated earlier is touched, and later
/// allocations that fit still succeed.
///
/// # Example
///
/// ```
/// # use arena_core as arena;
/// use arena::{AllocErrorKind, Arena};
///
/// let mem = Arena::builder().limit(4096).label("parser").build();
/// let err = mem.try_alloc_slice_fill_with(1 << 20, |i| i as u8).unwrap_err();
/// assert!(matches!(err.kind(), AllocErrorKind::ArenaLimit { limit: 4096 }));
/// assert_eq!(err.requested(), 1 << 20);
/// assert_eq!(
///     err.to_string(),
///     "arena \"parser\": cannot allocate 1048576 bytes: the arena's limit of 4096 bytes \
///      would be exceeded: its chunks hold 0 bytes and no new chunk for 1048576 bytes fits in \
///      the 4096 left (a chunk holds a power of two or whole pages of bytes less 64 for its \
///      bookkeeping, and what it holds counts against the limit); raise the limit with \
///      Arena::builder().limit(..) or free memory first"
/// );
/// // The arena is still usable.
/// assert_eq!(*mem.alloc(7u32), 7);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllocError {
    kind: AllocErrorKind,
    requested: usize,
    label: Option<Cow<'static, str>>,
    /// For [`AllocErrorKind::ArenaLimit`]: the bytes the arena's chunks held already.
    held: usize,
    limit_set_by: LimitSetBy,
}

/// Where an arena's own limit was set, so that the message of an [`AllocErrorKind::ArenaLimit`]
/// advises the option the user wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum LimitSetBy {
    /// `Arena::builder().limit(..)` (or no limit).
    #[default]
    Builder,
    /// `arena_scope!(limit = .., ..)`.
    Scope,
    /// `ArenaPool::builder().limit(..)`.
    Pool,
}

impl LimitSetBy {
    /// The code that raises the limit.
    fn advice(self) -> &'static str {
        match self {
            LimitSetBy::Builder => "Arena::builder().limit(..)",
            LimitSetBy::Scope => "the scope's arena_scope!(limit = .., ..)",
            LimitSetBy::Pool => "ArenaPool::builder().limit(..)",
        }
    }
}

/// What stopped an allocation. See [`AllocError::kind`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AllocErrorKind {
    /// The arena's own limit ([`ArenaBuilder::limit`](crate::ArenaBuilder::limit), or a scope's
    /// `limit = ..`) would have been exceeded.
    ArenaLimit {
        /// The limit, in bytes of reserved memory.
        limit: usize,
    },
    /// The process-wide limit (`ARENA_MEMLIMIT` or
    /// [`config::set_memlimit`](crate::config::set_memlimit)) would have been exceeded.
    MemLimit {
        /// The limit, in bytes reserved by all arenas of the process together.
        limit: usize,
    },
    /// The size of the request overflows `usize` (for example `len * size_of::<T>()`), or its
    /// layout is invalid.
    CapacityOverflow,
    /// The global allocator refused to give memory for a new chunk.
    OutOfMemory,
    /// A knob in the environment is malformed, so the process-wide limit is unknown. The
    /// message names the variable, its value and the accepted grammar.
    Config(crate::config::ConfigError),
}

impl AllocError {
    pub(crate) fn new(kind: AllocErrorKind, requested: usize) -> Self {
        AllocError {
            kind,
            requested,
            label: None,
            held: 0,
            limit_set_by: LimitSetBy::Builder,
        }
    }

    /// Records the bytes the arena's chunks held when its limit refused a new chunk.
    pub(crate) fn with_held(mut self, held: usize) -> Self {
        self.held = held;
        self
    }

    pub(crate) fn with_label(mut self, label: Option<&Cow<'static, str>>) -> Self {
        self.label = label.cloned();
        self
    }

    pub(crate) fn with_limit_set_by(mut self, by: LimitSetBy) -> Self {
        self.limit_set_by = by;
        self
    }

    /// What stopped the allocation.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::{AllocErrorKind, Arena};
    ///
    /// let mem = Arena::new();
    /// let err = mem.try_alloc_slice_fill_with(usize::MAX, |_| 0u64).unwrap_err();
    /// assert_eq!(err.kind(), &AllocErrorKind::CapacityOverflow);
    /// ```
    pub fn kind(&self) -> &AllocErrorKind {
        &self.kind
    }

    /// The number of bytes that were asked for (`usize::MAX` when that number itself
    /// overflowed).
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::builder().limit(0).build();
    /// assert_eq!(mem.try_alloc(5u64).unwrap_err().requested(), 8);
    /// ```
    pub fn requested(&self) -> usize {
        self.requested
    }

    /// The label of the arena that refused, if it has one.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::builder().limit(0).label("cache").build();
    /// assert_eq!(mem.try_alloc(5u64).unwrap_err().label(), Some("cache"));
    /// ```
    pub fn label(&self) -> Option<&str> {
        self.label.as_deref()
    }
}

impl fmt::Display for AllocError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.label {
            Some(label) => write!(f, "arena {label:?}: ")?,
            None => f.write_str("arena: ")?,
        }
        match &self.kind {
            AllocErrorKind::CapacityOverflow => write!(
                f,
                "cannot allocate: the requested size overflows usize (a length times the \
                 element size is too large)"
            ),
            AllocErrorKind::ArenaLimit { limit } => write!(
                f,
                "cannot allocate {}: the arena's limit of {limit} bytes would be exceeded: \
                 its chunks hold {} bytes and no new chunk for {} bytes fits in the {} left (a \
                 chunk holds a power of two or whole pages of bytes less {} for its bookkeeping, \
                 and what it holds counts against the limit); raise the limit with \
                 {} or free memory first",
                Bytes(self.requested),
                self.held,
                self.requested,
                limit.saturating_sub(self.held),
                crate::arena::CHUNK_OVERHEAD,
                self.limit_set_by.advice(),
            ),
            AllocErrorKind::MemLimit { limit } => write!(
                f,
                "cannot allocate {}: the process-wide ARENA_MEMLIMIT of {limit} bytes \
                 would be exceeded by all arenas together (raise ARENA_MEMLIMIT or free arenas)",
                Bytes(self.requested)
            ),
            AllocErrorKind::OutOfMemory => write!(
                f,
                "cannot allocate {}: the global allocator is out of memory",
                Bytes(self.requested)
            ),
            AllocErrorKind::Config(err) => {
                write!(f, "cannot allocate {}: {err}", Bytes(self.requested))
            }
        }
    }
}

impl std::error::Error for AllocError {}

/// A byte count in a message: "1 byte", "4000 bytes".
struct Bytes(usize);

impl fmt::Display for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            1 => f.write_str("1 byte"),
            n => write!(f, "{n} bytes"),
        }
    }
}

impl From<AllocError> for allocator_api2::alloc::AllocError {
    fn from(_: AllocError) -> Self {
        allocator_api2::alloc::AllocError
    }
}

impl AllocError {
    /// Panics with this error's message, at the caller's location (see [`OrPanic`]).
    #[cold]
    #[inline(never)]
    #[track_caller]
    pub(crate) fn panic(self) -> ! {
        panic!("{self}")
    }
}

/// The one way a non-`try_` method turns its `try_` twin's error into a panic:
/// `self.try_x(..).or_panic()`.
///
/// Every function on the way, from the public method the user called to [`AllocError::panic`],
/// is `#[track_caller]` and none is a closure (a closure would report its own line), so the
/// panic names the user's line.
pub(crate) trait OrPanic<T> {
    /// The value, or a panic with the error's message at the caller's location.
    fn or_panic(self) -> T;
}

impl<T> OrPanic<T> for Result<T, AllocError> {
    #[inline(always)]
    #[track_caller]
    fn or_panic(self) -> T {
        match self {
            Ok(value) => value,
            Err(err) => err.panic(),
        }
    }
}
