//===- Driver.cpp - What convforge-compile and convforge-run share --------===//

#include "ConvForge/Driver/Driver.h"

#include "ConvForge/Codegen/Passes.h"
#include "ConvForge/Dialect/Cnn/Analysis/MemoryEstimate.h"
#include "ConvForge/Dialect/Cnn/IR/CnnDialect.h"
#include "ConvForge/Dialect/Cnn/Transforms/Passes.h"
#include "ConvForge/Frontend/OnnxImporter.h"
#include "ConvForge/Frontend/SpecImporter.h"
#include "ConvForge/InitAll.h"
#include "ConvForge/Support/InputFile.h"
#include "ConvForge/Support/WeightBlob.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FileSystem.h"
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
  std::unique_ptr<llvm::MemoryBuffer> buffer;
  if (path == "-") {
    // Standard input may never end (`convforge-run - < /dev/zero`): read it
    // up to the memory limit only.
    llvm::SmallString<0> text;
    uint64_t limit = options.limits.maxMemoryBytes;
    constexpr size_t kChunk = 1 << 16;
    while (true) {
      size_t size = text.size();
      text.resize_for_overwrite(size + kChunk);
      llvm::Expected<size_t> read = llvm::sys::fs::readNativeFile(
          llvm::sys::fs::getStdinHandle(),
          llvm::MutableArrayRef<char>(text.data() + size, kChunk));
      if (!read) {
        emitError(FileLineColLoc::get(context, path, 0, 0))
            << "cannot read the network: " << llvm::toString(read.takeError());
        return std::nullopt;
      }
      text.truncate(size + *read);
      if (*read == 0)
        break;
      if (text.size() > limit) {
        emitError(FileLineColLoc::get(context, path, 0, 0))
            << "cannot read the network: standard input has more than " << limit
            << " bytes (" << options.limits.memoryFlag << ")";
        return std::nullopt;
      }
    }
    buffer = llvm::MemoryBuffer::getMemBufferCopy(text, "<stdin>");
  } else {
    InputFileOptions fileOptions;
    // The MLIR parser needs the terminator.
    fileOptions.nullTerminated = true;
    // A spec is small; an MLIR file may hold weights, which must fit in
    // the memory limit.
    bool isSpec = format == NetworkFormat::Spec;
    fileOptions.maxBytes =
        isSpec ? kMaxSpecFileBytes : options.limits.maxMemoryBytes;
    llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> mapped =
        mapInputFile(path, isSpec ? "network spec" : "network", fileOptions);
    if (!mapped) {
      emitError(FileLineColLoc::get(context, path, 0, 0))
          << "cannot read the network: " << llvm::toString(mapped.takeError());
      return std::nullopt;
    }
    buffer = std::move(*mapped);
  }
  return loadNetworkFromBuffer(std::move(buffer), sourceMgr, context, options);
}

/// MLIR's parser recurses once per level of nested brackets (attributes,
/// types, regions): a file nested thousands of levels deep overflows the
/// stack. Networks nest a dozen levels; this limit leaves ample room.
static constexpr unsigned kMaxMlirNesting = 256;

/// The position where `text` (MLIR) first nests brackets -- (), [], {}, <>
/// -- deeper than `limit`, if it does. Strings and comments are skipped; a
/// `>` of `->` or `>=` closes nothing. Closers are not matched with their
/// openers: the count can only overestimate the parser's depth.
static std::optional<size_t> findDeepNesting(llvm::StringRef text,
                                             unsigned limit) {
  unsigned depth = 0;
  for (size_t i = 0, e = text.size(); i < e; ++i) {
    char c = text[i];
    switch (c) {
    case '"':
      // A string literal, escapes included.
      for (++i; i < e && text[i] != '"'; ++i)
        if (text[i] == '\\')
          ++i;
      break;
    case '/':
      if (i + 1 < e && text[i + 1] == '/')
        i = std::min(text.find('\n', i), e);
      break;
    case '(':
    case '[':
    case '{':
    case '<':
      if (++depth > limit)
        return i;
      break;
    case '>':
      if ((i > 0 && text[i - 1] == '-') || (i + 1 < e && text[i + 1] == '='))
        break;
      [[fallthrough]];
    case ')':
    case ']':
    case '}':
      if (depth > 0)
        --depth;
      break;
    default:
      break;
    }
  }
  return std::nullopt;
}

std::optional<Network>
driver::loadNetworkFromBuffer(std::unique_ptr<llvm::MemoryBuffer> buffer,
                              llvm::SourceMgr &sourceMgr, MLIRContext *context,
                              const LoadOptions &options) {
  std::string path = buffer->getBufferIdentifier().str();
  NetworkFormat format = getFormat(path, options.format);
  unsigned bufferId =
      sourceMgr.AddNewSourceBuffer(std::move(buffer), llvm::SMLoc());

  Network network;
  if (format == NetworkFormat::Spec) {
    SpecImportOptions importOptions;
    importOptions.seed = options.seed;
    importOptions.maxLayers = options.limits.maxLayers;
    // The whole network is checked before any weight is allocated, with
    // a message naming the tool's flag; the importer's own limit (checked
    // layer by layer) only needs to allow as much.
    importOptions.maxWeightBytes =
        std::max(importOptions.maxWeightBytes, options.limits.maxMemoryBytes);
    importOptions.checkNetwork = [&](func::FuncOp func) {
      return checkResourceLimits(func, options.limits);
    };
    network.module = importSpec(sourceMgr, context, importOptions);
  } else if (format == NetworkFormat::Onnx) {
    network.module = importOnnx(
        sourceMgr.getMemoryBuffer(bufferId)->getBuffer(), path, context);
    network.onnxLayout = true;
  } else {
    llvm::StringRef text = sourceMgr.getMemoryBuffer(bufferId)->getBuffer();
    if (std::optional<size_t> deep = findDeepNesting(text, kMaxMlirNesting)) {
      auto [line, column] = sourceMgr.getLineAndColumn(
          llvm::SMLoc::getFromPointer(text.data() + *deep), bufferId);
      emitError(FileLineColLoc::get(context, path, line, column))
          << "brackets nested deeper than " << kMaxMlirNesting
          << " levels: not a network";
      return std::nullopt;
    }
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

LogicalResult driver::checkResourceLimits(func::FuncOp func,
                                          const ResourceLimits &limits) {
  // Layers: every operation but the data and the return.
  size_t layers = 0;
  Operation *beyond = nullptr;
  for (Operation &op : func.getBody().getOps()) {
    if (op.getNumOperands() == 0 || op.hasTrait<OpTrait::IsTerminator>())
      continue;
    if (++layers == size_t(limits.maxLayers) + 1)
      beyond = &op;
  }
  // Messages are located at the file, not at the function's name (which
  // would read as a layer's).
  Location loc = func.getLoc();
  if (auto named = dyn_cast<NameLoc>(loc))
    loc = named.getChildLoc();
  if (beyond) {
    InFlightDiagnostic diag = emitError(loc);
    diag << "the network @" << func.getSymName() << " has " << layers
         << " layers, more than the limit of " << limits.maxLayers << " ("
         << limits.layersFlag << ")";
    diag.attachNote(beyond->getLoc()) << "the first layer beyond the limit";
    return failure();
  }

  FailureOr<cnn::MemoryEstimate> estimate = cnn::estimateMemory(func);
  if (failed(estimate))
    return failure();
  using cnn::saturatingAdd, cnn::saturatingMul;
  uint64_t weights =
      saturatingMul(estimate->weights, 1 + limits.extraWeightCopies);
  uint64_t needed = weights;
  if (limits.countsRun)
    needed = saturatingAdd(
        needed,
        saturatingAdd(saturatingAdd(estimate->inputs, estimate->scratch),
                      saturatingMul(estimate->activations,
                                    1 + limits.extraActivationCopies)));
  if (needed <= limits.maxMemoryBytes)
    return success();
  InFlightDiagnostic diag = emitError(loc);
  diag << "the network @" << func.getSymName() << " needs about "
       << cnn::formatBytes(needed) << " (weights "
       << cnn::formatBytes(estimate->weights);
  if (limits.extraWeightCopies)
    diag << " held " << 1 + limits.extraWeightCopies << " times";
  if (limits.countsRun) {
    diag << ", input " << cnn::formatBytes(estimate->inputs) << ", activations "
         << cnn::formatBytes(estimate->activations);
    if (limits.extraActivationCopies)
      diag << " held " << 1 + limits.extraActivationCopies << " times";
    diag << ", temporaries " << cnn::formatBytes(estimate->scratch);
  }
  diag << "), more than " << limits.memoryFlag << "="
       << (limits.maxMemoryBytes >> 20) << " MiB";
  return failure();
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

LogicalResult driver::prepareNetwork(Network &network,
                                     const LoadOptions &options) {
  if (failed(inferShapes(network)))
    return failure();
  return checkResourceLimits(network.getEntry(), options.limits);
}

std::optional<Network> Session::load(llvm::StringRef path,
                                     const LoadOptions &options) {
  std::optional<Network> network =
      loadNetwork(path, sourceMgr, &context, options);
  if (!network || failed(prepareNetwork(*network, options)))
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
  return runPipeline(pm, module);
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
    ArrayRef<float> data = *getWeightData(op);
    // The frontends store weights on a cache line (WeightBlob.h); a
    // constant parsed from MLIR text may not be: it is read from a copy that
    // is, kept by the context's resources like the others.
    if (reinterpret_cast<uintptr_t>(data.data()) % kBufferAlignment != 0) {
      auto copy = DenseResourceElementsAttr::get(type, "outlined_weights",
                                                 copyToWeightBlob(data));
      data = copy.getRawHandle().getBlob()->getDataAs<float>();
    }
    weights.push_back({data, SmallVector<int64_t>(type.getShape())});
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
