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

/// Vectorizes every linalg op inside a tile loop. Ops that the vectorizer
/// does not support (e.g. a locally-connected generic, whose input map is not
/// a projected permutation) stay linalg ops and become loops later.
static void vectorizeTiledOps(func::FuncOp func) {
  SmallVector<linalg::LinalgOp> candidates;
  func.walk([&](linalg::LinalgOp op) {
    if (op->getParentOfType<scf::ForOp>() && op.hasPureTensorSemantics() &&
        !op.hasDynamicShape())
      candidates.push_back(op);
  });
  IRRewriter rewriter(func.getContext());
  for (linalg::LinalgOp op : candidates) {
    rewriter.setInsertionPoint(op);
    FailureOr<linalg::VectorizationResult> result =
        linalg::vectorize(rewriter, op);
    if (succeeded(result))
      rewriter.replaceOp(op, result->replacements);
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
