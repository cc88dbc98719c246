//===- ConvForgeBench.cpp - ConvForge, oneDNN and the FMA peak ------------===//
//
// One run, side by side, for each layer of Layers.cpp: ConvForge's compiled
// kernel, oneDNN (plain NHWC and its preferred layouts) and the naive
// reference; then for whole networks (AlexNet and VGG-16 from examples/):
// ConvForge's compiled network and the same network chained from oneDNN's
// primitives. Every figure also as a percentage of the measured FMA peak,
// every output checked against ConvForge's. A benchmark, not a test: see
// bench/README.md.
//
//   convforge-bench [--repeat N] [--filter SUBSTRING] [--threads 1,2]
//                   [--csv FILE] [--json FILE] [--no-reference]
//                   [--networks LIST | --no-networks] [--no-layers]
//
//===----------------------------------------------------------------------===//

#include "ConvForgeRunner.h"
#include "FmaPeak.h"
#include "NetworkRunner.h"
#include "OneDnnRunner.h"
#include "ReferenceRunner.h"
#include "Report.h"

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <thread>

using namespace convforge::bench;
using convforge::AlignedFloats;

namespace {

const char *const kUsage = R"(usage: convforge-bench [options]

ConvForge, oneDNN and the naive reference side by side, against the FMA peak.
Markdown to stdout, progress to stderr, one CSV row per measurement.

  --repeat N        timed runs per measurement, median reported (default 20)
  --rounds N        split each measurement's runs into N rounds, taken in
                    turn with the others of its layer or network, so that
                    all see the same busy and quiet spells of a shared
                    machine (default 3)
  --warmup N        untimed runs first (default 2)
  --warmup-ms MS    and untimed runs for at least this long (default 20)
  --budget SECONDS  stop a measurement's runs after this long (all rounds),
                    at least 5 runs (default 3)
  --filter TEXT     only the layers and networks whose name contains TEXT
  --threads LIST    thread counts of every measurement (default 1,2)
  --csv FILE        where to write the CSV (default bench-results.csv)
  --json FILE       where to write the JSON (default: the CSV's path with
                    .json for .csv)
  --no-reference    skip the (slow) naive reference (layers only)
  --networks LIST   whole networks: comma-separated specs, a name without
                    '/' or '.' meaning examples/NAME.yaml (default
                    alexnet,vgg16)
  --no-networks     layers only
  --no-layers       networks only
  --seed N          seed of the random inputs (and of the layers' weights;
                    a network's weights are its spec's) (default 1)
)";

struct Options {
  int repeat = 20;
  int rounds = 3;
  int warmup = 2;
  double warmupMs = 20;
  double budget = 3.0;
  std::string filter;
  std::vector<int> threads = {1, 2};
  std::string csv = "bench-results.csv";
  std::string json; ///< empty: next to the CSV
  bool reference = true;
  bool layers = true;
  std::vector<std::string> networks = {"alexnet", "vgg16"};
  uint64_t seed = 1;
};

/// A comma-separated list, empty items dropped.
std::vector<std::string> splitList(const std::string &text) {
  std::vector<std::string> items;
  std::istringstream in(text);
  std::string item;
  while (std::getline(in, item, ','))
    if (!item.empty())
      items.push_back(item);
  return items;
}

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
    } else if (arg == "--rounds") {
      if (!number(options.rounds) || options.rounds < 1)
        return false;
    } else if (arg == "--warmup") {
      if (!number(options.warmup))
        return false;
    } else if (arg == "--warmup-ms") {
      if (!number(options.warmupMs) || options.warmupMs < 0)
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
    } else if (arg == "--json") {
      if (!next())
        return false;
      options.json = value;
    } else if (arg == "--no-reference") {
      options.reference = false;
    } else if (arg == "--no-layers") {
      options.layers = false;
    } else if (arg == "--no-networks") {
      options.networks.clear();
    } else if (arg == "--networks") {
      if (!next())
        return false;
      options.networks = splitList(value);
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

std::string now(const char *format) {
  std::time_t now = std::time(nullptr);
  char buffer[64];
  std::strftime(buffer, sizeof buffer, format, std::localtime(&now));
  return buffer;
}

/// A field of the first processor in /proc/cpuinfo ("model name", "cpu
/// family", ...), or an empty string.
std::string cpuInfo(const std::string &field) {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line))
    if (line.rfind(field, 0) == 0 && line.size() > field.size() &&
        (line[field.size()] == ' ' || line[field.size()] == '\t')) {
      size_t colon = line.find(':');
      return colon == std::string::npos ? "" : line.substr(colon + 2);
    }
  return "";
}

/// The spec a --networks item names: a path as given, or a bare name in the
/// source tree's examples/.
std::string networkPath(const std::string &item) {
  if (item.find_first_of("/.") != std::string::npos)
    return item;
  return std::string(CONVFORGE_BENCH_EXAMPLES_DIR) + "/" + item + ".yaml";
}

/// Values uniform in [-1, 1) from `seed`.
AlignedFloats randomValues(int64_t size, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  AlignedFloats values(size);
  for (float &v : values)
    v = uniform(rng);
  return values;
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

/// A ConvForge run as a row of the tables (but for its detail).
Measurement convforgeMeasurement(const ConvForgeResult &compiled, int threads) {
  Measurement m;
  m.implementation = "convforge";
  m.threads = threads;
  m.timing = compiled.timing;
  m.error = compiled.error;
  m.compileSeconds = compiled.compileSeconds;
  m.weightsReorderSeconds = compiled.packSeconds;
  return m;
}

/// One network: loaded through the driver, compiled and timed by ConvForge
/// at each thread count, then run by oneDNN on the same weights, every
/// output checked against ConvForge's first.
NetworkReport runNetwork(const std::string &path, const RunInfo &info,
                         uint64_t seed) {
  NetworkReport report;
  report.network.name = path;
  report.network.path = path;
  std::cerr << path << "\n";
  NetworkRunner runner;
  std::string error = runner.load(path);
  const NetworkModel &model = runner.model();
  if (!model.name.empty())
    report.network.name = model.name;
  report.network.inputShape = model.inputShape;
  report.network.ops = model.summary();
  report.network.parameters = model.parameters;
  report.network.loadSeconds = runner.loadSeconds();
  report.flops = model.flops;
  if (!error.empty()) {
    std::cerr << "  error: " << error << "\n";
    report.network.error = error;
    // A row of its own in the CSV and the JSON too.
    Measurement failed;
    failed.implementation = "convforge";
    failed.threads = info.threads.front();
    failed.error = error;
    report.measurements.push_back(failed);
    return report;
  }
  const std::string &name = report.network.name;
  std::cerr << "  " << name << ": loaded in " << runner.loadSeconds()
            << " s, filters packed in " << runner.packSeconds() << " s; "
            << model.flops / 1e9 << " GFLOP per pass\n";
  int64_t inputSize = 1;
  for (int64_t dim : model.inputShape)
    inputSize *= dim;
  AlignedFloats input = randomValues(inputSize, seed);

  // The baseline is ConvForge's first output (oneDNN's first if ConvForge
  // failed); every other output is checked against it.
  std::vector<AlignedFloats> outputs;
  for (int threads : info.threads) {
    ConvForgeResult compiled = runner.run(input, info.timing, threads);
    progress(name, "ConvForge " + std::to_string(threads) + "T",
             compiled.timing, compiled.error);
    Measurement m = convforgeMeasurement(compiled, threads);
    char detail[160];
    std::snprintf(detail, sizeof detail,
                  "compile: passes %.2f s, LLVM %.2f s; spec loaded in %.2f "
                  "s, filters packed in %.3f s",
                  compiled.passSeconds, compiled.codegenSeconds,
                  runner.loadSeconds(), compiled.packSeconds);
    m.detail = detail;
    report.measurements.push_back(m);
    outputs.push_back(std::move(compiled.output));
  }
  for (int threads : info.threads)
    for (OneDnnResult &dnn :
         runOneDnnNetwork(model, input, threads, info.timing)) {
      progress(name,
               "oneDNN " + dnn.variant + " " + std::to_string(threads) + "T",
               dnn.timing, dnn.error);
      Measurement m;
      m.implementation = "onednn-" + dnn.variant;
      m.threads = threads;
      m.timing = dnn.timing;
      m.error = dnn.error;
      m.detail = dnn.impl;
      m.weightsReorderSeconds = dnn.weightsReorderSeconds;
      m.activationReorders = dnn.activationReorders;
      report.measurements.push_back(m);
      outputs.push_back(std::move(dnn.output));
    }
  size_t baseline = 0;
  while (baseline < outputs.size() && !report.measurements[baseline].measured())
    ++baseline;
  for (size_t i = 0; i < outputs.size(); ++i) {
    Measurement &m = report.measurements[i];
    if (i == baseline || baseline == outputs.size() || !m.measured())
      continue;
    m.maxRelError = maxRelativeError(outputs[i], outputs[baseline]);
    m.maxElementRelError =
        maxElementwiseRelativeError(outputs[i], outputs[baseline]);
  }
  if (report.anyMismatch())
    std::cerr << "  " << name << ": MISMATCH against ConvForge's output\n";
  return report;
}

/// Adds a later round's calls to the measurements of the first (matched by
/// implementation and thread count; outputs were checked in the first).
void mergeRound(Results &first, const Results &round) {
  for (Measurement &m : first.measurements)
    for (const Measurement &later : round.measurements)
      if (later.implementation == m.implementation &&
          later.threads == m.threads && m.measured() && later.measured())
        m.timing = mergeTimings(m.timing, later.timing);
}

/// One round of a layer's measurements: ConvForge at each thread count,
/// the reference (when `withReference`), oneDNN's variants; every output
/// checked against ConvForge's first.
LayerReport runLayer(const Layer &layer, const LayerData &data,
                     const RunInfo &info, ConvForgeRunner &convforge,
                     bool withReference, const TimingOptions &referenceTiming) {
  std::cerr << layer.name << "\n";
  LayerReport report;
  report.layer = layer;
  report.flops = layer.flops();
  // The outputs every other is checked against, and which one that is.
  AlignedFloats baseline;

  std::vector<Measurement> compiledRuns;
  for (int threads : info.threads) {
    ConvForgeResult compiled = convforge.run(layer, data, info.timing, threads);
    progress(layer.name, "ConvForge " + std::to_string(threads) + "T",
             compiled.timing, compiled.error);
    Measurement cf = convforgeMeasurement(compiled, threads);
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
  std::vector<AlignedFloats> outputs;
  if (withReference) {
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
               "oneDNN " + dnn.variant + " " + std::to_string(threads) + "T (" +
                   dnn.impl + ")",
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
  return report;
}

} // namespace

int main(int argc, char **argv) {
  Options options;
  if (!parseOptions(argc, argv, options))
    return 1;
  auto runStart = std::chrono::steady_clock::now();
  RunInfo info;
  info.date = now("%Y-%m-%d %H:%M %Z");
  info.dateIso = now("%Y-%m-%dT%H:%M:%S%z");
  info.cpu = cpuInfo("model name");
  if (info.cpu.empty())
    info.cpu = "unknown CPU";
  info.cpuId = "family " + cpuInfo("cpu family") + ", model " +
               cpuInfo("model") + ", stepping " + cpuInfo("stepping");
  info.logicalCpus = static_cast<int>(std::thread::hardware_concurrency());
  for (int i = 0; i < argc; ++i)
    info.commandLine += (i ? " " : "") + std::string(argv[i]);
  info.oneDnn = oneDnnDescription();
  info.threads = options.threads;
  // Each round times its share of the runs and of the budget.
  info.rounds = std::min(options.rounds, options.repeat);
  info.timing.warmup = options.warmup;
  info.timing.warmupSeconds = options.warmupMs / 1e3;
  info.timing.repeat = (options.repeat + info.rounds - 1) / info.rounds;
  info.timing.budgetSeconds = options.budget / info.rounds;
  info.timing.minRuns =
      std::min(info.timing.repeat, (5 + info.rounds - 1) / info.rounds);

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
  referenceTiming.warmupSeconds = 0;
  referenceTiming.repeat = 3;
  referenceTiming.minRuns = 1;
  referenceTiming.budgetSeconds = 0.5;

  ConvForgeRunner convforge;
  std::vector<LayerReport> reports;
  for (const Layer &layer : allLayers()) {
    if (!options.layers || layer.name.find(options.filter) == std::string::npos)
      continue;
    LayerData data = makeLayerData(layer, options.seed);
    // Round after round, so that ConvForge and oneDNN meet the machine's
    // busy and quiet spells alike; the reference runs in the first alone.
    LayerReport report = runLayer(layer, data, info, convforge,
                                  options.reference, referenceTiming);
    for (int round = 1; round < info.rounds; ++round)
      mergeRound(report, runLayer(layer, data, info, convforge,
                                  /*withReference=*/false, referenceTiming));
    reports.push_back(std::move(report));
  }

  std::vector<NetworkReport> networks;
  for (const std::string &item : options.networks) {
    std::string path = networkPath(item);
    // Filtered by the file's stem ("alexnet"): the spec's name is only
    // known once it is loaded.
    std::string stem = path.substr(path.find_last_of('/') + 1);
    stem = stem.substr(0, stem.find('.'));
    if (stem.find(options.filter) == std::string::npos)
      continue;
    NetworkReport report = runNetwork(path, info, options.seed);
    for (int round = 1; round < info.rounds && report.network.error.empty();
         ++round)
      mergeRound(report, runNetwork(path, info, options.seed));
    networks.push_back(std::move(report));
  }

  for (int threads : info.threads)
    info.peaksAfter[threads] = measureFmaPeak(threads);
  info.seconds = secondsSince(runStart);
  printMarkdown(std::cout, info, reports, networks);
  std::string jsonPath = options.json;
  if (jsonPath.empty()) {
    jsonPath = options.csv;
    if (jsonPath.size() > 4 && jsonPath.substr(jsonPath.size() - 4) == ".csv")
      jsonPath.resize(jsonPath.size() - 4);
    jsonPath += ".json";
  }
  for (const std::string &path : {options.csv, jsonPath}) {
    std::ofstream out(path);
    if (path == options.csv)
      writeCsv(out, info, reports, networks);
    else
      writeJson(out, info, reports, networks);
    out.close();
    if (!out) {
      std::cerr << "error: cannot write " << path << "\n";
      return 1;
    }
    std::cerr << "wrote " << path << "\n";
  }
  bool failed = false;
  for (const LayerReport &report : reports)
    failed |= report.anyMismatch() || report.anyError();
  for (const NetworkReport &report : networks)
    failed |= report.anyMismatch() || report.anyError() ||
              !report.network.error.empty();
  // A mismatch or error is in the table; the status tells scripts too.
  return failed ? 2 : 0;
}
