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

use serde_json::{Map, Value};

use crate::config::document::{pointer_join, Document, Place};

/// The list item that stands for the list of the layer below (rule 4).
pub const EXTEND_MARKER: &str = "...";

/// Lay `over` onto `base` by the rules of the module docs; `None` is an empty base. Both
/// documents' spans must already point into the same bundle ([`Document::shifted`]).
pub fn merge(base: Option<Document>, over: &Document) -> Document {
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

type Places = BTreeMap<String, Place>;

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
                            merged.push(copy(bv, &format!("{b_at}/{j}"), b_places, &to, out));
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
            merged = Some(merge(merged, &doc));
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
}
