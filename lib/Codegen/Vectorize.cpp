//===- Vectorize.cpp - The convforge-vectorize pass -----------------------===//

#include "ConvForge/Codegen/Passes.h"

#include "Utils.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
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

namespace {
/// Forwards a vector written over a whole tensor to a read of that whole
/// tensor: `transfer_read(transfer_write(%v, %t))` at zero indices, both in
/// bounds, the read dropping only leading unit dimensions, is
/// `shape_cast(%v)`. This is the accumulator's initial value (the fill or
/// bias broadcast) read back at the start of a register tile; without the
/// forwarding, the tile would be stored into a temporary and reloaded.
struct ForwardWholeTensorWrite : OpRewritePattern<vector::TransferReadOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(vector::TransferReadOp read,
                                PatternRewriter &rewriter) const override {
    auto write = read.getBase().getDefiningOp<vector::TransferWriteOp>();
    if (!write || write.getMask() || read.getMask())
      return failure();
    auto tensorType = dyn_cast<RankedTensorType>(write.getBase().getType());
    VectorType written = write.getVectorType();
    VectorType wanted = read.getVectorType();
    if (!tensorType || !tensorType.hasStaticShape() ||
        written.getShape() != tensorType.getShape() ||
        written.getElementType() != wanted.getElementType() ||
        written.getNumElements() != wanted.getNumElements())
      return failure();
    auto isZero = [](Value index) { return isConstantIntValue(index, 0); };
    if (!llvm::all_of(write.getIndices(), isZero) ||
        !llvm::all_of(read.getIndices(), isZero) ||
        !write.getPermutationMap().isMinorIdentity() ||
        !read.getPermutationMap().isMinorIdentity() ||
        llvm::is_contained(write.getInBoundsValues(), false) ||
        llvm::is_contained(read.getInBoundsValues(), false))
      return failure();
    // The read's shape is the tensor's with leading unit dimensions dropped.
    ArrayRef<int64_t> dropped =
        tensorType.getShape().drop_back(wanted.getRank());
    if (tensorType.getShape().take_back(wanted.getRank()) !=
            wanted.getShape() ||
        llvm::any_of(dropped, [](int64_t d) { return d != 1; }))
      return failure();
    rewriter.replaceOpWithNewOp<vector::ShapeCastOp>(read, wanted,
                                                     write.getVector());
    return success();
  }
};
} // namespace

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
    // Hoisting leaves the accumulator's initial value (the fill or bias
    // broadcast) written into the tile and read back right away: forward it
    // as a vector, so the tile needs no temporary.
    applyPatternGroup(func, [](RewritePatternSet &patterns) {
      tensor::populateFoldTensorSubsetIntoVectorTransferPatterns(patterns);
      patterns.add<ForwardWholeTensorWrite>(patterns.getContext());
    });
    canonicalizeAndCse(func);
  }
};
} // namespace
