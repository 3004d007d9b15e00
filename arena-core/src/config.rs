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
//! # Decisions
//!
//! * **Byte grammar**: exactly Go's `parseByteCount` (`^[0-9]+(([KMGT]i)?B)?$`): no sign, no
//!   spaces, no decimals, no digit separators, no `0x`, case-sensitive units, `off` only in
//!   lowercase. Where Go caps values at `i64::MAX`, the cap here is `usize::MAX`: a value whose
//!   byte count does not fit a `usize` is an error. (Go's implementation also accepts `-0`; its
//!   documented grammar does not, and neither does this one.) A limit of `usize::MAX` bytes means
//!   the same as `off`, and [`current`] reports it as `None`.
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

use core::fmt;
use core::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::ffi::OsString;
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::budget;

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

/// The four knobs together: what [`from_env`] parses, [`current`] reports and
/// [`Config::install`] sets.
///
/// ```
/// use arena_core::config::{Config, Retain};
///
/// let defaults = Config::default();
/// assert_eq!(defaults.memlimit, None);
/// assert_eq!(defaults.retain, Retain::Percent(100));
/// assert_eq!(defaults.ballast, 0);
/// assert!(!defaults.trace);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// `ARENA_MEMLIMIT`: the process-wide limit on memory reserved by all arenas, in bytes;
    /// `None` is `off`.
    pub memlimit: Option<usize>,
    /// `ARENA_RETAIN`: how much memory a pooled arena keeps after a scope.
    pub retain: Retain,
    /// `ARENA_BALLAST`: bytes each pooled arena reserves when it is created.
    pub ballast: usize,
    /// `ARENA_DEBUG=arenatrace=1`: print a trace line per scope end and per arena free.
    pub trace: bool,
}

impl Config {
    /// Sets all four knobs to these values, overriding the environment for every one of them
    /// (the environment is then never read by a scope).
    ///
    /// ```
    /// use arena_core::config::{self, Config, Retain};
    ///
    /// let config = Config { memlimit: Some(1 << 30), retain: Retain::Percent(50), ballast: 0, trace: false };
    /// config.install();
    /// assert_eq!(config::current(), Ok(config));
    /// ```
    pub fn install(&self) {
        let mut guard = writer();
        guard.install(self, ALL_KNOBS);
    }
}

/// `ARENA_RETAIN`: how much memory a pooled arena keeps after a scope, the analogue of `GOGC`.
///
/// The default is `Percent(100)`: a pooled arena keeps what the last scope needed.
///
/// ```
/// use arena_core::config::{parse_retain, Retain};
///
/// assert_eq!(Retain::default(), Retain::Percent(100));
/// assert_eq!(parse_retain("0"), Ok(Retain::Percent(0)));
/// assert_eq!(parse_retain("off"), Ok(Retain::Off));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Retain {
    /// Keep at most this percent of the memory the last scope needed, rounded up to whole
    /// chunks; `Percent(0)` keeps nothing.
    Percent(u32),
    /// Keep everything ever reserved (`ARENA_RETAIN=off`).
    Off,
}

impl Default for Retain {
    fn default() -> Self {
        Retain::Percent(100)
    }
}

/// A malformed knob: names the variable, its value, what is wrong and the accepted grammar.
///
/// When several variables are malformed, the error describes the first one (in the order
/// `ARENA_MEMLIMIT`, `ARENA_RETAIN`, `ARENA_BALLAST`, `ARENA_DEBUG`) and [`others`](Self::others)
/// holds the rest; `Display` prints one line per malformed variable.
///
/// ```
/// use arena_core::config::parse_memlimit;
///
/// let err = parse_memlimit("500MB").unwrap_err();
/// assert_eq!(err.variable(), "ARENA_MEMLIMIT");
/// assert_eq!(err.value(), "500MB");
/// assert_eq!(
///     err.to_string(),
///     "ARENA_MEMLIMIT=\"500MB\" is malformed: expected `off` or a whole number of bytes with an \
///      optional unit B, KiB, MiB, GiB or TiB (for example 500MiB); \"MB\" is not a unit (did you mean MiB?)"
/// );
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ConfigError(
    // Boxed: one pointer wide, so that it costs nothing in `AllocError` and hot-path `Result`s.
    Box<Detail>,
);

#[derive(Clone, PartialEq, Eq)]
struct Detail {
    variable: &'static str,
    value: String,
    grammar: &'static str,
    problem: String,
    others: Vec<ConfigError>,
}

impl ConfigError {
    fn new(knob: Knob, value: &str, problem: String) -> Self {
        ConfigError(Box::new(Detail {
            variable: knob.variable(),
            value: value.to_owned(),
            grammar: knob.grammar(),
            problem,
            others: Vec::new(),
        }))
    }

    /// The environment variable, such as `"ARENA_MEMLIMIT"`.
    ///
    /// ```
    /// assert_eq!(arena_core::config::parse_retain("-1").unwrap_err().variable(), "ARENA_RETAIN");
    /// ```
    pub fn variable(&self) -> &'static str {
        self.0.variable
    }

    /// The malformed value, as given (a value that is not UTF-8 is converted lossily).
    ///
    /// ```
    /// assert_eq!(arena_core::config::parse_ballast(" 1").unwrap_err().value(), " 1");
    /// ```
    pub fn value(&self) -> &str {
        &self.0.value
    }

    /// The accepted grammar, in words, with an example.
    ///
    /// ```
    /// let err = arena_core::config::parse_debug("gctrace=1").unwrap_err();
    /// assert!(err.grammar().contains("arenatrace=1"));
    /// ```
    pub fn grammar(&self) -> &'static str {
        self.0.grammar
    }

    /// What is wrong with the value, with a hint where the mistake is a common one.
    ///
    /// ```
    /// let err = arena_core::config::parse_memlimit("500mib").unwrap_err();
    /// assert_eq!(err.problem(), "units are case-sensitive (did you mean 500MiB?)");
    /// ```
    pub fn problem(&self) -> &str {
        &self.0.problem
    }

    /// The other malformed variables found in the same check, in table order (empty for the
    /// errors of the `parse_*` functions).
    ///
    /// ```
    /// // Only `from_env` and the lazy load check several variables at once.
    /// assert!(arena_core::config::parse_memlimit("").unwrap_err().others().is_empty());
    /// ```
    pub fn others(&self) -> &[ConfigError] {
        &self.0.others
    }

    /// Every malformed variable of this error: itself, then [`others`](Self::others).
    fn all(&self) -> impl Iterator<Item = &ConfigError> {
        core::iter::once(self).chain(self.0.others.iter())
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.all().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(
                f,
                "{}={:?} is malformed: expected {}; {}",
                e.0.variable, e.0.value, e.0.grammar, e.0.problem
            )?;
        }
        Ok(())
    }
}

impl fmt::Debug for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("ConfigError");
        s.field("variable", &self.0.variable)
            .field("value", &self.0.value)
            .field("problem", &self.0.problem);
        if !self.0.others.is_empty() {
            s.field("others", &self.0.others);
        }
        s.finish_non_exhaustive()
    }
}

impl std::error::Error for ConfigError {}

// ---------------------------------------------------------------------------------------------
// The knobs and their grammars
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Knob {
    Memlimit,
    Retain,
    Ballast,
    Debug,
}

impl Knob {
    fn variable(self) -> &'static str {
        match self {
            Knob::Memlimit => "ARENA_MEMLIMIT",
            Knob::Retain => "ARENA_RETAIN",
            Knob::Ballast => "ARENA_BALLAST",
            Knob::Debug => "ARENA_DEBUG",
        }
    }

    fn grammar(self) -> &'static str {
        match self {
            Knob::Memlimit => {
                "`off` or a whole number of bytes with an optional unit B, KiB, MiB, GiB or TiB \
                 (for example 500MiB)"
            }
            Knob::Retain => "`off` or a whole percent, digits only (for example 50)",
            Knob::Ballast => {
                "a whole number of bytes with an optional unit B, KiB, MiB, GiB or TiB, or `off` \
                 for none (for example 64MiB)"
            }
            Knob::Debug => {
                "a comma-separated list of key=value settings; the known key is arenatrace, \
                 with value 0 or 1 (for example arenatrace=1)"
            }
        }
    }

    /// The bit of this knob in [`Writer::overridden`].
    fn bit(self) -> u8 {
        match self {
            Knob::Memlimit => 1,
            Knob::Retain => 2,
            Knob::Ballast => 4,
            Knob::Debug => 8,
        }
    }
}

const ALL_KNOBS: u8 = 1 | 2 | 4 | 8;

/// The byte units of Go's grammar with their shifts.
const UNITS: [(&str, u32); 5] = [("B", 0), ("KiB", 10), ("MiB", 20), ("GiB", 30), ("TiB", 40)];

/// Parses `ARENA_MEMLIMIT`: exactly Go's `GOMEMLIMIT` grammar. `off` is `None`; otherwise ASCII
/// digits with an optional unit `B`, `KiB`, `MiB`, `GiB` or `TiB`. Anything else, and a byte
/// count that does not fit a `usize`, is an error naming the variable, the value and the grammar.
///
/// ```
/// use arena_core::config::parse_memlimit;
///
/// assert_eq!(parse_memlimit("off"), Ok(None));
/// assert_eq!(parse_memlimit("0"), Ok(Some(0)));
/// assert_eq!(parse_memlimit("4096"), Ok(Some(4096)));
/// assert_eq!(parse_memlimit("500MiB"), Ok(Some(500 << 20)));
/// for bad in ["500MB", "1.5GiB", "500mib", "-1", " 5", "5 MiB", "", "OFF"] {
///     assert!(parse_memlimit(bad).is_err(), "{bad:?}");
/// }
/// let err = parse_memlimit("1.5GiB").unwrap_err();
/// assert!(err.to_string().contains("did you mean 1536MiB?"), "{err}");
/// ```
pub fn parse_memlimit(s: &str) -> Result<Option<usize>, ConfigError> {
    parse_bytes(Knob::Memlimit, s)
}

/// Parses `ARENA_BALLAST`: the byte grammar of [`parse_memlimit`], where `off` means `0`.
///
/// ```
/// use arena_core::config::parse_ballast;
///
/// assert_eq!(parse_ballast("64MiB"), Ok(64 << 20));
/// assert_eq!(parse_ballast("off"), Ok(0));
/// assert_eq!(parse_ballast("0B"), Ok(0));
/// assert!(parse_ballast("64MB").is_err());
/// ```
pub fn parse_ballast(s: &str) -> Result<usize, ConfigError> {
    parse_bytes(Knob::Ballast, s).map(|bytes| bytes.unwrap_or(0))
}

/// Parses `ARENA_RETAIN`: `off`, or ASCII digits (no sign, no `%`) giving a percent that fits a
/// `u32`. Values above 100 are allowed: a pooled arena then keeps more than the last scope used.
///
/// ```
/// use arena_core::config::{parse_retain, Retain};
///
/// assert_eq!(parse_retain("50"), Ok(Retain::Percent(50)));
/// assert_eq!(parse_retain("250"), Ok(Retain::Percent(250)));
/// assert_eq!(parse_retain("off"), Ok(Retain::Off));
/// for bad in ["-1", "50%", "1.5", "", "OFF", "4294967296"] {
///     assert!(parse_retain(bad).is_err(), "{bad:?}");
/// }
/// ```
pub fn parse_retain(s: &str) -> Result<Retain, ConfigError> {
    if s == "off" {
        return Ok(Retain::Off);
    }
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return match s.parse::<u32>() {
            Ok(percent) => Ok(Retain::Percent(percent)),
            Err(_) => Err(ConfigError::new(
                Knob::Retain,
                s,
                format!("the percent is too large (at most {})", u32::MAX),
            )),
        };
    }
    Err(ConfigError::new(Knob::Retain, s, retain_problem(s)))
}

/// Parses `ARENA_DEBUG`: a comma-separated list of `key=value`. The one known key is
/// `arenatrace`, with value `0` or `1`; the result is whether tracing is on. The empty string
/// and empty items are allowed; a later `arenatrace` overrides an earlier one. Unknown keys are
/// rejected (unlike Go's `GODEBUG`), so that a typo is heard about.
///
/// ```
/// use arena_core::config::parse_debug;
///
/// assert_eq!(parse_debug(""), Ok(false));
/// assert_eq!(parse_debug("arenatrace=1"), Ok(true));
/// assert_eq!(parse_debug("arenatrace=1,arenatrace=0"), Ok(false));
/// let err = parse_debug("arenatrce=1").unwrap_err();
/// assert!(err.to_string().contains("unknown key \"arenatrce\""), "{err}");
/// ```
pub fn parse_debug(s: &str) -> Result<bool, ConfigError> {
    let mut trace = false;
    for item in s.split(',') {
        if item.is_empty() {
            continue;
        }
        let Some((key, value)) = item.split_once('=') else {
            let hint = if item.trim() == "arenatrace" {
                " (did you mean arenatrace=1?)".to_owned()
            } else {
                String::new()
            };
            return Err(ConfigError::new(
                Knob::Debug,
                s,
                format!("{item:?} is not a key=value setting{hint}"),
            ));
        };
        if key != "arenatrace" {
            let hint = if key.trim().eq_ignore_ascii_case("arenatrace")
                || matches!(
                    key.trim(),
                    "gctrace" | "trace" | "arena_trace" | "arena-trace"
                )
                || is_one_edit_away(key, "arenatrace")
            {
                " (did you mean arenatrace?)"
            } else {
                ""
            };
            return Err(ConfigError::new(
                Knob::Debug,
                s,
                format!("unknown key {key:?}{hint}; the known keys are: arenatrace"),
            ));
        }
        trace = match value {
            "0" => false,
            "1" => true,
            other => {
                let hint = match other.trim().to_ascii_lowercase().as_str() {
                    "1" | "true" | "on" | "yes" => " (did you mean arenatrace=1?)",
                    "0" | "false" | "off" | "no" => " (did you mean arenatrace=0?)",
                    _ => "",
                };
                return Err(ConfigError::new(
                    Knob::Debug,
                    s,
                    format!("arenatrace must be 0 or 1, not {other:?}{hint}"),
                ));
            }
        };
    }
    Ok(trace)
}

/// Whether `a` becomes `b` by one insertion, deletion, substitution or swap of neighbours.
fn is_one_edit_away(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a == b || a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    match ra.len().cmp(&rb.len()) {
        core::cmp::Ordering::Equal => {
            ra[1..] == rb[1..]
                || (ra.len() >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
        core::cmp::Ordering::Less => ra == &rb[1..],
        core::cmp::Ordering::Greater => &ra[1..] == rb,
    }
}

/// Go's `parseByteCount`, with `off` for `None`, bounded by `usize::MAX`.
fn parse_bytes(knob: Knob, s: &str) -> Result<Option<usize>, ConfigError> {
    if s == "off" {
        return Ok(None);
    }
    match split_bytes(s) {
        Some((digits, shift)) => match bytes_value(digits, shift) {
            Some(bytes) => Ok(Some(bytes)),
            None => Err(ConfigError::new(
                knob,
                s,
                format!(
                    "the byte count does not fit the {}-bit address space (at most {} bytes)",
                    usize::BITS,
                    usize::MAX
                ),
            )),
        },
        None => Err(ConfigError::new(knob, s, bytes_problem(knob, s))),
    }
}

/// Splits a well-formed byte count into its digits and unit shift, or `None` if malformed.
fn split_bytes(s: &str) -> Option<(&str, u32)> {
    let end = s
        .bytes()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(s.len());
    let (digits, unit) = s.split_at(end);
    if digits.is_empty() {
        return None;
    }
    if unit.is_empty() {
        return Some((digits, 0));
    }
    UNITS
        .iter()
        .find(|(name, _)| *name == unit)
        .map(|&(_, shift)| (digits, shift))
}

/// The value of ASCII `digits` times `2^shift`, if it fits a `usize`.
fn bytes_value(digits: &str, shift: u32) -> Option<usize> {
    let mut n: u128 = 0;
    for b in digits.bytes() {
        n = n.checked_mul(10)?.checked_add(u128::from(b - b'0'))?;
    }
    let n = n.checked_mul(1u128 << shift)?;
    usize::try_from(n).ok()
}

/// Formats a byte count in the largest unit that divides it exactly.
fn format_bytes(bytes: u128) -> String {
    for &(name, shift) in UNITS.iter().rev() {
        if shift > 0 && bytes != 0 && bytes % (1u128 << shift) == 0 {
            return format!("{}{name}", bytes >> shift);
        }
    }
    bytes.to_string()
}

/// `" (did you mean X?)"` when `candidate` is valid for `knob`, else `""`.
fn did_you_mean(knob: Knob, candidate: &str) -> String {
    let valid = match knob {
        Knob::Memlimit | Knob::Ballast => parse_bytes(knob, candidate).is_ok(),
        Knob::Retain => parse_retain(candidate).is_ok(),
        Knob::Debug => parse_debug(candidate).is_ok(),
    };
    if valid && !candidate.is_empty() {
        format!(" (did you mean {candidate}?)")
    } else {
        String::new()
    }
}

/// The problems shared by the byte and percent grammars, or `None`.
fn common_problem(knob: Knob, s: &str) -> Option<String> {
    if s.is_empty() {
        return Some("the value is empty (unset the variable for the default)".to_owned());
    }
    if s.trim() != s {
        let fix = did_you_mean(knob, s.trim());
        return Some(format!(
            "leading or trailing whitespace is not allowed{fix}"
        ));
    }
    if s.chars().any(char::is_whitespace) {
        let squeezed: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        let fix = did_you_mean(knob, &squeezed);
        return Some(format!("whitespace is not allowed inside the value{fix}"));
    }
    if s.eq_ignore_ascii_case("off") {
        return Some("`off` must be lowercase (did you mean off?)".to_owned());
    }
    if let Some(rest) = s.strip_prefix('-') {
        let what = match knob {
            Knob::Memlimit => "; use `off` for no limit",
            Knob::Retain => "; use `off` to keep everything (what GOGC=-1 or GOGC=off does in Go)",
            _ => "",
        };
        let zero = if rest.bytes().all(|b| b == b'0') && !rest.is_empty() {
            did_you_mean(knob, rest)
        } else {
            String::new()
        };
        return Some(format!(
            "a sign is not allowed: negative values are meaningless{what}{zero}"
        ));
    }
    if let Some(rest) = s.strip_prefix('+') {
        return Some(format!("a sign is not allowed{}", did_you_mean(knob, rest)));
    }
    let lower = s.to_ascii_lowercase();
    let binary = lower
        .strip_prefix("0b")
        .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b == b'0' || b == b'1'));
    if lower.starts_with("0x") || lower.starts_with("0o") || binary {
        return Some("only decimal digits are allowed (no 0x, 0o or 0b prefix)".to_owned());
    }
    if s.contains(['_', ',', '\'']) {
        let digits: String = s
            .chars()
            .filter(|c| !matches!(c, '_' | ',' | '\''))
            .collect();
        return Some(format!(
            "digit separators are not allowed{}",
            did_you_mean(knob, &digits)
        ));
    }
    None
}

fn retain_problem(s: &str) -> String {
    if let Some(problem) = common_problem(Knob::Retain, s) {
        return problem;
    }
    if let Some(number) = s.strip_suffix('%') {
        return format!(
            "write the percent without `%`{}",
            did_you_mean(Knob::Retain, number)
        );
    }
    if s.contains('.') {
        return "decimals are not allowed: the percent is a whole number".to_owned();
    }
    match s.chars().find(|c| !c.is_ascii_digit()) {
        Some(c) => format!("unexpected character {c:?}"),
        None => "expected digits".to_owned(),
    }
}

fn bytes_problem(knob: Knob, s: &str) -> String {
    if let Some(problem) = common_problem(knob, s) {
        return problem;
    }
    let end = s
        .bytes()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(s.len());
    let (digits, unit) = s.split_at(end);
    if unit.starts_with('.') {
        return decimal_problem(knob, s);
    }
    if digits.is_empty() {
        return if UNITS.iter().any(|(name, _)| name.eq_ignore_ascii_case(s)) {
            "a number is required before the unit".to_owned()
        } else {
            match s.chars().next() {
                Some(c) => format!("expected digits, found {c:?}"),
                None => "expected digits".to_owned(),
            }
        };
    }
    unit_problem(knob, digits, unit)
}

/// The hint for a value with a fractional part, such as `1.5GiB`.
fn decimal_problem(knob: Knob, s: &str) -> String {
    let generic = "decimals are not allowed: use a whole number of a smaller unit".to_owned();
    let Some((int, rest)) = s.split_once('.') else {
        return generic;
    };
    let frac_len = rest
        .bytes()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(rest.len());
    let (frac, unit) = rest.split_at(frac_len);
    let Some(&(_, shift)) = UNITS
        .iter()
        .find(|(name, _)| *name == unit || unit.is_empty())
    else {
        return generic;
    };
    let shift = if unit.is_empty() { 0 } else { shift };
    if (int.is_empty() && frac.is_empty()) || frac.len() > 30 || int.len() > 30 {
        return generic;
    }
    let parse = |d: &str| d.bytes().fold(0u128, |n, b| n * 10 + u128::from(b - b'0'));
    let scale = 10u128.pow(frac.len() as u32);
    let Some(scaled) = parse(int)
        .checked_mul(scale)
        .and_then(|n| n.checked_add(parse(frac)))
    else {
        return generic;
    };
    let Some(numerator) = scaled.checked_mul(1u128 << shift) else {
        return generic;
    };
    if numerator % scale != 0 {
        return format!("{generic} (the value is not a whole number of bytes)");
    }
    let candidate = format_bytes(numerator / scale);
    format!("{generic}{}", did_you_mean(knob, &candidate))
}

/// The hint for digits followed by something that is not one of Go's units.
fn unit_problem(knob: Knob, digits: &str, unit: &str) -> String {
    if let Some(&(name, _)) = UNITS
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(unit))
    {
        return format!(
            "units are case-sensitive{}",
            did_you_mean(knob, &format!("{digits}{name}"))
        );
    }
    let lower = unit.to_ascii_lowercase();
    let iec = |prefix: char| match prefix {
        'k' => Some("KiB"),
        'm' => Some("MiB"),
        'g' => Some("GiB"),
        't' => Some("TiB"),
        _ => None,
    };
    let mut chars = lower.chars();
    let first = chars.next().unwrap_or(' ');
    let tail: String = chars.collect();
    if let Some(name) = iec(first) {
        if matches!(tail.as_str(), "" | "b" | "i" | "ib" | "byte" | "bytes") {
            return format!("{unit:?} is not a unit (did you mean {name}?)");
        }
    }
    if matches!(first, 'p' | 'e') && matches!(tail.as_str(), "" | "b" | "i" | "ib") {
        return format!("{unit:?} is not a unit: the largest unit is TiB");
    }
    if matches!(lower.as_str(), "byte" | "bytes") {
        return format!("{unit:?} is not a unit (did you mean B?)");
    }
    format!("{unit:?} is not a unit")
}

// ---------------------------------------------------------------------------------------------
// Process-wide state
// ---------------------------------------------------------------------------------------------

/// Set in [`scope_state`] once every knob is valid: read from a valid environment or set
/// programmatically.
pub(crate) const LOADED: usize = 1;
/// Set in [`scope_state`] while tracing is on (`ARENA_DEBUG=arenatrace=1` or [`set_trace`]).
pub(crate) const TRACE: usize = 2;
/// The bits of [`scope_state`] above the flags count the knob writes: every write adds this,
/// so a state seen twice means no knob changed in between (the pool relies on it to reuse what
/// it computed from the retention knobs).
const GENERATION_STEP: usize = 4;

/// [`LOADED`] | [`TRACE`] | the write generation. Written only under [`WRITER`]; stored with
/// `Release` after the knob values, so a reader that sees `LOADED` with `Acquire` also sees the
/// values. A 64-bit counter of writes does not wrap in practice; on a 32-bit target it wraps
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
    overridden: 0,
    env: None,
});

struct Writer {
    /// The knobs set programmatically ([`Knob::bit`]): the environment no longer counts for
    /// them.
    overridden: u8,
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
    fn install(&mut self, config: &Config, knobs: u8) {
        self.store(config, knobs);
        self.overridden |= knobs;
        if self.overridden == ALL_KNOBS {
            STATE.fetch_or(LOADED, Ordering::Release);
        }
    }

    /// Stores the knobs of `config` selected by `knobs`.
    fn store(&mut self, config: &Config, knobs: u8) {
        if knobs & Knob::Memlimit.bit() != 0 {
            budget::set_memlimit(config.memlimit);
        }
        if knobs & Knob::Retain.bit() != 0 {
            let encoded = match config.retain {
                Retain::Off => RETAIN_OFF,
                Retain::Percent(p) => u64::from(p),
            };
            RETAIN.store(encoded, Ordering::Relaxed);
        }
        if knobs & Knob::Ballast.bit() != 0 {
            BALLAST.store(config.ballast, Ordering::Relaxed);
        }
        if knobs & Knob::Debug.bit() != 0 {
            if config.trace {
                STATE.fetch_or(TRACE, Ordering::Release);
            } else {
                STATE.fetch_and(!TRACE, Ordering::Release);
            }
        }
        STATE.fetch_add(GENERATION_STEP, Ordering::Release);
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
    fn config(&self, skip: u8) -> Result<Config, ConfigError> {
        let mut errors = Vec::new();
        let mut config = Config::default();
        let mut take = |knob: Knob, result: Result<(), &ConfigError>| {
            if skip & knob.bit() == 0 {
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
            Some(mut first) => {
                first.0.others = errors.collect();
                Err(first)
            }
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
/// match arena_core::config::from_env() {
///     Ok(config) => assert_eq!(arena_core::config::current(), Ok(config)),
///     Err(e) => eprintln!("{e}"),
/// }
/// ```
pub fn from_env() -> Result<Config, ConfigError> {
    let config = EnvKnobs::read().config(0)?;
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
/// use arena_core::config::{self, Retain};
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
        trace: state & TRACE != 0,
    })
}

/// Sets the process-wide memory limit (`ARENA_MEMLIMIT`); `None` is `off`. Overrides the
/// environment for this knob. Memory already reserved is never taken back: a limit below the
/// current total only makes further reservations fail until enough is released.
///
/// ```
/// arena_core::config::set_memlimit(Some(512 << 20));
/// assert_eq!(arena_core::config::parse_memlimit("512MiB"), Ok(Some(512 << 20)));
/// ```
pub fn set_memlimit(limit: Option<usize>) {
    let config = Config {
        memlimit: limit,
        ..Config::default()
    };
    writer().install(&config, Knob::Memlimit.bit());
}

/// Sets the retention policy of pooled arenas (`ARENA_RETAIN`). Overrides the environment for
/// this knob.
///
/// It applies from the next scope on every thread; a scope already open may end under the
/// settings it started with.
///
/// ```
/// use arena_core::config::{set_retain, Retain};
/// set_retain(Retain::Percent(50));
/// ```
pub fn set_retain(retain: Retain) {
    let config = Config {
        retain,
        ..Config::default()
    };
    writer().install(&config, Knob::Retain.bit());
}

/// Sets the bytes each new pooled arena reserves up front (`ARENA_BALLAST`). Overrides the
/// environment for this knob.
///
/// It applies from the next scope on every thread; a scope already open may end under the
/// settings it started with.
///
/// ```
/// arena_core::config::set_ballast(64 << 20);
/// ```
pub fn set_ballast(bytes: usize) {
    let config = Config {
        ballast: bytes,
        ..Config::default()
    };
    writer().install(&config, Knob::Ballast.bit());
}

/// Turns the trace lines on or off (`ARENA_DEBUG=arenatrace=1`). Overrides the environment
/// for this knob.
///
/// It applies from the next scope on every thread; a scope already open may end under the
/// settings it started with.
///
/// ```
/// arena_core::config::set_trace(false);
/// ```
pub fn set_trace(on: bool) {
    let config = Config {
        trace: on,
        ..Config::default()
    };
    writer().install(&config, Knob::Debug.bit());
}

/// The state ([`LOADED`], [`TRACE`], the write generation) in one atomic load. The hot path of
/// a scope compares it with the state its pooled arena was last set up under, and takes
/// [`ensure_loaded`] and the general path when it differs.
///
/// The load is `Acquire` (a plain load on x86-64, as `Relaxed` is) so that a thread that sees
/// [`LOADED`] also sees the knob values installed before it, the memory limit included.
#[inline(always)]
pub(crate) fn scope_state() -> usize {
    STATE.load(Ordering::Acquire)
}

/// The cold path: reads the environment the first time (once per process, under a lock, so
/// exactly one reader wins and setters cannot race it), installs the knobs that were not set
/// programmatically, and returns the state bits. If one of those knobs is malformed, installs
/// nothing and returns the same error on every call, until the knob is set programmatically or
/// [`from_env`] succeeds.
pub(crate) fn ensure_loaded() -> Result<usize, ConfigError> {
    let state = STATE.load(Ordering::Acquire);
    if state & LOADED != 0 {
        return Ok(state);
    }
    load_slow()
}

#[cold]
#[inline(never)]
fn load_slow() -> Result<usize, ConfigError> {
    let mut guard = writer();
    let state = STATE.load(Ordering::Acquire);
    if state & LOADED != 0 {
        return Ok(state);
    }
    let skip = guard.overridden;
    let env = guard.env.get_or_insert_with(EnvKnobs::read);
    let config = env.config(skip)?;
    guard.store(&config, ALL_KNOBS & !skip);
    Ok(STATE.fetch_or(LOADED, Ordering::Release) | LOADED)
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
