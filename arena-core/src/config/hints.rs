//! The "did you mean" hints: what is wrong with a malformed value, and the nearest valid value
//! when there is one (`500MB` -> `500MiB`, `1.5GiB` -> `1536MiB`, `arenatrce` -> `arenatrace`).
//!
//! Relies on [`parse`](super::parse) to check that a suggestion is valid before offering it.

use super::knobs::Knob;
use super::parse::{parse_bytes, parse_debug, parse_retain, UNITS};

/// Whether `a` becomes `b` by one insertion, deletion, substitution or swap of neighbours.
pub(super) fn is_one_edit_away(a: &str, b: &str) -> bool {
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

pub(super) fn retain_problem(s: &str) -> String {
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

pub(super) fn bytes_problem(knob: Knob, s: &str) -> String {
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
