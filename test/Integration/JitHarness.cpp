//===- JitHarness.cpp - Run a network compiled and in the reference ------===//

#include "JitHarness.h"

#include "ConvForge/Dialect/Cnn/Transforms/Passes.h"
#include "ConvForge/Execution/Jit.h"
#include "ConvForge/InitAll.h"
#include "ConvForge/Reference/Evaluator.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include <cmath>

using namespace mlir;
using namespace convforge;
using namespace convforge::testing;

std::unique_ptr<MLIRContext> convforge::testing::makeContext() {
  DialectRegistry registry;
  registerAllDialects(registry);
  auto context = std::make_unique<MLIRContext>(registry);
  context->loadAllAvailableDialects();
  return context;
}

/// Collects the diagnostics emitted while alive, for error messages.
namespace {
class DiagnosticCollector {
public:
  explicit DiagnosticCollector(MLIRContext &context)
      : handler(&context, [this](Diagnostic &diag) {
          llvm::raw_string_ostream os(messages);
          os << diag.getLocation() << ": " << diag << "\n";
          return success();
        }) {}
  std::string messages;

private:
  ScopedDiagnosticHandler handler;
};
} // namespace

/// Runs the reference on a copy of `module` whose shapes were inferred.
static llvm::Expected<std::vector<Tensor>>
runReference(ModuleOp module, llvm::StringRef entry,
             llvm::ArrayRef<Tensor> inputs) {
  OwningOpRef<ModuleOp> copy(cast<ModuleOp>(module->clone()));
  DiagnosticCollector diagnostics(*module.getContext());
  PassManager pm(module.getContext());
  pm.addNestedPass<func::FuncOp>(cnn::createCnnShapeInference());
  if (failed(pm.run(*copy)))
    return llvm::createStringError("shape inference failed:\n" +
                                   diagnostics.messages);
  auto func = copy->lookupSymbol<func::FuncOp>(entry);
  FailureOr<std::vector<Tensor>> outputs =
      reference::evaluateReference(func, inputs);
  if (failed(outputs))
    return llvm::createStringError("reference evaluation failed:\n" +
                                   diagnostics.messages);
  return *outputs;
}

llvm::Expected<Outputs> convforge::testing::runCompiledAndReference(
    MLIRContext &context, llvm::StringRef source, llvm::StringRef entry,
    std::vector<Tensor> inputs, std::mt19937_64 &rng, int64_t threads) {
  DiagnosticCollector diagnostics(context);
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(source, &context);
  if (!module)
    return llvm::createStringError("cannot parse the test network:\n" +
                                   diagnostics.messages + source.str());
  auto func = module->lookupSymbol<func::FuncOp>(entry);
  if (!func)
    return llvm::createStringError("no @" + entry.str());

  if (inputs.empty()) {
    std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
    for (Type type : func.getArgumentTypes()) {
      auto tensorType = cast<RankedTensorType>(type);
      Tensor input(tensorType.getShape());
      for (float &value : input.data)
        value = uniform(rng);
      inputs.push_back(std::move(input));
    }
  }

  JitOptions options;
  options.threads = threads;
  llvm::Expected<std::unique_ptr<JitProgram>> program =
      JitProgram::compile(*module, entry, options);
  if (!program)
    return program.takeError();

  Outputs outputs;
  SmallVector<BufferRef> inputRefs, outputRefs;
  for (Tensor &input : inputs)
    inputRefs.push_back({input.data.data(), input.shape});
  for (ArrayRef<int64_t> shape : (*program)->getOutputShapes())
    outputs.compiled.emplace_back(shape, std::nanf(""));
  for (Tensor &output : outputs.compiled)
    outputRefs.push_back({output.data.data(), output.shape});
  if (llvm::Error error = (*program)->invoke(inputRefs, outputRefs))
    return std::move(error);

  llvm::Expected<std::vector<Tensor>> expected =
      runReference(*module, entry, inputs);
  if (!expected)
    return expected.takeError();
  outputs.reference = std::move(*expected);
  return outputs;
}

llvm::Error convforge::testing::compareWithTolerance(const Tensor &got,
                                                     const Tensor &want) {
  if (got.shape != want.shape)
    return llvm::createStringError(
        "shape " + reference::formatShape(got.shape) + " instead of " +
        reference::formatShape(want.shape));
  double worstExcess = 0.0;
  int64_t worst = -1;
  for (int64_t i = 0, e = want.numElements(); i < e; ++i) {
    double error = std::fabs(double(got.data[i]) - double(want.data[i]));
    double allowed =
        kTolerance * std::max(1.0, std::fabs(double(want.data[i])));
    // NaN compares false: count it as a failure explicitly.
    if (std::isnan(got.data[i]) || error > allowed) {
      double excess = std::isnan(got.data[i]) ? INFINITY : error / allowed;
      if (worst < 0 || excess > worstExcess) {
        worstExcess = excess;
        worst = i;
      }
    }
  }
  if (worst < 0)
    return llvm::Error::success();
  std::string message;
  llvm::raw_string_ostream os(message);
  os << "element " << worst << " of " << want.numElements() << " is "
     << got.data[worst] << ", expected " << want.data[worst]
     << " (tolerance 1e-4 * max(1, |expected|))";
  return llvm::createStringError(message);
}
