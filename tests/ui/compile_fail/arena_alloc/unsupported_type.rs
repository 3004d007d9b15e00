use arena::arena_alloc;

#[arena_alloc]
pub struct Callback<'a> {
    pub name: &'a str,
    pub run: fn(u32) -> u32,
}

fn main() {}
