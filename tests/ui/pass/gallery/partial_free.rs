// The versions of `reference_escapes_scoped` and `used_after_rewind` that compile: return a value
// computed in the scope; use a value before the rewind.
use arena::Arena;

fn main() {
    let mut mem = Arena::new();
    let len: usize = mem.scoped(|tmp| tmp.alloc_str("stays inside").len());
    let cp = mem.checkpoint();
    let name = mem.alloc_str("bob");
    println!("{name} {len}");
    mem.rewind(cp);
}
