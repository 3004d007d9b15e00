//! AddressSanitizer poisoning (feature `asan`): arena memory that is not handed out is poisoned,
//! so a raw pointer kept across `reset` or a scope's end is reported as `use-after-poison`, the
//! way `go run -asan` reports a use after `mem.Free()`.
//!
//! Enable the feature only in builds with `-Zsanitizer=address`: it calls the sanitizer's runtime,
//! which other builds do not link. Without the feature these functions are empty and inlined
//! away, so the feature costs nothing when off.

#[cfg(feature = "asan")]
mod runtime {
    use core::ffi::c_void;

    extern "C" {
        pub(super) fn __asan_poison_memory_region(addr: *const c_void, size: usize);
        pub(super) fn __asan_unpoison_memory_region(addr: *const c_void, size: usize);
    }
}

/// Marks `len` bytes at `ptr` as not addressable.
#[inline(always)]
pub(crate) fn poison(ptr: *const u8, len: usize) {
    #[cfg(feature = "asan")]
    if len != 0 {
        // SAFETY: the sanitizer only records the range in its shadow memory; the range lies in a
        // chunk owned by the calling arena.
        unsafe { runtime::__asan_poison_memory_region(ptr.cast(), len) }
    }
    #[cfg(not(feature = "asan"))]
    let _ = (ptr, len);
}

/// Marks `len` bytes at `ptr` as addressable again (they are being handed out).
#[inline(always)]
pub(crate) fn unpoison(ptr: *const u8, len: usize) {
    #[cfg(feature = "asan")]
    if len != 0 {
        // SAFETY: as in `poison`.
        unsafe { runtime::__asan_unpoison_memory_region(ptr.cast(), len) }
    }
    #[cfg(not(feature = "asan"))]
    let _ = (ptr, len);
}

/// Whether poisoning is compiled in.
pub(crate) const ENABLED: bool = cfg!(feature = "asan");
