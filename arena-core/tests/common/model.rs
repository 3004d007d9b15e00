//! The model that the property tests (`tests/model.rs`) and the fuzz target (`fuzz/`) check the
//! arena against: random sequences of arena operations, run and checked by [`run_case`].
//!
//! A case builds an arena (maybe with a limit, maybe with capacity), runs rounds of operations
//! separated by `reset`, and ends with `free`. The operations: `alloc` of a value that carries a
//! checksum of its fields, `alloc_droppable` of a value that owns a heap buffer, checks it and
//! records its drop in a shared log (some of them panic in `drop`, some with a payload whose own
//! `drop` panics), slices, strings, `ArenaVec`, `ArenaString`, `ArenaHashMap`, big slices that
//! reach the limit, and nested pooled scopes (some with a limit, some that panic, some plain, on
//! the pool's fast path). The model checks:
//!
//! - every destructor runs exactly once, newest first, at `reset`, `free` or scope end (also
//!   when the scope or another destructor panics), and a failed `try_alloc_droppable` drops its
//!   value at once;
//! - the panic that comes out is the right one: the scope's own, else the first destructor's;
//! - no value is corrupted: every value is read back at the end of its round, and every droppable
//!   checks its own content when it is dropped;
//! - `stats()` agrees with the model after every operation: `allocations` (a container counts
//!   its first buffer only), `drops_pending`, `limit`, `used_bytes <= reserved_bytes`,
//!   `reserved_bytes <= limit`, and `used_bytes` covers the bytes handed out;
//! - a `try_` method fails only with `ArenaLimit` naming the arena's limit, and only in an arena
//!   that has one; the arena stays usable.
//!
//! This file has no dependency beyond `arena-core` and the standard library: each user builds
//! [`Case`]s its own way (proptest strategies, or the fuzzer's bytes) and includes it by path.

#![allow(dead_code)]

use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Mutex, Once};

use arena_core::__private::{scope_with, ScopeOptions};
use arena_core::{AllocError, AllocErrorKind, Arena, ArenaHashMap, ArenaString, ArenaVec};

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

/// How a droppable's destructor ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DropPanic {
    /// It returns.
    No,
    /// It panics with [`drop_panic_message`].
    Message,
    /// It panics with a [`Bomb`], whose own destructor panics too.
    Bomb,
}

/// A value that owns heap memory, checks it when dropped and records the drop.
struct Tracked {
    id: u64,
    payload: Vec<u64>,
    log: Log,
    panics: DropPanic,
}

/// The panic payload of a [`DropPanic::Bomb`] destructor: dropping it panics as well.
#[derive(Debug)]
pub struct Bomb {
    id: u64,
}

impl Drop for Bomb {
    fn drop(&mut self) {
        panic!(
            "model: expected panic in dropping the payload of droppable {}",
            self.id
        );
    }
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
        match self.panics {
            DropPanic::No => {}
            DropPanic::Message => panic!("{}", drop_panic_message(self.id)),
            DropPanic::Bomb => panic::panic_any(Bomb { id: self.id }),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Operations.
// ---------------------------------------------------------------------------------------------

/// One operation of a case.
#[derive(Clone, Debug)]
pub enum Op {
    Value(u64),
    Droppable {
        len: usize,
        panics: DropPanic,
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
    /// A pooled scope running `ops`, then panicking if `panics`. A `plain` one has no options
    /// (and no limit: `limit` is ignored), so a warm slot takes the pool's fast path; the others
    /// have a label.
    Scope {
        limit: Option<usize>,
        ops: Vec<Op>,
        panics: bool,
        plain: bool,
    },
    /// Ends a round at the top level (`reset`); nothing inside a scope.
    Reset,
}

/// Sizes: small under Miri, which runs every byte thousands of times slower.
pub const BIG: usize = if cfg!(miri) { 3_000 } else { 40_000 };
/// The usual bound of a length in an [`Op`].
pub const LEN: usize = if cfg!(miri) { 24 } else { 200 };

/// One arena's life: built with `limit` and `capacity`, rounds of `ops` separated by
/// [`Op::Reset`], then `free`.
#[derive(Clone, Debug)]
pub struct Case {
    pub limit: Option<usize>,
    pub capacity: Option<usize>,
    pub ops: Vec<Op>,
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
    /// The droppables whose destructor panics, and how.
    panicky: Vec<(u64, DropPanic)>,
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
                        assert_eq!(*panics, DropPanic::No);
                        check_dropped(world, mark, [id]);
                        check_error(&err, mem, model);
                    }
                    Err(payload) => {
                        check_payload(payload, Expected::Destructor(id, *panics));
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
                    let base = model.allocations;
                    for i in 0..*len as u64 {
                        if let Err(err) = v.try_push(mix(*seed, i)) {
                            model.allocations = base + first_buffer(v.capacity());
                            check_error(&err, mem, model);
                            break;
                        }
                    }
                    assert!(v.capacity() >= v.len().max(*cap));
                    model.allocations = base + first_buffer(v.capacity());
                    live.push(Live::Vec(v, *seed));
                }
                Err(err) => check_error(&err, mem, model),
            },
            Op::String { seed, len } => {
                let whole = text(*seed, *len);
                let mut s = mem.string();
                let base = model.allocations;
                for piece in whole.as_bytes().chunks(7) {
                    let piece = core::str::from_utf8(piece).unwrap();
                    if let Err(err) = s.try_push_str(piece) {
                        model.allocations = base + first_buffer(s.capacity());
                        check_error(&err, mem, model);
                        break;
                    }
                }
                model.allocations = base + first_buffer(s.capacity());
                live.push(Live::String(s, *seed));
            }
            Op::Map { seed, len } => {
                let mut m = mem.hash_map::<u32, u64>();
                let base = model.allocations;
                for k in 0..*len as u32 {
                    match m.try_insert(k, mix(*seed, u64::from(k))) {
                        Ok(old) => assert_eq!(old, None),
                        Err(err) => {
                            model.allocations = base + first_buffer(m.capacity());
                            check_error(&err, mem, model);
                            break;
                        }
                    }
                }
                model.allocations = base + first_buffer(m.capacity());
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
            Op::Scope {
                limit,
                ops,
                panics,
                plain,
            } => {
                run_scope(*limit, ops, *panics, *plain, world);
                // The parent is untouched by its child scope.
                assert_eq!(counted(mem), before);
            }
            Op::Reset => {}
        }
        check_stats(mem, model);
    }
}

/// What a container with `capacity` counts in `Stats::allocations`: its first buffer, if it took
/// one, and never its growth.
fn first_buffer(capacity: usize) -> usize {
    usize::from(capacity > 0)
}

/// The panic a model operation expects to come out.
#[derive(Clone, Copy, Debug)]
enum Expected {
    /// The scope's own panic ([`SCOPE_PANIC`]).
    Scope,
    /// The panic of droppable `id`'s destructor.
    Destructor(u64, DropPanic),
}

/// Checks that `payload` is the `expected` panic, and drops it (a [`Bomb`] where its own panic is
/// caught).
fn check_payload(payload: Box<dyn std::any::Any + Send>, expected: Expected) {
    match expected {
        Expected::Scope => assert_eq!(payload_text(&payload), SCOPE_PANIC),
        Expected::Destructor(id, DropPanic::Message) => {
            assert_eq!(payload_text(&payload), drop_panic_message(id))
        }
        Expected::Destructor(id, DropPanic::Bomb) => {
            let bomb = payload.downcast_ref::<Bomb>();
            assert_eq!(
                bomb.map(|bomb| bomb.id),
                Some(id),
                "the bomb of droppable {id}"
            );
            let dropped = panic::catch_unwind(AssertUnwindSafe(move || drop(payload)));
            assert!(dropped.is_err(), "dropping a bomb panics");
        }
        Expected::Destructor(id, DropPanic::No) => {
            panic!("droppable {id}, which does not panic, is the expected panic")
        }
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

/// A pooled scope (with an optional limit, or a plain one) running `ops`, maybe panicking at its
/// end.
fn run_scope(limit: Option<usize>, ops: &[Op], panics: bool, plain: bool, world: &mut World) {
    let limit = if plain { None } else { limit };
    let label = (!plain).then_some("model");
    let options = ScopeOptions {
        capacity: None,
        limit,
        label,
        call_site: "",
    };
    let mut model = ArenaModel {
        limit,
        ..ArenaModel::default()
    };
    let mut mark = 0;
    let body = |mem: &Arena| {
        // A scope starts with a clean arena from the pool.
        check_stats(mem, &model);
        assert_eq!(mem.label(), label);
        let mut live = Vec::new();
        run_ops(mem, ops, &mut model, world, &mut live);
        for value in &live {
            value.check();
        }
        mark = log_len(world);
        if panics {
            panic!("{SCOPE_PANIC}");
        }
    };
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        if plain {
            arena_core::scope(body)
        } else {
            scope_with(options, body)
        }
    }));
    // Destructors ran exactly once, newest first, whether the scope panicked or not.
    check_dropped(world, mark, model.pending.iter().rev().copied());
    let first_drop_panic = first_drop_panic(world, &model);
    match (outcome, panics, first_drop_panic) {
        (Ok(()), false, None) => {}
        // A scope that panics: its panic comes out, and its destructors' panics are dropped.
        (Err(payload), true, _) => check_payload(payload, Expected::Scope),
        (Err(payload), false, Some(expected)) => check_payload(payload, expected),
        (outcome, panics, expected) => {
            panic!(
                "scope outcome {:?}, panics {panics}, drop panic {expected:?}",
                outcome.is_ok()
            )
        }
    }
}

/// The panic that running `model`'s pending destructors (newest first) should resume: the
/// first one that panics.
fn first_drop_panic(world: &World, model: &ArenaModel) -> Option<Expected> {
    model.pending.iter().rev().find_map(|id| {
        world
            .panicky
            .iter()
            .find(|(panicky, _)| panicky == id)
            .map(|(id, how)| Expected::Destructor(*id, *how))
    })
}

/// The droppables of `ops` that panic, with their ids in the order `run_ops` makes them.
fn note_panicky(ops: &[Op], next: &mut u64, panicky: &mut Vec<(u64, DropPanic)>) {
    for op in ops {
        match op {
            Op::Droppable { panics, .. } => {
                if *panics != DropPanic::No {
                    panicky.push((*next, *panics));
                }
                *next += 1;
            }
            Op::Scope { ops, .. } => note_panicky(ops, next, panicky),
            _ => {}
        }
    }
}

/// Runs one case: rounds separated by `reset`, then `free`, and checks it against the model.
/// Call [`quiet_expected_panics`] first.
pub fn run_case(case: &Case) {
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
    // A capacity up to the limit always builds (with as much of it as the limit allows).
    if let Some(capacity) = case.capacity.filter(|c| case.limit.is_none_or(|l| *c <= l)) {
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
        match (outcome, first_drop_panic(&world, &model)) {
            (Ok(()), None) => {}
            (Err(payload), Some(expected)) => check_payload(payload, expected),
            (outcome, expected) => panic!(
                "reset outcome {:?}, drop panic {expected:?}",
                outcome.is_ok()
            ),
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
            panics: DropPanic::No,
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

/// Expected panics (scopes, destructors and bomb payloads that the model makes panic) stay quiet;
/// any other panic goes to the hook that was in force (the default one, or a fuzzer's).
pub fn quiet_expected_panics() {
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
            if !text.starts_with("model: expected") && !info.payload().is::<Bomb>() {
                default(info);
            }
        }));
    });
}
