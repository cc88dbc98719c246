//===- InitAll.h - Register ConvForge's dialects and passes ------*- C++
//-*-===//
//
// One place that lists what the tools register, so that convforge-opt and
// the drivers see the same dialects and passes.
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_INITALL_H
#define CONVFORGE_INITALL_H

#include "ConvForge/Dialect/Cnn/IR/CnnDialect.h"
#include "ConvForge/Dialect/Cnn/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"

namespace convforge {

/// Registers the cnn dialect and the upstream dialects a network uses.
inline void registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<cnn::CnnDialect, mlir::arith::ArithDialect,
                  mlir::func::FuncDialect, mlir::tensor::TensorDialect>();
}

/// Registers every ConvForge pass (and pipeline) with the global registry.
inline void registerAllPasses() { cnn::registerCnnPasses(); }

} // namespace convforge

#endif // CONVFORGE_INITALL_H
