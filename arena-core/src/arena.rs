//! [`Arena`]: the region allocator.

use core::alloc::Layout;
use core::cell::Cell;
use core::fmt;
use core::marker::PhantomData;
use core::mem;
use core::ptr::{self, NonNull};
use std::borrow::Cow;
use std::panic;

use allocator_api2::alloc::Allocator;
use bumpalo::Bump;

/// The chunk allocator underneath. bumpalo owns the chunks (their sizes, their growth, the
/// fence that keeps them under the limits); the arena takes each chunk whole as its *block* and
/// bumps upward through it (see [`Arena::bump_in_block`]).
pub(crate) type Engine = Bump<8>;

/// The alignment the block's cursor keeps: sizes are rounded up to it, so a value aligned to at
/// most 8 bytes needs no alignment arithmetic.
const BLOCK_ALIGN: usize = 8;

/// `size` rounded up to [`BLOCK_ALIGN`]. Never overflows for a `Layout` size, which is at most
/// `isize::MAX`.
#[inline(always)]
const fn block_bytes(size: usize) -> usize {
    (size + (BLOCK_ALIGN - 1)) & !(BLOCK_ALIGN - 1)
}

/// The cursor and start of an arena with no block: a dangling address aligned to
/// [`BLOCK_ALIGN`], with no room after it.
#[inline(always)]
fn no_block() -> NonNull<u8> {
    NonNull::<u64>::dangling().cast()
}

use crate::asan;
use crate::budget;
use crate::builder::ArenaBuilder;
use crate::drop_list::{DropList, DropNode, DropsRun};
use crate::error::{AllocError, AllocErrorKind};
use crate::hash_map::ArenaHashMap;
use crate::stats::Stats;
use crate::string::ArenaString;
use crate::vec::ArenaVec;

/// A region of memory: allocate many values, free them all at once.
///
/// Every reference an `Arena` hands out borrows it, so the borrow checker rejects any use after
/// [`reset`](Arena::reset) (which takes `&mut self`) or [`free`](Arena::free) (which takes
/// `self`): the use-after-free that Go's `arena` package can only catch at run time does not
/// compile here.
///
/// Values put in the arena with [`alloc`](Arena::alloc), the slice methods and the containers
/// must not need `Drop` (this is checked at compile time); values that own heap memory go
/// through [`alloc_droppable`](Arena::alloc_droppable), whose destructors run exactly once, newest
/// first, at `reset`, `free` or drop.
///
/// `Arena` is `Send` but not `Sync`: it can move to another thread, but two threads cannot
/// allocate from it at once.
///
/// # Example
///
/// ```
/// use arena_core::Arena;
///
/// #[derive(Debug)]
/// struct Person<'a> {
///     name: &'a str,
///     age: u32,
/// }
///
/// let mut mem = Arena::new();
/// let name = mem.alloc_str("bob");
/// let bob = mem.alloc(Person { name, age: 42 });
/// bob.age += 1;
/// assert_eq!(bob.age, 43);
/// mem.reset(); // frees bob; the memory stays for the next round
/// mem.free(); // gives it back
/// ```
///
/// Using a value after the arena is freed is a compile error (`E0505`):
///
/// ```compile_fail,E0505
/// use arena_core::Arena;
///
/// let mem = Arena::new();
/// let n = mem.alloc(1u32);
/// mem.free();
/// *n = 123; // error[E0505]: cannot move out of `mem` because it is borrowed
/// ```
///
/// and so is using it across a reset (`E0502`):
///
/// ```compile_fail,E0502
/// use arena_core::Arena;
///
/// let mut mem = Arena::new();
/// let n = mem.alloc(1u32);
/// mem.reset();
/// *n = 123; // error[E0502]: cannot borrow `mem` as mutable because it is also borrowed
/// ```
///
/// An arena cannot be shared between threads (`E0277`: `Cell<..>` is not `Sync`):
///
/// ```compile_fail,E0277
/// use arena_core::Arena;
///
/// let mem = Arena::new();
/// std::thread::scope(|s| {
///     s.spawn(|| mem.alloc(1u32));
/// });
/// ```
///
/// but it can be moved to one:
///
/// ```
/// use arena_core::Arena;
///
/// let mem = Arena::new();
/// std::thread::spawn(move || *mem.alloc(1u32)).join().unwrap();
/// ```
///
/// A value that needs `Drop` is refused by `alloc` (`E0080`, with a message saying what to use
/// instead):
///
/// ```compile_fail,E0080
/// use arena_core::Arena;
///
/// let mem = Arena::new();
/// mem.alloc(String::from("bob"));
/// ```
///
/// and welcome in `alloc_droppable`, or as an arena string:
///
/// ```
/// use arena_core::Arena;
///
/// let mem = Arena::new();
/// let owned: &mut String = mem.alloc_droppable(String::from("bob"));
/// let in_arena: &str = mem.alloc_str("bob");
/// assert_eq!(owned.as_str(), in_arena);
/// ```
pub struct Arena {
    bump: Engine,
    /// The next free byte of the block: the block is `[block_start, block_end)`, handed out up
    /// to `cursor`, free from there. The block is bumpalo's whole current chunk, taken from
    /// bumpalo in one allocation, so bumpalo's own pointer never moves while the arena bumps;
    /// nothing else allocates from bumpalo. [`no_block`] for all three when there is none.
    cursor: Cell<NonNull<u8>>,
    block_start: Cell<NonNull<u8>>,
    /// The address one past the block (only compared, never dereferenced).
    block_end: Cell<usize>,
    drops: DropList,
    /// Allocations since the last reset, kept only while `counts_allocations` (see
    /// [`Stats::allocations`]).
    allocations: Cell<usize>,
    /// Whether `allocations` is kept. A plain field, so the allocation fast path reads it once
    /// per borrow; counting in every arena cost binary-trees about a fifth of its speed.
    counts_allocations: bool,
    /// Size of the newest chunk, to tell a one-chunk arena from a many-chunk one and to size the
    /// next chunk like bumpalo does (double the last).
    newest_chunk_bytes: Cell<usize>,
    /// The fewest used bytes for which a pooled scope may end by a bare rewind
    /// ([`Arena::rewind_steady`]); [`NOT_STEADY`] when it may not. Only the pool sets it (see
    /// [`Arena::set_steady_floor`]); whatever could make a bare rewind wrong — a new chunk, a
    /// pending destructor, replaced memory — sets it back to [`NOT_STEADY`].
    steady_floor: Cell<usize>,
    limit: Option<usize>,
    label: Option<Cow<'static, str>>,
    /// Pooled arenas are traced by their scope, not when they are dropped.
    pub(crate) pooled: bool,
    /// `Arena` holds raw pointers to the values in its drop list; they are not shared.
    _not_sync: PhantomData<Cell<()>>,
}

// SAFETY: the only non-`Send` state is raw pointers into the arena's own chunks: the block's
// cursor and start, and the drop list's, every value of which was required to be `Send` by
// `alloc_droppable`; bumpalo's `Bump` is `Send`. Moving the arena moves ownership of all of it
// to the other thread at once.
unsafe impl Send for Arena {}

/// Compile-time proof that `T` has no drop glue (DESIGN.md rule 2).
pub(crate) struct AssertNoDrop<T>(PhantomData<T>);

impl<T> AssertNoDrop<T> {
    /// Evaluated when `alloc::<T>` (or a container of `T`) is instantiated.
    pub(crate) const OK: () = assert!(
        !mem::needs_drop::<T>(),
        "arena values must not need Drop (an arena frees its memory without running \
         destructors): store `&'a str` (Arena::alloc_str) instead of String, `ArenaVec<'a, T>` \
         instead of Vec<T>, `&'a T` instead of Box<T>, or use Arena::alloc_droppable for a value \
         whose destructor must run"
    );
}

/// The smallest request a new chunk is sized for (bumpalo's own minimum chunk is about this).
const MIN_CHUNK_REQUEST: usize = 512;

/// [`Arena::steady_floor`] of an arena whose scope must take the general end.
pub(crate) const NOT_STEADY: usize = usize::MAX;

/// The largest chunk bumpalo may build for `bytes` of usable space (it rounds small chunks up to
/// a power of two and large ones to a page, net of its footer): an upper bound to reserve first.
fn chunk_bound(bytes: usize) -> Option<usize> {
    if bytes < 4096 {
        Some((bytes + 128).next_power_of_two())
    } else {
        bytes.checked_add(4096)
    }
}

/// With `ARENA_RETAIN=100`, a round that used `used` bytes keeps a chunk for
/// `max(used, ballast)` bytes, and a one-chunk arena of `reserved` bytes is already that chunk
/// when `reserved >= max(used, ballast)` and `reserved <= chunk_bound(max(used, ballast, 512))`.
/// The first holds for every round that fits the chunk once `ballast <= reserved`; the second
/// is monotone in `used`. So the rounds that need no resizing are those that used at least the
/// returned floor ([`NOT_STEADY`] when none is).
fn steady_floor(reserved: usize, ballast: usize) -> usize {
    if ballast > reserved {
        return NOT_STEADY;
    }
    let fits = |used: usize| {
        chunk_bound(used.max(ballast).max(MIN_CHUNK_REQUEST)).is_some_and(|b| b >= reserved)
    };
    if !fits(reserved) {
        return NOT_STEADY;
    }
    // The least `used` in 1..=reserved that fits (`fits` is monotone).
    let (mut low, mut high) = (1, reserved.max(1));
    while low < high {
        let mid = low + (high - low) / 2;
        if fits(mid) {
            high = mid;
        } else {
            low = mid + 1;
        }
    }
    low
}

impl Arena {
    /// A new, empty arena. It takes no memory until the first allocation. It counts its
    /// allocations only if `ARENA_DEBUG=arenatrace=1` is in force now (see
    /// [`Stats::allocations`]; [`Arena::builder`] can ask for counting).
    ///
    /// Go: `arena.NewArena()`.
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// let mem = Arena::new();
    /// assert_eq!(mem.stats().reserved_bytes, 0);
    /// ```
    pub fn new() -> Self {
        Arena {
            bump: Engine::with_min_align(),
            cursor: Cell::new(no_block()),
            block_start: Cell::new(no_block()),
            block_end: Cell::new(no_block().as_ptr() as usize),
            drops: DropList::default(),
            allocations: Cell::new(0),
            counts_allocations: crate::trace::enabled(),
            newest_chunk_bytes: Cell::new(0),
            steady_floor: Cell::new(NOT_STEADY),
            limit: None,
            label: None,
            pooled: false,
            _not_sync: PhantomData,
        }
        .with_bumpalo_fenced()
    }

    /// Keeps bumpalo from growing on its own: every new chunk goes through
    /// [`Arena::add_chunk`], which reserves it under the limits first.
    fn with_bumpalo_fenced(self) -> Self {
        self.bump
            .set_allocation_limit(Some(self.bump.allocated_bytes()));
        self
    }

    /// A new arena with at least `bytes` reserved up front, so the first allocations need no new
    /// chunk (the Rust counterpart of Go's memory ballast).
    ///
    /// # Panics
    ///
    /// If the memory cannot be reserved (process-wide limit, out of memory).
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// let mem = Arena::with_capacity(64 << 10);
    /// assert!(mem.stats().reserved_bytes >= 64 << 10);
    /// assert_eq!(mem.stats().chunks, 1);
    /// ```
    pub fn with_capacity(bytes: usize) -> Self {
        Self::try_with_capacity(bytes).unwrap_or_else(|err| err.panic())
    }

    /// Like [`with_capacity`](Arena::with_capacity), returning an error instead of panicking.
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// assert!(Arena::try_with_capacity(usize::MAX).is_err());
    /// ```
    pub fn try_with_capacity(bytes: usize) -> Result<Self, AllocError> {
        let mut arena = Arena::new();
        arena.reserve_fresh(bytes)?;
        Ok(arena)
    }

    /// A builder for an arena with a capacity, a limit and a label.
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// let mem = Arena::builder().capacity(1 << 20).limit(512 << 20).label("parser").build();
    /// assert_eq!(mem.stats().limit, Some(512 << 20));
    /// ```
    pub fn builder() -> ArenaBuilder {
        ArenaBuilder::default()
    }

    /// An error of this arena (labelled with its label).
    #[cold]
    pub(crate) fn alloc_error(&self, kind: AllocErrorKind, requested: usize) -> AllocError {
        AllocError::new(kind, requested).with_label(self.label.as_ref())
    }

    pub(crate) fn set_limit(&mut self, limit: Option<usize>) {
        self.limit = limit;
    }

    pub(crate) fn set_label(&mut self, label: Option<Cow<'static, str>>) {
        self.label = label;
    }

    /// Turns the allocation count of [`Stats::allocations`] on or off. Called only on an arena
    /// that allocated nothing since its last reset, so a count is always complete.
    pub(crate) fn set_counting(&mut self, on: bool) {
        debug_assert_eq!(self.used_bytes(), 0, "counting switched mid-round");
        self.counts_allocations = on;
        self.clear_counters();
    }

    /// The arena's label, if it has one.
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// assert_eq!(Arena::builder().label("req").build().label(), Some("req"));
    /// ```
    pub fn label(&self) -> Option<&str> {
        self.label.as_deref()
    }

    /// The arena's own limit on reserved bytes, if it has one.
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// assert_eq!(Arena::new().limit(), None);
    /// ```
    pub fn limit(&self) -> Option<usize> {
        self.limit
    }

    // ---------------------------------------------------------------------------------------
    // The engine: every allocation goes through `try_alloc_layout`.
    // ---------------------------------------------------------------------------------------

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
    /// use arena_core::Arena;
    /// use std::alloc::Layout;
    ///
    /// let mem = Arena::new();
    /// let p = mem.alloc_layout(Layout::from_size_align(64, 4096).unwrap());
    /// assert_eq!(p.as_ptr() as usize % 4096, 0);
    /// ```
    #[inline(always)]
    pub fn alloc_layout(&self, layout: Layout) -> NonNull<u8> {
        match self.try_alloc_layout(layout) {
            Ok(ptr) => ptr,
            Err(err) => err.panic(),
        }
    }

    /// Allocates uninitialized memory for `layout`, or says why it cannot.
    ///
    /// # Errors
    ///
    /// [`AllocErrorKind::ArenaLimit`], [`AllocErrorKind::MemLimit`],
    /// [`AllocErrorKind::OutOfMemory`] or [`AllocErrorKind::Config`]; the arena is unchanged.
    ///
    /// ```
    /// use arena_core::Arena;
    /// use std::alloc::Layout;
    ///
    /// let mem = Arena::builder().limit(1024).build();
    /// assert!(mem.try_alloc_layout(Layout::new::<[u8; 4096]>()).is_err());
    /// assert!(mem.try_alloc_layout(Layout::new::<[u8; 16]>()).is_ok());
    /// ```
    #[inline(always)]
    pub fn try_alloc_layout(&self, layout: Layout) -> Result<NonNull<u8>, AllocError> {
        let ptr = self.try_alloc_uncounted(layout)?;
        if self.counts_allocations {
            self.allocations.set(self.allocations.get() + 1);
        }
        Ok(ptr)
    }

    /// [`try_alloc_layout`](Arena::try_alloc_layout) without counting: for a container's buffer
    /// that moves as it grows, which is not a new allocation (see [`Stats::allocations`]).
    #[inline(always)]
    pub(crate) fn try_alloc_uncounted(&self, layout: Layout) -> Result<NonNull<u8>, AllocError> {
        if layout.size() == 0 {
            // A zero-size value needs an aligned address and no memory: no block, no chunk, no
            // limit. (For a typed allocation this test is decided at compile time.)
            let aligned = ptr::null_mut::<u8>().wrapping_add(layout.align());
            // SAFETY: an alignment is a power of two, so the address is not zero.
            return Ok(unsafe { NonNull::new_unchecked(aligned) });
        }
        let ptr = match self.bump_in_block(layout) {
            Some(ptr) => ptr,
            None => self.alloc_layout_slow(layout)?,
        };
        asan::unpoison(ptr.as_ptr(), layout.size());
        Ok(ptr)
    }

    /// Takes `layout` from the free part of the block, upward, or returns `None` when it does not
    /// fit. The cursor stays [`BLOCK_ALIGN`]-aligned, so for the common alignments this is a
    /// compare and an add on the cursor, with no alignment arithmetic.
    #[inline(always)]
    fn bump_in_block(&self, layout: Layout) -> Option<NonNull<u8>> {
        let cursor = self.cursor.get();
        let at = cursor.as_ptr() as usize;
        let padding = if layout.align() <= BLOCK_ALIGN {
            0
        } else {
            at.wrapping_neg() & (layout.align() - 1)
        };
        let taken = block_bytes(layout.size());
        // `block_end >= cursor` always; `padding < align` and `taken <= isize::MAX + 7`, so the
        // sum cannot overflow.
        if padding + taken > self.block_end.get() - at {
            return None;
        }
        // SAFETY: `padding + taken` bytes fit between the cursor and the end of the block, which
        // is one allocation (or, with no block, both offsets are 0, which is always allowed), so
        // both pointers stay inside it; neither is null.
        unsafe {
            let start = cursor.as_ptr().add(padding);
            self.cursor.set(NonNull::new_unchecked(start.add(taken)));
            Some(NonNull::new_unchecked(start))
        }
    }

    /// The block cannot hold `layout`: takes bumpalo's current chunk as the new block when it is
    /// free, or else a new chunk reserved under the limits, and takes `layout` from it.
    #[cold]
    #[inline(never)]
    fn alloc_layout_slow(&self, layout: Layout) -> Result<NonNull<u8>, AllocError> {
        if self.take_free_chunk_as_block() {
            if let Some(ptr) = self.bump_in_block(layout) {
                return Ok(ptr);
            }
        }
        // Room for the value wherever its alignment puts it in the new block. A size past
        // `isize::MAX` cannot be had from any allocator: asking for the most a layout can hold
        // fails the same way (limit or out of memory).
        let padding = if layout.align() <= BLOCK_ALIGN {
            0
        } else {
            layout.align() - 1
        };
        let largest = isize::MAX as usize & !(BLOCK_ALIGN - 1);
        let probe_size = block_bytes(layout.size())
            .saturating_add(padding)
            .min(largest);
        let Ok(probe) = Layout::from_size_align(probe_size, BLOCK_ALIGN) else {
            return Err(self.alloc_error(AllocErrorKind::CapacityOverflow, layout.size()));
        };
        self.add_chunk(probe, layout.size())?;
        let taken = self.take_free_chunk_as_block();
        debug_assert!(taken, "a new chunk is free");
        match self.bump_in_block(layout) {
            Some(ptr) => Ok(ptr),
            // Only a probe cut down to `largest` can be too small, and no allocator grants that.
            None => Err(self.alloc_error(AllocErrorKind::OutOfMemory, layout.size())),
        }
    }

    /// Makes bumpalo's current chunk the block when bumpalo has not handed any of it out (a new
    /// chunk, or one rewound by bumpalo's `reset`): one allocation of all its free bytes. Returns
    /// whether it did. The old block's free tail, if any, is given up until the next reset.
    fn take_free_chunk_as_block(&self) -> bool {
        let free = self.bump.chunk_capacity();
        if free == 0 {
            return false;
        }
        // bumpalo's pointer and its chunks' starts are aligned to its minimum alignment, 8, so
        // `free` is a multiple of it.
        let Ok(whole) = Layout::from_size_align(free, BLOCK_ALIGN) else {
            return false;
        };
        // The whole free part fits the current chunk exactly: bumpalo's fast path, no new chunk.
        let Ok(start) = self.bump.try_alloc_layout(whole) else {
            return false;
        };
        self.block_start.set(start);
        self.cursor.set(start);
        self.block_end.set(start.as_ptr() as usize + free);
        true
    }

    /// Forgets the block (its chunk is being reset or freed by bumpalo).
    #[inline]
    fn drop_block(&self) {
        self.cursor.set(no_block());
        self.block_start.set(no_block());
        self.block_end.set(no_block().as_ptr() as usize);
    }

    /// Whether `[ptr, ptr + size)` is the newest allocation of the block: it ends at the cursor.
    #[inline]
    fn is_newest(&self, ptr: NonNull<u8>, size: usize) -> bool {
        let at = ptr.as_ptr() as usize;
        at >= self.block_start.get().as_ptr() as usize
            && at.wrapping_add(block_bytes(size)) == self.cursor.get().as_ptr() as usize
    }

    /// Resizes the newest allocation of the block, `[ptr, ptr + old)`, to `new` bytes where it
    /// is, by moving the cursor, and returns its start (the same address as `ptr`, derived from
    /// the block). Returns `None`, changing nothing, when `ptr` is not the newest allocation or
    /// the block has no room to grow it. `new == 0` gives it back.
    pub(crate) fn resize_newest(
        &self,
        ptr: NonNull<u8>,
        old: usize,
        new: usize,
    ) -> Option<NonNull<u8>> {
        if !self.is_newest(ptr, old) {
            return None;
        }
        let (old, new) = (block_bytes(old), block_bytes(new));
        let cursor = self.cursor.get().as_ptr();
        // SAFETY: the allocation starts at or after the block's start (`is_newest`) and ends at
        // the cursor, so its start is `old` bytes below the cursor, inside the block.
        let start = unsafe { cursor.sub(old) };
        if new > old && new - old > self.block_end.get() - cursor as usize {
            return None;
        }
        // SAFETY: `start + new` is at most the block's end (checked just above when growing; at
        // most the cursor when shrinking), and the block is not at address 0.
        unsafe {
            self.cursor.set(NonNull::new_unchecked(start.add(new)));
            Some(NonNull::new_unchecked(start))
        }
    }

    /// Lets bumpalo add one chunk big enough for `probe`, reserved first under the arena's limit
    /// and the process-wide limit, and fences bumpalo again. The new chunk becomes bumpalo's
    /// current chunk, with nothing handed out (the probe allocation only sized it). Errors name
    /// `requested` bytes, what the caller asked for.
    #[cold]
    #[inline(never)]
    fn add_chunk(&self, probe: Layout, requested: usize) -> Result<(), AllocError> {
        let error = |kind| Err(self.alloc_error(kind, requested));
        if let Err(err) = crate::config::ensure_loaded() {
            return error(AllocErrorKind::Config(err));
        }
        crate::trace::mark_epoch();
        let align = probe.align().max(16);
        let Some(needed) = probe
            .size()
            .checked_add(align - 1)
            .map(|n| n & !(align - 1))
        else {
            return error(AllocErrorKind::CapacityOverflow);
        };
        let Some(smallest) = chunk_bound(needed.max(MIN_CHUNK_REQUEST)) else {
            return error(AllocErrorKind::CapacityOverflow);
        };
        let doubled = self.newest_chunk_bytes.get().saturating_mul(2);
        let preferred = chunk_bound(needed.max(doubled).max(MIN_CHUNK_REQUEST)).unwrap_or(smallest);
        let reserved = self.bump.allocated_bytes();
        let headroom = match self.limit {
            Some(limit) => limit.saturating_sub(reserved),
            None => usize::MAX,
        };
        let mut memlimit_refusal = None;
        for grant in [preferred.min(headroom), smallest.min(headroom)] {
            if let Err(limit) = budget::try_reserve(grant) {
                memlimit_refusal = Some(limit);
                continue;
            }
            self.bump.set_allocation_limit(Some(reserved + grant));
            let outcome = self.bump.try_alloc_layout(probe).ok().map(|sized| {
                // SAFETY: `sized` is bumpalo's newest allocation, made just now with `probe`
                // and never handed out; bumpalo takes it back by moving its pointer up.
                unsafe { Allocator::deallocate(&&self.bump, sized, probe) }
            });
            let now = self.bump.allocated_bytes();
            self.bump.set_allocation_limit(Some(now));
            budget::release(grant - (now - reserved));
            if now != reserved {
                self.newest_chunk_bytes.set(now - reserved);
                self.steady_floor.set(NOT_STEADY);
                self.poison_new_chunk();
            }
            return match outcome {
                Some(value) => Ok(value),
                None if grant == headroom => error(AllocErrorKind::ArenaLimit {
                    limit: self.limit.unwrap_or(0),
                }),
                None => error(AllocErrorKind::OutOfMemory),
            };
        }
        error(AllocErrorKind::MemLimit {
            limit: memlimit_refusal.unwrap_or(0),
        })
    }

    /// Poisons the whole of the newest chunk (the caller unpoisons exactly the bytes it hands
    /// out).
    fn poison_new_chunk(&self) {
        if asan::ENABLED {
            // SAFETY: only reads chunk footers; nothing allocates while the iterator lives.
            let newest = unsafe { self.bump.iter_allocated_chunks_raw() }.next();
            if let Some((used_start, used_len)) = newest {
                let free = self.bump.chunk_capacity();
                // SAFETY: the current chunk's free space lies just below its used part.
                let start = unsafe { used_start.sub(free) };
                asan::poison(start, free + used_len);
            }
        }
    }

    /// Poisons every byte handed out since the last reset (they are about to be invalid).
    fn poison_used(&self) {
        if asan::ENABLED {
            // SAFETY: only reads chunk footers; nothing allocates while the iterator lives.
            for (start, len) in unsafe { self.bump.iter_allocated_chunks_raw() } {
                asan::poison(start, len);
            }
        }
    }

    /// Replaces all memory with one fresh chunk of at least `bytes` (or none for 0), reserved
    /// under the limits. The arena must hold no live values.
    pub(crate) fn reserve_fresh(&mut self, bytes: usize) -> Result<(), AllocError> {
        self.release_all_memory();
        if bytes == 0 {
            return Ok(());
        }
        // No layout is larger than `isize::MAX` bytes; within that, round to the block's
        // alignment, down at the very top.
        if bytes > isize::MAX as usize {
            return Err(self.alloc_error(AllocErrorKind::CapacityOverflow, bytes));
        }
        let size = block_bytes(bytes).min(isize::MAX as usize & !(BLOCK_ALIGN - 1));
        let Ok(probe) = Layout::from_size_align(size, BLOCK_ALIGN) else {
            return Err(self.alloc_error(AllocErrorKind::CapacityOverflow, bytes));
        };
        self.add_chunk(probe, bytes)
    }

    // ---------------------------------------------------------------------------------------
    // Typed allocation.
    // ---------------------------------------------------------------------------------------

    /// Moves `value` into the arena and returns a mutable reference to it.
    ///
    /// Go: `arena.New[T](mem)` followed by an assignment. `T` must not need `Drop` (a compile
    /// error otherwise; see [`alloc_droppable`](Arena::alloc_droppable)).
    ///
    /// # Panics
    ///
    /// If a limit would be exceeded or memory is exhausted; see [`try_alloc`](Arena::try_alloc).
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// let mem = Arena::new();
    /// let point = mem.alloc((3, 4));
    /// point.0 = 5;
    /// assert_eq!(*point, (5, 4));
    /// ```
    #[inline(always)]
    #[allow(clippy::mut_from_ref)]
    pub fn alloc<T>(&self, value: T) -> &mut T {
        let () = AssertNoDrop::<T>::OK;
        self.alloc_with(|| value)
    }

    /// Like [`alloc`](Arena::alloc), returning an error instead of panicking.
    ///
    /// # Errors
    ///
    /// When a limit would be exceeded or memory is exhausted; `value` is dropped (it needs no
    /// drop) and the arena is unchanged.
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// let mem = Arena::builder().limit(0).build();
    /// assert!(mem.try_alloc([0u8; 64]).is_err());
    /// ```
    #[inline(always)]
    #[allow(clippy::mut_from_ref)]
    pub fn try_alloc<T>(&self, value: T) -> Result<&mut T, AllocError> {
        let () = AssertNoDrop::<T>::OK;
        self.try_alloc_with(|| value)
    }

    /// Allocates `T::default()` in the arena: Go's `arena.New[T](mem)`, which returns a pointer
    /// to a zero value.
    ///
    /// # Panics
    ///
    /// As [`alloc`](Arena::alloc).
    ///
    /// ```
    /// use arena_core::Arena;
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
    #[allow(clippy::mut_from_ref)]
    pub fn alloc_default<T: Default>(&self) -> &mut T {
        let () = AssertNoDrop::<T>::OK;
        self.alloc_with(T::default)
    }

    /// Like [`alloc_default`](Arena::alloc_default), returning an error instead of panicking.
    ///
    /// # Errors
    ///
    /// As [`try_alloc`](Arena::try_alloc).
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// let mem = Arena::new();
    /// assert_eq!(*mem.try_alloc_default::<u32>().unwrap(), 0);
    /// ```
    #[inline(always)]
    #[allow(clippy::mut_from_ref)]
    pub fn try_alloc_default<T: Default>(&self) -> Result<&mut T, AllocError> {
        let () = AssertNoDrop::<T>::OK;
        self.try_alloc_with(T::default)
    }

    /// Allocates space first and then writes `make()` straight into it, so a large value can be
    /// built in place instead of on the stack.
    ///
    /// # Panics
    ///
    /// As [`alloc`](Arena::alloc). If `make` panics, the space stays allocated until reset.
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// let mem = Arena::new();
    /// let table = mem.alloc_with(|| [0u64; 4096]);
    /// assert_eq!(table.len(), 4096);
    /// ```
    #[inline(always)]
    #[allow(clippy::mut_from_ref)]
    pub fn alloc_with<T, F: FnOnce() -> T>(&self, make: F) -> &mut T {
        let () = AssertNoDrop::<T>::OK;
        match self.try_alloc_with(make) {
            Ok(value) => value,
            Err(err) => err.panic(),
        }
    }

    /// Like [`alloc_with`](Arena::alloc_with), returning an error instead of panicking (`make`
    /// is not called then).
    ///
    /// # Errors
    ///
    /// As [`try_alloc`](Arena::try_alloc).
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// let mem = Arena::builder().limit(0).build();
    /// assert!(mem.try_alloc_with(|| -> [u8; 16] { unreachable!() }).is_err());
    /// ```
    #[inline(always)]
    #[allow(clippy::mut_from_ref)]
    pub fn try_alloc_with<T, F: FnOnce() -> T>(&self, make: F) -> Result<&mut T, AllocError> {
        let () = AssertNoDrop::<T>::OK;
        let ptr = self.try_alloc_layout(Layout::new::<T>())?.cast::<T>();
        // SAFETY: `ptr` is freshly allocated for `Layout::new::<T>()`, so it is aligned, valid
        // for writes of a `T` and not aliased; the reference borrows `self`, so it cannot outlive
        // the memory (reset needs `&mut self`, free needs `self`).
        unsafe {
            ptr.as_ptr().write(make());
            Ok(&mut *ptr.as_ptr())
        }
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
    /// use arena_core::Arena;
    ///
    /// let mut mem = Arena::new();
    /// let names = mem.alloc_droppable(vec![String::from("ann")]);
    /// names.push(String::from("bob"));
    /// assert_eq!(mem.stats().drops_pending, 1);
    /// mem.reset(); // the Vec and its Strings are dropped here
    /// assert_eq!(mem.stats().drops_pending, 0);
    /// ```
    #[inline]
    #[allow(clippy::mut_from_ref)]
    pub fn alloc_droppable<T: Send + 'static>(&self, value: T) -> &mut T {
        match self.try_alloc_droppable(value) {
            Ok(value) => value,
            Err(err) => err.panic(),
        }
    }

    /// Like [`alloc_droppable`](Arena::alloc_droppable), returning an error instead of
    /// panicking.
    ///
    /// # Errors
    ///
    /// As [`try_alloc`](Arena::try_alloc); `value` is dropped before returning.
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// let mem = Arena::builder().limit(0).build();
    /// assert!(mem.try_alloc_droppable(String::from("x")).is_err());
    /// assert_eq!(mem.stats().drops_pending, 0);
    /// ```
    #[inline]
    #[allow(clippy::mut_from_ref)]
    pub fn try_alloc_droppable<T: Send + 'static>(&self, value: T) -> Result<&mut T, AllocError> {
        if !mem::needs_drop::<T>() {
            let ptr = self.try_alloc_layout(Layout::new::<T>())?.cast::<T>();
            // SAFETY: as in `try_alloc_with`: fresh, aligned, exclusive memory for one `T`.
            return unsafe {
                ptr.as_ptr().write(value);
                Ok(&mut *ptr.as_ptr())
            };
        }
        let node = self
            .try_alloc_layout(Layout::new::<DropNode<T>>())?
            .cast::<DropNode<T>>();
        // SAFETY: `node` is fresh, aligned memory for one `DropNode<T>`; once written it is
        // linked into the drop list, which runs its destructor exactly once before the memory is
        // reset or freed (the node lives in this arena's chunks, which outlive the list). The
        // returned reference borrows `self`, and the destructor runs only under `&mut self` or
        // `self`, so no reference is alive when it runs.
        unsafe {
            node.as_ptr().write(DropNode::new(value));
            self.drops.push(node);
            self.steady_floor.set(NOT_STEADY);
            Ok((*node.as_ptr()).value_mut())
        }
    }

    /// Copies a string into the arena.
    ///
    /// # Panics
    ///
    /// As [`alloc`](Arena::alloc).
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// let mem = Arena::new();
    /// let name = mem.alloc_str("bob");
    /// name.make_ascii_uppercase();
    /// assert_eq!(name, "BOB");
    /// ```
    #[inline]
    #[allow(clippy::mut_from_ref)]
    pub fn alloc_str(&self, src: &str) -> &mut str {
        match self.try_alloc_str(src) {
            Ok(value) => value,
            Err(err) => err.panic(),
        }
    }

    /// Like [`alloc_str`](Arena::alloc_str), returning an error instead of panicking.
    ///
    /// # Errors
    ///
    /// As [`try_alloc`](Arena::try_alloc).
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// let mem = Arena::new();
    /// assert_eq!(mem.try_alloc_str("hi").unwrap(), "hi");
    /// ```
    #[inline]
    #[allow(clippy::mut_from_ref)]
    pub fn try_alloc_str(&self, src: &str) -> Result<&mut str, AllocError> {
        let bytes = self.try_alloc_slice_copy(src.as_bytes())?;
        // SAFETY: the bytes were copied from a `str`, so they are valid UTF-8.
        Ok(unsafe { core::str::from_utf8_unchecked_mut(bytes) })
    }

    /// Copies a slice of `Copy` values into the arena with one `memcpy`.
    ///
    /// # Panics
    ///
    /// As [`alloc`](Arena::alloc).
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// let mem = Arena::new();
    /// let xs = mem.alloc_slice_copy(&[1, 2, 3]);
    /// xs[0] = 10;
    /// assert_eq!(xs, [10, 2, 3]);
    /// ```
    #[inline]
    #[allow(clippy::mut_from_ref)]
    pub fn alloc_slice_copy<T: Copy>(&self, src: &[T]) -> &mut [T] {
        match self.try_alloc_slice_copy(src) {
            Ok(value) => value,
            Err(err) => err.panic(),
        }
    }

    /// Like [`alloc_slice_copy`](Arena::alloc_slice_copy), returning an error instead of
    /// panicking.
    ///
    /// # Errors
    ///
    /// As [`try_alloc`](Arena::try_alloc).
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// let mem = Arena::builder().limit(0).build();
    /// assert!(mem.try_alloc_slice_copy(&[1u8; 100]).is_err());
    /// ```
    #[inline]
    #[allow(clippy::mut_from_ref)]
    pub fn try_alloc_slice_copy<T: Copy>(&self, src: &[T]) -> Result<&mut [T], AllocError> {
        let ptr = self.try_alloc_array::<T>(src.len())?;
        // SAFETY: `ptr` is fresh memory for `src.len()` values of `T`, disjoint from `src`; `T:
        // Copy`, so a bitwise copy is a valid copy.
        unsafe {
            ptr::copy_nonoverlapping(src.as_ptr(), ptr.as_ptr(), src.len());
            Ok(core::slice::from_raw_parts_mut(ptr.as_ptr(), src.len()))
        }
    }

    /// Clones each element of a slice into the arena.
    ///
    /// # Panics
    ///
    /// As [`alloc`](Arena::alloc), or if a `clone` panics (the clones made so far are then
    /// simply forgotten: they need no drop).
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// let mem = Arena::new();
    /// let words = mem.alloc_slice_clone(&["a", "b"]);
    /// assert_eq!(words, ["a", "b"]);
    /// ```
    #[inline]
    #[allow(clippy::mut_from_ref)]
    pub fn alloc_slice_clone<T: Clone>(&self, src: &[T]) -> &mut [T] {
        let () = AssertNoDrop::<T>::OK;
        self.alloc_slice_fill_with(src.len(), |i| src[i].clone())
    }

    /// Like [`alloc_slice_clone`](Arena::alloc_slice_clone), returning an error instead of
    /// panicking.
    ///
    /// # Errors
    ///
    /// As [`try_alloc`](Arena::try_alloc).
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// let mem = Arena::new();
    /// assert_eq!(mem.try_alloc_slice_clone(&[(1, 'a')]).unwrap(), [(1, 'a')]);
    /// ```
    #[inline]
    #[allow(clippy::mut_from_ref)]
    pub fn try_alloc_slice_clone<T: Clone>(&self, src: &[T]) -> Result<&mut [T], AllocError> {
        let () = AssertNoDrop::<T>::OK;
        self.try_alloc_slice_fill_with(src.len(), |i| src[i].clone())
    }

    /// Allocates a slice of `len` values, the `i`-th being `fill(i)`.
    ///
    /// # Panics
    ///
    /// As [`alloc`](Arena::alloc), including when `len * size_of::<T>()` overflows.
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// let mem = Arena::new();
    /// let squares = mem.alloc_slice_fill_with(4, |i| i * i);
    /// assert_eq!(squares, [0, 1, 4, 9]);
    /// ```
    #[inline]
    #[allow(clippy::mut_from_ref)]
    pub fn alloc_slice_fill_with<T, F: FnMut(usize) -> T>(&self, len: usize, fill: F) -> &mut [T] {
        let () = AssertNoDrop::<T>::OK;
        match self.try_alloc_slice_fill_with(len, fill) {
            Ok(value) => value,
            Err(err) => err.panic(),
        }
    }

    /// Like [`alloc_slice_fill_with`](Arena::alloc_slice_fill_with), returning an error instead
    /// of panicking (`fill` is not called then).
    ///
    /// # Errors
    ///
    /// As [`try_alloc`](Arena::try_alloc), and [`AllocErrorKind::CapacityOverflow`] when the
    /// byte size overflows.
    ///
    /// ```
    /// use arena_core::{AllocErrorKind, Arena};
    ///
    /// let mem = Arena::new();
    /// let err = mem.try_alloc_slice_fill_with(usize::MAX / 2, |_| 0u32).unwrap_err();
    /// assert_eq!(err.kind(), &AllocErrorKind::CapacityOverflow);
    /// ```
    #[inline]
    #[allow(clippy::mut_from_ref)]
    pub fn try_alloc_slice_fill_with<T, F: FnMut(usize) -> T>(
        &self,
        len: usize,
        mut fill: F,
    ) -> Result<&mut [T], AllocError> {
        let () = AssertNoDrop::<T>::OK;
        let ptr = self.try_alloc_array::<T>(len)?;
        for i in 0..len {
            // SAFETY: `ptr` is fresh memory for `len` values of `T` and `i < len`. If `fill`
            // panics, the values written so far are forgotten, which is fine: `T` needs no drop.
            unsafe { ptr.as_ptr().add(i).write(fill(i)) };
        }
        // SAFETY: all `len` values were initialized above; the slice borrows `self`.
        Ok(unsafe { core::slice::from_raw_parts_mut(ptr.as_ptr(), len) })
    }

    /// Allocates a slice of `len` default values: Go's zeroed `MakeSlice` contents.
    ///
    /// # Panics
    ///
    /// As [`alloc_slice_fill_with`](Arena::alloc_slice_fill_with).
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// let mem = Arena::new();
    /// assert_eq!(mem.alloc_slice_fill_default::<u8>(3), [0, 0, 0]);
    /// ```
    #[inline]
    #[allow(clippy::mut_from_ref)]
    pub fn alloc_slice_fill_default<T: Default>(&self, len: usize) -> &mut [T] {
        let () = AssertNoDrop::<T>::OK;
        self.alloc_slice_fill_with(len, |_| T::default())
    }

    /// Like [`alloc_slice_fill_default`](Arena::alloc_slice_fill_default), returning an error
    /// instead of panicking.
    ///
    /// # Errors
    ///
    /// As [`try_alloc_slice_fill_with`](Arena::try_alloc_slice_fill_with).
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// let mem = Arena::new();
    /// assert!(mem.try_alloc_slice_fill_default::<u64>(usize::MAX).is_err());
    /// ```
    #[inline]
    #[allow(clippy::mut_from_ref)]
    pub fn try_alloc_slice_fill_default<T: Default>(
        &self,
        len: usize,
    ) -> Result<&mut [T], AllocError> {
        self.try_alloc_slice_fill_with(len, |_| T::default())
    }

    /// Allocates a slice holding the items of an iterator that knows its length.
    ///
    /// # Panics
    ///
    /// As [`alloc`](Arena::alloc), or if the iterator yields fewer items than its `len()`
    /// promised (extra items are ignored).
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// let mem = Arena::new();
    /// let words = mem.alloc_slice_fill_iter("a b c".split(' ').collect::<Vec<_>>());
    /// assert_eq!(words, ["a", "b", "c"]);
    /// ```
    #[inline]
    #[allow(clippy::mut_from_ref)]
    pub fn alloc_slice_fill_iter<T, I>(&self, items: I) -> &mut [T]
    where
        I: IntoIterator<Item = T>,
        I::IntoIter: ExactSizeIterator,
    {
        match self.try_alloc_slice_fill_iter(items) {
            Ok(value) => value,
            Err(err) => err.panic(),
        }
    }

    /// Like [`alloc_slice_fill_iter`](Arena::alloc_slice_fill_iter), returning an error instead
    /// of panicking.
    ///
    /// # Errors
    ///
    /// As [`try_alloc`](Arena::try_alloc).
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// let mem = Arena::new();
    /// assert_eq!(mem.try_alloc_slice_fill_iter(1..4).unwrap(), [1, 2, 3]);
    /// ```
    #[inline]
    #[allow(clippy::mut_from_ref)]
    pub fn try_alloc_slice_fill_iter<T, I>(&self, items: I) -> Result<&mut [T], AllocError>
    where
        I: IntoIterator<Item = T>,
        I::IntoIter: ExactSizeIterator,
    {
        let mut items = items.into_iter();
        let len = items.len();
        self.try_alloc_slice_fill_with(len, |_| {
            items
                .next()
                .expect("ExactSizeIterator yielded fewer items than its len() promised")
        })
    }

    /// Formats into an arena string: the arena's `format!`.
    ///
    /// # Panics
    ///
    /// As [`alloc`](Arena::alloc), or if a `Display` impl returns an error.
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// let mem = Arena::new();
    /// let id = mem.alloc_fmt(format_args!("id-{}", 7));
    /// assert_eq!(id, "id-7");
    /// ```
    #[inline]
    #[allow(clippy::mut_from_ref)]
    pub fn alloc_fmt(&self, args: fmt::Arguments<'_>) -> &mut str {
        match self.try_alloc_fmt(args) {
            Ok(value) => value,
            Err(err) => err.panic(),
        }
    }

    /// Like [`alloc_fmt`](Arena::alloc_fmt), returning an error instead of panicking.
    ///
    /// # Errors
    ///
    /// As [`try_alloc`](Arena::try_alloc).
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// let mem = Arena::builder().limit(0).build();
    /// assert!(mem.try_alloc_fmt(format_args!("{}", 12345)).is_err());
    /// ```
    #[allow(clippy::mut_from_ref)]
    pub fn try_alloc_fmt(&self, args: fmt::Arguments<'_>) -> Result<&mut str, AllocError> {
        if let Some(literal) = args.as_str() {
            return self.try_alloc_str(literal);
        }
        // Room for a typical short formatted string, so most need no growth at all.
        let mut out = ArenaString::try_with_capacity_in(32, self)?;
        out.try_write_fmt(args)?;
        Ok(out.into_bump_str_mut())
    }

    /// Allocates uninitialized space for `len` values of `T`.
    #[inline]
    pub(crate) fn try_alloc_array<T>(&self, len: usize) -> Result<NonNull<T>, AllocError> {
        match Layout::array::<T>(len) {
            Ok(layout) => Ok(self.try_alloc_layout(layout)?.cast::<T>()),
            Err(_) => Err(self.alloc_error(AllocErrorKind::CapacityOverflow, usize::MAX)),
        }
    }

    // ---------------------------------------------------------------------------------------
    // Containers.
    // ---------------------------------------------------------------------------------------

    /// Go's `arena.MakeSlice[T](mem, len, cap)`: a vector of `len` default values with room for
    /// `cap`.
    ///
    /// # Panics
    ///
    /// As [`alloc`](Arena::alloc), or if `len > cap`.
    ///
    /// ```
    /// use arena_core::{Arena, ArenaVec};
    ///
    /// let mem = Arena::new();
    /// let names: ArenaVec<'_, &str> = mem.make_slice(100, 100);
    /// assert_eq!((names.len(), names.capacity()), (100, 100));
    /// assert_eq!(names[99], "");
    /// ```
    pub fn make_slice<T: Default>(&self, len: usize, cap: usize) -> ArenaVec<'_, T> {
        let () = AssertNoDrop::<T>::OK;
        match self.try_make_slice(len, cap) {
            Ok(value) => value,
            Err(err) => err.panic(),
        }
    }

    /// Like [`make_slice`](Arena::make_slice), returning an error instead of panicking.
    ///
    /// # Errors
    ///
    /// As [`try_alloc`](Arena::try_alloc).
    ///
    /// # Panics
    ///
    /// If `len > cap` (a programming error, as in Go).
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// let mem = Arena::builder().limit(0).build();
    /// assert!(mem.try_make_slice::<u64>(10, 10).is_err());
    /// ```
    pub fn try_make_slice<T: Default>(
        &self,
        len: usize,
        cap: usize,
    ) -> Result<ArenaVec<'_, T>, AllocError> {
        assert!(
            len <= cap,
            "make_slice: len ({len}) is larger than cap ({cap})"
        );
        let mut vec = ArenaVec::try_with_capacity_in(cap, self)?;
        vec.extend((0..len).map(|_| T::default()));
        Ok(vec)
    }

    /// An empty [`ArenaVec`]; it allocates when it first grows.
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut v = mem.vec();
    /// v.push(1u64);
    /// assert_eq!(v, [1]);
    /// ```
    pub fn vec<T>(&self) -> ArenaVec<'_, T> {
        let () = AssertNoDrop::<T>::OK;
        ArenaVec::new_in(self)
    }

    /// An [`ArenaVec`] with room for `capacity` values.
    ///
    /// # Panics
    ///
    /// As [`alloc`](Arena::alloc).
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// let mem = Arena::new();
    /// let v = mem.vec_with_capacity::<u64>(100);
    /// assert!(v.capacity() >= 100);
    /// ```
    pub fn vec_with_capacity<T>(&self, capacity: usize) -> ArenaVec<'_, T> {
        let () = AssertNoDrop::<T>::OK;
        ArenaVec::with_capacity_in(capacity, self)
    }

    /// Like [`vec_with_capacity`](Arena::vec_with_capacity), returning an error instead of
    /// panicking.
    ///
    /// # Errors
    ///
    /// As [`try_alloc`](Arena::try_alloc).
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// let mem = Arena::new();
    /// assert!(mem.try_vec_with_capacity::<u64>(usize::MAX).is_err());
    /// ```
    pub fn try_vec_with_capacity<T>(&self, capacity: usize) -> Result<ArenaVec<'_, T>, AllocError> {
        ArenaVec::try_with_capacity_in(capacity, self)
    }

    /// An empty [`ArenaString`].
    ///
    /// ```
    /// use arena_core::Arena;
    /// use std::fmt::Write;
    ///
    /// let mem = Arena::new();
    /// let mut s = mem.string();
    /// write!(s, "{}-{}", "a", 1).unwrap();
    /// assert_eq!(s, "a-1");
    /// ```
    pub fn string(&self) -> ArenaString<'_> {
        ArenaString::new_in(self)
    }

    /// An [`ArenaString`] with room for `capacity` bytes.
    ///
    /// # Panics
    ///
    /// As [`alloc`](Arena::alloc).
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// let mem = Arena::new();
    /// assert!(mem.string_with_capacity(64).capacity() >= 64);
    /// ```
    pub fn string_with_capacity(&self, capacity: usize) -> ArenaString<'_> {
        ArenaString::with_capacity_in(capacity, self)
    }

    /// Like [`string_with_capacity`](Arena::string_with_capacity), returning an error instead of
    /// panicking.
    ///
    /// # Errors
    ///
    /// As [`try_alloc`](Arena::try_alloc).
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// let mem = Arena::builder().limit(0).build();
    /// assert!(mem.try_string_with_capacity(64).is_err());
    /// ```
    pub fn try_string_with_capacity(&self, capacity: usize) -> Result<ArenaString<'_>, AllocError> {
        ArenaString::try_with_capacity_in(capacity, self)
    }

    /// An empty [`ArenaHashMap`].
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut ages = mem.hash_map();
    /// ages.insert("bob", 42u32);
    /// assert_eq!(ages["bob"], 42);
    /// ```
    pub fn hash_map<K, V>(&self) -> ArenaHashMap<'_, K, V> {
        let () = AssertNoDrop::<K>::OK;
        let () = AssertNoDrop::<V>::OK;
        ArenaHashMap::new_in(self)
    }

    /// An [`ArenaHashMap`] with room for `capacity` entries.
    ///
    /// # Panics
    ///
    /// As [`alloc`](Arena::alloc).
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// let mem = Arena::new();
    /// let m = mem.hash_map_with_capacity::<u32, u32>(100);
    /// assert!(m.capacity() >= 100);
    /// ```
    pub fn hash_map_with_capacity<K: Eq + core::hash::Hash, V>(
        &self,
        capacity: usize,
    ) -> ArenaHashMap<'_, K, V> {
        ArenaHashMap::with_capacity_in(capacity, self)
    }

    /// Like [`hash_map_with_capacity`](Arena::hash_map_with_capacity), returning an error instead
    /// of panicking.
    ///
    /// # Errors
    ///
    /// As [`try_alloc`](Arena::try_alloc).
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// let mem = Arena::builder().limit(0).build();
    /// assert!(mem.try_hash_map_with_capacity::<u32, u32>(100).is_err());
    /// ```
    pub fn try_hash_map_with_capacity<K: Eq + core::hash::Hash, V>(
        &self,
        capacity: usize,
    ) -> Result<ArenaHashMap<'_, K, V>, AllocError> {
        ArenaHashMap::try_with_capacity_in(capacity, self)
    }

    // ---------------------------------------------------------------------------------------
    // Statistics, reset and free.
    // ---------------------------------------------------------------------------------------

    /// A snapshot of the arena's memory and bookkeeping. See [`Stats`].
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// let mem = Arena::new();
    /// mem.alloc_slice_copy(&[0u8; 100]);
    /// assert!(mem.stats().used_bytes >= 100);
    /// // Allocations are counted on request (or while tracing), since counting is not free.
    /// assert_eq!(mem.stats().allocations, None);
    ///
    /// let counted = Arena::builder().count_allocations(true).build();
    /// counted.alloc_slice_copy(&[0u8; 100]);
    /// assert_eq!(counted.stats().allocations, Some(1));
    /// ```
    pub fn stats(&self) -> Stats {
        Stats {
            used_bytes: self.used_bytes(),
            reserved_bytes: self.reserved_bytes(),
            chunks: self.chunk_count(),
            allocations: self.allocation_count(),
            drops_pending: self.drops.pending(),
            limit: self.limit,
            label: self.label.clone(),
        }
    }

    /// Bytes consumed since the last reset (see [`Stats::used_bytes`]).
    #[inline]
    pub(crate) fn used_bytes(&self) -> usize {
        // bumpalo counts the whole block as handed out; its free part is not.
        let block_free = self.block_end.get() - self.cursor.get().as_ptr() as usize;
        self.bump.allocated_bytes() - self.bump.chunk_capacity() - block_free
    }

    /// Bytes of chunk memory held (see [`Stats::reserved_bytes`]).
    #[inline]
    pub(crate) fn reserved_bytes(&self) -> usize {
        self.bump.allocated_bytes()
    }

    #[inline]
    pub(crate) fn drops_pending(&self) -> usize {
        self.drops.pending()
    }

    /// Zeroes the per-round counters of an arena that holds nothing.
    #[inline]
    pub(crate) fn clear_counters(&mut self) {
        self.allocations.set(0);
    }

    /// The allocations since the last reset, when the arena counts them.
    #[inline]
    pub(crate) fn allocation_count(&self) -> Option<usize> {
        self.counts_allocations.then(|| self.allocations.get())
    }

    pub(crate) fn chunk_count(&self) -> usize {
        // SAFETY: the iterator only reads chunk footers; nothing allocates from `self.bump`
        // while it runs (we hold `&self` and do not allocate here).
        unsafe { self.bump.iter_allocated_chunks_raw().count() }
    }

    /// Drops every pending value and makes all memory available again, keeping it for reuse.
    ///
    /// One chunk is rewound in place. Several chunks are merged into one at least as large as
    /// all of them together (bumpalo rounds chunk sizes up, so it may be a little larger), so
    /// the next fill of the same size needs no new chunk. If a limit leaves no room for the
    /// merged chunk, the arena keeps its newest, largest chunk instead.
    ///
    /// Takes `&mut self`, so no reference into the arena can be alive.
    ///
    /// # Panics
    ///
    /// If a destructor panics, the other destructors still run and the memory is still reset;
    /// then the first panic is resumed. The arena is usable afterwards.
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// let mut mem = Arena::new();
    /// for round in 0..3 {
    ///     for i in 0..1000u64 {
    ///         mem.alloc(i);
    ///     }
    ///     if round > 0 {
    ///         assert_eq!(mem.stats().chunks, 1); // the memory of round 0 was kept
    ///     }
    ///     mem.reset();
    /// }
    /// ```
    #[inline]
    pub fn reset(&mut self) {
        if self.drops.pending() == 0 && self.reserved_bytes() == self.newest_chunk_bytes.get() {
            // At most one chunk and nothing to drop: rewind it in place. (A chunk is kept whole,
            // so this is what the general path would do, without its bookkeeping.)
            self.rewind_only_chunk();
            self.clear_counters();
        } else {
            self.reset_general();
        }
    }

    /// Moves the cursor of the arena's one chunk back to its start (what was handed out is
    /// poisoned under the `asan` feature). The caller knows there is no other chunk and no
    /// pending destructor. That chunk is the block, or, with no block, untouched since bumpalo
    /// made or reset it: only the block allocates from bumpalo. bumpalo's own pointer stays
    /// where it is, with the whole chunk handed out to the block.
    #[inline(always)]
    fn rewind_only_chunk(&mut self) {
        let start = self.block_start.get();
        asan::poison(start.as_ptr(), self.block_used());
        self.cursor.set(start);
    }

    /// Bytes the block has handed out: from its start to the cursor (0 with no block).
    #[inline(always)]
    fn block_used(&self) -> usize {
        self.cursor.get().as_ptr() as usize - self.block_start.get().as_ptr() as usize
    }

    /// [`reset`](Arena::reset) with destructors to run or chunks to merge.
    #[cold]
    #[inline(never)]
    fn reset_general(&mut self) {
        let keep = self.reserved_bytes();
        let run = self.reset_keeping(keep);
        if let Some(payload) = run.first_panic {
            panic::resume_unwind(payload);
        }
    }

    /// The end of a pooled scope in the steady state, and nothing else: returns `true` after
    /// rewinding the bump pointer when nothing was allocated (a scope that only computed), or
    /// when what was used is at least the steady floor the pool set — one chunk, no pending
    /// destructor, and exactly the chunk the retention policy would keep. Otherwise does nothing
    /// and returns `false`: the caller takes the general end (destructors, retention).
    #[inline(always)]
    pub(crate) fn rewind_steady(&mut self) -> bool {
        // Nothing to clear: the pool enables the fast path only for arenas that do not count,
        // and turning counting on again starts from zero.
        debug_assert!(!self.counts_allocations, "a fast scope that counts");
        // What the block handed out. While a floor is set (not `NOT_STEADY`) the arena still
        // holds one chunk and no destructor, since a new chunk or a destructor clears the floor,
        // and that chunk is the block (or is untouched, with no block): then this is all that
        // was used.
        let in_block = self.block_used();
        let floor = self.steady_floor.get();
        if in_block != 0 {
            // `NOT_STEADY` is the largest `usize`, so an arena without a floor stops here.
            if in_block < floor {
                return false;
            }
            debug_assert_eq!(in_block, self.used_bytes());
            self.rewind_only_chunk();
            return true;
        }
        // Nothing in the block: the scope used nothing, unless (without a floor) it used chunks
        // the block has since moved past.
        floor != NOT_STEADY || self.used_bytes() == 0
    }

    /// Called by the pool after the general end of a scope: allows bare rewinds from now on when
    /// the arena holds at most one chunk and no destructor, and `ARENA_RETAIN` is `100` or `off`
    /// with `ballast` (`ARENA_BALLAST`) in force. Returns whether it did.
    pub(crate) fn set_steady_floor(&self, retain: crate::config::Retain, ballast: usize) -> bool {
        use crate::config::Retain;
        let reserved = self.reserved_bytes();
        let one_chunk = reserved == self.newest_chunk_bytes.get() || reserved == 0;
        let floor = if self.drops.pending() != 0 || !one_chunk {
            NOT_STEADY
        } else {
            match retain {
                // Everything is kept, but a ballast larger than the chunk must still be reserved
                // by the general end.
                Retain::Off if ballast > reserved => NOT_STEADY,
                // Everything is kept: any round that fits the chunk is steady.
                Retain::Off => 1,
                Retain::Percent(100) => steady_floor(reserved, ballast),
                // Other percentages keep less than a round used: their end resizes.
                Retain::Percent(_) => NOT_STEADY,
            }
        };
        self.steady_floor.set(floor);
        floor != NOT_STEADY
    }

    /// Runs the pending destructors and resets the memory, keeping one chunk of at least
    /// `keep_bytes` (none for 0). Hands back what the destructors did instead of resuming a
    /// panic, so callers decide (a scope that is already unwinding must not panic again).
    pub(crate) fn reset_keeping(&mut self, keep_bytes: usize) -> DropsRun {
        self.steady_floor.set(NOT_STEADY);
        let run = self.drops.run_all();
        self.allocations.set(0);
        let reserved = self.bump.allocated_bytes();
        if reserved == 0 {
            return run;
        }
        // Rewind: bumpalo keeps the newest (largest) chunk and frees the older ones; the next
        // allocation takes the kept chunk as the block again.
        self.poison_used();
        self.drop_block();
        self.bump.reset();
        let kept = self.bump.allocated_bytes();
        self.bump.set_allocation_limit(Some(kept));
        self.newest_chunk_bytes.set(kept);
        budget::release(reserved - kept);
        // The steady case ends here: one chunk, the size we want to keep.
        let too_small = kept < keep_bytes;
        let too_big = keep_bytes == 0
            || chunk_bound(keep_bytes.max(MIN_CHUNK_REQUEST)).is_some_and(|bound| kept > bound);
        if too_small || too_big {
            self.resize_kept_chunk(keep_bytes, too_small);
        }
        run
    }

    /// Replaces the one chunk left after a reset by one of about `keep_bytes` (none for 0).
    #[cold]
    fn resize_kept_chunk(&mut self, keep_bytes: usize, growing: bool) {
        let kept = self.bump.allocated_bytes();
        if self.reserve_fresh(keep_bytes).is_err() && growing {
            // A limit forbids the merged chunk: keep a chunk as large as the one we had.
            let _ = self.reserve_fresh(kept);
        }
    }

    /// Frees every chunk and returns its bytes to the process budget.
    fn release_all_memory(&mut self) {
        let reserved = self.bump.allocated_bytes();
        self.drop_block();
        self.bump = Engine::with_min_align();
        self.bump.set_allocation_limit(Some(0));
        self.newest_chunk_bytes.set(0);
        self.steady_floor.set(NOT_STEADY);
        budget::release(reserved);
    }

    /// Drops every pending value and gives all memory back. Dropping the arena does the same;
    /// `free` says so explicitly, as Go's `mem.Free()` does.
    ///
    /// # Panics
    ///
    /// If a destructor panics, after the other destructors ran and the memory was freed.
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// let mem = Arena::new();
    /// mem.alloc_droppable(String::from("dropped at free"));
    /// mem.free();
    /// ```
    pub fn free(self) {
        // `Drop` does the work, resuming a destructor's panic when not already unwinding.
        drop(self);
    }

    /// The work of `free` and `drop`: destructors, trace line, memory back.
    fn free_in_place(&mut self) -> DropsRun {
        let started = crate::trace::start_if_enabled();
        let used = self.used_bytes();
        let allocations = self.allocation_count();
        let run = self.drops.run_all();
        if let Some(started) = started {
            if !self.pooled {
                crate::trace::arena_freed(self, started, used, allocations, run.count);
            }
        }
        self.release_all_memory();
        run
    }
}

impl Default for Arena {
    /// The same as [`Arena::new`].
    fn default() -> Self {
        Arena::new()
    }
}

impl Drop for Arena {
    fn drop(&mut self) {
        let run = self.free_in_place();
        if let Some(payload) = run.first_panic {
            if !std::thread::panicking() {
                panic::resume_unwind(payload);
            }
        }
    }
}

impl fmt::Debug for Arena {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Arena")
            .field("stats", &self.stats())
            .finish()
    }
}

impl AllocError {
    /// Panics with this error's message (the non-`try_` methods).
    #[cold]
    #[inline(never)]
    #[track_caller]
    pub(crate) fn panic(self) -> ! {
        panic!("{self}")
    }
}
