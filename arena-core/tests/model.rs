//! Model-based test: random sequences of arena operations checked against a simple model.
//!
//! Each case builds an arena (maybe with a limit, maybe with capacity), runs rounds of
//! operations separated by `reset`, and ends with `free`. The operations: `alloc` of a value
//! that carries a checksum of its fields, `alloc_droppable` of a value that owns a heap buffer,
//! checks it and records its drop in a shared log (some of them panic in `drop`), slices,
//! strings, `ArenaVec`, `ArenaString`, `ArenaHashMap`, big slices that reach the limit, and nested
//! pooled scopes (some with a limit, some that panic). The model checks:
//!
//! - every destructor runs exactly once, newest first, at `reset`, `free` or scope end (also
//!   when the scope or another destructor panics), and a failed `try_alloc_droppable` drops its
//!   value at once;
//! - no value is corrupted: every value is read back at the end of its round, and every droppable
//!   checks its own content when it is dropped;
//! - `stats()` agrees with the model after every operation: `allocations`, `drops_pending`,
//!   `limit`, `used_bytes <= reserved_bytes`, `reserved_bytes <= limit`, and `used_bytes` covers
//!   the bytes handed out;
//! - a `try_` method fails only with `ArenaLimit` naming the arena's limit, and only in an arena
//!   that has one; the arena stays usable.
//!
//! 768 cases natively (about 5 s in a debug build), 3 small ones under Miri. Set
//! `MODEL_CASES` to run more or fewer.

mod common;

use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Mutex, Once};

use arena_core::__private::{scope_with, ScopeOptions};
use arena_core::{AllocError, AllocErrorKind, Arena, ArenaHashMap, ArenaString, ArenaVec};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// Values that check themselves.
// ---------------------------------------------------------------------------------------------

/// splitmix64: the content of every value is a function of its seed.
fn mix(seed: u64, i: u64) -> u64 {
    let mut z = seed
        .wrapping_add(i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
        .wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A plain arena value whose last field is a checksum of the others.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Checked {
    a: u64,
    b: u32,
    c: u16,
    d: u8,
    sum: u64,
}

impl Checked {
    fn new(seed: u64) -> Self {
        let (a, b, c, d) = (
            mix(seed, 1),
            mix(seed, 2) as u32,
            mix(seed, 3) as u16,
            seed as u8,
        );
        Checked {
            a,
            b,
            c,
            d,
            sum: Self::checksum(a, b, c, d),
        }
    }

    fn checksum(a: u64, b: u32, c: u16, d: u8) -> u64 {
        mix(
            a ^ u64::from(b) << 7 ^ u64::from(c) << 40 ^ u64::from(d) << 56,
            99,
        )
    }

    fn is_intact(&self, seed: u64) -> bool {
        *self == Checked::new(seed) && self.sum == Self::checksum(self.a, self.b, self.c, self.d)
    }
}

/// One line of the drop log: which droppable, and whether its content was intact.
#[derive(Clone, Copy, Debug, PartialEq)]
struct DropRecord {
    id: u64,
    intact: bool,
}

type Log = Arc<Mutex<Vec<DropRecord>>>;

/// A value that owns heap memory, checks it when dropped and records the drop.
struct Tracked {
    id: u64,
    payload: Vec<u64>,
    log: Log,
    panics: bool,
}

impl Tracked {
    fn payload(id: u64, len: usize) -> Vec<u64> {
        (0..len as u64).map(|i| mix(id, i)).collect()
    }

    fn is_intact(&self, len: usize) -> bool {
        self.payload == Tracked::payload(self.id, len)
    }
}

/// The panic message of droppable `id`'s destructor.
fn drop_panic_message(id: u64) -> String {
    format!("model: expected panic in the destructor of droppable {id}")
}

const SCOPE_PANIC: &str = "model: expected panic in a scope";

impl Drop for Tracked {
    fn drop(&mut self) {
        let intact = self.payload == Tracked::payload(self.id, self.payload.len())
            && self.payload.capacity() >= self.payload.len();
        self.log.lock().unwrap().push(DropRecord {
            id: self.id,
            intact,
        });
        if self.panics {
            panic!("{}", drop_panic_message(self.id));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Operations.
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum Op {
    Value(u64),
    Droppable {
        len: usize,
        panics: bool,
    },
    Slice {
        seed: u64,
        len: usize,
    },
    Str {
        seed: u64,
        len: usize,
    },
    Vec {
        seed: u64,
        cap: usize,
        len: usize,
    },
    String {
        seed: u64,
        len: usize,
    },
    Map {
        seed: u64,
        len: usize,
    },
    /// A byte slice big enough to reach a limit.
    Big {
        seed: u64,
        len: usize,
    },
    Scope {
        limit: Option<usize>,
        ops: Vec<Op>,
        panics: bool,
    },
    /// Ends a round at the top level (`reset`); nothing inside a scope.
    Reset,
}

/// Sizes: small under Miri, which runs every byte thousands of times slower.
const BIG: usize = if cfg!(miri) { 3_000 } else { 40_000 };
const LEN: usize = if cfg!(miri) { 24 } else { 200 };

fn leaf_op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => any::<u64>().prop_map(Op::Value),
        3 => (0..LEN / 4, prop::bool::weighted(0.15))
            .prop_map(|(len, panics)| Op::Droppable { len, panics }),
        2 => (any::<u64>(), 0..LEN).prop_map(|(seed, len)| Op::Slice { seed, len }),
        1 => (any::<u64>(), 0..LEN).prop_map(|(seed, len)| Op::Str { seed, len }),
        2 => (any::<u64>(), 0..LEN / 4, 0..LEN).prop_map(|(seed, cap, len)| Op::Vec { seed, cap, len }),
        1 => (any::<u64>(), 0..LEN).prop_map(|(seed, len)| Op::String { seed, len }),
        1 => (any::<u64>(), 0..LEN / 2).prop_map(|(seed, len)| Op::Map { seed, len }),
        1 => (any::<u64>(), 0..BIG).prop_map(|(seed, len)| Op::Big { seed, len }),
    ]
}

fn limit() -> impl Strategy<Value = Option<usize>> {
    prop_oneof![
        3 => Just(None),
        1 => (0..BIG / 4).prop_map(Some),
        2 => (BIG / 4..BIG * 2).prop_map(Some),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    leaf_op().prop_recursive(2, 24, 8, |inner| {
        (
            limit(),
            prop::collection::vec(inner, 0..8),
            prop::bool::weighted(0.2),
        )
            .prop_map(|(limit, ops, panics)| Op::Scope { limit, ops, panics })
    })
}

fn top_ops() -> impl Strategy<Value = Vec<Op>> {
    let ops = if cfg!(miri) { 0..12 } else { 0..40 };
    prop::collection::vec(prop_oneof![8 => op(), 1 => Just(Op::Reset)], ops)
}

#[derive(Clone, Debug)]
struct Case {
    limit: Option<usize>,
    capacity: Option<usize>,
    ops: Vec<Op>,
}

fn case() -> impl Strategy<Value = Case> {
    (limit(), prop::option::of(0..BIG), top_ops()).prop_map(|(limit, capacity, ops)| Case {
        limit,
        capacity,
        ops,
    })
}

// ---------------------------------------------------------------------------------------------
// The model.
// ---------------------------------------------------------------------------------------------

/// What one arena (standalone or a scope's) should hold.
#[derive(Default)]
struct ArenaModel {
    limit: Option<usize>,
    /// Whether the arena counts allocations: standalone ones here are built counting; pooled
    /// scopes count only while tracing, which is off in these tests.
    counted: bool,
    allocations: usize,
    /// Ids of the pending droppables, oldest first.
    pending: Vec<u64>,
    /// Bytes of the simple (non-container) allocations: `used_bytes` covers at least these.
    min_used: usize,
}

/// What the whole case shares.
struct World {
    log: Log,
    next_id: u64,
    created: usize,
    /// Ids of the droppables whose destructor panics.
    panicky: Vec<u64>,
}

/// A value handed out in the current round, to read back at the end of the round.
enum Live<'a> {
    Value(&'a mut Checked, u64),
    Droppable(&'a mut Tracked, usize),
    Slice(&'a mut [u32], u64),
    Str(&'a str, u64, usize),
    Vec(ArenaVec<'a, u64>, u64),
    String(ArenaString<'a>, u64),
    Map(ArenaHashMap<'a, u32, u64>, u64),
    Big(&'a mut [u8], u64),
}

fn text(seed: u64, len: usize) -> String {
    (0..len as u64)
        .map(|i| char::from(b'a' + (mix(seed, i) % 26) as u8))
        .collect()
}

impl Live<'_> {
    fn check(&self) {
        match self {
            Live::Value(value, seed) => assert!(value.is_intact(*seed), "corrupted: {value:?}"),
            Live::Droppable(value, len) => {
                assert!(value.is_intact(*len), "corrupted droppable {}", value.id)
            }
            Live::Slice(xs, seed) => {
                for (i, x) in xs.iter().enumerate() {
                    assert_eq!(*x, mix(*seed, i as u64) as u32, "corrupted slice");
                }
            }
            Live::Str(s, seed, len) => assert_eq!(*s, text(*seed, *len), "corrupted str"),
            Live::Vec(v, seed) => {
                for (i, x) in v.iter().enumerate() {
                    assert_eq!(*x, mix(*seed, i as u64), "corrupted vec");
                }
            }
            Live::String(s, seed) => {
                assert_eq!(s.as_str(), text(*seed, s.len()), "corrupted string")
            }
            Live::Map(m, seed) => {
                for (k, v) in m.iter() {
                    assert_eq!(*v, mix(*seed, u64::from(*k)), "corrupted map");
                }
                let mut keys: Vec<u32> = m.keys().copied().collect();
                keys.sort_unstable();
                assert!(keys.iter().copied().eq(0..keys.len() as u32), "map keys");
            }
            Live::Big(bytes, seed) => {
                for (i, b) in bytes.iter().enumerate() {
                    assert_eq!(*b, (*seed as usize).wrapping_add(i) as u8, "corrupted big");
                }
            }
        }
    }
}

/// The arena's allocation count, 0 for one that does not count (`check_stats` checks which).
fn counted(mem: &Arena) -> usize {
    mem.stats().allocations.unwrap_or(0)
}

/// `stats()` against the model.
fn check_stats(mem: &Arena, model: &ArenaModel) {
    let stats = mem.stats();
    assert_eq!(
        stats.allocations,
        model.counted.then_some(model.allocations),
        "allocations: {stats:?}"
    );
    assert_eq!(stats.drops_pending, model.pending.len(), "drops: {stats:?}");
    assert_eq!(stats.limit, model.limit, "limit: {stats:?}");
    assert!(stats.used_bytes <= stats.reserved_bytes, "{stats:?}");
    assert!(stats.used_bytes >= model.min_used, "used: {stats:?}");
    assert_eq!(stats.chunks == 0, stats.reserved_bytes == 0, "{stats:?}");
    if let Some(limit) = model.limit {
        assert!(stats.reserved_bytes <= limit, "over the limit: {stats:?}");
    }
}

/// A `try_` failure is legitimate only as `ArenaLimit` of an arena that has a limit.
fn check_error(err: &AllocError, mem: &Arena, model: &ArenaModel) {
    match model.limit {
        Some(limit) => assert_eq!(err.kind(), &AllocErrorKind::ArenaLimit { limit }, "{err}"),
        None => panic!("an arena without a limit failed: {err}"),
    }
    check_stats(mem, model);
}

/// The log entries after `mark` must be exactly `ids`, in that order, all intact.
fn check_dropped(world: &World, mark: usize, ids: impl IntoIterator<Item = u64>) {
    let log = world.log.lock().unwrap();
    let got: Vec<DropRecord> = log[mark..].to_vec();
    let want: Vec<DropRecord> = ids
        .into_iter()
        .map(|id| DropRecord { id, intact: true })
        .collect();
    assert_eq!(
        got, want,
        "destructors run (newest first, each once, intact)"
    );
}

fn log_len(world: &World) -> usize {
    world.log.lock().unwrap().len()
}

/// Runs `ops` on `mem`, keeping what they hand out in `live`.
fn run_ops<'a>(
    mem: &'a Arena,
    ops: &[Op],
    model: &mut ArenaModel,
    world: &mut World,
    live: &mut Vec<Live<'a>>,
) {
    for op in ops {
        let before = counted(mem);
        match op {
            Op::Value(seed) => match mem.try_alloc(Checked::new(*seed)) {
                Ok(value) => {
                    model.allocations += 1;
                    model.min_used += size_of::<Checked>();
                    assert_eq!(value as *mut Checked as usize % align_of::<Checked>(), 0);
                    live.push(Live::Value(value, *seed));
                }
                Err(err) => check_error(&err, mem, model),
            },
            Op::Droppable { len, panics } => {
                let id = world.next_id;
                world.next_id += 1;
                world.created += 1;
                let value = Tracked {
                    id,
                    payload: Tracked::payload(id, *len),
                    log: world.log.clone(),
                    panics: *panics,
                };
                let mark = log_len(world);
                // A failing `try_alloc_droppable` drops the value at once (and a panicking
                // destructor then panics out of it).
                let outcome =
                    panic::catch_unwind(AssertUnwindSafe(|| mem.try_alloc_droppable(value)));
                match outcome {
                    Ok(Ok(value)) => {
                        model.allocations += 1;
                        model.min_used += size_of::<Tracked>();
                        model.pending.push(id);
                        check_dropped(world, mark, []);
                        live.push(Live::Droppable(value, *len));
                    }
                    Ok(Err(err)) => {
                        assert!(!panics);
                        check_dropped(world, mark, [id]);
                        check_error(&err, mem, model);
                    }
                    Err(payload) => {
                        assert!(panics, "unexpected panic");
                        assert_eq!(payload_text(&payload), drop_panic_message(id));
                        check_dropped(world, mark, [id]);
                        assert!(model.limit.is_some());
                    }
                }
            }
            Op::Slice { seed, len } => {
                match mem.try_alloc_slice_fill_with(*len, |i| mix(*seed, i as u64) as u32) {
                    Ok(xs) => {
                        model.allocations += 1;
                        model.min_used += size_of_val(xs);
                        live.push(Live::Slice(xs, *seed));
                    }
                    Err(err) => check_error(&err, mem, model),
                }
            }
            Op::Str { seed, len } => match mem.try_alloc_str(&text(*seed, *len)) {
                Ok(s) => {
                    model.allocations += 1;
                    model.min_used += s.len();
                    live.push(Live::Str(s, *seed, *len));
                }
                Err(err) => check_error(&err, mem, model),
            },
            Op::Vec { seed, cap, len } => match mem.try_vec_with_capacity::<u64>(*cap) {
                Ok(mut v) => {
                    for i in 0..*len as u64 {
                        if let Err(err) = v.try_push(mix(*seed, i)) {
                            model.allocations = counted(mem);
                            check_error(&err, mem, model);
                            break;
                        }
                    }
                    assert!(v.capacity() >= v.len().max(*cap));
                    live.push(Live::Vec(v, *seed));
                }
                Err(err) => check_error(&err, mem, model),
            },
            Op::String { seed, len } => {
                let whole = text(*seed, *len);
                let mut s = mem.string();
                for piece in whole.as_bytes().chunks(7) {
                    let piece = core::str::from_utf8(piece).unwrap();
                    if let Err(err) = s.try_push_str(piece) {
                        model.allocations = counted(mem);
                        check_error(&err, mem, model);
                        break;
                    }
                }
                live.push(Live::String(s, *seed));
            }
            Op::Map { seed, len } => {
                let mut m = mem.hash_map::<u32, u64>();
                for k in 0..*len as u32 {
                    match m.try_insert(k, mix(*seed, u64::from(k))) {
                        Ok(old) => assert_eq!(old, None),
                        Err(err) => {
                            model.allocations = counted(mem);
                            check_error(&err, mem, model);
                            break;
                        }
                    }
                }
                live.push(Live::Map(m, *seed));
            }
            Op::Big { seed, len } => {
                match mem
                    .try_alloc_slice_fill_with(*len, |i| (*seed as usize).wrapping_add(i) as u8)
                {
                    Ok(bytes) => {
                        model.allocations += 1;
                        model.min_used += bytes.len();
                        live.push(Live::Big(bytes, *seed));
                    }
                    Err(err) => check_error(&err, mem, model),
                }
            }
            Op::Scope { limit, ops, panics } => {
                run_scope(*limit, ops, *panics, world);
                // The parent is untouched by its child scope.
                assert_eq!(counted(mem), before);
            }
            Op::Reset => {}
        }
        if matches!(op, Op::Vec { .. } | Op::String { .. } | Op::Map { .. }) {
            // Containers allocate once per buffer; growth policy is theirs. At most one
            // allocation per element, plus the first buffer.
            let grew = counted(mem) - before;
            let elements = match op {
                Op::Vec { cap, len, .. } => cap + len,
                Op::String { len, .. } | Op::Map { len, .. } => *len,
                _ => unreachable!(),
            };
            assert!(grew <= elements + 1, "{grew} allocations for {op:?}");
            model.allocations = before + grew;
        }
        check_stats(mem, model);
    }
}

fn payload_text(payload: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else {
        "<not a string>".to_owned()
    }
}

/// A pooled scope (with an optional limit) running `ops`, maybe panicking at its end.
fn run_scope(limit: Option<usize>, ops: &[Op], panics: bool, world: &mut World) {
    let options = ScopeOptions {
        capacity: None,
        limit,
        label: Some("model"),
        call_site: "",
    };
    let mut model = ArenaModel {
        limit,
        ..ArenaModel::default()
    };
    let mut mark = 0;
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        scope_with(options, |mem| {
            // A scope starts with a clean arena from the pool.
            check_stats(mem, &model);
            assert_eq!(mem.label(), Some("model"));
            let mut live = Vec::new();
            run_ops(mem, ops, &mut model, world, &mut live);
            for value in &live {
                value.check();
            }
            mark = log_len(world);
            if panics {
                panic!("{SCOPE_PANIC}");
            }
        })
    }));
    // Destructors ran exactly once, newest first, whether the scope panicked or not.
    check_dropped(world, mark, model.pending.iter().rev().copied());
    let first_drop_panic = model
        .pending
        .iter()
        .rev()
        .find(|id| world_panics(world, **id));
    match (outcome, panics, first_drop_panic) {
        (Ok(()), false, None) => {}
        (Err(payload), true, _) => assert_eq!(payload_text(&payload), SCOPE_PANIC),
        (Err(payload), false, Some(id)) => {
            assert_eq!(payload_text(&payload), drop_panic_message(*id))
        }
        (outcome, panics, id) => {
            panic!(
                "scope outcome {:?}, panics {panics}, drop panic {id:?}",
                outcome.is_ok()
            )
        }
    }
}

/// Whether droppable `id` panics in `drop`.
fn world_panics(world: &World, id: u64) -> bool {
    world.panicky.contains(&id)
}

/// The ids of the droppables of `ops` that panic, numbered in the order `run_ops` makes them.
fn note_panicky(ops: &[Op], next: &mut u64, panicky: &mut Vec<u64>) {
    for op in ops {
        match op {
            Op::Droppable { panics, .. } => {
                if *panics {
                    panicky.push(*next);
                }
                *next += 1;
            }
            Op::Scope { ops, .. } => note_panicky(ops, next, panicky),
            _ => {}
        }
    }
}

/// Runs one case: rounds separated by `reset`, then `free`.
fn run_case(case: &Case) {
    let mut panicky = Vec::new();
    note_panicky(&case.ops, &mut 0, &mut panicky);
    let mut world = World {
        log: Log::default(),
        next_id: 0,
        created: 0,
        panicky,
    };
    let mut builder = Arena::builder().count_allocations(true);
    if let Some(limit) = case.limit {
        builder = builder.limit(limit);
    }
    if let Some(capacity) = case
        .capacity
        .filter(|c| case.limit.map_or(true, |l| *c <= l / 2))
    {
        builder = builder.capacity(capacity);
    }
    let mut arena = builder.build();
    let mut model = ArenaModel {
        limit: case.limit,
        counted: true,
        ..ArenaModel::default()
    };
    check_stats(&arena, &model);
    for round in case.ops.split(|op| matches!(op, Op::Reset)) {
        let mut live = Vec::new();
        run_ops(&arena, round, &mut model, &mut world, &mut live);
        for value in &live {
            value.check();
        }
        drop(live);
        let reserved = arena.stats().reserved_bytes;
        let mark = log_len(&world);
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| arena.reset()));
        check_dropped(&world, mark, model.pending.iter().rev().copied());
        let first_drop_panic = model
            .pending
            .iter()
            .rev()
            .find(|id| world_panics(&world, **id));
        match (outcome, first_drop_panic) {
            (Ok(()), None) => {}
            (Err(payload), Some(id)) => assert_eq!(payload_text(&payload), drop_panic_message(*id)),
            (outcome, id) => panic!("reset outcome {:?}, drop panic {id:?}", outcome.is_ok()),
        }
        model.pending.clear();
        model.allocations = 0;
        model.min_used = 0;
        check_stats(&arena, &model);
        // Reset keeps the memory for reuse: all of it without a limit; under a limit, which
        // may forbid merging several chunks into one, at least a chunk.
        let after = arena.stats();
        assert_eq!(after.used_bytes, 0);
        let kept_enough = match case.limit {
            None => after.reserved_bytes >= reserved,
            Some(_) => reserved == 0 || after.reserved_bytes > 0,
        };
        assert!(
            kept_enough,
            "reset gave memory back: {reserved} -> {after:?}"
        );
    }
    // A last round left pending at `free`.
    let mut pending = Vec::new();
    for seed in 0..3 {
        let id = world.next_id;
        world.next_id += 1;
        world.created += 1;
        let value = Tracked {
            id,
            payload: Tracked::payload(id, seed),
            log: world.log.clone(),
            panics: false,
        };
        if arena.try_alloc_droppable(value).is_ok() {
            pending.push(id);
        }
    }
    let mark = log_len(&world);
    arena.free();
    check_dropped(&world, mark, pending.into_iter().rev());
    // Every droppable ever made was dropped exactly once, intact.
    let log = world.log.lock().unwrap();
    let mut ids: Vec<u64> = log.iter().map(|r| r.id).collect();
    ids.sort_unstable();
    assert!(ids.iter().copied().eq(0..world.created as u64), "{ids:?}");
    assert!(log.iter().all(|r| r.intact));
}

/// Expected panics (scopes and destructors that the model makes panic) stay quiet; any other
/// panic goes to the default hook.
fn quiet_expected_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let text = info
                .payload()
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| info.payload().downcast_ref::<&str>().copied())
                .unwrap_or("");
            if !text.starts_with("model: expected") {
                default(info);
            }
        }));
    });
}

fn config() -> ProptestConfig {
    common::proptest_config("MODEL_CASES", 768, 3)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arena_agrees_with_the_model(case in case()) {
        quiet_expected_panics();
        run_case(&case);
    }
}

/// The same model, one fixed case that exercises every operation (also the first thing Miri
/// runs).
#[test]
fn a_fixed_case_with_every_operation() {
    quiet_expected_panics();
    let leaf = vec![
        Op::Value(1),
        Op::Droppable {
            len: 3,
            panics: false,
        },
        Op::Slice { seed: 2, len: 5 },
        Op::Str { seed: 3, len: 9 },
        Op::Vec {
            seed: 4,
            cap: 1,
            len: 20,
        },
        Op::String { seed: 5, len: 30 },
        Op::Map { seed: 6, len: 10 },
        Op::Big {
            seed: 7,
            len: BIG / 2,
        },
        Op::Droppable {
            len: 2,
            panics: true,
        },
    ];
    let nested = Op::Scope {
        limit: None,
        ops: leaf.clone(),
        panics: true,
    };
    let mut ops = leaf.clone();
    ops.push(Op::Scope {
        limit: Some(BIG),
        ops: [leaf.clone(), vec![nested]].concat(),
        panics: false,
    });
    ops.push(Op::Reset);
    ops.extend(leaf);
    for limit in [None, Some(BIG), Some(100)] {
        run_case(&Case {
            limit,
            capacity: Some(64),
            ops: ops.clone(),
        });
    }
}

/// A scope's limit is hard even when the pooled arena it runs on kept more memory from an
/// earlier, bigger scope: the scope must not be able to use more than its limit (a regression
/// test: the model found it).
#[test]
fn a_scope_limit_holds_even_when_the_pool_kept_more() {
    let limit = 4096;
    // An earlier scope on this thread needed (and the pool kept) 64 KiB.
    arena_core::scope(|mem| {
        mem.alloc_layout(std::alloc::Layout::new::<[u8; 64 << 10]>());
    });
    let options = ScopeOptions {
        capacity: None,
        limit: Some(limit),
        label: Some("limited"),
        call_site: "",
    };
    scope_with(options, |mem| {
        let stats = mem.stats();
        assert!(
            stats.reserved_bytes <= limit,
            "a scope limited to {limit} bytes starts with {stats:?}"
        );
        assert!(
            mem.try_alloc_layout(std::alloc::Layout::new::<[u8; 32 << 10]>())
                .is_err(),
            "a scope limited to {limit} bytes allocated 32 KiB"
        );
    });
}

/// `reset` keeps the memory for reuse, also in an arena that grew to its limit in several chunks
/// (a regression test: the model found it).
#[test]
fn reset_keeps_the_memory_of_an_arena_filled_to_its_limit() {
    let mut mem = Arena::builder().limit(1408).build();
    let mut v = mem.vec::<u64>();
    while v.try_push(7).is_ok() {}
    let before = mem.stats();
    assert!(before.chunks > 1, "{before:?}");
    mem.reset();
    let after = mem.stats();
    assert!(
        after.reserved_bytes > 0,
        "reset kept nothing: {before:?} -> {after:?}"
    );
}
