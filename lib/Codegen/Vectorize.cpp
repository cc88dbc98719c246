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

/// Whether `write` writes every element of its (static) tensor: zero
/// indices, in bounds, the vector's shape the tensor's with leading unit
/// dimensions dropped.
static bool writesWholeTensor(vector::TransferWriteOp write) {
  auto tensorType = dyn_cast<RankedTensorType>(write.getBase().getType());
  VectorType vectorType = write.getVectorType();
  if (!tensorType || !tensorType.hasStaticShape() || write.getMask() ||
      !write.getPermutationMap().isMinorIdentity() ||
      llvm::is_contained(write.getInBoundsValues(), false) ||
      !llvm::all_of(write.getIndices(),
                    [](Value index) { return isConstantIntValue(index, 0); }))
    return false;
  ArrayRef<int64_t> shape = tensorType.getShape();
  ArrayRef<int64_t> dropped = shape.drop_back(vectorType.getRank());
  return shape.take_back(vectorType.getRank()) == vectorType.getShape() &&
         llvm::all_of(dropped, [](int64_t d) { return d == 1; });
}

namespace {
/// Drops a whole-tensor write that another whole-tensor write overwrites:
/// `transfer_write(%b, transfer_write(%a, %t))` is `transfer_write(%b, %t)`.
/// This is a register tile's initial value (a pool's -inf fill, a conv's
/// bias) written into the output tile before the loops that compute the
/// tile, then overwritten by their result: left, it would be a dead store
/// of every output element.
struct ElideOverwrittenWrite : OpRewritePattern<vector::TransferWriteOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(vector::TransferWriteOp write,
                                PatternRewriter &rewriter) const override {
    auto earlier = write.getBase().getDefiningOp<vector::TransferWriteOp>();
    if (!earlier || !earlier->hasOneUse() || !writesWholeTensor(write) ||
        !writesWholeTensor(earlier))
      return failure();
    rewriter.modifyOpInPlace(
        write, [&] { write.getBaseMutable().assign(earlier.getBase()); });
    return success();
  }
};

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

/// The blocks holding a max pool's register tile (after decomposition to
/// 1-D), where vectorization will put its vector maxima.
static llvm::SmallPtrSet<Block *, 8> getMaxPoolTileBlocks(func::FuncOp func) {
  llvm::SmallPtrSet<Block *, 8> blocks;
  func.walk([&](Operation *op) {
    if (isa<linalg::PoolingNwcMaxOp, linalg::PoolingNhwcMaxOp>(op))
      blocks.insert(op->getBlock());
  });
  return blocks;
}

/// Marks the vector maxima of max pools `nnan nsz`: LLVM then lowers each
/// to a single vmaxps (or its like) instead of a sequence that propagates
/// NaN and orders -0 below +0 (four instructions, which made a max pool
/// ~1.4x slower). A window holding a NaN then gives an unspecified value
/// (as oneDNN's pooling does) rather than NaN, and the maximum of -0 and +0
/// either zero. Only the maxima in the pools' tiles are marked (not, e.g.,
/// the ReLU after a convolution).
static void relaxMaxPoolNaNs(const llvm::SmallPtrSet<Block *, 8> &blocks) {
  for (Block *block : blocks)
    block->walk([&](arith::MaximumFOp max) {
      if (!isa<VectorType>(max.getType()))
        return;
      max.setFastmath(max.getFastmath() | arith::FastMathFlags::nnan |
                      arith::FastMathFlags::nsz);
    });
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
    llvm::SmallPtrSet<Block *, 8> maxPoolBlocks = getMaxPoolTileBlocks(func);
    vectorizeTiledOps(func);
    relaxMaxPoolNaNs(maxPoolBlocks);
    canonicalizeAndCse(func);
    hoistAccumulators(func);
    canonicalizeAndCse(func);
    // Hoisting leaves the accumulator's initial value (the fill or bias
    // broadcast) written into the tile and read back right away: forward it
    // as a vector, so the tile needs no temporary.
    applyPatternGroup(func, [](RewritePatternSet &patterns) {
      tensor::populateFoldTensorSubsetIntoVectorTransferPatterns(patterns);
      patterns.add<ForwardWholeTensorWrite, ElideOverwrittenWrite>(
          patterns.getContext());
    });
    canonicalizeAndCse(func);
  }
};
} // namespace
