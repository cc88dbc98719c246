#!/usr/bin/env bash
# The sanitizer runs of CI (docs/Robustness.md), runnable locally:
#
# 1. ConvForge built with AddressSanitizer and UndefinedBehaviorSanitizer
#    (and libFuzzer's coverage instrumentation, so that scripts/fuzz.sh
#    reuses the build) into build-asan/, and every test run in it.
# 2. The re-entrancy test (many threads calling one compiled network) built
#    with ThreadSanitizer into build-tsan/ and run.
#
# LLVM and MLIR are uninstrumented shared libraries, and so is the code the
# JIT generates: the sanitizers check ConvForge's own code. Installs what is
# missing first. Arguments: the steps to run (asan, tsan; default both).
set -euo pipefail
cd "$(dirname "$0")/.."

ASAN_BUILD_DIR="${CONVFORGE_ASAN_BUILD_DIR:-build-asan}"
TSAN_BUILD_DIR="${CONVFORGE_TSAN_BUILD_DIR:-build-tsan}"
JOBS="${CONVFORGE_JOBS:-$(nproc)}"
steps=("$@")
if [ "${#steps[@]}" -eq 0 ]; then
  steps=(asan tsan)
fi

scripts/setup.sh

for step in "${steps[@]}"; do
  case "$step" in
  asan)
    echo "== AddressSanitizer + UndefinedBehaviorSanitizer: $ASAN_BUILD_DIR"
    CONVFORGE_BUILD_DIR="$ASAN_BUILD_DIR" scripts/build.sh \
      -DCONVFORGE_SANITIZERS="address;undefined" -DCONVFORGE_BUILD_FUZZERS=ON
    # The runtime options are set per test by CMake (ENVIRONMENT, lit).
    ctest --test-dir "$ASAN_BUILD_DIR" --output-on-failure -j "$JOBS"
    ;;
  tsan)
    echo "== ThreadSanitizer: $TSAN_BUILD_DIR (the re-entrancy test)"
    CONVFORGE_BUILD_DIR="$TSAN_BUILD_DIR" \
      CONVFORGE_BUILD_TARGETS=ConvForgeReentrancyTests scripts/build.sh \
      -DCONVFORGE_SANITIZERS=thread -DCONVFORGE_BUILD_FUZZERS=OFF
    ctest --test-dir "$TSAN_BUILD_DIR" --output-on-failure -j "$JOBS" \
      -L reentrancy
    ;;
  *)
    echo "test-sanitizers: unknown step '$step' (expected asan or tsan)" >&2
    exit 2
    ;;
  esac
done
