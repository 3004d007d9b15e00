//! Parse + walk + free of real JSON documents (`twitter.json`, `citm_catalog.json`), every peer
//! through the same serde_json deserializer so only the memory side differs, the peers taking
//! turns in one process:
//!
//! - typed: `#[arena_alloc(deserialize)]` structs in `arena_scope!`, against the same structs
//!   with `String` / `Vec` / `HashMap` (the generated owned twins, `#[derive(Deserialize)]` by
//!   serde_derive) on the system allocator and on mimalloc;
//! - dynamic: `arena::de::Value` in `arena_scope!`, against `serde_json::Value` (system) and a
//!   hand-written bumpalo `DeserializeSeed` DOM of the same shape in a `Bump` reset per document.
//!
//! Prints, per document and peer, the median time per document over the rounds, the ratio
//! arena ÷ peer, and the global allocations per document in steady state (counted in a separate
//! run, so the timed runs pay nothing for the counting).
//!
//! The documents are read from the folder named by `ARENA_JSON_DIR` (the standard JSON
//! benchmark files, not part of the repository); when it is unset or a document is missing, the
//! bench says so and skips that document.
//!
//! ```sh
//! ARENA_JSON_DIR=/path/to/json cargo bench -p arena-benches --bench deserialize   # 15 rounds
//! ARENA_JSON_DIR=/path/to/json ARENA_BENCH_ROUNDS=21 cargo bench -p arena-benches --bench deserialize
//! ```
//!
//! `ARENA_BENCH_ONLY=PEER` runs one peer (`arena (scope)`, `heap/system`, .., or `IgnoredAny`,
//! the parser alone) for `ARENA_BENCH_ROUNDS` documents of each file, untimed, for an
//! instruction profile:
//!
//! ```sh
//! ARENA_JSON_DIR=/path/to/json ARENA_BENCH_ONLY="heap/system" ARENA_BENCH_ROUNDS=4 \
//!     valgrind --tool=callgrind target/release/deps/deserialize-HASH
//! ```
#![allow(missing_docs)] // test types, named for what they exercise; the tests are their documentation
#![allow(non_snake_case)] // the typed structs use the documents' own (camelCase) field names

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

use arena::de::Value;
use arena::{arena_alloc, arena_scope, ArenaHashMap, DeserializeIn};

// ---------------------------------------------------------------------------------------------
// The global allocator: the system's, or mimalloc while the mimalloc peer runs; counting calls.

static USE_MIMALLOC: AtomicBool = AtomicBool::new(false);
static CALLS: AtomicU64 = AtomicU64::new(0);
/// On only for the run that counts: a locked add per allocation would slow the heap peers (and
/// only them) in the timed runs.
static COUNTING: AtomicBool = AtomicBool::new(false);

#[inline(always)]
fn count_call() {
    if COUNTING.load(Ordering::Relaxed) {
        CALLS.fetch_add(1, Ordering::Relaxed);
    }
}

struct Switch;

// SAFETY: every call goes to the system allocator or to mimalloc, chosen by `USE_MIMALLOC`.
// The flag is only flipped around a run of the mimalloc peer, and everything that peer
// allocates is freed before the flag flips back (each document is parsed, walked and dropped
// inside the run; the timings are written to a buffer reserved before), so memory is always
// freed or resized by the allocator that gave it.
unsafe impl GlobalAlloc for Switch {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_call();
        // SAFETY: the caller's contract, passed on to the allocator chosen as above.
        unsafe {
            if USE_MIMALLOC.load(Ordering::Relaxed) {
                mimalloc::MiMalloc.alloc(layout)
            } else {
                System.alloc(layout)
            }
        }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_call();
        // SAFETY: as in `alloc`; `ptr` came from the same allocator (see the impl's comment).
        unsafe {
            if USE_MIMALLOC.load(Ordering::Relaxed) {
                mimalloc::MiMalloc.realloc(ptr, layout, new_size)
            } else {
                System.realloc(ptr, layout, new_size)
            }
        }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as in `realloc`.
        unsafe {
            if USE_MIMALLOC.load(Ordering::Relaxed) {
                mimalloc::MiMalloc.dealloc(ptr, layout)
            } else {
                System.dealloc(ptr, layout)
            }
        }
    }
}

#[global_allocator]
static GLOBAL: Switch = Switch;

// ---------------------------------------------------------------------------------------------
// twitter.json: arena structs; the owned twins (String, Vec) are the heap peer.

#[arena_alloc(deserialize, derive(serde::Deserialize))]
pub struct Twitter<'a> {
    pub statuses: &'a [Status<'a>],
    pub search_metadata: SearchMetadata<'a>,
}

#[arena_alloc(deserialize, derive(serde::Deserialize))]
pub struct Status<'a> {
    pub metadata: Metadata<'a>,
    pub created_at: &'a str,
    pub id: u64,
    pub id_str: &'a str,
    pub text: &'a str,
    pub source: &'a str,
    pub truncated: bool,
    pub in_reply_to_status_id: Option<u64>,
    pub in_reply_to_status_id_str: Option<&'a str>,
    pub in_reply_to_user_id: Option<u64>,
    pub in_reply_to_user_id_str: Option<&'a str>,
    pub in_reply_to_screen_name: Option<&'a str>,
    pub user: User<'a>,
    pub retweeted_status: Option<&'a Status<'a>>,
    pub retweet_count: u32,
    pub favorite_count: u32,
    pub entities: Entities<'a>,
    pub favorited: bool,
    pub retweeted: bool,
    pub possibly_sensitive: Option<bool>,
    pub lang: &'a str,
}

#[arena_alloc(deserialize, derive(serde::Deserialize))]
pub struct Metadata<'a> {
    pub result_type: &'a str,
    pub iso_language_code: &'a str,
}

#[arena_alloc(deserialize, derive(serde::Deserialize))]
pub struct User<'a> {
    pub id: u64,
    pub id_str: &'a str,
    pub name: &'a str,
    pub screen_name: &'a str,
    pub location: &'a str,
    pub description: &'a str,
    pub url: Option<&'a str>,
    pub entities: UserEntities<'a>,
    pub protected: bool,
    pub followers_count: u32,
    pub friends_count: u32,
    pub listed_count: u32,
    pub created_at: &'a str,
    pub favourites_count: u32,
    pub utc_offset: Option<i32>,
    pub time_zone: Option<&'a str>,
    pub geo_enabled: bool,
    pub verified: bool,
    pub statuses_count: u32,
    pub lang: &'a str,
    pub profile_background_color: &'a str,
    pub profile_background_image_url: &'a str,
    pub profile_background_image_url_https: &'a str,
    pub profile_image_url: &'a str,
    pub profile_image_url_https: &'a str,
    pub profile_banner_url: Option<&'a str>,
    pub profile_link_color: &'a str,
    pub profile_sidebar_border_color: &'a str,
    pub profile_sidebar_fill_color: &'a str,
    pub profile_text_color: &'a str,
    pub profile_use_background_image: bool,
    pub default_profile: bool,
    pub default_profile_image: bool,
    pub following: bool,
}

#[arena_alloc(deserialize, derive(serde::Deserialize))]
pub struct UserEntities<'a> {
    pub url: Option<UrlList<'a>>,
    pub description: UrlList<'a>,
}

#[arena_alloc(deserialize, derive(serde::Deserialize))]
pub struct UrlList<'a> {
    pub urls: &'a [Url<'a>],
}

#[arena_alloc(deserialize, derive(serde::Deserialize))]
pub struct Url<'a> {
    pub url: &'a str,
    pub expanded_url: &'a str,
    pub display_url: &'a str,
    pub indices: [u32; 2],
}

#[arena_alloc(deserialize, derive(serde::Deserialize))]
pub struct Entities<'a> {
    pub hashtags: &'a [Hashtag<'a>],
    pub urls: &'a [Url<'a>],
    pub user_mentions: &'a [Mention<'a>],
    pub media: Option<&'a [Media<'a>]>,
}

#[arena_alloc(deserialize, derive(serde::Deserialize))]
pub struct Hashtag<'a> {
    pub text: &'a str,
    pub indices: [u32; 2],
}

#[arena_alloc(deserialize, derive(serde::Deserialize))]
pub struct Mention<'a> {
    pub screen_name: &'a str,
    pub name: &'a str,
    pub id: u64,
    pub id_str: &'a str,
    pub indices: [u32; 2],
}

#[arena_alloc(deserialize, derive(serde::Deserialize))]
pub struct Media<'a> {
    pub id: u64,
    pub id_str: &'a str,
    pub indices: [u32; 2],
    pub media_url: &'a str,
    pub media_url_https: &'a str,
    pub url: &'a str,
    pub display_url: &'a str,
    pub expanded_url: &'a str,
    pub r#type: &'a str,
}

#[arena_alloc(deserialize, derive(serde::Deserialize))]
pub struct SearchMetadata<'a> {
    pub completed_in: f64,
    pub max_id: u64,
    pub max_id_str: &'a str,
    pub next_results: &'a str,
    pub query: &'a str,
    pub refresh_url: &'a str,
    pub count: u32,
    pub since_id: u64,
    pub since_id_str: &'a str,
}

fn walk_status(s: &Status<'_>) -> usize {
    let e = &s.entities;
    s.text.len()
        + s.user.screen_name.len()
        + s.user.description.len()
        + s.user.entities.description.urls.len()
        + e.hashtags.iter().map(|h| h.text.len()).sum::<usize>()
        + e.urls.iter().map(|u| u.expanded_url.len()).sum::<usize>()
        + e.user_mentions.iter().map(|m| m.name.len()).sum::<usize>()
        + e.media
            .map_or(0, |m| m.iter().map(|m| m.media_url.len()).sum())
        + s.retweeted_status.map_or(0, walk_status)
}

fn walk_status_owned(s: &StatusOwned) -> usize {
    let e = &s.entities;
    s.text.len()
        + s.user.screen_name.len()
        + s.user.description.len()
        + s.user.entities.description.urls.len()
        + e.hashtags.iter().map(|h| h.text.len()).sum::<usize>()
        + e.urls.iter().map(|u| u.expanded_url.len()).sum::<usize>()
        + e.user_mentions.iter().map(|m| m.name.len()).sum::<usize>()
        + e.media
            .as_ref()
            .map_or(0, |m| m.iter().map(|m| m.media_url.len()).sum())
        + s.retweeted_status.as_deref().map_or(0, walk_status_owned)
}

// ---------------------------------------------------------------------------------------------
// citm_catalog.json.

#[arena_alloc(deserialize, derive(serde::Deserialize))]
pub struct Citm<'a> {
    pub areaNames: ArenaHashMap<'a, &'a str, &'a str>,
    pub audienceSubCategoryNames: ArenaHashMap<'a, &'a str, &'a str>,
    pub blockNames: ArenaHashMap<'a, &'a str, &'a str>,
    pub events: ArenaHashMap<'a, &'a str, Event<'a>>,
    pub performances: &'a [Performance<'a>],
    pub seatCategoryNames: ArenaHashMap<'a, &'a str, &'a str>,
    pub subTopicNames: ArenaHashMap<'a, &'a str, &'a str>,
    pub subjectNames: ArenaHashMap<'a, &'a str, &'a str>,
    pub topicNames: ArenaHashMap<'a, &'a str, &'a str>,
    pub topicSubTopics: ArenaHashMap<'a, &'a str, &'a [u64]>,
    pub venueNames: ArenaHashMap<'a, &'a str, &'a str>,
}

#[arena_alloc(deserialize, derive(serde::Deserialize))]
pub struct Event<'a> {
    pub description: Option<&'a str>,
    pub id: u64,
    pub logo: Option<&'a str>,
    pub name: &'a str,
    pub subTopicIds: &'a [u64],
    pub subjectCode: Option<&'a str>,
    pub subtitle: Option<&'a str>,
    pub topicIds: &'a [u64],
}

#[arena_alloc(deserialize, derive(serde::Deserialize))]
pub struct Performance<'a> {
    pub eventId: u64,
    pub id: u64,
    pub logo: Option<&'a str>,
    pub name: Option<&'a str>,
    pub prices: &'a [Price],
    pub seatCategories: &'a [SeatCategory<'a>],
    pub seatMapImage: Option<&'a str>,
    pub start: u64,
    pub venueCode: &'a str,
}

#[derive(Clone, Copy, serde::Deserialize)]
pub struct Price {
    pub amount: u64,
    pub audienceSubCategoryId: u64,
    pub seatCategoryId: u64,
}

impl<'a> DeserializeIn<'a> for Price {
    fn deserialize_in_with<'de, D, M>(deserializer: D, _mode: M) -> Result<Self, D::Error>
    where
        D: serde::Deserializer<'de>,
        M: arena::de::Mode<'de, 'a>,
    {
        arena::de::deserialize_plain(deserializer)
    }
}

impl arena::CloneOut for Price {
    type Owned = Price;
    fn clone_out(&self) -> Price {
        *self
    }
}

impl<'n> arena::CloneIn<'n> for Price {
    type Cloned = Price;
    fn clone_in(&self, _arena: &'n arena::Arena) -> Price {
        *self
    }
}

#[arena_alloc(deserialize, derive(serde::Deserialize))]
pub struct SeatCategory<'a> {
    pub areas: &'a [Area<'a>],
    pub seatCategoryId: u64,
}

#[arena_alloc(deserialize, derive(serde::Deserialize))]
pub struct Area<'a> {
    pub areaId: u64,
    pub blockIds: &'a [u64],
}

fn walk_citm(c: &Citm<'_>) -> usize {
    c.areaNames.values().map(|n| n.len()).sum::<usize>()
        + c.events
            .values()
            .map(|e| e.name.len() + e.topicIds.len())
            .sum::<usize>()
        + c.performances
            .iter()
            .map(|p| {
                p.prices.len()
                    + p.venueCode.len()
                    + p.seatCategories
                        .iter()
                        .map(|s| s.areas.iter().map(|a| 1 + a.blockIds.len()).sum::<usize>())
                        .sum::<usize>()
            })
            .sum::<usize>()
        + c.topicSubTopics.values().map(|t| t.len()).sum::<usize>()
}

fn walk_citm_owned(c: &CitmOwned) -> usize {
    c.areaNames.values().map(|n| n.len()).sum::<usize>()
        + c.events
            .values()
            .map(|e| e.name.len() + e.topicIds.len())
            .sum::<usize>()
        + c.performances
            .iter()
            .map(|p| {
                p.prices.len()
                    + p.venueCode.len()
                    + p.seatCategories
                        .iter()
                        .map(|s| s.areas.iter().map(|a| 1 + a.blockIds.len()).sum::<usize>())
                        .sum::<usize>()
            })
            .sum::<usize>()
        + c.topicSubTopics.values().map(|t| t.len()).sum::<usize>()
}

// ---------------------------------------------------------------------------------------------
// A bumpalo DOM of the same shape as `de::Value`, through a hand-written seed.

mod bump_dom {
    use bumpalo::collections::Vec as BumpVec;
    use bumpalo::Bump;
    use serde::de::{DeserializeSeed, Deserializer, Error, MapAccess, SeqAccess, Visitor};
    use std::fmt;

    #[derive(Clone, Copy)]
    pub enum Number {
        U64(u64),
        I64(i64),
        F64(f64),
    }

    #[derive(Clone, Copy)]
    pub enum Value<'b> {
        Null,
        Bool(bool),
        Number(Number),
        String(&'b str),
        Array(&'b [Value<'b>]),
        Object(&'b [(&'b str, Value<'b>)]),
    }

    #[derive(Clone, Copy)]
    pub struct Seed<'b>(pub &'b Bump);

    struct Key<'b>(&'b Bump);

    impl<'de, 'b> DeserializeSeed<'de> for Key<'b> {
        type Value = &'b str;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<&'b str, D::Error> {
            d.deserialize_str(self)
        }
    }

    impl<'de, 'b> Visitor<'de> for Key<'b> {
        type Value = &'b str;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a key")
        }
        fn visit_str<E: Error>(self, v: &str) -> Result<&'b str, E> {
            Ok(self.0.alloc_str(v))
        }
    }

    impl<'de, 'b> DeserializeSeed<'de> for Seed<'b> {
        type Value = Value<'b>;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value<'b>, D::Error> {
            d.deserialize_any(self)
        }
    }

    impl<'de, 'b> Visitor<'de> for Seed<'b> {
        type Value = Value<'b>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("any value")
        }
        fn visit_unit<E: Error>(self) -> Result<Value<'b>, E> {
            Ok(Value::Null)
        }
        fn visit_bool<E: Error>(self, v: bool) -> Result<Value<'b>, E> {
            Ok(Value::Bool(v))
        }
        fn visit_i64<E: Error>(self, v: i64) -> Result<Value<'b>, E> {
            Ok(Value::Number(if v < 0 {
                Number::I64(v)
            } else {
                Number::U64(v as u64)
            }))
        }
        fn visit_u64<E: Error>(self, v: u64) -> Result<Value<'b>, E> {
            Ok(Value::Number(Number::U64(v)))
        }
        fn visit_f64<E: Error>(self, v: f64) -> Result<Value<'b>, E> {
            Ok(Value::Number(Number::F64(v)))
        }
        fn visit_str<E: Error>(self, v: &str) -> Result<Value<'b>, E> {
            Ok(Value::String(self.0.alloc_str(v)))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value<'b>, A::Error> {
            let mut items = BumpVec::new_in(self.0);
            while let Some(item) = seq.next_element_seed(self)? {
                items.push(item);
            }
            Ok(Value::Array(items.into_bump_slice()))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value<'b>, A::Error> {
            let mut members = BumpVec::new_in(self.0);
            while let Some(key) = map.next_key_seed(Key(self.0))? {
                members.push((key, map.next_value_seed(self)?));
            }
            Ok(Value::Object(members.into_bump_slice()))
        }
    }

    pub fn walk(v: &Value<'_>) -> usize {
        match v {
            Value::Null => 1,
            Value::Bool(b) => 1 + usize::from(*b),
            Value::Number(n) => match *n {
                Number::U64(n) => 1 + (n & 1) as usize,
                Number::I64(n) => 1 + (n & 1) as usize,
                Number::F64(n) => 1 + usize::from(n > 0.0),
            },
            Value::String(s) => s.len(),
            Value::Array(items) => 1 + items.iter().map(walk).sum::<usize>(),
            Value::Object(members) => {
                1 + members
                    .iter()
                    .map(|(k, v)| k.len() + walk(v))
                    .sum::<usize>()
            }
        }
    }
}

fn walk_value(v: &Value<'_>) -> usize {
    match v {
        Value::Null => 1,
        Value::Bool(b) => 1 + usize::from(*b),
        Value::Number(n) => match *n {
            arena::de::Number::U64(n) => 1 + (n & 1) as usize,
            arena::de::Number::I64(n) => 1 + (n & 1) as usize,
            arena::de::Number::F64(n) => 1 + usize::from(n > 0.0),
        },
        Value::String(s) => s.len(),
        Value::Array(items) => 1 + items.iter().map(walk_value).sum::<usize>(),
        Value::Object(members) => {
            1 + members
                .iter()
                .map(|(k, v)| k.len() + walk_value(v))
                .sum::<usize>()
        }
    }
}

fn walk_json(v: &serde_json::Value) -> usize {
    match v {
        serde_json::Value::Null => 1,
        serde_json::Value::Bool(b) => 1 + usize::from(*b),
        serde_json::Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(n), _, _) => 1 + (n & 1) as usize,
            (None, Some(n), _) => 1 + (n & 1) as usize,
            (None, None, n) => 1 + usize::from(n.unwrap_or(0.0) > 0.0),
        },
        serde_json::Value::String(s) => s.len(),
        serde_json::Value::Array(items) => 1 + items.iter().map(walk_json).sum::<usize>(),
        serde_json::Value::Object(members) => {
            1 + members
                .iter()
                .map(|(k, v)| k.len() + walk_json(v))
                .sum::<usize>()
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The peers and the rounds.

type Peer<'d> = (&'static str, Box<dyn FnMut(&[u8]) -> usize + 'd>);

fn json(bytes: &[u8]) -> serde_json::Deserializer<serde_json::de::SliceRead<'_>> {
    serde_json::Deserializer::from_slice(bytes)
}

fn typed_peers(name: &str) -> Vec<Peer<'static>> {
    if name == "twitter" {
        vec![
            (
                "arena (scope)",
                Box::new(|d: &[u8]| {
                    arena_scope!(|mem| {
                        let t = Twitter::deserialize_in(&mut json(d), mem).unwrap();
                        t.statuses.iter().map(walk_status).sum::<usize>()
                            + t.search_metadata.query.len()
                    })
                }),
            ),
            (
                "heap/system",
                Box::new(|d: &[u8]| {
                    let t: TwitterOwned = serde::Deserialize::deserialize(&mut json(d)).unwrap();
                    t.statuses.iter().map(walk_status_owned).sum::<usize>()
                        + t.search_metadata.query.len()
                }),
            ),
            (
                "heap/mimalloc",
                Box::new(|d: &[u8]| {
                    let t: TwitterOwned = serde::Deserialize::deserialize(&mut json(d)).unwrap();
                    t.statuses.iter().map(walk_status_owned).sum::<usize>()
                        + t.search_metadata.query.len()
                }),
            ),
        ]
    } else {
        vec![
            (
                "arena (scope)",
                Box::new(|d: &[u8]| {
                    arena_scope!(|mem| walk_citm(&Citm::deserialize_in(&mut json(d), mem).unwrap()))
                }),
            ),
            (
                "heap/system",
                Box::new(|d: &[u8]| {
                    let c: CitmOwned = serde::Deserialize::deserialize(&mut json(d)).unwrap();
                    walk_citm_owned(&c)
                }),
            ),
            (
                "heap/mimalloc",
                Box::new(|d: &[u8]| {
                    let c: CitmOwned = serde::Deserialize::deserialize(&mut json(d)).unwrap();
                    walk_citm_owned(&c)
                }),
            ),
        ]
    }
}

fn dynamic_peers() -> Vec<Peer<'static>> {
    let mut bump = bumpalo::Bump::new();
    vec![
        (
            "arena Value (scope)",
            Box::new(|d: &[u8]| {
                arena_scope!(|mem| walk_value(&Value::deserialize_in(&mut json(d), mem).unwrap()))
            }),
        ),
        (
            "serde_json::Value",
            Box::new(|d: &[u8]| walk_json(&serde::Deserialize::deserialize(&mut json(d)).unwrap())),
        ),
        (
            "bumpalo DOM",
            Box::new(move |d: &[u8]| {
                use serde::de::DeserializeSeed;
                bump.reset();
                let v = bump_dom::Seed(&bump).deserialize(&mut json(d)).unwrap();
                bump_dom::walk(&v)
            }),
        ),
    ]
}

fn median(samples: &mut [f64]) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

/// Runs the peers in turn, `rounds` times, each `per_run` documents a turn; prints medians,
/// ratios against the first peer, and allocations per document.
fn compare(title: &str, bytes: &[u8], mut peers: Vec<Peer<'_>>, rounds: usize, per_run: usize) {
    let mut samples: Vec<Vec<f64>> = vec![Vec::with_capacity(rounds); peers.len()];
    let mut allocations = vec![0u64; peers.len()];
    let mut checksums = vec![0usize; peers.len()];
    for (index, (name, run)) in peers.iter_mut().enumerate() {
        let mimalloc = name.ends_with("mimalloc");
        USE_MIMALLOC.store(mimalloc, Ordering::Relaxed);
        checksums[index] = run(bytes); // warm-up
        run(bytes);
        let before = CALLS.load(Ordering::Relaxed);
        COUNTING.store(true, Ordering::Relaxed);
        black_box(run(black_box(bytes)));
        COUNTING.store(false, Ordering::Relaxed);
        allocations[index] = CALLS.load(Ordering::Relaxed) - before;
        USE_MIMALLOC.store(false, Ordering::Relaxed);
    }
    assert!(
        checksums.windows(2).all(|w| w[0] == w[1]),
        "{title}: checksums {checksums:?}"
    );
    for _ in 0..rounds {
        for (index, (name, run)) in peers.iter_mut().enumerate() {
            USE_MIMALLOC.store(name.ends_with("mimalloc"), Ordering::Relaxed);
            let started = Instant::now();
            for _ in 0..per_run {
                black_box(run(black_box(bytes)));
            }
            let per_doc = started.elapsed().as_secs_f64() / per_run as f64;
            USE_MIMALLOC.store(false, Ordering::Relaxed);
            samples[index].push(per_doc);
        }
    }
    let medians: Vec<f64> = samples.iter_mut().map(|s| median(s)).collect();
    println!("\n{title} ({rounds} rounds of {per_run} documents, median per document)");
    println!("| peer | time | arena ÷ peer | global allocations per document |");
    println!("|---|---:|---:|---:|");
    for (index, (name, _)) in peers.iter().enumerate() {
        println!(
            "| {name} | {:.3} ms | {:.2} | {} |",
            medians[index] * 1e3,
            medians[0] / medians[index],
            allocations[index]
        );
    }
}

/// `ARENA_BENCH_ONLY=PEER`: runs only that peer (a name of the tables, or `IgnoredAny`: serde_json
/// parsing the document into nothing, the parser's floor), `rounds` documents, untimed: for an
/// instruction profile of one peer (`valgrind --tool=callgrind`).
fn run_only(name: &str, bytes: &[u8], only: &str, rounds: usize) {
    let mut peers = typed_peers(name);
    peers.extend(dynamic_peers());
    peers.push((
        "IgnoredAny",
        Box::new(|d: &[u8]| {
            let _: serde::de::IgnoredAny = serde::Deserialize::deserialize(&mut json(d)).unwrap();
            0
        }),
    ));
    let names: Vec<&str> = peers.iter().map(|(peer, _)| *peer).collect();
    let Some((peer, run)) = peers.iter_mut().find(|(peer, _)| *peer == only) else {
        panic!("ARENA_BENCH_ONLY={only:?} is no peer; the peers are {names:?}");
    };
    USE_MIMALLOC.store(peer.ends_with("mimalloc"), Ordering::Relaxed);
    let checksum: usize = (0..rounds).map(|_| black_box(run(black_box(bytes)))).sum();
    USE_MIMALLOC.store(false, Ordering::Relaxed);
    println!("{name}.json, {peer}: {rounds} documents, checksum {checksum}");
}

fn main() {
    // `cargo bench` passes `--bench`; accept and ignore libtest-style arguments.
    let rounds: usize = std::env::var("ARENA_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(15);
    let only = std::env::var("ARENA_BENCH_ONLY").ok();
    let Some(folder) = std::env::var_os("ARENA_JSON_DIR").map(PathBuf::from) else {
        println!(
            "skipping: ARENA_JSON_DIR is not set; set it to the folder that holds twitter.json \
             and citm_catalog.json"
        );
        return;
    };
    for (name, per_run) in [("twitter", 20), ("citm_catalog", 5)] {
        let path = folder.join(format!("{name}.json"));
        let Ok(bytes) = std::fs::read(&path) else {
            println!(
                "skipping {name}: {} not found (ARENA_JSON_DIR names the folder of the JSON \
                 documents)",
                path.display()
            );
            continue;
        };
        let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
        if let Some(only) = &only {
            run_only(name, bytes, only, rounds);
            continue;
        }
        compare(
            &format!("{name}.json, typed"),
            bytes,
            typed_peers(name),
            rounds,
            per_run,
        );
        compare(
            &format!("{name}.json, dynamic"),
            bytes,
            dynamic_peers(),
            rounds,
            per_run,
        );
    }
}
