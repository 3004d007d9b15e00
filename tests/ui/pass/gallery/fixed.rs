// The version of each gallery case that compiles.
use arena::{arena_scope, Arena, CloneOut};

struct T {
    num: i64,
}

struct Person<'a> {
    name: &'a str,
    age: u32,
}

fn main() {
    // use_after_free: use the value before the arena is freed.
    let mem = Arena::new();
    let o = mem.alloc(T { num: 0 });
    o.num = 123;
    assert_eq!(o.num, 123);
    mem.free();

    // use_after_reset: copy out what must survive the reset.
    let mut mem = Arena::new();
    let ids = mem.alloc_slice_copy(&[1u32, 2, 3]);
    let first = ids[0];
    mem.reset();
    assert_eq!(first, 1);

    // reference_escapes_scope: return an owned copy.
    let name: String = arena_scope!(|mem| mem.alloc_str("escapes").clone_out());
    assert_eq!(name, "escapes");

    // reference_stored_outside_scope: store an owned copy, or use a longer-lived arena.
    let mut longest = String::new();
    arena_scope!(|mem| {
        let word = mem.alloc_str("escapes");
        if word.len() > longest.len() {
            longest = word.clone_out();
        }
    });
    assert_eq!(longest, "escapes");
    let long_lived = Arena::new();
    let mut kept: &str = "";
    arena_scope!(|mem| {
        let word = mem.alloc_str("kept");
        kept = long_lived.alloc_str(word);
    });
    assert_eq!(kept, "kept");

    // shared_across_threads: one arena per thread (or move the arena).
    std::thread::scope(|s| {
        s.spawn(|| arena_scope!(|mem| *mem.alloc(1u32)));
        arena_scope!(|mem| *mem.alloc(2u32))
    });
    let mem = Arena::new();
    let two = std::thread::spawn(move || *mem.alloc(2u32)).join().unwrap();
    assert_eq!(two, 2);

    // string_in_arena_value: an arena string, or alloc_droppable for a String.
    let mem = Arena::new();
    let p = mem.alloc(Person {
        name: mem.alloc_str("bob"),
        age: 42,
    });
    assert_eq!((p.name, p.age), ("bob", 42));
    let owned: &mut String = mem.alloc_droppable(String::from("bob"));
    assert_eq!(owned, "bob"); // dropped when `mem` is
}
