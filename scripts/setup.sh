#!/usr/bin/env bash
# Installs the Debian 12 packages ConvForge needs (LLVM/MLIR 22 and the build
# and test tools), skipping apt entirely when everything is already there.
set -euo pipefail

PACKAGES=(
  # The compiler infrastructure and its tools (lit, FileCheck, mlir-tblgen).
  llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools
  clang-22 lld-22 libclang-rt-22-dev clang-format-22
  # LLVM's OpenMP runtime: code compiled for several threads calls it.
  libomp-22-dev
  # Build and test tools (NumPy: the .npy interoperability tests).
  cmake ninja-build ccache libgtest-dev python3 python3-numpy
  # The ONNX frontend: ONNX's generated protobuf classes and protobuf's
  # headers; for the tests, python3-onnx (models built by the tests) and
  # ONNX's backend test data (the conformance run).
  libonnx-dev libprotobuf-dev python3-onnx libonnx-testdata
)

missing=()
for package in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages are installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
echo "setup: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
