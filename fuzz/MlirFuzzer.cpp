//===- MlirFuzzer.cpp - Networks in the cnn dialect -----------------------===//
//
// Parsing and verifying cnn-dialect IR (with the func, arith and tensor ops
// a network uses), then shape inference and the reference, as the tools see
// a .mlir file (NetworkFuzzer.h).
//
//===----------------------------------------------------------------------===//

#include "NetworkFuzzer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  convforge::fuzz::runNetworkFile(data, size, "fuzz.mlir");
  return 0;
}
