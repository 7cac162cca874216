#!/usr/bin/env bash
# How long `stagegen dockerfile` takes on each example: process time (user + sys, from the
# kernel's accounting of the child processes) and wall time per run, averaged over N runs of the
# release binary. Usage: bench/compile.sh [N]   (default 200)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200}
cargo build --release --quiet
python3 - "$n" <<'PY'
import glob, os, resource, subprocess, sys, time
n = int(sys.argv[1])
print("| example | runs | process time per run (ms) | wall per run (ms) |\n|---|---|---|---|")
for toml in sorted(glob.glob("examples/*/build.toml")):
    cmd = ["target/release/stagegen", "dockerfile", "-f", toml]
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    for _ in range(n):
        subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    name = os.path.basename(os.path.dirname(toml))
    print(f"| {name} | {n} | {cpu * 1000 / n:.2f} | {wall * 1000 / n:.2f} |")
PY
