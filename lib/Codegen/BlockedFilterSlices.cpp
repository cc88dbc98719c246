//===- BlockedFilterSlices.cpp - Tiles read blocked filters directly ------===//

#include "BlockedFilterSlices.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Affine/Utils.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

#include <numeric>

using namespace mlir;
using namespace convforge;

static int64_t knownDivisor(OpFoldResult value);

/// The largest number `expr` (over `operands`) is known to be a multiple of;
/// 0 stands for zero, a multiple of everything.
static int64_t knownDivisor(AffineExpr expr, ValueRange dims,
                            ValueRange symbols) {
  if (auto constant = dyn_cast<AffineConstantExpr>(expr))
    return std::abs(constant.getValue());
  if (auto dim = dyn_cast<AffineDimExpr>(expr))
    return knownDivisor(OpFoldResult(dims[dim.getPosition()]));
  if (auto symbol = dyn_cast<AffineSymbolExpr>(expr))
    return knownDivisor(OpFoldResult(symbols[symbol.getPosition()]));
  auto binary = cast<AffineBinaryOpExpr>(expr);
  int64_t lhs = knownDivisor(binary.getLHS(), dims, symbols);
  int64_t rhs = knownDivisor(binary.getRHS(), dims, symbols);
  switch (expr.getKind()) {
  case AffineExprKind::Add:
    return std::gcd(lhs, rhs);
  case AffineExprKind::Mul:
    return lhs * rhs;
  default:
    return 1; // floordiv, ceildiv, mod: nothing known
  }
}

/// The largest number `value` is known to be a multiple of (0: it is zero).
/// Understands constants, the induction variables of scf.for and
/// scf.forall (multiples of the gcd of their lower bound and step), sums
/// and products, and single-result affine.apply.
static int64_t knownDivisor(OpFoldResult value) {
  if (std::optional<int64_t> constant = getConstantIntValue(value))
    return std::abs(*constant);
  Value v = cast<Value>(value);
  if (auto argument = dyn_cast<BlockArgument>(v)) {
    Operation *owner = argument.getOwner()->getParentOp();
    if (auto forOp = dyn_cast<scf::ForOp>(owner);
        forOp && forOp.getInductionVar() == argument)
      return std::gcd(knownDivisor(OpFoldResult(forOp.getLowerBound())),
                      knownDivisor(OpFoldResult(forOp.getStep())));
    if (auto forall = dyn_cast<scf::ForallOp>(owner)) {
      for (auto [index, iv] : llvm::enumerate(forall.getInductionVars()))
        if (iv == argument)
          return std::gcd(knownDivisor(forall.getMixedLowerBound()[index]),
                          knownDivisor(forall.getMixedStep()[index]));
    }
    return 1;
  }
  Operation *op = v.getDefiningOp();
  if (auto add = dyn_cast<arith::AddIOp>(op))
    return std::gcd(knownDivisor(OpFoldResult(add.getLhs())),
                    knownDivisor(OpFoldResult(add.getRhs())));
  if (auto mul = dyn_cast<arith::MulIOp>(op))
    return knownDivisor(OpFoldResult(mul.getLhs())) *
           knownDivisor(OpFoldResult(mul.getRhs()));
  if (auto apply = dyn_cast<affine::AffineApplyOp>(op)) {
    AffineMap map = apply.getAffineMap();
    if (map.getNumResults() != 1)
      return 1;
    return knownDivisor(map.getResult(0), apply.getDimOperands(),
                        apply.getSymbolOperands());
  }
  return 1;
}

namespace {
/// extract_slice(collapse_shape(transpose(blocked))) -> extract_slice(blocked).
struct ReadSliceFromBlockedFilter
    : public OpRewritePattern<tensor::ExtractSliceOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tensor::ExtractSliceOp slice,
                                PatternRewriter &rewriter) const override {
    if (!llvm::all_of(slice.getMixedStrides(), isOneInteger))
      return rewriter.notifyMatchFailure(slice, "strided slice");
    // Slices of slices (a reduction tile of a register tile) compose: the
    // offsets add up. Only this chain is looked through; merging slices
    // elsewhere (an output tile's) would make them alias for bufferization.
    Location loc = slice.getLoc();
    SmallVector<OpFoldResult> offsets = slice.getMixedOffsets();
    Value source = slice.getSource();
    AffineExpr d0, d1;
    bindDims(rewriter.getContext(), d0, d1);
    while (auto inner = source.getDefiningOp<tensor::ExtractSliceOp>()) {
      if (!llvm::all_of(inner.getMixedStrides(), isOneInteger) ||
          inner.getSourceType().getRank() != inner.getType().getRank() ||
          inner.getType().getRank() != static_cast<int64_t>(offsets.size()))
        break;
      for (auto [offset, innerOffset] :
           llvm::zip(offsets, inner.getMixedOffsets()))
        offset = affine::makeComposedFoldedAffineApply(rewriter, loc, d0 + d1,
                                                       {offset, innerOffset});
      source = inner.getSource();
    }
    auto collapse = source.getDefiningOp<tensor::CollapseShapeOp>();
    if (!collapse || collapse.getSrcType().getRank() != 5 ||
        collapse.getResultType().getRank() != 4)
      return rewriter.notifyMatchFailure(slice, "not a collapsed filter");
    SmallVector<ReassociationIndices> reassociation =
        collapse.getReassociationIndices();
    if (reassociation.back() != ReassociationIndices{3, 4})
      return rewriter.notifyMatchFailure(slice, "not (K/B)×B collapsed");
    auto transpose = collapse.getSrc().getDefiningOp<linalg::TransposeOp>();
    if (!transpose ||
        transpose.getPermutation() != ArrayRef<int64_t>{1, 2, 3, 0, 4})
      return rewriter.notifyMatchFailure(slice, "not a blocked filter");
    Value blocked = transpose.getInput();
    int64_t block = cast<RankedTensorType>(blocked.getType()).getDimSize(4);

    if (offsets.size() != 4)
      return rewriter.notifyMatchFailure(slice, "not a 4-D slice");
    SmallVector<OpFoldResult> sizes = slice.getMixedSizes();
    std::optional<int64_t> channels = getConstantIntValue(sizes[3]);
    if (!channels || *channels <= 0 || block % *channels != 0)
      return rewriter.notifyMatchFailure(slice, "size does not divide B");
    int64_t divisor = knownDivisor(offsets[3]);
    if (divisor != 0 && divisor % *channels != 0)
      return rewriter.notifyMatchFailure(slice, "may cross a block boundary");

    // Channel k is at [k floordiv B, ..., k mod B] of the blocked filter.
    AffineExpr k = rewriter.getAffineDimExpr(0);
    OpFoldResult blockIndex = affine::makeComposedFoldedAffineApply(
        rewriter, loc, k.floorDiv(block), {offsets[3]});
    OpFoldResult lane = divisor % block == 0
                            ? rewriter.getIndexAttr(0)
                            : affine::makeComposedFoldedAffineApply(
                                  rewriter, loc, k % block, {offsets[3]});
    SmallVector<OpFoldResult> blockedOffsets = {blockIndex, offsets[0],
                                                offsets[1], offsets[2], lane};
    SmallVector<OpFoldResult> blockedSizes = {
        rewriter.getIndexAttr(1), sizes[0], sizes[1], sizes[2], sizes[3]};
    SmallVector<OpFoldResult> strides(5, rewriter.getIndexAttr(1));
    rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
        slice, slice.getType(), blocked, blockedOffsets, blockedSizes, strides);
    return success();
  }
};
} // namespace

void convforge::populateBlockedFilterSlicePatterns(
    RewritePatternSet &patterns) {
  patterns.add<ReadSliceFromBlockedFilter>(patterns.getContext());
}
