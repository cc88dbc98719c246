//===- OneDnnStub.cpp - OneDnnRunner when oneDNN was not found ------------===//
//
// Built instead of OneDnnRunner.cpp when CMake does not find oneDNN, so that
// the benchmark still builds and reports ConvForge and the reference alone.
//
//===----------------------------------------------------------------------===//

#include "OneDnnRunner.h"

namespace convforge::bench {

bool oneDnnAvailable() { return false; }

std::string oneDnnDescription() {
  return "oneDNN not found at configure time (install libdnnl-dev and "
         "reconfigure)";
}

std::vector<OneDnnResult> runOneDnn(const Layer &, const LayerData &, int,
                                    const TimingOptions &) {
  return {};
}

std::vector<OneDnnResult> runOneDnnNetwork(const NetworkModel &,
                                           const AlignedFloats &, int,
                                           const TimingOptions &) {
  return {};
}

} // namespace convforge::bench
