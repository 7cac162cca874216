//! package-lock.json read for the `bin` of each package only: every other value is parsed (so a
//! text that is not JSON is refused as before) and dropped without being built, where a whole
//! `serde_json::Value` of a lock with a few hundred packages was most of a Node app's compile.
//!
//! The result is what `Value` and its `get`/`as_object`/`as_str` gave: a value of another type
//! than the one looked for counts as absent, and of a key written twice in one object the last
//! value counts, at the place of the first.

use std::fmt;

use indexmap::IndexMap;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// The `bin` object of each package key: key -> (binary name -> its file, when a string).
pub(super) type Packages = IndexMap<String, Option<Bins>>;
/// A package's `bin`: name -> file (`None` when the value is not a string).
pub(super) type Bins = IndexMap<String, Option<String>>;

/// The `packages` of a lock's text, `None` when the text is not JSON, and empty when it has no
/// `packages` object. `keep` says which package keys to read the `bin` of (the others are
/// skipped whatever they hold).
pub(super) fn packages(text: &str, keep: fn(&str) -> bool) -> Option<Packages> {
    let mut de = serde_json::Deserializer::from_str(text);
    let doc = Read(Doc(keep)).deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(doc.flatten().unwrap_or_default())
}

/// What is kept of one JSON value: read from an object (`object`) or a string (`string`);
/// anything else is read and gives `None`.
trait Keep<'de>: Sized + Copy {
    type Out;
    fn object<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<Self::Out>, A::Error> {
        while map.next_entry_seed(Read(Skip), Read(Skip))?.is_some() {}
        Ok(None)
    }
    fn string(self, _: &str) -> Option<Self::Out> {
        None
    }
}

/// One value read with `K`: serde_json's `deserialize_any`, the way `Value` reads it, so the
/// same texts are refused (a number out of range, a bad escape, nesting too deep).
#[derive(Clone, Copy)]
struct Read<K>(K);

impl<'de, K: Keep<'de>> DeserializeSeed<'de> for Read<K> {
    type Value = Option<K::Out>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, K: Keep<'de>> Visitor<'de> for Read<K> {
    type Value = Option<K::Out>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        self.0.object(map)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element_seed(Read(Skip))?.is_some() {}
        Ok(None)
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(self.0.string(v))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// Any value, dropped.
#[derive(Clone, Copy)]
struct Skip;
impl<'de> Keep<'de> for Skip {
    type Out = ();
}

/// A string.
#[derive(Clone, Copy)]
struct Text;
impl<'de> Keep<'de> for Text {
    type Out = String;
    fn string(self, v: &str) -> Option<String> {
        Some(v.to_string())
    }
}

/// An object key, decoded as `Value` decodes it, and kept (`Some`) when `.0` says so: a key
/// that is only compared or skipped is not copied.
#[derive(Clone, Copy)]
struct Key(fn(&str) -> bool);
impl<'de> DeserializeSeed<'de> for Key {
    type Value = Option<String>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<String>, D::Error> {
        d.deserialize_str(self)
    }
}
impl<'de> Visitor<'de> for Key {
    type Value = Option<String>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }
    fn visit_str<E>(self, v: &str) -> Result<Option<String>, E> {
        Ok((self.0)(v).then(|| v.to_string()))
    }
}

/// Whether an object key is the one named: a key read only to be compared.
#[derive(Clone, Copy)]
struct KeyIs(&'static str);
impl<'de> DeserializeSeed<'de> for KeyIs {
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_str(self)
    }
}
impl<'de> Visitor<'de> for KeyIs {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }
    fn visit_str<E>(self, v: &str) -> Result<bool, E> {
        Ok(v == self.0)
    }
}

/// The whole lock: its `packages`.
#[derive(Clone, Copy)]
struct Doc(fn(&str) -> bool);
impl<'de> Keep<'de> for Doc {
    type Out = Option<Packages>;
    fn object<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<Self::Out>, A::Error> {
        let mut packages = None;
        while let Some(is_packages) = map.next_key_seed(KeyIs("packages"))? {
            if is_packages {
                packages = map.next_value_seed(Read(PackageMap(self.0)))?;
            } else {
                map.next_value_seed(Read(Skip))?;
            }
        }
        Ok(Some(packages))
    }
}

/// `packages`: each kept key's entry.
#[derive(Clone, Copy)]
struct PackageMap(fn(&str) -> bool);
impl<'de> Keep<'de> for PackageMap {
    type Out = Packages;
    fn object<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<Packages>, A::Error> {
        let mut packages = Packages::new();
        while let Some(key) = map.next_key_seed(Key(self.0))? {
            if let Some(key) = key {
                let entry = map.next_value_seed(Read(Entry))?;
                packages.insert(key, entry.flatten());
            } else {
                map.next_value_seed(Read(Skip))?;
            }
        }
        Ok(Some(packages))
    }
}

/// One package's entry: its `bin`.
#[derive(Clone, Copy)]
struct Entry;
impl<'de> Keep<'de> for Entry {
    type Out = Option<Bins>;
    fn object<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<Self::Out>, A::Error> {
        let mut bin = None;
        while let Some(is_bin) = map.next_key_seed(KeyIs("bin"))? {
            if is_bin {
                bin = map.next_value_seed(Read(BinMap))?;
            } else {
                map.next_value_seed(Read(Skip))?;
            }
        }
        Ok(Some(bin))
    }
}

/// A `bin` object.
#[derive(Clone, Copy)]
struct BinMap;
impl<'de> Keep<'de> for BinMap {
    type Out = Bins;
    fn object<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<Bins>, A::Error> {
        let mut bins = Bins::new();
        while let Some(key) = map.next_key_seed(Key(|_| true))? {
            let key = key.unwrap_or_default();
            let file = map.next_value_seed(Read(Text))?;
            bins.insert(key, file);
        }
        Ok(Some(bins))
    }
}
