#!/usr/bin/env bash
# How long `stagegen dockerfile --all` and `stagegen bake` take on a generated workspace of N
# Go members (default 1000) that all extend one shared template and inherit workspace defaults
# (labels and a tag pattern): wall time per run (median of R runs, default 5) and the peak
# resident memory of the process (the largest of the runs, from wait4's rusage). The first run
# of each command writes the files; the timed runs replace them, as a re-run in CI does.
# Usage: bench/workspace.sh [N] [R]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
runs=${2:-5}
cargo build --release --quiet
bin="$PWD/target/release/stagegen"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 - "$n" "$runs" "$bin" "$dir" <<'PY'
import os, statistics, subprocess, sys, time
n, runs, binary, root = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
def write(rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
write("stagegen.toml", """[workspace]
members = ["services/*"]

[workspace.vars]
version = "1.4.0"

[workspace.defaults]
tags = ["registry.example.com/{{ member.name }}:{{ vars.version }}"]

[workspace.defaults.runtime.labels]
"org.opencontainers.image.version" = "{{ vars.version }}"
"org.example.team" = "core"
""")
write("templates/service.toml", """version = 1
[preset]
name = "{{ preset }}"
binary = "{{ member.name }}"
[runtime]
ports = [8080]
labels = { "org.example.service" = "{{ member.name }}" }
""")
for i in range(n):
    m = f"services/svc-{i:04}"
    write(f"{m}/go.mod", f"module example.com/svc{i}\n\ngo 1.22\n")
    write(f"{m}/main.go", "package main\n\nfunc main() {}\n")
    write(f"{m}/build.toml", 'extends = "../../templates/service.toml"\n')
def run(args):
    start = time.perf_counter()
    p = subprocess.Popen([binary] + args, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    err = p.stderr.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{args} failed:\n{err}")
    return wall, usage.ru_maxrss, err.strip().splitlines()[-1]
print(f"| command | members | runs | wall, median (ms) | wall, min (ms) | peak RSS (MB) | last line |")
print("|---|---:|---:|---:|---:|---:|---|")
for args in (["dockerfile", "--all"], ["dockerfile", "--all", "--check"], ["bake"], ["compose"]):
    run(args)
    walls, rss, last = [], 0, ""
    for _ in range(runs):
        wall, maxrss, last = run(args)
        walls.append(wall)
        rss = max(rss, maxrss)
    print(f"| `stagegen {' '.join(args)}` | {n} | {runs} | {statistics.median(walls) * 1000:.0f} | {min(walls) * 1000:.0f} | {rss / 1024:.1f} | {last} |")
PY
