//! `ArenaVec`, `ArenaString`, `ArenaHashMap`: no drop glue, the API a Rust user expects, and
//! `Allocator for &Arena` for allocator-api2 and hashbrown collections.

use arena_core::{Arena, ArenaHashMap, ArenaString, ArenaVec, CollectIn, FromIteratorIn};
use std::fmt::Write;

#[test]
fn containers_have_no_drop_glue_so_they_can_live_in_arena_values() {
    assert!(!std::mem::needs_drop::<ArenaVec<'static, u64>>());
    assert!(!std::mem::needs_drop::<ArenaString<'static>>());
    assert!(!std::mem::needs_drop::<ArenaHashMap<'static, &str, u32>>());

    struct Document<'a> {
        title: ArenaString<'a>,
        words: ArenaVec<'a, &'a str>,
        counts: ArenaHashMap<'a, &'a str, u32>,
    }
    let mem = Arena::new();
    let doc = mem.alloc(Document {
        title: ArenaString::from_str_in("t", &mem),
        words: mem.vec(),
        counts: mem.hash_map(),
    });
    for word in "to be or not to be".split(' ') {
        doc.words.push(word);
        *doc.counts.entry(word).or_insert(0) += 1;
    }
    doc.title.push_str("itle");
    assert_eq!(doc.title, "title");
    assert_eq!(doc.words.len(), 6);
    assert_eq!(doc.counts["be"], 2);
}

#[test]
fn vec_api() {
    let mem = Arena::new();
    let mut v: ArenaVec<'_, i32> = mem.vec();
    assert!(v.is_empty());
    v.extend([5, 1, 4]);
    v.push(2);
    v.insert(0, 9);
    assert_eq!(v, [9, 5, 1, 4, 2]);
    assert_eq!(v.remove(1), 5);
    assert_eq!(v.swap_remove(0), 9);
    assert_eq!(v, [2, 1, 4]);
    v.sort(); // through DerefMut<Target = [T]>
    assert_eq!(v, [1, 2, 4]);
    v.retain(|x| *x != 2);
    assert_eq!(v.pop(), Some(4));
    v.extend_from_slice(&[7, 8]);
    v.extend(&[9]);
    assert_eq!(v[..], [1, 7, 8, 9]);
    assert_eq!(v[1..3], [7, 8]);
    v[0] = 0;
    let mut sum = 0;
    for x in &v {
        sum += x;
    }
    for x in &mut v {
        *x += 1;
    }
    assert_eq!(sum, 24);
    assert_eq!(format!("{v:?}"), "[1, 8, 9, 10]");
    let copy = v.clone();
    assert_eq!(copy, v);
    assert!(std::ptr::eq(copy.arena(), &mem));
    let owned: Vec<i32> = v.into_iter().rev().collect();
    assert_eq!(owned, [10, 9, 8, 1]);
    let collected: ArenaVec<'_, u8> = (0..5u8).collect_in(&mem);
    assert_eq!(collected, vec![0, 1, 2, 3, 4]);
    let frozen: &[u8] = collected.into_bump_slice();
    assert_eq!(frozen.len(), 5);
    let mut cleared = ArenaVec::from_iter_in([1, 2], &mem);
    cleared.clear();
    assert!(cleared.is_empty() && cleared.capacity() >= 2);
}

#[test]
fn vec_growth_reuses_the_arena_and_keeps_contents() {
    let mem = Arena::builder().count_allocations(true).build();
    let mut v = mem.vec::<u64>();
    let n = if cfg!(miri) { 5_000 } else { 100_000 };
    for i in 0..n {
        v.push(i);
    }
    assert!(v.iter().copied().eq(0..n));
    let stats = mem.stats();
    // Growth is not counted, in place or by a copy (the only kind under the `asan` feature):
    // the vector's first buffer is its one allocation (see `Stats::allocations`).
    assert_eq!(stats.allocations, Some(1), "{stats:?}");
    assert!(
        stats.chunks > 1,
        "the buffer outgrew the first chunk: {stats:?}"
    );
}

/// The newest buffer of the arena grows and shrinks where it is: the arena bumps upward, so
/// more room is the free space right after it. (Under the `asan` feature growth always copies,
/// so the old bytes can stay poisoned.)
#[cfg(not(feature = "asan"))]
#[test]
fn the_newest_vector_grows_in_place() {
    let mem = Arena::with_capacity(64 << 10);
    let mut v = mem.vec::<u32>();
    v.push(0);
    let start = v.as_ptr();
    for i in 1..4096 {
        v.push(i);
    }
    assert!(v.capacity() >= 4096);
    assert_eq!(v.as_ptr(), start, "grown in place, never copied");
    assert_eq!(
        mem.stats().used_bytes,
        v.capacity() * 4,
        "no old buffers left behind"
    );
    assert!(v.iter().copied().eq(0..4096));
    // Another allocation after it: now growth must move the vector, and keep its contents.
    let marker = mem.alloc(7u64);
    v.extend_from_slice(&[1; 8192]);
    assert_ne!(v.as_ptr(), start);
    assert!(v[..4096].iter().copied().eq(0..4096));
    assert_eq!(*marker, 7);
}

/// Giving the newest block back through the allocator makes its bytes free again.
// Under the `asan` feature memory given back stays poisoned instead of being reused.
#[cfg(not(feature = "asan"))]
#[test]
fn the_newest_block_is_reclaimed_when_given_back() {
    use allocator_api2::alloc::Allocator;
    use std::alloc::Layout;

    let mem = Arena::with_capacity(4096);
    mem.alloc(1u64);
    let before = mem.stats().used_bytes;
    let layout = Layout::from_size_align(100, 4).unwrap();
    let block = (&mem).allocate(layout).unwrap().cast::<u8>();
    assert_eq!(
        mem.stats().used_bytes,
        before + 104,
        "rounded up to 8 bytes"
    );
    // SAFETY: `block` was allocated by `&mem` with `layout` and is not used afterwards.
    unsafe { (&mem).deallocate(block, layout) };
    assert_eq!(mem.stats().used_bytes, before);
    // An older block given back stays used until the arena is reset.
    let older = (&mem).allocate(layout).unwrap().cast::<u8>();
    mem.alloc(2u64);
    let used = mem.stats().used_bytes;
    // SAFETY: as above.
    unsafe { (&mem).deallocate(older, layout) };
    assert_eq!(mem.stats().used_bytes, used);
}

#[test]
fn string_api() {
    let mem = Arena::new();
    let mut s = mem.string();
    s.push_str("héllo");
    s.push(' ');
    let tag = "w";
    write!(s, "{tag}-{:03}", 7).unwrap();
    assert_eq!(s, "héllo w-007");
    assert_eq!(s.len(), 12);
    assert_eq!(s.pop(), Some('7'));
    s.truncate(3);
    assert_eq!(s.as_str(), "h\u{e9}");
    s.as_mut_str().make_ascii_uppercase();
    assert_eq!(s, "H\u{e9}");
    assert_eq!(format!("{s} {s:?}"), "H\u{e9} \"H\u{e9}\"");
    assert!(s.starts_with('H')); // through Deref<Target = str>
    s.extend(['!', '?']);
    s.extend(["a", "b"]);
    assert_eq!(s, "H\u{e9}!?ab");
    let c = s.clone();
    assert_eq!(c, s);
    assert_eq!(c, String::from("H\u{e9}!?ab"));
    let joined: ArenaString<'_> = ["x", "y"].into_iter().collect_in(&mem);
    assert_eq!(joined.into_bump_str(), "xy");
    let mut lookup = mem.hash_map();
    lookup.insert(ArenaString::from_str_in("key", &mem), 1);
    assert_eq!(
        lookup.get("key"),
        Some(&1),
        "Borrow<str> allows &str lookups"
    );
}

#[test]
#[should_panic(expected = "not a char boundary")]
fn string_truncate_checks_char_boundaries() {
    let mem = Arena::new();
    let mut s = ArenaString::from_str_in("é", &mem);
    s.truncate(1);
}

#[test]
fn hash_map_api() {
    let mem = Arena::new();
    let mut m: ArenaHashMap<'_, &str, u32> = mem.hash_map();
    assert_eq!(m.insert("a", 1), None);
    assert_eq!(m.insert("a", 2), Some(1));
    m.extend([("b", 3), ("c", 4)]);
    assert_eq!(m.len(), 3);
    assert!(m.contains_key("b"));
    *m.get_mut("b").unwrap() += 10;
    assert_eq!(m["b"], 13);
    assert_eq!(m.remove("c"), Some(4));
    m.retain(|k, _| *k != "a");
    assert_eq!(m.keys().copied().collect::<Vec<_>>(), ["b"]);
    assert_eq!(m.values().sum::<u32>(), 13);
    for (_, v) in &mut m {
        *v = 0;
    }
    assert_eq!((&m).into_iter().count(), 1);
    assert_eq!(format!("{m:?}"), "{\"b\": 0}");
    assert_eq!(m.clone(), m);
    let n = if cfg!(miri) { 500 } else { 10_000 };
    let big: ArenaHashMap<'_, u32, u32> = (0..n).map(|i| (i, i * 2)).collect_in(&mem);
    assert!((0..n).all(|i| big[&i] == i * 2));
    m.clear();
    assert!(m.is_empty());
}

#[test]
fn allocator_api2_and_hashbrown_collections_live_in_the_arena() {
    let mem = Arena::builder().count_allocations(true).build();
    {
        // Types that own heap memory are fine here: these collections drop their contents.
        let mut names: allocator_api2::vec::Vec<String, &Arena> =
            allocator_api2::vec::Vec::new_in(&mem);
        names.push(String::from("ann"));
        names.push(String::from("bob"));
        let mut table: hashbrown::HashMap<u32, String, hashbrown::DefaultHashBuilder, &Arena> =
            hashbrown::HashMap::with_hasher_in(Default::default(), &mem);
        for i in 0..if cfg!(miri) { 100 } else { 1000 } {
            table.insert(i, i.to_string());
        }
        assert_eq!(names.len(), 2);
        assert_eq!(table[&99], "99");
        let boxed = allocator_api2::boxed::Box::new_in([1u8; 64], &mem);
        assert_eq!(boxed[63], 1);
    }
    assert!(mem.stats().allocations.expect("counted") > 2);
    assert!(mem.stats().used_bytes > 100 * 4);
}

#[cfg(feature = "serde")]
#[test]
fn containers_serialize() {
    let mem = Arena::new();
    let mut v = mem.vec();
    v.extend([1, 2]);
    assert_eq!(serde_json::to_string(&v).unwrap(), "[1,2]");
    assert_eq!(
        serde_json::to_string(&ArenaString::from_str_in("a\"b", &mem)).unwrap(),
        "\"a\\\"b\""
    );
    let mut m = mem.hash_map();
    m.insert("k", 1);
    assert_eq!(serde_json::to_string(&m).unwrap(), "{\"k\":1}");
}
