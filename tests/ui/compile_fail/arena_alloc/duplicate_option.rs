use arena::arena_alloc;

#[arena_alloc(owned = A, owned = B)]
pub struct Person<'a> {
    pub name: &'a str,
}

fn main() {}
