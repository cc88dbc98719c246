//===- Pipelines.h - The compiler's pass pipelines --------------*- C++ -*-===//
//
// The one definition of how a network in the cnn dialect becomes LLVM: every
// tool (convforge-opt, the JIT, the AOT compiler) builds its pass manager
// from these functions. The stages can also be run one by one, to inspect
// the IR between them:
//
//   convforge-lower-to-linalg   shape inference, cnn -> linalg on tensors
//   convforge-codegen           strategy selection, tiling, vectorization
//   convforge-bufferize         memref signature, one-shot bufferization
//   convforge-convert-to-llvm   conversion to the LLVM dialect
//   convforge-lower-to-llvm     all of the above
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_PIPELINES_PIPELINES_H
#define CONVFORGE_PIPELINES_PIPELINES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace convforge {

/// Overrides of the target description used by strategy selection
/// (0: detect from the host).
struct CodegenOptions : public mlir::PassPipelineOptions<CodegenOptions> {
  Option<int64_t> vectorBits{*this, "vector-bits",
                             llvm::cl::desc("Vector register width in bits "
                                            "(0: the host's)"),
                             llvm::cl::init(0)};
  Option<int64_t> vectorRegisters{
      *this, "vector-registers",
      llvm::cl::desc("Number of vector registers (0: the host's)"),
      llvm::cl::init(0)};
  Option<int64_t> l1KiB{*this, "l1-kib",
                        llvm::cl::desc("L1 data cache in KiB (0: the host's)"),
                        llvm::cl::init(0)};
  Option<int64_t> l2KiB{*this, "l2-kib",
                        llvm::cl::desc("L2 cache in KiB (0: the host's)"),
                        llvm::cl::init(0)};
  Option<int64_t> threads{
      *this, "threads",
      llvm::cl::desc("Threads the generated code runs on (1: serial code; "
                     "more: parallel tile loops through OpenMP)"),
      llvm::cl::init(1)};
};

/// Shape inference, constant filters packed into the blocked layout the
/// kernels read, then cnn -> linalg on tensors.
void buildLowerToLinalgPipeline(mlir::OpPassManager &pm,
                                const CodegenOptions &options);

/// Strategy selection, tiling, vectorization and vector lowering.
void buildCodegenPipeline(mlir::OpPassManager &pm,
                          const CodegenOptions &options);

/// Caller-owned memref signatures, one-shot bufferization, deallocation.
void buildBufferizePipeline(mlir::OpPassManager &pm);

/// Conversion of loops, vectors, memrefs and functions to the LLVM dialect.
/// Parallel loops become OpenMP on `options.threads` threads.
void buildConvertToLLVMPipeline(mlir::OpPassManager &pm,
                                const CodegenOptions &options);

/// The whole compiler: all of the above, in order.
void buildLowerToLLVMPipeline(mlir::OpPassManager &pm,
                              const CodegenOptions &options);

/// Registers the pipelines above under their names (see the file comment).
void registerPipelines();

/// Runs `pm` on `module` as the compiler drivers do: the IR is verified once,
/// after the last pass, rather than after every pass as convforge-opt (the
/// tool the passes are tested with) does: verifying VGG-16 after each of
/// the ~40 passes made its passes take 0.7 s instead of 0.5.
mlir::LogicalResult runPipeline(mlir::PassManager &pm, mlir::ModuleOp module);

} // namespace convforge

#endif // CONVFORGE_PIPELINES_PIPELINES_H
