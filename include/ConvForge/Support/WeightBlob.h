//===- WeightBlob.h - Storage of a network's weights ------------*- C++ -*-===//
//
// The compiled code reads a network's weights where the frontends stored
// them: the JIT passes each weight constant's resource blob without a copy
// (driver::outlineWeights). A blob aligned for floats only starts wherever
// malloc puts it, 16 bytes past a page boundary for a large one, and then
// every 64-byte vector load of a dense layer's weights spans two cache
// lines: AlexNet's dense layers, which stream 235 MB of weights per pass,
// ran 15-20 % slower on such weights than on weights that start on a cache
// line (measured side by side, one thread). Every weight blob is therefore
// allocated here, on a cache line.
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_SUPPORT_WEIGHTBLOB_H
#define CONVFORGE_SUPPORT_WEIGHTBLOB_H

#include "ConvForge/Support/AlignedFloats.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/DialectResourceBlobManager.h"

namespace convforge {

/// A mutable blob of `bytes` uninitialized bytes for weights, starting on a
/// cache line.
inline mlir::AsmResourceBlob allocateWeightBlob(std::size_t bytes) {
  return mlir::HeapAsmResourceBlob::allocate(bytes, kBufferAlignment,
                                             /*dataIsMutable=*/true);
}

/// A copy of `weights` in a blob that starts on a cache line.
inline mlir::AsmResourceBlob copyToWeightBlob(llvm::ArrayRef<float> weights) {
  llvm::ArrayRef<char> bytes(reinterpret_cast<const char *>(weights.data()),
                             weights.size() * sizeof(float));
  return mlir::HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes,
                                                             kBufferAlignment);
}

} // namespace convforge

#endif // CONVFORGE_SUPPORT_WEIGHTBLOB_H
