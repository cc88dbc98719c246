//===- Networks.h - Whole networks, as plain data ---------------*- C++ -*-===//
//
// A network spec as convforge-bench's runners see it: the ops of the loaded
// cnn-dialect function in order, with their shapes, window parameters and
// weights (the spec's own values, in the dialect's layouts). Written by
// NetworkRunner (which loads the spec through the driver) and read by
// OneDnnRunner, which builds the same network from oneDNN's primitives. No
// MLIR or oneDNN dependency, so that both can include it.
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_BENCH_NETWORKS_H
#define CONVFORGE_BENCH_NETWORKS_H

#include "ConvForge/Support/AlignedFloats.h"

#include <cstdint>
#include <string>
#include <vector>

namespace convforge::bench {

/// A weight tensor of the network: `data` points into the loaded module's
/// constant (valid while the module lives), or into `owned`.
struct NetworkTensor {
  std::vector<int64_t> shape;
  const float *data = nullptr;
  AlignedFloats owned;

  int64_t size() const;
  bool present() const { return data != nullptr; }
};

enum class NetworkOpKind {
  Conv,
  MaxPool,
  AvgPool,
  Relu,
  Flatten,
  Dense,
  Softmax
};

/// One op of the network. Activations are NHWC (N×H×W×C) or, after a
/// flatten, N×D with D the NHWC-flattened volume.
struct NetworkOp {
  std::string name; ///< the spec's layer name
  NetworkOpKind kind = NetworkOpKind::Relu;
  std::vector<int64_t> inputShape, outputShape;
  /// Sliding windows (conv and pools): index 0 height, 1 width.
  int64_t window[2] = {1, 1};
  int64_t stride[2] = {1, 1};
  int64_t padBefore[2] = {0, 0}, padAfter[2] = {0, 0};
  bool countIncludePad = false; ///< average pools
  /// Conv: K×FH×FW×C (OHWI); dense: M×D (units × NHWC-flattened inputs).
  NetworkTensor weights;
  NetworkTensor bias; ///< K or M; absent if the layer has none
};

/// A whole network, batch included, as loaded from its spec.
struct NetworkModel {
  std::string name; ///< the spec's `name` (the function's)
  std::string path; ///< the spec file
  std::vector<int64_t> inputShape, outputShape;
  std::vector<NetworkOp> ops;
  /// 2 per multiply-accumulate of every conv and dense layer
  /// (cnn::computeNetworkStats), for the whole batch: pools, ReLUs and the
  /// softmax count nothing.
  double flops = 0;
  int64_t parameters = 0; ///< weights and biases

  int64_t batch() const { return inputShape.empty() ? 0 : inputShape[0]; }
  int64_t outputSize() const;
  /// "5 conv, 3 maxpool, 3 dense, 7 relu, flatten, softmax".
  std::string summary() const;
};

/// The largest |a - b| / |b| over the elements, |b| taken at least 1e-30:
/// the relative error of every element. A network's output is a softmax,
/// whose probabilities are all far below 1, so that the layers' measure
/// (relative above 1, absolute below) would accept almost anything there;
/// this one is relative for each probability, i.e. about the absolute error
/// of the logits. Infinity if the sizes differ or on a NaN.
double maxElementwiseRelativeError(const AlignedFloats &a,
                                   const AlignedFloats &b);

} // namespace convforge::bench

#endif // CONVFORGE_BENCH_NETWORKS_H
