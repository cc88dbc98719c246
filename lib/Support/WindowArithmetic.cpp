//===- WindowArithmetic.cpp - Output sizes of sliding windows -------------===//

#include "ConvForge/Support/WindowArithmetic.h"

#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>

using namespace convforge;

const char *convforge::stringifyRoundingMode(RoundingMode rounding) {
  switch (rounding) {
  case RoundingMode::Exact:
    return "exact";
  case RoundingMode::Floor:
    return "floor";
  case RoundingMode::Ceil:
    return "ceil";
  }
  return "exact";
}

WindowDim WindowParams::dim(unsigned axis, int64_t input,
                            int64_t window) const {
  WindowDim result;
  result.input = input;
  result.window = window;
  result.stride = stride[axis];
  result.padBefore = padBefore[axis];
  result.padAfter = padAfter[axis];
  return result;
}

/// in + padBefore + padAfter - window, or nullopt on overflow.
static std::optional<int64_t> paddedExtentMinusWindow(const WindowDim &dim) {
  int64_t sum = 0;
  if (llvm::AddOverflow(dim.input, dim.padBefore, sum) ||
      llvm::AddOverflow(sum, dim.padAfter, sum) ||
      llvm::SubOverflow(sum, dim.window, sum))
    return std::nullopt;
  return sum;
}

WindowOutput convforge::computeWindowOutput(const WindowDim &dim,
                                            RoundingMode rounding) {
  WindowOutput result;
  auto fail = [&](WindowError error) {
    result.error = error;
    return result;
  };
  if (dim.input <= 0)
    return fail(WindowError::NonPositiveInput);
  if (dim.window <= 0)
    return fail(WindowError::NonPositiveWindow);
  if (dim.stride <= 0)
    return fail(WindowError::NonPositiveStride);
  if (dim.padBefore < 0 || dim.padAfter < 0)
    return fail(WindowError::NegativePadding);
  std::optional<int64_t> extent = paddedExtentMinusWindow(dim);
  if (!extent)
    return fail(WindowError::Overflow);
  if (*extent < 0)
    return fail(WindowError::WindowLargerThanInput);

  int64_t quotient = *extent / dim.stride;
  int64_t remainder = *extent % dim.stride;
  switch (rounding) {
  case RoundingMode::Exact:
    if (remainder != 0)
      return fail(WindowError::NotExact);
    result.size = quotient + 1;
    return result;
  case RoundingMode::Floor:
    result.size = quotient + 1;
    return result;
  case RoundingMode::Ceil: {
    // 128-bit intermediates: (size - 1) * stride may exceed int64 when the
    // stride is close to the extent and both are huge.
    using Wide = __int128;
    int64_t size = quotient + 1;
    // The extra, partial window is kept only if it starts inside the input
    // or its leading padding (PyTorch's and ONNX's rule): one starting in the
    // trailing padding would see padding only.
    if (remainder != 0 &&
        Wide(size) * dim.stride < Wide(dim.input) + dim.padBefore)
      ++size;
    result.size = size;
    Wide needed = Wide(size - 1) * dim.stride + dim.window;
    Wide available = Wide(dim.input) + dim.padBefore + dim.padAfter;
    result.implicitPadAfter =
        needed > available ? static_cast<int64_t>(needed - available) : 0;
    return result;
  }
  }
  return result;
}

/// Appends num/den (num >= 0, den > 0) as a decimal with up to four
/// fractional digits and "..." when the expansion goes on.
static void printDecimal(llvm::raw_ostream &os, int64_t integerPart,
                         int64_t remainder, int64_t denominator) {
  os << integerPart;
  if (remainder == 0)
    return;
  os << '.';
  unsigned __int128 rest = static_cast<unsigned __int128>(remainder);
  for (int digit = 0; digit < 4 && rest != 0; ++digit) {
    rest *= 10;
    os << static_cast<int>(rest / static_cast<unsigned __int128>(denominator));
    rest %= static_cast<unsigned __int128>(denominator);
  }
  if (rest != 0)
    os << "...";
}

std::string convforge::formatWindowArithmetic(const WindowDim &dim) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << '(' << dim.input << " - " << dim.window;
  if (dim.padBefore == dim.padAfter)
    os << " + 2*" << dim.padBefore;
  else
    os << " + " << dim.padBefore << " + " << dim.padAfter;
  os << ")/" << dim.stride << " + 1 = ";
  std::optional<int64_t> extent = paddedExtentMinusWindow(dim);
  if (!extent || *extent < 0 || dim.stride <= 0) {
    os << "(undefined)";
    return text;
  }
  printDecimal(os, *extent / dim.stride + 1, *extent % dim.stride, dim.stride);
  return text;
}

/// Upper bound on the candidates examined when searching for a fix, so that
/// absurd sizes cannot make the verifier slow.
static constexpr int64_t kMaxSearch = 1 << 16;

WindowFixes convforge::suggestWindowFixes(const WindowDim &dim) {
  WindowFixes fixes;
  std::optional<int64_t> extentOpt = paddedExtentMinusWindow(dim);
  if (!extentOpt || *extentOpt < 0 || dim.stride <= 0)
    return fixes;
  int64_t extent = *extentOpt;
  fixes.floorSize = computeWindowOutput(dim, RoundingMode::Floor).size;
  fixes.ceilSize = computeWindowOutput(dim, RoundingMode::Ceil).size;

  // Symmetric paddings: only meaningful when the padding is symmetric now.
  // Changing P by d changes the extent by 2d.
  if (dim.padBefore == dim.padAfter) {
    int64_t base = extent - 2 * dim.padBefore; // in - F
    auto divides = [&](int64_t pad) {
      int64_t e = base + 2 * pad;
      return e >= 0 && e % dim.stride == 0;
    };
    std::optional<int64_t> below, above;
    for (int64_t d = 1; d <= dim.stride && d <= kMaxSearch; ++d) {
      if (!below && dim.padBefore - d >= 0 && divides(dim.padBefore - d))
        below = dim.padBefore - d;
      if (!above && dim.padBefore <= INT64_MAX / 4 - d &&
          divides(dim.padBefore + d))
        above = dim.padBefore + d;
    }
    if (below)
      fixes.symmetricPaddings.push_back(*below);
    if (above)
      fixes.symmetricPaddings.push_back(*above);
  }
  if (fixes.symmetricPaddings.empty()) {
    int64_t missing = dim.stride - extent % dim.stride;
    int64_t addBefore = missing / 2;
    if (dim.padBefore <= INT64_MAX / 4 && dim.padAfter <= INT64_MAX / 4)
      fixes.asymmetricPadding = {dim.padBefore + addBefore,
                                 dim.padAfter + (missing - addBefore)};
  }

  // Strides dividing the padded extent, nearest to the current one.
  for (int64_t s = dim.stride - 1; s >= 1 && dim.stride - s <= kMaxSearch;
       --s) {
    if (extent % s == 0) {
      fixes.strides.push_back(s);
      break;
    }
  }
  for (int64_t s = dim.stride + 1;
       s <= 2 * dim.stride && s <= extent && s - dim.stride <= kMaxSearch;
       ++s) {
    if (extent % s == 0) {
      fixes.strides.push_back(s);
      break;
    }
  }
  return fixes;
}

std::string convforge::formatWindowFixes(const WindowDim &dim,
                                         const WindowFixes &fixes,
                                         llvm::StringRef before,
                                         llvm::StringRef after) {
  std::string text;
  llvm::raw_string_ostream os(text);
  auto outputWith = [&](WindowDim changed) {
    return computeWindowOutput(changed, RoundingMode::Exact).size;
  };
  os << "nearest fixes: ";
  bool first = true;
  auto separator = [&]() {
    if (!first)
      os << ", ";
    first = false;
  };
  for (int64_t pad : fixes.symmetricPaddings) {
    WindowDim changed = dim;
    changed.padBefore = changed.padAfter = pad;
    separator();
    os << "padding " << pad << " (output " << outputWith(changed) << ')';
  }
  if (fixes.asymmetricPadding) {
    WindowDim changed = dim;
    changed.padBefore = fixes.asymmetricPadding->first;
    changed.padAfter = fixes.asymmetricPadding->second;
    separator();
    os << "padding " << before << ' ' << changed.padBefore << ", " << after
       << ' ' << changed.padAfter << " (output " << outputWith(changed) << ')';
  }
  for (int64_t stride : fixes.strides) {
    WindowDim changed = dim;
    changed.stride = stride;
    separator();
    os << "stride " << stride << " (output " << outputWith(changed) << ')';
  }
  separator();
  if (fixes.floorSize == fixes.ceilSize)
    os << "or rounding = floor or ceil (output " << fixes.floorSize << ')';
  else
    os << "or rounding = floor (output " << fixes.floorSize
       << ") or ceil (output " << fixes.ceilSize << ')';
  return text;
}

std::optional<int64_t> convforge::checkedProduct(llvm::ArrayRef<int64_t> dims) {
  if (llvm::any_of(dims, [](int64_t dim) { return dim < 0; }))
    return std::nullopt;
  // A zero makes the product 0 whatever the order of the dimensions.
  if (llvm::is_contained(dims, 0))
    return 0;
  int64_t product = 1;
  for (int64_t dim : dims)
    if (llvm::MulOverflow(product, dim, product))
      return std::nullopt;
  return product;
}

std::string convforge::formatWithThousands(int64_t value) {
  uint64_t magnitude = value < 0 ? 0 - static_cast<uint64_t>(value)
                                 : static_cast<uint64_t>(value);
  std::string digits = std::to_string(magnitude);
  std::string text;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (digits.size() - i) % 3 == 0)
      text.push_back(',');
    text.push_back(digits[i]);
  }
  return value < 0 ? "-" + text : text;
}
