//===- SafeTensorsFuzzer.cpp - The .safetensors reader --------------------===//
//
// SafeTensorsFile::parse on arbitrary bytes must fail cleanly or validate
// a header whose every tensor then reads (or fails to, for a dtype other
// than F32) as a well-formed tensor of the shape the header gives.
//
//===----------------------------------------------------------------------===//

#include "ConvForge/Support/SafeTensorsFile.h"

#include "llvm/Support/MemoryBuffer.h"

#include <cstdint>
#include <cstdlib>

using namespace convforge;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::Expected<SafeTensorsFile> file =
      SafeTensorsFile::parse(llvm::MemoryBuffer::getMemBufferCopy(
          llvm::StringRef(reinterpret_cast<const char *>(data), size),
          "fuzz.safetensors"));
  if (!file) {
    llvm::consumeError(file.takeError());
    return 0;
  }
  for (const std::string &name : file->getNames()) {
    const auto *shape = file->getShape(name);
    if (!shape || !file->contains(name))
      std::abort();
    llvm::Expected<Tensor> tensor = file->read(name);
    if (!tensor) {
      if (file->getDtype(name) == "F32")
        std::abort(); // a validated F32 tensor must read
      llvm::consumeError(tensor.takeError());
      continue;
    }
    if (!tensor->isWellFormed() ||
        llvm::ArrayRef<int64_t>(tensor->shape) != llvm::ArrayRef(*shape))
      std::abort();
  }
  // An unknown name fails cleanly (its message lists near misses).
  llvm::StringRef unknown = "conv1.weigth";
  if (!file->contains(unknown)) {
    llvm::Expected<Tensor> missing = file->read(unknown);
    if (missing)
      std::abort();
    llvm::consumeError(missing.takeError());
  }
  return 0;
}
