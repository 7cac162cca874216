#!/usr/bin/env bash
# Run the fuzz targets for a bounded time each, for CI: `fuzz/run-bounded.sh [SECONDS]`
# (default 120 per target). merge_runs, escape and detect start from their corpora kept in the repo
# (fuzz/corpus/<target>/); compile from the case files (seed-corpus.sh). Needs a nightly
# toolchain (without one it says so and exits 0: the seeded property test in `cargo test --test
# optimize` covers merge-runs anyway); cargo-fuzz is installed from crates.io into
# target/fuzz-tools/ when it is not on the PATH.
# A finding fails the run and leaves the input in fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-120}
if [ "$seconds" = 0 ]; then
	echo "fuzz: 0 s per target: skipped"
	exit 0
fi
if ! cargo +nightly --version >/dev/null 2>&1; then
	echo "fuzz: no nightly toolchain here: skipped (rustup toolchain install nightly)"
	exit 0
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
	tools="$PWD/../target/fuzz-tools"
	if [ ! -x "$tools/bin/cargo-fuzz" ]; then
		echo "fuzz: installing cargo-fuzz into $tools"
		cargo install --quiet --locked cargo-fuzz --root "$tools"
	fi
	export PATH="$tools/bin:$PATH"
fi
./seed-corpus.sh
for target in merge_runs escape detect compile; do
	mkdir -p "corpus/$target"
	echo "== fuzz $target for ${seconds}s"
	# -timeout: one input (a few shells) takes milliseconds; 30 s means a hang.
	log=$(mktemp)
	status=0
	cargo +nightly fuzz run "$target" "corpus/$target" -- \
		-max_total_time="$seconds" -timeout=30 -print_final_stats=1 >"$log" 2>&1 || status=$?
	grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::average_exec_per_sec)' "$log" || true
	if [ "$status" -ne 0 ]; then
		tail -n 60 "$log"
		rm -f "$log"
		exit "$status"
	fi
	rm -f "$log"
done
