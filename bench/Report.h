//===- Report.h - The benchmark's results as Markdown and CSV ---*- C++ -*-===//
//
// What a run measured, and the two ways it is written: Markdown tables for a
// reader (stdout) and one CSV row per measurement for a machine. GFLOP/s,
// % of peak and the ratio to oneDNN are derived here, in one place.
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_BENCH_REPORT_H
#define CONVFORGE_BENCH_REPORT_H

#include "FmaPeak.h"
#include "Layers.h"
#include "Timing.h"

#include <limits>
#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace convforge::bench {

/// The check's tolerance on maxRelativeError.
constexpr double kTolerance = 1e-3;

/// One implementation of one layer at one thread count.
struct Measurement {
  std::string implementation; ///< "convforge", "onednn-nhwc", ...
  int threads = 1;
  Timing timing;     ///< no runs: not measured (see `error`)
  std::string error; ///< why there is no timing; empty if measured
  /// Against the check's baseline (ConvForge's output, or the reference's
  /// when ConvForge failed); NaN when not compared (the baseline itself).
  double maxRelError = std::numeric_limits<double>::quiet_NaN();
  double compileSeconds = 0; ///< ConvForge only
  std::string detail;        ///< oneDNN's implementation and layouts
  double weightsReorderSeconds = 0, srcReorderSeconds = 0,
         dstReorderSeconds = 0; ///< oneDNN only

  bool measured() const { return timing.runs > 0; }
  bool checked() const { return maxRelError == maxRelError; }
  bool mismatch() const { return checked() && !(maxRelError <= kTolerance); }
};

struct LayerReport {
  Layer layer;
  std::vector<Measurement> measurements;

  const Measurement *find(const std::string &implementation, int threads) const;
  /// GFLOP/s of a measurement of this layer.
  double gflops(const Measurement &m) const;
  /// The faster oneDNN variant's GFLOP/s at `threads` (0 if none ran).
  double bestOneDnnGflops(int threads) const;
  /// ConvForge's GFLOP/s over the best oneDNN's at `threads` (0: either
  /// missing).
  double ratioToOneDnn(int threads) const;
  bool anyMismatch() const;
};

/// What the tables' header says about the run.
struct RunInfo {
  std::string date;
  std::string cpu;
  std::string oneDnn;
  std::vector<int> threads; ///< thread counts measured
  /// The FMA peak by thread count, measured before and after the layers
  /// (the machine may be busier at one time than the other); % of peak
  /// uses the better.
  std::map<int, FmaPeak> peaksBefore, peaksAfter;
  double peakGflops(int threads) const;
  TimingOptions timing;
};

void printMarkdown(std::ostream &os, const RunInfo &info,
                   const std::vector<LayerReport> &layers);
void writeCsv(std::ostream &os, const RunInfo &info,
              const std::vector<LayerReport> &layers);

} // namespace convforge::bench

#endif // CONVFORGE_BENCH_REPORT_H
