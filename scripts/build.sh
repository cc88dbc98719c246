#!/usr/bin/env bash
# Configures (once) and builds ConvForge in build/ with clang 22, lld and,
# when available, ccache. Extra arguments go to the CMake configure step;
# CONVFORGE_BUILD_TARGETS (space-separated) builds only those targets.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR="${CONVFORGE_BUILD_DIR:-build}"
JOBS="${CONVFORGE_JOBS:-$(nproc)}"

if [ ! -f "$BUILD_DIR/build.ninja" ] || [ "$#" -gt 0 ]; then
  launcher=()
  if command -v ccache >/dev/null 2>&1; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  fi
  cmake -G Ninja -S . -B "$BUILD_DIR" \
    -DCMAKE_BUILD_TYPE=Release \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DLLVM_USE_LINKER=lld \
    "${launcher[@]}" "$@"
fi
targets=()
for target in ${CONVFORGE_BUILD_TARGETS:-}; do
  targets+=(--target "$target")
done
cmake --build "$BUILD_DIR" -j "$JOBS" "${targets[@]}"
