//! A request-processing loop, the place arenas pay off: per request, tokenize a line, build a
//! small structure (tokens, path segments, a map of query parameters), and return an owned
//! summary. Run once with a scope arena per request and once with ordinary heap collections, and
//! compare time and calls to the global allocator.
//!
//! ```sh
//! cargo run --release --example hot_loop            # 200000 requests
//! cargo run --release --example hot_loop -- 1000000
//! ARENA_DEBUG=arenatrace=1 cargo run --release --example hot_loop -- 3   # one trace line per request
//! ```

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use arena::{arena_scope, Arena, ArenaHashMap, ArenaString, ArenaVec};

/// The system allocator, counting calls, so the example can show that a warm arena loop never
/// reaches it.
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every method forwards to `System` with the caller's arguments unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, which `System` shares.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System` through `alloc`/`realloc` above, with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: as for `dealloc`; `new_size` is the caller's, checked by its contract.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// What a request leaves behind: plain data, owned, outliving the request's arena.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
struct Summary {
    is_get: bool,
    segments: usize,
    params: usize,
    status: u16,
    bytes: u64,
    user: u64,
}

impl Summary {
    fn add(&mut self, other: Summary) {
        self.is_get |= other.is_get;
        self.segments += other.segments;
        self.params += other.params;
        self.status = self.status.max(other.status);
        self.bytes += other.bytes;
        self.user = self.user.wrapping_add(other.user);
    }
}

/// A parsed request, every part in the request's arena.
struct Request<'a> {
    method: &'a str,
    segments: ArenaVec<'a, &'a str>,
    params: ArenaHashMap<'a, &'a str, &'a str>,
    status: u16,
    bytes: u64,
}

fn parse_in<'a>(mem: &'a Arena, line: &str) -> Request<'a> {
    let mut tokens = mem.vec();
    tokens.extend(line.split_ascii_whitespace());
    let (path, query) = tokens[1].split_once('?').unwrap_or((tokens[1], ""));
    let mut segments = mem.vec();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        let mut lower = ArenaString::with_capacity_in(segment.len(), mem);
        lower.extend(segment.chars().map(|c| c.to_ascii_lowercase()));
        segments.push(lower.into_bump_str());
    }
    let mut params = mem.hash_map();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        params.insert(&*mem.alloc_str(key), &*mem.alloc_str(value));
    }
    let field = |name: &str| {
        tokens
            .iter()
            .find_map(|t| t.strip_prefix(name)?.strip_prefix('='))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    Request {
        method: mem.alloc_str(tokens[0]),
        segments,
        params,
        status: field("status") as u16,
        bytes: field("bytes"),
    }
}

impl Request<'_> {
    fn summary(&self) -> Summary {
        Summary {
            is_get: self.method == "GET",
            segments: self.segments.len(),
            params: self.params.len(),
            status: self.status,
            bytes: self.bytes,
            user: self
                .params
                .get("user")
                .and_then(|u| u.parse().ok())
                .unwrap_or(0),
        }
    }
}

/// The same work with `Vec`, `String` and `HashMap` on the heap.
fn handle_on_heap(line: &str) -> Summary {
    let tokens: Vec<&str> = line.split_ascii_whitespace().collect();
    let (path, query) = tokens[1].split_once('?').unwrap_or((tokens[1], ""));
    let segments: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let mut params: HashMap<String, String> = HashMap::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        params.insert(key.to_owned(), value.to_owned());
    }
    let method = tokens[0].to_owned();
    let field = |name: &str| {
        tokens
            .iter()
            .find_map(|t| t.strip_prefix(name)?.strip_prefix('='))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    Summary {
        is_get: method == "GET",
        segments: segments.len(),
        params: params.len(),
        status: field("status") as u16,
        bytes: field("bytes"),
        user: params.get("user").and_then(|u| u.parse().ok()).unwrap_or(0),
    }
}

fn handle_in_scope(line: &str) -> Summary {
    arena_scope!(label = "request", |mem| parse_in(mem, line).summary())
}

/// Runs `handle` over every line; returns the total, the time, and global allocations made.
fn run(lines: &[String], handle: impl Fn(&str) -> Summary) -> (Summary, Duration, usize) {
    // Warm up: the first requests size the pool's arena.
    for line in lines.iter().take(16) {
        std::hint::black_box(handle(line));
    }
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    let started = Instant::now();
    let mut total = Summary::default();
    for line in lines {
        total.add(std::hint::black_box(handle(std::hint::black_box(line))));
    }
    (
        total,
        started.elapsed(),
        ALLOCATIONS.load(Ordering::Relaxed) - before,
    )
}

fn main() {
    let requests: usize = std::env::args()
        .nth(1)
        .map(|arg| arg.parse().expect("usage: hot_loop [REQUESTS]"))
        .unwrap_or(200_000);
    // A fixed set of distinct request lines, cycled.
    let lines: Vec<String> = (0..requests)
        .map(|i| {
            let i = i % 1024;
            let method = if i % 5 == 0 { "POST" } else { "GET" };
            format!(
                "{method} /API/v1/Users/{i}/Orders?user={i}&page={}&sort=date&fields=id,total,items \
                 HTTP/1.1 status={} bytes={}",
                i % 7,
                if i % 13 == 0 { 404 } else { 200 },
                1000 + i * 3
            )
        })
        .collect();

    let (arena_total, arena_time, arena_allocs) = run(&lines, handle_in_scope);
    let (heap_total, heap_time, heap_allocs) = run(&lines, handle_on_heap);
    assert_eq!(
        arena_total, heap_total,
        "both versions compute the same summary"
    );

    let per = |time: Duration| time.as_nanos() as f64 / requests as f64;
    println!("{requests} requests: tokenize, lowercase the path, map the query, return a summary");
    println!(
        "  arena scope per request: {:>8.1} ns/request, {:>5.2} global allocations/request",
        per(arena_time),
        arena_allocs as f64 / requests as f64
    );
    println!(
        "  heap Vec/String/HashMap: {:>8.1} ns/request, {:>5.2} global allocations/request",
        per(heap_time),
        heap_allocs as f64 / requests as f64
    );
    println!(
        "  heap time / arena time:  {:>8.2}x",
        heap_time.as_secs_f64() / arena_time.as_secs_f64()
    );
    println!(
        "  summary: {} segments, {} params, {} bytes, max status {}",
        arena_total.segments, arena_total.params, arena_total.bytes, arena_total.status
    );
}
