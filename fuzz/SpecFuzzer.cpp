//===- SpecFuzzer.cpp - Network specs (YAML) ------------------------------===//
//
// The spec parser, the frontend and the cnn verifier on arbitrary bytes, as
// the tools see a .yaml file (NetworkFuzzer.h). Relative weight paths
// resolve against the working directory, where scripts/fuzz.sh puts no
// weight files.
//
//===----------------------------------------------------------------------===//

#include "NetworkFuzzer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  convforge::fuzz::runNetworkFile(data, size, "fuzz.yaml");
  return 0;
}
