use arena::arena_scope;

fn main() {
    let _: () = arena_scope!(label = "req");
}
