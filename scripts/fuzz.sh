#!/usr/bin/env bash
# Runs every fuzz target (fuzz/README.md) for a bounded time, as CI does, or
# longer for a developer:
#
#   scripts/fuzz.sh                  every target for 60 s
#   scripts/fuzz.sh 3600             every target for an hour
#   scripts/fuzz.sh 3600 spec mlir   the spec and MLIR targets for an hour
#
# The targets are libFuzzer binaries with AddressSanitizer and
# UndefinedBehaviorSanitizer, built into build-asan/ (shared with
# scripts/test-sanitizers.sh). Each starts from its seed corpus
# (fuzz/corpus/<target>) and its regression inputs (fuzz/regressions/
# <target>); the inputs it finds go to build-asan/fuzz-runs/<target>/corpus,
# a crash, leak, timeout (10 s) or out-of-memory input (2 GB) to
# build-asan/fuzz-runs/<target>/ (crash-*, leak-*, timeout-*, oom-*), and
# the script fails. A summary gives the executions per target.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

SECONDS_PER_TARGET="${1:-${CONVFORGE_FUZZ_SECONDS:-60}}"
shift || true
BUILD_DIR="${CONVFORGE_ASAN_BUILD_DIR:-build-asan}"

targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
  for corpus in fuzz/corpus/*/; do
    targets+=("$(basename "$corpus")")
  done
fi

scripts/setup.sh
build_targets=()
for target in "${targets[@]}"; do
  build_targets+=("convforge-fuzz-$target")
done
CONVFORGE_BUILD_DIR="$BUILD_DIR" CONVFORGE_BUILD_TARGETS="${build_targets[*]}" \
  scripts/build.sh -DCONVFORGE_SANITIZERS="address;undefined" \
  -DCONVFORGE_BUILD_FUZZERS=ON

# As CMake sets them for the tests (CONVFORGE_SANITIZER_ENVIRONMENT).
export ASAN_OPTIONS="allow_user_poisoning=0:detect_leaks=1:external_symbolizer_path=/usr/lib/llvm-22/bin/llvm-symbolizer${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

summary=()
failed=0
for target in "${targets[@]}"; do
  binary="$root/$BUILD_DIR/fuzz/convforge-fuzz-$target"
  work="$root/$BUILD_DIR/fuzz-runs/$target"
  mkdir -p "$work/corpus"
  inputs=("$work/corpus" "$root/fuzz/corpus/$target")
  if [ -d "fuzz/regressions/$target" ]; then
    inputs+=("$root/fuzz/regressions/$target")
  fi
  options=(-max_total_time="$SECONDS_PER_TARGET" -timeout=10
    -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1
    -artifact_prefix="$work/")
  if [ -f "fuzz/dict/$target.dict" ]; then
    options+=(-dict="$root/fuzz/dict/$target.dict")
  fi
  echo "== fuzz $target for ${SECONDS_PER_TARGET} s"
  status=0
  # Relative paths in the inputs (weights files) resolve in the work
  # directory, which has none.
  (cd "$work" && "$binary" "${options[@]}" "${inputs[@]}") >"$work/log" 2>&1 ||
    status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -1)
  corpus=$(find "$work/corpus" -type f | wc -l)
  summary+=("$(printf '%-12s %12s executions  %6s new inputs  status %s' \
    "$target" "${runs:-?}" "$corpus" "$status")")
  if [ "$status" -ne 0 ]; then
    failed=1
    echo "fuzz: $target failed (status $status); its input:" >&2
    ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* \
      2>/dev/null >&2 || true
    tail -60 "$work/log" >&2
  fi
done

echo
echo "fuzz summary (${SECONDS_PER_TARGET} s per target):"
printf '  %s\n' "${summary[@]}"
exit "$failed"
