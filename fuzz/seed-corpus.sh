#!/usr/bin/env bash
# Seed the fuzz corpus with every case's build.toml.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/compile
for f in ../tests/cases/*/build.toml ../examples/*/build.toml; do
	cp "$f" "corpus/compile/$(echo "$f" | tr '/.' '__')"
done
