//===- MemoryEstimate.cpp - The memory a network needs to run -------------===//
//
// The temporaries modeled here are those of the conversion to linalg
// (lib/Conversion/CnnToLinalg): a padded layer (convolution, pooling,
// locally connected, explicit or ceil padding) reads a padded copy of its
// input; a convolution transposes its K×FH×FW×D filter to FH×FW×D×K; a
// softmax reduces its rows twice (maximum, sum) and keeps the
// exponentials. Everything else writes its output only.
//
//===----------------------------------------------------------------------===//

#include "ConvForge/Dialect/Cnn/Analysis/MemoryEstimate.h"
#include "ConvForge/Dialect/Cnn/IR/CnnOps.h"
#include "ConvForge/Support/WindowArithmetic.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <limits>

using namespace mlir;
using namespace convforge;
using namespace convforge::cnn;

static constexpr uint64_t kSaturated = std::numeric_limits<uint64_t>::max();

uint64_t convforge::cnn::saturatingAdd(uint64_t a, uint64_t b) {
  return a > kSaturated - b ? kSaturated : a + b;
}

uint64_t convforge::cnn::saturatingMul(uint64_t a, uint64_t b) {
  return b != 0 && a > kSaturated / b ? kSaturated : a * b;
}

uint64_t MemoryEstimate::total() const {
  return saturatingAdd(saturatingAdd(weights, inputs),
                       saturatingAdd(activations, scratch));
}

/// Bytes of a statically shaped tensor (f32 or any element of 1-8 bytes).
static uint64_t bytesOf(ArrayRef<int64_t> shape, uint64_t elementBytes) {
  uint64_t bytes = elementBytes;
  for (int64_t dim : shape)
    bytes = saturatingMul(bytes, static_cast<uint64_t>(dim));
  return bytes;
}

static std::optional<uint64_t> bytesOf(Type type) {
  auto shaped = dyn_cast<RankedTensorType>(type);
  if (!shaped || !shaped.hasStaticShape())
    return std::nullopt;
  Type element = shaped.getElementType();
  uint64_t elementBytes =
      element.isIntOrFloat()
          ? std::max<uint64_t>(1, (element.getIntOrFloatBitWidth() + 7) / 8)
          : 8;
  return bytesOf(shaped.getShape(), elementBytes);
}

/// The bytes of the padded copy of a windowed op's N×H×W×D input, or 0 when
/// the op is not padded.
static uint64_t paddedInputBytes(RankedTensorType input,
                                 std::array<int64_t, 2> window,
                                 const std::optional<WindowParams> &params) {
  if (!params || input.getRank() != 4)
    return 0;
  SmallVector<int64_t, 4> shape(input.getShape());
  bool padded = false;
  for (unsigned axis = 0; axis < 2; ++axis) {
    WindowDim dim = params->dim(axis, shape[axis + 1], window[axis]);
    WindowOutput output = computeWindowOutput(dim, params->rounding);
    if (!output.ok())
      return 0; // rejected by the verifier
    int64_t extra[3] = {dim.padBefore, dim.padAfter, output.implicitPadAfter};
    for (int64_t pad : extra) {
      padded |= pad > 0;
      // Saturates rather than wraps: (in + pad) may exceed int64 only for
      // sizes the verifier has rejected already.
      if (llvm::AddOverflow(shape[axis + 1], pad, shape[axis + 1]))
        shape[axis + 1] = std::numeric_limits<int64_t>::max();
    }
  }
  return padded ? bytesOf(shape, sizeof(float)) : 0;
}

/// The temporaries of one cnn op whose operands and results are statically
/// shaped.
static uint64_t scratchOf(Operation *op) {
  auto typeOf = [](Value value) {
    return cast<RankedTensorType>(value.getType());
  };
  return llvm::TypeSwitch<Operation *, uint64_t>(op)
      .Case<Conv2DOp>([&](Conv2DOp conv) -> uint64_t {
        RankedTensorType filter = typeOf(conv.getFilter());
        uint64_t transposed = *bytesOf(filter);
        return saturatingAdd(
            transposed,
            paddedInputBytes(typeOf(conv.getInput()),
                             {filter.getDimSize(1), filter.getDimSize(2)},
                             getWindowParams(conv)));
      })
      .Case<LocallyConnected2DOp>([&](LocallyConnected2DOp lc) -> uint64_t {
        RankedTensorType filter = typeOf(lc.getFilter());
        return paddedInputBytes(typeOf(lc.getInput()),
                                {filter.getDimSize(3), filter.getDimSize(4)},
                                getWindowParams(lc));
      })
      .Case<MaxPool2DOp, AvgPool2DOp>([&](auto pool) -> uint64_t {
        std::optional<std::array<int64_t, 2>> window =
            getPoolWindow(pool.getWindow());
        if (!window)
          return 0;
        return paddedInputBytes(typeOf(pool.getInput()), *window,
                                getWindowParams(pool));
      })
      .Case<DenseOp>([&](DenseOp dense) -> uint64_t {
        // The partial sums of a dense layer split into lanes
        // (convforge-split-dot-products): up to 16 per output.
        return saturatingMul(*bytesOf(typeOf(dense.getOutput())), 16);
      })
      .Case<SoftmaxOp>([&](SoftmaxOp softmax) -> uint64_t {
        RankedTensorType type = typeOf(softmax.getOutput());
        uint64_t output = *bytesOf(type);
        // One maximum and one sum per row (all but the last dimension).
        uint64_t rows = bytesOf(type.getShape().drop_back(), sizeof(float));
        return saturatingAdd(output, saturatingMul(rows, 2));
      })
      .Default([](Operation *) -> uint64_t { return 0; });
}

/// The operands of a cnn op that are weights (filters, biases).
static SmallVector<Value, 2> getWeightOperands(Operation *op) {
  return llvm::TypeSwitch<Operation *, SmallVector<Value, 2>>(op)
      .Case<Conv2DOp, LocallyConnected2DOp>([](auto layer) {
        SmallVector<Value, 2> weights = {layer.getFilter()};
        if (layer.getBias())
          weights.push_back(layer.getBias());
        return weights;
      })
      .Case<DenseOp>([](DenseOp dense) {
        SmallVector<Value, 2> weights = {dense.getWeights()};
        if (dense.getBias())
          weights.push_back(dense.getBias());
        return weights;
      })
      .Default([](Operation *) { return SmallVector<Value, 2>(); });
}

FailureOr<MemoryEstimate> convforge::cnn::estimateMemory(func::FuncOp func) {
  MemoryEstimate estimate;
  llvm::DenseSet<Value> weights;
  auto addWeight = [&](Value value) {
    if (weights.insert(value).second)
      estimate.weights =
          saturatingAdd(estimate.weights, bytesOf(value.getType()).value_or(0));
  };
  auto staticShapeError = [](Operation *op, Value value) {
    return op->emitError() << "the memory estimate needs static shapes, got "
                           << value.getType();
  };

  for (Operation &op : func.getBody().getOps()) {
    if (isa_and_nonnull<CnnDialect>(op.getDialect())) {
      for (Value value : llvm::concat<Value>(op.getOperands(), op.getResults()))
        if (!bytesOf(value.getType()))
          return staticShapeError(&op, value);
      for (Value weight : getWeightOperands(&op))
        addWeight(weight);
      estimate.scratch = saturatingAdd(estimate.scratch, scratchOf(&op));
    }
  }
  // Constants and operand-less placeholders are weights (or other data the
  // code reads); every other op's tensor results are activations.
  for (Operation &op : func.getBody().getOps()) {
    bool isData = op.getNumOperands() == 0;
    for (Value result : op.getResults()) {
      std::optional<uint64_t> bytes = bytesOf(result.getType());
      if (!bytes)
        continue;
      if (isData) {
        addWeight(result);
      } else if (!weights.contains(result)) {
        estimate.activations = saturatingAdd(estimate.activations, *bytes);
      }
    }
  }
  for (BlockArgument argument : func.getArguments()) {
    if (weights.contains(argument))
      continue;
    std::optional<uint64_t> bytes = bytesOf(argument.getType());
    if (!bytes)
      return func.emitError() << "the memory estimate needs static shapes, got "
                              << argument.getType() << " for argument "
                              << argument.getArgNumber();
    estimate.inputs = saturatingAdd(estimate.inputs, *bytes);
  }
  return estimate;
}

std::string convforge::cnn::formatBytes(uint64_t bytes) {
  if (bytes == kSaturated)
    return "more than 16 EiB";
  if (bytes < 1024)
    return std::to_string(bytes) + " bytes";
  static constexpr const char *kUnits[] = {"KiB", "MiB", "GiB",
                                           "TiB", "PiB", "EiB"};
  double value = static_cast<double>(bytes) / 1024;
  unsigned unit = 0;
  while (value >= 1024 && unit + 1 < std::size(kUnits)) {
    value /= 1024;
    ++unit;
  }
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::format("%.1f ", value) << kUnits[unit];
  return text;
}
