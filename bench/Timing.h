//===- Timing.h - Median wall-clock time of repeated calls ------*- C++ -*-===//
//
// Every timed figure of convforge-bench comes from here: a few warm-up calls
// (first-touch page faults, cold caches, lazy initialization; for at least
// 20 ms by default, which short calls need), then the
// median of up to `repeat` calls. A time budget stops the repetitions early
// on big layers so that a full run stays short on a shared machine; the
// number of calls actually timed is reported with the result. The calls of
// several rounds (convforge-bench --rounds) merge into one median, and each
// round's own median is kept for comparisons round by round.
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_BENCH_TIMING_H
#define CONVFORGE_BENCH_TIMING_H

#include <algorithm>
#include <chrono>
#include <vector>

namespace convforge::bench {

struct TimingOptions {
  int warmup = 2;
  /// Warm up for at least this long too (but at most kMaxWarmupCalls
  /// calls): a call of a few microseconds is over before an idle machine has
  /// woken the threads of a parallel runtime, spread them over the cores and
  /// raised the clock.
  double warmupSeconds = 0.02;
  int repeat = 20;
  /// Stop repeating once this much time was spent timing (but never before
  /// `minRuns` calls).
  double budgetSeconds = 3.0;
  int minRuns = 5;
};

struct Timing {
  double median = 0;           ///< seconds
  double min = 0;              ///< seconds
  int runs = 0;                ///< timed calls (0: not measured)
  std::vector<double> samples; ///< every timed call, sorted (seconds)
  /// The median of each round, in the order the rounds ran (seconds).
  std::vector<double> roundMedians;
};

/// The timing of `samples` (any order) together.
inline Timing timingOf(std::vector<double> samples) {
  if (samples.empty())
    return {};
  std::sort(samples.begin(), samples.end());
  Timing timing;
  timing.median = samples[samples.size() / 2];
  timing.min = samples.front();
  timing.runs = static_cast<int>(samples.size());
  timing.samples = std::move(samples);
  timing.roundMedians = {timing.median};
  return timing;
}

/// The calls of two measurements of the same thing (two rounds) as one.
inline Timing mergeTimings(const Timing &a, const Timing &b) {
  std::vector<double> samples = a.samples;
  samples.insert(samples.end(), b.samples.begin(), b.samples.end());
  Timing merged = timingOf(std::move(samples));
  merged.roundMedians = a.roundMedians;
  merged.roundMedians.insert(merged.roundMedians.end(), b.roundMedians.begin(),
                             b.roundMedians.end());
  return merged;
}

inline double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

/// Times `call` (which returns false on failure; the timing then stops and
/// reports no runs).
constexpr int kMaxWarmupCalls = 1000;

template <typename Call>
Timing measure(Call &&call, const TimingOptions &options) {
  auto warmupStart = std::chrono::steady_clock::now();
  for (int i = 0;
       i < options.warmup || (i < kMaxWarmupCalls && secondsSince(warmupStart) <
                                                         options.warmupSeconds);
       ++i)
    if (!call())
      return {};
  std::vector<double> times;
  double total = 0;
  while (static_cast<int>(times.size()) < options.repeat) {
    auto start = std::chrono::steady_clock::now();
    if (!call())
      return {};
    times.push_back(secondsSince(start));
    total += times.back();
    if (total > options.budgetSeconds &&
        static_cast<int>(times.size()) >= options.minRuns)
      break;
  }
  return timingOf(std::move(times));
}

} // namespace convforge::bench

#endif // CONVFORGE_BENCH_TIMING_H
