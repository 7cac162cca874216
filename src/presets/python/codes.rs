//! The Python preset's diagnostic codes (SG6xx). Stable: a code keeps its meaning once
//! published. In the order the settings step meets them: the options' own values, the runtime
//! flavour, the manifests, the package manager, the Python version, the install, the start
//! command.

use crate::diagnostics::codes::codes;

codes! {
    pub(crate),
    INVALID_VERSION = "SG601" "python-invalid-version";
    UNKNOWN_MANAGER = "SG602" "python-unknown-package-manager";
    EMPTY_START = "SG603" "python-empty-start";
    UNSUPPORTED_BASE = "SG604" "python-unsupported-base";
    UNREADABLE_MANIFEST = "SG605" "python-unreadable-manifest";
    MANAGER_NEEDS_FILE = "SG606" "python-package-manager-needs-file";
    SEVERAL_LOCK_FILES = "SG607" "python-several-lock-files";
    NO_LOCK_FILE = "SG608" "python-no-lock-file";
    NO_MANIFEST = "SG609" "python-no-manifest";
    INVALID_VERSION_FILE = "SG610" "python-invalid-version-file";
    UNREADABLE_CONSTRAINT = "SG611" "python-unreadable-constraint";
    NO_VERSION_FITS = "SG612" "python-no-version-fits";
    VERSION_TOO_OLD = "SG613" "python-version-too-old";
    DISTROLESS_VERSION = "SG614" "python-distroless-version";
    MISSING_INCLUDE = "SG615" "python-missing-include";
    NO_START = "SG616" "python-no-start";
    SEVERAL_STARTS = "SG617" "python-several-starts";
    SYSTEM_PACKAGES_NEED_APT = "SG618" "python-system-packages-need-apt";
}
