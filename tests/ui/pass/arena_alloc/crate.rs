#![deny(warnings)]
// The `arena` crate reached through another path, as a renamed dependency would be.
mod elsewhere {
    pub use arena::*;
}

#[elsewhere::arena_alloc(crate = crate::elsewhere)]
pub struct Person<'a> {
    pub name: &'a str,
}

fn main() {
    use elsewhere::CloneOut;
    let mem = elsewhere::Arena::new();
    assert_eq!(Person { name: mem.alloc_str("ada") }.clone_out().name, "ada");
}
