//! `std::process::exit` inside a scope. `exit` runs the calling thread's thread-local destructors
//! (glibc does so before the process ends), the scope pool's among them, while the scopes that
//! called it are still open and will never close. The pool frees only the arenas no open scope
//! holds and leaves the open scopes' arenas alone: like the values on the stack, which `exit`
//! does not drop either, their destructors do not run.
//!
//! The test re-executes this binary with one test selected and `ARENA_EXIT_CHILD` set; the
//! child calls `exit` two scopes deep and reports on stderr what it saw.

use arena_core::scope;
use std::process::Command;

const CHILD: &str = "ARENA_EXIT_CHILD";
/// The code the child exits with, to tell its `exit` from any other end.
const EXIT_CODE: i32 = 7;

/// Says on stderr (unbuffered, so nothing is lost at exit) that it was dropped.
struct Announces(&'static str);

impl Drop for Announces {
    fn drop(&mut self) {
        eprintln!("dropped: {}", self.0);
    }
}

/// A thread-local whose destructor opens a scope, whether it runs before or after the pool's.
struct LateScope;

impl Drop for LateScope {
    fn drop(&mut self) {
        let sum: u64 = scope(|mem| {
            mem.alloc_droppable(Announces("in a scope of a thread-local destructor"));
            mem.alloc_slice_fill_with(10, |i| i as u64).iter().sum()
        });
        eprintln!("late scope: {sum}");
    }
}

thread_local! {
    static LATE: LateScope = const { LateScope };
}

/// The child's side; does nothing unless `ARENA_EXIT_CHILD` is set.
#[test]
fn child_exits_inside_two_open_scopes() {
    if std::env::var_os(CHILD).is_none() {
        return;
    }
    LATE.with(|_| {});
    scope(|outer| {
        outer.alloc_droppable(Announces("held by the outer open scope"));
        let x = outer.alloc(1u64);
        scope(|inner| {
            inner.alloc_droppable(Announces("held by the inner open scope"));
            // A third depth that opens and closes: its slot is not in use at exit.
            scope(|deepest| {
                deepest.alloc_droppable(Announces("at the end of a closed scope"));
            });
            let y = inner.alloc(2u64);
            eprintln!("exiting with {}", *x + *y);
            std::process::exit(EXIT_CODE);
        })
    })
}

#[test]
#[cfg_attr(miri, ignore = "Miri cannot spawn processes")]
fn exit_inside_a_scope_leaves_the_open_scopes_arenas_alone() {
    let output = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_exits_inside_two_open_scopes",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, "1")
        .env_remove("ARENA_DEBUG")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(EXIT_CODE),
        "the child ends through `exit`:\n{stderr}"
    );
    let said: Vec<&str> = stderr
        .lines()
        .filter(|line| {
            line.starts_with("dropped: ")
                || line.starts_with("exiting")
                || line.starts_with("late scope")
        })
        .collect();
    assert_eq!(
        said,
        [
            "dropped: at the end of a closed scope",
            "exiting with 3",
            // The pool's teardown freed neither open scope's arena: no destructor of theirs ran.
            // A scope opened by another thread-local's destructor still works.
            "dropped: in a scope of a thread-local destructor",
            "late scope: 45",
        ],
        "what the child did, in order:\n{stderr}"
    );
}
