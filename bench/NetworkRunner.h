//===- NetworkRunner.h - A whole network through ConvForge ------*- C++ -*-===//
//
// ConvForge's column for a whole network: the spec loaded through the driver
// exactly as convforge-run loads it (driver::Session::load, then
// driver::packFilters and driver::outlineWeights), compiled with the JIT for
// a thread count, and timed per call from the NHWC input to the last layer's
// output. The loaded weights, before packing, are also handed out as a
// NetworkModel for oneDNN to build the same network from.
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_BENCH_NETWORKRUNNER_H
#define CONVFORGE_BENCH_NETWORKRUNNER_H

#include "ConvForgeRunner.h"
#include "Networks.h"
#include "Timing.h"

#include <memory>
#include <string>
#include <vector>

namespace convforge::bench {

class NetworkRunner {
public:
  NetworkRunner();
  ~NetworkRunner();

  /// Loads the spec at `path`, reads its ops and weights into model(), then
  /// packs its filters and outlines its weights for the JIT. Returns why it
  /// failed, or an empty string. The driver's diagnostics go to stderr.
  std::string load(const std::string &path);

  /// The network as loaded (weights in the dialect's layouts, before
  /// packing). Valid while this runner lives.
  const NetworkModel &model() const;

  /// Seconds spent loading (spec parsing, weight generation, shape
  /// inference) and packing the filters.
  double loadSeconds() const;
  double packSeconds() const;

  /// Compiles the network for `threads` threads and times it on `input`
  /// (NHWC, the model's input shape). `packSeconds` of the result is the
  /// filters' packing at load time.
  ConvForgeResult run(const AlignedFloats &input, const TimingOptions &options,
                      int threads);

private:
  struct State;
  std::unique_ptr<State> state;
};

} // namespace convforge::bench

#endif // CONVFORGE_BENCH_NETWORKRUNNER_H
