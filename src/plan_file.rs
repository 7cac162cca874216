//! Reading a build plan written earlier (`stagegen plan -o plan.json`, or another tool) for
//! `stagegen build --plan`: the JSON into the IR, then the checks that make it safe to emit (the
//! format version, stage names, every stage reference pointing at an earlier stage, the target
//! among the stages). A problem says `file:line:col` where it can, and how to fix it. Imports
//! the IR only.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::ir::{Base, BuildGraph, PLAN_VERSION};

/// Plans larger than this are refused: even a large build's plan is a few hundred kilobytes.
pub const MAX_PLAN_BYTES: usize = 16 << 20;

/// A plan that cannot be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanError {
    /// The plan file, as the user named it, with `:line:col` where known.
    pub place: String,
    pub message: String,
    pub help: String,
}

/// A plan read and checked, and the folder it builds from.
#[derive(Debug)]
pub struct PlanFile {
    pub graph: BuildGraph,
    /// The build context: the plan's `context`, from the plan file's folder.
    pub context: PathBuf,
}

/// Read the plan at `path`. `Err(Ok(reason))` is a file that cannot be read (an I/O error),
/// `Err(Err(problem))` a plan that cannot be built.
pub fn read(path: &Path) -> Result<PlanFile, Result<String, PlanError>> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| {
        Ok(format!(
            "cannot read `{name}`: {}",
            crate::output::io_reason(&e)
        ))
    })?;
    let graph = parse(&name, &bytes).map_err(Err)?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let context = dir.join(graph.context.as_deref().unwrap_or("."));
    if !context.is_dir() {
        return Err(Err(PlanError {
            place: name,
            message: format!(
                "the plan's context `{}` is not a folder (it is read from the plan file's folder)",
                graph.context.as_deref().unwrap_or(".")
            ),
            help: "write the plan where it is built from, `stagegen plan -o plan.json`, or set `context` to the folder to build".to_string(),
        }));
    }
    Ok(PlanFile { graph, context })
}

/// Parse and check the text of a plan named `name`.
pub fn parse(name: &str, bytes: &[u8]) -> Result<BuildGraph, PlanError> {
    let error = |place: String, message: String, help: &str| PlanError {
        place,
        message,
        help: help.to_string(),
    };
    if bytes.len() > MAX_PLAN_BYTES {
        return Err(error(
            name.to_string(),
            format!(
                "the plan is {} bytes; at most {MAX_PLAN_BYTES} are read",
                bytes.len()
            ),
            "is this the right file?",
        ));
    }
    // The version first: a plan of another version fails in other ways too.
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        error(
            format!("{name}:{}:{}", e.line(), e.column()),
            format!("the plan is not JSON: {}", strip_position(&e)),
            "write it with `stagegen plan -o plan.json`",
        )
    })?;
    match value
        .get("plan-version")
        .and_then(serde_json::Value::as_u64)
    {
        Some(v) if v == u64::from(PLAN_VERSION) => {}
        Some(v) => {
            return Err(error(
                name.to_string(),
                format!(
                "the plan is of `plan-version` {v}; this stagegen builds version {PLAN_VERSION}"
            ),
                "write the plan again with this stagegen: `stagegen plan -o plan.json`",
            ))
        }
        None => return Err(error(
            name.to_string(),
            "the plan has no `plan-version`".to_string(),
            "a plan starts with `\"plan-version\": 1`: write it with `stagegen plan -o plan.json`",
        )),
    }
    let graph: BuildGraph = serde_json::from_slice(bytes).map_err(|e| {
        error(
            format!("{name}:{}:{}", e.line(), e.column()),
            strip_position(&e),
            "the plan's format is `stagegen schema plan`",
        )
    })?;
    check(&graph).map_err(|(message, help)| error(name.to_string(), message, &help))?;
    Ok(graph)
}

/// serde_json's message without its ` at line 3 column 5` (the place is said before it).
fn strip_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// What the emitters rely on: names they can print, references to earlier stages only, the
/// target among the stages.
fn check(graph: &BuildGraph) -> Result<(), (String, String)> {
    let name_help =
        "names are lowercase letters, digits, `-`, `_` and `.`, starting with a letter or digit";
    let mut seen = BTreeSet::new();
    for stage in &graph.stages {
        if !is_name(&stage.name) {
            return Err((
                format!(
                    "the stage name `{}` is not a valid name",
                    stage.name.escape_debug()
                ),
                name_help.to_string(),
            ));
        }
        let used = match &stage.base {
            Base::Stage(s) => Some(s.as_str()),
            Base::Image(_) => None,
        };
        for dep in used
            .into_iter()
            .chain(stage.steps.iter().flat_map(|s| s.stage_inputs()))
        {
            if !seen.contains(dep) {
                return Err((
                    format!(
                        "stage `{}` uses `{}`, which is not a stage above it",
                        stage.name,
                        dep.escape_debug()
                    ),
                    "a stage may start from or copy from only the stages listed before it"
                        .to_string(),
                ));
            }
        }
        if !seen.insert(stage.name.as_str()) {
            return Err((
                format!("the stage `{}` appears twice", stage.name),
                "give each stage its own name".to_string(),
            ));
        }
    }
    if !seen.contains(graph.target.as_str()) {
        return Err((
            format!(
                "the target `{}` is not a stage of the plan",
                graph.target.escape_debug()
            ),
            "set `target` to one of the stages' names".to_string(),
        ));
    }
    for name in graph
        .args
        .iter()
        .map(|a| a.name.as_str())
        .chain(graph.secrets.iter().map(|s| s.id.as_str()))
    {
        let ok = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
        if !ok {
            return Err((
                format!(
                    "the build argument or secret `{}` has an invalid name",
                    name.escape_debug()
                ),
                "names are letters, digits, `_`, `-` and `.`".to_string(),
            ));
        }
    }
    Ok(())
}

fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAN: &str = r#"{
  "plan-version": 1,
  "target": "app",
  "args": [],
  "secrets": [],
  "stages": [
    {
      "name": "app",
      "description": "",
      "base": { "image": "debian:bookworm-slim" },
      "args": [],
      "workdir": null,
      "env": {},
      "build-user": null,
      "steps": [],
      "image": { "user": null, "ports": [], "entrypoint": null, "cmd": null, "healthcheck": null, "labels": {} }
    }
  ],
  "ignore": [],
  "detected": []
}"#;

    #[test]
    fn a_written_plan_reads_back() {
        let graph = parse("plan.json", PLAN.as_bytes()).expect("a plan");
        assert_eq!(graph.target, "app");
        assert_eq!(graph.context, None);
        let again = crate::emit::plan::render(&graph);
        assert_eq!(parse("plan.json", again.as_bytes()), Ok(graph));
    }

    #[test]
    fn problems_say_where_and_what() {
        let err = |text: &str| parse("plan.json", text.as_bytes()).expect_err("refused");
        let e = err("{ nope");
        assert!(e.place.starts_with("plan.json:1:"), "{e:?}");
        assert!(e.message.starts_with("the plan is not JSON"), "{e:?}");
        let e = err(&PLAN.replace("\"plan-version\": 1", "\"plan-version\": 9"));
        assert_eq!(
            e.message,
            "the plan is of `plan-version` 9; this stagegen builds version 1"
        );
        let e = err(&PLAN.replace("\"detected\"", "\"detectd\""));
        assert!(e.message.contains("unknown field `detectd`"), "{e:?}");
        assert!(e.place.starts_with("plan.json:"), "{e:?}");
        let e = err(&PLAN.replace("\"target\": \"app\"", "\"target\": \"web\""));
        assert_eq!(e.message, "the target `web` is not a stage of the plan");
        let e = err(&PLAN.replace("\"name\": \"app\"", "\"name\": \"App X\""));
        assert!(e.message.contains("`App X` is not a valid name"), "{e:?}");
        let e = err(&PLAN.replace(
            "{ \"image\": \"debian:bookworm-slim\" }",
            "{ \"stage\": \"later\" }",
        ));
        assert_eq!(
            e.message,
            "stage `app` uses `later`, which is not a stage above it"
        );
    }
}
