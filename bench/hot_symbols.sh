#!/usr/bin/env bash
# The functions a small compile runs, for build/hot-symbols.txt: build.rs hands that list to the
# linker (lld's --symbol-ordering-file), which lays those functions out side by side at the
# start of .text. A compile then faults in a few hundred kilobytes of code instead of pages
# spread over all 6 MB of it (bench/RESULTS.md, 2026-12-07, "the last 0.08x"). The list is every
# function of the release binary that `valgrind --tool=callgrind` sees run in `dockerfile`,
# `check` and `plan` of each example, by its mangled name (the name the linker knows). Names
# the code no longer has are skipped by the linker, so a stale list only lays out less well:
# run this again after large changes or a new Rust release.
# Usage: bench/hot_symbols.sh [BINARY]   (default: target/release/stagegen, built first)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${1:-}" ]; then
    cargo build --release --quiet
fi
binary=${1:-target/release/stagegen}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for toml in examples/*/build.toml; do
    for command in dockerfile check plan; do
        valgrind --tool=callgrind --demangle=no --callgrind-out-file="$dir/$RANDOM$RANDOM.out" \
            "$binary" "$command" -f "$toml" >/dev/null 2>&1
    done
done
python3 - "$binary" "$dir" > build/hot-symbols.txt <<'PY'
import glob, re, subprocess, sys
binary, scratch = sys.argv[1], sys.argv[2]
ran = set()
for path in glob.glob(f"{scratch}/*.out"):
    with open(path) as f:
        for line in f:
            m = re.match(r"c?fn=\(\d+\) (.+)$", line.rstrip("\n"))
            if m:
                ran.add(m.group(1))
text = set()
for line in subprocess.run(["nm", binary], capture_output=True, text=True, check=True).stdout.splitlines():
    parts = line.split()
    if len(parts) == 3 and parts[1] in "tTwW":
        text.add(parts[2])
print("\n".join(sorted(ran & text)))
PY
echo "build/hot-symbols.txt: $(wc -l < build/hot-symbols.txt) functions" >&2
