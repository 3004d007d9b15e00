use arena::arena_alloc;

#[arena_alloc(owend = PersonData)]
pub struct Person<'a> {
    pub name: &'a str,
}

fn main() {}
