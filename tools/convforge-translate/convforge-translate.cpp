//===- convforge-translate.cpp - Translations in and out of MLIR -*- C++
//-*-===//
//
// Imports a network spec (YAML) or an ONNX model into the cnn dialect:
//   convforge-translate --import-spec net.yaml [--spec-seed=<n>]
//   convforge-translate --import-onnx model.onnx
// and translates the output of the pipeline (the LLVM dialect) to LLVM IR:
//   convforge-opt --convforge-lower-to-llvm net.mlir |
//     convforge-translate --mlir-to-llvmir
//
//===----------------------------------------------------------------------===//

#include "ConvForge/Frontend/OnnxImporter.h"
#include "ConvForge/Frontend/SpecImporter.h"
#include "ConvForge/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllTranslations.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "mlir/Tools/mlir-translate/Translation.h"

#include "llvm/Support/CommandLine.h"

static llvm::cl::opt<uint64_t>
    specSeed("spec-seed",
             llvm::cl::desc("Seed of the generated weights of --import-spec "
                            "(overrides the spec's `seed`)"),
             llvm::cl::init(0));

/// --import-spec: the spec frontend, on the input file's SourceMgr so that
/// its diagnostics show the spec's lines.
static void registerImportSpec() {
  static mlir::TranslateToMLIRRegistration registration(
      "import-spec", "Import a network spec (YAML) into the cnn dialect",
      [](llvm::SourceMgr &sourceMgr,
         mlir::MLIRContext *context) -> mlir::OwningOpRef<mlir::Operation *> {
        convforge::SpecImportOptions options;
        if (specSeed.getNumOccurrences())
          options.seed = specSeed;
        mlir::OwningOpRef<mlir::ModuleOp> module =
            convforge::importSpec(sourceMgr, context, options);
        return mlir::OwningOpRef<mlir::Operation *>(
            module ? module.release().getOperation() : nullptr);
      },
      [](mlir::DialectRegistry &registry) {
        convforge::registerAllDialects(registry);
      });
}

/// --import-onnx: the ONNX frontend on the input file's bytes.
static void registerImportOnnx() {
  static mlir::TranslateToMLIRRegistration registration(
      "import-onnx", "Import an ONNX model into the cnn dialect",
      [](llvm::SourceMgr &sourceMgr,
         mlir::MLIRContext *context) -> mlir::OwningOpRef<mlir::Operation *> {
        const llvm::MemoryBuffer *buffer =
            sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
        mlir::OwningOpRef<mlir::ModuleOp> module = convforge::importOnnx(
            buffer->getBuffer(), buffer->getBufferIdentifier(), context);
        return mlir::OwningOpRef<mlir::Operation *>(
            module ? module.release().getOperation() : nullptr);
      },
      [](mlir::DialectRegistry &registry) {
        convforge::registerAllDialects(registry);
      });
}

int main(int argc, char **argv) {
  mlir::registerAllTranslations();
  registerImportSpec();
  registerImportOnnx();
  return mlir::failed(
      mlir::mlirTranslateMain(argc, argv, "ConvForge translation driver\n"));
}
