// A rewind frees what was allocated after its checkpoint: a reference made after the checkpoint
// cannot be used after the rewind (Go's arena has no partial free at all).
use arena::Arena;

fn main() {
    let mut mem = Arena::new();
    let cp = mem.checkpoint();
    let name = mem.alloc_str("bob");
    mem.rewind(cp);
    println!("{name}");
}
