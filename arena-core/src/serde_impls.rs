//! `Serialize` for the arena containers (feature `serde`), so arena structures can be written
//! out directly, without cloning them to the heap first.

use core::hash::Hash;

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::hash_map::ArenaHashMap;
use crate::string::ArenaString;
use crate::vec::ArenaVec;

#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
impl<T: Serialize> Serialize for ArenaVec<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
impl Serialize for ArenaString<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
impl<K: Serialize + Eq + Hash, V: Serialize> Serialize for ArenaHashMap<'_, K, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (key, value) in self.iter() {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}
