//===- Jit.h - Compile a network and call it in process ---------*- C++ -*-===//
//
// Runs the compiler's pipeline on a module in the cnn dialect, JIT-compiles
// the result for the host CPU at -O3 (with mlir::ExecutionEngine) and calls
// an entry function on caller-owned buffers.
//
// Calling convention: the entry's inputs, then one output buffer per result,
// each a contiguous row-major f32 array of exactly the declared shape. The
// code writes the outputs and allocates (and frees) only its own
// temporaries. Buffers must not overlap.
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_EXECUTION_JIT_H
#define CONVFORGE_EXECUTION_JIT_H

#include "ConvForge/Pipelines/Pipelines.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>

namespace mlir {
class ExecutionEngine;
} // namespace mlir

namespace convforge {

/// A caller-owned, contiguous, row-major f32 buffer and its shape.
struct BufferRef {
  float *data = nullptr;
  llvm::ArrayRef<int64_t> shape;
};

struct JitOptions {
  /// Target overrides for strategy selection (0: the host's).
  int64_t vectorBits = 0;
  int64_t vectorRegisters = 0;
  int64_t l1KiB = 0;
  int64_t l2KiB = 0;
};

class JitProgram {
public:
  ~JitProgram();
  JitProgram(const JitProgram &) = delete;
  JitProgram &operator=(const JitProgram &) = delete;

  /// Compiles function `entry` of `module` (cnn dialect; every function of
  /// the module is compiled). `module` itself is left unchanged. Errors carry
  /// the diagnostics of the failing stage.
  static llvm::Expected<std::unique_ptr<JitProgram>>
  compile(mlir::ModuleOp module, llvm::StringRef entry,
          const JitOptions &options = {});

  /// Shapes of the entry's inputs and outputs, in call order.
  llvm::ArrayRef<llvm::SmallVector<int64_t>> getInputShapes() const {
    return inputShapes;
  }
  llvm::ArrayRef<llvm::SmallVector<int64_t>> getOutputShapes() const {
    return outputShapes;
  }

  /// Calls the entry. Fails (without calling) if the number or shape of the
  /// buffers does not match the entry's signature.
  llvm::Error invoke(llvm::ArrayRef<BufferRef> inputs,
                     llvm::ArrayRef<BufferRef> outputs);

private:
  JitProgram() = default;

  std::unique_ptr<mlir::ExecutionEngine> engine;
  std::string entryName;
  llvm::SmallVector<llvm::SmallVector<int64_t>> inputShapes;
  llvm::SmallVector<llvm::SmallVector<int64_t>> outputShapes;
};

} // namespace convforge

#endif // CONVFORGE_EXECUTION_JIT_H
