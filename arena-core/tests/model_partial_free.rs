//! Model-based test of freeing part of an arena: random trees of nested `scoped` closures,
//! checkpoints and rewinds (valid, stale, from another arena, from outside the running scope),
//! allocations that may reach a limit, and droppable values (some of which panic when dropped),
//! on a standalone arena or a guard of an `ArenaPool`, checked against a model:
//!
//! - every destructor runs exactly once, and each rewind or scope end runs exactly the ones
//!   registered since its point, newest first (also when the closure or a destructor panics);
//! - no value is corrupted: every value allocated before a point is read back, intact, after
//!   the rewind to it, and at the end;
//! - a refused checkpoint is refused with the right error and changes nothing;
//! - `stats()` agrees after every operation: `drops_pending`, `allocations`, `used_bytes` back
//!   to its value at the point (exactly, while the arena has one chunk), `reserved_bytes` within
//!   the limit;
//! - a pool guard comes back with nothing pending and the pool has no guard out.
//!
//! 256 cases natively, 4 small ones under Miri. Set `PARTIAL_FREE_CASES` to run more.

mod common;

use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Mutex, Once};

use arena_core::{AllocErrorKind, Arena, ArenaPool, Checkpoint, CheckpointError};
use proptest::prelude::*;

fn mix(seed: u64, i: u64) -> u64 {
    let mut z = seed.wrapping_add(i.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A droppable value: logs its id when dropped, checks its heap content, maybe panics.
struct Tracked {
    id: u32,
    content: Vec<u64>,
    bomb: bool,
    log: Arc<Mutex<Vec<u32>>>,
}

impl Drop for Tracked {
    fn drop(&mut self) {
        let intact = self
            .content
            .iter()
            .enumerate()
            .all(|(i, &v)| v == mix(u64::from(self.id), i as u64));
        self.log.lock().unwrap().push(self.id);
        assert!(intact, "droppable {} corrupted", self.id);
        if self.bomb {
            panic!("bomb {}", self.id);
        }
    }
}

#[derive(Clone, Debug)]
enum Op {
    /// A slice of `len` words.
    Alloc {
        len: usize,
    },
    Droppable {
        bomb: bool,
    },
    Checkpoint,
    /// Rewind to the valid checkpoint at this index (modulo) of the running scope.
    Rewind(usize),
    /// Try a stale checkpoint (modulo), if there is one.
    RewindStale(usize),
    /// Try a checkpoint of the enclosing scopes (modulo), if there is one.
    RewindOutside(usize),
    RewindForeign,
    Scoped {
        body: Vec<Op>,
        panics: bool,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let leaf = prop_oneof![
        4 => (0usize..600).prop_map(|len| Op::Alloc { len }),
        2 => prop::bool::weighted(0.15).prop_map(|bomb| Op::Droppable { bomb }),
        2 => Just(Op::Checkpoint),
        2 => any::<usize>().prop_map(Op::Rewind),
        1 => any::<usize>().prop_map(Op::RewindStale),
        1 => any::<usize>().prop_map(Op::RewindOutside),
        1 => Just(Op::RewindForeign),
    ];
    leaf.prop_recursive(3, 48, 8, |inner| {
        (
            prop::collection::vec(inner, 0..8),
            prop::bool::weighted(0.2),
        )
            .prop_map(|(body, panics)| Op::Scoped { body, panics })
    })
}

/// A point the model can rewind to.
#[derive(Clone, Copy)]
struct Point {
    checkpoint: Checkpoint,
    values: usize,
    drops: usize,
    used: usize,
    chunks: usize,
    allocations: Option<usize>,
}

struct Model {
    log: Arc<Mutex<Vec<u32>>>,
    next_id: u32,
    /// Live slices: address, length, seed.
    values: Vec<(*const u64, usize, u64)>,
    /// Droppables pending, oldest first: id and whether it panics.
    drops: Vec<(u32, bool)>,
    /// Every id registered, to check "exactly once" at the end.
    registered: Vec<u32>,
    /// Valid checkpoints, oldest first; those below `floor` belong to enclosing scopes.
    points: Vec<Point>,
    floor: usize,
    stale: Vec<Checkpoint>,
    limit: Option<usize>,
    counting: bool,
    allocations: usize,
}

impl Model {
    fn check_values(&self) {
        for &(at, len, seed) in &self.values {
            // SAFETY: in this test, the slice was allocated in this arena after its last reset
            // and before every point still valid, so no rewind took it back.
            let slice = unsafe { std::slice::from_raw_parts(at, len) };
            for (i, &v) in slice.iter().enumerate() {
                assert_eq!(v, mix(seed, i as u64), "value corrupted");
            }
        }
    }

    fn check_stats(&self, mem: &Arena) {
        let stats = mem.stats();
        assert_eq!(stats.drops_pending, self.drops.len());
        assert!(stats.used_bytes <= stats.reserved_bytes);
        if let Some(limit) = self.limit {
            assert!(stats.reserved_bytes <= limit);
        }
        if self.counting {
            assert_eq!(stats.allocations, Some(self.allocations));
        }
    }

    /// The log since `from`, which must be exactly `expected`, newest first.
    fn expect_drops(&self, from: usize, expected: &[(u32, bool)]) {
        let ran: Vec<u32> = self.log.lock().unwrap()[from..].to_vec();
        let want: Vec<u32> = expected.iter().rev().map(|&(id, _)| id).collect();
        assert_eq!(ran, want, "destructors run, newest first");
    }

    fn log_len(&self) -> usize {
        self.log.lock().unwrap().len()
    }

    /// Goes back to `points[index]` in the model; returns whether a destructor panics.
    fn rewind_model(
        &mut self,
        mem: &Arena,
        index: usize,
        used_before: usize,
        log_from: usize,
    ) -> bool {
        let point = self.points[index];
        let dropped: Vec<(u32, bool)> = self.drops.split_off(point.drops);
        self.expect_drops(log_from, &dropped);
        self.values.truncate(point.values);
        for later in self.points.drain(index + 1..) {
            if later.checkpoint != point.checkpoint {
                self.stale.push(later.checkpoint);
            }
        }
        if let Some(count) = point.allocations {
            self.allocations = count;
        }
        let stats = mem.stats();
        assert!(stats.used_bytes <= used_before.max(point.used));
        if point.chunks == 1 && stats.chunks == 1 {
            assert_eq!(stats.used_bytes, point.used, "used_bytes back to the point");
        }
        assert!(stats.used_bytes >= point.used);
        dropped.iter().any(|&(_, bomb)| bomb)
    }
}

fn run(mem: &mut Arena, ops: &[Op], model: &mut Model, foreign: Checkpoint) {
    for op in ops {
        match op {
            Op::Alloc { len } => {
                let seed = u64::from(model.next_id) << 32 | *len as u64;
                model.next_id += 1;
                match mem.try_alloc_slice_fill_with(*len, |i| mix(seed, i as u64)) {
                    Ok(slice) => {
                        model.allocations += 1;
                        model.values.push((slice.as_ptr(), *len, seed));
                    }
                    Err(err) => {
                        assert!(
                            matches!(err.kind(), AllocErrorKind::ArenaLimit { limit } if Some(*limit) == model.limit),
                            "{err:?}"
                        );
                    }
                }
            }
            Op::Droppable { bomb } => {
                let id = model.next_id;
                model.next_id += 1;
                model.registered.push(id);
                let value = Tracked {
                    id,
                    content: (0..4).map(|i| mix(u64::from(id), i)).collect(),
                    bomb: *bomb,
                    log: model.log.clone(),
                };
                let log_from = model.log_len();
                let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
                    mem.try_alloc_droppable(value).is_ok()
                }));
                match outcome {
                    Ok(true) => {
                        model.allocations += 1;
                        model.drops.push((id, *bomb));
                    }
                    // Refused by the limit: dropped at once (and a bomb panics right there).
                    Ok(false) => model.expect_drops(log_from, &[(id, *bomb)]),
                    Err(_) => {
                        assert!(*bomb);
                        model.expect_drops(log_from, &[(id, true)]);
                    }
                }
            }
            Op::Checkpoint => {
                if let Ok(checkpoint) = mem.try_checkpoint() {
                    let stats = mem.stats();
                    model.points.push(Point {
                        checkpoint,
                        values: model.values.len(),
                        drops: model.drops.len(),
                        used: stats.used_bytes,
                        chunks: stats.chunks,
                        allocations: stats.allocations,
                    });
                }
            }
            Op::Rewind(pick) => {
                let own = model.points.len() - model.floor;
                if own == 0 {
                    continue;
                }
                let index = model.floor + pick % own;
                let used_before = mem.stats().used_bytes;
                let checkpoint = model.points[index].checkpoint;
                let log_from = model.log_len();
                let outcome = panic::catch_unwind(AssertUnwindSafe(|| mem.try_rewind(checkpoint)));
                let bomb = model.rewind_model(mem, index, used_before, log_from);
                match outcome {
                    Ok(result) => {
                        assert_eq!(result, Ok(()));
                        assert!(!bomb, "a destructor's panic is resumed");
                    }
                    Err(_) => assert!(bomb),
                }
            }
            Op::RewindStale(pick) => {
                if model.stale.is_empty() {
                    continue;
                }
                let checkpoint = model.stale[pick % model.stale.len()];
                let before = mem.stats();
                assert_eq!(mem.try_rewind(checkpoint), Err(CheckpointError::Stale));
                assert_eq!(mem.stats(), before, "a refused rewind changes nothing");
            }
            Op::RewindOutside(pick) => {
                if model.floor == 0 {
                    continue;
                }
                let checkpoint = model.points[pick % model.floor].checkpoint;
                let before = mem.stats();
                assert_eq!(
                    mem.try_rewind(checkpoint),
                    Err(CheckpointError::OutsideScope)
                );
                assert_eq!(mem.stats(), before);
            }
            Op::RewindForeign => {
                assert_eq!(mem.try_rewind(foreign), Err(CheckpointError::OtherArena));
            }
            Op::Scoped { body, panics } => {
                let values = model.values.len();
                let drops = model.drops.len();
                let points = model.points.len();
                let floor = model.floor;
                let allocations = model.allocations;
                let stats = mem.stats();
                model.floor = points;
                let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
                    mem.scoped(|inner| {
                        run(inner, body, model, foreign);
                        if *panics {
                            panic!("scope body panics");
                        }
                    })
                }));
                // The scope's end ran the destructors registered inside, and nothing else ran
                // since the body's last op.
                let log_from = model.log_len() - (model.drops.len() - drops);
                let dropped = model.drops.split_off(drops);
                model.expect_drops(log_from, &dropped);
                let bomb = dropped.iter().any(|&(_, b)| b);
                match outcome {
                    Ok(_) => assert!(!*panics && !bomb),
                    Err(_) => assert!(*panics || bomb),
                }
                model.values.truncate(values);
                for inside in model.points.drain(points..) {
                    model.stale.push(inside.checkpoint);
                }
                model.floor = floor;
                model.allocations = allocations;
                let after = mem.stats();
                if stats.chunks == 1 && after.chunks == 1 {
                    assert_eq!(after.used_bytes, stats.used_bytes, "the scope left nothing");
                }
                assert!(after.used_bytes >= stats.used_bytes);
            }
        }
        model.check_stats(mem);
        model.check_values();
    }
}

#[derive(Clone, Debug)]
struct Case {
    limit: Option<usize>,
    capacity: usize,
    counting: bool,
    pooled: bool,
    ops: Vec<Op>,
}

fn case() -> impl Strategy<Value = Case> {
    let scale = if cfg!(miri) { 6 } else { 24 };
    (
        prop_oneof![Just(None), (4usize..64).prop_map(|k| Some(k << 10))],
        prop_oneof![Just(0usize), Just(4096), Just(64 << 10)],
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(op(), 1..scale),
    )
        .prop_map(|(limit, capacity, counting, pooled, ops)| Case {
            limit,
            capacity: limit.map_or(capacity, |l| capacity.min(l / 2)),
            counting,
            pooled,
            ops,
        })
}

fn quiet_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let text = info
                .payload()
                .downcast_ref::<&str>()
                .copied()
                .or_else(|| info.payload().downcast_ref::<String>().map(String::as_str))
                .unwrap_or("");
            if !(text.starts_with("bomb") || text == "scope body panics") {
                default(info);
            }
        }));
    });
}

fn execute(case: &Case) {
    quiet_panics();
    let log = Arc::new(Mutex::new(Vec::new()));
    let mut model = Model {
        log: log.clone(),
        next_id: 0,
        values: Vec::new(),
        drops: Vec::new(),
        registered: Vec::new(),
        points: Vec::new(),
        floor: 0,
        stale: Vec::new(),
        limit: case.limit,
        counting: case.counting,
        allocations: 0,
    };
    let foreign = Arena::new().checkpoint();
    let mut builder = Arena::builder()
        .capacity(case.capacity)
        .count_allocations(case.counting);
    if let Some(limit) = case.limit {
        builder = builder.limit(limit);
    }
    let pool = {
        let mut pool = ArenaPool::builder().capacity(case.capacity);
        if let Some(limit) = case.limit {
            pool = pool.limit(limit);
        }
        pool.build()
    };
    if case.pooled {
        // A pooled arena counts only while tracing; the model does not count then.
        model.counting = false;
        let mut guard = pool.get();
        run(&mut guard, &case.ops, &mut model, foreign);
        model.check_values();
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| drop(guard)));
        let bombs = model.drops.iter().any(|&(_, b)| b);
        assert_eq!(outcome.is_err(), bombs);
        assert_eq!(pool.stats().arenas_in_use, 0);
        let again = pool.get();
        assert_eq!(again.stats().drops_pending, 0);
    } else {
        let mut mem = builder.build();
        run(&mut mem, &case.ops, &mut model, foreign);
        model.check_values();
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| drop(mem)));
        let bombs = model.drops.iter().any(|&(_, b)| b);
        assert_eq!(outcome.is_err(), bombs);
    }
    // Exactly once: every registered destructor ran, none twice.
    let mut ran = log.lock().unwrap_or_else(|e| e.into_inner()).clone();
    ran.sort_unstable();
    let mut registered = model.registered.clone();
    registered.sort_unstable();
    assert_eq!(ran, registered, "each destructor exactly once");
}

proptest! {
    #![proptest_config(common::proptest_config("PARTIAL_FREE_CASES", 256, 4))]

    #[test]
    fn scopes_checkpoints_and_guards_agree_with_the_model(case in case()) {
        execute(&case);
    }
}
