//! A workspace member's build for bake and compose: its graph, where it builds (relative to the
//! workspace root) and the `tags` and `platforms` its spec publishes, and its build cache.

use crate::config::TomlBuild;
use crate::ir::{BuildGraph, MemberBuild};

/// The member `name`'s build. `context` is relative to the workspace root and `dockerfile` to
/// the context, both `/`-separated.
pub fn member_build(
    name: &str,
    context: String,
    dockerfile: String,
    build: &TomlBuild,
    graph: BuildGraph,
) -> MemberBuild {
    MemberBuild {
        name: name.to_string(),
        context,
        dockerfile,
        graph,
        tags: build.tags.clone(),
        platforms: build.platforms.clone(),
        cache_from: build.cache_from.clone(),
        cache_to: build.cache_to.clone(),
    }
}
