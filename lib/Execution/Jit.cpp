//===- Jit.cpp - Compile a network and call it in process -----------------===//

#include "ConvForge/Execution/Jit.h"

#include "ConvForge/Codegen/Workspace.h"
#include "ConvForge/Execution/ParallelCodegen.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ExecutionEngine/Orc/ExecutionUtils.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/Threading.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>

using namespace mlir;
using namespace convforge;

JitProgram::~JitProgram() = default;

/// Runs `pm` on `module`, turning its diagnostics into an llvm::Error.
static llvm::Error runStage(PassManager &pm, ModuleOp module,
                            llvm::StringRef stage) {
  std::string messages;
  {
    ScopedDiagnosticHandler handler(module.getContext(), [&](Diagnostic &diag) {
      llvm::raw_string_ostream os(messages);
      os << diag.getLocation() << ": " << diag << "\n";
      for (const Diagnostic &note : diag.getNotes())
        os << "  note: " << note << "\n";
      return success();
    });
    if (succeeded(runPipeline(pm, module)))
      return llvm::Error::success();
  }
  return llvm::createStringError("%s failed:\n%s", stage.str().c_str(),
                                 messages.c_str());
}

llvm::StringRef convforge::getOpenMPRuntimePath() {
  return CONVFORGE_OPENMP_RUNTIME;
}

/// Adds `<name>_packed(void **arguments)`, which calls `name` with the
/// values `arguments` points to, one pointer per parameter: a signature the
/// caller can call whatever the number of buffers. Returns its name.
static llvm::Expected<std::string> addPackedEntry(llvm::Module &module,
                                                  llvm::StringRef name) {
  llvm::Function *callee = module.getFunction(name);
  if (!callee || !callee->getReturnType()->isVoidTy())
    return llvm::createStringError("no entry function @" + name.str() +
                                   " returning void in the LLVM IR");
  std::string packedName = (name + "_packed").str();
  llvm::IRBuilder<> builder(module.getContext());
  llvm::Type *pointer = builder.getPtrTy();
  auto *packed = llvm::Function::Create(
      llvm::FunctionType::get(builder.getVoidTy(), {pointer}, false),
      llvm::GlobalValue::ExternalLinkage, packedName, module);
  builder.SetInsertPoint(
      llvm::BasicBlock::Create(module.getContext(), "entry", packed));
  SmallVector<llvm::Value *> arguments;
  for (llvm::Argument &parameter : callee->args()) {
    llvm::Value *slot = builder.CreateConstGEP1_64(pointer, packed->getArg(0),
                                                   parameter.getArgNo());
    llvm::Value *address = builder.CreateLoad(pointer, slot);
    arguments.push_back(builder.CreateLoad(parameter.getType(), address));
  }
  builder.CreateCall(callee, arguments);
  builder.CreateRetVoid();
  return packedName;
}

/// A JIT holding `objects`, linked against this process's symbols and, when
/// it calls it, the OpenMP runtime.
static llvm::Expected<std::unique_ptr<llvm::orc::LLJIT>>
linkObjects(const llvm::orc::JITTargetMachineBuilder &machineBuilder,
            std::vector<std::unique_ptr<llvm::MemoryBuffer>> objects,
            bool needsOpenMP) {
  auto jit = llvm::orc::LLJITBuilder()
                 .setJITTargetMachineBuilder(machineBuilder)
                 .create();
  if (!jit)
    return jit.takeError();
  llvm::orc::JITDylib &library = (*jit)->getMainJITDylib();
  char globalPrefix = (*jit)->getDataLayout().getGlobalPrefix();
  auto processSymbols =
      llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
          globalPrefix);
  if (!processSymbols)
    return processSymbols.takeError();
  library.addGenerator(std::move(*processSymbols));
  if (needsOpenMP) {
    auto openMP = llvm::orc::DynamicLibrarySearchGenerator::Load(
        getOpenMPRuntimePath().str().c_str(), globalPrefix);
    if (!openMP)
      return openMP.takeError();
    library.addGenerator(std::move(*openMP));
  }
  for (auto &object : objects)
    if (llvm::Error error = (*jit)->addObjectFile(std::move(object)))
      return std::move(error);
  if (llvm::Error error = (*jit)->initialize(library))
    return std::move(error);
  return jit;
}

/// The threads LLVM compiles on: the cores this process may use, up to 8
/// (more would split a network's functions finer for little gain).
static unsigned getCompileThreads() {
  return std::clamp(llvm::hardware_concurrency().compute_thread_count(), 1u,
                    8u);
}

static SmallVector<int64_t> shapeOf(Type type) {
  return SmallVector<int64_t>(cast<MemRefType>(type).getShape());
}

llvm::Expected<std::unique_ptr<JitProgram>>
JitProgram::compile(ModuleOp original, llvm::ArrayRef<std::string> entries,
                    const JitOptions &options) {
  using Clock = std::chrono::steady_clock;
  auto seconds = [](Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
  };
  auto passesStart = Clock::now();
  MLIRContext *context = original.getContext();
  OwningOpRef<ModuleOp> module(cast<ModuleOp>(original->clone()));
  if (entries.empty())
    return llvm::createStringError("no function to compile");
  SmallVector<unsigned> numInputs;
  for (const std::string &entry : entries) {
    auto func = module->lookupSymbol<func::FuncOp>(entry);
    if (!func || func.isExternal() || !func.isPublic())
      return llvm::createStringError("no public function @%s to compile",
                                     entry.c_str());
    numInputs.push_back(func.getNumArguments());
  }

  CodegenOptions codegenOptions;
  codegenOptions.vectorBits = options.vectorBits;
  codegenOptions.vectorRegisters = options.vectorRegisters;
  codegenOptions.l1KiB = options.l1KiB;
  codegenOptions.l2KiB = options.l2KiB;
  codegenOptions.threads = options.threads;

  // Up to bufferization, then read the entries' memref signatures.
  PassManager toMemRefs(context);
  buildLowerToLinalgPipeline(toMemRefs, codegenOptions);
  buildCodegenPipeline(toMemRefs, codegenOptions);
  buildBufferizePipeline(toMemRefs);
  if (llvm::Error error = runStage(toMemRefs, *module, "compilation"))
    return std::move(error);
  auto program = std::unique_ptr<JitProgram>(new JitProgram());
  for (auto [entry, inputCount] : llvm::zip(entries, numInputs)) {
    auto func = module->lookupSymbol<func::FuncOp>(entry);
    EntrySignature signature;
    ArrayRef<Type> arguments = func.getArgumentTypes();
    if (auto bytes =
            func->getAttrOfType<IntegerAttr>(kWorkspaceBytesAttrName)) {
      signature.workspaceBytes = bytes.getInt();
      arguments = arguments.drop_back();
    }
    for (auto [index, type] : llvm::enumerate(arguments)) {
      if (index < inputCount)
        signature.inputs.push_back(shapeOf(type));
      else
        signature.outputs.push_back(shapeOf(type));
    }
    program->signatures.emplace_back(entry, std::move(signature));
  }

  PassManager toLLVM(context);
  buildConvertToLLVMPipeline(toLLVM, codegenOptions);
  if (llvm::Error error =
          runStage(toLLVM, *module, "conversion to the LLVM dialect"))
    return std::move(error);
  program->times.passes = seconds(passesStart);

  auto codegenStart = Clock::now();
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  registerBuiltinDialectTranslation(*context);
  registerLLVMDialectTranslation(*context);
  registerOpenMPDialectTranslation(*context);
  auto machineBuilder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!machineBuilder)
    return machineBuilder.takeError();
  machineBuilder->setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(*module, llvmContext);
  if (!llvmModule)
    return llvm::createStringError("cannot translate the module to LLVM IR");
  SmallVector<std::string> packedEntries;
  for (const auto &[entry, signature] : program->signatures) {
    auto packed = addPackedEntry(*llvmModule, "_mlir_ciface_" + entry);
    if (!packed)
      return packed.takeError();
    packedEntries.push_back(*packed);
  }
  // Parallel code calls the OpenMP runtime: code compiled for several
  // threads, or a strategy written in the input that says so.
  bool needsOpenMP = llvm::any_of(llvmModule->functions(), [](auto &function) {
    return function.isDeclaration() &&
           function.getName().starts_with("__kmpc_");
  });
  auto objects =
      compileToObjects(*llvmModule, *machineBuilder, getCompileThreads());
  if (!objects)
    return objects.takeError();

  auto jit = linkObjects(*machineBuilder, std::move(*objects), needsOpenMP);
  if (!jit)
    return jit.takeError();
  // Look every entry up now, so that linking happens before timing starts
  // (and calls need no lookup: on a small layer, it was a few percent of
  // the call).
  for (const std::string &name : packedEntries) {
    auto address = (*jit)->lookup(name);
    if (!address)
      return address.takeError();
    program->functions.push_back(address->toPtr<void (*)(void **)>());
  }
  program->jit = std::move(*jit);
  program->times.codegen = seconds(codegenStart);
  return program;
}

const EntrySignature *JitProgram::getSignature(llvm::StringRef entry) const {
  for (const auto &[name, signature] : signatures)
    if (name == entry)
      return &signature;
  return nullptr;
}

/// Checks `buffers` against `shapes` for messages like "input 1 has shape
/// 1x3 but the network expects 1x4".
static llvm::Error checkBuffers(llvm::ArrayRef<BufferRef> buffers,
                                llvm::ArrayRef<SmallVector<int64_t>> shapes,
                                llvm::StringRef role) {
  auto format = [](llvm::ArrayRef<int64_t> shape) {
    std::string text;
    llvm::raw_string_ostream os(text);
    llvm::interleave(shape, os, "x");
    return text;
  };
  if (buffers.size() != shapes.size())
    return llvm::createStringError("expected %zu %s buffers, got %zu",
                                   shapes.size(), role.str().c_str(),
                                   buffers.size());
  for (auto [index, buffer, shape] : llvm::enumerate(buffers, shapes)) {
    if (!buffer.data)
      return llvm::createStringError("%s %zu has no data", role.str().c_str(),
                                     index);
    if (buffer.shape != llvm::ArrayRef<int64_t>(shape))
      return llvm::createStringError(
          "%s %zu has shape %s but the network expects %s", role.str().c_str(),
          index, format(buffer.shape).c_str(), format(shape).c_str());
  }
  return llvm::Error::success();
}

llvm::Error JitProgram::invoke(llvm::StringRef entry,
                               llvm::ArrayRef<BufferRef> inputs,
                               llvm::ArrayRef<BufferRef> outputs) {
  size_t entryIndex = 0;
  while (entryIndex < signatures.size() &&
         signatures[entryIndex].first != entry)
    ++entryIndex;
  if (entryIndex == signatures.size())
    return llvm::createStringError("no compiled function @%s",
                                   entry.str().c_str());
  const EntrySignature *signature = &signatures[entryIndex].second;
  if (llvm::Error error = checkBuffers(inputs, signature->inputs, "input"))
    return error;
  if (llvm::Error error = checkBuffers(outputs, signature->outputs, "output"))
    return error;

  // The workspace, a 1-D byte buffer after the outputs.
  // (BufferRef's shape is a view: `workspaceShape` outlives the call.)
  std::unique_ptr<WorkspaceBuffer> workspace;
  SmallVector<BufferRef, 1> workspaceRef;
  const int64_t workspaceShape[1] = {signature->workspaceBytes};
  if (signature->workspaceBytes > 0) {
    workspace = acquireWorkspace(signature->workspaceBytes);
    if (!workspace->data)
      return llvm::createStringError(
          "cannot allocate the %lld-byte workspace of @%s",
          static_cast<long long>(signature->workspaceBytes),
          entry.str().c_str());
    workspaceRef.push_back(
        {static_cast<float *>(workspace->data), workspaceShape});
  }

  // A ranked memref descriptor is {allocated, aligned, offset, sizes[rank],
  // strides[rank]}: pointers and int64s, all 8 bytes on the hosts we target.
  static_assert(sizeof(void *) == sizeof(int64_t), "64-bit hosts only");
  SmallVector<SmallVector<int64_t, 11>> descriptors;
  for (const BufferRef &buffer :
       llvm::concat<const BufferRef>(inputs, outputs, workspaceRef)) {
    SmallVector<int64_t, 11> descriptor;
    auto pointer = reinterpret_cast<int64_t>(buffer.data);
    descriptor.append({pointer, pointer, 0});
    descriptor.append(buffer.shape.begin(), buffer.shape.end());
    SmallVector<int64_t> strides(buffer.shape.size(), 1);
    for (int i = static_cast<int>(strides.size()) - 2; i >= 0; --i)
      strides[i] = strides[i + 1] * buffer.shape[i + 1];
    descriptor.append(strides.begin(), strides.end());
    descriptors.push_back(std::move(descriptor));
  }
  // The C interface takes a pointer to each descriptor; the packed wrapper
  // takes a pointer to each of those arguments.
  SmallVector<void *> descriptorPointers;
  for (auto &descriptor : descriptors)
    descriptorPointers.push_back(descriptor.data());
  SmallVector<void *> packed;
  for (void *&pointer : descriptorPointers)
    packed.push_back(&pointer);
  functions[entryIndex](packed.data());
  if (workspace)
    releaseWorkspace(std::move(workspace));
  return llvm::Error::success();
}

WorkspaceBuffer::WorkspaceBuffer(int64_t size) : bytes(size) {
  // Rounded up to the alignment, as aligned_alloc requires.
  size_t rounded = (static_cast<size_t>(size) + kWorkspaceAlignment - 1) /
                   kWorkspaceAlignment * kWorkspaceAlignment;
  data = std::aligned_alloc(kWorkspaceAlignment, rounded);
}

WorkspaceBuffer::~WorkspaceBuffer() { std::free(data); }

std::unique_ptr<WorkspaceBuffer> JitProgram::acquireWorkspace(int64_t bytes) {
  {
    std::lock_guard<std::mutex> lock(poolMutex);
    for (auto it = workspacePool.begin(); it != workspacePool.end(); ++it)
      if ((*it)->bytes >= bytes) {
        std::unique_ptr<WorkspaceBuffer> workspace = std::move(*it);
        workspacePool.erase(it);
        return workspace;
      }
  }
  return std::make_unique<WorkspaceBuffer>(bytes);
}

void JitProgram::releaseWorkspace(std::unique_ptr<WorkspaceBuffer> workspace) {
  std::lock_guard<std::mutex> lock(poolMutex);
  workspacePool.push_back(std::move(workspace));
}
