//===- Report.cpp - The results as Markdown, CSV and JSON -----------------===//

#include "Report.h"

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <functional>

namespace convforge::bench {

namespace {

std::string format(const char *fmt, ...) {
  char buffer[256];
  va_list args;
  va_start(args, fmt);
  vsnprintf(buffer, sizeof buffer, fmt, args);
  va_end(args);
  return buffer;
}

/// "105.3 (90%)", or why there is no figure.
std::string gflopsCell(const RunInfo &info, const Results &results,
                       const Measurement *m) {
  if (!m)
    return "—";
  if (!m->measured())
    return m->error.empty() ? "—" : "error";
  double gflops = results.gflops(*m);
  double peak = info.peakGflops(m->threads);
  std::string cell =
      gflops < 10 ? format("%.2f", gflops) : format("%.1f", gflops);
  if (peak > 0) {
    double percent = 100 * gflops / peak;
    cell += format(percent < 10 ? " (%.1f%%)" : " (%.0f%%)", percent);
  }
  return cell;
}

std::string msCell(const Measurement *m) {
  if (!m || !m->measured())
    return "—";
  return format("%.3f", m->timing.median * 1e3);
}

std::string reorderCell(double seconds) {
  return seconds > 0 ? format("%.3f", seconds * 1e3) : "none";
}

std::string factorCell(double factor) {
  return factor > 0 ? format("%.2f×", factor) : "—";
}

/// What the "rounds ahead" columns say, below both tables.
constexpr const char *kRoundsAheadNote =
    "the rounds in which ConvForge's median time was below that of the "
    "oneDNN variant of the ratio column (the two ran within seconds of each "
    "other in a round), and the lowest and highest of that round-by-round "
    "ratio.";

/// "9/10 (0.98–1.06×)": the rounds ConvForge was ahead in, and the range
/// of its round-by-round ratio.
std::string roundsCell(const RoundComparison &comparison) {
  if (comparison.rounds == 0)
    return "—";
  std::string cell = format("%d/%d", comparison.ahead, comparison.rounds);
  if (comparison.rounds > 1)
    cell += format(" (%.2f–%.2f×)", comparison.lowest, comparison.highest);
  return cell;
}

std::string threadsName(int threads) {
  return format("%d thread%s", threads, threads == 1 ? "" : "s");
}

void row(std::ostream &os, const std::vector<std::string> &cells) {
  os << "|";
  for (const std::string &cell : cells)
    os << " " << cell << " |";
  os << "\n";
}

/// The alignment row: the first `leftAtStart` columns and the last one
/// left-aligned (text), the others right-aligned (figures).
void alignRow(std::ostream &os, size_t columns, size_t leftAtStart = 1) {
  std::vector<std::string> align(columns, "---:");
  for (size_t i = 0; i < std::min(leftAtStart, columns); ++i)
    align[i] = "---";
  align.back() = "---";
  row(os, align);
}

/// The thread counts after the first, whose speed-up over the first the
/// tables show.
std::vector<int> laterThreads(const RunInfo &info) {
  if (info.threads.size() < 2)
    return {};
  return {info.threads.begin() + 1, info.threads.end()};
}

/// Header cells shared by the layer and network tables: per thread count,
/// ConvForge, both oneDNN variants and the ratio; then the speed-ups.
void appendComparisonHeader(const RunInfo &info,
                            std::vector<std::string> &header) {
  for (int t : info.threads) {
    header.push_back(format("ConvForge %dT", t));
    header.push_back(format("oneDNN NHWC %dT", t));
    header.push_back(format("oneDNN preferred %dT", t));
    header.push_back(format("ConvForge ÷ best oneDNN %dT", t));
    header.push_back(format("rounds ahead %dT (range)", t));
  }
  int first = info.threads.front();
  for (int t : laterThreads(info)) {
    header.push_back(format("ConvForge %dT ÷ %dT", t, first));
    header.push_back(format("oneDNN %dT ÷ %dT", t, first));
  }
}

void appendComparisonCells(const RunInfo &info, const Results &results,
                           std::vector<std::string> &cells) {
  for (int t : info.threads) {
    cells.push_back(gflopsCell(info, results, results.find("convforge", t)));
    cells.push_back(gflopsCell(info, results, results.find("onednn-nhwc", t)));
    cells.push_back(
        gflopsCell(info, results, results.find("onednn-preferred", t)));
    cells.push_back(factorCell(results.ratioToOneDnn(t)));
    cells.push_back(roundsCell(results.compareRounds(t)));
  }
  int first = info.threads.front();
  for (int t : laterThreads(info)) {
    cells.push_back(factorCell(results.speedup("convforge", t, first)));
    cells.push_back(factorCell(results.speedup("onednn-best", t, first)));
  }
}

/// The geometric mean of `value` over the workloads where it is positive
/// (0 if there is none).
double geomean(const std::vector<const Results *> &workloads,
               const std::function<double(const Results &)> &value) {
  double logSum = 0;
  int count = 0;
  for (const Results *results : workloads)
    if (double v = value(*results); v > 0) {
      logSum += std::log(v);
      ++count;
    }
  return count ? std::exp(logSum / count) : 0;
}

/// A geomean row of the comparison columns (ratios and speed-ups; the
/// GFLOP/s columns stay empty), padded to `columns` cells.
void geomeanRow(std::ostream &os, const RunInfo &info, const std::string &title,
                const std::vector<const Results *> &workloads, size_t columns) {
  if (workloads.empty())
    return;
  std::vector<std::string> cells = {title, ""};
  auto bold = [](double v) { return v > 0 ? format("**%.2f×**", v) : "—"; };
  for (int t : info.threads) {
    cells.insert(cells.end(), {"", "", ""});
    cells.push_back(bold(geomean(
        workloads, [&](const Results &r) { return r.ratioToOneDnn(t); })));
    int ahead = 0, rounds = 0;
    for (const Results *results : workloads) {
      RoundComparison comparison = results->compareRounds(t);
      ahead += comparison.ahead;
      rounds += comparison.rounds;
    }
    cells.push_back(rounds ? format("**%d/%d**", ahead, rounds) : "—");
  }
  int first = info.threads.front();
  for (int t : laterThreads(info)) {
    cells.push_back(bold(geomean(workloads, [&](const Results &r) {
      return r.speedup("convforge", t, first);
    })));
    cells.push_back(bold(geomean(workloads, [&](const Results &r) {
      return r.speedup("onednn-best", t, first);
    })));
  }
  cells.resize(columns, "");
  row(os, cells);
}

/// The worst error of any measurement of `results` on `error` (-1: none
/// checked).
double worstError(const Results &results,
                  double Measurement::*error = &Measurement::maxRelError) {
  double worst = -1;
  for (const Measurement &m : results.measurements)
    if (m.*error == m.*error)
      worst = std::max(worst, m.*error);
  return worst;
}

std::string errorCell(double worst) {
  return worst < 0 ? "—" : format("%.1e", worst);
}

std::string checkCell(const Results &results) {
  bool checked = false;
  for (const Measurement &m : results.measurements)
    checked |= m.checked();
  return results.anyMismatch() ? "**MISMATCH**"
         : results.anyError()  ? "**ERROR**"
         : !checked            ? "unchecked"
                               : "ok";
}

/// Every failure of `results`, in full.
void listFailures(std::ostream &os, const std::string &name,
                  const Results &results) {
  for (const Measurement &m : results.measurements) {
    if (!m.error.empty())
      os << "- **ERROR** " << name << ", " << m.implementation << " "
         << m.threads << "T: " << m.error << "\n";
    if (m.mismatch()) {
      os << "- **MISMATCH** " << name << ", " << m.implementation << " "
         << m.threads << "T: max rel error " << format("%.3e", m.maxRelError);
      if (m.maxElementRelError == m.maxElementRelError)
        os << ", max elementwise rel error "
           << format("%.3e", m.maxElementRelError);
      os << " (tolerance " << format("%.0e", kTolerance) << ")\n";
    }
  }
}

std::string shapeText(const std::vector<int64_t> &shape) {
  std::string text;
  for (int64_t dim : shape)
    text += (text.empty() ? "" : "×") + std::to_string(dim);
  return text;
}

void printLayers(std::ostream &os, const RunInfo &info,
                 const std::vector<LayerReport> &layers) {
  os << "### Layers\n\n";
  // The main table: GFLOP/s (% of peak) side by side.
  std::vector<std::string> header = {"layer", "MFLOP"};
  appendComparisonHeader(info, header);
  header.insert(header.end(),
                {"reference 1T †", "compile s", "max rel err", "check"});
  row(os, header);
  alignRow(os, header.size());
  for (const LayerReport &layer : layers) {
    std::vector<std::string> cells = {layer.layer.name,
                                      format("%.1f", layer.flops / 1e6)};
    appendComparisonCells(info, layer, cells);
    cells.push_back(gflopsCell(info, layer, layer.find("reference", 1)));
    const Measurement *convforge = layer.find("convforge", info.threads[0]);
    cells.push_back(convforge && convforge->measured()
                        ? format("%.2f", convforge->compileSeconds)
                        : "—");
    cells.push_back(errorCell(worstError(layer)));
    cells.push_back(checkCell(layer));
    row(os, cells);
  }
  // The geometric means, convolutions and pools apart.
  for (LayerKind kind : {LayerKind::Conv, LayerKind::MaxPool}) {
    std::vector<const Results *> selected;
    for (const LayerReport &layer : layers)
      if (layer.layer.kind == kind)
        selected.push_back(&layer);
    geomeanRow(os, info,
               kind == LayerKind::Conv ? "**geomean, convolutions**"
                                       : "**geomean, max pools**",
               selected, header.size());
  }
  os << "\nNHWC: oneDNN on plain NHWC activations (weights in its preferred "
        "layout). preferred: every layout oneDNN's choice (format_tag::any; "
        "a max pool's source, which cannot be `any`, is nChw16c); the second "
        "table shows what it chose (acdb = NHWC, aBcd16b = nChw16c). Weight "
        "and activation reorders are outside the timing. ÷ 1T: the speed-up "
        "of ConvForge, and of the faster oneDNN variant, over 1 thread. "
        "rounds ahead: "
     << kRoundsAheadNote
     << "  \n"
        "† the naive reference kernels (double accumulation): one run on "
        "big layers, the median of at most 3 on small ones.  \n"
        "ConvForge: the layer's weights are constants, as in a network "
        "spec; its filter is packed at compile time (the CSV gives the "
        "time), outside the timing like oneDNN's weight reorder.  \n"
        "check: every output against ConvForge's, max |a − b| / max(1, |b|) "
        "≤ "
     << format("%.0e", kTolerance) << ".\n\n";

  // Times and what oneDNN did.
  int first = info.threads.front();
  std::vector<std::string> details = {"layer"};
  for (int t : info.threads)
    details.push_back(format("ConvForge %dT ms", t));
  for (int t : info.threads) {
    details.push_back(format("NHWC %dT ms", t));
    details.push_back(format("preferred %dT ms", t));
  }
  details.insert(
      details.end(),
      {"reference ms", "weights reorder ms (NHWC / preferred)",
       "src + dst reorder ms (preferred)",
       format("oneDNN implementation and layouts %dT (NHWC / preferred)",
              first)});
  row(os, details);
  alignRow(os, details.size());
  for (const LayerReport &layer : layers) {
    std::vector<std::string> cells = {layer.layer.name};
    for (int t : info.threads)
      cells.push_back(msCell(layer.find("convforge", t)));
    for (int t : info.threads) {
      cells.push_back(msCell(layer.find("onednn-nhwc", t)));
      cells.push_back(msCell(layer.find("onednn-preferred", t)));
    }
    cells.push_back(msCell(layer.find("reference", 1)));
    const Measurement *nhwc = layer.find("onednn-nhwc", first);
    const Measurement *preferred = layer.find("onednn-preferred", first);
    if (nhwc && preferred) {
      cells.push_back(reorderCell(nhwc->weightsReorderSeconds) + " / " +
                      reorderCell(preferred->weightsReorderSeconds));
      cells.push_back(reorderCell(preferred->srcReorderSeconds) + " + " +
                      reorderCell(preferred->dstReorderSeconds));
      cells.push_back("`" + nhwc->detail + "` / `" + preferred->detail + "`");
    } else {
      cells.insert(cells.end(), {"—", "—", "—"});
    }
    row(os, cells);
  }
  os << "\n";
}

void printNetworks(std::ostream &os, const RunInfo &info,
                   const std::vector<NetworkReport> &networks) {
  os << "### Whole networks\n\n";
  std::vector<std::string> header = {"network", "GFLOP"};
  appendComparisonHeader(info, header);
  header.insert(header.end(), {"compile s", "max rel err",
                               "max elementwise rel err", "check"});
  row(os, header);
  alignRow(os, header.size());
  std::vector<const Results *> all;
  for (const NetworkReport &network : networks) {
    all.push_back(&network);
    std::vector<std::string> cells = {network.network.name,
                                      format("%.2f", network.flops / 1e9)};
    appendComparisonCells(info, network, cells);
    std::string compile;
    for (int t : info.threads) {
      const Measurement *m = network.find("convforge", t);
      compile += (compile.empty() ? "" : " / ") +
                 (m && m->measured() ? format("%.1f", m->compileSeconds)
                                     : std::string("—"));
    }
    cells.push_back(compile);
    cells.push_back(errorCell(worstError(network)));
    cells.push_back(
        errorCell(worstError(network, &Measurement::maxElementRelError)));
    cells.push_back(network.network.error.empty() ? checkCell(network)
                                                  : "**ERROR**");
    row(os, cells);
  }
  if (networks.size() > 1)
    geomeanRow(os, info, "**geomean**", all, header.size());
  os << "\nEach network as its spec defines it (weights generated from its "
        "seed), batch "
     << (networks.empty() || networks[0].network.inputShape.empty()
             ? 1
             : networks[0].network.inputShape[0])
     << ", timed per forward pass from the NHWC input to the softmax output. "
        "GFLOP: 2 per multiply-add of the conv and dense layers "
        "(cnn::computeNetworkStats); pools, ReLUs and the softmax count "
        "nothing. ConvForge: the spec loaded, packed, outlined and compiled "
        "as convforge-run does, for each thread count (compile s: 1T / 2T). "
        "oneDNN: the same layers chained as primitives (conv with bias and "
        "a ReLU post-op, pooling, inner product with a ReLU post-op, "
        "softmax) on the same weights, reordered before the timing; NHWC "
        "keeps every activation in NHWC, preferred lets each convolution "
        "choose (`any`), the activation reorders then needed being part of "
        "the timed pass. rounds ahead: "
     << kRoundsAheadNote
     << "  \n"
        "check: the outputs against ConvForge's "
     << info.threads.front()
     << "-thread output, max |a − b| / max(1, |b|) and, because softmax "
        "probabilities are far below 1, max |a − b| / |b| too, both ≤ "
     << format("%.0e", kTolerance) << ".\n\n";

  int first = info.threads.front();
  std::vector<std::string> details = {"network", "input", "layers",
                                      "parameters"};
  for (int t : info.threads)
    details.push_back(format("ConvForge %dT ms", t));
  for (int t : info.threads) {
    details.push_back(format("NHWC %dT ms", t));
    details.push_back(format("preferred %dT ms", t));
  }
  details.insert(
      details.end(),
      {"weights reorder ms (NHWC / preferred, once)",
       "activation reorders in the pass (preferred)",
       format("oneDNN implementations %dT (NHWC / preferred)", first)});
  row(os, details);
  alignRow(os, details.size(), 3);
  for (const NetworkReport &network : networks) {
    const NetworkSummary &summary = network.network;
    std::vector<std::string> cells = {
        summary.name, shapeText(summary.inputShape), summary.ops,
        format("%.1f M", summary.parameters / 1e6)};
    for (int t : info.threads)
      cells.push_back(msCell(network.find("convforge", t)));
    for (int t : info.threads) {
      cells.push_back(msCell(network.find("onednn-nhwc", t)));
      cells.push_back(msCell(network.find("onednn-preferred", t)));
    }
    const Measurement *nhwc = network.find("onednn-nhwc", first);
    const Measurement *preferred = network.find("onednn-preferred", first);
    if (nhwc && preferred) {
      cells.push_back(reorderCell(nhwc->weightsReorderSeconds) + " / " +
                      reorderCell(preferred->weightsReorderSeconds));
      cells.push_back(preferred->activationReorders >= 0
                          ? std::to_string(preferred->activationReorders)
                          : "—");
      cells.push_back("`" + nhwc->detail + "` / `" + preferred->detail + "`");
    } else {
      cells.insert(cells.end(), {"—", "—", "—"});
    }
    row(os, cells);
  }
  os << "\n";
}

//===----------------------------------------------------------------------===//
// Rows for machines: CSV and JSON
//===----------------------------------------------------------------------===//

/// A value of a row: text, or a number written as text (empty: missing).
struct Cell {
  std::string text;
  bool number = false;
};
using Row = std::vector<Cell>;

const std::vector<std::string> &columns() {
  static const std::vector<std::string> names = {
      "layer",           "kind",
      "batch",           "height",
      "width",           "channels",
      "filters",         "window",
      "stride",          "padding",
      "gflop",           "implementation",
      "threads",         "runs",
      "median_ms",       "min_ms",
      "gflops",          "peak_gflops",
      "percent_of_peak", "ratio_to_onednn_best",
      "max_rel_error",   "check",
      "compile_s",       "weights_reorder_ms",
      "src_reorder_ms",  "dst_reorder_ms",
      "detail",          "error",
      "speedup_vs_1t",   "max_elementwise_rel_error",
      "rounds",          "rounds_ahead_of_onednn_best",
      "round_ratio_min", "round_ratio_median",
      "round_ratio_max",
  };
  return names;
}

Cell text(std::string value) { return {std::move(value), false}; }
Cell number(const char *fmt, double value) {
  return {format(fmt, value), true};
}
Cell integer(int64_t value) { return {std::to_string(value), true}; }
Cell optional(bool present, const char *fmt, double value) {
  return present ? number(fmt, value) : Cell{"", true};
}
Cell none() { return {"", true}; }

/// The columns from `implementation` on, for one measurement.
void appendMeasurement(Row &row, const RunInfo &info, const Results &results,
                       const Measurement &m) {
  double gflops = results.gflops(m);
  double peak = info.peakGflops(m.threads);
  double best = results.bestOneDnnGflops(m.threads);
  double speedup = results.speedup(m.implementation, m.threads, 1);
  std::string check = m.mismatch()       ? "MISMATCH"
                      : !m.error.empty() ? "ERROR"
                      : m.checked()      ? "ok"
                                         : "baseline";
  row.insert(
      row.end(),
      {text(m.implementation), integer(m.threads), integer(m.timing.runs),
       optional(m.measured(), "%.4f", m.timing.median * 1e3),
       optional(m.measured(), "%.4f", m.timing.min * 1e3),
       optional(m.measured(), "%.3f", gflops), optional(peak > 0, "%.2f", peak),
       optional(m.measured() && peak > 0, "%.2f", 100 * gflops / peak),
       optional(m.measured() && best > 0, "%.4f", gflops / best),
       optional(m.checked(), "%.3e", m.maxRelError), text(check),
       optional(m.compileSeconds > 0, "%.3f", m.compileSeconds),
       optional(m.weightsReorderSeconds > 0, "%.4f",
                m.weightsReorderSeconds * 1e3),
       optional(m.srcReorderSeconds > 0, "%.4f", m.srcReorderSeconds * 1e3),
       optional(m.dstReorderSeconds > 0, "%.4f", m.dstReorderSeconds * 1e3),
       text(m.detail), text(m.error), optional(speedup > 0, "%.4f", speedup),
       optional(m.maxElementRelError == m.maxElementRelError, "%.3e",
                m.maxElementRelError)});
  // Round by round against the faster oneDNN variant: ConvForge's rows.
  RoundComparison rounds = m.implementation == "convforge"
                               ? results.compareRounds(m.threads)
                               : RoundComparison{};
  bool compared = rounds.rounds > 0;
  row.insert(row.end(),
             {optional(m.measured(), "%.0f",
                       static_cast<double>(m.timing.roundMedians.size())),
              optional(compared, "%.0f", rounds.ahead),
              optional(compared, "%.4f", rounds.lowest),
              optional(compared, "%.4f", rounds.median),
              optional(compared, "%.4f", rounds.highest)});
}

std::vector<Row> allRows(const RunInfo &info,
                         const std::vector<LayerReport> &layers,
                         const std::vector<NetworkReport> &networks) {
  std::vector<Row> rows;
  for (const LayerReport &layer : layers) {
    const Layer &l = layer.layer;
    for (const Measurement &m : layer.measurements) {
      Row row = {text(l.name),
                 text(l.kind == LayerKind::Conv ? "conv" : "maxpool"),
                 integer(l.batch),
                 integer(l.height),
                 integer(l.width),
                 integer(l.channels),
                 integer(l.filters),
                 integer(l.window),
                 integer(l.stride),
                 integer(l.padding),
                 number("%.6f", layer.flops / 1e9)};
      appendMeasurement(row, info, layer, m);
      rows.push_back(std::move(row));
    }
  }
  for (const NetworkReport &network : networks) {
    const std::vector<int64_t> &in = network.network.inputShape;
    bool volume = in.size() == 4;
    for (const Measurement &m : network.measurements) {
      Row row = {text(network.network.name),
                 text("network"),
                 volume ? integer(in[0]) : none(),
                 volume ? integer(in[1]) : none(),
                 volume ? integer(in[2]) : none(),
                 volume ? integer(in[3]) : none(),
                 none(),
                 none(),
                 none(),
                 none(),
                 number("%.6f", network.flops / 1e9)};
      appendMeasurement(row, info, network, m);
      rows.push_back(std::move(row));
    }
  }
  // The peaks as rows of their own, so that the file stands alone.
  for (const auto &[threads, peak] : info.peaksBefore) {
    double used = info.peakGflops(threads);
    Row row = {text("fma-peak"), text("peak")};
    row.resize(11, none());
    row.insert(row.end(), {text(peak.isa), integer(threads), none(), none(),
                           none(), number("%.3f", used), number("%.2f", used),
                           number("%.2f", 100.0)});
    row.resize(columns().size(), none());
    row[21] = text(""); // check
    row[26] = text(""); // detail
    row[27] = text(""); // error
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string csvQuote(const std::string &text) {
  if (text.find_first_of(",\"\n") == std::string::npos)
    return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"')
      quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string jsonString(const std::string &text) {
  std::string quoted = "\"";
  for (unsigned char c : text) {
    switch (c) {
    case '"':
      quoted += "\\\"";
      break;
    case '\\':
      quoted += "\\\\";
      break;
    case '\n':
      quoted += "\\n";
      break;
    case '\t':
      quoted += "\\t";
      break;
    default:
      if (c < 0x20)
        quoted += format("\\u%04x", c);
      else
        quoted += static_cast<char>(c);
    }
  }
  return quoted + "\"";
}

std::string jsonValue(const Cell &cell) {
  if (!cell.number)
    return jsonString(cell.text);
  // inf and nan are not JSON numbers.
  if (cell.text.empty() || cell.text.find_first_of("ni") != std::string::npos)
    return "null";
  return cell.text;
}

} // namespace

double RunInfo::peakGflops(int threads) const {
  double best = 0;
  for (const auto *peaks : {&peaksBefore, &peaksAfter}) {
    auto it = peaks->find(threads);
    if (it != peaks->end())
      best = std::max(best, it->second.gflops);
  }
  return best;
}

const Measurement *Results::find(const std::string &implementation,
                                 int threads) const {
  for (const Measurement &m : measurements)
    if (m.implementation == implementation && m.threads == threads)
      return &m;
  return nullptr;
}

double Results::gflops(const Measurement &m) const {
  return m.measured() ? flops / m.timing.median / 1e9 : 0;
}

const Measurement *Results::bestOneDnn(int threads) const {
  const Measurement *best = nullptr;
  for (const char *variant : {"onednn-nhwc", "onednn-preferred"})
    if (const Measurement *m = find(variant, threads);
        m && m->measured() && (!best || gflops(*m) > gflops(*best)))
      best = m;
  return best;
}

double Results::bestOneDnnGflops(int threads) const {
  const Measurement *best = bestOneDnn(threads);
  return best ? gflops(*best) : 0;
}

double Results::ratioToOneDnn(int threads) const {
  const Measurement *convforge = find("convforge", threads);
  double best = bestOneDnnGflops(threads);
  if (!convforge || !convforge->measured() || best <= 0)
    return 0;
  return gflops(*convforge) / best;
}

RoundComparison Results::compareRounds(int threads) const {
  const Measurement *convforge = find("convforge", threads);
  const Measurement *best = bestOneDnn(threads);
  if (!convforge || !convforge->measured() || !best ||
      convforge->timing.roundMedians.size() != best->timing.roundMedians.size())
    return {};
  std::vector<double> ratios;
  for (size_t r = 0; r < convforge->timing.roundMedians.size(); ++r)
    ratios.push_back(best->timing.roundMedians[r] /
                     convforge->timing.roundMedians[r]);
  if (ratios.empty())
    return {};
  std::sort(ratios.begin(), ratios.end());
  RoundComparison comparison;
  comparison.rounds = static_cast<int>(ratios.size());
  comparison.ahead = static_cast<int>(std::count_if(
      ratios.begin(), ratios.end(), [](double ratio) { return ratio > 1; }));
  comparison.lowest = ratios.front();
  comparison.highest = ratios.back();
  size_t middle = ratios.size() / 2;
  comparison.median = ratios.size() % 2
                          ? ratios[middle]
                          : (ratios[middle - 1] + ratios[middle]) / 2;
  return comparison;
}

double Results::speedup(const std::string &implementation, int threads,
                        int base) const {
  auto perf = [&](int t) {
    if (implementation == "onednn-best")
      return bestOneDnnGflops(t);
    const Measurement *m = find(implementation, t);
    return m ? gflops(*m) : 0.0;
  };
  double from = perf(base), to = perf(threads);
  return from > 0 && to > 0 ? to / from : 0;
}

bool Results::anyMismatch() const {
  return std::any_of(measurements.begin(), measurements.end(),
                     [](const Measurement &m) { return m.mismatch(); });
}

bool Results::anyError() const {
  return std::any_of(measurements.begin(), measurements.end(),
                     [](const Measurement &m) { return !m.error.empty(); });
}

void printMarkdown(std::ostream &os, const RunInfo &info,
                   const std::vector<LayerReport> &layers,
                   const std::vector<NetworkReport> &networks) {
  os << "## convforge-bench, " << info.date << "\n\n"
     << "CPU: " << info.cpu << " (" << info.cpuId << ", " << info.logicalCpus
     << " logical CPUs); " << info.oneDnn << "\n\n"
     << "Timing: " << info.rounds
     << " rounds; in each, every measurement "
        "of a layer or network in turn: "
     << info.timing.warmup << " warm-up runs (and more until "
     << format("%g", info.timing.warmupSeconds * 1e3)
     << " ms have passed), then up to " << info.timing.repeat
     << " timed runs (fewer when they exceed "
     << format("%.1f", info.timing.budgetSeconds)
     << " s). The median of all the timed runs of a measurement is reported "
        "(the CSV has the count). GFLOP/s count 2 per multiply-add "
        "(convolutions, dense layers) or 1 per window element (max pool "
        "layers); % of the measured FMA peak (its fastest run) at the same "
        "thread count.\n\n";

  row(os, {"FMA peak", "ISA", "before", "after", "used: GFLOP/s"});
  row(os, {"---", "---", "---:", "---:", "---:"});
  auto peakCell = [](const std::map<int, FmaPeak> &peaks, int threads) {
    auto it = peaks.find(threads);
    return it == peaks.end() ? std::string("—")
                             : format("%.1f (median %.1f)", it->second.gflops,
                                      it->second.medianGflops);
  };
  for (const auto &[threads, peak] : info.peaksBefore)
    row(os,
        {threadsName(threads), peak.isa, peakCell(info.peaksBefore, threads),
         peakCell(info.peaksAfter, threads),
         format("%.1f", info.peakGflops(threads))});
  os << "\n";

  if (!layers.empty())
    printLayers(os, info, layers);
  if (!networks.empty())
    printNetworks(os, info, networks);

  os << "Run time: " << format("%.0f", info.seconds) << " s ("
     << info.commandLine << ").\n\n";
  // Every failure, in full, below the tables.
  for (const LayerReport &layer : layers)
    listFailures(os, layer.layer.name, layer);
  for (const NetworkReport &network : networks)
    listFailures(os, network.network.name, network);
}

void writeCsv(std::ostream &os, const RunInfo &info,
              const std::vector<LayerReport> &layers,
              const std::vector<NetworkReport> &networks) {
  const std::vector<std::string> &names = columns();
  for (size_t i = 0; i < names.size(); ++i)
    os << (i ? "," : "") << names[i];
  os << "\n";
  for (const Row &row : allRows(info, layers, networks)) {
    for (size_t i = 0; i < row.size(); ++i)
      os << (i ? "," : "") << csvQuote(row[i].text);
    os << "\n";
  }
}

void writeJson(std::ostream &os, const RunInfo &info,
               const std::vector<LayerReport> &layers,
               const std::vector<NetworkReport> &networks) {
  os << "{\n  \"benchmark\": \"convforge-bench\",\n  \"run\": {\n"
     << "    \"date\": " << jsonString(info.dateIso) << ",\n"
     << "    \"cpu\": " << jsonString(info.cpu) << ",\n"
     << "    \"cpu_id\": " << jsonString(info.cpuId) << ",\n"
     << "    \"logical_cpus\": " << info.logicalCpus << ",\n"
     << "    \"onednn\": " << jsonString(info.oneDnn) << ",\n"
     << "    \"command_line\": " << jsonString(info.commandLine) << ",\n"
     << "    \"duration_s\": " << format("%.1f", info.seconds) << ",\n"
     << "    \"threads\": [";
  for (size_t i = 0; i < info.threads.size(); ++i)
    os << (i ? ", " : "") << info.threads[i];
  os << "],\n    \"timing\": {\"rounds\": " << info.rounds
     << ", \"warmup\": " << info.timing.warmup
     << ", \"warmup_ms\": " << format("%g", info.timing.warmupSeconds * 1e3)
     << ", \"repeat\": " << info.timing.repeat
     << ", \"budget_s\": " << format("%g", info.timing.budgetSeconds)
     << ", \"min_runs\": " << info.timing.minRuns << "},\n"
     << "    \"tolerance\": " << format("%g", kTolerance) << ",\n"
     << "    \"fma_peak\": [";
  bool firstPeak = true;
  for (const auto &[peakThreads, peak] : info.peaksBefore) {
    int threads = peakThreads;
    auto measured = [&](const std::map<int, FmaPeak> &peaks) {
      auto it = peaks.find(threads);
      if (it == peaks.end())
        return std::string("null");
      return format("{\"best_gflops\": %.3f, \"median_gflops\": %.3f}",
                    it->second.gflops, it->second.medianGflops);
    };
    os << (firstPeak ? "\n" : ",\n") << "      {\"threads\": " << threads
       << ", \"isa\": " << jsonString(peak.isa)
       << ", \"gflops\": " << format("%.3f", info.peakGflops(threads))
       << ", \"before\": " << measured(info.peaksBefore)
       << ", \"after\": " << measured(info.peaksAfter) << "}";
    firstPeak = false;
  }
  os << "\n    ]\n  },\n  \"rows\": [";
  const std::vector<std::string> &names = columns();
  bool firstRow = true;
  for (const Row &row : allRows(info, layers, networks)) {
    os << (firstRow ? "\n    {" : ",\n    {");
    for (size_t i = 0; i < row.size(); ++i)
      os << (i ? ", " : "") << jsonString(names[i]) << ": "
         << jsonValue(row[i]);
    os << "}";
    firstRow = false;
  }
  os << "\n  ]\n}\n";
}

} // namespace convforge::bench
