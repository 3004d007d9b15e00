#![deny(warnings)]
use arena::{arena_alloc, Arena, CloneOut};

#[arena_alloc(lifetime = 'arena)]
pub struct Token<'src, 'arena> {
    pub text: &'src str,
    pub interned: &'arena str,
}

fn main() {
    let mem = Arena::new();
    let owned: TokenOwned<'static> = Token { text: "src", interned: mem.alloc_str("x") }.clone_out();
    assert_eq!(owned.interned, "x");
}
