// serde's `flatten` has no arena counterpart: the error names what is supported.
use arena::arena_alloc;

#[arena_alloc(deserialize)]
pub struct Request<'a> {
    pub id: u64,
    #[serde(flatten)]
    pub rest: &'a str,
}

fn main() {}
