//===- DirectInputReads.cpp - Convolutions read unpadded inputs -----------===//

#include "DirectInputReads.h"

#include "PaddedBuffer.h"

#include "ConvForge/Codegen/StrategySelection.h"
#include "ConvForge/Dialect/Cnn/IR/CnnDialect.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Matchers.h"

#include <map>

using namespace mlir;
using namespace convforge;

static constexpr llvm::StringLiteral kInputColumnsAttrName =
    cnn::CnnDialect::kInputColumnsAttrName;

bool convforge::isZeroPaddedArgument(tensor::PadOp pad) {
  if (!pad)
    return false;
  auto argument = dyn_cast<BlockArgument>(pad.getSource());
  if (!argument ||
      !isa_and_nonnull<FunctionOpInterface>(argument.getOwner()->getParentOp()))
    return false;
  Value padValue = pad.getConstantPaddingValue();
  if (!padValue || !matchPattern(padValue, m_AnyZeroFloat()))
    return false;
  RankedTensorType type = pad.getSourceType();
  if (!type.hasStaticShape() || type.getRank() != 4 ||
      !pad.getResultType().hasStaticShape())
    return false;
  ArrayRef<int64_t> low = pad.getStaticLow(), high = pad.getStaticHigh();
  return !ShapedType::isDynamicShape(low) &&
         !ShapedType::isDynamicShape(high) && low[0] == 0 && high[0] == 0 &&
         low[3] == 0 && high[3] == 0;
}

std::optional<PaddedArgument>
convforge::getPaddedArgument(linalg::Conv2DNhwcHwcfOp conv) {
  auto pad = conv.getDpsInputs()[0].getDefiningOp<tensor::PadOp>();
  if (!isZeroPaddedArgument(pad) || !conv.getDilations().isSplat() ||
      conv.getDilations().getSplatValue<int64_t>() != 1)
    return std::nullopt;
  auto filterType =
      dyn_cast<RankedTensorType>(conv.getDpsInputs()[1].getType());
  if (!filterType || !filterType.hasStaticShape())
    return std::nullopt;
  ArrayRef<int64_t> low = pad.getStaticLow(), high = pad.getStaticHigh();
  // Interior tiles read the argument's rows directly: padding rows must be
  // skipped by the tiles' loops over filter rows (one row at a time).
  bool paddedRows = low[1] != 0 || high[1] != 0;
  if (paddedRows &&
      (filterType.getDimSize(0) < 2 ||
       !conv->hasAttr(cnn::CnnDialect::kNonZeroInputRowsAttrName)))
    return std::nullopt;
  PaddedArgument input;
  input.pad = pad;
  input.top = low[1];
  input.left = low[2];
  input.height = pad.getSourceType().getDimSize(1);
  input.width = pad.getSourceType().getDimSize(2);
  input.stride = conv.getStrides().getValues<int64_t>()[1];
  input.filterWidth = filterType.getDimSize(1);
  return input;
}

/// Splits `loop` at iteration value `split` (its lower bound < split < its
/// upper bound): `loop` keeps [lb, split) and the returned clone, right
/// after it, continues from its results over [split, ub).
static scf::ForOp splitLoopAt(RewriterBase &rewriter, scf::ForOp loop,
                              int64_t split) {
  rewriter.setInsertionPoint(loop);
  Value splitValue =
      arith::ConstantIndexOp::create(rewriter, loop.getLoc(), split);
  rewriter.setInsertionPointAfter(loop);
  auto second = cast<scf::ForOp>(rewriter.clone(*loop));
  rewriter.replaceAllUsesWith(loop.getResults(), second.getResults());
  rewriter.modifyOpInPlace(second, [&] {
    second.setLowerBound(splitValue);
    second.getInitArgsMutable().assign(loop.getResults());
  });
  rewriter.modifyOpInPlace(loop, [&] { loop.setUpperBound(splitValue); });
  return second;
}

/// Marks the convolution tiles in `loop`, whose tiles start at output
/// columns [first, end) (the last tile ends at `lastPixel`), with the
/// padded columns they read.
static void markColumns(Operation *loop, int64_t firstPixel, int64_t lastPixel,
                        const PaddedArgument &input) {
  Builder b(loop->getContext());
  auto columns =
      b.getDenseI64ArrayAttr({firstPixel * input.stride,
                              lastPixel * input.stride + input.filterWidth});
  loop->walk([&](linalg::Conv2DNhwcHwcfOp conv) {
    if (conv->hasAttr(cnn::CnnDialect::kRegisterTileAttrName))
      conv->setAttr(kInputColumnsAttrName, columns);
  });
}

std::pair<int64_t, int64_t>
convforge::getInteriorTiles(const PaddedArgument &input, int64_t widthTile,
                            int64_t outputWidth) {
  if (widthTile < 1)
    return {0, 0};
  int64_t s = input.stride, span = (widthTile - 1) * s + input.filterWidth;
  // The tile starting at output column x reads padded columns
  // [x * s, x * s + span); it is interior when those lie in
  // [left, left + width). Interior tiles start from the first multiple of
  // the tile at or after ceil(left / s), up to the last x with
  // x * s + span <= left + width.
  int64_t wholeTiles = outputWidth / widthTile * widthTile;
  int64_t room = input.left + input.width - span;
  if (room < 0)
    return {0, 0};
  int64_t first =
      llvm::divideCeil(llvm::divideCeil(input.left, s), widthTile) * widthTile;
  int64_t end = (room / s / widthTile + 1) * widthTile;
  return {std::min(first, wholeTiles), std::min(end, wholeTiles)};
}

void convforge::splitWidthAtPadding(RewriterBase &rewriter,
                                    scf::ForOp widthLoop, scf::ForOp remainder,
                                    int64_t widthTile, int64_t outputWidth,
                                    const PaddedArgument &input,
                                    bool splitWithoutInterior) {
  std::optional<int64_t> lb = getConstantIntValue(widthLoop.getLowerBound());
  std::optional<int64_t> ub = getConstantIntValue(widthLoop.getUpperBound());
  std::optional<int64_t> step = getConstantIntValue(widthLoop.getStep());
  if (!lb || !ub || !step || *lb != 0 || *step != widthTile ||
      *ub != outputWidth / widthTile * widthTile)
    return;
  auto [firstInterior, endInterior] =
      getInteriorTiles(input, widthTile, outputWidth);
  // No interior tile: the tiles reaching the left padding and those reaching
  // the right one may still be told apart.
  if (splitWithoutInterior && firstInterior == endInterior &&
      firstInterior > 0 && firstInterior < *ub) {
    scf::ForOp right = splitLoopAt(rewriter, widthLoop, firstInterior);
    markColumns(widthLoop, 0, firstInterior - 1, input);
    markColumns(right, firstInterior, *ub - 1, input);
    if (remainder)
      markColumns(remainder, *ub, outputWidth - 1, input);
    return;
  }
  if (firstInterior >= endInterior)
    return;

  scf::ForOp left, interior = widthLoop, right;
  if (firstInterior > 0) {
    left = widthLoop;
    interior = splitLoopAt(rewriter, widthLoop, firstInterior);
  }
  if (endInterior < *ub)
    right = splitLoopAt(rewriter, interior, endInterior);
  if (left)
    markColumns(left, 0, firstInterior - 1, input);
  markColumns(interior, firstInterior, endInterior - 1, input);
  if (right)
    markColumns(right, endInterior, *ub - 1, input);
  if (remainder)
    markColumns(remainder, *ub, outputWidth - 1, input);
}

namespace {
/// Offsets of a convolution tile's input, composed along its chain of
/// slices, from the padded argument.
struct ComposedSlice {
  tensor::PadOp pad;
  SmallVector<OpFoldResult> offsets, sizes;
};
} // namespace

static std::optional<ComposedSlice>
composeInputSlices(RewriterBase &rewriter, linalg::Conv2DNhwcHwcfOp conv) {
  auto innermost =
      conv.getDpsInputs()[0].getDefiningOp<tensor::ExtractSliceOp>();
  if (!innermost)
    return std::nullopt;
  ComposedSlice composed;
  composed.sizes = innermost.getMixedSizes();
  composed.offsets.assign(4, rewriter.getIndexAttr(0));
  AffineExpr a, b;
  bindSymbols(rewriter.getContext(), a, b);
  Value source = innermost.getResult();
  while (auto slice = source.getDefiningOp<tensor::ExtractSliceOp>()) {
    if (slice.getSourceType().getRank() != 4 ||
        slice.getResultType().getRank() != 4 ||
        !llvm::all_of(slice.getMixedStrides(), [](OpFoldResult stride) {
          return isConstantIntValue(stride, 1);
        }))
      return std::nullopt;
    for (auto [offset, sliceOffset] :
         llvm::zip(composed.offsets, slice.getMixedOffsets()))
      offset = affine::makeComposedFoldedAffineApply(
          rewriter, conv.getLoc(), a + b, {offset, sliceOffset});
    source = slice.getSource();
  }
  composed.pad = source.getDefiningOp<tensor::PadOp>();
  if (!isZeroPaddedArgument(composed.pad))
    return std::nullopt;
  return composed;
}

/// The strategy of the copy of a strip: an elementwise op's, for the vector
/// width and threads of the convolution that reads the strip, so that the
/// copy is shared among the same threads (serial, it took 10 % of ResNet's
/// 3x3/2 layer on two threads).
static cnn::StrategyAttr selectCopyStrategy(linalg::GenericOp copy,
                                            cnn::StrategyAttr convStrategy) {
  TargetDescription target;
  target.vectorBits = convStrategy.getVectorWidth() * 32;
  // A copy holds a vector or two at a time: the fewest registers of any
  // target do.
  target.numVectorRegisters = 16;
  target.threads = convStrategy.getThreads();
  return selectStrategy(copy, target);
}

/// The padded copy of columns [first, end) of the padded argument: the
/// argument's columns among them, padded like the whole (rows too, so that
/// row offsets are the same). Its copy, given `convStrategy`'s vector width
/// and threads, is appended to `copies`.
static Value createStrip(RewriterBase &rewriter, tensor::PadOp pad,
                         int64_t first, int64_t end,
                         cnn::StrategyAttr convStrategy,
                         SmallVectorImpl<Operation *> &copies) {
  ArrayRef<int64_t> low = pad.getStaticLow(), high = pad.getStaticHigh();
  RankedTensorType sourceType = pad.getSourceType();
  int64_t width = sourceType.getDimSize(2);
  int64_t sourceFirst = std::max<int64_t>(first - low[2], 0);
  int64_t sourceEnd = std::min<int64_t>(end - low[2], width);
  int64_t padBefore = std::max<int64_t>(low[2] - first, 0);
  int64_t padAfter = std::max<int64_t>(end - (low[2] + width), 0);

  Location loc = pad.getLoc();
  rewriter.setInsertionPointAfter(pad);
  SmallVector<int64_t> shape(sourceType.getShape());
  shape[2] = sourceEnd - sourceFirst;
  Value columns = tensor::ExtractSliceOp::create(
      rewriter, loc, pad.getSource(),
      getAsIndexOpFoldResult(rewriter.getContext(), {0, 0, sourceFirst, 0}),
      getAsIndexOpFoldResult(rewriter.getContext(), shape),
      getAsIndexOpFoldResult(rewriter.getContext(), {1, 1, 1, 1}));
  SmallVector<int64_t> padded = {shape[0], low[1] + shape[1] + high[1],
                                 end - first, shape[3]};
  auto type = RankedTensorType::get(padded, sourceType.getElementType());
  auto strip = tensor::PadOp::create(
      rewriter, loc, type, columns,
      getAsIndexOpFoldResult(rewriter.getContext(), {0, low[1], padBefore, 0}),
      getAsIndexOpFoldResult(rewriter.getContext(), {0, high[1], padAfter, 0}),
      pad.getConstantPaddingValue());
  PaddedBuffer buffer =
      replaceWithPaddedBuffer(rewriter, strip, strip, /*copySource=*/true);
  if (convStrategy) {
    buffer.copy->setAttr(cnn::CnnDialect::kStrategyAttrName,
                         selectCopyStrategy(buffer.copy, convStrategy));
    copies.push_back(buffer.copy);
  }
  return buffer.value;
}

SmallVector<Operation *>
convforge::readPaddedArgumentsDirectly(RewriterBase &rewriter,
                                       Operation *func) {
  SmallVector<Operation *> copies;
  SmallVector<linalg::Conv2DNhwcHwcfOp> tiles;
  func->walk([&](linalg::Conv2DNhwcHwcfOp conv) {
    if (conv->hasAttr(kInputColumnsAttrName))
      tiles.push_back(conv);
  });
  std::map<std::tuple<Operation *, int64_t, int64_t>, Value> strips;
  for (linalg::Conv2DNhwcHwcfOp conv : tiles) {
    ArrayRef<int64_t> columns =
        conv->getAttrOfType<DenseI64ArrayAttr>(kInputColumnsAttrName)
            .asArrayRef();
    int64_t first = columns[0], end = columns[1];
    conv->removeAttr(kInputColumnsAttrName);
    rewriter.setInsertionPoint(conv);
    std::optional<ComposedSlice> slice = composeInputSlices(rewriter, conv);
    if (!slice || first >= end)
      continue;
    tensor::PadOp pad = slice->pad;
    int64_t top = pad.getStaticLow()[1], left = pad.getStaticLow()[2];
    int64_t width = pad.getSourceType().getDimSize(2);
    // A tile reading no argument column keeps the padded input.
    if (end <= left || first >= left + width)
      continue;

    Value source;
    int64_t rowShift = 0, columnShift = first;
    if (first >= left && end <= left + width) {
      source = pad.getSource();
      rowShift = top;
      columnShift = left;
    } else {
      Value &strip = strips[{pad.getOperation(), first, end}];
      if (!strip) {
        OpBuilder::InsertionGuard guard(rewriter);
        strip = createStrip(rewriter, pad, first, end,
                            conv->getAttrOfType<cnn::StrategyAttr>(
                                cnn::CnnDialect::kStrategyAttrName),
                            copies);
      }
      source = strip;
    }
    rewriter.setInsertionPoint(conv);
    AffineExpr offset;
    bindSymbols(rewriter.getContext(), offset);
    SmallVector<OpFoldResult> offsets = slice->offsets;
    offsets[1] = affine::makeComposedFoldedAffineApply(
        rewriter, conv.getLoc(), offset - rowShift, {offsets[1]});
    offsets[2] = affine::makeComposedFoldedAffineApply(
        rewriter, conv.getLoc(), offset - columnShift, {offsets[2]});
    Value input = tensor::ExtractSliceOp::create(
        rewriter, conv.getLoc(), source, offsets, slice->sizes,
        getAsIndexOpFoldResult(rewriter.getContext(), {1, 1, 1, 1}));
    rewriter.modifyOpInPlace(conv,
                             [&] { conv.getDpsInputOperand(0)->set(input); });
  }
  return copies;
}
