//! Prints the Markdown table of the peer benchmarks from criterion's results: each
//! workload, each peer's median, and `arena`'s ratio to the best peer and to `Box` on the system
//! allocator. Given the results of several runs, each time is the median over the runs (of
//! criterion's per-run medians), and the ratios are taken between those.
//!
//! Run it through `scripts/bench-table [--runs N]`, which runs the benches first. By hand:
//! `cargo run --release -p arena-benches --bin bench_table [criterion dir ..]` (default
//! `$CRITERION_HOME`, else `$CARGO_TARGET_DIR/criterion`, else `target/criterion`).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// Workloads in the order the table shows them.
const WORKLOADS: &[(&str, &str)] = &[
    ("binary_trees_d18", "binary-trees, depth 18"),
    ("binary_trees_d20", "binary-trees, depth 20"),
    ("request_loop", "request loop, 200,000 iterations"),
    ("raw_alloc_cold", "raw allocation, 10M `u64`, cold"),
    ("raw_alloc_warm", "raw allocation, 10M `u64`, warm"),
    ("destructors", "destructors, 1M `String` values"),
    ("scope_overhead", "scope enter+exit (one `u64` in it)"),
];

/// Columns: (criterion function id, header). `arena` and `arena_reset` are ours, the rest peers.
const OURS: &[(&str, &str)] = &[("arena", "arena (scope)"), ("arena_reset", "arena (reset)")];
const PEERS: &[(&str, &str)] = &[
    ("system", "Box/system"),
    ("mimalloc", "Box/mimalloc"),
    ("bumpalo", "bumpalo"),
    ("bump_scope", "bump-scope"),
    ("typed_arena", "typed-arena"),
];

fn criterion_dirs() -> Vec<PathBuf> {
    let given: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    if !given.is_empty() {
        return given;
    }
    if let Some(dir) = std::env::var_os("CRITERION_HOME") {
        return vec![dir.into()];
    }
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| PathBuf::from("target"), PathBuf::from);
    vec![target.join("criterion")]
}

/// The median of `values` (the mean of the middle two for an even count).
fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 0 {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    }
}

/// [`load`] for each run, then per benchmark the median over the runs that measured it.
fn load_runs(dirs: &[PathBuf]) -> BTreeMap<String, BTreeMap<String, f64>> {
    let mut runs: BTreeMap<String, BTreeMap<String, Vec<f64>>> = BTreeMap::new();
    for dir in dirs {
        for (group, results) in load(dir) {
            for (function, ns) in results {
                runs.entry(group.clone())
                    .or_default()
                    .entry(function)
                    .or_default()
                    .push(ns);
            }
        }
    }
    runs.into_iter()
        .map(|(group, results)| {
            let results = results
                .into_iter()
                .map(|(function, values)| (function, median(values)))
                .collect();
            (group, results)
        })
        .collect()
}

/// The median point estimate (ns) in a criterion `estimates.json`.
fn median_ns(path: &Path) -> Option<f64> {
    let text = fs::read_to_string(path).ok()?;
    let median = &text[text.find("\"median\":")?..];
    let value = &median[median.find("\"point_estimate\":")? + "\"point_estimate\":".len()..];
    let end = value.find([',', '}'])?;
    value[..end].trim().parse().ok()
}

/// `group -> function -> median ns`, for every benchmark criterion has results of.
fn load(dir: &Path) -> BTreeMap<String, BTreeMap<String, f64>> {
    let mut all: BTreeMap<String, BTreeMap<String, f64>> = BTreeMap::new();
    let Ok(groups) = fs::read_dir(dir) else {
        return all;
    };
    for group in groups.flatten() {
        let Ok(functions) = fs::read_dir(group.path()) else {
            continue;
        };
        for function in functions.flatten() {
            if let Some(ns) = median_ns(&function.path().join("new").join("estimates.json")) {
                all.entry(group.file_name().to_string_lossy().into_owned())
                    .or_default()
                    .insert(function.file_name().to_string_lossy().into_owned(), ns);
            }
        }
    }
    all
}

fn time(ns: f64) -> String {
    if ns >= 1e9 {
        format!("{:.2} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.1} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.1} µs", ns / 1e3)
    } else {
        format!("{ns:.1} ns")
    }
}

fn ratio(a: Option<f64>, b: Option<f64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => format!("{:.2}", a / b),
        _ => "—".into(),
    }
}

fn main() {
    let dirs = criterion_dirs();
    let mut all = load_runs(&dirs);
    if all.is_empty() {
        let names: Vec<_> = dirs.iter().map(|d| d.display().to_string()).collect();
        eprintln!(
            "no criterion results under {}; run scripts/bench-table (or cargo bench) first",
            names.join(", ")
        );
        std::process::exit(1);
    }

    if dirs.len() > 1 {
        println!(
            "Medians over {} runs of criterion's medians (lower is better):\n",
            dirs.len()
        );
    } else {
        println!("Medians (lower is better):\n");
    }
    let mut header = String::from("| workload |");
    let mut rule = String::from("|---|");
    for (_, name) in OURS.iter().chain(PEERS) {
        header += &format!(" {name} |");
        rule += "---:|";
    }
    header += " best peer | arena ÷ best peer | arena ÷ Box/system | arena (reset) ÷ best peer | arena (reset) ÷ Box/system |";
    rule += "---|---:|---:|---:|---:|";
    println!("{header}\n{rule}");
    for (id, title) in WORKLOADS {
        let Some(results) = all.remove(*id) else {
            continue;
        };
        let mut row = format!("| {title} |");
        for (function, _) in OURS.iter().chain(PEERS) {
            row += &format!(
                " {} |",
                results
                    .get(*function)
                    .map_or_else(|| "—".into(), |&ns| time(ns))
            );
        }
        let best = PEERS
            .iter()
            .filter_map(|(function, name)| results.get(*function).map(|&ns| (ns, *name)))
            .min_by(|a, b| a.0.total_cmp(&b.0));
        let system = results.get("system").copied();
        let arena = results.get("arena").copied();
        let reset = results.get("arena_reset").copied();
        row += &format!(
            " {} | {} | {} | {} | {} |",
            best.map_or("—", |b| b.1),
            ratio(arena, best.map(|b| b.0)),
            ratio(arena, system),
            ratio(reset, best.map(|b| b.0)),
            ratio(reset, system),
        );
        println!("{row}");
        let extra: Vec<_> = results
            .iter()
            .filter(|(f, _)| !OURS.iter().chain(PEERS).any(|(id, _)| id == f))
            .collect();
        for (function, &ns) in extra {
            println!(
                "| {title}: `{function}` | {} |{} | {} | {} | | |",
                time(ns),
                " |".repeat(OURS.len() + PEERS.len() - 1),
                ratio(Some(ns), best.map(|b| b.0)),
                ratio(Some(ns), system),
            );
        }
    }
    // Anything else criterion measured in the same run (e.g. the clone-out bench).
    if !all.is_empty() {
        println!("\nOther benchmarks of the same runs:\n");
        println!("| benchmark | median |\n|---|---:|");
        for (group, results) in &all {
            for (function, &ns) in results {
                println!("| {group}/{function} | {} |", time(ns));
            }
        }
    }
}
