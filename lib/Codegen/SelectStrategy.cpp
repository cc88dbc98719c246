//===- SelectStrategy.cpp - The convforge-select-strategy pass ------------===//

#include "ConvForge/Codegen/Passes.h"
#include "ConvForge/Codegen/StrategySelection.h"

namespace convforge {
#define GEN_PASS_DEF_CONVFORGESELECTSTRATEGY
#include "ConvForge/Codegen/Passes.h.inc"
} // namespace convforge

using namespace mlir;
using namespace convforge;

namespace {
struct SelectStrategyPass
    : public convforge::impl::ConvForgeSelectStrategyBase<SelectStrategyPass> {
  using ConvForgeSelectStrategyBase::ConvForgeSelectStrategyBase;

  void runOnOperation() override {
    TargetDescription target = TargetDescription::host();
    if (vectorBits > 0)
      target.vectorBits = vectorBits;
    if (numVectorRegisters > 0)
      target.numVectorRegisters = numVectorRegisters;
    if (l1KiB > 0)
      target.l1Bytes = l1KiB * 1024;
    if (l2KiB > 0)
      target.l2Bytes = l2KiB * 1024;
    if (threads < 1) {
      getOperation().emitError()
          << "threads must be at least 1, got " << threads;
      return signalPassFailure();
    }
    target.threads = threads;
    if (target.vectorBits % 32 != 0 || target.vectorBits < 32) {
      getOperation().emitError()
          << "vector-bits must be a positive multiple of 32, got "
          << target.vectorBits;
      return signalPassFailure();
    }

    getOperation().walk([&](linalg::LinalgOp op) {
      // Ops already inside tile loops were placed there by an earlier tiling.
      if (op->getParentOfType<scf::ForOp>() ||
          op->getParentOfType<scf::ForallOp>())
        return;
      // A strategy written in the input (by hand, or by an earlier run) is
      // kept: it is how a strategy is tried out or pinned.
      if (op->hasAttr(cnn::CnnDialect::kStrategyAttrName))
        return;
      if (cnn::StrategyAttr strategy = selectStrategy(op, target))
        op->setAttr(cnn::CnnDialect::kStrategyAttrName, strategy);
    });
  }
};
} // namespace
