//===- Driver.cpp - What convforge-compile and convforge-run share --------===//

#include "ConvForge/Driver/Driver.h"

#include "ConvForge/Codegen/Passes.h"
#include "ConvForge/Dialect/Cnn/IR/CnnDialect.h"
#include "ConvForge/Dialect/Cnn/Transforms/Passes.h"
#include "ConvForge/Frontend/OnnxImporter.h"
#include "ConvForge/Frontend/SpecImporter.h"
#include "ConvForge/InitAll.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using namespace convforge;
using namespace convforge::driver;

//===----------------------------------------------------------------------===//
// Diagnostics
//===----------------------------------------------------------------------===//

/// The layer a diagnostic's location names (a NameLoc), or "".
static std::string getLayerName(Location loc) {
  std::string name;
  loc->walk([&](Location inner) {
    if (auto named = dyn_cast<NameLoc>(inner)) {
      name = named.getName().str();
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return name;
}

/// The message as a spec's author wants it: "layer 'conv1' (conv2d): output
/// height ..." for the dialect's "'cnn.conv2d' op output height ..." on a
/// named layer (whether the frontend already named the layer or the location
/// does); other messages as they are.
static std::string formatMessage(const Diagnostic &diag) {
  std::string message = diag.str();
  llvm::StringRef body = message;
  std::string layer;
  if (body.starts_with("layer '")) {
    size_t end = body.find("': ");
    if (end == llvm::StringRef::npos)
      return message;
    layer = body.substr(7, end - 7).str();
    body = body.drop_front(end + 3);
  } else {
    layer = getLayerName(diag.getLocation());
  }
  if (layer.empty())
    return message;
  std::string prefix = "layer '" + layer + "'";
  llvm::StringRef text = body;
  if (text.consume_front("'cnn.")) {
    auto [opName, rest] = text.split("' op ");
    if (!rest.empty())
      return prefix + " (" + opName.str() + "): " + rest.str();
  }
  return prefix + ": " + body.str();
}

DiagnosticPrinter::DiagnosticPrinter(llvm::SourceMgr &sourceMgr,
                                     MLIRContext *context)
    : printer(sourceMgr, context), context(context) {
  id = context->getDiagEngine().registerHandler([this](Diagnostic &diag) {
    emit(diag.getLocation(), formatMessage(diag), diag.getSeverity());
    for (Diagnostic &note : diag.getNotes()) {
      // The generic form of the failing op is noise for a spec's author.
      if (llvm::StringRef(note.str()).starts_with("see current operation"))
        continue;
      emit(note.getLocation(), note.str(), note.getSeverity());
    }
    return success();
  });
}

void DiagnosticPrinter::emit(Location loc, const llvm::Twine &message,
                             DiagnosticSeverity severity) {
  auto fileLoc = loc->findInstanceOf<FileLineColLoc>();
  if (!fileLoc || fileLoc.getLine() != 0) {
    printer.emitDiagnostic(loc, message, severity);
    return;
  }
  // No line to show: "file: error: message".
  llvm::SourceMgr::DiagKind kind = llvm::SourceMgr::DK_Error;
  switch (severity) {
  case DiagnosticSeverity::Error:
    break;
  case DiagnosticSeverity::Warning:
    kind = llvm::SourceMgr::DK_Warning;
    break;
  case DiagnosticSeverity::Note:
    kind = llvm::SourceMgr::DK_Note;
    break;
  case DiagnosticSeverity::Remark:
    kind = llvm::SourceMgr::DK_Remark;
    break;
  }
  llvm::SMDiagnostic(fileLoc.getFilename().getValue(), kind, message.str())
      .print(nullptr, llvm::errs());
}

DiagnosticPrinter::~DiagnosticPrinter() {
  context->getDiagEngine().eraseHandler(id);
}

//===----------------------------------------------------------------------===//
// Loading
//===----------------------------------------------------------------------===//

std::optional<NetworkFormat> driver::parseNetworkFormat(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<NetworkFormat>>(name)
      .Case("auto", NetworkFormat::Auto)
      .Case("spec", NetworkFormat::Spec)
      .Case("onnx", NetworkFormat::Onnx)
      .Case("mlir", NetworkFormat::Mlir)
      .Default(std::nullopt);
}

static NetworkFormat getFormat(llvm::StringRef path, NetworkFormat format) {
  if (format != NetworkFormat::Auto)
    return format;
  llvm::StringRef extension = llvm::sys::path::extension(path);
  if (extension == ".yaml" || extension == ".yml")
    return NetworkFormat::Spec;
  if (extension == ".onnx")
    return NetworkFormat::Onnx;
  return NetworkFormat::Mlir;
}

std::optional<Network> driver::loadNetwork(llvm::StringRef path,
                                           llvm::SourceMgr &sourceMgr,
                                           MLIRContext *context,
                                           const LoadOptions &options) {
  NetworkFormat format = getFormat(path, options.format);
  auto buffer = llvm::MemoryBuffer::getFileOrSTDIN(
      path, /*IsText=*/format != NetworkFormat::Onnx);
  if (!buffer) {
    emitError(FileLineColLoc::get(context, path, 0, 0))
        << "cannot read the network: " << buffer.getError().message();
    return std::nullopt;
  }
  unsigned bufferId =
      sourceMgr.AddNewSourceBuffer(std::move(*buffer), llvm::SMLoc());

  Network network;
  if (format == NetworkFormat::Spec) {
    SpecImportOptions importOptions;
    importOptions.seed = options.seed;
    network.module = importSpec(sourceMgr, context, importOptions);
  } else if (format == NetworkFormat::Onnx) {
    network.module = importOnnx(
        sourceMgr.getMemoryBuffer(bufferId)->getBuffer(), path, context);
    network.onnxLayout = true;
  } else {
    ParserConfig config(context);
    network.module = parseSourceFile<ModuleOp>(sourceMgr, config);
  }
  if (!network.module)
    return std::nullopt;

  // The entry: the one public function with a body, or the one named.
  SmallVector<func::FuncOp> candidates;
  for (auto func : network.module->getOps<func::FuncOp>())
    if (!func.isExternal() && func.isPublic() &&
        (options.entry.empty() || func.getSymName() == options.entry))
      candidates.push_back(func);
  if (candidates.size() != 1) {
    InFlightDiagnostic diag = emitError(network.module->getLoc());
    if (!options.entry.empty())
      diag << "no public function @" << options.entry << " in '" << path << "'";
    else if (candidates.empty())
      diag << "'" << path << "' has no public function to compile";
    else
      diag << "'" << path << "' has " << candidates.size()
           << " public functions: choose one with --entry";
    return std::nullopt;
  }
  network.entry = candidates.front().getSymName().str();
  return network;
}

LogicalResult driver::inferShapes(Network &network) {
  PassManager pm(network.module->getContext());
  pm.addNestedPass<func::FuncOp>(cnn::createCnnShapeInference());
  return pm.run(*network.module);
}

/// Every dialect and interface the pipeline uses.
static DialectRegistry makeRegistry() {
  DialectRegistry registry;
  registerAllDialects(registry);
  return registry;
}

Session::Session() : context(makeRegistry()), printer(sourceMgr, &context) {
  context.loadAllAvailableDialects();
}

std::optional<Network> Session::load(llvm::StringRef path,
                                     const LoadOptions &options) {
  std::optional<Network> network =
      loadNetwork(path, sourceMgr, &context, options);
  if (!network || failed(inferShapes(*network)))
    return std::nullopt;
  return network;
}

//===----------------------------------------------------------------------===//
// Stages
//===----------------------------------------------------------------------===//

std::optional<Stage> driver::parseStage(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<Stage>>(name)
      .Case("cnn", Stage::Cnn)
      .Case("linalg", Stage::Linalg)
      .Case("vector", Stage::Vector)
      .Case("bufferized", Stage::Bufferized)
      .Case("llvm", Stage::LLVMDialect)
      .Case("llvm-ir", Stage::LLVMIR)
      .Case("asm", Stage::Assembly)
      .Case("obj", Stage::Object)
      .Default(std::nullopt);
}

LogicalResult driver::runPipelineTo(ModuleOp module, Stage stage,
                                    const CodegenOptions &options) {
  PassManager pm(module.getContext());
  if (stage == Stage::Cnn) {
    pm.addNestedPass<func::FuncOp>(cnn::createCnnShapeInference());
    return pm.run(module);
  }
  buildLowerToLinalgPipeline(pm, options);
  if (stage >= Stage::Vector)
    buildCodegenPipeline(pm, options);
  if (stage >= Stage::Bufferized)
    buildBufferizePipeline(pm);
  if (stage >= Stage::LLVMDialect)
    buildConvertToLLVMPipeline(pm, options);
  return pm.run(module);
}

//===----------------------------------------------------------------------===//
// Weights
//===----------------------------------------------------------------------===//

/// The f32 contents of a weight constant, or nullopt for other constants.
static std::optional<ArrayRef<float>> getWeightData(arith::ConstantOp op) {
  auto type = dyn_cast<RankedTensorType>(op.getType());
  if (!type || !type.getElementType().isF32() || !type.hasStaticShape() ||
      type.getNumElements() <= 16)
    return std::nullopt;
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(op.getValue())) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return std::nullopt;
    ArrayRef<char> bytes = blob->getData();
    if (bytes.size() != static_cast<size_t>(type.getNumElements()) * 4 ||
        reinterpret_cast<uintptr_t>(bytes.data()) % alignof(float) != 0)
      return std::nullopt;
    return ArrayRef<float>(reinterpret_cast<const float *>(bytes.data()),
                           type.getNumElements());
  }
  if (auto dense = dyn_cast<DenseElementsAttr>(op.getValue());
      dense && !dense.isSplat()) {
    ArrayRef<char> bytes = dense.getRawData();
    return ArrayRef<float>(reinterpret_cast<const float *>(bytes.data()),
                           type.getNumElements());
  }
  return std::nullopt;
}

LogicalResult driver::packFilters(ModuleOp module,
                                  const CodegenOptions &options) {
  PassManager pm(module.getContext());
  ConvForgePackFiltersOptions packOptions;
  packOptions.vectorBits = options.vectorBits;
  pm.addNestedPass<func::FuncOp>(createConvForgePackFilters(packOptions));
  return pm.run(module);
}

std::vector<WeightBuffer> driver::outlineWeights(func::FuncOp func) {
  std::vector<WeightBuffer> weights;
  SmallVector<arith::ConstantOp> constants;
  func.walk([&](arith::ConstantOp op) {
    if (getWeightData(op))
      constants.push_back(op);
  });
  Block &body = func.getBody().front();
  for (arith::ConstantOp op : constants) {
    auto type = cast<RankedTensorType>(op.getType());
    weights.push_back(
        {*getWeightData(op), SmallVector<int64_t>(type.getShape())});
    BlockArgument argument = body.addArgument(type, op.getLoc());
    op.getResult().replaceAllUsesWith(argument);
    op.erase();
  }
  func.setFunctionType(FunctionType::get(
      func.getContext(), body.getArgumentTypes(), func.getResultTypes()));
  return weights;
}

//===----------------------------------------------------------------------===//
// Per-layer functions
//===----------------------------------------------------------------------===//

std::optional<std::pair<OwningOpRef<ModuleOp>, std::vector<LayerFunction>>>
driver::splitIntoLayers(Network &network, const CodegenOptions &options) {
  func::FuncOp entry = network.getEntry();
  FailureOr<SmallVector<cnn::LayerStats>> stats =
      cnn::computeNetworkStats(entry);
  if (failed(stats))
    return std::nullopt;

  MLIRContext *context = network.module->getContext();
  OwningOpRef<ModuleOp> split(ModuleOp::create(network.module->getLoc()));
  OpBuilder builder(context);
  std::vector<LayerFunction> layers;
  // Where each activation comes from: a network input or a layer's output.
  llvm::DenseMap<Value, int> sources;
  for (BlockArgument argument : entry.getArguments())
    sources[argument] = static_cast<int>(argument.getArgNumber());

  unsigned layerIndex = 0;
  for (Operation &op : entry.getBody().getOps()) {
    if (!isa_and_nonnull<cnn::CnnDialect>(op.getDialect()))
      continue;
    LayerFunction layer;
    layer.function = "layer" + std::to_string(layerIndex);
    layer.stats = (*stats)[layerIndex];
    IRMapping mapping;
    SmallVector<Type> argumentTypes;
    SmallVector<Value> activations;
    for (Value operand : op.getOperands()) {
      if (operand.getDefiningOp<arith::ConstantOp>())
        continue; // weights: copied into the function below
      auto source = sources.find(operand);
      if (source == sources.end()) {
        op.emitError("cannot profile: operand not produced by a layer");
        return std::nullopt;
      }
      activations.push_back(operand);
      argumentTypes.push_back(operand.getType());
      layer.sources.push_back(source->second);
    }
    builder.setInsertionPointToEnd(split->getBody());
    auto func = func::FuncOp::create(
        builder, op.getLoc(), layer.function,
        builder.getFunctionType(argumentTypes, op.getResultTypes()));
    Block *body = func.addEntryBlock();
    builder.setInsertionPointToStart(body);
    for (auto [activation, argument] :
         llvm::zip(activations, body->getArguments()))
      mapping.map(activation, argument);
    for (Value operand : op.getOperands())
      if (Operation *constant = operand.getDefiningOp<arith::ConstantOp>())
        builder.clone(*constant, mapping);
    Operation *clone = builder.clone(op, mapping);
    func::ReturnOp::create(builder, op.getLoc(), clone->getResults());
    sources[op.getResult(0)] = -1 - static_cast<int>(layerIndex);
    layers.push_back(std::move(layer));
    ++layerIndex;
  }
  if (failed(verify(*split)) || failed(packFilters(*split, options)))
    return std::nullopt;
  for (LayerFunction &layer : layers)
    layer.weights =
        outlineWeights(split->lookupSymbol<func::FuncOp>(layer.function));
  return std::make_pair(std::move(split), std::move(layers));
}
