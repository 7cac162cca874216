//! The editor schema: stagegen's JSON schemas copied into a project, where taplo (its CLI, its
//! language server, the Even Better TOML extension that runs it) finds them with no network.
//! `stagegen schema install` writes them and a `.taplo.toml` that associates them; `stagegen
//! init` writes the build schema beside a new build.toml (or finds one up the folder tree) and
//! points the file's `#:schema` line at it by a relative path, which taplo resolves from the
//! file's own folder. Each file carries stagegen's mark, so a later install refreshes it
//! without `--force` and a file of the user's is never replaced without it.
//! May import: schema, emit (the mark), output.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::{schema_value, SchemaKind};
use crate::emit::GENERATED_MARK;
use crate::output::{self, Planned, Policy, WriteError, HEAD_BYTES};

/// The folder, under the project's root, that holds the installed schemas.
pub const SCHEMA_DIR: &str = ".stagegen";

/// taplo's configuration file, read by its CLI and language server from the project's root.
pub const TAPLO_CONFIG: &str = ".taplo.toml";

/// The schemas an install writes, in the order they are written.
pub const INSTALLED: [SchemaKind; 2] = [SchemaKind::Build, SchemaKind::Workspace];

/// `.stagegen/build.schema.json` (or the workspace one) under `root`.
pub fn installed_path(root: &Path, kind: SchemaKind) -> PathBuf {
    root.join(SCHEMA_DIR).join(kind.file_name())
}

/// The schema as installed for editors: the published schema with a first key, `$comment`,
/// that carries stagegen's mark (JSON has no comments) and says how to refresh it.
pub fn editor_schema_text(kind: SchemaKind) -> String {
    let mut map = Map::new();
    map.insert(
        "$comment".to_string(),
        Value::String(format!(
            "{GENERATED_MARK} (`stagegen schema install`): the JSON schema of {}, for editors. \
             `stagegen schema install` rewrites it for the stagegen in use.",
            match kind {
                SchemaKind::Build => "build.toml",
                SchemaKind::Workspace => "stagegen.toml",
                SchemaKind::Plan => "the JSON build plan",
            }
        )),
    );
    if let Value::Object(schema) = schema_value(kind) {
        map.extend(schema);
    }
    let mut text =
        serde_json::to_string_pretty(&Value::Object(map)).unwrap_or_else(|_| "{}".to_string());
    text.push('\n');
    text
}

/// The `.taplo.toml` an install writes: one rule per installed schema, by file name.
pub fn taplo_config_text() -> String {
    let mut text = format!(
        "# {GENERATED_MARK} (`stagegen schema install`): taplo and the editors that run it (Even\n\
         # Better TOML) validate and complete every build.toml and stagegen.toml under this folder\n\
         # with stagegen's schemas, offline. A file's own `#:schema` line wins over these rules.\n"
    );
    for (kind, file) in INSTALLED.iter().zip(["build.toml", "stagegen.toml"]) {
        text.push_str(&format!(
            "\n[[rule]]\ninclude = [\"{file}\", \"**/{file}\"]\n\n[rule.schema]\npath = \"./{SCHEMA_DIR}/{}\"\n",
            kind.file_name()
        ));
    }
    text
}

/// The nearest installed build schema for a build.toml in `dir`: `dir/.stagegen/...`, else the
/// same in each parent folder, up to the first that holds `.git` (the repository's root).
pub fn find_build_schema(dir: &Path) -> Option<PathBuf> {
    let start = std::path::absolute(dir).ok()?;
    for folder in start.ancestors() {
        let candidate = installed_path(folder, SchemaKind::Build);
        if candidate.is_file() {
            return Some(candidate);
        }
        if folder.join(".git").exists() {
            break;
        }
    }
    None
}

/// True when the file at `path` is an installed schema that differs from this stagegen's (one
/// stagegen wrote, from another version); false when it is current, or not stagegen's.
pub fn is_stale(path: &Path, kind: SchemaKind) -> bool {
    let Ok(text) = std::fs::read_to_string(path) else {
        return false;
    };
    crate::emit::is_generated(&text) && text != editor_schema_text(kind)
}

/// What an install wrote, and the `.taplo.toml` it left alone.
#[derive(Debug)]
pub struct Installed {
    pub written: Vec<PathBuf>,
    /// A `.taplo.toml` stagegen did not write, kept without `--force`.
    pub kept_taplo_config: Option<PathBuf>,
}

/// `stagegen schema install`: write the schemas under `root/.stagegen/` and `root/.taplo.toml`,
/// all or none. A schema stagegen did not write is replaced only with `force`; a `.taplo.toml`
/// of the user's is kept (and said so) unless `force`.
pub fn install(root: &Path, force: bool) -> Result<Installed, WriteError> {
    let schemas: Vec<(PathBuf, String)> = INSTALLED
        .iter()
        .map(|&kind| (installed_path(root, kind), editor_schema_text(kind)))
        .collect();
    let taplo = root.join(TAPLO_CONFIG);
    let taplo_text = taplo_config_text();
    let keep_taplo = !force && is_foreign(&taplo)?;
    let mut planned: Vec<Planned<'_>> = schemas
        .iter()
        .map(|(path, text)| Planned {
            path,
            text: text.as_bytes(),
            policy: Policy::Generated { force },
        })
        .collect();
    if !keep_taplo {
        planned.push(Planned {
            path: &taplo,
            text: taplo_text.as_bytes(),
            policy: Policy::Generated { force },
        });
    }
    write_creating_folder(&root.join(SCHEMA_DIR), &planned)?;
    Ok(Installed {
        written: planned.iter().map(|p| p.path.to_path_buf()).collect(),
        kept_taplo_config: keep_taplo.then_some(taplo),
    })
}

/// [`output::write_all`], creating `folder` first when it is missing (and removing it again
/// when nothing could be written).
pub fn write_creating_folder(folder: &Path, planned: &[Planned<'_>]) -> Result<(), WriteError> {
    let created = !folder.exists();
    if created {
        std::fs::create_dir_all(folder).map_err(|e| WriteError {
            kind: output::ErrorKind::Io,
            message: format!(
                "cannot create `{}`: {}",
                folder.display(),
                output::io_reason(&e)
            ),
            help: None,
        })?;
    }
    let written = output::write_all(planned);
    if written.is_err() && created {
        let _ = std::fs::remove_dir(folder);
    }
    written
}

/// True when a file is at `path` and stagegen did not write it.
fn is_foreign(path: &Path) -> Result<bool, WriteError> {
    Ok(output::read_prefix(path, HEAD_BYTES)?
        .is_some_and(|(head, _)| !crate::emit::is_generated(&String::from_utf8_lossy(&head))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_installed_schema_is_marked_and_otherwise_the_published_one() {
        let text = editor_schema_text(SchemaKind::Build);
        assert!(crate::emit::is_generated(&text));
        let mut value: Value = serde_json::from_str(&text).expect("json");
        value
            .as_object_mut()
            .expect("object")
            .shift_remove("$comment");
        assert_eq!(value, schema_value(SchemaKind::Build));
    }

    #[test]
    fn install_writes_marked_files_refreshes_its_own_and_keeps_the_users() {
        let tmp = tempfile::tempdir().expect("tmp");
        let root = tmp.path();
        let first = install(root, false).expect("install");
        assert_eq!(first.written.len(), 3);
        assert!(first.kept_taplo_config.is_none());
        std::fs::write(
            installed_path(root, SchemaKind::Build),
            "{\"$comment\": \"Generated by stagegen\"}",
        )
        .expect("write");
        install(root, false).expect("refresh");
        assert_eq!(
            std::fs::read_to_string(installed_path(root, SchemaKind::Build)).expect("read"),
            editor_schema_text(SchemaKind::Build)
        );
        std::fs::write(root.join(TAPLO_CONFIG), "# mine\n").expect("write");
        let kept = install(root, false).expect("install");
        assert_eq!(kept.kept_taplo_config, Some(root.join(TAPLO_CONFIG)));
        assert_eq!(
            std::fs::read_to_string(root.join(TAPLO_CONFIG)).expect("read"),
            "# mine\n"
        );
        std::fs::write(installed_path(root, SchemaKind::Workspace), "{}").expect("write");
        let refused = install(root, false).expect_err("a schema of the user's");
        assert_eq!(refused.kind, output::ErrorKind::Foreign);
        install(root, true).expect("--force");
        assert_eq!(
            std::fs::read_to_string(root.join(TAPLO_CONFIG)).expect("read"),
            taplo_config_text()
        );
    }

    #[test]
    fn the_taplo_config_is_marked_and_names_both_schemas() {
        let text = taplo_config_text();
        assert!(crate::emit::is_generated(&text));
        assert!(text.contains("path = \"./.stagegen/build.schema.json\""));
        assert!(text.contains("path = \"./.stagegen/workspace.schema.json\""));
        assert!(text.contains("\"**/build.toml\""));
    }
}
