#!/usr/bin/env bash
# How long stagegen takes to compile one app, side by side with `nixpacks plan` on the same app:
# process time (user + sys of each child, from wait4's rusage) per run of `stagegen dockerfile`,
# `stagegen check`, `stagegen plan` and `nixpacks plan DIR`, the runs of the four interleaved so
# that a load that comes and goes weighs on each alike; the ratio of each stagegen command to
# nixpacks; and the peak resident memory of `dockerfile` and of nixpacks (one more run under
# `/usr/bin/time`, its "Maximum resident set size": wait4's own figure for a child of Python
# counts the Python process it was forked from). The apps: every example, and a few corpus apps
# (tests/realworld) that nixpacks knows, compiled from the build.toml `stagegen init` writes on a
# copy. Then the peak memory of a 1,000-member workspace compile (bench/workspace.sh).
#
# nixpacks comes from crates.io into a bench-only root:
#   cargo install --locked nixpacks --root target/bench-tools
# When it is not there ($NIXPACKS names another binary), its columns say `–`, never a guess.
# $STAGEGEN names another stagegen binary to time (an earlier build, for a before/after run);
# without it, target/release/stagegen is built and timed.
# Usage: bench/compile.sh [N] [MEMBERS]   (N runs per command, default 200; MEMBERS for the
# workspace, default 1000, 0 to skip it)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200}
members=${2:-1000}
if [ -z "${STAGEGEN:-}" ]; then
    cargo build --release --quiet
fi
stagegen=${STAGEGEN:-$PWD/target/release/stagegen}
nixpacks=${NIXPACKS:-$PWD/target/bench-tools/bin/nixpacks}
[ -x "$nixpacks" ] || nixpacks=""
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# A copy is timed, as an installed binary would be: the file the linker has just written runs
# ~25 % slower (the same bytes, more page faults: its pages sit in the page cache as it wrote
# them; bench/RESULTS.md, 2026-12-07).
cp "$stagegen" "$dir/stagegen"
stagegen=$dir/stagegen
python3 - "$n" "$stagegen" "$nixpacks" "$dir" <<'PY'
import glob, os, shutil, subprocess, sys
n, stagegen, nixpacks, scratch = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
CORPUS = ["go-chi", "node-express-generator", "python-flask-quickstart", "java-spring-boot-maven"]

def run(cmd):
    """Process time (s) of one run; None when it fails."""
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        return None
    return usage.ru_utime + usage.ru_stime

def peak_mb(cmd):
    """The peak resident memory (MB) of one run, as `/usr/bin/time` reports it."""
    out = os.path.join(scratch, "time.out")
    subprocess.run(["/usr/bin/time", "-f", "%M", "-o", out] + cmd,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    with open(out) as f:
        return int(f.read().split()[-1]) / 1024

apps = []
for toml in sorted(glob.glob("examples/*/build.toml")):
    apps.append((os.path.basename(os.path.dirname(toml)), os.path.dirname(toml), toml))
for name in CORPUS:
    src = f"tests/realworld/{name}/app"
    if not os.path.isdir(src):
        continue
    copy = os.path.join(scratch, name)
    shutil.copytree(src, copy)
    if run([stagegen, "-q", "init", copy]) is None:
        print(f"(skipped {name}: `stagegen init` failed on it)", file=sys.stderr)
        continue
    apps.append((f"realworld/{name}", copy, os.path.join(copy, "build.toml")))

commands = ["dockerfile", "check", "plan"]
print("| app | runs | nixpacks plan (ms) | dockerfile (ms) | ratio | check (ms) | ratio "
      "| plan (ms) | ratio | peak RSS dockerfile / nixpacks (MB) |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
totals = {c: 0.0 for c in commands + ["nixpacks"]}
counted = 0
for name, app_dir, toml in apps:
    cmds = {c: [stagegen, c, "-f", toml] for c in commands}
    if nixpacks:
        cmds["nixpacks"] = [nixpacks, "plan", app_dir]
    # One untimed run each: the files are in the page cache, and a tool that fails is left out.
    cmds = {k: v for k, v in cmds.items() if run(v) is not None}
    cpu = {k: 0.0 for k in cmds}
    for _ in range(n):
        for k, cmd in cmds.items():
            got = run(cmd)
            if got is None:
                sys.exit(f"{' '.join(cmd)} failed in a timed run")
            cpu[k] += got
    rss = {k: peak_mb(cmds[k]) for k in ("dockerfile", "nixpacks") if k in cmds}
    ms = {k: cpu[k] * 1000 / n for k in cmds}
    base = ms.get("nixpacks")
    def cell(k):
        if k not in ms:
            return "–", "–"
        ratio = f"{ms[k] / base:.2f}" if base else "–"
        return f"{ms[k]:.2f}", ratio
    row = [name, str(n), f"{base:.2f}" if base else "–"]
    for c in commands:
        row.extend(cell(c))
    mem = " / ".join(f"{rss[k]:.1f}" if k in rss else "–" for k in ("dockerfile", "nixpacks"))
    row.append(mem)
    print("| " + " | ".join(row) + " |")
    if base and all(c in ms for c in commands):
        counted += 1
        for k in totals:
            totals[k] += ms[k]
if counted:
    nx = totals["nixpacks"]
    print(f"| **mean of {counted} apps** | {n} | {nx / counted:.2f} | "
          + " | ".join(f"{totals[c] / counted:.2f} | **{totals[c] / nx:.2f}**" for c in commands)
          + " | |")
for label, cmd in (("`stagegen --version`", [stagegen, "--version"]), ("`/bin/true`", ["/bin/true"])):
    cpu = sum(run(cmd) for _ in range(n))
    print(f"\nFor scale, {label}: {cpu * 1000 / n:.2f} ms per run.", end="")
print()
PY
if [ "$members" != 0 ]; then
    echo
    echo "The $members-member workspace (bench/workspace.sh $members 3):"
    echo
    STAGEGEN="$stagegen" bench/workspace.sh "$members" 3
fi
