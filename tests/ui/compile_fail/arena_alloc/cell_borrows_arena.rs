// A `Cell` hands out only copies of its value, so a `Cell` holding a value that borrows the
// arena has no owned form that could be copied back in: rejected at the field. A `Cell` of plain
// data is fine.
use arena::arena_alloc;
use std::cell::Cell;

#[arena_alloc]
pub struct Counters<'a> {
    pub hits: Cell<u32>,
    pub names: &'a [Cell<&'a str>],
}

fn main() {}
