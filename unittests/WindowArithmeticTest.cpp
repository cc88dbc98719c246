//===- WindowArithmeticTest.cpp - Sliding-window size arithmetic ----------===//

#include "ConvForge/Support/WindowArithmetic.h"

#include "gtest/gtest.h"

#include <cstdint>
#include <limits>
#include <random>

using namespace convforge;

namespace {

WindowDim makeDim(int64_t input, int64_t window, int64_t stride,
                  int64_t padBefore = 0, int64_t padAfter = -1) {
  WindowDim dim;
  dim.input = input;
  dim.window = window;
  dim.stride = stride;
  dim.padBefore = padBefore;
  dim.padAfter = padAfter < 0 ? padBefore : padAfter;
  return dim;
}

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

TEST(WindowOutput, SeedExamples) {
  // AlexNet's first layer in the notes: (227 - 11 + 0)/4 + 1 = 55.
  WindowOutput conv1 =
      computeWindowOutput(makeDim(227, 11, 4), RoundingMode::Exact);
  ASSERT_TRUE(conv1.ok());
  EXPECT_EQ(conv1.size, 55);
  // The notes' common pool: 2x2, stride 2 halves the size.
  EXPECT_EQ(computeWindowOutput(makeDim(224, 2, 2), RoundingMode::Exact).size,
            112);
  // "Same" padding for 3x3 filters: (W - 3 + 2)/1 + 1 = W.
  EXPECT_EQ(computeWindowOutput(makeDim(56, 3, 1, 1), RoundingMode::Exact).size,
            56);
  // The notes' example of a 5x5 input, 3x3 filter, stride 2, pad 1 -> 3.
  EXPECT_EQ(computeWindowOutput(makeDim(5, 3, 2, 1), RoundingMode::Exact).size,
            3);
}

TEST(WindowOutput, ExactRejectsNonIntegerSizes) {
  WindowOutput out =
      computeWindowOutput(makeDim(224, 11, 4), RoundingMode::Exact);
  EXPECT_EQ(out.error, WindowError::NotExact);
}

TEST(WindowOutput, FloorAndCeil) {
  // (224 - 11)/4 = 53.25: floor -> 54, ceil -> 55.
  WindowOutput floorOut =
      computeWindowOutput(makeDim(224, 11, 4), RoundingMode::Floor);
  WindowOutput ceilOut =
      computeWindowOutput(makeDim(224, 11, 4), RoundingMode::Ceil);
  ASSERT_TRUE(floorOut.ok());
  ASSERT_TRUE(ceilOut.ok());
  EXPECT_EQ(floorOut.size, 54);
  EXPECT_EQ(ceilOut.size, 55);
  EXPECT_EQ(floorOut.implicitPadAfter, 0);
  // The 55th window starts at 216 and ends at 226: 3 beyond 224.
  EXPECT_EQ(ceilOut.implicitPadAfter, 3);
  // When the division is exact, all modes agree.
  for (RoundingMode mode :
       {RoundingMode::Exact, RoundingMode::Floor, RoundingMode::Ceil})
    EXPECT_EQ(computeWindowOutput(makeDim(227, 11, 4), mode).size, 55);
}

TEST(WindowOutput, CeilDropsWindowStartingInTrailingPadding) {
  // PyTorch's rule: input 5, window 2, stride 2, pad 1. ceil((5+2-2)/2)+1 = 4,
  // but the 4th window would start at 6 >= 5 + 1 (in the trailing padding).
  WindowOutput out =
      computeWindowOutput(makeDim(5, 2, 2, 1), RoundingMode::Ceil);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out.size, 3);
  EXPECT_EQ(out.implicitPadAfter, 0);
}

TEST(WindowOutput, InvalidConfigurations) {
  EXPECT_EQ(computeWindowOutput(makeDim(0, 3, 1), RoundingMode::Exact).error,
            WindowError::NonPositiveInput);
  EXPECT_EQ(computeWindowOutput(makeDim(5, 0, 1), RoundingMode::Exact).error,
            WindowError::NonPositiveWindow);
  EXPECT_EQ(computeWindowOutput(makeDim(5, 3, 0), RoundingMode::Exact).error,
            WindowError::NonPositiveStride);
  EXPECT_EQ(computeWindowOutput(makeDim(5, 3, -2), RoundingMode::Exact).error,
            WindowError::NonPositiveStride);
  EXPECT_EQ(
      computeWindowOutput(makeDim(5, 3, 1, -1), RoundingMode::Exact).error,
      WindowError::NegativePadding);
  EXPECT_EQ(computeWindowOutput(makeDim(4, 7, 1, 1), RoundingMode::Floor).error,
            WindowError::WindowLargerThanInput);
  // A window exactly as large as the padded input gives one output.
  EXPECT_EQ(computeWindowOutput(makeDim(5, 7, 1, 1), RoundingMode::Exact).size,
            1);
  EXPECT_EQ(
      computeWindowOutput(makeDim(kMax, 3, 1, 2), RoundingMode::Exact).error,
      WindowError::Overflow);
  EXPECT_EQ(
      computeWindowOutput(makeDim(kMax - 1, 1, 1, 0, 1), RoundingMode::Exact)
          .size,
      kMax);
}

TEST(WindowOutput, CeilNearInt64LimitsDoesNotOverflow) {
  // (size - 1) * stride would exceed int64 without wide arithmetic.
  WindowDim dim = makeDim(kMax - 1, 1, (int64_t(1) << 62) + 1);
  WindowOutput out = computeWindowOutput(dim, RoundingMode::Ceil);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out.size, 2);
}

TEST(WindowArithmeticText, ShowsTheSeedsFormula) {
  EXPECT_EQ(formatWindowArithmetic(makeDim(224, 11, 4)),
            "(224 - 11 + 2*0)/4 + 1 = 54.25");
  EXPECT_EQ(formatWindowArithmetic(makeDim(227, 11, 4)),
            "(227 - 11 + 2*0)/4 + 1 = 55");
  EXPECT_EQ(formatWindowArithmetic(makeDim(10, 3, 3, 1)),
            "(10 - 3 + 2*1)/3 + 1 = 4");
  EXPECT_EQ(formatWindowArithmetic(makeDim(10, 3, 3)),
            "(10 - 3 + 2*0)/3 + 1 = 3.3333...");
  EXPECT_EQ(formatWindowArithmetic(makeDim(224, 11, 4, 1, 2)),
            "(224 - 11 + 1 + 2)/4 + 1 = 55");
  EXPECT_EQ(formatWindowArithmetic(makeDim(9, 2, 8)),
            "(9 - 2 + 2*0)/8 + 1 = 1.875");
}

TEST(WindowFixes, SeedsNonDividingExample) {
  WindowDim dim = makeDim(224, 11, 4);
  WindowFixes fixes = suggestWindowFixes(dim);
  // 213 + 2P is odd: no symmetric padding works; 1 + 2 more does.
  EXPECT_TRUE(fixes.symmetricPaddings.empty());
  ASSERT_TRUE(fixes.asymmetricPadding.has_value());
  EXPECT_EQ(fixes.asymmetricPadding->first, 1);
  EXPECT_EQ(fixes.asymmetricPadding->second, 2);
  // 213 = 3 * 71: stride 3 divides; no stride in 5..8 does.
  EXPECT_EQ(fixes.strides, std::vector<int64_t>({3}));
  EXPECT_EQ(fixes.floorSize, 54);
  EXPECT_EQ(fixes.ceilSize, 55);
  EXPECT_EQ(formatWindowFixes(dim, fixes, "top", "bottom"),
            "nearest fixes: padding top 1, bottom 2 (output 55), stride 3 "
            "(output 72), or rounding = floor (output 54) or ceil (output 55)");
}

TEST(WindowFixes, SymmetricPaddingBelowAndAbove) {
  // (9 - 3 + 2P)/4: P = 1 gives 8/4; P = 3 gives 12/4 (both from P = 2).
  WindowFixes fixes = suggestWindowFixes(makeDim(9, 3, 4, 2));
  EXPECT_EQ(fixes.symmetricPaddings, std::vector<int64_t>({1, 3}));
  EXPECT_FALSE(fixes.asymmetricPadding.has_value());
  // Extent 10: strides 2 (below) and 5 (above) divide it.
  EXPECT_EQ(fixes.strides, std::vector<int64_t>({2, 5}));
}

/// Every suggested fix must actually divide evenly, over many random
/// configurations.
TEST(WindowFixes, SuggestionsAreExactOnRandomConfigurations) {
  std::mt19937_64 rng(20261125);
  std::uniform_int_distribution<int64_t> size(1, 300), window(1, 13),
      stride(1, 9), pad(0, 6);
  int checked = 0;
  for (int trial = 0; trial < 20000; ++trial) {
    WindowDim dim =
        makeDim(size(rng), window(rng), stride(rng), pad(rng), pad(rng));
    WindowOutput out = computeWindowOutput(dim, RoundingMode::Exact);
    if (out.error != WindowError::NotExact)
      continue;
    ++checked;
    WindowFixes fixes = suggestWindowFixes(dim);
    for (int64_t p : fixes.symmetricPaddings) {
      WindowDim fixed = dim;
      fixed.padBefore = fixed.padAfter = p;
      EXPECT_TRUE(computeWindowOutput(fixed, RoundingMode::Exact).ok());
    }
    if (fixes.asymmetricPadding) {
      WindowDim fixed = dim;
      fixed.padBefore = fixes.asymmetricPadding->first;
      fixed.padAfter = fixes.asymmetricPadding->second;
      EXPECT_TRUE(computeWindowOutput(fixed, RoundingMode::Exact).ok());
      EXPECT_LT(fixed.padBefore + fixed.padAfter - dim.padBefore - dim.padAfter,
                dim.stride);
    }
    EXPECT_TRUE(!fixes.symmetricPaddings.empty() ||
                fixes.asymmetricPadding.has_value())
        << "no padding fix for " << formatWindowArithmetic(dim);
    for (int64_t s : fixes.strides) {
      WindowDim fixed = dim;
      fixed.stride = s;
      EXPECT_TRUE(computeWindowOutput(fixed, RoundingMode::Exact).ok());
    }
    // The partial window is dropped if it would start in trailing padding.
    EXPECT_GE(fixes.ceilSize, fixes.floorSize);
    EXPECT_LE(fixes.ceilSize, fixes.floorSize + 1);
  }
  EXPECT_GT(checked, 1000);
}

/// Under ceil rounding, every window starts inside the input or its leading
/// padding, and the implicit padding makes the last one fit; floor windows
/// always fit.
TEST(WindowOutput, RoundingInvariantsOnRandomConfigurations) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int64_t> size(1, 200), window(1, 11),
      stride(1, 8), pad(0, 5);
  for (int trial = 0; trial < 20000; ++trial) {
    WindowDim dim =
        makeDim(size(rng), window(rng), stride(rng), pad(rng), pad(rng));
    WindowOutput floorOut = computeWindowOutput(dim, RoundingMode::Floor);
    WindowOutput ceilOut = computeWindowOutput(dim, RoundingMode::Ceil);
    ASSERT_EQ(floorOut.error, ceilOut.error);
    if (!floorOut.ok())
      continue;
    int64_t padded = dim.input + dim.padBefore + dim.padAfter;
    EXPECT_LE((floorOut.size - 1) * dim.stride + dim.window, padded);
    EXPECT_GT(floorOut.size * dim.stride + dim.window, padded);
    EXPECT_GE(ceilOut.size, floorOut.size);
    EXPECT_LE(ceilOut.size, floorOut.size + 1);
    if (ceilOut.size > floorOut.size)
      EXPECT_LT((ceilOut.size - 1) * dim.stride, dim.input + dim.padBefore);
    EXPECT_EQ(ceilOut.implicitPadAfter,
              std::max<int64_t>(0, (ceilOut.size - 1) * dim.stride +
                                       dim.window - padded));
  }
}

TEST(CheckedProduct, DetectsOverflow) {
  EXPECT_EQ(checkedProduct({1, 227, 227, 3}), 154587);
  EXPECT_EQ(checkedProduct({}), 1);
  EXPECT_EQ(checkedProduct({0, kMax}), 0);
  EXPECT_EQ(checkedProduct({int64_t(1) << 31, int64_t(1) << 31}), int64_t(1)
                                                                      << 62);
  // 2^63 is one more than int64's maximum.
  EXPECT_EQ(checkedProduct({int64_t(1) << 32, int64_t(1) << 31}), std::nullopt);
  EXPECT_EQ(checkedProduct({kMax, 2}), std::nullopt);
  EXPECT_EQ(checkedProduct({3, -1}), std::nullopt);
  // A zero after dimensions whose product overflows: still 0 (found by
  // UndefinedBehaviorSanitizer in Tensor's element count).
  EXPECT_EQ(checkedProduct({kMax, kMax, 0}), 0);
  EXPECT_EQ(checkedProduct({kMax, -1, 0}), std::nullopt);
}

TEST(Thousands, FormatsLikeTheNotes) {
  EXPECT_EQ(formatWithThousands(105705600), "105,705,600");
  EXPECT_EQ(formatWithThousands(290400), "290,400");
  EXPECT_EQ(formatWithThousands(34944), "34,944");
  EXPECT_EQ(formatWithThousands(96), "96");
  EXPECT_EQ(formatWithThousands(0), "0");
  EXPECT_EQ(formatWithThousands(1000), "1,000");
  EXPECT_EQ(formatWithThousands(-1234567), "-1,234,567");
  EXPECT_EQ(formatWithThousands(std::numeric_limits<int64_t>::min()),
            "-9,223,372,036,854,775,808");
}

} // namespace
