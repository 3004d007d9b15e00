// `deserialize` is a flag; how fields are read comes from `#[serde(..)]`.
use arena::arena_alloc;

#[arena_alloc(deserialize = "json")]
pub struct Request<'a> {
    pub user: &'a str,
}

fn main() {}
