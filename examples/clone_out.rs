//! Go's `arena.Clone(p)` copies one arena value to the heap. Here `#[arena_alloc]` generates, for
//! each arena type, an owned twin and deep copies in every direction: arena → heap
//! (`clone_out`), arena → another arena and heap → arena (`clone_in`).
//!
//! ```sh
//! cargo run --example clone_out
//! ```

use arena::{arena_alloc, arena_scope, Arena, ArenaVec, CloneIn, CloneOut};

/// A person in an arena: every reference borrows the arena `'a`.
#[arena_alloc]
#[derive(Debug)]
pub struct Person<'a> {
    /// A string in the arena: `String` in the owned twin.
    pub name: &'a str,
    /// A plain value, copied as it is.
    pub age: u32,
    /// A slice in the arena: `Vec<String>` in the owned twin.
    pub tags: &'a [&'a str],
    /// An arena vector of references to other people: `Vec<PersonOwned>`.
    pub friends: ArenaVec<'a, &'a Person<'a>>,
    /// An optional reference: `Option<Box<PersonOwned>>`.
    pub best: Option<&'a Person<'a>>,
}

/// A hand-written type takes part through the traits, without the macro.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Celsius(f32);

impl CloneOut for Celsius {
    type Owned = Celsius;
    fn clone_out(&self) -> Celsius {
        *self
    }
}

impl<'n> CloneIn<'n> for Celsius {
    type Cloned = Celsius;
    fn clone_in(&self, _arena: &'n Arena) -> Celsius {
        *self
    }
}

/// An enum, with the hand-written type inside.
#[arena_alloc(derive(Debug, Clone, PartialEq))]
#[derive(Debug)]
pub enum Reading<'a> {
    /// A sensor's value.
    Temperature {
        /// The sensor's name.
        sensor: &'a str,
        /// What it measured.
        value: Celsius,
    },
    /// A sensor that did not answer.
    Missing(&'a str),
}

fn main() {
    // p1 := arena.New[Person](mem)   -- arena-allocated
    // p2 := arena.Clone(p1)          -- heap-allocated
    let alice: PersonOwned = arena_scope!(|mem| {
        let bob = mem.alloc(Person {
            name: mem.alloc_str("Bob"),
            age: 25,
            tags: mem.alloc_slice_copy(&["ops"]),
            friends: mem.vec(),
            best: None,
        });
        let mut friends = mem.vec();
        friends.push(&*bob);
        let alice = mem.alloc(Person {
            name: mem.alloc_str("Alice"),
            age: 30,
            tags: mem.alloc_slice_copy(&["admin", "dev"]),
            friends,
            best: Some(bob),
        });
        alice.clone_out() // a deep copy, on the heap; the scope's arena is freed after this
    });
    println!("cloned out of a scope that has ended:");
    println!("  {alice:?}");
    println!(
        "  name: String = {:?}, tags: Vec<String> = {:?}, best: Option<Box<PersonOwned>> = {:?}",
        alice.name,
        alice.tags,
        alice.best.as_ref().map(|b| &b.name)
    );

    // Heap -> arena: the owned twin clones back in.
    let mem = Arena::new();
    let again: Person<'_> = alice.clone_in(&mem);
    println!(
        "heap -> arena:   {} ({}), friends {:?}, {} B of arena used",
        again.name,
        again.age,
        again.friends.iter().map(|f| f.name).collect::<Vec<_>>(),
        mem.stats().used_bytes
    );

    // Arena -> arena: copy what should outlive a short-lived arena into a long-lived one.
    let long_lived = Arena::new();
    let kept: &mut Person<'_> = {
        let short_lived = Arena::new();
        let carol = short_lived.alloc(Person {
            name: short_lived.alloc_str("Carol"),
            age: 41,
            tags: &[],
            friends: short_lived.vec(),
            best: None,
        });
        carol.clone_in(&long_lived)
    }; // short_lived is freed here; `kept` lives in long_lived
    println!(
        "arena -> arena:  {} ({}) survives its first arena",
        kept.name, kept.age
    );

    // Enums and hand-written types too.
    let readings: Vec<ReadingOwned> = arena_scope!(|mem| {
        let list = [
            Reading::Temperature {
                sensor: mem.alloc_str("roof"),
                value: Celsius(21.5),
            },
            Reading::Missing(mem.alloc_str("cellar")),
        ];
        list.iter().map(CloneOut::clone_out).collect()
    });
    println!("enum readings:   {readings:?}");
}
