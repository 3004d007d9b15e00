//! The `ARENA_DEBUG=arenatrace=1` line: one per scope end and per standalone arena free,
//! modelled on Go's `GODEBUG=gctrace=1`.
//!
//! ```text
//! arena 7 @0.012s 0.004 ms: 4096->4096 B used->kept, 8192 B reserved, 1 chunks, current 4096/8192 B, other 0/0 B, 35 allocs, 2 drops, limit off, src/main.rs:10, thread main
//! ```
//!
//! Fields, in order: sequence number (process-wide), seconds since the first arena of the
//! process reserved memory, how long the scope (or the free) took, bytes used at the end ->
//! bytes still reserved afterwards, bytes reserved at the end, chunks holding them, used/reserved
//! bytes of the chunk allocations come from and of the other chunks together (the slack: what is
//! reserved and holds nothing; an older chunk's is its unusable tail), allocations
//! (`-` for an arena created before tracing was turned on, which was not counting them),
//! destructors run, the arena's limit, its label (or else the scope's call site, or where a standalone
//! arena was created), and the thread that
//! ended the scope or freed the arena (its name, or `#` and its id for an unnamed thread): with
//! per-thread pools, that is also whose pool the arena belongs to.

use core::fmt::{self, Write as _};
use core::sync::atomic::{AtomicU64, Ordering};
use std::io::Write as _;
use std::sync::OnceLock;
use std::time::Instant;

use crate::config;
use crate::stats::ChunkUsage;

static SEQUENCE: AtomicU64 = AtomicU64::new(0);
static EPOCH: OnceLock<Instant> = OnceLock::new();

/// Marks the start of the process's arena activity (the `@` field counts from here).
pub(crate) fn mark_epoch() {
    EPOCH.get_or_init(Instant::now);
}

/// Whether tracing is on (loading the knobs a standalone arena reads first if no one has yet; a
/// malformed one reads as off here and is reported by the first allocation that needs memory).
pub(crate) fn enabled() -> bool {
    let state = config::scope_state();
    if state.is_standalone_loaded() {
        return state.traces();
    }
    config::ensure_standalone_loaded().is_ok_and(|state| state.traces())
}

/// `Some(now)` when tracing is on.
pub(crate) fn start_if_enabled() -> Option<Instant> {
    enabled().then(Instant::now)
}

/// What one line reports.
pub(crate) struct TraceLine<'s> {
    pub(crate) started: Instant,
    pub(crate) used: usize,
    pub(crate) kept: usize,
    pub(crate) reserved: usize,
    pub(crate) chunks: usize,
    /// Used and reserved bytes of the chunk allocations come from, and of the others together.
    pub(crate) current: ChunkUsage,
    pub(crate) other: ChunkUsage,
    /// `None` for an arena that was not counting (created before tracing was turned on).
    pub(crate) allocations: Option<usize>,
    pub(crate) drops: usize,
    pub(crate) limit: Option<usize>,
    pub(crate) place: &'s str,
}

/// A fixed buffer, so writing a trace line allocates nothing.
struct LineBuffer {
    bytes: [u8; 512],
    len: usize,
}

impl fmt::Write for LineBuffer {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let room = self.bytes.len() - 1 - self.len; // keep one byte for the newline
        let take = s.len().min(room);
        self.bytes[self.len..self.len + take].copy_from_slice(&s.as_bytes()[..take]);
        self.len += take;
        Ok(())
    }
}

impl TraceLine<'_> {
    /// Writes the line to stderr in one `write`.
    pub(crate) fn emit(&self) {
        let elapsed = self.started.elapsed();
        let since_start = EPOCH.get_or_init(Instant::now).elapsed();
        let sequence = SEQUENCE.fetch_add(1, Ordering::Relaxed) + 1;
        let mut line = LineBuffer {
            bytes: [0; 512],
            len: 0,
        };
        let _ = write!(
            line,
            "arena {sequence} @{:.3}s {:.3} ms: {}->{} B used->kept, {} B reserved, {} chunks, \
             current {}/{} B, other {}/{} B, ",
            since_start.as_secs_f64(),
            elapsed.as_secs_f64() * 1e3,
            self.used,
            self.kept,
            self.reserved,
            self.chunks,
            self.current.used_bytes,
            self.current.reserved_bytes,
            self.other.used_bytes,
            self.other.reserved_bytes,
        );
        let _ = match self.allocations {
            Some(count) => write!(line, "{count}"),
            None => line.write_str("-"),
        };
        let _ = write!(line, " allocs, {} drops, limit ", self.drops);
        let _ = match self.limit {
            Some(limit) => write!(line, "{limit} B"),
            None => line.write_str("off"),
        };
        let _ = write!(line, ", {}, thread ", self.place);
        let thread = std::thread::current();
        let _ = match thread.name() {
            Some(name) => line.write_str(name),
            None => write_thread_id(&mut line, thread.id()),
        };
        line.bytes[line.len] = b'\n';
        let _ = std::io::stderr().write_all(&line.bytes[..=line.len]);
    }
}

/// `#7` for `ThreadId(7)` (the number is not public API; its `Debug` form is).
fn write_thread_id(line: &mut LineBuffer, id: std::thread::ThreadId) -> fmt::Result {
    let mut debug = LineBuffer {
        bytes: [0; 512],
        len: 0,
    };
    let _ = write!(debug, "{id:?}");
    let text = core::str::from_utf8(&debug.bytes[..debug.len]).unwrap_or("");
    let digits = text.trim_start_matches("ThreadId(").trim_end_matches(')');
    write!(line, "#{digits}")
}

/// `file:line` of a location, written into `buffer` (no allocation); cut if too long.
pub(crate) fn format_location<'b>(
    location: &std::panic::Location<'_>,
    buffer: &'b mut [u8; 256],
) -> &'b str {
    use std::io::Write as _;
    let mut cursor = std::io::Cursor::new(&mut buffer[..]);
    let _ = write!(cursor, "{}:{}", location.file(), location.line());
    let len = cursor.position() as usize;
    let text = &buffer[..len];
    match core::str::from_utf8(text) {
        Ok(text) => text,
        Err(err) => core::str::from_utf8(&text[..err.valid_up_to()]).unwrap_or(""),
    }
}
