#![deny(warnings)]
use arena::{arena_alloc, Arena, CloneOut};

#[arena_alloc(owned = Contact)]
pub struct Person<'a> {
    pub name: &'a str,
}

fn main() {
    let mem = Arena::new();
    let contact: Contact = Person { name: mem.alloc_str("ada") }.clone_out();
    assert_eq!(contact.name, "ada");
}
