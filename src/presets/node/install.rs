//! The stages that install dependencies from the lock file: `build` (every dependency, then
//! the sources) and `prod-deps` (production dependencies only). A workspace package copies only
//! the manifests and folders of the packages it uses.

use crate::ir::{Base, Copy, Mount, Run, Stage};
use crate::presets::node::manifest::Manifest;
use crate::presets::node::package_manager::{Deps, PackageManager};
use crate::presets::node::workspace::{Member, Workspace};
use crate::presets::node::{APP_DIR, WORKSPACE_ROOT_CONFIG};
use crate::project::ProjectFiles;

/// What the preset knows while it writes stages.
pub struct Ctx<'a> {
    pub files: &'a ProjectFiles,
    pub opts_secrets: &'a [String],
    pub pm: &'a PackageManager,
    pub major: u32,
    pub builder: String,
}

impl Ctx<'_> {
    /// A stage on the builder image that installs dependencies from the lock file. With
    /// `sources`, the app's files follow (the naive order: copy, then install; the optimizer
    /// moves the install ahead, keyed on its inputs). A workspace copies only what its package
    /// needs.
    pub fn install_stage(
        &self,
        name: &str,
        description: &str,
        deps: Deps,
        root: &Manifest,
        ws: Option<&Workspace>,
        sources: bool,
    ) -> Stage {
        let pm = self.pm;
        let mut stage =
            Stage::new(name, description, Base::Image(self.builder.clone())).workdir(APP_DIR);
        for (k, v) in pm.env() {
            stage = stage.env(k, v);
        }
        if let Some(cmd) = pm.tool_install() {
            stage = stage.step(Run {
                commands: vec![crate::ir::Command::Shell(cmd)],
                mounts: vec![pm.tool_cache()],
                inputs: Vec::new(),
            });
        }
        let mut inputs = vec!["package.json".to_string()];
        if let Some(w) = ws {
            for m in w.uses.iter().chain(std::iter::once(&w.target)) {
                inputs.push(format!("{}/package.json", m.dir));
            }
        }
        inputs.extend(pm.install_inputs(self.files, "", root));
        let needs_install = !root.has_no_dependencies()
            || ws.is_some_and(|w| !w.target.manifest.has_no_dependencies());
        let target = ws.map(|w| (w.target.dir.as_str(), w.target.name.as_str()));
        let mut install = Run::shell(pm.install(deps, target, self.major)).inputs(inputs.clone());
        install.mounts = pm.cache_mounts();
        for id in self.opts_secrets {
            install.mounts.push(Mount::Secret {
                id: id.clone(),
                target: None,
                required: false,
            });
        }
        if deps == Deps::Production {
            if let Some(w) = ws {
                // Every package's node_modules is copied into the image: make sure each exists.
                let dirs: Vec<String> = runtime_members(w)
                    .iter()
                    .map(|m| format!("{}/node_modules", m.dir))
                    .collect();
                install.commands.push(crate::ir::Command::Shell(format!(
                    "mkdir -p {}",
                    dirs.join(" ")
                )));
            }
        }
        match (sources, ws) {
            (true, None) => {
                stage = stage.step(Copy::context(["."], "."));
                if needs_install {
                    stage = stage.step(install);
                }
            }
            (_, _) => {
                if needs_install {
                    for c in grouped_copies(&inputs) {
                        stage = stage.step(c);
                    }
                    stage = stage.step(install);
                }
                if let (true, Some(w)) = (sources, ws) {
                    for f in self.files.list("") {
                        if WORKSPACE_ROOT_CONFIG.iter().any(|p| f.starts_with(p))
                            && self.files.is_file(&f)
                        {
                            stage = stage.step(Copy::context([f.clone()], "./"));
                        }
                    }
                    for m in w.uses.iter().chain(std::iter::once(&w.target)) {
                        stage = stage.step(Copy::context(
                            [format!("{}/", m.dir)],
                            format!("./{}/", m.dir),
                        ));
                    }
                }
            }
        }
        stage
    }
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
pub fn runtime_members(w: &Workspace) -> Vec<&Member> {
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
