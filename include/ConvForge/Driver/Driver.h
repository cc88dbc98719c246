//===- Driver.h - What convforge-compile and convforge-run share -*- C++
//-*-===//
//
// Loading a network (a YAML spec, an ONNX model or an MLIR file in the cnn
// dialect), printing diagnostics located in the user's file and naming the
// layer,
// running the pipeline up to a chosen stage, and splitting a network into
// one function per layer for profiling.
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_DRIVER_DRIVER_H
#define CONVFORGE_DRIVER_DRIVER_H

#include "ConvForge/Dialect/Cnn/Analysis/NetworkStats.h"
#include "ConvForge/Pipelines/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/SourceMgr.h"

#include <optional>
#include <string>
#include <vector>

namespace convforge::driver {

/// Prints diagnostics as `file:line:col: error: message` with the source
/// line, and prefixes messages about a layer with its name and op, e.g.
/// `layer 'conv1' (conv2d): output height ... is not an integer`. Locations
/// in a file without lines (line 0: a binary ONNX model, or a file that
/// could not be read) print as `file: error: message`.
class DiagnosticPrinter {
public:
  DiagnosticPrinter(llvm::SourceMgr &sourceMgr, mlir::MLIRContext *context);
  ~DiagnosticPrinter();

private:
  void emit(mlir::Location loc, const llvm::Twine &message,
            mlir::DiagnosticSeverity severity);

  mlir::SourceMgrDiagnosticHandler printer;
  mlir::MLIRContext *context;
  mlir::DiagnosticEngine::HandlerID id;
};

/// A network ready to compile: a module in the cnn dialect whose public
/// function `entry` is the network (input(s) -> output(s)).
struct Network {
  mlir::OwningOpRef<mlir::ModuleOp> module;
  std::string entry;
  /// Imported from ONNX: the input and output are in ONNX's layout (images
  /// N×C×H×W), not NHWC.
  bool onnxLayout = false;

  mlir::func::FuncOp getEntry() {
    return module->lookupSymbol<mlir::func::FuncOp>(entry);
  }
};

/// The kinds of network files.
enum class NetworkFormat {
  Auto, ///< from the extension: .yaml/.yml spec, .onnx ONNX, else MLIR
  Spec,
  Onnx,
  Mlir,
};

/// Parses a format name ("auto", "spec", "onnx", "mlir").
std::optional<NetworkFormat> parseNetworkFormat(llvm::StringRef name);

/// What the tools refuse before allocating: the memory a network needs (see
/// cnn::estimateMemory) and its number of layers (compile time grows faster
/// than the layer count: 200 convolutions take half a minute).
struct ResourceLimits {
  static constexpr uint64_t kDefaultMaxMemoryMiB = 8192;
  static constexpr unsigned kDefaultMaxLayers = 1024;

  uint64_t maxMemoryBytes = kDefaultMaxMemoryMiB << 20;
  unsigned maxLayers = kDefaultMaxLayers;
  /// Whether the tool runs the network (then its input, activations and
  /// temporaries count, not only its weights).
  bool countsRun = true;
  /// Further copies of the activations the tool holds (the reference of
  /// --check, the per-layer outputs of --profile).
  unsigned extraActivationCopies = 0;
  /// Further copies of the weights the tool holds (convforge-compile: the
  /// LLVM constants and the object file).
  unsigned extraWeightCopies = 0;
  /// The flags that set the limits, for messages.
  std::string memoryFlag = "--max-memory";
  std::string layersFlag = "--max-layers";
};

/// The limit on network files' sizes: a spec is a few KB, never megabytes.
constexpr uint64_t kMaxSpecFileBytes = 16 << 20;

struct LoadOptions {
  /// Seed of generated weights (specs), overriding the spec's own.
  std::optional<uint64_t> seed;
  /// The function to compile in an MLIR file with several.
  std::string entry;
  /// How to read the file.
  NetworkFormat format = NetworkFormat::Auto;
  ResourceLimits limits;
};

/// Loads `path`: a network spec (`.yaml`, `.yml`), an ONNX model (`.onnx`)
/// or an MLIR file in the cnn dialect (anything else; `-` is stdin), unless
/// `options.format` says which. A spec is refused past the layer and memory
/// limits before its weights are read or generated. Errors are reported
/// through the context's diagnostics; returns nullopt then.
std::optional<Network> loadNetwork(llvm::StringRef path,
                                   llvm::SourceMgr &sourceMgr,
                                   mlir::MLIRContext *context,
                                   const LoadOptions &options);

/// loadNetwork on the contents of a file already read; the format follows
/// the buffer's identifier (its file name) as in loadNetwork.
std::optional<Network>
loadNetworkFromBuffer(std::unique_ptr<llvm::MemoryBuffer> buffer,
                      llvm::SourceMgr &sourceMgr, mlir::MLIRContext *context,
                      const LoadOptions &options);

/// Infers every shape of the entry (needed by the report and the reference).
mlir::LogicalResult inferShapes(Network &network);

/// Refuses `func` (with an error on it) if it has more layers than
/// `limits.maxLayers` (counting every operation but constants and the
/// return) or needs more memory than `limits.maxMemoryBytes`. Its shapes
/// must be inferred.
mlir::LogicalResult checkResourceLimits(mlir::func::FuncOp func,
                                        const ResourceLimits &limits);

/// What Session::load does after loadNetwork: infers the shapes and checks
/// the resource limits.
mlir::LogicalResult prepareNetwork(Network &network,
                                   const LoadOptions &options);

/// What a command-line tool needs to compile a user's network: a context
/// with every dialect, the user's files for diagnostics, and the printer.
class Session {
public:
  Session();

  /// Loads the network at `path`, infers its shapes and checks the resource
  /// limits; errors are printed.
  std::optional<Network> load(llvm::StringRef path, const LoadOptions &options);

  mlir::MLIRContext &getContext() { return context; }

private:
  mlir::MLIRContext context;
  llvm::SourceMgr sourceMgr;
  DiagnosticPrinter printer;
};

/// The stages that convforge-compile can stop at.
enum class Stage {
  Cnn,         ///< the network in the cnn dialect, shapes inferred
  Linalg,      ///< linalg on tensors
  Vector,      ///< tiled and vectorized (strategies chosen)
  Bufferized,  ///< on memrefs, caller-owned signature
  LLVMDialect, ///< the LLVM dialect
  LLVMIR,      ///< LLVM IR, optimized
  Assembly,    ///< target assembly
  Object,      ///< a relocatable object (and a C header)
};

/// Parses a stage name ("cnn", "linalg", "vector", "bufferized", "llvm",
/// "llvm-ir", "asm", "obj").
std::optional<Stage> parseStage(llvm::StringRef name);

/// Runs the pipeline on `module` up to `stage` (at most LLVMDialect).
mlir::LogicalResult runPipelineTo(mlir::ModuleOp module, Stage stage,
                                  const CodegenOptions &options);

/// Stores the constant conv filters of `module` in the blocked layout the
/// generated kernels read (`convforge-pack-filters`, for the target of
/// `options`): done before outlineWeights, so that the compiled code takes
/// its filters packed once, at compile time.
mlir::LogicalResult packFilters(mlir::ModuleOp module,
                                const CodegenOptions &options);

/// A weight tensor passed to the compiled code at run time.
struct WeightBuffer {
  llvm::ArrayRef<float> data; ///< the constant's own storage (not copied)
  llvm::SmallVector<int64_t> shape;
};

/// Turns the f32 weight constants of `func` into arguments appended after
/// its inputs, and returns their data in argument order. The compiled code
/// then reads the weights from memory the caller passes: LLVM does not
/// analyze hundreds of MB of constants (VGG-16: 16 s -> 1 s), the JIT passes
/// the constants' storage without a copy, and the AOT compiler links the
/// data in after optimization. Constants of 16 elements or fewer stay.
std::vector<WeightBuffer> outlineWeights(mlir::func::FuncOp func);

/// One layer of a network as a function of its own.
struct LayerFunction {
  std::string function; ///< the function's name in the split module
  cnn::LayerStats stats;
  /// For each activation argument of the function: the index of the
  /// network input it is, or -1 - i for the output of layer i.
  std::vector<int> sources;
  /// The weights, passed after the activations (see outlineWeights).
  std::vector<WeightBuffer> weights;
};

/// A module with one public function per cnn layer of the network (shapes
/// inferred), taking the layer's activations then its weights (filters
/// packed for the target of `options`) as arguments: the layers compiled one
/// by one, to time them one by one. `network` is unchanged.
std::optional<
    std::pair<mlir::OwningOpRef<mlir::ModuleOp>, std::vector<LayerFunction>>>
splitIntoLayers(Network &network, const CodegenOptions &options);

} // namespace convforge::driver

#endif // CONVFORGE_DRIVER_DRIVER_H
