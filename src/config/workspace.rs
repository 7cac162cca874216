//! `stagegen.toml`: the root of a workspace (a monorepo of several apps, each with its
//! `build.toml`). Its types are the source of `schemas/workspace.schema.json`. How its layers
//! are merged into each member is written down in [`crate::config::layers`].

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

/// The name of a workspace's root file.
pub const WORKSPACE_FILE: &str = "stagegen.toml";

/// A stagegen workspace (`stagegen.toml`): the apps of a repository and what they share.
///
/// stagegen finds it at or above a `build.toml`; `stagegen dockerfile --all` compiles every
/// member at once.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(title = "stagegen stagegen.toml")]
pub struct TomlWorkspaceFile {
    /// The workspace: its members and what every member inherits.
    pub workspace: TomlWorkspace,
}

/// `[workspace]`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlWorkspace {
    /// The members: folders (relative to this file) that hold a `build.toml`. Globs: `*` and `?`
    /// within one folder name, `**` for any depth, e.g. `["services/*", "web"]`.
    pub members: Vec<String>,
    /// Folders matched by `members` that are not members, as globs, e.g. `["services/legacy"]`.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Keys of `build.toml` that every member inherits, e.g. `[workspace.defaults.runtime.labels]`.
    /// A member's own values win: scalars override, tables merge, lists replace (a `"..."` item
    /// keeps the list it replaces, in its place). Strings are minijinja templates, rendered for
    /// each member with `member.name`, `member.path`, `preset` and `vars`.
    #[serde(default)]
    #[schemars(schema_with = "defaults_schema")]
    pub defaults: serde_json::Map<String, serde_json::Value>,
    /// Values templates and defaults can use as `vars.NAME`, e.g. `version = "1.4.0"`.
    #[serde(default)]
    #[schemars(with = "IndexMap<String, serde_json::Value>")]
    pub vars: serde_json::Map<String, serde_json::Value>,
}

/// `[workspace.defaults]` in the schema: a table whose keys are those of `build.toml` (so an
/// editor completes them and flags a misspelled one), their values left to the member's
/// schema, since a string there may be a template (`"{{ vars.version }}"`) until it is rendered.
fn defaults_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let build = generator
        .clone()
        .into_root_schema_for::<crate::config::TomlBuild>();
    let keys: Vec<serde_json::Value> = build
        .get("properties")
        .and_then(|p| p.as_object())
        .map(|p| p.keys().cloned().map(serde_json::Value::String).collect())
        .unwrap_or_default();
    schemars::json_schema!({
        "type": "object",
        "propertyNames": { "enum": keys },
        "additionalProperties": true,
    })
}
