//! One member's spec, layered: `[workspace.defaults]` (its strings rendered for the member),
//! then the templates it `extends` (each rendered whole, a template's own `extends` laid
//! before it), then its own `build.toml`, merged by [`crate::config::layers`]. All the files
//! go into one [`SourceFile`] bundle, so each diagnostic names the file and line where the value
//! it is about was written: the member, a template, or `stagegen.toml`. The `extends` keys are
//! taken out of the merged document (they are instructions, not settings).

use std::path::{Path, PathBuf};

use crate::config::layers::merge;
use crate::config::{Document, WORKSPACE_FILE};
use crate::diagnostics::{codes, Diagnostic};
use crate::presets::registry;
use crate::project::ProjectFiles;
use crate::source::{BundleBuilder, SourceFile, Span};
use crate::workspace::template::{self, Facts, MemberFacts};
use crate::workspace::{Member, Workspace};

/// How deep templates may extend one another.
const MAX_DEPTH: usize = 16;

/// The member's layers merged into one document, with the bundle of files its spans point
/// into; or every problem found on the way.
pub fn layered(
    ws: &Workspace,
    member: &Member,
    file: SourceFile,
) -> Result<(SourceFile, Document), (SourceFile, Vec<Diagnostic>)> {
    let bundle_name = file.name().to_string();
    let mut cx = Cx {
        ws,
        bundle: BundleBuilder::default(),
        diagnostics: Vec::new(),
        layers: Vec::new(),
        canonical_root: ws.real_root.clone(),
    };
    cx.bundle.push(&file);
    let mut own = match Document::parse(&file) {
        Ok(doc) => doc,
        Err(diagnostics) => return Err((cx.bundle.finish(bundle_name), diagnostics)),
    };
    let facts = facts(ws, member, &own);
    if !ws.defaults.value.as_object().is_some_and(|m| m.is_empty()) {
        let base = cx.bundle.push(&ws.file);
        let mut defaults = ws.defaults.clone().shifted(base);
        render_strings(ws, &mut defaults, &facts, &mut cx.diagnostics);
        cx.layers.push(defaults);
    }
    let spec = member.spec.clone();
    let mut chain = vec![canonical(&spec)];
    cx.extends(&mut own, &spec, &facts, &mut chain);
    let Cx {
        bundle,
        diagnostics,
        layers,
        ..
    } = cx;
    let bundle = bundle.finish(bundle_name);
    if !diagnostics.is_empty() {
        return Err((bundle, diagnostics));
    }
    let below = layers
        .into_iter()
        .fold(None, |merged, layer| Some(merge(merged, layer)));
    Ok((bundle, merge(below, own)))
}

/// The facts a template sees.
fn facts(ws: &Workspace, member: &Member, own: &Document) -> Facts {
    let written = own
        .value
        .pointer("/preset/name")
        .and_then(|v| v.as_str())
        .map(str::to_string);
    let preset = written.or_else(|| {
        let files = ProjectFiles::new(&member.dir);
        let found: Vec<&str> = registry::by_markers(&files)
            .iter()
            .map(|(p, _)| p.info().name)
            .collect();
        match found.as_slice() {
            [one] => Some(one.to_string()),
            _ => None,
        }
    });
    Facts {
        member: MemberFacts {
            name: member.name.clone(),
            path: member.path.clone(),
        },
        preset,
        vars: ws.config.vars.clone(),
    }
}

struct Cx<'a> {
    ws: &'a Workspace,
    bundle: BundleBuilder,
    diagnostics: Vec<Diagnostic>,
    /// The layers below the member's own file, lowest first.
    layers: Vec<Document>,
    canonical_root: PathBuf,
}

impl Cx<'_> {
    /// Take `doc`'s `extends` and lay each template it names (after the ones that template
    /// extends) onto the layers. `path` is the file `doc` was read from; `chain` the canonical
    /// paths of the files that led here, for cycles.
    fn extends(
        &mut self,
        doc: &mut Document,
        path: &Path,
        facts: &Facts,
        chain: &mut Vec<PathBuf>,
    ) {
        let entries: Vec<(String, Span)> = match doc.value.get("extends") {
            None => return,
            Some(serde_json::Value::String(s)) => vec![(s.clone(), doc.value_span("/extends"))],
            Some(serde_json::Value::Array(items)) => items
                .iter()
                .enumerate()
                .filter_map(|(i, v)| {
                    v.as_str()
                        .map(|s| (s.to_string(), doc.value_span(&format!("/extends/{i}"))))
                })
                .collect(),
            // The schema reports a value of another kind.
            Some(_) => return,
        };
        doc.take_key("extends");
        let from = path.parent().unwrap_or(Path::new("."));
        for (entry, span) in entries {
            let target = from.join(&entry);
            let Ok(real) = std::fs::canonicalize(&target) else {
                self.diagnostics.push(
                    Diagnostic::error(
                        codes::EXTENDS_NOT_FOUND,
                        format!("`extends` names `{entry}`, which does not exist"),
                    )
                    .at(span, format!("no file at `{}`", target.display()))
                    .help("the path is relative to the file that says `extends`"),
                );
                continue;
            };
            if !real.starts_with(&self.canonical_root) || !real.is_file() {
                let why = if real.is_file() {
                    format!(
                        "a template must be inside the workspace, the folder of `{}`",
                        self.ws.file.name()
                    )
                } else {
                    "a template is a file".to_string()
                };
                self.diagnostics.push(
                    Diagnostic::error(
                        codes::EXTENDS_ESCAPES,
                        format!("`extends` names `{entry}`, which is outside the workspace"),
                    )
                    .at(span, "outside the workspace")
                    .help(format!(
                        "{why}; move the template into the repository (e.g. `templates/`)"
                    )),
                );
                continue;
            }
            if let Some(at) = chain.iter().position(|p| p == &real) {
                let names: Vec<String> = chain[at..]
                    .iter()
                    .chain(std::iter::once(&real))
                    .map(|p| format!("`{}`", self.shown(p).display()))
                    .collect();
                self.diagnostics.push(
                    Diagnostic::error(
                        codes::EXTENDS_CYCLE,
                        format!("`extends` goes round in a circle: {}", names.join(" extends ")),
                    )
                    .at(span, "extends a file that extends this one")
                    .help("a template cannot extend, even through others, a file that extends it; remove one of the `extends`"),
                );
                continue;
            }
            if chain.len() > MAX_DEPTH {
                self.diagnostics.push(
                    Diagnostic::error(
                        codes::EXTENDS_CYCLE,
                        format!("`extends` goes more than {MAX_DEPTH} templates deep"),
                    )
                    .at(span, "too deep")
                    .help("flatten the templates: one template may extend several"),
                );
                continue;
            }
            let shown = self.shown(&real);
            self.template(&real, &shown, &span, facts, chain);
        }
    }

    /// Read, render and parse one template, then lay it (after what it extends).
    fn template(
        &mut self,
        real: &Path,
        shown: &Path,
        span: &Span,
        facts: &Facts,
        chain: &mut Vec<PathBuf>,
    ) {
        let name = shown.display().to_string();
        // The size is checked before reading (src/limits.rs).
        let bytes = crate::limits::read_file_at_most(real, crate::driver::MAX_FILE_BYTES);
        let text = match bytes.map(|b| b.map(String::from_utf8)) {
            Ok(Some(Ok(text))) => text,
            _ => {
                self.diagnostics.push(
                    Diagnostic::error(
                        codes::EXTENDS_NOT_FOUND,
                        format!("cannot read the template `{name}`: it is not a UTF-8 text file of at most 1 MiB"),
                    )
                    .at(span.clone(), "this template")
                    .help("a template is a build.toml with minijinja expressions"),
                );
                return;
            }
        };
        let raw = SourceFile::new(name.clone(), text);
        let rendered = match self.ws.templates.render(raw.text(), facts) {
            Ok(r) => r,
            Err(d) => {
                let base = self.bundle.push(&raw);
                self.diagnostics.push(shift(*d, base));
                return;
            }
        };
        // Shown under the template's name when its lines are the template's lines (the usual
        // case: `{{ }}` in values, `{% if %}` lines rendered blank); else it says it was rendered.
        let same_lines = rendered.lines().count() == raw.text().lines().count();
        let rendered_name = if same_lines {
            name
        } else {
            format!("{name} (as rendered for `{}`)", facts.member.name)
        };
        let file = SourceFile::new(rendered_name, rendered);
        let base = self.bundle.push(&file);
        let mut doc = match Document::parse(&file) {
            Ok(doc) => doc.shifted(base),
            Err(diagnostics) => {
                self.diagnostics
                    .extend(diagnostics.into_iter().map(|d| shift(d, base)));
                return;
            }
        };
        chain.push(real.to_path_buf());
        self.extends(&mut doc, real, facts, chain);
        chain.pop();
        self.layers.push(doc);
    }

    /// `path` as the user reads it: under the workspace root as they named it.
    fn shown(&self, path: &Path) -> PathBuf {
        match path.strip_prefix(&self.canonical_root) {
            Ok(rel) => {
                crate::workspace::under(&self.ws.root, &rel.to_string_lossy().replace('\\', "/"))
            }
            Err(_) => path.to_path_buf(),
        }
    }
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Render every string of `[workspace.defaults]` that holds template syntax.
fn render_strings(ws: &Workspace, doc: &mut Document, facts: &Facts, out: &mut Vec<Diagnostic>) {
    let mut pointers = Vec::new();
    collect_strings(&doc.value, String::new(), &mut pointers);
    for pointer in pointers {
        let Some(serde_json::Value::String(text)) = doc.value.pointer(&pointer) else {
            continue;
        };
        match ws.templates.render(text, facts) {
            Ok(rendered) => {
                if let Some(slot) = doc.value.pointer_mut(&pointer) {
                    *slot = serde_json::Value::String(rendered);
                }
            }
            Err(d) => {
                let mut d = *d;
                // The value's place in stagegen.toml: the span inside the string would need its
                // escapes undone.
                let span = doc.value_span(&pointer);
                if let Some(label) = &mut d.primary {
                    label.span = span;
                    label.message = format!("in `[workspace.defaults]` of {WORKSPACE_FILE}");
                }
                out.push(d);
            }
        }
    }
}

fn collect_strings(value: &serde_json::Value, pointer: String, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) if template::is_template(s) => out.push(pointer),
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                collect_strings(v, crate::config::pointer_join(&pointer, k), out);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                collect_strings(v, format!("{pointer}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// `d` with its spans moved `by` bytes on, into a bundle.
pub fn shift(mut d: Diagnostic, by: usize) -> Diagnostic {
    let move_span = |s: &mut Span| *s = s.start + by..s.end + by;
    if let Some(l) = &mut d.primary {
        move_span(&mut l.span);
    }
    for l in &mut d.secondary {
        move_span(&mut l.span);
    }
    d
}
