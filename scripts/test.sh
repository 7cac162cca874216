#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls exactly this):
#   formatting, clippy with warnings denied, the unit and case tests of the workspace (hadolint
#   on every emitted Dockerfile; taplo's CLI and language server on build.toml, tests/editor.rs),
#   each fuzz target for a bounded time (fuzz/run-bounded.sh), then the end-to-end suite
#   `cargo xtask e2e`: every example, its `stagegen init` round trip, every real-world corpus app and the secret check, built and run
#   with the real Docker engine. scripts/engine.sh provisions what it needs (hadolint, docker
#   and a running daemon; where ../shared/standins/ exists, the offline stand-in base images;
#   elsewhere the official images are pulled).
# Options: --no-e2e skips the engine builds (for a quick local run); FUZZ_SECONDS=N sets the time
# per fuzz target (45 by default, 0 skips fuzzing).
set -euo pipefail
cd "$(dirname "$0")/.."

e2e=1
for arg in "$@"; do
	case "$arg" in
	--no-e2e) e2e=0 ;;
	-h | --help)
		sed -n '2,9p' "$0"
		exit 0
		;;
	*)
		echo "unknown option: $arg" >&2
		exit 2
		;;
	esac
done

step() { printf '\n== %s\n' "$*"; }

scripts/engine.sh hadolint
scripts/engine.sh taplo
step "cargo fmt --check"
cargo fmt --all -- --check
step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings
step "cargo test (the Docker/Buildah image comparison on every example)"
STAGEGEN_BUILDAH_EXAMPLES="${STAGEGEN_BUILDAH_EXAMPLES:-all}" cargo test --workspace --locked
step "fuzz: every target for ${FUZZ_SECONDS:-45} s (fuzz/run-bounded.sh)"
fuzz/run-bounded.sh "${FUZZ_SECONDS:-45}"
if [ "$e2e" = 1 ]; then
	step "end-to-end: cargo xtask e2e (build and run every example and corpus app with the Docker engine)"
	cargo xtask e2e
fi
printf '\ntest.sh: total %d s\n' "$SECONDS"
