//===- OneDnnRunner.h - The same layers with oneDNN -------------*- C++ -*-===//
//
// oneDNN's columns, in two variants per layer:
//
//   nhwc       activations in plain NHWC (ConvForge's layout); for a
//              convolution, the weights in the layout oneDNN prefers.
//   preferred  activations and weights in the layouts oneDNN prefers
//              (format_tag::any: usually blocked, e.g. nChw16c, but NHWC
//              for some implementations); for a pool, whose source cannot
//              be `any`, an nChw16c source as a blocked convolution would
//              produce and an `any` result.
//
// Reorders from and to the plain layouts run outside the timing and are
// reported separately. Only this file's implementation includes dnnl.hpp:
// the interface is plain C++ so that the rest of the benchmark (and the
// project) builds without oneDNN, with OneDnnStub.cpp in its place.
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_BENCH_ONEDNNRUNNER_H
#define CONVFORGE_BENCH_ONEDNNRUNNER_H

#include "Layers.h"
#include "Networks.h"
#include "Timing.h"

#include <string>
#include <vector>

namespace convforge::bench {

struct OneDnnResult {
  std::string variant; ///< "nhwc" or "preferred"
  int threads = 1;
  Timing timing;    ///< the primitive alone
  std::string impl; ///< oneDNN's implementation, e.g. "brg:avx512_core"
  std::string srcFormat, dstFormat; ///< as oneDNN names them ("acdb", ...)
  /// Median time of the reorders outside the timing (0 when none is
  /// needed): the filter from OHWI, the source from and the result to NHWC.
  double weightsReorderSeconds = 0;
  double srcReorderSeconds = 0;
  double dstReorderSeconds = 0;
  /// Networks: activation reorders inside the timed pass (-1 for a layer).
  int activationReorders = -1;
  AlignedFloats output; ///< NHWC
  std::string error;    ///< empty on success
};

/// Whether the benchmark was built with oneDNN.
bool oneDnnAvailable();
/// "oneDNN 2.6.3 (OpenMP)", or why it is missing.
std::string oneDnnDescription();

/// Runs both variants of `layer` on `threads` threads.
std::vector<OneDnnResult> runOneDnn(const Layer &layer, const LayerData &data,
                                    int threads, const TimingOptions &options);

/// The whole `network` as a chain of oneDNN primitives, both variants, on
/// `threads` threads, timed per forward pass from the NHWC `input` to the
/// last layer's output (in NHWC, or N×D after a flatten):
///
///   conv      convolution_forward (direct, with bias), a ReLU right after
///             it fused as an eltwise post-op
///   pools     pooling_forward (max, or average with or without padding)
///   relu      eltwise_forward in place, when it does not follow a conv or
///             dense layer
///   flatten   nothing: the next inner product takes the 4-D activation,
///             its weights as M×C×H×W in OHWI order (= units × NHWC-
///             flattened inputs); otherwise a reorder to NHWC, read as N×D
///   dense     inner_product_forward (with bias, ReLU post-op as for conv)
///   softmax   softmax_forward over the last axis
///
/// The weights are reordered into the layouts the primitives ask for
/// before the timing (weightsReorderSeconds: all of them, once). In the
/// preferred variant, activation reorders between primitives whose layouts
/// differ (and from the NHWC input) are part of the forward pass, timed.
/// `impl` lists the implementations oneDNN chose.
std::vector<OneDnnResult> runOneDnnNetwork(const NetworkModel &network,
                                           const AlignedFloats &input,
                                           int threads,
                                           const TimingOptions &options);

} // namespace convforge::bench

#endif // CONVFORGE_BENCH_ONEDNNRUNNER_H
