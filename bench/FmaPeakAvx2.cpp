//===- FmaPeakAvx2.cpp - FMA throughput kernel, AVX2 ----------------------===//
//
// Compiled with -mavx2 -mfma (this file only): the fallback for CPUs without
// AVX-512. 12 accumulators cover FMA latency × ports (4 × 2) with margin and
// leave registers for the operands among the 16 ymm registers.
//
//===----------------------------------------------------------------------===//

#include "FmaPeak.h"

#include <immintrin.h>

namespace convforge::bench {

float fmaLoopAvx2(int64_t iterations, float a, float b) {
  static_assert(kAvx2Chains == 12, "the loop body below has 12 chains");
  __m256 va = _mm256_set1_ps(a), vb = _mm256_set1_ps(b);
  __m256 acc[kAvx2Chains];
  for (int i = 0; i < kAvx2Chains; ++i)
    acc[i] = _mm256_set1_ps(static_cast<float>(i));
  for (int64_t it = 0; it < iterations; ++it) {
#pragma clang loop unroll(full)
    for (int i = 0; i < kAvx2Chains; ++i)
      acc[i] = _mm256_fmadd_ps(acc[i], va, vb);
  }
  __m256 sum = acc[0];
  for (int i = 1; i < kAvx2Chains; ++i)
    sum = _mm256_add_ps(sum, acc[i]);
  float lanes[8];
  _mm256_storeu_ps(lanes, sum);
  float total = 0;
  for (float lane : lanes)
    total += lane;
  return total;
}

} // namespace convforge::bench
