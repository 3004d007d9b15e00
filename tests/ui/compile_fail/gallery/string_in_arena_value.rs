// Arena values are never dropped one by one, so a String inside one would leak its heap buffer.
use arena::Arena;

struct Person {
    name: String,
    age: u32,
}

fn main() {
    let mem = Arena::new();
    let p = mem.alloc(Person {
        name: String::from("bob"),
        age: 42,
    });
    println!("{} {}", p.name, p.age);
}
