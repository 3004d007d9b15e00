//! [`Value`]: a document of any shape, in the arena (what `serde_json::Value` is on the heap),
//! and its owned twin [`ValueOwned`].

use core::fmt;
use std::string::String;
use std::vec::Vec;

use serde::de::{Deserializer, Error, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use super::impls::{collect_seq, push_in};
use super::{alloc_failed, DeserializeIn, Mode, Seed};
use crate::arena::Arena;
use crate::clone::{CloneIn, CloneOut};
use crate::vec::ArenaVec;

/// A number of a [`Value`]: an integer that fits `u64` or `i64`, or a float.
///
/// Integers are stored as [`Number::U64`] when they are not negative and as [`Number::I64`]
/// when they are; the accessors read either.
///
/// ```
/// # use arena_core as arena;
/// use arena::de::Number;
///
/// assert_eq!(Number::U64(7).as_i64(), Some(7));
/// assert_eq!(Number::I64(-1).as_u64(), None);
/// assert_eq!(Number::F64(0.5).as_f64(), 0.5);
/// assert_eq!(Number::U64(3).to_string(), "3");
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    /// A non-negative integer.
    U64(u64),
    /// A negative integer (a non-negative one is `U64`).
    I64(i64),
    /// A floating-point number.
    F64(f64),
}

impl Number {
    /// The number as a `u64`, if it is an integer in range.
    pub fn as_u64(self) -> Option<u64> {
        match self {
            Number::U64(n) => Some(n),
            Number::I64(n) => u64::try_from(n).ok(),
            Number::F64(_) => None,
        }
    }

    /// The number as an `i64`, if it is an integer in range.
    pub fn as_i64(self) -> Option<i64> {
        match self {
            Number::U64(n) => i64::try_from(n).ok(),
            Number::I64(n) => Some(n),
            Number::F64(_) => None,
        }
    }

    /// The number as an `f64` (integers converted, possibly losing precision).
    pub fn as_f64(self) -> f64 {
        match self {
            Number::U64(n) => n as f64,
            Number::I64(n) => n as f64,
            Number::F64(n) => n,
        }
    }

    fn from_i64(n: i64) -> Number {
        match u64::try_from(n) {
            Ok(n) => Number::U64(n),
            Err(_) => Number::I64(n),
        }
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::U64(n) => fmt::Display::fmt(n, f),
            Number::I64(n) => fmt::Display::fmt(n, f),
            Number::F64(n) => fmt::Display::fmt(n, f),
        }
    }
}

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match *self {
            Number::U64(n) => serializer.serialize_u64(n),
            Number::I64(n) => serializer.serialize_i64(n),
            Number::F64(n) => serializer.serialize_f64(n),
        }
    }
}

/// A document of any shape whose strings, arrays and objects live in the arena: what
/// `serde_json::Value` is on the heap, from any format.
///
/// Arrays and objects are frozen slices; an object keeps its members in input order, and a key
/// given twice is kept twice ([`Value::get`] finds the last, as `serde_json` keeps the last). It
/// is `Copy`: a `Value` is a tag and at most a slice. [`clone_out`](CloneOut::clone_out) copies
/// it to the heap as a [`ValueOwned`]; both serialize back to the same document.
///
/// Use a typed `#[arena_alloc(deserialize)]` struct when the shape is known (it is smaller and
/// faster to walk); `Value` when it is not.
///
/// ```
/// # use arena_core as arena;
/// use arena::de::{DeserializeIn, Value};
/// use arena::{Arena, CloneOut};
///
/// let mem = Arena::new();
/// let text = r#"{"id": 7, "tags": ["a", "b"], "ok": true, "none": null}"#;
/// let doc = Value::deserialize_in(&mut serde_json::Deserializer::from_str(text), &mem).unwrap();
/// assert_eq!(doc["id"].as_u64(), Some(7));
/// assert_eq!(doc["tags"][1].as_str(), Some("b"));
/// assert!(doc["missing"].is_null());
/// let compact = r#"{"id":7,"tags":["a","b"],"ok":true,"none":null}"#;
/// assert_eq!(serde_json::to_string(&doc).unwrap(), compact);
///
/// let owned = doc.clone_out(); // outlives the arena
/// drop(mem);
/// assert_eq!(serde_json::to_string(&owned).unwrap(), compact);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub enum Value<'a> {
    /// `null` (or the format's unit or none).
    #[default]
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string, in the arena (or borrowed from the input, in the borrowing mode).
    String(&'a str),
    /// An array.
    Array(&'a [Value<'a>]),
    /// An object: its members in input order.
    Object(&'a [(&'a str, Value<'a>)]),
}

static NULL: Value<'static> = Value::Null;

impl<'a> Value<'a> {
    /// The member `key` of an object (the last one, if the key was given twice); `None` for a
    /// missing key or a value that is not an object.
    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        match self {
            Value::Object(members) => members
                .iter()
                .rev()
                .find(|(name, _)| *name == key)
                .map(|(_, value)| value),
            _ => None,
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The number, if this is one.
    pub fn as_number(&self) -> Option<Number> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The number as a `u64`, if this is an integer in range.
    pub fn as_u64(&self) -> Option<u64> {
        self.as_number().and_then(Number::as_u64)
    }

    /// The number as an `i64`, if this is an integer in range.
    pub fn as_i64(&self) -> Option<i64> {
        self.as_number().and_then(Number::as_i64)
    }

    /// The number as an `f64`, if this is a number.
    pub fn as_f64(&self) -> Option<f64> {
        self.as_number().map(Number::as_f64)
    }

    /// The string, if this is one. It lives as long as the arena.
    pub fn as_str(&self) -> Option<&'a str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The elements, if this is an array.
    pub fn as_array(&self) -> Option<&'a [Value<'a>]> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The members, if this is an object.
    pub fn as_object(&self) -> Option<&'a [(&'a str, Value<'a>)]> {
        match self {
            Value::Object(members) => Some(members),
            _ => None,
        }
    }
}

impl<'a> core::ops::Index<&str> for Value<'a> {
    type Output = Value<'a>;

    /// The member `key`, or `Null` when it is missing or this is not an object (as
    /// `serde_json::Value` indexes).
    fn index(&self, key: &str) -> &Value<'a> {
        self.get(key).unwrap_or(&NULL)
    }
}

impl<'a> core::ops::Index<usize> for Value<'a> {
    type Output = Value<'a>;

    /// The element at `index`, or `Null` when it is out of range or this is not an array.
    fn index(&self, index: usize) -> &Value<'a> {
        match self {
            Value::Array(items) => items.get(index).unwrap_or(&NULL),
            _ => &NULL,
        }
    }
}

struct ValueVisitor<'a, M> {
    mode: M,
    marker: core::marker::PhantomData<&'a ()>,
}

impl<'de, 'a, M: Mode<'de, 'a>> Visitor<'de> for ValueVisitor<'a, M> {
    type Value = Value<'a>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("any value")
    }

    #[inline]
    fn visit_bool<E: Error>(self, b: bool) -> Result<Value<'a>, E> {
        Ok(Value::Bool(b))
    }

    #[inline]
    fn visit_i64<E: Error>(self, n: i64) -> Result<Value<'a>, E> {
        Ok(Value::Number(Number::from_i64(n)))
    }

    #[inline]
    fn visit_u64<E: Error>(self, n: u64) -> Result<Value<'a>, E> {
        Ok(Value::Number(Number::U64(n)))
    }

    #[inline]
    fn visit_f64<E: Error>(self, n: f64) -> Result<Value<'a>, E> {
        Ok(Value::Number(Number::F64(n)))
    }

    #[inline]
    fn visit_borrowed_str<E: Error>(self, text: &'de str) -> Result<Value<'a>, E> {
        match self.mode.borrow_str(text) {
            Some(borrowed) => Ok(Value::String(borrowed)),
            None => self.visit_str(text),
        }
    }

    #[inline]
    fn visit_str<E: Error>(self, text: &str) -> Result<Value<'a>, E> {
        match self.mode.arena().try_alloc_str(text) {
            Ok(copy) => Ok(Value::String(copy)),
            Err(err) => Err(alloc_failed(err)),
        }
    }

    #[inline]
    fn visit_unit<E: Error>(self) -> Result<Value<'a>, E> {
        Ok(Value::Null)
    }

    #[inline]
    fn visit_none<E: Error>(self) -> Result<Value<'a>, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value<'a>, D::Error> {
        Value::deserialize_in_with(deserializer, self.mode)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Value<'a>, D::Error> {
        Value::deserialize_in_with(deserializer, self.mode)
    }

    #[inline]
    fn visit_seq<S: SeqAccess<'de>>(self, seq: S) -> Result<Value<'a>, S::Error> {
        let items: ArenaVec<'a, Value<'a>> = collect_seq(seq, self.mode)?;
        Ok(Value::Array(items.into_bump_slice()))
    }

    #[inline]
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value<'a>, A::Error> {
        let mut members: ArenaVec<'a, (&'a str, Value<'a>)> = ArenaVec::new_in(self.mode.arena());
        while let Some(key) = map.next_key_seed(Seed::<&'a str, M>::new(self.mode))? {
            let value = map.next_value_seed(Seed::<Value<'a>, M>::new(self.mode))?;
            push_in(&mut members, (key, value))?;
        }
        Ok(Value::Object(members.into_bump_slice()))
    }
}

impl<'a> DeserializeIn<'a> for Value<'a> {
    #[inline]
    fn deserialize_in_with<'de, D, M>(deserializer: D, mode: M) -> Result<Self, D::Error>
    where
        D: Deserializer<'de>,
        M: Mode<'de, 'a>,
    {
        deserializer.deserialize_any(ValueVisitor {
            mode,
            marker: core::marker::PhantomData,
        })
    }
}

impl Serialize for Value<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Number(n) => n.serialize(serializer),
            Value::String(s) => serializer.serialize_str(s),
            Value::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items.iter() {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Object(members) => {
                let mut map = serializer.serialize_map(Some(members.len()))?;
                for (key, value) in members.iter() {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

/// The owned twin of [`Value`], on the heap: what [`clone_out`](CloneOut::clone_out) returns.
/// It serializes to the same document, and [`clone_in`](CloneIn::clone_in) brings it back into
/// an arena.
///
/// ```
/// # use arena_core as arena;
/// use arena::de::{Value, ValueOwned};
/// use arena::{Arena, CloneIn, CloneOut};
///
/// let owned = ValueOwned::Array(vec![ValueOwned::String("x".into()), ValueOwned::Null]);
/// let mem = Arena::new();
/// let value: Value<'_> = owned.clone_in(&mem);
/// assert_eq!(value[0].as_str(), Some("x"));
/// assert_eq!(value.clone_out(), owned);
/// ```
#[derive(Clone, Debug, PartialEq, Default)]
pub enum ValueOwned {
    /// `null`.
    #[default]
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<ValueOwned>),
    /// An object: its members in input order.
    Object(Vec<(String, ValueOwned)>),
}

impl Serialize for ValueOwned {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            ValueOwned::Null => serializer.serialize_unit(),
            ValueOwned::Bool(b) => serializer.serialize_bool(*b),
            ValueOwned::Number(n) => n.serialize(serializer),
            ValueOwned::String(s) => serializer.serialize_str(s),
            ValueOwned::Array(items) => serializer.collect_seq(items),
            ValueOwned::Object(members) => {
                let mut map = serializer.serialize_map(Some(members.len()))?;
                for (key, value) in members {
                    map.serialize_entry(key.as_str(), value)?;
                }
                map.end()
            }
        }
    }
}

impl CloneOut for Value<'_> {
    type Owned = ValueOwned;

    fn clone_out(&self) -> ValueOwned {
        match *self {
            Value::Null => ValueOwned::Null,
            Value::Bool(b) => ValueOwned::Bool(b),
            Value::Number(n) => ValueOwned::Number(n),
            Value::String(s) => ValueOwned::String(s.into()),
            Value::Array(items) => ValueOwned::Array(items.iter().map(Value::clone_out).collect()),
            Value::Object(members) => ValueOwned::Object(
                members
                    .iter()
                    .map(|(key, value)| (String::from(*key), value.clone_out()))
                    .collect(),
            ),
        }
    }
}

impl<'n> CloneIn<'n> for Value<'_> {
    type Cloned = Value<'n>;

    fn clone_in(&self, arena: &'n Arena) -> Value<'n> {
        match *self {
            Value::Null => Value::Null,
            Value::Bool(b) => Value::Bool(b),
            Value::Number(n) => Value::Number(n),
            Value::String(s) => Value::String(arena.alloc_str(s)),
            Value::Array(items) => Value::Array(
                arena.alloc_slice_fill_with(items.len(), |index| items[index].clone_in(arena)),
            ),
            Value::Object(members) => {
                Value::Object(arena.alloc_slice_fill_with(members.len(), |index| {
                    let (key, value) = &members[index];
                    (&*arena.alloc_str(key), value.clone_in(arena))
                }))
            }
        }
    }
}

impl<'n> CloneIn<'n> for ValueOwned {
    type Cloned = Value<'n>;

    fn clone_in(&self, arena: &'n Arena) -> Value<'n> {
        match self {
            ValueOwned::Null => Value::Null,
            ValueOwned::Bool(b) => Value::Bool(*b),
            ValueOwned::Number(n) => Value::Number(*n),
            ValueOwned::String(s) => Value::String(arena.alloc_str(s)),
            ValueOwned::Array(items) => Value::Array(
                arena.alloc_slice_fill_with(items.len(), |index| items[index].clone_in(arena)),
            ),
            ValueOwned::Object(members) => {
                Value::Object(arena.alloc_slice_fill_with(members.len(), |index| {
                    let (key, value) = &members[index];
                    (&*arena.alloc_str(key), value.clone_in(arena))
                }))
            }
        }
    }
}
