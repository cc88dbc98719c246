//===- FmaPeak.h - Measured f32 FMA throughput of this machine --*- C++ -*-===//
//
// The denominator of every "% of peak" figure: the f32 FLOP/s that
// independent vector FMAs reach on this CPU, measured rather than taken from
// a data sheet (the clock of a shared virtual machine is not known).
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_BENCH_FMAPEAK_H
#define CONVFORGE_BENCH_FMAPEAK_H

#include <cstdint>

namespace convforge::bench {

struct FmaPeak {
  /// The best of the timed runs, all threads: noise (other processes, the
  /// hypervisor) only ever slows the kernel down, so the fastest run is the
  /// closest to what the hardware can do.
  double gflops = 0;
  double medianGflops = 0;
  const char *isa = ""; ///< "avx512f" or "avx2"
  int threads = 1;
};

/// Measures the FMA peak with `threads` threads, each running the widest
/// kernel the CPU supports (chosen at run time): a warm-up, then `runs` runs
/// of about 5 ms.
FmaPeak measureFmaPeak(int threads, int runs = 100);

// The kernels, each in its own file compiled for its ISA. Each runs
// `iterations` iterations of `kChains` independent FMA chains on full
// vectors and returns a value that depends on all of them, so that the
// compiler cannot drop the work. FLOPs: iterations * chains * lanes * 2.
float fmaLoopAvx512(int64_t iterations, float a, float b);
float fmaLoopAvx2(int64_t iterations, float a, float b);
constexpr int kAvx512Chains = 24;
constexpr int kAvx512Lanes = 16;
constexpr int kAvx2Chains = 12;
constexpr int kAvx2Lanes = 8;

} // namespace convforge::bench

#endif // CONVFORGE_BENCH_FMAPEAK_H
