//! A panic past a limit names the user's line: every panicking allocation method, container
//! growth method and scope entry point is `#[track_caller]` all the way down to the panic, so the
//! location a panic hook sees is the line of the call in this file, not a line inside the crate.

use std::alloc::Layout;
use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use arena_core::__private::{scope_with, ScopeOptions};
use arena_core::{Arena, ArenaHashMap, ArenaPool, ArenaString, ArenaVec, CollectIn};

thread_local! {
    /// Where the last panic on this thread happened, as the hook saw it.
    static LAST_PANIC_AT: RefCell<Option<(String, u32)>> = const { RefCell::new(None) };
}

/// Runs `f`, which must panic, and returns the file and line the panic hook was given.
fn panic_location(f: impl FnOnce()) -> Option<(String, u32)> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        panic::set_hook(Box::new(|info| {
            let at = info.location().map(|at| (at.file().to_owned(), at.line()));
            LAST_PANIC_AT.with(|last| *last.borrow_mut() = at);
        }));
    });
    LAST_PANIC_AT.with(|last| *last.borrow_mut() = None);
    let outcome = panic::catch_unwind(AssertUnwindSafe(f));
    assert!(outcome.is_err(), "the call did not panic");
    LAST_PANIC_AT.with(|last| last.borrow_mut().take())
}

/// Asserts that evaluating `$call` panics at this very line of this file.
macro_rules! panics_here {
    ($call:expr) => {
        assert_eq!(
            panic_location(|| {
                let _ = $call;
            }),
            Some((file!().to_owned(), line!())),
            "{}",
            stringify!($call)
        )
    };
}

fn limited() -> Arena {
    Arena::builder().limit(0).label("limited").build()
}

#[test]
fn allocation_methods_name_the_callers_line() {
    let mem = limited();
    panics_here!(mem.alloc([0u8; 64]));
    panics_here!(mem.alloc_layout(Layout::new::<[u8; 64]>()));
    panics_here!(mem.alloc_with(|| [0u8; 64]));
    panics_here!(mem.alloc_default::<[u64; 32]>());
    panics_here!(mem.alloc_droppable(String::from("x")));
    panics_here!(mem.alloc_str("hello"));
    panics_here!(mem.alloc_slice_copy(&[1u8; 8]));
    panics_here!(mem.alloc_slice_clone(&[1u8; 8]));
    panics_here!(mem.alloc_slice_fill_with(8, |i| i));
    panics_here!(mem.alloc_slice_fill_default::<u64>(8));
    panics_here!(mem.alloc_slice_fill_iter(0..8u32));
    panics_here!(mem.alloc_fmt(format_args!("{}", 12345)));
}

#[test]
fn constructors_name_the_callers_line() {
    let mem = limited();
    panics_here!(Arena::with_capacity(usize::MAX));
    panics_here!(Arena::builder().capacity(usize::MAX).build());
    panics_here!(mem.make_slice::<u64>(1, 8));
    panics_here!(Arena::new().make_slice::<u64>(2, 1));
    panics_here!(mem.vec_with_capacity::<u64>(8));
    panics_here!(mem.string_with_capacity(8));
    panics_here!(mem.hash_map_with_capacity::<u64, u64>(8));
    panics_here!(ArenaVec::<u64>::with_capacity_in(8, &mem));
    panics_here!(ArenaString::with_capacity_in(8, &mem));
    panics_here!(ArenaString::from_str_in("ab", &mem));
    panics_here!(ArenaHashMap::<u64, u64>::with_capacity_in(8, &mem));
    panics_here!((0..8u64).collect_in::<ArenaVec<'_, u64>>(&mem));
}

#[test]
fn container_growth_names_the_callers_line() {
    let mem = limited();
    let mut v = mem.vec::<u64>();
    panics_here!(v.push(1));
    panics_here!(v.reserve(8));
    panics_here!(v.extend([1, 2]));
    panics_here!(v.extend(&[1, 2]));
    panics_here!(v.extend_from_slice(&[1, 2]));
    panics_here!(v.insert(0, 1));
    let mut s = mem.string();
    panics_here!(s.push('a'));
    panics_here!(s.push_str("ab"));
    panics_here!(s.extend(["ab"]));
    panics_here!(s.extend(['a']));
    let mut m = mem.hash_map::<u64, u64>();
    panics_here!(m.insert(1, 1));
    panics_here!(m.reserve(8));
    panics_here!(m.extend([(1, 1)]));
    panics_here!(m.entry(1));
}

#[test]
fn scopes_and_pools_name_the_callers_line() {
    let options = ScopeOptions {
        capacity: Some(1 << 20),
        limit: Some(1 << 10),
        label: None,
        call_site: "",
    };
    panics_here!(scope_with(options, |_| ()));
    let pool = ArenaPool::builder()
        .capacity(1 << 20)
        .limit(1 << 10)
        .build();
    panics_here!(pool.get());
}

/// The location is the call's, however deep the growth that failed: a vector that outgrows
/// its arena after many pushes still names the push.
#[test]
fn a_push_that_outgrows_the_limit_names_its_line() {
    let mem = Arena::builder().limit(4096).build();
    let mut v = mem.vec::<u64>();
    let at = panic_location(|| loop {
        v.push(7);
    });
    assert_eq!(at, Some((file!().to_owned(), line!() - 2)));
}
