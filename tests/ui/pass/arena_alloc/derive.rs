#![deny(warnings)]
use arena::{arena_alloc, Arena, CloneOut};

#[arena_alloc(derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default))]
pub struct Person<'a> {
    pub name: &'a str,
}

fn main() {
    let mem = Arena::new();
    let owned = Person { name: mem.alloc_str("ada") }.clone_out();
    assert!(owned > PersonOwned::default());
}
