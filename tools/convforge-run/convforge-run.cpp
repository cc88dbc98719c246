//===- convforge-run.cpp - Compile a network and run it at once -*- C++ -*-===//
//
// JIT-compiles a network (a YAML spec, an ONNX model or cnn-dialect MLIR) for
// this CPU and runs it: on an input from a .npy file or a seeded random one,
// once or repeatedly with timing, per layer with --profile, and compared with
// the reference implementation with --check.
//
// Exit status: 0 on success, 1 on any error, 2 when --check finds the
// output beyond the tolerance.
//
//===----------------------------------------------------------------------===//

#include "ConvForge/Driver/Driver.h"
#include "ConvForge/Execution/Jit.h"
#include "ConvForge/Reference/Evaluator.h"
#include "ConvForge/Support/NumpyFile.h"
#include "ConvForge/Support/Tensor.h"
#include "ConvForge/Support/WindowArithmetic.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>

using namespace mlir;
using namespace convforge;
namespace cl = llvm::cl;

namespace {
cl::OptionCategory category("convforge-run options");

cl::opt<std::string>
    networkPath(cl::Positional, cl::Required,
                cl::desc("<network.yaml | network.onnx | network.mlir>"),
                cl::cat(category));
cl::opt<std::string> formatName(
    "format",
    cl::desc("How to read the network: spec (YAML), onnx, mlir, or auto "
             "(default: from the extension, .yaml/.yml, .onnx, else MLIR)"),
    cl::value_desc("format"), cl::init("auto"), cl::cat(category));
cl::opt<std::string>
    inputPath("input",
              cl::desc("Input .npy file (little-endian float32, C order, the "
                       "network's input shape). Default: random values in "
                       "[-1, 1) drawn from --seed. An MLIR network's further "
                       "arguments (weights) get random values from "
                       "--weight-seed"),
              cl::value_desc("file.npy"), cl::cat(category));
cl::opt<std::string> outputPath("output",
                                cl::desc("Write the output to this .npy file"),
                                cl::value_desc("file.npy"), cl::cat(category));
cl::opt<uint64_t> inputSeed("seed",
                            cl::desc("Seed of the random input (default 0)"),
                            cl::init(0), cl::cat(category));
cl::opt<uint64_t> weightSeed(
    "weight-seed",
    cl::desc("Seed of generated weights, overriding the spec's `seed`"),
    cl::cat(category));
cl::opt<unsigned>
    repeat("repeat",
           cl::desc("Run N times after a warm-up run and report the median and "
                    "minimum time and GFLOP/s (default 1)"),
           cl::value_desc("N"), cl::init(1), cl::cat(category));
cl::opt<bool>
    profile("profile",
            cl::desc("Also time each layer on its own (each layer compiled "
                     "as a separate function, so without the fusion of a "
                     "layer with the next; and run alone, repeatedly, so "
                     "that its weights, where they fit in cache, stay there, "
                     "while in the whole network they may come from memory "
                     "on every pass)"),
            cl::cat(category));
cl::opt<bool> check("check",
                    cl::desc("Compare the output with the reference "
                             "implementation (float64 accumulation); exit "
                             "with status 2 beyond --tolerance"),
                    cl::cat(category));
cl::opt<double> tolerance(
    "tolerance",
    cl::desc("Largest accepted |output - reference| / max(1, |reference|) "
             "(default 1e-4)"),
    cl::init(1e-4), cl::cat(category));
cl::opt<bool> summary("summary",
                      cl::desc("Print the volume arithmetic of every layer "
                               "(output volume, neurons, parameters with and "
                               "without sharing, multiply-accumulates)"),
                      cl::cat(category));
cl::opt<uint64_t> maxMemoryMiB(
    "max-memory",
    cl::desc("Refuse networks that need more than this many MiB (weights, "
             "input, activations, the compiled code's temporaries, and the "
             "reference's activations with --check), before allocating "
             "anything (default 8192)"),
    cl::value_desc("MiB"),
    cl::init(driver::ResourceLimits::kDefaultMaxMemoryMiB), cl::cat(category));
cl::opt<unsigned> maxLayers(
    "max-layers",
    cl::desc("Refuse networks with more layers than this (default 1024)"),
    cl::value_desc("N"), cl::init(driver::ResourceLimits::kDefaultMaxLayers),
    cl::cat(category));
cl::opt<std::string>
    entryName("entry",
              cl::desc("The function to run, in an MLIR file with several"),
              cl::cat(category));

cl::OptionCategory targetCategory("code generation options");
cl::opt<int64_t> vectorBits("vector-bits",
                            cl::desc("Vector register width assumed by the "
                                     "tiling strategy (default: the host's)"),
                            cl::init(0), cl::cat(targetCategory));
cl::opt<int64_t> vectorRegisters("vector-registers",
                                 cl::desc("Vector registers assumed by the "
                                          "tiling strategy"),
                                 cl::init(0), cl::cat(targetCategory));
// (LLVM itself registers a hidden --threads.)
cl::opt<int64_t> threads(
    "num-threads",
    cl::desc("Threads the network runs on: its layers' tile loops are shared "
             "among them (OpenMP). 1: single-threaded code. Default: one per "
             "hardware thread"),
    cl::init(0), cl::cat(targetCategory));
cl::opt<int64_t> l2KiB("l2-kib",
                       cl::desc("L2 cache size (KiB) assumed by the tiling "
                                "strategy"),
                       cl::init(0), cl::cat(targetCategory));

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// Deterministic values in [-1, 1): splitmix64, top 24 bits of each draw.
Tensor randomTensor(llvm::ArrayRef<int64_t> shape, uint64_t seed) {
  Tensor tensor(shape);
  uint64_t state = seed;
  for (float &value : tensor.data) {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    value =
        static_cast<float>(z >> 40) / static_cast<float>(1 << 24) * 2.0f - 1.0f;
  }
  return tensor;
}

/// Median and minimum of `times`.
std::pair<double, double> medianAndMin(std::vector<double> times) {
  std::sort(times.begin(), times.end());
  return {times[times.size() / 2], times.front()};
}

int fail(const llvm::Twine &message) {
  llvm::errs() << "convforge-run: error: " << message << "\n";
  return 1;
}

/// A buffer for each weight (the compiled code only reads them).
void appendWeights(llvm::ArrayRef<driver::WeightBuffer> weights,
                   SmallVectorImpl<BufferRef> &buffers) {
  for (const driver::WeightBuffer &weight : weights)
    buffers.push_back({const_cast<float *>(weight.data.data()), weight.shape});
}

/// Runs `entry` of `program` `count` times and returns the times.
llvm::Expected<std::vector<double>> timeRuns(JitProgram &program,
                                             llvm::StringRef entry,
                                             llvm::ArrayRef<BufferRef> inputs,
                                             std::vector<Tensor> &outputs,
                                             unsigned count) {
  SmallVector<BufferRef> outputRefs;
  for (Tensor &output : outputs)
    outputRefs.push_back({output.data.data(), output.shape});
  std::vector<double> times;
  for (unsigned run = 0; run < count; ++run) {
    auto start = Clock::now();
    if (llvm::Error error = program.invoke(entry, inputs, outputRefs))
      return std::move(error);
    times.push_back(secondsSince(start));
  }
  return times;
}

/// Total FLOPs of a batch: two per multiply-accumulate.
double flopsOf(llvm::ArrayRef<cnn::LayerStats> layers) {
  double flops = 0;
  for (const cnn::LayerStats &layer : layers)
    flops += 2.0 * static_cast<double>(layer.macs) * layer.batch;
  return flops;
}

int profileLayers(driver::Network &network, const JitOptions &jitOptions,
                  llvm::ArrayRef<Tensor> arguments,
                  double wholeNetworkSeconds) {
  CodegenOptions codegenOptions;
  codegenOptions.vectorBits = jitOptions.vectorBits;
  auto split = driver::splitIntoLayers(network, codegenOptions);
  if (!split)
    return 1;
  auto &[module, layers] = *split;
  std::vector<std::string> entries;
  for (const driver::LayerFunction &layer : layers)
    entries.push_back(layer.function);
  auto program = JitProgram::compile(*module, entries, jitOptions);
  if (!program)
    return fail(llvm::toString(program.takeError()));

  // A layer run alone, again and again, keeps its weights in cache; in the
  // whole network, weights larger than the cache come from memory on every
  // pass, so the sum of the layers can be below the network's time.
  llvm::outs() << "profile (each layer compiled on its own and run alone: "
                  "weights that fit in cache stay there; median of "
               << std::max(1u, repeat.getValue()) << " runs):\n";
  llvm::outs() << llvm::format("  %-16s %-20s %10s %9s %7s\n", "layer", "op",
                               "time ms", "GFLOP/s", "share");
  std::vector<Tensor> results;
  std::vector<double> seconds;
  double total = 0;
  for (const driver::LayerFunction &layer : layers) {
    SmallVector<BufferRef> inputs;
    for (int source : layer.sources) {
      const Tensor &activation =
          source >= 0 ? arguments[source] : results[-1 - source];
      inputs.push_back(
          {const_cast<float *>(activation.data.data()), activation.shape});
    }
    appendWeights(layer.weights, inputs);
    const EntrySignature *signature = (*program)->getSignature(layer.function);
    std::vector<Tensor> outputs;
    for (llvm::ArrayRef<int64_t> shape : signature->outputs)
      outputs.emplace_back(shape);
    auto times = timeRuns(**program, layer.function, inputs, outputs,
                          std::max(1u, repeat.getValue()) + 1);
    if (!times)
      return fail(llvm::toString(times.takeError()));
    times->erase(times->begin()); // warm-up
    double median = medianAndMin(*times).first;
    seconds.push_back(median);
    total += median;
    results.push_back(std::move(outputs.front()));
  }
  for (auto [layer, time] : llvm::zip(layers, seconds)) {
    double flops = 2.0 * layer.stats.macs * layer.stats.batch;
    llvm::outs() << llvm::format("  %-16s %-20s %10.3f ",
                                 layer.stats.name.c_str(),
                                 layer.stats.op.c_str(), time * 1e3);
    if (flops > 0)
      llvm::outs() << llvm::format("%9.1f", flops / time / 1e9);
    else
      llvm::outs() << llvm::format("%9s", "-");
    llvm::outs() << llvm::format(" %6.1f%%\n", 100.0 * time / total);
  }
  llvm::outs() << llvm::format("  %-37s %10.3f\n", "sum of layers",
                               total * 1e3);
  llvm::outs() << llvm::format("  %-37s %10.3f\n", "whole network (fused)",
                               wholeNetworkSeconds * 1e3);
  return 0;
}

/// NaN and infinite values among `values`.
struct NonFiniteCount {
  int64_t nan = 0, infinite = 0;
  bool any() const { return nan || infinite; }
};

NonFiniteCount countNonFinite(llvm::ArrayRef<float> values) {
  NonFiniteCount count;
  for (float value : values) {
    count.nan += std::isnan(value);
    count.infinite += std::isinf(value);
  }
  return count;
}

void printNonFinite(llvm::StringRef what, NonFiniteCount count,
                    llvm::StringRef note = "allowed; they propagate to the "
                                           "output") {
  llvm::outs() << "check: " << what << " " << count.nan << " NaN and "
               << count.infinite << " infinite values (" << note << ")\n";
}

/// The name of a weight constant: its NameLoc (`conv1.weight`), or its
/// position.
std::string getConstantName(Operation *op, unsigned index) {
  if (auto named = dyn_cast<NameLoc>(op->getLoc()))
    return named.getName().str();
  return "constant #" + std::to_string(index);
}

/// Reports the NaN and infinite values of the f32 constants of `entry` (the
/// weights) and of its arguments: allowed, but worth knowing about when the
/// output has them too.
void reportNonFiniteValues(func::FuncOp entry,
                           llvm::ArrayRef<Tensor> arguments) {
  unsigned index = 0;
  entry.walk([&](arith::ConstantOp constant) {
    auto type = dyn_cast<RankedTensorType>(constant.getType());
    if (!type || !type.getElementType().isF32())
      return;
    NonFiniteCount count;
    if (auto resource =
            dyn_cast<DenseResourceElementsAttr>(constant.getValue())) {
      if (AsmResourceBlob *blob = resource.getRawHandle().getBlob()) {
        ArrayRef<char> bytes = blob->getData();
        for (size_t i = 0; i + sizeof(float) <= bytes.size();
             i += sizeof(float)) {
          float value;
          std::memcpy(&value, bytes.data() + i, sizeof(float));
          count.nan += std::isnan(value);
          count.infinite += std::isinf(value);
        }
      }
    } else if (auto dense = dyn_cast<DenseElementsAttr>(constant.getValue())) {
      for (float value : dense.getValues<float>()) {
        count.nan += std::isnan(value);
        count.infinite += std::isinf(value);
      }
    }
    if (count.any())
      printNonFinite(
          "the weights '" + getConstantName(constant, index) + "' have", count);
    ++index;
  });
  for (auto [position, argument] : llvm::enumerate(arguments))
    if (NonFiniteCount count = countNonFinite(argument.data); count.any())
      printNonFinite(position == 0
                         ? std::string("the input has")
                         : "argument " + std::to_string(position) + " has",
                     count);
}

/// Whether a compiled value agrees with the reference's: within the
/// tolerance, or the same non-finite value (NaN, or an infinity of the same
/// sign), which NaN or infinite weights or inputs legitimately produce.
bool agrees(float got, float want, double &relativeError) {
  relativeError = 0;
  if (std::isnan(got) || std::isnan(want))
    return std::isnan(got) && std::isnan(want);
  if (std::isinf(got) || std::isinf(want))
    return got == want;
  double diff = std::fabs(double(got) - double(want));
  relativeError = diff / std::max(1.0, std::fabs(double(want)));
  return relativeError <= tolerance;
}

int compareWithReference(func::FuncOp entry, llvm::ArrayRef<Tensor> arguments,
                         const Tensor &output) {
  auto start = Clock::now();
  reportNonFiniteValues(entry, arguments);
  FailureOr<std::vector<Tensor>> expected =
      reference::evaluateReference(entry, arguments);
  if (failed(expected))
    return 1;
  const Tensor &want = expected->front();
  if (want.shape != output.shape)
    return fail("the reference output has shape " + formatShape(want.shape) +
                ", the compiled one " + formatShape(output.shape));
  double maxAbs = 0, maxRel = 0;
  int64_t mismatches = 0, worstFinite = -1, firstNonFinite = -1;
  for (int64_t i = 0, e = want.numElements(); i < e; ++i) {
    double rel = 0;
    bool agreement = agrees(output.data[i], want.data[i], rel);
    bool finite = std::isfinite(output.data[i]) && std::isfinite(want.data[i]);
    if (finite) {
      maxAbs = std::max(
          maxAbs, std::fabs(double(output.data[i]) - double(want.data[i])));
      if (rel > maxRel) {
        maxRel = rel;
        worstFinite = i;
      }
    }
    if (!agreement) {
      ++mismatches;
      if (!finite && firstNonFinite < 0)
        firstNonFinite = i;
    }
  }
  int64_t worst = maxRel > tolerance ? worstFinite : firstNonFinite;
  bool ok = mismatches == 0;
  llvm::outs() << llvm::format(
      "check: max abs error %.3g, max rel error %.3g (|d| / max(1, |ref|), "
      "tolerance %.3g, reference %.2f s): %s\n",
      maxAbs, maxRel, tolerance.getValue(), secondsSince(start),
      ok ? "ok" : "FAILED");
  NonFiniteCount gotNonFinite = countNonFinite(output.data);
  if (gotNonFinite.any())
    printNonFinite("the output has", gotNonFinite,
                   "compared as equal where the reference has the same");
  if (!ok) {
    llvm::outs() << "check: " << mismatches << " of " << want.numElements()
                 << " elements differ";
    if (worst >= 0)
      llvm::outs() << "; worst element " << worst << ": " << output.data[worst]
                   << " instead of " << want.data[worst];
    llvm::outs() << "\n";
  }
  return ok ? 0 : 2;
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  cl::HideUnrelatedOptions({&category, &targetCategory});
  cl::ParseCommandLineOptions(
      argc, argv,
      "ConvForge JIT runner: compiles a network for this CPU and runs it.\n\n"
      "  convforge-run net.yaml --repeat 20 --check\n"
      "  convforge-run net.yaml --input x.npy --output y.npy\n");

  if (threads < 0 || threads > 1024)
    return fail(
        llvm::formatv("--num-threads must be between 1 and 1024 (0: one "
                      "per hardware thread), got {0}",
                      threads.getValue()));

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
  // Refused before anything is allocated: the compiled code allocates the
  // activations and temporaries, and a failed allocation there could not be
  // reported.
  loadOptions.limits.maxMemoryBytes = maxMemoryMiB << 20;
  loadOptions.limits.maxLayers = maxLayers;
  loadOptions.limits.extraActivationCopies =
      (check ? 1 : 0) + (profile ? 1 : 0);
  std::optional<driver::Network> network =
      session.load(networkPath, loadOptions);
  if (!network)
    return 1;
  func::FuncOp entry = network->getEntry();
  FailureOr<SmallVector<cnn::LayerStats>> stats =
      cnn::computeNetworkStats(entry);
  if (failed(stats))
    return 1;
  if (summary)
    cnn::printNetworkStats(llvm::outs(), "Network @" + network->entry, *stats);

  // The input, checked before compiling.
  if (entry.getNumArguments() == 0)
    return fail("the network has no input");
  SmallVector<int64_t> inputShape(
      cast<ShapedType>(entry.getArgumentTypes().front()).getShape());
  Tensor input;
  if (!inputPath.empty()) {
    // The shape is checked before the data is copied.
    auto wrongShape = [&](llvm::ArrayRef<int64_t> shape) {
      return llvm::createStringError(
          inputPath + " has shape " + formatShape(shape) +
          " but the network's input is " + formatShape(inputShape) +
          (network->onnxLayout ? " (the ONNX graph input's shape)"
                               : " (N×H×W×D, NHWC)"));
    };
    llvm::Expected<Tensor> loaded = readNpyFile(
        inputPath, [&](llvm::ArrayRef<int64_t> shape) -> llvm::Error {
          if (shape == llvm::ArrayRef<int64_t>(inputShape))
            return llvm::Error::success();
          return wrongShape(shape);
        });
    if (!loaded)
      return fail(llvm::toString(loaded.takeError()));
    input = std::move(*loaded);
  } else {
    input = randomTensor(inputShape, inputSeed);
  }

  // The reference and the profile work on the network as written (weights
  // as constants); the clone shares the weights' storage.
  OwningOpRef<ModuleOp> original(cast<ModuleOp>((*network->module)->clone()));
  CodegenOptions packOptions;
  packOptions.vectorBits = vectorBits;
  if (failed(driver::packFilters(*network->module, packOptions)))
    return 1;
  entry = network->getEntry();
  std::vector<driver::WeightBuffer> weights = driver::outlineWeights(entry);

  JitOptions jitOptions;
  jitOptions.threads =
      threads > 0 ? threads
                  : static_cast<int64_t>(
                        llvm::hardware_concurrency().compute_thread_count());
  jitOptions.vectorBits = vectorBits;
  jitOptions.vectorRegisters = vectorRegisters;
  jitOptions.l2KiB = l2KiB;
  auto program = JitProgram::compile(
      *network->module, llvm::StringRef(network->entry), jitOptions);
  if (!program)
    return fail(llvm::toString(program.takeError()));
  const CompileTimes &compileTimes = (*program)->getCompileTimes();
  llvm::outs() << llvm::format("compile: %.2f s (passes %.2f s, LLVM %.2f s)\n",
                               compileTimes.passes + compileTimes.codegen,
                               compileTimes.passes, compileTimes.codegen);

  const EntrySignature *signature = (*program)->getSignature(network->entry);
  size_t numArguments = signature->inputs.size() - weights.size();

  // An MLIR network may take its weights as arguments after the input: they
  // get random values from the weight seed, as a spec's generated weights.
  std::vector<Tensor> arguments = {input};
  for (size_t i = 1; i < numArguments; ++i)
    arguments.push_back(randomTensor(
        signature->inputs[i],
        (weightSeed.getNumOccurrences() ? weightSeed.getValue() : 0) + i));
  if (numArguments > 1)
    llvm::outs() << "note: arguments 2-" << numArguments << " of @"
                 << network->entry
                 << " get random values in [-1, 1) from --weight-seed\n";
  SmallVector<BufferRef> inputs;
  for (Tensor &argument : arguments)
    inputs.push_back({argument.data.data(), argument.shape});
  appendWeights(weights, inputs);
  std::vector<Tensor> outputs;
  for (llvm::ArrayRef<int64_t> shape : signature->outputs)
    outputs.emplace_back(shape);
  unsigned runs = std::max(1u, repeat.getValue());
  auto times = timeRuns(**program, network->entry, inputs, outputs,
                        runs + (runs > 1 ? 1 : 0));
  if (!times)
    return fail(llvm::toString(times.takeError()));
  if (runs > 1)
    times->erase(times->begin()); // the warm-up run
  auto [median, minimum] = medianAndMin(*times);
  double flops = flopsOf(*stats);
  llvm::outs() << "run: " << formatShape(input.shape) << " -> "
               << formatShape(outputs.front().shape) << ", " << runs
               << (runs == 1 ? " run" : " runs")
               << llvm::format(": median %.3f ms, min %.3f ms", median * 1e3,
                               minimum * 1e3);
  if (flops > 0)
    llvm::outs() << llvm::format(", %.1f GFLOP/s", flops / median / 1e9);
  llvm::outs() << "\n";

  if (!outputPath.empty()) {
    if (llvm::Error error = writeNpyFile(outputPath, outputs.front()))
      return fail(llvm::toString(std::move(error)));
    llvm::outs() << "output written to " << outputPath << "\n";
  } else {
    llvm::outs() << "output: ";
    size_t shown = std::min<size_t>(outputs.front().data.size(), 8);
    for (size_t i = 0; i < shown; ++i)
      llvm::outs() << (i ? " " : "") << outputs.front().data[i];
    if (shown < outputs.front().data.size())
      llvm::outs() << " ...";
    llvm::outs() << "\n";
  }

  driver::Network originalNetwork{std::move(original), network->entry};
  if (profile) {
    if (int status =
            profileLayers(originalNetwork, jitOptions, arguments, median))
      return status;
  }
  if (check)
    return compareWithReference(originalNetwork.getEntry(), arguments,
                                outputs.front());
  return 0;
}
