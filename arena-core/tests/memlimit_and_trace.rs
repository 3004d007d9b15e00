//! The process-wide `ARENA_MEMLIMIT` (hard, shared by all arenas and threads) and the
//! `arenatrace` line. Both are process-wide, so the environment-driven cases run in child
//! processes (this test binary re-executed with one test selected and the variable set).

use arena_core::config;
use arena_core::{scope, AllocErrorKind, Arena};
use std::alloc::Layout;
use std::process::Command;
use std::sync::{Barrier, Mutex};

static SERIAL: Mutex<()> = Mutex::new(());

/// Runs the test `name` of this binary in a child process with `env` set; returns its stderr.
fn run_child(name: &str, env: &[(&str, &str)]) -> (bool, String) {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([
        "--exact",
        name,
        "--nocapture",
        "--test-threads=1",
        "--include-ignored",
    ]);
    cmd.env("ARENA_TEST_CHILD", "1");
    for key in [
        "ARENA_MEMLIMIT",
        "ARENA_RETAIN",
        "ARENA_BALLAST",
        "ARENA_DEBUG",
    ] {
        cmd.env_remove(key);
    }
    for (key, value) in env {
        cmd.env(key, value);
    }
    let out = cmd.output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn in_child() -> bool {
    std::env::var_os("ARENA_TEST_CHILD").is_some()
}

#[test]
fn memlimit_is_hard_across_threads() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let base = arena_core::reserved_bytes_total();
    config::set_memlimit(Some(base + (48 << 20)));
    // Two threads each ask for 32 MiB at the same moment: together 64 MiB > 48 MiB.
    let barrier = Barrier::new(2);
    let results: Vec<Result<usize, AllocErrorKind>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..2)
            .map(|_| {
                s.spawn(|| {
                    barrier.wait();
                    Arena::try_with_capacity(32 << 20)
                        .map(|a| {
                            let reserved = a.stats().reserved_bytes;
                            barrier.wait(); // hold the memory until both tried
                            reserved
                        })
                        .map_err(|e| {
                            barrier.wait();
                            e.kind().clone()
                        })
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    config::set_memlimit(None);
    let granted = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(
        granted, 1,
        "exactly one thread gets its 32 MiB: {results:?}"
    );
    let refused = results.iter().find_map(|r| r.clone().err()).unwrap();
    assert_eq!(
        refused,
        AllocErrorKind::MemLimit {
            limit: base + (48 << 20)
        }
    );
}

#[test]
fn growth_refused_by_the_memlimit_is_a_memlimit_error() {
    // A growing vector asks for chunks of twice the newest; once the budget cannot give that,
    // the chunk is sized from what the budget has left, and when even the request does not
    // fit, the error names ARENA_MEMLIMIT (it used to say the global allocator was out of
    // memory, because bumpalo built no chunk under a grant smaller than its own sizes).
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let base = arena_core::reserved_bytes_total();
    let limit = base + (256 << 10);
    config::set_memlimit(Some(limit));
    let mem = Arena::new();
    let mut v = mem.vec::<[u64; 3]>();
    let mut strings = 0;
    let err = loop {
        if v.len() % 7 == 0 && mem.try_alloc_str("0123456789012345678901234567890").is_ok() {
            strings += 1;
        }
        if let Err(err) = v.try_push([0; 3]) {
            break err;
        }
    };
    let reserved = mem.stats().reserved_bytes;
    config::set_memlimit(None);
    assert!(
        matches!(err.kind(), AllocErrorKind::MemLimit { limit: l } if *l == limit),
        "{err:?}"
    );
    assert!(err.to_string().contains("ARENA_MEMLIMIT"), "{err}");
    assert!(strings > 0);
    assert!(
        reserved > (128 << 10),
        "the budget was used, not refused early: {reserved}"
    );
}

#[test]
fn memlimit_errors_name_the_limit_and_leave_everything_usable() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let base = arena_core::reserved_bytes_total();
    config::set_memlimit(Some(base + (1 << 20)));
    let mem = Arena::builder().label("cache").build();
    let small = mem.alloc_slice_fill_default::<u8>(1000);
    small[0] = 1;
    let err = mem.try_alloc_slice_fill_default::<u8>(4 << 20).unwrap_err();
    let text = err.to_string();
    let pooled = std::panic::catch_unwind(|| {
        scope(|tmp| {
            tmp.alloc_layout(Layout::array::<u8>(8 << 20).unwrap());
        })
    });
    config::set_memlimit(None);
    assert!(
        matches!(err.kind(), AllocErrorKind::MemLimit { .. }),
        "{err:?}"
    );
    assert!(
        text.contains("ARENA_MEMLIMIT") && text.contains("\"cache\""),
        "{text}"
    );
    assert!(text.contains(&(base + (1 << 20)).to_string()), "{text}");
    assert_eq!(small[0], 1, "earlier values untouched");
    let message = pooled.unwrap_err();
    let message = message.downcast_ref::<String>().unwrap();
    assert!(message.contains("ARENA_MEMLIMIT"), "{message}");
    let big = Layout::array::<u8>(8 << 20).unwrap();
    assert!(
        scope(|tmp| tmp.try_alloc_layout(big).is_ok()),
        "8 MiB fit again once the limit is off"
    );
}

#[test]
#[ignore = "run as a child process by memlimit_from_the_environment"]
fn child_memlimit() {
    if !in_child() {
        return;
    }
    let mem = Arena::new();
    assert!(mem.try_alloc_slice_fill_default::<u8>(1 << 20).is_err());
    assert!(mem.try_alloc_slice_fill_default::<u8>(1 << 10).is_ok());
    eprintln!("child_memlimit done");
}

#[test]
#[cfg_attr(miri, ignore = "spawns a process")]
fn memlimit_from_the_environment() {
    let (ok, stderr) = run_child("child_memlimit", &[("ARENA_MEMLIMIT", "512KiB")]);
    assert!(ok && stderr.contains("child_memlimit done"), "{stderr}");
}

#[test]
#[ignore = "run as a child process by malformed_knobs_fail_the_first_scope"]
fn child_malformed() {
    if !in_child() {
        return;
    }
    scope(|mem| {
        mem.alloc(1u8);
    });
}

#[test]
#[cfg_attr(miri, ignore = "spawns a process")]
fn malformed_knobs_fail_the_first_scope() {
    let (ok, stderr) = run_child("child_malformed", &[("ARENA_MEMLIMIT", "500MB")]);
    assert!(!ok);
    assert!(stderr.contains("ARENA_MEMLIMIT"), "{stderr}");
    assert!(stderr.contains("\"500MB\""), "{stderr}");
    assert!(stderr.contains("MiB"), "the grammar is named: {stderr}");
}

#[test]
#[ignore = "run as a child process by trace_lines_describe_each_scope_and_free"]
fn child_trace() {
    if !in_child() {
        return;
    }
    scope(|mem| {
        for i in 0..100u64 {
            mem.alloc(i);
        }
        mem.alloc_droppable(String::from("x"));
    });
    arena_core::__private::scope_with(
        arena_core::__private::ScopeOptions {
            capacity: None,
            limit: Some(1 << 20),
            label: Some("req"),
            call_site: "somewhere.rs:1",
        },
        |mem| {
            mem.alloc(1u8);
        },
    );
    let standalone = Arena::builder().label("standalone").build();
    standalone.alloc_slice_copy(&[1u8; 300]);
    standalone.free();
    // Without a label, a standalone arena is traced by where it was created.
    let made_here = line!() + 1;
    let unlabelled = Arena::new();
    unlabelled.alloc(1u64);
    drop(unlabelled);
    let built_here = line!() + 1;
    let built = Arena::builder().limit(1 << 20).build();
    built.alloc(1u64);
    drop(built);
    let reserved_here = line!() + 1;
    let reserved = Arena::with_capacity(1 << 10);
    drop(reserved);
    eprintln!("@@ lines {made_here} {built_here} {reserved_here}");
}

#[test]
#[cfg_attr(miri, ignore = "spawns a process")]
fn trace_lines_describe_each_scope_and_free() {
    let (ok, stderr) = run_child("child_trace", &[("ARENA_DEBUG", "arenatrace=1")]);
    assert!(ok, "{stderr}");
    let lines: Vec<&str> = stderr.lines().filter(|l| l.starts_with("arena ")).collect();
    assert_eq!(lines.len(), 6, "{stderr}");
    // arena <seq> @<secs>s <ms> ms: <used>-><kept> B used->kept, <reserved> B reserved,
    // <chunks> chunks, current <used>/<reserved> B, other <used>/<reserved> B, <allocs> allocs,
    // <drops> drops, limit <limit>, <place>
    let first: Vec<&str> = lines[0].split_whitespace().collect();
    assert_eq!(first[0], "arena");
    let seq: u64 = first[1].parse().unwrap();
    assert!(first[2].starts_with('@') && first[2].ends_with('s'));
    assert!(
        lines[0].contains(" 101 allocs, 1 drops, limit off, "),
        "{}",
        lines[0]
    );
    assert!(
        lines[0].contains("memlimit_and_trace.rs:"),
        "call site: {}",
        lines[0]
    );
    let used_kept = first[5];
    let (used, kept) = used_kept.split_once("->").unwrap();
    assert!(used.parse::<usize>().unwrap() >= 800 + 24);
    assert!(kept.parse::<usize>().unwrap() >= used.parse::<usize>().unwrap());
    assert!(lines[1].contains("limit 1048576 B, req"), "{}", lines[1]);
    assert!(
        lines[1].starts_with(&format!("arena {} ", seq + 1)),
        "{}",
        lines[1]
    );
    assert!(lines[2].contains("standalone"), "{}", lines[2]);
    // The standalone arena's 300 bytes, in its one chunk.
    assert!(
        lines[2].contains(" 1 chunks, current 304/") && lines[2].contains(" B, other 0/0 B, "),
        "{}",
        lines[2]
    );
    assert!(lines[2].contains(" 1 allocs, 0 drops"), "{}", lines[2]);
    let created: Vec<&str> = stderr
        .lines()
        .find_map(|l| l.strip_prefix("@@ lines "))
        .expect("the child reports where it created its arenas")
        .split(' ')
        .collect();
    for (line, created_at) in lines[3..].iter().zip(&created) {
        let place = format!("tests/memlimit_and_trace.rs:{created_at}");
        assert!(
            line.contains(&format!("{place}, thread ")),
            "{line} should name {place}"
        );
    }
    assert!(lines[4].contains("limit 1048576 B"), "{}", lines[4]);
}

#[test]
#[ignore = "run as a child process by set_trace_applies_from_the_next_scope_of_a_warm_loop"]
fn child_trace_switched_on() {
    if !in_child() {
        return;
    }
    let round = || {
        scope(|mem| {
            mem.alloc_slice_fill_default::<u64>(64);
        })
    };
    // Warm and steady: these scopes take the fast path, untraced.
    for _ in 0..100 {
        round();
    }
    // Created untraced, so it does not count its allocations: its line shows `-`.
    let early = Arena::new();
    early.alloc(1u8);
    config::set_trace(true);
    round();
    // A scope that starts while tracing counts, for `stats()` as for its line.
    let counted = scope(|mem| {
        mem.alloc(1u8);
        mem.alloc(2u16);
        mem.stats().allocations
    });
    assert_eq!(counted, Some(2));
    early.free();
    config::set_trace(false);
    for _ in 0..100 {
        round();
    }
}

#[test]
#[cfg_attr(miri, ignore = "spawns a process")]
fn set_trace_applies_from_the_next_scope_of_a_warm_loop() {
    let (ok, stderr) = run_child("child_trace_switched_on", &[]);
    assert!(ok, "{stderr}");
    let lines: Vec<&str> = stderr.lines().filter(|l| l.starts_with("arena ")).collect();
    assert_eq!(
        lines.len(),
        3,
        "exactly the two scopes run and the arena freed while tracing was on: {stderr}"
    );
    assert!(
        lines[0].contains(" 1 allocs, 0 drops, limit off, "),
        "{}",
        lines[0]
    );
    assert!(lines[1].contains(" 2 allocs, 0 drops, "), "{}", lines[1]);
    assert!(
        lines[2].contains(" - allocs, 0 drops, ") && lines[2].contains("memlimit_and_trace.rs:"),
        "{}",
        lines[2]
    );
}
