//===- convforge-opt.cpp - ConvForge's mlir-opt -----------------*- C++ -*-===//
//
// Parses MLIR with the cnn dialect, runs passes and pipelines on it and
// prints the result: the tool behind the lit tests and the way to inspect
// any stage of the compiler (e.g. --convforge-lower-to-linalg,
// --convforge-codegen, --convforge-lower-to-llvm).
//
//===----------------------------------------------------------------------===//

#include "ConvForge/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  convforge::registerAllPasses();
  mlir::DialectRegistry registry;
  convforge::registerAllDialects(registry);
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "ConvForge optimizer driver\n", registry));
}
