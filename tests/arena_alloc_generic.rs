//! Generic parameters: `T` in the twin is the owned form of the arena's `T`; bounds follow.

#![allow(missing_docs)] // test types, named for what they exercise; the tests are their documentation

use arena::{arena_alloc, Arena, ArenaHashMap, ArenaString, ArenaVec, CloneIn, CloneOut};
use std::collections::HashMap;
use std::fmt::Debug;

#[arena_alloc]
#[derive(Debug)]
pub struct Pair<'a, T: Debug> {
    pub first: T,
    pub second: &'a T,
    pub rest: ArenaVec<'a, T>,
    pub maybe: Option<&'a [T]>,
}

#[test]
fn generic_struct_maps_its_parameter() {
    let mem = Arena::new();
    let pair: Pair<'_, &str> = Pair {
        first: mem.alloc_str("one"),
        second: mem.alloc(mem.alloc_str("two") as &str),
        rest: {
            let mut rest = ArenaVec::new_in(&mem);
            rest.push("three");
            rest
        },
        maybe: Some(mem.alloc_slice_copy(&["four"])),
    };
    let owned: PairOwned<String> = pair.clone_out();
    assert_eq!(owned.first, "one");
    assert_eq!(owned.second, "two");
    assert_eq!(owned.rest, vec![String::from("three")]);
    assert_eq!(owned.maybe, Some(vec![String::from("four")]));

    let other = Arena::new();
    let copy: Pair<'_, &str> = pair.clone_in(&other);
    assert_eq!(
        (copy.first, *copy.second, copy.rest.as_slice()),
        ("one", "two", &["three"][..])
    );
    let back: Pair<'_, &str> = owned.clone_in(&other);
    assert_eq!(back.maybe, Some(&["four"][..]));
}

#[test]
fn generic_struct_over_plain_data() {
    let mem = Arena::new();
    let pair = Pair {
        first: 1u64,
        second: mem.alloc(2u64),
        rest: ArenaVec::new_in(&mem),
        maybe: None,
    };
    let owned: PairOwned<u64> = pair.clone_out();
    assert_eq!((owned.first, owned.second), (1, 2));
}

#[arena_alloc]
pub struct Index<'a, K, const N: usize> {
    pub by_key: ArenaHashMap<'a, K, [u16; N]>,
    pub title: ArenaString<'a>,
}

#[test]
fn hash_map_keys_and_const_generics() {
    let mem = Arena::new();
    let mut by_key = ArenaHashMap::new_in(&mem);
    by_key.insert(mem.alloc_str("a") as &str, [1, 2]);
    let mut title = ArenaString::new_in(&mem);
    title.push_str("idx");
    let index: Index<'_, &str, 2> = Index { by_key, title };
    let owned: IndexOwned<String, 2> = index.clone_out();
    let expected: HashMap<String, [u16; 2]> = [(String::from("a"), [1, 2])].into_iter().collect();
    assert_eq!(owned.by_key, expected);
    assert_eq!(owned.title, "idx");

    let other = Arena::new();
    let copy = index.clone_in(&other);
    assert_eq!(copy.by_key.get(&"a"), Some(&[1, 2]));
    let back: Index<'_, &str, 2> = owned.clone_in(&other);
    assert_eq!(back.by_key.len(), 1);
    assert_eq!(&*back.title, "idx");
}

/// A bound in a `where` clause holds on every generated impl, as the same bound written inline
/// does: the arena type needs `U: Copy` to exist, so its `CloneIn` impl must ask for it too.
#[arena_alloc]
#[derive(Debug)]
pub struct Copied<'a, U>
where
    U: Copy,
{
    pub value: U,
    pub values: &'a [U],
}

#[test]
fn where_clause_holds_on_every_impl() {
    let mem = Arena::new();
    let copied = Copied {
        value: 7u16,
        values: mem.alloc_slice_copy(&[1u16, 2, 3]),
    };
    let owned: CopiedOwned<u16> = copied.clone_out();
    assert_eq!((owned.value, owned.values.as_slice()), (7, &[1, 2, 3][..]));

    let other = Arena::new();
    let copy: Copied<'_, u16> = copied.clone_in(&other);
    assert_eq!((copy.value, copy.values), (7, &[1, 2, 3][..]));
    let back: Copied<'_, u16> = owned.clone_in(&other);
    assert_eq!((back.value, back.values), (7, &[1, 2, 3][..]));
}
