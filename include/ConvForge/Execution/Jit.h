//===- Jit.h - Compile a network and call it in process ---------*- C++ -*-===//
//
// Runs the compiler's pipeline on a module in the cnn dialect, JIT-compiles
// the result for the host CPU (on several threads: ParallelCodegen.h; linked
// by LLVM's ORC JIT) and calls
// an entry function on caller-owned buffers.
//
// Calling convention: the entry's inputs, then one output buffer per result,
// each a contiguous row-major f32 array of exactly the declared shape. The
// code writes the outputs and allocates (and frees) only its own
// temporaries. Buffers must not overlap.
//
// Thread safety: invoke() may be called from any number of threads at once
// on the same JitProgram (each with its own output buffers). The compiled
// code keeps no state between calls and has no writable globals: its
// temporaries live in a workspace that each call takes from a pool for
// itself (see convforge-plan-workspace), and code compiled for
// several threads starts its own OpenMP parallel region per call. invoke()
// itself reads only what compile() set up. test/Integration/
// ReentrancyTest.cpp checks this under load, also with ThreadSanitizer.
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
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace llvm::orc {
class LLJIT;
} // namespace llvm::orc

namespace convforge {

/// The OpenMP runtime (LLVM's libomp) that code compiled for more than one
/// thread calls: the JIT loads it, shared libraries link it.
llvm::StringRef getOpenMPRuntimePath();

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
  /// Threads the compiled code runs on (1: serial code).
  int64_t threads = 1;
};

/// The buffer shapes of one compiled function, in call order.
struct EntrySignature {
  llvm::SmallVector<llvm::SmallVector<int64_t>> inputs;
  llvm::SmallVector<llvm::SmallVector<int64_t>> outputs;
  /// The bytes of the workspace its temporaries live in, passed after the
  /// outputs (0: none; see convforge-plan-workspace).
  int64_t workspaceBytes = 0;
};

/// Where compilation time went, in seconds.
struct CompileTimes {
  double passes = 0;  ///< the MLIR pipeline, cnn to the LLVM dialect
  double codegen = 0; ///< LLVM: translation, optimization, machine code
};

/// A 64-byte aligned block of memory a compiled function's temporaries
/// live in.
struct WorkspaceBuffer {
  explicit WorkspaceBuffer(int64_t bytes);
  ~WorkspaceBuffer();
  WorkspaceBuffer(const WorkspaceBuffer &) = delete;
  WorkspaceBuffer &operator=(const WorkspaceBuffer &) = delete;

  void *data = nullptr;
  int64_t bytes = 0;
};

class JitProgram {
public:
  ~JitProgram();
  JitProgram(const JitProgram &) = delete;
  JitProgram &operator=(const JitProgram &) = delete;

  /// Compiles `module` (cnn dialect) and makes the functions `entries`
  /// callable. `module` itself is left unchanged. Errors carry the
  /// diagnostics of the failing stage.
  static llvm::Expected<std::unique_ptr<JitProgram>>
  compile(mlir::ModuleOp module, llvm::ArrayRef<std::string> entries,
          const JitOptions &options = {});

  /// Compiles `module` with the single entry `entry`.
  static llvm::Expected<std::unique_ptr<JitProgram>>
  compile(mlir::ModuleOp module, llvm::StringRef entry,
          const JitOptions &options = {}) {
    return compile(module, llvm::ArrayRef<std::string>{entry.str()}, options);
  }

  /// The signature of a compiled entry, or null if there is no such entry.
  const EntrySignature *getSignature(llvm::StringRef entry) const;

  /// Shapes of the first entry's inputs and outputs, in call order.
  llvm::ArrayRef<llvm::SmallVector<int64_t>> getInputShapes() const {
    return signatures.front().second.inputs;
  }
  llvm::ArrayRef<llvm::SmallVector<int64_t>> getOutputShapes() const {
    return signatures.front().second.outputs;
  }

  const CompileTimes &getCompileTimes() const { return times; }

  /// Calls `entry`. Fails (without calling) if the number or shape of the
  /// buffers does not match its signature. Safe to call from several
  /// threads at once: each call takes a workspace of its own from a pool
  /// (kept across calls, so its pages stay mapped).
  llvm::Error invoke(llvm::StringRef entry, llvm::ArrayRef<BufferRef> inputs,
                     llvm::ArrayRef<BufferRef> outputs);

  /// Calls the first entry.
  llvm::Error invoke(llvm::ArrayRef<BufferRef> inputs,
                     llvm::ArrayRef<BufferRef> outputs) {
    return invoke(signatures.front().first, inputs, outputs);
  }

private:
  JitProgram() = default;

  /// A workspace of at least `bytes`, 64-byte aligned: from the pool, or
  /// new. Give it back with releaseWorkspace.
  std::unique_ptr<WorkspaceBuffer> acquireWorkspace(int64_t bytes);
  void releaseWorkspace(std::unique_ptr<WorkspaceBuffer> workspace);

  std::unique_ptr<llvm::orc::LLJIT> jit;
  /// The packed entry of each of `signatures`, in the same order.
  llvm::SmallVector<void (*)(void **)> functions;
  /// Workspaces not in use, for the next calls.
  std::mutex poolMutex;
  std::vector<std::unique_ptr<WorkspaceBuffer>> workspacePool;
  llvm::SmallVector<std::pair<std::string, EntrySignature>> signatures;
  CompileTimes times;
};

} // namespace convforge

#endif // CONVFORGE_EXECUTION_JIT_H
