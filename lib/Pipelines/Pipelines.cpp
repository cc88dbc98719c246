//===- Pipelines.cpp - The compiler's pass pipelines ----------------------===//

#include "ConvForge/Pipelines/Pipelines.h"

#include "ConvForge/Codegen/Passes.h"
#include "ConvForge/Conversion/Passes.h"
#include "ConvForge/Dialect/Cnn/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void convforge::buildLowerToLinalgPipeline(OpPassManager &pm,
                                           const CodegenOptions &options) {
  pm.addNestedPass<func::FuncOp>(cnn::createCnnShapeInference());
  ConvForgePackFiltersOptions packOptions;
  packOptions.vectorBits = options.vectorBits;
  pm.addNestedPass<func::FuncOp>(createConvForgePackFilters(packOptions));
  pm.addNestedPass<func::FuncOp>(createConvertCnnToLinalg());
  pm.addPass(createCanonicalizerPass());
}

void convforge::buildCodegenPipeline(OpPassManager &pm,
                                     const CodegenOptions &options) {
  ConvForgeSelectStrategyOptions strategyOptions;
  strategyOptions.vectorBits = options.vectorBits;
  strategyOptions.numVectorRegisters = options.vectorRegisters;
  strategyOptions.l1KiB = options.l1KiB;
  strategyOptions.l2KiB = options.l2KiB;
  strategyOptions.threads = options.threads;
  pm.addNestedPass<func::FuncOp>(createConvForgeSplitDotProducts());
  pm.addNestedPass<func::FuncOp>(
      createConvForgeSelectStrategy(strategyOptions));
  // The early run copies padded arguments, except those the convolutions'
  // tiles (their strategies now known) read directly; the copies then get
  // strategies of their own.
  ConvForgePadInProducerOptions copyInputs;
  copyInputs.copyInputs = true;
  pm.addNestedPass<func::FuncOp>(createConvForgePadInProducer(copyInputs));
  pm.addNestedPass<func::FuncOp>(
      createConvForgeSelectStrategy(strategyOptions));
  pm.addNestedPass<func::FuncOp>(createConvForgeTile());
  pm.addNestedPass<func::FuncOp>(createConvForgeVectorize());
  pm.addNestedPass<func::FuncOp>(createConvForgeLowerVectors());
}

void convforge::buildBufferizePipeline(OpPassManager &pm) {
  // Right before bufferization: the padded buffers it creates must not be
  // merged by CSE (two layers would then share one, and be copied apart).
  pm.addNestedPass<func::FuncOp>(createConvForgePadInProducer());
  pm.addPass(createConvForgeMemRefAbi());
  // Lets the last op of a function compute straight into the caller's
  // output buffer (materialize_in_destination) instead of a temporary.
  pm.addPass(bufferization::createEmptyTensorEliminationPass());
  bufferization::OneShotBufferizePassOptions bufferizeOptions;
  // Public signatures are already memrefs (convforge-memref-abi).
  bufferizeOptions.bufferizeFunctionBoundaries = false;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferizeOptions));
  pm.addPass(createCanonicalizerPass()); // removes self-copies
  pm.addPass(createCSEPass());
  // Frees the temporaries (padded inputs, transposed filters, activations).
  bufferization::buildBufferDeallocationPipeline(pm);
  pm.addPass(createCanonicalizerPass());
  // Self-contained code: no calls into MLIR's runtime library for copies.
  pm.addNestedPass<func::FuncOp>(createConvForgeExpandCopies());
  // The temporaries left: views into one workspace the caller passes.
  pm.addPass(createConvForgePlanWorkspace());
}

void convforge::buildConvertToLLVMPipeline(OpPassManager &pm,
                                           const CodegenOptions &options) {
  // Serial layers in functions of their own, which LLVM compiles on
  // several threads (ParallelCodegen.h).
  pm.addPass(createConvForgeOutlineLoopNests());
  // Parallel tile loops (scf.forall, only in code generated for several
  // threads) become OpenMP worksharing loops over the same iterations:
  // a static schedule gives each thread one contiguous run of tiles.
  pm.addPass(createForallToParallelLoopPass());
  ConvertSCFToOpenMPPassOptions openMPOptions;
  openMPOptions.numThreads = static_cast<unsigned>(options.threads);
  pm.addPass(createConvertSCFToOpenMPPass(openMPOptions));
  // Inlines the memref.alloca_scope that wraps each parallel body (the
  // bodies allocate nothing on the stack): lowered later, its region would
  // hold the loops' blocks, which it may not.
  pm.addPass(createCanonicalizerPass());
  // The order matters (see ../shared/TOOLCHAIN.md): vector transfers fully
  // unrolled (otherwise stack allocations land inside loops), strided
  // metadata expanded before affine is lowered, ub.poison converted.
  pm.addPass(createConvertLinalgToLoopsPass());
  pm.addPass(createConvertVectorToSCFPass(
      VectorTransferToSCFOptions().enableFullUnroll(true)));
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  ConvertVectorToLLVMPassOptions vectorOptions;
  vectorOptions.vectorContractLowering =
      vector::VectorContractLowering::OuterProduct;
  pm.addPass(createConvertVectorToLLVMPass(vectorOptions));
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createConvertOpenMPToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
}

void convforge::buildLowerToLLVMPipeline(OpPassManager &pm,
                                         const CodegenOptions &options) {
  buildLowerToLinalgPipeline(pm, options);
  buildCodegenPipeline(pm, options);
  buildBufferizePipeline(pm);
  buildConvertToLLVMPipeline(pm, options);
}

void convforge::registerPipelines() {
  PassPipelineRegistration<CodegenOptions>(
      "convforge-lower-to-linalg",
      "Infer shapes, pack constant filters and convert the cnn dialect to "
      "linalg on tensors",
      buildLowerToLinalgPipeline);
  PassPipelineRegistration<CodegenOptions>(
      "convforge-codegen",
      "Select strategies, tile, vectorize and lower vector ops",
      buildCodegenPipeline);
  PassPipelineRegistration<>(
      "convforge-bufferize",
      "Give public functions memref signatures and bufferize",
      buildBufferizePipeline);
  PassPipelineRegistration<CodegenOptions>(
      "convforge-convert-to-llvm",
      "Convert bufferized code (parallel loops: OpenMP) to the LLVM dialect",
      buildConvertToLLVMPipeline);
  PassPipelineRegistration<CodegenOptions>(
      "convforge-lower-to-llvm",
      "The whole compiler: cnn dialect to the LLVM dialect",
      buildLowerToLLVMPipeline);
}

LogicalResult convforge::runPipeline(PassManager &pm, ModuleOp module) {
  pm.enableVerifier(false);
  if (failed(pm.run(module)))
    return failure();
  return verify(module);
}
