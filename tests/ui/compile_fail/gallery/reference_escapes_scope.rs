// A scope frees its arena when the closure returns: nothing borrowed from it may leave.
use arena::arena_scope;

fn main() {
    let name: &str = arena_scope!(|mem| mem.alloc_str("escapes"));
    println!("{name}");
}
