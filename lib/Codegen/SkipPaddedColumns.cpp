//===- SkipPaddedColumns.cpp - Edge tiles skip zero padding columns -------===//

#include "SkipPaddedColumns.h"

#include "Utils.h"

#include "ConvForge/Dialect/Cnn/IR/CnnDialect.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;
using namespace convforge;

std::optional<NonZeroColumns>
convforge::getNonZeroColumns(linalg::Conv2DNhwcHwcfOp conv) {
  auto mark = conv->getAttrOfType<DenseI64ArrayAttr>(
      cnn::CnnDialect::kNonZeroInputColumnsAttrName);
  if (!mark || mark.size() != 3 || !conv.getDilations().isSplat() ||
      conv.getDilations().getSplatValue<int64_t>() != 1)
    return std::nullopt;
  return NonZeroColumns{mark[0], mark[1], mark[2]};
}

/// The output pixels [first, end) of a row of `pixels`, whose first reads
/// input column `x0` at filter column 0, that read a non-zero column at
/// filter column `fw`.
static std::pair<int64_t, int64_t>
pixelsReadingColumns(const NonZeroColumns &columns, int64_t x0, int64_t fw,
                     int64_t stride, int64_t pixels) {
  // Pixel x reads column x0 + x * stride + fw.
  int64_t first = llvm::divideCeilSigned(columns.begin - x0 - fw, stride);
  int64_t end = llvm::divideFloorSigned(columns.end - 1 - x0 - fw, stride) + 1;
  first = std::clamp<int64_t>(first, 0, pixels);
  end = std::clamp<int64_t>(end, first, pixels);
  return {first, end};
}

double convforge::getPaddedColumnTapShare(linalg::Conv2DNhwcHwcfOp conv,
                                          const NonZeroColumns &columns) {
  SmallVector<int64_t> ranges = conv.getStaticLoopRanges();
  int64_t pixels = ranges[2], filterColumns = ranges[5];
  int64_t stride = conv.getStrides().getValues<int64_t>()[1];
  if (ShapedType::isDynamic(pixels) || pixels <= 0 || filterColumns <= 0)
    return 0;
  int64_t padded = 0;
  for (int64_t fw = 0; fw < filterColumns; ++fw) {
    auto [first, end] = pixelsReadingColumns(columns, 0, fw, stride, pixels);
    padded += pixels - (end - first);
  }
  return static_cast<double>(padded) /
         static_cast<double>(pixels * filterColumns);
}

/// The first input column of `tile`, when a constant, in the input its
/// convolution was created with (which is `width` wide).
static std::optional<int64_t> getFirstInputColumn(RewriterBase &rewriter,
                                                  linalg::Conv2DNhwcHwcfOp tile,
                                                  int64_t width) {
  std::optional<ComposedOffset> first = composeSliceOffset(
      rewriter, tile.getLoc(), tile.getDpsInputs()[0], /*dim=*/2);
  if (!first)
    return std::nullopt;
  auto sourceType = dyn_cast<RankedTensorType>(first->source.getType());
  if (!sourceType || sourceType.getDimSize(2) != width)
    return std::nullopt;
  return getConstantIntValue(first->offset);
}

bool convforge::splitAtPaddedColumns(RewriterBase &rewriter,
                                     linalg::Conv2DNhwcHwcfOp tile) {
  std::optional<NonZeroColumns> columns = getNonZeroColumns(tile);
  if (!columns)
    return false;
  auto inputType = dyn_cast<RankedTensorType>(tile.getDpsInputs()[0].getType());
  auto filterType =
      dyn_cast<RankedTensorType>(tile.getDpsInputs()[1].getType());
  auto outputType = dyn_cast<RankedTensorType>(tile.getDpsInits()[0].getType());
  if (!inputType || !filterType || !outputType || !inputType.hasStaticShape() ||
      !filterType.hasStaticShape() || !outputType.hasStaticShape())
    return false;
  rewriter.setInsertionPoint(tile);
  std::optional<int64_t> x0 =
      getFirstInputColumn(rewriter, tile, columns->width);
  if (!x0)
    return false;
  int64_t stride = tile.getStrides().getValues<int64_t>()[1];
  int64_t pixels = outputType.getDimSize(2);
  int64_t filterColumns = filterType.getDimSize(1);

  // Runs of filter columns [fwBegin, fwEnd) whose non-padding pixels are
  // the same [first, end).
  struct Run {
    int64_t fwBegin, fwEnd, first, end;
  };
  SmallVector<Run> runs;
  for (int64_t fw = 0; fw < filterColumns; ++fw) {
    auto [first, end] = pixelsReadingColumns(*columns, *x0, fw, stride, pixels);
    if (!runs.empty() && runs.back().first == first && runs.back().end == end &&
        runs.back().fwEnd == fw)
      ++runs.back().fwEnd;
    else
      runs.push_back({fw, fw + 1, first, end});
  }
  if (runs.size() == 1 && runs.front().first == 0 && runs.front().end == pixels)
    return false;

  // One convolution per run, each accumulating into the tile's output (the
  // pixels it computes); runs of padding alone add nothing.
  Location loc = tile.getLoc();
  rewriter.setInsertionPoint(tile);
  MLIRContext *context = rewriter.getContext();
  auto folded = [&](ArrayRef<int64_t> values) {
    return getAsIndexOpFoldResult(context, values);
  };
  SmallVector<OpFoldResult> ones = folded({1, 1, 1, 1});
  Value input = tile.getDpsInputs()[0], filter = tile.getDpsInputs()[1];
  Value accumulator = tile.getDpsInits()[0];
  ArrayRef<int64_t> inputShape = inputType.getShape();
  ArrayRef<int64_t> filterShape = filterType.getShape();
  ArrayRef<int64_t> outputShape = outputType.getShape();
  for (const Run &run : runs) {
    int64_t count = run.end - run.first;
    if (count == 0)
      continue;
    int64_t runColumns = run.fwEnd - run.fwBegin;
    Value runInput = tensor::ExtractSliceOp::create(
        rewriter, loc, input,
        folded({0, 0, run.first * stride + run.fwBegin, 0}),
        folded({inputShape[0], inputShape[1], (count - 1) * stride + runColumns,
                inputShape[3]}),
        ones);
    Value runFilter = tensor::ExtractSliceOp::create(
        rewriter, loc, filter, folded({0, run.fwBegin, 0, 0}),
        folded({filterShape[0], runColumns, filterShape[2], filterShape[3]}),
        ones);
    SmallVector<OpFoldResult> outputOffsets = folded({0, 0, run.first, 0});
    SmallVector<OpFoldResult> outputSizes =
        folded({outputShape[0], outputShape[1], count, outputShape[3]});
    bool whole = count == pixels;
    Value runOutput =
        whole ? accumulator
              : tensor::ExtractSliceOp::create(rewriter, loc, accumulator,
                                               outputOffsets, outputSizes, ones)
                    .getResult();
    auto conv = linalg::Conv2DNhwcHwcfOp::create(
        rewriter, loc, TypeRange{runOutput.getType()},
        ValueRange{runInput, runFilter}, ValueRange{runOutput},
        tile.getStrides(), tile.getDilations());
    for (NamedAttribute attribute : tile->getDiscardableAttrs())
      conv->setAttr(attribute.getName(), attribute.getValue());
    // The pieces' columns are known: none needs splitting again.
    conv->removeAttr(cnn::CnnDialect::kNonZeroInputColumnsAttrName);
    accumulator = whole ? Value(conv->getResult(0))
                        : Value(tensor::InsertSliceOp::create(
                              rewriter, loc, conv->getResult(0), accumulator,
                              outputOffsets, outputSizes, ones));
  }
  rewriter.replaceOp(tile, accumulator);
  return true;
}
