//! The fuzzer's bytes, read as a sequence of arena operations (allocations, containers, `reset`,
//! nested scopes, panicking scopes and destructors, limits), run against the model the property
//! tests use (`arena-core/tests/common/model.rs`): every destructor runs exactly once, newest
//! first, every value reads back intact, and the stats and errors agree with the model.

#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

#[path = "../../arena-core/tests/common/model.rs"]
mod model;

use model::{quiet_expected_panics, run_case, Case, DropPanic, Op, BIG, LEN};

/// Operations at the top level of a case, and in one scope: as many as the property tests make.
const TOP_OPS: usize = 40;
const SCOPE_OPS: usize = 8;
/// How deep scopes nest.
const DEPTH: usize = 2;

fn length(u: &mut Unstructured<'_>, below: usize) -> Result<usize> {
    u.int_in_range(0..=below - 1)
}

/// An arena limit: none, a small one, or one around [`BIG`] (the property tests' mix).
fn limit(u: &mut Unstructured<'_>) -> Result<Option<usize>> {
    Ok(match u.int_in_range(0..=5u8)? {
        0..=2 => None,
        3 => Some(length(u, BIG / 4)?),
        _ => Some(u.int_in_range(BIG / 4..=BIG * 2 - 1)?),
    })
}

fn drop_panic(u: &mut Unstructured<'_>) -> Result<DropPanic> {
    Ok(match u.int_in_range(0..=19u8)? {
        0..=16 => DropPanic::No,
        17 | 18 => DropPanic::Message,
        _ => DropPanic::Bomb,
    })
}

fn op(u: &mut Unstructured<'_>, depth: usize) -> Result<Op> {
    let kinds = if depth < DEPTH { 9 } else { 8 };
    Ok(match u.int_in_range(0..=kinds - 1u8)? {
        0 => Op::Value(u.arbitrary()?),
        1 => Op::Droppable {
            len: length(u, LEN / 4)?,
            panics: drop_panic(u)?,
        },
        2 => Op::Slice {
            seed: u.arbitrary()?,
            len: length(u, LEN)?,
        },
        3 => Op::Str {
            seed: u.arbitrary()?,
            len: length(u, LEN)?,
        },
        4 => Op::Vec {
            seed: u.arbitrary()?,
            cap: length(u, LEN / 4)?,
            len: length(u, LEN)?,
        },
        5 => Op::String {
            seed: u.arbitrary()?,
            len: length(u, LEN)?,
        },
        6 => Op::Map {
            seed: u.arbitrary()?,
            len: length(u, LEN / 2)?,
        },
        7 => Op::Big {
            seed: u.arbitrary()?,
            len: length(u, BIG)?,
        },
        _ => {
            let limit = limit(u)?;
            let panics = u.ratio(1, 5)?;
            let plain = u.ratio(3, 10)?;
            let count = u.int_in_range(0..=SCOPE_OPS - 1)?;
            let mut ops = Vec::with_capacity(count);
            for _ in 0..count {
                ops.push(op(u, depth + 1)?);
            }
            Op::Scope {
                limit,
                ops,
                panics,
                plain,
            }
        }
    })
}

fn case(u: &mut Unstructured<'_>) -> Result<Case> {
    let limit = limit(u)?;
    let capacity = if u.arbitrary()? {
        Some(length(u, BIG)?)
    } else {
        None
    };
    let mut ops = Vec::new();
    while ops.len() < TOP_OPS && !u.is_empty() {
        ops.push(if u.ratio(1, 9)? {
            Op::Reset
        } else {
            op(u, 0)?
        });
    }
    Ok(Case {
        limit,
        capacity,
        ops,
    })
}

fuzz_target!(|data: &[u8]| {
    // After libFuzzer's own hook is installed, so an unexpected panic still reaches it (and
    // aborts, which libFuzzer reports as a crash).
    quiet_expected_panics();
    if let Ok(case) = case(&mut Unstructured::new(data)) {
        run_case(&case);
    }
});
