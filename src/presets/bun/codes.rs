//! The Bun preset's diagnostic codes (SG96x-SG97x). Stable: a code keeps its meaning once
//! published.

use crate::diagnostics::codes::codes;

codes! {
    pub(crate),
    NO_PACKAGE_JSON = "SG961" "bun-no-package-json";
    INVALID_PACKAGE_JSON = "SG962" "bun-invalid-package-json";
    INVALID_VERSION = "SG963" "bun-invalid-version";
    VERSION_UNSATISFIABLE = "SG964" "bun-version-unsatisfiable";
    NO_START = "SG965" "bun-no-start";
    EMPTY_START_WORD = "SG966" "bun-empty-start-word";
    NO_SUCH_SCRIPT = "SG967" "bun-no-such-script";
    NO_BUN_ON_SCRATCH = "SG968" "bun-scratch";
    START_NEEDS_SHELL = "SG969" "bun-start-needs-shell";
    OUTPUT_OUTSIDE_APP = "SG970" "bun-output-outside-app";
    OTHER_PACKAGE_MANAGER = "SG971" "bun-other-package-manager";
    NO_APT_IN_BUILDER = "SG972" "bun-system-packages-need-apt";
    PROCFILE_NEEDS_SHELL = "SG973" "bun-procfile-needs-shell";
    PROCFILE_CANNOT_RUN = "SG974" "bun-procfile-cannot-run";
}
