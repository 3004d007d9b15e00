//! Bad input loses nothing: malformed documents, wrong types and documents over a limit are
//! errors of the format (with its position), never panics, and the arena stays usable.
#![cfg(feature = "serde")]

use arena_core::de::{DeserializeIn, Value};
use arena_core::{Arena, ArenaVec};

fn parse<'a, T: DeserializeIn<'a>>(text: &str, mem: &'a Arena) -> Result<T, serde_json::Error> {
    T::deserialize_in(&mut serde_json::Deserializer::from_str(text), mem)
}

/// A document of `n` strings of 16 bytes.
fn strings(n: usize) -> String {
    let items: Vec<String> = (0..n).map(|i| format!("\"{i:016}\"")).collect();
    format!("[{}]", items.join(","))
}

#[test]
fn malformed_input_is_the_formats_error_with_its_position() {
    let mem = Arena::new();
    let err = parse::<Value<'_>>("[1, 2,\n  }", &mem).unwrap_err();
    assert!(err.is_syntax());
    assert_eq!((err.line(), err.column()), (2, 3));
    assert!(err.to_string().ends_with("at line 2 column 3"), "{err}");
    let err = parse::<&[u8]>(r#"[1, "two"]"#, &mem).unwrap_err();
    assert!(err.is_data());
    assert!(
        err.to_string()
            .starts_with("invalid type: string \"two\", expected u8"),
        "{err}"
    );
    let err = parse::<&str>("[]", &mem).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("invalid type: sequence, expected a string"),
        "{err}"
    );
    let err = parse::<Value<'_>>(r#"{"a": [1, 2"#, &mem).unwrap_err();
    assert!(err.is_eof());
    // The arena is as usable as before.
    assert_eq!(parse::<&[u8]>("[1, 2]", &mem).unwrap(), [1, 2]);
}

#[test]
fn a_document_over_the_arenas_limit_is_an_error_naming_the_limit() {
    let mut mem = Arena::builder().limit(4096).label("requests").build();
    let big = strings(if cfg!(miri) { 300 } else { 1000 });
    for _ in 0..2 {
        let err = parse::<&[&str]>(&big, &mem).unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains("the arena's limit of 4096 bytes"),
            "{message}"
        );
        assert!(message.contains("arena \"requests\""), "{message}");
        assert!(
            message.contains("at line 1 column"),
            "the format adds its position: {message}"
        );
        assert!(mem.stats().reserved_bytes <= 4096);
        let err = parse::<Value<'_>>(&big, &mem).unwrap_err();
        assert!(
            err.to_string().contains("the arena's limit of 4096 bytes"),
            "{err}"
        );
        // The reset reclaims what the failed documents took; the arena works as before.
        mem.reset();
        assert_eq!(mem.stats().used_bytes, 0);
        assert_eq!(parse::<&[&str]>(&strings(3), &mem).unwrap().len(), 3);
    }
}

#[test]
fn a_huge_length_hint_does_not_reserve_up_front() {
    // A format may announce a length it does not deliver; the reservation is capped, so a
    // lying hint is neither a huge allocation nor a limit error.
    use serde::de::value::{Error, SeqDeserializer};
    struct Liar(std::ops::Range<u8>);
    impl Iterator for Liar {
        type Item = u8;
        fn next(&mut self) -> Option<u8> {
            self.0.next()
        }
        fn size_hint(&self) -> (usize, Option<usize>) {
            (usize::MAX, Some(usize::MAX))
        }
    }
    let mem = Arena::builder().limit(1 << 20).build();
    let seq = SeqDeserializer::<_, Error>::new(Liar(0..3));
    let v = ArenaVec::<u64>::deserialize_in(seq, &mem).unwrap();
    assert_eq!(v, [0, 1, 2]);
    assert!(mem.stats().used_bytes <= 64 << 10);
}

#[test]
fn deep_nesting_is_refused_by_the_formats_recursion_limit() {
    let depth = 10_000;
    let deep = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let mem = Arena::new();
    let err = parse::<Value<'_>>(&deep, &mem).unwrap_err();
    assert!(
        err.to_string().starts_with("recursion limit exceeded"),
        "{err}"
    );
    let deep_objects = format!("{}{}", "{\"a\":".repeat(depth), "}".repeat(depth));
    let err = parse::<Value<'_>>(&deep_objects, &mem).unwrap_err();
    assert!(
        err.to_string().starts_with("recursion limit exceeded"),
        "{err}"
    );
    // Within the limit, nesting is fine.
    let ok = format!("{}{}", "[".repeat(100), "]".repeat(100));
    let mut value = parse::<Value<'_>>(&ok, &mem).unwrap();
    let mut levels = 1;
    while let Some([inner]) = value.as_array() {
        value = *inner;
        levels += 1;
    }
    assert_eq!(levels, 100);
}
