//! A workspace's builds together: each member's graph with where it builds (its context and
//! Dockerfile, relative to the workspace root) and how its image is published (tags,
//! platforms) and cached (cache-from, cache-to). What the bake and compose emitters read.

use crate::ir::{Base, BuildGraph, CopySource, Step};

/// Every member of a workspace, in the order of their paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceBuild {
    pub members: Vec<MemberBuild>,
}

/// One member's build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberBuild {
    pub name: String,
    /// The build context, relative to the workspace root, `/`-separated (`.` the root).
    pub context: String,
    /// The Dockerfile, relative to the context (as bake and compose take it).
    pub dockerfile: String,
    pub graph: BuildGraph,
    pub tags: Vec<String>,
    pub platforms: Vec<String>,
    /// Build caches every target of the member reads (buildx's `type=...,key=value` entries).
    pub cache_from: Vec<String>,
    /// Where the image's target exports its build cache.
    pub cache_to: Vec<String>,
}

impl MemberBuild {
    /// The images the build starts from or copies from, in first-use order.
    pub fn images_used(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for stage in &self.graph.stages {
            let mut refs: Vec<&str> = Vec::new();
            if let Base::Image(r) = &stage.base {
                refs.push(r);
            }
            for step in &stage.steps {
                if let Step::Copy(copy) = step {
                    if let CopySource::Image(r) = &copy.source {
                        refs.push(r);
                    }
                }
            }
            for r in refs {
                if !out.contains(&r) {
                    out.push(r);
                }
            }
        }
        out
    }
}

impl WorkspaceBuild {
    /// The member whose image is published as `reference` (one of its tags).
    pub fn member_tagged(&self, reference: &str) -> Option<&MemberBuild> {
        self.members
            .iter()
            .find(|m| m.tags.iter().any(|t| t == reference))
    }
}
