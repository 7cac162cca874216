//! The bake emitter: a workspace as `docker-bake.json` for `docker buildx bake`. One target per
//! member (its final image: context, Dockerfile, target stage, tags, build args, secrets,
//! platforms, cache-from and cache-to), one per stage users build besides it (`<name>-test`, `<name>-dev`), groups
//! `default` (every image) and `test` (every test stage), and `contexts` with `target:` where a
//! member builds on or copies from another member's image (one of its tags), so bake builds
//! that one first and feeds it in. Its first key is a variable holding stagegen's mark (JSON has
//! no comments). Pure and deterministic.

use serde_json::{json, Map, Value};

use crate::emit::GENERATED_MARK;
use crate::ir::{MemberBuild, WorkspaceBuild};

/// The variable that carries the mark; the first key of every bake file stagegen writes.
pub const MARK_VARIABLE: &str = "STAGEGEN_GENERATED";

/// Stages users build on their own, besides the final image, and the target suffix each gets.
pub const EXTRA_STAGES: &[&str] = &["test", "dev"];

/// The environment variable a build secret is read from: its id in upper case, `-` and `.` as
/// `_` (`npmrc` reads `$NPMRC`).
pub fn secret_env(id: &str) -> String {
    id.chars()
        .map(|c| match c {
            'a'..='z' => c.to_ascii_uppercase(),
            'A'..='Z' | '0'..='9' | '_' => c,
            _ => '_',
        })
        .collect()
}

pub fn render(ws: &WorkspaceBuild, source: &str) -> String {
    let mut targets = Map::new();
    let mut default = Vec::new();
    let mut test = Vec::new();
    for member in &ws.members {
        targets.insert(
            member.name.clone(),
            target(ws, member, &member.graph.target, true),
        );
        default.push(Value::from(member.name.clone()));
        for stage in EXTRA_STAGES {
            if member.graph.stage(stage).is_some() && *stage != member.graph.target {
                let name = format!("{}-{stage}", member.name);
                targets.insert(name.clone(), target(ws, member, stage, false));
                if *stage == "test" {
                    test.push(Value::from(name));
                }
            }
        }
    }
    let mut groups = Map::new();
    groups.insert("default".into(), json!({ "targets": default }));
    groups.insert("test".into(), json!({ "targets": test }));
    let doc = json!({
        "variable": {
            MARK_VARIABLE: {
                "default": format!("{GENERATED_MARK} from {source}: edit it and the members' build.toml, then run `stagegen bake`"),
            }
        },
        "group": groups,
        "target": targets,
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".to_string());
    text.push('\n');
    text
}

fn target(ws: &WorkspaceBuild, member: &MemberBuild, stage: &str, image: bool) -> Value {
    let graph = &member.graph;
    let mut t = Map::new();
    t.insert("context".into(), member.context.clone().into());
    t.insert("dockerfile".into(), member.dockerfile.clone().into());
    t.insert("target".into(), stage.into());
    if image && !member.tags.is_empty() {
        t.insert("tags".into(), json!(member.tags));
    }
    if !graph.args.is_empty() {
        let args: Map<String, Value> = graph
            .args
            .iter()
            .map(|a| (a.name.clone(), Value::from(a.default.clone())))
            .collect();
        t.insert("args".into(), Value::Object(args));
    }
    if !graph.secrets.is_empty() {
        let secrets: Vec<Value> = graph
            .secrets
            .iter()
            .map(|s| format!("id={},env={}", s.id, secret_env(&s.id)).into())
            .collect();
        t.insert("secret".into(), Value::Array(secrets));
    }
    if image && !member.platforms.is_empty() {
        t.insert("platforms".into(), json!(member.platforms));
    }
    // Every target reads the member's cache; only the image writes it, so that two targets
    // never export to one place.
    if !member.cache_from.is_empty() {
        t.insert("cache-from".into(), json!(member.cache_from));
    }
    if image && !member.cache_to.is_empty() {
        t.insert("cache-to".into(), json!(member.cache_to));
    }
    let mut contexts = Map::new();
    for reference in member.images_used() {
        if let Some(other) = ws
            .member_tagged(reference)
            .filter(|o| o.name != member.name)
        {
            contexts.insert(
                reference.to_string(),
                format!("target:{}", other.name).into(),
            );
        }
    }
    if !contexts.is_empty() {
        t.insert("contexts".into(), Value::Object(contexts));
    }
    Value::Object(t)
}
