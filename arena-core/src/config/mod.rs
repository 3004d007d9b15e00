//! The Go-style knobs: `ARENA_MEMLIMIT`, `ARENA_RETAIN`, `ARENA_BALLAST` and `ARENA_DEBUG`.
//!
//! Each knob mirrors a Go runtime setting, reads the same way from the environment, and has a
//! programmatic setter here.
//!
//! | variable | grammar | default | Go counterpart | meaning |
//! |---|---|---|---|---|
//! | `ARENA_MEMLIMIT` | `off`, or ASCII digits with an optional unit `B`, `KiB`, `MiB`, `GiB` or `TiB` (`500MiB`) | `off` | `GOMEMLIMIT` (the same grammar) | a hard limit on the memory reserved by all arenas of the process together |
//! | `ARENA_RETAIN` | `off`, or ASCII digits: a whole percent that fits a `u32` (`50`) | `100` | `GOGC` | after a scope, a pooled arena keeps at most this percent of the memory that scope needed; `0` keeps nothing, `off` keeps everything |
//! | `ARENA_BALLAST` | the `ARENA_MEMLIMIT` byte grammar; `off` means `0` (`64MiB`) | `0` | a heap ballast, `make([]byte, 10<<30)` | bytes each pooled arena reserves when it is created |
//! | `ARENA_DEBUG` | a comma-separated list of `key=value`; the one key is `arenatrace`, with `0` or `1` (`arenatrace=1`) | `arenatrace=0` | `GODEBUG=gctrace=1` | print one trace line to stderr per scope end and per arena free |
//!
//! # When the environment is read
//!
//! The environment is read lazily, once, by the first scope (or the first call to [`current`]),
//! or eagerly by [`from_env`], which a program can call at start-up to fail early. Like Go's
//! runtime with a malformed `GOMEMLIMIT`, a malformed knob is never silently ignored or replaced
//! by its default: every scope panics with the same [`ConfigError`] until the program either
//! fixes the environment and calls [`from_env`], or sets that knob programmatically.
//!
//! A standalone arena ([`Arena::new`](crate::Arena::new), [`Arena::builder`](crate::Arena::builder))
//! reads only the knobs it uses: `ARENA_MEMLIMIT` (its chunks count against the process-wide
//! limit) and `ARENA_DEBUG` (its free is traced). A malformed `ARENA_RETAIN` or `ARENA_BALLAST`
//! fails scopes and [`ArenaPool`](crate::ArenaPool) loans, not a standalone arena.
//!
//! # Decisions
//!
//! * **Byte grammar**: exactly Go's `parseByteCount` (`^[0-9]+(([KMGT]i)?B)?$`): no sign, no
//!   spaces, no decimals, no digit separators, no `0x`, case-sensitive units, `off` only in
//!   lowercase. As in Go, a byte count above `i64::MAX` (9223372036854775807, so `8388608TiB`
//!   and up) is an error; on a 32-bit target so is one above `usize::MAX`. (Go's implementation
//!   also accepts `-0`; its documented grammar does not, and neither does this one.) A limit of
//!   `usize::MAX` bytes set with [`set_memlimit`] means the same as `off`, and [`current`]
//!   reports it as `None`.
//! * **`ARENA_BALLAST` accepts `off`**, meaning `0`, so both byte knobs share one grammar.
//! * **Empty variables**: the parsers reject an empty string (except [`parse_debug`], where an
//!   empty list means the defaults), but a variable that is *set to the empty string* is treated
//!   as unset when the environment is read, as Go's runtime does for `GOMEMLIMIT=` and `GOGC=`.
//!   A value that is not valid UTF-8 is malformed.
//! * **`ARENA_DEBUG`**: empty items are skipped (`arenatrace=1,` is fine) and a later setting of
//!   the same key overrides an earlier one, as in `GODEBUG`. Unlike `GODEBUG`, an **unknown key is
//!   rejected**, naming the known keys: a misspelt `arenatrce=1` should not silently do nothing.
//!   An item without `=` is rejected too.
//! * **Errors list every malformed variable**: [`from_env`] (and the first scope) check all four
//!   knobs; the error returned describes the first malformed one in the order of the table above,
//!   and [`ConfigError::others`] holds the rest. Its `Display` prints one line per variable.
//! * **Setters win over the environment, per knob**: a program that calls [`set_memlimit`]
//!   before its first scope never fails because of `ARENA_MEMLIMIT`, but a malformed
//!   `ARENA_RETAIN` still fails that scope unless it is set too. [`from_env`] and
//!   [`Config::install`] set all four knobs.

// The rooms of this module: `knobs` holds the public types (`Config`, `Retain`, `ConfigError`)
// and the knobs' names and grammars; `parse` the parsers; `hints` the "did you mean" hints a
// malformed value gets; `state` the process-wide state: the installed values, the setters and
// the lazy load. `parse` and `hints` call each other (a hint is offered only if it parses);
// `state` relies on `parse` and `knobs`; `knobs` relies on nothing else.

mod hints;
mod knobs;
mod parse;
mod state;

pub use self::knobs::{Config, ConfigError, Retain};
pub use self::parse::{parse_ballast, parse_debug, parse_memlimit, parse_retain};
pub(crate) use self::state::{
    ballast, ensure_loaded, ensure_standalone_loaded, retain, scope_state, KnobState,
};
pub use self::state::{current, from_env, set_ballast, set_memlimit, set_retain, set_trace};
