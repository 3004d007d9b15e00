//! The serde attributes `#[arena_alloc(deserialize)]` honours, each against the behaviour of
//! serde_derive, and `#[derive(Serialize)]` on the same type for the way back.
#![allow(missing_docs)] // test types, named for what they exercise; the tests are their documentation
#![cfg(feature = "serde")]
#![deny(warnings)]

use arena::{arena_alloc, Arena, ArenaHashMap, ArenaString, ArenaVec, CloneOut, DeserializeIn};

fn parse<'a, T: DeserializeIn<'a>>(text: &str, mem: &'a Arena) -> Result<T, serde_json::Error> {
    T::deserialize_in(&mut serde_json::Deserializer::from_str(text), mem)
}

fn seven() -> u32 {
    7
}

#[derive(Clone, Copy, Debug, PartialEq, Default, serde::Deserialize, serde::Serialize)]
pub enum Level {
    #[default]
    Info,
    Warn,
}

#[arena_alloc(deserialize)]
#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Request<'a> {
    pub request_id: u64,
    #[serde(rename = "user")]
    pub user_name: &'a str,
    #[serde(alias = "labels", alias = "marks")]
    pub tags: &'a [&'a str],
    #[serde(default)]
    pub headers: ArenaHashMap<'a, &'a str, &'a str>,
    #[serde(default)]
    pub body: ArenaString<'a>,
    #[serde(default)]
    pub parts: ArenaVec<'a, u8>,
    #[serde(default = "seven")]
    pub retries: u32,
    #[serde(skip_deserializing)]
    pub seen: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace: Option<&'a str>,
    #[arena(clone)]
    #[serde(default)]
    pub level: Level,
}

#[test]
fn rename_rename_all_alias_default_and_skip() {
    let mem = Arena::new();
    let text = r#"{"requestId": 9, "user": "ann", "marks": ["x"], "seen": true, "level": "Warn"}"#;
    let r: Request<'_> = parse(text, &mem).unwrap();
    assert_eq!((r.request_id, r.user_name, r.tags), (9, "ann", &["x"][..]));
    assert!(r.headers.is_empty() && std::ptr::eq(r.headers.arena(), &mem));
    assert!(r.body.is_empty() && std::ptr::eq(r.body.arena(), &mem));
    assert!(r.parts.is_empty());
    assert_eq!(r.retries, 7);
    assert!(!r.seen, "a skipped field is never read, even when present");
    assert_eq!((r.trace, r.level), (None, Level::Warn));
    let r: Request<'_> = parse(r#"{"requestId": 1, "user": "b", "labels": []}"#, &mem).unwrap();
    assert_eq!(r.level, Level::Info);
    // The Rust name is not the key any more.
    let err = parse::<Request<'_>>(r#"{"request_id": 1, "user": "b", "tags": []}"#, &mem);
    assert!(err
        .unwrap_err()
        .to_string()
        .starts_with("missing field `requestId`"));
}

#[test]
fn serialize_on_the_same_type_round_trips() {
    let mem = Arena::new();
    let text = r#"{"requestId":9,"user":"ann","tags":["x"],"headers":{"h":"v"},"body":"b","parts":[1],"retries":2,"seen":false,"level":"Warn"}"#;
    let r: Request<'_> = parse(text, &mem).unwrap();
    assert_eq!(serde_json::to_string(&r).unwrap(), text);
    let again: Request<'_> = parse(&serde_json::to_string(&r).unwrap(), &mem).unwrap();
    assert_eq!(again.clone_out().headers["h"], "v");
}

#[arena_alloc(deserialize)]
#[derive(Debug)]
#[serde(deny_unknown_fields)]
pub struct Strict<'a> {
    pub name: &'a str,
    #[serde(skip)]
    pub cached: Option<&'a str>,
}

#[test]
fn deny_unknown_fields_names_the_key_and_the_fields() {
    let mem = Arena::new();
    let s: Strict<'_> = parse(r#"{"name": "n"}"#, &mem).unwrap();
    assert_eq!((s.name, s.cached), ("n", None));
    let err = parse::<Strict<'_>>(r#"{"name": "n", "nmae": 1}"#, &mem).unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown field `nmae`, expected `name` at line 1 column 20"
    );
    let err = parse::<Strict<'_>>(r#"{"cached": "c"}"#, &mem).unwrap_err();
    assert!(
        err.to_string().starts_with("unknown field `cached`"),
        "a skipped field is unknown"
    );
}

// No `#[derive(Serialize)]` here: the `#[serde(..)]` attributes still compile.
#[arena_alloc(deserialize)]
#[derive(Debug, PartialEq)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Command<'a> {
    #[serde(rename = "go", alias = "GO_ON")]
    Go,
    StopNow(&'a str),
    #[serde(alias = "mv")]
    MoveTo {
        x_pos: i8,
    },
}

#[test]
fn variant_rename_alias_and_rename_all() {
    let mem = Arena::new();
    let commands: ArenaVec<'_, Command<'_>> = parse(
        r#"["go", "GO_ON", {"STOP_NOW": "s"}, {"MOVE_TO": {"x_pos": 1}}, {"mv": {"x_pos": 2}}]"#,
        &mem,
    )
    .unwrap();
    assert_eq!(commands[0], Command::Go);
    assert_eq!(commands[1], Command::Go);
    assert_eq!(commands[2], Command::StopNow("s"));
    assert_eq!(commands[3], Command::MoveTo { x_pos: 1 });
    assert_eq!(commands[4], Command::MoveTo { x_pos: 2 });
    let err = parse::<Command<'_>>(r#""Go""#, &mem).unwrap_err();
    assert!(
        err.to_string()
            .contains("expected one of `go`, `STOP_NOW`, `MOVE_TO`"),
        "{err}"
    );
}

#[test]
fn every_rename_all_rule_spells_as_serde_does() {
    #[arena_alloc(deserialize)]
    #[serde(rename_all = "kebab-case")]
    struct Kebab<'a> {
        first_name: &'a str,
    }
    #[arena_alloc(deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Pascal<'a> {
        first_name: &'a str,
    }
    #[arena_alloc(deserialize)]
    #[serde(rename_all = "SCREAMING-KEBAB-CASE")]
    struct ScreamingKebab<'a> {
        first_name: &'a str,
    }
    #[arena_alloc(deserialize)]
    #[serde(rename_all = "UPPERCASE")]
    struct Upper<'a> {
        first_name: &'a str,
    }
    #[arena_alloc(deserialize)]
    #[derive(Debug, PartialEq)]
    #[serde(rename_all = "snake_case")]
    enum Snake<'a> {
        FirstName(&'a str),
    }
    #[arena_alloc(deserialize)]
    #[derive(Debug, PartialEq)]
    #[serde(rename_all = "kebab-case")]
    enum KebabVariant<'a> {
        FirstName(&'a str),
    }
    let mem = Arena::new();
    let k: Kebab<'_> = parse(r#"{"first-name": "a"}"#, &mem).unwrap();
    let p: Pascal<'_> = parse(r#"{"FirstName": "b"}"#, &mem).unwrap();
    let s: ScreamingKebab<'_> = parse(r#"{"FIRST-NAME": "c"}"#, &mem).unwrap();
    let u: Upper<'_> = parse(r#"{"FIRST_NAME": "d"}"#, &mem).unwrap();
    assert_eq!(
        [k.first_name, p.first_name, s.first_name, u.first_name],
        ["a", "b", "c", "d"]
    );
    assert_eq!(
        parse::<Snake<'_>>(r#"{"first_name": "e"}"#, &mem).unwrap(),
        Snake::FirstName("e")
    );
    let kv: KebabVariant<'_> = parse(r#"{"first-name": "f"}"#, &mem).unwrap();
    assert_eq!(kv, KebabVariant::FirstName("f"));
}

// The owned twin derives serde's traits too: it repeats the item's `#[serde(..)]` attributes, so
// the arena type and its twin read and write the same documents.
#[arena_alloc(
    deserialize,
    derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)
)]
#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Order<'a> {
    pub order_id: u64,
    #[serde(rename = "who", alias = "customer")]
    pub customer_name: &'a str,
    #[serde(default)]
    pub notes: &'a [&'a str],
    pub state: State<'a>,
}

#[arena_alloc(
    deserialize,
    derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)
)]
#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State<'a> {
    #[serde(alias = "new")]
    Open,
    ShippedTo(&'a str),
}

#[test]
fn the_owned_twin_repeats_the_serde_attributes() {
    let text = r#"{"orderId":3,"who":"ann","notes":["n"],"state":{"shipped_to":"x"}}"#;
    let twin: OrderOwned = serde_json::from_str(text).unwrap();
    assert_eq!((twin.order_id, twin.customer_name.as_str()), (3, "ann"));
    assert_eq!(twin.state, StateOwned::ShippedTo("x".to_string()));
    assert_eq!(serde_json::to_string(&twin).unwrap(), text);
    let mem = Arena::new();
    let order: Order<'_> = parse(text, &mem).unwrap();
    assert_eq!(order.clone_out(), twin);
    assert_eq!(serde_json::to_string(&order).unwrap(), text);
    // Alias, default and the variant's alias, for the twin as for the item.
    let other = r#"{"orderId":4,"customer":"bo","state":"new"}"#;
    let twin: OrderOwned = serde_json::from_str(other).unwrap();
    assert_eq!((twin.customer_name.as_str(), twin.notes.len()), ("bo", 0));
    assert_eq!(twin.state, StateOwned::Open);
    assert_eq!(parse::<Order<'_>>(other, &mem).unwrap().clone_out(), twin);
    // `deny_unknown_fields` too.
    let err = serde_json::from_str::<OrderOwned>(r#"{"orderId":1,"extra":0}"#).unwrap_err();
    assert!(
        err.to_string().starts_with("unknown field `extra`"),
        "{err}"
    );
}
