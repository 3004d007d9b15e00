// `other` (a catch-all variant) is not supported on a variant.
use arena::arena_alloc;

#[arena_alloc(deserialize)]
pub enum Level<'a> {
    Info(&'a str),
    #[serde(other)]
    Unknown,
}

fn main() {}
