//! The parsed `build.toml`: its value as JSON (what the schema validates and the typed config is
//! read from) and, for every JSON pointer into it, the spans of its key and value in the source.
//! Spans are looked up on demand by pointer, as cargo does with its span-keeping TOML document.

use std::collections::BTreeMap;

use serde_json::{Map, Number, Value};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::diagnostics::{codes, Diagnostic};
use crate::source::{SourceFile, Span};

/// Where a value sits in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The key's span, when the value sits under a key (not for array items).
    pub key: Option<Span>,
    /// The value's span.
    pub value: Span,
}

/// A parsed document with its span index.
#[derive(Debug, Clone)]
pub struct Document {
    pub value: Value,
    pub(crate) places: BTreeMap<String, Place>,
}

impl Document {
    /// Parse TOML `file`; every syntax error becomes a diagnostic (the parser recovers, so all of
    /// them are reported at once).
    pub fn parse(file: &SourceFile) -> Result<Document, Vec<Diagnostic>> {
        let (table, errors) = DeTable::parse_recoverable(file.text());
        if !errors.is_empty() {
            return Err(errors
                .iter()
                .map(|e| syntax_error(file, e.message(), e.span()))
                .collect());
        }
        let mut places = BTreeMap::new();
        let root_span = table.span();
        places.insert(
            String::new(),
            Place {
                key: None,
                value: root_span,
            },
        );
        let value = table_to_json(table.get_ref(), "", &mut places);
        Ok(Document { value, places })
    }

    /// The same document with every span moved `by` bytes on: its place in a
    /// [`crate::source::SourceFile::bundle`] of files.
    pub fn shifted(mut self, by: usize) -> Document {
        if by > 0 {
            for place in self.places.values_mut() {
                place.value = place.value.start + by..place.value.end + by;
                if let Some(key) = &mut place.key {
                    *key = key.start + by..key.end + by;
                }
            }
        }
        self
    }

    /// The value at `pointer` as a document of its own (its places re-rooted), or an empty table
    /// when there is none.
    pub fn subtree(&self, pointer: &str) -> Document {
        let value = self
            .value
            .pointer(pointer)
            .cloned()
            .unwrap_or_else(|| Value::Object(Map::new()));
        let prefix = format!("{pointer}/");
        let mut places = BTreeMap::new();
        for (p, place) in &self.places {
            if p == pointer {
                places.insert(String::new(), place.clone());
            } else if let Some(rest) = p.strip_prefix(&prefix) {
                places.insert(format!("/{rest}"), place.clone());
            }
        }
        Document { value, places }
    }

    /// Every value's pointer and place, in pointer order.
    pub fn places(&self) -> impl Iterator<Item = (&str, &Place)> {
        self.places.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Remove the top-level key `key` and its places; returns its value.
    pub fn take_key(&mut self, key: &str) -> Option<Value> {
        let value = self.value.as_object_mut()?.shift_remove(key)?;
        let pointer = pointer_join("", key);
        let prefix = format!("{pointer}/");
        self.places
            .retain(|p, _| p != &pointer && !p.starts_with(&prefix));
        Some(value)
    }

    /// The place of the value at JSON pointer `pointer` (`""` is the whole file).
    pub fn place(&self, pointer: &str) -> Option<&Place> {
        self.places.get(pointer)
    }

    /// The best span to underline for `pointer`: its key when it has one, else its value; falls
    /// back to the nearest ancestor that has a place.
    pub fn key_span(&self, pointer: &str) -> Span {
        self.nearest(pointer)
            .map(|p| p.key.clone().unwrap_or_else(|| p.value.clone()))
            .unwrap_or(0..0)
    }

    /// The span of the value at `pointer`, or of its nearest ancestor.
    pub fn value_span(&self, pointer: &str) -> Span {
        self.nearest(pointer)
            .map(|p| p.value.clone())
            .unwrap_or(0..0)
    }

    /// This document without the values at `pointers` (table keys and array elements), for
    /// checking what is left of a file when parts of it are broken. The spans stay those of the
    /// source: an array element removed shifts the pointers of the ones after it, and their
    /// places move with them, so a later element's diagnostics still point at it.
    pub fn without(&self, pointers: &[String]) -> Document {
        let mut out = self.clone();
        // Deepest and last first, so that removing one never moves another still to remove.
        let mut pointers: Vec<&String> = pointers.iter().collect();
        pointers.sort_by(|a, b| compare_pointers(b, a));
        pointers.dedup();
        for pointer in pointers {
            out.remove(pointer);
        }
        out
    }

    fn remove(&mut self, pointer: &str) {
        let Some((parent, last)) = pointer.rsplit_once('/') else {
            return;
        };
        let key = last.replace("~1", "/").replace("~0", "~");
        let index = match self.value.pointer_mut(parent) {
            Some(Value::Object(map)) => {
                if map.shift_remove(&key).is_none() {
                    return;
                }
                None
            }
            Some(Value::Array(items)) => match key.parse::<usize>() {
                Ok(i) if i < items.len() => {
                    items.remove(i);
                    Some(i)
                }
                _ => return,
            },
            _ => return,
        };
        let inside = |p: &str| p == pointer || p.starts_with(&format!("{pointer}/"));
        self.places.retain(|p, _| !inside(p));
        let Some(removed) = index else {
            return;
        };
        // Every later element of that array moves up one.
        let prefix = format!("{parent}/");
        let shifted: Vec<(String, String, Place)> = self
            .places
            .iter()
            .filter_map(|(p, place)| {
                let rest = p.strip_prefix(&prefix)?;
                let (first, tail) = rest.split_once('/').map_or((rest, ""), |(f, t)| (f, t));
                let i = first.parse::<usize>().ok().filter(|i| *i > removed)?;
                let sep = if tail.is_empty() { "" } else { "/" };
                Some((
                    p.clone(),
                    format!("{prefix}{}{sep}{tail}", i - 1),
                    place.clone(),
                ))
            })
            .collect();
        for (old, _, _) in &shifted {
            self.places.remove(old);
        }
        self.places
            .extend(shifted.into_iter().map(|(_, new, place)| (new, place)));
    }

    fn nearest(&self, pointer: &str) -> Option<&Place> {
        let mut p = pointer;
        loop {
            if let Some(place) = self.places.get(p) {
                return Some(place);
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return None,
            }
        }
    }
}

/// Order JSON pointers segment by segment, array indices as numbers (`/a/2` before `/a/10`).
fn compare_pointers(a: &str, b: &str) -> std::cmp::Ordering {
    let key = |p: &str| -> Vec<(Option<usize>, String)> {
        p.split('/')
            .map(|s| (s.parse::<usize>().ok(), s.to_string()))
            .collect()
    };
    key(a).cmp(&key(b))
}

/// Append `segment` to JSON pointer `base`, escaped per RFC 6901.
pub fn pointer_join(base: &str, segment: &str) -> String {
    // One allocation: this runs for every key of every layer of every workspace member.
    let mut out = String::with_capacity(base.len() + 1 + segment.len());
    out.push_str(base);
    out.push('/');
    for c in segment.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

fn syntax_error(file: &SourceFile, message: &str, span: Option<Span>) -> Diagnostic {
    let span = span.unwrap_or(0..0);
    let span = if span.is_empty() && span.start < file.text().len() {
        span.start..span.start + 1
    } else {
        span
    };
    let message = message.trim().trim_end_matches('.');
    let (first, rest) = message.split_once('\n').unwrap_or((message, ""));
    let mut d =
        Diagnostic::error(codes::TOML_SYNTAX, format!("invalid TOML: {first}")).at(span, "");
    if first.contains("duplicate key") {
        d = d.help("each key may appear once per table; remove or rename one of them");
    } else if !rest.trim().is_empty() {
        d = d.help(rest.trim().to_string());
    }
    d
}

fn table_to_json(
    table: &DeTable<'_>,
    pointer: &str,
    places: &mut BTreeMap<String, Place>,
) -> Value {
    let mut map = Map::new();
    for (key, value) in table.iter() {
        let child = pointer_join(pointer, key.get_ref());
        places.insert(
            child.clone(),
            Place {
                key: Some(key.span()),
                value: value.span(),
            },
        );
        let json = value_to_json(value, &child, places);
        map.insert(key.get_ref().to_string(), json);
    }
    Value::Object(map)
}

fn value_to_json(
    value: &Spanned<DeValue<'_>>,
    pointer: &str,
    places: &mut BTreeMap<String, Place>,
) -> Value {
    match value.get_ref() {
        DeValue::String(s) => Value::String(s.to_string()),
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
            .map(Value::from)
            // Out of i64's range: keep the digits so the schema reports a wrong type, not a crash.
            .unwrap_or_else(|_| Value::String(i.to_string())),
        DeValue::Float(f) => f
            .as_str()
            .replace('_', "")
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map(Value::Number)
            .unwrap_or_else(|| Value::String(f.as_str().to_string())),
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(d) => Value::String(d.to_string()),
        DeValue::Array(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let child = format!("{pointer}/{i}");
                    places.insert(
                        child.clone(),
                        Place {
                            key: None,
                            value: item.span(),
                        },
                    );
                    value_to_json(item, &child, places)
                })
                .collect(),
        ),
        DeValue::Table(t) => table_to_json(t, pointer, places),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> (SourceFile, Document) {
        let file = SourceFile::new("b.toml", text);
        let doc = Document::parse(&file).expect("parses");
        (file, doc)
    }

    #[test]
    fn keeps_key_and_value_spans_by_pointer() {
        let text = "version = 1\n[[stage]]\nname = \"a\"\n";
        let (_, d) = doc(text);
        let place = d.place("/stage/0/name").expect("place");
        assert_eq!(&text[place.key.clone().unwrap()], "name");
        assert_eq!(&text[place.value.clone()], "\"a\"");
        assert_eq!(d.value["stage"][0]["name"], "a");
    }

    #[test]
    fn nearest_ancestor_is_used_for_missing_pointers() {
        let text = "[runtime]\nports = [1]\n";
        let (_, d) = doc(text);
        assert_eq!(&text[d.key_span("/runtime/ports/0/x")], "1");
    }

    #[test]
    fn all_syntax_errors_are_reported() {
        let file = SourceFile::new("b.toml", "a = \nb = = 2\n");
        let errors = Document::parse(&file).unwrap_err();
        assert!(errors.len() >= 2, "{errors:?}");
    }

    #[test]
    fn duplicate_keys_are_syntax_errors() {
        let file = SourceFile::new("b.toml", "a = 1\na = 2\n");
        let errors = Document::parse(&file).unwrap_err();
        assert!(errors[0].message.contains("duplicate key"), "{errors:?}");
    }

    #[test]
    fn without_keeps_the_spans_of_what_is_left() {
        let text = "ports = [1, true, 3, 4]\n[[stage]]\nname = \"a\"\nimage = 5\n[[stage]]\nname = \"b\"\n";
        let (_, d) = doc(text);
        let rest = d.without(&[
            "/ports/1".to_string(),
            "/stage/0".to_string(),
            "/ports/0".to_string(),
        ]);
        assert_eq!(rest.value["ports"], serde_json::json!([3, 4]));
        assert_eq!(&text[rest.value_span("/ports/0")], "3");
        assert_eq!(&text[rest.value_span("/ports/1")], "4");
        assert_eq!(rest.value["stage"][0]["name"], "b");
        assert_eq!(&text[rest.value_span("/stage/0/name")], "\"b\"");
        assert!(rest.place("/stage/1").is_none());
        let keyless = d.without(&["/stage/0/image".to_string()]);
        assert!(keyless.value["stage"][0].get("image").is_none());
        assert_eq!(&text[keyless.key_span("/stage/1/name")], "name");
    }

    #[test]
    fn pointer_segments_are_escaped() {
        assert_eq!(pointer_join("/labels", "a/b~c"), "/labels/a~1b~0c");
    }
}
