//===- WeightGenerator.h - Deterministic generated weights ------*- C++ -*-===//
//
// The weights the spec frontend generates for layers whose weights the spec
// does not provide: uniform values from a splitmix64 stream, defined bit for
// bit (docs/SpecFormat.md) so that a spec and a seed give the same network
// on every platform and with every compiler.
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_FRONTEND_WEIGHTGENERATOR_H
#define CONVFORGE_FRONTEND_WEIGHTGENERATOR_H

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>

namespace convforge {

/// Which tensor of a layer a stream generates.
enum class WeightStream : uint64_t { Weights = 0, Biases = 1 };

/// The splitmix64 generator (Steele, Lea and Flood, 2014).
class SplitMix64 {
public:
  explicit SplitMix64(uint64_t state) : state(state) {}
  /// The stream of (seed, layer index, tensor): its state starts at
  /// mix(mix(mix(seed) + layerIndex) + stream), with mix the splitmix64
  /// output function of a state.
  SplitMix64(uint64_t seed, uint64_t layerIndex, WeightStream stream);

  uint64_t next();
  /// The splitmix64 step as a pure function: the output of state + golden.
  static uint64_t mix(uint64_t state);

private:
  uint64_t state;
};

/// Fills `values` with uniform values in [-bound, bound): value =
/// bound * (2k - 2^24) / 2^24 rounded to float, k the top 24 bits of each
/// next() of the (seed, layerIndex, stream) generator.
void generateUniform(llvm::MutableArrayRef<float> values, uint64_t seed,
                     uint64_t layerIndex, WeightStream stream, double bound);

/// The bound of generated weights for `fanIn` inputs per neuron:
/// sqrt(6 / fanIn) (He et al.'s uniform initialization).
double getWeightBound(int64_t fanIn);

/// The bound of generated biases.
inline constexpr double kBiasBound = 0.1;

} // namespace convforge

#endif // CONVFORGE_FRONTEND_WEIGHTGENERATOR_H
