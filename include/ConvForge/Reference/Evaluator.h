//===- Evaluator.h - Interpret a cnn function with the reference -*- C++
//-*-===//
//
// Runs a whole network, written as a function of `cnn` ops, through the
// reference kernels of Reference.h: the numerical oracle the compiled code
// of the same function is compared with.
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_REFERENCE_EVALUATOR_H
#define CONVFORGE_REFERENCE_EVALUATOR_H

#include "ConvForge/Reference/Reference.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Support/LLVM.h"

#include <vector>

namespace convforge::reference {

/// Evaluates `func` on `arguments` (one tensor per function argument, whose
/// shape must match the argument's type wherever the type knows it) and
/// returns the values of its `func.return`, in order.
///
/// The body must be a single block of `cnn` ops and `func.return`; f32
/// constants (`arith.constant` weights, `dense` or `dense_resource`, as the
/// spec frontend emits them) and `tensor.cast`,
/// which the shape inference pass may insert, are accepted too. Meant for
/// functions after `cnn-shape-inference`; every computed value is checked
/// against its op's result type. Anything else, an invalid operand or a
/// mismatched argument is reported with emitError on the offending op (or
/// on the function) and gives failure.
mlir::FailureOr<std::vector<Tensor>>
evaluateReference(mlir::func::FuncOp func, llvm::ArrayRef<Tensor> arguments);

} // namespace convforge::reference

#endif // CONVFORGE_REFERENCE_EVALUATOR_H
