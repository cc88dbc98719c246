#!/usr/bin/env bash
# The main job on the built-in examples: installs what is missing, builds,
# then compiles and runs the CS231n notes' first AlexNet layer and the whole
# AlexNet with the JIT, showing the volume arithmetic of every layer, the
# timing, and the check against the reference implementation.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
scripts/build.sh

BUILD_DIR="${CONVFORGE_BUILD_DIR:-build}"
examples=("$@")
if [ "${#examples[@]}" -eq 0 ]; then
  examples=(examples/alexnet-conv1.yaml examples/alexnet.yaml)
fi
for file in "${examples[@]}"; do
  echo
  echo "\$ convforge-run $file --summary --repeat 10 --check"
  "$BUILD_DIR/bin/convforge-run" "$file" --summary --repeat 10 --check
done
