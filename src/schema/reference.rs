//! The reference page of build.toml (`docs/reference.md`), written from the build schema: every
//! key, its type, its default and its description (the config types' doc comments), table by
//! table. Generated, checked in, and a test fails when it is stale (`BLESS=1 cargo test --test
//! cli checked_in_reference_is_current` rewrites it). Reads only the schema's JSON value, so
//! whatever the schema says is what the page says.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_json::{Map, Value};

/// Where the page is checked in, relative to the repository.
pub const REFERENCE_PATH: &str = "docs/reference.md";

/// The reference page of the schema `schema` (the build schema's JSON value).
pub fn markdown(schema: &Value) -> String {
    // The rules of the semantic checks are told by each key's description, in words.
    let stripped = super::constraints::without_checked(schema);
    let schema = &stripped;
    let mut page = Page {
        root: schema,
        seen: BTreeMap::new(),
        sections: Vec::new(),
    };
    page.table(schema, "", "Top-level keys", schema);
    let mut out = String::new();
    out.push_str("# build.toml reference\n\n");
    out.push_str(
        "<!-- Generated from schemas/build.schema.json (the doc comments of src/config): do not edit.\n     \
         `BLESS=1 cargo test --test cli checked_in_reference_is_current` rewrites it. -->\n\n",
    );
    if let Some(text) = description(schema) {
        out.push_str(&text);
        out.push_str("\n\n");
    }
    out.push_str(
        "Every key of `build.toml`, table by table. A key is written as its path from the top of \
         the file: `runtime.healthcheck.interval` is `interval` in `[runtime.healthcheck]`; `[]` \
         stands for each item of an array (`stage[].steps[]` is each step of each `[[stage]]`) \
         and `<id>` for a key you choose (`secrets.<id>`). Editors show the same text while you \
         type, from the `#:schema` line.\n\n",
    );
    out.push_str("## Tables\n\n");
    for section in &page.sections {
        let _ = writeln!(out, "- [{}](#{})", section.title, anchor(&section.title));
    }
    out.push('\n');
    for section in &page.sections {
        out.push_str(&section.text);
    }
    out
}

struct Page<'a> {
    root: &'a Value,
    /// `$ref`s already given a section of their own, and its title: later uses link to it.
    seen: BTreeMap<String, String>,
    sections: Vec<Section>,
}

struct Section {
    title: String,
    text: String,
}

impl<'a> Page<'a> {
    /// A section for the table `node` (an object schema) at `path`, then one for each table
    /// under it. `described` holds the description to show (the property's, else the table's).
    fn table(&mut self, node: &'a Value, path: &str, title: &str, described: &Value) {
        let index = self.sections.len();
        self.sections.push(Section {
            title: title.to_string(),
            text: String::new(),
        });
        let mut text = format!("## {title}\n\n");
        if !path.is_empty() {
            if let Some(d) = description(described).or_else(|| description(node)) {
                text.push_str(&d);
                text.push_str("\n\n");
            }
        }
        let mut nested = Vec::new();
        let required = required(node);
        if let Some(props) = node.get("properties").and_then(Value::as_object) {
            for (key, prop) in props {
                let full = join(path, key);
                text.push_str(&self.key(&full, prop, required.contains(key.as_str()), &mut nested));
            }
        }
        // A table whose keys depend on one of them (`[preset]`, by `name`): one part per branch.
        if let Some(branches) = node.get("oneOf").and_then(Value::as_array) {
            let mut links = Vec::new();
            for branch in branches {
                let branch = self.resolve(branch);
                let name = branch
                    .pointer("/properties/name/const")
                    .and_then(Value::as_str);
                let (heading, short) = match (name, branch.get("title").and_then(Value::as_str)) {
                    (Some(n), _) => (
                        format!("Table `{path}` with `name = \"{n}\"`"),
                        format!("`name = \"{n}\"`"),
                    ),
                    (None, Some(t)) => (format!("Table `{path}`: {t}"), t.to_string()),
                    (None, None) => (heading(path), path.to_string()),
                };
                links.push(format!("[{short}](#{})", anchor(&heading)));
                nested.push((heading, branch, branch, path.to_string()));
            }
            let _ = writeln!(text, "One of: {}.\n", links.join(", "));
        }
        self.sections[index].text = text;
        for (title, table, described, at) in nested {
            self.table(table, &at, &title, described);
        }
    }

    /// One key's entry; a table under it is added to `nested`, to get its own section.
    fn key(
        &mut self,
        path: &str,
        prop: &'a Value,
        required: bool,
        nested: &mut Vec<(String, &'a Value, &'a Value, String)>,
    ) -> String {
        let mut text = format!("### `{path}`\n\n");
        let mut facts = vec![self.type_of(prop)];
        if required {
            facts.push("required".to_string());
        }
        if let Some(default) = prop.get("default") {
            facts.push(format!("default `{}`", toml_value(default)));
        }
        let _ = writeln!(text, "*{}*\n", facts.join(" · "));
        if let Some(d) = description(prop) {
            text.push_str(&d);
            text.push_str("\n\n");
        }
        // The table under this key, if any: the key itself, each item, or each value.
        let (inner, inner_path) = if let Some(items) = prop.get("items") {
            (items, format!("{path}[]"))
        } else if let Some(values) = prop.get("additionalProperties").filter(|v| v.is_object()) {
            (values, format!("{path}.<id>"))
        } else {
            (prop, path.to_string())
        };
        if let Some(reference) = inner.get("$ref").and_then(Value::as_str) {
            let target = self.resolve(inner);
            if is_table(target) {
                let title = match self.seen.get(reference) {
                    Some(title) => title.clone(),
                    None => {
                        self.seen.insert(reference.to_string(), inner_path.clone());
                        let described = if inner_path == path { prop } else { target };
                        nested.push((heading(&inner_path), target, described, inner_path.clone()));
                        inner_path
                    }
                };
                let _ = writeln!(
                    text,
                    "Its keys: [{title}](#{}).\n",
                    anchor(&heading(&title))
                );
            }
        } else if is_table(inner) {
            let _ = writeln!(
                text,
                "Its keys: [{inner_path}](#{}).\n",
                anchor(&heading(&inner_path))
            );
            nested.push((heading(&inner_path), inner, inner, inner_path));
        }
        text
    }

    /// `node`, or what its `$ref` points at.
    fn resolve(&self, node: &'a Value) -> &'a Value {
        match node.get("$ref").and_then(Value::as_str) {
            Some(r) => self.root.pointer(r.trim_start_matches('#')).unwrap_or(node),
            None => node,
        }
    }

    /// The key's type in words: `string`, `array of strings`, `table of strings`, `integer ≥ 0`.
    fn type_of(&self, node: &Value) -> String {
        let node = self.resolve(node);
        if let Some(c) = node.get("const") {
            return format!("`{}`", toml_value(c));
        }
        if let Some(values) = node.get("enum").and_then(Value::as_array) {
            let values: Vec<String> = values
                .iter()
                .map(|v| format!("`{}`", toml_value(v)))
                .collect();
            return format!("one of {}", values.join(", "));
        }
        for alternatives in ["anyOf", "oneOf"] {
            if let Some(branches) = node.get(alternatives).and_then(Value::as_array) {
                if !node.get("properties").is_some_and(Value::is_object) {
                    let kinds: Vec<String> = branches.iter().map(|b| self.type_of(b)).collect();
                    return dedup(kinds).join(" or ");
                }
            }
        }
        let kind = match node.get("type") {
            Some(Value::String(t)) => t.as_str(),
            Some(Value::Array(types)) => {
                let kinds: Vec<String> = types
                    .iter()
                    .filter_map(Value::as_str)
                    .map(|t| plain_type(t).to_string())
                    .collect();
                return kinds.join(" or ");
            }
            _ => "",
        };
        let mut text = match kind {
            "array" => match node.get("items") {
                Some(items) => format!("array of {}", plural(&self.type_of(items))),
                None => "array".to_string(),
            },
            "object" => match node.get("additionalProperties") {
                Some(values) if values.is_object() => {
                    format!("table of {}", plural(&self.type_of(values)))
                }
                _ => "table".to_string(),
            },
            "" => "any".to_string(),
            other => plain_type(other).to_string(),
        };
        let bounds = [
            ("minimum", "≥"),
            ("maximum", "≤"),
            ("exclusiveMinimum", ">"),
            ("exclusiveMaximum", "<"),
        ];
        for (keyword, sign) in bounds {
            if let Some(n) = node.get(keyword) {
                let _ = write!(text, " {sign} {n}");
            }
        }
        if let Some(p) = node.get("pattern").and_then(Value::as_str) {
            let _ = write!(text, " matching `{p}`");
        }
        text
    }
}

fn plain_type(t: &str) -> &str {
    match t {
        "object" => "table",
        "number" => "number",
        other => other,
    }
}

/// `string` -> `strings`, for "array of strings"; phrases are left as they are.
fn plural(kind: &str) -> String {
    match kind {
        "string" | "integer" | "boolean" | "number" | "table" | "array" => format!("{kind}s"),
        other => other.to_string(),
    }
}

fn dedup(items: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

fn is_table(node: &Value) -> bool {
    node.get("properties").is_some_and(Value::is_object)
        || node.get("oneOf").is_some_and(|b| {
            b.as_array()
                .is_some_and(|b| b.iter().any(|x| x.get("properties").is_some()))
        })
}

fn required(node: &Value) -> BTreeSet<&str> {
    node.get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// A description as Markdown: the doc comments' line breaks are soft, blank lines are
/// paragraphs.
fn description(node: &Value) -> Option<String> {
    let text = node.get("description")?.as_str()?;
    let paragraphs: Vec<String> = text
        .split("\n\n")
        .map(|p| p.lines().map(str::trim).collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect();
    (!paragraphs.is_empty()).then(|| paragraphs.join("\n\n"))
}

/// A JSON value as it is written in TOML: `[]`, `{}`, `false`, `"text"`.
fn toml_value(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => serde_json::to_string(s).unwrap_or_default(),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(toml_value).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(map) => inline_table(map),
        other => other.to_string(),
    }
}

fn inline_table(map: &Map<String, Value>) -> String {
    if map.is_empty() {
        return "{}".to_string();
    }
    let items: Vec<String> = map
        .iter()
        .map(|(k, v)| format!("{k} = {}", toml_value(v)))
        .collect();
    format!("{{ {} }}", items.join(", "))
}

/// The heading of the section of the table at `path`. Key headings are the bare paths, so a
/// table's must differ from its key's: `Table \`runtime\`` beside `` `runtime` ``.
fn heading(path: &str) -> String {
    format!("Table `{path}`")
}

/// The anchor GitHub gives a heading: lowercase, spaces to `-`, other punctuation dropped.
fn anchor(title: &str) -> String {
    title
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn anchors_are_githubs() {
        assert_eq!(anchor("stage[].steps[]"), "stagesteps");
        assert_eq!(anchor(&heading("runtime")), "table-runtime");
        assert_eq!(anchor("preset with name = \"go\""), "preset-with-name--go");
        assert_eq!(anchor("secrets.<id>"), "secretsid");
    }

    #[test]
    fn every_key_gets_its_type_default_and_description() {
        let schema = json!({
            "description": "root",
            "type": "object",
            "required": ["version"],
            "properties": {
                "version": { "type": "integer", "minimum": 0, "description": "the\nversion" },
                "ignore": { "type": "array", "items": { "type": "string" }, "default": [] },
                "runtime": { "$ref": "#/$defs/R", "description": "the runtime" },
                "stage": { "type": "array", "items": { "$ref": "#/$defs/S" } }
            },
            "$defs": {
                "R": { "type": "object", "properties": {
                    "ports": { "type": "array", "items": { "anyOf": [{ "type": "integer" }, { "type": "string" }] } },
                    "steps": { "type": "array", "items": { "$ref": "#/$defs/Step" } }
                } },
                "S": { "type": "object", "description": "a stage", "properties": {
                    "steps": { "type": "array", "items": { "$ref": "#/$defs/Step" } }
                } },
                "Step": { "type": "object", "description": "a step", "properties": { "run": { "type": "string" } } }
            }
        });
        let page = markdown(&schema);
        assert!(
            page.contains("### `version`\n\n*integer ≥ 0 · required*\n\nthe version\n"),
            "{page}"
        );
        assert!(
            page.contains("### `ignore`\n\n*array of strings · default `[]`*\n"),
            "{page}"
        );
        assert!(
            page.contains("## Table `runtime`\n\nthe runtime\n"),
            "{page}"
        );
        assert!(
            page.contains("### `runtime.ports`\n\n*array of integer or string*\n"),
            "{page}"
        );
        assert!(
            page.contains("## Table `runtime.steps[]`\n\na step\n\n### `runtime.steps[].run`"),
            "{page}"
        );
        assert!(page.contains("## Table `stage[]`\n\na stage\n"), "{page}");
        // A table used twice is described once and linked the second time.
        assert_eq!(page.matches("### `runtime.steps[].run`").count(), 1);
        assert!(!page.contains("stage[].steps[].run"), "{page}");
        assert!(
            page.contains(
                "### `stage`\n\n*array of tables*\n\nIts keys: [stage[]](#table-stage).\n"
            ),
            "{page}"
        );
        assert_eq!(
            page.matches("Its keys: [runtime.steps[]](#table-runtimesteps).")
                .count(),
            2
        );
    }
}
