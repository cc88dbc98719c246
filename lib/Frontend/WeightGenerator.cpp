//===- WeightGenerator.cpp - Deterministic generated weights --------------===//
//
// Only integer arithmetic and two correctly rounded IEEE operations (sqrt
// and one multiplication, then the conversion to float) produce a value, so
// the results do not depend on the platform, the compiler or its
// floating-point contraction settings.
//
//===----------------------------------------------------------------------===//

#include "ConvForge/Frontend/WeightGenerator.h"

#include <cmath>

using namespace convforge;

static constexpr uint64_t kGolden = 0x9E3779B97F4A7C15ull;

uint64_t SplitMix64::mix(uint64_t state) {
  uint64_t z = state + kGolden;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

SplitMix64::SplitMix64(uint64_t seed, uint64_t layerIndex, WeightStream stream)
    : state(mix(mix(mix(seed) + layerIndex) + uint64_t(stream))) {}

uint64_t SplitMix64::next() {
  uint64_t result = mix(state);
  state += kGolden;
  return result;
}

void convforge::generateUniform(llvm::MutableArrayRef<float> values,
                                uint64_t seed, uint64_t layerIndex,
                                WeightStream stream, double bound) {
  SplitMix64 generator(seed, layerIndex, stream);
  for (float &value : values) {
    // 2k - 2^24 is an exact integer in [-2^24, 2^24) and the scaling by a
    // power of two is exact: only the product with `bound` rounds.
    int64_t k = int64_t(generator.next() >> 40);
    double unit = double(2 * k - (int64_t(1) << 24)) * 0x1p-24;
    value = float(unit * bound);
  }
}

double convforge::getWeightBound(int64_t fanIn) {
  return std::sqrt(6.0 / double(fanIn > 0 ? fanIn : 1));
}
