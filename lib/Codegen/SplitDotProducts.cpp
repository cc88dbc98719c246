//===- SplitDotProducts.cpp - The convforge-split-dot-products pass -------===//
//
// A dense layer on a batch of one is a matrix-vector product: every weight
// is read once, so the layer runs at the speed memory delivers the weights.
// Reduced dot product by dot product, each 64-element chunk ends in a
// horizontal sum into a scalar, and the shuffles of those sums, not memory,
// bound the loop (~20 GB/s). This pass splits the reduction instead: the
// dot products are accumulated lane-wise in vectors of L partial sums (one
// FMA per weight vector, no shuffle), and only the final L partial sums of
// each output are added up, once.
//
//===----------------------------------------------------------------------===//

#include "ConvForge/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/PatternMatch.h"

namespace convforge {
#define GEN_PASS_DEF_CONVFORGESPLITDOTPRODUCTS
#include "ConvForge/Codegen/Passes.h.inc"
} // namespace convforge

using namespace mlir;
using namespace convforge;

/// The lanes of partial sums per dot product: 16 (a 512-bit vector of f32,
/// two 256-bit ones) when they divide the reduction, else 8.
static int64_t getPartialSums(int64_t reduction) {
  for (int64_t lanes : {16, 8})
    if (reduction % lanes == 0 && reduction >= 4 * lanes)
      return lanes;
  return 0;
}

/// Splits `matmul` (M×K times (N×K)ᵀ into M×N, static) into
///   partial[m, n, j] = Σ_kk x[m, kk, j] · w[n, kk, j]   (K = KK·L)
///   out[m, n] = init[m, n] + Σ_j partial[m, n, j]
/// Returns failure when the matmul is not of that form or L would not
/// divide K.
static LogicalResult splitDotProducts(RewriterBase &rewriter,
                                      linalg::MatmulOp matmul) {
  if (!isa<linalg::MatmulTransposeBOp>(matmul.getOperation()) ||
      !matmul.hasPureTensorSemantics())
    return failure();
  auto xType = dyn_cast<RankedTensorType>(matmul.getInputs()[0].getType());
  auto wType = dyn_cast<RankedTensorType>(matmul.getInputs()[1].getType());
  auto outType = dyn_cast<RankedTensorType>(matmul.getOutputs()[0].getType());
  if (!xType || !wType || !outType || !xType.hasStaticShape() ||
      !wType.hasStaticShape() || !outType.hasStaticShape() ||
      !xType.getElementType().isF32())
    return failure();
  int64_t m = xType.getDimSize(0), k = xType.getDimSize(1),
          n = wType.getDimSize(0);
  int64_t lanes = getPartialSums(k);
  if (lanes == 0)
    return failure();

  Location loc = matmul.getLoc();
  MLIRContext *context = rewriter.getContext();
  rewriter.setInsertionPoint(matmul);
  Type f32 = rewriter.getF32Type();
  SmallVector<ReassociationIndices> split = {{0}, {1, 2}};
  Value x = tensor::ExpandShapeOp::create(
      rewriter, loc, RankedTensorType::get({m, k / lanes, lanes}, f32),
      matmul.getInputs()[0], split);
  Value w = tensor::ExpandShapeOp::create(
      rewriter, loc, RankedTensorType::get({n, k / lanes, lanes}, f32),
      matmul.getInputs()[1], split);
  Value zero = arith::ConstantOp::create(rewriter, loc, f32,
                                         rewriter.getF32FloatAttr(0.0f));
  Value empty = tensor::EmptyOp::create(rewriter, loc,
                                        ArrayRef<int64_t>{m, n, lanes}, f32);
  Value partialInit =
      linalg::FillOp::create(rewriter, loc, ValueRange{zero}, ValueRange{empty})
          ->getResult(0);

  // Loops (m, n, kk, j): kk is the reduction, j the lanes of partial sums.
  AffineExpr dm, dn, dkk, dj;
  bindDims(context, dm, dn, dkk, dj);
  SmallVector<AffineMap> partialMaps = {
      AffineMap::get(4, 0, {dm, dkk, dj}, context),
      AffineMap::get(4, 0, {dn, dkk, dj}, context),
      AffineMap::get(4, 0, {dm, dn, dj}, context)};
  SmallVector<utils::IteratorType> partialIterators = {
      utils::IteratorType::parallel, utils::IteratorType::parallel,
      utils::IteratorType::reduction, utils::IteratorType::parallel};
  Value partial =
      linalg::GenericOp::create(
          rewriter, loc, TypeRange{partialInit.getType()}, ValueRange{x, w},
          ValueRange{partialInit}, partialMaps, partialIterators,
          [](OpBuilder &b, Location loc, ValueRange args) {
            Value product = arith::MulFOp::create(b, loc, args[0], args[1]);
            Value sum = arith::AddFOp::create(b, loc, args[2], product);
            linalg::YieldOp::create(b, loc, sum);
          })
          ->getResult(0);

  // Loops (m, n, j): the sum of each output's partial sums, onto the
  // matmul's own initial value (its bias).
  AffineExpr em, en, ej;
  bindDims(context, em, en, ej);
  SmallVector<AffineMap> sumMaps = {AffineMap::get(3, 0, {em, en, ej}, context),
                                    AffineMap::get(3, 0, {em, en}, context)};
  SmallVector<utils::IteratorType> sumIterators = {
      utils::IteratorType::parallel, utils::IteratorType::parallel,
      utils::IteratorType::reduction};
  auto sum = linalg::GenericOp::create(
      rewriter, loc, TypeRange{outType}, ValueRange{partial},
      ValueRange{matmul.getOutputs()[0]}, sumMaps, sumIterators,
      [](OpBuilder &b, Location loc, ValueRange args) {
        Value total = arith::AddFOp::create(b, loc, args[1], args[0]);
        linalg::YieldOp::create(b, loc, total);
      });
  rewriter.replaceOp(matmul, sum->getResults());
  return success();
}

namespace {
struct SplitDotProductsPass
    : public convforge::impl::ConvForgeSplitDotProductsBase<
          SplitDotProductsPass> {
  void runOnOperation() override {
    SmallVector<linalg::MatmulOp> matmuls;
    getOperation().walk([&](linalg::MatmulOp op) { matmuls.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (linalg::MatmulOp matmul : matmuls)
      (void)splitDotProducts(rewriter, matmul);
  }
};
} // namespace
