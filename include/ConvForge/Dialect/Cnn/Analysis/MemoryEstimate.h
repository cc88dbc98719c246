//===- MemoryEstimate.h - The memory a network needs to run -----*- C++ -*-===//
//
// What the compiled code of a network and its caller hold in memory: the
// weights, the input(s), every layer's output, and the temporaries the
// lowering allocates (padded copies of padded layers' inputs, the conv
// filters transposed to HWCF, softmax's reductions). Computed from the
// shapes alone, before anything is allocated, so that the tools can refuse a
// network that would not fit rather than die in an allocation. It is an
// upper bound of the heap the compiled code allocates per call (a test
// checks it against the allocations of the bufferized code).
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_DIALECT_CNN_ANALYSIS_MEMORYESTIMATE_H
#define CONVFORGE_DIALECT_CNN_ANALYSIS_MEMORYESTIMATE_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Support/LLVM.h"

#include <cstdint>
#include <string>

namespace convforge::cnn {

/// Byte counts, saturated at UINT64_MAX (never wrapped).
struct MemoryEstimate {
  /// Filters and biases of every layer (constants or arguments).
  uint64_t weights = 0;
  /// The function's arguments that are not weights.
  uint64_t inputs = 0;
  /// The output of every op, the network's output included.
  uint64_t activations = 0;
  /// Temporaries of the compiled code: padded input copies, transposed
  /// filters, softmax reductions.
  uint64_t scratch = 0;

  /// The sum of all four (saturated).
  uint64_t total() const;
};

/// a + b, or UINT64_MAX if that overflows.
uint64_t saturatingAdd(uint64_t a, uint64_t b);
/// a * b, or UINT64_MAX if that overflows.
uint64_t saturatingMul(uint64_t a, uint64_t b);

/// The estimate for `func`, whose ops must have static shapes (it fails
/// with an error on the first op that has not).
mlir::FailureOr<MemoryEstimate> estimateMemory(mlir::func::FuncOp func);

/// A byte count for messages: "512 bytes", "3.4 MiB", "12.0 GiB",
/// "more than 16 EiB" for a saturated count.
std::string formatBytes(uint64_t bytes);

} // namespace convforge::cnn

#endif // CONVFORGE_DIALECT_CNN_ANALYSIS_MEMORYESTIMATE_H
