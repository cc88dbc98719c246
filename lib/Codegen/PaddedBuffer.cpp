//===- PaddedBuffer.cpp - A padded tensor as a buffer with filled borders -===//

#include "PaddedBuffer.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;

bool convforge::isStaticSpatialConstantPad(tensor::PadOp pad) {
  Value padValue = pad.getConstantPaddingValue();
  RankedTensorType sourceType = pad.getSourceType();
  RankedTensorType resultType = pad.getResultType();
  if (!padValue || !padValue.getDefiningOp<arith::ConstantOp>() ||
      !sourceType.hasStaticShape() || !resultType.hasStaticShape() ||
      sourceType.getRank() != 4)
    return false;
  ArrayRef<int64_t> low = pad.getStaticLow(), high = pad.getStaticHigh();
  return !ShapedType::isDynamicShape(low) &&
         !ShapedType::isDynamicShape(high) && low[0] == 0 && high[0] == 0 &&
         low[3] == 0 && high[3] == 0;
}

convforge::PaddedBuffer
convforge::replaceWithPaddedBuffer(RewriterBase &rewriter, tensor::PadOp pad,
                                   Operation *insertionPoint, bool copySource) {
  RankedTensorType sourceType = pad.getSourceType();
  RankedTensorType resultType = pad.getResultType();
  ArrayRef<int64_t> low = pad.getStaticLow(), high = pad.getStaticHigh();
  Value padValue = pad.getConstantPaddingValue();

  // The padded buffer, its borders filled, ahead of the destination.
  Location loc = pad.getLoc();
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(insertionPoint);
  Value value = rewriter.clone(*padValue.getDefiningOp())->getResult(0);
  Value buffer = tensor::EmptyOp::create(rewriter, loc, resultType.getShape(),
                                         resultType.getElementType());
  ArrayRef<int64_t> padded = resultType.getShape();
  ArrayRef<int64_t> inner = sourceType.getShape();
  // Rows above and below, over the full width; then the columns left and
  // right of the interior rows.
  SmallVector<std::pair<SmallVector<int64_t>, SmallVector<int64_t>>> strips = {
      {{0, 0, 0, 0}, {padded[0], low[1], padded[2], padded[3]}},
      {{0, low[1] + inner[1], 0, 0},
       {padded[0], high[1], padded[2], padded[3]}},
      {{0, low[1], 0, 0}, {padded[0], inner[1], low[2], padded[3]}},
      {{0, low[1], low[2] + inner[2], 0},
       {padded[0], inner[1], high[2], padded[3]}},
  };
  MLIRContext *context = rewriter.getContext();
  auto folded = [&](ArrayRef<int64_t> values) {
    return getAsIndexOpFoldResult(context, values);
  };
  SmallVector<OpFoldResult> ones = folded({1, 1, 1, 1});
  for (auto &[offsets, sizes] : strips) {
    if (llvm::is_contained(sizes, 0))
      continue;
    Value strip = tensor::ExtractSliceOp::create(
        rewriter, loc, buffer, folded(offsets), folded(sizes), ones);
    Value filled = linalg::FillOp::create(rewriter, loc, ValueRange{value},
                                          ValueRange{strip})
                       ->getResult(0);
    buffer = tensor::InsertSliceOp::create(
        rewriter, loc, filled, buffer, folded(offsets), folded(sizes), ones);
  }

  rewriter.setInsertionPoint(pad);
  SmallVector<OpFoldResult> interiorOffsets = folded({0, low[1], low[2], 0});
  Value interior = pad.getSource();
  linalg::GenericOp copy;
  if (copySource) {
    Value destination = tensor::ExtractSliceOp::create(
        rewriter, loc, buffer, interiorOffsets, folded(inner), ones);
    AffineMap identity = rewriter.getMultiDimIdentityMap(4);
    copy = linalg::GenericOp::create(
        rewriter, loc, TypeRange{sourceType}, ValueRange{pad.getSource()},
        ValueRange{destination}, ArrayRef<AffineMap>{identity, identity},
        SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
        [](OpBuilder &b, Location loc, ValueRange args) {
          linalg::YieldOp::create(b, loc, args[0]);
        });
    interior = copy->getResult(0);
  }
  Value result = tensor::InsertSliceOp::create(
      rewriter, loc, interior, buffer, interiorOffsets, folded(inner), ones);
  rewriter.replaceOp(pad, result);
  return {result, copy};
}
