//! Where each value of a spec came from, for `stagegen plan --explain`: every leaf of the merged
//! document (a scalar, a list item, an empty list or table) with the file and line that wrote it
//! and the kind of layer that file is (the member, a template, the workspace's defaults, a
//! `--set`), then what the preset chose that no layer wrote (its defaults and what it read from
//! the app). Rendered for people (TOML-like lines, each with a `# file:line (kind)` comment) or as
//! JSON. May import: config's document, source.

use serde::Serialize;
use serde_json::Value;

use crate::config::document::{pointer_join, Document};
use crate::config::overrides::Origin;
use crate::source::SourceFile;

/// The kind of layer a value was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LayerKind {
    /// `[workspace.defaults]` of `stagegen.toml`.
    WorkspaceDefault,
    /// A template the member `extends`.
    Template,
    /// The member's own `build.toml`.
    Member,
    /// A spec that is not a workspace member.
    Spec,
    /// `--set` or `STAGEGEN_SET`.
    Override,
    /// Not written in any layer: the preset chose it.
    PresetDefault,
}

impl LayerKind {
    pub fn name(self) -> &'static str {
        match self {
            LayerKind::WorkspaceDefault => "workspace default",
            LayerKind::Template => "template",
            LayerKind::Member => "member",
            LayerKind::Spec => "spec",
            LayerKind::Override => "override",
            LayerKind::PresetDefault => "preset default",
        }
    }
}

/// One file that holds values of the spec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Layer {
    pub file: String,
    pub kind: LayerKind,
}

/// One value and where it was written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValueOrigin {
    /// The dotted TOML key (`runtime.labels."org.x"`, `tags[0]`).
    pub key: String,
    /// Its JSON pointer into the merged document.
    pub pointer: String,
    pub value: Value,
    pub file: String,
    /// 1-based, in `file`.
    pub line: usize,
    pub column: usize,
    pub kind: LayerKind,
}

/// The explanation of one spec.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Provenance {
    /// The spec's file.
    pub spec: String,
    /// The member's name, in a workspace.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    /// The files its values come from, in the order they were read.
    pub layers: Vec<Layer>,
    pub values: Vec<ValueOrigin>,
    /// What the preset chose and what it read from the app, one line each (`Go 1.22: builder
    /// image golang:1.22 (go.mod)`).
    pub preset_defaults: Vec<String>,
}

/// How to tell the files of a bundle apart.
#[derive(Debug, Clone, Copy)]
pub struct Kinds<'a> {
    /// The member's name, when the spec is a member of a workspace.
    pub member: Option<&'a str>,
    /// The name `stagegen.toml` goes by in the bundle.
    pub workspace_file: Option<&'a str>,
}

/// Explain `doc`, whose spans point into `file` (a plain file or a bundle whose first part is the
/// spec), with the preset's `detected` lines.
pub fn explain(
    file: &SourceFile,
    doc: &Document,
    kinds: Kinds<'_>,
    detected: &[String],
) -> Provenance {
    let spec = file.name().to_string();
    let kind_of = |name: &str| -> LayerKind {
        if name == Origin::Flag.name() || name == Origin::Env.name() {
            LayerKind::Override
        } else if name == spec {
            if kinds.member.is_some() {
                LayerKind::Member
            } else {
                LayerKind::Spec
            }
        } else if Some(name) == kinds.workspace_file {
            LayerKind::WorkspaceDefault
        } else {
            LayerKind::Template
        }
    };
    let mut layers: Vec<Layer> = Vec::new();
    for name in file.part_names() {
        if !layers.iter().any(|l| l.file == name) {
            layers.push(Layer {
                file: name.to_string(),
                kind: kind_of(name),
            });
        }
    }
    layers.sort_by_key(|l| rank(l.kind));
    let mut values = Vec::new();
    leaves(&doc.value, String::new(), &mut |pointer, value| {
        let start = doc.place(&pointer).map_or(0, |p| p.value.start);
        let name = file.name_at(start).to_string();
        let (line, column) = file.line_col(start);
        values.push(ValueOrigin {
            key: crate::validate::schema::dotted(&pointer),
            kind: kind_of(&name),
            pointer,
            value: value.clone(),
            file: name,
            line,
            column,
        });
    });
    Provenance {
        spec,
        member: kinds.member.map(str::to_string),
        layers,
        values,
        preset_defaults: detected.to_vec(),
    }
}

/// Lowest layer first: the order the layers are laid over one another.
fn rank(kind: LayerKind) -> u8 {
    match kind {
        LayerKind::PresetDefault => 0,
        LayerKind::WorkspaceDefault => 1,
        LayerKind::Template => 2,
        LayerKind::Member | LayerKind::Spec => 3,
        LayerKind::Override => 4,
    }
}

/// Call `f` on every leaf: scalars, list items, and empty lists and tables.
fn leaves(value: &Value, pointer: String, f: &mut impl FnMut(String, &Value)) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                leaves(v, pointer_join(&pointer, k), f);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for (i, v) in items.iter().enumerate() {
                leaves(v, format!("{pointer}/{i}"), f);
            }
        }
        _ => f(pointer, value),
    }
}

/// For people: a header naming the layers, one `key = value  # file:line (kind)` line per value,
/// then the preset's choices.
pub fn render_human(p: &Provenance) -> String {
    let mut out = match &p.member {
        Some(name) => format!("# member `{name}`: {}\n", p.spec),
        None => format!("# {}\n", p.spec),
    };
    let layers: Vec<String> = p
        .layers
        .iter()
        .map(|l| format!("{} ({})", l.file, l.kind.name()))
        .collect();
    out.push_str(&format!(
        "# layers, lowest first (a later one wins): {}\n",
        layers.join(", ")
    ));
    let lines: Vec<(String, String)> = p
        .values
        .iter()
        .map(|v| {
            (
                format!("{} = {}", v.key, inline(&v.value)),
                format!("# {}:{} ({})", v.file, v.line, v.kind.name()),
            )
        })
        .collect();
    // Aligned comments, but a long value does not push every comment far right.
    let width = lines
        .iter()
        .map(|(l, _)| l.chars().count())
        .filter(|w| *w <= 60)
        .max()
        .unwrap_or(0);
    for (line, origin) in lines {
        let pad = width.saturating_sub(line.chars().count());
        out.push_str(&format!("{line}{}  {origin}\n", " ".repeat(pad)));
    }
    if !p.preset_defaults.is_empty() {
        out.push_str("# chosen by the preset (preset default), written in no layer:\n");
        for line in &p.preset_defaults {
            out.push_str(&format!("#   {line}\n"));
        }
    }
    out
}

/// As JSON, for tools.
pub fn render_json(p: &Provenance) -> String {
    let mut text = serde_json::to_string_pretty(p).unwrap_or_default();
    text.push('\n');
    text
}

/// A leaf as TOML writes it inline.
fn inline(value: &Value) -> String {
    match value {
        Value::Object(_) => "{}".to_string(),
        Value::Array(_) => "[]".to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::layers::merge;
    use crate::source::BundleBuilder;

    fn bundle(texts: &[(&str, &str)]) -> (SourceFile, Document) {
        let mut b = BundleBuilder::default();
        let mut docs = Vec::new();
        for (name, text) in texts {
            let f = SourceFile::new(*name, *text);
            let base = b.push(&f);
            docs.push(Document::parse(&f).expect("parses").shifted(base));
        }
        // The first file is the member; the others are laid under it, in the order given.
        let mut merged = None;
        for d in docs.iter().skip(1).chain(docs.first()) {
            merged = Some(merge(merged, d.clone()));
        }
        (b.finish(texts[0].0), merged.expect("one"))
    }

    #[test]
    fn each_value_names_its_file_line_and_layer() {
        let (file, doc) = bundle(&[
            (
                "svc/build.toml",
                "version = 1\n\n[runtime]\nports = [8080]\n",
            ),
            ("stagegen.toml", "[runtime.labels]\nteam = \"core\"\n"),
            ("templates/t.toml", "[preset]\nname = \"go\"\n"),
        ]);
        let kinds = Kinds {
            member: Some("svc"),
            workspace_file: Some("stagegen.toml"),
        };
        let p = explain(&file, &doc, kinds, &["Go 1.22 (go.mod)".to_string()]);
        let at = |key: &str| {
            let v = p.values.iter().find(|v| v.key == key).expect(key);
            (v.file.as_str(), v.line, v.kind)
        };
        assert_eq!(at("version"), ("svc/build.toml", 1, LayerKind::Member));
        assert_eq!(
            at("runtime.ports[0]"),
            ("svc/build.toml", 4, LayerKind::Member)
        );
        assert_eq!(
            at("runtime.labels.team"),
            ("stagegen.toml", 2, LayerKind::WorkspaceDefault)
        );
        assert_eq!(
            at("preset.name"),
            ("templates/t.toml", 2, LayerKind::Template)
        );
        let kinds: Vec<LayerKind> = p.layers.iter().map(|l| l.kind).collect();
        assert_eq!(
            kinds,
            [
                LayerKind::WorkspaceDefault,
                LayerKind::Template,
                LayerKind::Member
            ]
        );
        let text = render_human(&p);
        assert!(
            text.contains("runtime.labels.team = \"core\"  # stagegen.toml:2 (workspace default)"),
            "{text}"
        );
        assert!(text.contains("#   Go 1.22 (go.mod)\n"), "{text}");
    }

    #[test]
    fn a_lone_spec_is_a_spec_and_empty_tables_are_values() {
        let file = SourceFile::new("build.toml", "version = 1\n[runtime.labels]\n");
        let doc = Document::parse(&file).expect("parses");
        let kinds = Kinds {
            member: None,
            workspace_file: None,
        };
        let p = explain(&file, &doc, kinds, &[]);
        assert_eq!(p.values[1].key, "runtime.labels");
        assert_eq!(p.values[1].value, serde_json::json!({}));
        assert_eq!(p.values[1].kind, LayerKind::Spec);
        let json: Value = serde_json::from_str(&render_json(&p)).expect("json");
        assert_eq!(json["values"][0]["kind"], "spec");
        assert!(json.get("member").is_none());
    }
}
