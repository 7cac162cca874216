//! The stages that install dependencies from the lock file: `build` (every dependency, then
//! the sources) and `prod-deps` (production dependencies only). A workspace package copies only
//! the manifests and folders of the packages it uses.

use crate::ir::{Base, Command, Copy, Run, Stage};
use crate::presets::common::{apt_install, with_secrets};
use crate::presets::node::native::NODEDIR_ENV;
use crate::presets::node::package_manager::{Deps, Tool};
use crate::presets::node::settings::NodeSettings;
use crate::presets::node::workspace::{Member, Workspace};
use crate::presets::node::APP_DIR;
use crate::presets::Context;

/// A stage on the builder image that installs dependencies from the lock file. With
/// `sources`, the app's files follow (the naive order: copy, then install; the optimizer moves
/// the install ahead, keyed on its inputs). A workspace copies only what its package needs.
pub(super) fn install_stage(
    s: &NodeSettings,
    cx: &Context<'_>,
    name: &str,
    description: &str,
    deps: Deps,
    sources: bool,
) -> Stage {
    let mut stage = builder_stage(s, name, description);
    let inputs = install_inputs(s);
    let install = install(s, cx, deps, &inputs);
    match (sources, &s.workspace) {
        (true, None) => {
            stage = stage.step(Copy::context(["."], "."));
            if s.needs_install {
                stage = stage.step(install);
            }
        }
        (_, ws) => {
            if s.needs_install {
                for c in grouped_copies(&inputs) {
                    stage = stage.step(c);
                }
                stage = stage.step(install);
            }
            if let (true, Some(w)) = (sources, ws) {
                stage = workspace_sources(stage, s, w);
            }
        }
    }
    stage
}

/// The builder image with the package manager's environment, `system-packages`, and the
/// package manager itself when the image lacks it.
fn builder_stage(s: &NodeSettings, name: &str, description: &str) -> Stage {
    let pm = &s.pm;
    let mut stage = Stage::new(name, description, Base::Image(s.builder.clone())).workdir(APP_DIR);
    for (k, v) in pm.env() {
        stage = stage.env(k, v);
    }
    if !s.native.modules.is_empty() {
        stage = stage.env(NODEDIR_ENV.0, NODEDIR_ENV.1);
    }
    if !s.native.build.is_empty() {
        stage = stage.step(apt_install(&s.native.build));
    }
    if let Some(cmd) = pm.tool_install() {
        stage = stage.step(Run {
            commands: vec![Command::Shell(cmd)],
            mounts: vec![pm.tool_cache()],
            inputs: Vec::new(),
        });
    }
    stage
}

/// The files the install reads: the package.json files (the root's, then the workspace
/// packages'), the lock file and the tool's configuration.
fn install_inputs(s: &NodeSettings) -> Vec<String> {
    let mut inputs = vec!["package.json".to_string()];
    if let Some(w) = &s.workspace {
        for m in w.uses.iter().chain(std::iter::once(&w.target)) {
            inputs.push(format!("{}/package.json", m.dir));
        }
    }
    inputs.extend(s.install_inputs.iter().cloned());
    inputs
}

/// The frozen install, with the package manager's caches and `[preset] secrets` mounted.
fn install(s: &NodeSettings, cx: &Context<'_>, deps: Deps, inputs: &[String]) -> Run {
    let pm = &s.pm;
    let ws = s.workspace.as_ref();
    let target = ws.map(|w| (w.target.dir.as_str(), w.target.name.as_str()));
    let mut command = pm.install(deps, target, s.major);
    if s.nx.is_some() && deps == Deps::All && pm.tool == Tool::Npm {
        // Nx and its plugins are the root's dev dependencies.
        command = command.replacen(" --workspace=", " --include-workspace-root --workspace=", 1);
    }
    let mut install = Run::shell(command).inputs(inputs.to_vec());
    install.mounts = pm.cache_mounts();
    let mut install = with_secrets(install, &cx.common.secrets);
    if deps == Deps::Production {
        if let Some(w) = ws {
            // Every package's node_modules is copied into the image: make sure each exists.
            let dirs: Vec<String> = runtime_members(w)
                .iter()
                .map(|m| format!("{}/node_modules", m.dir))
                .collect();
            install
                .commands
                .push(Command::Shell(format!("mkdir -p {}", dirs.join(" "))));
        }
    }
    install
}

/// The workspace's sources a package build needs: the root's configuration files, then the
/// folders of the packages it uses and its own.
fn workspace_sources(mut stage: Stage, s: &NodeSettings, w: &Workspace) -> Stage {
    for f in &s.root_configs {
        stage = stage.step(Copy::context([f.clone()], "./"));
    }
    for m in w.uses.iter().chain(std::iter::once(&w.target)) {
        stage = stage.step(Copy::context(
            [format!("{}/", m.dir)],
            format!("./{}/", m.dir),
        ));
    }
    stage
}

/// Copies of `paths` into the same folders under the workdir, one COPY per folder (a
/// multi-source COPY flattens folders).
fn grouped_copies(paths: &[String]) -> Vec<Copy> {
    let mut by_dir: Vec<(String, Vec<String>)> = Vec::new();
    for p in paths {
        let dir = p
            .rsplit_once('/')
            .map(|(d, _)| d.to_string())
            .unwrap_or_default();
        match by_dir.iter_mut().find(|(d, _)| *d == dir) {
            Some((_, v)) => v.push(p.clone()),
            None => by_dir.push((dir, vec![p.clone()])),
        }
    }
    by_dir
        .into_iter()
        .map(|(dir, v)| {
            Copy::context(
                v,
                if dir.is_empty() {
                    "./".to_string()
                } else {
                    format!("./{dir}/")
                },
            )
        })
        .collect()
}

/// The workspace packages in the image: the ones the target needs at run time, then itself.
pub(super) fn runtime_members(w: &Workspace) -> Vec<&Member> {
    w.uses
        .iter()
        .filter(|m| w.runtime_uses.contains(&m.name))
        .chain(std::iter::once(&w.target))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_keep_folders() {
        let copies = grouped_copies(&[
            "package.json".into(),
            "yarn.lock".into(),
            "packages/api/package.json".into(),
            ".yarn/releases/yarn-4.5.0.cjs".into(),
        ]);
        let got: Vec<(Vec<String>, String)> =
            copies.into_iter().map(|c| (c.paths, c.dest)).collect();
        assert_eq!(
            got[0],
            (vec!["package.json".into(), "yarn.lock".into()], "./".into())
        );
        assert_eq!(got[1].1, "./packages/api/");
        assert_eq!(got[2].1, "./.yarn/releases/");
    }
}
