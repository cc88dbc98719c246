//===- ExecutionTest.cpp - Compiled networks against the reference --------===//
//
// Every test compiles cnn-dialect functions through the whole pipeline
// (shape inference, conversion to linalg, strategy, tiling, vectorization,
// bufferization, LLVM) and the JIT, runs them, and compares the outputs with
// expected values: computed by hand for the fixed cases, computed by the
// reference implementation (float64 accumulation) for the randomized ones.
// Tolerance: |got - want| <= 1e-4 * max(1, |want|) per element.
//
// The randomized sweeps are seeded; the seed is printed with every failure
// and CONVFORGE_TEST_SEED=<n> replays a run.
//
//===----------------------------------------------------------------------===//

#include "JitHarness.h"
#include "RandomNetworks.h"

#include "gtest/gtest.h"

#include <cstdlib>

using namespace convforge;
using namespace convforge::testing;

namespace {

/// The seed of the randomized sweeps: CONVFORGE_TEST_SEED or a fixed one.
uint64_t sweepSeed() {
  if (const char *text = std::getenv("CONVFORGE_TEST_SEED"))
    return std::strtoull(text, nullptr, 10);
  return 20261125;
}

class ExecutionTest : public ::testing::Test {
protected:
  void SetUp() override { context = makeContext(); }

  /// Runs `source` (function @net) on `inputs` and expects `expected` for
  /// its single output, exactly as computed by hand (within tolerance).
  void expectOutput(const std::string &source, std::vector<Tensor> inputs,
                    const Tensor &expected) {
    std::mt19937_64 rng(0);
    llvm::Expected<Outputs> outputs = runCompiledAndReference(
        *context, source, "net", std::move(inputs), rng);
    ASSERT_TRUE(static_cast<bool>(outputs))
        << llvm::toString(outputs.takeError());
    ASSERT_EQ(outputs->compiled.size(), 1u);
    llvm::Error compiled = compareWithTolerance(outputs->compiled[0], expected);
    EXPECT_FALSE(static_cast<bool>(compiled))
        << "compiled: " << llvm::toString(std::move(compiled));
    llvm::Error reference =
        compareWithTolerance(outputs->reference[0], expected);
    EXPECT_FALSE(static_cast<bool>(reference))
        << "reference: " << llvm::toString(std::move(reference));
  }

  /// Compiles (for `threads` threads) and runs `count` networks from
  /// `generate` on random inputs and compares them with the reference.
  template <typename Generator>
  void sweep(const char *family, int count, uint64_t salt, Generator generate,
             int64_t threads = 1) {
    uint64_t seed = sweepSeed() ^ salt;
    std::mt19937_64 rng(seed);
    int compared = 0;
    for (int i = 0; i < count; ++i) {
      GeneratedNetwork network = generate(rng);
      SCOPED_TRACE(std::string(family) + " #" + std::to_string(i) + " (seed " +
                   std::to_string(sweepSeed()) + "): " + network.description +
                   "\n" + network.source);
      llvm::Expected<Outputs> outputs = runCompiledAndReference(
          *context, network.source, "net", {}, rng, threads);
      ASSERT_TRUE(static_cast<bool>(outputs))
          << llvm::toString(outputs.takeError());
      ASSERT_EQ(outputs->compiled.size(), outputs->reference.size());
      for (size_t o = 0; o < outputs->compiled.size(); ++o) {
        llvm::Error error =
            compareWithTolerance(outputs->compiled[o], outputs->reference[o]);
        ASSERT_FALSE(static_cast<bool>(error))
            << llvm::toString(std::move(error));
      }
      ++compared;
    }
    EXPECT_EQ(compared, count);
  }

  std::unique_ptr<mlir::MLIRContext> context;
};

/// The 3x3 image 1..9 and the 2x2 filter [[1, 2], [3, 4]].
Tensor image3x3() { return Tensor({1, 3, 3, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9}); }
Tensor filter2x2() { return Tensor({1, 2, 2, 1}, {1, 2, 3, 4}); }

//===----------------------------------------------------------------------===//
// Fixed cases, computed by hand
//===----------------------------------------------------------------------===//

TEST_F(ExecutionTest, ConvStride1) {
  // 1*1+2*2+4*3+5*4 = 37, 2+6+15+24 = 47, 4+10+21+32 = 67, 5+12+24+36 = 77.
  expectOutput(R"(
    func.func @net(%x: tensor<1x3x3x1xf32>, %w: tensor<1x2x2x1xf32>) -> tensor<*xf32> {
      %y = cnn.conv2d %x, %w : (tensor<1x3x3x1xf32>, tensor<1x2x2x1xf32>) -> tensor<*xf32>
      return %y : tensor<*xf32>
    })",
               {image3x3(), filter2x2()},
               Tensor({1, 2, 2, 1}, {37, 47, 67, 77}));
}

TEST_F(ExecutionTest, ConvWithBias) {
  // The stride-1 outputs plus the bias 10.
  expectOutput(R"(
    func.func @net(%x: tensor<1x3x3x1xf32>, %w: tensor<1x2x2x1xf32>, %b: tensor<1xf32>) -> tensor<*xf32> {
      %y = cnn.conv2d %x, %w, %b : (tensor<1x3x3x1xf32>, tensor<1x2x2x1xf32>, tensor<1xf32>) -> tensor<*xf32>
      return %y : tensor<*xf32>
    })",
               {image3x3(), filter2x2(), Tensor({1}, AlignedFloats{10})},
               Tensor({1, 2, 2, 1}, {47, 57, 77, 87}));
}

TEST_F(ExecutionTest, ConvStride2PaddedAfter) {
  // Stride 2 with one zero row/column after: windows at (0,0), (0,2), (2,0),
  // (2,2): 37; 3*1+6*3 = 21; 7*1+8*2 = 23; 9*1 = 9.
  expectOutput(R"(
    func.func @net(%x: tensor<1x3x3x1xf32>, %w: tensor<1x2x2x1xf32>) -> tensor<*xf32> {
      %y = cnn.conv2d %x, %w stride [2] padding [0, 1, 0, 1] : (tensor<1x3x3x1xf32>, tensor<1x2x2x1xf32>) -> tensor<*xf32>
      return %y : tensor<*xf32>
    })",
               {image3x3(), filter2x2()},
               Tensor({1, 2, 2, 1}, {37, 21, 23, 9}));
}

TEST_F(ExecutionTest, ConvCeilRoundingPadsWithZeros) {
  // (3 - 2)/2 + 1 = 1.5: ceil keeps a partial window, the overhang reads as
  // zeros: the same outputs as the explicitly padded case above.
  expectOutput(R"(
    func.func @net(%x: tensor<1x3x3x1xf32>, %w: tensor<1x2x2x1xf32>) -> tensor<*xf32> {
      %y = cnn.conv2d %x, %w stride [2] rounding ceil : (tensor<1x3x3x1xf32>, tensor<1x2x2x1xf32>) -> tensor<*xf32>
      return %y : tensor<*xf32>
    })",
               {image3x3(), filter2x2()},
               Tensor({1, 2, 2, 1}, {37, 21, 23, 9}));
}

TEST_F(ExecutionTest, ConvPadding1) {
  // Padding 1 on every side gives 4x4; e.g. the corner 0*1+0*2+0*3+1*4 = 4
  // and the last 9*1 = 9. The sum is 450 = (1+..+9) * (1+2+3+4).
  expectOutput(R"(
    func.func @net(%x: tensor<1x3x3x1xf32>, %w: tensor<1x2x2x1xf32>) -> tensor<*xf32> {
      %y = cnn.conv2d %x, %w padding [1] : (tensor<1x3x3x1xf32>, tensor<1x2x2x1xf32>) -> tensor<*xf32>
      return %y : tensor<*xf32>
    })",
               {image3x3(), filter2x2()},
               Tensor({1, 4, 4, 1}, {4, 11, 18, 9, 18, 37, 47, 21, 36, 67, 77,
                                     33, 14, 23, 26, 9}));
}

TEST_F(ExecutionTest, ConvRowsOfPaddingOnlyKeepTheBias) {
  // Padding 3 rows above and 2 below: the kernels skip the padding rows, so
  // output rows 0, 1 and 6 run no filter row at all and must hold the bias
  // alone; rows 2 and 5 run one filter row, rows 3 and 4 both.
  expectOutput(R"(
    func.func @net(%x: tensor<1x3x3x1xf32>, %w: tensor<1x2x2x1xf32>, %b: tensor<1xf32>) -> tensor<*xf32> {
      %y = cnn.conv2d %x, %w, %b padding [3, 2, 0, 0] : (tensor<1x3x3x1xf32>, tensor<1x2x2x1xf32>, tensor<1xf32>) -> tensor<*xf32>
      return %y : tensor<*xf32>
    })",
               {image3x3(), filter2x2(), Tensor({1}, AlignedFloats{10})},
               Tensor({1, 7, 2, 1}, {10, 10, 10, 10, 21, 28, 47, 57, 77, 87, 33,
                                     36, 10, 10}));
}

TEST_F(ExecutionTest, MaxPoolIgnoresPadding) {
  // -1..-9, window 3, stride 2, padding 1: padding never wins the maximum.
  // Windows: rows/cols {-1..1}x{-1..1} -> max(-1,-2,-4,-5) = -1; (0, 2) ->
  // max(-2,-3,-5,-6) = -2; (2, 0) -> -4; (2, 2) -> -5.
  expectOutput(R"(
    func.func @net(%x: tensor<1x3x3x1xf32>) -> tensor<*xf32> {
      %y = cnn.max_pool2d %x window [3] stride [2] padding [1] : (tensor<1x3x3x1xf32>) -> tensor<*xf32>
      return %y : tensor<*xf32>
    })",
               {Tensor({1, 3, 3, 1}, {-1, -2, -3, -4, -5, -6, -7, -8, -9})},
               Tensor({1, 2, 2, 1}, {-1, -2, -4, -5}));
}

TEST_F(ExecutionTest, AvgPoolDivisorExcludesPadding) {
  // Same windows over 1..9: (1+2+4+5)/4 = 3, (2+3+5+6)/4 = 4,
  // (4+5+7+8)/4 = 6, (5+6+8+9)/4 = 7.
  expectOutput(R"(
    func.func @net(%x: tensor<1x3x3x1xf32>) -> tensor<*xf32> {
      %y = cnn.avg_pool2d %x window [3] stride [2] padding [1] : (tensor<1x3x3x1xf32>) -> tensor<*xf32>
      return %y : tensor<*xf32>
    })",
               {image3x3()}, Tensor({1, 2, 2, 1}, {3, 4, 6, 7}));
}

TEST_F(ExecutionTest, AvgPoolCountIncludePad) {
  // The same sums divided by the 9 elements of the padded window.
  expectOutput(
      R"(
    func.func @net(%x: tensor<1x3x3x1xf32>) -> tensor<*xf32> {
      %y = cnn.avg_pool2d %x window [3] stride [2] padding [1] count_include_pad : (tensor<1x3x3x1xf32>) -> tensor<*xf32>
      return %y : tensor<*xf32>
    })",
      {image3x3()},
      Tensor({1, 2, 2, 1}, {12.0f / 9, 16.0f / 9, 24.0f / 9, 28.0f / 9}));
}

TEST_F(ExecutionTest, AvgPoolCeilOverhangIsNotCounted) {
  // Window 2, stride 2 over 3x3 with ceil: windows {1,2,4,5} -> 3,
  // {3,6} -> 4.5, {7,8} -> 7.5, {9} -> 9.
  expectOutput(R"(
    func.func @net(%x: tensor<1x3x3x1xf32>) -> tensor<*xf32> {
      %y = cnn.avg_pool2d %x window [2] stride [2] rounding ceil : (tensor<1x3x3x1xf32>) -> tensor<*xf32>
      return %y : tensor<*xf32>
    })",
               {image3x3()}, Tensor({1, 2, 2, 1}, {3, 4.5, 7.5, 9}));
}

TEST_F(ExecutionTest, DenseReluSoftmax) {
  // dense: [1, 2] . [1, 1] + 0 = 3, [1, 2] . [-1, 0] + 0 = -1 -> relu 3, 0
  // -> softmax(3, 0) = e^3/(e^3+1) = 0.952574, 1/(e^3+1) = 0.047426.
  expectOutput(R"(
    func.func @net(%x: tensor<1x2xf32>, %w: tensor<2x2xf32>, %b: tensor<2xf32>) -> tensor<*xf32> {
      %d = cnn.dense %x, %w, %b : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<*xf32>
      %r = cnn.relu %d : (tensor<*xf32>) -> tensor<*xf32>
      %y = cnn.softmax %r : (tensor<*xf32>) -> tensor<*xf32>
      return %y : tensor<*xf32>
    })",
               {Tensor({1, 2}, {1, 2}), Tensor({2, 2}, {1, 1, -1, 0}),
                Tensor({2}, {0, 0})},
               Tensor({1, 2}, {0.952574127f, 0.047425873f}));
}

TEST_F(ExecutionTest, FlattenIsRowMajorNhwc) {
  // A 1x2x2x2 volume flattens in (y, x, c) order.
  expectOutput(R"(
    func.func @net(%x: tensor<1x2x2x2xf32>) -> tensor<*xf32> {
      %y = cnn.flatten %x : (tensor<1x2x2x2xf32>) -> tensor<*xf32>
      return %y : tensor<*xf32>
    })",
               {Tensor({1, 2, 2, 2}, {0, 1, 10, 11, 100, 101, 110, 111})},
               Tensor({1, 8}, {0, 1, 10, 11, 100, 101, 110, 111}));
}

TEST_F(ExecutionTest, LocallyConnectedUsesOneFilterPerPosition) {
  // 2x2 input [[1, 2], [3, 4]], 1x1 filters 1, 2, 3, 4 per position and
  // biases 0, 1, 2, 3: 1*1+0, 2*2+1, 3*3+2, 4*4+3 = 1, 5, 11, 19.
  expectOutput(R"(
    func.func @net(%x: tensor<1x2x2x1xf32>, %w: tensor<2x2x1x1x1x1xf32>, %b: tensor<2x2x1xf32>) -> tensor<*xf32> {
      %y = cnn.locally_connected2d %x, %w, %b : (tensor<1x2x2x1xf32>, tensor<2x2x1x1x1x1xf32>, tensor<2x2x1xf32>) -> tensor<*xf32>
      return %y : tensor<*xf32>
    })",
               {Tensor({1, 2, 2, 1}, {1, 2, 3, 4}),
                Tensor({2, 2, 1, 1, 1, 1}, {1, 2, 3, 4}),
                Tensor({2, 2, 1}, {0, 1, 2, 3})},
               Tensor({1, 2, 2, 1}, {1, 5, 11, 19}));
}

TEST_F(ExecutionTest, TransposeNchwToNhwc) {
  // A 1x2x2x3 NCHW tensor (channel c holds 100c + 10y + x) becomes NHWC:
  // each pixel's three channels contiguous.
  expectOutput(R"(
    func.func @net(%x: tensor<1x3x2x2xf32>) -> tensor<*xf32> {
      %y = cnn.transpose %x perm [0, 2, 3, 1] : (tensor<1x3x2x2xf32>) -> tensor<*xf32>
      return %y : tensor<*xf32>
    })",
               {Tensor({1, 3, 2, 2},
                       {0, 1, 10, 11, 100, 101, 110, 111, 200, 201, 210, 211})},
               Tensor({1, 2, 2, 3},
                      {0, 100, 200, 1, 101, 201, 10, 110, 210, 11, 111, 211}));
}

TEST_F(ExecutionTest, ReshapeKeepsRowMajorOrder) {
  // 2x3 -> 3x2 -> 6: the elements in the same order throughout; a relu in
  // between keeps the reshapes from folding into one.
  expectOutput(R"(
    func.func @net(%x: tensor<2x3xf32>) -> tensor<*xf32> {
      %a = cnn.reshape %x shape [3, 2] : (tensor<2x3xf32>) -> tensor<*xf32>
      %r = cnn.relu %a : (tensor<*xf32>) -> tensor<*xf32>
      %y = cnn.reshape %r shape [6] : (tensor<*xf32>) -> tensor<*xf32>
      return %y : tensor<*xf32>
    })",
               {Tensor({2, 3}, {1, -2, 3, -4, 5, -6})},
               Tensor({6}, {1, 0, 3, 0, 5, 0}));
}

//===----------------------------------------------------------------------===//
// Randomized sweeps: 600 configurations in all
//===----------------------------------------------------------------------===//

TEST_F(ExecutionTest, RandomConv2D) { sweep("conv2d", 120, 1, randomConv2D); }

TEST_F(ExecutionTest, RandomWideConv2D) {
  sweep("wide conv2d", 40, 13, randomWideConv2D);
}

TEST_F(ExecutionTest, RandomBlockedFilterConv2D) {
  sweep("conv2d, blocked filter", 40, 10, randomBlockedFilterConv2D);
}

TEST_F(ExecutionTest, RandomConstantFilterConv2D) {
  sweep("conv2d, constant filter", 40, 11, randomConstantFilterConv2D);
}

TEST_F(ExecutionTest, RandomMaxPool) {
  sweep("max_pool2d", 40, 2,
        [](std::mt19937_64 &rng) { return randomPool(rng, /*isMax=*/true); });
}

TEST_F(ExecutionTest, RandomAvgPool) {
  sweep("avg_pool2d", 40, 3,
        [](std::mt19937_64 &rng) { return randomPool(rng, /*isMax=*/false); });
}

TEST_F(ExecutionTest, RandomLocallyConnected) {
  sweep("locally_connected2d", 30, 4, randomLocallyConnected);
}

TEST_F(ExecutionTest, RandomClassifier) {
  sweep("classifier", 50, 5, randomClassifier);
}

TEST_F(ExecutionTest, RandomLongDense) {
  sweep("long dense", 30, 12, randomLongDense);
}

TEST_F(ExecutionTest, RandomSmallNetwork) {
  sweep("network", 30, 6, randomSmallNetwork);
}

TEST_F(ExecutionTest, RandomLayoutChange) {
  sweep("layout change", 40, 10, randomLayoutChange);
}

// The same families compiled for two threads: the tile loops run in
// parallel (OpenMP), every thread writing its own part of the outputs.
TEST_F(ExecutionTest, RandomConv2DTwoThreads) {
  sweep("conv2d, 2 threads", 40, 7, randomConv2D, /*threads=*/2);
}

TEST_F(ExecutionTest, RandomWideConv2DTwoThreads) {
  sweep("wide conv2d, 2 threads", 20, 14, randomWideConv2D, /*threads=*/2);
}

TEST_F(ExecutionTest, RandomPoolTwoThreads) {
  sweep(
      "pool2d, 2 threads", 20, 8,
      [](std::mt19937_64 &rng) { return randomPool(rng, rng() % 2 == 0); },
      /*threads=*/2);
}

TEST_F(ExecutionTest, RandomSmallNetworkTwoThreads) {
  sweep("network, 2 threads", 20, 9, randomSmallNetwork, /*threads=*/2);
}

} // namespace
