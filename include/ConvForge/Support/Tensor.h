//===- Tensor.h - A dense f32 array with its shape ---------------*- C++
//-*-===//
//
// The value type shared by the reference kernels, the array file readers
// (.npy, .safetensors) and the command-line tools. No MLIR dependency.
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_SUPPORT_TENSOR_H
#define CONVFORGE_SUPPORT_TENSOR_H

#include "ConvForge/Support/AlignedFloats.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <string>

namespace convforge {

/// A dense f32 tensor in row-major order (the last dimension varies
/// fastest), so an NHWC volume stores the depth of each pixel contiguously.
/// Its data starts on a cache line, so that compiled code reads and writes
/// it in whole cache lines.
struct Tensor {
  llvm::SmallVector<int64_t, 6> shape;
  AlignedFloats data;

  Tensor() = default;
  /// A tensor of `shape` with every element `fill`.
  explicit Tensor(llvm::ArrayRef<int64_t> shape, float fill = 0.0f);
  /// A tensor of `shape` holding `data` (row-major); the sizes must agree
  /// (see isWellFormed).
  Tensor(llvm::ArrayRef<int64_t> shape, AlignedFloats data);

  int64_t rank() const { return static_cast<int64_t>(shape.size()); }
  /// The product of the dimensions (1 for a rank-0 tensor).
  int64_t numElements() const;
  /// Whether every dimension is non-negative and `data` has exactly
  /// numElements() values.
  bool isWellFormed() const;
  /// The row-major position of `indices` in `data` (one index per
  /// dimension, each in range; unchecked).
  int64_t index(llvm::ArrayRef<int64_t> indices) const;
  float &at(llvm::ArrayRef<int64_t> indices) { return data[index(indices)]; }
  float at(llvm::ArrayRef<int64_t> indices) const {
    return data[index(indices)];
  }
};

/// Formats a shape as "1x3x3x2" (as in tensor types), for messages.
std::string formatShape(llvm::ArrayRef<int64_t> shape);

} // namespace convforge

#endif // CONVFORGE_SUPPORT_TENSOR_H
