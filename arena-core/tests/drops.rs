//! `alloc_droppable`: destructors run exactly once, newest first, at reset, free and drop, even
//! when one of them panics.

use arena_core::Arena;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex};

/// Records its id in a shared log when dropped.
struct Recorder {
    id: usize,
    log: Arc<Mutex<Vec<usize>>>,
    panic_on_drop: bool,
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.log.lock().unwrap().push(self.id);
        if self.panic_on_drop {
            panic!("destructor {} panics", self.id);
        }
    }
}

fn recorder(id: usize, log: &Arc<Mutex<Vec<usize>>>) -> Recorder {
    Recorder {
        id,
        log: Arc::clone(log),
        panic_on_drop: false,
    }
}

#[test]
fn destructors_run_once_in_reverse_order_at_reset() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let mut mem = Arena::new();
    for id in 0..5 {
        mem.alloc_droppable(recorder(id, &log));
        mem.alloc(id); // plain values in between
    }
    assert_eq!(mem.stats().drops_pending, 5);
    assert!(
        log.lock().unwrap().is_empty(),
        "nothing dropped before reset"
    );
    mem.reset();
    assert_eq!(*log.lock().unwrap(), [4, 3, 2, 1, 0]);
    assert_eq!(mem.stats().drops_pending, 0);
    mem.reset();
    assert_eq!(
        log.lock().unwrap().len(),
        5,
        "a second reset drops nothing again"
    );
    drop(mem);
    assert_eq!(
        log.lock().unwrap().len(),
        5,
        "dropping the arena drops nothing again"
    );
}

#[test]
fn destructors_run_at_free_and_at_drop() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let mem = Arena::new();
    mem.alloc_droppable(recorder(1, &log));
    mem.alloc_droppable(recorder(2, &log));
    mem.free();
    assert_eq!(*log.lock().unwrap(), [2, 1]);

    let mem = Arena::new();
    mem.alloc_droppable(recorder(3, &log));
    drop(mem);
    assert_eq!(*log.lock().unwrap(), [2, 1, 3]);
}

#[test]
fn droppable_values_are_usable_and_own_heap_memory() {
    let mem = Arena::new();
    let names = mem.alloc_droppable(vec![String::from("ann")]);
    names.push(String::from("bob"));
    let text = mem.alloc_droppable(String::from("a"));
    text.push_str("bc");
    assert_eq!(names.len(), 2);
    assert_eq!(text, "abc");
    // A type without drop glue registers nothing.
    mem.alloc_droppable(5u32);
    assert_eq!(mem.stats().drops_pending, 2);
}

#[test]
fn a_panicking_destructor_does_not_stop_the_others_nor_break_the_arena() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let mut mem = Arena::new();
    for id in 0..6 {
        let mut r = recorder(id, &log);
        r.panic_on_drop = id == 2 || id == 4;
        mem.alloc_droppable(r);
    }
    let outcome = catch_unwind(AssertUnwindSafe(|| mem.reset()));
    let payload = outcome.expect_err("the first destructor panic is resumed");
    assert_eq!(
        payload.downcast_ref::<String>().unwrap(),
        "destructor 4 panics"
    );
    assert_eq!(
        *log.lock().unwrap(),
        [5, 4, 3, 2, 1, 0],
        "every destructor ran once"
    );
    assert_eq!(mem.stats().drops_pending, 0);
    // The arena is usable afterwards.
    let x = mem.alloc(41u32);
    *x += 1;
    assert_eq!(*x, 42);
    mem.alloc_droppable(recorder(9, &log));
    mem.reset();
    assert_eq!(log.lock().unwrap().last(), Some(&9));
}

#[test]
fn a_panicking_destructor_at_free_is_resumed_after_all_ran() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let mem = Arena::new();
    mem.alloc_droppable(recorder(0, &log));
    let mut bad = recorder(1, &log);
    bad.panic_on_drop = true;
    mem.alloc_droppable(bad);
    assert!(catch_unwind(AssertUnwindSafe(|| mem.free())).is_err());
    assert_eq!(*log.lock().unwrap(), [1, 0]);
}

#[test]
fn values_survive_until_reset_across_many_chunks() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let mut mem = Arena::new();
    let n = if cfg!(miri) { 200 } else { 10_000 };
    for id in 0..n {
        mem.alloc_droppable(recorder(id, &log));
        mem.alloc_slice_fill_default::<u8>(100);
    }
    assert!(mem.stats().chunks > 1);
    mem.reset();
    let log = log.lock().unwrap();
    assert_eq!(log.len(), n);
    assert!(log.iter().rev().copied().eq(0..n));
}
