//===- FmaPeak.cpp - Measured f32 FMA throughput of this machine ----------===//
//
// Dispatches to the widest kernel the CPU supports (the kernels' files are
// compiled for their ISA; this one is not, so it runs anywhere) and runs it
// on `threads` threads at once.
//
//===----------------------------------------------------------------------===//

#include "FmaPeak.h"
#include "Timing.h"

#include <atomic>
#include <thread>
#include <vector>

namespace convforge::bench {

namespace {

struct Kernel {
  float (*loop)(int64_t, float, float);
  double flopsPerIteration;
  const char *isa;
};

Kernel selectKernel() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f"))
    return {fmaLoopAvx512, 2.0 * kAvx512Chains * kAvx512Lanes, "avx512f"};
  return {fmaLoopAvx2, 2.0 * kAvx2Chains * kAvx2Lanes, "avx2"};
}

// Written by every thread so that the results are used.
std::atomic<float> sink{0};

/// Runs the kernel on `threads` threads at once (the caller times the whole:
/// starting two threads costs microseconds against a 5 ms run).
void runOnThreads(const Kernel &kernel, int threads, int64_t iterations) {
  // Volatile so that the compiler cannot fold the loop's operands. The
  // chains converge to b / (1 - a) and never overflow.
  volatile float a = 0.999999f, b = 1e-6f;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t)
    workers.emplace_back([&] {
      sink.store(kernel.loop(iterations, a, b), std::memory_order_relaxed);
    });
  for (std::thread &worker : workers)
    worker.join();
}

} // namespace

FmaPeak measureFmaPeak(int threads, int runs) {
  Kernel kernel = selectKernel();
  // Calibrate to ~5 ms per run: long enough that starting the threads is
  // noise (tens of microseconds), short enough that on a shared machine
  // some runs fall between other processes' time slices, which the fastest
  // run then reflects.
  const int64_t probe = 1 << 20;
  auto probeStart = std::chrono::steady_clock::now();
  runOnThreads(kernel, 1, probe);
  double probeSeconds = secondsSince(probeStart);
  int64_t iterations = std::max<int64_t>(
      probe, static_cast<int64_t>(probe * 0.005 / probeSeconds));
  TimingOptions options;
  options.warmup = 1;
  options.repeat = runs;
  options.minRuns = runs;
  Timing timing = measure(
      [&] {
        runOnThreads(kernel, threads, iterations);
        return true;
      },
      options);
  double flops = kernel.flopsPerIteration * iterations * threads;
  FmaPeak peak;
  peak.gflops = flops / timing.min / 1e9;
  peak.medianGflops = flops / timing.median / 1e9;
  peak.isa = kernel.isa;
  peak.threads = threads;
  return peak;
}

} // namespace convforge::bench
