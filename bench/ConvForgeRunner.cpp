//===- ConvForgeRunner.cpp - Compile and time a layer with the JIT --------===//

#include "ConvForgeRunner.h"

#include "ConvForge/Execution/Jit.h"
#include "ConvForge/InitAll.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

using namespace mlir;

namespace convforge::bench {

ConvForgeRunner::ConvForgeRunner() {
  DialectRegistry registry;
  registerAllDialects(registry);
  context = std::make_unique<MLIRContext>(registry);
  context->loadAllAvailableDialects();
}

ConvForgeRunner::~ConvForgeRunner() = default;

ConvForgeResult ConvForgeRunner::run(const Layer &layer, const LayerData &data,
                                     const TimingOptions &options) {
  ConvForgeResult result;
  auto compileStart = std::chrono::steady_clock::now();
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(layer.cnnSource(), context.get());
  if (!module) {
    result.error = "the generated cnn source does not parse";
    return result;
  }
  auto program = JitProgram::compile(*module, "net");
  if (!program) {
    result.error = llvm::toString(program.takeError());
    return result;
  }
  result.compileSeconds = secondsSince(compileStart);
  result.passSeconds = (*program)->getCompileTimes().passes;
  result.codegenSeconds = (*program)->getCompileTimes().codegen;

  // The entry takes (input, filter, bias) or (input): the order of
  // Layer::cnnSource's arguments. The JIT never writes its inputs.
  std::vector<int64_t> inputShape = layer.inputShape();
  std::vector<int64_t> filterShape = layer.filterShape();
  std::vector<int64_t> biasShape = {layer.filters};
  std::vector<int64_t> outputShape = layer.outputShape();
  auto mutableData = [](const std::vector<float> &v) {
    return const_cast<float *>(v.data());
  };
  llvm::SmallVector<BufferRef> inputs = {{mutableData(data.input), inputShape}};
  if (layer.kind == LayerKind::Conv) {
    inputs.push_back({mutableData(data.filter), filterShape});
    inputs.push_back({mutableData(data.bias), biasShape});
  }
  result.output.assign(layer.outputSize(), 0.0f);
  BufferRef output{result.output.data(), outputShape};

  result.timing = measure(
      [&] {
        if (llvm::Error error = (*program)->invoke(inputs, {output})) {
          result.error = llvm::toString(std::move(error));
          return false;
        }
        return true;
      },
      options);
  return result;
}

} // namespace convforge::bench
