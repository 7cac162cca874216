//! The Go preset's diagnostic codes (SG5xx). Stable: a code keeps its meaning once published.

use crate::diagnostics::codes::codes;

codes! {
    pub(crate),
    NO_MODULE = "SG501" "go-no-module";
    INVALID_VERSION = "SG502" "go-invalid-version";
    NO_VENDOR = "SG503" "go-no-vendor-folder";
    MAIN_NOT_FOUND = "SG504" "go-main-not-found";
    NO_MAIN_PACKAGE = "SG505" "go-no-main-package";
    SEVERAL_MAIN_PACKAGES = "SG506" "go-several-main-packages";
    INVALID_BINARY = "SG507" "go-invalid-binary-name";
    INVALID_TAG = "SG508" "go-invalid-build-tag";
    CGO_ON_SCRATCH = "SG509" "go-cgo-on-scratch";
    PROCFILE_RUNS_NO_PROGRAM = "SG510" "go-procfile-runs-no-program";
    PROCFILE_NEEDS_SHELL = "SG511" "go-procfile-needs-shell";
}
