//! The request loop on 1 and 2 (or more) threads: how each way of giving threads memory scales.
//!
//! ```text
//! cargo run --release -p arena-benches --bin bench_scaling                  # 1 and 2 threads, 9 rounds
//! cargo run --release -p arena-benches --bin bench_scaling -- --threads 1,2,4 --rounds 9
//! cargo run --release -p arena-benches --bin bench_scaling -- --help
//! ```
//!
//! Every thread runs the same request loop as the peer benchmarks (`benches/common`: 64 records,
//! 16 formatted names and a vector pushed to 256 values per request), `--requests` of them, all
//! threads released together by a barrier after a warm-up; the time is the wall time from the
//! release to the last thread's end, and the throughput is the requests of all threads divided by
//! it. On T threads, perfect scaling is T × the one-thread throughput. Variants:
//!
//! - `arena_scope`: `arena_scope!` per request, so each thread takes its own per-thread pool;
//! - `pool_request`: one `ArenaPool` shared by all threads, a guard taken for each request;
//! - `pool_worker`: the same pool, one guard per thread for all its requests (rayon's `map_init`
//!   shape), each request in `scoped`;
//! - `system`: `Box`/`Vec`/`String` on the system allocator;
//! - `pool_loan`: not the request loop but what a loan of the shared pool costs: a guard per
//!   "request" of one `u64`, [`LOANS_PER_REQUEST`] of them per request of the others (so that
//!   a measurement lasts about as long); its figures count loans.
//!
//! The variants and thread counts take turns, round after round, in one process, so a slow spell
//! of a shared machine falls on all of them; each figure is the median over the rounds, and the
//! ratio column is the median of the per-round ratios (T threads ÷ 1 thread, measured next to
//! each other). The load average before and after is printed: a figure taken while other work
//! runs on the machine understates the scaling. The output ends with a Markdown table ready to
//! paste.

#[path = "../common/mod.rs"]
mod common;

use std::hint::black_box;
use std::sync::Barrier;
use std::time::{Duration, Instant};

use arena::ArenaPool;
use common::*;

const HELP: &str = "\
bench_scaling: the request loop on several threads, per way of giving threads memory

usage: bench_scaling [--threads LIST] [--requests N] [--rounds R] [--variants LIST]

  --threads LIST    thread counts, comma-separated; the first is the base of the ratios
                    (default 1,2)
  --requests N      requests per thread per measurement (default 200000)
  --rounds R        rounds; each runs every variant on every thread count (default 9)
  --variants LIST   any of arena_scope,pool_request,pool_worker,system,pool_loan
                    (default: all; pool_loan counts loans of one u64, 20 per request)
  -h, --help        this text

Prints each round, then a Markdown table: median throughput per thread count and the median
of the per-round ratios to the first thread count, with the load average around the run.";

const VARIANTS: [&str; 5] = [
    "arena_scope",
    "pool_request",
    "pool_worker",
    "system",
    "pool_loan",
];

/// Loans of `pool_loan` per request of the other variants.
const LOANS_PER_REQUEST: u64 = 20;

/// `n` loans of `pool`, each allocating one `u64`.
fn loans(pool: &ArenaPool, n: u64) -> u64 {
    let mut total = 0u64;
    for i in 0..n {
        let mem = pool.get();
        total = total.wrapping_add(*mem.alloc(i));
    }
    total
}

/// How many operations a variant's pass of `n` requests does.
fn operations(variant: &str, n: u64) -> u64 {
    if variant == "pool_loan" {
        n * LOANS_PER_REQUEST
    } else {
        n
    }
}

struct Options {
    threads: Vec<usize>,
    requests: u64,
    rounds: usize,
    variants: Vec<&'static str>,
}

fn fail(message: &str) -> ! {
    eprintln!("bench_scaling: {message}\n\n{HELP}");
    std::process::exit(2);
}

fn parse_args() -> Options {
    let mut options = Options {
        threads: vec![1, 2],
        requests: 200_000,
        rounds: 9,
        variants: VARIANTS.to_vec(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .unwrap_or_else(|| fail(&format!("{name} needs a value")))
        };
        match arg.as_str() {
            "-h" | "--help" => {
                println!("{HELP}");
                std::process::exit(0);
            }
            "--threads" => {
                options.threads = value("--threads")
                    .split(',')
                    .map(|t| match t.trim().parse::<usize>() {
                        Ok(t) if t > 0 => t,
                        _ => fail(&format!(
                            "--threads: '{t}' is not a thread count (1, 2, ..)"
                        )),
                    })
                    .collect();
            }
            "--requests" => {
                options.requests = value("--requests")
                    .parse()
                    .unwrap_or_else(|_| fail("--requests: expected a number of requests"));
            }
            "--rounds" => {
                options.rounds = match value("--rounds").parse() {
                    Ok(r) if r > 0 => r,
                    _ => fail("--rounds: expected a number of rounds, at least 1"),
                };
            }
            "--variants" => {
                options.variants = value("--variants")
                    .split(',')
                    .map(|v| {
                        VARIANTS
                            .iter()
                            .copied()
                            .find(|known| *known == v.trim())
                            .unwrap_or_else(|| fail(&format!("--variants: unknown variant '{v}'")))
                    })
                    .collect();
            }
            other => fail(&format!("unknown argument '{other}'")),
        }
    }
    options
}

/// One pass of `n` requests of a variant on the calling thread.
fn run(variant: &str, pool: &ArenaPool, n: u64) -> u64 {
    match variant {
        "arena_scope" => req_arena_scope(n),
        "pool_request" => req_pool_per_request(pool, n),
        "pool_worker" => req_pool_per_worker(pool, n),
        "system" => req_system(n),
        "pool_loan" => loans(pool, n * LOANS_PER_REQUEST),
        other => unreachable!("variant {other}"),
    }
}

/// This thread's time on a CPU and time spent runnable but waiting for one, from the kernel's
/// scheduler statistics (nanoseconds; zeros where `/proc/thread-self/schedstat` is missing).
fn schedstat() -> (u64, u64) {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    let mut fields = text.split_whitespace().map(|f| f.parse().unwrap_or(0));
    (fields.next().unwrap_or(0), fields.next().unwrap_or(0))
}

/// One measurement: the wall time of all threads, and per thread its CPU time and its time
/// waiting for a CPU (another process had it).
struct Sample {
    wall: Duration,
    cpu_ns: Vec<u64>,
    waited_ns: Vec<u64>,
}

/// `threads` threads each running `n` requests of `variant`, started together.
fn measure(variant: &str, pool: &ArenaPool, threads: usize, n: u64) -> Sample {
    let barrier = Barrier::new(threads + 1);
    let warm_up = n.min(1000);
    let expected = match variant {
        "pool_loan" => (0..warm_up * LOANS_PER_REQUEST).fold(0u64, u64::wrapping_add),
        _ => req_arena_reset(warm_up),
    };
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let barrier = &barrier;
                s.spawn(move || {
                    // Warm-up: the thread's pool (or its share of the shared pool, or malloc's
                    // arena for this thread) reaches its steady size before the clock starts.
                    assert_eq!(run(variant, pool, warm_up), expected, "{variant}");
                    barrier.wait();
                    let (cpu, waited) = schedstat();
                    black_box(run(variant, pool, n));
                    let (cpu_after, waited_after) = schedstat();
                    (cpu_after - cpu, waited_after - waited)
                })
            })
            .collect();
        barrier.wait();
        let started = Instant::now();
        let (cpu_ns, waited_ns) = workers
            .into_iter()
            .map(|worker| worker.join().expect("a worker panicked"))
            .unzip();
        Sample {
            wall: started.elapsed(),
            cpu_ns,
            waited_ns,
        }
    })
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| {
            let fields: Vec<&str> = l.split_whitespace().take(3).collect();
            (fields.len() == 3).then(|| fields.join(" "))
        })
        .unwrap_or_else(|| "unknown".into())
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    }
}

fn main() {
    let options = parse_args();
    let cpus = std::thread::available_parallelism().map_or(1, usize::from);
    let load_before = loadavg();
    let started = Instant::now();
    println!(
        "request loop, {} requests per thread, {} rounds, threads {:?}, {cpus} CPUs available; \
         load average before: {load_before}",
        options.requests, options.rounds, options.threads
    );
    // One shared pool per pool variant for the whole run, as a server keeps one.
    let pools: Vec<ArenaPool> = options.variants.iter().map(|_| ArenaPool::new()).collect();
    // [variant][thread count][round]: requests per second of wall time, requests per second
    // of CPU time (summed over the threads: what the threads would do with the CPUs to
    // themselves), and the share of the wall time the threads waited for a CPU.
    let grid = || {
        vec![
            vec![Vec::with_capacity(options.rounds); options.threads.len()];
            options.variants.len()
        ]
    };
    let (mut throughput, mut on_cpu, mut waited) = (grid(), grid(), grid());
    for round in 0..options.rounds {
        let mut line = format!("round {}:", round + 1);
        for (v, variant) in options.variants.iter().enumerate() {
            for (t, &threads) in options.threads.iter().enumerate() {
                let sample = measure(variant, &pools[v], threads, options.requests);
                let n = operations(variant, options.requests) as f64;
                let per_sec = threads as f64 * n / sample.wall.as_secs_f64();
                let cpu_per_sec: f64 = sample
                    .cpu_ns
                    .iter()
                    .map(|&ns| n / (ns.max(1) as f64 / 1e9))
                    .sum();
                let wait_share = sample.waited_ns.iter().sum::<u64>() as f64
                    / (threads as f64 * sample.wall.as_nanos() as f64);
                throughput[v][t].push(per_sec);
                on_cpu[v][t].push(cpu_per_sec);
                waited[v][t].push(wait_share);
                line += &format!(
                    " {variant}/{threads}t {:.0}k/s (waited {:.0} %)",
                    per_sec / 1e3,
                    wait_share * 100.0
                );
            }
        }
        println!("{line}");
    }
    let load_after = loadavg();
    println!();
    println!(
        "date: {} UTC ({} s); load average (1, 5, 15 min) before: {load_before}, after: {load_after}",
        utc_now(),
        started.elapsed().as_secs()
    );
    println!(
        "command: bench_scaling --threads {} --requests {} --rounds {}",
        options
            .threads
            .iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(","),
        options.requests,
        options.rounds
    );
    println!();
    let base = options.threads[0];
    let mut header = String::from("| variant |");
    let mut rule = String::from("|---|");
    for &threads in &options.threads {
        header += &format!(
            " {threads} thread{} (k req/s) |",
            if threads == 1 { "" } else { "s" }
        );
        rule += "---:|";
    }
    for &threads in &options.threads[1..] {
        header += &format!(" {threads} ÷ {base} threads |");
        rule += "---:|";
    }
    for &threads in &options.threads[1..] {
        header += &format!(" {threads} ÷ {base}, CPU time |");
        rule += "---:|";
    }
    header += " waited for a CPU |";
    rule += "---:|";
    println!("{header}\n{rule}");
    for (v, variant) in options.variants.iter().enumerate() {
        let mut row = format!("| {} |", label(variant));
        for per_round in &throughput[v] {
            row += &format!(" {:.0} |", median(&mut per_round.clone()) / 1e3);
        }
        for figures in [&throughput[v], &on_cpu[v]] {
            for t in 1..options.threads.len() {
                let mut ratios: Vec<f64> = figures[t]
                    .iter()
                    .zip(&figures[0])
                    .map(|(many, one)| many / one)
                    .collect();
                let mid = median(&mut ratios);
                row += &format!(
                    " {mid:.2} ({:.2}–{:.2}) |",
                    ratios[0],
                    ratios[ratios.len() - 1]
                );
            }
        }
        let mut shares: Vec<f64> = waited[v].iter().flatten().copied().collect();
        row += &format!(" {:.0} % |", median(&mut shares) * 100.0);
        println!("{row}");
    }
    println!();
    println!(
        "Ratios: median of the per-round ratios, (lowest–highest) over {} rounds. Wall-time \
         throughput is the target figure; the CPU-time column divides each thread's requests by \
         its own time on a CPU (`/proc/thread-self/schedstat`), so it leaves out the time other \
         processes took the CPUs (and time blocked on a lock): near the wall ratio on an idle \
         machine. \"Waited for a CPU\" is the median share of the wall time the threads were \
         runnable but not running; above a few percent, the machine was not idle.",
        options.rounds
    );
    for pool in &pools {
        let stats = pool.stats();
        if stats.arenas_created > 0 {
            println!(
                "shared pool: {} arenas created, {} idle at the end",
                stats.arenas_created, stats.idle_arenas
            );
        }
    }
}

fn label(variant: &str) -> &'static str {
    match variant {
        "arena_scope" => "`arena_scope!` per request (per-thread pools)",
        "pool_request" => "`ArenaPool`, a guard per request",
        "pool_worker" => "`ArenaPool`, a guard per thread, `scoped` per request",
        "system" => "`Box`/system",
        "pool_loan" => "`ArenaPool` loans alone (one `u64` each; figures in k loans/s)",
        other => unreachable!("variant {other}"),
    }
}

/// Now as `YYYY-MM-DD HH:MM` in UTC (days to a civil date, after Howard Hinnant's algorithm).
fn utc_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = ((secs / 86_400) as i64, secs % 86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year}-{month:02}-{day:02} {:02}:{:02}",
        rest / 3600,
        rest % 3600 / 60
    )
}
