use arena_core::Arena;

fn main() {
    let mem = Arena::new();
    let mut index = mem.hash_map();
    index.insert("root", Box::new(1u32));
}
