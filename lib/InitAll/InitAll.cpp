//===- InitAll.cpp - Register ConvForge's dialects and passes -------------===//

#include "ConvForge/InitAll.h"

#include "ConvForge/Codegen/Passes.h"
#include "ConvForge/Conversion/Passes.h"
#include "ConvForge/Dialect/Cnn/IR/CnnDialect.h"
#include "ConvForge/Dialect/Cnn/Transforms/Passes.h"
#include "ConvForge/Pipelines/Pipelines.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"

void convforge::registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<cnn::CnnDialect>();
  // The pipeline goes through most of upstream (linalg, tensor, scf, vector,
  // bufferization, memref, llvm, ...) and needs their external interface
  // models, e.g. TilingInterface for linalg and BufferizableOpInterface for
  // tensor ops.
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::registerAllToLLVMIRTranslations(registry);
}

void convforge::registerAllPasses() {
  mlir::registerAllPasses();
  cnn::registerCnnPasses();
  registerConversionPasses();
  registerCodegenPasses();
  registerPipelines();
}
