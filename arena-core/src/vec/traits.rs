//! The standard traits of [`ArenaVec`] (slice access, comparison, hashing, `Debug`, `Clone`,
//! `Extend`) and its owning iterator, [`IntoIter`].
//!
//! Relies only on the vector's own methods and its inner allocator-api2 `Vec`.

use core::fmt;
use core::hash::{Hash, Hasher};
use core::ops::{Deref, DerefMut, Index, IndexMut};
use core::slice::SliceIndex;

use super::ArenaVec;
use crate::error::OrPanic;

impl<T> Deref for ArenaVec<'_, T> {
    type Target = [T];

    #[inline]
    fn deref(&self) -> &[T] {
        self.inner.as_slice()
    }
}

impl<T> DerefMut for ArenaVec<'_, T> {
    #[inline]
    fn deref_mut(&mut self) -> &mut [T] {
        self.inner.as_mut_slice()
    }
}

impl<T, I: SliceIndex<[T]>> Index<I> for ArenaVec<'_, T> {
    type Output = I::Output;

    #[inline]
    fn index(&self, index: I) -> &I::Output {
        Index::index(self.as_slice(), index)
    }
}

impl<T, I: SliceIndex<[T]>> IndexMut<I> for ArenaVec<'_, T> {
    #[inline]
    fn index_mut(&mut self, index: I) -> &mut I::Output {
        IndexMut::index_mut(self.as_mut_slice(), index)
    }
}

impl<T> AsRef<[T]> for ArenaVec<'_, T> {
    fn as_ref(&self) -> &[T] {
        self
    }
}

impl<T> AsMut<[T]> for ArenaVec<'_, T> {
    fn as_mut(&mut self) -> &mut [T] {
        self
    }
}

impl<T> core::borrow::Borrow<[T]> for ArenaVec<'_, T> {
    fn borrow(&self) -> &[T] {
        self
    }
}

impl<T> Extend<T> for ArenaVec<'_, T> {
    #[track_caller]
    fn extend<I: IntoIterator<Item = T>>(&mut self, items: I) {
        let items = items.into_iter();
        self.reserve(items.size_hint().0);
        for item in items {
            self.push(item);
        }
    }
}

impl<'v, T: Copy + 'v> Extend<&'v T> for ArenaVec<'_, T> {
    #[track_caller]
    fn extend<I: IntoIterator<Item = &'v T>>(&mut self, items: I) {
        self.extend(items.into_iter().copied())
    }
}

impl<'v, T> IntoIterator for &'v ArenaVec<'_, T> {
    type Item = &'v T;
    type IntoIter = core::slice::Iter<'v, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'v, T> IntoIterator for &'v mut ArenaVec<'_, T> {
    type Item = &'v mut T;
    type IntoIter = core::slice::IterMut<'v, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

/// The owning iterator of an [`ArenaVec`]: moves the elements out, front to back.
///
/// ```
/// # use arena_core as arena;
/// use arena::Arena;
///
/// let mem = Arena::new();
/// let mut v = mem.vec();
/// v.extend([1, 2, 3]);
/// let doubled: Vec<i32> = v.into_iter().map(|x| x * 2).collect();
/// assert_eq!(doubled, [2, 4, 6]);
/// ```
pub struct IntoIter<'a, T> {
    elements: core::slice::IterMut<'a, T>,
}

impl<T> Iterator for IntoIter<'_, T> {
    type Item = T;

    #[inline]
    fn next(&mut self) -> Option<T> {
        // SAFETY: each element is yielded once and never read again (the vector was consumed into
        // this iterator); leaving the rest unread is fine because `T` needs no drop.
        self.elements
            .next()
            .map(|slot| unsafe { core::ptr::read(slot) })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.elements.size_hint()
    }
}

impl<T> DoubleEndedIterator for IntoIter<'_, T> {
    fn next_back(&mut self) -> Option<T> {
        // SAFETY: as in `next`.
        self.elements
            .next_back()
            .map(|slot| unsafe { core::ptr::read(slot) })
    }
}

impl<T> ExactSizeIterator for IntoIter<'_, T> {}

impl<'a, T: 'a> IntoIterator for ArenaVec<'a, T> {
    type Item = T;
    type IntoIter = IntoIter<'a, T>;

    fn into_iter(self) -> IntoIter<'a, T> {
        IntoIter {
            elements: self.into_bump_slice_mut().iter_mut(),
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for ArenaVec<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_slice(), f)
    }
}

impl<'a, T: Clone> Clone for ArenaVec<'a, T> {
    /// Clones the elements into a new buffer in the same arena.
    #[track_caller]
    fn clone(&self) -> Self {
        // The drop rule was checked when this vector was made.
        let mut copy = ArenaVec::try_with_capacity_in_raw(self.len(), self.arena()).or_panic();
        copy.extend(self.iter().cloned());
        copy
    }
}

impl<T: PartialEq<U>, U> PartialEq<ArenaVec<'_, U>> for ArenaVec<'_, T> {
    fn eq(&self, other: &ArenaVec<'_, U>) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<T: Eq> Eq for ArenaVec<'_, T> {}

impl<T: PartialEq<U>, U> PartialEq<[U]> for ArenaVec<'_, T> {
    fn eq(&self, other: &[U]) -> bool {
        self.as_slice() == other
    }
}

impl<T: PartialEq<U>, U> PartialEq<&[U]> for ArenaVec<'_, T> {
    fn eq(&self, other: &&[U]) -> bool {
        self.as_slice() == *other
    }
}

impl<T: PartialEq<U>, U, const N: usize> PartialEq<[U; N]> for ArenaVec<'_, T> {
    fn eq(&self, other: &[U; N]) -> bool {
        self.as_slice() == other
    }
}

impl<T: PartialEq<U>, U> PartialEq<Vec<U>> for ArenaVec<'_, T> {
    fn eq(&self, other: &Vec<U>) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<T: PartialOrd> PartialOrd for ArenaVec<'_, T> {
    fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
        self.as_slice().partial_cmp(other.as_slice())
    }
}

impl<T: Ord> Ord for ArenaVec<'_, T> {
    fn cmp(&self, other: &Self) -> core::cmp::Ordering {
        self.as_slice().cmp(other.as_slice())
    }
}

impl<T: Hash> Hash for ArenaVec<'_, T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_slice().hash(state)
    }
}
