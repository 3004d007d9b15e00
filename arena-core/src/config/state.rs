//! The loaded state: the knob values in force, the state word the scopes' hot path reads, the
//! setters, and the one-time lazy read of the environment.
//!
//! Relies on [`parse`](super::parse) to read the environment and on the budget for the memory
//! limit.

use core::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::ffi::OsString;
use std::sync::{Mutex, MutexGuard, PoisonError};

use super::knobs::{Config, ConfigError, Knob, KnobSet, Retain};
use super::parse::{parse_ballast, parse_debug, parse_memlimit, parse_retain};
use crate::budget;

impl Config {
    /// Sets all four knobs to these values, overriding the environment for every one of them
    /// (the environment is then never read by a scope).
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::config::{self, Config, Retain};
    ///
    /// let config = Config { memlimit: Some(1 << 30), retain: Retain::Percent(50), ballast: 0, trace: false };
    /// config.install();
    /// assert_eq!(config::current(), Ok(config));
    /// ```
    pub fn install(&self) {
        let mut guard = writer();
        guard.install(self, KnobSet::ALL);
    }
}

/// The knobs' state word, read in one atomic load: whether every knob is loaded (valid, read
/// from the environment or set programmatically), whether the knobs a standalone arena reads
/// are, whether tracing is on, and a generation that every knob write advances, so a state seen
/// twice means no knob changed in between (the pool relies on it to reuse what it computed from
/// the retention knobs).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct KnobState(usize);

impl KnobState {
    /// Set once every knob is valid: read from a valid environment or set programmatically.
    const LOADED: usize = 1;
    /// Set while tracing is on (`ARENA_DEBUG=arenatrace=1` or [`set_trace`]).
    const TRACE: usize = 2;
    /// Set once the knobs a standalone arena reads (`ARENA_MEMLIMIT` and `ARENA_DEBUG`) are
    /// valid and in force, even if a scope's knob (`ARENA_RETAIN`, `ARENA_BALLAST`) is
    /// malformed. Implied by [`LOADED`](Self::LOADED).
    const STANDALONE_LOADED: usize = 4;
    /// The bits above the flags count the knob writes: every write adds this.
    const GENERATION_STEP: usize = 8;

    /// A state no real one equals (that would take 2^61 knob writes, 2^29 on a 32-bit target),
    /// and which no fast path accepts.
    pub(crate) const NEVER: KnobState = KnobState(usize::MAX);

    /// Whether every knob is loaded.
    #[inline(always)]
    pub(crate) fn is_loaded(self) -> bool {
        self.0 & KnobState::LOADED != 0
    }

    /// Whether the knobs a standalone arena reads are loaded (they are when every knob is).
    #[inline(always)]
    pub(crate) fn is_standalone_loaded(self) -> bool {
        self.0 & (KnobState::LOADED | KnobState::STANDALONE_LOADED) != 0
    }

    /// Whether tracing is on.
    #[inline(always)]
    pub(crate) fn traces(self) -> bool {
        self.0 & KnobState::TRACE != 0
    }

    /// Loaded with tracing off: what a scope's fast path needs.
    #[inline(always)]
    pub(crate) fn is_loaded_untraced(self) -> bool {
        self.0 & (KnobState::LOADED | KnobState::TRACE) == KnobState::LOADED
    }
}

/// The bits of [`KnobState`]. Written only under [`WRITER`]; stored with `Release` after the
/// knob values, so a reader that sees it loaded with `Acquire` also sees the values. A 64-bit counter of writes does not wrap in practice; on a 32-bit target it wraps
/// after 2^30 writes, and a slot idle for exactly a multiple of that many could end one scope
/// under stale retention knobs (memory kept or freed a round late, nothing unsound).
static STATE: AtomicUsize = AtomicUsize::new(0);

/// `ARENA_RETAIN`: [`RETAIN_OFF`] or the percent.
static RETAIN: AtomicU64 = AtomicU64::new(100);
const RETAIN_OFF: u64 = u64::MAX;

/// `ARENA_BALLAST` in bytes.
static BALLAST: AtomicUsize = AtomicUsize::new(0);

/// Serializes every write of the knobs: the setters, [`Config::install`] and the lazy load.
/// Only cold paths take it.
static WRITER: Mutex<Writer> = Mutex::new(Writer {
    overridden: KnobSet::NONE,
    env: None,
});

struct Writer {
    /// The knobs set programmatically ([`Knob::bit`]): the environment no longer counts for
    /// them.
    overridden: KnobSet,
    /// The environment as the lazy load first read it, kept so that a malformed knob gives the
    /// same error on every call.
    env: Option<EnvKnobs>,
}

fn writer() -> MutexGuard<'static, Writer> {
    // Nothing panics while the lock is held; should it, the state is still consistent.
    WRITER.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Writer {
    /// Stores the knobs of `config` selected by `knobs` (bits of [`Knob::bit`]) and marks them
    /// set programmatically.
    fn install(&mut self, config: &Config, knobs: KnobSet) {
        self.store(config, knobs);
        self.overridden = self.overridden.union(knobs);
        if self.overridden == KnobSet::ALL {
            STATE.fetch_or(KnobState::LOADED, Ordering::Release);
        }
    }

    /// Stores the knobs of `config` selected by `knobs`.
    fn store(&mut self, config: &Config, knobs: KnobSet) {
        if knobs.contains(Knob::Memlimit) {
            budget::set_memlimit(config.memlimit);
        }
        if knobs.contains(Knob::Retain) {
            let encoded = match config.retain {
                Retain::Off => RETAIN_OFF,
                Retain::Percent(p) => u64::from(p),
            };
            RETAIN.store(encoded, Ordering::Relaxed);
        }
        if knobs.contains(Knob::Ballast) {
            BALLAST.store(config.ballast, Ordering::Relaxed);
        }
        if knobs.contains(Knob::Debug) {
            if config.trace {
                STATE.fetch_or(KnobState::TRACE, Ordering::Release);
            } else {
                STATE.fetch_and(!KnobState::TRACE, Ordering::Release);
            }
        }
        STATE.fetch_add(KnobState::GENERATION_STEP, Ordering::Release);
    }
}

/// The four variables as read from the environment: each parsed, or the error.
struct EnvKnobs {
    memlimit: Result<Option<usize>, ConfigError>,
    retain: Result<Retain, ConfigError>,
    ballast: Result<usize, ConfigError>,
    trace: Result<bool, ConfigError>,
}

impl EnvKnobs {
    fn read() -> Self {
        EnvKnobs {
            memlimit: read_var(Knob::Memlimit, parse_memlimit, None),
            retain: read_var(Knob::Retain, parse_retain, Retain::default()),
            ballast: read_var(Knob::Ballast, parse_ballast, 0),
            trace: read_var(Knob::Debug, parse_debug, false),
        }
    }

    /// The configuration of the knobs not in `skip` (others are left at their defaults), or the
    /// error listing every malformed one among them.
    fn config(&self, skip: KnobSet) -> Result<Config, ConfigError> {
        let mut errors = Vec::new();
        let mut config = Config::default();
        let mut take = |knob: Knob, result: Result<(), &ConfigError>| {
            if !skip.contains(knob) {
                if let Err(e) = result {
                    errors.push(e.clone());
                }
            }
        };
        take(
            Knob::Memlimit,
            self.memlimit.as_ref().map(|&v| config.memlimit = v),
        );
        take(
            Knob::Retain,
            self.retain.as_ref().map(|&v| config.retain = v),
        );
        take(
            Knob::Ballast,
            self.ballast.as_ref().map(|&v| config.ballast = v),
        );
        take(Knob::Debug, self.trace.as_ref().map(|&v| config.trace = v));
        let mut errors = errors.into_iter();
        match errors.next() {
            None => Ok(config),
            Some(first) => Err(first.with_others(errors.collect())),
        }
    }
}

/// Reads and parses one variable; unset or empty gives `default`.
fn read_var<T>(
    knob: Knob,
    parse: fn(&str) -> Result<T, ConfigError>,
    default: T,
) -> Result<T, ConfigError> {
    let value: OsString = match std::env::var_os(knob.variable()) {
        None => return Ok(default),
        Some(value) if value.is_empty() => return Ok(default),
        Some(value) => value,
    };
    match value.to_str() {
        Some(s) => parse(s),
        None => Err(ConfigError::new(
            knob,
            &value.to_string_lossy(),
            "the value is not valid UTF-8".to_owned(),
        )),
    }
}

/// Reads and validates all four variables now; if every one is well-formed, installs them (as
/// [`Config::install`] does, overriding earlier setters) and returns them. Otherwise installs
/// nothing and returns an error describing the first malformed variable, with the others in
/// [`ConfigError::others`].
///
/// An unset variable, or one set to the empty string, gives that knob's default. Call this at
/// start-up to fail early; without it, the first scope reads the environment and panics on a
/// malformed knob.
///
/// ```
/// # use arena_core as arena;
/// match arena::config::from_env() {
///     Ok(config) => assert_eq!(arena::config::current(), Ok(config)),
///     Err(e) => eprintln!("{e}"),
/// }
/// ```
pub fn from_env() -> Result<Config, ConfigError> {
    let config = EnvKnobs::read().config(KnobSet::NONE)?;
    config.install();
    Ok(config)
}

/// What is in force now, reading the environment first if no scope has yet (as a scope would).
/// Fails with the same error a scope would panic with when a knob that was not set
/// programmatically is malformed in the environment.
///
/// A memory limit of `usize::MAX` bytes is the same as no limit and is reported as `None`.
///
/// ```
/// # use arena_core as arena;
/// use arena::config::{self, Retain};
///
/// config::set_memlimit(Some(64 << 20));
/// config::set_retain(Retain::Off);
/// config::set_ballast(1 << 20);
/// config::set_trace(false);
/// let now = config::current().unwrap();
/// assert_eq!(now.memlimit, Some(64 << 20));
/// assert_eq!(now.retain, Retain::Off);
/// assert_eq!(now.ballast, 1 << 20);
/// ```
pub fn current() -> Result<Config, ConfigError> {
    let state = ensure_loaded()?;
    Ok(Config {
        memlimit: budget::memlimit(),
        retain: retain(),
        ballast: ballast(),
        trace: state.traces(),
    })
}

/// Sets the process-wide memory limit (`ARENA_MEMLIMIT`); `None` is `off`. Overrides the
/// environment for this knob. Memory already reserved is never taken back: a limit below the
/// current total only makes further reservations fail until enough is released.
///
/// ```
/// # use arena_core as arena;
/// arena::config::set_memlimit(Some(512 << 20));
/// assert_eq!(arena::config::parse_memlimit("512MiB"), Ok(Some(512 << 20)));
/// ```
pub fn set_memlimit(limit: Option<usize>) {
    let config = Config {
        memlimit: limit,
        ..Config::default()
    };
    writer().install(&config, KnobSet::of(Knob::Memlimit));
}

/// Sets the retention policy of pooled arenas (`ARENA_RETAIN`). Overrides the environment for
/// this knob.
///
/// It applies from the next scope on every thread; a scope already open may end under the
/// settings it started with.
///
/// ```
/// # use arena_core as arena;
/// use arena::config::{set_retain, Retain};
/// set_retain(Retain::Percent(50));
/// ```
pub fn set_retain(retain: Retain) {
    let config = Config {
        retain,
        ..Config::default()
    };
    writer().install(&config, KnobSet::of(Knob::Retain));
}

/// Sets the bytes each new pooled arena reserves up front (`ARENA_BALLAST`). Overrides the
/// environment for this knob.
///
/// It applies from the next scope on every thread; a scope already open may end under the
/// settings it started with.
///
/// ```
/// # use arena_core as arena;
/// arena::config::set_ballast(64 << 20);
/// ```
pub fn set_ballast(bytes: usize) {
    let config = Config {
        ballast: bytes,
        ..Config::default()
    };
    writer().install(&config, KnobSet::of(Knob::Ballast));
}

/// Turns the trace lines on or off (`ARENA_DEBUG=arenatrace=1`). Overrides the environment
/// for this knob.
///
/// It applies from the next scope on every thread; a scope already open may end under the
/// settings it started with.
///
/// ```
/// # use arena_core as arena;
/// arena::config::set_trace(false);
/// ```
pub fn set_trace(on: bool) {
    let config = Config {
        trace: on,
        ..Config::default()
    };
    writer().install(&config, KnobSet::of(Knob::Debug));
}

/// The [`KnobState`] in one atomic load. The hot path of
/// a scope compares it with the state its pooled arena was last set up under, and takes
/// [`ensure_loaded`] and the general path when it differs.
///
/// The load is `Acquire` (a plain load on x86-64, as `Relaxed` is) so that a thread that sees
/// it loaded also sees the knob values installed before it, the memory limit included.
#[inline(always)]
pub(crate) fn scope_state() -> KnobState {
    KnobState(STATE.load(Ordering::Acquire))
}

/// The cold path: reads the environment the first time (once per process, under a lock, so
/// exactly one reader wins and setters cannot race it), installs the knobs that were not set
/// programmatically, and returns the state bits. If one of those knobs is malformed, installs
/// nothing and returns the same error on every call, until the knob is set programmatically or
/// [`from_env`] succeeds.
pub(crate) fn ensure_loaded() -> Result<KnobState, ConfigError> {
    let state = scope_state();
    if state.is_loaded() {
        return Ok(state);
    }
    load_slow()
}

#[cold]
#[inline(never)]
fn load_slow() -> Result<KnobState, ConfigError> {
    let mut guard = writer();
    let state = scope_state();
    if state.is_loaded() {
        return Ok(state);
    }
    let skip = guard.overridden;
    let env = guard.env.get_or_insert_with(EnvKnobs::read);
    let config = env.config(skip)?;
    guard.store(&config, KnobSet::ALL.without(skip));
    let bits = STATE.fetch_or(KnobState::LOADED, Ordering::Release) | KnobState::LOADED;
    Ok(KnobState(bits))
}

/// What a standalone arena needs before it reserves memory or decides whether to trace: the
/// process-wide limit (`ARENA_MEMLIMIT`) and tracing (`ARENA_DEBUG`) in force. Unlike
/// [`ensure_loaded`], a malformed `ARENA_RETAIN` or `ARENA_BALLAST` does not fail it: only
/// pooled arenas read those. Returns the state bits.
#[inline]
pub(crate) fn ensure_standalone_loaded() -> Result<KnobState, ConfigError> {
    let state = scope_state();
    if state.is_standalone_loaded() {
        return Ok(state);
    }
    load_standalone_slow()
}

#[cold]
#[inline(never)]
fn load_standalone_slow() -> Result<KnobState, ConfigError> {
    let mut guard = writer();
    let state = scope_state();
    if state.is_standalone_loaded() {
        return Ok(state);
    }
    let standalone = KnobSet::of(Knob::Memlimit).union(KnobSet::of(Knob::Debug));
    let skip = guard.overridden.union(KnobSet::ALL.without(standalone));
    let env = guard.env.get_or_insert_with(EnvKnobs::read);
    let config = env.config(skip)?;
    guard.store(&config, KnobSet::ALL.without(skip));
    let bits = STATE.fetch_or(KnobState::STANDALONE_LOADED, Ordering::Release)
        | KnobState::STANDALONE_LOADED;
    Ok(KnobState(bits))
}

/// `ARENA_RETAIN` as installed. Meaningful after [`ensure_loaded`] succeeded.
#[inline]
pub(crate) fn retain() -> Retain {
    match RETAIN.load(Ordering::Relaxed) {
        RETAIN_OFF => Retain::Off,
        percent => Retain::Percent(percent as u32),
    }
}

/// `ARENA_BALLAST` as installed. Meaningful after [`ensure_loaded`] succeeded.
#[inline]
pub(crate) fn ballast() -> usize {
    BALLAST.load(Ordering::Relaxed)
}
