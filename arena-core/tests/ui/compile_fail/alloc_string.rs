use arena_core::Arena;

fn main() {
    let mem = Arena::new();
    let name = mem.alloc(String::from("bob"));
    println!("{name}");
}
