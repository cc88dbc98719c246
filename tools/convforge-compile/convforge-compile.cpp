//===- convforge-compile.cpp - Network to native code ahead of time -------===//
//
// Compiles a network (a YAML spec, an ONNX model or cnn-dialect MLIR) to a
// position-independent object file or shared library with a C header, or
// stops at any stage of the pipeline to show its output:
//
//   convforge-compile net.yaml -o net.o            # net.o + net.h
//   convforge-compile net.yaml -o libnet.so        # shared library + header
//   convforge-compile net.yaml --summary           # the volume arithmetic
//   convforge-compile net.yaml --emit=vector       # IR after tiling
//   convforge-compile model.onnx -o model.o        # an ONNX model
//
// Exit status: 0 on success, 1 on any error.
//
//===----------------------------------------------------------------------===//

#include "ConvForge/Driver/Driver.h"
#include "ConvForge/Execution/NativeCode.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <limits>

using namespace mlir;
using namespace convforge;
namespace cl = llvm::cl;

namespace {
cl::OptionCategory category("convforge-compile options");

cl::opt<std::string>
    networkPath(cl::Positional, cl::Required,
                cl::desc("<network.yaml | network.onnx | network.mlir>"),
                cl::cat(category));
cl::opt<std::string> formatName(
    "format",
    cl::desc("How to read the network: spec (YAML), onnx, mlir, or auto "
             "(default: from the extension, .yaml/.yml, .onnx, else MLIR)"),
    cl::value_desc("format"), cl::init("auto"), cl::cat(category));
cl::opt<std::string> outputPath(
    "o",
    cl::desc("Output file. The kind follows --emit, else the extension: .o "
             "(object and C header), .so (shared library and C header), .s, "
             ".ll, .mlir. Default: <name>.o, or stdout for text stages"),
    cl::value_desc("file"), cl::cat(category));
cl::opt<std::string> emit(
    "emit",
    cl::desc("Stop after a stage and write its output: cnn (shapes "
             "inferred), linalg, vector (tiled and vectorized), bufferized, "
             "llvm (the LLVM dialect), llvm-ir, asm, obj"),
    cl::value_desc("stage"), cl::cat(category));
cl::alias compileTo("compile-to", cl::desc("Alias for --emit"),
                    cl::aliasopt(emit), cl::cat(category), cl::NotHidden);
cl::opt<bool> summary("summary",
                      cl::desc("Print the volume arithmetic of every layer "
                               "(output volume, neurons, parameters with and "
                               "without sharing, multiply-accumulates)"),
                      cl::cat(category));
cl::opt<std::string> headerPath(
    "header",
    cl::desc("Where to write the C header of an object or shared library "
             "(default: the output with the extension .h)"),
    cl::value_desc("file.h"), cl::cat(category));
cl::opt<std::string> cName(
    "c-name",
    cl::desc("Name of the C entry point (default: <network name>_forward)"),
    cl::value_desc("identifier"), cl::cat(category));
cl::opt<uint64_t> weightSeed(
    "weight-seed",
    cl::desc("Seed of generated weights, overriding the spec's `seed`"),
    cl::cat(category));
cl::opt<std::string>
    entryName("entry",
              cl::desc("The function to compile, in an MLIR file with several"),
              cl::cat(category));
cl::opt<uint64_t> maxMemoryMiB(
    "max-memory",
    cl::desc("Refuse networks that need more than this many MiB to run "
             "(weights, input, activations, temporaries; for native code, "
             "with the compiler's two further copies of the weights), before "
             "allocating anything (default 8192)"),
    cl::value_desc("MiB"),
    cl::init(driver::ResourceLimits::kDefaultMaxMemoryMiB), cl::cat(category));
cl::opt<unsigned> maxLayers(
    "max-layers",
    cl::desc("Refuse networks with more layers than this (default 1024)"),
    cl::value_desc("N"), cl::init(driver::ResourceLimits::kDefaultMaxLayers),
    cl::cat(category));
cl::opt<bool> elideWeights(
    "elide-weights",
    cl::desc("Print large weight constants of MLIR stages as elided "
             "(default true; the output then does not parse back)"),
    cl::init(true), cl::cat(category));

cl::OptionCategory targetCategory("code generation options");
cl::opt<std::string> targetCpu(
    "target-cpu",
    cl::desc("CPU to generate code for (default: this machine's), e.g. "
             "znver4, skylake-avx512, x86-64-v3"),
    cl::cat(targetCategory));
cl::opt<std::string>
    targetFeatures("mattr",
                   cl::desc("CPU features to add or remove, e.g. "
                            "+avx2,+fma,-avx512f (default: the CPU's)"),
                   cl::cat(targetCategory));
cl::opt<int64_t>
    vectorBits("vector-bits",
               cl::desc("Vector register width assumed by the tiling strategy "
                        "(default: this machine's; set it with --target-cpu)"),
               cl::init(0), cl::cat(targetCategory));
cl::opt<int64_t> vectorRegisters("vector-registers",
                                 cl::desc("Vector registers assumed by the "
                                          "tiling strategy"),
                                 cl::init(0), cl::cat(targetCategory));
cl::opt<int64_t> l2KiB("l2-kib",
                       cl::desc("L2 cache size (KiB) assumed by the tiling "
                                "strategy"),
                       cl::init(0), cl::cat(targetCategory));

int fail(const llvm::Twine &message) {
  llvm::errs() << "convforge-compile: error: " << message << "\n";
  return 1;
}

/// What to produce, from --emit or the output's extension.
std::optional<driver::Stage> chooseStage(bool &sharedLibrary) {
  sharedLibrary = false;
  if (!emit.empty())
    return driver::parseStage(emit);
  llvm::StringRef extension = llvm::sys::path::extension(outputPath);
  if (extension == ".so") {
    sharedLibrary = true;
    return driver::Stage::Object;
  }
  if (extension == ".s")
    return driver::Stage::Assembly;
  if (extension == ".ll")
    return driver::Stage::LLVMIR;
  if (extension == ".mlir")
    return driver::Stage::Cnn;
  return driver::Stage::Object;
}

/// The path of the header beside an object or library: net.o -> net.h.
std::string defaultHeaderPath(llvm::StringRef output) {
  llvm::SmallString<128> path(output);
  llvm::sys::path::replace_extension(path, ".h");
  return std::string(path);
}

/// Links `object` into the shared library `output` with the system's C
/// compiler driver.
llvm::Error linkSharedLibrary(llvm::StringRef object, llvm::StringRef output) {
  for (llvm::StringRef driverName : {"cc", "clang-22", "clang", "gcc"}) {
    llvm::ErrorOr<std::string> program =
        llvm::sys::findProgramByName(driverName);
    if (!program)
      continue;
    std::string message;
    int status = llvm::sys::ExecuteAndWait(
        *program, {*program, "-shared", "-o", output, object}, std::nullopt, {},
        0, 0, &message);
    if (status != 0)
      return llvm::createStringError("linking the shared library with " +
                                     *program + " failed" +
                                     (message.empty() ? "" : ": " + message));
    return llvm::Error::success();
  }
  return llvm::createStringError(
      "no C compiler (cc, clang or gcc) to link a shared library; emit an "
      "object file (-o net.o) and link it yourself");
}

int writeText(llvm::StringRef path,
              llvm::function_ref<void(llvm::raw_ostream &)> write) {
  std::string error;
  std::unique_ptr<llvm::ToolOutputFile> file =
      openOutputFile(path.empty() ? "-" : path, &error);
  if (!file)
    return fail(error);
  write(file->os());
  file->keep();
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  cl::HideUnrelatedOptions({&category, &targetCategory});
  cl::ParseCommandLineOptions(
      argc, argv,
      "ConvForge ahead-of-time compiler: a network to an object file or "
      "shared library with a C header, or any stage of the pipeline.\n\n"
      "  convforge-compile net.yaml -o net.o        (writes net.o and net.h)\n"
      "  convforge-compile net.yaml --summary\n"
      "  convforge-compile net.yaml --emit=vector\n");

  bool sharedLibrary = false;
  std::optional<driver::Stage> stage = chooseStage(sharedLibrary);
  if (!stage)
    return fail("unknown stage '" + emit +
                "'; expected cnn, linalg, vector, bufferized, llvm, llvm-ir, "
                "asm or obj");
  // Only --summary: no output file unless one is asked for.
  bool produceOutput =
      !summary || !emit.empty() || outputPath.getNumOccurrences();

  std::optional<driver::NetworkFormat> format =
      driver::parseNetworkFormat(formatName);
  if (!format)
    return fail("unknown --format '" + formatName +
                "'; expected auto, spec, onnx or mlir");
  if (maxMemoryMiB > (std::numeric_limits<uint64_t>::max() >> 20))
    return fail("--max-memory is too large (at most 2^44 - 1 MiB)");

  driver::Session session;
  driver::LoadOptions loadOptions;
  loadOptions.format = *format;
  if (weightSeed.getNumOccurrences())
    loadOptions.seed = weightSeed;
  loadOptions.entry = entryName;
  loadOptions.limits.maxMemoryBytes = maxMemoryMiB << 20;
  loadOptions.limits.maxLayers = maxLayers;
  // The summary alone needs the weights only; code is meant to run, and
  // native code holds the weights twice more while it is emitted (LLVM
  // constants, the object).
  loadOptions.limits.countsRun = produceOutput;
  if (produceOutput && *stage > driver::Stage::LLVMDialect)
    loadOptions.limits.extraWeightCopies = 2;
  std::optional<driver::Network> network =
      session.load(networkPath, loadOptions);
  if (!network)
    return 1;

  if (summary) {
    FailureOr<SmallVector<cnn::LayerStats>> stats =
        cnn::computeNetworkStats(network->getEntry());
    if (failed(stats))
      return 1;
    cnn::printNetworkStats(llvm::outs(), "Network @" + network->entry, *stats);
  }
  if (!produceOutput)
    return 0;

  // Input and output shapes, recorded before the signature is lowered.
  EntrySignature signature;
  for (Type type : network->getEntry().getArgumentTypes())
    signature.inputs.emplace_back(cast<ShapedType>(type).getShape());
  for (Type type : network->getEntry().getResultTypes())
    signature.outputs.emplace_back(cast<ShapedType>(type).getShape());

  auto isIdentifier = [](llvm::StringRef name) {
    return !name.empty() && !llvm::isDigit(name.front()) &&
           llvm::all_of(name,
                        [](char c) { return llvm::isAlnum(c) || c == '_'; });
  };
  if (cName.getNumOccurrences() && !isIdentifier(cName))
    return fail("--c-name must be a C identifier (letters, digits and '_', "
                "not starting with a digit), got '" +
                cName + "'");

  // Native code takes its weights from globals linked in after optimization
  // (see linkWeights); the MLIR stages show them as constants.
  std::string entryC = cName.empty() ? network->entry + "_forward" : cName;
  std::vector<EmbeddedWeight> weights;
  CodegenOptions codegenOptions;
  codegenOptions.vectorBits = vectorBits;
  codegenOptions.vectorRegisters = vectorRegisters;
  codegenOptions.l2KiB = l2KiB;
  if (*stage > driver::Stage::LLVMDialect) {
    if (failed(driver::packFilters(*network->module, codegenOptions)))
      return 1;
    for (driver::WeightBuffer &weight :
         driver::outlineWeights(network->getEntry()))
      weights.push_back({entryC + "_weight" + std::to_string(weights.size()),
                         weight.data, weight.shape});
  }

  ModuleOp module = *network->module;
  driver::Stage mlirStage = std::min(*stage, driver::Stage::LLVMDialect);
  if (failed(driver::runPipelineTo(module, mlirStage, codegenOptions)))
    return 1;

  if (*stage <= driver::Stage::LLVMDialect) {
    OpPrintingFlags flags;
    if (elideWeights) {
      flags.elideLargeElementsAttrs(16);
      flags.elideLargeResourceString(64);
    }
    return writeText(outputPath,
                     [&](llvm::raw_ostream &os) { module.print(os, flags); });
  }

  signature.workspaceBytes = getWorkspaceBytes(module, network->entry);
  if (llvm::Error error =
          addCEntryPoint(module, network->entry, entryC, signature, weights))
    return fail(llvm::toString(std::move(error)));
  NativeTarget target{targetCpu, targetFeatures};
  auto machine = createTargetMachine(target);
  if (!machine)
    return fail(llvm::toString(machine.takeError()));
  llvm::LLVMContext llvmContext;
  auto llvmModule = translateToOptimizedLLVMIR(module, llvmContext, **machine);
  if (!llvmModule)
    return fail(llvm::toString(llvmModule.takeError()));
  if (llvm::Error error = linkWeights(**llvmModule, weights))
    return fail(llvm::toString(std::move(error)));

  if (*stage == driver::Stage::LLVMIR)
    return writeText(outputPath, [&](llvm::raw_ostream &os) {
      (*llvmModule)->print(os, nullptr);
    });
  if (*stage == driver::Stage::Assembly) {
    std::string error;
    std::unique_ptr<llvm::ToolOutputFile> file = openOutputFile(
        outputPath.empty() ? std::string("-") : std::string(outputPath),
        &error);
    if (!file)
      return fail(error);
    if (llvm::Error failure =
            emitNativeCode(**llvmModule, **machine,
                           llvm::CodeGenFileType::AssemblyFile, file->os()))
      return fail(llvm::toString(std::move(failure)));
    file->keep();
    return 0;
  }

  // An object (and its header), possibly linked into a shared library.
  std::string output = outputPath.empty()
                           ? network->entry + (sharedLibrary ? ".so" : ".o")
                           : std::string(outputPath);
  std::string objectPath = output;
  llvm::SmallString<128> temporary;
  if (sharedLibrary) {
    if (std::error_code ec =
            llvm::sys::fs::createTemporaryFile("convforge", "o", temporary))
      return fail("cannot create a temporary object file: " + ec.message());
    objectPath = std::string(temporary);
  }
  {
    std::string error;
    std::unique_ptr<llvm::ToolOutputFile> file =
        openOutputFile(objectPath, &error);
    if (!file)
      return fail(error);
    if (llvm::Error failure =
            emitNativeCode(**llvmModule, **machine,
                           llvm::CodeGenFileType::ObjectFile, file->os()))
      return fail(llvm::toString(std::move(failure)));
    file->keep();
  }
  if (sharedLibrary) {
    llvm::Error linked = linkSharedLibrary(objectPath, output);
    llvm::sys::fs::remove(objectPath);
    if (linked)
      return fail(llvm::toString(std::move(linked)));
  }
  std::string header =
      headerPath.empty() ? defaultHeaderPath(output) : std::string(headerPath);
  return writeText(header, [&](llvm::raw_ostream &os) {
    os << generateCHeader(entryC, network->entry,
                          llvm::sys::path::filename(networkPath), signature,
                          network->onnxLayout);
  });
}
