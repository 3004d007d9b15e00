use arena::arena_scope;

fn main() {
    let _ = arena_scope!(limit = 1 << 20, label = "a", limit = 2 << 20, |mem| *mem.alloc(1u32));
}
