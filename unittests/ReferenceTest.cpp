//===- ReferenceTest.cpp - The reference kernels and evaluator ------------===//
//
// The oracle must itself be right, so every kernel is checked on small cases
// whose outputs were computed by hand (the arithmetic is in the comments),
// then on random shapes against identities that relate the ops to each
// other, and the evaluator against direct calls of the kernels.
//
//===----------------------------------------------------------------------===//

#include "ConvForge/Reference/Reference.h"
#include "ConvForge/Reference/Evaluator.h"

#include "ConvForge/Dialect/Cnn/IR/CnnDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include "gtest/gtest.h"

#include <cmath>
#include <random>
#include <string>

using namespace convforge;
using namespace convforge::reference;

namespace {

/// The tensor of a kernel that must succeed (a failure is reported and
/// gives an empty tensor, which the comparisons then reject).
Tensor unwrap(llvm::Expected<Tensor> result) {
  if (!result) {
    ADD_FAILURE() << llvm::toString(result.takeError());
    return Tensor();
  }
  return std::move(*result);
}

/// The message of a kernel that must fail.
std::string errorOf(llvm::Expected<Tensor> result) {
  if (result)
    return "(no error)";
  return llvm::toString(result.takeError());
}

/// Expects `actual` to be a tensor of `shape` whose elements are within
/// `tolerance` of `expected`.
void expectTensor(const Tensor &actual, llvm::ArrayRef<int64_t> shape,
                  llvm::ArrayRef<float> expected, float tolerance = 1e-6f) {
  ASSERT_EQ(formatShape(actual.shape), formatShape(shape));
  ASSERT_EQ(actual.data.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i)
    EXPECT_NEAR(actual.data[i], expected[i], tolerance) << "element " << i;
}

/// Expects two tensors to be equal up to `tolerance`.
void expectSame(const Tensor &actual, const Tensor &expected,
                float tolerance = 0.0f) {
  expectTensor(actual, expected.shape, expected.data, tolerance);
}

/// Window parameters with the same stride and padding on both axes.
WindowParams makeParams(int64_t stride, int64_t padding = 0,
                        RoundingMode rounding = RoundingMode::Exact) {
  WindowParams params;
  for (unsigned axis = 0; axis < 2; ++axis) {
    params.stride[axis] = stride;
    params.padBefore[axis] = params.padAfter[axis] = padding;
  }
  params.rounding = rounding;
  return params;
}

/// The 3×3 single-channel image
///   1 2 3
///   4 5 6
///   7 8 9
Tensor image3x3() {
  return Tensor({1, 3, 3, 1}, AlignedFloats{1, 2, 3, 4, 5, 6, 7, 8, 9});
}

/// The 2×2 filter [[1, 2], [3, 4]] (K = C = 1).
Tensor filter2x2() { return Tensor({1, 2, 2, 1}, AlignedFloats{1, 2, 3, 4}); }

Tensor randomTensor(llvm::ArrayRef<int64_t> shape, std::mt19937_64 &rng) {
  std::uniform_real_distribution<float> value(-1.0f, 1.0f);
  Tensor tensor(shape);
  for (float &element : tensor.data)
    element = value(rng);
  return tensor;
}

//===----------------------------------------------------------------------===//
// Tensor
//===----------------------------------------------------------------------===//

TEST(ReferenceTensor, RowMajorIndex) {
  Tensor tensor({2, 3, 4});
  // (1, 2, 3) -> (1*3 + 2)*4 + 3 = 23, the last element.
  EXPECT_EQ(tensor.index({1, 2, 3}), 23);
  EXPECT_EQ(tensor.index({0, 1, 0}), 4);
  EXPECT_EQ(tensor.numElements(), 24);
  EXPECT_TRUE(tensor.isWellFormed());
  EXPECT_FALSE(Tensor({2, 2}, AlignedFloats{1, 2, 3}).isWellFormed());
  EXPECT_EQ(formatShape(tensor.shape), "2x3x4");
}

TEST(ReferenceTensor, DataStartsOnACacheLine) {
  // Small tensors come from malloc's heap, large ones (12.8 MB: VGG's
  // first activations) from mmap, which malloc offsets by its 16-byte header.
  for (int64_t elements : {1, 7, 16, 1000, 3'211'264}) {
    Tensor tensor({elements}, 1.0f);
    EXPECT_EQ(
        reinterpret_cast<uintptr_t>(tensor.data.data()) % kBufferAlignment, 0u)
        << elements << " elements";
    Tensor copy = tensor;
    EXPECT_EQ(reinterpret_cast<uintptr_t>(copy.data.data()) % kBufferAlignment,
              0u);
    EXPECT_EQ(copy.data, tensor.data);
  }
  EXPECT_EQ(kBufferAlignment, 64u);
}

//===----------------------------------------------------------------------===//
// Convolutions
//===----------------------------------------------------------------------===//

TEST(ReferenceConv2d, Stride1) {
  // out[y][x] = Σ_ij in[y+i][x+j] * w[i][j]:
  //   (0,0): 1*1 + 2*2 + 4*3 + 5*4 = 37    (0,1): 2 + 6 + 15 + 24 = 47
  //   (1,0): 4 + 10 + 21 + 32 = 67         (1,1): 5 + 12 + 24 + 36 = 77
  expectTensor(unwrap(conv2d(image3x3(), filter2x2(), nullptr, makeParams(1))),
               {1, 2, 2, 1}, {37, 47, 67, 77});
}

TEST(ReferenceConv2d, Bias) {
  // The stride-1 sums plus 10.
  Tensor bias({1}, AlignedFloats{10});
  expectTensor(unwrap(conv2d(image3x3(), filter2x2(), &bias, makeParams(1))),
               {1, 2, 2, 1}, {47, 57, 77, 87});
}

TEST(ReferenceConv2d, Stride2) {
  // (3 - 2)/2 + 1 = 1.5: not exact.
  EXPECT_NE(errorOf(conv2d(image3x3(), filter2x2(), nullptr, makeParams(2)))
                .find("(3 - 2 + 2*0)/2 + 1 = 1.5 is not an integer"),
            std::string::npos);
  // floor keeps the one window that fits: 37.
  expectTensor(unwrap(conv2d(image3x3(), filter2x2(), nullptr,
                             makeParams(2, 0, RoundingMode::Floor))),
               {1, 1, 1, 1}, {37});
  // Padding bottom and right by 1: (3 - 2 + 0 + 1)/2 + 1 = 2; windows start
  // at rows/cols 0 and 2, and row/col 3 is zero padding:
  //   (0,0): 37
  //   (0,1): in[0][2]*1 + 0*2 + in[1][2]*3 + 0*4 = 3 + 18 = 21
  //   (1,0): in[2][0]*1 + in[2][1]*2 + 0 + 0 = 7 + 16 = 23
  //   (1,1): in[2][2]*1 = 9
  WindowParams padded = makeParams(2);
  padded.padAfter[0] = padded.padAfter[1] = 1;
  expectTensor(unwrap(conv2d(image3x3(), filter2x2(), nullptr, padded)),
               {1, 2, 2, 1}, {37, 21, 23, 9});
  // ceil without padding keeps the partial window, whose overhang reads as
  // zeros: the same output.
  expectTensor(unwrap(conv2d(image3x3(), filter2x2(), nullptr,
                             makeParams(2, 0, RoundingMode::Ceil))),
               {1, 2, 2, 1}, {37, 21, 23, 9});
}

TEST(ReferenceConv2d, Padding1) {
  // (3 - 2 + 2)/1 + 1 = 4; out[y][x] = Σ_ij in[y+i-1][x+j-1] * w[i][j]:
  //   y=0 (only filter row 1 on image row 0):
  //     1*4 = 4;  1*3 + 2*4 = 11;  2*3 + 3*4 = 18;  3*3 = 9
  //   y=1: 1*2 + 4*4 = 18;  37;  47;  3*1 + 6*3 = 21
  //   y=2: 4*2 + 7*4 = 36;  67;  77;  6*1 + 9*3 = 33
  //   y=3 (only filter row 0 on image row 2):
  //     7*2 = 14;  7*1 + 8*2 = 23;  8*1 + 9*2 = 26;  9*1 = 9
  // Check: the sum, 450, is (Σ in)(Σ w) = 45 * 10 as every product appears
  // once with full padding.
  expectTensor(
      unwrap(conv2d(image3x3(), filter2x2(), nullptr, makeParams(1, 1))),
      {1, 4, 4, 1},
      {4, 11, 18, 9, 18, 37, 47, 21, 36, 67, 77, 33, 14, 23, 26, 9});
}

TEST(ReferenceConv2d, TwoChannelsTwoFilters) {
  // Input 1×2×3×2, in[y][x] = (c0, c1):
  //   (1, 2)  (3, 4)   (5, 6)
  //   (7, 8)  (9, 10)  (11, 12)
  Tensor input({1, 2, 3, 2},
               AlignedFloats{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  // Filter 0 sums channel 0 of the window; filter 1 takes c0 - c1 at tap
  // (0,0) and 2*c1 at tap (1,1). Layout K×FH×FW×C.
  Tensor filter({2, 2, 2, 2}, AlignedFloats{1, 0, 1, 0, 1, 0, 1, 0, //
                                            1, -1, 0, 0, 0, 0, 0, 2});
  Tensor bias({2}, AlignedFloats{0.5f, -1});
  // x=0 (cols 0,1): k0: 1 + 3 + 7 + 9 + 0.5 = 20.5;
  //                 k1: (1 - 2) + 2*10 - 1 = 18
  // x=1 (cols 1,2): k0: 3 + 5 + 9 + 11 + 0.5 = 28.5;
  //                 k1: (3 - 4) + 2*12 - 1 = 22
  expectTensor(unwrap(conv2d(input, filter, &bias, makeParams(1))),
               {1, 1, 2, 2}, {20.5f, 18, 28.5f, 22});
}

TEST(ReferenceConv2d, RejectsMismatchedOperands) {
  Tensor filter({1, 2, 2, 2});
  EXPECT_NE(errorOf(conv2d(image3x3(), filter, nullptr, makeParams(1)))
                .find("filter depth 2 does not match input depth 1"),
            std::string::npos);
  Tensor bias({3});
  EXPECT_NE(errorOf(conv2d(image3x3(), filter2x2(), &bias, makeParams(1)))
                .find("bias has 3 values but there are 1 filters"),
            std::string::npos);
}

TEST(ReferenceLocallyConnected2d, OwnFilterPerPosition) {
  // 2×2 filters on the 3×3 image, one per output position (K = 1):
  //   (0,0): [[1,0],[0,0]] picks in[0][0] = 1
  //   (0,1): [[0,1],[0,0]] picks in[0][2] = 3
  //   (1,0): [[0,0],[1,0]] picks in[2][0] = 7
  //   (1,1): [[1,1],[1,1]] sums 5 + 6 + 8 + 9 = 28
  // plus biases 0, 10, 20, 30: 1, 13, 27, 58.
  Tensor filter({2, 2, 1, 2, 2, 1}, AlignedFloats{1, 0, 0, 0, 0, 1, 0, 0, //
                                                  0, 0, 1, 0, 1, 1, 1, 1});
  Tensor bias({2, 2, 1}, AlignedFloats{0, 10, 20, 30});
  expectTensor(
      unwrap(locallyConnected2d(image3x3(), filter, &bias, makeParams(1))),
      {1, 2, 2, 1}, {1, 13, 27, 58});
}

TEST(ReferenceLocallyConnected2d, RejectsWrongNumberOfPositions) {
  Tensor filter({3, 2, 1, 2, 2, 1});
  EXPECT_NE(
      errorOf(locallyConnected2d(image3x3(), filter, nullptr, makeParams(1)))
          .find("filter has 3x2 output positions but the output is 2x2"),
      std::string::npos);
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

TEST(ReferenceMaxPool2d, PaddingActsAsMinusInfinity) {
  // Window 3, stride 2, padding 1: (3 - 3 + 2)/2 + 1 = 2; windows cover
  // rows/cols -1..1 and 1..3, i.e. the 2×2 corners of
  //   -1 -2 -3
  //   -4 -5 -6
  //   -7 -8 -9
  // Maxima -1, -2, -4, -5 (zero padding would give 0 everywhere).
  Tensor input({1, 3, 3, 1}, AlignedFloats{-1, -2, -3, -4, -5, -6, -7, -8, -9});
  expectTensor(unwrap(maxPool2d(input, 3, 3, makeParams(2, 1))), {1, 2, 2, 1},
               {-1, -2, -4, -5});
}

TEST(ReferenceMaxPool2d, RejectsPaddingAsLargeAsTheWindow) {
  EXPECT_NE(errorOf(maxPool2d(image3x3(), 2, 2, makeParams(1, 2)))
                .find("not smaller than the window"),
            std::string::npos);
}

TEST(ReferenceAvgPool2d, PaddingAndCountIncludePad) {
  // Window 3, stride 2, padding 1 on the 1..9 image: each window covers a
  // 2×2 corner of the input and 5 padded positions.
  //   sums: 1+2+4+5 = 12, 2+3+5+6 = 16, 4+5+7+8 = 24, 5+6+8+9 = 28
  // Default: divided by the 4 input elements: 3, 4, 6, 7.
  expectTensor(unwrap(avgPool2d(image3x3(), 3, 3, makeParams(2, 1),
                                /*countIncludePad=*/false)),
               {1, 2, 2, 1}, {3, 4, 6, 7});
  // count_include_pad: divided by all 9 (inside the padded 5×5 input):
  // 12/9, 16/9, 24/9, 28/9.
  expectTensor(unwrap(avgPool2d(image3x3(), 3, 3, makeParams(2, 1),
                                /*countIncludePad=*/true)),
               {1, 2, 2, 1}, {12.0f / 9, 16.0f / 9, 24.0f / 9, 28.0f / 9});
}

TEST(ReferenceAvgPool2d, CeilOverhangIsNotCounted) {
  // Window 2, stride 2, ceil, no padding: (3 - 2)/2 = 0.5 -> 2 windows per
  // axis; the second covers index 2 and the overhang index 3.
  //   (0,0): (1+2+4+5)/4 = 3   (0,1): (3+6)/2 = 4.5
  //   (1,0): (7+8)/2 = 7.5     (1,1): 9/1 = 9
  // With no explicit padding count_include_pad changes nothing.
  for (bool countIncludePad : {false, true})
    expectTensor(
        unwrap(avgPool2d(image3x3(), 2, 2, makeParams(2, 0, RoundingMode::Ceil),
                         countIncludePad)),
        {1, 2, 2, 1}, {3, 4.5f, 7.5f, 9});
}

/// A 4×1 column with window [3, 1], stride [2, 1], padding top 1, bottom 1
/// and ceil rounding: (4 - 3 + 2)/2 = 1.5 -> 3 windows, covering rows
/// -1..1, 1..3 and 3..5, where row -1 and 4 are explicit padding and row 5
/// is the ceil overhang.
WindowParams columnCeilParams() {
  WindowParams params = makeParams(1, 0, RoundingMode::Ceil);
  params.stride[0] = 2;
  params.padBefore[0] = params.padAfter[0] = 1;
  return params;
}

TEST(ReferenceAvgPool2d, CeilOverhangWithExplicitPadding) {
  Tensor column({1, 4, 1, 1}, AlignedFloats{1, 2, 3, 4});
  // Default divisor, elements inside the input:
  //   rows 0,1: (1+2)/2 = 1.5;  rows 1..3: (2+3+4)/3 = 3;  row 3: 4/1 = 4
  expectTensor(unwrap(avgPool2d(column, 3, 1, columnCeilParams(),
                                /*countIncludePad=*/false)),
               {1, 3, 1, 1}, {1.5f, 3, 4});
  // count_include_pad counts rows -1..4 but never the overhang row 5:
  //   rows -1..1: 3/3 = 1;  rows 1..3: 9/3 = 3;  rows 3,4: 4/2 = 2
  // (counting the overhang would give 4/3 for the last window).
  expectTensor(unwrap(avgPool2d(column, 3, 1, columnCeilParams(),
                                /*countIncludePad=*/true)),
               {1, 3, 1, 1}, {1, 3, 2});
}

TEST(ReferenceMaxPool2d, CeilOverhangIsIgnored) {
  // The column -1, -2, -3, -4 with the windows above: max(-1, -2) = -1,
  // max(-2, -3, -4) = -2, and the last window sees only -4 (not the 0 of
  // padding or overhang).
  Tensor column({1, 4, 1, 1}, AlignedFloats{-1, -2, -3, -4});
  expectTensor(unwrap(maxPool2d(column, 3, 1, columnCeilParams())),
               {1, 3, 1, 1}, {-1, -2, -4});
}

//===----------------------------------------------------------------------===//
// Elementwise, dense, flatten
//===----------------------------------------------------------------------===//

TEST(ReferenceRelu, ClampsNegatives) {
  Tensor input({1, 5}, AlignedFloats{-2, -0.5f, 0, 0.5f, 3});
  expectTensor(unwrap(relu(input)), {1, 5}, {0, 0, 0, 0.5f, 3});
}

TEST(ReferenceDense, WithBias) {
  // input [[1, 2, 3], [4, 5, 6]], weights [[1, 0, -1], [0.5, 0.5, 0.5]],
  // bias [1, -1]:
  //   n=0: 1 - 3 + 1 = -1;  0.5*(1+2+3) - 1 = 2
  //   n=1: 4 - 6 + 1 = -1;  0.5*(4+5+6) - 1 = 6.5
  Tensor input({2, 3}, AlignedFloats{1, 2, 3, 4, 5, 6});
  Tensor weights({2, 3}, AlignedFloats{1, 0, -1, 0.5f, 0.5f, 0.5f});
  Tensor bias({2}, AlignedFloats{1, -1});
  expectTensor(unwrap(dense(input, weights, &bias)), {2, 2}, {-1, 2, -1, 6.5f});
  EXPECT_NE(errorOf(dense(input, Tensor({2, 4}), nullptr))
                .find("weights take 4 input features but the input has 3"),
            std::string::npos);
}

TEST(ReferenceFlatten, NhwcRowMajorOrder) {
  // in[n][y][x][c] = 1000n + 100y + 10x + c on a 2×2×2×3 volume; feature
  // (y·W + x)·D + c of sample n must hold it.
  Tensor input({2, 2, 2, 3});
  for (int64_t n = 0; n < 2; ++n)
    for (int64_t y = 0; y < 2; ++y)
      for (int64_t x = 0; x < 2; ++x)
        for (int64_t c = 0; c < 3; ++c)
          input.at({n, y, x, c}) = 1000 * n + 100 * y + 10 * x + c;
  Tensor output = unwrap(flatten(input));
  ASSERT_EQ(formatShape(output.shape), "2x12");
  EXPECT_EQ(output.at({0, 1}), 1);    // y0 x0 c1
  EXPECT_EQ(output.at({0, 3}), 10);   // (0·2 + 1)·3 + 0: y0 x1 c0
  EXPECT_EQ(output.at({0, 6}), 100);  // (1·2 + 0)·3 + 0: y1 x0 c0
  EXPECT_EQ(output.at({0, 11}), 112); // (1·2 + 1)·3 + 2: y1 x1 c2
  EXPECT_EQ(output.at({1, 8}), 1102); // (1·2 + 0)·3 + 2: y1 x0 c2
}

TEST(ReferenceSoftmax, LastAxis) {
  // [1, 2, 3]: exp(-2), exp(-1), 1 = 0.1353353, 0.3678794, 1, sum 1.5032147
  // -> 0.0900306, 0.2447285, 0.6652410.
  // [0, ln 3]: 1/(1+3), 3/(1+3) = 0.25, 0.75.
  Tensor input({2, 3}, AlignedFloats{1, 2, 3, 0, std::log(3.0f), 0});
  // Second row with a third element 0: 1, 3, 1 over 5 -> 0.2, 0.6, 0.2.
  expectTensor(unwrap(softmax(input)), {2, 3},
               {0.0900306f, 0.2447285f, 0.6652410f, 0.2f, 0.6f, 0.2f});
  Tensor pair({1, 2}, AlignedFloats{0, std::log(3.0f)});
  expectTensor(unwrap(softmax(pair)), {1, 2}, {0.25f, 0.75f});
}

TEST(ReferenceSoftmax, LargeInputsDoNotOverflow) {
  // exp(1000) overflows even in double; after subtracting the maximum the
  // row is [-2, -1, 0]: the same as for [1, 2, 3]. Equal large values share
  // the mass equally.
  Tensor input({2, 3}, AlignedFloats{1000, 1001, 1002, 3e38f, 3e38f, -3e38f});
  expectTensor(unwrap(softmax(input)), {2, 3},
               {0.0900306f, 0.2447285f, 0.6652410f, 0.5f, 0.5f, 0});
}

TEST(ReferenceTranspose, NchwToNhwc) {
  // in[n][c][y][x] = 1000n + 100c + 10y + x on a 2×3×2×2 tensor; perm
  // [0, 2, 3, 1] puts it at out[n][y][x][c].
  Tensor input({2, 3, 2, 2});
  for (int64_t n = 0; n < 2; ++n)
    for (int64_t c = 0; c < 3; ++c)
      for (int64_t y = 0; y < 2; ++y)
        for (int64_t x = 0; x < 2; ++x)
          input.at({n, c, y, x}) = 1000 * n + 100 * c + 10 * y + x;
  Tensor output = unwrap(transpose(input, {0, 2, 3, 1}));
  ASSERT_EQ(formatShape(output.shape), "2x2x2x3");
  for (int64_t n = 0; n < 2; ++n)
    for (int64_t y = 0; y < 2; ++y)
      for (int64_t x = 0; x < 2; ++x)
        for (int64_t c = 0; c < 3; ++c)
          EXPECT_EQ(output.at({n, y, x, c}), 1000 * n + 100 * c + 10 * y + x);
}

TEST(ReferenceTranspose, InverseRestoresAndRejectsNonPermutations) {
  // 2x3 [[0, 1, 2], [3, 4, 5]] transposed is [[0, 3], [1, 4], [2, 5]].
  Tensor input({2, 3}, AlignedFloats{0, 1, 2, 3, 4, 5});
  Tensor transposed = unwrap(transpose(input, {1, 0}));
  expectTensor(transposed, {3, 2}, {0, 3, 1, 4, 2, 5});
  expectTensor(unwrap(transpose(transposed, {1, 0})), {2, 3},
               {0, 1, 2, 3, 4, 5});
  EXPECT_NE(errorOf(transpose(input, {0, 0})).find("not a permutation"),
            std::string::npos);
  EXPECT_NE(errorOf(transpose(input, {0})).find("has 1 values"),
            std::string::npos);
}

TEST(ReferenceReshape, KeepsTheElementsAndChecksTheirCount) {
  Tensor input({2, 3}, AlignedFloats{0, 1, 2, 3, 4, 5});
  expectTensor(unwrap(reshape(input, {3, 1, 2})), {3, 1, 2},
               {0, 1, 2, 3, 4, 5});
  EXPECT_NE(errorOf(reshape(input, {4, 2})).find("element count"),
            std::string::npos);
}

//===----------------------------------------------------------------------===//
// Properties on random shapes
//===----------------------------------------------------------------------===//

TEST(ReferenceProperties, Conv1x1IsDensePerPixel) {
  std::mt19937_64 rng(1);
  std::uniform_int_distribution<int64_t> size(1, 5);
  for (int trial = 0; trial < 50; ++trial) {
    int64_t batch = size(rng), height = size(rng), width = size(rng),
            depth = size(rng), filters = size(rng);
    Tensor input = randomTensor({batch, height, width, depth}, rng);
    Tensor filter = randomTensor({filters, 1, 1, depth}, rng);
    Tensor bias = randomTensor({filters}, rng);
    Tensor conv = unwrap(conv2d(input, filter, &bias, makeParams(1)));
    // The same data seen as N·H·W pixels of D features, and the filter as
    // K rows of D weights.
    Tensor pixels({batch * height * width, depth}, input.data);
    Tensor weights({filters, depth}, filter.data);
    Tensor perPixel = unwrap(dense(pixels, weights, &bias));
    expectTensor(conv, {batch, height, width, filters}, perPixel.data, 1e-6f);
  }
}

TEST(ReferenceProperties, ReplicatedLocallyConnectedIsConv) {
  std::mt19937_64 rng(2);
  std::uniform_int_distribution<int64_t> size(1, 7), small(1, 3), pad(0, 2),
      coin(0, 1);
  for (int trial = 0; trial < 100; ++trial) {
    int64_t batch = small(rng), height = size(rng), width = size(rng),
            depth = small(rng), filters = small(rng);
    WindowParams params;
    params.rounding = coin(rng) ? RoundingMode::Ceil : RoundingMode::Floor;
    int64_t window[2];
    for (unsigned axis = 0; axis < 2; ++axis) {
      params.stride[axis] = small(rng);
      params.padBefore[axis] = pad(rng);
      params.padAfter[axis] = pad(rng);
      int64_t padded = (axis == 0 ? height : width) + params.padBefore[axis] +
                       params.padAfter[axis];
      window[axis] = std::uniform_int_distribution<int64_t>(
          1, std::min<int64_t>(padded, 4))(rng);
    }
    Tensor input = randomTensor({batch, height, width, depth}, rng);
    Tensor filter = randomTensor({filters, window[0], window[1], depth}, rng);
    Tensor bias = randomTensor({filters}, rng);
    Tensor conv = unwrap(conv2d(input, filter, &bias, params));
    ASSERT_EQ(conv.rank(), 4);

    // Every output position gets a copy of the whole filter bank and bias.
    int64_t outHeight = conv.shape[1], outWidth = conv.shape[2];
    Tensor localFilter(
        {outHeight, outWidth, filters, window[0], window[1], depth});
    Tensor localBias({outHeight, outWidth, filters});
    int64_t bankSize = filter.numElements();
    for (int64_t position = 0; position < outHeight * outWidth; ++position) {
      std::copy(filter.data.begin(), filter.data.end(),
                localFilter.data.begin() + position * bankSize);
      std::copy(bias.data.begin(), bias.data.end(),
                localBias.data.begin() + position * filters);
    }
    expectSame(
        unwrap(locallyConnected2d(input, localFilter, &localBias, params)),
        conv);
  }
}

TEST(ReferenceProperties, AvgPoolOfOneIsIdentity) {
  std::mt19937_64 rng(3);
  std::uniform_int_distribution<int64_t> size(1, 6);
  for (int trial = 0; trial < 30; ++trial) {
    Tensor input =
        randomTensor({size(rng), size(rng), size(rng), size(rng)}, rng);
    for (bool countIncludePad : {false, true})
      expectSame(unwrap(avgPool2d(input, 1, 1, makeParams(1), countIncludePad)),
                 input);
  }
}

//===----------------------------------------------------------------------===//
// Evaluator
//===----------------------------------------------------------------------===//

/// A context that knows the dialects of a network and records diagnostics.
class ReferenceEvaluatorTest : public ::testing::Test {
protected:
  ReferenceEvaluatorTest()
      : handler(&context, [this](mlir::Diagnostic &diagnostic) {
          messages += diagnostic.str() + "\n";
          return mlir::success();
        }) {
    context.loadDialect<cnn::CnnDialect, mlir::arith::ArithDialect,
                        mlir::func::FuncDialect, mlir::tensor::TensorDialect>();
  }

  /// Parses `source` and returns its function @net (null on failure).
  mlir::func::FuncOp parse(llvm::StringRef source) {
    module = mlir::parseSourceString<mlir::ModuleOp>(source, &context);
    if (!module)
      return nullptr;
    return module->lookupSymbol<mlir::func::FuncOp>("net");
  }

  mlir::MLIRContext context;
  mlir::ScopedDiagnosticHandler handler;
  std::string messages;
  mlir::OwningOpRef<mlir::ModuleOp> module;
};

constexpr llvm::StringLiteral kNetwork = R"mlir(
func.func @net(%x: tensor<2x4x4x2xf32>, %w: tensor<3x3x3x2xf32>,
               %b: tensor<3xf32>, %dw: tensor<5x12xf32>,
               %db: tensor<5xf32>) -> tensor<2x5xf32> {
  %0 = cnn.conv2d %x, %w, %b padding [1] : (tensor<2x4x4x2xf32>,
      tensor<3x3x3x2xf32>, tensor<3xf32>) -> tensor<2x4x4x3xf32>
  %1 = cnn.relu %0 : (tensor<2x4x4x3xf32>) -> tensor<2x4x4x3xf32>
  %2 = cnn.max_pool2d %1 window [2] stride [2] :
      (tensor<2x4x4x3xf32>) -> tensor<2x2x2x3xf32>
  %3 = cnn.flatten %2 : (tensor<2x2x2x3xf32>) -> tensor<2x12xf32>
  %4 = cnn.dense %3, %dw, %db : (tensor<2x12xf32>, tensor<5x12xf32>,
      tensor<5xf32>) -> tensor<2x5xf32>
  %5 = cnn.softmax %4 : (tensor<2x5xf32>) -> tensor<2x5xf32>
  return %5 : tensor<2x5xf32>
}
)mlir";

TEST_F(ReferenceEvaluatorTest, NetworkMatchesDirectCalls) {
  mlir::func::FuncOp func = parse(kNetwork);
  ASSERT_TRUE(func) << messages;
  std::mt19937_64 rng(4);
  std::vector<Tensor> arguments = {
      randomTensor({2, 4, 4, 2}, rng), randomTensor({3, 3, 3, 2}, rng),
      randomTensor({3}, rng), randomTensor({5, 12}, rng),
      randomTensor({5}, rng)};
  mlir::FailureOr<std::vector<Tensor>> results =
      evaluateReference(func, arguments);
  ASSERT_TRUE(mlir::succeeded(results)) << messages;
  ASSERT_EQ(results->size(), 1u);

  Tensor conv = unwrap(
      conv2d(arguments[0], arguments[1], &arguments[2], makeParams(1, 1)));
  Tensor pooled = unwrap(maxPool2d(unwrap(relu(conv)), 2, 2, makeParams(2)));
  Tensor expected = unwrap(softmax(
      unwrap(dense(unwrap(flatten(pooled)), arguments[3], &arguments[4]))));
  expectSame(results->front(), expected);
}

TEST_F(ReferenceEvaluatorTest, ConstantsAndCasts) {
  // Weights may be constants; shape inference may leave tensor.casts.
  mlir::func::FuncOp func = parse(R"mlir(
func.func @net(%x: tensor<1x3xf32>) -> tensor<?x2xf32> {
  %w = arith.constant dense<[[1.0, 0.0, -1.0], [0.5, 0.5, 0.5]]> :
      tensor<2x3xf32>
  %b = arith.constant dense<1.0> : tensor<2xf32>
  %0 = cnn.dense %x, %w, %b : (tensor<1x3xf32>, tensor<2x3xf32>,
      tensor<2xf32>) -> tensor<1x2xf32>
  %1 = tensor.cast %0 : tensor<1x2xf32> to tensor<?x2xf32>
  return %1 : tensor<?x2xf32>
}
)mlir");
  ASSERT_TRUE(func) << messages;
  // [1, 2, 3]: 1 - 3 + 1 = -1;  0.5*6 + 1 = 4.
  mlir::FailureOr<std::vector<Tensor>> results =
      evaluateReference(func, {Tensor({1, 3}, AlignedFloats{1, 2, 3})});
  ASSERT_TRUE(mlir::succeeded(results)) << messages;
  expectTensor(results->front(), {1, 2}, {-1, 4});
}

TEST_F(ReferenceEvaluatorTest, RejectsMismatchedArguments) {
  mlir::func::FuncOp func = parse(kNetwork);
  ASSERT_TRUE(func) << messages;
  EXPECT_TRUE(mlir::failed(evaluateReference(func, {Tensor({1})})));
  EXPECT_NE(messages.find("expected 5 arguments, got 1"), std::string::npos)
      << messages;

  messages.clear();
  std::vector<Tensor> arguments = {Tensor({1, 4, 4, 2}), Tensor({3, 3, 3, 2}),
                                   Tensor({3}), Tensor({5, 12}), Tensor({5})};
  EXPECT_TRUE(mlir::failed(evaluateReference(func, arguments)));
  EXPECT_NE(messages.find("argument #0 has shape 1x4x4x2 but the function "
                          "takes 'tensor<2x4x4x2xf32>'"),
            std::string::npos)
      << messages;
}

TEST_F(ReferenceEvaluatorTest, RejectsUnsupportedOps) {
  mlir::func::FuncOp func = parse(R"mlir(
func.func @net(%x: tensor<1x3xf32>) -> tensor<1x3xf32> {
  %0 = arith.addf %x, %x : tensor<1x3xf32>
  return %0 : tensor<1x3xf32>
}
)mlir");
  ASSERT_TRUE(func) << messages;
  EXPECT_TRUE(mlir::failed(evaluateReference(func, {Tensor({1, 3})})));
  EXPECT_NE(messages.find("cannot evaluate 'arith.addf'"), std::string::npos)
      << messages;
}

TEST_F(ReferenceEvaluatorTest, RefusesLoweredCodeAtItsFirstLoweredOp) {
  // Lowered code starts with scalar constants (a ReLU's zero, a pad's
  // value); the op to report is the first one past the cnn dialect.
  mlir::func::FuncOp func = parse(R"mlir(
func.func @net(%x: tensor<4xf32>) -> tensor<4xf32> {
  %zero = arith.constant 0.0 : f32
  %0 = tensor.splat %zero : tensor<4xf32>
  return %0 : tensor<4xf32>
}
)mlir");
  ASSERT_TRUE(func) << messages;
  EXPECT_TRUE(mlir::failed(evaluateReference(func, {Tensor({4})})));
  EXPECT_NE(messages.find("cannot evaluate 'tensor.splat'"), std::string::npos)
      << messages;
  EXPECT_NE(messages.find("for code lowered past it"), std::string::npos)
      << messages;
  EXPECT_EQ(messages.find("arith.constant"), std::string::npos) << messages;
}

TEST_F(ReferenceEvaluatorTest, ReportsKernelErrorsOnTheOp) {
  // With unknown dimensions the verifier cannot check the depth; the
  // evaluator does.
  mlir::func::FuncOp func = parse(R"mlir(
func.func @net(%x: tensor<1x3x3x?xf32>, %w: tensor<1x2x2x2xf32>)
    -> tensor<*xf32> {
  %0 = cnn.conv2d %x, %w : (tensor<1x3x3x?xf32>, tensor<1x2x2x2xf32>)
      -> tensor<*xf32>
  return %0 : tensor<*xf32>
}
)mlir");
  ASSERT_TRUE(func) << messages;
  EXPECT_TRUE(mlir::failed(
      evaluateReference(func, {image3x3(), Tensor({1, 2, 2, 2})})));
  EXPECT_NE(messages.find("conv2d: filter depth 2 does not match input "
                          "depth 1"),
            std::string::npos)
      << messages;
}

} // namespace
