//! The public allocation API for slices, strings and formatting: `alloc_str`, the
//! `alloc_slice_*` family and `alloc_fmt`, each with its `try_` twin.
//!
//! As in the values' API, each public entry point checks the drop rule once and hands the work
//! to a body the twins share (`fill_with`, `fill_iter`), and each panicking twin is its `try_`
//! twin plus `or_panic`, `#[track_caller]`. Relies on the block engine (`try_alloc_array`) for
//! the memory and on [`ArenaString`] for formatting.

use core::fmt;
use core::ptr;

use super::{Arena, AssertNoDrop};
use crate::error::{AllocError, OrPanic};
use crate::string::ArenaString;

// `&self` to `&mut`: each method hands out a new allocation, disjoint from every other.
#[allow(clippy::mut_from_ref)]
impl Arena {
    /// Copies a string into the arena.
    ///
    /// The string comes back as `&mut str`; it coerces to `&str` wherever that type is expected.
    /// Strings (and byte slices from [`alloc_slice_copy`](Arena::alloc_slice_copy)) are packed:
    /// one starts where the previous one ended when nothing else was allocated between them,
    /// with no rounding to the 8 bytes other allocations take.
    /// A container filled with these strings should name its element type, or it infers
    /// `&mut str` (see [`vec`](Arena::vec)).
    ///
    /// # Panics
    ///
    /// As [`alloc`](Arena::alloc).
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let name = mem.alloc_str("bob");
    /// name.make_ascii_uppercase();
    /// assert_eq!(name, "BOB");
    /// ```
    #[inline(always)]
    #[track_caller]
    pub fn alloc_str(&self, src: &str) -> &mut str {
        let ptr = self.alloc_bytes(src.len());
        // SAFETY: `ptr` is fresh memory for `src.len()` bytes, disjoint from `src`; the bytes
        // are copied from a `str`, so they are valid UTF-8. The string borrows `self`.
        unsafe {
            ptr::copy_nonoverlapping(src.as_ptr(), ptr.as_ptr(), src.len());
            let bytes = core::slice::from_raw_parts_mut(ptr.as_ptr(), src.len());
            core::str::from_utf8_unchecked_mut(bytes)
        }
    }

    /// Like [`alloc_str`](Arena::alloc_str), returning an error instead of panicking.
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
    /// assert_eq!(mem.try_alloc_str("hi").unwrap(), "hi");
    /// ```
    #[inline]
    pub fn try_alloc_str(&self, src: &str) -> Result<&mut str, AllocError> {
        let ptr = self.try_alloc_bytes(src.len())?;
        // SAFETY: as in `alloc_str`.
        unsafe {
            ptr::copy_nonoverlapping(src.as_ptr(), ptr.as_ptr(), src.len());
            let bytes = core::slice::from_raw_parts_mut(ptr.as_ptr(), src.len());
            Ok(core::str::from_utf8_unchecked_mut(bytes))
        }
    }

    /// Copies a slice of `Copy` values into the arena with one `memcpy`.
    ///
    /// # Panics
    ///
    /// As [`alloc`](Arena::alloc).
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let xs = mem.alloc_slice_copy(&[1, 2, 3]);
    /// xs[0] = 10;
    /// assert_eq!(xs, [10, 2, 3]);
    /// ```
    #[inline]
    #[track_caller]
    pub fn alloc_slice_copy<T: Copy>(&self, src: &[T]) -> &mut [T] {
        if core::mem::align_of::<T>() == 1 {
            // Byte data: packed after the previous byte allocation, with the error out of line.
            let ptr = self.alloc_bytes(core::mem::size_of_val(src)).cast::<T>();
            // SAFETY: `ptr` is fresh memory for the bytes of `src`, disjoint from it, and `T`
            // needs no alignment; `T: Copy`, so a bitwise copy is a valid copy.
            return unsafe { copy_into(src, ptr) };
        }
        self.try_alloc_slice_copy(src).or_panic()
    }

    /// Like [`alloc_slice_copy`](Arena::alloc_slice_copy), returning an error instead of
    /// panicking.
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
    /// assert!(mem.try_alloc_slice_copy(&[1u8; 100]).is_err());
    /// ```
    #[inline]
    pub fn try_alloc_slice_copy<T: Copy>(&self, src: &[T]) -> Result<&mut [T], AllocError> {
        let ptr = if core::mem::align_of::<T>() == 1 {
            // Byte data: packed after the previous byte allocation (a slice's bytes are at most
            // `isize::MAX`, so the size is a valid layout's).
            self.try_alloc_bytes(core::mem::size_of_val(src))?
                .cast::<T>()
        } else {
            self.try_alloc_array::<T>(src.len())?
        };
        // SAFETY: `ptr` is fresh memory for `src.len()` values of `T`, aligned for `T`, disjoint
        // from `src`; `T: Copy`, so a bitwise copy is a valid copy.
        Ok(unsafe { copy_into(src, ptr) })
    }

    /// Clones each element of a slice into the arena.
    ///
    /// # Panics
    ///
    /// As [`alloc`](Arena::alloc), or if a `clone` panics (the clones made so far are then
    /// simply forgotten: they need no drop).
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let words = mem.alloc_slice_clone(&["a", "b"]);
    /// assert_eq!(words, ["a", "b"]);
    /// ```
    #[inline]
    #[track_caller]
    pub fn alloc_slice_clone<T: Clone>(&self, src: &[T]) -> &mut [T] {
        let () = AssertNoDrop::<T>::OK;
        self.fill_with(src.len(), |i| src[i].clone()).or_panic()
    }

    /// Like [`alloc_slice_clone`](Arena::alloc_slice_clone), returning an error instead of
    /// panicking.
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
    /// assert_eq!(mem.try_alloc_slice_clone(&[(1, 'a')]).unwrap(), [(1, 'a')]);
    /// ```
    #[inline]
    pub fn try_alloc_slice_clone<T: Clone>(&self, src: &[T]) -> Result<&mut [T], AllocError> {
        let () = AssertNoDrop::<T>::OK;
        self.fill_with(src.len(), |i| src[i].clone())
    }

    /// Allocates a slice of `len` values, the `i`-th being `fill(i)`.
    ///
    /// # Panics
    ///
    /// As [`alloc`](Arena::alloc), including when `len * size_of::<T>()` overflows.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let squares = mem.alloc_slice_fill_with(4, |i| i * i);
    /// assert_eq!(squares, [0, 1, 4, 9]);
    /// ```
    #[inline]
    #[track_caller]
    pub fn alloc_slice_fill_with<T, F: FnMut(usize) -> T>(&self, len: usize, fill: F) -> &mut [T] {
        let () = AssertNoDrop::<T>::OK;
        self.fill_with(len, fill).or_panic()
    }

    /// Like [`alloc_slice_fill_with`](Arena::alloc_slice_fill_with), returning an error instead
    /// of panicking (`fill` is not called then).
    ///
    /// # Errors
    ///
    /// As [`try_alloc`](Arena::try_alloc), and [`AllocErrorKind::CapacityOverflow`](crate::AllocErrorKind::CapacityOverflow) when the
    /// byte size overflows.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::{AllocErrorKind, Arena};
    ///
    /// let mem = Arena::new();
    /// let err = mem.try_alloc_slice_fill_with(usize::MAX / 2, |_| 0u32).unwrap_err();
    /// assert_eq!(err.kind(), &AllocErrorKind::CapacityOverflow);
    /// ```
    #[inline]
    pub fn try_alloc_slice_fill_with<T, F: FnMut(usize) -> T>(
        &self,
        len: usize,
        fill: F,
    ) -> Result<&mut [T], AllocError> {
        let () = AssertNoDrop::<T>::OK;
        self.fill_with(len, fill)
    }

    /// Allocates a slice of `len` default values: Go's zeroed `MakeSlice` contents.
    ///
    /// # Panics
    ///
    /// As [`alloc_slice_fill_with`](Arena::alloc_slice_fill_with).
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// assert_eq!(mem.alloc_slice_fill_default::<u8>(3), [0, 0, 0]);
    /// ```
    #[inline]
    #[track_caller]
    pub fn alloc_slice_fill_default<T: Default>(&self, len: usize) -> &mut [T] {
        let () = AssertNoDrop::<T>::OK;
        self.fill_with(len, |_| T::default()).or_panic()
    }

    /// Like [`alloc_slice_fill_default`](Arena::alloc_slice_fill_default), returning an error
    /// instead of panicking.
    ///
    /// # Errors
    ///
    /// As [`try_alloc_slice_fill_with`](Arena::try_alloc_slice_fill_with).
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// assert!(mem.try_alloc_slice_fill_default::<u64>(usize::MAX).is_err());
    /// ```
    #[inline]
    pub fn try_alloc_slice_fill_default<T: Default>(
        &self,
        len: usize,
    ) -> Result<&mut [T], AllocError> {
        let () = AssertNoDrop::<T>::OK;
        self.fill_with(len, |_| T::default())
    }

    /// Allocates a slice holding the items of an iterator that knows its length.
    ///
    /// # Panics
    ///
    /// As [`alloc`](Arena::alloc), or if the iterator yields fewer items than its `len()`
    /// promised (extra items are ignored).
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let words = mem.alloc_slice_fill_iter("a b c".split(' ').collect::<Vec<_>>());
    /// assert_eq!(words, ["a", "b", "c"]);
    /// ```
    #[inline]
    #[doc(alias = "alloc_iter")]
    #[doc(alias = "alloc_extend")]
    #[doc(alias = "alloc_from_iter")]
    #[track_caller]
    pub fn alloc_slice_fill_iter<T, I>(&self, items: I) -> &mut [T]
    where
        I: IntoIterator<Item = T>,
        I::IntoIter: ExactSizeIterator,
    {
        let () = AssertNoDrop::<T>::OK;
        self.fill_iter(items.into_iter()).or_panic()
    }

    /// Like [`alloc_slice_fill_iter`](Arena::alloc_slice_fill_iter), returning an error instead
    /// of panicking.
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
    /// assert_eq!(mem.try_alloc_slice_fill_iter(1..4).unwrap(), [1, 2, 3]);
    /// ```
    #[inline]
    #[track_caller]
    pub fn try_alloc_slice_fill_iter<T, I>(&self, items: I) -> Result<&mut [T], AllocError>
    where
        I: IntoIterator<Item = T>,
        I::IntoIter: ExactSizeIterator,
    {
        let () = AssertNoDrop::<T>::OK;
        self.fill_iter(items.into_iter())
    }

    /// Formats into an arena string: the arena's `format!`.
    ///
    /// # Panics
    ///
    /// As [`alloc`](Arena::alloc), or if a `Display` impl returns an error.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let id = mem.alloc_fmt(format_args!("id-{}", 7));
    /// assert_eq!(id, "id-7");
    /// ```
    #[inline]
    #[doc(alias = "format")]
    #[doc(alias = "format!")]
    #[doc(alias = "alloc_format")]
    #[track_caller]
    pub fn alloc_fmt(&self, args: fmt::Arguments<'_>) -> &mut str {
        self.try_alloc_fmt(args).or_panic()
    }

    /// Like [`alloc_fmt`](Arena::alloc_fmt), returning an error instead of panicking.
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
    /// assert!(mem.try_alloc_fmt(format_args!("{}", 12345)).is_err());
    /// ```
    #[track_caller]
    pub fn try_alloc_fmt(&self, args: fmt::Arguments<'_>) -> Result<&mut str, AllocError> {
        if let Some(literal) = args.as_str() {
            return self.try_alloc_str(literal);
        }
        // Room for a typical short formatted string, so most need no growth at all. The spare
        // bytes stay taken: giving them back cost the request-loop benchmark 17 instructions per
        // formatted string (+1.8 %) to save at most 24 bytes; `ArenaString::into_bump_str`
        // gives them back for a caller who wants the tightest footprint.
        let mut out = ArenaString::try_with_capacity_in(32, self)?;
        out.try_write_fmt(args)?;
        Ok(out.into_bump_str_mut_untrimmed())
    }
}

/// The bodies the twins share. They do not check the drop rule: every public caller has checked
/// it already (a value that needs `Drop` put here would only leak, which is safe).
// `&self` to `&mut`: each method hands out a new allocation, disjoint from every other.
#[allow(clippy::mut_from_ref)]
impl Arena {
    /// A slice of `len` values, the `i`-th being `fill(i)`.
    #[inline]
    fn fill_with<T, F: FnMut(usize) -> T>(
        &self,
        len: usize,
        mut fill: F,
    ) -> Result<&mut [T], AllocError> {
        let ptr = self.try_alloc_array::<T>(len)?;
        for i in 0..len {
            // SAFETY: `ptr` is fresh memory for `len` values of `T` and `i < len`. If `fill`
            // panics, the values written so far are forgotten, which is fine: `T` needs no drop.
            unsafe { ptr.as_ptr().add(i).write(fill(i)) };
        }
        // SAFETY: all `len` values were initialized above; the slice borrows `self`.
        Ok(unsafe { core::slice::from_raw_parts_mut(ptr.as_ptr(), len) })
    }

    /// A slice of the items of `items`, as many as its `len()` promised.
    #[inline]
    #[track_caller]
    fn fill_iter<T, I: ExactSizeIterator<Item = T>>(
        &self,
        mut items: I,
    ) -> Result<&mut [T], AllocError> {
        let len = items.len();
        let ptr = self.try_alloc_array::<T>(len)?;
        for i in 0..len {
            let Some(item) = items.next() else {
                fewer_items_than_promised()
            };
            // SAFETY: as in `fill_with`: fresh memory for `len` values, `i < len`; on a panic
            // the values written so far are forgotten (`T` needs no drop).
            unsafe { ptr.as_ptr().add(i).write(item) };
        }
        // SAFETY: all `len` values were initialized above; the slice borrows `self`.
        Ok(unsafe { core::slice::from_raw_parts_mut(ptr.as_ptr(), len) })
    }
}

/// Copies `src` into `dst` and returns the copy.
///
/// # Safety
///
/// `dst` is valid for writes of `src.len()` values of `T`, aligned for `T`, disjoint from
/// `src`, and not otherwise referenced for `'a`.
#[inline(always)]
unsafe fn copy_into<'a, T: Copy>(src: &[T], dst: core::ptr::NonNull<T>) -> &'a mut [T] {
    // SAFETY: the caller's guarantees; `T: Copy`, so the bitwise copy is a valid copy.
    unsafe {
        ptr::copy_nonoverlapping(src.as_ptr(), dst.as_ptr(), src.len());
        core::slice::from_raw_parts_mut(dst.as_ptr(), src.len())
    }
}

/// The panic of an `ExactSizeIterator` that ran out early, at the user's call.
#[cold]
#[inline(never)]
#[track_caller]
fn fewer_items_than_promised() -> ! {
    panic!("ExactSizeIterator yielded fewer items than its len() promised")
}
