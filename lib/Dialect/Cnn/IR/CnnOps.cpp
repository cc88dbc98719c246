//===- CnnOps.cpp - The cnn dialect's operations --------------------------===//
//
// Verification and result-type inference. Inference is tolerant: it returns
// the most precise type it can (unknown dimensions stay `?`, an unknown rank
// gives `tensor<*xf32>`) and never fails, so that builders and the shape
// inference pass can always run; the verifier, which runs first, reports
// every invalid configuration with a message of its own.
//
//===----------------------------------------------------------------------===//

#include "ConvForge/Dialect/Cnn/IR/CnnOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"

#include <limits>

using namespace mlir;
using namespace convforge;
using namespace convforge::cnn;

//===----------------------------------------------------------------------===//
// Window parameters
//===----------------------------------------------------------------------===//

static RoundingMode toRoundingMode(Rounding rounding) {
  switch (rounding) {
  case Rounding::exact:
    return RoundingMode::Exact;
  case Rounding::floor:
    return RoundingMode::Floor;
  case Rounding::ceil:
    return RoundingMode::Ceil;
  }
  return RoundingMode::Exact;
}

std::optional<WindowParams>
convforge::cnn::getWindowParams(std::optional<ArrayRef<int64_t>> strides,
                                std::optional<ArrayRef<int64_t>> padding,
                                std::optional<Rounding> rounding) {
  WindowParams params;
  if (strides) {
    if (strides->size() == 1) {
      params.stride[0] = params.stride[1] = (*strides)[0];
    } else if (strides->size() == 2) {
      params.stride[0] = (*strides)[0];
      params.stride[1] = (*strides)[1];
    } else {
      return std::nullopt;
    }
  }
  if (padding) {
    ArrayRef<int64_t> p = *padding;
    switch (p.size()) {
    case 1:
      params.padBefore[0] = params.padAfter[0] = p[0];
      params.padBefore[1] = params.padAfter[1] = p[0];
      break;
    case 2:
      params.padBefore[0] = params.padAfter[0] = p[0];
      params.padBefore[1] = params.padAfter[1] = p[1];
      break;
    case 4:
      params.padBefore[0] = p[0];
      params.padAfter[0] = p[1];
      params.padBefore[1] = p[2];
      params.padAfter[1] = p[3];
      break;
    default:
      return std::nullopt;
    }
  }
  if (rounding)
    params.rounding = toRoundingMode(*rounding);
  return params;
}

std::optional<std::array<int64_t, 2>>
convforge::cnn::getPoolWindow(ArrayRef<int64_t> window) {
  if (window.size() == 1)
    return std::array<int64_t, 2>{window[0], window[0]};
  if (window.size() == 2)
    return std::array<int64_t, 2>{window[0], window[1]};
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// Shared verification helpers
//===----------------------------------------------------------------------===//

namespace {
/// A value together with the role it plays, for messages ("input", ...).
struct Role {
  Value value;
  StringRef name;
};
} // namespace

static constexpr StringRef kAxisNames[2] = {"height", "width"};
static constexpr StringRef kBeforeNames[2] = {"top", "left"};
static constexpr StringRef kAfterNames[2] = {"bottom", "right"};

static RankedTensorType getRankedType(Value value) {
  return value ? dyn_cast<RankedTensorType>(value.getType()) : nullptr;
}

/// Dimension `index` of `type`, or kDynamic if the type is unranked, of a
/// different rank than `rank`, or the dimension is unknown.
static int64_t getDimOrDynamic(RankedTensorType type, int64_t rank,
                               int64_t index) {
  if (!type || type.getRank() != rank)
    return ShapedType::kDynamic;
  return type.getDimSize(index);
}

static LogicalResult verifyF32(Operation *op, ArrayRef<Role> roles) {
  for (const Role &role : roles) {
    if (!role.value)
      continue;
    Type element = getElementTypeOrSelf(role.value.getType());
    if (!element.isF32())
      return op->emitOpError()
             << role.name << " element type must be f32, got " << element;
  }
  return success();
}

static LogicalResult verifyRank(Operation *op, Role role, int64_t rank,
                                StringRef layout) {
  RankedTensorType type = getRankedType(role.value);
  if (type && type.getRank() != rank)
    return op->emitOpError()
           << role.name << " must be a " << rank << "-D tensor (" << layout
           << "), got " << role.value.getType();
  return success();
}

/// Rejects static shapes whose number of elements, or of bytes, overflows
/// int64: the lowering computes both (sizes, offsets, allocations).
static LogicalResult verifyElementCount(Operation *op, Type type,
                                        StringRef roleName) {
  auto ranked = dyn_cast<RankedTensorType>(type);
  if (!ranked || !ranked.hasStaticShape())
    return success();
  std::optional<int64_t> elements = checkedProduct(ranked.getShape());
  if (!elements)
    return op->emitOpError() << roleName << " " << type
                             << " has more elements than int64 can count";
  // f32 (anything else is rejected separately): 4 bytes per element.
  if (*elements > std::numeric_limits<int64_t>::max() / 4)
    return op->emitOpError()
           << roleName << " " << type << " has " << *elements
           << " elements, whose size in bytes overflows int64";
  return success();
}

static LogicalResult verifyElementCounts(Operation *op, ArrayRef<Role> roles) {
  for (const Role &role : roles)
    if (role.value &&
        failed(verifyElementCount(op, role.value.getType(), role.name)))
      return failure();
  return success();
}

/// A filter extends through the full depth of the input volume.
static LogicalResult verifyFilterDepth(Operation *op, int64_t inputDepth,
                                       int64_t filterDepth) {
  if (ShapedType::isDynamic(inputDepth) || ShapedType::isDynamic(filterDepth) ||
      inputDepth == filterDepth)
    return success();
  return op->emitOpError() << "filter depth " << filterDepth
                           << " does not match input depth " << inputDepth
                           << " (a filter extends through the full depth of "
                              "the input volume)";
}

/// Verifies the counts and signs of the stride and padding attributes.
static LogicalResult
verifyWindowAttributes(Operation *op, std::optional<ArrayRef<int64_t>> strides,
                       std::optional<ArrayRef<int64_t>> padding) {
  if (strides) {
    if (strides->size() != 1 && strides->size() != 2)
      return op->emitOpError()
             << "stride must have 1 or 2 values ([S] or [SH, SW]), got "
             << strides->size();
    for (int64_t stride : *strides)
      if (stride <= 0)
        return op->emitOpError() << "stride must be positive, got " << stride;
  }
  if (padding) {
    if (padding->size() != 1 && padding->size() != 2 && padding->size() != 4)
      return op->emitOpError()
             << "padding must have 1, 2 or 4 values ([P], [PH, PW] or [top, "
                "bottom, left, right]), got "
             << padding->size();
    for (int64_t pad : *padding)
      if (pad < 0)
        return op->emitOpError() << "padding must be non-negative, got " << pad;
  }
  return success();
}

/// Verifies the output size arithmetic of both spatial axes of a sliding
/// window whose sizes are known. `windowRole` names the window in messages
/// ("filter" or "window"). Pools also require the padding on each side to be
/// smaller than the window, so that no window covers padding only.
static LogicalResult verifySpatialGeometry(Operation *op,
                                           RankedTensorType input,
                                           std::array<int64_t, 2> window,
                                           const WindowParams &params,
                                           StringRef windowRole, bool isPool) {
  for (unsigned axis = 0; axis < 2; ++axis) {
    StringRef axisName = kAxisNames[axis];
    int64_t inputSize = getDimOrDynamic(input, 4, axis + 1);
    int64_t windowSize = window[axis];
    if (ShapedType::isDynamic(windowSize))
      continue;
    if (windowSize <= 0)
      return op->emitOpError() << windowRole << " " << axisName
                               << " must be positive, got " << windowSize;
    if (isPool) {
      for (auto [pad, side] :
           {std::pair(params.padBefore[axis], kBeforeNames[axis]),
            std::pair(params.padAfter[axis], kAfterNames[axis])}) {
        if (pad >= windowSize)
          return op->emitOpError()
                 << "padding " << pad << " on the " << side
                 << " is not smaller than the window " << axisName << " "
                 << windowSize << ": a window would cover padding only";
      }
    }
    if (ShapedType::isDynamic(inputSize))
      continue;
    WindowDim dim = params.dim(axis, inputSize, windowSize);
    WindowOutput output = computeWindowOutput(dim, params.rounding);
    switch (output.error) {
    case WindowError::None:
      break;
    case WindowError::NonPositiveInput:
      return op->emitOpError()
             << "input " << axisName << " must be positive, got " << inputSize;
    case WindowError::NonPositiveWindow:
    case WindowError::NonPositiveStride:
    case WindowError::NegativePadding:
      // Reported above and by verifyWindowAttributes.
      return failure();
    case WindowError::Overflow:
      return op->emitOpError()
             << "padded input " << axisName << " " << inputSize << " + "
             << dim.padBefore << " + " << dim.padAfter << " overflows int64";
    case WindowError::WindowLargerThanInput:
      return op->emitOpError()
             << windowRole << " " << axisName << " " << windowSize
             << " is larger than the padded input " << axisName << " "
             << inputSize + dim.padBefore + dim.padAfter << " (input "
             << inputSize << " + padding " << dim.padBefore << " + "
             << dim.padAfter << ")";
    case WindowError::NotExact: {
      WindowFixes fixes = suggestWindowFixes(dim);
      return op->emitOpError()
             << "output " << axisName << " " << formatWindowArithmetic(dim)
             << " is not an integer; "
             << formatWindowFixes(dim, fixes, kBeforeNames[axis],
                                  kAfterNames[axis]);
    }
    }
  }
  return success();
}

/// The inferred NHWC result of a sliding window over `inputType`: batch from
/// the input, depth `depth`, spatial sizes where everything is known.
static Type inferWindowResult(Type inputType, std::array<int64_t, 2> window,
                              const std::optional<WindowParams> &params,
                              int64_t depth) {
  Type element = getElementTypeOrSelf(inputType);
  auto input = dyn_cast<RankedTensorType>(inputType);
  if (!input || input.getRank() != 4)
    return UnrankedTensorType::get(element);
  SmallVector<int64_t, 4> shape = {input.getDimSize(0), ShapedType::kDynamic,
                                   ShapedType::kDynamic, depth};
  for (unsigned axis = 0; axis < 2 && params; ++axis) {
    int64_t inputSize = input.getDimSize(axis + 1);
    if (ShapedType::isDynamic(inputSize) || ShapedType::isDynamic(window[axis]))
      continue;
    WindowOutput output = computeWindowOutput(
        params->dim(axis, inputSize, window[axis]), params->rounding);
    if (output.ok())
      shape[axis + 1] = output.size;
  }
  return RankedTensorType::get(shape, element);
}

/// Result types are compatible when they are tensors of the same element
/// type whose shapes agree wherever both are known: a result written
/// `tensor<*xf32>` or `tensor<?x?x?x?xf32>` is a valid, less refined form of
/// the inferred type.
static bool areCompatibleResults(TypeRange inferred, TypeRange actual) {
  if (inferred.size() != actual.size())
    return false;
  for (auto [lhs, rhs] : llvm::zip(inferred, actual)) {
    auto lhsTensor = dyn_cast<TensorType>(lhs);
    auto rhsTensor = dyn_cast<TensorType>(rhs);
    if (!lhsTensor || !rhsTensor ||
        lhsTensor.getElementType() != rhsTensor.getElementType() ||
        failed(verifyCompatibleShape(lhs, rhs)))
      return false;
  }
  return true;
}

/// Checks the written result type against the inferred one (and that the
/// inferred shape has a countable number of elements). Done in the verifier,
/// before the interface's own check, to give one message of our own.
static LogicalResult verifyResultType(Operation *op) {
  SmallVector<Type, 1> inferred;
  if (failed(cast<InferTypeOpInterface>(op).inferReturnTypes(
          op->getContext(), op->getLoc(), op->getOperands(),
          op->getRawDictionaryAttrs(), op->getPropertiesStorage(),
          op->getRegions(), inferred)))
    return failure();
  if (failed(verifyElementCount(op, inferred.front(), "result")))
    return failure();
  if (!areCompatibleResults(inferred, op->getResultTypes()))
    return op->emitOpError()
           << "result type " << op->getResultTypes().front()
           << " does not match the inferred type " << inferred.front();
  return success();
}

//===----------------------------------------------------------------------===//
// Conv2DOp
//===----------------------------------------------------------------------===//

std::array<int64_t, 4>
convforge::cnn::getConvFilterShape(Type filterType,
                                   std::optional<uint64_t> filterBlock) {
  auto filter = dyn_cast<RankedTensorType>(filterType);
  if (!filterBlock)
    return {getDimOrDynamic(filter, 4, 0), getDimOrDynamic(filter, 4, 1),
            getDimOrDynamic(filter, 4, 2), getDimOrDynamic(filter, 4, 3)};
  // (K/B)×FH×FW×D×B: K is known when the block count is (and B fits).
  int64_t blocks = getDimOrDynamic(filter, 5, 0);
  int64_t numFilters = ShapedType::kDynamic;
  if (!ShapedType::isDynamic(blocks) && *filterBlock > 0 &&
      *filterBlock <= static_cast<uint64_t>(INT64_MAX))
    if (std::optional<int64_t> product =
            checkedProduct({blocks, static_cast<int64_t>(*filterBlock)}))
      numFilters = *product;
  return {numFilters, getDimOrDynamic(filter, 5, 1),
          getDimOrDynamic(filter, 5, 2), getDimOrDynamic(filter, 5, 3)};
}

/// Verifies the blocked filter storage of a conv2d with `filter_block`.
static LogicalResult verifyFilterBlock(Conv2DOp op) {
  std::optional<uint64_t> block = op.getFilterBlock();
  if (!block)
    return success();
  if (*block == 0 || *block > static_cast<uint64_t>(INT64_MAX))
    return op.emitOpError() << "filter_block must be positive, got "
                            << static_cast<int64_t>(*block);
  RankedTensorType filter = getRankedType(op.getFilter());
  if (!filter)
    return success();
  int64_t lanes = filter.getDimSize(4);
  if (!ShapedType::isDynamic(lanes) && lanes != static_cast<int64_t>(*block))
    return op.emitOpError() << "filter's last dimension " << lanes
                            << " must be the filter_block " << *block
                            << " (a blocked filter is (K/B)×FH×FW×D×B)";
  if (ShapedType::isDynamic(op.getFilterShape()[0]) &&
      !ShapedType::isDynamic(filter.getDimSize(0)))
    return op.emitOpError()
           << "filter_block " << *block << " times " << filter.getDimSize(0)
           << " blocks overflows int64";
  return success();
}

LogicalResult Conv2DOp::verify() {
  Operation *op = getOperation();
  Role input{getInput(), "input"}, filter{getFilter(), "filter"},
      bias{getBias(), "bias"}, result{getOutput(), "result"};
  bool blocked = getFilterBlock().has_value();
  if (failed(verifyF32(op, {input, filter, bias, result})) ||
      failed(verifyRank(op, input, 4, "N×H×W×D, NHWC")) ||
      failed(blocked ? verifyRank(op, filter, 5, "(K/B)×FH×FW×D×B, blocked")
                     : verifyRank(op, filter, 4, "K×FH×FW×D")) ||
      failed(verifyRank(op, bias, 1, "K")) ||
      failed(verifyRank(op, result, 4, "N×H×W×K, NHWC")) ||
      failed(verifyElementCounts(op, {input, filter, bias, result})) ||
      failed(verifyWindowAttributes(op, getStrides(), getPadding())) ||
      failed(verifyFilterBlock(*this)))
    return failure();

  RankedTensorType inputType = getRankedType(getInput());
  std::array<int64_t, 4> filterShape = getFilterShape();
  if (failed(verifyFilterDepth(op, getDimOrDynamic(inputType, 4, 3),
                               filterShape[3])))
    return failure();
  int64_t numFilters = filterShape[0];
  int64_t biasLength = getDimOrDynamic(getRankedType(getBias()), 1, 0);
  if (!ShapedType::isDynamic(numFilters) &&
      !ShapedType::isDynamic(biasLength) && numFilters != biasLength)
    return emitOpError() << "bias has " << biasLength
                         << " values but there are " << numFilters
                         << " filters (one bias per filter)";

  std::optional<WindowParams> params = cnn::getWindowParams(*this);
  if (failed(verifySpatialGeometry(op, inputType,
                                   {filterShape[1], filterShape[2]}, *params,
                                   "filter", /*isPool=*/false)))
    return failure();
  return verifyResultType(op);
}

LogicalResult Conv2DOp::inferReturnTypes(MLIRContext *, std::optional<Location>,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  std::array<int64_t, 4> filterShape = getConvFilterShape(
      adaptor.getFilter().getType(), adaptor.getFilterBlock());
  results.push_back(inferWindowResult(
      adaptor.getInput().getType(), {filterShape[1], filterShape[2]},
      cnn::getWindowParams(adaptor.getStrides(), adaptor.getPadding(),
                           adaptor.getRounding()),
      filterShape[0]));
  return success();
}

bool Conv2DOp::isCompatibleReturnTypes(TypeRange lhs, TypeRange rhs) {
  return areCompatibleResults(lhs, rhs);
}

//===----------------------------------------------------------------------===//
// LocallyConnected2DOp
//===----------------------------------------------------------------------===//

/// {FH, FW} of an H2×W2×K×FH×FW×D filter, kDynamic where unknown.
static std::array<int64_t, 2> getLocallyConnectedWindow(Type filterType) {
  auto filter = dyn_cast<RankedTensorType>(filterType);
  return {getDimOrDynamic(filter, 6, 3), getDimOrDynamic(filter, 6, 4)};
}

LogicalResult LocallyConnected2DOp::verify() {
  Operation *op = getOperation();
  Role input{getInput(), "input"}, filter{getFilter(), "filter"},
      bias{getBias(), "bias"}, result{getOutput(), "result"};
  if (failed(verifyF32(op, {input, filter, bias, result})) ||
      failed(verifyRank(op, input, 4, "N×H×W×D, NHWC")) ||
      failed(verifyRank(op, filter, 6, "H2×W2×K×FH×FW×D")) ||
      failed(verifyRank(op, bias, 3, "H2×W2×K")) ||
      failed(verifyRank(op, result, 4, "N×H2×W2×K, NHWC")) ||
      failed(verifyElementCounts(op, {input, filter, bias, result})) ||
      failed(verifyWindowAttributes(op, getStrides(), getPadding())))
    return failure();

  RankedTensorType inputType = getRankedType(getInput());
  RankedTensorType filterType = getRankedType(getFilter());
  if (failed(verifyFilterDepth(op, getDimOrDynamic(inputType, 4, 3),
                               getDimOrDynamic(filterType, 6, 5))))
    return failure();

  std::optional<WindowParams> params = cnn::getWindowParams(*this);
  std::array<int64_t, 2> window =
      getLocallyConnectedWindow(getFilter().getType());
  if (failed(verifySpatialGeometry(op, inputType, window, *params, "filter",
                                   /*isPool=*/false)))
    return failure();

  // The filter (and bias) hold one filter bank per output position.
  auto inferred = dyn_cast<RankedTensorType>(inferWindowResult(
      getInput().getType(), window, params, getDimOrDynamic(filterType, 6, 2)));
  for (unsigned axis = 0; axis < 2 && inferred && filterType; ++axis) {
    int64_t outputSize = inferred.getDimSize(axis + 1);
    int64_t positions = filterType.getDimSize(axis);
    if (!ShapedType::isDynamic(outputSize) &&
        !ShapedType::isDynamic(positions) && outputSize != positions)
      return emitOpError()
             << "filter has " << positions << " output positions along the "
             << kAxisNames[axis] << " but the output " << kAxisNames[axis]
             << " is " << outputSize
             << " (the filter is H2×W2×K×FH×FW×D, one bank per output "
                "position)";
  }
  if (RankedTensorType biasType = getRankedType(getBias());
      biasType && filterType) {
    for (unsigned i = 0; i < 3; ++i) {
      if (!biasType.isDynamicDim(i) && !filterType.isDynamicDim(i) &&
          biasType.getDimSize(i) != filterType.getDimSize(i))
        return emitOpError()
               << "bias " << getBias().getType()
               << " does not match the filter's H2×W2×K = "
               << filterType.getDimSize(0) << "×" << filterType.getDimSize(1)
               << "×" << filterType.getDimSize(2)
               << " (one bias per output neuron)";
    }
  }
  return verifyResultType(op);
}

LogicalResult
LocallyConnected2DOp::inferReturnTypes(MLIRContext *, std::optional<Location>,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &results) {
  Type filterType = adaptor.getFilter().getType();
  results.push_back(inferWindowResult(
      adaptor.getInput().getType(), getLocallyConnectedWindow(filterType),
      cnn::getWindowParams(adaptor.getStrides(), adaptor.getPadding(),
                           adaptor.getRounding()),
      getDimOrDynamic(dyn_cast<RankedTensorType>(filterType), 6, 2)));
  return success();
}

bool LocallyConnected2DOp::isCompatibleReturnTypes(TypeRange lhs,
                                                   TypeRange rhs) {
  return areCompatibleResults(lhs, rhs);
}

//===----------------------------------------------------------------------===//
// Pooling ops
//===----------------------------------------------------------------------===//

template <typename PoolOp> static LogicalResult verifyPool(PoolOp op) {
  Operation *operation = op.getOperation();
  Role input{op.getInput(), "input"}, result{op.getOutput(), "result"};
  if (failed(verifyF32(operation, {input, result})) ||
      failed(verifyRank(operation, input, 4, "N×H×W×D, NHWC")) ||
      failed(verifyRank(operation, result, 4, "N×H×W×D, NHWC")) ||
      failed(verifyElementCounts(operation, {input, result})) ||
      failed(
          verifyWindowAttributes(operation, op.getStrides(), op.getPadding())))
    return failure();
  std::optional<std::array<int64_t, 2>> window = getPoolWindow(op.getWindow());
  if (!window)
    return op.emitOpError()
           << "window must have 1 or 2 values ([F] or [FH, FW]), got "
           << op.getWindow().size();
  std::optional<WindowParams> params = cnn::getWindowParams(op);
  RankedTensorType inputType = getRankedType(op.getInput());
  if (failed(verifySpatialGeometry(operation, inputType, *window, *params,
                                   "window", /*isPool=*/true)))
    return failure();
  return verifyResultType(operation);
}

template <typename Adaptor>
static void inferPool(Adaptor adaptor, SmallVectorImpl<Type> &results) {
  Type inputType = adaptor.getInput().getType();
  std::array<int64_t, 2> window = {ShapedType::kDynamic, ShapedType::kDynamic};
  if (auto normalized = getPoolWindow(adaptor.getWindow()))
    window = *normalized;
  results.push_back(inferWindowResult(
      inputType, window,
      cnn::getWindowParams(adaptor.getStrides(), adaptor.getPadding(),
                           adaptor.getRounding()),
      getDimOrDynamic(dyn_cast<RankedTensorType>(inputType), 4, 3)));
}

LogicalResult MaxPool2DOp::verify() { return verifyPool(*this); }

LogicalResult MaxPool2DOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location>,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  inferPool(adaptor, results);
  return success();
}

bool MaxPool2DOp::isCompatibleReturnTypes(TypeRange lhs, TypeRange rhs) {
  return areCompatibleResults(lhs, rhs);
}

LogicalResult AvgPool2DOp::verify() { return verifyPool(*this); }

LogicalResult AvgPool2DOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location>,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  inferPool(adaptor, results);
  return success();
}

bool AvgPool2DOp::isCompatibleReturnTypes(TypeRange lhs, TypeRange rhs) {
  return areCompatibleResults(lhs, rhs);
}

//===----------------------------------------------------------------------===//
// Elementwise ops: relu, softmax
//===----------------------------------------------------------------------===//

LogicalResult ReluOp::verify() {
  Role input{getInput(), "input"}, result{getOutput(), "result"};
  return failure(failed(verifyF32(*this, {input, result})) ||
                 failed(verifyElementCounts(*this, {input, result})) ||
                 failed(verifyResultType(*this)));
}

LogicalResult ReluOp::inferReturnTypes(MLIRContext *, std::optional<Location>,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &results) {
  results.push_back(adaptor.getInput().getType());
  return success();
}

bool ReluOp::isCompatibleReturnTypes(TypeRange lhs, TypeRange rhs) {
  return areCompatibleResults(lhs, rhs);
}

LogicalResult SoftmaxOp::verify() {
  Role input{getInput(), "input"}, result{getOutput(), "result"};
  if (failed(verifyF32(*this, {input, result})) ||
      failed(verifyElementCounts(*this, {input, result})))
    return failure();
  if (RankedTensorType type = getRankedType(getInput());
      type && type.getRank() == 0)
    return emitOpError() << "input must have at least one dimension, got "
                         << type;
  return verifyResultType(*this);
}

LogicalResult SoftmaxOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location>,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &results) {
  results.push_back(adaptor.getInput().getType());
  return success();
}

bool SoftmaxOp::isCompatibleReturnTypes(TypeRange lhs, TypeRange rhs) {
  return areCompatibleResults(lhs, rhs);
}

//===----------------------------------------------------------------------===//
// DenseOp
//===----------------------------------------------------------------------===//

LogicalResult DenseOp::verify() {
  Operation *op = getOperation();
  Role input{getInput(), "input"}, weights{getWeights(), "weights"},
      bias{getBias(), "bias"}, result{getOutput(), "result"};
  if (failed(verifyF32(op, {input, weights, bias, result})) ||
      failed(verifyRank(op, input, 2, "N×D; flatten a volume first")) ||
      failed(verifyRank(op, weights, 2, "M×D")) ||
      failed(verifyRank(op, bias, 1, "M")) ||
      failed(verifyRank(op, result, 2, "N×M")) ||
      failed(verifyElementCounts(op, {input, weights, bias, result})))
    return failure();
  RankedTensorType inputType = getRankedType(getInput());
  RankedTensorType weightsType = getRankedType(getWeights());
  int64_t features = getDimOrDynamic(inputType, 2, 1);
  int64_t weightFeatures = getDimOrDynamic(weightsType, 2, 1);
  if (!ShapedType::isDynamic(features) &&
      !ShapedType::isDynamic(weightFeatures) && features != weightFeatures)
    return emitOpError() << "weights take " << weightFeatures
                         << " input features but the input has " << features
                         << " (weights are M×D, one row per unit)";
  int64_t units = getDimOrDynamic(weightsType, 2, 0);
  int64_t biasLength = getDimOrDynamic(getRankedType(getBias()), 1, 0);
  if (!ShapedType::isDynamic(units) && !ShapedType::isDynamic(biasLength) &&
      units != biasLength)
    return emitOpError() << "bias has " << biasLength
                         << " values but there are " << units
                         << " units (one bias per unit)";
  return verifyResultType(op);
}

LogicalResult DenseOp::inferReturnTypes(MLIRContext *, std::optional<Location>,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &results) {
  Type inputType = adaptor.getInput().getType();
  auto input = dyn_cast<RankedTensorType>(inputType);
  auto weights = dyn_cast<RankedTensorType>(adaptor.getWeights().getType());
  results.push_back(RankedTensorType::get(
      {getDimOrDynamic(input, 2, 0), getDimOrDynamic(weights, 2, 0)},
      getElementTypeOrSelf(inputType)));
  return success();
}

bool DenseOp::isCompatibleReturnTypes(TypeRange lhs, TypeRange rhs) {
  return areCompatibleResults(lhs, rhs);
}

//===----------------------------------------------------------------------===//
// FlattenOp
//===----------------------------------------------------------------------===//

LogicalResult FlattenOp::verify() {
  Role input{getInput(), "input"}, result{getOutput(), "result"};
  if (failed(verifyF32(*this, {input, result})) ||
      failed(verifyElementCounts(*this, {input, result})) ||
      failed(verifyRank(*this, result, 2, "N×features")))
    return failure();
  if (RankedTensorType type = getRankedType(getInput());
      type && type.getRank() < 2)
    return emitOpError() << "input must have a batch dimension and at least "
                            "one more dimension, got "
                         << type;
  return verifyResultType(*this);
}

LogicalResult FlattenOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location>,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &results) {
  Type inputType = adaptor.getInput().getType();
  auto input = dyn_cast<RankedTensorType>(inputType);
  int64_t batch = ShapedType::kDynamic, features = ShapedType::kDynamic;
  if (input && input.getRank() >= 1) {
    batch = input.getDimSize(0);
    ArrayRef<int64_t> rest = input.getShape().drop_front();
    if (!ShapedType::isDynamicShape(rest))
      features = checkedProduct(rest).value_or(ShapedType::kDynamic);
  }
  results.push_back(RankedTensorType::get({batch, features},
                                          getElementTypeOrSelf(inputType)));
  return success();
}

bool FlattenOp::isCompatibleReturnTypes(TypeRange lhs, TypeRange rhs) {
  return areCompatibleResults(lhs, rhs);
}

//===----------------------------------------------------------------------===//
// TransposeOp
//===----------------------------------------------------------------------===//

/// "[0, 2, 3, 1]", for messages.
static std::string formatList(ArrayRef<int64_t> values) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "[";
  llvm::interleaveComma(values, os);
  os << "]";
  return text;
}

LogicalResult TransposeOp::verify() {
  Role input{getInput(), "input"}, result{getOutput(), "result"};
  if (failed(verifyF32(*this, {input, result})) ||
      failed(verifyElementCounts(*this, {input, result})))
    return failure();
  ArrayRef<int64_t> perm = getPerm();
  if (perm.empty())
    return emitOpError() << "perm must have at least one value";
  SmallVector<bool> seen(perm.size(), false);
  for (int64_t dim : perm) {
    if (dim < 0 || dim >= static_cast<int64_t>(perm.size()) || seen[dim])
      return emitOpError() << "perm " << formatList(perm)
                           << " is not a permutation of 0.." << perm.size() - 1;
    seen[dim] = true;
  }
  if (RankedTensorType type = getRankedType(getInput());
      type && type.getRank() != static_cast<int64_t>(perm.size()))
    return emitOpError() << "perm has " << perm.size()
                         << " values but the input " << type << " has rank "
                         << type.getRank();
  return verifyResultType(*this);
}

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location>,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  Type inputType = adaptor.getInput().getType();
  Type element = getElementTypeOrSelf(inputType);
  ArrayRef<int64_t> perm = adaptor.getPerm();
  auto input = dyn_cast<RankedTensorType>(inputType);
  SmallVector<int64_t> shape;
  for (int64_t dim : perm) {
    if (!input || input.getRank() != static_cast<int64_t>(perm.size()) ||
        dim < 0 || dim >= input.getRank()) {
      results.push_back(UnrankedTensorType::get(element));
      return success();
    }
    shape.push_back(input.getDimSize(dim));
  }
  results.push_back(RankedTensorType::get(shape, element));
  return success();
}

bool TransposeOp::isCompatibleReturnTypes(TypeRange lhs, TypeRange rhs) {
  return areCompatibleResults(lhs, rhs);
}

//===----------------------------------------------------------------------===//
// ReshapeOp
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::verify() {
  Role input{getInput(), "input"}, result{getOutput(), "result"};
  if (failed(verifyF32(*this, {input, result})) ||
      failed(verifyElementCounts(*this, {input, result})))
    return failure();
  ArrayRef<int64_t> shape = getShape();
  if (shape.empty())
    return emitOpError() << "shape must have at least one value";
  for (int64_t extent : shape)
    if (extent <= 0)
      return emitOpError() << "shape extents must be positive, got " << extent;
  std::optional<int64_t> elements = checkedProduct(shape);
  if (!elements)
    return emitOpError() << "shape " << formatList(shape)
                         << " has more elements than int64 can count";
  if (RankedTensorType type = getRankedType(getInput());
      type && type.hasStaticShape()) {
    std::optional<int64_t> inputElements = checkedProduct(type.getShape());
    if (inputElements && *inputElements != *elements)
      return emitOpError() << "shape " << formatList(shape) << " holds "
                           << *elements << " elements but the input " << type
                           << " has " << *inputElements;
  }
  return verifyResultType(*this);
}

LogicalResult ReshapeOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location>,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &results) {
  results.push_back(RankedTensorType::get(
      adaptor.getShape(), getElementTypeOrSelf(adaptor.getInput().getType())));
  return success();
}

bool ReshapeOp::isCompatibleReturnTypes(TypeRange lhs, TypeRange rhs) {
  return areCompatibleResults(lhs, rhs);
}

#define GET_OP_CLASSES
#include "ConvForge/Dialect/Cnn/IR/CnnOps.cpp.inc"
