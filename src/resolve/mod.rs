//! Resolve what the user wrote into what we build: `TomlBuild` + the preset -> [`BuildGraph`].
//! One merge rule per field kind lives in [`merge`]; steps are translated in [`steps`].
//! May import: config, presets, ir, project, diagnostics.

mod merge;
mod runtime_needs;
mod secret_files;
mod steps;
mod workspace;

pub use merge::port;
pub use workspace::member_build;

use crate::config::{preset_diagnostics, Document, TomlBuild, TomlStage};
use crate::diagnostics::Diagnostic;
use crate::ir::{Base, BuildArg, BuildGraph, Secret, Stage, PLAN_VERSION};
use crate::presets::{registry, Context, FrontendRequest};
use crate::project::ProjectFiles;

/// Files every build leaves out of its context, whatever the language: `.stagegen/` holds the
/// editor schema that `init` and `stagegen schema install` write, which no image needs.
const ALWAYS_IGNORED: &[&str] = &[".git", ".stagegen", "**/.DS_Store"];

/// What the caller knows beyond the file.
pub struct ResolveOptions<'a> {
    /// `--target`, which wins over `target` in the file.
    pub target: Option<&'a str>,
    /// Context-relative paths of files stagegen reads or writes (build.toml, Dockerfile): they
    /// are left out of the build context so editing them does not bust the cache.
    pub own_files: Vec<String>,
    /// Labels read from outside the file for the final image (`[runtime] oci-labels`); a label
    /// the spec sets wins.
    pub labels: Vec<(String, String)>,
    /// The folder of build.toml relative to a larger build context (`services/worker`), `None`
    /// at its root: [`Context::app_dir`].
    pub app_dir: Option<String>,
}

/// Build the IR. Validation has run: references are known to be sound.
pub fn resolve(
    build: &TomlBuild,
    doc: &Document,
    files: &ProjectFiles,
    options: &ResolveOptions<'_>,
) -> Result<BuildGraph, Vec<Diagnostic>> {
    let args: Vec<String> = build.args.keys().cloned().collect();
    let mut stages: Vec<Stage> = Vec::new();
    let mut ignore: Vec<String> = ALWAYS_IGNORED.iter().map(|s| s.to_string()).collect();
    let mut detected = Vec::new();
    let mut default_target = None;

    if let Some(p) = &build.preset {
        let info = p.preset.info();
        let needs = runtime_needs::of(build, info.runtime_stage);
        let cx = Context {
            files,
            common: &p.common,
            base: build.runtime.as_ref().and_then(|r| r.base.as_deref()),
            args: &args,
            platforms: &build.platforms,
            app_dir: options.app_dir.as_deref(),
            runtime: &needs,
        };
        let plan = p
            .preset
            .plan(&p.options, &cx)
            .map_err(|errors| preset_diagnostics(errors, doc, "/preset", info.name))?;
        stages = plan.stages;
        if let Some(runtime) = &build.runtime {
            merge::apply_runtime(&mut stages, info.runtime_stage, &plan.app_stages, runtime);
        }
        if let Some(stage) = stages.iter_mut().find(|s| s.name == info.runtime_stage) {
            for (key, value) in &options.labels {
                stage
                    .image
                    .labels
                    .entry(key.clone())
                    .or_insert_with(|| value.clone());
            }
        }
        ignore.extend(plan.ignore);
        detected = plan.detected;
        default_target = Some(info.runtime_stage.to_string());
    }

    for stage in &build.stage {
        stages.push(custom_stage(stage));
    }
    if let Some(f) = &build.frontend {
        let request = FrontendRequest {
            dir: &f.dir,
            to: &f.to,
            output: f.output.as_deref(),
            build: f.build.as_deref(),
            version: f.version.as_deref(),
            package_manager: f.package_manager.as_deref(),
            files,
        };
        let plan = registry::frontend()
            .plan(&request)
            .map_err(|errors| preset_diagnostics(errors, doc, "/frontend", "`[frontend]`"))?;
        // The final image: the file's `target`, else the preset's runtime, else the last stage.
        let final_stage = build
            .target
            .clone()
            .or_else(|| default_target.clone())
            .or_else(|| build.stage.last().map(|s| s.name.clone()));
        if let Some(stage) = stages
            .iter_mut()
            .find(|s| Some(&s.name) == final_stage.as_ref())
        {
            stage.steps.push(crate::ir::Step::Copy(plan.copy));
        }
        stages.insert(0, plan.stage);
        ignore.extend(plan.ignore);
        detected.extend(plan.detected);
    }
    ignore.extend(options.own_files.iter().cloned());
    ignore.extend(secret_files::patterns(build));
    ignore.extend(build.ignore.iter().cloned());
    let mut seen = std::collections::HashSet::new();
    ignore.retain(|p| seen.insert(p.clone()));

    fill_secret_mounts(&mut stages, build);

    let target = options
        .target
        .map(str::to_string)
        .or_else(|| build.target.clone())
        .or(default_target)
        .or_else(|| build.stage.last().map(|s| s.name.clone()))
        .unwrap_or_default();

    let graph = BuildGraph {
        plan_version: PLAN_VERSION,
        context: None,
        target,
        platforms: build.platforms.clone(),
        args: build
            .args
            .iter()
            .map(|(name, default)| BuildArg {
                name: name.clone(),
                default: default.clone(),
            })
            .collect(),
        secrets: build
            .secrets
            .iter()
            .map(|(id, s)| Secret {
                id: id.clone(),
                target: s.target.clone(),
                required: s.required,
            })
            .collect(),
        stages,
        ignore,
        detected,
    };
    Ok(graph)
}

/// Secret mounts carry the settings declared in `[secrets]`.
fn fill_secret_mounts(stages: &mut [Stage], build: &TomlBuild) {
    for stage in stages {
        for step in &mut stage.steps {
            let crate::ir::Step::Run(run) = step else {
                continue;
            };
            for mount in &mut run.mounts {
                if let crate::ir::Mount::Secret {
                    id,
                    target,
                    required,
                } = mount
                {
                    if let Some(declared) = build.secrets.get(id.as_str()) {
                        *target = declared.target.clone();
                        *required = declared.required;
                    }
                }
            }
        }
    }
}

fn custom_stage(stage: &TomlStage) -> Stage {
    let base = match (&stage.from, &stage.image) {
        (Some(from), _) => Base::Stage(from.clone()),
        (None, Some(image)) => Base::Image(image.clone()),
        (None, None) => Base::Image("scratch".to_string()),
    };
    let description = stage
        .description
        .clone()
        .unwrap_or_else(|| format!("stage `{}`", stage.name));
    let mut out = Stage::new(stage.name.clone(), description, base);
    out.args = stage.args.clone();
    merge::apply_settings(&mut out, &stage.settings);
    out
}
