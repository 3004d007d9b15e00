// `#[derive(Serialize)]` beside `#[arena_alloc(deserialize)]`: both read the same
// `#[serde(..)]` attributes, and a round trip is one line each way.
use arena::{arena_alloc, arena_scope, ArenaVec, DeserializeIn};

#[arena_alloc(deserialize)]
#[derive(Debug, serde::Serialize)]
pub struct Order<'a> {
    #[serde(rename = "order_id")]
    pub id: u64,
    pub items: ArenaVec<'a, Item<'a>>,
}

#[arena_alloc(deserialize)]
#[derive(Debug, serde::Serialize)]
pub enum Item<'a> {
    Book { title: &'a str },
    Gift(&'a [&'a str]),
}

fn main() {
    let text = r#"{"order_id":1,"items":[{"Book":{"title":"Dune"}},{"Gift":["a","b"]}]}"#;
    let again = arena_scope!(|mem| {
        let order = Order::deserialize_in(&mut serde_json::Deserializer::from_str(text), mem);
        serde_json::to_string(&order.unwrap()).unwrap()
    });
    assert_eq!(again, text);
}
