//===- MemoryEstimateTest.cpp - The memory a network needs ----------------===//
//
// Each part of the estimate on a network small enough to count by hand, the
// padding and softmax temporaries, weights given as constants, arguments or
// importer placeholders, and saturation instead of wrap-around. (That the
// estimate bounds what the compiled code allocates is checked against the
// bufferized code in test/Integration.)
//
//===----------------------------------------------------------------------===//

#include "ConvForge/Dialect/Cnn/Analysis/MemoryEstimate.h"
#include "ConvForge/Dialect/Cnn/IR/CnnDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include "gtest/gtest.h"

#include <limits>

using namespace mlir;
using namespace convforge;

namespace {

class MemoryEstimateTest : public ::testing::Test {
protected:
  MemoryEstimateTest() {
    context
        .loadDialect<cnn::CnnDialect, func::FuncDialect, arith::ArithDialect>();
  }

  /// The estimate of the only function of `source`; diagnostics go to
  /// `messages`.
  FailureOr<cnn::MemoryEstimate> estimate(llvm::StringRef source) {
    ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
      messages += diag.str() + "\n";
      return success();
    });
    module = parseSourceString<ModuleOp>(source, &context);
    if (!module)
      return failure();
    return cnn::estimateMemory(*module->getOps<func::FuncOp>().begin());
  }

  MLIRContext context;
  OwningOpRef<ModuleOp> module;
  std::string messages;
};

TEST_F(MemoryEstimateTest, CountsEachPartByHand) {
  FailureOr<cnn::MemoryEstimate> result = estimate(R"mlir(
    func.func @net(%x: tensor<1x8x8x3xf32>, %w: tensor<4x3x3x3xf32>,
                   %b: tensor<4xf32>, %d: tensor<5x64xf32>) -> tensor<1x5xf32> {
      %0 = cnn.conv2d %x, %w, %b padding [1] : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x8x8x4xf32>
      %1 = cnn.relu %0 : (tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>
      %2 = cnn.max_pool2d %1 window [2] stride [2] : (tensor<1x8x8x4xf32>) -> tensor<1x4x4x4xf32>
      %3 = cnn.flatten %2 : (tensor<1x4x4x4xf32>) -> tensor<1x64xf32>
      %4 = cnn.dense %3, %d : (tensor<1x64xf32>, tensor<5x64xf32>) -> tensor<1x5xf32>
      %5 = cnn.softmax %4 : (tensor<1x5xf32>) -> tensor<1x5xf32>
      return %5 : tensor<1x5xf32>
    })mlir");
  ASSERT_TRUE(succeeded(result)) << messages;
  // Filter 108 + bias 4 + dense 320 floats.
  EXPECT_EQ(result->weights, 4u * (108 + 4 + 320));
  EXPECT_EQ(result->inputs, 4u * 192);
  // conv 256, relu 256, pool 64, flatten 64, dense 5, softmax 5 floats.
  EXPECT_EQ(result->activations, 4u * (256 + 256 + 64 + 64 + 5 + 5));
  // The conv's padded 1x10x10x3 input and transposed filter; the dense
  // layer's partial sums (16 per output); the softmax's exponentials and one
  // maximum and one sum for its row. The pool is not padded.
  EXPECT_EQ(result->scratch, 4u * (300 + 108 + 5 * 16 + 5 + 2));
  EXPECT_EQ(result->total(), result->weights + result->inputs +
                                 result->activations + result->scratch);
}

TEST_F(MemoryEstimateTest, PaddedPoolsAndCeilOverhang) {
  FailureOr<cnn::MemoryEstimate> result = estimate(R"mlir(
    func.func @net(%x: tensor<1x5x5x2xf32>) -> tensor<1x3x3x2xf32> {
      %0 = cnn.avg_pool2d %x window [2] stride [2] rounding ceil : (tensor<1x5x5x2xf32>) -> tensor<1x3x3x2xf32>
      %1 = cnn.max_pool2d %0 window [3] stride [1] padding [1] : (tensor<1x3x3x2xf32>) -> tensor<1x3x3x2xf32>
      return %1 : tensor<1x3x3x2xf32>
    })mlir");
  ASSERT_TRUE(succeeded(result)) << messages;
  // The ceil overhang pads 5 to 6; padding 1 pads 3 to 5.
  EXPECT_EQ(result->scratch, 4u * (1 * 6 * 6 * 2 + 1 * 5 * 5 * 2));
  EXPECT_EQ(result->weights, 0u);
}

TEST_F(MemoryEstimateTest, ConstantWeightsAreWeights) {
  FailureOr<cnn::MemoryEstimate> result = estimate(R"mlir(
    func.func @net(%x: tensor<1x64xf32>) -> tensor<1x5xf32> {
      %w = arith.constant dense<1.0> : tensor<5x64xf32>
      %b = arith.constant dense<0.5> : tensor<5xf32>
      %0 = cnn.dense %x, %w, %b : (tensor<1x64xf32>, tensor<5x64xf32>, tensor<5xf32>) -> tensor<1x5xf32>
      return %0 : tensor<1x5xf32>
    })mlir");
  ASSERT_TRUE(succeeded(result)) << messages;
  // A splat constant counts in full: the compiled code may materialize it.
  EXPECT_EQ(result->weights, 4u * (320 + 5));
  EXPECT_EQ(result->inputs, 4u * 64);
  EXPECT_EQ(result->activations, 4u * 5);
}

TEST_F(MemoryEstimateTest, SaturatesInsteadOfWrapping) {
  // 2^60 elements (2^62 bytes, valid) per tensor, four times over: 2^64
  // bytes in all.
  FailureOr<cnn::MemoryEstimate> result = estimate(R"mlir(
    func.func @net(%x: tensor<1152921504606846976xf32>) -> tensor<1152921504606846976xf32> {
      %0 = cnn.relu %x : (tensor<1152921504606846976xf32>) -> tensor<1152921504606846976xf32>
      %1 = cnn.relu %0 : (tensor<1152921504606846976xf32>) -> tensor<1152921504606846976xf32>
      %2 = cnn.relu %1 : (tensor<1152921504606846976xf32>) -> tensor<1152921504606846976xf32>
      return %2 : tensor<1152921504606846976xf32>
    })mlir");
  ASSERT_TRUE(succeeded(result)) << messages;
  EXPECT_EQ(result->inputs, uint64_t(1) << 62);
  EXPECT_EQ(result->activations, uint64_t(3) << 62);
  EXPECT_EQ(result->total(), std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(cnn::formatBytes(result->total()), "more than 16 EiB");
}

TEST_F(MemoryEstimateTest, NeedsStaticShapes) {
  FailureOr<cnn::MemoryEstimate> result = estimate(R"mlir(
    func.func @net(%x: tensor<*xf32>) -> tensor<*xf32> {
      %0 = cnn.relu %x : (tensor<*xf32>) -> tensor<*xf32>
      return %0 : tensor<*xf32>
    })mlir");
  EXPECT_TRUE(failed(result));
  EXPECT_NE(messages.find("the memory estimate needs static shapes, got "
                          "'tensor<*xf32>'"),
            std::string::npos)
      << messages;
}

TEST(MemoryEstimate, FormatsBytes) {
  EXPECT_EQ(cnn::formatBytes(0), "0 bytes");
  EXPECT_EQ(cnn::formatBytes(1023), "1023 bytes");
  EXPECT_EQ(cnn::formatBytes(1024), "1.0 KiB");
  EXPECT_EQ(cnn::formatBytes(3 << 20 | 400 << 10), "3.4 MiB");
  EXPECT_EQ(cnn::formatBytes(uint64_t(5) << 40), "5.0 TiB");
  EXPECT_EQ(cnn::saturatingAdd(std::numeric_limits<uint64_t>::max() - 1, 2),
            std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(cnn::saturatingMul(uint64_t(1) << 32, uint64_t(1) << 32),
            std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(cnn::saturatingMul(uint64_t(1) << 31, uint64_t(1) << 32),
            uint64_t(1) << 63);
}

} // namespace
