// `Arena::scoped` frees what its closure allocated when the closure returns: nothing borrowed
// from it may leave.
use arena::Arena;

fn main() {
    let mut mem = Arena::new();
    let name: &str = mem.scoped(|tmp| tmp.alloc_str("escapes"));
    println!("{name}");
}
