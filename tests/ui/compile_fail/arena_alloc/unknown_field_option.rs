use arena::arena_alloc;

#[arena_alloc]
pub struct Person<'a> {
    #[arena(clonne)]
    pub name: &'a str,
}

fn main() {}
