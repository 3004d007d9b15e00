#![deny(warnings, missing_docs, unused_qualifications)]
#![deny(clippy::all)]
//! Generated code is clean under `deny(warnings)`: a private type, never read.

use arena::{arena_alloc, ArenaVec};
use std::cell::Cell;

#[arena_alloc]
#[derive(Debug)]
struct Node<'a> {
    name: &'a str,
    children: ArenaVec<'a, &'a Node<'a>>,
    parent: Option<&'a Node<'a>>,
    weights: &'a [f32],
    visits: Cell<u32>,
    marks: &'a [Cell<u8>],
}

#[arena_alloc]
enum Shape<'a> {
    Dot,
    Label(&'a str),
    Group { items: &'a [Shape<'a>] },
}

fn main() {}
