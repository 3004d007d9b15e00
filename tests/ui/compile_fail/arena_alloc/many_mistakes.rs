// Every mistake is reported at once, and the item still expands: `Person` is usable below.
use arena::arena_alloc;

#[arena_alloc(derive(Debug), owned = P, colour = red)]
pub struct Person<'a> {
    pub name: String,
    pub nick: &'a str,
    #[arena(wiht = x)]
    pub age: u32,
    pub next: Box<Person<'a>>,
}

fn age(person: &Person<'_>) -> u32 {
    person.age
}

fn main() {
    let _ = age;
}
