#!/usr/bin/env bash
# Run the fuzz targets for a bounded time each, for CI: `fuzz/run-bounded.sh [SECONDS]`
# (default 120 per target). merge_runs starts from its corpus kept in the repo
# (fuzz/corpus/merge_runs/); compile from the case files (seed-corpus.sh). Needs a nightly
# toolchain and cargo-fuzz (`cargo install cargo-fuzz`); without them it says so and exits 0,
# since the seeded property test in `cargo test --test optimize` covers merge-runs anyway.
# A finding fails the run and leaves the input in fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-120}
if ! cargo +nightly --version >/dev/null 2>&1 || ! cargo +nightly fuzz --version >/dev/null 2>&1; then
	echo "fuzz: no nightly toolchain or cargo-fuzz here: skipped (cargo install cargo-fuzz)"
	exit 0
fi
./seed-corpus.sh
for target in merge_runs compile; do
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
