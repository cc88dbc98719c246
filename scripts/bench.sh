#!/usr/bin/env bash
# The benchmark in one command: installs what is missing (oneDNN included),
# builds, then runs convforge-bench: for each layer, ConvForge's compiled
# kernel side by side with oneDNN and the naive reference, on 1 and 2
# threads, every figure also as a percentage of the measured FMA peak.
# Markdown on stdout (also saved as bench-results.md), one CSV row per
# measurement in bench-results.csv, both in the build directory.
# Arguments go to convforge-bench, e.g. `scripts/bench.sh --filter vgg`.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR="${CONVFORGE_BUILD_DIR:-build}"

# oneDNN is a dependency of the benchmark only, so scripts/setup.sh (the
# compiler's dependencies) leaves it out; installed here the same way.
if ! dpkg-query -W -f='${Status}' libdnnl-dev 2>/dev/null | grep -q "install ok installed"; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
  fi
  echo "bench: installing libdnnl-dev"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends libdnnl-dev
fi

scripts/setup.sh
# A build directory configured before oneDNN was installed has cached its
# absence: forget that so that CMake looks again.
if [ -f "$BUILD_DIR/CMakeCache.txt" ] &&
  grep -q "^CONVFORGE_DNNL_[A-Z_]*:[A-Z]*=.*NOTFOUND" "$BUILD_DIR/CMakeCache.txt"; then
  scripts/build.sh -U 'CONVFORGE_DNNL_*' -U 'CONVFORGE_GOMP_*'
else
  scripts/build.sh
fi

"$BUILD_DIR/bin/convforge-bench" --csv "$BUILD_DIR/bench-results.csv" "$@" |
  tee "$BUILD_DIR/bench-results.md"
