//! The Node preset's diagnostic codes (SG7xx), and those of the `[frontend]` builder it provides
//! (SG73x). Stable: a code keeps its meaning once published.

use crate::diagnostics::codes::codes;

codes! {
    pub(crate),
    NO_PACKAGE_JSON = "SG701" "node-no-package-json";
    INVALID_PACKAGE_JSON = "SG702" "node-invalid-package-json";
    INVALID_VERSION = "SG703" "node-invalid-version";
    INVALID_VERSION_FILE = "SG704" "node-invalid-version-file";
    ENGINES_UNSATISFIABLE = "SG705" "node-engines-unsatisfiable";
    SEVERAL_LOCK_FILES = "SG706" "node-several-lock-files";
    UNSUPPORTED_PACKAGE_MANAGER = "SG707" "node-unsupported-package-manager";
    INVALID_PACKAGE_MANAGER = "SG708" "node-invalid-package-manager";
    NO_LOCK_FILE = "SG709" "node-no-lock-file";
    YARN_WITHOUT_WORKSPACE_TOOLS = "SG710" "node-yarn-without-workspace-tools";
    NOT_A_WORKSPACE = "SG711" "node-not-a-workspace";
    UNKNOWN_WORKSPACE_PACKAGE = "SG712" "node-unknown-workspace-package";
    WHICH_WORKSPACE_PACKAGE = "SG713" "node-which-workspace-package";
    NO_SUCH_SCRIPT = "SG714" "node-no-such-script";
    NO_TEST_SCRIPT = "SG715" "node-no-test-script";
    OUTPUT_OUTSIDE_APP = "SG716" "node-output-outside-app";
    EMPTY_START_WORD = "SG717" "node-empty-start-word";
    NO_START = "SG718" "node-no-start";
    NO_DISTROLESS_IMAGE = "SG719" "node-no-distroless-image";
    NO_NODE_ON_SCRATCH = "SG720" "node-scratch";
    NO_APT_IN_BUILDER = "SG721" "node-system-packages-need-apt";
    STATIC_WITHOUT_BUILD = "SG722" "node-static-without-build";
    STATIC_SITE_BASE = "SG723" "node-static-site-base";
    START_NEEDS_SHELL = "SG724" "node-start-needs-shell";
    SVELTEKIT_ADAPTER = "SG725" "node-sveltekit-adapter";
    WORKSPACE_OUTSIDE_CONTEXT = "SG726" "node-workspace-outside-context";
    WORKSPACE_TOO_LARGE = "SG727" "node-workspace-too-large";
    NATIVE_MODULE_NEEDS_APT = "SG728" "node-native-module-needs-apt";
    PROCFILE_NEEDS_SHELL = "SG729" "node-procfile-needs-shell";
    FRONTEND_NO_PACKAGE_JSON = "SG731" "frontend-no-package-json";
    FRONTEND_INVALID_PACKAGE_JSON = "SG732" "frontend-invalid-package-json";
    FRONTEND_NO_BUILD_SCRIPT = "SG733" "frontend-no-build-script";
    FRONTEND_OUTPUT_OUTSIDE = "SG734" "frontend-output-outside";
    // SG73x are the `[frontend]` builder's: the preset's codes go on at SG740.
    PROCFILE_CANNOT_RUN = "SG740" "node-procfile-cannot-run";
}
