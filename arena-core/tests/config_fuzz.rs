//! Property tests for the knob parsers: they never panic, and the byte and percent grammars
//! round-trip exactly, failing exactly on overflow.
//!
//! 1024 cases per property natively (well under a second in total), 4 under Miri, which runs
//! them thousands of times slower (`config_grammar` runs the full tables under Miri).

mod common;

use arena_core::config::{parse_ballast, parse_debug, parse_memlimit, parse_retain, Retain};
use proptest::prelude::*;

const UNITS: [(&str, u32); 6] = [
    ("", 0),
    ("B", 0),
    ("KiB", 10),
    ("MiB", 20),
    ("GiB", 30),
    ("TiB", 40),
];

fn config() -> ProptestConfig {
    common::proptest_config("CONFIG_FUZZ_CASES", 1024, 4)
}

/// Strings close to the grammars: digits, unit letters, signs, separators, spaces, `off`.
fn near_miss() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[0-9]{1,25}",
        Just("off".to_owned()),
        Just("OFF".to_owned()),
        "(B|KiB|MiB|GiB|TiB|kib|MB|Mi|PiB|b|i|%)",
        "[-+ ._,=]",
        Just("arenatrace".to_owned()),
        Just("0x".to_owned()),
        "\\PC{0,3}",
    ];
    prop::collection::vec(piece, 0..5).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn parsers_never_panic_on_any_string(s in "\\PC{0,40}") {
        let _ = parse_memlimit(&s);
        let _ = parse_ballast(&s);
        let _ = parse_retain(&s);
        let _ = parse_debug(&s);
    }

    #[test]
    fn parsers_never_panic_on_near_misses(s in near_miss()) {
        for result in [
            parse_memlimit(&s).map(|_| ()),
            parse_ballast(&s).map(|_| ()),
            parse_retain(&s).map(|_| ()),
            parse_debug(&s).map(|_| ()),
        ] {
            if let Err(e) = result {
                // Every error names its variable and quotes the value.
                let message = e.to_string();
                let head = format!("{}={:?} is malformed: expected ", e.variable(), s);
                prop_assert!(message.starts_with(&head), "{}", message);
                prop_assert_eq!(e.value(), s.as_str());
            }
        }
        // A memory limit and a ballast accept and reject the same strings (but `off`).
        prop_assert_eq!(parse_memlimit(&s).is_ok(), parse_ballast(&s).is_ok());
    }

    #[test]
    fn bytes_round_trip_or_overflow(n in prop_oneof![any::<u64>(), 0u64..1 << 24, Just(u64::MAX)], unit in 0..UNITS.len(), zeros in 0usize..3) {
        let (name, shift) = UNITS[unit];
        let text = format!("{}{n}{name}", "0".repeat(zeros));
        // Go's bound: at most i64::MAX bytes (and a usize on 32-bit targets).
        let expected = Some(u128::from(n) << shift)
            .filter(|&bytes| bytes <= i64::MAX as u128)
            .and_then(|bytes| usize::try_from(bytes).ok());
        match (parse_memlimit(&text), expected) {
            (Ok(Some(bytes)), Some(want)) => prop_assert_eq!(bytes, want),
            (Err(e), None) => {
                prop_assert_eq!(e.variable(), "ARENA_MEMLIMIT");
                prop_assert!(e.problem().contains("does not fit"), "{}", e);
            }
            (got, want) => prop_assert!(false, "{:?}: got {:?}, want {:?}", text, got, want),
        }
        prop_assert_eq!(parse_ballast(&text).ok(), expected);
    }

    #[test]
    fn huge_digit_strings_overflow(digits in "[1-9][0-9]{39,60}", unit in 0..UNITS.len()) {
        let text = format!("{digits}{}", UNITS[unit].0);
        prop_assert!(parse_memlimit(&text).unwrap_err().problem().contains("does not fit"));
    }

    #[test]
    fn retain_round_trips_or_overflows(n in prop_oneof![any::<u64>(), 0u64..1000, Just(u64::from(u32::MAX) + 1)]) {
        let text = n.to_string();
        match u32::try_from(n) {
            Ok(percent) => prop_assert_eq!(parse_retain(&text), Ok(Retain::Percent(percent))),
            Err(_) => prop_assert!(parse_retain(&text).unwrap_err().problem().contains("too large")),
        }
        // With a sign, a percent sign or a decimal point it is always malformed.
        for bad in [format!("-{n}"), format!("+{n}"), format!("{n}%"), format!("{n}.0")] {
            prop_assert!(parse_retain(&bad).is_err(), "{:?}", bad);
        }
    }

    #[test]
    fn debug_last_setting_wins(settings in prop::collection::vec(prop::option::of(any::<bool>()), 0..8)) {
        let text = settings
            .iter()
            .map(|s| match s {
                Some(true) => "arenatrace=1",
                Some(false) => "arenatrace=0",
                None => "",
            })
            .collect::<Vec<_>>()
            .join(",");
        let want = settings.iter().rev().flatten().next().copied().unwrap_or(false);
        prop_assert_eq!(parse_debug(&text), Ok(want));
    }
}
