//===- SpecImporterTest.cpp - The network spec frontend -------------------===//
//
// The generated weights are deterministic (same seed, same bytes; another
// seed, other bytes; the splitmix64 stream is the published one), the weight
// budget is enforced before allocation, and an imported example runs
// through the reference evaluator.
//
//===----------------------------------------------------------------------===//

#include "ConvForge/Frontend/SpecImporter.h"
#include "ConvForge/Frontend/WeightGenerator.h"
#include "ConvForge/Reference/Evaluator.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include "gtest/gtest.h"

#include <cmath>
#include <string>
#include <vector>

using namespace mlir;
using namespace convforge;

namespace {

constexpr const char *kSmallNet = R"yaml(
name: small
input: {size: 6, depth: 2}
layers:
  - {type: conv, name: conv1, filters: 3, size: 3}
  - {type: relu}
  - {type: flatten}
  - {type: dense, name: fc, units: 4}
)yaml";

/// Imports `text` as the spec file `name`; diagnostics go to `messages`.
OwningOpRef<ModuleOp> importText(MLIRContext &context, llvm::StringRef text,
                                 const SpecImportOptions &options,
                                 std::string *messages = nullptr) {
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(text, "net.yaml"), llvm::SMLoc());
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
    if (messages)
      *messages += diag.str() + "\n";
    return success();
  });
  return importSpec(sourceMgr, &context, options);
}

/// The bytes of every dense_resource constant, in order.
std::vector<std::vector<float>> getConstants(ModuleOp module) {
  std::vector<std::vector<float>> result;
  module.walk([&](arith::ConstantOp constant) {
    auto attr = dyn_cast<DenseF32ResourceElementsAttr>(constant.getValue());
    std::optional<ArrayRef<float>> values =
        attr ? attr.tryGetAsArrayRef() : std::nullopt;
    result.emplace_back(values ? values->begin() : nullptr,
                        values ? values->end() : nullptr);
  });
  return result;
}

TEST(WeightGeneratorTest, IsSplitMix64) {
  // The first output of splitmix64 from state 0 (the reference
  // implementation's published value).
  SplitMix64 generator(uint64_t(0));
  EXPECT_EQ(generator.next(), 0xE220A8397B1DCDAFull);
}

TEST(WeightGeneratorTest, DeterministicAndBounded) {
  std::vector<float> a(1000), b(1000), c(1000), d(1000);
  generateUniform(a, 42, 3, WeightStream::Weights, 0.5);
  generateUniform(b, 42, 3, WeightStream::Weights, 0.5);
  generateUniform(c, 43, 3, WeightStream::Weights, 0.5);
  generateUniform(d, 42, 3, WeightStream::Biases, 0.5);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_NE(a, d);
  for (float value : a) {
    EXPECT_GE(value, -0.5f);
    EXPECT_LE(value, 0.5f);
  }
  EXPECT_DOUBLE_EQ(getWeightBound(6), 1.0);
}

TEST(SpecImporterTest, SameSeedSameBytes) {
  MLIRContext context;
  SpecImportOptions options;
  OwningOpRef<ModuleOp> first = importText(context, kSmallNet, options);
  OwningOpRef<ModuleOp> second = importText(context, kSmallNet, options);
  options.seed = 1;
  OwningOpRef<ModuleOp> other = importText(context, kSmallNet, options);
  ASSERT_TRUE(first && second && other);
  std::vector<std::vector<float>> a = getConstants(*first);
  ASSERT_EQ(a.size(), 4u); // conv1 weight and bias, fc weight and bias
  EXPECT_EQ(a[0].size(), 3u * 3 * 3 * 2);
  EXPECT_EQ(a[2].size(), 4u * 4 * 4 * 3);
  EXPECT_EQ(a, getConstants(*second));
  std::vector<std::vector<float>> b = getConstants(*other);
  for (size_t i = 0; i < a.size(); ++i)
    EXPECT_NE(a[i], b[i]) << "constant #" << i;
  // Weights within sqrt(6 / fan_in), biases within 0.1.
  float bound = float(std::sqrt(6.0 / (3 * 3 * 2)));
  for (float value : a[0])
    EXPECT_LE(std::fabs(value), bound);
  for (float value : a[1])
    EXPECT_LE(std::fabs(value), 0.1f);
}

TEST(SpecImporterTest, WeightsStartOnACacheLine) {
  // The compiled code reads the weights in place with 64-byte vector loads
  // (WeightBlob.h). A 1 MiB dense layer comes from mmap through malloc, 16
  // bytes past a page boundary, unless allocated on a cache line.
  constexpr const char *kWideDense = R"yaml(
name: wide
input: {size: 16, depth: 16}
layers:
  - {type: conv, name: conv1, filters: 16, size: 1}
  - {type: flatten}
  - {type: dense, name: fc, units: 64}
)yaml";
  MLIRContext context;
  OwningOpRef<ModuleOp> module =
      importText(context, kWideDense, SpecImportOptions());
  ASSERT_TRUE(module);
  int checked = 0;
  module->walk([&](arith::ConstantOp constant) {
    auto attr = dyn_cast<DenseF32ResourceElementsAttr>(constant.getValue());
    std::optional<ArrayRef<float>> values =
        attr ? attr.tryGetAsArrayRef() : std::nullopt;
    ASSERT_TRUE(values.has_value());
    EXPECT_EQ(reinterpret_cast<uintptr_t>(values->data()) % 64, 0u)
        << values->size() << " weights";
    ++checked;
  });
  EXPECT_EQ(checked, 4); // conv1 weight and bias, fc weight and bias
}

TEST(SpecImporterTest, RefusesWeightsBeyondTheLimit) {
  MLIRContext context;
  SpecImportOptions options;
  options.maxWeightBytes = 100;
  std::string messages;
  EXPECT_FALSE(importText(context, kSmallNet, options, &messages));
  EXPECT_NE(messages.find("layer 'conv1'"), std::string::npos) << messages;
  EXPECT_NE(messages.find("more than the limit of 100 bytes"),
            std::string::npos)
      << messages;
}

TEST(SpecImporterTest, RefusesTooManyLayersBeforeBuilding) {
  MLIRContext context;
  SpecImportOptions options;
  options.maxLayers = 3;
  // The check hook would run on a built network: it must not be reached.
  bool built = false;
  options.checkNetwork = [&](func::FuncOp) {
    built = true;
    return success();
  };
  std::string messages;
  EXPECT_FALSE(importText(context, kSmallNet, options, &messages));
  EXPECT_FALSE(built);
  EXPECT_NE(messages.find("layer 'fc': the spec has 4 layers, more than the "
                          "limit of 3 (--max-layers)"),
            std::string::npos)
      << messages;
  options.maxLayers = 4;
  messages.clear();
  EXPECT_TRUE(importText(context, kSmallNet, options, &messages)) << messages;
  EXPECT_TRUE(built);
}

TEST(SpecImporterTest, CheckNetworkRunsBeforeAnyWeightIsLoaded) {
  // The weights file does not exist: had the importer read it before the
  // hook, the error would be about the file.
  constexpr const char *spec = R"yaml(
input: {size: 6, depth: 2}
layers:
  - {type: conv, name: conv1, filters: 3, size: 3, weights: missing.npy}
)yaml";
  MLIRContext context;
  SpecImportOptions options;
  unsigned constants = 0, placeholders = 0;
  options.checkNetwork = [&](func::FuncOp func) {
    func.walk([&](Operation *op) {
      constants += isa<arith::ConstantOp>(op);
      placeholders += isa<UnrealizedConversionCastOp>(op);
    });
    func.emitError("refused by the check");
    return failure();
  };
  std::string messages;
  EXPECT_FALSE(importText(context, spec, options, &messages));
  EXPECT_EQ(constants, 0u);
  EXPECT_EQ(placeholders, 2u); // the filter and the bias
  EXPECT_NE(messages.find("refused by the check"), std::string::npos)
      << messages;
  EXPECT_EQ(messages.find("missing.npy"), std::string::npos) << messages;
}

TEST(SpecImporterTest, NeverCrashesOnOddYaml) {
  const char *inputs[] = {
      "",
      "---\n---\n",
      "[",
      "{",
      "a: &x [*x]",
      "input: &i {size: 4, depth: 1}\nlayers: [{type: relu}, *i]",
      "input: {size: 4, depth: 1}\nlayers: [{type: relu, name: [1, 2]}]",
      "? [a]\n: 1",
      "input: {size: 4, depth: 1}\nlayers: [{type: conv, filters: 1, size: "
      "[1, 2, 3]}]",
      "input: {size: 9223372036854775807, depth: 9223372036854775807}\n"
      "layers: [{type: relu}]",
      "input: {size: 4, depth: 1}\nlayers: [{type: maxpool, size: "
      "9223372036854775807, padding: 9223372036854775807}]",
      "input: {size: 4, depth: 1}\nlayers:\n - !!str {type: relu}",
      "%TAG ! tag:x,2000:\n---\ninput: 1",
      "input: {size: 4, depth: 1}\nseed: 18446744073709551616\nlayers: []",
  };
  for (const char *input : inputs) {
    MLIRContext context;
    std::string messages;
    EXPECT_FALSE(importText(context, input, {}, &messages)) << input;
    EXPECT_FALSE(messages.empty()) << input;
  }
}

TEST(SpecImporterTest, AlexNetConv1Evaluates) {
  MLIRContext context;
  llvm::SourceMgr sourceMgr;
  std::string path =
      std::string(CONVFORGE_SOURCE_DIR) + "/examples/alexnet-conv1.yaml";
  auto file = llvm::MemoryBuffer::getFile(path);
  ASSERT_TRUE(bool(file)) << path;
  sourceMgr.AddNewSourceBuffer(std::move(*file), llvm::SMLoc());
  OwningOpRef<ModuleOp> module = importSpec(sourceMgr, &context);
  ASSERT_TRUE(module);
  auto func = module->lookupSymbol<func::FuncOp>("alexnet_conv1");
  ASSERT_TRUE(func);

  Tensor input({1, 227, 227, 3});
  for (size_t i = 0; i < input.data.size(); ++i)
    input.data[i] = float(i % 17) / 17.0f - 0.5f;
  FailureOr<std::vector<Tensor>> results =
      reference::evaluateReference(func, {input});
  ASSERT_TRUE(succeeded(results));
  ASSERT_EQ(results->size(), 1u);
  const Tensor &output = results->front();
  EXPECT_EQ(llvm::ArrayRef<int64_t>(output.shape),
            llvm::ArrayRef<int64_t>({1, 55, 55, 96}));
  bool anyNonZero = false;
  for (float value : output.data) {
    ASSERT_TRUE(std::isfinite(value));
    anyNonZero |= value != 0.0f;
  }
  EXPECT_TRUE(anyNonZero);
}

} // namespace
