#!/usr/bin/env bash
# The main job on the built-in example: installs what is missing, builds, and
# prints the CS231n volume arithmetic of the first AlexNet layer and of the
# whole network, with every intermediate shape inferred from the input.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
scripts/build.sh

BUILD_DIR="${CONVFORGE_BUILD_DIR:-build}"
examples=("$@")
if [ "${#examples[@]}" -eq 0 ]; then
  examples=(examples/alexnet-conv1.mlir examples/alexnet.mlir)
fi
for file in "${examples[@]}"; do
  echo
  echo "\$ convforge-opt --cnn-shape-inference --cnn-print-stats -o /dev/null $file"
  "$BUILD_DIR/bin/convforge-opt" --cnn-shape-inference --cnn-print-stats -o /dev/null "$file"
done
