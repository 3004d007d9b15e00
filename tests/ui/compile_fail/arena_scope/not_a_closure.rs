use arena::{arena_scope, Arena};

fn work(mem: &Arena) -> u32 {
    *mem.alloc(1)
}

fn main() {
    let _ = arena_scope!(work);
}
