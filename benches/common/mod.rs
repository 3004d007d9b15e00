//! Workloads of the peer benchmarks, shared by the criterion benches, the table
//! printer, the peak-RSS driver and the callgrind harness.
//!
//! Every workload has one function per peer. Each peer does exactly the same work and returns
//! the same checksum (the benches assert it), so a faster peer cannot be faster by doing less.
//!
//! Peers:
//! - `arena` (`arena_scope!` per unit of work) and `arena_reset` (one `Arena`, `reset` per unit);
//! - `system`: `Box`/`Vec`/`String` on the global allocator (the system allocator, or mimalloc in
//!   the `peers_mimalloc` bench binary, which compiles this same code);
//! - `bumpalo`: one `Bump`, `reset` per unit;
//! - `bump_scope`: one `bump_scope::Bump`, `scoped` per unit;
//! - `typed_arena`: a `typed_arena::Arena` per unit (it has no reset).
#![allow(dead_code, clippy::type_complexity)]

use std::cell::Cell;
use std::fmt::Write as _;
use std::hint::black_box;
use std::marker::PhantomData;
use std::mem::{align_of, size_of, MaybeUninit};

use arena::{Arena, ArenaVec};

/// A scope in the hot loop: what users write, `arena_scope!`.
macro_rules! in_scope {
    (|$mem:ident| $body:expr) => {
        arena::arena_scope!(|$mem| $body)
    };
}

// ---------------------------------------------------------------------------------------------
// binary-trees (the Benchmarks Game algorithm)
// ---------------------------------------------------------------------------------------------

pub const BT_MIN_DEPTH: u32 = 4;

/// A tree node in an arena: 16 bytes, like the boxed one.
#[derive(Clone, Copy)]
pub struct Node<'a>(Option<(&'a Node<'a>, &'a Node<'a>)>);

#[inline(always)]
fn build<'a>(alloc: &impl Fn(Node<'a>) -> &'a Node<'a>, depth: u32) -> &'a Node<'a> {
    if depth == 0 {
        alloc(Node(None))
    } else {
        let left = build(alloc, depth - 1);
        let right = build(alloc, depth - 1);
        alloc(Node(Some((left, right))))
    }
}

fn check(node: &Node<'_>) -> u32 {
    match node.0 {
        None => 1,
        Some((left, right)) => 1 + check(left) + check(right),
    }
}

/// The Benchmarks Game driver: a stretch tree of depth `max + 1`, a long-lived tree of depth
/// `max` kept while `2^(max - d + 4)` temporary trees of each depth `d = 4, 6, .. max` are built
/// and checked. `temp(d)` builds and checks one temporary tree and frees it; `long(max, rest)`
/// builds the long-lived tree, runs `rest` while it lives and returns its check.
fn bt_driver(
    n: u32,
    mut temp: impl FnMut(u32) -> u32,
    long: impl FnOnce(u32, &mut dyn FnMut() -> u64) -> (u32, u64),
) -> u64 {
    let max = n.max(BT_MIN_DEPTH + 2);
    let stretch = u64::from(temp(max + 1));
    let (long_check, rest) = long(max, &mut || {
        let mut sum = 0u64;
        let mut depth = BT_MIN_DEPTH;
        while depth <= max {
            let iterations = 1u64 << (max - depth + BT_MIN_DEPTH);
            for _ in 0..iterations {
                sum += u64::from(temp(depth));
            }
            depth += 2;
        }
        sum
    });
    stretch + rest + u64::from(long_check)
}

/// Nodes a binary-trees run allocates (for the RSS driver's report).
pub fn bt_nodes(n: u32) -> u64 {
    let max = n.max(BT_MIN_DEPTH + 2);
    let tree = |d: u32| (1u64 << (d + 1)) - 1;
    let mut total = tree(max + 1) + tree(max);
    let mut depth = BT_MIN_DEPTH;
    while depth <= max {
        total += (1u64 << (max - depth + BT_MIN_DEPTH)) * tree(depth);
        depth += 2;
    }
    total
}

/// `arena`: every temporary tree in its own `arena_scope!`, the long-lived tree in an outer one.
pub fn bt_arena_scope(n: u32) -> u64 {
    bt_driver(
        n,
        |d| in_scope!(|mem| check(build(&|node| &*mem.alloc(node), d))),
        |max, rest| {
            in_scope!(|mem| {
                let long = build(&|node| &*mem.alloc(node), max);
                let rest = rest();
                (check(long), rest)
            })
        },
    )
}

/// `arena`, one `Arena` reset after each temporary tree.
pub fn bt_arena_reset(n: u32) -> u64 {
    let mut temp_arena = Arena::new();
    let long_arena = Arena::new();
    bt_driver(
        n,
        |d| {
            let c = check(build(&|node| &*temp_arena.alloc(node), d));
            temp_arena.reset();
            c
        },
        |max, rest| {
            let long = build(&|node| &*long_arena.alloc(node), max);
            let rest = rest();
            (check(long), rest)
        },
    )
}

/// A boxed tree node: 16 bytes.
pub struct BoxNode(Option<(Box<BoxNode>, Box<BoxNode>)>);

fn box_build(depth: u32) -> Box<BoxNode> {
    if depth == 0 {
        Box::new(BoxNode(None))
    } else {
        Box::new(BoxNode(Some((box_build(depth - 1), box_build(depth - 1)))))
    }
}

fn box_check(node: &BoxNode) -> u32 {
    match &node.0 {
        None => 1,
        Some((left, right)) => 1 + box_check(left) + box_check(right),
    }
}

/// `Box` on the global allocator.
pub fn bt_system(n: u32) -> u64 {
    bt_driver(
        n,
        |d| box_check(&box_build(d)),
        |max, rest| {
            let long = box_build(max);
            let rest = rest();
            (box_check(&long), rest)
        },
    )
}

/// bumpalo: one `Bump` reset after each temporary tree.
pub fn bt_bumpalo(n: u32) -> u64 {
    let mut temp = bumpalo::Bump::new();
    let long_bump = bumpalo::Bump::new();
    bt_driver(
        n,
        |d| {
            let c = check(build(&|node| &*temp.alloc(node), d));
            temp.reset();
            c
        },
        |max, rest| {
            let long = build(&|node| &*long_bump.alloc(node), max);
            let rest = rest();
            (check(long), rest)
        },
    )
}

/// bump-scope: one `Bump`, each temporary tree in `scoped`.
pub fn bt_bump_scope(n: u32) -> u64 {
    let mut temp: bump_scope::Bump = bump_scope::Bump::new();
    let long_bump: bump_scope::Bump = bump_scope::Bump::new();
    bt_driver(
        n,
        |d| temp.scoped(|s| check(build(&|node| s.alloc(node).into_ref(), d))),
        |max, rest| {
            let long = build(&|node| long_bump.alloc(node).into_ref(), max);
            let rest = rest();
            (check(long), rest)
        },
    )
}

/// typed-arena: a `typed_arena::Arena` per temporary tree (it cannot be reset).
pub fn bt_typed_arena(n: u32) -> u64 {
    bt_driver(
        n,
        |d| {
            let nodes = typed_arena::Arena::with_capacity((1 << (d + 1)) - 1);
            check(build(&|node| &*nodes.alloc(node), d))
        },
        |max, rest| {
            let nodes = typed_arena::Arena::new();
            let long = build(&|node| &*nodes.alloc(node), max);
            let rest = rest();
            (check(long), rest)
        },
    )
}

/// The floor of binary-trees: no allocator at all. A tree's nodes go into a buffer reserved and
/// written once before the run, sized for the largest tree; allocating a node is an index
/// increment and a bounds check. No allocator can do less per node, so `Box/system ÷ floor`
/// bounds what any arena can gain over `Box` on this workload on this machine. Only the RSS
/// driver runs it (`bench_rss binary_trees floor N`), with the buffers made before its timer.
pub struct BtFloor {
    temp: Vec<MaybeUninit<u128>>,
    long: Vec<MaybeUninit<u128>>,
}

/// A bump over one buffer of [`BtFloor`], for one tree.
struct FloorBump<'a> {
    base: *mut Node<'a>,
    capacity: usize,
    next: Cell<usize>,
    _buffer: PhantomData<&'a mut [MaybeUninit<u128>]>,
}

impl<'a> FloorBump<'a> {
    fn new(buffer: &'a mut [MaybeUninit<u128>]) -> Self {
        // A node is 16 bytes and needs at most 16-byte alignment: one `u128` slot each.
        assert!(size_of::<Node<'_>>() == 16 && align_of::<Node<'_>>() <= align_of::<u128>());
        FloorBump {
            base: buffer.as_mut_ptr().cast(),
            capacity: buffer.len(),
            next: Cell::new(0),
            _buffer: PhantomData,
        }
    }

    #[inline(always)]
    fn alloc(&self, node: Node<'a>) -> &'a Node<'a> {
        let i = self.next.get();
        assert!(
            i < self.capacity,
            "the floor buffer is sized for the largest tree"
        );
        self.next.set(i + 1);
        // SAFETY: slot `i` is inside the buffer, which is borrowed mutably for `'a`, and this bump
        // hands each slot out once, so the reference is the only one to it.
        unsafe {
            let slot = self.base.add(i);
            slot.write(node);
            &*slot
        }
    }
}

impl BtFloor {
    /// Buffers for a run of depth `n`, written once so no page fault happens during the run.
    pub fn new(n: u32) -> Self {
        let max = n.max(BT_MIN_DEPTH + 2);
        let buffer = |nodes: usize| vec![MaybeUninit::new(u128::MAX); nodes];
        BtFloor {
            temp: buffer((1 << (max + 2)) - 1),
            long: buffer((1 << (max + 1)) - 1),
        }
    }

    /// The run: the same driver and tree code as every peer.
    pub fn run(&mut self, n: u32) -> u64 {
        let (temp, long) = (&mut self.temp, &mut self.long);
        bt_driver(
            n,
            |d| {
                let bump = FloorBump::new(temp);
                check(build(&|node| bump.alloc(node), d))
            },
            |max, rest| {
                let bump = FloorBump::new(long);
                let long = build(&|node| bump.alloc(node), max);
                let rest = rest();
                (check(long), rest)
            },
        )
    }
}

// ---------------------------------------------------------------------------------------------
// request loop
// ---------------------------------------------------------------------------------------------

/// Iterations of the request loop.
pub const REQUESTS: u64 = 200_000;
/// Small structs per request, strings per request, pushes per request.
pub const REQ_RECORDS: u64 = 64;
pub const REQ_NAME_EVERY: u64 = 4; // 16 formatted strings per request
pub const REQ_PUSHES: u32 = 256;

/// A record in an arena: 40 bytes.
#[derive(Clone, Copy)]
pub struct Rec<'a> {
    id: u64,
    a: u32,
    b: u32,
    name: Option<&'a str>,
    next: Option<&'a Rec<'a>>,
}

/// The same record on the heap.
pub struct BoxRec {
    id: u64,
    a: u32,
    b: u32,
    name: Option<String>,
    next: Option<Box<BoxRec>>,
}

#[inline(always)]
fn mix(sum: u64, x: u64) -> u64 {
    (sum ^ x).wrapping_mul(0x0100_0000_01b3)
}

#[inline(always)]
fn name_sum(name: &str) -> u64 {
    name.len() as u64 + u64::from(*name.as_bytes().last().unwrap_or(&0))
}

#[inline(always)]
fn rec_sum(mut rec: Option<&Rec<'_>>) -> u64 {
    let mut sum = 0;
    while let Some(r) = rec {
        sum = mix(
            sum,
            r.id + u64::from(r.a) + u64::from(r.b) + r.name.map_or(0, name_sum),
        );
        rec = r.next;
    }
    sum
}

#[inline(always)]
fn push_value(i: u64, j: u32) -> u32 {
    (i as u32).wrapping_mul(j) ^ j
}

#[inline(always)]
fn record(i: u64, k: u64) -> (u64, u32, u32) {
    (i * REQ_RECORDS + k, k as u32, (i as u32) ^ (k as u32))
}

/// One request in an arena (scope or reset arena).
#[inline(always)]
fn request_in(mem: &Arena, i: u64) -> u64 {
    let mut head: Option<&Rec<'_>> = None;
    for k in 0..REQ_RECORDS {
        let name = (k % REQ_NAME_EVERY == 0).then(|| &*mem.alloc_fmt(format_args!("req-{i}-{k}")));
        let (id, a, b) = record(i, k);
        head = Some(mem.alloc(Rec {
            id,
            a,
            b,
            name,
            next: head,
        }));
    }
    mix(rec_sum(head), arena_vector_sum(mem, i))
}

/// The vector of one request: an `ArenaVec` grown by `push` to 256 values, and their sum.
#[inline(always)]
fn arena_vector_sum(mem: &Arena, i: u64) -> u64 {
    let mut v: ArenaVec<'_, u32> = mem.vec();
    for j in 0..REQ_PUSHES {
        v.push(push_value(i, j));
    }
    v.iter().map(|&x| u64::from(x)).sum()
}

/// The vector of one request without an allocator: the 256 values pushed into `pushed`, a `Vec`
/// allocated before the first request and cleared here, and their sum.
#[inline(always)]
fn pushed_vector_sum(pushed: &mut Vec<u32>, i: u64) -> u64 {
    pushed.clear();
    for j in 0..REQ_PUSHES {
        pushed.push(push_value(i, j));
    }
    pushed.iter().map(|&x| u64::from(x)).sum()
}

/// `arena`: one `arena_scope!` per request.
pub fn req_arena_scope(n: u64) -> u64 {
    let mut total = 0u64;
    for i in 0..n {
        total = total.wrapping_add(in_scope!(|mem| request_in(mem, i)));
    }
    total
}

/// `arena`, a shared [`ArenaPool`](arena::ArenaPool): a guard taken from `pool` for each
/// request and given back after it, as a server handing each request its own arena writes.
pub fn req_pool_per_request(pool: &arena::ArenaPool, n: u64) -> u64 {
    let mut total = 0u64;
    for i in 0..n {
        let mem = pool.get();
        total = total.wrapping_add(request_in(&mem, i));
    }
    total
}

/// `arena`, a shared [`ArenaPool`](arena::ArenaPool): one guard for all the requests of a
/// worker, each request in its own `scoped` region (rayon's `map_init` shape: the guard is the
/// worker's state, taken once).
pub fn req_pool_per_worker(pool: &arena::ArenaPool, n: u64) -> u64 {
    let mut mem = pool.get();
    let mut total = 0u64;
    for i in 0..n {
        total = total.wrapping_add(mem.scoped(|tmp| request_in(tmp, i)));
    }
    total
}

/// `arena`: one `Arena`, reset after each request.
pub fn req_arena_reset(n: u64) -> u64 {
    let mut mem = Arena::new();
    let mut total = 0u64;
    for i in 0..n {
        total = total.wrapping_add(request_in(&mem, i));
        mem.reset();
    }
    total
}

/// `Box`/`Vec`/`String` on the global allocator.
pub fn req_system(n: u64) -> u64 {
    let mut total = 0u64;
    for i in 0..n {
        let mut head: Option<Box<BoxRec>> = None;
        for k in 0..REQ_RECORDS {
            let name = (k % REQ_NAME_EVERY == 0).then(|| format!("req-{i}-{k}"));
            let (id, a, b) = record(i, k);
            head = Some(Box::new(BoxRec {
                id,
                a,
                b,
                name,
                next: head,
            }));
        }
        let mut v: Vec<u32> = Vec::new();
        for j in 0..REQ_PUSHES {
            v.push(push_value(i, j));
        }
        let vsum: u64 = v.iter().map(|&x| u64::from(x)).sum();
        let mut sum = 0;
        let mut rec = head.as_deref();
        while let Some(r) = rec {
            sum = mix(
                sum,
                r.id + u64::from(r.a) + u64::from(r.b) + r.name.as_deref().map_or(0, name_sum),
            );
            rec = r.next.as_deref();
        }
        total = total.wrapping_add(mix(sum, vsum));
        // Unlink iteratively (a long Box list would recurse in drop).
        while let Some(mut r) = head {
            head = r.next.take();
        }
    }
    total
}

/// bumpalo: one `Bump`, reset after each request; `bumpalo::format!` and bumpalo's `Vec`.
pub fn req_bumpalo(n: u64) -> u64 {
    let mut bump = bumpalo::Bump::new();
    let mut total = 0u64;
    for i in 0..n {
        {
            let bump = &bump;
            let mut head: Option<&Rec<'_>> = None;
            for k in 0..REQ_RECORDS {
                let name = (k % REQ_NAME_EVERY == 0)
                    .then(|| bumpalo::format!(in bump, "req-{}-{}", i, k).into_bump_str());
                let (id, a, b) = record(i, k);
                head = Some(bump.alloc(Rec {
                    id,
                    a,
                    b,
                    name,
                    next: head,
                }));
            }
            let mut v = bumpalo::collections::Vec::new_in(bump);
            for j in 0..REQ_PUSHES {
                v.push(push_value(i, j));
            }
            let vsum: u64 = v.iter().map(|&x| u64::from(x)).sum();
            total = total.wrapping_add(mix(rec_sum(head), vsum));
        }
        bump.reset();
    }
    total
}

/// bump-scope: one `Bump`, `scoped` per request; `alloc_fmt` and `BumpVec`.
pub fn req_bump_scope(n: u64) -> u64 {
    let mut bump: bump_scope::Bump = bump_scope::Bump::new();
    let mut total = 0u64;
    for i in 0..n {
        total = total.wrapping_add(bump.scoped(|s| {
            let s = &*s;
            let mut head: Option<&Rec<'_>> = None;
            for k in 0..REQ_RECORDS {
                let name = (k % REQ_NAME_EVERY == 0)
                    .then(|| s.alloc_fmt(format_args!("req-{i}-{k}")).into_ref());
                let (id, a, b) = record(i, k);
                head = Some(
                    s.alloc(Rec {
                        id,
                        a,
                        b,
                        name,
                        next: head,
                    })
                    .into_ref(),
                );
            }
            let mut v = bump_scope::BumpVec::new_in(s);
            for j in 0..REQ_PUSHES {
                v.push(push_value(i, j));
            }
            let vsum: u64 = v.iter().map(|&x| u64::from(x)).sum();
            mix(rec_sum(head), vsum)
        }));
    }
    total
}

/// typed-arena: per request an `Arena<Rec>` and an `Arena<u8>` for the strings (formatted into
/// one reused `String`), a heap `Vec` for the pushes (typed-arena has no growable vector).
pub fn req_typed_arena(n: u64) -> u64 {
    let mut total = 0u64;
    let mut buf = String::new();
    for i in 0..n {
        let recs = typed_arena::Arena::new();
        let bytes = typed_arena::Arena::<u8>::new();
        let mut head: Option<&Rec<'_>> = None;
        for k in 0..REQ_RECORDS {
            let name = (k % REQ_NAME_EVERY == 0).then(|| {
                buf.clear();
                write!(buf, "req-{i}-{k}").unwrap();
                &*bytes.alloc_str(&buf)
            });
            let (id, a, b) = record(i, k);
            head = Some(recs.alloc(Rec {
                id,
                a,
                b,
                name,
                next: head,
            }));
        }
        let mut v: Vec<u32> = Vec::new();
        for j in 0..REQ_PUSHES {
            v.push(push_value(i, j));
        }
        let vsum: u64 = v.iter().map(|&x| u64::from(x)).sum();
        total = total.wrapping_add(mix(rec_sum(head), vsum));
    }
    total
}

/// A `fmt::Write` into the unused tail of a fixed buffer (the request floor's strings).
struct TailWriter<'t> {
    tail: &'t mut [u8],
    written: usize,
}

impl std::fmt::Write for TailWriter<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.written + s.len();
        self.tail
            .get_mut(self.written..end)
            .ok_or(std::fmt::Error)?
            .copy_from_slice(s.as_bytes());
        self.written = end;
        Ok(())
    }
}

/// The records and names of one request with no allocator at all ([`records_and_names`] with
/// both on the stack). Shared by both request floors.
#[inline(always)]
fn floor_records(i: u64) -> u64 {
    records_and_names::<false, false>(None, i)
}

/// The 64 records and 16 names of one request; returns the records' checksum (`rec_sum` of the
/// list). A name is formatted with `alloc_fmt` in `mem` when `NAMES_IN_ARENA`, else into the tail
/// of a stack buffer; a record is allocated in `mem` when `RECORDS_IN_ARENA`, else written into a
/// slot on the stack (both taken by moving a cursor). `mem` must be `Some` when either is set.
#[inline(always)]
fn records_and_names<const NAMES_IN_ARENA: bool, const RECORDS_IN_ARENA: bool>(
    mem: Option<&Arena>,
    i: u64,
) -> u64 {
    let mut text = [0u8; 16 * 32];
    let mut text_left: &mut [u8] = &mut text;
    let mut slots = [MaybeUninit::<Rec<'_>>::uninit(); REQ_RECORDS as usize];
    let mut slots_left: &mut [MaybeUninit<Rec<'_>>] = &mut slots;
    let mut head: Option<&Rec<'_>> = None;
    for k in 0..REQ_RECORDS {
        let name = (k % REQ_NAME_EVERY == 0).then(|| {
            if NAMES_IN_ARENA {
                let mem = mem.expect("an arena for the names");
                return &*mem.alloc_fmt(format_args!("req-{i}-{k}"));
            }
            let mut out = TailWriter {
                tail: std::mem::take(&mut text_left),
                written: 0,
            };
            write!(out, "req-{i}-{k}").expect("32 bytes hold a request name");
            let (name, rest) = out.tail.split_at_mut(out.written);
            text_left = rest;
            // SAFETY: `name` is exactly the bytes `write_str` copied, whole `str` pieces one
            // after another (a piece that does not fit is refused before any byte is copied,
            // and then `expect` panics), so it is UTF-8. Validating it again would make the
            // floor do work no peer does.
            unsafe { std::str::from_utf8_unchecked(name) }
        });
        let (id, a, b) = record(i, k);
        let rec = Rec {
            id,
            a,
            b,
            name,
            next: head,
        };
        head = Some(if RECORDS_IN_ARENA {
            &*mem.expect("an arena for the records").alloc(rec)
        } else {
            let (slot, rest) = std::mem::take(&mut slots_left)
                .split_first_mut()
                .expect("one slot per record");
            slots_left = rest;
            &*slot.write(rec)
        });
    }
    rec_sum(head)
}

/// The floor of the request loop: the same request, formatting and checksum with no allocator
/// at all ([`floor_records`]), and the 256 values written into a fixed array on the stack, which
/// the compiler vectorizes. `Box/system ÷ floor` bounds what any arena can gain over `Box` on
/// this work with the vector replaced by an array. Only the RSS driver runs it (`bench_rss
/// request_loop floor N`).
pub fn req_floor(n: u64) -> u64 {
    let mut total = 0u64;
    for i in 0..n {
        let records = floor_records(i);
        let mut v = [0u32; REQ_PUSHES as usize];
        for j in 0..REQ_PUSHES {
            v[j as usize] = push_value(i, j);
        }
        let vsum: u64 = black_box(&v).iter().map(|&x| u64::from(x)).sum();
        total = total.wrapping_add(mix(records, vsum));
    }
    total
}

/// The floor of the request loop as the workload states it, with the vector grown by `push`:
/// as [`req_floor`], except that the 256 values are pushed, one capacity check each, into a
/// `Vec` whose buffer was allocated once before the first request (`clear` keeps it). No
/// allocator runs inside the loop, so this is what a free allocator would leave of the request:
/// `Box/system ÷ floor_push` bounds what any arena can gain over `Box` on the request loop. Only
/// the RSS driver runs it (`bench_rss request_loop floor_push N`).
pub fn req_floor_push(n: u64) -> u64 {
    let mut pushed: Vec<u32> = Vec::with_capacity(REQ_PUSHES as usize);
    let mut total = 0u64;
    for i in 0..n {
        let records = floor_records(i);
        total = total.wrapping_add(mix(records, pushed_vector_sum(&mut pushed, i)));
    }
    total
}

/// The request loop taken apart, to tell what each part costs in the arena (`bench_rss
/// request_loop parts:NRV N`): one `arena_scope!` per request, as [`req_arena_scope`], with the
/// names (`N`), the records (`R`) and the vector (`V`) each either in the arena, as the `arena`
/// peer does, or where [`req_floor_push`] keeps them (a stack buffer, stack slots, a `Vec`
/// allocated before the first request). All in the arena is the `arena` peer; none is the push
/// floor plus an empty scope per request.
pub fn req_arena_parts<const NAMES: bool, const RECORDS: bool, const VECTOR: bool>(n: u64) -> u64 {
    let mut pushed: Vec<u32> = Vec::with_capacity(REQ_PUSHES as usize);
    let mut total = 0u64;
    for i in 0..n {
        total = total.wrapping_add(in_scope!(|mem| {
            let records = records_and_names::<NAMES, RECORDS>(Some(mem), i);
            let vsum = if VECTOR {
                arena_vector_sum(mem, i)
            } else {
                pushed_vector_sum(&mut pushed, i)
            };
            mix(records, vsum)
        }));
    }
    total
}

/// [`req_arena_parts`] for a `parts:NRV` spelling: three letters, `a` for a part in the arena and
/// `s` for a part kept as the floor keeps it, names first (`parts:aaa` is the `arena` peer).
/// `None` for any other spelling.
pub fn req_arena_parts_named(parts: &str) -> Option<fn(u64) -> u64> {
    let run: fn(u64) -> u64 = match parts.strip_prefix("parts:")? {
        "aaa" => req_arena_parts::<true, true, true>,
        "aas" => req_arena_parts::<true, true, false>,
        "asa" => req_arena_parts::<true, false, true>,
        "ass" => req_arena_parts::<true, false, false>,
        "saa" => req_arena_parts::<false, true, true>,
        "sas" => req_arena_parts::<false, true, false>,
        "ssa" => req_arena_parts::<false, false, true>,
        "sss" => req_arena_parts::<false, false, false>,
        _ => return None,
    };
    Some(run)
}

// ---------------------------------------------------------------------------------------------
// raw allocation: N u64 one at a time, freed at once
// ---------------------------------------------------------------------------------------------

pub const RAW_N: u64 = 10_000_000;

/// The checksum every raw-allocation peer returns.
pub fn raw_expected(n: u64) -> u64 {
    n * (n - 1) / 2
}

#[inline(always)]
fn raw_in(mem: &Arena, n: u64) -> u64 {
    let mut sum = 0u64;
    for i in 0..n {
        sum = sum.wrapping_add(*black_box(mem.alloc(i)));
    }
    sum
}

/// Cold: a new arena, freed at the end.
pub fn raw_arena_cold(n: u64) -> u64 {
    let mem = Arena::new();
    let sum = raw_in(&mem, n);
    mem.free();
    sum
}

/// Warm: the same arena, reset after each round.
pub fn raw_arena_warm(mem: &mut Arena, n: u64) -> u64 {
    let sum = raw_in(mem, n);
    mem.reset();
    sum
}

/// Warm, in a pooled scope (the pool keeps the memory between rounds).
pub fn raw_arena_scope_warm(n: u64) -> u64 {
    in_scope!(|mem| raw_in(mem, n))
}

/// `Box<u64>` each, kept in a `Vec` (freed at once = dropping the `Vec`).
#[allow(clippy::vec_box)] // one heap allocation per value is the point
pub fn raw_system(boxes: &mut Vec<Box<u64>>, n: u64) -> u64 {
    let mut sum = 0u64;
    for i in 0..n {
        let b = Box::new(i);
        sum = sum.wrapping_add(**black_box(&b));
        boxes.push(b);
    }
    boxes.clear();
    sum
}

#[inline(always)]
fn raw_bumpalo_in(bump: &bumpalo::Bump, n: u64) -> u64 {
    let mut sum = 0u64;
    for i in 0..n {
        sum = sum.wrapping_add(*black_box(bump.alloc(i)));
    }
    sum
}

pub fn raw_bumpalo_cold(n: u64) -> u64 {
    raw_bumpalo_in(&bumpalo::Bump::new(), n)
}

pub fn raw_bumpalo_warm(bump: &mut bumpalo::Bump, n: u64) -> u64 {
    let sum = raw_bumpalo_in(bump, n);
    bump.reset();
    sum
}

#[inline(always)]
fn raw_bump_scope_in(s: &bump_scope::BumpScope<'_>, n: u64) -> u64 {
    let mut sum = 0u64;
    for i in 0..n {
        sum = sum.wrapping_add(*black_box(s.alloc(i).into_mut()));
    }
    sum
}

pub fn raw_bump_scope_cold(n: u64) -> u64 {
    let mut bump: bump_scope::Bump = bump_scope::Bump::new();
    bump.scoped(|s| raw_bump_scope_in(s, n))
}

pub fn raw_bump_scope_warm(bump: &mut bump_scope::Bump, n: u64) -> u64 {
    bump.scoped(|s| raw_bump_scope_in(s, n))
}

pub fn raw_typed_arena_cold(n: u64) -> u64 {
    let arena = typed_arena::Arena::new();
    let mut sum = 0u64;
    for i in 0..n {
        sum = sum.wrapping_add(*black_box(arena.alloc(i)));
    }
    sum
}

// ---------------------------------------------------------------------------------------------
// destructors: values owning a 16-byte String, dropped at free, counted
// ---------------------------------------------------------------------------------------------

pub const DROP_N: usize = 1_000_000;

thread_local! {
    static DROPS: Cell<usize> = const { Cell::new(0) };
}

/// A value that owns a 16-byte `String` and counts its destructor.
pub struct Owned(String);

impl Owned {
    #[inline(always)]
    fn new() -> Self {
        Owned(String::from("0123456789abcdef"))
    }
}

impl Drop for Owned {
    #[inline]
    fn drop(&mut self) {
        DROPS.with(|d| d.set(d.get() + 1));
    }
}

/// Runs `f`, then checks that it dropped exactly `n` values; returns `n`.
#[inline(always)]
fn counted(n: usize, f: impl FnOnce()) -> usize {
    let before = DROPS.with(Cell::get);
    f();
    let dropped = DROPS.with(Cell::get) - before;
    assert_eq!(dropped, n, "every destructor runs exactly once");
    dropped
}

/// `alloc_droppable`, dropped when the arena is freed.
pub fn drop_arena(n: usize) -> usize {
    counted(n, || {
        let mem = Arena::new();
        for _ in 0..n {
            black_box(mem.alloc_droppable(Owned::new()));
        }
        mem.free();
    })
}

/// `alloc_droppable` in a scope: dropped at scope end.
pub fn drop_arena_scope(n: usize) -> usize {
    counted(n, || {
        in_scope!(|mem| {
            for _ in 0..n {
                black_box(mem.alloc_droppable(Owned::new()));
            }
        })
    })
}

/// A `Vec<Owned>` (the strongest plain-Rust version).
pub fn drop_system(n: usize) -> usize {
    counted(n, || {
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            v.push(Owned::new());
            black_box(v.last_mut());
        }
        drop(v);
    })
}

/// bumpalo runs no destructors on its own: a `bumpalo::collections::Vec<Owned>` does.
pub fn drop_bumpalo(n: usize) -> usize {
    counted(n, || {
        let bump = bumpalo::Bump::new();
        let mut v = bumpalo::collections::Vec::with_capacity_in(n, &bump);
        for _ in 0..n {
            v.push(Owned::new());
            black_box(v.last_mut());
        }
        drop(v);
    })
}

/// bump-scope: a `BumpVec<Owned>` in a scope.
pub fn drop_bump_scope(n: usize) -> usize {
    counted(n, || {
        let mut bump: bump_scope::Bump = bump_scope::Bump::new();
        bump.scoped(|s| {
            let mut v = bump_scope::BumpVec::with_capacity_in(n, &*s);
            for _ in 0..n {
                v.push(Owned::new());
                black_box(v.last_mut());
            }
        });
    })
}

/// typed-arena: one `alloc` per value, all dropped with the arena.
pub fn drop_typed_arena(n: usize) -> usize {
    counted(n, || {
        let arena = typed_arena::Arena::new();
        for _ in 0..n {
            black_box(arena.alloc(Owned::new()));
        }
        drop(arena);
    })
}

// ---------------------------------------------------------------------------------------------
// scope overhead: an almost empty scope (one u64 allocated in it)
// ---------------------------------------------------------------------------------------------

#[inline(always)]
pub fn scope_arena(x: u64) -> u64 {
    in_scope!(|mem| *black_box(mem.alloc(x)))
}

#[inline(always)]
pub fn scope_arena_empty(x: u64) -> u64 {
    in_scope!(|_mem| black_box(x))
}

#[inline(always)]
pub fn scope_arena_reset(mem: &mut Arena, x: u64) -> u64 {
    let v = *black_box(mem.alloc(x));
    mem.reset();
    v
}

/// `Arena::scoped` on an arena the caller owns (bump-scope's `scoped`, in this crate).
#[inline(always)]
pub fn scope_arena_scoped(mem: &mut Arena, x: u64) -> u64 {
    mem.scoped(|s| *black_box(s.alloc(x)))
}

#[inline(always)]
pub fn scope_system(x: u64) -> u64 {
    *black_box(Box::new(x))
}

#[inline(always)]
pub fn scope_bumpalo(bump: &mut bumpalo::Bump, x: u64) -> u64 {
    let v = *black_box(bump.alloc(x));
    bump.reset();
    v
}

#[inline(always)]
pub fn scope_bump_scope(bump: &mut bump_scope::Bump, x: u64) -> u64 {
    bump.scoped(|s| *black_box(s.alloc(x).into_mut()))
}

#[inline(always)]
pub fn scope_typed_arena(x: u64) -> u64 {
    let arena = typed_arena::Arena::new();
    *black_box(arena.alloc(x))
}
