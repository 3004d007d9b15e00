#![deny(warnings)]
use arena::arena_scope;

fn main() {
    let plain = arena_scope!(|mem| *mem.alloc(1u32));
    let all = arena_scope!(label = "req", limit = 64 << 20, capacity = 1 << 20, |mem| {
        *mem.alloc(2u32)
    });
    assert_eq!(plain + all, 3);
}
