#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (unit tests and the
# lit suites) under ctest.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
scripts/build.sh

BUILD_DIR="${CONVFORGE_BUILD_DIR:-build}"
ctest --test-dir "$BUILD_DIR" --output-on-failure -j "${CONVFORGE_JOBS:-$(nproc)}"
