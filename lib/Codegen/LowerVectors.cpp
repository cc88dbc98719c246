//===- LowerVectors.cpp - The convforge-lower-vectors pass ----------------===//

#include "ConvForge/Codegen/Passes.h"

#include "Utils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"

namespace convforge {
#define GEN_PASS_DEF_CONVFORGELOWERVECTORS
#include "ConvForge/Codegen/Passes.h.inc"
} // namespace convforge

using namespace mlir;
using namespace mlir::vector;
using namespace convforge;

namespace {
/// Reads the scalars of an input tile one by one: a `transfer_read` of a
/// tensor whose every user extracts one scalar (the inputs that a lowered
/// contraction broadcasts, one per FMA) becomes a `tensor.extract` per
/// scalar. Each is then a load that LLVM folds into a broadcast from
/// memory (`vbroadcastss mem`, or the FMA's embedded broadcast); read as a
/// vector instead, an odd-shaped tile (AlexNet conv1's 41 pixels x 3
/// channels) is assembled in registers and its scalars are extracted with
/// permutes and spills.
struct ScalarizeBroadcastReads : OpRewritePattern<vector::TransferReadOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(vector::TransferReadOp read,
                                PatternRewriter &rewriter) const override {
    auto tensorType = dyn_cast<RankedTensorType>(read.getBase().getType());
    if (!tensorType || read.getMask() || read->use_empty() ||
        !read.getPermutationMap().isMinorIdentity() ||
        llvm::is_contained(read.getInBoundsValues(), false))
      return failure();
    SmallVector<vector::ExtractOp> extracts;
    for (Operation *user : read->getUsers()) {
      auto extract = dyn_cast<vector::ExtractOp>(user);
      if (!extract || isa<VectorType>(extract.getType()) ||
          !extract.getDynamicPosition().empty())
        return failure();
      extracts.push_back(extract);
    }
    int64_t leading = tensorType.getRank() - read.getVectorType().getRank();
    for (vector::ExtractOp extract : extracts) {
      rewriter.setInsertionPoint(extract);
      SmallVector<Value> indices(read.getIndices());
      for (auto [dim, offset] : llvm::enumerate(extract.getStaticPosition())) {
        if (offset == 0)
          continue;
        Value &index = indices[leading + dim];
        index = arith::AddIOp::create(
            rewriter, extract.getLoc(), index,
            arith::ConstantIndexOp::create(rewriter, extract.getLoc(), offset));
      }
      rewriter.replaceOpWithNewOp<tensor::ExtractOp>(extract, read.getBase(),
                                                     indices);
    }
    rewriter.eraseOp(read);
    return success();
  }
};

struct LowerVectorsPass
    : public convforge::impl::ConvForgeLowerVectorsBase<LowerVectorsPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    applyPatternGroup(func, [](RewritePatternSet &patterns) {
      populateVectorMaskLoweringPatternsForSideEffectingOps(patterns);
    });
    // A contraction of an output tile becomes, per reduction step, a
    // broadcast input times a vector of output channels: one FMA per vector.
    applyPatternGroup(func, [](RewritePatternSet &patterns) {
      populateVectorContractLoweringPatterns(
          patterns, VectorContractLowering::OuterProduct);
      populateVectorOuterProductLoweringPatterns(patterns);
    });
    applyPatternGroup(func, [](RewritePatternSet &patterns) {
      patterns.add<ScalarizeBroadcastReads>(patterns.getContext());
    });
    applyPatternGroup(func, [](RewritePatternSet &patterns) {
      populateVectorTransferPermutationMapLoweringPatterns(patterns);
      populateVectorTransferLoweringPatterns(patterns,
                                             /*maxTransferRank=*/1);
    });
    applyPatternGroup(func, [](RewritePatternSet &patterns) {
      populateVectorMultiReductionLoweringPatterns(
          patterns, VectorMultiReductionLowering::InnerReduction);
    });
    // The reductions of a dense layer's dot products may be reassociated:
    // without it LLVM must add the lanes one after another (an ordered
    // reduction, a chain of dependent adds) instead of as a tree.
    auto reassoc = arith::FastMathFlagsAttr::get(&getContext(),
                                                 arith::FastMathFlags::reassoc);
    func.walk([&](vector::ReductionOp reduction) {
      if (reduction.getKind() == CombiningKind::ADD)
        reduction.setFastmathAttr(reassoc);
    });
    applyPatternGroup(func, [](RewritePatternSet &patterns) {
      populateVectorBroadcastLoweringPatterns(patterns);
    });
    applyPatternGroup(func, [](RewritePatternSet &patterns) {
      populateVectorTransposeLoweringPatterns(patterns,
                                              VectorTransposeLowering::EltWise);
    });
    applyPatternGroup(func, [](RewritePatternSet &patterns) {
      populateVectorShapeCastLoweringPatterns(patterns);
    });
    canonicalizeAndCse(func);
  }
};
} // namespace
