//===- PrintStats.cpp - The cnn-print-stats pass --------------------------===//

#include "ConvForge/Dialect/Cnn/Analysis/NetworkStats.h"
#include "ConvForge/Dialect/Cnn/IR/CnnDialect.h"
#include "ConvForge/Dialect/Cnn/Transforms/Passes.h"

namespace convforge::cnn {
#define GEN_PASS_DEF_CNNPRINTSTATS
#include "ConvForge/Dialect/Cnn/Transforms/Passes.h.inc"
} // namespace convforge::cnn

using namespace mlir;
using namespace convforge::cnn;

namespace {
struct CnnPrintStatsPass
    : public convforge::cnn::impl::CnnPrintStatsBase<CnnPrintStatsPass> {
  using CnnPrintStatsBase::CnnPrintStatsBase;

  void runOnOperation() override {
    raw_ostream &os = toStderr ? llvm::errs() : llvm::outs();
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      bool hasLayers = llvm::any_of(func.getBody().getOps(), [](Operation &op) {
        return isa_and_nonnull<CnnDialect>(op.getDialect());
      });
      if (!hasLayers)
        continue;
      FailureOr<SmallVector<LayerStats>> layers = computeNetworkStats(func);
      if (failed(layers))
        return signalPassFailure();
      printNetworkStats(os, ("Network @" + func.getSymName()).str(), *layers);
    }
    os.flush();
    markAllAnalysesPreserved();
  }
};
} // namespace
