//===- SpecImporter.cpp - Network spec (YAML) to the cnn dialect ----------===//
//
// Three steps, each of which stops at the first error:
//
// 1. YamlTree + SpecParser: the YAML and the schema (keys, types, ranges).
// 2. The layers are built one by one with the dialect's inferred-type
//    builders, each verified as soon as it exists: a layer's weight shapes
//    depend on the shape its predecessor infers, and the dialect's verifier
//    explains an invalid geometry better than any check repeated here. The
//    weights are placeholders (unrealized casts) at this point, so that the
//    whole network's size is known — and refused if too large — before a
//    byte of weights is allocated or read.
// 3. The placeholders become `arith.constant dense_resource<...>`, loaded
//    (and checked against the inferred shapes) or generated.
//
//===----------------------------------------------------------------------===//

#include "ConvForge/Frontend/SpecImporter.h"

#include "SpecParser.h"
#include "YamlTree.h"

#include "ConvForge/Dialect/Cnn/IR/CnnOps.h"
#include "ConvForge/Frontend/WeightGenerator.h"
#include "ConvForge/Support/NumpyFile.h"
#include "ConvForge/Support/SafeTensorsFile.h"
#include "ConvForge/Support/WeightBlob.h"
#include "ConvForge/Support/WindowArithmetic.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"

#include "llvm/Support/CheckedArithmetic.h"

using namespace mlir;
using namespace convforge;
using namespace convforge::frontend;

//===----------------------------------------------------------------------===//
// Verification with layer names
//===----------------------------------------------------------------------===//

namespace {
/// A diagnostic of the verifier, held until it is re-emitted.
struct CapturedDiagnostic {
  Location loc;
  DiagnosticSeverity severity;
  std::string message;
  llvm::SmallVector<std::pair<Location, std::string>> notes;
};
} // namespace

/// Verifies `op` and re-emits the verifier's diagnostics prefixed with the
/// layer's name (taken from the NameLoc of the op they are about). The
/// "see current operation" notes are dropped: they print placeholders, and
/// the spec's line is the place to look.
static LogicalResult verifyWithLayerNames(Operation *op) {
  llvm::SmallVector<CapturedDiagnostic> captured;
  LogicalResult result = success();
  {
    // Captured, not re-emitted, here: the engine is locked during a handler.
    ScopedDiagnosticHandler handler(op->getContext(), [&](Diagnostic &diag) {
      CapturedDiagnostic entry{
          diag.getLocation(), diag.getSeverity(), diag.str(), {}};
      for (Diagnostic &note : diag.getNotes()) {
        std::string text = note.str();
        if (!llvm::StringRef(text).starts_with("see current operation"))
          entry.notes.emplace_back(note.getLocation(), std::move(text));
      }
      captured.push_back(std::move(entry));
      return success();
    });
    result = verify(op);
  }
  for (CapturedDiagnostic &entry : captured) {
    std::string prefix;
    if (auto nameLoc = dyn_cast<NameLoc>(entry.loc))
      prefix = "layer '" + nameLoc.getName().str() + "': ";
    std::optional<InFlightDiagnostic> diag;
    switch (entry.severity) {
    case DiagnosticSeverity::Warning:
      diag.emplace(emitWarning(entry.loc));
      break;
    case DiagnosticSeverity::Remark:
    case DiagnosticSeverity::Note:
      diag.emplace(emitRemark(entry.loc));
      break;
    case DiagnosticSeverity::Error:
      diag.emplace(emitError(entry.loc));
      break;
    }
    *diag << prefix << entry.message;
    for (auto &[loc, text] : entry.notes)
      diag->attachNote(loc) << text;
  }
  return result;
}

//===----------------------------------------------------------------------===//
// NetworkBuilder
//===----------------------------------------------------------------------===//

namespace {
/// A weight tensor of the network, a placeholder until step 3.
struct PendingTensor {
  const LayerSpec *layer;
  WeightStream stream;
  /// The placeholder (an unrealized cast producing the tensor).
  Operation *placeholder;
  RankedTensorType type;
  /// The layout, for messages: "K×FH×FW×D, the conv filter layout".
  std::string layout;
  /// Inputs per neuron, for the generated weights' bound.
  int64_t fanIn;
  const std::optional<TensorSource> *source;
};

class NetworkBuilder {
public:
  NetworkBuilder(const SpecSource &source, const NetworkSpec &spec,
                 const SpecImportOptions &options)
      : source(source), spec(spec), options(options),
        context(source.getContext()), builder(context) {}

  OwningOpRef<ModuleOp> build();

private:
  InFlightDiagnostic error(llvm::SMLoc loc, const LayerSpec &layer) const {
    return source.emitError(loc) << "layer '" << layer.name << "': ";
  }
  Location getLayerLoc(const LayerSpec &layer) const {
    return NameLoc::get(StringAttr::get(context, layer.name),
                        source.getLoc(layer.loc));
  }

  LogicalResult buildLayer(const LayerSpec &layer);
  /// The input of a layer that needs an N×H×W×D volume, or null after an
  /// error.
  RankedTensorType getVolumeInput(const LayerSpec &layer);
  /// Creates the placeholder of a weight tensor and counts its bytes.
  FailureOr<Value> addTensor(const LayerSpec &layer, WeightStream stream,
                             llvm::ArrayRef<int64_t> shape,
                             llvm::StringRef layout, int64_t fanIn);
  LogicalResult materialize(PendingTensor &tensor);
  FailureOr<AsmResourceBlob> getData(const PendingTensor &tensor);
  /// Loads a tensor with `load`, which must call its argument with the
  /// tensor's shape before allocating, and checks it against the layer.
  FailureOr<AsmResourceBlob>
  checkLoaded(const PendingTensor &tensor,
              llvm::function_ref<llvm::Expected<Tensor>(NpyShapeCheck)> load,
              llvm::StringRef origin, llvm::SMLoc loc);

  DenseI64ArrayAttr getListAttr(const std::optional<LocatedList> &list) {
    return list ? builder.getDenseI64ArrayAttr(list->values) : nullptr;
  }

  const SpecSource &source;
  const NetworkSpec &spec;
  const SpecImportOptions &options;
  MLIRContext *context;
  OpBuilder builder;
  std::optional<SafeTensorsFile> weightsFile;
  /// The activation the next layer reads.
  Value current;
  std::vector<PendingTensor> tensors;
  uint64_t weightBytes = 0;
};
} // namespace

RankedTensorType NetworkBuilder::getVolumeInput(const LayerSpec &layer) {
  auto type = cast<RankedTensorType>(current.getType());
  if (type.getRank() == 4)
    return type;
  error(layer.loc, layer) << "a " << getLayerTypeName(layer.kind)
                          << " layer needs an N×H×W×D volume, but its input is "
                          << formatShape(type.getShape())
                          << "; put it before the flatten layer";
  return nullptr;
}

FailureOr<Value> NetworkBuilder::addTensor(const LayerSpec &layer,
                                           WeightStream stream,
                                           llvm::ArrayRef<int64_t> shape,
                                           llvm::StringRef layout,
                                           int64_t fanIn) {
  bool isWeights = stream == WeightStream::Weights;
  auto type = RankedTensorType::get(shape, builder.getF32Type());
  // A dimension is unknown only when the geometry is invalid, which the
  // verifier reports next.
  if (type.hasStaticShape()) {
    std::optional<int64_t> elements = checkedProduct(shape);
    std::optional<uint64_t> bytes =
        elements ? llvm::checkedMulUnsigned<uint64_t>(*elements, sizeof(float))
                 : std::nullopt;
    std::optional<uint64_t> total =
        bytes ? llvm::checkedAddUnsigned<uint64_t>(weightBytes, *bytes)
              : std::nullopt;
    if (!elements) {
      error(layer.loc, layer) << "the " << (isWeights ? "weights" : "biases")
                              << " " << formatShape(shape) << " (" << layout
                              << ") have more elements than int64 can count";
      return failure();
    }
    if (!total || *total > options.maxWeightBytes) {
      auto diag = error(layer.loc, layer);
      diag << "the network's weights would need ";
      if (total && *total <= uint64_t(INT64_MAX))
        diag << formatWithThousands(int64_t(*total)) << " bytes";
      else
        diag << "more than 2^64 bytes";
      diag << " up to this layer (" << (isWeights ? "weights " : "biases ")
           << formatShape(shape) << ", " << layout
           << "), more than the limit of "
           << formatWithThousands(int64_t(
                  std::min<uint64_t>(options.maxWeightBytes, INT64_MAX)))
           << " bytes";
      return failure();
    }
    weightBytes = *total;
  }
  std::string name = layer.name + (isWeights ? ".weight" : ".bias");
  Location loc =
      NameLoc::get(StringAttr::get(context, name), source.getLoc(layer.loc));
  auto placeholder = UnrealizedConversionCastOp::create(
      builder, loc, TypeRange{type}, ValueRange{});
  tensors.push_back({&layer, stream, placeholder, type, layout.str(), fanIn,
                     isWeights ? &layer.weights : &layer.biases});
  return placeholder.getResult(0);
}

LogicalResult NetworkBuilder::buildLayer(const LayerSpec &layer) {
  Location loc = getLayerLoc(layer);
  auto rounding = layer.rounding
                      ? cnn::RoundingAttr::get(context, *layer.rounding)
                      : cnn::RoundingAttr();
  Operation *op = nullptr;
  switch (layer.kind) {
  case LayerKind::Conv:
  case LayerKind::LocallyConnected: {
    RankedTensorType input = getVolumeInput(layer);
    if (!input)
      return failure();
    std::array<int64_t, 2> window = {layer.size->values.front(),
                                     layer.size->values.back()};
    int64_t depth = input.getDimSize(3);
    std::optional<int64_t> fanIn =
        checkedProduct({window[0], window[1], depth});
    if (!fanIn) {
      error(layer.size->loc, layer)
          << "a filter of " << window[0] << "x" << window[1] << "x" << depth
          << " has more elements than int64 can count";
      return failure();
    }
    bool isConv = layer.kind == LayerKind::Conv;
    llvm::SmallVector<int64_t, 6> filterShape, biasShape;
    if (isConv) {
      filterShape = {layer.count, window[0], window[1], depth};
      biasShape = {layer.count};
    } else {
      // One filter bank per output position: the output size is needed
      // (unknown if the geometry is invalid, which the verifier reports).
      std::optional<ArrayRef<int64_t>> strides, padding;
      if (layer.stride)
        strides = ArrayRef<int64_t>(layer.stride->values);
      if (layer.padding)
        padding = ArrayRef<int64_t>(layer.padding->values);
      std::optional<WindowParams> params =
          cnn::getWindowParams(strides, padding, layer.rounding);
      int64_t outputs[2] = {ShapedType::kDynamic, ShapedType::kDynamic};
      for (unsigned axis = 0; axis < 2 && params; ++axis) {
        WindowOutput output = computeWindowOutput(
            params->dim(axis, input.getDimSize(axis + 1), window[axis]),
            params->rounding);
        if (output.ok())
          outputs[axis] = output.size;
      }
      filterShape = {outputs[0], outputs[1], layer.count,
                     window[0],  window[1],  depth};
      biasShape = {outputs[0], outputs[1], layer.count};
    }
    FailureOr<Value> filter = addTensor(
        layer, WeightStream::Weights, filterShape,
        isConv ? "K×FH×FW×D, the conv filter layout"
               : "H2×W2×K×FH×FW×D, the locally_connected filter layout",
        *fanIn);
    if (failed(filter))
      return failure();
    Value bias;
    if (layer.bias) {
      FailureOr<Value> value =
          addTensor(layer, WeightStream::Biases, biasShape,
                    isConv ? "K, one bias per filter"
                           : "H2×W2×K, one bias per output neuron",
                    *fanIn);
      if (failed(value))
        return failure();
      bias = *value;
    }
    if (isConv)
      op = cnn::Conv2DOp::create(
          builder, loc, current, *filter, bias, getListAttr(layer.stride),
          getListAttr(layer.padding), rounding, /*filter_block=*/nullptr);
    else
      op = cnn::LocallyConnected2DOp::create(
          builder, loc, current, *filter, bias, getListAttr(layer.stride),
          getListAttr(layer.padding), rounding);
    break;
  }
  case LayerKind::MaxPool:
  case LayerKind::AvgPool: {
    if (!getVolumeInput(layer))
      return failure();
    DenseI64ArrayAttr window = getListAttr(layer.size);
    // A pool's stride defaults to its window (non-overlapping pooling).
    DenseI64ArrayAttr strides =
        layer.stride ? getListAttr(layer.stride) : window;
    if (layer.kind == LayerKind::MaxPool)
      op = cnn::MaxPool2DOp::create(builder, loc, current, window, strides,
                                    getListAttr(layer.padding), rounding);
    else
      op = cnn::AvgPool2DOp::create(
          builder, loc, current, window, strides, getListAttr(layer.padding),
          rounding, layer.countIncludePad ? builder.getUnitAttr() : UnitAttr());
    break;
  }
  case LayerKind::Dense: {
    auto input = cast<RankedTensorType>(current.getType());
    if (input.getRank() != 2) {
      error(layer.loc, layer)
          << "a dense layer needs a flat N×D input, but its input is the "
             "volume "
          << formatShape(input.getShape())
          << " (N×H×W×D); add a flatten layer before it";
      return failure();
    }
    int64_t features = input.getDimSize(1);
    FailureOr<Value> weights =
        addTensor(layer, WeightStream::Weights, {layer.count, features},
                  "M×D, the dense weights layout", features);
    if (failed(weights))
      return failure();
    Value bias;
    if (layer.bias) {
      FailureOr<Value> value =
          addTensor(layer, WeightStream::Biases, {layer.count},
                    "M, one bias per unit", features);
      if (failed(value))
        return failure();
      bias = *value;
    }
    op = cnn::DenseOp::create(builder, loc, current, *weights, bias);
    break;
  }
  case LayerKind::Relu:
    op = cnn::ReluOp::create(builder, loc, current);
    break;
  case LayerKind::Flatten:
    op = cnn::FlattenOp::create(builder, loc, current);
    break;
  case LayerKind::Softmax:
    op = cnn::SoftmaxOp::create(builder, loc, current);
    break;
  }
  if (failed(verifyWithLayerNames(op)))
    return failure();
  auto result = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!result || !result.hasStaticShape()) {
    error(layer.loc, layer) << "cannot infer the layer's output shape (got "
                            << op->getResult(0).getType() << ")";
    return failure();
  }
  current = op->getResult(0);
  return success();
}

FailureOr<AsmResourceBlob> NetworkBuilder::checkLoaded(
    const PendingTensor &tensor,
    llvm::function_ref<llvm::Expected<Tensor>(NpyShapeCheck)> load,
    llvm::StringRef origin, llvm::SMLoc loc) {
  const LayerSpec &layer = *tensor.layer;
  llvm::StringRef what =
      tensor.stream == WeightStream::Weights ? "weights" : "biases";
  auto reportShape = [&](llvm::ArrayRef<int64_t> shape) {
    error(loc, layer) << "the " << what << " " << origin << " have shape "
                      << formatShape(shape) << ", but the layer needs "
                      << formatShape(tensor.type.getShape()) << " ("
                      << tensor.layout << ")";
    return failure();
  };
  // The shape is checked before the data is copied: a file of another
  // shape, however large, is not read.
  std::optional<llvm::SmallVector<int64_t>> refusedShape;
  llvm::Expected<Tensor> loaded =
      load([&](llvm::ArrayRef<int64_t> shape) -> llvm::Error {
        if (shape == tensor.type.getShape())
          return llvm::Error::success();
        refusedShape.emplace(shape.begin(), shape.end());
        return llvm::createStringError("wrong shape");
      });
  if (refusedShape) {
    llvm::consumeError(loaded.takeError());
    return reportShape(*refusedShape);
  }
  if (!loaded) {
    error(loc, layer) << "cannot read the " << what << ": "
                      << llvm::toString(loaded.takeError());
    return failure();
  }
  if (!loaded->isWellFormed() ||
      llvm::ArrayRef<int64_t>(loaded->shape) != tensor.type.getShape())
    return reportShape(loaded->shape);
  return copyToWeightBlob(loaded->data);
}

FailureOr<AsmResourceBlob>
NetworkBuilder::getData(const PendingTensor &tensor) {
  const LayerSpec &layer = *tensor.layer;
  bool isWeights = tensor.stream == WeightStream::Weights;
  auto fromWeightsFile = [&](const std::string &name, llvm::SMLoc loc) {
    return checkLoaded(
        tensor,
        [&](NpyShapeCheck checkShape) -> llvm::Expected<Tensor> {
          // A tensor of the wrong shape is refused before it is copied out.
          if (weightsFile->getDtype(name) == "F32")
            if (const auto *shape = weightsFile->getShape(name))
              if (llvm::Error error = checkShape(*shape))
                return std::move(error);
          return weightsFile->read(name);
        },
        "'" + name + "' of the weights_file", loc);
  };
  if (const std::optional<TensorSource> &given = *tensor.source) {
    if (given->kind == TensorSource::Kind::NpyFile)
      return checkLoaded(
          tensor,
          [&](NpyShapeCheck checkShape) {
            return readNpyFile(given->text, checkShape);
          },
          "from '" + given->text + "'", given->loc);
    if (!weightsFile->contains(given->text)) {
      error(given->loc, layer) << "the weights_file '" << *spec.weightsFile
                               << "' has no tensor '" << given->text << "'";
      return failure();
    }
    return fromWeightsFile(given->text, given->loc);
  }
  std::string conventional = layer.name + (isWeights ? ".weight" : ".bias");
  if (weightsFile && weightsFile->contains(conventional))
    return fromWeightsFile(conventional, layer.loc);

  int64_t elements = tensor.type.getNumElements();
  AsmResourceBlob blob = allocateWeightBlob(elements * sizeof(float));
  llvm::MutableArrayRef<char> bytes = blob.getMutableData();
  generateUniform(llvm::MutableArrayRef<float>(
                      reinterpret_cast<float *>(bytes.data()), elements),
                  options.seed.value_or(spec.seed), layer.index, tensor.stream,
                  isWeights ? getWeightBound(tensor.fanIn) : kBiasBound);
  return blob;
}

LogicalResult NetworkBuilder::materialize(PendingTensor &tensor) {
  FailureOr<AsmResourceBlob> blob = getData(tensor);
  if (failed(blob))
    return failure();
  std::string name =
      tensor.layer->name +
      (tensor.stream == WeightStream::Weights ? ".weight" : ".bias");
  auto attr =
      DenseResourceElementsAttr::get(tensor.type, name, std::move(*blob));
  builder.setInsertionPoint(tensor.placeholder);
  auto constant =
      arith::ConstantOp::create(builder, tensor.placeholder->getLoc(), attr);
  tensor.placeholder->replaceAllUsesWith(constant);
  tensor.placeholder->erase();
  return success();
}

OwningOpRef<ModuleOp> NetworkBuilder::build() {
  if (spec.weightsFile) {
    llvm::Expected<SafeTensorsFile> file =
        SafeTensorsFile::open(*spec.weightsFile);
    if (!file) {
      source.emitError(spec.weightsFileLoc) << "cannot open the weights_file: "
                                            << llvm::toString(file.takeError());
      return nullptr;
    }
    weightsFile.emplace(std::move(*file));
  }

  llvm::SmallVector<int64_t, 4> inputShape = {spec.batch, spec.height,
                                              spec.width, spec.depth};
  if (!checkedProduct(inputShape)) {
    source.emitError(spec.inputLoc)
        << "input: the volume " << formatShape(inputShape)
        << " (N×H×W×D) has more elements than int64 can count";
    return nullptr;
  }

  llvm::SMLoc start =
      llvm::SMLoc::getFromPointer(source.getBuffer().getBufferStart());
  OwningOpRef<ModuleOp> module = ModuleOp::create(source.getLoc(start));
  builder.setInsertionPointToEnd(module->getBody());
  auto inputType = RankedTensorType::get(inputShape, builder.getF32Type());
  auto func = func::FuncOp::create(
      builder,
      NameLoc::get(StringAttr::get(context, spec.name), source.getLoc(start)),
      spec.name, builder.getFunctionType({inputType}, {}));
  Block *body = func.addEntryBlock();
  body->getArgument(0).setLoc(NameLoc::get(StringAttr::get(context, "input"),
                                           source.getLoc(spec.inputLoc)));
  builder.setInsertionPointToEnd(body);
  current = body->getArgument(0);

  for (const LayerSpec &layer : spec.layers)
    if (failed(buildLayer(layer)))
      return nullptr;
  const LayerSpec &last = spec.layers.back();
  func::ReturnOp::create(builder, getLayerLoc(last), current);
  func.setFunctionType(
      builder.getFunctionType({inputType}, {current.getType()}));
  if (options.checkNetwork && failed(options.checkNetwork(func)))
    return nullptr;

  for (PendingTensor &tensor : tensors)
    if (failed(materialize(tensor)))
      return nullptr;
  if (failed(verifyWithLayerNames(*module)))
    return nullptr;
  return module;
}

OwningOpRef<ModuleOp> convforge::importSpec(llvm::SourceMgr &sourceMgr,
                                            MLIRContext *context,
                                            const SpecImportOptions &options) {
  context
      ->loadDialect<arith::ArithDialect, cnn::CnnDialect, func::FuncDialect>();
  SpecSource source(sourceMgr, context);
  std::unique_ptr<YamlTree> tree = YamlTree::parse(source);
  if (!tree)
    return nullptr;
  std::optional<NetworkSpec> spec = parseNetworkSpec(source, *tree->getRoot());
  if (!spec)
    return nullptr;
  if (spec->layers.size() > options.maxLayers) {
    // Building and compiling thousands of layers would take minutes.
    const LayerSpec &first = spec->layers[options.maxLayers];
    source.emitError(first.loc)
        << "layer '" << first.name << "': the spec has " << spec->layers.size()
        << " layers, more than the limit of " << options.maxLayers
        << " (--max-layers)";
    return nullptr;
  }
  return NetworkBuilder(source, *spec, options).build();
}
