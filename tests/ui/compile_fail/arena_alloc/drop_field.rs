use arena::arena_alloc;

#[arena_alloc]
pub struct Person<'a> {
    pub name: String,
    pub tags: Vec<&'a str>,
    pub best: Option<Box<Person<'a>>>,
    pub id: u32,
}

fn main() {}
