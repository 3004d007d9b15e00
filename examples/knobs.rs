//! The Go runtime's knobs, mirrored: `GODEBUG=gctrace=1`, `GOMEMLIMIT`, `GOGC` and the ballast.
//!
//! Each knob reads from the environment (`ARENA_DEBUG`, `ARENA_MEMLIMIT`, `ARENA_RETAIN`,
//! `ARENA_BALLAST`) and has a setter in `arena::config`; this example uses the setters, so it
//! prints the same thing whatever the environment says.
//!
//! ```sh
//! cargo run --example knobs
//! ARENA_DEBUG=arenatrace=1 cargo run --example hot_loop   # the environment route
//! ```

use std::io::Write as _;

use arena::arena_scope;
use arena::config::{self, Retain};

const KIB: usize = 1 << 10;
const MIB: usize = 1 << 20;

fn main() {
    // A malformed knob in the environment must not stop this demo: the setters override it.
    if let Err(err) = config::from_env() {
        println!("(environment ignored here: {err})");
    }

    println!("ARENA_MEMLIMIT=1MiB        (GOMEMLIMIT=500MiB)");
    for text in ["500MiB", "1GiB", "off", "500MB", "1.5GiB"] {
        match config::parse_memlimit(text) {
            Ok(Some(bytes)) => println!("  {text:<8} -> {bytes} bytes"),
            Ok(None) => println!("  {text:<8} -> no limit"),
            Err(err) => println!("  {text:<8} -> error: {}", err.problem()),
        }
    }
    // The limit counts every arena of the process; nothing is reserved yet, so this is 1 MiB.
    config::set_memlimit(Some(arena::reserved_bytes_total() + MIB));
    arena::scope(|mem| {
        match mem.try_alloc_slice_fill_with(2 * MIB, |i| i as u8) {
            Ok(_) => println!("  2 MiB under a 1 MiB limit: allocated (unexpected)"),
            Err(err) => println!("  2 MiB under a 1 MiB limit: Err({err})"),
        }
        let small = mem.alloc_slice_fill_with(64 * KIB, |i| i as u8);
        println!(
            "  64 KiB right after:        allocated {} bytes: the arena is still usable",
            small.len()
        );
    });
    config::set_memlimit(None);
    println!();

    println!("ARENA_DEBUG=arenatrace=1   (GODEBUG=gctrace=1)");
    config::set_trace(true);
    std::io::stdout().flush().ok();
    let words = arena_scope!(label = "knobs-demo", |mem| {
        let mut words = mem.vec();
        for word in "one trace line per scope end, on stderr".split(' ') {
            words.push(mem.alloc_str(word));
        }
        words.len()
    });
    config::set_trace(false);
    println!("  the scope above allocated {words} words; its trace line went to stderr");
    println!();

    println!("ARENA_RETAIN=<percent|off> (GOGC=50)");
    for retain in [
        Retain::Percent(100),
        Retain::Percent(50),
        Retain::Percent(0),
        Retain::Off,
    ] {
        config::set_retain(retain);
        // A fresh thread has a fresh pool, so each setting starts from nothing.
        let kept = std::thread::spawn(|| {
            arena::scope(|mem| mem.alloc_slice_fill_with(MIB, |i| i as u8).len());
            let after_big = arena::scope(|mem| mem.stats().reserved_bytes);
            arena::scope(|mem| mem.alloc_slice_fill_with(64 * KIB, |i| i as u8).len());
            let after_small = arena::scope(|mem| mem.stats().reserved_bytes);
            (after_big, after_small)
        })
        .join()
        .expect("the retention thread ran");
        let name = match retain {
            Retain::Percent(percent) => percent.to_string(),
            Retain::Off => "off".to_owned(),
        };
        println!(
            "  ARENA_RETAIN={name:<4} kept after a 1 MiB scope: {:>8} B, then after a 64 KiB scope: {:>8} B",
            kept.0, kept.1
        );
    }
    config::set_retain(Retain::Percent(100));
    println!();

    println!("ARENA_BALLAST=256KiB       (ballast := make([]byte, 10<<30))");
    config::set_ballast(256 * KIB);
    let reserved = std::thread::spawn(|| arena::scope(|mem| mem.stats().reserved_bytes))
        .join()
        .expect("the ballast thread ran");
    config::set_ballast(0);
    println!("  a new pooled arena starts with {reserved} B reserved");
}
