//===- CnnToLinalg.h - Lowering of cnn ops to linalg ------------*- C++ -*-===//
//
// The patterns that rewrite cnn ops into linalg, tensor and arith ops on
// tensors. They are a library so that pipelines can combine them with other
// patterns; the convert-cnn-to-linalg pass only applies them.
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_CONVERSION_CNNTOLINALG_CNNTOLINALG_H
#define CONVFORGE_CONVERSION_CNNTOLINALG_CNNTOLINALG_H

#include "mlir/Support/LLVM.h"

namespace mlir {
class Operation;
class RewritePatternSet;
} // namespace mlir

namespace convforge {

/// Adds the patterns lowering every cnn op to `patterns`. Each pattern
/// requires fully static operand and result shapes and fails to match
/// otherwise.
void populateCnnToLinalgConversionPatterns(mlir::RewritePatternSet &patterns);

/// Fails, with an error on `op`, if one of its operands or results does not
/// have a fully static shape (the lowering needs them all).
mlir::LogicalResult verifyStaticShapesForLowering(mlir::Operation *op);

} // namespace convforge

#endif // CONVFORGE_CONVERSION_CNNTOLINALG_CNNTOLINALG_H
