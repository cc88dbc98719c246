//===- Vectorize.cpp - The convforge-vectorize pass -----------------------===//

#include "ConvForge/Codegen/Passes.h"

#include "Utils.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

namespace convforge {
#define GEN_PASS_DEF_CONVFORGEVECTORIZE
#include "ConvForge/Codegen/Passes.h.inc"
} // namespace convforge

using namespace mlir;
using namespace convforge;

/// Vectorizes every linalg op of a register tile (marked by convforge-tile).
/// Ops that the vectorizer does not support (e.g. a locally-connected generic,
/// whose input map is not a projected permutation) stay linalg ops and become
/// loops later.
static void vectorizeTiledOps(func::FuncOp func) {
  SmallVector<linalg::LinalgOp> candidates;
  func.walk([&](linalg::LinalgOp op) {
    // The 1-D forms come only from decomposing register tiles, whose marks
    // the decomposition does not copy.
    bool isTile = op->hasAttr(cnn::CnnDialect::kRegisterTileAttrName) ||
                  isa<linalg::Conv1DNwcWcfOp, linalg::PoolingNwcMaxOp,
                      linalg::PoolingNwcSumOp>(op);
    if (isTile && op.hasPureTensorSemantics() && !op.hasDynamicShape())
      candidates.push_back(op);
  });
  IRRewriter rewriter(func.getContext());
  for (linalg::LinalgOp op : candidates) {
    rewriter.setInsertionPoint(op);
    FailureOr<linalg::VectorizationResult> result =
        linalg::vectorize(rewriter, op);
    if (succeeded(result))
      rewriter.replaceOp(op, result->replacements);
    else
      op->removeAttr(cnn::CnnDialect::kRegisterTileAttrName);
  }
}

/// Moves loop-invariant code out of every loop, then hoists the read and
/// write of each loop-carried accumulator slice, innermost loops first, so
/// that an output tile is carried in registers across the reduction loops
/// instead of being stored and reloaded in every iteration.
static void hoistAccumulators(func::FuncOp func) {
  SmallVector<LoopLikeOpInterface> loops;
  func.walk([&](LoopLikeOpInterface loop) { loops.push_back(loop); });
  IRRewriter rewriter(func.getContext());
  for (LoopLikeOpInterface loop : loops) {
    moveLoopInvariantCode(loop);
    (void)hoistLoopInvariantSubsets(rewriter, loop);
  }
}

namespace {
struct VectorizePass
    : public convforge::impl::ConvForgeVectorizeBase<VectorizePass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    // conv_2d_nhwc_hwcf -> conv_1d_nwc_wcf and pooling_nhwc_* -> pooling_nwc_*
    // where the tiling left unit OH and FH.
    applyPatternGroup(func, [](RewritePatternSet &patterns) {
      linalg::populateDecomposeConvolutionPatterns(patterns);
    });
    vectorizeTiledOps(func);
    canonicalizeAndCse(func);
    hoistAccumulators(func);
    canonicalizeAndCse(func);
  }
};
} // namespace
