#!/usr/bin/env bash
# The benchmark in one command: installs what is missing (oneDNN and
# matplotlib included), builds, then runs convforge-bench: for each layer,
# ConvForge's compiled kernel side by side with oneDNN and the naive
# reference, then whole networks (AlexNet, VGG-16) compiled by ConvForge and
# chained from oneDNN's primitives, on 1 and 2 threads, every figure also as
# a percentage of the measured FMA peak. Markdown on stdout (also saved as
# bench-results.md), one row per measurement in bench-results.csv and
# bench-results.json, and a chart, bench-results.png, all in the build
# directory. Arguments go to convforge-bench, e.g.
# `scripts/bench.sh --filter vgg` or `scripts/bench.sh --no-networks`.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR="${CONVFORGE_BUILD_DIR:-build}"

# oneDNN and matplotlib are dependencies of the benchmark only, so
# scripts/setup.sh (the compiler's dependencies) leaves them out; installed
# here the same way.
missing=()
for package in libdnnl-dev python3-matplotlib; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
  fi
  echo "bench: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

scripts/setup.sh
# A build directory configured before oneDNN was installed has cached its
# absence: forget that so that CMake looks again.
if [ -f "$BUILD_DIR/CMakeCache.txt" ] &&
  grep -q "^CONVFORGE_DNNL_[A-Z_]*:[A-Z]*=.*NOTFOUND" "$BUILD_DIR/CMakeCache.txt"; then
  scripts/build.sh -U 'CONVFORGE_DNNL_*'
else
  scripts/build.sh
fi

# The benchmark's status (2: a mismatch or an error, in the tables) is the
# script's, but the chart is drawn either way.
status=0
"$BUILD_DIR/bin/convforge-bench" --csv "$BUILD_DIR/bench-results.csv" \
  --json "$BUILD_DIR/bench-results.json" "$@" |
  tee "$BUILD_DIR/bench-results.md" || status=$?
# Debian's interpreter, the one python3-matplotlib is installed for.
"${PYTHON:-/usr/bin/python3}" bench/plot.py "$BUILD_DIR/bench-results.json" \
  -o "$BUILD_DIR/bench-results.png" || status=$((status ? status : 1))
exit "$status"
