//===- SkipPaddedRows.cpp - Reduction loops skip zero padding rows --------===//

#include "SkipPaddedRows.h"

#include "Utils.h"

#include "ConvForge/Dialect/Cnn/IR/CnnDialect.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;
using namespace convforge;

std::optional<TileNonZeroRows>
convforge::getTileNonZeroRows(RewriterBase &rewriter,
                              linalg::Conv2DNhwcHwcfOp tile) {
  auto rows = tile->getAttrOfType<DenseI64ArrayAttr>(
      cnn::CnnDialect::kNonZeroInputRowsAttrName);
  auto outputType = dyn_cast<RankedTensorType>(tile.getDpsInits()[0].getType());
  if (!rows || rows.size() != 3 || !outputType || outputType.getDimSize(1) != 1)
    return std::nullopt;

  // The tile's first input row in the whole padded input: the sum of the
  // row offsets of the chain of slices (cache tile, register tile) from the
  // input the conv was created with.
  Location loc = tile.getLoc();
  rewriter.setInsertionPoint(tile);
  std::optional<ComposedOffset> first =
      composeSliceOffset(rewriter, loc, tile.getDpsInputs()[0], /*dim=*/1);
  if (!first)
    return std::nullopt;
  auto sourceType = dyn_cast<RankedTensorType>(first->source.getType());
  if (!sourceType || sourceType.getDimSize(1) != rows[2])
    return std::nullopt;
  OpFoldResult rowOffset = first->offset;

  // Relative to the tile: [rows[0] - offset, rows[1] - offset).
  AffineExpr offset;
  bindSymbols(rewriter.getContext(), offset);
  auto relative = [&](int64_t row) {
    return getValueOrCreateConstantIndexOp(
        rewriter, loc,
        affine::makeComposedFoldedAffineApply(rewriter, loc, row - offset,
                                              {rowOffset}));
  };
  return TileNonZeroRows{relative(rows[0]), relative(rows[1])};
}

void convforge::skipZeroRows(RewriterBase &rewriter, scf::ForOp filterRowLoop,
                             const TileNonZeroRows &rows) {
  // Filter row fh reads the tile's input row fh (one output row): keep
  // max(lb, begin) <= fh < min(ub, end). An empty range leaves the
  // accumulator its initial value (the bias), as the zeros would.
  Location loc = filterRowLoop.getLoc();
  rewriter.setInsertionPoint(filterRowLoop);
  MLIRContext *context = rewriter.getContext();
  AffineMap pair = AffineMap::getMultiDimIdentityMap(2, context);
  Value lower = affine::AffineMaxOp::create(
      rewriter, loc, pair,
      ValueRange{filterRowLoop.getLowerBound(), rows.begin});
  Value upper = affine::AffineMinOp::create(
      rewriter, loc, pair, ValueRange{filterRowLoop.getUpperBound(), rows.end});
  rewriter.modifyOpInPlace(filterRowLoop, [&] {
    filterRowLoop.setLowerBound(lower);
    filterRowLoop.setUpperBound(upper);
  });
}
