//! A workspace: a `stagegen.toml` at or above the `build.toml`s of a monorepo. This module
//! finds it, checks it, expands its member globs into members (each a folder with a
//! `build.toml` and a unique name), and lays each member's layers together
//! ([`member::layered`]): the workspace's defaults, the templates it `extends`, its own file,
//! by the rules of [`crate::config::layers`]. May import: config, diagnostics, source, presets
//! (the markers that tell a member's preset to its templates).

mod glob;
pub mod member;
pub mod template;

use std::path::{Path, PathBuf};

use crate::config::{pointer_join, Document, TomlWorkspace, TomlWorkspaceFile, WORKSPACE_FILE};
use crate::diagnostics::{codes, Diagnostic};
use crate::source::SourceFile;

/// A loaded, checked workspace.
#[derive(Debug)]
pub struct Workspace {
    /// The folder of `stagegen.toml`, as a path the user can read (relative to the current
    /// folder when it is under it).
    pub root: PathBuf,
    /// The root with every symlink resolved (what a template must be under), resolved once.
    pub real_root: PathBuf,
    /// `stagegen.toml`.
    pub file: SourceFile,
    pub config: TomlWorkspace,
    /// `[workspace.defaults]` as a document of its own (spans into [`Workspace::file`]).
    pub defaults: Document,
    /// The members, sorted by path.
    pub members: Vec<Member>,
    /// Values laid over every member's spec, last (`--platform` of `bake` and `dockerfile --all`).
    pub overrides: Vec<crate::config::overrides::Override>,
    /// The templates of this run, each compiled once for all the members that use it.
    pub templates: template::Templates,
}

/// One member: a folder with a `build.toml`.
#[derive(Debug, Clone)]
pub struct Member {
    /// Its name: `name` in its build.toml, else its folder's name.
    pub name: String,
    /// Its folder, relative to the root, `/`-separated (`.` for the root itself).
    pub path: String,
    /// Its folder, as a path the user can read.
    pub dir: PathBuf,
    /// Its `build.toml`.
    pub spec: PathBuf,
}

/// The folder of the `stagegen.toml` at or above folder `start`, if there is one.
pub fn find(start: &Path) -> Option<PathBuf> {
    let start = if start.as_os_str().is_empty() {
        Path::new(".")
    } else {
        start
    };
    let abs = std::path::absolute(start).ok()?;
    let found = abs
        .ancestors()
        .find(|dir| dir.join(WORKSPACE_FILE).is_file())?;
    let cwd = std::env::current_dir().ok();
    let shown = cwd
        .as_deref()
        .and_then(|cwd| found.strip_prefix(cwd).ok())
        .map(|rel| {
            if rel.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                rel.to_path_buf()
            }
        })
        .unwrap_or_else(|| found.to_path_buf());
    Some(shown)
}

/// `rel` (`/`-separated, `.` for itself) under `root`, without a leading `./` when `root` is
/// the current folder.
pub fn under(root: &Path, rel: &str) -> PathBuf {
    match (root == Path::new("."), rel) {
        (true, ".") => PathBuf::from("."),
        (true, _) => PathBuf::from(rel),
        (false, ".") => root.to_path_buf(),
        (false, _) => root.join(rel),
    }
}

/// Check `file` (the text of `root/stagegen.toml`) and expand its members; every problem at
/// once, as diagnostics into `file`.
pub fn load(root: &Path, file: SourceFile) -> Result<Workspace, (SourceFile, Vec<Diagnostic>)> {
    let doc = match Document::parse(&file) {
        Ok(doc) => doc,
        Err(diagnostics) => return Err((file, diagnostics)),
    };
    let mut diagnostics = shape(&doc);
    if !diagnostics.is_empty() {
        return Err((file, diagnostics));
    }
    let config: TomlWorkspace = match serde_json::from_value::<TomlWorkspaceFile>(doc.value.clone())
    {
        Ok(c) => c.workspace,
        Err(e) => {
            let d = Diagnostic::error(
                codes::INVALID_VALUE,
                format!("invalid {WORKSPACE_FILE}: {e}"),
            )
            .at(doc.key_span("/workspace"), "")
            .help("see `stagegen schema workspace` for what `[workspace]` holds");
            return Err((file, vec![d]));
        }
    };
    let canonical_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let mut members: Vec<(Member, usize)> = Vec::new();
    for (i, pattern) in config.members.iter().enumerate() {
        let pointer = format!("/workspace/members/{i}");
        let span = doc.value_span(&pointer);
        if !stays_inside(pattern) {
            diagnostics.push(
                Diagnostic::error(
                    codes::MEMBER_OUTSIDE_ROOT,
                    format!("member `{pattern}` is outside the workspace"),
                )
                .at(span, "leaves the folder of stagegen.toml")
                .help(format!(
                    "members are folders under the folder of `{}`; move it up to a folder that holds them all",
                    file.name()
                )),
            );
            continue;
        }
        let mut matched = 0;
        for rel in glob::expand(root, pattern) {
            let dir = under(root, &rel);
            if !dir.join("build.toml").is_file() {
                continue;
            }
            if config.exclude.iter().any(|x| glob::matches(x, &rel)) {
                matched += 1;
                continue;
            }
            let inside = std::fs::canonicalize(&dir)
                .map(|c| c.starts_with(&canonical_root))
                .unwrap_or(true);
            if !inside {
                diagnostics.push(
                    Diagnostic::error(
                        codes::MEMBER_OUTSIDE_ROOT,
                        format!("member `{rel}` is outside the workspace: it is a link to a folder elsewhere"),
                    )
                    .at(span.clone(), "matches it")
                    .help("list the folder it links to, or move it under the workspace"),
                );
                matched += 1;
                continue;
            }
            matched += 1;
            if members.iter().any(|(m, _)| m.path == rel) {
                continue;
            }
            let (name, written) = member_name(&dir, &rel, &canonical_root);
            let spec = dir.join("build.toml");
            // A name written in the build.toml is checked there, with its place.
            if !written && !crate::validate::name_ok(&name) {
                diagnostics.push(
                    Diagnostic::error(
                        codes::INVALID_NAME,
                        format!("member `{rel}` needs a name: its folder's name `{name}` is not one"),
                    )
                    .at(span.clone(), "matches it")
                    .help(format!(
                        "a member's name is lowercase letters, digits, `-`, `_` and `.`; write `name = \"...\"` in `{}`",
                        spec.display()
                    )),
                );
            }
            members.push((
                Member {
                    name,
                    path: rel,
                    dir,
                    spec,
                },
                i,
            ));
        }
        if matched == 0 {
            diagnostics.push(
                Diagnostic::error(
                    codes::GLOB_MATCHES_NOTHING,
                    format!("member `{pattern}` matches no folder with a build.toml"),
                )
                .at(span, "matches nothing")
                .help("each member is a folder that holds a build.toml (`stagegen init DIR` writes one); fix the path or remove it"),
            );
        }
    }
    members.sort_by(|a, b| a.0.path.cmp(&b.0.path));
    for (j, (member, pattern)) in members.iter().enumerate() {
        if let Some((first, _)) = members[..j].iter().find(|(m, _)| m.name == member.name) {
            diagnostics.push(
                Diagnostic::error(
                    codes::DUPLICATE_MEMBER,
                    format!(
                        "two members are named `{}`: `{}` and `{}`",
                        member.name, first.path, member.path
                    ),
                )
                .at(
                    doc.value_span(&format!("/workspace/members/{pattern}")),
                    format!("matches `{}`", member.path),
                )
                .help(format!(
                    "a member's name picks it (`-p NAME`) and names its image; give one of them another with `name = \"...\"` in `{}`",
                    member.spec.display()
                )),
            );
        }
    }
    if !diagnostics.is_empty() {
        return Err((file, diagnostics));
    }
    let defaults = doc.subtree("/workspace/defaults");
    Ok(Workspace {
        root: root.to_path_buf(),
        real_root: canonical_root,
        file,
        config,
        defaults,
        members: members.into_iter().map(|(m, _)| m).collect(),
        overrides: Vec::new(),
        templates: template::Templates::default(),
    })
}

impl Workspace {
    /// The member whose build.toml is `spec`.
    pub fn member_of(&self, spec: &Path) -> Option<&Member> {
        let key = |p: &Path| std::fs::canonicalize(p).ok();
        let spec = key(spec)?;
        self.members
            .iter()
            .find(|m| key(&m.spec).as_ref() == Some(&spec))
    }

    /// The member named `name`.
    pub fn member(&self, name: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.name == name)
    }
}

/// A member's name: `name = "..."` in its build.toml (then `true`), else its folder's name.
fn member_name(dir: &Path, rel: &str, canonical_root: &Path) -> (String, bool) {
    let written =
        crate::limits::read_file_at_most(&dir.join("build.toml"), crate::driver::MAX_FILE_BYTES)
            .ok()
            .flatten()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .and_then(|text| text.parse::<toml::Table>().ok())
            .and_then(|t| t.get("name").and_then(|n| n.as_str()).map(str::to_string));
    if let Some(name) = written {
        return (name, true);
    }
    let folder = if rel == "." {
        canonical_root.file_name()
    } else {
        Path::new(rel).file_name()
    };
    let name = folder
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "app".to_string());
    (name, false)
}

/// Whether a `/`-separated relative path stays under its base.
fn stays_inside(path: &str) -> bool {
    crate::validate::stays_inside(path)
}

/// The keys of `[workspace]`.
const WORKSPACE_KEYS: [&str; 4] = ["members", "exclude", "defaults", "vars"];

/// The shape of `stagegen.toml`: its keys and their kinds, each mistake with its place.
fn shape(doc: &Document) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let unknown = |out: &mut Vec<Diagnostic>, pointer: &str, key: &str, known: &[&str]| {
        let place = if pointer.is_empty() {
            format!("at the top level of {WORKSPACE_FILE}")
        } else {
            "in `[workspace]`".to_string()
        };
        let d = Diagnostic::error(codes::UNKNOWN_KEY, format!("unknown key `{key}` {place}"))
            .at(doc.key_span(&pointer_join(pointer, key)), "unknown key");
        let d = match crate::validate::did_you_mean(key, known.iter().copied()) {
            Some(m) => d.help(format!("did you mean `{m}`?")),
            // A key of `[workspace]` above its header (or with none).
            None if pointer.is_empty() && WORKSPACE_KEYS.contains(&key) => d.help(format!(
                "`{key}` is a key of `[workspace]`: write it below a `[workspace]` line"
            )),
            None => d.help(format!(
                "the keys here are: {}",
                known
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        };
        out.push(d);
    };
    let Some(top) = doc.value.as_object() else {
        return out;
    };
    for key in top.keys().filter(|k| *k != "workspace") {
        unknown(&mut out, "", key, &["workspace"]);
    }
    let Some(ws) = top.get("workspace") else {
        out.push(
            Diagnostic::error(
                codes::MISSING_KEY,
                format!("missing table `[workspace]` in {WORKSPACE_FILE}"),
            )
            .at(0..0, "")
            .help("write `[workspace]` with `members = [\"services/*\"]`"),
        );
        return out;
    };
    let known = WORKSPACE_KEYS;
    let Some(ws) = ws.as_object() else {
        out.push(wrong_type(doc, "/workspace", "a table"));
        return out;
    };
    for key in ws.keys().filter(|k| !known.contains(&k.as_str())) {
        unknown(&mut out, "/workspace", key, &known);
    }
    match ws.get("members") {
        None => out.push(
            Diagnostic::error(codes::MISSING_KEY, "missing key `members` in `[workspace]`")
                .at(doc.key_span("/workspace"), "")
                .help("list the members' folders: `members = [\"services/*\", \"web\"]`"),
        ),
        Some(v) => string_list(doc, "/workspace/members", v, &mut out),
    }
    if let Some(v) = ws.get("exclude") {
        string_list(doc, "/workspace/exclude", v, &mut out);
    }
    for table in ["defaults", "vars"] {
        if ws.get(table).is_some_and(|v| !v.is_object()) {
            out.push(wrong_type(doc, &format!("/workspace/{table}"), "a table"));
        }
    }
    out
}

fn string_list(
    doc: &Document,
    pointer: &str,
    value: &serde_json::Value,
    out: &mut Vec<Diagnostic>,
) {
    match value.as_array() {
        None => out.push(wrong_type(doc, pointer, "a list of folder globs")),
        Some(items) => {
            for (i, item) in items.iter().enumerate() {
                if !item.is_string() {
                    out.push(wrong_type(doc, &format!("{pointer}/{i}"), "a string"));
                }
            }
        }
    }
}

fn wrong_type(doc: &Document, pointer: &str, want: &str) -> Diagnostic {
    Diagnostic::error(
        codes::WRONG_TYPE,
        format!(
            "`{}` must be {want}",
            crate::validate::schema::dotted(pointer)
        ),
    )
    .at(doc.value_span(pointer), "")
    .help(format!(
        "write `{}` as {want}",
        crate::validate::schema::dotted(pointer)
    ))
}
