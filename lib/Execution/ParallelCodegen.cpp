//===- ParallelCodegen.cpp - Compile an LLVM module on several threads ----===//

#include "ConvForge/Execution/ParallelCodegen.h"

#include "ConvForge/Execution/NativeCode.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/Support/SmallVectorMemoryBuffer.h"

#include <algorithm>
#include <numeric>
#include <string>
#include <thread>

using namespace convforge;

/// A split whose largest partition keeps all but this share of the work
/// saves too little to be worth parsing the module once more per partition.
constexpr double kMinSplitGain = 0.1;

std::vector<unsigned>
convforge::assignPartitions(llvm::ArrayRef<uint64_t> functionSizes,
                            unsigned maxPartitions) {
  size_t numPartitions =
      std::clamp<size_t>(functionSizes.size(), 1, std::max(1u, maxPartitions));
  std::vector<unsigned> order(functionSizes.size());
  std::iota(order.begin(), order.end(), 0);
  llvm::sort(order, [&](unsigned a, unsigned b) {
    if (functionSizes[a] != functionSizes[b])
      return functionSizes[a] > functionSizes[b];
    return a < b;
  });
  std::vector<uint64_t> load(numPartitions, 0);
  std::vector<unsigned> partitionOf(functionSizes.size(), 0);
  for (unsigned function : order) {
    auto least = std::min_element(load.begin(), load.end()) - load.begin();
    partitionOf[function] = static_cast<unsigned>(least);
    load[least] += functionSizes[function];
  }
  uint64_t total = std::accumulate(load.begin(), load.end(), uint64_t{0});
  uint64_t largest = *std::max_element(load.begin(), load.end());
  if (static_cast<double>(largest) >= (1 - kMinSplitGain) * total)
    std::fill(partitionOf.begin(), partitionOf.end(), 0);
  return partitionOf;
}

/// Makes every local symbol a global one, with a name, so that a partition
/// can refer to the functions and constants another one defines. (The
/// objects are linked into a JIT only: nothing else sees the names.)
static void externalizeLocals(llvm::Module &module) {
  for (llvm::GlobalValue &value : module.global_values()) {
    if (value.isDeclaration())
      continue;
    if (!value.hasName())
      value.setName("convforge.local");
    if (value.hasLocalLinkage())
      value.setLinkage(llvm::GlobalValue::ExternalLinkage);
  }
}

/// Optimizes `module` and compiles it to an object file.
static llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
compileModule(llvm::Module &module,
              llvm::orc::JITTargetMachineBuilder machineBuilder) {
  auto machine = machineBuilder.createTargetMachine();
  if (!machine)
    return machine.takeError();
  module.setDataLayout((*machine)->createDataLayout());
  module.setTargetTriple((*machine)->getTargetTriple());
  optimizeLLVMModule(module, **machine);
  llvm::SmallVector<char, 0> object;
  llvm::raw_svector_ostream os(object);
  if (llvm::Error error = emitNativeCode(module, **machine,
                                         llvm::CodeGenFileType::ObjectFile, os))
    return std::move(error);
  return std::make_unique<llvm::SmallVectorMemoryBuffer>(
      std::move(object), module.getModuleIdentifier(),
      /*RequiresNullTerminator=*/false);
}

/// Parses `bitcode` into `context` and keeps the definitions of partition
/// `index` only: the other functions become declarations, and so do the
/// global variables outside partition 0, which defines them all.
static llvm::Expected<std::unique_ptr<llvm::Module>>
extractPartition(llvm::StringRef bitcode, llvm::LLVMContext &context,
                 const llvm::StringMap<unsigned> &partitionOf, unsigned index) {
  auto module = llvm::parseBitcodeFile(
      llvm::MemoryBufferRef(bitcode, "partition" + std::to_string(index)),
      context);
  if (!module)
    return module.takeError();
  for (llvm::Function &function : **module)
    if (!function.isDeclaration() &&
        partitionOf.lookup(function.getName()) != index)
      function.deleteBody();
  if (index != 0)
    for (llvm::GlobalVariable &global : (*module)->globals())
      if (!global.isDeclaration()) {
        global.setInitializer(nullptr);
        global.setLinkage(llvm::GlobalValue::ExternalLinkage);
      }
  return module;
}

llvm::Expected<std::vector<std::unique_ptr<llvm::MemoryBuffer>>>
convforge::compileToObjects(
    llvm::Module &module,
    const llvm::orc::JITTargetMachineBuilder &machineBuilder,
    unsigned maxThreads) {
  std::vector<std::unique_ptr<llvm::MemoryBuffer>> objects;
  llvm::SmallVector<llvm::Function *> functions;
  llvm::SmallVector<uint64_t> sizes;
  for (llvm::Function &function : module)
    if (!function.isDeclaration()) {
      functions.push_back(&function);
      sizes.push_back(function.getInstructionCount());
    }
  std::vector<unsigned> assignment = assignPartitions(sizes, maxThreads);
  unsigned numPartitions =
      assignment.empty()
          ? 1
          : *std::max_element(assignment.begin(), assignment.end()) + 1;
  if (numPartitions == 1) {
    auto object = compileModule(module, machineBuilder);
    if (!object)
      return object.takeError();
    objects.push_back(std::move(*object));
    return objects;
  }

  externalizeLocals(module);
  llvm::StringMap<unsigned> partitionOf;
  for (auto [function, partition] : llvm::zip(functions, assignment))
    partitionOf[function->getName()] = partition;
  llvm::SmallVector<char, 0> bitcode;
  llvm::raw_svector_ostream os(bitcode);
  llvm::WriteBitcodeToFile(module, os);
  llvm::StringRef bitcodeRef(bitcode.data(), bitcode.size());

  // Each partition in a context of its own, on a thread of its own (the
  // first on this one).
  objects.resize(numPartitions);
  std::vector<std::string> errors(numPartitions);
  auto compilePartition = [&](unsigned index) {
    llvm::LLVMContext context;
    auto part = extractPartition(bitcodeRef, context, partitionOf, index);
    if (!part) {
      errors[index] = llvm::toString(part.takeError());
      return;
    }
    auto object = compileModule(**part, machineBuilder);
    if (!object) {
      errors[index] = llvm::toString(object.takeError());
      return;
    }
    objects[index] = std::move(*object);
  };
  std::vector<std::thread> threads;
  for (unsigned index = 1; index < numPartitions; ++index)
    threads.emplace_back(compilePartition, index);
  compilePartition(0);
  for (std::thread &thread : threads)
    thread.join();
  for (const std::string &error : errors)
    if (!error.empty())
      return llvm::createStringError(error);
  return objects;
}
