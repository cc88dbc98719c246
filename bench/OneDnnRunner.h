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
  std::vector<float> output; ///< NHWC
  std::string error;         ///< empty on success
};

/// Whether the benchmark was built with oneDNN.
bool oneDnnAvailable();
/// "oneDNN 2.6.3 (OpenMP)", or why it is missing.
std::string oneDnnDescription();

/// Runs both variants of `layer` on `threads` threads.
std::vector<OneDnnResult> runOneDnn(const Layer &layer, const LayerData &data,
                                    int threads, const TimingOptions &options);

} // namespace convforge::bench

#endif // CONVFORGE_BENCH_ONEDNNRUNNER_H
