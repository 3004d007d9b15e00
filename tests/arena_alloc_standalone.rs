//! Fields of types that borrow nothing and are copied through their own `CloneOut` / `CloneIn`
//! impls: a `Cell` of plain data, a hand-written type, alone or inside slices, options and
//! generic items. (The macro checks their impls where the item is defined, so a missing one is a
//! single error at the field: `tests/ui/compile_fail/arena_alloc/copy_enum_field.rs`.)
//!
//! A `Cell` whose value borrows the arena is rejected at the field
//! (`tests/ui/compile_fail/arena_alloc/cell_borrows_arena.rs`): a `Cell` hands out only copies,
//! and the owned form of a borrowed value (`String` for `&'a str`) is not `Copy`.

#![allow(missing_docs)] // test types, named for what they exercise; the tests are their documentation

use arena::{arena_alloc, Arena, ArenaVec, CloneIn, CloneOut, CloneStrategy};
use std::cell::Cell;
use std::marker::PhantomData;

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

/// A hand-written type that borrows nothing, copied through its own impls.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rgb(u8, u8, u8);

impl CloneOut for Rgb {
    type Owned = Rgb;
    // SAFETY: `Owned` is `Self`, which is `Copy`; a bitwise copy is exactly `clone_out`.
    const STRATEGY: CloneStrategy = unsafe { CloneStrategy::bitwise_copy() };
    fn clone_out(&self) -> Rgb {
        *self
    }
}

impl<'n> CloneIn<'n> for Rgb {
    type Cloned = Rgb;
    fn clone_in(&self, _: &'n Arena) -> Rgb {
        *self
    }
}

#[arena_alloc]
#[derive(Debug)]
pub struct Palette<'a, T> {
    pub name: &'a str,
    pub main: Rgb,
    pub shades: &'a [Rgb],
    pub accent: Option<Rgb>,
    pub pairs: ArenaVec<'a, (Rgb, T)>,
    pub marker: PhantomData<Rgb>,
}

#[test]
fn standalone_types_are_copied_through_their_impls() {
    let mem = Arena::new();
    let mut pairs = ArenaVec::new_in(&mem);
    pairs.push((Rgb(9, 9, 9), mem.alloc_str("grey") as &str));
    let palette = Palette {
        name: mem.alloc_str("sea"),
        main: Rgb(0, 0, 255),
        shades: mem.alloc_slice_copy(&[Rgb(0, 0, 128), Rgb(0, 0, 64)]),
        accent: Some(Rgb(255, 255, 255)),
        pairs,
        marker: PhantomData,
    };
    let owned: PaletteOwned<String> = palette.clone_out();
    assert_eq!((owned.name.as_str(), owned.main), ("sea", Rgb(0, 0, 255)));
    assert_eq!(owned.shades, [Rgb(0, 0, 128), Rgb(0, 0, 64)]);
    assert_eq!(owned.accent, Some(Rgb(255, 255, 255)));
    assert_eq!(owned.pairs, [(Rgb(9, 9, 9), String::from("grey"))]);

    let other = Arena::new();
    let copy: Palette<'_, &str> = palette.clone_in(&other);
    assert_eq!((copy.main, copy.shades), (Rgb(0, 0, 255), palette.shades));
    let back: Palette<'_, &str> = owned.clone_in(&other);
    assert_eq!((back.name, back.accent), ("sea", Some(Rgb(255, 255, 255))));
    assert_eq!(back.pairs.as_slice(), [(Rgb(9, 9, 9), "grey")]);
}
