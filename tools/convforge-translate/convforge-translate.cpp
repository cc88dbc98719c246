//===- convforge-translate.cpp - LLVM IR from the LLVM dialect --*- C++ -*-===//
//
// Translates the output of the pipeline (the LLVM dialect) to LLVM IR:
//   convforge-opt --convforge-lower-to-llvm net.mlir |
//     convforge-translate --mlir-to-llvmir
//
//===----------------------------------------------------------------------===//

#include "ConvForge/InitAll.h"

#include "mlir/InitAllTranslations.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

int main(int argc, char **argv) {
  mlir::registerAllTranslations();
  return mlir::failed(
      mlir::mlirTranslateMain(argc, argv, "ConvForge translation driver\n"));
}
