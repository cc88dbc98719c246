//===- BenchReportTest.cpp - convforge-bench's round-by-round ratios ------===//
//
// convforge-bench times ConvForge and oneDNN in rounds taken in turn; the
// report pairs their medians round by round. These tests pin the pairing:
// which oneDNN variant, which rounds, and what is counted as ahead.
//
//===----------------------------------------------------------------------===//

#include "Report.h"
#include "Timing.h"

#include <gtest/gtest.h>

using namespace convforge::bench;

namespace {

/// A measurement whose rounds had these medians (one call each).
Measurement measured(const std::string &implementation,
                     std::vector<double> roundSeconds, int threads = 1) {
  Measurement m;
  m.implementation = implementation;
  m.threads = threads;
  m.timing = timingOf({roundSeconds.front()});
  for (size_t r = 1; r < roundSeconds.size(); ++r)
    m.timing = mergeTimings(m.timing, timingOf({roundSeconds[r]}));
  return m;
}

TEST(BenchTimingTest, MergedRoundsKeepTheirMediansInOrder) {
  Timing first = timingOf({3.0, 1.0, 2.0});
  Timing second = timingOf({5.0, 4.0, 6.0});
  Timing merged = mergeTimings(first, second);
  EXPECT_EQ(merged.runs, 6);
  EXPECT_EQ(merged.roundMedians, (std::vector<double>{2.0, 5.0}));
  // The overall median is that of all calls, not of the round medians.
  EXPECT_DOUBLE_EQ(merged.median, 4.0);
}

TEST(BenchReportTest, RoundsArePairedWithTheFasterOneDnnVariant) {
  Results results;
  results.flops = 1e9;
  // ConvForge's rounds: 10, 10, 12, 9 ms.
  results.measurements.push_back(
      measured("convforge", {0.010, 0.010, 0.012, 0.009}));
  // The NHWC variant is the faster overall (median 11 ms against 20):
  // it is the one paired, even in the round where preferred was faster.
  results.measurements.push_back(
      measured("onednn-nhwc", {0.011, 0.0095, 0.012, 0.010}));
  results.measurements.push_back(
      measured("onednn-preferred", {0.020, 0.020, 0.020, 0.005}));
  RoundComparison comparison = results.compareRounds(1);
  EXPECT_EQ(comparison.rounds, 4);
  // Ahead in rounds 1 and 4 (11 > 10, 10 > 9); behind in round 2; a tie
  // (round 3) is not ahead.
  EXPECT_EQ(comparison.ahead, 2);
  EXPECT_DOUBLE_EQ(comparison.lowest, 0.95);
  EXPECT_DOUBLE_EQ(comparison.highest, 0.010 / 0.009);
  EXPECT_DOUBLE_EQ(comparison.median, (1.0 + 1.1) / 2);
}

TEST(BenchReportTest, NoComparisonWithoutBothSidesOrWithUnevenRounds) {
  Results results;
  results.flops = 1e9;
  results.measurements.push_back(measured("convforge", {0.010, 0.010}));
  EXPECT_EQ(results.compareRounds(1).rounds, 0); // no oneDNN
  results.measurements.push_back(measured("onednn-nhwc", {0.011}));
  EXPECT_EQ(results.compareRounds(1).rounds, 0); // 2 rounds against 1
  EXPECT_EQ(results.compareRounds(2).rounds, 0); // no 2-thread runs
  Measurement failed;
  failed.implementation = "onednn-preferred";
  failed.error = "unimplemented";
  results.measurements.push_back(failed);
  results.measurements[1] = measured("onednn-nhwc", {0.011, 0.012});
  RoundComparison comparison = results.compareRounds(1);
  EXPECT_EQ(comparison.rounds, 2);
  EXPECT_EQ(comparison.ahead, 2);
}

} // namespace
