// Storing a reference from a scope's arena in a variable outside the scope is an escape too.
use arena::arena_scope;

fn main() {
    let mut longest: &str = "";
    arena_scope!(|mem| {
        let word = mem.alloc_str("escapes");
        if word.len() > longest.len() {
            longest = word;
        }
    });
    println!("{longest}");
}
