#!/usr/bin/env bash
# bench/images.sh: stagegen's Dockerfile vs a hand-written baseline, per example.
#
# For each example that has examples/<name>/build.toml and
# bench/baselines/<name>/Dockerfile, both Dockerfiles are built side by side,
# each in its own temporary copy of the example (the repo is never modified),
# and measured:
#   - final image size (MB = 10^6 bytes, `docker image inspect .Size`) and
#     layer count (`len .RootFS.Layers`)
#   - cold build: `--no-cache`; BuildKit cache mounts survive `--no-cache`, so
#     they are pruned first (unless --keep-mounts) to make it really cold
#   - rebuild after a one-line source change (a comment appended to the main
#     package's main.go, or to a Java source file), and whether the dependency
#     step re-ran for it
#   - rebuild after a dependency change (a comment appended to go.mod, pom.xml
#     or build.gradle), and whether the dependency step re-ran (it should: the
#     manifest changed)
# A step counts as cached when BuildKit's `--progress=plain` log says
# `#N CACHED` for it; the dependency step is the one whose command matches
# $BENCH_DEP_STEP (default `go mod download`, for Maven `dependency:go-offline`,
# for Gradle `gradle ... dependencies`); "none" means there is no such
# step (e.g. a vendored build).
# With --runs N every timing is the median of N runs. Progress goes to stderr;
# the markdown table to stdout.
#
# An example that is not a Go module says what to change in an optional
# bench/baselines/<example>/bench.env (shell assignments):
#   BENCH_SOURCE=src/server.js        the file the source change goes into
#   BENCH_SOURCE_LINE='// bench: %s'  the line appended to it (printf format)
#   BENCH_DEP_FILE=package-lock.json  the file the dependency change goes into
#   BENCH_DEP_LINE=''                 the line appended to it ('' appends an
#                                     empty line: JSON has no comments)
#   BENCH_DEP_STEP='npm (ci|install)' the dependency step, as $BENCH_DEP_STEP
#   BENCH_IMPORT=app.main             a module to import in fresh containers of
#                                     both images: adds an import-time row
#                                     (what shipping bytecode, or not, costs)
#   BENCH_IMPORT_PYTHON=python        the interpreter that imports it in the
#   BENCH_IMPORT_PYTHON_BASELINE=...  stagegen image / in the baseline image
#
# A target EXAMPLE:VARIANT builds the example's sources from
# bench/baselines/<example>/<variant>.build.toml (e.g. the same app on another
# runtime flavour) against the same baseline; with no targets named, every
# example and every such variant is measured.
set -euo pipefail

usage() {
	cat <<'EOF'
usage: bench/images.sh [options] [example[:variant]...]

Build every example (or the named ones) with stagegen's Dockerfile and with
its hand-written baseline (bench/baselines/<example>/Dockerfile), and print a
markdown table: image size, layers, cold build time, rebuild times after a
source change and after a go.mod (pom.xml, build.gradle) change, and whether
the dependency step re-ran. EXAMPLE:VARIANT builds the example's sources from
bench/baselines/<example>/<variant>.build.toml instead (another runtime
flavour of the same app) against the same baseline.

options:
  --keep-mounts  do not prune BuildKit cache mounts before each cold build
                 (pruning is global to the engine: it drops every unused
                 cache mount, e.g. Go build caches of other projects)
  --keep-images  keep the stagegen-bench/<example>:{stagegen,baseline} images
  --runs N       measure every build N times and report the median (default 1,
                 or $BENCH_RUNS)
  -h, --help     show this help

environment:
  DOCKER          docker client (default /usr/bin/docker, BuildKit built in)
  STAGEGEN        use this stagegen binary instead of `cargo build --release`
  BENCH_DEP_STEP  extended regex for the dependency step (default by manifest:
                  `go mod download`, `dependency:go-offline`, `gradle.* dependencies`)
  BENCH_KEEP_WORK set to keep the temporary directory with every build log

Timings are wall-clock seconds on this machine: noisy (use --runs 3), so
compare ratios and orders of magnitude rather than tenths of a second, and
do not run it while other builds run.
EOF
}

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DOCKER=${DOCKER:-/usr/bin/docker}
export DOCKER_BUILDKIT=1
DEP_STEP=${BENCH_DEP_STEP:-}

PRUNE_MOUNTS=1
KEEP_IMAGES=0
RUNS=${BENCH_RUNS:-1}
SELECTED=()
while [ $# -gt 0 ]; do
	case $1 in
	-h | --help) usage; exit 0 ;;
	--keep-mounts) PRUNE_MOUNTS=0 ;;
	--keep-images) KEEP_IMAGES=1 ;;
	--runs) RUNS=${2:-}; shift ;;
	--runs=*) RUNS=${1#--runs=} ;;
	-*) echo "bench: unknown option \`$1\` (see --help)" >&2; exit 2 ;;
	*) SELECTED+=("${1%/}") ;;
	esac
	shift
done
case $RUNS in '' | *[!0-9]* | 0) echo "bench: --runs needs a positive number, got \`$RUNS\`" >&2; exit 2 ;; esac

WORK=$(mktemp -d "${TMPDIR:-/tmp}/stagegen-bench.XXXXXX")
IMAGES=()
cleanup() {
	local img
	if [ "$KEEP_IMAGES" = 0 ]; then
		for img in "${IMAGES[@]}"; do "$DOCKER" image rm "$img" >/dev/null 2>&1 || true; done
	fi
	if [ -n "${BENCH_KEEP_WORK:-}" ]; then log "bench: build logs kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '%s\n' "$*" >&2; }
die() { log "bench: $*"; exit 1; }
now() { date +%s.%N; }
# seconds between two `now` values, one decimal
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
# stagegen/baseline, two decimals; "–" when it cannot be computed
ratio() { awk -v s="$1" -v b="$2" 'BEGIN { if (b + 0 == 0 || s == "" || b == "") print "–"; else printf "%.2f", s / b }'; }

# The file a one-line source change goes into: main.go of the main package
# (at the root, else under cmd/), else the first non-test Go file; for Java, the
# first source file under src/main/java.
source_file() {
	local ctx=$1 f=main.go
	[ -f "$ctx/$f" ] || f=$(cd "$ctx" && find . -path ./vendor -prune -o -name main.go -print | sort | head -1)
	[ -n "$f" ] || f=$(cd "$ctx" && find . -path ./vendor -prune -o -name '*.go' ! -name '*_test.go' -print | sort | head -1)
	[ -n "$f" ] || f=$(cd "$ctx" && find . -path '*/src/main/java/*' -name '*.java' -print | sort | head -1)
	[ -n "$f" ] || return 1
	echo "${f#./}"
}

# The dependency manifest a dependency change goes into, and the default
# $DEP_STEP for it (the step that resolves what the manifest lists).
manifest_file() {
	local f
	for f in go.mod pom.xml build.gradle.kts build.gradle; do
		[ -f "$1/$f" ] && { echo "$f"; return 0; }
	done
	return 1
}
default_dep_step() {
	case $1 in
	go.mod) echo 'go mod download' ;;
	pom.xml) echo 'dependency:go-offline' ;;
	*) echo 'gradle.* dependencies' ;;
	esac
}

# comment_line FILE TEXT: TEXT as a comment line of FILE's language
comment_line() {
	case $1 in
	*.xml) printf '\n<!-- %s -->\n' "$2" ;;
	*) printf '\n// %s\n' "$2" ;;
	esac
}

# dep_step LOG: "cached", "re-ran" or "none" for the steps matching $DEP_STEP
dep_step() {
	awk -v re="$DEP_STEP" '
		# a vertex header: "#12 [build 3/6] RUN ... go mod download"
		/^#[0-9]+ \[/ && $0 ~ re { steps[$1] = 1 }
		/^#[0-9]+ CACHED$/ { cached[$1] = 1 }
		END {
			n = 0; ran = 0
			for (s in steps) { n++; if (!(s in cached)) ran = 1 }
			print (n == 0 ? "none" : ran ? "re-ran" : "cached")
		}' "$1"
}

# build LOG TAG CTX [docker build options...]: prints the seconds it took
build() {
	local logfile=$1 tag=$2 ctx=$3 t0 t1
	shift 3
	t0=$(now)
	if ! "$DOCKER" build --progress=plain "$@" -t "$tag" "$ctx" >"$logfile" 2>&1; then
		log "bench: docker build of $tag failed; last 40 lines of $logfile:"
		tail -40 "$logfile" >&2
		return 1
	fi
	t1=$(now)
	elapsed "$t0" "$t1"
}

# median of the arguments (numbers), one decimal
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { printf "%.1f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# the value if all arguments agree, else "mixed"
same() { printf '%s\n' "$@" | sort -u | awk '{ v = $0; n++ } END { print (n == 1 ? v : "mixed") }'; }

# measure VARIANT CTX TAG: sets M_SIZE M_LAYERS M_COLD M_SRC M_SRC_DEP M_DEP M_DEP_DEP M_USER
# (timings: the median of $RUNS runs; each run is cold build, source change, go.mod change)
measure() {
	local variant=$1 ctx=$2 tag=$3 logs=$WORK/logs/$3 src manifest run t
	local cold=() srct=() srcdep=() dept=() depdep=()
	local src_line=${BENCH_SOURCE_LINE:-'// bench: source change %s'}
	local dep_file=${BENCH_DEP_FILE:-go.mod} dep_line=${BENCH_DEP_LINE-'// bench: dependency change %s'}
	mkdir -p "$logs"
	if [ -n "${BENCH_SOURCE:-}" ]; then src=$BENCH_SOURCE; else src=$(source_file "$ctx") || die "no Go or Java source file in $ctx"; fi
	if [ -n "${BENCH_DEP_FILE:-}" ]; then manifest=$BENCH_DEP_FILE; else manifest=$(manifest_file "$ctx") || die "no go.mod, pom.xml or build.gradle in $ctx"; fi
	[ -f "$ctx/$src" ] || die "no $src in $ctx"
	[ -f "$ctx/$manifest" ] || die "no $manifest in $ctx"

	for run in $(seq "$RUNS"); do
		if [ "$PRUNE_MOUNTS" = 1 ]; then
			"$DOCKER" builder prune -f --filter type=exec.cachemount >/dev/null
		fi
		log "  $variant (run $run/$RUNS): cold build (--no-cache)"
		t=$(build "$logs/cold.$run.log" "$tag" "$ctx" --no-cache) || exit 1
		cold+=("$t")
		IMAGES+=("$tag")

		log "  $variant (run $run/$RUNS): rebuild after a comment line appended to $src"
		if [ -n "${BENCH_SOURCE_LINE+set}" ]; then
			printf "\n$src_line\n" "$(date +%s%N)" >>"$ctx/$src"
		else
			comment_line "$src" "bench: source change $(date +%s%N)" >>"$ctx/$src"
		fi
		t=$(build "$logs/src.$run.log" "$tag" "$ctx") || exit 1
		srct+=("$t")
		srcdep+=("$(dep_step "$logs/src.$run.log")")

		log "  $variant (run $run/$RUNS): rebuild after a comment line appended to $manifest"
		if [ -n "${BENCH_DEP_LINE+set}" ]; then
			printf "\n$dep_line\n" "$(date +%s%N)" >>"$ctx/$manifest"
		else
			comment_line "$manifest" "bench: dependency change $(date +%s%N)" >>"$ctx/$manifest"
		fi
		t=$(build "$logs/dep.$run.log" "$tag" "$ctx") || exit 1
		dept+=("$t")
		depdep+=("$(dep_step "$logs/dep.$run.log")")
	done

	M_COLD=$(median "${cold[@]}")
	M_SRC=$(median "${srct[@]}")
	M_DEP=$(median "${dept[@]}")
	M_SRC_DEP=$(same "${srcdep[@]}")
	M_DEP_DEP=$(same "${depdep[@]}")
	M_SIZE=$("$DOCKER" image inspect -f '{{.Size}}' "$tag")
	M_SIZE=$(awk -v b="$M_SIZE" 'BEGIN { printf "%.1f", b / 1e6 }')
	M_LAYERS=$("$DOCKER" image inspect -f '{{len .RootFS.Layers}}' "$tag")
	M_USER=$("$DOCKER" image inspect -f '{{.Config.User}}' "$tag")
	M_USER=${M_USER:-root}
}

# ---------------------------------------------------------------------------
"$DOCKER" info >/dev/null 2>&1 || die "the docker engine is not running (see scripts/e2e.sh, which starts it)"

# A target is an example, or EXAMPLE:VARIANT for the example's sources built
# from bench/baselines/<example>/<variant>.build.toml instead of its build.toml
# (the same app in another runtime flavour), against the same baseline.
EXAMPLES=()
if [ ${#SELECTED[@]} -gt 0 ]; then
	for e in "${SELECTED[@]}"; do EXAMPLES+=("${e#examples/}"); done
else
	for d in "$REPO"/examples/*/; do
		e=$(basename "$d")
		[ -f "$d/build.toml" ] && [ -f "$REPO/bench/baselines/$e/Dockerfile" ] || continue
		EXAMPLES+=("$e")
		for v in "$REPO/bench/baselines/$e"/*.build.toml; do
			[ -f "$v" ] && EXAMPLES+=("$e:$(basename "$v" .build.toml)")
		done
	done
fi
[ ${#EXAMPLES[@]} -gt 0 ] || die "no example has both build.toml and bench/baselines/<example>/Dockerfile"
for e in "${EXAMPLES[@]}"; do
	ex=${e%%:*}
	[ -f "$REPO/examples/$ex/build.toml" ] || die "examples/$ex/build.toml is missing"
	[ -f "$REPO/bench/baselines/$ex/Dockerfile" ] || die "bench/baselines/$ex/Dockerfile is missing"
	[ "$ex" = "$e" ] || [ -f "$REPO/bench/baselines/$ex/${e#*:}.build.toml" ] ||
		die "bench/baselines/$ex/${e#*:}.build.toml is missing (for the target $e)"
done

if [ -z "${STAGEGEN:-}" ]; then
	log "bench: cargo build --release"
	(cd "$REPO" && cargo build --release --quiet) >&2 || die "cargo build failed"
	STAGEGEN=$REPO/target/release/stagegen
fi

# import_ms TAG PYTHON MODULE: the median, over 5 fresh containers, of the
# milliseconds PYTHON (run as the image's user, in its WORKDIR) takes to import
# MODULE: what a fresh container pays before it serves, bytecode included
import_ms() {
	local tag=$1 py=$2 mod=$3 i out ms=()
	for i in 1 2 3 4 5; do
		out=$("$DOCKER" run --rm --entrypoint "$py" "$tag" -c \
			'import importlib, sys, time; t = time.perf_counter(); importlib.import_module(sys.argv[1]); print(round((time.perf_counter() - t) * 1000, 1))' \
			"$mod" 2>&1) || die "importing $mod in $tag failed: $out"
		ms+=("$out")
	done
	median "${ms[@]}"
}

ROWS=()
row() { ROWS+=("| $1 | $2 | $3 | $4 | $5 |"); }
declare -A BASELINE_DONE=()
for e in "${EXAMPLES[@]}"; do
	ex=${e%%:*}
	variant=
	[ "$ex" = "$e" ] || variant=${e#*:}
	label=$ex${variant:+ ($variant)}
	log "bench: $label"
	sg=$WORK/${e/:/@}/stagegen
	bl=$WORK/${e/:/@}/baseline
	mkdir -p "$sg" "$bl"
	cp -a "$REPO/examples/$ex/." "$sg/"
	cp -a "$REPO/examples/$ex/." "$bl/"
	rm -f "$sg/Dockerfile" "$sg/.dockerignore" "$bl/Dockerfile" "$bl/.dockerignore"
	[ -z "$variant" ] || cp "$REPO/bench/baselines/$ex/$variant.build.toml" "$sg/build.toml"

	if ! "$STAGEGEN" dockerfile -f "$sg/build.toml" -o "$sg/Dockerfile" >"$WORK/${e/:/@}/stagegen.log" 2>&1; then
		cat "$WORK/${e/:/@}/stagegen.log" >&2
		die "stagegen dockerfile failed for $label"
	fi
	cp "$REPO/bench/baselines/$ex/Dockerfile" "$bl/Dockerfile"
	# per-example settings: bench/baselines/<example>/bench.env (Python, Node), else derived
	# from the example's manifest (Go, Maven, Gradle)
	unset BENCH_SOURCE BENCH_SOURCE_LINE BENCH_DEP_FILE BENCH_DEP_LINE BENCH_DEP_STEP \
		BENCH_IMPORT BENCH_IMPORT_PYTHON BENCH_IMPORT_PYTHON_BASELINE
	if [ -f "$REPO/bench/baselines/$ex/bench.env" ]; then
		# shellcheck disable=SC1090
		. "$REPO/bench/baselines/$ex/bench.env"
	fi
	manifest=${BENCH_DEP_FILE:-$(manifest_file "$sg")} || die "no go.mod, pom.xml or build.gradle in examples/$ex"
	DEP_STEP=${BENCH_DEP_STEP:-$(default_dep_step "$manifest")}

	measure stagegen "$sg" "stagegen-bench/$ex:stagegen${variant:+-$variant}"
	S=("$M_SIZE" "$M_LAYERS" "$M_COLD" "$M_SRC" "$M_SRC_DEP" "$M_DEP" "$M_DEP_DEP" "$M_USER")
	[ -z "${BENCH_IMPORT:-}" ] ||
		S+=("$(import_ms "stagegen-bench/$ex:stagegen${variant:+-$variant}" "${BENCH_IMPORT_PYTHON:-python}" "$BENCH_IMPORT")")
	# the baseline is measured once per example, whatever the number of variants
	if [ -z "${BASELINE_DONE[$ex]:-}" ]; then
		measure baseline "$bl" "stagegen-bench/$ex:baseline"
		B=("$M_SIZE" "$M_LAYERS" "$M_COLD" "$M_SRC" "$M_SRC_DEP" "$M_DEP" "$M_DEP_DEP" "$M_USER")
		[ -z "${BENCH_IMPORT:-}" ] ||
			B+=("$(import_ms "stagegen-bench/$ex:baseline" "${BENCH_IMPORT_PYTHON_BASELINE:-python}" "$BENCH_IMPORT")")
		BASELINE_DONE[$ex]="${B[*]}"
	else
		read -r -a B <<<"${BASELINE_DONE[$ex]}"
	fi

	row "$label" "final image size (MB)" "${S[0]}" "${B[0]}" "$(ratio "${S[0]}" "${B[0]}")"
	row "$label" "layers" "${S[1]}" "${B[1]}" "$(ratio "${S[1]}" "${B[1]}")"
	row "$label" "cold build, \`--no-cache\` (s)" "${S[2]}" "${B[2]}" "$(ratio "${S[2]}" "${B[2]}")"
	row "$label" "rebuild after a source change (s)" "${S[3]}" "${B[3]}" "$(ratio "${S[3]}" "${B[3]}")"
	row "$label" "dependency step on the source change" "${S[4]}" "${B[4]}" "–"
	row "$label" "rebuild after a $manifest change (s)" "${S[5]}" "${B[5]}" "$(ratio "${S[5]}" "${B[5]}")"
	row "$label" "dependency step on the $manifest change" "${S[6]}" "${B[6]}" "–"
	row "$label" "user" "${S[7]}" "${B[7]}" "–"
	[ -z "${BENCH_IMPORT:-}" ] ||
		row "$label" "import of \`$BENCH_IMPORT\` in a fresh container (ms)" "${S[8]}" "${B[8]}" "$(ratio "${S[8]}" "${B[8]}")"
done

cat <<EOF
| example | metric | stagegen | baseline | stagegen/baseline |
|---|---|---:|---:|---:|
EOF
printf '%s\n' "${ROWS[@]}"
echo
echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, docker $("$DOCKER" version -f '{{.Server.Version}}'), cache mounts $([ "$PRUNE_MOUNTS" = 1 ] && echo pruned || echo kept) before cold builds; times are the median of $RUNS run(s)."
