//! Multi-platform builds (`platforms`, `--platform`), the part every preset shares: moving a
//! stage onto the builder's platform when its output is the same for every target (a jar) or is
//! cross-compiled for it (Go), and the `detected` line that says which way a preset went.

use crate::ir::{Stage, StagePlatform};

/// `stage` run once on the builder's platform (`FROM --platform=$BUILDPLATFORM`) when the
/// build names target platforms; unchanged otherwise (a single-platform build needs no flag).
pub fn on_build_platform(mut stage: Stage, platforms: &[String]) -> Stage {
    if !platforms.is_empty() {
        stage.platform = StagePlatform::Build;
    }
    stage
}

/// `platforms a, b: <how>`, or nothing for a build without target platforms.
pub fn platforms_line(platforms: &[String], how: &str) -> Option<String> {
    (!platforms.is_empty()).then(|| format!("platforms {}: {how}", platforms.join(", ")))
}

/// The line of a preset whose build stage runs for each target platform: native code (npm's
/// node-gyp addons, Python's sdists) is built for the platform it runs on, under emulation when
/// that is not the builder's.
pub fn per_target_line(platforms: &[String], native: &str) -> Option<String> {
    platforms_line(
        platforms,
        &format!(
            "the build stage runs once per target platform, so {native} build for it \
             (under emulation, e.g. QEMU, where it is not the builder's)"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Base;

    fn stage() -> Stage {
        Stage::new("build", "b", Base::Image("golang:1.23".into()))
    }

    #[test]
    fn only_a_multi_platform_build_moves_a_stage() {
        assert_eq!(
            on_build_platform(stage(), &[]).platform,
            StagePlatform::Target
        );
        let both = ["linux/amd64".to_string(), "linux/arm64".to_string()];
        assert_eq!(
            on_build_platform(stage(), &both).platform,
            StagePlatform::Build
        );
        assert_eq!(platforms_line(&[], "x"), None);
        assert_eq!(
            platforms_line(&both, "x").as_deref(),
            Some("platforms linux/amd64, linux/arm64: x")
        );
    }
}
