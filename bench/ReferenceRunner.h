//===- ReferenceRunner.h - Time the reference kernels -----------*- C++ -*-===//
//
// The naive column: ConvForge's reference kernels (plain loops, double
// accumulation; lib/Reference), the floor every compiled kernel should be
// far above. They are slow, so the caller times few runs (one on big
// layers).
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_BENCH_REFERENCERUNNER_H
#define CONVFORGE_BENCH_REFERENCERUNNER_H

#include "Layers.h"
#include "Timing.h"

#include <string>
#include <vector>

namespace convforge::bench {

struct ReferenceResult {
  Timing timing;
  AlignedFloats output; ///< NHWC
  std::string error;    ///< empty on success
};

ReferenceResult runReference(const Layer &layer, const LayerData &data,
                             const TimingOptions &options);

} // namespace convforge::bench

#endif // CONVFORGE_BENCH_REFERENCERUNNER_H
