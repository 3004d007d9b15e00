//! The footprint benchmark: the same JSON DOM, built from the same documents by the same
//! serde_json parser and the same hand-written seed, in `arena`, bumpalo and bump-scope; only the
//! arena differs. The peers take turns in one process, round after round (a shared machine's
//! slow spells fall on all of them alike), and the report gives, per document, each peer's
//! median time and the bytes its arena used for the DOM, with arena ÷ peer ratios.
//!
//! ```text
//! ARENA_JSON_DIR=/path/to/json cargo run --release -p arena-benches --bin bench_json_dom -- \
//!     [ROUNDS] [--document NAME] [--peer NAME]
//! ```
//!
//! The documents are read from the folder the environment variable `ARENA_JSON_DIR` names:
//! `canada.json`, `citm_catalog.json`, `github_events.json`, `twitter.json`. With the variable
//! unset the benchmark says so and does nothing; a missing file is skipped with a message.
//! `--document` and `--peer` keep one document or one peer (for a profiler such as callgrind,
//! which then sees one peer's work only). Each timed sample resets the peer's arena and parses the document
//! enough times to last about 100 ms; three rounds before the timed ones let every arena settle
//! on one chunk, so the bytes are those of a warm arena (what a server reusing its arena
//! holds), the same for every round.

#![allow(missing_docs)] // the DOM's variants and its generated owned twin are the JSON data model

use std::hint::black_box;
use std::marker::PhantomData;
use std::path::PathBuf;
use std::time::Instant;

use arena::{arena_alloc, Arena, ArenaVec};
use serde::de::{DeserializeSeed, Deserializer, Error, MapAccess, SeqAccess, Visitor};

/// A JSON value as a user writes it for an arena: borrowed text and frozen slices.
#[arena_alloc]
#[derive(Debug, Clone, Copy)]
pub enum Json<'a> {
    Null,
    Bool(bool),
    Number(f64),
    String(&'a str),
    Array(&'a [Json<'a>]),
    Object(&'a [Member<'a>]),
}

/// One member of a JSON object.
#[arena_alloc]
#[derive(Debug, Clone, Copy)]
pub struct Member<'a> {
    pub key: &'a str,
    pub value: Json<'a>,
}

/// What the seed needs from an arena: copy a string, grow a vector, freeze it into a slice.
trait DomArena<'a>: Copy {
    type Vec<T: Copy + 'a>;
    fn vec<T: Copy + 'a>(self) -> Self::Vec<T>;
    fn push<T: Copy + 'a>(vec: &mut Self::Vec<T>, value: T);
    fn freeze<T: Copy + 'a>(vec: Self::Vec<T>) -> &'a [T];
    fn copy_str(self, text: &str) -> &'a str;
}

impl<'a> DomArena<'a> for &'a Arena {
    type Vec<T: Copy + 'a> = ArenaVec<'a, T>;
    #[inline]
    fn vec<T: Copy + 'a>(self) -> ArenaVec<'a, T> {
        self.vec()
    }
    #[inline]
    fn push<T: Copy + 'a>(vec: &mut ArenaVec<'a, T>, value: T) {
        vec.push(value)
    }
    #[inline]
    fn freeze<T: Copy + 'a>(vec: ArenaVec<'a, T>) -> &'a [T] {
        vec.into_bump_slice()
    }
    #[inline]
    fn copy_str(self, text: &str) -> &'a str {
        self.alloc_str(text)
    }
}

impl<'a> DomArena<'a> for &'a bumpalo::Bump {
    type Vec<T: Copy + 'a> = bumpalo::collections::Vec<'a, T>;
    #[inline]
    fn vec<T: Copy + 'a>(self) -> Self::Vec<T> {
        bumpalo::collections::Vec::new_in(self)
    }
    #[inline]
    fn push<T: Copy + 'a>(vec: &mut Self::Vec<T>, value: T) {
        vec.push(value)
    }
    #[inline]
    fn freeze<T: Copy + 'a>(vec: Self::Vec<T>) -> &'a [T] {
        vec.into_bump_slice()
    }
    #[inline]
    fn copy_str(self, text: &str) -> &'a str {
        self.alloc_str(text)
    }
}

impl<'a> DomArena<'a> for &'a bump_scope::Bump {
    type Vec<T: Copy + 'a> = bump_scope::BumpVec<T, &'a bump_scope::Bump>;
    #[inline]
    fn vec<T: Copy + 'a>(self) -> Self::Vec<T> {
        bump_scope::BumpVec::new_in(self)
    }
    #[inline]
    fn push<T: Copy + 'a>(vec: &mut Self::Vec<T>, value: T) {
        vec.push(value)
    }
    #[inline]
    fn freeze<T: Copy + 'a>(vec: Self::Vec<T>) -> &'a [T] {
        vec.into_slice()
    }
    #[inline]
    fn copy_str(self, text: &str) -> &'a str {
        self.alloc_str(text).into_ref()
    }
}

/// The seed of a value: what every peer runs.
struct ValueSeed<'a, A>(A, PhantomData<&'a ()>);

impl<'de, 'a, A: DomArena<'a>> DeserializeSeed<'de> for ValueSeed<'a, A> {
    type Value = Json<'a>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Json<'a>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, 'a, A: DomArena<'a>> Visitor<'de> for ValueSeed<'a, A> {
    type Value = Json<'a>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E: Error>(self) -> Result<Json<'a>, E> {
        Ok(Json::Null)
    }
    fn visit_bool<E: Error>(self, value: bool) -> Result<Json<'a>, E> {
        Ok(Json::Bool(value))
    }
    fn visit_i64<E: Error>(self, value: i64) -> Result<Json<'a>, E> {
        Ok(Json::Number(value as f64))
    }
    fn visit_u64<E: Error>(self, value: u64) -> Result<Json<'a>, E> {
        Ok(Json::Number(value as f64))
    }
    fn visit_f64<E: Error>(self, value: f64) -> Result<Json<'a>, E> {
        Ok(Json::Number(value))
    }
    fn visit_str<E: Error>(self, text: &str) -> Result<Json<'a>, E> {
        Ok(Json::String(self.0.copy_str(text)))
    }
    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Json<'a>, S::Error> {
        let mut items = self.0.vec();
        while let Some(item) = seq.next_element_seed(ValueSeed(self.0, PhantomData))? {
            A::push(&mut items, item);
        }
        Ok(Json::Array(A::freeze(items)))
    }
    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Json<'a>, M::Error> {
        let mut members = self.0.vec();
        while let Some(key) = map.next_key_seed(KeySeed(self.0, PhantomData))? {
            let value = map.next_value_seed(ValueSeed(self.0, PhantomData))?;
            A::push(&mut members, Member { key, value });
        }
        Ok(Json::Object(A::freeze(members)))
    }
}

/// The seed of an object's key: a string copied into the arena.
struct KeySeed<'a, A>(A, PhantomData<&'a ()>);

impl<'de, 'a, A: DomArena<'a>> DeserializeSeed<'de> for KeySeed<'a, A> {
    type Value = &'a str;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<&'a str, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de, 'a, A: DomArena<'a>> Visitor<'de> for KeySeed<'a, A> {
    type Value = &'a str;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E: Error>(self, text: &str) -> Result<&'a str, E> {
        Ok(self.0.copy_str(text))
    }
}

/// Parses `text` into `arena`'s DOM.
fn parse<'a, A: DomArena<'a>>(arena: A, text: &str) -> Json<'a> {
    let mut json = serde_json::Deserializer::from_str(text);
    let value = ValueSeed(arena, PhantomData)
        .deserialize(&mut json)
        .expect("a valid document");
    json.end().expect("one document");
    value
}

/// A checksum of a DOM, so every peer is checked to have built the same one.
fn checksum(value: &Json<'_>) -> u64 {
    let mix = |sum: u64, x: u64| sum.rotate_left(5) ^ x.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    match *value {
        Json::Null => 1,
        Json::Bool(b) => 2 + u64::from(b),
        Json::Number(n) => n.to_bits(),
        Json::String(s) => s.bytes().fold(3, |sum, b| mix(sum, u64::from(b))),
        Json::Array(items) => items.iter().fold(4, |sum, item| mix(sum, checksum(item))),
        Json::Object(members) => members.iter().fold(5, |sum, m| {
            mix(mix(sum, checksum(&Json::String(m.key))), checksum(&m.value))
        }),
    }
}

/// One peer: parses the document `reps` times into its warm arena (reset before each parse)
/// and returns the last DOM's checksum, the arena's used bytes and its chunk count after it.
struct Peer {
    name: &'static str,
    run: Run,
}

/// Parses a document a number of times; returns the DOM's checksum, the arena's used bytes and
/// its chunk count.
type Run = Box<dyn FnMut(&str, usize) -> (u64, usize, usize)>;

fn peers() -> Vec<Peer> {
    let mut mem = Arena::new();
    let mut bump = bumpalo::Bump::new();
    let mut scoped: bump_scope::Bump = bump_scope::Bump::new();
    vec![
        Peer {
            name: "arena",
            run: Box::new(move |text, reps| {
                let mut sum = 0;
                for _ in 0..reps {
                    mem.reset();
                    sum = checksum(black_box(&parse(&mem, text)));
                }
                let stats = mem.stats();
                (sum, stats.used_bytes, stats.chunks)
            }),
        },
        Peer {
            name: "bumpalo",
            run: Box::new(move |text, reps| {
                let mut sum = 0;
                for _ in 0..reps {
                    bump.reset();
                    sum = checksum(black_box(&parse(&bump, text)));
                }
                // Every chunk's bytes but the current chunk's free part: bump-scope's and
                // arena's definition of used bytes.
                let used = bump.allocated_bytes() - bump.chunk_capacity();
                // SAFETY: only counts chunks; nothing allocates from `bump` meanwhile.
                let chunks = unsafe { bump.iter_allocated_chunks_raw() }.count();
                (sum, used, chunks)
            }),
        },
        Peer {
            name: "bump-scope",
            run: Box::new(move |text, reps| {
                let mut sum = 0;
                for _ in 0..reps {
                    scoped.reset();
                    sum = checksum(black_box(&parse(&scoped, text)));
                }
                let stats = scoped.stats();
                (sum, stats.allocated(), stats.count())
            }),
        },
    ]
}

fn median(times: &mut [f64]) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn format_time(seconds: f64) -> String {
    if seconds >= 1.0 {
        format!("{seconds:.2} s")
    } else {
        format!("{:.2} ms", seconds * 1e3)
    }
}

fn format_bytes(bytes: usize) -> String {
    format!("{:.3} MB", bytes as f64 / 1e6)
}

const PEER_NAMES: [&str; 3] = ["arena", "bumpalo", "bump-scope"];

const DOCUMENTS: [&str; 4] = [
    "canada.json",
    "citm_catalog.json",
    "github_events.json",
    "twitter.json",
];

const USAGE: &str = "\
usage: bench_json_dom [ROUNDS] [--document NAME] [--peer NAME]

Builds the same JSON DOM in arena, bumpalo and bump-scope, the peers taking turns in one
process, and prints time and used bytes per document with arena / peer ratios.

  ROUNDS           timed rounds after 3 warm-up rounds (default 11)
  --document NAME  only this document (canada.json, citm_catalog.json, github_events.json,
                   twitter.json)
  --peer NAME      only this peer (arena, bumpalo, bump-scope); ratios are then not printed

The documents are read from the folder named by the environment variable ARENA_JSON_DIR;
when it is unset the benchmark prints that it skipped and exits successfully.
";

/// The command line: rounds and the optional document and peer filters.
struct Options {
    rounds: usize,
    document: Option<String>,
    peer: Option<String>,
}

fn options() -> Options {
    let mut options = Options {
        rounds: 11,
        document: None,
        peer: None,
    };
    let mut args = std::env::args().skip(1);
    let fail = |message: String| -> ! {
        eprintln!("bench_json_dom: {message}\n\n{USAGE}");
        std::process::exit(2)
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => {
                print!("{USAGE}");
                std::process::exit(0)
            }
            "--document" | "--peer" => {
                let Some(value) = args.next() else {
                    fail(format!("{arg} needs a name after it"))
                };
                if arg == "--document" {
                    options.document = Some(value);
                } else {
                    options.peer = Some(value);
                }
            }
            rounds => match rounds.parse() {
                Ok(n) if n > 0 => options.rounds = n,
                _ => fail(format!(
                    "`{rounds}` is not a number of rounds (write a count such as 15)"
                )),
            },
        }
    }
    if let Some(document) = &options.document {
        if !DOCUMENTS.contains(&document.as_str()) {
            fail(format!("no document named `{document}`"));
        }
    }
    if let Some(peer) = &options.peer {
        if !PEER_NAMES.contains(&peer.as_str()) {
            fail(format!("no peer named `{peer}`"));
        }
    }
    options
}

fn main() {
    let options = options();
    let rounds = options.rounds;
    let Some(dir) = std::env::var_os("ARENA_JSON_DIR").map(PathBuf::from) else {
        println!(
            "bench_json_dom skipped: ARENA_JSON_DIR is not set (set it to the folder holding \
             canada.json, citm_catalog.json, github_events.json and twitter.json)"
        );
        return;
    };
    if !dir.is_dir() {
        println!(
            "bench_json_dom skipped: ARENA_JSON_DIR={} is not a folder",
            dir.display()
        );
        return;
    }
    let mut rows = Vec::new();
    for name in DOCUMENTS {
        if options.document.as_deref().is_some_and(|only| only != name) {
            continue;
        }
        let path = dir.join(name);
        let Ok(text) = std::fs::read_to_string(&path) else {
            println!("skipped {name}: cannot read {}", path.display());
            continue;
        };
        // About 100 ms of parsing per sample (serde_json builds some 200 MB/s of DOM here).
        let reps = (20_000_000 / text.len().max(1)).max(1);
        let mut peers = peers();
        if let Some(only) = &options.peer {
            peers.retain(|peer| peer.name == only.as_str());
        }
        let mut times = vec![Vec::with_capacity(rounds); peers.len()];
        let mut bytes = vec![(0, 0); peers.len()];
        let mut expected = None;
        for round in 0..3 + rounds {
            for (k, peer) in peers.iter_mut().enumerate() {
                let started = Instant::now();
                let (sum, used, chunks) = (peer.run)(&text, reps);
                let elapsed = started.elapsed().as_secs_f64() / reps as f64;
                assert_eq!(
                    *expected.get_or_insert(sum),
                    sum,
                    "{} built another DOM",
                    peer.name
                );
                if round >= 3 {
                    times[k].push(elapsed);
                    bytes[k] = (used, chunks);
                }
            }
        }
        let medians: Vec<f64> = times.iter_mut().map(|t| median(t)).collect();
        rows.push((
            name,
            reps,
            medians,
            bytes,
            peers.iter().map(|p| p.name).collect::<Vec<_>>(),
        ));
    }
    if rows.is_empty() {
        return;
    }
    println!("JSON DOM, {rounds} interleaved rounds after 3 warm-up rounds, medians per parse; bytes used by the warm arena for one DOM (chunks in brackets when more than one)");
    println!();
    let show = |(used, chunks): (usize, usize)| {
        if chunks > 1 {
            format!("{} ({chunks})", format_bytes(used))
        } else {
            format_bytes(used)
        }
    };
    if options.peer.is_some() {
        println!("| document | peer | time | bytes |");
        println!("|---|---|---:|---:|");
        for (name, _reps, medians, bytes, names) in &rows {
            println!(
                "| {name} | {} | {} | {} |",
                names[0],
                format_time(medians[0]),
                show(bytes[0])
            );
        }
        return;
    }
    println!("| document | arena | bumpalo | bump-scope | arena ÷ bumpalo | arena ÷ bump-scope | arena bytes | bumpalo bytes | bump-scope bytes | bytes ÷ bumpalo | bytes ÷ bump-scope |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (name, _reps, medians, bytes, _names) in &rows {
        println!(
            "| {name} | {} | {} | {} | {:.2} | {:.2} | {} | {} | {} | {:.2} | {:.2} |",
            format_time(medians[0]),
            format_time(medians[1]),
            format_time(medians[2]),
            medians[0] / medians[1],
            medians[0] / medians[2],
            show(bytes[0]),
            show(bytes[1]),
            show(bytes[2]),
            bytes[0].0 as f64 / bytes[1].0 as f64,
            bytes[0].0 as f64 / bytes[2].0 as f64,
        );
    }
}
