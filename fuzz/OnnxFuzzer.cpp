//===- OnnxFuzzer.cpp - ONNX models ---------------------------------------===//
//
// The ONNX importer (protobuf parsing, the mapping of nodes to the cnn
// dialect, its refusals) and the cnn verifier on arbitrary bytes, as the
// tools see a .onnx file (NetworkFuzzer.h). The seed corpus holds small
// models of every kind the importer maps and one per class of refusal,
// written by test/Onnx/Inputs/onnx_models.py.
//
//===----------------------------------------------------------------------===//

#include "NetworkFuzzer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  convforge::fuzz::runNetworkFile(data, size, "fuzz.onnx");
  return 0;
}
