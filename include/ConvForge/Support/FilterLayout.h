//===- FilterLayout.h - Blocked storage of convolution filters --*- C++ -*-===//
//
// The filter layouts of `cnn.conv2d`: the plain K×FH×FW×D (filter-major, the
// notes' layout) and the blocked (K/B)×FH×FW×D×B that the generated kernels
// read, B output channels contiguous per tap and one block after the other.
// Used by the compiler, which packs constant filters at compile time, and by
// the reference, which reads blocked filters. No MLIR dependency.
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_SUPPORT_FILTERLAYOUT_H
#define CONVFORGE_SUPPORT_FILTERLAYOUT_H

#include "llvm/ADT/ArrayRef.h"

#include <array>
#include <cstdint>

namespace convforge {

/// Writes the K×FH×FW×D filter `plain` (shape `kfhwd`) to `blocked` as
/// (K/B)×FH×FW×D×B. `block` divides K; both arrays hold K·FH·FW·D values.
void packFilterBlocked(llvm::ArrayRef<float> plain,
                       std::array<int64_t, 4> kfhwd, int64_t block,
                       llvm::MutableArrayRef<float> blocked);

/// The inverse of packFilterBlocked: `blocked` back to K×FH×FW×D.
void unpackFilterBlocked(llvm::ArrayRef<float> blocked,
                         std::array<int64_t, 4> kfhwd, int64_t block,
                         llvm::MutableArrayRef<float> plain);

} // namespace convforge

#endif // CONVFORGE_SUPPORT_FILTERLAYOUT_H
