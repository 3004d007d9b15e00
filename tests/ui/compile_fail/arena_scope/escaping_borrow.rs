use arena::arena_scope;

fn main() {
    let name: &str = arena_scope!(label = "escape", |mem| mem.alloc_str("bob"));
    println!("{name}");
}
