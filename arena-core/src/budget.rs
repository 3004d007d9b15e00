//! The process-wide memory budget behind `ARENA_MEMLIMIT`.
//!
//! Every arena in the process (standalone, pooled or retained) reserves the bytes of a new chunk
//! here *before* the chunk is allocated, and gives them back when the chunk is freed. The
//! reservation is a compare-and-swap on one counter, so two threads that together ask for more
//! than the limit cannot both succeed: the limit is hard. Only chunk allocation touches this
//! module; the allocation fast path never does.

use core::sync::atomic::{AtomicUsize, Ordering};

/// `usize::MAX` means "no limit" (`ARENA_MEMLIMIT=off`).
static MEMLIMIT: AtomicUsize = AtomicUsize::new(usize::MAX);

/// Bytes reserved by all arenas of the process together.
static RESERVED: AtomicUsize = AtomicUsize::new(0);

/// The process-wide limit, `None` when off.
pub(crate) fn memlimit() -> Option<usize> {
    match MEMLIMIT.load(Ordering::Relaxed) {
        usize::MAX => None,
        limit => Some(limit),
    }
}

/// Sets the process-wide limit. Memory already reserved is never taken back: a limit below the
/// current total only makes further reservations fail until enough is released.
pub(crate) fn set_memlimit(limit: Option<usize>) {
    MEMLIMIT.store(limit.unwrap_or(usize::MAX), Ordering::Relaxed);
}

/// Bytes currently reserved by all arenas of the process.
pub(crate) fn reserved_total() -> usize {
    RESERVED.load(Ordering::Relaxed)
}

/// Reserves `bytes` under the process-wide limit, or reports the limit that refused them.
pub(crate) fn try_reserve(bytes: usize) -> Result<(), usize> {
    let mut current = RESERVED.load(Ordering::Relaxed);
    loop {
        let limit = MEMLIMIT.load(Ordering::Relaxed);
        let wanted = match current.checked_add(bytes) {
            Some(total) if total <= limit => total,
            _ => return Err(limit),
        };
        match RESERVED.compare_exchange_weak(current, wanted, Ordering::AcqRel, Ordering::Relaxed) {
            Ok(_) => return Ok(()),
            Err(seen) => current = seen,
        }
    }
}

/// Gives back bytes reserved earlier with [`try_reserve`].
pub(crate) fn release(bytes: usize) {
    if bytes != 0 {
        RESERVED.fetch_sub(bytes, Ordering::AcqRel);
    }
}
