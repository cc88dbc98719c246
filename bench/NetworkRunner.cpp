//===- NetworkRunner.cpp - A whole network through ConvForge --------------===//

#include "NetworkRunner.h"

#include "ConvForge/Dialect/Cnn/Analysis/NetworkStats.h"
#include "ConvForge/Dialect/Cnn/IR/CnnOps.h"
#include "ConvForge/Driver/Driver.h"
#include "ConvForge/Execution/Jit.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/TypeSwitch.h"

#include <optional>

using namespace mlir;

namespace convforge::bench {

struct NetworkRunner::State {
  driver::Session session;
  std::optional<driver::Network> network;
  /// The network as loaded, before packing: a clone sharing the weights'
  /// storage, which model() points into.
  OwningOpRef<ModuleOp> original;
  std::vector<driver::WeightBuffer> weights; ///< as outlined, call order
  NetworkModel model;
  double loadSeconds = 0, packSeconds = 0;
};

NetworkRunner::NetworkRunner() : state(std::make_unique<State>()) {}
NetworkRunner::~NetworkRunner() = default;

const NetworkModel &NetworkRunner::model() const { return state->model; }
double NetworkRunner::loadSeconds() const { return state->loadSeconds; }
double NetworkRunner::packSeconds() const { return state->packSeconds; }

namespace {

std::vector<int64_t> shapeOf(Value value) {
  ArrayRef<int64_t> shape = cast<RankedTensorType>(value.getType()).getShape();
  return {shape.begin(), shape.end()};
}

/// The f32 contents of the constant that defines `value` (a weight), the
/// constant's own storage when it has one.
std::optional<NetworkTensor> weightData(Value value) {
  auto constant = value.getDefiningOp<arith::ConstantOp>();
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!constant || !type || !type.hasStaticShape() ||
      !type.getElementType().isF32())
    return std::nullopt;
  NetworkTensor tensor;
  tensor.shape = shapeOf(value);
  int64_t elements = type.getNumElements();
  if (auto resource =
          dyn_cast<DenseResourceElementsAttr>(constant.getValue())) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob || blob->getData().size() != static_cast<size_t>(elements) * 4 ||
        reinterpret_cast<uintptr_t>(blob->getData().data()) % alignof(float))
      return std::nullopt;
    tensor.data = reinterpret_cast<const float *>(blob->getData().data());
    return tensor;
  }
  if (auto dense = dyn_cast<DenseElementsAttr>(constant.getValue())) {
    auto values = dense.getValues<float>();
    tensor.owned.assign(values.begin(), values.end());
    tensor.data = tensor.owned.data();
    return tensor;
  }
  return std::nullopt;
}

void setWindow(NetworkOp &op, std::array<int64_t, 2> window,
               const WindowParams &params) {
  for (int axis = 0; axis < 2; ++axis) {
    op.window[axis] = window[axis];
    op.stride[axis] = params.stride[axis];
    op.padBefore[axis] = params.padBefore[axis];
    op.padAfter[axis] = params.padAfter[axis];
  }
}

/// Reads the ops of `func` (shapes inferred, weights constants, filters not
/// yet packed) into `model`. Only a chain of ops is accepted: each op takes
/// the previous one's result (or the input).
std::string readModel(func::FuncOp func, NetworkModel &model) {
  if (func.getNumArguments() != 1 || func.getNumResults() != 1)
    return "the network must have one input and one output";
  model.inputShape = shapeOf(func.getArgument(0));
  Value current = func.getArgument(0);
  for (Operation &operation : func.getBody().getOps()) {
    if (isa<arith::ConstantOp>(operation))
      continue;
    if (auto ret = dyn_cast<func::ReturnOp>(operation)) {
      if (ret.getNumOperands() != 1 || ret.getOperand(0) != current)
        return "the network's output is not its last layer's";
      break;
    }
    NetworkOp op;
    op.name = operation.getName().stripDialect().str();
    operation.getLoc()->walk([&](Location loc) {
      if (auto named = dyn_cast<NameLoc>(loc)) {
        op.name = named.getName().str();
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    if (operation.getNumOperands() < 1 || operation.getOperand(0) != current ||
        operation.getNumResults() != 1)
      return "layer '" + op.name +
             "' does not take the previous layer's "
             "output: only chains of layers are supported";
    op.inputShape = shapeOf(operation.getOperand(0));
    op.outputShape = shapeOf(operation.getResult(0));
    std::string error;
    auto loadWeights = [&](Value weights, Value bias) {
      std::optional<NetworkTensor> w = weightData(weights);
      std::optional<NetworkTensor> b =
          bias ? weightData(bias) : std::optional<NetworkTensor>();
      if (!w || (bias && !b)) {
        error = "layer '" + op.name + "': its weights are not f32 constants";
        return;
      }
      op.weights = std::move(*w);
      if (b)
        op.bias = std::move(*b);
    };
    llvm::TypeSwitch<Operation *>(&operation)
        .Case<cnn::Conv2DOp>([&](cnn::Conv2DOp conv) {
          op.kind = NetworkOpKind::Conv;
          if (conv.getFilterBlock()) {
            error = "layer '" + op.name + "': its filter is already packed";
            return;
          }
          std::array<int64_t, 4> filter = conv.getFilterShape();
          setWindow(op, {filter[1], filter[2]}, *cnn::getWindowParams(conv));
          loadWeights(conv.getFilter(), conv.getBias());
        })
        .Case<cnn::MaxPool2DOp>([&](cnn::MaxPool2DOp pool) {
          op.kind = NetworkOpKind::MaxPool;
          setWindow(op, *cnn::getPoolWindow(pool.getWindow()),
                    *cnn::getWindowParams(pool));
        })
        .Case<cnn::AvgPool2DOp>([&](cnn::AvgPool2DOp pool) {
          op.kind = NetworkOpKind::AvgPool;
          setWindow(op, *cnn::getPoolWindow(pool.getWindow()),
                    *cnn::getWindowParams(pool));
          op.countIncludePad = pool.getCountIncludePad();
        })
        .Case<cnn::ReluOp>([&](auto) { op.kind = NetworkOpKind::Relu; })
        .Case<cnn::FlattenOp>([&](auto) { op.kind = NetworkOpKind::Flatten; })
        .Case<cnn::SoftmaxOp>([&](auto) { op.kind = NetworkOpKind::Softmax; })
        .Case<cnn::DenseOp>([&](cnn::DenseOp dense) {
          op.kind = NetworkOpKind::Dense;
          loadWeights(dense.getWeights(), dense.getBias());
        })
        .Default([&](Operation *other) {
          error = "layer '" + op.name +
                  "': " + other->getName().getStringRef().str() +
                  " is not supported by the benchmark's oneDNN network";
        });
    if (!error.empty())
      return error;
    current = operation.getResult(0);
    model.ops.push_back(std::move(op));
  }
  model.outputShape = shapeOf(current);
  return "";
}

} // namespace

std::string NetworkRunner::load(const std::string &path) {
  State &s = *state;
  s.model = NetworkModel();
  s.model.path = path;
  auto start = std::chrono::steady_clock::now();
  s.network = s.session.load(path, driver::LoadOptions());
  if (!s.network)
    return "cannot load " + path + " (see the messages above)";
  s.loadSeconds = secondsSince(start);
  func::FuncOp entry = s.network->getEntry();
  s.model.name = s.network->entry;
  FailureOr<SmallVector<cnn::LayerStats>> stats =
      cnn::computeNetworkStats(entry);
  if (failed(stats))
    return "cannot compute the network's statistics";
  for (const cnn::LayerStats &layer : *stats) {
    s.model.flops += 2.0 * static_cast<double>(layer.macs) * layer.batch;
    s.model.parameters += layer.params();
  }

  // As convforge-run: a clone shares the weights' storage and keeps them
  // as loaded; the network itself gets its filters packed and its weights
  // outlined.
  s.original =
      OwningOpRef<ModuleOp>(cast<ModuleOp>((*s.network->module)->clone()));
  if (std::string error = readModel(
          s.original->lookupSymbol<func::FuncOp>(s.network->entry), s.model);
      !error.empty())
    return error;
  auto packStart = std::chrono::steady_clock::now();
  if (failed(driver::packFilters(*s.network->module, CodegenOptions())))
    return "packing the filters failed";
  s.packSeconds = secondsSince(packStart);
  s.weights = driver::outlineWeights(s.network->getEntry());
  return "";
}

ConvForgeResult NetworkRunner::run(const AlignedFloats &input,
                                   const TimingOptions &options, int threads) {
  State &s = *state;
  ConvForgeResult result;
  result.packSeconds = s.packSeconds;
  if (!s.network) {
    result.error = "no network loaded";
    return result;
  }
  JitOptions jitOptions;
  jitOptions.threads = threads;
  auto compileStart = std::chrono::steady_clock::now();
  auto program = JitProgram::compile(
      *s.network->module, llvm::StringRef(s.network->entry), jitOptions);
  if (!program) {
    result.error = llvm::toString(program.takeError());
    return result;
  }
  result.compileSeconds = secondsSince(compileStart);
  result.passSeconds = (*program)->getCompileTimes().passes;
  result.codegenSeconds = (*program)->getCompileTimes().codegen;

  // The entry takes the input, then the weights as outlined; the JIT never
  // writes its inputs.
  llvm::SmallVector<BufferRef> inputs = {
      {const_cast<float *>(input.data()), s.model.inputShape}};
  for (driver::WeightBuffer &weight : s.weights)
    inputs.push_back({const_cast<float *>(weight.data.data()), weight.shape});
  result.output.assign(s.model.outputSize(), 0.0f);
  BufferRef output{result.output.data(), s.model.outputShape};
  result.timing = timeInvoke(**program, inputs, output, options, result.error);
  return result;
}

} // namespace convforge::bench
