//===- RandomNetworks.cpp - Random valid layers and networks -------------===//

#include "RandomNetworks.h"

#include "ConvForge/Support/Tensor.h"
#include "ConvForge/Support/WindowArithmetic.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cstring>

using namespace convforge;
using namespace convforge::testing;

namespace {

int64_t pick(std::mt19937_64 &rng, int64_t low, int64_t high) {
  return std::uniform_int_distribution<int64_t>(low, high)(rng);
}

template <typename T> T pickOf(std::mt19937_64 &rng, llvm::ArrayRef<T> items) {
  return items[pick(rng, 0, static_cast<int64_t>(items.size()) - 1)];
}

bool chance(std::mt19937_64 &rng, double probability) {
  return std::bernoulli_distribution(probability)(rng);
}

std::string tensorType(llvm::ArrayRef<int64_t> shape) {
  std::string text = "tensor<";
  for (int64_t dim : shape)
    text += std::to_string(dim) + "x";
  return text + "f32>";
}

/// A sliding window and its output sizes.
struct Window {
  int64_t size[2] = {1, 1};
  int64_t stride[2] = {1, 1};
  int64_t padBefore[2] = {0, 0};
  int64_t padAfter[2] = {0, 0};
  RoundingMode rounding = RoundingMode::Exact;
  int64_t output[2] = {0, 0};

  /// The attributes in the cnn dialect's syntax.
  std::string attributes() const {
    std::string text = " stride [" + std::to_string(stride[0]) + ", " +
                       std::to_string(stride[1]) + "]";
    text += " padding [" + std::to_string(padBefore[0]) + ", " +
            std::to_string(padAfter[0]) + ", " + std::to_string(padBefore[1]) +
            ", " + std::to_string(padAfter[1]) + "]";
    text += std::string(" rounding ") + stringifyRoundingMode(rounding);
    return text;
  }
  std::string describe() const {
    return std::to_string(size[0]) + "x" + std::to_string(size[1]) +
           attributes();
  }
};

/// Draws a valid window over an `height` x `width` input; `maxPad` bounds the
/// padding (pools: smaller than the window). Retries until valid.
Window randomWindow(std::mt19937_64 &rng, int64_t height, int64_t width,
                    int64_t maxSize, int64_t maxStride, bool isPool) {
  int64_t extent[2] = {height, width};
  while (true) {
    Window window;
    bool valid = true;
    window.rounding = pickOf<RoundingMode>(
        rng, {RoundingMode::Exact, RoundingMode::Floor, RoundingMode::Ceil});
    for (unsigned axis = 0; axis < 2; ++axis) {
      int64_t size = pick(rng, 1, maxSize);
      // Sometimes a window covering the whole padded input: a 1x1 output.
      if (chance(rng, 0.08))
        size = extent[axis];
      window.size[axis] = size;
      window.stride[axis] = pick(rng, 1, maxStride);
      int64_t padLimit = isPool ? size - 1 : 3;
      if (chance(rng, 0.5)) {
        int64_t pad = pick(rng, 0, std::min<int64_t>(padLimit, 2));
        window.padBefore[axis] = window.padAfter[axis] = pad;
      } else {
        window.padBefore[axis] = pick(rng, 0, padLimit);
        window.padAfter[axis] = pick(rng, 0, padLimit);
      }
      WindowDim dim;
      dim.input = extent[axis];
      dim.window = size;
      dim.stride = window.stride[axis];
      dim.padBefore = window.padBefore[axis];
      dim.padAfter = window.padAfter[axis];
      WindowOutput out = computeWindowOutput(dim, window.rounding);
      if (out.error == WindowError::NotExact) {
        window.rounding = RoundingMode::Floor;
        out = computeWindowOutput(dim, window.rounding);
      }
      if (!out.ok()) {
        valid = false;
        break;
      }
      window.output[axis] = out.size;
    }
    // The rounding switch above applies to both axes: recompute the first.
    if (valid) {
      for (unsigned axis = 0; axis < 2; ++axis) {
        WindowDim dim;
        dim.input = extent[axis];
        dim.window = window.size[axis];
        dim.stride = window.stride[axis];
        dim.padBefore = window.padBefore[axis];
        dim.padAfter = window.padAfter[axis];
        WindowOutput out = computeWindowOutput(dim, window.rounding);
        if (!out.ok()) {
          valid = false;
          break;
        }
        window.output[axis] = out.size;
      }
    }
    if (valid)
      return window;
  }
}

/// Writes `func.func @net(args...) -> tensor<*xf32> { body; return }`.
std::string function(llvm::ArrayRef<std::string> arguments,
                     const std::string &body, const std::string &result) {
  std::string text = "func.func @net(";
  for (size_t i = 0; i < arguments.size(); ++i)
    text += (i ? ", " : "") + arguments[i];
  text += ") -> tensor<*xf32> {\n" + body;
  text += "  return " + result + " : tensor<*xf32>\n}\n";
  return text;
}

} // namespace

/// The divisors of `n`.
static std::vector<int64_t> divisorsOf(int64_t n) {
  std::vector<int64_t> divisors;
  for (int64_t d = 1; d <= n; ++d)
    if (n % d == 0)
      divisors.push_back(d);
  return divisors;
}

/// A constant of `shape` with values uniform in [-1, 1), as MLIR text (the
/// hexadecimal form: the little-endian bytes of the floats).
static std::string randomConstant(std::mt19937_64 &rng,
                                  llvm::ArrayRef<int64_t> shape) {
  int64_t count = 1;
  for (int64_t dim : shape)
    count *= dim;
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  std::string text = "dense<\"0x";
  llvm::raw_string_ostream os(text);
  for (int64_t i = 0; i < count; ++i) {
    float value = uniform(rng);
    uint32_t bits;
    std::memcpy(&bits, &value, sizeof(bits));
    for (int byte = 0; byte < 4; ++byte)
      os << llvm::format("%02X", (bits >> (8 * byte)) & 0xFF);
  }
  os << "\"> : " << tensorType(shape);
  return text;
}

/// How a random conv2d gets its filter: as an argument, as an argument in a
/// random blocked layout, or as a constant of the source (which the
/// compiler packs).
enum class FilterKind { Argument, BlockedArgument, Constant };

/// The input sizes of a random conv2d: its height and width ranges.
struct InputExtent {
  int64_t minHeight = 1, maxHeight = 24, minWidth = 1, maxWidth = 24;
};

static GeneratedNetwork randomConv2DWith(std::mt19937_64 &rng, FilterKind kind,
                                         InputExtent extent = {}) {
  int64_t n = pickOf<int64_t>(rng, {1, 1, 1, 2, 3});
  int64_t c = pickOf<int64_t>(rng, {1, 2, 3, 4, 7, 8, 16, 17, 32, 40});
  int64_t k = pickOf<int64_t>(rng, {1, 3, 8, 10, 16, 20, 32, 33, 48, 64, 96});
  int64_t h = pick(rng, extent.minHeight, extent.maxHeight);
  int64_t w = pick(rng, extent.minWidth, extent.maxWidth);
  // Occasionally a filter larger than any register tile (11..13).
  int64_t maxSize = chance(rng, 0.15) ? 13 : 5;
  Window window = randomWindow(rng, h, w, maxSize, 4, /*isPool=*/false);
  bool bias = chance(rng, 0.7);

  std::string input = tensorType({n, h, w, c});
  std::vector<int64_t> filterShape = {k, window.size[0], window.size[1], c};
  int64_t block = 0;
  if (kind == FilterKind::BlockedArgument) {
    block = pickOf<int64_t>(rng, divisorsOf(k));
    filterShape = {k / block, window.size[0], window.size[1], c, block};
  }
  std::string filter = tensorType(filterShape);
  std::string biasType = tensorType({k});
  std::vector<std::string> arguments = {"%x: " + input};
  std::string body;
  if (kind == FilterKind::Constant)
    body = "  %f = arith.constant " + randomConstant(rng, filterShape) + "\n";
  else
    arguments.push_back("%f: " + filter);
  std::string operands = "%x, %f", types = input + ", " + filter;
  if (bias) {
    arguments.push_back("%b: " + biasType);
    operands += ", %b";
    types += ", " + biasType;
  }
  std::string blockAttribute =
      block ? " filter_block " + std::to_string(block) : "";
  body += "  %y = cnn.conv2d " + operands + window.attributes() +
          blockAttribute + " : (" + types + ") -> tensor<*xf32>\n";
  GeneratedNetwork network;
  network.source = function(arguments, body, "%y");
  network.description =
      "conv2d input " + std::to_string(n) + "x" + std::to_string(h) + "x" +
      std::to_string(w) + "x" + std::to_string(c) + ", " + std::to_string(k) +
      " filters " + window.describe() + (bias ? ", bias" : ", no bias") +
      (kind == FilterKind::Constant ? ", constant filter" : "") +
      (block ? ", filter blocked by " + std::to_string(block) : "");
  return network;
}

GeneratedNetwork convforge::testing::randomConv2D(std::mt19937_64 &rng) {
  return randomConv2DWith(rng, FilterKind::Argument);
}

GeneratedNetwork convforge::testing::randomWideConv2D(std::mt19937_64 &rng) {
  InputExtent extent;
  extent.maxHeight = 6;
  extent.minWidth = 30;
  extent.maxWidth = 90;
  return randomConv2DWith(
      rng, chance(rng, 0.5) ? FilterKind::Argument : FilterKind::Constant,
      extent);
}

GeneratedNetwork
convforge::testing::randomBlockedFilterConv2D(std::mt19937_64 &rng) {
  return randomConv2DWith(rng, FilterKind::BlockedArgument);
}

GeneratedNetwork
convforge::testing::randomConstantFilterConv2D(std::mt19937_64 &rng) {
  return randomConv2DWith(rng, FilterKind::Constant);
}

GeneratedNetwork convforge::testing::randomPool(std::mt19937_64 &rng,
                                                bool isMax) {
  int64_t n = pickOf<int64_t>(rng, {1, 1, 2, 3});
  int64_t c = pickOf<int64_t>(rng, {1, 3, 5, 8, 16, 20, 32, 33, 64, 96});
  int64_t h = pick(rng, 1, 28), w = pick(rng, 1, 28);
  Window window = randomWindow(rng, h, w, 5, 3, /*isPool=*/true);
  bool includePad = !isMax && chance(rng, 0.5);
  std::string input = tensorType({n, h, w, c});
  std::string op = isMax ? "cnn.max_pool2d" : "cnn.avg_pool2d";
  std::string body =
      "  %y = " + op + " %x window [" + std::to_string(window.size[0]) + ", " +
      std::to_string(window.size[1]) + "]" + window.attributes() +
      (includePad ? " count_include_pad" : "") + " : (" + input +
      ") -> tensor<*xf32>\n";
  GeneratedNetwork network;
  network.source = function({"%x: " + input}, body, "%y");
  network.description = op + " input " + std::to_string(n) + "x" +
                        std::to_string(h) + "x" + std::to_string(w) + "x" +
                        std::to_string(c) + " window " + window.describe() +
                        (includePad ? " count_include_pad" : "");
  return network;
}

GeneratedNetwork
convforge::testing::randomLocallyConnected(std::mt19937_64 &rng) {
  int64_t n = pickOf<int64_t>(rng, {1, 2});
  int64_t c = pickOf<int64_t>(rng, {1, 2, 3, 5});
  int64_t k = pickOf<int64_t>(rng, {1, 4, 7, 16});
  int64_t h = pick(rng, 1, 10), w = pick(rng, 1, 10);
  Window window = randomWindow(rng, h, w, 3, 2, /*isPool=*/false);
  bool bias = chance(rng, 0.6);
  std::string input = tensorType({n, h, w, c});
  std::string filter = tensorType({window.output[0], window.output[1], k,
                                   window.size[0], window.size[1], c});
  std::string biasType = tensorType({window.output[0], window.output[1], k});
  std::vector<std::string> arguments = {"%x: " + input, "%f: " + filter};
  std::string operands = "%x, %f", types = input + ", " + filter;
  if (bias) {
    arguments.push_back("%b: " + biasType);
    operands += ", %b";
    types += ", " + biasType;
  }
  std::string body = "  %y = cnn.locally_connected2d " + operands +
                     window.attributes() + " : (" + types +
                     ") -> tensor<*xf32>\n";
  GeneratedNetwork network;
  network.source = function(arguments, body, "%y");
  network.description = "locally_connected2d input " + std::to_string(n) + "x" +
                        std::to_string(h) + "x" + std::to_string(w) + "x" +
                        std::to_string(c) + ", " + std::to_string(k) +
                        " filters " + window.describe();
  return network;
}

/// flatten? -> dense -> relu | softmax | nothing, with `features` inputs
/// (0: random).
static GeneratedNetwork randomClassifierWith(std::mt19937_64 &rng,
                                             int64_t features) {
  int64_t n = pickOf<int64_t>(rng, {1, 1, 2, 5});
  bool flatten = features == 0 && chance(rng, 0.4);
  llvm::SmallVector<int64_t> inputShape;
  if (flatten) {
    int64_t h = pick(rng, 1, 6), w = pick(rng, 1, 6), c = pick(rng, 1, 20);
    inputShape = {n, h, w, c};
    features = h * w * c;
  } else {
    if (features == 0)
      features = pick(rng, 1, 300);
    inputShape = {n, features};
  }
  int64_t units = pickOf<int64_t>(rng, {1, 2, 7, 10, 16, 33, 64, 100});
  bool bias = chance(rng, 0.7);
  int epilogue = static_cast<int>(pick(rng, 0, 2)); // none, relu, softmax

  std::string input = tensorType(inputShape);
  std::string weights = tensorType({units, features});
  std::vector<std::string> arguments = {"%x: " + input, "%w: " + weights};
  std::string body, value = "%x", valueType = input;
  if (flatten) {
    body += "  %flat = cnn.flatten %x : (" + input + ") -> tensor<*xf32>\n";
    value = "%flat";
    valueType = "tensor<*xf32>";
  }
  std::string operands = value + ", %w", types = valueType + ", " + weights;
  if (bias) {
    arguments.push_back("%b: " + tensorType({units}));
    operands += ", %b";
    types += ", " + tensorType({units});
  }
  body +=
      "  %d = cnn.dense " + operands + " : (" + types + ") -> tensor<*xf32>\n";
  std::string result = "%d";
  if (epilogue == 1) {
    body += "  %y = cnn.relu %d : (tensor<*xf32>) -> tensor<*xf32>\n";
    result = "%y";
  } else if (epilogue == 2) {
    body += "  %y = cnn.softmax %d : (tensor<*xf32>) -> tensor<*xf32>\n";
    result = "%y";
  }
  GeneratedNetwork network;
  network.source = function(arguments, body, result);
  network.description = std::string(flatten ? "flatten -> " : "") + "dense " +
                        std::to_string(features) + " -> " +
                        std::to_string(units) + (bias ? " with bias" : "") +
                        ", batch " + std::to_string(n) +
                        (epilogue == 1   ? " -> relu"
                         : epilogue == 2 ? " -> softmax"
                                         : "");
  return network;
}

GeneratedNetwork convforge::testing::randomClassifier(std::mt19937_64 &rng) {
  return randomClassifierWith(rng, 0);
}

GeneratedNetwork convforge::testing::randomLongDense(std::mt19937_64 &rng) {
  int64_t lanes = pickOf<int64_t>(rng, {8, 16});
  return randomClassifierWith(rng, lanes * pick(rng, 4, 160));
}

GeneratedNetwork convforge::testing::randomSmallNetwork(std::mt19937_64 &rng) {
  int64_t n = pickOf<int64_t>(rng, {1, 2});
  int64_t c = pickOf<int64_t>(rng, {1, 3});
  int64_t size = pick(rng, 8, 20);
  int64_t k1 = pickOf<int64_t>(rng, {4, 8, 16, 20});
  int64_t k2 = pickOf<int64_t>(rng, {8, 16, 32});
  int64_t units = pickOf<int64_t>(rng, {10, 16});
  // conv1 3x3 'same', pool 2x2/2 floor, conv2 3x3 valid: inputs of at least
  // 8 leave at least 2x2 for the second conv.
  int64_t pooled = size / 2;
  int64_t conv2 = pooled - 2;
  int64_t features = conv2 * conv2 * k2;
  bool avg = chance(rng, 0.5);
  std::string input = tensorType({n, size, size, c});
  std::string f1 = tensorType({k1, 3, 3, c}), b1 = tensorType({k1});
  std::string f2 = tensorType({k2, 3, 3, k1}), b2 = tensorType({k2});
  std::string fw = tensorType({units, features}), fb = tensorType({units});
  std::string unknown = "tensor<*xf32>";
  std::string body =
      "  %c1 = cnn.conv2d %x, %f1, %b1 padding [1] : (" + input + ", " + f1 +
      ", " + b1 + ") -> " + unknown + "\n" + "  %r1 = cnn.relu %c1 : (" +
      unknown + ") -> " + unknown + "\n" + "  %p1 = cnn." +
      (avg ? "avg_pool2d" : "max_pool2d") +
      " %r1 window [2] stride [2] rounding floor : (" + unknown + ") -> " +
      unknown + "\n" + "  %c2 = cnn.conv2d %p1, %f2, %b2 : (" + unknown + ", " +
      f2 + ", " + b2 + ") -> " + unknown + "\n" + "  %r2 = cnn.relu %c2 : (" +
      unknown + ") -> " + unknown + "\n" + "  %fl = cnn.flatten %r2 : (" +
      unknown + ") -> " + unknown + "\n" +
      "  %d = cnn.dense %fl, %fw, %fb : (" + unknown + ", " + fw + ", " + fb +
      ") -> " + unknown + "\n" + "  %y = cnn.softmax %d : (" + unknown +
      ") -> " + unknown + "\n";
  GeneratedNetwork network;
  network.source =
      function({"%x: " + input, "%f1: " + f1, "%b1: " + b1, "%f2: " + f2,
                "%b2: " + b2, "%fw: " + fw, "%fb: " + fb},
               body, "%y");
  network.description =
      "network " + std::to_string(n) + "x" + std::to_string(size) + "x" +
      std::to_string(size) + "x" + std::to_string(c) + ": conv3x3(" +
      std::to_string(k1) + ") relu " + (avg ? "avgpool" : "maxpool") +
      " conv3x3(" + std::to_string(k2) + ") relu flatten dense(" +
      std::to_string(units) + ") softmax";
  return network;
}

GeneratedNetwork convforge::testing::randomLayoutChange(std::mt19937_64 &rng) {
  auto randomPermutation = [&](int64_t rank) {
    llvm::SmallVector<int64_t> perm;
    for (int64_t d = 0; d < rank; ++d)
      perm.push_back(d);
    std::shuffle(perm.begin(), perm.end(), rng);
    return perm;
  };
  auto formatList = [](llvm::ArrayRef<int64_t> values) {
    std::string text = "[";
    for (size_t i = 0; i < values.size(); ++i)
      text += (i ? ", " : "") + std::to_string(values[i]);
    return text + "]";
  };

  int64_t rank = pick(rng, 1, 5);
  llvm::SmallVector<int64_t> shape;
  int64_t elements = 1;
  for (int64_t d = 0; d < rank; ++d) {
    shape.push_back(pick(rng, 1, 7));
    elements *= shape.back();
  }
  llvm::SmallVector<int64_t> perm = randomPermutation(rank);
  // A new shape with the same elements: the prime factors dealt out to a
  // random number of dimensions (1 where none falls).
  llvm::SmallVector<int64_t> factors;
  for (int64_t n = elements, p = 2; n > 1;) {
    if (n % p == 0) {
      factors.push_back(p);
      n /= p;
    } else {
      ++p;
    }
  }
  llvm::SmallVector<int64_t> newShape(pick(rng, 1, 4), 1);
  for (int64_t factor : factors)
    newShape[pick(rng, 0, static_cast<int64_t>(newShape.size()) - 1)] *= factor;
  bool softmax = chance(rng, 0.5);
  bool transposeBack = chance(rng, 0.5);
  llvm::SmallVector<int64_t> secondPerm =
      randomPermutation(static_cast<int64_t>(newShape.size()));

  std::string input = tensorType(shape);
  std::string body = "  %t = cnn.transpose %x perm " + formatList(perm) +
                     " : (" + input + ") -> tensor<*xf32>\n";
  body += "  %r = cnn.relu %t : (tensor<*xf32>) -> tensor<*xf32>\n";
  body += "  %s = cnn.reshape %r shape " + formatList(newShape) +
          " : (tensor<*xf32>) -> tensor<*xf32>\n";
  std::string value = "%s";
  std::string description = "transpose " + formatShape(shape) + " by " +
                            formatList(perm) + " -> relu -> reshape to " +
                            formatShape(newShape);
  if (softmax) {
    body +=
        "  %m = cnn.softmax " + value + " : (tensor<*xf32>) -> tensor<*xf32>\n";
    value = "%m";
    description += " -> softmax";
  }
  if (transposeBack) {
    body += "  %y = cnn.transpose " + value + " perm " +
            formatList(secondPerm) + " : (tensor<*xf32>) -> tensor<*xf32>\n";
    value = "%y";
    description += " -> transpose by " + formatList(secondPerm);
  }
  GeneratedNetwork network;
  network.source = function({"%x: " + input}, body, value);
  network.description = description;
  return network;
}
