//===- CnnOps.h - The cnn dialect's operations ------------------*- C++ -*-===//

#ifndef CONVFORGE_DIALECT_CNN_IR_CNNOPS_H
#define CONVFORGE_DIALECT_CNN_IR_CNNOPS_H

#include "ConvForge/Dialect/Cnn/IR/CnnDialect.h"
#include "ConvForge/Support/WindowArithmetic.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "ConvForge/Dialect/Cnn/IR/CnnOps.h.inc"

namespace convforge::cnn {

/// The stride, padding and rounding of a sliding-window op, normalized from
/// the optional, short-hand attributes (`stride [S]`, `padding [P]`, ...).
/// Index 0 is the height axis, 1 the width axis.
struct WindowParams {
  int64_t stride[2] = {1, 1};
  int64_t padBefore[2] = {0, 0}; ///< top, left
  int64_t padAfter[2] = {0, 0};  ///< bottom, right
  RoundingMode rounding = RoundingMode::Exact;

  /// The window arithmetic of `axis` for an input extent and window size.
  WindowDim dim(unsigned axis, int64_t input, int64_t window) const;
};

/// Normalizes window attributes; fails only if an attribute has a wrong
/// number of values (the verifier reports which).
std::optional<WindowParams>
getWindowParams(std::optional<llvm::ArrayRef<int64_t>> strides,
                std::optional<llvm::ArrayRef<int64_t>> padding,
                std::optional<Rounding> rounding);

/// Normalizes a pooling window (`[F]` or `[FH, FW]`) to {FH, FW}.
std::optional<std::array<int64_t, 2>>
getPoolWindow(llvm::ArrayRef<int64_t> window);

/// The normalized window parameters of a sliding-window op.
template <typename OpTy> std::optional<WindowParams> getWindowParams(OpTy op) {
  return getWindowParams(op.getStrides(), op.getPadding(), op.getRounding());
}

} // namespace convforge::cnn

#endif // CONVFORGE_DIALECT_CNN_IR_CNNOPS_H
