//! `de::Value`: any document in the arena, from any format; `Serialize` writes it back as it
//! came, `clone_out` copies it to the heap and `clone_in` brings that back.
#![cfg(feature = "serde")]

use arena_core::de::{DeserializeIn, Number, Value, ValueOwned};
use arena_core::{Arena, CloneIn, CloneOut};

const DOC: &str = r#"{"id":7,"neg":-3,"pi":3.5,"name":"caf\u00e9","ok":true,"none":null,"tags":["a",["b",[]],{}],"id":8}"#;

fn parse<'a>(text: &str, mem: &'a Arena) -> Value<'a> {
    Value::deserialize_in(&mut serde_json::Deserializer::from_str(text), mem).unwrap()
}

#[test]
fn every_kind_of_json_value() {
    let mem = Arena::new();
    let doc = parse(DOC, &mem);
    let members = doc.as_object().unwrap();
    assert_eq!(
        members.len(),
        8,
        "a repeated key is kept twice, in input order"
    );
    assert_eq!(members[0], ("id", Value::Number(Number::U64(7))));
    assert_eq!(
        doc["id"].as_u64(),
        Some(8),
        "get finds the last of a repeated key"
    );
    assert_eq!(doc["neg"].as_number(), Some(Number::I64(-3)));
    assert_eq!(doc["neg"].as_i64(), Some(-3));
    assert_eq!(doc["pi"].as_f64(), Some(3.5));
    assert_eq!(doc["name"].as_str(), Some("café"));
    assert_eq!(doc["ok"].as_bool(), Some(true));
    assert!(doc["none"].is_null() && doc["absent"].is_null() && doc["tags"][9].is_null());
    assert_eq!(doc["tags"][1][0], Value::String("b"));
    assert_eq!(doc["tags"][1][1].as_array(), Some(&[][..]));
    assert_eq!(doc["tags"][2].as_object().map(<[_]>::len), Some(0));
    assert_eq!(doc["id"]["x"], Value::Null);
    assert_eq!(Value::default(), Value::Null);
}

#[test]
fn serializes_back_to_the_same_document() {
    let mem = Arena::new();
    let doc = parse(DOC, &mem);
    let expected = DOC.replace("caf\\u00e9", "café");
    assert_eq!(serde_json::to_string(&doc).unwrap(), expected);
    let owned: ValueOwned = doc.clone_out();
    assert_eq!(serde_json::to_string(&owned).unwrap(), expected);
}

#[test]
fn clone_out_outlives_the_arena_and_clone_in_brings_it_back() {
    let owned = {
        let mem = Arena::new();
        parse(DOC, &mem).clone_out()
    };
    match &owned {
        ValueOwned::Object(members) => assert_eq!(members[3].0, "name"),
        other => panic!("{other:?}"),
    }
    let mem = Arena::new();
    let back: Value<'_> = owned.clone_in(&mem);
    assert_eq!(back.clone_out(), owned);
    let other = Arena::new();
    let copied: Value<'_> = back.clone_in(&other);
    assert_eq!(copied, back);
    assert!(!std::ptr::eq(
        copied["name"].as_str().unwrap(),
        back["name"].as_str().unwrap()
    ));
}

#[test]
fn values_are_small_and_copy() {
    fn is_copy<T: Copy>() {}
    is_copy::<Value<'static>>();
    assert_eq!(std::mem::size_of::<Value<'static>>(), 24);
    assert!(!std::mem::needs_drop::<Value<'static>>());
}

#[test]
fn any_self_describing_format_works() {
    // Through serde's value deserializers, with no format crate at all.
    use serde::de::value::{MapDeserializer, SeqDeserializer};
    let mem = Arena::new();
    let seq = SeqDeserializer::<_, serde::de::value::Error>::new(vec![1u8, 2].into_iter());
    let value = Value::deserialize_in(seq, &mem).unwrap();
    assert_eq!(serde_json::to_string(&value).unwrap(), "[1,2]");
    let map = MapDeserializer::<_, serde::de::value::Error>::new(vec![("k", -1i32)].into_iter());
    let value = Value::deserialize_in(map, &mem).unwrap();
    assert_eq!(value["k"].as_i64(), Some(-1));
}
