//===- ParallelCodegen.h - Compile an LLVM module on several threads -*- C++
//-*-===//
//
// LLVM optimizes and compiles one module on one thread. A network compiled
// for several threads is many functions (one per parallel loop nest, which
// the OpenMP translation outlines), so its module is split into partitions
// of whole functions of about equal size, each optimized and compiled to an
// object file on a thread of its own, like the code generation units of
// other compilers. The object files link together (in one JITDylib): every
// local symbol becomes a global one so that the partitions can refer to
// one another's functions and constants.
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_EXECUTION_PARALLELCODEGEN_H
#define CONVFORGE_EXECUTION_PARALLELCODEGEN_H

#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

#include <memory>
#include <vector>

namespace convforge {

/// The partitions a module of functions of these sizes (instructions) is
/// split into, at most `maxPartitions`: each function's partition index.
/// Largest first, each function goes to the partition with the fewest
/// instructions so far, so that the partitions take about as long.
std::vector<unsigned> assignPartitions(llvm::ArrayRef<uint64_t> functionSizes,
                                       unsigned maxPartitions);

/// Optimizes `module` (optimizeLLVMModule) and compiles it into object files
/// for the target of `machineBuilder`: one per partition of its functions,
/// on up to `maxThreads` threads. `module` is left with its local symbols
/// made global when it was split.
llvm::Expected<std::vector<std::unique_ptr<llvm::MemoryBuffer>>>
compileToObjects(llvm::Module &module,
                 const llvm::orc::JITTargetMachineBuilder &machineBuilder,
                 unsigned maxThreads);

} // namespace convforge

#endif // CONVFORGE_EXECUTION_PARALLELCODEGEN_H
