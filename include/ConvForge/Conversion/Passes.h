//===- Passes.h - Conversions out of the cnn dialect ------------*- C++ -*-===//

#ifndef CONVFORGE_CONVERSION_PASSES_H
#define CONVFORGE_CONVERSION_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

namespace convforge {

#define GEN_PASS_DECL
#include "ConvForge/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "ConvForge/Conversion/Passes.h.inc"

} // namespace convforge

#endif // CONVFORGE_CONVERSION_PASSES_H
