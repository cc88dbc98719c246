//===- ConvForgeRunner.h - Compile and time a layer with the JIT -*- C++
//-*-===//
//
// ConvForge's column: the layer's cnn source, its weights made constants (as
// a network spec's are), through the compiler as convforge-run takes it
// (filters packed at compile time, weights outlined, the whole pipeline and
// the JIT, for 1 or more threads), then the compiled function timed on
// caller-owned buffers.
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_BENCH_CONVFORGERUNNER_H
#define CONVFORGE_BENCH_CONVFORGERUNNER_H

#include "Layers.h"
#include "Timing.h"

#include "ConvForge/Execution/Jit.h"

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
  double packSeconds = 0;    ///< of which packing the filter
  AlignedFloats output;      ///< NHWC
  std::string error;         ///< empty on success
};

/// Times calls of the first entry of `program` on `inputs` and `output`;
/// an error of a call ends the measurement and lands in `error`.
Timing timeInvoke(JitProgram &program, llvm::ArrayRef<BufferRef> inputs,
                  BufferRef output, const TimingOptions &options,
                  std::string &error);

class ConvForgeRunner {
public:
  ConvForgeRunner();
  ~ConvForgeRunner();

  /// Compiles `layer` for `threads` threads and times it on `data`.
  ConvForgeResult run(const Layer &layer, const LayerData &data,
                      const TimingOptions &options, int threads);

private:
  std::unique_ptr<mlir::MLIRContext> context;
};

} // namespace convforge::bench

#endif // CONVFORGE_BENCH_CONVFORGERUNNER_H
