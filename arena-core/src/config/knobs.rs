//! The knobs' types: [`Config`] (the four together), [`Retain`], [`ConfigError`], and the
//! private [`Knob`] that names each variable and its grammar.
//!
//! Relies on nothing else in the crate.

use core::fmt;

/// The four knobs together: what [`from_env`](super::from_env) parses, [`current`](super::current) reports and
/// [`Config::install`] sets.
///
/// ```
/// # use arena_core as arena;
/// use arena::config::{Config, Retain};
///
/// let defaults = Config::default();
/// assert_eq!(defaults.memlimit, None);
/// assert_eq!(defaults.retain, Retain::Percent(100));
/// assert_eq!(defaults.ballast, 0);
/// assert!(!defaults.trace);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// `ARENA_MEMLIMIT`: the process-wide limit on memory reserved by all arenas, in bytes;
    /// `None` is `off`.
    pub memlimit: Option<usize>,
    /// `ARENA_RETAIN`: how much memory a pooled arena keeps after a scope.
    pub retain: Retain,
    /// `ARENA_BALLAST`: bytes each pooled arena reserves when it is created.
    pub ballast: usize,
    /// `ARENA_DEBUG=arenatrace=1`: print a trace line per scope end and per arena free.
    pub trace: bool,
}

/// `ARENA_RETAIN`: how much memory a pooled arena keeps after a scope, the analogue of `GOGC`.
///
/// The default is `Percent(100)`: a pooled arena keeps what the last scope needed.
///
/// ```
/// # use arena_core as arena;
/// use arena::config::{parse_retain, Retain};
///
/// assert_eq!(Retain::default(), Retain::Percent(100));
/// assert_eq!(parse_retain("0"), Ok(Retain::Percent(0)));
/// assert_eq!(parse_retain("off"), Ok(Retain::Off));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Retain {
    /// Keep at most this percent of the memory the last scope needed, rounded up to whole
    /// chunks; `Percent(0)` keeps nothing.
    Percent(u32),
    /// Keep everything ever reserved (`ARENA_RETAIN=off`).
    Off,
}

impl Default for Retain {
    fn default() -> Self {
        Retain::Percent(100)
    }
}

/// A malformed knob: names the variable, its value, what is wrong and the accepted grammar.
///
/// When several variables are malformed, the error describes the first one (in the order
/// `ARENA_MEMLIMIT`, `ARENA_RETAIN`, `ARENA_BALLAST`, `ARENA_DEBUG`) and [`others`](Self::others)
/// holds the rest; `Display` prints one line per malformed variable.
///
/// ```
/// # use arena_core as arena;
/// use arena::config::parse_memlimit;
///
/// let err = parse_memlimit("500MB").unwrap_err();
/// assert_eq!(err.variable(), "ARENA_MEMLIMIT");
/// assert_eq!(err.value(), "500MB");
/// assert_eq!(
///     err.to_string(),
///     "ARENA_MEMLIMIT=\"500MB\" is malformed: expected `off` or a whole number of bytes with an \
///      optional unit B, KiB, MiB, GiB or TiB (for example 500MiB); \"MB\" is not a unit (did you mean MiB?)"
/// );
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ConfigError(
    // Boxed: one pointer wide, so that it costs nothing in `AllocError` and hot-path `Result`s.
    Box<Detail>,
);

#[derive(Clone, PartialEq, Eq)]
struct Detail {
    variable: &'static str,
    value: String,
    grammar: &'static str,
    problem: String,
    others: Vec<ConfigError>,
}

impl ConfigError {
    pub(super) fn new(knob: Knob, value: &str, problem: String) -> Self {
        ConfigError(Box::new(Detail {
            variable: knob.variable(),
            value: value.to_owned(),
            grammar: knob.grammar(),
            problem,
            others: Vec::new(),
        }))
    }

    /// This error, with `others` as the other malformed variables.
    pub(super) fn with_others(mut self, others: Vec<ConfigError>) -> Self {
        self.0.others = others;
        self
    }

    /// The environment variable, such as `"ARENA_MEMLIMIT"`.
    ///
    /// ```
    /// # use arena_core as arena;
    /// assert_eq!(arena::config::parse_retain("-1").unwrap_err().variable(), "ARENA_RETAIN");
    /// ```
    pub fn variable(&self) -> &'static str {
        self.0.variable
    }

    /// The malformed value, as given (a value that is not UTF-8 is converted lossily).
    ///
    /// ```
    /// # use arena_core as arena;
    /// assert_eq!(arena::config::parse_ballast(" 1").unwrap_err().value(), " 1");
    /// ```
    pub fn value(&self) -> &str {
        &self.0.value
    }

    /// The accepted grammar, in words, with an example.
    ///
    /// ```
    /// # use arena_core as arena;
    /// let err = arena::config::parse_debug("gctrace=1").unwrap_err();
    /// assert!(err.grammar().contains("arenatrace=1"));
    /// ```
    pub fn grammar(&self) -> &'static str {
        self.0.grammar
    }

    /// What is wrong with the value, with a hint where the mistake is a common one.
    ///
    /// ```
    /// # use arena_core as arena;
    /// let err = arena::config::parse_memlimit("500mib").unwrap_err();
    /// assert_eq!(err.problem(), "units are case-sensitive (did you mean 500MiB?)");
    /// ```
    pub fn problem(&self) -> &str {
        &self.0.problem
    }

    /// The other malformed variables found in the same check, in table order (empty for the
    /// errors of the `parse_*` functions).
    ///
    /// ```
    /// # use arena_core as arena;
    /// // Only `from_env` and the lazy load check several variables at once.
    /// assert!(arena::config::parse_memlimit("").unwrap_err().others().is_empty());
    /// ```
    pub fn others(&self) -> &[ConfigError] {
        &self.0.others
    }

    /// Every malformed variable of this error: itself, then [`others`](Self::others).
    pub(super) fn all(&self) -> impl Iterator<Item = &ConfigError> {
        core::iter::once(self).chain(self.0.others.iter())
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.all().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(
                f,
                "{}={:?} is malformed: expected {}; {}",
                e.0.variable, e.0.value, e.0.grammar, e.0.problem
            )?;
        }
        Ok(())
    }
}

impl fmt::Debug for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("ConfigError");
        s.field("variable", &self.0.variable)
            .field("value", &self.0.value)
            .field("problem", &self.0.problem);
        if !self.0.others.is_empty() {
            s.field("others", &self.0.others);
        }
        s.finish_non_exhaustive()
    }
}

impl std::error::Error for ConfigError {}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Knob {
    Memlimit,
    Retain,
    Ballast,
    Debug,
}

impl Knob {
    pub(super) fn variable(self) -> &'static str {
        match self {
            Knob::Memlimit => "ARENA_MEMLIMIT",
            Knob::Retain => "ARENA_RETAIN",
            Knob::Ballast => "ARENA_BALLAST",
            Knob::Debug => "ARENA_DEBUG",
        }
    }

    pub(super) fn grammar(self) -> &'static str {
        match self {
            Knob::Memlimit => {
                "`off` or a whole number of bytes with an optional unit B, KiB, MiB, GiB or TiB \
                 (for example 500MiB)"
            }
            Knob::Retain => "`off` or a whole percent, digits only (for example 50)",
            Knob::Ballast => {
                "a whole number of bytes with an optional unit B, KiB, MiB, GiB or TiB, or `off` \
                 for none (for example 64MiB)"
            }
            Knob::Debug => {
                "a comma-separated list of key=value settings; the known key is arenatrace, \
                 with value 0 or 1 (for example arenatrace=1)"
            }
        }
    }
}

/// A set of knobs, one bit each: those a write installs, and those set programmatically (for
/// which the environment no longer counts).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) struct KnobSet(u8);

impl KnobSet {
    /// No knob.
    pub(super) const NONE: KnobSet = KnobSet(0);
    /// All four knobs.
    pub(super) const ALL: KnobSet = KnobSet(0b1111);

    /// The set of `knob` alone.
    pub(super) const fn of(knob: Knob) -> KnobSet {
        KnobSet(match knob {
            Knob::Memlimit => 1,
            Knob::Retain => 2,
            Knob::Ballast => 4,
            Knob::Debug => 8,
        })
    }

    /// Whether `knob` is in the set.
    pub(super) const fn contains(self, knob: Knob) -> bool {
        self.0 & KnobSet::of(knob).0 != 0
    }

    /// The knobs in either set.
    pub(super) const fn union(self, other: KnobSet) -> KnobSet {
        KnobSet(self.0 | other.0)
    }

    /// The knobs of `self` not in `other`.
    pub(super) const fn without(self, other: KnobSet) -> KnobSet {
        KnobSet(self.0 & !other.0)
    }
}
