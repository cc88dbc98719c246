//===- FmaPeakAvx512.cpp - FMA throughput kernel, AVX-512 -----------------===//
//
// Compiled with -mavx512f -mfma (this file only); called only when the CPU
// supports AVX-512F. 24 accumulators: far more independent chains than FMA
// latency × FMA ports (4 × 2 on current cores), so the loop is bound by FMA
// throughput, and with the two operands they still fit the 32 zmm registers.
//
//===----------------------------------------------------------------------===//

#include "FmaPeak.h"

#include <immintrin.h>

namespace convforge::bench {

float fmaLoopAvx512(int64_t iterations, float a, float b) {
  static_assert(kAvx512Chains == 24, "the loop body below has 24 chains");
  __m512 va = _mm512_set1_ps(a), vb = _mm512_set1_ps(b);
  __m512 acc[kAvx512Chains];
  for (int i = 0; i < kAvx512Chains; ++i)
    acc[i] = _mm512_set1_ps(static_cast<float>(i));
  for (int64_t it = 0; it < iterations; ++it) {
    // Fully unrolled, the array lives in registers.
#pragma clang loop unroll(full)
    for (int i = 0; i < kAvx512Chains; ++i)
      acc[i] = _mm512_fmadd_ps(acc[i], va, vb);
  }
  __m512 sum = acc[0];
  for (int i = 1; i < kAvx512Chains; ++i)
    sum = _mm512_add_ps(sum, acc[i]);
  return _mm512_reduce_add_ps(sum);
}

} // namespace convforge::bench
