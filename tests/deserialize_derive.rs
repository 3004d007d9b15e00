//! `#[arena_alloc(deserialize)]`: structs (named, tuple, unit), externally tagged enums, generic
//! and recursive types, and each serde attribute it honours, checked against JSON documents.
#![allow(missing_docs)] // test types, named for what they exercise; the tests are their documentation
#![cfg(feature = "serde")]

use arena::{arena_alloc, Arena, ArenaHashMap, ArenaString, ArenaVec, DeserializeIn};

fn parse<'a, T: DeserializeIn<'a>>(text: &str, mem: &'a Arena) -> Result<T, serde_json::Error> {
    T::deserialize_in(&mut serde_json::Deserializer::from_str(text), mem)
}

#[arena_alloc(deserialize)]
#[derive(Debug, PartialEq)]
pub struct Person<'a> {
    pub name: &'a str,
    pub age: u32,
    pub tags: &'a [&'a str],
    pub nick: Option<&'a str>,
}

#[test]
fn a_named_struct() {
    let mem = Arena::new();
    let p: Person<'_> = parse(
        r#"{"name": "bob", "tags": ["a", "b"], "age": 42, "extra": [1, {"x": 2}]}"#,
        &mem,
    )
    .unwrap();
    assert_eq!(
        p,
        Person {
            name: "bob",
            age: 42,
            tags: &["a", "b"],
            nick: None
        }
    );
    let err = parse::<Person<'_>>(r#"{"name": "bob", "tags": []}"#, &mem).unwrap_err();
    assert_eq!(err.to_string(), "missing field `age` at line 1 column 27");
    let err = parse::<Person<'_>>(r#"{"name": "a", "name": "b"}"#, &mem).unwrap_err();
    assert!(
        err.to_string().starts_with("duplicate field `name`"),
        "{err}"
    );
    // serde's sequence form of a struct.
    let p: Person<'_> = parse(r#"["carol", 7, [], "c"]"#, &mem).unwrap();
    assert_eq!((p.name, p.nick), ("carol", Some("c")));
}

#[arena_alloc(deserialize)]
#[derive(Debug, PartialEq)]
pub struct Pair<'a>(pub &'a str, pub u8);

#[arena_alloc(deserialize)]
#[derive(Debug, PartialEq)]
pub struct Name<'a>(pub ArenaString<'a>);

#[arena_alloc(deserialize)]
#[derive(Debug, PartialEq)]
pub struct Nothing<'a> {
    marker: std::marker::PhantomData<&'a ()>,
}

#[test]
fn tuple_newtype_and_empty_structs() {
    let mem = Arena::new();
    assert_eq!(
        parse::<Pair<'_>>(r#"["x", 1]"#, &mem).unwrap(),
        Pair("x", 1)
    );
    assert!(parse::<Pair<'_>>(r#"["x"]"#, &mem).is_err());
    assert_eq!(parse::<Name<'_>>(r#""bob""#, &mem).unwrap().0, "bob");
    let _ = parse::<Nothing<'_>>(r#"{"marker": null}"#, &mem).unwrap();
}

#[arena_alloc(deserialize)]
#[derive(Debug, PartialEq)]
pub enum Event<'a> {
    Ping,
    Click(i32, i32),
    Key(&'a str),
    Resize { width: u32, height: u32 },
    Batch(ArenaVec<'a, Event<'a>>),
}

#[test]
fn an_externally_tagged_enum() {
    let mem = Arena::new();
    let events: &[Event<'_>] = parse(
        r#"["Ping", {"Click": [1, -2]}, {"Key": "q"}, {"Resize": {"width": 3, "height": 4}},
            {"Batch": ["Ping", {"Key": "w"}]}]"#,
        &mem,
    )
    .unwrap();
    assert_eq!(events[0], Event::Ping);
    assert_eq!(events[1], Event::Click(1, -2));
    assert_eq!(events[2], Event::Key("q"));
    assert_eq!(
        events[3],
        Event::Resize {
            width: 3,
            height: 4
        }
    );
    match &events[4] {
        Event::Batch(inner) => assert_eq!(inner[1], Event::Key("w")),
        other => panic!("{other:?}"),
    }
    let err = parse::<Event<'_>>(r#""Pong""#, &mem).unwrap_err();
    assert!(
        err.to_string().starts_with(
            "unknown variant `Pong`, expected one of `Ping`, `Click`, `Key`, `Resize`, `Batch`"
        ),
        "{err}"
    );
}

#[arena_alloc(deserialize)]
#[derive(Debug)]
pub struct Node<'a> {
    pub name: &'a str,
    pub children: ArenaVec<'a, &'a Node<'a>>,
    pub parent: Option<&'a Self>,
}

#[arena_alloc(deserialize)]
#[derive(Debug, PartialEq)]
pub struct Tagged<'a, T> {
    pub tag: &'a str,
    pub value: T,
}

#[test]
fn recursive_and_generic_types() {
    let mem = Arena::new();
    let root: Node<'_> = parse(
        r#"{"name": "root", "children": [{"name": "leaf", "children": [], "parent": null}],
            "parent": {"name": "up", "children": []}}"#,
        &mem,
    )
    .unwrap();
    assert_eq!(root.children[0].name, "leaf");
    assert_eq!(root.parent.unwrap().name, "up");
    let t: Tagged<'_, ArenaHashMap<'_, &str, u8>> =
        parse(r#"{"tag": "m", "value": {"k": 1}}"#, &mem).unwrap();
    assert_eq!(t.value["k"], 1);
    let t: Tagged<'_, Tagged<'_, f64>> = parse(
        r#"{"tag": "outer", "value": {"tag": "inner", "value": 0.5}}"#,
        &mem,
    )
    .unwrap();
    assert_eq!(t.value.value, 0.5);
}
