use arena::arena_scope;

fn main() {
    let _ = arena_scope!(capcity = 1 << 20, |mem| mem.alloc(1u32).to_string());
}
