//===- NetworkStats.cpp - Volume arithmetic of a network ------------------===//

#include "ConvForge/Dialect/Cnn/Analysis/NetworkStats.h"
#include "ConvForge/Dialect/Cnn/IR/CnnOps.h"
#include "ConvForge/Support/WindowArithmetic.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Location.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace convforge;
using namespace convforge::cnn;

namespace {
/// int64 arithmetic that remembers whether anything overflowed, so that a
/// whole formula can be written plainly and checked once.
class CheckedInt {
public:
  CheckedInt(int64_t value = 0) : value(value) {}

  CheckedInt operator*(CheckedInt other) const {
    CheckedInt result;
    result.overflow = overflow || other.overflow ||
                      llvm::MulOverflow(value, other.value, result.value);
    return result;
  }
  CheckedInt operator+(CheckedInt other) const {
    CheckedInt result;
    result.overflow = overflow || other.overflow ||
                      llvm::AddOverflow(value, other.value, result.value);
    return result;
  }

  int64_t value;
  bool overflow = false;
};
} // namespace

/// The layer's name: the NameLoc the frontend attached, else "<op>_<n>".
static std::string getLayerName(Operation *op, StringRef mnemonic,
                                llvm::StringMap<int> &counters) {
  std::string name;
  op->getLoc()->walk([&](Location loc) {
    if (auto named = dyn_cast<NameLoc>(loc)) {
      name = named.getName().str();
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  if (!name.empty())
    return name;
  return (mnemonic + "_" + Twine(++counters[mnemonic])).str();
}

static ArrayRef<int64_t> getStaticShape(Value value) {
  return cast<RankedTensorType>(value.getType()).getShape();
}

FailureOr<SmallVector<LayerStats>>
convforge::cnn::computeNetworkStats(func::FuncOp func) {
  SmallVector<LayerStats> layers;
  llvm::StringMap<int> counters;
  for (Operation &op : func.getBody().getOps()) {
    if (!isa_and_nonnull<CnnDialect>(op.getDialect()))
      continue;
    for (Value operand :
         llvm::concat<Value>(op.getOperands(), op.getResults())) {
      auto type = dyn_cast<RankedTensorType>(operand.getType());
      if (!type || !type.hasStaticShape())
        return op.emitError()
               << "the report needs static shapes, got " << operand.getType()
               << "; run --cnn-shape-inference first";
    }
    StringRef mnemonic = op.getName().stripDialect();
    LayerStats layer;
    layer.name = getLayerName(&op, mnemonic, counters);
    layer.op = mnemonic.str();
    ArrayRef<int64_t> output = getStaticShape(op.getResult(0));
    layer.batch = output.front();
    layer.outputShape.assign(output.begin() + 1, output.end());

    CheckedInt neurons = 1;
    for (int64_t dim : layer.outputShape)
      neurons = neurons * dim;
    CheckedInt weights = 0, biases = 0, unshared = 0, macs = 0;
    llvm::TypeSwitch<Operation *>(&op)
        .Case<Conv2DOp>([&](Conv2DOp conv) {
          std::array<int64_t, 4> filter = conv.getFilterShape();
          CheckedInt perFilter = CheckedInt(filter[1]) * filter[2] * filter[3];
          weights = perFilter * filter[0];
          biases = conv.getBias() ? filter[0] : 0;
          unshared = neurons * (perFilter + CheckedInt(conv.getBias() ? 1 : 0));
          macs = neurons * perFilter;
        })
        .Case<LocallyConnected2DOp>([&](LocallyConnected2DOp lc) {
          ArrayRef<int64_t> filter = getStaticShape(lc.getFilter());
          CheckedInt perNeuron = CheckedInt(filter[3]) * filter[4] * filter[5];
          weights = neurons * perNeuron;
          biases = lc.getBias() ? neurons : 0;
          unshared = weights + biases;
          macs = neurons * perNeuron;
        })
        .Case<DenseOp>([&](DenseOp dense) {
          ArrayRef<int64_t> shape = getStaticShape(dense.getWeights());
          weights = CheckedInt(shape[0]) * shape[1];
          biases = dense.getBias() ? shape[0] : 0;
          unshared = weights + biases;
          macs = weights;
        })
        .Case<MaxPool2DOp, AvgPool2DOp>([&](Operation *) {})
        .Default([&](Operation *) {
          // relu, softmax and flatten transform activations in place: they
          // add no neurons of their own.
          neurons = 0;
        });
    for (CheckedInt count : {neurons, weights, biases, unshared, macs})
      if (count.overflow)
        return op.emitError() << "the layer's counts overflow int64";
    layer.neurons = neurons.value;
    layer.weights = weights.value;
    layer.biases = biases.value;
    layer.unsharedParams = unshared.value;
    layer.macs = macs.value;
    layers.push_back(std::move(layer));
  }
  return layers;
}

/// Formats a shape as "55x55x96".
static std::string formatShape(ArrayRef<int64_t> shape) {
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::interleave(shape, os, "x");
  return text;
}

void convforge::cnn::printNetworkStats(raw_ostream &os, StringRef title,
                                       ArrayRef<LayerStats> layers) {
  int64_t batch = layers.empty() ? 1 : layers.front().batch;
  os << title << " (batch " << batch << "; counts per image)\n";

  using Row = SmallVector<std::string, 9>;
  std::vector<Row> rows;
  rows.push_back({"layer", "op", "output", "neurons", "weights", "biases",
                  "params", "unshared params", "MACs"});
  CheckedInt neurons = 0, weights = 0, biases = 0, unshared = 0, macs = 0;
  for (const LayerStats &layer : layers) {
    rows.push_back(
        {layer.name, layer.op, formatShape(layer.outputShape),
         formatWithThousands(layer.neurons), formatWithThousands(layer.weights),
         formatWithThousands(layer.biases), formatWithThousands(layer.params()),
         formatWithThousands(layer.unsharedParams),
         formatWithThousands(layer.macs)});
    neurons = neurons + layer.neurons;
    weights = weights + layer.weights;
    biases = biases + layer.biases;
    unshared = unshared + layer.unsharedParams;
    macs = macs + layer.macs;
  }
  auto total = [](CheckedInt value) {
    return value.overflow ? std::string("overflow")
                          : formatWithThousands(value.value);
  };
  rows.push_back({"total", "", "", total(neurons), total(weights),
                  total(biases), total(weights + biases), total(unshared),
                  total(macs)});

  // Text columns are left-aligned, counts right-aligned.
  constexpr size_t kNumTextColumns = 3;
  SmallVector<size_t, 9> widths(rows.front().size(), 0);
  for (const Row &row : rows)
    for (auto [index, cell] : llvm::enumerate(row))
      widths[index] = std::max(widths[index], cell.size());
  for (const Row &row : rows) {
    std::string line;
    for (auto [index, cell] : llvm::enumerate(row)) {
      std::string padding(widths[index] - cell.size(), ' ');
      if (index != 0)
        line += "  ";
      line += index < kNumTextColumns ? cell + padding : padding + cell;
    }
    while (!line.empty() && line.back() == ' ')
      line.pop_back();
    os << line << '\n';
  }
  CheckedInt flops = macs * 2;
  CheckedInt batchFlops = flops * batch;
  os << "FLOPs (2 per MAC): " << total(flops) << " per image, "
     << total(batchFlops) << " per batch of " << batch << '\n';
}
