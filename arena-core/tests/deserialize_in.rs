//! `DeserializeIn` for the building blocks of arena values: each impl parses what serde's own
//! impl for the heap type parses, into the arena; strings are copied unless the borrowing mode
//! is asked for; seeds compose with serde_json's streaming deserializer.
#![cfg(feature = "serde")]

use std::marker::PhantomData;

use arena_core::de::{self, DeserializeIn};
use arena_core::{Arena, ArenaHashMap, ArenaString, ArenaVec};
use serde::de::DeserializeSeed;

fn parse<'a, T: DeserializeIn<'a>>(text: &str, mem: &'a Arena) -> Result<T, serde_json::Error> {
    T::deserialize_in(&mut serde_json::Deserializer::from_str(text), mem)
}

#[test]
fn primitives_parse_as_serde_parses_them() {
    let mem = Arena::new();
    assert_eq!(parse::<u8>("255", &mem).unwrap(), 255);
    assert!(parse::<u8>("256", &mem).is_err());
    assert_eq!(parse::<i64>("-9", &mem).unwrap(), -9);
    assert_eq!(
        parse::<u128>("340282366920938463463374607431768211455", &mem).unwrap(),
        u128::MAX
    );
    assert_eq!(parse::<f64>("1.5e3", &mem).unwrap(), 1500.0);
    assert_eq!(parse::<f32>("0.25", &mem).unwrap(), 0.25);
    assert!(parse::<bool>("true", &mem).unwrap());
    assert_eq!(parse::<char>("\"é\"", &mem).unwrap(), 'é');
    parse::<()>("null", &mem).unwrap();
    assert_eq!(parse::<std::num::NonZeroU32>("3", &mem).unwrap().get(), 3);
    assert!(parse::<std::num::NonZeroU32>("0", &mem).is_err());
    assert_eq!(
        parse::<std::time::Duration>(r#"{"secs": 2, "nanos": 5}"#, &mem).unwrap(),
        std::time::Duration::new(2, 5)
    );
    let _: PhantomData<String> = parse("null", &mem).unwrap();
}

#[test]
fn strings_are_copied_into_the_arena() {
    let mem = Arena::new();
    let input = String::from(r#"["plain", "tab\there", "ünï"]"#);
    let words: [&str; 3] = parse(&input, &mem).unwrap();
    let range = input.as_bytes().as_ptr_range();
    for word in words {
        assert!(
            !range.contains(&word.as_ptr()),
            "{word:?} points into the input"
        );
    }
    drop(input);
    assert_eq!(words, ["plain", "tab\there", "ünï"]);

    let owned: ArenaString<'_> = parse(r#""grow me""#, &mem).unwrap();
    assert_eq!(owned, "grow me");
    assert_eq!(owned.capacity(), 7);
    let shout: &mut str = parse(r#""quiet""#, &mem).unwrap();
    shout.make_ascii_uppercase();
    assert_eq!(shout, "QUIET");
    assert!(mem.stats().used_bytes >= "plaintab\thereünïgrow mequiet".len());
}

#[test]
fn borrowing_mode_points_into_the_input_when_the_format_lends() {
    let input = String::from(r#"{"k": "plain", "e": "esc\"aped"}"#);
    let mem = Arena::new();
    let mut json = serde_json::Deserializer::from_str(&input);
    let map = ArenaHashMap::<&str, &str>::deserialize_in_borrowing(&mut json, &mem).unwrap();
    let range = input.as_bytes().as_ptr_range();
    assert!(range.contains(&map["k"].as_ptr()));
    assert!(range.contains(&map.keys().next().unwrap().as_ptr()));
    assert!(
        !range.contains(&map["e"].as_ptr()),
        "an escaped string is copied"
    );
    assert_eq!(map["e"], "esc\"aped");

    // `ArenaString` and `&mut str` own their bytes: copied even when borrowing.
    let mut json = serde_json::Deserializer::from_str(&input[6..13]);
    let s = ArenaString::deserialize_in_borrowing(&mut json, &mem).unwrap();
    assert!(!range.contains(&s.as_ptr()));

    // The seed form.
    let mut json = serde_json::Deserializer::from_str(&input);
    let value = de::seed_borrowing::<de::Value<'_>>(&mem)
        .deserialize(&mut json)
        .unwrap();
    assert!(range.contains(&value["k"].as_str().unwrap().as_ptr()));
}

#[test]
fn sequences_slices_and_references() {
    let mem = Arena::new();
    let v: ArenaVec<'_, u32> = parse("[1, 2, 3]", &mem).unwrap();
    assert_eq!(v, [1, 2, 3]);
    assert!(std::ptr::eq(v.arena(), &mem));
    let rows: &[&[&str]] = parse(r#"[["a"], [], ["b", "c"]]"#, &mem).unwrap();
    assert_eq!(rows, [&["a"][..], &[], &["b", "c"]]);
    let bytes: &mut [u8] = parse("[1, 2]", &mem).unwrap();
    bytes[0] = 9;
    assert_eq!(bytes, [9, 2]);
    let boxed: &u64 = parse("42", &mem).unwrap();
    assert_eq!(*boxed, 42);
    let boxed_mut: &mut &str = parse(r#""x""#, &mem).unwrap();
    *boxed_mut = "y";
    let nested: ArenaVec<'_, &ArenaVec<'_, i8>> = parse("[[-1], [2, 3]]", &mem).unwrap();
    assert_eq!(*nested[1], [2, 3]);
    assert!(parse::<ArenaVec<'_, u8>>(r#"{"a": 1}"#, &mem).is_err());
}

#[test]
fn options_tuples_and_arrays() {
    let mem = Arena::new();
    let some: Option<&str> = parse(r#""x""#, &mem).unwrap();
    let none: Option<&str> = parse("null", &mem).unwrap();
    assert_eq!((some, none), (Some("x"), None));
    let t: (u8, &str, Option<bool>) = parse(r#"[1, "two", null]"#, &mem).unwrap();
    assert_eq!(t, (1, "two", None));
    let err = parse::<(u8, u8)>("[1]", &mem).unwrap_err();
    assert!(
        err.to_string()
            .contains("invalid length 1, expected a tuple of 2 elements"),
        "{err}"
    );
    let a: [&str; 2] = parse(r#"["p", "q"]"#, &mem).unwrap();
    assert_eq!(a, ["p", "q"]);
    let err = parse::<[u8; 3]>("[1, 2]", &mem).unwrap_err();
    assert!(
        err.to_string()
            .contains("invalid length 2, expected an array of length 3"),
        "{err}"
    );
    assert!(
        parse::<[u8; 1]>("[1, 2]", &mem).is_err(),
        "trailing elements are refused"
    );
    let empty: [u8; 0] = parse("[]", &mem).unwrap();
    assert_eq!(empty.len(), 0);
    let twelve: (u8, u8, u8, u8, u8, u8, u8, u8, u8, u8, u8, u8) =
        parse("[1,2,3,4,5,6,7,8,9,10,11,12]", &mem).unwrap();
    assert_eq!(twelve.11, 12);
}

#[test]
fn hash_maps_keep_the_last_value_of_a_repeated_key() {
    let mem = Arena::new();
    let m: ArenaHashMap<'_, &str, ArenaVec<'_, u8>> =
        parse(r#"{"a": [1], "b": [], "a": [2, 3]}"#, &mem).unwrap();
    assert_eq!(m.len(), 2);
    assert_eq!(m["a"], [2, 3]);
    let numbers: ArenaHashMap<'_, u32, bool> = parse(r#"{"1": true, "20": false}"#, &mem).unwrap();
    assert!(numbers[&1] && !numbers[&20]);
}

#[test]
fn plain_data_goes_through_its_own_deserialize() {
    #[derive(serde::Deserialize, Debug, PartialEq, Clone, Copy)]
    #[serde(rename_all = "lowercase")]
    enum Level {
        Info,
        Warn,
    }
    let level: Level =
        de::deserialize_plain(&mut serde_json::Deserializer::from_str(r#""warn""#)).unwrap();
    assert_eq!(level, Level::Warn);
}

#[test]
fn seeds_compose_with_a_stream_of_documents() {
    let mem = Arena::new();
    let input = "[1] [2, 3] [] [4]";
    let mut json = serde_json::Deserializer::from_str(input);
    let mut sums = Vec::new();
    loop {
        match de::seed::<&[u32]>(&mem).deserialize(&mut json) {
            Ok(numbers) => sums.push(numbers.iter().sum::<u32>()),
            Err(err) if err.is_eof() => break,
            Err(err) => panic!("{err}"),
        }
    }
    assert_eq!(sums, [1, 5, 0, 4]);
    // A seed is `Copy`: one per element of an outer sequence.
    let seed = de::seed::<u8>(&mem);
    let again = seed;
    assert_eq!(
        again
            .deserialize(&mut serde_json::Deserializer::from_str("1"))
            .unwrap(),
        1
    );
    assert_eq!(
        seed.deserialize(&mut serde_json::Deserializer::from_str("2"))
            .unwrap(),
        2
    );
}
