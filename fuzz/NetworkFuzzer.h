//===- NetworkFuzzer.h - What the tools do with a network file --*- C++ -*-===//
//
// Shared by the spec and MLIR fuzz targets: a network file's bytes go
// through exactly what convforge-run and convforge-compile do before code
// generation (driver::loadNetworkFromBuffer, then shape inference and the
// resource limits of driver::prepareNetwork), then the per-layer report and,
// for small networks, the reference evaluator of --check. Diagnostics are
// rendered (their formatting is code too) and dropped.
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_FUZZ_NETWORKFUZZER_H
#define CONVFORGE_FUZZ_NETWORKFUZZER_H

#include "ConvForge/Dialect/Cnn/Analysis/NetworkStats.h"
#include "ConvForge/Dialect/Cnn/IR/CnnDialect.h"
#include "ConvForge/Driver/Driver.h"
#include "ConvForge/Reference/Evaluator.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdlib>

namespace convforge::fuzz {

/// Networks up to this many multiply-accumulates are also evaluated by the
/// reference (larger ones would only make the fuzzer slow).
constexpr int64_t kMaxEvaluatedMacs = 1 << 20;

/// Runs the network file `data` named `identifier` (its extension selects
/// the format) through the tools' front half.
inline void runNetworkFile(const uint8_t *data, size_t size,
                           llvm::StringRef identifier) {
  // The dialects of a network: those the spec importer builds and the MLIR
  // files of the tools contain (the tools register more, for codegen).
  mlir::DialectRegistry registry;
  registry.insert<cnn::CnnDialect, mlir::arith::ArithDialect,
                  mlir::func::FuncDialect, mlir::tensor::TensorDialect>();
  mlir::MLIRContext context(registry, mlir::MLIRContext::Threading::DISABLED);
  std::string messages;
  mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &diag) {
    llvm::raw_string_ostream os(messages);
    os << diag.getLocation() << ": " << diag << "\n";
    for (const mlir::Diagnostic &note : diag.getNotes())
      os << note.getLocation() << ": " << note << "\n";
    return mlir::success();
  });

  llvm::SourceMgr sourceMgr;
  driver::LoadOptions options;
  // Small limits keep every input fast; the limits' arithmetic is the same.
  options.limits.maxMemoryBytes = 16 << 20;
  options.limits.maxLayers = 64;
  options.limits.extraActivationCopies = 1; // as --check
  std::optional<driver::Network> network = driver::loadNetworkFromBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(
          llvm::StringRef(reinterpret_cast<const char *>(data), size),
          identifier),
      sourceMgr, &context, options);
  if (!network || mlir::failed(driver::prepareNetwork(*network, options)))
    return;
  // What has been accepted is valid IR.
  if (mlir::failed(mlir::verify(*network->module)))
    std::abort();
  mlir::func::FuncOp entry = network->getEntry();
  mlir::FailureOr<llvm::SmallVector<cnn::LayerStats>> stats =
      cnn::computeNetworkStats(entry);
  if (mlir::failed(stats))
    return;
  std::string report;
  llvm::raw_string_ostream os(report);
  cnn::printNetworkStats(os, "fuzz", *stats);

  int64_t macs = 0;
  for (const cnn::LayerStats &layer : *stats)
    if (llvm::MulOverflow(layer.macs, layer.batch, macs) ||
        macs > kMaxEvaluatedMacs)
      return;
  // Arguments of the entry's shapes (the memory limit bounds them).
  std::vector<Tensor> arguments;
  for (mlir::Type type : entry.getArgumentTypes()) {
    auto shaped = mlir::dyn_cast<mlir::RankedTensorType>(type);
    if (!shaped || !shaped.hasStaticShape() || !shaped.getElementType().isF32())
      return;
    arguments.emplace_back(shaped.getShape(), 0.5f);
  }
  (void)reference::evaluateReference(entry, arguments);
}

} // namespace convforge::fuzz

#endif // CONVFORGE_FUZZ_NETWORKFUZZER_H
