//===- NativeCode.h - LLVM IR, assembly and objects from a module -*- C++
//-*-===//
//
// Ahead-of-time output of the compiler: a module in the LLVM dialect becomes
// LLVM IR optimized (optimizeLLVMModule) for the target CPU, then assembly or a
// position-independent object (small code model) that links into an ordinary
// program or shared library with no runtime library.
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_EXECUTION_NATIVECODE_H
#define CONVFORGE_EXECUTION_NATIVECODE_H

#include "ConvForge/Execution/Jit.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

#include <memory>
#include <string>

namespace convforge {

/// The CPU to generate code for; empty fields mean the host's.
struct NativeTarget {
  std::string cpu;      ///< e.g. "znver4", "skylake-avx512", "x86-64-v3"
  std::string features; ///< e.g. "+avx2,+fma,-avx512f"
};

/// A target machine for `target` producing position-independent code with
/// the small code model, optimizing aggressively.
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(const NativeTarget &target);

/// Translates `module` (LLVM dialect) to LLVM IR for `machine` and optimizes
/// it (optimizeLLVMModule).
llvm::Expected<std::unique_ptr<llvm::Module>>
translateToOptimizedLLVMIR(mlir::ModuleOp module, llvm::LLVMContext &context,
                           llvm::TargetMachine &machine);

/// Optimizes `module` (LLVM IR) for `machine`: LLVM's -O2 pipeline without
/// loop unrolling.
void optimizeLLVMModule(llvm::Module &module, llvm::TargetMachine &machine);

/// Writes `module` as assembly or an object file.
llvm::Error emitNativeCode(llvm::Module &module, llvm::TargetMachine &machine,
                           llvm::CodeGenFileType fileType,
                           llvm::raw_pwrite_stream &os);

/// A weight tensor stored in the object file.
struct EmbeddedWeight {
  std::string symbol;         ///< the global's name
  llvm::ArrayRef<float> data; ///< its contents
  llvm::SmallVector<int64_t> shape;
};

/// Adds to `module` (LLVM dialect, after the pipeline) the C entry point
/// `int <cName>(const float *in0, ..., float *out0, ...)` that calls the
/// compiled function `funcName` on contiguous row-major buffers of the
/// shapes in `signature`, passing each of `weights` (the function's
/// arguments after the inputs) as an external global declared here, and
/// returns 0. The globals are defined by linkWeights. When the function
/// takes a workspace (`signature.workspaceBytes`), the entry point
/// allocates it for the call (returning 1 if that fails), and
/// `<cName>_with_workspace(..., void *workspace)` takes the caller's.
llvm::Error addCEntryPoint(mlir::ModuleOp module, llvm::StringRef funcName,
                           llvm::StringRef cName,
                           const EntrySignature &signature,
                           llvm::ArrayRef<EmbeddedWeight> weights);

/// The workspace bytes of the compiled function `funcName` of `module` (0
/// when it takes none), as convforge-plan-workspace recorded them.
int64_t getWorkspaceBytes(mlir::ModuleOp module, llvm::StringRef funcName);

/// Defines the weights' globals in `module` (LLVM IR, already optimized):
/// linked in after optimization, the data never goes through the optimizer,
/// which would otherwise spend seconds on hundreds of MB of constants.
llvm::Error linkWeights(llvm::Module &module,
                        llvm::ArrayRef<EmbeddedWeight> weights);

/// The C header declaring that entry point, with the buffer shapes as
/// constants and the layout documented: 4-D buffers are NHWC, or NCHW for a
/// network imported from ONNX (`onnxLayout`), which keeps ONNX's layout.
std::string generateCHeader(llvm::StringRef cName, llvm::StringRef networkName,
                            llvm::StringRef sourceFile,
                            const EntrySignature &signature,
                            bool onnxLayout = false);

} // namespace convforge

#endif // CONVFORGE_EXECUTION_NATIVECODE_H
