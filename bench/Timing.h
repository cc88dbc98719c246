//===- Timing.h - Median wall-clock time of repeated calls ------*- C++ -*-===//
//
// Every timed figure of convforge-bench comes from here: a few warm-up calls
// (first-touch page faults, cold caches, lazy initialization), then the
// median of up to `repeat` calls. A time budget stops the repetitions early
// on big layers so that a full run stays short on a shared machine; the
// number of calls actually timed is reported with the result.
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
  int repeat = 20;
  /// Stop repeating once this much time was spent timing (but never before
  /// `minRuns` calls).
  double budgetSeconds = 3.0;
  int minRuns = 5;
};

struct Timing {
  double median = 0; ///< seconds
  double min = 0;    ///< seconds
  int runs = 0;      ///< timed calls (0: not measured)
};

inline double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

/// Times `call` (which returns false on failure; the timing then stops and
/// reports no runs).
template <typename Call>
Timing measure(Call &&call, const TimingOptions &options) {
  for (int i = 0; i < options.warmup; ++i)
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
  std::sort(times.begin(), times.end());
  return {times[times.size() / 2], times.front(),
          static_cast<int>(times.size())};
}

} // namespace convforge::bench

#endif // CONVFORGE_BENCH_TIMING_H
