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

/// Threads that run the kernel together, started once: a thread created
/// for each run would often start on its parent's CPU and share it for the
/// whole run, where a thread that lives on is spread over the CPUs by the
/// scheduler, as a thread pool's are. The calling thread is one of them.
/// Between runs the others spin, ready to start at once.
class Team {
public:
  Team(const Kernel &kernel, int threads) : kernel(kernel) {
    for (int t = 1; t < threads; ++t)
      workers.emplace_back([this] { work(); });
  }
  ~Team() {
    stop.store(true);
    for (std::thread &worker : workers)
      worker.join();
  }

  /// Runs the kernel for `iterations` on every thread at once; returns when
  /// all are done.
  void run(int64_t iterations) {
    this->iterations.store(iterations);
    done.store(0);
    generation.fetch_add(1);
    sink.store(loop(), std::memory_order_relaxed);
    while (done.load() < static_cast<int>(workers.size()))
      ;
  }

private:
  float loop() {
    // Volatile so that the compiler cannot fold the loop's operands. The
    // chains converge to b / (1 - a) and never overflow.
    volatile float a = 0.999999f, b = 1e-6f;
    return kernel.loop(iterations.load(), a, b);
  }

  void work() {
    int seen = 0;
    while (!stop.load()) {
      if (generation.load() == seen) {
        std::this_thread::yield();
        continue;
      }
      seen = generation.load();
      sink.store(loop(), std::memory_order_relaxed);
      done.fetch_add(1);
    }
  }

  const Kernel &kernel;
  std::vector<std::thread> workers;
  std::atomic<int> generation{0}, done{0};
  std::atomic<int64_t> iterations{0};
  std::atomic<bool> stop{false};
};

} // namespace

FmaPeak measureFmaPeak(int threads, int runs) {
  Kernel kernel = selectKernel();
  // Calibrate to ~5 ms per run: long enough that starting the team is noise
  // (microseconds), short enough that on a shared machine some runs fall
  // between other processes' time slices, which the fastest run reflects.
  const int64_t probe = 1 << 20;
  Team team(kernel, threads);
  auto probeStart = std::chrono::steady_clock::now();
  team.run(probe);
  double probeSeconds = secondsSince(probeStart);
  int64_t iterations = std::max<int64_t>(
      probe, static_cast<int64_t>(probe * 0.005 / probeSeconds));
  TimingOptions options;
  options.warmup = 1;
  options.repeat = runs;
  options.minRuns = runs;
  Timing timing = measure(
      [&] {
        team.run(iterations);
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
