//===- ConvForgeRunner.h - Compile and time a layer with the JIT -*- C++
//-*-===//
//
// ConvForge's column: the layer's cnn source through the whole pipeline and
// the JIT (JitProgram), then the compiled function timed on caller-owned
// buffers. Single-threaded: the generated code has no parallel loops yet.
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_BENCH_CONVFORGERUNNER_H
#define CONVFORGE_BENCH_CONVFORGERUNNER_H

#include "Layers.h"
#include "Timing.h"

#include <memory>
#include <string>
#include <vector>

namespace mlir {
class MLIRContext;
} // namespace mlir

namespace convforge::bench {

struct ConvForgeResult {
  Timing timing;             ///< no runs if compilation failed
  double compileSeconds = 0; ///< wall clock, parse to machine code
  double passSeconds = 0;    ///< of which the MLIR pipeline
  double codegenSeconds = 0; ///< of which LLVM
  std::vector<float> output; ///< NHWC
  std::string error;         ///< empty on success
};

class ConvForgeRunner {
public:
  ConvForgeRunner();
  ~ConvForgeRunner();

  ConvForgeResult run(const Layer &layer, const LayerData &data,
                      const TimingOptions &options);

private:
  std::unique_ptr<mlir::MLIRContext> context;
};

} // namespace convforge::bench

#endif // CONVFORGE_BENCH_CONVFORGERUNNER_H
