//===- Evaluator.cpp - Interpret a cnn function with the reference --------===//
//
// A straight-line interpreter: walks the function's single block in order,
// maps every SSA value to a reference Tensor, and dispatches each op to its
// reference kernel. No MLIR-level shortcut is taken (no folding, no
// canonicalization) so that the result depends only on Reference.cpp.
//
//===----------------------------------------------------------------------===//

#include "ConvForge/Reference/Evaluator.h"

#include "ConvForge/Dialect/Cnn/IR/CnnOps.h"
#include "ConvForge/Support/FilterLayout.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace convforge;
using convforge::reference::Tensor;

/// Whether a tensor of `shape` is a value of `type`: a tensor of f32 whose
/// known dimensions (all of them for a static type) equal `shape`.
static bool fitsType(ArrayRef<int64_t> shape, Type type) {
  auto tensorType = dyn_cast<TensorType>(type);
  if (!tensorType || !tensorType.getElementType().isF32())
    return false;
  return !tensorType.hasRank() ||
         succeeded(verifyCompatibleShape(tensorType.getShape(), shape));
}

/// An op's normalized window attributes.
template <typename OpTy> static FailureOr<WindowParams> getParams(OpTy op) {
  std::optional<WindowParams> params = cnn::getWindowParams(op);
  if (!params)
    return op.emitError("cannot evaluate: invalid window attributes");
  return *params;
}

/// Reports a kernel's error on `op`.
static FailureOr<Tensor> onOp(Operation *op, llvm::Expected<Tensor> result) {
  if (!result)
    return op->emitError("reference evaluation failed: ")
           << llvm::toString(result.takeError());
  return std::move(*result);
}

/// The value of a constant op whose result is an f32 tensor (weights
/// embedded in the IR): dense elements, or a dense resource (the spec
/// frontend's weights, whose blob is not uniqued in the context).
static FailureOr<Tensor> evaluateConstant(Operation *op) {
  Attribute attr;
  if (op->getNumResults() != 1 || !matchPattern(op, m_Constant(&attr)))
    return op->emitError("cannot evaluate: not a constant");
  if (auto dense = dyn_cast<DenseElementsAttr>(attr);
      dense && dense.getElementType().isF32()) {
    auto values = dense.getValues<float>();
    return Tensor(dense.getType().getShape(),
                  AlignedFloats(values.begin(), values.end()));
  }
  if (auto resource = dyn_cast<DenseF32ResourceElementsAttr>(attr)) {
    std::optional<ArrayRef<float>> values = resource.tryGetAsArrayRef();
    if (!values)
      return op->emitError("cannot evaluate: the dense resource has no data");
    return Tensor(resource.getType().getShape(),
                  AlignedFloats(values->begin(), values->end()));
  }
  return op->emitError("cannot evaluate: only constants of dense f32 "
                       "elements or f32 dense resources are supported");
}

namespace {
/// The state of one evaluation: the tensor of every value computed so far.
class Evaluator {
public:
  FailureOr<std::vector<Tensor>> run(func::FuncOp func,
                                     ArrayRef<Tensor> arguments);

private:
  /// The tensor of `value`, which must have been computed.
  const Tensor &get(Value value) { return values.find(value)->second; }
  /// The tensor of an optional operand (bias), or null.
  const Tensor *getOptional(Value value) {
    return value ? &get(value) : nullptr;
  }

  FailureOr<Tensor> evaluate(Operation *op);
  FailureOr<Tensor> getPlainFilter(cnn::Conv2DOp conv);

  llvm::DenseMap<Value, Tensor> values;
};
} // namespace

/// The K×FH×FW×D filter of `conv`: its operand, unpacked when blocked.
FailureOr<Tensor> Evaluator::getPlainFilter(cnn::Conv2DOp conv) {
  const Tensor &filter = get(conv.getFilter());
  std::optional<uint64_t> block = conv.getFilterBlock();
  if (!block)
    return filter;
  int64_t lanes = static_cast<int64_t>(*block);
  if (filter.rank() != 5 || filter.shape[4] != lanes)
    return conv.emitError()
           << "cannot evaluate: the filter " << formatShape(filter.shape)
           << " is not blocked by " << lanes;
  std::array<int64_t, 4> kfhwd = {filter.shape[0] * lanes, filter.shape[1],
                                  filter.shape[2], filter.shape[3]};
  Tensor plain(kfhwd);
  unpackFilterBlocked(filter.data, kfhwd, lanes, plain.data);
  return plain;
}

FailureOr<Tensor> Evaluator::evaluate(Operation *op) {
  // Every operand is a block argument or the result of an earlier op of the
  // same block (one block, and the function is isolated from above).
  for (Value operand : op->getOperands())
    if (!values.count(operand))
      return op->emitError("cannot evaluate: operand not computed yet");

  return llvm::TypeSwitch<Operation *, FailureOr<Tensor>>(op)
      .Case([&](cnn::Conv2DOp conv) -> FailureOr<Tensor> {
        FailureOr<WindowParams> params = getParams(conv);
        if (failed(params))
          return failure();
        FailureOr<Tensor> filter = getPlainFilter(conv);
        if (failed(filter))
          return failure();
        return onOp(op,
                    reference::conv2d(get(conv.getInput()), *filter,
                                      getOptional(conv.getBias()), *params));
      })
      .Case([&](cnn::LocallyConnected2DOp lc) -> FailureOr<Tensor> {
        FailureOr<WindowParams> params = getParams(lc);
        if (failed(params))
          return failure();
        return onOp(op, reference::locallyConnected2d(
                            get(lc.getInput()), get(lc.getFilter()),
                            getOptional(lc.getBias()), *params));
      })
      .Case([&](cnn::MaxPool2DOp pool) -> FailureOr<Tensor> {
        FailureOr<WindowParams> params = getParams(pool);
        std::optional<std::array<int64_t, 2>> window =
            cnn::getPoolWindow(pool.getWindow());
        if (failed(params) || !window)
          return pool.emitError("cannot evaluate: invalid window");
        return onOp(op, reference::maxPool2d(get(pool.getInput()), (*window)[0],
                                             (*window)[1], *params));
      })
      .Case([&](cnn::AvgPool2DOp pool) -> FailureOr<Tensor> {
        FailureOr<WindowParams> params = getParams(pool);
        std::optional<std::array<int64_t, 2>> window =
            cnn::getPoolWindow(pool.getWindow());
        if (failed(params) || !window)
          return pool.emitError("cannot evaluate: invalid window");
        return onOp(op, reference::avgPool2d(get(pool.getInput()), (*window)[0],
                                             (*window)[1], *params,
                                             pool.getCountIncludePad()));
      })
      .Case([&](cnn::ReluOp relu) {
        return onOp(op, reference::relu(get(relu.getInput())));
      })
      .Case([&](cnn::DenseOp dense) {
        return onOp(op, reference::dense(get(dense.getInput()),
                                         get(dense.getWeights()),
                                         getOptional(dense.getBias())));
      })
      .Case([&](cnn::FlattenOp flatten) {
        return onOp(op, reference::flatten(get(flatten.getInput())));
      })
      .Case([&](cnn::SoftmaxOp softmax) {
        return onOp(op, reference::softmax(get(softmax.getInput())));
      })
      .Case([&](cnn::TransposeOp transpose) {
        return onOp(op, reference::transpose(get(transpose.getInput()),
                                             transpose.getPerm()));
      })
      .Case([&](cnn::ReshapeOp reshape) {
        return onOp(op, reference::reshape(get(reshape.getInput()),
                                           reshape.getShape()));
      })
      // cnn-shape-inference casts refined results back for non-cnn users;
      // the data is unchanged.
      .Case([&](tensor::CastOp cast) -> FailureOr<Tensor> {
        return get(cast.getSource());
      })
      // run() has refused every other op that is not a constant.
      .Default([&](Operation *other) { return evaluateConstant(other); });
}

FailureOr<std::vector<Tensor>> Evaluator::run(func::FuncOp func,
                                              ArrayRef<Tensor> arguments) {
  if (func.isExternal())
    return func.emitError("cannot evaluate a function without a body");
  if (!func.getBody().hasOneBlock())
    return func.emitError("cannot evaluate: the body must be a single block");
  Block &body = func.getBody().front();
  if (arguments.size() != body.getNumArguments())
    return func.emitError("cannot evaluate: expected ")
           << body.getNumArguments() << " arguments, got " << arguments.size();
  for (auto [index, blockArgument, tensor] :
       llvm::enumerate(body.getArguments(), arguments)) {
    if (!tensor.isWellFormed())
      return func.emitError("cannot evaluate: argument #")
             << index << " has shape " << reference::formatShape(tensor.shape)
             << " but " << tensor.data.size() << " values";
    if (!fitsType(tensor.shape, blockArgument.getType()))
      return func.emitError("cannot evaluate: argument #")
             << index << " has shape " << reference::formatShape(tensor.shape)
             << " but the function takes " << blockArgument.getType();
    values[blockArgument] = tensor;
  }

  // A function lowered past the cnn dialect (e.g. convforge-compile
  // --emit=linalg) has nothing to evaluate: say so at its first such op
  // rather than at whatever scalar constant precedes it.
  for (Operation &op : body) {
    bool evaluable = isa<cnn::CnnDialect>(op.getDialect()) ||
                     isa<tensor::CastOp, func::ReturnOp>(op) ||
                     op.hasTrait<OpTrait::ConstantLike>();
    if (!evaluable)
      return op.emitError("cannot evaluate '")
             << op.getName()
             << "': the reference evaluator runs the cnn dialect (with "
                "tensor constants, tensor.cast and func.return); for code "
                "lowered past it, check the network's spec, or its cnn-level "
                "MLIR (convforge-compile --emit=cnn --elide-weights=false)";
  }

  for (Operation &op : body) {
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      std::vector<Tensor> results;
      for (Value operand : ret.getOperands())
        results.push_back(get(operand));
      return results;
    }
    if (op.getNumResults() != 1)
      return op.emitError("cannot evaluate '")
             << op.getName() << "': expected an op with one result";
    FailureOr<Tensor> result = evaluate(&op);
    if (failed(result))
      return failure();
    Type type = op.getResult(0).getType();
    if (!fitsType(result->shape, type))
      return op.emitError("reference evaluation computed shape ")
             << reference::formatShape(result->shape)
             << ", which does not match the result type " << type;
    values[op.getResult(0)] = std::move(*result);
  }
  return func.emitError("cannot evaluate: the body has no func.return");
}

FailureOr<std::vector<Tensor>>
convforge::reference::evaluateReference(func::FuncOp func,
                                        ArrayRef<Tensor> arguments) {
  return Evaluator().run(func, arguments);
}
