//! `stagegen.lock`: every base image of a spec pinned to a digest. The file (TOML, images
//! sorted, each with its digest, when it was locked and where from) sits beside build.toml;
//! when it is there, `dockerfile`, `plan` and `build` emit `image:tag@sha256:...` for every
//! image it holds ([`pin`]). `stagegen lock` writes it ([`plan_lock`]), from the registry's HTTP
//! API ([`registry`]) or, with `--offline`, from Docker's store ([`local`]). Imports the IR;
//! the driver calls it.

mod local;
pub mod reference;
mod registry;
pub mod time;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::ir::{Base, BuildGraph, CopySource, Step};
use reference::Reference;
pub use registry::Registry;

/// The lock file's name, beside the spec.
pub const LOCK_FILE: &str = "stagegen.lock";
/// The lock file's format version.
pub const LOCK_VERSION: u32 = 1;

/// The lock file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockFile {
    pub version: u32,
    /// Image reference as the spec writes it -> its pin. Sorted.
    #[serde(default)]
    pub images: BTreeMap<String, Locked>,
}

/// One pinned image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Locked {
    /// `sha256:...`: the manifest (or index, for a multi-platform image) the tag named.
    pub digest: String,
    /// When, in UTC (RFC 3339).
    pub locked: String,
    /// Where the digest came from: the registry's host, or `docker` (the local store).
    pub from: String,
}

/// A lock file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockError {
    pub message: String,
    pub help: String,
}

/// Read `dir/stagegen.lock`, `None` when there is none.
pub fn read(dir: &Path) -> Result<Option<LockFile>, LockError> {
    let path = dir.join(LOCK_FILE);
    let shown = path.display();
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(LockError {
                message: format!("cannot read `{shown}`: {}", crate::output::io_reason(&e)),
                help: "run `stagegen lock` to write it again".to_string(),
            })
        }
    };
    let lock: LockFile = toml::from_str(&text).map_err(|e| {
        let place = e
            .span()
            .map(|s| {
                let before = &text[..s.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let col = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
                format!(":{line}:{col}")
            })
            .unwrap_or_default();
        LockError {
            message: format!("{shown}{place}: {}", e.message()),
            help: "run `stagegen lock --update` to write it again".to_string(),
        }
    })?;
    if lock.version != LOCK_VERSION {
        return Err(LockError {
            message: format!(
                "`{shown}` is of version {}; this stagegen reads version {LOCK_VERSION}",
                lock.version
            ),
            help: "run `stagegen lock --update` to write it again".to_string(),
        });
    }
    for (image, locked) in &lock.images {
        if !reference::is_digest(&locked.digest) {
            return Err(LockError {
                message: format!(
                    "`{shown}`: the digest of `{image}` is not `sha256:` and 64 hex digits"
                ),
                help: "run `stagegen lock --update` to write it again".to_string(),
            });
        }
    }
    Ok(Some(lock))
}

/// The lock file's text: a header, then the images in order.
pub fn render(lock: &LockFile, spec_name: &str) -> String {
    let body = toml::to_string(lock).unwrap_or_default();
    format!(
        "# {} from {}: base images pinned to digests. Refresh with `stagegen lock --update`.\n{body}",
        crate::emit::GENERATED_MARK,
        crate::emit::escape::comment(spec_name)
    )
}

/// Every image the graph starts from or copies from that a registry holds, not pinned yet:
/// what the lock file must hold. Also the references it cannot lock (a build argument in them).
pub fn images(graph: &BuildGraph) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut want = BTreeSet::new();
    let mut cannot = BTreeSet::new();
    for image in used_images(graph) {
        match Reference::parse(image) {
            Some(r) if r.digest.is_none() => {
                want.insert(image.to_string());
            }
            Some(_) => {}
            None if image.contains('$') => {
                cannot.insert(image.to_string());
            }
            None => {}
        }
    }
    (want, cannot)
}

fn used_images(graph: &BuildGraph) -> Vec<&str> {
    let mut out = Vec::new();
    for stage in &graph.stages {
        if let Base::Image(i) = &stage.base {
            out.push(i.as_str());
        }
        for step in &stage.steps {
            if let Step::Copy(c) = step {
                if let CopySource::Image(i) = &c.source {
                    out.push(i.as_str());
                }
            }
        }
    }
    out
}

/// Pin every image of `graph` that `lock` holds: `golang:1.22` becomes `golang:1.22@sha256:...`.
pub fn pin(graph: &mut BuildGraph, lock: &LockFile) {
    let pinned = |image: &mut String| {
        if let Some(l) = lock.images.get(image.as_str()) {
            *image = format!("{image}@{}", l.digest);
        }
    };
    for stage in &mut graph.stages {
        if let Base::Image(i) = &mut stage.base {
            pinned(i);
        }
        for step in &mut stage.steps {
            if let Step::Copy(c) = step {
                if let CopySource::Image(i) = &mut c.source {
                    pinned(i);
                }
            }
        }
    }
}

/// Where digests come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigestSource {
    /// The registry's HTTP API.
    Registry,
    /// Docker's store (`--offline`).
    Docker,
}

/// Resolve `image` to its pin now.
pub fn resolve(image: &str, source: DigestSource, registry: &Registry) -> Result<Locked, String> {
    let reference =
        Reference::parse(image).ok_or_else(|| "it is not an image a registry holds".to_string())?;
    let (digest, from) = match source {
        DigestSource::Registry => (
            registry.digest(&reference)?,
            reference.api_host().to_string(),
        ),
        DigestSource::Docker => (local::digest(image, &reference)?, "docker".to_string()),
    };
    Ok(Locked {
        digest,
        locked: time::now(),
        from,
    })
}

/// What `stagegen lock` will do: keep, add, drop.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LockPlan {
    /// Wanted and already locked (kept unless `--update`).
    pub keep: Vec<String>,
    /// Wanted and not locked (or `--update`): to resolve.
    pub resolve: Vec<String>,
    /// Locked and no longer used.
    pub drop: Vec<String>,
}

/// Compare what the spec uses with the lock file.
pub fn plan_lock(want: &BTreeSet<String>, lock: Option<&LockFile>, update: bool) -> LockPlan {
    let mut plan = LockPlan::default();
    for image in want {
        match lock.and_then(|l| l.images.get(image)) {
            Some(_) if !update => plan.keep.push(image.clone()),
            _ => plan.resolve.push(image.clone()),
        }
    }
    if let Some(l) = lock {
        plan.drop = l
            .images
            .keys()
            .filter(|k| !want.contains(*k))
            .cloned()
            .collect();
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Copy, Stage};

    fn digest(c: char) -> String {
        format!("sha256:{}", c.to_string().repeat(64))
    }

    fn graph() -> BuildGraph {
        let build = Stage::new("build", "", Base::Image("golang:1.22".into()));
        let mut runtime = Stage::new(
            "runtime",
            "",
            Base::Image("gcr.io/distroless/static".into()),
        );
        runtime.steps.push(Step::Copy(Copy {
            source: CopySource::Image("alpine:3.20".into()),
            paths: vec!["/etc/ssl".into()],
            dest: "/etc/ssl".into(),
            chown: None,
        }));
        let args = Stage::new("args", "", Base::Image("node:${NODE}".into()));
        let pinned = Stage::new(
            "pinned",
            "",
            Base::Image(format!("debian:12@{}", digest('c'))),
        );
        let from_stage = Stage::new("test", "", Base::Stage("build".into()));
        BuildGraph {
            plan_version: 1,
            target: "runtime".into(),
            platforms: Vec::new(),
            context: None,
            args: vec![],
            secrets: vec![],
            stages: vec![build, from_stage, args, pinned, runtime],
            ignore: vec![],
            detected: vec![],
        }
    }

    #[test]
    fn the_images_to_lock_are_bases_and_copy_sources_not_yet_pinned() {
        let (want, cannot) = images(&graph());
        let want: Vec<&str> = want.iter().map(String::as_str).collect();
        assert_eq!(
            want,
            ["alpine:3.20", "gcr.io/distroless/static", "golang:1.22"]
        );
        assert_eq!(cannot.into_iter().collect::<Vec<_>>(), ["node:${NODE}"]);
    }

    #[test]
    fn pinning_appends_the_digest_and_the_lock_round_trips() {
        let mut lock = LockFile {
            version: LOCK_VERSION,
            images: BTreeMap::new(),
        };
        for (i, c) in [("golang:1.22", 'a'), ("alpine:3.20", 'b')] {
            lock.images.insert(
                i.into(),
                Locked {
                    digest: digest(c),
                    locked: "2026-12-02T19:00:00Z".into(),
                    from: "registry-1.docker.io".into(),
                },
            );
        }
        let mut g = graph();
        pin(&mut g, &lock);
        assert_eq!(
            g.stages[0].base,
            Base::Image(format!("golang:1.22@{}", digest('a')))
        );
        let Step::Copy(c) = &g.stages[4].steps[0] else {
            panic!("a copy")
        };
        assert_eq!(
            c.source,
            CopySource::Image(format!("alpine:3.20@{}", digest('b')))
        );
        assert_eq!(
            g.stages[4].base,
            Base::Image("gcr.io/distroless/static".into())
        );
        let text = render(&lock, "build.toml");
        assert!(
            text.starts_with("# Generated by stagegen from build.toml"),
            "{text}"
        );
        // Sorted by image.
        assert!(
            text.find("alpine:3.20") < text.find("golang:1.22"),
            "{text}"
        );
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join(LOCK_FILE), &text).expect("write");
        assert_eq!(read(dir.path()), Ok(Some(lock)));
    }

    #[test]
    fn a_broken_lock_file_says_where() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join(LOCK_FILE),
            "version = 1\n[images.\"a:1\"]\ndigest = \"sha256:x\"\nlocked = \"t\"\nfrom = \"d\"\n",
        )
        .expect("write");
        let err = read(dir.path()).expect_err("refused");
        assert!(err.message.contains("the digest of `a:1`"), "{err:?}");
        std::fs::write(dir.path().join(LOCK_FILE), "version = 1\nimages = 3\n").expect("write");
        let err = read(dir.path()).expect_err("refused");
        assert!(err.message.contains("stagegen.lock:2:10"), "{err:?}");
    }

    #[test]
    fn a_lock_plan_keeps_adds_and_drops() {
        let want: BTreeSet<String> = ["a:1", "b:1"].iter().map(|s| s.to_string()).collect();
        let mut lock = LockFile {
            version: 1,
            images: BTreeMap::new(),
        };
        for i in ["a:1", "old:1"] {
            lock.images.insert(
                i.into(),
                Locked {
                    digest: digest('a'),
                    locked: String::new(),
                    from: String::new(),
                },
            );
        }
        let p = plan_lock(&want, Some(&lock), false);
        assert_eq!(
            (p.keep, p.resolve, p.drop),
            (
                vec!["a:1".to_string()],
                vec!["b:1".to_string()],
                vec!["old:1".to_string()]
            )
        );
        let p = plan_lock(&want, Some(&lock), true);
        assert_eq!(p.resolve, ["a:1", "b:1"]);
        assert_eq!(plan_lock(&want, None, false).resolve, ["a:1", "b:1"]);
    }
}
