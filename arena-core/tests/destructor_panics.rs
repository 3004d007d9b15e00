//! Destructors that panic, and panics whose payloads panic when dropped: every destructor still
//! runs exactly once, the arena's memory goes back to the process budget, a scope's arena goes
//! back to the pool, and the process does not abort — at reset, free, drop, and the end of a
//! scope, normally and while unwinding.
//!
//! The three droppables, oldest first: one that only counts, one whose destructor panics with a
//! payload ([`Bomb`]) whose own destructor panics, and one whose destructor panics plainly.
//! Destructors run newest first, so the plain panic is the first one and the bomb comes second;
//! the tests named `..bomb_first..` register them the other way round.
//!
//! The tests read the process-wide budget, so they run one at a time under a lock, each scope
//! test on a fresh thread (whose pool is freed when it ends).

use arena_core::__private::{scope_with, ScopeOptions};
use arena_core::{reserved_bytes_total, scope, Arena};
use std::any::Any;
use std::panic::{self, catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Once};

static SERIAL: Mutex<()> = Mutex::new(());

/// Takes the lock, and keeps the panics these tests cause from printing (a backtrace for each is
/// slow, above all under Miri); any other panic still goes to the default hook.
fn serial() -> MutexGuard<'static, ()> {
    static QUIET: Once = Once::new();
    QUIET.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let payload = info.payload();
            let expected = payload.is::<Bomb>()
                || payload
                    .downcast_ref::<&str>()
                    .is_some_and(|text| EXPECTED.contains(text));
            if !expected {
                default(info);
            }
        }));
    });
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

/// The messages of the panics the tests cause.
const EXPECTED: [&str; 4] = [
    "a destructor panics plainly",
    "the bomb payload's own destructor panics",
    "the arena's owner panics",
    "the scope's body panics",
];

/// A panic payload whose destructor panics.
struct Bomb;

impl Drop for Bomb {
    fn drop(&mut self) {
        panic!("the bomb payload's own destructor panics");
    }
}

/// How many times each of the three destructors ran.
#[derive(Clone, Default)]
struct Runs {
    counter: Arc<AtomicUsize>,
    bomb: Arc<AtomicUsize>,
    plain: Arc<AtomicUsize>,
}

impl Runs {
    fn get(&self) -> [usize; 3] {
        [&self.counter, &self.bomb, &self.plain].map(|runs| runs.load(Ordering::SeqCst))
    }
}

/// Only counts.
struct Counter(Arc<AtomicUsize>);

impl Drop for Counter {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// Panics with a [`Bomb`].
struct ThrowsBomb(Arc<AtomicUsize>);

impl Drop for ThrowsBomb {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
        panic::panic_any(Bomb);
    }
}

/// Panics with a message.
struct PanicsPlainly(Arc<AtomicUsize>);

impl Drop for PanicsPlainly {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
        panic!("a destructor panics plainly");
    }
}

/// The order the three are registered in, oldest first (the counter always comes first).
#[derive(Clone, Copy)]
enum Order {
    /// Counter, bomb, plain: the plain panic runs first, the bomb second.
    PlainFirst,
    /// Counter, plain, bomb: the bomb is the first panic.
    BombFirst,
}

fn register(mem: &Arena, runs: &Runs, order: Order) {
    mem.alloc_droppable(Counter(Arc::clone(&runs.counter)));
    match order {
        Order::PlainFirst => {
            mem.alloc_droppable(ThrowsBomb(Arc::clone(&runs.bomb)));
            mem.alloc_droppable(PanicsPlainly(Arc::clone(&runs.plain)));
        }
        Order::BombFirst => {
            mem.alloc_droppable(PanicsPlainly(Arc::clone(&runs.plain)));
            mem.alloc_droppable(ThrowsBomb(Arc::clone(&runs.bomb)));
        }
    }
    // Some plain values too, so the arena holds memory the budget counts.
    mem.alloc_slice_fill_default::<u64>(100);
}

/// Checks that `payload` is the first panic of `order` (the plain message, or the bomb), and
/// disposes of a bomb without letting its destructor panic here.
fn assert_first_panic(payload: Box<dyn Any + Send>, order: Order) {
    match order {
        Order::PlainFirst => assert_eq!(
            payload.downcast_ref::<&str>(),
            Some(&"a destructor panics plainly"),
            "the first destructor panic is the one resumed"
        ),
        Order::BombFirst => {
            assert!(
                payload.is::<Bomb>(),
                "the first destructor panic is the one resumed"
            );
            // Its destructor panics: drop it where that panic is caught.
            let dropped = catch_unwind(AssertUnwindSafe(move || drop(payload)));
            assert!(dropped.is_err(), "the bomb's destructor panics");
        }
    }
}

fn on_fresh_thread<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
    std::thread::spawn(f)
        .join()
        .expect("the test thread panicked")
}

fn addr(mem: &Arena) -> usize {
    mem as *const Arena as usize
}

fn at_drop(order: Order) {
    let _serial = serial();
    let before = reserved_bytes_total();
    let runs = Runs::default();
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let mem = Arena::new();
        register(&mem, &runs, order);
        assert!(reserved_bytes_total() > before);
        drop(mem);
    }));
    assert_first_panic(outcome.expect_err("a destructor panic is resumed"), order);
    assert_eq!(runs.get(), [1, 1, 1], "every destructor ran exactly once");
    assert_eq!(
        reserved_bytes_total(),
        before,
        "the arena's memory went back to the budget"
    );
}

#[test]
fn at_drop_every_destructor_runs_and_the_memory_goes_back() {
    at_drop(Order::PlainFirst);
}

#[test]
fn at_drop_with_the_bomb_first_every_destructor_runs_and_the_memory_goes_back() {
    at_drop(Order::BombFirst);
}

fn at_free(order: Order) {
    let _serial = serial();
    let before = reserved_bytes_total();
    let runs = Runs::default();
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let mem = Arena::new();
        register(&mem, &runs, order);
        mem.free();
    }));
    assert_first_panic(outcome.expect_err("a destructor panic is resumed"), order);
    assert_eq!(runs.get(), [1, 1, 1], "every destructor ran exactly once");
    assert_eq!(reserved_bytes_total(), before);
}

#[test]
fn at_free_every_destructor_runs_and_the_memory_goes_back() {
    at_free(Order::PlainFirst);
}

#[test]
fn at_free_with_the_bomb_first_every_destructor_runs_and_the_memory_goes_back() {
    at_free(Order::BombFirst);
}

fn at_reset(order: Order) {
    let _serial = serial();
    let before = reserved_bytes_total();
    let runs = Runs::default();
    let mut mem = Arena::new();
    register(&mem, &runs, order);
    let outcome = catch_unwind(AssertUnwindSafe(|| mem.reset()));
    assert_first_panic(outcome.expect_err("a destructor panic is resumed"), order);
    assert_eq!(runs.get(), [1, 1, 1], "every destructor ran exactly once");
    let stats = mem.stats();
    assert_eq!(stats.drops_pending, 0);
    assert_eq!(stats.used_bytes, 0, "the memory was reset");
    // Usable afterwards, and the second round's destructors run too.
    assert_eq!(*mem.alloc(7u32), 7);
    register(&mem, &runs, order);
    let outcome = catch_unwind(AssertUnwindSafe(|| mem.reset()));
    assert_first_panic(outcome.expect_err("a destructor panic is resumed"), order);
    assert_eq!(runs.get(), [2, 2, 2]);
    drop(mem);
    assert_eq!(reserved_bytes_total(), before);
}

#[test]
fn at_reset_every_destructor_runs_and_the_arena_stays_usable() {
    at_reset(Order::PlainFirst);
}

#[test]
fn at_reset_with_the_bomb_first_every_destructor_runs_and_the_arena_stays_usable() {
    at_reset(Order::BombFirst);
}

fn at_drop_while_unwinding(order: Order) {
    let _serial = serial();
    let before = reserved_bytes_total();
    let runs = Runs::default();
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let mem = Arena::new();
        register(&mem, &runs, order);
        panic!("the arena's owner panics");
    }));
    let payload = outcome.expect_err("the owner's panic propagates");
    assert_eq!(
        payload.downcast_ref::<&str>(),
        Some(&"the arena's owner panics"),
        "while unwinding, the panic in flight is the one that propagates"
    );
    assert_eq!(runs.get(), [1, 1, 1], "every destructor ran exactly once");
    assert_eq!(reserved_bytes_total(), before);
}

#[test]
fn at_drop_while_unwinding_every_destructor_runs_without_abort() {
    at_drop_while_unwinding(Order::PlainFirst);
}

#[test]
fn at_drop_while_unwinding_with_the_bomb_first_every_destructor_runs_without_abort() {
    at_drop_while_unwinding(Order::BombFirst);
}

/// How a test enters its scopes: the plain `scope` (which takes the fast path once warm) or
/// one with a label (the general path every time).
#[derive(Clone, Copy)]
enum Entry {
    Plain,
    Labelled,
}

fn enter<R>(entry: Entry, f: impl for<'a> FnOnce(&'a Arena) -> R) -> R {
    match entry {
        Entry::Plain => scope(f),
        Entry::Labelled => scope_with(
            ScopeOptions {
                capacity: None,
                limit: None,
                label: Some("destructor-panics"),
                call_site: "",
            },
            f,
        ),
    }
}

/// Several rounds, so a plain scope also ends on the fast path's guard once the slot is warm.
const ROUNDS: usize = 3;

fn at_scope_end(entry: Entry, order: Order) {
    let _serial = serial();
    let before = reserved_bytes_total();
    on_fresh_thread(move || {
        let runs = Runs::default();
        let home = enter(entry, addr);
        for round in 1..=ROUNDS {
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                enter(entry, |mem| {
                    assert_eq!(addr(mem), home, "the scope takes the pooled arena");
                    register(mem, &runs, order);
                })
            }));
            assert_first_panic(outcome.expect_err("a destructor panic is resumed"), order);
            assert_eq!(runs.get(), [round; 3], "every destructor ran exactly once");
            // The arena went back to the pool: the next scope takes it again, empty.
            enter(entry, |mem| {
                assert_eq!(addr(mem), home, "the arena went back to the pool");
                assert_eq!(mem.stats().drops_pending, 0);
                assert_eq!(mem.stats().used_bytes, 0);
            });
        }
    });
    assert_eq!(reserved_bytes_total(), before);
}

#[test]
fn at_scope_end_every_destructor_runs_and_the_arena_goes_back_to_the_pool() {
    at_scope_end(Entry::Plain, Order::PlainFirst);
}

#[test]
fn at_scope_end_with_the_bomb_first_every_destructor_runs_and_the_arena_goes_back_to_the_pool() {
    at_scope_end(Entry::Plain, Order::BombFirst);
}

#[test]
fn at_labelled_scope_end_every_destructor_runs_and_the_arena_goes_back_to_the_pool() {
    at_scope_end(Entry::Labelled, Order::PlainFirst);
    at_scope_end(Entry::Labelled, Order::BombFirst);
}

fn at_scope_end_while_unwinding(entry: Entry, order: Order) {
    let _serial = serial();
    let before = reserved_bytes_total();
    on_fresh_thread(move || {
        let runs = Runs::default();
        let home = enter(entry, addr);
        for round in 1..=ROUNDS {
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                enter(entry, |mem| {
                    register(mem, &runs, order);
                    panic!("the scope's body panics");
                })
            }));
            let payload = outcome.expect_err("the body's panic propagates");
            assert_eq!(
                payload.downcast_ref::<&str>(),
                Some(&"the scope's body panics"),
                "while unwinding, the panic in flight is the one that propagates"
            );
            assert_eq!(runs.get(), [round; 3], "every destructor ran exactly once");
            enter(entry, |mem| {
                assert_eq!(addr(mem), home, "the arena went back to the pool");
                assert_eq!(mem.stats().drops_pending, 0);
            });
        }
    });
    assert_eq!(reserved_bytes_total(), before);
}

#[test]
fn at_scope_end_while_unwinding_every_destructor_runs_without_abort() {
    at_scope_end_while_unwinding(Entry::Plain, Order::PlainFirst);
}

#[test]
fn at_scope_end_while_unwinding_with_the_bomb_first_every_destructor_runs_without_abort() {
    at_scope_end_while_unwinding(Entry::Plain, Order::BombFirst);
}

#[test]
fn at_labelled_scope_end_while_unwinding_every_destructor_runs_without_abort() {
    at_scope_end_while_unwinding(Entry::Labelled, Order::PlainFirst);
    at_scope_end_while_unwinding(Entry::Labelled, Order::BombFirst);
}
