//===- CnnToLinalg.cpp - Lowering of cnn ops to linalg --------------------===//
//
// Rewrites cnn ops into linalg named ops (convolution, pooling, matmul,
// softmax, transpose), linalg.generic (ReLU, the average-pool divisor, the
// locally-connected layer) and tensor ops (pad, collapse_shape,
// expand_shape), all on tensors.
//
// The form is a contract with the tiling and vectorization stage: it matches
// linalg.conv_2d_nhwc_hwcf with an HWCF filter (the only 2-D convolution the
// upstream conv2d -> conv1d decomposition and vectorizer handle) whose init
// is a linalg.fill or linalg.broadcast it can fuse into its tiles. Padding
// is a separate tensor.pad so that the named ops never see a border.
//
//===----------------------------------------------------------------------===//

#include "ConvForge/Conversion/CnnToLinalg/CnnToLinalg.h"
#include "ConvForge/Conversion/Passes.h"
#include "ConvForge/Dialect/Cnn/IR/CnnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineExpr.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

#include <algorithm>
#include <array>

namespace convforge {
#define GEN_PASS_DEF_CONVERTCNNTOLINALG
#include "ConvForge/Conversion/Passes.h.inc"
} // namespace convforge

using namespace mlir;
using namespace convforge;

static constexpr llvm::StringLiteral kStaticShapesMessage =
    "the lowering needs static shapes; run --cnn-shape-inference first";

//===----------------------------------------------------------------------===//
// Shapes
//===----------------------------------------------------------------------===//

static bool hasStaticShape(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.hasStaticShape();
}

static bool hasStaticShapes(Operation *op) {
  return llvm::all_of(op->getOperandTypes(), hasStaticShape) &&
         llvm::all_of(op->getResultTypes(), hasStaticShape);
}

LogicalResult convforge::verifyStaticShapesForLowering(Operation *op) {
  if (hasStaticShapes(op))
    return success();
  return op->emitOpError(kStaticShapesMessage);
}

static RankedTensorType getStaticType(Value value) {
  return cast<RankedTensorType>(value.getType());
}

namespace {
/// A pattern for an op whose shapes are all static, the lowering's
/// precondition (the pass reports ops that miss it before converting).
template <typename OpTy>
struct StaticShapeLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpConversionPattern<OpTy>::OpAdaptor;

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const final {
    if (!hasStaticShapes(op))
      return rewriter.notifyMatchFailure(op, kStaticShapesMessage);
    return lower(op, adaptor, rewriter);
  }

  /// Rewrites `op`, whose shapes are static.
  virtual LogicalResult lower(OpTy op, OpAdaptor adaptor,
                              ConversionPatternRewriter &rewriter) const = 0;
};
} // namespace

//===----------------------------------------------------------------------===//
// Builders shared by the patterns
//===----------------------------------------------------------------------===//

static Value createF32Constant(OpBuilder &b, Location loc,
                               const APFloat &value) {
  return arith::ConstantOp::create(b, loc,
                                   b.getFloatAttr(b.getF32Type(), value));
}

static Value createZero(OpBuilder &b, Location loc) {
  return createF32Constant(b, loc, APFloat(0.0f));
}

namespace {
/// One 0.0 constant for the padding and the accumulator of a layer, created
/// on first use only (an unpadded layer with a bias needs none).
class LazyZero {
public:
  LazyZero(OpBuilder &b, Location loc) : b(b), loc(loc) {}
  Value operator()() {
    if (!zero)
      zero = createZero(b, loc);
    return zero;
  }

private:
  OpBuilder &b;
  Location loc;
  Value zero;
};
} // namespace

/// -inf: padding and the initial maximum of max pooling, so that neither can
/// win against an input element.
static Value createNegativeInfinity(OpBuilder &b, Location loc) {
  return createF32Constant(
      b, loc, APFloat::getInf(APFloat::IEEEsingle(), /*Negative=*/true));
}

static Value createEmpty(OpBuilder &b, Location loc, ArrayRef<int64_t> shape) {
  return tensor::EmptyOp::create(b, loc, shape, b.getF32Type());
}

static Value createFilled(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                          Value value) {
  Value empty = createEmpty(b, loc, shape);
  return linalg::FillOp::create(b, loc, ValueRange{value}, ValueRange{empty})
      ->getResult(0);
}

/// The initial accumulator of a layer: its bias broadcast to `shape` (along
/// the new `dimensions`) when it has one, `zero()` otherwise. Starting from
/// the bias saves a separate elementwise pass over the output.
static Value createBiasInit(OpBuilder &b, Location loc, Value bias,
                            ArrayRef<int64_t> shape,
                            ArrayRef<int64_t> dimensions,
                            function_ref<Value()> zero) {
  if (!bias)
    return createFilled(b, loc, shape, zero());
  Value empty = createEmpty(b, loc, shape);
  return linalg::BroadcastOp::create(b, loc, bias, empty, dimensions)
      ->getResult(0);
}

/// The identity indexing maps of an elementwise op's operands.
static SmallVector<AffineMap> getElementwiseMaps(OpBuilder &b, int64_t rank,
                                                 unsigned numOperands) {
  return SmallVector<AffineMap>(numOperands, b.getMultiDimIdentityMap(rank));
}

/// `rank` parallel iterators.
static SmallVector<utils::IteratorType> getParallelIterators(int64_t rank) {
  return SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel);
}

//===----------------------------------------------------------------------===//
// Window geometry
//===----------------------------------------------------------------------===//

namespace {
/// The padding of the spatial axes (0: height, 1: width) of an NHWC input
/// that makes every output window fit: the explicit padding, plus after the
/// end the implicit padding of `ceil` rounding's last, partial window.
struct SpatialPadding {
  /// Explicit padding before (top, left) and after (bottom, right).
  int64_t explicitBefore[2] = {0, 0};
  int64_t explicitAfter[2] = {0, 0};
  /// The overhang of `ceil` rounding (0 under exact and floor rounding).
  int64_t implicitAfter[2] = {0, 0};

  int64_t before(unsigned axis) const { return explicitBefore[axis]; }
  int64_t after(unsigned axis) const {
    return explicitAfter[axis] + implicitAfter[axis];
  }
  bool isPadded() const {
    return before(0) || before(1) || after(0) || after(1);
  }
};
} // namespace

/// The padding of `input` (N×H×W×C) for windows of `window` under `params`.
/// Fails only for configurations the verifier rejects.
static FailureOr<SpatialPadding>
getSpatialPadding(const cnn::WindowParams &params, RankedTensorType input,
                  std::array<int64_t, 2> window) {
  SpatialPadding padding;
  for (unsigned axis = 0; axis < 2; ++axis) {
    WindowOutput output = computeWindowOutput(
        params.dim(axis, input.getDimSize(axis + 1), window[axis]),
        params.rounding);
    if (!output.ok())
      return failure();
    padding.explicitBefore[axis] = params.padBefore[axis];
    padding.explicitAfter[axis] = params.padAfter[axis];
    padding.implicitAfter[axis] = output.implicitPadAfter;
  }
  return padding;
}

namespace {
/// A sliding window's size, parameters and the padding of its input.
struct WindowGeometry {
  std::array<int64_t, 2> window;
  cnn::WindowParams params;
  SpatialPadding padding;
};
} // namespace

/// The geometry of a window of `window` over `input` (N×H×W×C); fails only
/// for configurations the verifier rejects.
static FailureOr<WindowGeometry>
getWindowGeometry(const std::optional<cnn::WindowParams> &params,
                  RankedTensorType input, std::array<int64_t, 2> window) {
  if (!params)
    return failure();
  FailureOr<SpatialPadding> padding = getSpatialPadding(*params, input, window);
  if (failed(padding))
    return failure();
  return WindowGeometry{window, *params, *padding};
}

/// `input` (N×H×W×C) padded with `padValue()` on its spatial axes, or
/// `input` itself when there is no padding (then no constant is created).
static Value padSpatially(OpBuilder &b, Location loc, Value input,
                          const SpatialPadding &padding,
                          function_ref<Value()> padValue) {
  if (!padding.isPadded())
    return input;
  RankedTensorType type = getStaticType(input);
  SmallVector<int64_t> shape(type.getShape());
  SmallVector<OpFoldResult> low(4, b.getIndexAttr(0));
  SmallVector<OpFoldResult> high(4, b.getIndexAttr(0));
  for (unsigned axis = 0; axis < 2; ++axis) {
    shape[axis + 1] += padding.before(axis) + padding.after(axis);
    low[axis + 1] = b.getIndexAttr(padding.before(axis));
    high[axis + 1] = b.getIndexAttr(padding.after(axis));
  }
  return tensor::PadOp::create(b, loc, type.clone(shape), input, low, high,
                               padValue());
}

/// The `strides` attribute of linalg's convolution and pooling ops.
static DenseIntElementsAttr getStridesAttr(OpBuilder &b,
                                           const cnn::WindowParams &params) {
  return b.getI64VectorAttr({params.stride[0], params.stride[1]});
}

/// Unit `dilations`: the cnn dialect has no dilated windows.
static DenseIntElementsAttr getUnitDilationsAttr(OpBuilder &b) {
  return b.getI64VectorAttr({1, 1});
}

//===----------------------------------------------------------------------===//
// cnn.conv2d
//===----------------------------------------------------------------------===//

namespace {
/// pad -> transpose the filter to HWCF -> conv_2d_nhwc_hwcf into the bias.
/// The conv's filter in linalg's HWCF layout: K innermost, so that the
/// vectorized kernel reads a contiguous run of output channels per tap.
/// From the plain K×FH×FW×C filter, a transpose. From a blocked
/// (K/B)×FH×FW×C×B filter, a transpose to FH×FW×C×(K/B)×B and a reshape:
/// the tiled kernels read B-wide slices of it, which `convforge-tile`
/// redirects to the blocked filter itself, so that the transpose vanishes.
static Value createHwcfFilter(OpBuilder &b, Location loc, Value filter,
                              std::array<int64_t, 4> kfhwc,
                              std::optional<uint64_t> block) {
  if (!block) {
    Value init = createEmpty(b, loc, {kfhwc[1], kfhwc[2], kfhwc[3], kfhwc[0]});
    return linalg::TransposeOp::create(b, loc, filter, init,
                                       ArrayRef<int64_t>{1, 2, 3, 0})
        ->getResult(0);
  }
  int64_t lanes = static_cast<int64_t>(*block);
  Value init = createEmpty(
      b, loc, {kfhwc[1], kfhwc[2], kfhwc[3], kfhwc[0] / lanes, lanes});
  Value transposed = linalg::TransposeOp::create(
                         b, loc, filter, init, ArrayRef<int64_t>{1, 2, 3, 0, 4})
                         ->getResult(0);
  SmallVector<ReassociationIndices> reassociation = {{0}, {1}, {2}, {3, 4}};
  return tensor::CollapseShapeOp::create(b, loc, transposed, reassociation);
}

struct Conv2DLowering : StaticShapeLowering<cnn::Conv2DOp> {
  using StaticShapeLowering::StaticShapeLowering;

  LogicalResult lower(cnn::Conv2DOp op, OpAdaptor adaptor,
                      ConversionPatternRewriter &rewriter) const override {
    std::array<int64_t, 4> kfhwc = op.getFilterShape();
    RankedTensorType resultType = getStaticType(op.getOutput());
    FailureOr<WindowGeometry> geometry =
        getWindowGeometry(cnn::getWindowParams(op),
                          getStaticType(op.getInput()), {kfhwc[1], kfhwc[2]});
    if (failed(geometry))
      return rewriter.notifyMatchFailure(op, "invalid window geometry");

    Location loc = op.getLoc();
    LazyZero zero(rewriter, loc);
    Value input = padSpatially(rewriter, loc, adaptor.getInput(),
                               geometry->padding, zero);

    Value filter = createHwcfFilter(rewriter, loc, adaptor.getFilter(), kfhwc,
                                    op.getFilterBlock());

    Value init = createBiasInit(rewriter, loc, adaptor.getBias(),
                                resultType.getShape(), {0, 1, 2}, zero);
    auto conv = linalg::Conv2DNhwcHwcfOp::create(
        rewriter, loc, TypeRange{resultType}, ValueRange{input, filter},
        ValueRange{init}, getStridesAttr(rewriter, geometry->params),
        getUnitDilationsAttr(rewriter));
    // The padding rows and columns are zeros: the kernels may skip them.
    const SpatialPadding &padding = geometry->padding;
    ArrayRef<int64_t> inputShape = getStaticType(op.getInput()).getShape();
    auto markNonZero = [&](StringRef name, int64_t axis) {
      if (!padding.before(axis) && !padding.after(axis))
        return;
      int64_t begin = padding.before(axis), end = begin + inputShape[1 + axis];
      conv->setAttr(name, rewriter.getDenseI64ArrayAttr(
                              {begin, end, end + padding.after(axis)}));
    };
    markNonZero(cnn::CnnDialect::kNonZeroInputRowsAttrName, 0);
    markNonZero(cnn::CnnDialect::kNonZeroInputColumnsAttrName, 1);
    rewriter.replaceOp(op, conv->getResults());
    return success();
  }
};
} // namespace

//===----------------------------------------------------------------------===//
// cnn.max_pool2d and cnn.avg_pool2d
//===----------------------------------------------------------------------===//

/// The window geometry of a pooling op; fails only for configurations the
/// verifier rejects.
template <typename PoolOp>
static FailureOr<WindowGeometry> getPoolGeometry(PoolOp op) {
  std::optional<std::array<int64_t, 2>> window =
      cnn::getPoolWindow(op.getWindow());
  if (!window)
    return failure();
  return getWindowGeometry(cnn::getWindowParams(op),
                           getStaticType(op.getInput()), *window);
}

/// pad and init with `padValue`, then the named pooling op `LinalgPoolOp`.
template <typename LinalgPoolOp>
static Value createPooling(OpBuilder &b, Location loc, Value input,
                           RankedTensorType resultType,
                           const WindowGeometry &geometry, Value padValue) {
  Value padded =
      padSpatially(b, loc, input, geometry.padding, [&] { return padValue; });
  // The window operand only carries the window's shape.
  Value windowShape =
      createEmpty(b, loc, {geometry.window[0], geometry.window[1]});
  Value init = createFilled(b, loc, resultType.getShape(), padValue);
  return LinalgPoolOp::create(b, loc, TypeRange{resultType},
                              ValueRange{padded, windowShape}, ValueRange{init},
                              getStridesAttr(b, geometry.params),
                              getUnitDilationsAttr(b))
      ->getResult(0);
}

namespace {
/// pad with -inf -> pooling_nhwc_max into -inf.
struct MaxPool2DLowering : StaticShapeLowering<cnn::MaxPool2DOp> {
  using StaticShapeLowering::StaticShapeLowering;

  LogicalResult lower(cnn::MaxPool2DOp op, OpAdaptor adaptor,
                      ConversionPatternRewriter &rewriter) const override {
    FailureOr<WindowGeometry> geometry = getPoolGeometry(op);
    if (failed(geometry))
      return rewriter.notifyMatchFailure(op, "invalid window geometry");

    Location loc = op.getLoc();
    // Padded positions, the ceil overhang included, must never win: the
    // verifier guarantees that each window covers an input element.
    Value result = createPooling<linalg::PoolingNhwcMaxOp>(
        rewriter, loc, adaptor.getInput(), getStaticType(op.getOutput()),
        *geometry, createNegativeInfinity(rewriter, loc));
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// pad with 0 -> pooling_nhwc_sum -> divide each sum by its window's divisor.
struct AvgPool2DLowering : StaticShapeLowering<cnn::AvgPool2DOp> {
  using StaticShapeLowering::StaticShapeLowering;

  LogicalResult lower(cnn::AvgPool2DOp op, OpAdaptor adaptor,
                      ConversionPatternRewriter &rewriter) const override {
    FailureOr<WindowGeometry> geometry = getPoolGeometry(op);
    if (failed(geometry))
      return rewriter.notifyMatchFailure(op, "invalid window geometry");

    Location loc = op.getLoc();
    RankedTensorType inputType = getStaticType(op.getInput());
    RankedTensorType resultType = getStaticType(op.getOutput());
    Value sum = createPooling<linalg::PoolingNhwcSumOp>(
        rewriter, loc, adaptor.getInput(), resultType, *geometry,
        createZero(rewriter, loc));

    // The divisor factors into a row count times a column count. Along each
    // axis, the window [start, start + F) with start = o*S - padBefore is
    // clipped to the elements that count: [0, in) without count_include_pad,
    // [-padBefore, in + padAfter) with it (the explicitly padded input). The
    // ceil overhang lies beyond both limits, so it never counts.
    struct AxisCount {
      int64_t stride, window, padBefore, lower, limit;
      /// The count when it is the same at every output position.
      std::optional<int64_t> uniform;
    };
    const cnn::WindowParams &params = geometry->params;
    AxisCount axes[2];
    for (unsigned axis = 0; axis < 2; ++axis) {
      AxisCount &count = axes[axis];
      count.stride = params.stride[axis];
      count.window = geometry->window[axis];
      count.padBefore = params.padBefore[axis];
      int64_t input = inputType.getDimSize(axis + 1);
      count.lower = op.getCountIncludePad() ? -count.padBefore : 0;
      count.limit =
          op.getCountIncludePad() ? input + params.padAfter[axis] : input;
      auto countAt = [&](int64_t position) {
        int64_t start = position * count.stride - count.padBefore;
        return std::min(start + count.window, count.limit) -
               std::max(start, count.lower);
      };
      count.uniform = countAt(0);
      for (int64_t o = 1, e = resultType.getDimSize(axis + 1); o < e; ++o) {
        if (countAt(o) != *count.uniform) {
          count.uniform.reset();
          break;
        }
      }
    }

    int64_t rank = resultType.getRank();
    Value empty = createEmpty(rewriter, loc, resultType.getShape());
    Value constantDivisor;
    if (axes[0].uniform && axes[1].uniform)
      constantDivisor = createF32Constant(
          rewriter, loc,
          APFloat(static_cast<float>(*axes[0].uniform * *axes[1].uniform)));

    // The count along `axis` at the current output position. Index
    // constants are created once per body.
    llvm::SmallDenseMap<int64_t, Value> indexConstants;
    auto buildAxisCount = [&](OpBuilder &b, Location loc,
                              const AxisCount &count, unsigned axis) -> Value {
      auto constant = [&](int64_t value) -> Value {
        Value &cached = indexConstants[value];
        if (!cached)
          cached = arith::ConstantIndexOp::create(b, loc, value);
        return cached;
      };
      if (count.uniform)
        return constant(*count.uniform);
      // One statement per op, so that the IR order does not depend on the
      // evaluation order of arguments.
      Value position = linalg::IndexOp::create(b, loc, axis + 1);
      Value stride = constant(count.stride);
      Value offset = arith::MulIOp::create(b, loc, position, stride);
      Value padBefore = constant(count.padBefore);
      Value start = arith::SubIOp::create(b, loc, offset, padBefore);
      Value window = constant(count.window);
      Value end = arith::AddIOp::create(b, loc, start, window);
      Value limit = constant(count.limit);
      Value clippedEnd = arith::MinSIOp::create(b, loc, end, limit);
      Value lower = constant(count.lower);
      Value clippedStart = arith::MaxSIOp::create(b, loc, start, lower);
      return arith::SubIOp::create(b, loc, clippedEnd, clippedStart);
    };

    auto average = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, ValueRange{sum},
        ValueRange{empty}, getElementwiseMaps(rewriter, rank, 2),
        getParallelIterators(rank),
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Value divisor = constantDivisor;
          if (!divisor) {
            Value rows = buildAxisCount(b, loc, axes[0], 0);
            Value columns = buildAxisCount(b, loc, axes[1], 1);
            Value count = arith::MulIOp::create(b, loc, rows, columns);
            Value count64 =
                arith::IndexCastOp::create(b, loc, b.getI64Type(), count);
            divisor = arith::SIToFPOp::create(b, loc, b.getF32Type(), count64);
          }
          linalg::YieldOp::create(
              b, loc,
              ValueRange{arith::DivFOp::create(b, loc, args[0], divisor)});
        });
    rewriter.replaceOp(op, average->getResults());
    return success();
  }
};
} // namespace

//===----------------------------------------------------------------------===//
// cnn.locally_connected2d
//===----------------------------------------------------------------------===//

namespace {
/// pad -> a generic contraction over (n, y, x, k, i, j, c) into the bias.
/// linalg has no named op for unshared filters.
struct LocallyConnected2DLowering
    : StaticShapeLowering<cnn::LocallyConnected2DOp> {
  using StaticShapeLowering::StaticShapeLowering;

  LogicalResult lower(cnn::LocallyConnected2DOp op, OpAdaptor adaptor,
                      ConversionPatternRewriter &rewriter) const override {
    // H2×W2×K×FH×FW×C
    RankedTensorType filterType = getStaticType(op.getFilter());
    RankedTensorType resultType = getStaticType(op.getOutput());
    FailureOr<WindowGeometry> geometry = getWindowGeometry(
        cnn::getWindowParams(op), getStaticType(op.getInput()),
        {filterType.getDimSize(3), filterType.getDimSize(4)});
    if (failed(geometry))
      return rewriter.notifyMatchFailure(op, "invalid window geometry");

    Location loc = op.getLoc();
    LazyZero zero(rewriter, loc);
    Value input = padSpatially(rewriter, loc, adaptor.getInput(),
                               geometry->padding, zero);
    Value init = createBiasInit(rewriter, loc, adaptor.getBias(),
                                resultType.getShape(), {0}, zero);
    const cnn::WindowParams &params = geometry->params;

    MLIRContext *ctx = rewriter.getContext();
    AffineExpr n, y, x, k, i, j, c;
    bindDims(ctx, n, y, x, k, i, j, c);
    auto map = [&](ArrayRef<AffineExpr> results) {
      return AffineMap::get(/*dimCount=*/7, /*symbolCount=*/0, results, ctx);
    };
    SmallVector<AffineMap> maps = {
        map({n, y * params.stride[0] + i, x * params.stride[1] + j, c}),
        map({y, x, k, i, j, c}), map({n, y, x, k})};
    SmallVector<utils::IteratorType> iterators = getParallelIterators(4);
    iterators.append(3, utils::IteratorType::reduction);

    auto contraction = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType},
        ValueRange{input, adaptor.getFilter()}, ValueRange{init}, maps,
        iterators, [](OpBuilder &b, Location loc, ValueRange args) {
          Value product = arith::MulFOp::create(b, loc, args[0], args[1]);
          linalg::YieldOp::create(
              b, loc,
              ValueRange{arith::AddFOp::create(b, loc, args[2], product)});
        });
    rewriter.replaceOp(op, contraction->getResults());
    return success();
  }
};
} // namespace

//===----------------------------------------------------------------------===//
// cnn.relu, cnn.dense, cnn.flatten, cnn.softmax
//===----------------------------------------------------------------------===//

namespace {
/// An elementwise generic computing max(x, 0).
struct ReluLowering : StaticShapeLowering<cnn::ReluOp> {
  using StaticShapeLowering::StaticShapeLowering;

  LogicalResult lower(cnn::ReluOp op, OpAdaptor adaptor,
                      ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = getStaticType(op.getOutput());
    Value zero = createZero(rewriter, loc);
    Value empty = createEmpty(rewriter, loc, type.getShape());
    auto relu = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{adaptor.getInput()},
        ValueRange{empty}, getElementwiseMaps(rewriter, type.getRank(), 2),
        getParallelIterators(type.getRank()),
        [&](OpBuilder &b, Location loc, ValueRange args) {
          linalg::YieldOp::create(
              b, loc,
              ValueRange{arith::MaximumFOp::create(b, loc, args[0], zero)});
        });
    rewriter.replaceOp(op, relu->getResults());
    return success();
  }
};

/// linalg.matmul with a transposed B (the weights are M×D, one row per unit)
/// into the broadcast bias.
struct DenseLowering : StaticShapeLowering<cnn::DenseOp> {
  using StaticShapeLowering::StaticShapeLowering;

  LogicalResult lower(cnn::DenseOp op, OpAdaptor adaptor,
                      ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = getStaticType(op.getOutput());
    Value init =
        createBiasInit(rewriter, loc, adaptor.getBias(), resultType.getShape(),
                       {0}, [&] { return createZero(rewriter, loc); });
    // A linalg.matmul whose indexing_maps read B as (n, k): no transposed
    // copy of the weights is made.
    auto matmul = linalg::MatmulTransposeBOp::create(
        rewriter, loc, TypeRange{resultType},
        ValueRange{adaptor.getInput(), adaptor.getWeights()}, ValueRange{init});
    rewriter.replaceOp(op, matmul->getResults());
    return success();
  }
};

/// tensor.collapse_shape of every dimension but the batch into one.
struct FlattenLowering : StaticShapeLowering<cnn::FlattenOp> {
  using StaticShapeLowering::StaticShapeLowering;

  LogicalResult lower(cnn::FlattenOp op, OpAdaptor adaptor,
                      ConversionPatternRewriter &rewriter) const override {
    RankedTensorType inputType = getStaticType(op.getInput());
    RankedTensorType resultType = getStaticType(op.getOutput());
    // An N×D input is already flat (and collapse_shape must reduce the rank).
    if (inputType == resultType) {
      rewriter.replaceOp(op, adaptor.getInput());
      return success();
    }
    SmallVector<ReassociationIndices> reassociation = {{0}, {}};
    for (int64_t dim = 1; dim < inputType.getRank(); ++dim)
      reassociation[1].push_back(dim);
    rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(
        op, resultType, adaptor.getInput(), reassociation);
    return success();
  }
};

/// linalg.softmax over the innermost dimension.
struct SoftmaxLowering : StaticShapeLowering<cnn::SoftmaxOp> {
  using StaticShapeLowering::StaticShapeLowering;

  LogicalResult lower(cnn::SoftmaxOp op, OpAdaptor adaptor,
                      ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = getStaticType(op.getOutput());
    Value empty = createEmpty(rewriter, loc, type.getShape());
    auto softmax = linalg::SoftmaxOp::create(
        rewriter, loc, TypeRange{type}, adaptor.getInput(), empty,
        static_cast<uint64_t>(type.getRank() - 1));
    rewriter.replaceOp(op, softmax->getResults());
    return success();
  }
};

/// linalg.transpose into an empty tensor. (No strategy is chosen for it:
/// the transposes of imported models' layout conversions run at the
/// network's boundary, as plain loops.)
struct TransposeLowering : StaticShapeLowering<cnn::TransposeOp> {
  using StaticShapeLowering::StaticShapeLowering;

  LogicalResult lower(cnn::TransposeOp op, OpAdaptor adaptor,
                      ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = getStaticType(op.getOutput());
    Value empty = createEmpty(rewriter, loc, type.getShape());
    auto transpose = linalg::TransposeOp::create(
        rewriter, loc, adaptor.getInput(), empty, op.getPerm());
    rewriter.replaceOp(op, transpose->getResults());
    return success();
  }
};

/// tensor.collapse_shape to one dimension, then tensor.expand_shape to the
/// new shape (either left out when it has one dimension): views of the same
/// buffer once bufferized.
struct ReshapeLowering : StaticShapeLowering<cnn::ReshapeOp> {
  using StaticShapeLowering::StaticShapeLowering;

  LogicalResult lower(cnn::ReshapeOp op, OpAdaptor adaptor,
                      ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType inputType = getStaticType(op.getInput());
    RankedTensorType resultType = getStaticType(op.getOutput());
    Value value = adaptor.getInput();
    if (inputType == resultType) {
      rewriter.replaceOp(op, value);
      return success();
    }
    auto allDims = [](int64_t rank) {
      ReassociationIndices dims;
      for (int64_t dim = 0; dim < rank; ++dim)
        dims.push_back(dim);
      return SmallVector<ReassociationIndices>{dims};
    };
    if (inputType.getRank() > 1)
      value = tensor::CollapseShapeOp::create(rewriter, loc, value,
                                              allDims(inputType.getRank()));
    if (resultType.getRank() > 1)
      value = tensor::ExpandShapeOp::create(rewriter, loc, resultType, value,
                                            allDims(resultType.getRank()));
    rewriter.replaceOp(op, value);
    return success();
  }
};
} // namespace

void convforge::populateCnnToLinalgConversionPatterns(
    RewritePatternSet &patterns) {
  patterns
      .add<AvgPool2DLowering, Conv2DLowering, DenseLowering, FlattenLowering,
           LocallyConnected2DLowering, MaxPool2DLowering, ReluLowering,
           ReshapeLowering, SoftmaxLowering, TransposeLowering>(
          patterns.getContext());
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

namespace {
struct ConvertCnnToLinalgPass
    : public convforge::impl::ConvertCnnToLinalgBase<ConvertCnnToLinalgPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();

    // Check the shapes first, so that an op with an unknown dimension gets
    // an error that says what to do rather than the conversion's generic
    // "failed to legalize".
    bool dynamic = false;
    func.walk([&](Operation *op) {
      if (isa_and_nonnull<cnn::CnnDialect>(op->getDialect()) &&
          failed(verifyStaticShapesForLowering(op)))
        dynamic = true;
    });
    if (dynamic)
      return signalPassFailure();

    ConversionTarget target(getContext());
    target.addIllegalDialect<cnn::CnnDialect>();
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           tensor::TensorDialect>();
    RewritePatternSet patterns(&getContext());
    populateCnnToLinalgConversionPatterns(patterns);
    if (failed(applyPartialConversion(func, target, std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
