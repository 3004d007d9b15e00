#![deny(warnings)]
use arena::{arena_alloc, Arena, CloneOut};

#[derive(Clone, Copy, Debug)]
pub struct Rgb(pub u8, pub u8, pub u8);

pub mod counted {
    use arena::Arena;

    pub type Owned = usize;

    pub fn clone_out(text: &&str) -> usize {
        text.len()
    }

    pub fn clone_in<'n>(text: &&str, arena: &'n Arena) -> &'n str {
        arena.alloc_str(text)
    }

    pub fn from_owned<'n>(len: &usize, arena: &'n Arena) -> &'n str {
        arena.alloc_str(&"x".repeat(*len))
    }
}

#[arena_alloc]
pub struct Pixel<'a> {
    #[arena(clone)]
    pub color: Rgb,
    #[arena(with = counted)]
    pub name: &'a str,
}

fn main() {
    let mem = Arena::new();
    let owned = Pixel { color: Rgb(1, 2, 3), name: mem.alloc_str("abc") }.clone_out();
    assert_eq!(owned.name, 3);
}
