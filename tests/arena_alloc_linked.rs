//! A linked structure — `&'a str`, `&'a [&'a str]`, `ArenaVec<'a, &'a Self>`, `Option<&'a Self>`
//! — cloned out of a scope and used after the scope ended; then back into arenas.

#![allow(missing_docs)] // test types, named for what they exercise; the tests are their documentation

use arena::{arena_alloc, arena_scope, Arena, ArenaVec, CloneIn, CloneOut};

/// A person in an arena.
#[arena_alloc]
#[derive(Debug)]
pub struct Person<'a> {
    /// Their name.
    pub name: &'a str,
    pub age: u32,
    pub tags: &'a [&'a str],
    pub friends: ArenaVec<'a, &'a Person<'a>>,
    pub best: Option<&'a Person<'a>>,
}

fn build<'a>(mem: &'a Arena) -> &'a Person<'a> {
    let carol = mem.alloc(Person {
        name: mem.alloc_str("carol"),
        age: 29,
        tags: mem.alloc_slice_copy(&["ops"]),
        friends: ArenaVec::new_in(mem),
        best: None,
    });
    let carol: &Person<'_> = carol;
    let mut friends = ArenaVec::new_in(mem);
    friends.push(carol);
    mem.alloc(Person {
        name: mem.alloc_str("bob"),
        age: 42,
        tags: mem.alloc_slice_copy(&["admin", "dev"]),
        friends,
        best: Some(carol),
    })
}

#[test]
fn cloned_out_of_a_scope_outlives_it() {
    let bob: PersonOwned = arena_scope!(|mem| build(mem).clone_out());
    assert_eq!(bob.name, "bob");
    assert_eq!(bob.age, 42);
    assert_eq!(bob.tags, vec![String::from("admin"), String::from("dev")]);
    assert_eq!(bob.friends.len(), 1);
    assert_eq!(bob.friends[0].name, "carol");
    assert!(bob.friends[0].friends.is_empty());
    // The direct self-reference is boxed in the twin.
    let best: Box<PersonOwned> = bob.best.clone().expect("bob has a best friend");
    assert_eq!(best.name, "carol");
    assert_eq!(best.tags, vec![String::from("ops")]);
    assert!(best.best.is_none());
}

#[test]
fn twin_derives_debug_and_clone_by_default() {
    let bob = arena_scope!(|mem| build(mem).clone_out());
    let copy = bob.clone();
    assert_eq!(format!("{copy:?}"), format!("{bob:?}"));
    assert!(format!("{bob:?}").starts_with("PersonOwned { name: \"bob\""));
}

#[test]
fn clone_in_to_a_second_arena_outlives_the_first() {
    let second = Arena::new();
    let bob: &Person<'_> = {
        let first = Arena::new();
        let bob = build(&first);
        second.alloc(bob.clone_in(&second))
    };
    assert_eq!(bob.name, "bob");
    assert_eq!(bob.tags, ["admin", "dev"]);
    assert_eq!(bob.friends[0].name, "carol");
    assert_eq!(bob.best.map(|best| best.age), Some(29));
}

#[test]
fn heap_to_arena_and_back_round_trips() {
    let owned = arena_scope!(|mem| build(mem).clone_out());
    let mem = Arena::new();
    let bob: Person<'_> = owned.clone_in(&mem);
    assert_eq!(bob.name, "bob");
    assert_eq!(bob.friends.len(), 1);
    assert_eq!(bob.best.expect("best").name, "carol");
    let again = bob.clone_out();
    assert_eq!(format!("{again:?}"), format!("{owned:?}"));
}

/// Two types that hold each other through heap containers: each twin names the other's owned
/// form, checked where it is defined, without a cycle.
#[arena_alloc]
#[derive(Debug)]
pub struct Tree<'a> {
    pub label: &'a str,
    pub forests: &'a [Forest<'a>],
}

#[arena_alloc]
#[derive(Debug)]
pub struct Forest<'a> {
    pub trees: ArenaVec<'a, Tree<'a>>,
}

#[test]
fn mutually_recursive_types_through_containers() {
    let mem = Arena::new();
    let mut trees = ArenaVec::new_in(&mem);
    trees.push(Tree {
        label: mem.alloc_str("leaf"),
        forests: &[],
    });
    let root = Tree {
        label: mem.alloc_str("root"),
        forests: mem.alloc_slice_fill_with(1, |_| Forest {
            trees: trees.clone_in(&mem),
        }),
    };
    let owned: TreeOwned = root.clone_out();
    assert_eq!(owned.forests[0].trees[0].label, "leaf");
    let other = Arena::new();
    let back: Tree<'_> = owned.clone_in(&other);
    assert_eq!(back.forests[0].trees[0].label, "leaf");
    let copy: Tree<'_> = root.clone_in(&other);
    assert_eq!(copy.forests[0].trees.len(), 1);
}
