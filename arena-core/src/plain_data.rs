//! The standard types that are plain data: `Copy`, no drop glue, no borrow, the same value in
//! the arena and on the heap. One list, which the clone impls (copied bitwise) and the
//! deserialize impls (read through their own `serde::Deserialize`) both expand.

/// Calls `$impls!(T1, T2, ..)` with every plain-data type of the standard library that the
/// clone and deserialize impls share (a module adds its own extras, such as
/// `core::cmp::Ordering`, which serde does not deserialize, by a second call of its macro).
macro_rules! for_each_plain_type {
    ($impls:ident) => {
        $impls!(
            (),
            bool,
            char,
            u8,
            u16,
            u32,
            u64,
            u128,
            usize,
            i8,
            i16,
            i32,
            i64,
            i128,
            isize,
            f32,
            f64,
            core::num::NonZeroU8,
            core::num::NonZeroU16,
            core::num::NonZeroU32,
            core::num::NonZeroU64,
            core::num::NonZeroU128,
            core::num::NonZeroUsize,
            core::num::NonZeroI8,
            core::num::NonZeroI16,
            core::num::NonZeroI32,
            core::num::NonZeroI64,
            core::num::NonZeroI128,
            core::num::NonZeroIsize,
            core::time::Duration,
        );
    };
}

pub(crate) use for_each_plain_type;
