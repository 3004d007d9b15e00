//! Runs one peer of one benchmark workload once and reports its time, peak RSS and page faults:
//! the memory side of the peer benchmarks, one process per variant so peak RSS is the
//! variant's own.
//!
//! ```text
//! cargo run --release -p arena-benches --bin bench_rss -- binary_trees arena 20
//! cargo run --release -p arena-benches --bin bench_rss -- binary_trees bumpalo 20
//! cargo run --release -p arena-benches --bin bench_rss -- raw_warm arena 10000000  # faults per warm round
//! ```
//!
//! Workloads: `binary_trees <peer> <depth>`, `request_loop <peer> <n>`, `raw_warm <peer> <n>`,
//! `raw_cold <peer> <n>` (`n` values into a new allocator: its chunk growth and page faults).
//! Peers: `arena`, `arena_reset`, `system`, `bumpalo`, `bump_scope`, `typed_arena`; for
//! binary-trees and the request loop also `floor`, no allocator at all (see `BtFloor` and
//! `req_floor`): the bound on what any arena can gain over `Box` there; for the request loop
//! also `floor_push`, the same with its vector grown by `push` into a buffer allocated before the
//! run (`req_floor_push`), which is the workload as stated; and `parts:NRV`, the request loop
//! with its names, records and vector each in the arena (`a`) or kept as the floor keeps them
//! (`s`), to tell what each costs (`req_arena_parts`).
//! Prints one line: `workload peer arg checksum=.. secs=.. peak_rss_kib=.. minflt=..`.

#[path = "../common/mod.rs"]
mod common;

use std::time::Instant;

use common::*;

/// `(peak RSS in KiB, minor page faults)` of this process so far, from `/proc/self`.
fn memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let hwm = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0);
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the `(comm)`: state is field 3, minflt field 10.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let minflt = after
        .split_whitespace()
        .nth(7)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    (hwm, minflt)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [workload, peer, arg] = match <[String; 3]>::try_from(args) {
        Ok(a) => a,
        Err(_) => {
            eprintln!(
                "usage: bench_rss <binary_trees|request_loop|raw_warm|raw_cold> <peer> <arg>"
            );
            std::process::exit(2);
        }
    };
    let n: u64 = arg.parse().expect("a number");
    // The floor's buffers are made (and written) before the timer: it measures the trees alone.
    let mut floor = (workload == "binary_trees" && peer == "floor").then(|| BtFloor::new(n as u32));
    let (_, faults_before) = memory();
    let started = Instant::now();
    let checksum = match (workload.as_str(), peer.as_str()) {
        ("binary_trees", "arena") => bt_arena_scope(n as u32),
        ("binary_trees", "arena_reset") => bt_arena_reset(n as u32),
        ("binary_trees", "system") => bt_system(n as u32),
        ("binary_trees", "bumpalo") => bt_bumpalo(n as u32),
        ("binary_trees", "bump_scope") => bt_bump_scope(n as u32),
        ("binary_trees", "typed_arena") => bt_typed_arena(n as u32),
        ("binary_trees", "floor") => floor.as_mut().map_or(0, |floor| floor.run(n as u32)),
        ("request_loop", "arena") => req_arena_scope(n),
        ("request_loop", "arena_reset") => req_arena_reset(n),
        ("request_loop", "system") => req_system(n),
        ("request_loop", "bumpalo") => req_bumpalo(n),
        ("request_loop", "bump_scope") => req_bump_scope(n),
        ("request_loop", "typed_arena") => req_typed_arena(n),
        ("request_loop", "floor") => req_floor(n),
        ("raw_cold", "arena") => raw_arena_cold(n),
        ("raw_cold", "bumpalo") => raw_bumpalo_cold(n),
        ("raw_cold", "bump_scope") => raw_bump_scope_cold(n),
        ("raw_cold", "typed_arena") => raw_typed_arena_cold(n),
        ("request_loop", "floor_push") => req_floor_push(n),
        ("request_loop", parts) if req_arena_parts_named(parts).is_some() => {
            req_arena_parts_named(parts).map_or(0, |run| run(n))
        }
        ("raw_warm", _) => {
            // One cold round, one first warm round (its faults reported apart: a reset that
            // merges chunks hands out fresh memory once), then the page faults of 5 warm rounds.
            let rounds = 5;
            let mut sum = 0;
            let mut faults = 0;
            let mut first_warm = 0;
            let mut measure = |round: &mut dyn FnMut() -> u64| {
                sum = round();
                let before = memory().1;
                assert_eq!(round(), sum);
                first_warm = memory().1 - before;
                let before = memory().1;
                for _ in 0..rounds {
                    assert_eq!(round(), sum);
                }
                faults = memory().1 - before;
            };
            match peer.as_str() {
                "arena" => measure(&mut || raw_arena_scope_warm(n)),
                "arena_reset" => {
                    let mut mem = arena::Arena::new();
                    measure(&mut || raw_arena_warm(&mut mem, n));
                }
                "bumpalo" => {
                    let mut bump = bumpalo::Bump::new();
                    measure(&mut || raw_bumpalo_warm(&mut bump, n));
                }
                "bump_scope" => {
                    let mut bump: bump_scope::Bump = bump_scope::Bump::new();
                    measure(&mut || raw_bump_scope_warm(&mut bump, n));
                }
                "system" => {
                    let mut boxes = Vec::with_capacity(n as usize);
                    measure(&mut || raw_system(&mut boxes, n));
                }
                other => panic!("unknown peer {other}"),
            }
            println!(
                "{workload} {peer} {n} minflt_first_warm_round={first_warm} \
                 minflt_next_{rounds}_warm_rounds={faults}"
            );
            sum
        }
        (w, p) => panic!("unknown workload/peer {w} {p}"),
    };
    let secs = started.elapsed().as_secs_f64();
    let (peak, faults_after) = memory();
    println!(
        "{workload} {peer} {n} checksum={checksum} secs={secs:.3} peak_rss_kib={peak} minflt={}",
        faults_after - faults_before
    );
}
