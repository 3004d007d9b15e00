//! Reads JSON lines, one request per line, each deserialized straight into a pooled arena with
//! `arena_scope!` and summed up; the arena is freed (and its memory reused) after every line.
//!
//! ```sh
//! cargo run --release --features serde --example json_requests -- requests.jsonl
//! cargo run --release --features serde --example json_requests          # 10,000 generated lines
//! cargo run --release --features serde --example json_requests -- 50000 # as many generated
//! ```
//!
//! A malformed line, or one over the scope's limit, is reported with the parser's position
//! and skipped: the next line gets a clean arena.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};

use arena::{arena_alloc, arena_scope, DeserializeIn};

#[arena_alloc(deserialize)]
#[derive(Debug)]
#[serde(rename_all = "camelCase")]
/// One request line.
pub struct Request<'a> {
    /// `requestId` in the input (`rename_all = "camelCase"`).
    pub request_id: u64,
    #[serde(rename = "user")]
    /// `user` in the input.
    pub user_name: &'a str,
    #[serde(default)]
    /// Empty when the line has none.
    pub tags: &'a [&'a str],
    /// What was bought.
    pub items: &'a [Item<'a>],
}

#[arena_alloc(deserialize)]
#[derive(Debug)]
/// One item of a request, externally tagged: `{"Book": {..}}`, `{"Coupon": 5}`.
pub enum Item<'a> {
    /// A book and its price.
    Book {
        /// The title.
        title: &'a str,
        /// The price.
        cents: u64,
    },
    /// A gift and its price.
    Gift {
        /// Who it is for.
        to: &'a str,
        /// The price.
        cents: u64,
    },
    /// Cents off.
    Coupon(/** cents */ i64),
}

/// What one line adds to the summary: the user (owned, it outlives the scope) and the total.
struct Line {
    user: String,
    cents: i64,
    items: usize,
}

fn handle(text: &str) -> Result<Line, serde_json::Error> {
    arena_scope!(limit = 1 << 20, |mem| {
        let mut json = serde_json::Deserializer::from_str(text);
        let request = Request::deserialize_in(&mut json, mem)?;
        json.end()?;
        let cents = request
            .items
            .iter()
            .map(|item| match item {
                Item::Book { cents, .. } | Item::Gift { cents, .. } => *cents as i64,
                Item::Coupon(off) => -off,
            })
            .sum();
        Ok(Line {
            user: request.user_name.to_owned(),
            cents,
            items: request.items.len(),
        })
    })
}

/// `count` request lines, with a malformed one and one far over the scope's limit among them.
fn generated(count: usize) -> Vec<String> {
    (0..count)
        .map(|i| match i {
            7 => String::from(r#"{"requestId": 7, "user": "eve", "items": [{"Book": }]}"#),
            11 => {
                let tags = vec!["\"a-rather-long-tag-name\""; 60_000].join(",");
                format!(r#"{{"requestId": 11, "user": "mallory", "tags": [{tags}], "items": []}}"#)
            }
            _ => format!(
                r#"{{"requestId": {i}, "user": "user{}", "tags": ["t{}"], "items": [{{"Book": {{"title": "b{i}", "cents": {}}}}}, {{"Coupon": {}}}]}}"#,
                i % 10,
                i % 3,
                100 + i % 50,
                i % 5
            ),
        })
        .collect()
}

fn main() {
    let argument = std::env::args().nth(1);
    let lines: Vec<String> = match argument.as_deref().map(str::parse::<usize>) {
        None => generated(10_000),
        Some(Ok(count)) => generated(count),
        Some(Err(_)) => {
            let path = argument.unwrap_or_default();
            let file = std::fs::File::open(&path).unwrap_or_else(|err| {
                eprintln!("json_requests: cannot open {path}: {err}");
                std::process::exit(2)
            });
            BufReader::new(file).lines().map_while(Result::ok).collect()
        }
    };
    let (mut ok, mut bad, mut items) = (0usize, 0usize, 0usize);
    let mut per_user: HashMap<String, i64> = HashMap::new();
    for (number, text) in lines.iter().enumerate() {
        if text.trim().is_empty() {
            continue;
        }
        match handle(text) {
            Ok(line) => {
                ok += 1;
                items += line.items;
                *per_user.entry(line.user).or_default() += line.cents;
            }
            Err(err) => {
                bad += 1;
                eprintln!("line {}: {err}", number + 1);
            }
        }
    }
    let mut users: Vec<_> = per_user.into_iter().collect();
    users.sort();
    println!("{ok} requests, {bad} refused, {items} items");
    for (user, cents) in users.iter().take(5) {
        println!("  {user}: {}.{:02}", cents / 100, cents % 100);
    }
    if users.len() > 5 {
        println!("  .. and {} more users", users.len() - 5);
    }
}
