//===- LayerBenchmark.cpp - GFLOP/s of compiled conv and pool layers ------===//
//
// Compiles single layers through the whole pipeline and the JIT and reports
// the median time and GFLOP/s (2 per multiply-accumulate) over repeated runs
// after a warm-up, on one thread. A benchmark, not a test: see README.md.
//
//   convforge-layer-bench [--repeat N] [--filter SUBSTRING]
//
//===----------------------------------------------------------------------===//

#include "ConvForge/Execution/Jit.h"
#include "ConvForge/InitAll.h"
#include "ConvForge/Support/AlignedFloats.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <random>
#include <vector>

using namespace mlir;
using namespace convforge;

namespace {

llvm::cl::opt<int> repeat("repeat", llvm::cl::desc("Timed runs per layer"),
                          llvm::cl::init(30));
llvm::cl::opt<std::string>
    filter("filter", llvm::cl::desc("Only layers whose name contains this"),
           llvm::cl::init(""));

struct Layer {
  const char *name;
  const char *source; // function @net
  double flops;       // per call
};

/// 2 * N*OH*OW*K*FH*FW*C.
constexpr double convFlops(double n, double oh, double ow, double k, double fh,
                           double fw, double c) {
  return 2 * n * oh * ow * k * fh * fw * c;
}

const Layer kLayers[] = {
    {"alexnet-conv1 227x227x3 K96 F11 S4",
     R"(func.func @net(%x: tensor<1x227x227x3xf32>, %w: tensor<96x11x11x3xf32>, %b: tensor<96xf32>) -> tensor<*xf32> {
  %y = cnn.conv2d %x, %w, %b stride [4] : (tensor<1x227x227x3xf32>, tensor<96x11x11x3xf32>, tensor<96xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
})",
     convFlops(1, 55, 55, 96, 11, 11, 3)},
    {"vgg 56x56x64 K64 F3 P1",
     R"(func.func @net(%x: tensor<1x56x56x64xf32>, %w: tensor<64x3x3x64xf32>, %b: tensor<64xf32>) -> tensor<*xf32> {
  %y = cnn.conv2d %x, %w, %b padding [1] : (tensor<1x56x56x64xf32>, tensor<64x3x3x64xf32>, tensor<64xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
})",
     convFlops(1, 56, 56, 64, 3, 3, 64)},
    {"vgg 56x56x256 K256 F3 P1",
     R"(func.func @net(%x: tensor<1x56x56x256xf32>, %w: tensor<256x3x3x256xf32>, %b: tensor<256xf32>) -> tensor<*xf32> {
  %y = cnn.conv2d %x, %w, %b padding [1] : (tensor<1x56x56x256xf32>, tensor<256x3x3x256xf32>, tensor<256xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
})",
     convFlops(1, 56, 56, 256, 3, 3, 256)},
    {"resnet 1x1 56x56x64 K256",
     R"(func.func @net(%x: tensor<1x56x56x64xf32>, %w: tensor<256x1x1x64xf32>) -> tensor<*xf32> {
  %y = cnn.conv2d %x, %w : (tensor<1x56x56x64xf32>, tensor<256x1x1x64xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
})",
     convFlops(1, 56, 56, 256, 1, 1, 64)},
    {"dense 4096 -> 1000 (fc8)",
     R"(func.func @net(%x: tensor<1x4096xf32>, %w: tensor<1000x4096xf32>, %b: tensor<1000xf32>) -> tensor<*xf32> {
  %y = cnn.dense %x, %w, %b : (tensor<1x4096xf32>, tensor<1000x4096xf32>, tensor<1000xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
})",
     2.0 * 4096 * 1000},
    {"maxpool 3x3/2 55x55x96",
     R"(func.func @net(%x: tensor<1x55x55x96xf32>) -> tensor<*xf32> {
  %y = cnn.max_pool2d %x window [3] stride [2] : (tensor<1x55x55x96xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
})",
     // One comparison per window element.
     27.0 * 27 * 96 * 9},
};

} // namespace

int main(int argc, char **argv) {
  llvm::cl::ParseCommandLineOptions(argc, argv, "ConvForge layer benchmark\n");
  DialectRegistry registry;
  registerAllDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  std::mt19937_64 rng(1);
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);

  llvm::outs() << llvm::format("%-36s %10s %10s %9s\n", "layer", "compile s",
                               "median ms", "GFLOP/s");
  for (const Layer &layer : kLayers) {
    if (!llvm::StringRef(layer.name).contains(filter))
      continue;
    OwningOpRef<ModuleOp> module =
        parseSourceString<ModuleOp>(layer.source, &context);
    if (!module)
      return 1;
    auto compileStart = std::chrono::steady_clock::now();
    auto program = JitProgram::compile(*module, "net");
    if (!program) {
      llvm::errs() << layer.name << ": " << llvm::toString(program.takeError())
                   << "\n";
      return 1;
    }
    double compileSeconds = std::chrono::duration<double>(
                                std::chrono::steady_clock::now() - compileStart)
                                .count();
    std::vector<AlignedFloats> storage;
    SmallVector<BufferRef> inputs, outputs;
    for (ArrayRef<int64_t> shape : (*program)->getInputShapes()) {
      int64_t size = 1;
      for (int64_t d : shape)
        size *= d;
      storage.emplace_back(size);
      for (float &v : storage.back())
        v = uniform(rng);
    }
    for (ArrayRef<int64_t> shape : (*program)->getOutputShapes()) {
      int64_t size = 1;
      for (int64_t d : shape)
        size *= d;
      storage.emplace_back(size);
    }
    size_t index = 0;
    for (ArrayRef<int64_t> shape : (*program)->getInputShapes())
      inputs.push_back({storage[index++].data(), shape});
    for (ArrayRef<int64_t> shape : (*program)->getOutputShapes())
      outputs.push_back({storage[index++].data(), shape});

    std::vector<double> times;
    for (int run = -3; run < repeat; ++run) {
      auto start = std::chrono::steady_clock::now();
      if (llvm::Error error = (*program)->invoke(inputs, outputs)) {
        llvm::errs() << llvm::toString(std::move(error)) << "\n";
        return 1;
      }
      double seconds = std::chrono::duration<double>(
                           std::chrono::steady_clock::now() - start)
                           .count();
      if (run >= 0) // the first runs warm caches and pages
        times.push_back(seconds);
    }
    std::sort(times.begin(), times.end());
    double median = times[times.size() / 2];
    llvm::outs() << llvm::format("%-36s %10.2f %10.3f %9.1f\n", layer.name,
                                 compileSeconds, median * 1e3,
                                 layer.flops / median / 1e9);
  }
  return 0;
}
