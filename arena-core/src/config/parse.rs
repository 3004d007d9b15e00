//! The parsers of the four knobs: Go's byte grammar (`ARENA_MEMLIMIT`, `ARENA_BALLAST`), the
//! percent of `ARENA_RETAIN` and the `key=value` list of `ARENA_DEBUG`.
//!
//! Relies on [`knobs`](super::knobs) for the errors and on [`hints`](super::hints) to explain a
//! malformed value.

use super::hints::{bytes_problem, is_one_edit_away, retain_problem};
use super::knobs::{ConfigError, Knob, Retain};

/// The byte units of Go's grammar with their shifts.
pub(super) const UNITS: [(&str, u32); 5] =
    [("B", 0), ("KiB", 10), ("MiB", 20), ("GiB", 30), ("TiB", 40)];

/// Parses `ARENA_MEMLIMIT`: exactly Go's `GOMEMLIMIT` grammar. `off` is `None`; otherwise ASCII
/// digits with an optional unit `B`, `KiB`, `MiB`, `GiB` or `TiB`. Anything else, and a byte
/// count above `i64::MAX` (Go's bound) or `usize::MAX`, is an error naming the variable, the value and the grammar.
///
/// ```
/// # use arena_core as arena;
/// use arena::config::parse_memlimit;
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
/// # use arena_core as arena;
/// use arena::config::parse_ballast;
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
/// # use arena_core as arena;
/// use arena::config::{parse_retain, Retain};
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
/// # use arena_core as arena;
/// use arena::config::parse_debug;
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

/// The largest byte count the grammar accepts: Go's `parseByteCount` refuses counts above
/// `i64::MAX` (9223372036854775807, one byte under 8388608TiB), and on a 32-bit target the
/// count must also fit a `usize`.
const MAX_BYTES: u128 = if (usize::MAX as u128) < i64::MAX as u128 {
    usize::MAX as u128
} else {
    i64::MAX as u128
};

/// Go's `parseByteCount`, with `off` for `None`, bounded by [`MAX_BYTES`].
pub(super) fn parse_bytes(knob: Knob, s: &str) -> Result<Option<usize>, ConfigError> {
    if s == "off" {
        return Ok(None);
    }
    match split_bytes(s) {
        Some((digits, shift)) => match bytes_value(digits, shift) {
            Some(bytes) => Ok(Some(bytes)),
            None => Err(ConfigError::new(knob, s, too_large())),
        },
        None => Err(ConfigError::new(knob, s, bytes_problem(knob, s))),
    }
}

/// Why a well-formed byte count above [`MAX_BYTES`] is refused.
fn too_large() -> String {
    if MAX_BYTES == i64::MAX as u128 {
        format!(
            "the byte count does not fit a signed 64-bit integer, as in Go's GOMEMLIMIT (at most \
             {MAX_BYTES} bytes, or 8388607TiB)"
        )
    } else {
        format!(
            "the byte count does not fit the {}-bit address space (at most {MAX_BYTES} bytes)",
            usize::BITS
        )
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

/// The value of ASCII `digits` times `2^shift`, if it is at most [`MAX_BYTES`].
fn bytes_value(digits: &str, shift: u32) -> Option<usize> {
    let mut n: u128 = 0;
    for b in digits.bytes() {
        n = n.checked_mul(10)?.checked_add(u128::from(b - b'0'))?;
    }
    let n = n.checked_mul(1u128 << shift)?;
    if n > MAX_BYTES {
        return None;
    }
    usize::try_from(n).ok()
}
