//===- ConvForgeRunner.cpp - Compile and time a layer with the JIT --------===//

#include "ConvForgeRunner.h"

#include "ConvForge/Driver/Driver.h"
#include "ConvForge/Execution/Jit.h"
#include "ConvForge/InitAll.h"
#include "ConvForge/Support/WeightBlob.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

using namespace mlir;

namespace convforge::bench {

Timing timeInvoke(JitProgram &program, llvm::ArrayRef<BufferRef> inputs,
                  BufferRef output, const TimingOptions &options,
                  std::string &error) {
  return measure(
      [&] {
        if (llvm::Error failure = program.invoke(inputs, {output})) {
          error = llvm::toString(std::move(failure));
          return false;
        }
        return true;
      },
      options);
}

ConvForgeRunner::ConvForgeRunner() {
  DialectRegistry registry;
  registerAllDialects(registry);
  context = std::make_unique<MLIRContext>(registry);
  context->loadAllAvailableDialects();
}

ConvForgeRunner::~ConvForgeRunner() = default;

/// Makes the function's weight arguments (all but the first, the input)
/// constants holding `weights`, as a spec's weights are: the compiler then
/// packs them at compile time, exactly as for a user's network.
static void makeWeightsConstant(func::FuncOp func,
                                ArrayRef<const AlignedFloats *> weights) {
  Block &body = func.getBody().front();
  OpBuilder builder = OpBuilder::atBlockBegin(&body);
  for (auto [index, values] : llvm::enumerate(weights)) {
    BlockArgument argument = body.getArgument(index + 1);
    auto type = cast<RankedTensorType>(argument.getType());
    auto attr = DenseF32ResourceElementsAttr::get(
        type, "weight" + std::to_string(index),
        copyToWeightBlob(ArrayRef<float>(*values)));
    Value constant = arith::ConstantOp::create(builder, func.getLoc(), type,
                                               cast<TypedAttr>(attr));
    argument.replaceAllUsesWith(constant);
  }
  llvm::BitVector erased(body.getNumArguments());
  erased.set(1, body.getNumArguments());
  (void)func.eraseArguments(erased);
}

ConvForgeResult ConvForgeRunner::run(const Layer &layer, const LayerData &data,
                                     const TimingOptions &options,
                                     int threads) {
  ConvForgeResult result;
  auto compileStart = std::chrono::steady_clock::now();
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(layer.cnnSource(), context.get());
  if (!module) {
    result.error = "the generated cnn source does not parse";
    return result;
  }
  auto func = module->lookupSymbol<func::FuncOp>("net");
  if (layer.kind == LayerKind::Conv)
    makeWeightsConstant(func, {&data.filter, &data.bias});

  // Weights are compile-time constants: packed once here (and timed apart,
  // as oneDNN's weight reorder is), then passed to the compiled code.
  auto packStart = std::chrono::steady_clock::now();
  CodegenOptions codegenOptions;
  if (failed(driver::packFilters(*module, codegenOptions))) {
    result.error = "packing the filter failed";
    return result;
  }
  result.packSeconds = secondsSince(packStart);
  std::vector<driver::WeightBuffer> weights = driver::outlineWeights(func);

  JitOptions jitOptions;
  jitOptions.threads = threads;
  auto program = JitProgram::compile(*module, "net", jitOptions);
  if (!program) {
    result.error = llvm::toString(program.takeError());
    return result;
  }
  result.compileSeconds = secondsSince(compileStart);
  result.passSeconds = (*program)->getCompileTimes().passes;
  result.codegenSeconds = (*program)->getCompileTimes().codegen;

  // The entry takes the input, then the weights as outlined. The JIT never
  // writes its inputs.
  std::vector<int64_t> inputShape = layer.inputShape();
  llvm::SmallVector<BufferRef> inputs = {
      {const_cast<float *>(data.input.data()), inputShape}};
  for (driver::WeightBuffer &weight : weights)
    inputs.push_back({const_cast<float *>(weight.data.data()), weight.shape});
  std::vector<int64_t> outputShape = layer.outputShape();
  result.output.assign(layer.outputSize(), 0.0f);
  BufferRef output{result.output.data(), outputShape};

  result.timing = timeInvoke(**program, inputs, output, options, result.error);
  return result;
}

} // namespace convforge::bench
