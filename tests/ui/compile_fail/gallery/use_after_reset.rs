// A reset frees every value of the arena, as Free does, but keeps the memory for reuse.
use arena::Arena;

fn main() {
    let mut mem = Arena::new();
    let ids = mem.alloc_slice_copy(&[1u32, 2, 3]);
    mem.reset();
    println!("{}", ids[0]); // `ids` pointed into memory the next round will overwrite
}
