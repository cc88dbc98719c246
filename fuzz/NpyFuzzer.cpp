//===- NpyFuzzer.cpp - The .npy reader ------------------------------------===//
//
// parseNpy on arbitrary bytes must fail cleanly or return a well-formed
// tensor; what it accepts must survive serializeNpy and parseNpy unchanged,
// bit for bit (NaN payloads included).
//
//===----------------------------------------------------------------------===//

#include "ConvForge/Support/NumpyFile.h"

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>

using namespace convforge;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  llvm::Expected<Tensor> tensor = parseNpy(bytes);
  if (!tensor) {
    llvm::consumeError(tensor.takeError());
    return 0;
  }
  if (!tensor->isWellFormed())
    std::abort();
  llvm::Expected<Tensor> again = parseNpy(serializeNpy(*tensor));
  if (!again || again->shape != tensor->shape ||
      again->data.size() != tensor->data.size() ||
      (!tensor->data.empty() &&
       std::memcmp(again->data.data(), tensor->data.data(),
                   tensor->data.size() * sizeof(float)) != 0))
    std::abort();
  return 0;
}
