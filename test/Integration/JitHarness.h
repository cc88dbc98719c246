//===- JitHarness.h - Run a network compiled and in the reference -*- C++
//-*-===//
//
// Shared by the execution tests: compiles a cnn-dialect module with the JIT,
// runs it and the reference evaluator on the same inputs, and compares.
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_TEST_INTEGRATION_JITHARNESS_H
#define CONVFORGE_TEST_INTEGRATION_JITHARNESS_H

#include "ConvForge/Reference/Reference.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/Error.h"

#include <random>
#include <string>
#include <vector>

namespace convforge::testing {

using reference::Tensor;

/// A context with every dialect and interface the pipeline needs.
std::unique_ptr<mlir::MLIRContext> makeContext();

/// The outputs of one function computed by the compiled code and by the
/// reference implementation.
struct Outputs {
  std::vector<Tensor> compiled;
  std::vector<Tensor> reference;
};

/// Parses `source`, compiles @`entry` through the whole pipeline and the
/// JIT, and runs it and the reference evaluator on `inputs`. With no inputs,
/// random ones in [-1, 1) are drawn from `rng` for the function's argument
/// shapes. The code is compiled for `threads` threads.
llvm::Expected<Outputs>
runCompiledAndReference(mlir::MLIRContext &context, llvm::StringRef source,
                        llvm::StringRef entry, std::vector<Tensor> inputs,
                        std::mt19937_64 &rng, int64_t threads = 1);

/// The tolerance of every numerical comparison: an element may differ from
/// the float64-accumulated reference by at most 1e-4 * max(1, |reference|)
/// (relative error for large values, absolute error near zero).
constexpr double kTolerance = 1e-4;

/// Compares `got` with `want` under kTolerance; on failure, a message with
/// the worst element, its index and both values.
llvm::Error compareWithTolerance(const Tensor &got, const Tensor &want);

} // namespace convforge::testing

#endif // CONVFORGE_TEST_INTEGRATION_JITHARNESS_H
