//===- Passes.h - Code generation passes ------------------------*- C++ -*-===//

#ifndef CONVFORGE_CODEGEN_PASSES_H
#define CONVFORGE_CODEGEN_PASSES_H

#include "ConvForge/Dialect/Cnn/IR/CnnDialect.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace convforge {

#define GEN_PASS_DECL
#include "ConvForge/Codegen/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "ConvForge/Codegen/Passes.h.inc"

} // namespace convforge

#endif // CONVFORGE_CODEGEN_PASSES_H
