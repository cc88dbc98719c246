//===- NetworkStats.h - Volume arithmetic of a network ----------*- C++ -*-===//
//
// The CS231n notes' arithmetic per layer: output volume, neurons, parameters
// with and without sharing, multiply-accumulates. Used by the
// `cnn-print-stats` pass and by the command-line tools' summaries.
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_DIALECT_CNN_ANALYSIS_NETWORKSTATS_H
#define CONVFORGE_DIALECT_CNN_ANALYSIS_NETWORKSTATS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Support/LLVM.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <string>

namespace convforge::cnn {

/// The arithmetic of one layer. Counts are per image, except `batch`.
struct LayerStats {
  std::string name; ///< from the op's NameLoc, else "<op>_<index>"
  std::string op;   ///< the op's mnemonic, e.g. "conv2d"
  /// Output shape without the batch: H×W×D for volumes, M for vectors.
  llvm::SmallVector<int64_t, 3> outputShape;
  int64_t batch = 1;
  int64_t neurons = 0;
  int64_t weights = 0;
  int64_t biases = 0;
  /// Weights and biases if every neuron had its own (no sharing).
  int64_t unsharedParams = 0;
  /// Multiply-accumulates for one image.
  int64_t macs = 0;

  int64_t params() const { return weights + biases; }
};

/// Computes the stats of every `cnn` op of `func`, in order. Fails with an
/// error on the op when a shape is not static or a count overflows int64.
mlir::FailureOr<llvm::SmallVector<LayerStats>>
computeNetworkStats(mlir::func::FuncOp func);

/// Prints `layers` as a table followed by the totals.
void printNetworkStats(llvm::raw_ostream &os, llvm::StringRef title,
                       llvm::ArrayRef<LayerStats> layers);

} // namespace convforge::cnn

#endif // CONVFORGE_DIALECT_CNN_ANALYSIS_NETWORKSTATS_H
