//! Cross-compiling for `platforms`: with cgo off, Go builds for any target from the builder's
//! own platform, so the build stage runs there once (`FROM --platform=$BUILDPLATFORM`) and
//! `go build` gets `GOOS`/`GOARCH` (and `GOARM` for `linux/arm/vN`) from BuildKit's automatic
//! `TARGETOS`/`TARGETARCH`/`TARGETVARIANT` arguments. With cgo on, a C toolchain for the target
//! would be needed, so the stage runs per target platform, under emulation where that is not the
//! builder's. The runtime stage always runs on the target platform.

use crate::ir::Stage;
use crate::presets::common::{on_build_platform, platforms_line};
use crate::presets::go::settings::GoSettings;

/// Whether the build cross-compiles: target platforms are named and cgo is off.
pub(super) fn cross_compiles(s: &GoSettings, platforms: &[String]) -> bool {
    !platforms.is_empty() && !s.cgo
}

/// Whether a target is 32-bit ARM, whose variant (`v6`, `v7`) is Go's `GOARM`.
fn has_arm_variant(platforms: &[String]) -> bool {
    platforms.iter().any(|p| p.starts_with("linux/arm/"))
}

/// The build stage on the builder's platform, with the target arguments it reads.
pub(super) fn build_stage(mut stage: Stage, s: &GoSettings, platforms: &[String]) -> Stage {
    if !cross_compiles(s, platforms) {
        return stage;
    }
    stage = on_build_platform(stage, platforms);
    let mut args = vec!["TARGETOS", "TARGETARCH"];
    if has_arm_variant(platforms) {
        args.push("TARGETVARIANT");
    }
    for arg in args {
        if !stage.args.iter().any(|a| a == arg) {
            stage.args.push(arg.to_string());
        }
    }
    stage
}

/// What goes before `go build`: the target's `GOOS=… GOARCH=… ` when cross-compiling.
pub(super) fn compile_prefix(s: &GoSettings, platforms: &[String]) -> &'static str {
    match (cross_compiles(s, platforms), has_arm_variant(platforms)) {
        (false, _) => "",
        (true, false) => "GOOS=$TARGETOS GOARCH=$TARGETARCH ",
        (true, true) => "GOOS=$TARGETOS GOARCH=$TARGETARCH GOARM=${TARGETVARIANT#v} ",
    }
}

/// The `detected` line saying how the platforms are built.
pub(super) fn note(s: &GoSettings, platforms: &[String]) -> Option<String> {
    let how = if s.cgo {
        "cgo is on, so the build stage compiles once per target platform, under emulation \
         (e.g. QEMU) where it is not the builder's; turn cgo off to cross-compile"
    } else {
        "cross-compiled on the builder's platform (GOOS/GOARCH from TARGETOS/TARGETARCH), \
         no emulation needed"
    };
    platforms_line(platforms, how)
}
