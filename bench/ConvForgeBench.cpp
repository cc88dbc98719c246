//===- ConvForgeBench.cpp - ConvForge, oneDNN and the FMA peak ------------===//
//
// One run, side by side, for each layer of Layers.cpp: ConvForge's compiled
// kernel, oneDNN (plain NHWC and its preferred layouts) and the naive
// reference, every figure also as a percentage of the measured FMA peak, and
// every output checked against ConvForge's. A benchmark, not a test: see
// bench/README.md.
//
//   convforge-bench [--repeat N] [--filter SUBSTRING] [--threads 1,2]
//                   [--csv FILE] [--no-reference]
//
//===----------------------------------------------------------------------===//

#include "ConvForgeRunner.h"
#include "FmaPeak.h"
#include "OneDnnRunner.h"
#include "ReferenceRunner.h"
#include "Report.h"

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>

using namespace convforge::bench;

namespace {

const char *const kUsage = R"(usage: convforge-bench [options]

ConvForge, oneDNN and the naive reference side by side, against the FMA peak.
Markdown to stdout, progress to stderr, one CSV row per measurement.

  --repeat N        timed runs per measurement, median reported (default 20)
  --warmup N        untimed runs first (default 2)
  --budget SECONDS  stop a measurement's runs after this long, at least 5
                    runs (default 3)
  --filter TEXT     only the layers whose name contains TEXT
  --threads LIST    thread counts for oneDNN and the FMA peak (default 1,2)
  --csv FILE        where to write the CSV (default bench-results.csv)
  --no-reference    skip the (slow) naive reference
  --seed N          seed of the random operands (default 1)
)";

struct Options {
  int repeat = 20;
  int warmup = 2;
  double budget = 3.0;
  std::string filter;
  std::vector<int> threads = {1, 2};
  std::string csv = "bench-results.csv";
  bool reference = true;
  uint64_t seed = 1;
};

// A parser of its own rather than llvm::cl: libLLVM already registers an
// option named "threads", and the MLIR and LLVM options it would add to
// --help mean nothing here.
bool parseOptions(int argc, char **argv, Options &options) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i], value;
    size_t equals = arg.find('=');
    bool hasValue = equals != std::string::npos;
    if (hasValue) {
      value = arg.substr(equals + 1);
      arg = arg.substr(0, equals);
    }
    auto next = [&]() -> bool {
      if (hasValue)
        return true;
      if (i + 1 >= argc) {
        std::cerr << "error: " << arg << " needs a value\n";
        return false;
      }
      value = argv[++i];
      return true;
    };
    auto number = [&](auto &out) -> bool {
      if (!next())
        return false;
      std::istringstream in(value);
      if (!(in >> out) || !in.eof() || out < 0) {
        std::cerr << "error: " << arg << ": not a number: " << value << "\n";
        return false;
      }
      return true;
    };
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      std::exit(0);
    } else if (arg == "--repeat") {
      if (!number(options.repeat) || options.repeat < 1)
        return false;
    } else if (arg == "--warmup") {
      if (!number(options.warmup))
        return false;
    } else if (arg == "--budget") {
      if (!number(options.budget))
        return false;
    } else if (arg == "--seed") {
      if (!number(options.seed))
        return false;
    } else if (arg == "--filter") {
      if (!next())
        return false;
      options.filter = value;
    } else if (arg == "--csv") {
      if (!next())
        return false;
      options.csv = value;
    } else if (arg == "--no-reference") {
      options.reference = false;
    } else if (arg == "--threads") {
      if (!next())
        return false;
      options.threads.clear();
      std::istringstream in(value);
      std::string item;
      while (std::getline(in, item, ',')) {
        int threads = std::atoi(item.c_str());
        if (threads < 1) {
          std::cerr << "error: --threads: not a thread count: " << item << "\n";
          return false;
        }
        options.threads.push_back(threads);
      }
      if (options.threads.empty())
        return false;
    } else {
      std::cerr << "error: unknown option " << argv[i] << "\n" << kUsage;
      return false;
    }
  }
  return true;
}

std::string today() {
  std::time_t now = std::time(nullptr);
  char buffer[64];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M %Z",
                std::localtime(&now));
  return buffer;
}

/// The CPU's model name as lscpu shows it.
std::string cpuModel() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line))
    if (line.rfind("model name", 0) == 0) {
      size_t colon = line.find(':');
      return colon == std::string::npos ? line : line.substr(colon + 2);
    }
  return "unknown CPU";
}

/// Progress on stderr, so that stdout is the Markdown alone.
void progress(const std::string &layer, const std::string &what,
              const Timing &timing, const std::string &error) {
  std::cerr << "  " << layer << ": " << what;
  if (!error.empty())
    std::cerr << ": error: " << error << "\n";
  else
    std::cerr << ": " << timing.median * 1e3 << " ms (median of " << timing.runs
              << ")\n";
}

} // namespace

int main(int argc, char **argv) {
  Options options;
  if (!parseOptions(argc, argv, options))
    return 1;
  RunInfo info;
  info.date = today();
  info.cpu = cpuModel();
  info.oneDnn = oneDnnDescription();
  info.threads = options.threads;
  info.timing.warmup = options.warmup;
  info.timing.repeat = options.repeat;
  info.timing.budgetSeconds = options.budget;
  info.timing.minRuns = std::min(5, options.repeat);

  for (int threads : info.threads) {
    info.peaksBefore[threads] = measureFmaPeak(threads);
    std::cerr << "FMA peak, " << threads
              << " thread(s): " << info.peaksBefore[threads].gflops
              << " GFLOP/s (" << info.peaksBefore[threads].isa << ")\n";
  }

  // The reference is slow (about 1 GFLOP/s): no warm-up, and a single run
  // once one took longer than half a second.
  TimingOptions referenceTiming;
  referenceTiming.warmup = 0;
  referenceTiming.repeat = 3;
  referenceTiming.minRuns = 1;
  referenceTiming.budgetSeconds = 0.5;

  ConvForgeRunner convforge;
  std::vector<LayerReport> reports;
  for (const Layer &layer : allLayers()) {
    if (layer.name.find(options.filter) == std::string::npos)
      continue;
    std::cerr << layer.name << "\n";
    LayerData data = makeLayerData(layer, options.seed);
    LayerReport report{layer, {}};
    // The outputs every other is checked against, and which one that is.
    std::vector<float> baseline;

    std::vector<Measurement> compiledRuns;
    for (int threads : info.threads) {
      ConvForgeResult compiled =
          convforge.run(layer, data, info.timing, threads);
      progress(layer.name, "ConvForge " + std::to_string(threads) + "T",
               compiled.timing, compiled.error);
      Measurement cf;
      cf.implementation = "convforge";
      cf.threads = threads;
      cf.timing = compiled.timing;
      cf.error = compiled.error;
      cf.compileSeconds = compiled.compileSeconds;
      cf.weightsReorderSeconds = compiled.packSeconds;
      char detail[128];
      std::snprintf(detail, sizeof detail,
                    "compile: passes %.3f s, LLVM %.3f s; filter packed at "
                    "compile time in %.3f ms",
                    compiled.passSeconds, compiled.codegenSeconds,
                    compiled.packSeconds * 1e3);
      cf.detail = detail;
      // The first thread count's output is the baseline; the others are
      // checked against it.
      if (cf.measured() && baseline.empty())
        baseline = std::move(compiled.output);
      else if (cf.measured())
        cf.maxRelError = maxRelativeError(compiled.output, baseline);
      compiledRuns.push_back(cf);
    }

    std::vector<Measurement> others;
    std::vector<std::vector<float>> outputs;
    if (options.reference) {
      ReferenceResult ref = runReference(layer, data, referenceTiming);
      progress(layer.name, "reference", ref.timing, ref.error);
      Measurement m;
      m.implementation = "reference";
      m.timing = ref.timing;
      m.error = ref.error;
      others.push_back(m);
      outputs.push_back(std::move(ref.output));
    }
    for (int threads : info.threads)
      for (OneDnnResult &dnn : runOneDnn(layer, data, threads, info.timing)) {
        progress(layer.name,
                 "oneDNN " + dnn.variant + " " + std::to_string(threads) +
                     "T (" + dnn.impl + ")",
                 dnn.timing, dnn.error);
        Measurement m;
        m.implementation = "onednn-" + dnn.variant;
        m.threads = threads;
        m.timing = dnn.timing;
        m.error = dnn.error;
        m.detail = dnn.impl.empty() ? ""
                                    : dnn.impl + " src " + dnn.srcFormat +
                                          " dst " + dnn.dstFormat;
        m.weightsReorderSeconds = dnn.weightsReorderSeconds;
        m.srcReorderSeconds = dnn.srcReorderSeconds;
        m.dstReorderSeconds = dnn.dstReorderSeconds;
        others.push_back(m);
        outputs.push_back(std::move(dnn.output));
      }

    // Without ConvForge's output, check the others against the reference.
    size_t baselineIndex = others.size();
    if (baseline.empty() && !others.empty() &&
        others.front().implementation == "reference" &&
        others.front().measured()) {
      baselineIndex = 0;
      baseline = outputs.front();
    }
    for (size_t i = 0; i < others.size(); ++i)
      if (i != baselineIndex && others[i].measured() && !baseline.empty())
        others[i].maxRelError = maxRelativeError(outputs[i], baseline);
    report.measurements.insert(report.measurements.end(), compiledRuns.begin(),
                               compiledRuns.end());
    report.measurements.insert(report.measurements.end(), others.begin(),
                               others.end());
    if (report.anyMismatch())
      std::cerr << "  " << layer.name
                << ": MISMATCH against ConvForge's output\n";
    reports.push_back(std::move(report));
  }

  for (int threads : info.threads)
    info.peaksAfter[threads] = measureFmaPeak(threads);
  printMarkdown(std::cout, info, reports);
  std::ofstream csv(options.csv);
  writeCsv(csv, info, reports);
  csv.close();
  if (!csv) {
    std::cerr << "error: cannot write " << options.csv << "\n";
    return 1;
  }
  std::cerr << "wrote " << options.csv << "\n";
  bool failed = false;
  for (const LayerReport &report : reports)
    for (const Measurement &m : report.measurements)
      failed |= m.mismatch() || !m.error.empty();
  // A mismatch or error is in the table; the status tells scripts too.
  return failed ? 2 : 0;
}
