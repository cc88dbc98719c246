//===- Report.h - The results as Markdown, CSV and JSON ---------*- C++ -*-===//
//
// What a run measured, and the ways it is written: Markdown tables for a
// reader (stdout), and one row per measurement for a machine, as CSV and as
// JSON (with the run's information). GFLOP/s, % of peak, the ratio to oneDNN
// and the speed-up with threads are derived here, in one place.
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_BENCH_REPORT_H
#define CONVFORGE_BENCH_REPORT_H

#include "FmaPeak.h"
#include "Layers.h"
#include "Networks.h"
#include "Timing.h"

#include <limits>
#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace convforge::bench {

/// The check's tolerance on maxRelativeError.
constexpr double kTolerance = 1e-3;

/// One implementation of one layer or network at one thread count.
struct Measurement {
  std::string implementation; ///< "convforge", "onednn-nhwc", ...
  int threads = 1;
  Timing timing;     ///< no runs: not measured (see `error`)
  std::string error; ///< why there is no timing; empty if measured
  /// Against the check's baseline (ConvForge's output, or the reference's
  /// when ConvForge failed); NaN when not compared (the baseline itself).
  double maxRelError = std::numeric_limits<double>::quiet_NaN();
  /// Networks only: maxElementwiseRelativeError against the baseline (NaN
  /// when not compared).
  double maxElementRelError = std::numeric_limits<double>::quiet_NaN();
  double compileSeconds = 0; ///< ConvForge only
  std::string detail;        ///< oneDNN's implementation and layouts
  double weightsReorderSeconds = 0, srcReorderSeconds = 0,
         dstReorderSeconds = 0; ///< oneDNN only
  /// oneDNN on a network: reorders of activations inside the timed pass
  /// (-1: not applicable).
  int activationReorders = -1;

  bool measured() const { return timing.runs > 0; }
  bool checked() const { return maxRelError == maxRelError; }
  bool mismatch() const {
    return (checked() && !(maxRelError <= kTolerance)) ||
           (maxElementRelError == maxElementRelError &&
            !(maxElementRelError <= kTolerance));
  }
};

/// ConvForge against the faster oneDNN variant round by round. In each
/// round the two ran within seconds of each other, so the ratio of their
/// round medians cancels the slower swings of a shared machine, which the
/// medians over all rounds keep.
struct RoundComparison {
  int rounds = 0; ///< rounds in which both were measured (0: none)
  int ahead = 0;  ///< of those, the rounds in which ConvForge was faster
  /// ConvForge's speed over oneDNN's: the lowest, median and highest round.
  double lowest = 0, median = 0, highest = 0;
};

/// The measurements of one workload (a layer or a whole network) and what
/// is derived from them.
struct Results {
  double flops = 0; ///< per call
  std::vector<Measurement> measurements;

  const Measurement *find(const std::string &implementation, int threads) const;
  /// GFLOP/s of a measurement.
  double gflops(const Measurement &m) const;
  /// The faster measured oneDNN variant at `threads` (null if none ran).
  const Measurement *bestOneDnn(int threads) const;
  /// The faster oneDNN variant's GFLOP/s at `threads` (0 if none ran).
  double bestOneDnnGflops(int threads) const;
  /// ConvForge's GFLOP/s over the best oneDNN's at `threads` (0: either
  /// missing).
  double ratioToOneDnn(int threads) const;
  /// ConvForge against bestOneDnn, round by round, at `threads`.
  RoundComparison compareRounds(int threads) const;
  /// The speed-up from `base` to `threads` threads: of `implementation`
  /// ("convforge", "onednn-nhwc", ...), or of the faster oneDNN variant at
  /// each thread count for "onednn-best" (0: either missing).
  double speedup(const std::string &implementation, int threads,
                 int base) const;
  bool anyMismatch() const;
  bool anyError() const;
};

struct LayerReport : Results {
  Layer layer;
};

/// What the tables say about a network besides its measurements.
struct NetworkSummary {
  std::string name, path;
  std::vector<int64_t> inputShape; ///< NHWC
  std::string ops;                 ///< NetworkModel::summary()
  int64_t parameters = 0;
  double loadSeconds = 0; ///< spec to module, weights generated
  std::string error;      ///< why it was not measured at all
};

struct NetworkReport : Results {
  NetworkSummary network;
};

/// What the tables' header says about the run.
struct RunInfo {
  std::string date;    ///< local time, for a reader
  std::string dateIso; ///< ISO 8601 with the UTC offset
  std::string cpu;     ///< the model name
  std::string cpuId;   ///< family, model, stepping
  int logicalCpus = 0;
  std::string oneDnn;
  std::vector<int> threads; ///< thread counts measured
  /// The FMA peak by thread count, measured before and after the layers
  /// (the machine may be busier at one time than the other); % of peak
  /// uses the better.
  std::map<int, FmaPeak> peaksBefore, peaksAfter;
  double peakGflops(int threads) const;
  TimingOptions timing; ///< of one round
  int rounds = 1;       ///< rounds of every measurement, taken in turn
  std::string commandLine;
  double seconds = 0; ///< the whole run's wall-clock time
};

void printMarkdown(std::ostream &os, const RunInfo &info,
                   const std::vector<LayerReport> &layers,
                   const std::vector<NetworkReport> &networks);
/// One row per measurement (layers, then networks), then one per FMA peak.
void writeCsv(std::ostream &os, const RunInfo &info,
              const std::vector<LayerReport> &layers,
              const std::vector<NetworkReport> &networks);
/// The CSV's rows as objects (numbers as numbers, null when empty) with the
/// run's information: date, CPU, peaks, oneDNN's version, timing.
void writeJson(std::ostream &os, const RunInfo &info,
               const std::vector<LayerReport> &layers,
               const std::vector<NetworkReport> &networks);

} // namespace convforge::bench

#endif // CONVFORGE_BENCH_REPORT_H
