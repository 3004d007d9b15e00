//! A real use: summarise a log file. Each line is parsed, in its own scope, into arena values
//! (`&str` slices, a slice of key=value fields); the owned summary keeps counts, and copies of the
//! lines worth keeping (the slowest request, the errors) made with the generated `clone_out`.
//! Nothing borrowed from a line's arena outlives its scope; the compiler checks that.
//!
//! ```sh
//! cargo run --release --example log_summary -- examples/data/sample.log
//! cargo run --release --example log_summary            # generates a 200000-line sample
//! cargo run --release --example log_summary -- --sample 1000
//! ```
//!
//! The format, one event per line:
//!
//! ```text
//! 2026-05-01T09:00:00.012Z INFO http: GET /users/42 status=200 ms=12 user=alice
//! <timestamp>              <level> <component>: <words and key=value fields>
//! ```

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::time::Instant;

use arena::{arena_alloc, arena_scope, Arena, CloneOut};

/// One `key=value` field of a line (a quoted value keeps its spaces, without the quotes).
#[arena_alloc]
#[derive(Debug, Clone, Copy)]
struct Field<'a> {
    key: &'a str,
    value: &'a str,
}

/// A parsed line: everything borrows the line's scope arena.
#[arena_alloc]
#[derive(Debug)]
struct Event<'a> {
    at: &'a str,
    level: &'a str,
    component: &'a str,
    /// The words that are not fields, joined by single spaces.
    message: &'a str,
    fields: &'a [Field<'a>],
}

impl Event<'_> {
    fn field(&self, key: &str) -> Option<&str> {
        self.fields.iter().find(|f| f.key == key).map(|f| f.value)
    }
}

impl EventOwned {
    fn field(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .map(|f| f.value.as_str())
    }
}

impl std::fmt::Display for EventOwned {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {} {}: {}",
            self.at, self.level, self.component, self.message
        )?;
        for field in &self.fields {
            write!(f, " {}={}", field.key, field.value)?;
        }
        Ok(())
    }
}

/// Splits a line into `Event` values in `mem`, or `None` if it is not in the log format.
fn parse<'a>(mem: &'a Arena, line: &str) -> Option<Event<'a>> {
    let (at, rest) = line.split_once(' ')?;
    let (level, rest) = rest.split_once(' ')?;
    let (component, rest) = rest.split_once(": ")?;
    let well_formed = at.len() >= 20
        && at.as_bytes()[..4].iter().all(u8::is_ascii_digit)
        && ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"].contains(&level)
        && !component.contains(' ');
    if !well_formed {
        return None;
    }
    let mut message = mem.string();
    let mut fields = mem.vec();
    let mut rest = rest.trim();
    while !rest.is_empty() {
        // A token runs to the next space, except inside a quoted value.
        let end = match rest.find('=') {
            Some(eq) if rest[eq + 1..].starts_with('"') && !rest[..eq].contains(' ') => rest
                [eq + 2..]
                .find('"')
                .map_or(rest.len(), |close| eq + 2 + close + 1),
            _ => rest.find(' ').unwrap_or(rest.len()),
        };
        let token = &rest[..end];
        match token.split_once('=') {
            Some((key, value)) if !key.is_empty() => fields.push(Field {
                key: mem.alloc_str(key),
                value: mem.alloc_str(value.trim_matches('"')),
            }),
            _ => {
                if !message.is_empty() {
                    message.push(' ');
                }
                message.push_str(token);
            }
        }
        rest = rest[end..].trim_start();
    }
    Some(Event {
        at: mem.alloc_str(at),
        level: mem.alloc_str(level),
        component: mem.alloc_str(component),
        message: message.into_bump_str(),
        fields: fields.into_bump_slice(),
    })
}

/// What the whole file adds up to; owns everything, borrows nothing.
#[derive(Default)]
struct Summary {
    lines: usize,
    malformed: usize,
    levels: BTreeMap<String, usize>,
    components: BTreeMap<String, usize>,
    timed: usize,
    total_ms: u64,
    slowest: Option<(u64, EventOwned)>,
    errors: Vec<EventOwned>,
}

impl Summary {
    fn add_line(&mut self, line: &str) {
        self.lines += 1;
        // Everything parsed from the line lives in this scope's arena and is freed at its end.
        arena_scope!(|mem| {
            let Some(event) = parse(mem, line) else {
                self.malformed += 1;
                return;
            };
            count(&mut self.levels, event.level);
            count(&mut self.components, event.component);
            if let Some(ms) = event.field("ms").and_then(|ms| ms.parse::<u64>().ok()) {
                self.timed += 1;
                self.total_ms += ms;
                if self.slowest.as_ref().is_none_or(|(max, _)| ms > *max) {
                    self.slowest = Some((ms, event.clone_out()));
                }
            }
            if event.level == "ERROR" && self.errors.len() < 3 {
                self.errors.push(event.clone_out());
            }
        });
    }
}

fn count(counts: &mut BTreeMap<String, usize>, key: &str) {
    match counts.get_mut(key) {
        Some(n) => *n += 1,
        None => {
            counts.insert(key.to_owned(), 1);
        }
    }
}

/// A deterministic sample in the format above, for a run without a file.
fn sample(lines: usize) -> String {
    let mut text = String::new();
    let components = ["http", "db", "auth", "cache"];
    for i in 0..lines {
        let level = match i % 50 {
            0 => "ERROR",
            1..=4 => "WARN",
            5..=14 => "DEBUG",
            _ => "INFO",
        };
        let component = components[i % components.len()];
        let ms = (i * 7919) % 1000;
        text.push_str(&format!(
            "2026-05-01T09:{:02}:{:02}.{:03}Z {level} {component}: GET /items/{} status={} ms={ms} user=u{}\n",
            (i / 60_000) % 60,
            (i / 1000) % 60,
            i % 1000,
            i % 977,
            if level == "ERROR" { 500 } else { 200 },
            i % 31
        ));
    }
    text
}

fn summarise(name: &str, input: impl Read) -> std::io::Result<()> {
    let started = Instant::now();
    let mut summary = Summary::default();
    let mut reader = BufReader::new(input);
    let mut line = String::new();
    while reader.read_line(&mut line)? != 0 {
        let text = line.trim_end_matches(['\n', '\r']);
        if !text.is_empty() {
            summary.add_line(text);
        }
        line.clear();
    }
    let elapsed = started.elapsed();

    let list = |counts: &BTreeMap<String, usize>| {
        let mut pairs: Vec<_> = counts.iter().collect();
        pairs.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        pairs
            .iter()
            .map(|(name, n)| format!("{name} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!(
        "{name}: {} lines ({} malformed) in {:.1} ms",
        summary.lines,
        summary.malformed,
        elapsed.as_secs_f64() * 1e3
    );
    println!("levels:      {}", list(&summary.levels));
    println!("components:  {}", list(&summary.components));
    if summary.timed > 0 {
        println!(
            "timed:       {} events, {} ms in all, {:.1} ms on average",
            summary.timed,
            summary.total_ms,
            summary.total_ms as f64 / summary.timed as f64
        );
    }
    if let Some((ms, event)) = &summary.slowest {
        println!("slowest:     {ms} ms  {event}");
    }
    for event in &summary.errors {
        let why = event.field("error").unwrap_or(&event.message);
        println!("error:       {} {}: {why}", event.at, event.component);
    }
    Ok(())
}

fn main() -> std::io::Result<()> {
    let args: Vec<_> = std::env::args_os().skip(1).collect();
    match args.first() {
        Some(flag) if flag == "--sample" => {
            let lines = args
                .get(1)
                .and_then(|n| n.to_str()?.parse().ok())
                .expect("usage: log_summary [FILE | --sample LINES]");
            summarise("generated sample", sample(lines).as_bytes())
        }
        Some(path) => {
            let file = std::fs::File::open(path).map_err(|err| {
                std::io::Error::new(err.kind(), format!("{}: {err}", path.to_string_lossy()))
            })?;
            summarise(&path.to_string_lossy(), file)
        }
        None => summarise("generated sample", sample(200_000).as_bytes()),
    }
}
