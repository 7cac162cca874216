//! The fast schema check: does a document hold against the build schema, answered from a table
//! of the schema that the build script made (`build/schema_table.rs`), so that a run on a valid
//! file neither parses nor compiles the schema (that was 88 % of a `stagegen dockerfile`). It
//! only says yes, no or "don't know"; every diagnostic still comes from the full validator in
//! `schema.rs`, which runs whenever the answer is not yes. May import: nothing of the crate.

use serde_json::Value;

/// One subschema; the indexes are into [`NODES`]. Written by the build script.
struct Node {
    /// Bit `1 << n` for each allowed type, numbered as in [`type_bit`]; `None`: any type.
    types: Option<u8>,
    /// `properties`, sorted by name.
    props: &'static [(&'static str, u16)],
    /// `additionalProperties`.
    additional: Option<u16>,
    items: Option<u16>,
    required: &'static [&'static str],
    any_of: &'static [u16],
    one_of: &'static [u16],
    /// `$ref`.
    reference: Option<u16>,
    konst: Option<Const>,
    minimum: Option<i64>,
    /// The `false` schema.
    never: bool,
    /// A keyword the table does not model: only the full validator can tell.
    opaque: bool,
}

// The build schema's constants are all strings today; the table writes the others when it has
// them.
#[allow(dead_code)]
enum Const {
    Str(&'static str),
    Bool(bool),
    Int(i64),
}

include!(concat!(env!("OUT_DIR"), "/schema_table.rs"));

/// What the fast check can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    Valid,
    Invalid,
    /// A keyword or a value the table does not decide (a float where an integer is expected,
    /// ...): ask the full validator.
    Unknown,
}

/// Whether `value` holds against the build schema.
pub(crate) fn verdict(value: &Value) -> Verdict {
    if NODES.is_empty() {
        return Verdict::Unknown;
    }
    check(0, value)
}

fn check(index: u16, value: &Value) -> Verdict {
    let Some(node) = NODES.get(usize::from(index)) else {
        return Verdict::Unknown;
    };
    if node.opaque {
        return Verdict::Unknown;
    }
    if node.never {
        return Verdict::Invalid;
    }
    let mut verdict = Verdict::Valid;
    for part in [
        types(node, value),
        konst(node, value),
        minimum(node, value),
        object(node, value),
        array(node, value),
        any_of(node.any_of, value),
        one_of(node.one_of, value),
        node.reference.map_or(Verdict::Valid, |r| check(r, value)),
    ] {
        match part {
            Verdict::Invalid => return Verdict::Invalid,
            Verdict::Unknown => verdict = Verdict::Unknown,
            Verdict::Valid => {}
        }
    }
    verdict
}

/// Bit numbers as the build script writes them.
fn type_bit(value: &Value) -> u8 {
    let bit = match value {
        Value::Null => 0,
        Value::Bool(_) => 1,
        Value::Number(n) if n.is_i64() || n.is_u64() => 2,
        Value::Number(_) => 3,
        Value::String(_) => 4,
        Value::Array(_) => 5,
        Value::Object(_) => 6,
    };
    1 << bit
}

const INTEGER: u8 = 1 << 2;
const NUMBER: u8 = 1 << 3;

fn types(node: &Node, value: &Value) -> Verdict {
    let Some(allowed) = node.types else {
        return Verdict::Valid;
    };
    let bit = type_bit(value);
    // An integer is a number too; a float whose fraction is zero is an integer to the validator,
    // which the table leaves to it.
    let ok = allowed & bit != 0 || (bit == INTEGER && allowed & NUMBER != 0);
    match (ok, bit) {
        (true, _) => Verdict::Valid,
        (false, NUMBER) if allowed & INTEGER != 0 => Verdict::Unknown,
        (false, _) => Verdict::Invalid,
    }
}

fn konst(node: &Node, value: &Value) -> Verdict {
    let same = match (&node.konst, value) {
        (None, _) => true,
        (Some(Const::Str(c)), Value::String(s)) => c == s,
        (Some(Const::Bool(c)), Value::Bool(b)) => c == b,
        (Some(Const::Int(c)), Value::Number(n)) => match n.as_i64() {
            Some(i) => *c == i,
            None if n.is_u64() => false,
            // 1.0 equals 1 to the validator.
            None => return Verdict::Unknown,
        },
        (Some(_), _) => false,
    };
    if same {
        Verdict::Valid
    } else {
        Verdict::Invalid
    }
}

fn minimum(node: &Node, value: &Value) -> Verdict {
    let (Some(limit), Value::Number(n)) = (node.minimum, value) else {
        return Verdict::Valid;
    };
    match (n.as_i64(), n.is_u64()) {
        (Some(i), _) if i >= limit => Verdict::Valid,
        (Some(_), _) => Verdict::Invalid,
        (None, true) => Verdict::Valid, // past i64::MAX
        (None, false) => Verdict::Unknown,
    }
}

fn object(node: &Node, value: &Value) -> Verdict {
    let Value::Object(map) = value else {
        return Verdict::Valid;
    };
    if node.required.iter().any(|key| !map.contains_key(*key)) {
        return Verdict::Invalid;
    }
    let mut verdict = Verdict::Valid;
    for (key, item) in map {
        let schema = match node.props.binary_search_by(|(k, _)| (*k).cmp(key.as_str())) {
            Ok(i) => Some(node.props[i].1),
            Err(_) => node.additional,
        };
        match schema.map_or(Verdict::Valid, |s| check(s, item)) {
            Verdict::Invalid => return Verdict::Invalid,
            Verdict::Unknown => verdict = Verdict::Unknown,
            Verdict::Valid => {}
        }
    }
    verdict
}

fn array(node: &Node, value: &Value) -> Verdict {
    let (Some(items), Value::Array(list)) = (node.items, value) else {
        return Verdict::Valid;
    };
    let mut verdict = Verdict::Valid;
    for item in list {
        match check(items, item) {
            Verdict::Invalid => return Verdict::Invalid,
            Verdict::Unknown => verdict = Verdict::Unknown,
            Verdict::Valid => {}
        }
    }
    verdict
}

fn any_of(branches: &[u16], value: &Value) -> Verdict {
    if branches.is_empty() {
        return Verdict::Valid;
    }
    let mut verdict = Verdict::Invalid;
    for branch in branches {
        match check(*branch, value) {
            Verdict::Valid => return Verdict::Valid,
            Verdict::Unknown => verdict = Verdict::Unknown,
            Verdict::Invalid => {}
        }
    }
    verdict
}

fn one_of(branches: &[u16], value: &Value) -> Verdict {
    if branches.is_empty() {
        return Verdict::Valid;
    }
    let mut valid = 0;
    for branch in branches {
        match check(*branch, value) {
            Verdict::Valid => valid += 1,
            Verdict::Unknown => return Verdict::Unknown,
            Verdict::Invalid => {}
        }
    }
    if valid == 1 {
        Verdict::Valid
    } else {
        Verdict::Invalid
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Document;
    use crate::source::SourceFile;
    use serde_json::json;
    use std::path::Path;

    fn full_validator() -> jsonschema::Validator {
        let published: Value =
            serde_json::from_str(include_str!("../../schemas/build.schema.json")).expect("json");
        let schema = crate::schema::constraints::without_checked(&published);
        jsonschema::validator_for(&schema).expect("the build schema compiles")
    }

    /// Every build.toml of the examples and the case directories, as the driver reads them.
    fn documents() -> Vec<(String, Value)> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut out = Vec::new();
        for dir in ["examples", "tests/cases"] {
            let mut entries: Vec<_> = std::fs::read_dir(root.join(dir))
                .expect("dir")
                .flatten()
                .map(|e| e.path().join("build.toml"))
                .collect();
            entries.sort();
            for path in entries {
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                if let Ok(doc) = Document::parse(&SourceFile::new("build.toml", text)) {
                    out.push((path.display().to_string(), doc.value));
                }
            }
        }
        out
    }

    /// Every pointer into `value`.
    fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    let escaped = k.replace('~', "~0").replace('/', "~1");
                    pointers(v, format!("{at}/{escaped}"), out);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    pointers(v, format!("{at}/{i}"), out);
                }
            }
            _ => {}
        }
        out.push(at);
    }

    /// `value` changed in the ways a user gets a file wrong: each value replaced by one of
    /// another type or out of bounds, removed, or given an unknown key or another item; and each
    /// preset named as every other.
    fn mutations(value: &Value, thorough: bool) -> Vec<Value> {
        let all = [
            json!("x"),
            json!(""),
            json!(1),
            json!(0),
            json!(-1),
            json!(1.5),
            json!(2.0),
            json!(u64::MAX),
            json!(true),
            json!([]),
            json!(["x"]),
            json!({}),
            json!({"x": "y"}),
        ];
        // The case files are many and alike: a string and a table in each place; the examples
        // get everything.
        let light = [json!("x"), json!({})];
        let replacements = if thorough { &all[..] } else { &light[..] };
        let mut at = Vec::new();
        pointers(value, String::new(), &mut at);
        let mut out = Vec::new();
        for p in at.iter().filter(|p| !p.is_empty()) {
            for r in replacements {
                let mut v = value.clone();
                if let Some(slot) = v.pointer_mut(p) {
                    *slot = r.clone();
                }
                out.push(v);
            }
            let (parent, key) = p.rsplit_once('/').expect("a pointer below the root");
            let mut v = value.clone();
            match v.pointer_mut(parent) {
                Some(Value::Object(map)) => {
                    map.shift_remove(&key.replace("~1", "/").replace("~0", "~"));
                }
                Some(Value::Array(items)) => {
                    items.remove(key.parse::<usize>().expect("index"));
                }
                _ => {}
            }
            out.push(v);
        }
        for p in &at {
            let mut v = value.clone();
            match v.pointer_mut(p) {
                Some(Value::Object(map)) => {
                    map.insert("no-such-key".to_string(), json!("x"));
                }
                Some(Value::Array(items)) => {
                    let first = items.first().cloned().unwrap_or(json!("x"));
                    items.push(first);
                }
                _ => continue,
            }
            out.push(v);
        }
        for name in [
            "go", "python", "node", "java", "rust", "static", "ruby", "php", "dotnet",
        ] {
            let mut v = value.clone();
            if let Some(slot) = v.pointer_mut("/preset/name") {
                *slot = json!(name);
                out.push(v);
            }
        }
        out
    }

    #[test]
    fn the_whole_build_schema_is_in_the_table() {
        assert!(!NODES.is_empty(), "the build script wrote no table");
        let opaque: Vec<usize> = (0..NODES.len()).filter(|i| NODES[*i].opaque).collect();
        assert!(
            opaque.is_empty(),
            "nodes {opaque:?} of the build schema use a keyword build/schema_table.rs does not \
             model, so every run compiles the full validator: teach the table that keyword"
        );
    }

    #[test]
    fn every_example_takes_the_fast_path() {
        for (path, value) in documents().iter().filter(|(p, _)| p.contains("examples")) {
            assert_eq!(verdict(value), Verdict::Valid, "{path}");
        }
    }

    /// The fast check's every yes and no is the full validator's, on every case file and the
    /// ways each can be got wrong.
    #[test]
    fn agrees_with_the_full_validator() {
        let validator = full_validator();
        let (mut decided, mut unknown) = (0, 0);
        for (i, (path, value)) in documents().into_iter().enumerate() {
            let thorough = path.contains("examples");
            // Every case file as it is, and every third one (they are alike) mutated too: a
            // debug-built validator is slow.
            let changed = if thorough || i % 3 == 0 {
                mutations(&value, thorough)
            } else {
                Vec::new()
            };
            for v in std::iter::once(value.clone()).chain(changed) {
                let full = validator.is_valid(&v);
                match verdict(&v) {
                    Verdict::Unknown => unknown += 1,
                    fast => {
                        decided += 1;
                        assert_eq!(fast == Verdict::Valid, full, "{path}: {v:#}");
                    }
                }
            }
        }
        eprintln!("{decided} decided, {unknown} undecided");
        assert!(
            unknown * 20 < decided,
            "{unknown} undecided of {}",
            decided + unknown
        );
    }
}
