// Internally tagged enums (`tag = ".."`) are not supported; the externally tagged form is.
use arena::arena_alloc;

#[arena_alloc(deserialize)]
#[serde(tag = "type")]
pub enum Shape<'a> {
    Circle { radius: f64 },
    Label(&'a str),
}

fn main() {}
