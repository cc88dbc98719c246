//===- PaddedBuffer.h - A padded tensor as a buffer with filled borders ---===//
//
// `tensor.pad` bufferizes to a buffer filled with the padding value, then a
// copy of the source into it: every element is written twice. Built
// explicitly, the buffer has only its four border strips filled, and the
// source either is inserted (so that its producer can compute into the
// interior, by empty-tensor elimination) or is copied by a linalg.generic,
// which is then tiled, vectorized and shared among threads like any
// elementwise op.
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_LIB_CODEGEN_PADDEDBUFFER_H
#define CONVFORGE_LIB_CODEGEN_PADDEDBUFFER_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

namespace convforge {

/// Whether `pad` pads the spatial dimensions (1 and 2) of a static 4-D
/// NHWC tensor with a constant.
bool isStaticSpatialConstantPad(mlir::tensor::PadOp pad);

struct PaddedBuffer {
  /// The padded tensor: the buffer with the source inserted.
  mlir::Value value;
  /// The copy of the source into the buffer's interior, if any.
  mlir::linalg::GenericOp copy;
};

/// Replaces `pad` (isStaticSpatialConstantPad) by an insertion of its source
/// into a buffer created at `insertionPoint` (before the pad), whose border
/// strips alone are filled with the padding value. With `copySource`, the
/// source is copied into the interior by a linalg.generic; otherwise it is
/// inserted as it is.
PaddedBuffer replaceWithPaddedBuffer(mlir::RewriterBase &rewriter,
                                     mlir::tensor::PadOp pad,
                                     mlir::Operation *insertionPoint,
                                     bool copySource);

} // namespace convforge

#endif // CONVFORGE_LIB_CODEGEN_PADDEDBUFFER_H
