//! Runs every example and checks what it prints.
//!
//! The examples are built once, with the profile and target directory of this test binary (a
//! no-op under `cargo test`, which has built them already), then run directly from
//! `<target>/<profile>/examples/`, with the `ARENA_*` knobs cleared from their environment.

// Not under Miri, which cannot spawn processes, nor under the `asan` feature (a plain cargo build
// of the examples breaks under the sanitizer's flags): .ci/valgrind checks the examples instead.
#![cfg(not(any(miri, feature = "asan")))]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// `<target>/<profile>`: this test binary lives in its `deps/` directory.
fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary knows where it is");
    let deps = exe.parent().expect("the test binary is in a directory");
    deps.parent()
        .expect("the deps directory is in a profile directory")
        .to_path_buf()
}

/// Builds all examples once, the way this test binary was built.
fn examples_dir() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let profile_dir = profile_dir();
        let profile = profile_dir
            .file_name()
            .and_then(|name| name.to_str())
            .expect("the profile directory has a UTF-8 name");
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut build = Command::new(cargo);
        build
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args([
                "build",
                "--quiet",
                "--examples",
                "-p",
                "arena",
                "--features",
                "serde",
            ])
            .arg("--target-dir")
            .arg(
                profile_dir
                    .parent()
                    .expect("the profile directory is in a target directory"),
            );
        match profile {
            "debug" => {}
            "release" => {
                build.arg("--release");
            }
            other => {
                build.args(["--profile", other]);
            }
        }
        let status = build.status().expect("cargo can be run");
        assert!(status.success(), "building the examples failed: {status}");
        profile_dir.join("examples")
    })
}

/// Runs an example with `args`; panics with its output if it fails.
fn run(example: &str, args: &[&str]) -> (String, String) {
    let exe = examples_dir().join(format!("{example}{}", std::env::consts::EXE_SUFFIX));
    let mut command = Command::new(&exe);
    command.args(args).current_dir(env!("CARGO_MANIFEST_DIR"));
    for var in [
        "ARENA_DEBUG",
        "ARENA_MEMLIMIT",
        "ARENA_RETAIN",
        "ARENA_BALLAST",
    ] {
        command.env_remove(var);
    }
    let Output {
        status,
        stdout,
        stderr,
    } = command
        .output()
        .unwrap_or_else(|err| panic!("cannot run {}: {err}", exe.display()));
    let stdout = String::from_utf8(stdout).expect("stdout is UTF-8");
    let stderr = String::from_utf8(stderr).expect("stderr is UTF-8");
    assert!(
        status.success(),
        "{example} {args:?} failed with {status}\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
    );
    (stdout, stderr)
}

/// Asserts that `text` contains every one of `needles`, showing `text` if not.
#[track_caller]
fn assert_contains_all(text: &str, needles: &[&str]) {
    for needle in needles {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
}

/// Asserts that a line is a well-formed trace line and returns its fields after the colon.
#[track_caller]
fn assert_trace_line(line: &str) -> Vec<String> {
    // arena 1 @0.000s 0.007 ms: 221->448 B used->kept, 448 B reserved, 1 chunks, current 221/448 B, other 0/0 B, 7 allocs, 0 drops, limit off, request, thread main
    let (head, body) = line.split_once(": ").expect("a trace line has a colon");
    let head: Vec<&str> = head.split(' ').collect();
    assert_eq!(head.len(), 5, "{line}");
    assert_eq!(head[0], "arena", "{line}");
    assert!(head[1].parse::<u64>().is_ok(), "sequence number in {line}");
    assert!(head[2].starts_with('@') && head[2].ends_with('s'), "{line}");
    assert!(head[3].parse::<f64>().is_ok() && head[4] == "ms", "{line}");
    let fields: Vec<String> = body.split(", ").map(str::to_owned).collect();
    assert_eq!(fields.len(), 10, "{line}");
    assert!(fields[0].ends_with(" B used->kept"), "{line}");
    assert!(fields[1].ends_with(" B reserved"), "{line}");
    assert!(fields[2].ends_with(" chunks"), "{line}");
    for (field, name) in [(&fields[3], "current "), (&fields[4], "other ")] {
        let used_reserved = field.strip_prefix(name).and_then(|f| f.strip_suffix(" B"));
        let (used, reserved) = used_reserved
            .and_then(|f| f.split_once('/'))
            .expect("<used>/<reserved> B");
        assert!(used.parse::<usize>().unwrap() <= reserved.parse::<usize>().unwrap());
    }
    assert!(fields[5].ends_with(" allocs"), "{line}");
    assert!(fields[6].ends_with(" drops"), "{line}");
    assert!(fields[7].starts_with("limit "), "{line}");
    assert!(fields[9].starts_with("thread "), "{line}");
    fields
}

const BINARY_TREES_10: &str = "\
stretch tree of depth 11\t check: 4095
1024\t trees of depth 4\t check: 31744
256\t trees of depth 6\t check: 32512
64\t trees of depth 8\t check: 32704
16\t trees of depth 10\t check: 32752
long lived tree of depth 10\t check: 2047
";

#[test]
fn binary_trees_depth_10_prints_the_reference_output() {
    let (stdout, stderr) = run("binary_trees", &["10"]);
    assert_eq!(stdout, BINARY_TREES_10);
    assert_eq!(stderr, "");
}

#[test]
fn binary_trees_defaults_to_depth_10_and_takes_small_depths_up_to_6() {
    assert_eq!(run("binary_trees", &[]).0, BINARY_TREES_10);
    // The benchmark never goes below depth 6 (min depth 4 + 2).
    let (stdout, _) = run("binary_trees", &["2"]);
    assert_eq!(
        stdout,
        "stretch tree of depth 7\t check: 255\n\
         64\t trees of depth 4\t check: 1984\n\
         16\t trees of depth 6\t check: 2032\n\
         long lived tree of depth 6\t check: 127\n"
    );
}

#[test]
fn tour_walks_through_every_section_of_the_chapter() {
    let (stdout, _) = run("tour", &["--quick"]);
    assert_contains_all(
        &stdout,
        &[
            " 1. Memory ballast",
            " 2. Importing the arena package",
            " 3. Creating a new arena",
            " 4. Allocating a struct in the arena",
            " 5. A slice with a given capacity",
            " 6. Cloning from the arena to the heap",
            " 7. Freeing the arena",
            " 8. Use after Free, caught by the address sanitizer",
            " 9. GODEBUG: trace every cycle",
            "10. GOGC: how much to keep between cycles",
            "11. GOMEMLIMIT: a memory limit",
            "12. Why arenas: a hot loop",
            "    Go    ballast := make([]byte, 10<<30)",
            "    Go    mem := arena.NewArena()",
            "    Go    p := arena.New[Person](mem)",
            "    Go    slice := arena.MakeSlice[string](mem, 100, 100)",
            "    Go    p2 := arena.Clone(p1)",
            "    Go    mem.Free()",
            "1 chunk with the capacity reserved",
            "len 100, cap 100, slice[0] = \"Alice\"",
            "PersonOwned { name: \"Alice\", age: 30, tags: [\"admin\", \"dev\"] }",
            "error[E0505]",
            "ARENA_RETAIN=0    a scope that used 1 MiB (",
            "leaves       0 B in 0 chunk(s) for the next",
            "Err: arena: cannot allocate 2097152 bytes: the process-wide ARENA_MEMLIMIT of",
            "then 1000 bytes: Ok(1000 bytes); the arena is still usable",
            "ARENA_MEMLIMIT=\"500MB\" is malformed",
            "x as long",
            "tour done in",
        ],
    );
    // Section 10: 100 keeps one chunk holding the 1 MiB used; off keeps every chunk grown through.
    let left = |name: &str| -> usize {
        let line = stdout
            .lines()
            .find(|line| line.contains(&format!("ARENA_RETAIN={name} ")))
            .unwrap_or_else(|| panic!("the tour shows ARENA_RETAIN={name}"));
        let (_, rest) = line.split_once(" leaves ").expect("a leaves field");
        rest.split_whitespace().next().unwrap().parse().unwrap()
    };
    assert!(left("100") >= 1 << 20, "{stdout}");
    assert!(left("off") > left("100"), "{stdout}");
    // The trace line of section 9, from a child run with ARENA_DEBUG=arenatrace=1.
    let trace = stdout
        .lines()
        .find_map(|line| line.strip_prefix("    =>    arena "))
        .map(|rest| format!("arena {rest}"))
        .expect("the tour shows a trace line");
    let fields = assert_trace_line(&trace);
    assert_eq!(fields[8], "request");
    assert_eq!(fields[7], "limit off");
    // Every output line is aligned: a section header, or indented by four spaces.
    for line in stdout.lines().skip(2) {
        let header = line.len() > 3 && line.as_bytes()[2] == b'.';
        assert!(
            line.is_empty() || header || line.starts_with("    ") || line.starts_with("tour done"),
            "unaligned line: {line:?}"
        );
    }
}

#[test]
fn arena_basics_shows_each_call() {
    let (stdout, _) = run("arena_basics", &[]);
    assert_contains_all(
        &stdout,
        &[
            "new arena:        0 bytes reserved",
            "arena.New:        Person { name: \"Alice\", age: 30 }",
            "alloc:            Person { name: \"Bob\", age: 25 }",
            "make_slice:       len 100, cap 100, first two [\"Alice\", \"Bob\"]",
            "alloc_fmt:        user-0007",
            "string:           hello, Alice and Bob",
            "hash_map:         Alice is 30, Bob is 25",
            "slice_fill_with:  [0, 1, 4, 9, 16]",
            "1 drop(s) pending",
            "reset:            0 allocations, 0 B used",
            "free:             done",
        ],
    );
}

#[test]
fn ballast_reserves_up_front() {
    let (stdout, _) = run("ballast", &[]);
    assert_contains_all(
        &stdout,
        &[
            "Arena::with_capacity(8 MiB) :  1 chunk  after 1M allocs",
            "ARENA_BALLAST=1MiB          :  a new pooled scope arena starts with",
        ],
    );
    let grown = stdout
        .lines()
        .find_map(|line| line.strip_prefix("Arena::new()                : "))
        .expect("the grown line");
    let chunks: usize = grown.split_whitespace().next().unwrap().parse().unwrap();
    assert!(chunks > 1, "{grown}");
}

#[test]
fn clone_out_copies_in_every_direction() {
    let (stdout, _) = run("clone_out", &[]);
    assert_contains_all(
        &stdout,
        &[
            "PersonOwned { name: \"Alice\", age: 30, tags: [\"admin\", \"dev\"], friends: [PersonOwned { name: \"Bob\"",
            "name: String = \"Alice\", tags: Vec<String> = [\"admin\", \"dev\"], best: Option<Box<PersonOwned>> = Some(\"Bob\")",
            "heap -> arena:   Alice (30), friends [\"Bob\"]",
            "arena -> arena:  Carol (41) survives its first arena",
            "enum readings:   [Temperature { sensor: \"roof\", value: Celsius(21.5) }, Missing(\"cellar\")]",
        ],
    );
}

#[test]
fn knobs_trace_limit_retain_and_ballast() {
    let (stdout, stderr) = run("knobs", &[]);
    assert_contains_all(
        &stdout,
        &[
            "500MiB   -> 524288000 bytes",
            "off      -> no limit",
            "500MB    -> error: \"MB\" is not a unit (did you mean MiB?)",
            "2 MiB under a 1 MiB limit: Err(arena: cannot allocate 2097152 bytes: the process-wide ARENA_MEMLIMIT of 1048576 bytes",
            "64 KiB right after:        allocated 65536 bytes",
            "ARENA_RETAIN=0    kept after a 1 MiB scope:        0 B, then after a 64 KiB scope:        0 B",
            "a new pooled arena starts with",
        ],
    );
    // Exactly one scope ran with tracing on: one trace line, with the scope's label.
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    let fields = assert_trace_line(lines[0]);
    assert_eq!(fields[8], "knobs-demo", "{}", lines[0]);
    // Retention: 100 % keeps what a 1 MiB scope used, `off` keeps it after a small scope too.
    let kept = |setting: &str| -> Vec<usize> {
        let line = stdout
            .lines()
            .find(|line| {
                line.trim_start()
                    .starts_with(&format!("ARENA_RETAIN={setting} "))
            })
            .unwrap_or_else(|| panic!("no line for {setting}"));
        line.split_whitespace()
            .filter_map(|word| word.parse().ok())
            .collect()
    };
    // The numbers of a line: 1 (MiB), kept after it, 64 (KiB), kept after that.
    let (full, off) = (kept("100"), kept("off"));
    assert!(full[1] >= 1 << 20 && full[3] < 1 << 20, "{full:?}");
    assert!(off[3] >= 1 << 20, "{off:?}");
}

#[test]
fn hot_loop_makes_no_global_allocations_in_the_arena_version() {
    let (stdout, _) = run("hot_loop", &["3000"]);
    assert_contains_all(
        &stdout,
        &[
            "3000 requests",
            "arena scope per request:",
            " 0.00 global allocations/request",
            "heap time / arena time:",
            "summary: 15000 segments, 12000 params",
        ],
    );
    let heap = stdout
        .lines()
        .find(|line| line.contains("heap Vec/String/HashMap:"))
        .unwrap();
    assert!(!heap.contains(" 0.00 global"), "{heap}");
}

#[test]
fn log_summary_reads_a_file() {
    let (stdout, _) = run("log_summary", &["examples/data/sample.log"]);
    let expected = "\
levels:      INFO 10, ERROR 2, WARN 2, DEBUG 1
components:  http 9, auth 3, db 3
timed:       11 events, 1893 ms in all, 172.1 ms on average
slowest:     846 ms  2026-05-01T09:00:02.511Z INFO http: GET /orders?page=2 status=200 ms=846 user=bob
error:       2026-05-01T09:00:03.250Z http: user store unavailable
error:       2026-05-01T09:00:03.251Z db: connection reset
";
    let (first, rest) = stdout.split_once('\n').unwrap();
    assert!(
        first.starts_with("examples/data/sample.log: 16 lines (1 malformed) in "),
        "{first}"
    );
    assert_eq!(rest, expected);
}

#[test]
fn log_summary_generates_a_sample_without_a_file() {
    let (stdout, _) = run("log_summary", &["--sample", "1000"]);
    assert_contains_all(
        &stdout,
        &[
            "generated sample: 1000 lines (0 malformed)",
            "levels:      INFO 700, DEBUG 200, WARN 80, ERROR 20",
            "slowest:     999 ms",
        ],
    );
}

#[test]
fn parallel_traces_each_arena_with_its_thread() {
    let (stdout, stderr) = run("parallel", &["8"]);
    assert_contains_all(
        &stdout,
        &[
            "arena_scope!: total 2520",
            "ArenaPool:    total 2520",
            "0 in use",
        ],
    );
    let lines: Vec<&str> = stderr.lines().filter(|l| l.starts_with("arena ")).collect();
    let items: Vec<&&str> = lines
        .iter()
        .filter(|l| l.contains("par_iter item"))
        .collect();
    assert_eq!(items.len(), 8, "one line per item:\n{stderr}");
    for line in &lines {
        let fields = assert_trace_line(line);
        assert!(fields[9].starts_with("thread worker-"), "{line}");
    }
    assert!(
        lines.iter().any(|l| l.contains("map_init guard")),
        "{stderr}"
    );
}

#[test]
fn async_pool_resumes_tasks_on_the_other_worker() {
    let (stdout, _) = run("async_pool", &[]);
    for id in 0..6 {
        let line = stdout
            .lines()
            .find(|l| l.starts_with(&format!("task {id}: ")))
            .unwrap_or_else(|| panic!("task {id} in:\n{stdout}"));
        let (started, resumed) = if id % 2 == 0 {
            ("worker-0", "worker-1")
        } else {
            ("worker-1", "worker-0")
        };
        assert!(
            line.ends_with(&format!("started on {started}, resumed on {resumed}")),
            "{line}"
        );
    }
    assert_contains_all(&stdout, &["0 in use"]);
}

#[test]
fn json_requests_reads_each_line_into_a_scope_and_skips_bad_ones() {
    let (stdout, stderr) = run("json_requests", &["100"]);
    assert_contains_all(
        &stdout,
        &["98 requests, 2 refused, 196 items", "user0: 12.00"],
    );
    assert_contains_all(
        &stderr,
        &[
            "line 8: expected value at line 1 column 52",
            "line 12: arena: cannot allocate",
            "the arena's limit of 1048576 bytes would be exceeded",
        ],
    );
}
