//! [`ArenaString`]: a growable UTF-8 string whose buffer lives in an arena.

use core::fmt;
use core::hash::{Hash, Hasher};
use core::ops::{Deref, DerefMut};

use crate::arena::Arena;
use crate::error::AllocError;
use crate::vec::ArenaVec;

/// A growable string whose buffer lives in an [`Arena`].
///
/// Like [`ArenaVec`] it has no drop glue, so it can be a field of an arena value. It implements
/// [`fmt::Write`], so `write!` works; [`Arena::alloc_fmt`] is the one-shot form.
///
/// ```
/// # use arena_core as arena;
/// use arena::Arena;
/// use std::fmt::Write;
///
/// let mem = Arena::new();
/// let mut line = mem.string();
/// for word in ["GET", "/index.html"] {
///     if !line.is_empty() {
///         line.push(' ');
///     }
///     line.push_str(word);
/// }
/// write!(line, " {}", 200).unwrap();
/// assert_eq!(line, "GET /index.html 200");
/// ```
pub struct ArenaString<'a> {
    bytes: ArenaVec<'a, u8>,
}

impl<'a> ArenaString<'a> {
    /// An empty string in `arena`.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::{Arena, ArenaString};
    ///
    /// let mem = Arena::new();
    /// assert_eq!(ArenaString::new_in(&mem), "");
    /// ```
    #[inline]
    pub fn new_in(arena: &'a Arena) -> Self {
        ArenaString {
            bytes: ArenaVec::new_in(arena),
        }
    }

    /// An empty string in `arena` with room for `capacity` bytes.
    ///
    /// # Panics
    ///
    /// If the arena cannot provide the memory.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::{Arena, ArenaString};
    ///
    /// let mem = Arena::new();
    /// assert!(ArenaString::with_capacity_in(16, &mem).capacity() >= 16);
    /// ```
    #[track_caller]
    pub fn with_capacity_in(capacity: usize, arena: &'a Arena) -> Self {
        ArenaString {
            bytes: ArenaVec::with_capacity_in(capacity, arena),
        }
    }

    /// Like [`with_capacity_in`](ArenaString::with_capacity_in), returning an error instead of
    /// panicking.
    ///
    /// # Errors
    ///
    /// As [`Arena::try_alloc`].
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::{Arena, ArenaString};
    ///
    /// let mem = Arena::builder().limit(0).build();
    /// assert!(ArenaString::try_with_capacity_in(16, &mem).is_err());
    /// ```
    pub fn try_with_capacity_in(capacity: usize, arena: &'a Arena) -> Result<Self, AllocError> {
        Ok(ArenaString {
            bytes: ArenaVec::try_with_capacity_in(capacity, arena)?,
        })
    }

    /// A copy of `src` in `arena`.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::{Arena, ArenaString};
    ///
    /// let mem = Arena::new();
    /// assert_eq!(ArenaString::from_str_in("hi", &mem), "hi");
    /// ```
    #[track_caller]
    pub fn from_str_in(src: &str, arena: &'a Arena) -> Self {
        let mut s = ArenaString::with_capacity_in(src.len(), arena);
        s.push_str(src);
        s
    }

    /// The arena the buffer lives in.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// assert!(std::ptr::eq(mem.string().arena(), &mem));
    /// ```
    #[inline]
    pub fn arena(&self) -> &'a Arena {
        self.bytes.arena()
    }

    /// Appends a string slice.
    ///
    /// # Panics
    ///
    /// If growing fails; see [`try_push_str`](ArenaString::try_push_str).
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut s = mem.string();
    /// s.push_str("ab");
    /// assert_eq!(s, "ab");
    /// ```
    #[inline]
    #[track_caller]
    pub fn push_str(&mut self, src: &str) {
        self.bytes.extend_from_slice(src.as_bytes())
    }

    /// Appends a string slice, or says why the arena cannot grow the buffer.
    ///
    /// # Errors
    ///
    /// As [`Arena::try_alloc`]; the string is unchanged.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::builder().limit(0).build();
    /// let mut s = mem.string();
    /// assert!(s.try_push_str("x").is_err());
    /// assert_eq!(s, "");
    /// ```
    pub fn try_push_str(&mut self, src: &str) -> Result<(), AllocError> {
        self.bytes.try_extend_from_slice(src.as_bytes())
    }

    /// Appends a character.
    ///
    /// # Panics
    ///
    /// If growing fails.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut s = mem.string();
    /// s.push('é');
    /// assert_eq!(s, "é");
    /// ```
    #[inline]
    #[track_caller]
    pub fn push(&mut self, ch: char) {
        self.push_str(ch.encode_utf8(&mut [0; 4]))
    }

    /// Removes and returns the last character.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut s = mem.string();
    /// s.push_str("ab");
    /// assert_eq!(s.pop(), Some('b'));
    /// assert_eq!(s, "a");
    /// ```
    pub fn pop(&mut self) -> Option<char> {
        let ch = self.chars().next_back()?;
        self.bytes.truncate(self.len() - ch.len_utf8());
        Some(ch)
    }

    /// Shortens the string to `new_len` bytes.
    ///
    /// # Panics
    ///
    /// If `new_len` is not on a character boundary.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut s = mem.string();
    /// s.push_str("hello");
    /// s.truncate(2);
    /// assert_eq!(s, "he");
    /// ```
    pub fn truncate(&mut self, new_len: usize) {
        if new_len < self.len() {
            assert!(
                self.is_char_boundary(new_len),
                "truncate: {new_len} is not a char boundary"
            );
            self.bytes.truncate(new_len);
        }
    }

    /// Removes all text, keeping the buffer.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut s = mem.string();
    /// s.push_str("x");
    /// s.clear();
    /// assert!(s.is_empty());
    /// ```
    pub fn clear(&mut self) {
        self.bytes.clear()
    }

    /// The number of bytes the buffer has room for.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// assert_eq!(arena::Arena::new().string().capacity(), 0);
    /// ```
    pub fn capacity(&self) -> usize {
        self.bytes.capacity()
    }

    /// Gives the unused capacity back to the arena when the buffer is the arena's newest
    /// allocation, and otherwise keeps it (see [`ArenaVec::shrink_to_fit`]).
    /// [`into_bump_str`](ArenaString::into_bump_str) does this too.
    ///
    /// ```
    /// use arena_core::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut s = mem.string();
    /// s.push_str("abc");
    /// s.shrink_to_fit();
    /// assert_eq!(s.capacity(), 3);
    /// assert_eq!(mem.stats().used_bytes, 8); // 3 bytes, rounded up to the arena's 8
    /// ```
    pub fn shrink_to_fit(&mut self) {
        self.bytes.shrink_to_fit()
    }

    /// The text.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut s = mem.string();
    /// s.push_str("x");
    /// assert_eq!(s.as_str(), "x");
    /// ```
    #[inline]
    pub fn as_str(&self) -> &str {
        // SAFETY: the bytes only ever receive whole UTF-8 strings and are only truncated on char
        // boundaries.
        unsafe { core::str::from_utf8_unchecked(&self.bytes) }
    }

    /// The text, mutable.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut s = mem.string();
    /// s.push_str("abc");
    /// s.as_mut_str().make_ascii_uppercase();
    /// assert_eq!(s, "ABC");
    /// ```
    #[inline]
    pub fn as_mut_str(&mut self) -> &mut str {
        // SAFETY: as in `as_str`; `&mut str` only allows UTF-8-preserving changes.
        unsafe { core::str::from_utf8_unchecked_mut(&mut self.bytes) }
    }

    /// Gives up the ability to grow and returns the text as a `&str` that lives as long as the
    /// arena. The unused capacity goes back to the arena when the buffer is its newest
    /// allocation.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut s = mem.string();
    /// s.push_str("kept");
    /// let kept: &str = s.into_bump_str();
    /// assert_eq!(kept, "kept");
    /// ```
    pub fn into_bump_str(self) -> &'a str {
        self.into_bump_str_mut()
    }

    /// Like [`into_bump_str`](ArenaString::into_bump_str), mutable.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut s = mem.string();
    /// s.push_str("a");
    /// s.into_bump_str_mut().make_ascii_uppercase();
    /// ```
    pub fn into_bump_str_mut(self) -> &'a mut str {
        let bytes = self.bytes.into_bump_slice_mut();
        // SAFETY: as in `as_str`.
        unsafe { core::str::from_utf8_unchecked_mut(bytes) }
    }

    /// [`into_bump_str_mut`](ArenaString::into_bump_str_mut) keeping the spare capacity taken.
    #[inline]
    pub(crate) fn into_bump_str_mut_untrimmed(self) -> &'a mut str {
        let bytes = self.bytes.into_bump_slice_mut_untrimmed();
        // SAFETY: as in `as_str`.
        unsafe { core::str::from_utf8_unchecked_mut(bytes) }
    }

    /// Appends formatted text, reporting an arena error precisely (where `write!` can only say
    /// `fmt::Error`).
    ///
    /// # Errors
    ///
    /// As [`Arena::try_alloc`]. Text written before the failure stays.
    ///
    /// ```
    /// # use arena_core as arena;
    /// use arena::Arena;
    ///
    /// let mem = Arena::new();
    /// let mut s = mem.string();
    /// s.try_write_fmt(format_args!("{}+{}", 1, 2)).unwrap();
    /// assert_eq!(s, "1+2");
    /// ```
    #[track_caller]
    pub fn try_write_fmt(&mut self, args: fmt::Arguments<'_>) -> Result<(), AllocError> {
        struct Writer<'s, 'a> {
            out: &'s mut ArenaString<'a>,
            failure: Option<AllocError>,
        }
        impl Writer<'_, '_> {
            /// Keeps the error for `try_write_fmt` to return; out of line, so the common case
            /// saves no registers for it.
            #[cold]
            #[inline(never)]
            fn fail(&mut self, err: AllocError) -> fmt::Result {
                self.failure = Some(err);
                Err(fmt::Error)
            }
        }
        impl fmt::Write for Writer<'_, '_> {
            fn write_str(&mut self, s: &str) -> fmt::Result {
                match self.out.try_push_str(s) {
                    Ok(()) => Ok(()),
                    Err(err) => self.fail(err),
                }
            }
        }
        let mut writer = Writer {
            out: self,
            failure: None,
        };
        match fmt::write(&mut writer, args) {
            Ok(()) => Ok(()),
            Err(fmt::Error) => match writer.failure {
                Some(err) => Err(err),
                None => panic!("a Display implementation returned an error unexpectedly"),
            },
        }
    }
}

impl Deref for ArenaString<'_> {
    type Target = str;

    #[inline]
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl DerefMut for ArenaString<'_> {
    #[inline]
    fn deref_mut(&mut self) -> &mut str {
        self.as_mut_str()
    }
}

impl fmt::Write for ArenaString<'_> {
    #[inline]
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.try_push_str(s).map_err(|_| fmt::Error)
    }
}

impl fmt::Debug for ArenaString<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for ArenaString<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl Clone for ArenaString<'_> {
    /// Copies the text into a new buffer in the same arena.
    #[track_caller]
    fn clone(&self) -> Self {
        ArenaString::from_str_in(self, self.arena())
    }
}

impl AsRef<str> for ArenaString<'_> {
    fn as_ref(&self) -> &str {
        self
    }
}

impl AsRef<[u8]> for ArenaString<'_> {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl core::borrow::Borrow<str> for ArenaString<'_> {
    fn borrow(&self) -> &str {
        self
    }
}

impl PartialEq for ArenaString<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for ArenaString<'_> {}

impl PartialEq<str> for ArenaString<'_> {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for ArenaString<'_> {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for ArenaString<'_> {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<ArenaString<'_>> for str {
    fn eq(&self, other: &ArenaString<'_>) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<ArenaString<'_>> for &str {
    fn eq(&self, other: &ArenaString<'_>) -> bool {
        *self == other.as_str()
    }
}

impl PartialOrd for ArenaString<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ArenaString<'_> {
    fn cmp(&self, other: &Self) -> core::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for ArenaString<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl Extend<char> for ArenaString<'_> {
    #[track_caller]
    fn extend<I: IntoIterator<Item = char>>(&mut self, chars: I) {
        for ch in chars {
            self.push(ch);
        }
    }
}

impl<'s> Extend<&'s str> for ArenaString<'_> {
    #[track_caller]
    fn extend<I: IntoIterator<Item = &'s str>>(&mut self, parts: I) {
        for part in parts {
            self.push_str(part);
        }
    }
}
