//! A document over `ARENA_MEMLIMIT` (the process-wide limit, set here with its setter) is an
//! error of the format naming the limit. Its own test binary: the limit applies to every arena
//! of the process.
#![cfg(feature = "serde")]

use arena_core::de::{DeserializeIn, Value};
use arena_core::{config, scope, Arena};

#[test]
fn a_document_over_the_process_wide_limit_is_an_error_naming_it() {
    // Smaller under Miri, which is slow; either way the document needs more than the limit.
    let (count, limit) = if cfg!(miri) {
        (1_000, 16 << 10)
    } else {
        (20_000, 256 << 10)
    };
    let items: Vec<String> = (0..count).map(|i| format!("\"{i:030}\"")).collect();
    let big = format!("[{}]", items.join(","));
    config::set_memlimit(Some(limit));
    let mem = Arena::new();
    let err =
        Value::deserialize_in(&mut serde_json::Deserializer::from_str(&big), &mem).unwrap_err();
    let named = format!("ARENA_MEMLIMIT of {limit} bytes");
    assert!(err.to_string().contains(&named), "{err}");
    drop(mem); // its chunks go back to the process-wide budget
               // A pooled scope is under the same limit, and the pool survives it: the next scope gets
               // the arena back reset.
    let refused = scope(|mem| {
        Value::deserialize_in(&mut serde_json::Deserializer::from_str(&big), mem)
            .map(|_| ())
            .map_err(|err| err.to_string())
    });
    assert!(refused.unwrap_err().contains(&named));
    let after = scope(|mem| {
        Value::deserialize_in(&mut serde_json::Deserializer::from_str("[1]"), mem)
            .map(|v| v[0].as_u64())
            .unwrap()
    });
    assert_eq!(after, Some(1));
    config::set_memlimit(None);
}
