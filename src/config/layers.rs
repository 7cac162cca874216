//! The merge rules of a workspace, in one place: how the layers of a member's spec are laid over
//! one another, lowest first: `[workspace.defaults]` of `stagegen.toml`, then each template the
//! member `extends` (in the order written, a template's own `extends` before it), then the
//! member's `build.toml`. Each later layer wins:
//!
//! 1. **Scalars override**: a string, number or boolean replaces what the layers below said.
//! 2. **Tables merge**: key by key, each key by these rules; keys only one layer has are kept.
//! 3. **Lists replace**: a list replaces the list below it whole...
//! 4. **...unless a marker extends them**: the string `"..."` as an item of a list stands for
//!    the list below it, so `["...", "x"]` appends, `["x", "..."]` prepends. With nothing below
//!    it, the marker stands for nothing.
//! 5. **A change of kind replaces**: a table over a scalar, a scalar over a list, ...
//!
//! Every value keeps its origin: the merged document's places (spans into a
//! [`crate::source::SourceFile::bundle`] of all the layers' files) are those of the layer that
//! wrote each value, so a diagnostic about a value points at the file where it was written.
//! May import: config's document; works on the parsed documents, not on the typed config.

use std::collections::BTreeMap;
use std::ops::Bound;

use serde_json::{Map, Value};

#[cfg(doc)]
use crate::config::document::pointer_join;
use crate::config::document::{Document, Place};

/// The list item that stands for the list of the layer below (rule 4).
pub const EXTEND_MARKER: &str = "...";

/// Lay `over` onto `base` by the rules of the module docs; `None` is an empty base. Both
/// documents' spans must already point into the same bundle ([`Document::shifted`]).
///
/// Both layers are taken by value and their values moved, not cloned: the merged places start
/// as the base's (a value of the base keeps its pointer unless a marker moves it) and only what
/// the upper layer writes is changed, so a merge costs about the size of the upper layer (a
/// member's merges ran for every key of every layer: bench/workspace.sh).
pub fn merge(base: Option<Document>, over: Document) -> Document {
    let Document {
        value: over_value,
        places: mut over_places,
    } = over;
    let (base_value, mut places) = match base {
        Some(b) => (Some(b.value), b.places),
        None => (None, Places::new()),
    };
    // The root's place is the lowest layer's: whole-file problems name the first file.
    let root = places.remove("");
    let mut walk = Walk {
        over_places: &mut over_places,
        out: &mut places,
        src: String::new(),
        dst: String::new(),
    };
    let value = walk.layer(base_value, over_value);
    if let Some(root) = root {
        places.insert(String::new(), root);
    }
    Document { value, places }
}

type Places = BTreeMap<String, Place>;

/// One merge's state: the upper layer's places not yet moved, the merged places, and the
/// pointers of the value being laid, in the upper layer (`src`) and in the result (`dst`);
/// they differ only past a list whose marker moved its items. A value of the base is always at
/// `dst` in `out` (only objects are walked into with a base below).
struct Walk<'a> {
    over_places: &'a mut Places,
    out: &'a mut Places,
    src: String,
    dst: String,
}

impl Walk<'_> {
    /// The upper layer's value at `src` over the base's at `dst` (`None`: there is none).
    fn layer(&mut self, base: Option<Value>, over: Value) -> Value {
        self.take_place();
        match (base, over) {
            // Rule 2.
            (Some(Value::Object(base_map)), Value::Object(over_map)) => {
                self.tables(base_map, over_map)
            }
            // Rules 3 and 4.
            (base, Value::Array(items)) => {
                let below = match base {
                    Some(_) => self.take_below(),
                    None => Places::new(),
                };
                let base_items = match base {
                    Some(Value::Array(b)) => Some(b),
                    _ => None,
                };
                self.list(base_items, below, items)
            }
            // Rules 1 and 5 (and a table over a scalar: it has nothing to merge with).
            (base, over) => {
                if base.is_some() {
                    self.take_below();
                }
                match over {
                    Value::Object(over_map) => self.tables(Map::new(), over_map),
                    scalar => scalar,
                }
            }
        }
    }

    /// Rule 2: the base's keys in their order, each merged with the upper layer's, then the
    /// keys only the upper layer has.
    fn tables(&mut self, base_map: Map<String, Value>, mut over_map: Map<String, Value>) -> Value {
        let mut map = Map::new();
        for (key, bv) in base_map {
            let merged = match over_map.get_mut(&key) {
                // Taken; the key is skipped below, as `map` has it.
                Some(ov) => {
                    let ov = std::mem::take(ov);
                    self.enter(&key, |w| w.layer(Some(bv), ov))
                }
                None => bv,
            };
            map.insert(key, merged);
        }
        for (key, ov) in over_map {
            if map.contains_key(&key) {
                continue;
            }
            let merged = self.enter(&key, |w| w.layer(None, ov));
            map.insert(key, merged);
        }
        Value::Object(map)
    }

    /// Rules 3 and 4: the upper list, each marker replaced by the base's items (`below`: their
    /// places, taken out of `out`).
    fn list(
        &mut self,
        mut base_items: Option<Vec<Value>>,
        below: Places,
        items: Vec<Value>,
    ) -> Value {
        let is_marker = |v: &Value| v.as_str() == Some(EXTEND_MARKER);
        // The base's items are moved by the last marker; one written twice copies them first.
        let mut markers_left = items.iter().filter(|v| is_marker(v)).count();
        let mut merged = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            if is_marker(&item) {
                markers_left -= 1;
                if let Some(base_items) = &mut base_items {
                    let dst = self.dst.clone();
                    for (j, bv) in base_items.iter_mut().enumerate() {
                        let from = format!("{dst}/{j}");
                        let to = format!("{dst}/{}", merged.len());
                        move_places(&below, &from, &to, self.out);
                        merged.push(match markers_left {
                            0 => std::mem::take(bv),
                            _ => bv.clone(),
                        });
                    }
                }
                continue;
            }
            let src_len = self.src.len();
            let dst_len = self.dst.len();
            push_index(&mut self.src, i);
            push_index(&mut self.dst, merged.len());
            merged.push(self.layer(None, item));
            self.src.truncate(src_len);
            self.dst.truncate(dst_len);
        }
        Value::Array(merged)
    }

    /// Run `f` one key deeper in both pointers.
    fn enter(&mut self, key: &str, f: impl FnOnce(&mut Self) -> Value) -> Value {
        let src_len = self.src.len();
        let dst_len = self.dst.len();
        push_key(&mut self.src, key);
        push_key(&mut self.dst, key);
        let value = f(self);
        self.src.truncate(src_len);
        self.dst.truncate(dst_len);
        value
    }

    /// The upper layer's place of the value at `src` becomes the result's at `dst` (or the
    /// result has none there, when the upper layer has none).
    fn take_place(&mut self) {
        match self.over_places.remove_entry(self.src.as_str()) {
            Some((key, place)) => {
                let key = if key == self.dst {
                    key
                } else {
                    self.dst.clone()
                };
                self.out.insert(key, place);
            }
            None => {
                self.out.remove(self.dst.as_str());
            }
        }
    }

    /// Take the places under `dst` (not its own) out of the result: the base's value there is
    /// replaced.
    fn take_below(&mut self) -> Places {
        let prefix = format!("{}/", self.dst);
        let keys: Vec<String> = self
            .out
            .range::<str, _>((Bound::Included(prefix.as_str()), Bound::Unbounded))
            .take_while(|(k, _)| k.starts_with(&prefix))
            .map(|(k, _)| k.clone())
            .collect();
        keys.into_iter()
            .filter_map(|k| self.out.remove_entry(&k))
            .collect()
    }
}

/// The places at `from` and under it in `below`, moved to `to` in `out`.
fn move_places(below: &Places, from: &str, to: &str, out: &mut Places) {
    let prefix = format!("{from}/");
    if let Some(place) = below.get(from) {
        out.insert(to.to_string(), place.clone());
    }
    let under = below
        .range::<str, _>((Bound::Included(prefix.as_str()), Bound::Unbounded))
        .take_while(|(k, _)| k.starts_with(&prefix));
    for (key, place) in under {
        out.insert(format!("{to}{}", &key[from.len()..]), place.clone());
    }
}

/// `pointer` one key deeper (escaped as [`pointer_join`] does).
fn push_key(pointer: &mut String, key: &str) {
    pointer.push('/');
    for c in key.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

/// `pointer` one list index deeper.
fn push_index(pointer: &mut String, i: usize) {
    use std::fmt::Write;
    // Writing into a String cannot fail.
    let _ = write!(pointer, "/{i}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{BundleBuilder, SourceFile};
    use serde_json::json;

    /// Merge TOML texts, lowest first; the merged document and the bundle of their files.
    fn layers(texts: &[&str]) -> (Document, SourceFile) {
        let mut bundle = BundleBuilder::default();
        let mut merged = None;
        for (i, text) in texts.iter().enumerate() {
            let file = SourceFile::new(format!("layer{i}.toml"), *text);
            let base = bundle.push(&file);
            let doc = Document::parse(&file).expect("parses").shifted(base);
            merged = Some(merge(merged, doc));
        }
        (merged.expect("a layer"), bundle.finish("layer0.toml"))
    }

    /// The file and line the value at `pointer` was written on.
    fn origin(doc: &Document, file: &SourceFile, pointer: &str) -> String {
        let span = doc.value_span(pointer);
        format!(
            "{}:{}",
            file.name_at(span.start),
            file.line_col(span.start).0
        )
    }

    #[test]
    fn rule_1_scalars_override() {
        let (doc, file) = layers(&["[runtime]\nuser = \"a\"\n", "[runtime]\nuser = \"b\"\n"]);
        assert_eq!(doc.value["runtime"]["user"], "b");
        assert_eq!(origin(&doc, &file, "/runtime/user"), "layer1.toml:2");
    }

    #[test]
    fn rule_2_tables_merge_key_by_key() {
        let (doc, file) = layers(&[
            "[runtime.labels]\nteam = \"core\"\nowner = \"x\"\n",
            "\n[runtime.labels]\nowner = \"y\"\n",
        ]);
        assert_eq!(
            doc.value["runtime"]["labels"],
            json!({"team": "core", "owner": "y"})
        );
        assert_eq!(origin(&doc, &file, "/runtime/labels/team"), "layer0.toml:2");
        assert_eq!(
            origin(&doc, &file, "/runtime/labels/owner"),
            "layer1.toml:3"
        );
    }

    #[test]
    fn rule_3_lists_replace() {
        let (doc, file) = layers(&["ignore = [\"a\", \"b\"]\n", "ignore = [\"c\"]\n"]);
        assert_eq!(doc.value["ignore"], json!(["c"]));
        assert_eq!(origin(&doc, &file, "/ignore/0"), "layer1.toml:1");
        assert!(doc.place("/ignore/1").is_none());
    }

    #[test]
    fn rule_4_the_marker_extends_a_list() {
        let (doc, file) = layers(&[
            "ignore = [\"a\"]\n",
            "ignore = [\"...\", \"b\"]\n",
            "\nignore = [\"c\", \"...\"]\n",
        ]);
        assert_eq!(doc.value["ignore"], json!(["c", "a", "b"]));
        assert_eq!(origin(&doc, &file, "/ignore/0"), "layer2.toml:2");
        assert_eq!(origin(&doc, &file, "/ignore/1"), "layer0.toml:1");
        assert_eq!(origin(&doc, &file, "/ignore/2"), "layer1.toml:1");
    }

    #[test]
    fn rule_4_a_marker_with_nothing_below_stands_for_nothing() {
        let (doc, _) = layers(&["version = 1\n", "[runtime]\nports = [\"...\", 80]\n"]);
        assert_eq!(doc.value["runtime"]["ports"], json!([80]));
    }

    #[test]
    fn rule_5_a_change_of_kind_replaces() {
        let (doc, file) = layers(&["[runtime]\nuser = \"a\"\n", "runtime = \"x\"\n"]);
        assert_eq!(doc.value["runtime"], "x");
        assert!(doc.place("/runtime/user").is_none());
        assert_eq!(origin(&doc, &file, "/runtime"), "layer1.toml:1");
    }

    #[test]
    fn tables_in_lists_are_not_merged_but_keep_their_origins() {
        let (doc, file) = layers(&[
            "[[stage]]\nname = \"a\"\n",
            "[[stage]]\nname = \"b\"\n[[stage]]\nname = \"c\"\n",
        ]);
        assert_eq!(doc.value["stage"], json!([{"name": "b"}, {"name": "c"}]));
        assert_eq!(origin(&doc, &file, "/stage/1/name"), "layer1.toml:4");
    }

    /// The merge as it was before it moved values (a walk that cloned the base's and built
    /// every place anew): the oracle the moving merge is checked against.
    mod reference {
        use std::collections::BTreeMap;

        use serde_json::{Map, Value};

        use super::super::{Places, EXTEND_MARKER};
        use crate::config::document::{pointer_join, Document};

        /// Lay `over` onto `base` by the rules of the module docs; `None` is an empty base. Both
        /// documents' spans must already point into the same bundle ([`Document::shifted`]).
        pub(super) fn merge(base: Option<Document>, over: &Document) -> Document {
            let mut places = BTreeMap::new();
            let value = layer(
                base.as_ref().map(|b| (&b.value, "", &b.places)),
                (&over.value, "", &over.places),
                "",
                &mut places,
            );
            // The root's place is the lowest layer's: whole-file problems name the first file.
            if let Some(root) = base.as_ref().and_then(|b| b.places.get("")) {
                places.insert(String::new(), root.clone());
            }
            Document { value, places }
        }

        /// One value of the upper layer (`over`, at its pointer in its document) over the lower one,
        /// written at `dst` of the result.
        fn layer(
            base: Option<(&Value, &str, &Places)>,
            over: (&Value, &str, &Places),
            dst: &str,
            out: &mut Places,
        ) -> Value {
            let (over_value, over_at, over_places) = over;
            if let Some(place) = over_places.get(over_at) {
                out.insert(dst.to_string(), place.clone());
            }
            match over_value {
                // Rule 2.
                Value::Object(over_map) => {
                    let base_map = match base {
                        Some((Value::Object(m), at, places)) => Some((m, at, places)),
                        _ => None,
                    };
                    let mut map = Map::new();
                    if let Some((bm, b_at, b_places)) = base_map {
                        for (key, bv) in bm {
                            let from = pointer_join(b_at, key);
                            let to = pointer_join(dst, key);
                            let merged = match over_map.get(key) {
                                Some(ov) => layer(
                                    Some((bv, &from, b_places)),
                                    (ov, &pointer_join(over_at, key), over_places),
                                    &to,
                                    out,
                                ),
                                None => copy(bv, &from, b_places, &to, out),
                            };
                            map.insert(key.clone(), merged);
                        }
                    }
                    for (key, ov) in over_map {
                        if map.contains_key(key) {
                            continue;
                        }
                        let merged = layer(
                            None,
                            (ov, &pointer_join(over_at, key), over_places),
                            &pointer_join(dst, key),
                            out,
                        );
                        map.insert(key.clone(), merged);
                    }
                    Value::Object(map)
                }
                // Rules 3 and 4.
                Value::Array(items) => {
                    let mut merged = Vec::with_capacity(items.len());
                    for (i, item) in items.iter().enumerate() {
                        if item.as_str() == Some(EXTEND_MARKER) {
                            if let Some((Value::Array(below), b_at, b_places)) = base {
                                for (j, bv) in below.iter().enumerate() {
                                    let to = format!("{dst}/{}", merged.len());
                                    merged.push(copy(
                                        bv,
                                        &format!("{b_at}/{j}"),
                                        b_places,
                                        &to,
                                        out,
                                    ));
                                }
                            }
                            continue;
                        }
                        let to = format!("{dst}/{}", merged.len());
                        merged.push(layer(
                            None,
                            (item, &format!("{over_at}/{i}"), over_places),
                            &to,
                            out,
                        ));
                    }
                    Value::Array(merged)
                }
                // Rules 1 and 5.
                scalar => scalar.clone(),
            }
        }

        /// A value of the lower layer kept as it is, with its places, moved from `from` to `to`.
        fn copy(value: &Value, from: &str, places: &Places, to: &str, out: &mut Places) -> Value {
            copy_places(value, from, places, to, out);
            // Cloned once, here: cloning at every level of the walk cost a member's merge more than
            // its parse (bench/workspace.sh).
            value.clone()
        }

        /// The places of `value` and everything under it, moved from `from` to `to`.
        fn copy_places(value: &Value, from: &str, places: &Places, to: &str, out: &mut Places) {
            if let Some(place) = places.get(from) {
                out.insert(to.to_string(), place.clone());
            }
            match value {
                Value::Object(map) => {
                    for (key, v) in map {
                        copy_places(
                            v,
                            &pointer_join(from, key),
                            places,
                            &pointer_join(to, key),
                            out,
                        );
                    }
                }
                Value::Array(items) => {
                    for (i, v) in items.iter().enumerate() {
                        copy_places(v, &format!("{from}/{i}"), places, &format!("{to}/{i}"), out);
                    }
                }
                _ => {}
            }
        }
    }

    /// A small random generator (xorshift), so the test needs no crate and every run is the same.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n
        }
    }

    /// A random TOML value, `depth` levels deep at most: scalars, markers, lists, tables.
    fn value(rng: &mut Rng, depth: u32) -> String {
        let kinds = if depth == 0 { 3 } else { 5 };
        match rng.below(kinds) {
            0 => rng.below(100).to_string(),
            1 => format!("\"s{}\"", rng.below(5)),
            2 => format!("\"{EXTEND_MARKER}\""),
            3 => {
                let n = rng.below(4);
                let items: Vec<String> = (0..n).map(|_| value(rng, depth - 1)).collect();
                format!("[{}]", items.join(", "))
            }
            _ => {
                let n = rng.below(4);
                let items: Vec<String> = (0..n)
                    .map(|_| format!("{} = {}", key(rng), value(rng, depth - 1)))
                    .collect();
                // A key written twice is a TOML error: keep the first.
                let mut seen = Vec::new();
                let items: Vec<String> = items
                    .into_iter()
                    .filter(|i| {
                        let k = i.split(" = ").next().unwrap_or_default().to_string();
                        let new = !seen.contains(&k);
                        seen.push(k);
                        new
                    })
                    .collect();
                format!("{{ {} }}", items.join(", "))
            }
        }
    }

    fn key(rng: &mut Rng) -> &'static str {
        ["a", "b", "c", "\"x/y\"", "\"t~\""][rng.below(5) as usize]
    }

    /// A random layer: a few top-level keys, each once.
    fn random_layer(rng: &mut Rng) -> String {
        let mut text = String::new();
        let mut seen = Vec::new();
        for _ in 0..rng.below(5) {
            let k = key(rng);
            if seen.contains(&k) {
                continue;
            }
            seen.push(k);
            text.push_str(&format!("{k} = {}\n", value(rng, 3)));
        }
        text
    }

    #[test]
    fn moving_merge_equals_the_cloning_walk_it_replaced() {
        let mut rng = Rng(0x5eed_cafe_f00d);
        for _ in 0..3000 {
            let texts: Vec<String> = (0..1 + rng.below(3))
                .map(|_| random_layer(&mut rng))
                .collect();
            let mut bundle = BundleBuilder::default();
            let mut docs = Vec::new();
            for (i, text) in texts.iter().enumerate() {
                let file = SourceFile::new(format!("layer{i}.toml"), text.as_str());
                let base = bundle.push(&file);
                docs.push(Document::parse(&file).expect(text).shifted(base));
            }
            let mut moved = None;
            let mut walked = None;
            for doc in docs {
                walked = Some(reference::merge(walked, &doc));
                moved = Some(merge(moved, doc));
            }
            let (moved, walked) = (moved.expect("a layer"), walked.expect("a layer"));
            assert_eq!(moved.value, walked.value, "{texts:#?}");
            assert_eq!(moved.places, walked.places, "{texts:#?}");
        }
    }
}
