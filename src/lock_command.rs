//! `stagegen lock`: compile the spec with its images as written, compare them with
//! `stagegen.lock`, resolve what is missing (or everything, `--update`), and write the file
//! under the one overwrite rule; `--check` only compares (a CI gate). The pipeline part uses
//! the driver; the lock file and the registries are [`crate::lock`]'s. In a workspace
//! (`--all`), each member gets its own `stagegen.lock` beside its build.toml, so that a member
//! built alone (`stagegen build -f services/api/build.toml`) uses the same pins as `dockerfile
//! --all` and `bake`; an image several members use is asked for once and pinned alike.

use std::path::{Path, PathBuf};

use crate::driver::{CompileOptions, Failure};
use crate::lock::{self, DigestSource, LockFile, Registry, LOCK_FILE, LOCK_VERSION};
use crate::output::{Planned, Policy};

/// What `stagegen lock` was asked.
#[derive(Debug, Clone)]
pub struct LockRequest {
    pub file: PathBuf,
    /// Resolve every image again.
    pub update: bool,
    /// Compare only; exit 1 when the lock is missing or stale.
    pub check: bool,
    /// Digests from Docker's store instead of the registries.
    pub offline: bool,
    pub force: bool,
}

/// What `stagegen lock` did, for its messages.
#[derive(Debug, Default)]
pub struct LockDone {
    pub path: PathBuf,
    /// Images resolved now, with their pin.
    pub resolved: Vec<(String, lock::Locked)>,
    pub kept: usize,
    pub dropped: Vec<String>,
    /// Images that name a build argument, and cannot be locked.
    pub skipped: Vec<String>,
    /// The file was written (not with `--check`, nor when nothing changed).
    pub written: bool,
}

/// One member's name and what locking it did.
pub type MemberLock = (String, Result<LockDone, Failure>);

/// `stagegen lock --all`: every member of the workspace at or above `request.file`'s folder,
/// one after another, each with its result (a failing member does not stop the others).
pub fn lock_all(request: &LockRequest, start: &Path) -> Result<Vec<MemberLock>, Failure> {
    let ws = crate::driver::find_workspace(start)?;
    let mut asked = Asked::default();
    Ok(ws
        .members
        .iter()
        .map(|member| {
            let one = LockRequest {
                file: member.spec.clone(),
                ..request.clone()
            };
            (member.name.clone(), lock_with(&one, &mut asked))
        })
        .collect())
}

/// Digests resolved in this run, by image: a workspace asks for each image once.
#[derive(Default)]
struct Asked {
    registry: Option<Registry>,
    found: std::collections::BTreeMap<String, lock::Locked>,
}

/// Run `stagegen lock`.
pub fn lock(request: &LockRequest) -> Result<LockDone, Failure> {
    lock_with(request, &mut Asked::default())
}

fn lock_with(request: &LockRequest, asked: &mut Asked) -> Result<LockDone, Failure> {
    let loaded = crate::driver::load(&request.file)?;
    let dir = loaded.dir.clone();
    let spec_name = Path::new(loaded.file.name())
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let options = CompileOptions {
        unpinned: true,
        ..CompileOptions::default()
    };
    let compiled = crate::driver::compile_loaded(loaded, &options)?;
    let (want, cannot) = lock::images(&compiled.graph);
    let problem = |message: String, help: &str| Failure::Problem {
        message,
        help: help.to_string(),
    };
    let existing = lock::read(&dir).map_err(|e| problem(e.message, &e.help))?;
    let path = dir.join(LOCK_FILE);
    let plan = lock::plan_lock(&want, existing.as_ref(), request.update);
    let mut done = LockDone {
        path: path.clone(),
        kept: plan.keep.len(),
        dropped: plan.drop.clone(),
        skipped: cannot.into_iter().collect(),
        ..LockDone::default()
    };
    if request.check {
        let shown = path.display();
        if existing.is_none() {
            return Err(problem(
                format!("`{shown}` is missing"),
                &format!(
                    "run `stagegen lock -f {}` and commit it",
                    request.file.display()
                ),
            ));
        }
        let missing = lock::plan_lock(&want, existing.as_ref(), false).resolve;
        if !missing.is_empty() || !plan.drop.is_empty() {
            let list = |v: &[String]| {
                v.iter()
                    .map(|i| format!("`{i}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let mut why = Vec::new();
            if !missing.is_empty() {
                why.push(format!("it has no digest for {}", list(&missing)));
            }
            if !plan.drop.is_empty() {
                why.push(format!(
                    "it still pins {}, which the spec no longer uses",
                    list(&plan.drop)
                ));
            }
            return Err(problem(
                format!("`{shown}` is out of date: {}", why.join("; ")),
                &format!(
                    "run `stagegen lock -f {}` and commit it",
                    request.file.display()
                ),
            ));
        }
        return Ok(done);
    }
    let source = if request.offline {
        DigestSource::Docker
    } else {
        DigestSource::Registry
    };
    let registry = asked.registry.get_or_insert_with(Registry::new);
    let mut next = LockFile {
        version: LOCK_VERSION,
        images: Default::default(),
    };
    if let Some(old) = &existing {
        for image in &plan.keep {
            if let Some(l) = old.images.get(image) {
                next.images.insert(image.clone(), l.clone());
            }
        }
    }
    let mut failures = Vec::new();
    for image in &plan.resolve {
        let found = match asked.found.get(image) {
            Some(locked) => Ok(locked.clone()),
            None => lock::resolve(image, source, registry),
        };
        match found {
            Ok(locked) => {
                // `--update` that finds the same digest keeps the old entry, and its date.
                let same = existing
                    .as_ref()
                    .and_then(|o| o.images.get(image))
                    .filter(|o| o.digest == locked.digest && o.from == locked.from);
                asked.found.insert(image.clone(), locked.clone());
                let entry = same.cloned().unwrap_or(locked);
                done.resolved.push((image.clone(), entry.clone()));
                next.images.insert(image.clone(), entry);
            }
            Err(why) => failures.push(format!("cannot lock `{image}`: {why}")),
        }
    }
    if !failures.is_empty() {
        let help = if request.offline {
            "pull the image (`docker pull`), or lock from its registry without `--offline`"
        } else {
            "check the name and tag; `docker login` to a private registry; or take digests from Docker's store with `--offline`"
        };
        return Err(problem(failures.join("\nerror: "), help));
    }
    if existing.as_ref() == Some(&next) {
        return Ok(done);
    }
    let text = lock::render(&next, &spec_name);
    let planned = Planned {
        path: &path,
        text: text.as_bytes(),
        policy: Policy::Generated {
            force: request.force,
        },
    };
    crate::output::write_all(&[planned]).map_err(Failure::Output)?;
    done.written = true;
    Ok(done)
}
