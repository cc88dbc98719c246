//===- NativeCode.cpp - LLVM IR, assembly and objects from a module -------===//

#include "ConvForge/Execution/NativeCode.h"

#include "ConvForge/Codegen/Workspace.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/Linker/Linker.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"

#include <cctype>

using namespace mlir;
using namespace convforge;

llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
convforge::createTargetMachine(const NativeTarget &target) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  llvm::Triple triple(llvm::sys::getProcessTriple());
  std::string error;
  const llvm::Target *llvmTarget =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!llvmTarget)
    return llvm::createStringError(error);
  std::string cpu = target.cpu;
  std::string features = target.features;
  if (cpu.empty()) {
    cpu = llvm::sys::getHostCPUName().str();
    // The host's features, so that e.g. a virtual machine without AVX-512
    // gets no AVX-512 code even when its CPU model has it.
    if (features.empty()) {
      SmallVector<std::string> list;
      for (const auto &feature : llvm::sys::getHostCPUFeatures())
        list.push_back((feature.second ? "+" : "-") + feature.first().str());
      features = llvm::join(list, ",");
    }
  }
  // LLVM accepts unknown CPU names with a warning only: reject them first.
  if (!target.cpu.empty()) {
    std::unique_ptr<llvm::MCSubtargetInfo> info(
        llvmTarget->createMCSubtargetInfo(triple, "", ""));
    if (info && !info->isCPUStringValid(target.cpu))
      return llvm::createStringError("unknown target CPU '" + target.cpu +
                                     "' (e.g. znver4, skylake-avx512, "
                                     "x86-64-v3)");
  }
  std::unique_ptr<llvm::TargetMachine> machine(llvmTarget->createTargetMachine(
      triple, cpu, features, llvm::TargetOptions(), llvm::Reloc::PIC_,
      llvm::CodeModel::Small, llvm::CodeGenOptLevel::Aggressive));
  if (!machine)
    return llvm::createStringError("cannot create a target machine for CPU '" +
                                   cpu + "'");
  return machine;
}

llvm::Expected<std::unique_ptr<llvm::Module>>
convforge::translateToOptimizedLLVMIR(ModuleOp module,
                                      llvm::LLVMContext &context,
                                      llvm::TargetMachine &machine) {
  registerBuiltinDialectTranslation(*module.getContext());
  registerLLVMDialectTranslation(*module.getContext());
  registerOpenMPDialectTranslation(*module.getContext());
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, context);
  if (!llvmModule)
    return llvm::createStringError("cannot translate the module to LLVM IR");
  llvmModule->setDataLayout(machine.createDataLayout());
  llvmModule->setTargetTriple(machine.getTargetTriple());
  optimizeLLVMModule(*llvmModule, machine);
  return llvmModule;
}

void convforge::optimizeLLVMModule(llvm::Module &module,
                                   llvm::TargetMachine &machine) {
  llvm::LoopAnalysisManager loopAnalyses;
  llvm::FunctionAnalysisManager functionAnalyses;
  llvm::CGSCCAnalysisManager cgsccAnalyses;
  llvm::ModuleAnalysisManager moduleAnalyses;
  // The kernels arrive unrolled by MLIR. LLVM's unroller found only the
  // border fills of padded buffers to unroll, into hundreds of memsets in
  // one block whose instruction scheduling took 0.6 of VGG-16's 1.7 s of
  // LLVM time, for no measurable speed.
  llvm::PipelineTuningOptions tuning;
  tuning.LoopUnrolling = false;
  llvm::PassBuilder builder(&machine, tuning);
  builder.registerModuleAnalyses(moduleAnalyses);
  builder.registerCGSCCAnalyses(cgsccAnalyses);
  builder.registerFunctionAnalyses(functionAnalyses);
  builder.registerLoopAnalyses(loopAnalyses);
  builder.crossRegisterProxies(loopAnalyses, functionAnalyses, cgsccAnalyses,
                               moduleAnalyses);
  // -O2: -O3's extra work bought nothing here (on VGG-16, 4.2 s of LLVM
  // time against 6.0 s, and as fast).
  llvm::ModulePassManager passes =
      builder.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2);
  passes.run(module, moduleAnalyses);
}

llvm::Error convforge::emitNativeCode(llvm::Module &module,
                                      llvm::TargetMachine &machine,
                                      llvm::CodeGenFileType fileType,
                                      llvm::raw_pwrite_stream &os) {
  llvm::legacy::PassManager passes;
  if (machine.addPassesToEmitFile(passes, os, nullptr, fileType))
    return llvm::createStringError("the target cannot emit this kind of file");
  passes.run(module);
  return llvm::Error::success();
}

llvm::Error convforge::addCEntryPoint(ModuleOp module, llvm::StringRef funcName,
                                      llvm::StringRef cName,
                                      const EntrySignature &signature,
                                      llvm::ArrayRef<EmbeddedWeight> weights) {
  auto callee = module.lookupSymbol<LLVM::LLVMFuncOp>(funcName);
  if (!callee)
    return llvm::createStringError("no compiled function @" + funcName.str());
  if (module.lookupSymbol(cName))
    return llvm::createStringError("the name '" + cName.str() +
                                   "' is already taken in the module");
  MLIRContext *context = module.getContext();
  OpBuilder builder(context);
  builder.setInsertionPointToEnd(module.getBody());
  Location loc = callee.getLoc();
  Type pointer = LLVM::LLVMPointerType::get(context);
  Type i64 = builder.getI64Type(), i32 = builder.getI32Type();
  size_t numBuffers = signature.inputs.size() + signature.outputs.size();
  bool hasWorkspace = signature.workspaceBytes > 0;
  std::string withWorkspaceName = (cName + "_with_workspace").str();
  if (hasWorkspace && module.lookupSymbol(withWorkspaceName))
    return llvm::createStringError("the name '" + withWorkspaceName +
                                   "' is already taken in the module");

  // The weights: external globals, defined once the code is optimized.
  SmallVector<LLVM::GlobalOp> globals;
  for (const EmbeddedWeight &weight : weights) {
    auto arrayType =
        LLVM::LLVMArrayType::get(builder.getF32Type(), weight.data.size());
    globals.push_back(LLVM::GlobalOp::create(
        builder, loc, arrayType, /*isConstant=*/true, LLVM::Linkage::External,
        weight.symbol, /*value=*/Attribute(), /*alignment=*/64));
  }

  // The function calling the compiled code: the buffers, then the
  // workspace when there is one (`<cName>_with_workspace`), else `<cName>`.
  SmallVector<Type> parameters(numBuffers, pointer);
  if (hasWorkspace)
    parameters.push_back(pointer);
  auto caller = LLVM::LLVMFuncOp::create(
      builder, loc, hasWorkspace ? StringRef(withWorkspaceName) : cName,
      LLVM::LLVMFunctionType::get(i32, parameters));
  Block *body = caller.addEntryBlock(builder);
  builder.setInsertionPointToStart(body);
  SmallVector<Value> weightPointers;
  for (LLVM::GlobalOp global : globals)
    weightPointers.push_back(LLVM::AddressOfOp::create(builder, loc, global));

  // Each buffer becomes the expanded memref descriptor the compiled function
  // takes: allocated and aligned pointers, offset 0, sizes, row-major
  // strides.
  auto constant = [&](int64_t value) -> Value {
    return LLVM::ConstantOp::create(builder, loc, i64,
                                    builder.getI64IntegerAttr(value));
  };
  SmallVector<Value> arguments;
  auto appendDescriptor = [&](Value buffer, ArrayRef<int64_t> shape) {
    arguments.append({buffer, buffer, constant(0)});
    SmallVector<int64_t> strides(shape.size(), 1);
    for (int i = static_cast<int>(shape.size()) - 2; i >= 0; --i)
      strides[i] = strides[i + 1] * shape[i + 1];
    for (int64_t size : shape)
      arguments.push_back(constant(size));
    for (int64_t stride : strides)
      arguments.push_back(constant(stride));
  };
  // The compiled function takes the inputs, the weights, the outputs, then
  // the workspace (bytes).
  unsigned index = 0;
  for (ArrayRef<int64_t> shape : signature.inputs)
    appendDescriptor(body->getArgument(index++), shape);
  for (auto [weight, pointer] : llvm::zip(weights, weightPointers))
    appendDescriptor(pointer, weight.shape);
  for (ArrayRef<int64_t> shape : signature.outputs)
    appendDescriptor(body->getArgument(index++), shape);
  if (hasWorkspace)
    appendDescriptor(body->getArgument(index++), {signature.workspaceBytes});
  if (arguments.size() != callee.getNumArguments())
    return llvm::createStringError(
        "@" + funcName.str() + " takes " +
        std::to_string(callee.getNumArguments()) +
        " arguments, not the descriptors of " +
        std::to_string(numBuffers + weights.size() + hasWorkspace) +
        " buffers");
  LLVM::CallOp::create(builder, loc, callee, arguments);
  auto returnZero = [&] {
    LLVM::ReturnOp::create(
        builder, loc,
        ValueRange{LLVM::ConstantOp::create(builder, loc, i32,
                                            builder.getI32IntegerAttr(0))});
  };
  returnZero();

  // `<cName>` with a workspace: the one cached from an earlier call, else
  // a new one from aligned_alloc. A new workspace's pages are mapped by the
  // call that first touches them, and for a large one (VGG-16's 63 MB,
  // which malloc maps afresh every time) that doubled the time of a call:
  // so after the call the workspace is cached for the next one (a single
  // slot, taken and given back atomically; a second thread calling at the
  // same time allocates its own and frees it).
  if (hasWorkspace) {
    builder.setInsertionPointToEnd(module.getBody());
    auto allocFn = module.lookupSymbol<LLVM::LLVMFuncOp>("aligned_alloc");
    if (!allocFn)
      allocFn = LLVM::LLVMFuncOp::create(
          builder, loc, "aligned_alloc",
          LLVM::LLVMFunctionType::get(pointer, {i64, i64}));
    auto freeFn = module.lookupSymbol<LLVM::LLVMFuncOp>("free");
    if (!freeFn)
      freeFn = LLVM::LLVMFuncOp::create(
          builder, loc, "free",
          LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(context),
                                      {pointer}));
    std::string cacheName = (cName + "_cached_workspace").str();
    if (module.lookupSymbol(cacheName))
      return llvm::createStringError("the name '" + cacheName +
                                     "' is already taken in the module");
    auto cache = LLVM::GlobalOp::create(
        builder, loc, pointer, /*isConstant=*/false, LLVM::Linkage::Internal,
        cacheName, /*value=*/Attribute(), /*alignment=*/8);
    builder.setInsertionPointToStart(
        builder.createBlock(&cache.getInitializerRegion()));
    LLVM::ReturnOp::create(
        builder, loc, ValueRange{LLVM::ZeroOp::create(builder, loc, pointer)});
    builder.setInsertionPointToEnd(module.getBody());

    auto function = LLVM::LLVMFuncOp::create(
        builder, loc, cName,
        LLVM::LLVMFunctionType::get(i32,
                                    SmallVector<Type>(numBuffers, pointer)));
    Block *entry = function.addEntryBlock(builder);
    Block *allocate = function.addBlock();
    Block *run = function.addBlock();
    run->addArgument(pointer, loc);
    Block *release = function.addBlock();
    Block *done = function.addBlock();
    Block *outOfMemory = function.addBlock();
    builder.setInsertionPointToStart(entry);
    Value slot = LLVM::AddressOfOp::create(builder, loc, cache);
    Value null = LLVM::ZeroOp::create(builder, loc, pointer);
    Value cached =
        LLVM::AtomicRMWOp::create(builder, loc, LLVM::AtomicBinOp::xchg, slot,
                                  null, LLVM::AtomicOrdering::acq_rel)
            .getResult();
    Value none = LLVM::ICmpOp::create(builder, loc, LLVM::ICmpPredicate::eq,
                                      cached, null);
    LLVM::CondBrOp::create(builder, loc, none, allocate, ValueRange{}, run,
                           ValueRange{cached});

    builder.setInsertionPointToStart(allocate);
    // aligned_alloc wants a multiple of the alignment.
    int64_t rounded = (signature.workspaceBytes + kWorkspaceAlignment - 1) /
                      kWorkspaceAlignment * kWorkspaceAlignment;
    Value allocated =
        LLVM::CallOp::create(
            builder, loc, allocFn,
            ValueRange{constant(kWorkspaceAlignment), constant(rounded)})
            .getResult();
    Value failed = LLVM::ICmpOp::create(builder, loc, LLVM::ICmpPredicate::eq,
                                        allocated, null);
    LLVM::CondBrOp::create(builder, loc, failed, outOfMemory, ValueRange{}, run,
                           ValueRange{allocated});

    builder.setInsertionPointToStart(run);
    Value workspace = run->getArgument(0);
    SmallVector<Value> forwarded(entry->getArguments());
    forwarded.push_back(workspace);
    Value status =
        LLVM::CallOp::create(builder, loc, caller, forwarded).getResult();
    // Back into the slot if it is still empty; else freed.
    Value exchange = LLVM::AtomicCmpXchgOp::create(
        builder, loc, slot, null, workspace, LLVM::AtomicOrdering::acq_rel,
        LLVM::AtomicOrdering::acquire);
    Value cachedAgain = LLVM::ExtractValueOp::create(builder, loc, exchange,
                                                     ArrayRef<int64_t>{1});
    LLVM::CondBrOp::create(builder, loc, cachedAgain, done, release);

    builder.setInsertionPointToStart(release);
    LLVM::CallOp::create(builder, loc, freeFn, ValueRange{workspace});
    LLVM::BrOp::create(builder, loc, done);

    builder.setInsertionPointToStart(done);
    LLVM::ReturnOp::create(builder, loc, ValueRange{status});

    builder.setInsertionPointToStart(outOfMemory);
    LLVM::ReturnOp::create(
        builder, loc,
        ValueRange{LLVM::ConstantOp::create(builder, loc, i32,
                                            builder.getI32IntegerAttr(1))});
  }

  // Only the C entry points are the object's interface: the compiled
  // function and its MLIR C wrapper must not clash with the user's symbols.
  callee.setLinkage(LLVM::Linkage::Internal);
  if (auto wrapper = module.lookupSymbol<LLVM::LLVMFuncOp>(
          ("_mlir_ciface_" + funcName).str()))
    wrapper.erase();
  return llvm::Error::success();
}

int64_t convforge::getWorkspaceBytes(ModuleOp module, StringRef funcName) {
  Operation *func = module.lookupSymbol(funcName);
  if (!func)
    return 0;
  auto bytes = func->getAttrOfType<IntegerAttr>(kWorkspaceBytesAttrName);
  return bytes ? bytes.getInt() : 0;
}

llvm::Error convforge::linkWeights(llvm::Module &module,
                                   llvm::ArrayRef<EmbeddedWeight> weights) {
  llvm::LLVMContext &context = module.getContext();
  auto data = std::make_unique<llvm::Module>("weights", context);
  data->setDataLayout(module.getDataLayout());
  data->setTargetTriple(module.getTargetTriple());
  for (const EmbeddedWeight &weight : weights) {
    llvm::StringRef bytes(reinterpret_cast<const char *>(weight.data.data()),
                          weight.data.size() * sizeof(float));
    llvm::Constant *contents = llvm::ConstantDataArray::getRaw(
        bytes, weight.data.size(), llvm::Type::getFloatTy(context));
    auto *global = new llvm::GlobalVariable(
        *data, contents->getType(), /*isConstant=*/true,
        llvm::GlobalValue::ExternalLinkage, contents, weight.symbol);
    global->setAlignment(llvm::Align(64));
  }
  if (llvm::Linker::linkModules(module, std::move(data)))
    return llvm::createStringError("cannot link the weights into the module");
  // Now defined beside their only user, the weights need no symbol visible
  // outside the object.
  for (const EmbeddedWeight &weight : weights)
    if (llvm::GlobalVariable *global = module.getNamedGlobal(weight.symbol))
      global->setLinkage(llvm::GlobalValue::PrivateLinkage);
  return llvm::Error::success();
}

/// "ALEXNET" from "alexnet": the prefix of the header's macros.
static std::string macroCase(llvm::StringRef name) {
  std::string text;
  for (char c : name)
    text.push_back(std::isalnum(static_cast<unsigned char>(c))
                       ? static_cast<char>(std::toupper(c))
                       : '_');
  return text;
}

std::string convforge::generateCHeader(llvm::StringRef cName,
                                       llvm::StringRef networkName,
                                       llvm::StringRef sourceFile,
                                       const EntrySignature &signature,
                                       bool onnxLayout) {
  std::string text;
  llvm::raw_string_ostream os(text);
  std::string macro = macroCase(networkName);
  os << "/* " << networkName << ": generated by convforge-compile from "
     << sourceFile << ". */\n"
     << "#ifndef " << macro << "_CONVFORGE_H\n#define " << macro
     << "_CONVFORGE_H\n\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  auto describe = [&](llvm::StringRef role, unsigned index,
                      ArrayRef<int64_t> shape) {
    std::string prefix = macro + "_" + macroCase(role) + std::to_string(index);
    int64_t size = 1;
    for (int64_t d : shape)
      size *= d;
    os << "/* " << role << " " << index << ": ";
    llvm::interleave(shape, os, "x");
    os << " floats, row-major";
    if (shape.size() == 4)
      os << (onnxLayout ? " NCHW (batch, channels, height, width: ONNX's "
                          "layout)"
                        : " NHWC (batch, height, width, depth: depth "
                          "innermost)");
    os << ". */\n#define " << prefix << "_RANK " << shape.size() << "\n";
    for (auto [dim, extent] : llvm::enumerate(shape))
      os << "#define " << prefix << "_DIM" << dim << " " << extent << "\n";
    os << "#define " << prefix << "_SIZE " << size << "\n\n";
  };
  for (auto [index, shape] : llvm::enumerate(signature.inputs))
    describe("input", index, shape);
  for (auto [index, shape] : llvm::enumerate(signature.outputs))
    describe("output", index, shape);
  auto parameters = [&] {
    unsigned index = 0;
    for (size_t i = 0; i < signature.inputs.size(); ++i)
      os << (index++ ? ", " : "") << "const float *input" << i;
    for (size_t i = 0; i < signature.outputs.size(); ++i)
      os << (index++ ? ", " : "") << "float *output" << i;
  };
  bool hasWorkspace = signature.workspaceBytes > 0;
  if (hasWorkspace)
    os << "/* The workspace the network's temporaries (activations between\n"
          " * layers, padded inputs) live in: bytes, 64-byte aligned. */\n"
       << "#define " << macro << "_WORKSPACE_BYTES " << signature.workspaceBytes
       << "\n\n";
  os << "/* Runs the network on the input buffer(s) and writes the output\n"
        " * buffer(s), which the caller owns and which must not overlap. Any\n"
        " * float alignment works; buffers aligned to 64 bytes (e.g. from\n"
        " * aligned_alloc(64, ...)) are read and written in whole cache\n"
        " * lines, which memory-bound layers run faster on. The weights are\n"
        " * embedded in the code. The function may be called from several\n"
        " * threads at once.\n";
  if (hasWorkspace)
    os << " * Its temporaries live in a workspace of " << macro
       << "_WORKSPACE_BYTES\n"
          " * bytes: the one an earlier call left cached, else a new one\n"
          " * from aligned_alloc; after the call it is cached for the next\n"
          " * one (one is kept, until the program exits; one allocated while\n"
          " * another thread holds the cached one is freed). Returns 0, or 1\n"
          " * if that allocation failed. Link with -lm. */\n";
  else
    os << " * Returns 0. Link with -lm. */\n";
  os << "int " << cName << "(";
  parameters();
  os << ");\n";
  if (hasWorkspace) {
    os << "\n/* The same on a workspace the caller provides: " << macro
       << "_WORKSPACE_BYTES\n"
          " * bytes, 64-byte aligned (e.g. from aligned_alloc(64, ...)), one\n"
          " * per thread calling at the same time. Its contents need no\n"
          " * initialization and are not kept. Returns 0. */\n"
       << "int " << cName << "_with_workspace(";
    parameters();
    os << ", void *workspace);\n";
  }
  os << "\n#ifdef __cplusplus\n}\n#endif\n\n#endif\n";
  return text;
}
