//! A tour of the Go memory chapter, in Rust: for every section, the Go idea in one line, the
//! Rust that does it, and what it printed or measured.
//!
//! ```sh
//! cargo run --release --example tour
//! ```
//!
//! `tour --quick` does less work in the timed section (for tests and debug builds).

use std::collections::HashMap;
use std::process::Command;
use std::time::{Duration, Instant};

use arena::config::{self, Retain};
use arena::{arena_alloc, arena_scope, Arena, ArenaVec, CloneOut};

/// Go: `type Person struct { Name string; Age int; Tags []string }`.
#[arena_alloc]
#[derive(Debug, Default)]
pub struct Person<'a> {
    /// `Name string`.
    pub name: &'a str,
    /// `Age int`.
    pub age: u32,
    /// `Tags []string`.
    pub tags: &'a [&'a str],
}

const KIB: usize = 1 << 10;
const MIB: usize = 1 << 20;

/// Prints a section header and its Go line.
fn section(number: u32, title: &str, go: &str) {
    println!();
    println!("{number:>2}. {title}");
    println!("    Go    {go}");
}

/// The Rust side: one or more lines of code.
fn rust(code: &str) {
    for (i, line) in code.lines().enumerate() {
        let tag = if i == 0 { "Rust" } else { "" };
        println!("    {tag:<5} {line}");
    }
}

/// What it printed or measured.
fn result(text: &str) {
    for (i, line) in text.lines().enumerate() {
        let tag = if i == 0 { "=>" } else { "" };
        println!("    {tag:<5} {line}");
    }
}

/// Runs this program again with `--child <what>` and extra environment, and returns its stderr.
fn child(what: &str, env: &[(&str, &str)]) -> String {
    let exe = std::env::current_exe().expect("the tour knows where it is");
    let mut command = Command::new(exe);
    command.args(["--child", what]);
    for var in [
        "ARENA_DEBUG",
        "ARENA_MEMLIMIT",
        "ARENA_RETAIN",
        "ARENA_BALLAST",
    ] {
        command.env_remove(var);
    }
    command.envs(env.iter().copied());
    let output = command.output().expect("the tour can run itself");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The child side of [`child`]: runs with the knobs the parent put in the environment.
fn run_child(what: &str) {
    match what {
        "trace" => {
            let words = arena_scope!(label = "request", |mem| {
                let mut words: ArenaVec<'_, &str> = mem.vec();
                for word in "parse this request in a scope".split(' ') {
                    words.push(mem.alloc_str(word));
                }
                words.len()
            });
            std::hint::black_box(words);
        }
        "memlimit" => {
            arena_scope!(|mem| *mem.alloc(1u8)); // the first scope reads the environment
        }
        _ => unreachable!("unknown child {what}"),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() == 3 && args[1] == "--child" {
        // Keep the child's panic message to one line for the parent to show.
        std::panic::set_hook(Box::new(|info| {
            let message = info
                .payload()
                .downcast_ref::<String>()
                .cloned()
                .unwrap_or_default();
            eprintln!("panicked: {message}");
        }));
        return run_child(&args[2]);
    }
    let quick = args.iter().any(|a| a == "--quick");
    let started = Instant::now();

    println!("The Go memory chapter, in Rust with the `arena` crate");
    println!("=====================================================");

    // ------------------------------------------------------------------------------------------
    section(
        1,
        "Memory ballast",
        "ballast := make([]byte, 10<<30)   // fewer GC cycles",
    );
    rust("let mem = Arena::with_capacity(8 << 20);   // or ARENA_BALLAST=8MiB for pooled scopes");
    let fill = |mem: &Arena| {
        for i in 0..MIB as u64 {
            mem.alloc(i);
        }
        mem.stats().chunks
    };
    let grown = fill(&Arena::new());
    let ballasted = fill(&Arena::with_capacity(8 * MIB + 64 * KIB));
    result(&format!(
        "1M u64 allocations: {ballasted} chunk with the capacity reserved, {grown} chunks when grown on demand"
    ));

    // ------------------------------------------------------------------------------------------
    section(
        2,
        "Importing the arena package",
        "import \"arena\"   // GOEXPERIMENT=arenas",
    );
    rust("use arena::{Arena, ArenaVec, CloneOut, arena_alloc, arena_scope};   // arena = \"0.1\" in Cargo.toml");
    result("stable Rust, no experiment flag; bumpalo underneath");

    // ------------------------------------------------------------------------------------------
    section(3, "Creating a new arena", "mem := arena.NewArena()");
    rust("let mem = Arena::new();");
    let mem = Arena::new();
    let stats = mem.stats();
    result(&format!(
        "{} B reserved, {} chunks: no memory is taken until the first allocation",
        stats.reserved_bytes, stats.chunks
    ));

    // ------------------------------------------------------------------------------------------
    section(
        4,
        "Allocating a struct in the arena",
        "p := arena.New[Person](mem)",
    );
    rust(
        "let p: &mut Person = mem.alloc_default();     // a zero value, as in Go\n\
         let q = mem.alloc(Person { name: mem.alloc_str(\"Alice\"), age: 30, tags });",
    );
    let p: &mut Person = mem.alloc_default();
    let q = mem.alloc(Person {
        name: mem.alloc_str("Alice"),
        age: 30,
        tags: mem.alloc_slice_copy(&["admin", "dev"]),
    });
    result(&format!("p = {p:?}\nq = {q:?}"));

    // ------------------------------------------------------------------------------------------
    section(
        5,
        "A slice with a given capacity",
        "slice := arena.MakeSlice[string](mem, 100, 100)",
    );
    rust("let mut slice: ArenaVec<&str> = mem.make_slice(100, 100);");
    let mut slice: ArenaVec<'_, &str> = mem.make_slice(100, 100);
    slice[0] = q.name;
    result(&format!(
        "len {}, cap {}, slice[0] = {:?}, {} B of the arena used",
        slice.len(),
        slice.capacity(),
        slice[0],
        mem.stats().used_bytes
    ));

    // ------------------------------------------------------------------------------------------
    section(
        6,
        "Cloning from the arena to the heap",
        "p2 := arena.Clone(p1)   // a shallow copy",
    );
    rust("#[arena_alloc] struct Person<'a> { .. }   // generates PersonOwned\nlet p2: PersonOwned = p1.clone_out();     // a deep copy: String, Vec<String>");
    let p2: PersonOwned = q.clone_out();
    result(&format!("{p2:?}"));

    // ------------------------------------------------------------------------------------------
    section(7, "Freeing the arena", "mem.Free()");
    rust("mem.free();   // or let it go out of scope; mem.reset() keeps the memory for reuse");
    let before = arena::reserved_bytes_total();
    mem.free();
    let after = arena::reserved_bytes_total();
    result(&format!(
        "bytes reserved by all arenas: {before} before, {after} after; p2 lives on: {:?}",
        p2.name
    ));

    // ------------------------------------------------------------------------------------------
    section(
        8,
        "Use after Free, caught by the address sanitizer",
        "mem.Free(); o.Num = 123   // found by `go run -asan`, if that path runs",
    );
    rust("mem.free();\n*n = 123;   // does not compile: every reference borrows the arena");
    result(
        "error[E0505]: cannot move out of `mem` because it is borrowed\n\
         (also: use after reset, a reference escaping a scope, sharing across threads, a String\n\
         in an arena value; see the compile-fail gallery in README.md, checked by trybuild)",
    );

    // ------------------------------------------------------------------------------------------
    section(9, "GODEBUG: trace every cycle", "GODEBUG=gctrace=1 ./app");
    rust("ARENA_DEBUG=arenatrace=1 ./app        // or arena::config::set_trace(true)\narena_scope!(label = \"request\", |mem| { .. })");
    let trace = child("trace", &[("ARENA_DEBUG", "arenatrace=1")]);
    result(&format!(
        "{}\n(seq, @seconds since start, scope time, used->kept B, reserved B, chunks,\n used/reserved B of the current chunk and of the others, allocations, destructors run, limit, label or call site, thread; see README.md)\n\
         (used->kept: what the scope used -> what its pooled arena keeps for the next scope, in\n \
         whole chunks, so at least what was used: here the first, smallest chunk)",
        trace.trim_end()
    ));

    // ------------------------------------------------------------------------------------------
    section(10, "GOGC: how much to keep between cycles", "GOGC=50 ./app");
    rust("ARENA_RETAIN=50 ./app                // or config::set_retain(Retain::Percent(50))");
    let mut kept = String::new();
    let mut off_rounding = 0;
    for retain in [
        Retain::Percent(100),
        Retain::Percent(50),
        Retain::Percent(0),
        Retain::Off,
    ] {
        config::set_retain(retain);
        // The scope grows piece by piece, so it goes through several chunks, each twice the
        // last, as a real request does.
        let (reserved, chunks, left, left_chunks) = std::thread::spawn(|| {
            let (reserved, chunks) = arena::scope(|mem| {
                for _ in 0..1024 {
                    mem.alloc_slice_fill_with(1024, |i| i as u8);
                }
                (mem.stats().reserved_bytes, mem.stats().chunks)
            });
            let (left, left_chunks) =
                arena::scope(|mem| (mem.stats().reserved_bytes, mem.stats().chunks));
            (reserved, chunks, left, left_chunks)
        })
        .join()
        .expect("the retention thread ran");
        let name = match retain {
            Retain::Percent(percent) => percent.to_string(),
            Retain::Off => {
                off_rounding = left.saturating_sub(reserved);
                "off".to_owned()
            }
        };
        kept.push_str(&format!(
            "ARENA_RETAIN={name:<4} a scope that used 1 MiB ({reserved} B in {chunks} chunks) leaves \
             {left:>7} B in {left_chunks} chunk(s) for the next\n"
        ));
    }
    config::set_retain(Retain::Percent(100));
    kept.push_str(&format!(
        "(a percentage keeps that share of what the scope used at its peak, off keeps as much as it\n \
         reserved; either way the pooled arena keeps whole chunks, so the figure is rounded up to the\n \
         next chunk size: off's one chunk is {off_rounding} B larger than the chunks it replaces;\n \
         the next scope reuses what is kept without asking for memory)"
    ));
    result(&kept);

    // ------------------------------------------------------------------------------------------
    section(11, "GOMEMLIMIT: a memory limit", "GOMEMLIMIT=500MiB ./app");
    rust("ARENA_MEMLIMIT=500MiB ./app          // or config::set_memlimit(Some(500 << 20))\nmem.try_alloc_slice_fill_with(2 << 20, ..)   // Err under a 1 MiB limit");
    config::set_memlimit(Some(arena::reserved_bytes_total() + MIB));
    let refused = arena::scope(|mem| {
        let err = mem
            .try_alloc_slice_fill_with(2 * MIB, |i| i as u8)
            .expect_err("2 MiB do not fit under a 1 MiB limit");
        let still_usable = mem.alloc_slice_fill_with(1000, |i| i as u8).len();
        format!("Err: {err}\nthen 1000 bytes: Ok({still_usable} bytes); the arena is still usable")
    });
    config::set_memlimit(None);
    let malformed = child("memlimit", &[("ARENA_MEMLIMIT", "500MB")]);
    result(&format!(
        "{refused}\nARENA_MEMLIMIT=500MB is refused, not ignored:\n{}",
        malformed.trim_end()
    ));

    // ------------------------------------------------------------------------------------------
    section(
        12,
        "Why arenas: a hot loop",
        "for each request: allocate in an arena, mem.Free() at the end",
    );
    rust("for line in &lines { arena_scope!(|mem| handle(mem, line)) }   // vs Vec/String/HashMap");
    let requests = if quick { 2_000 } else { 200_000 };
    let (arena_time, heap_time) = hot_loop(requests);
    result(&format!(
        "{requests} requests: arena {:.0} ns/request, heap {:.0} ns/request: the heap takes {:.2}x as long{}",
        arena_time.as_nanos() as f64 / requests as f64,
        heap_time.as_nanos() as f64 / requests as f64,
        heap_time.as_secs_f64() / arena_time.as_secs_f64(),
        if cfg!(debug_assertions) {
            "\n(a debug build: run with --release for meaningful numbers)"
        } else {
            ""
        }
    ));

    println!();
    println!(
        "tour done in {:.2} s; more in examples/ and README.md",
        started.elapsed().as_secs_f64()
    );
}

/// The request of section 12: split a line into words, count them in a map, keep a summary.
fn hot_loop(requests: usize) -> (Duration, Duration) {
    let lines: Vec<String> = (0..64)
        .map(|i| {
            format!(
                "GET /users/{i}/orders?page={} user=u{} lang=en status=200",
                i % 5,
                i % 7
            )
        })
        .collect();

    let started = Instant::now();
    let mut arena_total = 0usize;
    for i in 0..requests {
        let line = &lines[i % lines.len()];
        arena_total += arena_scope!(|mem| {
            let mut counts = mem.hash_map();
            for word in line.split(['/', ' ', '?', '&']).filter(|w| !w.is_empty()) {
                *counts.entry(&*mem.alloc_str(word)).or_insert(0usize) += 1;
            }
            let mut keys: ArenaVec<'_, &str> = mem.vec();
            keys.extend(counts.keys().copied());
            keys.len() + counts.values().sum::<usize>()
        });
    }
    let arena_time = started.elapsed();

    let started = Instant::now();
    let mut heap_total = 0usize;
    for i in 0..requests {
        let line = &lines[i % lines.len()];
        let mut counts: HashMap<String, usize> = HashMap::new();
        for word in line.split(['/', ' ', '?', '&']).filter(|w| !w.is_empty()) {
            *counts.entry(word.to_owned()).or_insert(0) += 1;
        }
        let keys: Vec<&String> = counts.keys().collect();
        heap_total += keys.len() + counts.values().sum::<usize>();
    }
    let heap_time = started.elapsed();
    assert_eq!(arena_total, heap_total);
    (arena_time, heap_time)
}
