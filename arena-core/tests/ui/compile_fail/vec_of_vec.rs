use arena_core::Arena;

fn main() {
    let mem = Arena::new();
    let mut rows = mem.vec();
    rows.push(vec![1, 2, 3]);
}
