//===- Layers.h - The layers convforge-bench measures -----------*- C++ -*-===//
//
// The benchmark's layer list (AlexNet, VGG and ResNet convolutions
// and max pools) and the arithmetic every runner shares: output sizes, FLOP
// counts and the layer's cnn-dialect source. No MLIR or oneDNN dependency, so
// that each runner can include it.
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_BENCH_LAYERS_H
#define CONVFORGE_BENCH_LAYERS_H

#include "ConvForge/Support/AlignedFloats.h"

#include <cstdint>
#include <string>
#include <vector>

namespace convforge::bench {

enum class LayerKind { Conv, MaxPool };

/// One square-window layer on an NHWC volume: a convolution with `filters`
/// filters of window × window × channels (and a bias), or a max pool. Output
/// sizes round down (frameworks' floor rounding); for every layer but the
/// ResNet stride-2 convolution the division is exact anyway.
struct Layer {
  std::string name;
  LayerKind kind = LayerKind::Conv;
  int64_t batch = 1;
  int64_t height = 0, width = 0, channels = 0;
  int64_t filters = 0; ///< convolutions only; a pool keeps `channels`
  int64_t window = 1;
  int64_t stride = 1;
  int64_t padding = 0; ///< on every side
  /// Whether the division (H - F + 2P) / S is inexact, so that the cnn
  /// dialect needs `rounding floor` to accept the layer.
  bool needsFloor() const;

  int64_t outHeight() const;
  int64_t outWidth() const;
  int64_t outChannels() const {
    return kind == LayerKind::Conv ? filters : channels;
  }

  /// Shapes in the cnn dialect's layouts: input and output NHWC, filter
  /// K × F × F × C (OHWI), bias K.
  std::vector<int64_t> inputShape() const;
  std::vector<int64_t> outputShape() const;
  std::vector<int64_t> filterShape() const;

  int64_t inputSize() const;
  int64_t outputSize() const;
  int64_t filterSize() const;

  /// 2 per multiply-accumulate for a convolution (the bias is not counted);
  /// one comparison per window element for a pool.
  double flops() const;

  /// The layer as a cnn-dialect function `@net` whose weights are arguments
  /// (input, filter, bias for a convolution). ConvForgeRunner makes them
  /// constants, as a network spec's are, so that the filter is packed at
  /// compile time.
  std::string cnnSource() const;
};

/// Every layer of the benchmark, in order.
std::vector<Layer> allLayers();

/// One layer's operands in the cnn dialect's layouts (see Layer), uniform in
/// [-1, 1) from a fixed seed, so that every implementation computes the same
/// function of the same numbers.
struct LayerData {
  AlignedFloats input;
  AlignedFloats filter; ///< empty for a pool
  AlignedFloats bias;   ///< empty for a pool
};
LayerData makeLayerData(const Layer &layer, uint64_t seed);

/// The largest |a - b| / max(1, |b|) over the elements (the check's
/// measure, as in convforge-run --check: relative for large values, absolute
/// near zero); infinity if the sizes differ.
double maxRelativeError(const AlignedFloats &a, const AlignedFloats &b);

} // namespace convforge::bench

#endif // CONVFORGE_BENCH_LAYERS_H
