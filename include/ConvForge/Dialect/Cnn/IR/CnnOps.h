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

namespace convforge::cnn {
/// The logical K×FH×FW×D1 shape of a `cnn.conv2d` filter of type
/// `filterType`: the type's own shape, or, when `filterBlock` is set, that of
/// the blocked (K/B)×FH×FW×D1×B storage. kDynamic where unknown (an unranked
/// type, a rank that does not fit the layout).
std::array<int64_t, 4>
getConvFilterShape(mlir::Type filterType,
                   std::optional<uint64_t> filterBlock = std::nullopt);
} // namespace convforge::cnn

#define GET_OP_CLASSES
#include "ConvForge/Dialect/Cnn/IR/CnnOps.h.inc"

namespace convforge::cnn {

/// The normalized window attributes of an op (defined without MLIR, for the
/// reference implementation's sake).
using ::convforge::WindowParams;

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
