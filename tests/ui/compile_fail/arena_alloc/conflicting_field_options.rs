use arena::arena_alloc;

mod text {}

#[arena_alloc]
pub struct Person<'a> {
    #[arena(clone, with = text)]
    pub id: u32,
    pub name: &'a str,
}

fn main() {}
