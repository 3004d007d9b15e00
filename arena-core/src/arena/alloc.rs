//! The public allocation API for layouts and single values: `alloc_layout`, `alloc`,
//! `alloc_default`, `alloc_with`, `alloc_droppable`, each with its `try_` twin.
//!
//! Each public entry point checks the drop rule once, at compile time, and hands the work to
//! one body shared by the twins (`put_with`, which does not check it again, so a refused type
//! gets one note at the user's call); each panicking twin is its `try_` twin plus
//! [`or_panic`](crate::error::OrPanic), `#[track_caller]`, so a panic names the user's line.
//! The memory comes from the block engine (`try_alloc_counted`); `alloc_droppable` also links a
//! node into the drop list.

use core::alloc::Layout;
use core::mem;
use core::ptr::NonNull;

use super::sizes::NOT_STEADY;
use super::{Arena, AssertNoDrop};
use crate::drop_list::DropNode;
use crate::error::{AllocError, OrPanic};

// `&self` to `&mut`: each method hands out a new allocation, disjoint from every other.
#[allow(clippy::mut_from_ref)]
impl Arena {
    /// Allocates uninitialized memory for `layout` and returns a pointer to it.
    ///
    /// The memory is valid until the arena is reset, freed or dropped. This is the building block
    /// for unsafe code; safe code uses the typed methods.
    ///
    /// # Panics
    ///
    /// If the allocation exceeds a limit or memory is exhausted; see
    /// [`try_alloc_layout`](Arena::try_alloc_layout).
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    /// use std::alloc::Layout;
    ///
    /// let mem = Arena::new();
    /// let p = mem.alloc_layout(Layout::from_size_align(64, 4096).unwrap());
    /// assert_eq!(p.as_ptr() as usize % 4096, 0);
    /// ```
    #[inline(always)]
    #[track_caller]
    pub fn alloc_layout(&self, layout: Layout) -> NonNull<u8> {
        self.try_alloc_layout(layout).or_panic()
    }

    /// Allocates uninitialized memory for `layout`, or says why it cannot.
    ///
    /// # Errors
    ///
    /// [`AllocErrorKind::ArenaLimit`](crate::AllocErrorKind::ArenaLimit), [`AllocErrorKind::MemLimit`](crate::AllocErrorKind::MemLimit),
    /// [`AllocErrorKind::OutOfMemory`](crate::AllocErrorKind::OutOfMemory) or [`AllocErrorKind::Config`](crate::AllocErrorKind::Config); the arena is unchanged.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    /// use std::alloc::Layout;
    ///
    /// let mem = Arena::builder().limit(1024).build();
    /// assert!(mem.try_alloc_layout(Layout::new::<[u8; 4096]>()).is_err());
    /// assert!(mem.try_alloc_layout(Layout::new::<[u8; 16]>()).is_ok());
    /// ```
    #[inline(always)]
    pub fn try_alloc_layout(&self, layout: Layout) -> Result<NonNull<u8>, AllocError> {
        self.try_alloc_counted(layout)
    }

    /// Moves `value` into the arena and returns a mutable reference to it.
    ///
    /// Go: `arena.New[T](mem)` followed by an assignment. `T` must not need `Drop` (a compile
    /// error otherwise; see [`alloc_droppable`](Arena::alloc_droppable)). That error comes from
    /// `cargo build` (and `test`, `run`), not from `cargo check`: it is a constant evaluated for
    /// each `T`, which only code generation does.
    ///
    /// # Panics
    ///
    /// If a limit would be exceeded or memory is exhausted; see [`try_alloc`](Arena::try_alloc).
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let point = mem.alloc((3, 4));
    /// point.0 = 5;
    /// assert_eq!(*point, (5, 4));
    /// ```
    #[inline(always)]
    #[track_caller]
    pub fn alloc<T>(&self, value: T) -> &mut T {
        let () = AssertNoDrop::<T>::OK;
        self.put_with(|| value).or_panic()
    }

    /// Like [`alloc`](Arena::alloc), returning an error instead of panicking.
    ///
    /// # Errors
    ///
    /// When a limit would be exceeded or memory is exhausted; `value` is dropped (it needs no
    /// drop) and the arena is unchanged.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::builder().limit(0).build();
    /// assert!(mem.try_alloc([0u8; 64]).is_err());
    /// ```
    #[inline(always)]
    pub fn try_alloc<T>(&self, value: T) -> Result<&mut T, AllocError> {
        let () = AssertNoDrop::<T>::OK;
        self.put_with(|| value)
    }

    /// Allocates `T::default()` in the arena: Go's `arena.New[T](mem)`, which returns a pointer
    /// to a zero value.
    ///
    /// # Panics
    ///
    /// As [`alloc`](Arena::alloc).
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// #[derive(Default)]
    /// struct Counter { hits: u64 }
    ///
    /// let mem = Arena::new();
    /// let c: &mut Counter = mem.alloc_default();
    /// c.hits += 1;
    /// assert_eq!(c.hits, 1);
    /// ```
    #[inline(always)]
    #[track_caller]
    pub fn alloc_default<T: Default>(&self) -> &mut T {
        let () = AssertNoDrop::<T>::OK;
        self.put_with(T::default).or_panic()
    }

    /// Like [`alloc_default`](Arena::alloc_default), returning an error instead of panicking.
    ///
    /// # Errors
    ///
    /// As [`try_alloc`](Arena::try_alloc).
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// assert_eq!(*mem.try_alloc_default::<u32>().unwrap(), 0);
    /// ```
    #[inline(always)]
    pub fn try_alloc_default<T: Default>(&self) -> Result<&mut T, AllocError> {
        let () = AssertNoDrop::<T>::OK;
        self.put_with(T::default)
    }

    /// Allocates space first and then writes `make()` straight into it, so a large value can be
    /// built in place instead of on the stack.
    ///
    /// # Panics
    ///
    /// As [`alloc`](Arena::alloc). If `make` panics, the space stays allocated until reset.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let table = mem.alloc_with(|| [0u64; 4096]);
    /// assert_eq!(table.len(), 4096);
    /// ```
    #[inline(always)]
    #[track_caller]
    pub fn alloc_with<T, F: FnOnce() -> T>(&self, make: F) -> &mut T {
        let () = AssertNoDrop::<T>::OK;
        self.put_with(make).or_panic()
    }

    /// Like [`alloc_with`](Arena::alloc_with), returning an error instead of panicking (`make`
    /// is not called then).
    ///
    /// # Errors
    ///
    /// As [`try_alloc`](Arena::try_alloc).
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::builder().limit(0).build();
    /// assert!(mem.try_alloc_with(|| -> [u8; 16] { unreachable!() }).is_err());
    /// ```
    #[inline(always)]
    pub fn try_alloc_with<T, F: FnOnce() -> T>(&self, make: F) -> Result<&mut T, AllocError> {
        let () = AssertNoDrop::<T>::OK;
        self.put_with(make)
    }

    /// Moves a value that owns resources (a `String`, a `Vec`, a file) into the arena and
    /// registers its destructor, which runs exactly once, newest first, at
    /// [`reset`](Arena::reset), [`free`](Arena::free) or drop.
    ///
    /// `T: 'static` so the destructor cannot observe freed arena memory; `T: Send` because the
    /// arena, and so the destructor, may move to another thread.
    ///
    /// # Panics
    ///
    /// As [`alloc`](Arena::alloc).
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mut mem = Arena::new();
    /// let names = mem.alloc_droppable(vec![String::from("ann")]);
    /// names.push(String::from("bob"));
    /// assert_eq!(mem.stats().drops_pending, 1);
    /// mem.reset(); // the Vec and its Strings are dropped here
    /// assert_eq!(mem.stats().drops_pending, 0);
    /// ```
    #[inline]
    #[track_caller]
    pub fn alloc_droppable<T: Send + 'static>(&self, value: T) -> &mut T {
        self.try_alloc_droppable(value).or_panic()
    }

    /// Like [`alloc_droppable`](Arena::alloc_droppable), returning an error instead of
    /// panicking.
    ///
    /// # Errors
    ///
    /// As [`try_alloc`](Arena::try_alloc); `value` is dropped before returning.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::builder().limit(0).build();
    /// assert!(mem.try_alloc_droppable(String::from("x")).is_err());
    /// assert_eq!(mem.stats().drops_pending, 0);
    /// ```
    #[inline]
    pub fn try_alloc_droppable<T: Send + 'static>(&self, value: T) -> Result<&mut T, AllocError> {
        if !mem::needs_drop::<T>() {
            return self.put_with(|| value);
        }
        let node = self
            .try_alloc_counted(Layout::new::<DropNode<T>>())?
            .cast::<DropNode<T>>();
        // SAFETY: `node` is fresh, aligned memory for one `DropNode<T>`; once written it is
        // linked into the drop list, which runs its destructor exactly once before the memory is
        // reset or freed (the node lives in this arena's chunks, which outlive the list). The
        // returned reference borrows `self`, and the destructor runs only under `&mut self` or
        // `self`, so no reference is alive when it runs.
        unsafe {
            node.as_ptr().write(DropNode::new(value));
            self.drops.push(node);
            self.set_steady_floor_bytes(NOT_STEADY);
            self.general_reset.set(1);
            Ok((*node.as_ptr()).value_mut())
        }
    }
}

/// The body the twins share. It does not check the drop rule: every public caller has checked
/// it already (a value that needs `Drop` put here would only leak, which is safe).
// `&self` to `&mut`: a new allocation, disjoint from every other.
#[allow(clippy::mut_from_ref)]
impl Arena {
    /// Allocates a `T` and writes `make()` straight into it.
    #[inline(always)]
    fn put_with<T, F: FnOnce() -> T>(&self, make: F) -> Result<&mut T, AllocError> {
        let ptr = self.try_alloc_counted(Layout::new::<T>())?.cast::<T>();
        // SAFETY: `ptr` is freshly allocated for `Layout::new::<T>()`, so it is aligned, valid
        // for writes of a `T` and not aliased; the reference borrows `self`, so it cannot outlive
        // the memory (reset needs `&mut self`, free needs `self`).
        unsafe {
            ptr.as_ptr().write(make());
            Ok(&mut *ptr.as_ptr())
        }
    }
}
