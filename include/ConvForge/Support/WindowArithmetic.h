//===- WindowArithmetic.h - Output sizes of sliding windows -----*- C++ -*-===//
//
// The size arithmetic of a sliding window (a convolution or pooling window)
// along one spatial dimension, as in the CS231n notes:
//
//   out = (in - F + padBefore + padAfter) / S + 1
//
// with the three rounding modes ConvForge supports, checked arithmetic (no
// silent int64 overflow) and, when the division is not exact, suggestions of
// the nearest paddings, strides and rounding modes that make it valid. This
// file has no MLIR dependency so that it can be unit-tested and reused by the
// verifier, the frontends and the reports alike.
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_SUPPORT_WINDOWARITHMETIC_H
#define CONVFORGE_SUPPORT_WINDOWARITHMETIC_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace convforge {

/// How a non-integer output size is treated.
enum class RoundingMode {
  /// The seed's rule: (in - F + 2P)/S + 1 must be an integer.
  Exact,
  /// Windows that do not fit entirely are dropped (frameworks' default).
  Floor,
  /// A last, partial window is kept: the input is implicitly padded after
  /// its end. As in PyTorch and ONNX, a window that would start in the
  /// trailing padding only is not counted.
  Ceil,
};

/// Returns "exact", "floor" or "ceil".
const char *stringifyRoundingMode(RoundingMode rounding);

/// One spatial dimension of a sliding window.
struct WindowDim {
  int64_t input = 0;     ///< W1 (or H1)
  int64_t window = 0;    ///< F
  int64_t stride = 1;    ///< S
  int64_t padBefore = 0; ///< zero padding at the start (top or left)
  int64_t padAfter = 0;  ///< zero padding at the end (bottom or right)
};

/// The stride, padding and rounding of a 2-D sliding window (the cnn
/// dialect's attributes, normalized). Index 0 is the height axis, 1 the
/// width axis.
struct WindowParams {
  int64_t stride[2] = {1, 1};
  int64_t padBefore[2] = {0, 0}; ///< top, left
  int64_t padAfter[2] = {0, 0};  ///< bottom, right
  RoundingMode rounding = RoundingMode::Exact;

  /// The window arithmetic of `axis` for an input extent and window size.
  WindowDim dim(unsigned axis, int64_t input, int64_t window) const;
};

/// Why a window configuration is invalid.
enum class WindowError {
  None,
  NonPositiveInput,
  NonPositiveWindow,
  NonPositiveStride,
  NegativePadding,
  Overflow,
  WindowLargerThanInput,
  NotExact,
};

/// The outcome of computeWindowOutput.
struct WindowOutput {
  WindowError error = WindowError::None;
  /// The output size; meaningful only when error == None.
  int64_t size = 0;
  /// Padding implicitly added after the end of the input under `ceil`
  /// rounding so that the last window fits (0 otherwise).
  int64_t implicitPadAfter = 0;

  bool ok() const { return error == WindowError::None; }
};

/// Computes the output size of `dim` under `rounding`, or why it is invalid.
/// All arithmetic is checked: sizes whose sums overflow int64 give Overflow.
WindowOutput computeWindowOutput(const WindowDim &dim, RoundingMode rounding);

/// Formats the seed's arithmetic with its exact (possibly fractional)
/// result, e.g. "(224 - 11 + 2*0)/4 + 1 = 54.25". Symmetric padding is shown
/// as 2*P, asymmetric padding as "+ before + after". Requires a dimension
/// whose padded extent is at least the window and does not overflow.
std::string formatWindowArithmetic(const WindowDim &dim);

/// Ways to make a non-exact dimension exact, nearest first.
struct WindowFixes {
  /// Symmetric paddings P' (nearest to the current one) that divide evenly.
  std::vector<int64_t> symmetricPaddings;
  /// When no symmetric padding is near, the smallest asymmetric padding
  /// (before, after) that divides evenly.
  std::optional<std::pair<int64_t, int64_t>> asymmetricPadding;
  /// Strides (nearest below and above the current one, at most twice it)
  /// that divide the padded extent.
  std::vector<int64_t> strides;
  /// Output sizes under floor and ceil rounding.
  int64_t floorSize = 0;
  int64_t ceilSize = 0;
};

/// Computes the fixes for a dimension whose error is NotExact.
WindowFixes suggestWindowFixes(const WindowDim &dim);

/// Formats the fixes as one sentence, e.g. "nearest fixes: padding top 1,
/// bottom 2 (output 55), stride 3 (output 72), or rounding = floor (output
/// 54) or ceil (output 55)". `before` and `after` name the two sides.
std::string formatWindowFixes(const WindowDim &dim, const WindowFixes &fixes,
                              llvm::StringRef before = "before",
                              llvm::StringRef after = "after");

/// Product of `dims`, or nullopt if it overflows int64 or a dim is negative.
/// A zero dimension makes it 0, however large the others.
std::optional<int64_t> checkedProduct(llvm::ArrayRef<int64_t> dims);

/// Formats an integer with thousands separators: 105705600 -> "105,705,600".
std::string formatWithThousands(int64_t value);

} // namespace convforge

#endif // CONVFORGE_SUPPORT_WINDOWARITHMETIC_H
