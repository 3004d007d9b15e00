//! The arena half of the Go chapter, one call at a time: `arena.NewArena()`, `arena.New[T]`,
//! `arena.MakeSlice[T]`, `mem.Free()`, plus what Rust adds (strings, vectors, maps, values with
//! destructors, statistics, reset).
//!
//! ```sh
//! cargo run --example arena_basics
//! ```

use std::fmt::Write as _;

use arena::{Arena, ArenaVec};

/// Go: `type Person struct { Name string; Age int }`. In an arena the name is a `&'a str` that
/// borrows the same arena, not a `String` (which would need `Drop`).
#[derive(Debug, Default)]
struct Person<'a> {
    name: &'a str,
    age: u32,
}

fn main() {
    // mem := arena.NewArena(); counting allocations is opt-in (it costs a little per allocation).
    let mut mem = Arena::builder().count_allocations(true).build();
    println!(
        "new arena:        {} bytes reserved",
        mem.stats().reserved_bytes
    );

    // p := arena.New[Person](mem)  -- a zero value, then fields set
    let p: &mut Person = mem.alloc_default();
    p.name = mem.alloc_str("Alice");
    p.age = 30;
    println!("arena.New:        {p:?}");

    // Or in one step, with a value:
    let bob = mem.alloc(Person {
        name: mem.alloc_str("Bob"),
        age: 25,
    });
    println!("alloc:            {bob:?}");

    // slice := arena.MakeSlice[string](mem, 100, 100)
    let mut names: ArenaVec<'_, &str> = mem.make_slice(100, 100);
    names[0] = p.name;
    names[1] = bob.name;
    println!(
        "make_slice:       len {}, cap {}, first two {:?}",
        names.len(),
        names.capacity(),
        &names[..2]
    );

    // Formatting, strings, growable vectors and maps all stay in the arena.
    let id = mem.alloc_fmt(format_args!("user-{:04}", 7));
    let mut greeting = mem.string();
    write!(greeting, "hello, {} and {}", p.name, bob.name).unwrap();
    let mut ages = mem.hash_map();
    ages.insert(p.name, p.age);
    ages.insert(bob.name, bob.age);
    let squares = mem.alloc_slice_fill_with(5, |i| (i * i) as u64);
    println!("alloc_fmt:        {id}");
    println!("string:           {greeting}");
    println!(
        "hash_map:         Alice is {}, Bob is {}",
        ages["Alice"], ages["Bob"]
    );
    println!("slice_fill_with:  {squares:?}");

    // A value that owns heap memory goes through alloc_droppable: its Drop runs at reset/free.
    let log: &mut Vec<String> = mem.alloc_droppable(Vec::new());
    log.push(String::from("kept on the heap, dropped with the arena"));

    let stats = mem.stats();
    println!(
        "stats:            {} allocations, {} B used of {} B reserved in {} chunk(s), {} drop(s) pending",
        stats.allocations.unwrap_or(0),
        stats.used_bytes,
        stats.reserved_bytes,
        stats.chunks,
        stats.drops_pending
    );

    // reset: every value is freed, the memory stays for the next round.
    let reserved = stats.reserved_bytes;
    mem.reset();
    let after = mem.stats();
    println!(
        "reset:            {} allocations, {} B used, {} B still reserved (was {reserved})",
        after.allocations.unwrap_or(0),
        after.used_bytes,
        after.reserved_bytes
    );

    // mem.Free(): everything goes back at once (dropping the arena does the same).
    mem.free();
    println!("free:             done; a use of `p` after this line would not compile");
}
