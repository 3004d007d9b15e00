use arena_core::Arena;

fn main() {
    let mem = Arena::new();
    let owned: &mut String = mem.alloc_droppable(String::from("bob"));
    let borrowed: &str = mem.alloc_str("bob");
    let mut names = mem.vec();
    names.push(borrowed);
    assert_eq!(owned.as_str(), names[0]);
}
