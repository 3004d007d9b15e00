//! Accept/reject tables for the four knob grammars (`arena_core::config::parse_*`).
//!
//! Pure parsing, no environment and no threads: this runs under Miri as it is.

use arena_core::config::{
    parse_ballast, parse_debug, parse_memlimit, parse_retain, ConfigError, Retain,
};

const KIB: usize = 1 << 10;
const MIB: usize = 1 << 20;
const GIB: usize = 1 << 30;

/// Checks that `err` names the variable and the value, states the grammar, and (if given)
/// contains `needle` in its message.
fn check_error(err: &ConfigError, variable: &str, value: &str, needle: &str) {
    assert_eq!(err.variable(), variable, "{value:?}");
    assert_eq!(err.value(), value);
    assert!(err.others().is_empty());
    let message = err.to_string();
    let head = format!(
        "{variable}={value:?} is malformed: expected {}; ",
        err.grammar()
    );
    assert!(
        message.starts_with(&head),
        "{message:?} does not start with {head:?}"
    );
    assert!(message.ends_with(err.problem()), "{message:?}");
    assert!(!err.problem().is_empty());
    assert!(
        message.contains(needle),
        "{value:?}: {message:?} does not contain {needle:?}"
    );
}

/// Byte counts accepted by both `ARENA_MEMLIMIT` and `ARENA_BALLAST`, with their value.
fn accepted_bytes() -> Vec<(&'static str, usize)> {
    let mut table = vec![
        ("0", 0),
        ("0B", 0),
        ("00", 0),
        ("1", 1),
        ("1B", 1),
        ("1024", 1024),
        ("1KiB", KIB),
        ("0KiB", 0),
        ("1MiB", MIB),
        ("500MiB", 500 * MIB),
        ("0500MiB", 500 * MIB),
        ("1GiB", GIB),
        ("3GiB", 3 * GIB),
        ("1536MiB", 1536 * MIB),
        ("4095B", 4095),
        ("000000000000000000000000000000000000000000001KiB", KIB),
    ];
    if usize::BITS == 64 {
        // Go's bound: a signed 64-bit count.
        let max = i64::MAX as usize;
        table.extend([
            ("1TiB", 1 << 40),
            ("16TiB", 16 << 40),
            ("8388607TiB", (8_388_607usize) << 40),
            ("9223372036854775807", max),
            ("9223372036854775807B", max),
            ("9007199254740991KiB", max >> 10 << 10),
        ]);
    } else {
        table.extend([("4294967295", usize::MAX), ("3GiB", 3 * GIB)]);
    }
    table
}

/// Byte counts rejected by both byte knobs, with a fragment the message must contain.
fn rejected_bytes() -> Vec<(&'static str, &'static str)> {
    let mut table = vec![
        ("", "the value is empty"),
        ("500MB", "\"MB\" is not a unit (did you mean MiB?)"),
        ("500mb", "\"mb\" is not a unit (did you mean MiB?)"),
        ("500M", "\"M\" is not a unit (did you mean MiB?)"),
        ("500Mi", "\"Mi\" is not a unit (did you mean MiB?)"),
        ("64k", "\"k\" is not a unit (did you mean KiB?)"),
        ("1GB", "(did you mean GiB?)"),
        ("1.5GiB", "decimals are not allowed: use a whole number of a smaller unit (did you mean 1536MiB?)"),
        ("0.5KiB", "(did you mean 512?)"),
        ("1.0", "decimals"),
        ("1.", "decimals"),
        (".5MiB", "decimals are not allowed: use a whole number of a smaller unit (did you mean 512KiB?)"),
        ("1.25", "(the value is not a whole number of bytes)"),
        (".", "decimals"),
        ("500mib", "units are case-sensitive (did you mean 500MiB?)"),
        ("500MIB", "units are case-sensitive (did you mean 500MiB?)"),
        ("1kib", "(did you mean 1KiB?)"),
        ("0b", "units are case-sensitive (did you mean 0B?)"),
        ("-1", "a sign is not allowed"),
        ("-0", "(did you mean 0?)"),
        ("+1", "a sign is not allowed (did you mean 1?)"),
        (" 1", "leading or trailing whitespace is not allowed (did you mean 1?)"),
        ("1 ", "leading or trailing whitespace"),
        ("\t1MiB", "whitespace"),
        ("1\n", "whitespace"),
        ("5 MiB", "whitespace is not allowed inside the value (did you mean 5MiB?)"),
        ("1_000", "digit separators are not allowed (did you mean 1000?)"),
        ("1,000", "digit separators"),
        ("0x10", "only decimal digits are allowed"),
        ("0X10", "only decimal digits are allowed"),
        ("0o17", "only decimal digits are allowed"),
        ("0b101", "only decimal digits are allowed"),
        ("OFF", "`off` must be lowercase"),
        ("Off", "`off` must be lowercase"),
        ("MiB", "a number is required before the unit"),
        ("B", "a number is required before the unit"),
        ("abc", "expected digits, found 'a'"),
        ("1PiB", "the largest unit is TiB"),
        ("1EiB", "the largest unit is TiB"),
        ("1bytes", "(did you mean B?)"),
        ("1iB", "\"iB\" is not a unit"),
        ("1KiBB", "\"KiBB\" is not a unit"),
        ("1MiB1", "\"MiB1\" is not a unit"),
        ("1e6", "\"e6\" is not a unit"),
        ("１", "expected digits"),
        ("99999999999999999999999999999999999999999999", "does not fit"),
        ("340282366920938463463374607431768211456", "does not fit"),
        ("1%", "\"%\" is not a unit"),
    ];
    if usize::BITS == 64 {
        table.extend([
            (
                "9223372036854775808",
                "does not fit a signed 64-bit integer",
            ),
            ("9223372036854775808B", "does not fit"),
            ("9007199254740992KiB", "does not fit"),
            ("8388608TiB", "does not fit"),
            ("8589934592GiB", "does not fit"),
            ("18446744073709551615", "does not fit"),
            ("18446744073709551616", "does not fit"),
            ("16777216TiB", "does not fit"),
        ]);
    } else {
        table.extend([
            ("4294967296", "does not fit"),
            ("4GiB", "does not fit"),
            ("1TiB", "does not fit"),
        ]);
    }
    table
}

#[test]
fn memlimit_accepts() {
    assert_eq!(parse_memlimit("off"), Ok(None));
    let table = accepted_bytes();
    assert!(table.len() >= 15);
    for (input, bytes) in table {
        assert_eq!(parse_memlimit(input), Ok(Some(bytes)), "{input:?}");
    }
}

#[test]
fn memlimit_rejects() {
    let table = rejected_bytes();
    assert!(table.len() >= 15);
    for (input, needle) in table {
        match parse_memlimit(input) {
            Ok(v) => panic!("{input:?} was accepted as {v:?}"),
            Err(e) => check_error(&e, "ARENA_MEMLIMIT", input, needle),
        }
    }
}

#[test]
fn memlimit_message_is_exact() {
    let err = parse_memlimit("500MB").unwrap_err();
    assert_eq!(
        err.to_string(),
        "ARENA_MEMLIMIT=\"500MB\" is malformed: expected `off` or a whole number of bytes with an \
         optional unit B, KiB, MiB, GiB or TiB (for example 500MiB); \"MB\" is not a unit (did you \
         mean MiB?)"
    );
    // The value is Debug-escaped in the message.
    let err = parse_memlimit("1\"\n").unwrap_err();
    assert!(
        err.to_string()
            .starts_with("ARENA_MEMLIMIT=\"1\\\"\\n\" is malformed"),
        "{err}"
    );
    // Negative memory limits point at `off`.
    assert!(parse_memlimit("-1")
        .unwrap_err()
        .to_string()
        .contains("use `off` for no limit"));
}

/// Go's `GOMEMLIMIT` parser refuses byte counts of 2^63 and more; so does this one, with the
/// bound in the message.
#[test]
#[cfg(target_pointer_width = "64")]
fn memlimit_of_two_to_the_63_is_refused_as_in_go() {
    for value in ["9223372036854775808", "8388608TiB"] {
        assert_eq!(
            parse_memlimit(value).unwrap_err().to_string(),
            format!(
                "ARENA_MEMLIMIT={value:?} is malformed: expected `off` or a whole number of bytes \
                 with an optional unit B, KiB, MiB, GiB or TiB (for example 500MiB); the byte \
                 count does not fit a signed 64-bit integer, as in Go's GOMEMLIMIT (at most \
                 9223372036854775807 bytes, or 8388607TiB)"
            )
        );
    }
    assert_eq!(
        parse_memlimit("9223372036854775807"),
        Ok(Some(i64::MAX as usize))
    );
    assert_eq!(parse_memlimit("8388607TiB"), Ok(Some(8_388_607 << 40)));
    assert!(parse_ballast("8388608TiB")
        .unwrap_err()
        .to_string()
        .starts_with("ARENA_BALLAST=\"8388608TiB\" is malformed"));
}

#[test]
fn ballast_accepts() {
    assert_eq!(parse_ballast("off"), Ok(0));
    let table = accepted_bytes();
    assert!(table.len() >= 15);
    for (input, bytes) in table {
        assert_eq!(parse_ballast(input), Ok(bytes), "{input:?}");
    }
}

#[test]
fn ballast_rejects() {
    let table = rejected_bytes();
    assert!(table.len() >= 15);
    for (input, needle) in table {
        match parse_ballast(input) {
            Ok(v) => panic!("{input:?} was accepted as {v:?}"),
            Err(e) => check_error(&e, "ARENA_BALLAST", input, needle),
        }
    }
    assert!(parse_ballast("64MB")
        .unwrap_err()
        .grammar()
        .contains("64MiB"));
}

#[test]
fn retain_accepts() {
    let table: &[(&str, Retain)] = &[
        ("off", Retain::Off),
        ("0", Retain::Percent(0)),
        ("00", Retain::Percent(0)),
        ("1", Retain::Percent(1)),
        ("10", Retain::Percent(10)),
        ("50", Retain::Percent(50)),
        ("050", Retain::Percent(50)),
        ("99", Retain::Percent(99)),
        ("100", Retain::Percent(100)),
        ("101", Retain::Percent(101)),
        ("200", Retain::Percent(200)),
        ("1000", Retain::Percent(1000)),
        ("65536", Retain::Percent(65536)),
        ("2147483648", Retain::Percent(2_147_483_648)),
        ("4294967295", Retain::Percent(u32::MAX)),
        ("0000000000000000000000000000000042", Retain::Percent(42)),
    ];
    assert!(table.len() >= 15);
    for &(input, retain) in table {
        assert_eq!(parse_retain(input), Ok(retain), "{input:?}");
    }
}

#[test]
fn retain_rejects() {
    let table: &[(&str, &str)] = &[
        ("", "the value is empty"),
        ("-1", "use `off` to keep everything"),
        ("-0", "(did you mean 0?)"),
        ("+50", "a sign is not allowed (did you mean 50?)"),
        ("50%", "write the percent without `%` (did you mean 50?)"),
        ("1.5", "decimals are not allowed"),
        ("50.0", "decimals"),
        (
            " 50",
            "leading or trailing whitespace is not allowed (did you mean 50?)",
        ),
        ("50 ", "whitespace"),
        (
            "5 0",
            "whitespace is not allowed inside the value (did you mean 50?)",
        ),
        ("OFF", "`off` must be lowercase"),
        ("Off", "`off` must be lowercase"),
        ("4294967296", "too large (at most 4294967295)"),
        ("99999999999999999999999", "too large"),
        (
            "1_000",
            "digit separators are not allowed (did you mean 1000?)",
        ),
        ("0x10", "only decimal digits"),
        ("50MiB", "unexpected character 'M'"),
        ("none", "unexpected character 'n'"),
        ("true", "unexpected character"),
        ("١٠", "unexpected character"),
    ];
    assert!(table.len() >= 15);
    for &(input, needle) in table {
        match parse_retain(input) {
            Ok(v) => panic!("{input:?} was accepted as {v:?}"),
            Err(e) => check_error(&e, "ARENA_RETAIN", input, needle),
        }
    }
}

#[test]
fn debug_accepts() {
    let table: &[(&str, bool)] = &[
        ("", false),
        ("arenatrace=0", false),
        ("arenatrace=1", true),
        ("arenatrace=1,", true),
        (",arenatrace=1", true),
        (",,arenatrace=1,,", true),
        (",", false),
        (",,,", false),
        ("arenatrace=0,arenatrace=1", true),
        ("arenatrace=1,arenatrace=0", false),
        ("arenatrace=1,arenatrace=1", true),
        ("arenatrace=0,arenatrace=0", false),
        ("arenatrace=1,,arenatrace=0,", false),
        ("arenatrace=0,,arenatrace=1,", true),
        ("arenatrace=1,arenatrace=0,arenatrace=1", true),
    ];
    assert!(table.len() >= 15);
    for &(input, trace) in table {
        assert_eq!(parse_debug(input), Ok(trace), "{input:?}");
    }
}

#[test]
fn debug_rejects() {
    let table: &[(&str, &str)] = &[
        (
            "arenatrace",
            "\"arenatrace\" is not a key=value setting (did you mean arenatrace=1?)",
        ),
        (
            "gctrace=1",
            "unknown key \"gctrace\" (did you mean arenatrace?); the known keys are: arenatrace",
        ),
        (
            "arenatrce=1",
            "unknown key \"arenatrce\" (did you mean arenatrace?)",
        ),
        ("arenatrace2=1", "(did you mean arenatrace?)"),
        ("aernatrace=1", "(did you mean arenatrace?)"),
        ("ARENATRACE=1", "(did you mean arenatrace?)"),
        (
            " arenatrace=1",
            "unknown key \" arenatrace\" (did you mean arenatrace?)",
        ),
        ("madvdontneed=1", "the known keys are: arenatrace"),
        ("arenatrace=1,foo=2", "unknown key \"foo\""),
        ("=1", "unknown key \"\""),
        ("arenatrace=2", "arenatrace must be 0 or 1, not \"2\""),
        ("arenatrace=", "arenatrace must be 0 or 1, not \"\""),
        ("arenatrace=true", "(did you mean arenatrace=1?)"),
        ("arenatrace=off", "(did you mean arenatrace=0?)"),
        ("arenatrace= 1", "(did you mean arenatrace=1?)"),
        ("arenatrace=1 ", "not \"1 \""),
        ("arenatrace=01", "not \"01\""),
        ("arenatrace=1;arenatrace=0", "not \"1;arenatrace=0\""),
        ("arenatrace:1", "is not a key=value setting"),
        ("arenatrace=1=1", "not \"1=1\""),
    ];
    assert!(table.len() >= 15);
    for &(input, needle) in table {
        match parse_debug(input) {
            Ok(v) => panic!("{input:?} was accepted as {v:?}"),
            Err(e) => check_error(&e, "ARENA_DEBUG", input, needle),
        }
    }
}

#[test]
fn errors_implement_std_error() {
    fn is_error<E: std::error::Error + Clone + Eq + Send + Sync + 'static>(_: &E) {}
    let err = parse_retain("x").unwrap_err();
    is_error(&err);
    let boxed: Box<dyn std::error::Error> = Box::new(err.clone());
    assert_eq!(boxed.to_string(), err.to_string());
    assert_eq!(err, err.clone());
    assert_ne!(err, parse_retain("y").unwrap_err());
    // One pointer wide, so that it does not bloat `AllocError` or any `Result` carrying it.
    assert_eq!(
        std::mem::size_of::<ConfigError>(),
        std::mem::size_of::<usize>()
    );
    let debug = format!("{err:?}");
    assert!(
        debug.starts_with("ConfigError { variable: \"ARENA_RETAIN\", value: \"x\""),
        "{debug}"
    );
}
