#!/usr/bin/env bash
# Does a change of how stagegen is built or started leave what it prints alone? Runs every
# `dockerfile`, `check` and `plan` (each with and without `-q`) of the examples, the cases under
# tests/cases and the corpus apps (tests/realworld, compiled from the build.toml `stagegen init`
# writes on a copy, that `init` compared too) with two binaries, and compares stdout, stderr and
# the exit code of each. Both binaries are copied under the same name first, so a message that
# names argv[0] reads alike.
# Usage: bench/same_output.sh OLD NEW   (exit 1 and the first differences when any run differs)
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# = 2 ] || { echo "usage: bench/same_output.sh OLD NEW" >&2; exit 2; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/old" "$dir/new"
cp "$1" "$dir/old/stagegen"
cp "$2" "$dir/new/stagegen"
python3 - "$dir" <<'PY'
import glob, os, shutil, subprocess, sys
scratch = sys.argv[1]
old, new = f"{scratch}/old/stagegen", f"{scratch}/new/stagegen"

def run(binary, args):
    p = subprocess.run([binary] + args, capture_output=True)
    return p.returncode, p.stdout, p.stderr

tomls = sorted(glob.glob("examples/*/build.toml")) + sorted(glob.glob("tests/cases/*/build.toml"))
runs, differ = 0, []
for app in sorted(glob.glob("tests/realworld/*/app")):
    name = os.path.basename(os.path.dirname(app))
    copies = []
    for side, binary in (("old", old), ("new", new)):
        copy = os.path.join(scratch, f"{side}-{name}")
        shutil.copytree(app, copy, symlinks=True)
        copies.append((binary, copy))
    got = [run(b, ["init", c]) for b, c in copies]
    runs += 1
    # The two copies' paths differ by name only: compare with the path written alike.
    norm = [tuple(x.replace(c.encode(), b"APP") if isinstance(x, bytes) else x for x in g)
            for g, (_, c) in zip(got, copies)]
    if norm[0] != norm[1]:
        differ.append((["init", app], norm[0], norm[1]))
    toml = os.path.join(copies[0][1], "build.toml")
    if os.path.exists(toml):
        tomls.append(toml)
for toml in tomls:
    for command in ("dockerfile", "check", "plan"):
        for quiet in ([], ["-q"]):
            args = [command] + quiet + ["-f", toml]
            a, b = run(old, args), run(new, args)
            runs += 1
            if a != b:
                differ.append((args, a, b))
print(f"{runs} runs, {len(differ)} differ")
for args, a, b in differ[:5]:
    print(f"\n$ stagegen {' '.join(args)}")
    for label, x, y in (("exit code", a[0], b[0]), ("stdout", a[1], b[1]), ("stderr", a[2], b[2])):
        if x != y:
            print(f"  {label}: old {x[:300]!r}\n  {' ' * len(label)}  new {y[:300]!r}")
sys.exit(1 if differ else 0)
PY
