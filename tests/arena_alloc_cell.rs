//! `Cell` fields: a `Cell` of plain data is copied through the `Cell` impls of `CloneOut` and
//! `CloneIn`, in every direction. A `Cell` whose value borrows the arena is rejected at the field
//! (see `tests/ui/compile_fail/arena_alloc/cell_borrows_arena.rs`): a `Cell` hands out only
//! copies, and the owned form of a borrowed value (`String` for `&'a str`) is not `Copy`.

use arena::{arena_alloc, Arena, CloneIn, CloneOut};
use std::cell::Cell;

#[arena_alloc]
#[derive(Debug)]
pub struct Counters<'a> {
    pub name: &'a str,
    pub hits: Cell<u32>,
    pub per_hour: &'a [Cell<u64>],
}

#[test]
fn cells_of_plain_data_are_copied() {
    let mem = Arena::new();
    let counters = Counters {
        name: mem.alloc_str("home"),
        hits: Cell::new(3),
        per_hour: mem.alloc_slice_fill_with(2, |hour| Cell::new(hour as u64 * 10)),
    };
    counters.hits.set(4);
    counters.per_hour[1].set(11);

    let owned: CountersOwned = counters.clone_out();
    assert_eq!(owned.name, "home");
    assert_eq!(owned.hits.get(), 4);
    let per_hour: Vec<u64> = owned.per_hour.iter().map(Cell::get).collect();
    assert_eq!(per_hour, [0, 11]);

    let other = Arena::new();
    let copy: Counters<'_> = counters.clone_in(&other);
    copy.hits.set(5); // the copy is its own cell
    assert_eq!((counters.hits.get(), copy.hits.get()), (4, 5));
    let back: Counters<'_> = owned.clone_in(&other);
    assert_eq!(
        (back.name, back.hits.get(), back.per_hour[1].get()),
        ("home", 4, 11)
    );
}
