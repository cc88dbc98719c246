//===- Reference.cpp - Reference kernels of the cnn dialect's ops ---------===//
//
// Straightforward loop nests, one output element at a time, each written
// down from the formula in the op's description. Nothing here is clever on
// purpose: this is what the compiled kernels are checked against.
//
//===----------------------------------------------------------------------===//

#include "ConvForge/Reference/Reference.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

using namespace convforge;
using namespace convforge::reference;
using llvm::ArrayRef;
using llvm::Expected;
using llvm::StringRef;

//===----------------------------------------------------------------------===//

//===----------------------------------------------------------------------===//
// Operand checks
//===----------------------------------------------------------------------===//

/// An error "<op>: <message>".
static llvm::Error makeError(StringRef op, const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 (op + ": " + message).str());
}

/// Checks that `tensor` (the operand `role` of `op`) is well formed and,
/// when `rank` is not negative, has that rank. `layout` describes the
/// expected shape in messages.
static llvm::Error checkOperand(StringRef op, StringRef role,
                                const Tensor &tensor, int64_t rank,
                                StringRef layout = "") {
  if (!tensor.isWellFormed())
    return makeError(op, role + " has shape " + formatShape(tensor.shape) +
                             " but " + llvm::Twine(tensor.data.size()) +
                             " values");
  if (rank >= 0 && tensor.rank() != rank)
    return makeError(op, role + " must be " + llvm::Twine(rank) + "-D (" +
                             layout + "), got " + formatShape(tensor.shape));
  return llvm::Error::success();
}

static const char *const kAxisNames[2] = {"height", "width"};

/// The output height and width of a sliding window of FH×FW over the NHWC
/// `input`, or why the configuration is invalid. Pools also require the
/// padding to be smaller than the window (as the verifier does), so that
/// every window covers at least one input element and has a maximum and a
/// non-zero divisor.
static Expected<std::array<int64_t, 2>>
computeOutputSizes(StringRef op, const Tensor &input,
                   std::array<int64_t, 2> window, const WindowParams &params,
                   bool isPool) {
  std::array<int64_t, 2> sizes;
  for (unsigned axis = 0; axis < 2; ++axis) {
    StringRef axisName = kAxisNames[axis];
    WindowDim dim = params.dim(axis, input.shape[axis + 1], window[axis]);
    if (isPool && (dim.padBefore >= dim.window || dim.padAfter >= dim.window))
      return makeError(op, "padding " + llvm::Twine(dim.padBefore) + ", " +
                               llvm::Twine(dim.padAfter) + " along the " +
                               axisName + " is not smaller than the window " +
                               llvm::Twine(dim.window));
    WindowOutput output = computeWindowOutput(dim, params.rounding);
    switch (output.error) {
    case WindowError::None:
      sizes[axis] = output.size;
      continue;
    case WindowError::NotExact:
      return makeError(op, "output " + axisName + " " +
                               formatWindowArithmetic(dim) +
                               " is not an integer (rounding exact)");
    case WindowError::NonPositiveInput:
      return makeError(op, "input " + axisName + " must be positive, got " +
                               llvm::Twine(dim.input));
    case WindowError::NonPositiveWindow:
      return makeError(op, "window " + axisName + " must be positive, got " +
                               llvm::Twine(dim.window));
    case WindowError::NonPositiveStride:
      return makeError(op, "stride must be positive, got " +
                               llvm::Twine(dim.stride));
    case WindowError::NegativePadding:
      return makeError(op, "padding must be non-negative");
    case WindowError::Overflow:
      return makeError(op, llvm::Twine("padded input ") + axisName +
                               " overflows int64");
    case WindowError::WindowLargerThanInput:
      return makeError(
          op, "window " + axisName + " " + llvm::Twine(dim.window) +
                  " is larger than the padded input " +
                  llvm::Twine(dim.input + dim.padBefore + dim.padAfter));
    }
  }
  return sizes;
}

/// Whether (row, col) lies inside the unpadded H×W input.
static bool isInside(int64_t row, int64_t col, int64_t height, int64_t width) {
  return row >= 0 && row < height && col >= 0 && col < width;
}

//===----------------------------------------------------------------------===//
// Convolutions
//===----------------------------------------------------------------------===//

namespace {
/// How a convolution finds its weights: conv2d shares one filter bank,
/// locally_connected2d has one per output position (y, x).
struct ConvWeights {
  int64_t numFilters, filterHeight, filterWidth;
  /// filter (y, x, k) at tap (i, j, c).
  llvm::function_ref<float(int64_t y, int64_t x, int64_t k, int64_t i,
                           int64_t j, int64_t c)>
      weight;
  /// bias (y, x, k); 0 when there is none.
  llvm::function_ref<float(int64_t y, int64_t x, int64_t k)> bias;
};
} // namespace

/// output[n, y, x, k] = bias(y, x, k) + Σ_{i,j,c}
///   input[n, y*SH + i - pad_top, x*SW + j - pad_left, c] * weight(y,x,k,i,j,c)
/// where positions outside the input (explicit padding, and the `ceil`
/// overhang past the padded input) read as zero.
static Tensor convolve(const Tensor &input, const ConvWeights &weights,
                       std::array<int64_t, 2> outputSize,
                       const WindowParams &params) {
  int64_t batch = input.shape[0], height = input.shape[1],
          width = input.shape[2], depth = input.shape[3];
  Tensor output({batch, outputSize[0], outputSize[1], weights.numFilters});
  for (int64_t n = 0; n < batch; ++n)
    for (int64_t y = 0; y < outputSize[0]; ++y)
      for (int64_t x = 0; x < outputSize[1]; ++x)
        for (int64_t k = 0; k < weights.numFilters; ++k) {
          double sum = 0.0;
          for (int64_t i = 0; i < weights.filterHeight; ++i)
            for (int64_t j = 0; j < weights.filterWidth; ++j) {
              int64_t row = y * params.stride[0] + i - params.padBefore[0];
              int64_t col = x * params.stride[1] + j - params.padBefore[1];
              // Zero padding adds nothing to the sum.
              if (!isInside(row, col, height, width))
                continue;
              for (int64_t c = 0; c < depth; ++c)
                sum += static_cast<double>(input.at({n, row, col, c})) *
                       static_cast<double>(weights.weight(y, x, k, i, j, c));
            }
          sum += static_cast<double>(weights.bias(y, x, k));
          output.at({n, y, x, k}) = static_cast<float>(sum);
        }
  return output;
}

Expected<Tensor> convforge::reference::conv2d(const Tensor &input,
                                              const Tensor &filter,
                                              const Tensor *bias,
                                              const WindowParams &params) {
  StringRef op = "conv2d";
  if (llvm::Error error = checkOperand(op, "input", input, 4, "N×H×W×C"))
    return std::move(error);
  if (llvm::Error error = checkOperand(op, "filter", filter, 4, "K×FH×FW×C"))
    return std::move(error);
  int64_t numFilters = filter.shape[0];
  if (filter.shape[3] != input.shape[3])
    return makeError(op, "filter depth " + llvm::Twine(filter.shape[3]) +
                             " does not match input depth " +
                             llvm::Twine(input.shape[3]));
  if (bias) {
    if (llvm::Error error = checkOperand(op, "bias", *bias, 1, "K"))
      return std::move(error);
    if (bias->shape[0] != numFilters)
      return makeError(op, "bias has " + llvm::Twine(bias->shape[0]) +
                               " values but there are " +
                               llvm::Twine(numFilters) + " filters");
  }
  Expected<std::array<int64_t, 2>> outputSize = computeOutputSizes(
      op, input, {filter.shape[1], filter.shape[2]}, params, /*isPool=*/false);
  if (!outputSize)
    return outputSize.takeError();

  auto weight = [&](int64_t, int64_t, int64_t k, int64_t i, int64_t j,
                    int64_t c) { return filter.at({k, i, j, c}); };
  auto biasAt = [&](int64_t, int64_t, int64_t k) {
    return bias ? bias->at({k}) : 0.0f;
  };
  return convolve(
      input, {numFilters, filter.shape[1], filter.shape[2], weight, biasAt},
      *outputSize, params);
}

Expected<Tensor> convforge::reference::locallyConnected2d(
    const Tensor &input, const Tensor &filter, const Tensor *bias,
    const WindowParams &params) {
  StringRef op = "locally_connected2d";
  if (llvm::Error error = checkOperand(op, "input", input, 4, "N×H×W×C"))
    return std::move(error);
  if (llvm::Error error =
          checkOperand(op, "filter", filter, 6, "H2×W2×K×FH×FW×C"))
    return std::move(error);
  if (filter.shape[5] != input.shape[3])
    return makeError(op, "filter depth " + llvm::Twine(filter.shape[5]) +
                             " does not match input depth " +
                             llvm::Twine(input.shape[3]));
  Expected<std::array<int64_t, 2>> outputSize = computeOutputSizes(
      op, input, {filter.shape[3], filter.shape[4]}, params, /*isPool=*/false);
  if (!outputSize)
    return outputSize.takeError();
  if (filter.shape[0] != (*outputSize)[0] ||
      filter.shape[1] != (*outputSize)[1])
    return makeError(op, "filter has " + llvm::Twine(filter.shape[0]) + "x" +
                             llvm::Twine(filter.shape[1]) +
                             " output positions but the output is " +
                             llvm::Twine((*outputSize)[0]) + "x" +
                             llvm::Twine((*outputSize)[1]));
  if (bias) {
    if (llvm::Error error = checkOperand(op, "bias", *bias, 3, "H2×W2×K"))
      return std::move(error);
    if (ArrayRef<int64_t>(bias->shape) !=
        ArrayRef<int64_t>(filter.shape).take_front(3))
      return makeError(
          op, "bias " + formatShape(bias->shape) +
                  " does not match the filter's H2×W2×K " +
                  formatShape(ArrayRef<int64_t>(filter.shape).take_front(3)));
  }

  auto weight = [&](int64_t y, int64_t x, int64_t k, int64_t i, int64_t j,
                    int64_t c) { return filter.at({y, x, k, i, j, c}); };
  auto biasAt = [&](int64_t y, int64_t x, int64_t k) {
    return bias ? bias->at({y, x, k}) : 0.0f;
  };
  return convolve(
      input,
      {filter.shape[2], filter.shape[3], filter.shape[4], weight, biasAt},
      *outputSize, params);
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

/// Checks a pool's input and computes its output sizes.
static Expected<std::array<int64_t, 2>>
checkPool(StringRef op, const Tensor &input, int64_t windowHeight,
          int64_t windowWidth, const WindowParams &params) {
  if (llvm::Error error = checkOperand(op, "input", input, 4, "N×H×W×C"))
    return std::move(error);
  return computeOutputSizes(op, input, {windowHeight, windowWidth}, params,
                            /*isPool=*/true);
}

Expected<Tensor> convforge::reference::maxPool2d(const Tensor &input,
                                                 int64_t windowHeight,
                                                 int64_t windowWidth,
                                                 const WindowParams &params) {
  Expected<std::array<int64_t, 2>> outputSize =
      checkPool("max_pool2d", input, windowHeight, windowWidth, params);
  if (!outputSize)
    return outputSize.takeError();
  int64_t batch = input.shape[0], height = input.shape[1],
          width = input.shape[2], depth = input.shape[3];
  Tensor output({batch, (*outputSize)[0], (*outputSize)[1], depth});
  for (int64_t n = 0; n < batch; ++n)
    for (int64_t y = 0; y < (*outputSize)[0]; ++y)
      for (int64_t x = 0; x < (*outputSize)[1]; ++x)
        for (int64_t c = 0; c < depth; ++c) {
          // Padded positions act as -inf: they are skipped. The checks in
          // computeOutputSizes guarantee at least one position is inside.
          float best = -std::numeric_limits<float>::infinity();
          for (int64_t i = 0; i < windowHeight; ++i)
            for (int64_t j = 0; j < windowWidth; ++j) {
              int64_t row = y * params.stride[0] + i - params.padBefore[0];
              int64_t col = x * params.stride[1] + j - params.padBefore[1];
              if (!isInside(row, col, height, width))
                continue;
              float value = input.at({n, row, col, c});
              // A NaN input makes the maximum NaN (as arith.maximumf).
              if (std::isnan(value) || value > best)
                best = value;
            }
          output.at({n, y, x, c}) = best;
        }
  return output;
}

Expected<Tensor> convforge::reference::avgPool2d(const Tensor &input,
                                                 int64_t windowHeight,
                                                 int64_t windowWidth,
                                                 const WindowParams &params,
                                                 bool countIncludePad) {
  Expected<std::array<int64_t, 2>> outputSize =
      checkPool("avg_pool2d", input, windowHeight, windowWidth, params);
  if (!outputSize)
    return outputSize.takeError();
  int64_t batch = input.shape[0], height = input.shape[1],
          width = input.shape[2], depth = input.shape[3];
  // The region the divisor counts: the input, or with count_include_pad the
  // explicitly padded input. Neither includes the `ceil` overhang, which
  // lies past the padded input.
  int64_t countFrom[2] = {0, 0}, countTo[2] = {height, width};
  if (countIncludePad)
    for (unsigned axis = 0; axis < 2; ++axis) {
      countFrom[axis] = -params.padBefore[axis];
      countTo[axis] = input.shape[axis + 1] + params.padAfter[axis];
    }
  Tensor output({batch, (*outputSize)[0], (*outputSize)[1], depth});
  for (int64_t n = 0; n < batch; ++n)
    for (int64_t y = 0; y < (*outputSize)[0]; ++y)
      for (int64_t x = 0; x < (*outputSize)[1]; ++x)
        for (int64_t c = 0; c < depth; ++c) {
          double sum = 0.0;
          int64_t divisor = 0;
          for (int64_t i = 0; i < windowHeight; ++i)
            for (int64_t j = 0; j < windowWidth; ++j) {
              int64_t row = y * params.stride[0] + i - params.padBefore[0];
              int64_t col = x * params.stride[1] + j - params.padBefore[1];
              if (row >= countFrom[0] && row < countTo[0] &&
                  col >= countFrom[1] && col < countTo[1])
                ++divisor;
              // Padding is zero: only input elements add to the sum.
              if (isInside(row, col, height, width))
                sum += static_cast<double>(input.at({n, row, col, c}));
            }
          // divisor >= 1: every window covers an input element.
          output.at({n, y, x, c}) =
              static_cast<float>(sum / static_cast<double>(divisor));
        }
  return output;
}

//===----------------------------------------------------------------------===//
// Elementwise and fully-connected ops
//===----------------------------------------------------------------------===//

Expected<Tensor> convforge::reference::relu(const Tensor &input) {
  if (llvm::Error error = checkOperand("relu", "input", input, -1))
    return std::move(error);
  Tensor output = input;
  for (float &value : output.data)
    // `value < 0` is false for NaN, which therefore passes through.
    if (value < 0.0f)
      value = 0.0f;
  return output;
}

Expected<Tensor> convforge::reference::dense(const Tensor &input,
                                             const Tensor &weights,
                                             const Tensor *bias) {
  StringRef op = "dense";
  if (llvm::Error error = checkOperand(op, "input", input, 2, "N×D"))
    return std::move(error);
  if (llvm::Error error = checkOperand(op, "weights", weights, 2, "M×D"))
    return std::move(error);
  int64_t batch = input.shape[0], features = input.shape[1],
          units = weights.shape[0];
  if (weights.shape[1] != features)
    return makeError(op, "weights take " + llvm::Twine(weights.shape[1]) +
                             " input features but the input has " +
                             llvm::Twine(features));
  if (bias) {
    if (llvm::Error error = checkOperand(op, "bias", *bias, 1, "M"))
      return std::move(error);
    if (bias->shape[0] != units)
      return makeError(op, "bias has " + llvm::Twine(bias->shape[0]) +
                               " values but there are " + llvm::Twine(units) +
                               " units");
  }
  Tensor output({batch, units});
  for (int64_t n = 0; n < batch; ++n)
    for (int64_t m = 0; m < units; ++m) {
      double sum = 0.0;
      for (int64_t d = 0; d < features; ++d)
        sum += static_cast<double>(input.at({n, d})) *
               static_cast<double>(weights.at({m, d}));
      if (bias)
        sum += static_cast<double>(bias->at({m}));
      output.at({n, m}) = static_cast<float>(sum);
    }
  return output;
}

Expected<Tensor> convforge::reference::flatten(const Tensor &input) {
  if (llvm::Error error = checkOperand("flatten", "input", input, -1))
    return std::move(error);
  if (input.rank() < 2)
    return makeError("flatten", "input must have a batch dimension and at "
                                "least one more, got " +
                                    formatShape(input.shape));
  // Row-major storage already orders the features as (y·W + x)·D + c:
  // flattening only renames the shape.
  int64_t batch = input.shape[0];
  return Tensor({batch, input.numElements() / std::max<int64_t>(batch, 1)},
                input.data);
}

Expected<Tensor> convforge::reference::softmax(const Tensor &input) {
  if (llvm::Error error = checkOperand("softmax", "input", input, -1))
    return std::move(error);
  if (input.rank() < 1)
    return makeError("softmax", "input must have at least one dimension");
  Tensor output = input;
  int64_t length = input.shape.back();
  if (length == 0)
    return output;
  int64_t rows = input.numElements() / length;
  for (int64_t r = 0; r < rows; ++r) {
    const float *in = input.data.data() + r * length;
    float *out = output.data.data() + r * length;
    // exp(x - max) <= 1, so nothing overflows however large x is.
    double maximum = *std::max_element(in, in + length);
    double sum = 0.0;
    for (int64_t i = 0; i < length; ++i)
      sum += std::exp(static_cast<double>(in[i]) - maximum);
    for (int64_t i = 0; i < length; ++i)
      out[i] = static_cast<float>(
          std::exp(static_cast<double>(in[i]) - maximum) / sum);
  }
  return output;
}

Expected<Tensor>
convforge::reference::transpose(const Tensor &input,
                                llvm::ArrayRef<int64_t> permutation) {
  if (llvm::Error error = checkOperand("transpose", "input", input, -1))
    return std::move(error);
  int64_t rank = input.rank();
  if (static_cast<int64_t>(permutation.size()) != rank)
    return makeError("transpose", "the permutation has " +
                                      llvm::Twine(permutation.size()) +
                                      " values but the input is " +
                                      formatShape(input.shape));
  std::vector<bool> seen(rank, false);
  for (int64_t dim : permutation) {
    if (dim < 0 || dim >= rank || seen[dim])
      return makeError("transpose", "the values are not a permutation of 0.." +
                                        llvm::Twine(rank - 1));
    seen[dim] = true;
  }
  llvm::SmallVector<int64_t, 6> shape;
  for (int64_t dim : permutation)
    shape.push_back(input.shape[dim]);
  Tensor output(shape);
  // Walk the output in row-major order; the input index of output index i
  // has i[d] at position permutation[d].
  llvm::SmallVector<int64_t, 6> index(rank, 0), source(rank, 0);
  for (int64_t i = 0, e = output.numElements(); i < e; ++i) {
    for (int64_t d = 0; d < rank; ++d)
      source[permutation[d]] = index[d];
    output.data[i] = input.at(source);
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
  return output;
}

Expected<Tensor> convforge::reference::reshape(const Tensor &input,
                                               llvm::ArrayRef<int64_t> shape) {
  if (llvm::Error error = checkOperand("reshape", "input", input, -1))
    return std::move(error);
  Tensor output(shape, input.data);
  if (!output.isWellFormed())
    return makeError("reshape", "the input " + formatShape(input.shape) +
                                    " does not have the " + formatShape(shape) +
                                    "'s element count");
  return output;
}
