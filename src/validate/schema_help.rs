//! What a value should look like, read from the schema itself: the schema of the value at a
//! pointer, and an example of the right form (`ports = [8080]`, `cmd = ["python", "app.py"]`),
//! taken from the property's `examples` or else the `e.g. `...`` of its description (the config
//! types' doc comments). Used by the schema check so that its messages say what is expected, as
//! the semantic checks do. Imports only the schema as JSON.

use serde_json::Value;

/// The schema of the value at JSON pointer `at` of `instance`, found by walking `root` from its
/// top: `properties` for keys, `items` for array elements, `additionalProperties` for the values
/// of a map, through `$ref`s and, in a union, the branch that has the key (a tagged union's
/// branch by the `name` the instance gives). The last step's `$ref` is kept: see [`resolved`].
pub(super) fn schema_at<'a>(root: &'a Value, instance: &Value, at: &str) -> Option<&'a Value> {
    let mut schema = root;
    let mut value = Some(instance);
    for segment in at.split('/').skip(1) {
        let key = segment.replace("~1", "/").replace("~0", "~");
        schema = child(root, schema, value, &key)?;
        value = value.and_then(|v| match v {
            Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
            Value::Object(map) => map.get(&key),
            _ => None,
        });
    }
    Some(schema)
}

/// The schema of `key` (a property, or an index) inside `schema`, which `value` is an instance of.
fn child<'a>(
    root: &'a Value,
    schema: &'a Value,
    value: Option<&Value>,
    key: &str,
) -> Option<&'a Value> {
    let schema = resolve(root, schema)?;
    // Kept as written, `$ref` and all: the property's own description and examples sit beside
    // its `$ref`, and walking on resolves it.
    if let Some(found) = schema.get("properties").and_then(|p| p.get(key)) {
        return Some(found);
    }
    if key.parse::<usize>().is_ok() {
        if let Some(items) = schema.get("items") {
            return Some(items);
        }
    }
    for union in ["oneOf", "anyOf", "allOf"] {
        let Some(branches) = schema.get(union).and_then(Value::as_array) else {
            continue;
        };
        // A tagged union: the branch the instance names first.
        let name = value.and_then(|v| v.get("name"));
        let tagged = branches
            .iter()
            .find(|b| name.is_some() && b.pointer("/properties/name/const") == name);
        for branch in tagged.into_iter().chain(branches) {
            if let Some(found) = child(root, branch, value, key) {
                return Some(found);
            }
        }
    }
    match schema.get("additionalProperties") {
        Some(extra) if extra.is_object() => Some(extra),
        _ => None,
    }
}

/// The schema at `at` and, when it is a `$ref`, what that names: the property's own words first.
pub(super) fn resolved<'a>(root: &'a Value, instance: &Value, at: &str) -> Vec<&'a Value> {
    let Some(schema) = schema_at(root, instance, at) else {
        return Vec::new();
    };
    let mut out = vec![schema];
    if let Some(target) = resolve(root, schema).filter(|t| !std::ptr::eq(*t, schema)) {
        out.push(target);
    }
    out
}

/// `schema` with its `$ref` followed (once per level; ours are never chains of more than two).
fn resolve<'a>(root: &'a Value, schema: &'a Value) -> Option<&'a Value> {
    let mut schema = schema;
    for _ in 0..4 {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(reference) => schema = root.pointer(reference.strip_prefix('#')?)?,
            None => return Some(schema),
        }
    }
    Some(schema)
}

/// An example of the right form for the value at `at`, as a line of TOML (`ports = [8080]`): the
/// property's first `examples` entry, else the `e.g. `...`` of its description. For an element
/// of an array or map that has none, the example of the array or map itself.
pub(super) fn example(root: &Value, instance: &Value, at: &str) -> Option<String> {
    let mut pointer = at;
    loop {
        let (parent, last) = pointer.rsplit_once('/')?;
        let key = last.replace("~1", "/").replace("~0", "~");
        let is_index = key.parse::<usize>().is_ok();
        if !is_index {
            let schemas = resolved(root, instance, pointer);
            if let Some(value) = schemas.iter().find_map(|s| example_value(s)) {
                return Some(format!("{} = {value}", toml_key(&key)));
            }
        }
        // An array element or a map's value: the example of what holds it.
        let parent_is_map = resolved(root, instance, parent)
            .iter()
            .any(|s| s.get("additionalProperties").is_some_and(Value::is_object));
        if is_index || parent_is_map {
            pointer = parent;
        } else {
            return None;
        }
    }
}

/// The example of a schema, in TOML's words.
fn example_value(schema: &Value) -> Option<String> {
    if let Some(first) = schema
        .get("examples")
        .and_then(Value::as_array)
        .and_then(|e| e.first())
    {
        return Some(toml_value(first));
    }
    // A switch needs no example of its own.
    if schema.get("type").and_then(Value::as_str) == Some("boolean") {
        return Some("true".to_string());
    }
    let description = schema.get("description").and_then(Value::as_str)?;
    let (_, after) = description.split_once("e.g. `")?;
    let (value, _) = after.split_once('`')?;
    // Only a whole value: `"30s"`, `["/app/server"]`, `{ a = "b" }`, `8080`.
    let whole = value.starts_with(['"', '[', '{']) || value.parse::<i64>().is_ok();
    whole.then(|| value.to_string())
}

/// A JSON value as an inline TOML value.
pub(super) fn toml_value(value: &Value) -> String {
    match value {
        Value::Null => "\"\"".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        // TOML's basic strings take JSON's escapes.
        Value::String(s) => Value::String(s.clone()).to_string(),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(toml_value).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(map) => {
            if map.is_empty() {
                return "{}".to_string();
            }
            let fields: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{} = {}", toml_key(k), toml_value(v)))
                .collect();
            format!("{{ {} }}", fields.join(", "))
        }
    }
}

/// A key as TOML writes it: bare when it can be, else quoted.
fn toml_key(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if bare {
        key.to_string()
    } else {
        Value::String(key.to_string()).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{schema_value, SchemaKind};
    use serde_json::json;

    fn build_schema() -> Value {
        schema_value(SchemaKind::Build)
    }

    #[test]
    fn finds_the_schema_through_refs_and_arrays() {
        let root = build_schema();
        let doc = json!({"stage": [{"name": "a", "steps": [{"run": "x"}]}]});
        let run = schema_at(&root, &doc, "/stage/0/steps/0/run").expect("run");
        let preset = resolved(&root, &doc, "/preset");
        assert_eq!(preset.len(), 2, "the property and the type it names");
        assert_eq!(run.get("type"), Some(&json!("string")));
        let ports = schema_at(&root, &doc, "/runtime/ports").expect("ports");
        assert_eq!(ports.get("type"), Some(&json!("array")));
    }

    #[test]
    fn finds_a_knob_in_the_branch_the_preset_names() {
        let root = build_schema();
        let doc = json!({"preset": {"name": "go", "cgo": "yes"}});
        let cgo = schema_at(&root, &doc, "/preset/cgo").expect("cgo");
        assert_eq!(cgo.get("type"), Some(&json!("boolean")));
    }

    #[test]
    fn examples_come_from_the_schema() {
        let root = build_schema();
        let doc = json!({"runtime": {"cmd": "python app.py", "ports": ["x"]}});
        assert_eq!(
            example(&root, &doc, "/runtime/cmd").as_deref(),
            Some(r#"cmd = ["python", "app.py"]"#)
        );
        assert_eq!(
            example(&root, &doc, "/runtime/ports/0").as_deref(),
            Some("ports = [8080]")
        );
        assert_eq!(example(&root, &doc, "/nope"), None);
    }

    #[test]
    fn renders_toml_values() {
        assert_eq!(
            toml_value(&json!({"a.b": ["x", 1], "c": true})),
            r#"{ "a.b" = ["x", 1], c = true }"#
        );
    }
}
