use arena_core::Arena;

fn main() {
    let mem = Arena::new();
    let names = mem.alloc_slice_fill_with(3, |i| i.to_string());
    println!("{}", names.len());
}
