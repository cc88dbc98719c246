//===- InitAll.h - Register ConvForge's dialects and passes -----*- C++ -*-===//
//
// One place that lists what the tools register, so that convforge-opt, the
// JIT and the compilers see the same dialects, passes and pipelines.
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_INITALL_H
#define CONVFORGE_INITALL_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace convforge {

/// Registers the cnn dialect and every upstream dialect, interface model
/// (TilingInterface, bufferization, conversion to LLVM) and LLVM IR
/// translation that the pipeline uses.
void registerAllDialects(mlir::DialectRegistry &registry);

/// Registers every ConvForge pass and pipeline, and the upstream passes
/// useful to inspect or continue the pipeline's output, with the global
/// registry.
void registerAllPasses();

} // namespace convforge

#endif // CONVFORGE_INITALL_H
