//! Deserializing a document inside `arena_scope!` allocates nothing from the global allocator
//! once the loop is warm: the typed path (`#[arena_alloc(deserialize)]`) and the dynamic
//! `de::Value`, counted by a `#[global_allocator]` that counts this thread's calls.
#![allow(missing_docs)] // test types, named for what they exercise; the tests are their documentation
#![cfg(feature = "serde")]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use arena::config::{self, Retain};
use arena::de::{self, Value};
use arena::{arena_alloc, arena_scope, ArenaVec, DeserializeIn};
use serde::de::DeserializeSeed;

struct Counting;

thread_local! {
    static CALLS: Cell<u64> = const { Cell::new(0) };
}

fn count() {
    let _ = CALLS.try_with(|calls| calls.set(calls.get() + 1));
}

// SAFETY: every call is forwarded to `System` unchanged; counting touches only a thread-local
// `Cell` that needs no allocation (const-initialized, no destructor).
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: the caller's contract for `alloc`, passed on.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: as above.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Global allocations, reallocations included, made by this thread while `f` runs.
fn allocations(f: impl FnOnce()) -> u64 {
    let before = CALLS.with(Cell::get);
    f();
    CALLS.with(Cell::get) - before
}

#[arena_alloc(deserialize)]
#[derive(Debug)]
pub struct Request<'a> {
    pub id: u64,
    #[serde(rename = "user")]
    pub user_name: &'a str,
    pub tags: &'a [&'a str],
    pub items: ArenaVec<'a, Item<'a>>,
}

#[arena_alloc(deserialize)]
#[derive(Debug)]
pub enum Item<'a> {
    Book { title: &'a str, pages: u32 },
    Gift(&'a [&'a str]),
}

/// `n` requests of growing size, one JSON document per line; `escaped` puts escapes in the
/// strings, which serde_json unescapes through a scratch buffer of its own.
fn documents(n: usize, escaped: bool) -> Vec<String> {
    let quote = if escaped { "\\\"" } else { "" };
    (0..n)
        .map(|i| {
            let tags: Vec<String> = (0..i % 7).map(|t| format!("\"t{quote}{t}\"")).collect();
            let items: Vec<String> = (0..i % 5)
                .map(|k| match k % 2 {
                    0 => format!(r#"{{"Book": {{"title": "b{quote}{k}", "pages": {k}}}}}"#),
                    _ => format!(r#"{{"Gift": ["g{k}", "h"]}}"#),
                })
                .collect();
            format!(
                r#"{{"id": {i}, "user": "u{quote}{i}", "tags": [{}], "items": [{}]}}"#,
                tags.join(","),
                items.join(",")
            )
        })
        .collect()
}

fn typed_checksum(document: &str) -> usize {
    arena_scope!(|mem| {
        let mut json = serde_json::Deserializer::from_str(document);
        let request = Request::deserialize_in(&mut json, mem).unwrap();
        request.user_name.len() + request.tags.len() + request.items.len() + request.id as usize
    })
}

fn value_checksum(document: &str) -> usize {
    arena_scope!(|mem| {
        let mut json = serde_json::Deserializer::from_str(document);
        let value = de::seed::<Value<'_>>(mem).deserialize(&mut json).unwrap();
        value["tags"].as_array().map_or(0, <[_]>::len) + value["user"].as_str().unwrap().len()
    })
}

#[test]
fn no_global_allocation_per_document_once_warm() {
    let rounds = if cfg!(miri) { 3 } else { 50 };
    let count = if cfg!(miri) { 12 } else { 200 };
    let mut sum = 0;

    // Documents of one size, with the default knobs: after the first, the pooled arena keeps
    // exactly what a document needs.
    let same: Vec<String> = vec![documents(5, false).swap_remove(4); count];
    for doc in &same[..3] {
        typed_checksum(doc);
    }
    let typed = allocations(|| {
        for doc in same.iter().cycle().take(rounds * count) {
            sum += typed_checksum(doc);
        }
    });
    for doc in &same[..3] {
        value_checksum(doc);
    }
    let dynamic = allocations(|| {
        for doc in same.iter().cycle().take(rounds * count) {
            sum += value_checksum(doc);
        }
    });
    assert_eq!(
        (typed, dynamic),
        (0, 0),
        "documents of one size, default knobs"
    );

    // Documents of many sizes: with the default `ARENA_RETAIN=100` a pooled arena keeps what
    // the *last* scope needed, so a larger document after a smaller one grows it again.
    // Keeping what was reserved (`ARENA_RETAIN=off`) makes the loop allocation-free once the
    // largest document has been seen.
    config::set_retain(Retain::Off);
    let docs = documents(count, false);
    for doc in &docs {
        typed_checksum(doc);
        value_checksum(doc);
    }
    let typed = allocations(|| {
        for _ in 0..rounds {
            for doc in &docs {
                sum += typed_checksum(doc);
            }
        }
    });
    let dynamic = allocations(|| {
        for _ in 0..rounds {
            for doc in &docs {
                sum += value_checksum(doc);
            }
        }
    });
    assert_eq!(
        (typed, dynamic),
        (0, 0),
        "documents of many sizes, ARENA_RETAIN=off"
    );
    assert!(sum > 0);

    // Strings with escapes: serde_json unescapes them in a scratch buffer it owns, which a
    // fresh deserializer allocates per document; one deserializer kept across documents (a
    // stream of lines) keeps its buffer, so the loop is again allocation-free once warm.
    let escaped = documents(count, true).join("\n");
    let run = |sum: &mut usize| {
        let mut json = serde_json::Deserializer::from_str(&escaped);
        for _ in 0..count {
            *sum += arena_scope!(|mem| {
                let r = de::seed::<Request<'_>>(mem).deserialize(&mut json).unwrap();
                r.user_name.len() + r.items.len()
            });
        }
    };
    run(&mut sum);
    let mut json = serde_json::Deserializer::from_str(&escaped);
    // Warm this deserializer's buffer on the first document, then count the rest.
    arena_scope!(|mem| de::seed::<Request<'_>>(mem)
        .deserialize(&mut json)
        .map(|_| ())
        .unwrap());
    let streamed = allocations(|| {
        for _ in 1..count {
            sum += arena_scope!(|mem| {
                let r = de::seed::<Request<'_>>(mem).deserialize(&mut json).unwrap();
                r.user_name.len()
            });
        }
    });
    assert_eq!(
        streamed, 0,
        "escaped documents through one deserializer, once warm"
    );
}
