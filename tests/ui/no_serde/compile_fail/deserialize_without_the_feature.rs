// Without the `serde` feature of `arena`, `deserialize` says which feature to turn on.
use arena::arena_alloc;

#[arena_alloc(deserialize)]
pub struct Request<'a> {
    pub user: &'a str,
}

fn main() {}
