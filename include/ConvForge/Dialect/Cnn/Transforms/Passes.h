//===- Passes.h - Passes on the cnn dialect ---------------------*- C++ -*-===//

#ifndef CONVFORGE_DIALECT_CNN_TRANSFORMS_PASSES_H
#define CONVFORGE_DIALECT_CNN_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace convforge::cnn {

#define GEN_PASS_DECL
#include "ConvForge/Dialect/Cnn/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "ConvForge/Dialect/Cnn/Transforms/Passes.h.inc"

} // namespace convforge::cnn

#endif // CONVFORGE_DIALECT_CNN_TRANSFORMS_PASSES_H
