//===- Report.cpp - The benchmark's results as Markdown and CSV -----------===//

#include "Report.h"

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>

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

double peakOf(const RunInfo &info, int threads) {
  return info.peakGflops(threads);
}

/// "105.3 (90%)", or why there is no figure.
std::string gflopsCell(const RunInfo &info, const LayerReport &layer,
                       const Measurement *m) {
  if (!m)
    return "—";
  if (!m->measured())
    return m->error.empty() ? "—" : "error";
  double gflops = layer.gflops(*m);
  double peak = peakOf(info, m->threads);
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

void row(std::ostream &os, const std::vector<std::string> &cells) {
  os << "|";
  for (const std::string &cell : cells)
    os << " " << cell << " |";
  os << "\n";
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

const Measurement *LayerReport::find(const std::string &implementation,
                                     int threads) const {
  for (const Measurement &m : measurements)
    if (m.implementation == implementation && m.threads == threads)
      return &m;
  return nullptr;
}

double LayerReport::gflops(const Measurement &m) const {
  return m.measured() ? layer.flops() / m.timing.median / 1e9 : 0;
}

double LayerReport::bestOneDnnGflops(int threads) const {
  double best = 0;
  for (const char *variant : {"onednn-nhwc", "onednn-preferred"})
    if (const Measurement *m = find(variant, threads))
      best = std::max(best, gflops(*m));
  return best;
}

double LayerReport::ratioToOneDnn(int threads) const {
  const Measurement *convforge = find("convforge", threads);
  double best = bestOneDnnGflops(threads);
  if (!convforge || !convforge->measured() || best <= 0)
    return 0;
  return gflops(*convforge) / best;
}

bool LayerReport::anyMismatch() const {
  return std::any_of(measurements.begin(), measurements.end(),
                     [](const Measurement &m) { return m.mismatch(); });
}

void printMarkdown(std::ostream &os, const RunInfo &info,
                   const std::vector<LayerReport> &layers) {
  os << "## convforge-bench, " << info.date << "\n\n"
     << "CPU: " << info.cpu << "; " << info.oneDnn << "\n\n"
     << "Timing: " << info.timing.warmup << " warm-up runs, then the median of "
     << info.timing.repeat << " runs (fewer when they exceed "
     << format("%.1f", info.timing.budgetSeconds)
     << " s; the CSV has the count). GFLOP/s count 2 per multiply-add "
        "(convolutions) or 1 per window element (max pools); % of the "
        "measured FMA peak (its fastest run) at the same thread count.\n\n";

  row(os, {"FMA peak", "ISA", "before the layers", "after the layers",
           "used: GFLOP/s"});
  row(os, {"---", "---", "---:", "---:", "---:"});
  auto peakCell = [](const std::map<int, FmaPeak> &peaks, int threads) {
    auto it = peaks.find(threads);
    return it == peaks.end() ? std::string("—")
                             : format("%.1f (median %.1f)", it->second.gflops,
                                      it->second.medianGflops);
  };
  for (const auto &[threads, peak] : info.peaksBefore)
    row(os, {format("%d thread%s", threads, threads == 1 ? "" : "s"), peak.isa,
             peakCell(info.peaksBefore, threads),
             peakCell(info.peaksAfter, threads),
             format("%.1f", info.peakGflops(threads))});
  os << "\n";

  // The main table: GFLOP/s (% of peak) side by side.
  std::vector<std::string> header = {"layer", "MFLOP"};
  for (int t : info.threads) {
    header.push_back(format("ConvForge %dT", t));
    header.push_back(format("oneDNN NHWC %dT", t));
    header.push_back(format("oneDNN preferred %dT", t));
    header.push_back(format("ConvForge ÷ best oneDNN %dT", t));
  }
  header.insert(header.end(),
                {"reference 1T †", "compile s", "max rel err", "check"});
  row(os, header);
  std::vector<std::string> align = {"---", "---:"};
  align.resize(header.size(), "---:");
  align.back() = "---";
  row(os, align);
  for (const LayerReport &layer : layers) {
    std::vector<std::string> cells = {
        layer.layer.name, format("%.1f", layer.layer.flops() / 1e6)};
    for (int t : info.threads) {
      const Measurement *convforge = layer.find("convforge", t);
      cells.push_back(gflopsCell(info, layer, convforge));
      cells.push_back(gflopsCell(info, layer, layer.find("onednn-nhwc", t)));
      cells.push_back(
          gflopsCell(info, layer, layer.find("onednn-preferred", t)));
      double ratio = layer.ratioToOneDnn(t);
      cells.push_back(ratio > 0 ? format("%.2f×", ratio) : "—");
    }
    cells.push_back(gflopsCell(info, layer, layer.find("reference", 1)));
    const Measurement *convforge = layer.find("convforge", 1);
    cells.push_back(convforge && convforge->measured()
                        ? format("%.2f", convforge->compileSeconds)
                        : "—");
    double worst = -1;
    bool failed = false;
    for (const Measurement &m : layer.measurements) {
      if (m.checked())
        worst = std::max(worst, m.maxRelError);
      failed |= !m.error.empty();
    }
    cells.push_back(worst < 0 ? "—" : format("%.1e", worst));
    cells.push_back(layer.anyMismatch() ? "**MISMATCH**"
                    : failed            ? "**ERROR**"
                    : worst < 0         ? "unchecked"
                                        : "ok");
    row(os, cells);
  }
  // The geometric means of the ratios, convolutions and pools apart.
  for (LayerKind kind : {LayerKind::Conv, LayerKind::MaxPool}) {
    std::vector<std::string> cells = {kind == LayerKind::Conv
                                          ? "**geomean, convolutions**"
                                          : "**geomean, max pools**",
                                      ""};
    bool any = false;
    for (int t : info.threads) {
      cells.insert(cells.end(), {"", "", ""});
      double logSum = 0;
      int count = 0;
      for (const LayerReport &layer : layers) {
        double ratio = layer.ratioToOneDnn(t);
        if (layer.layer.kind == kind && ratio > 0) {
          logSum += std::log(ratio);
          ++count;
        }
      }
      cells.push_back(count ? format("**%.2f×**", std::exp(logSum / count))
                            : "—");
      any |= count > 0;
    }
    cells.resize(header.size(), "");
    if (any)
      row(os, cells);
  }
  os << "\nNHWC: oneDNN on plain NHWC activations (weights in its preferred "
        "layout). preferred: every layout oneDNN's choice (format_tag::any; "
        "a max pool's source, which cannot be `any`, is nChw16c); the second "
        "table shows what it chose (acdb = NHWC, aBcd16b = nChw16c). Weight "
        "and activation reorders are outside the timing.  \n"
        "† the naive reference kernels (double accumulation): one run on "
        "big layers, the median of at most 3 on small ones.  \n"
        "ConvForge: the layer's weights are constants, as in a network "
        "spec; its filter is packed at compile time (the second table gives "
        "the time), outside the timing like oneDNN's weight reorder.  \n"
        "check: every output against ConvForge's, max |a − b| / max(1, |b|) "
        "≤ "
     << format("%.0e", kTolerance) << ".\n\n";

  // Times and what oneDNN did.
  int first = info.threads.empty() ? 1 : info.threads.front();
  std::vector<std::string> details = {"layer", "ConvForge ms"};
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
  align.assign(details.size(), "---:");
  align.front() = "---";
  align.back() = "---";
  row(os, align);
  for (const LayerReport &layer : layers) {
    std::vector<std::string> cells = {layer.layer.name,
                                      msCell(layer.find("convforge", 1))};
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

  // Every failure, in full, below the tables.
  for (const LayerReport &layer : layers)
    for (const Measurement &m : layer.measurements) {
      if (!m.error.empty())
        os << "- **ERROR** " << layer.layer.name << ", " << m.implementation
           << " " << m.threads << "T: " << m.error << "\n";
      if (m.mismatch())
        os << "- **MISMATCH** " << layer.layer.name << ", " << m.implementation
           << " " << m.threads << "T: max rel error "
           << format("%.3e", m.maxRelError) << " > "
           << format("%.0e", kTolerance) << "\n";
    }
}

void writeCsv(std::ostream &os, const RunInfo &info,
              const std::vector<LayerReport> &layers) {
  os << "layer,kind,batch,height,width,channels,filters,window,stride,"
        "padding,gflop,implementation,threads,runs,median_ms,min_ms,gflops,"
        "peak_gflops,percent_of_peak,ratio_to_onednn_best,max_rel_error,"
        "check,compile_s,weights_reorder_ms,src_reorder_ms,dst_reorder_ms,"
        "detail,error\n";
  for (const LayerReport &layer : layers) {
    const Layer &l = layer.layer;
    for (const Measurement &m : layer.measurements) {
      double gflops = layer.gflops(m);
      double peak = peakOf(info, m.threads);
      double best = layer.bestOneDnnGflops(m.threads);
      std::string check = m.mismatch()       ? "MISMATCH"
                          : !m.error.empty() ? "ERROR"
                          : m.checked()      ? "ok"
                                             : "baseline";
      auto optional = [&](bool present, const char *fmt, double value) {
        return present ? format(fmt, value) : std::string();
      };
      os << csvQuote(l.name) << ","
         << (l.kind == LayerKind::Conv ? "conv" : "maxpool") << "," << l.batch
         << "," << l.height << "," << l.width << "," << l.channels << ","
         << l.filters << "," << l.window << "," << l.stride << "," << l.padding
         << "," << format("%.6f", l.flops() / 1e9) << "," << m.implementation
         << "," << m.threads << "," << m.timing.runs << ","
         << optional(m.measured(), "%.4f", m.timing.median * 1e3) << ","
         << optional(m.measured(), "%.4f", m.timing.min * 1e3) << ","
         << optional(m.measured(), "%.3f", gflops) << ","
         << optional(peak > 0, "%.2f", peak) << ","
         << optional(m.measured() && peak > 0, "%.2f", 100 * gflops / peak)
         << "," << optional(m.measured() && best > 0, "%.4f", gflops / best)
         << "," << optional(m.checked(), "%.3e", m.maxRelError) << "," << check
         << "," << optional(m.compileSeconds > 0, "%.3f", m.compileSeconds)
         << ","
         << optional(m.weightsReorderSeconds > 0, "%.4f",
                     m.weightsReorderSeconds * 1e3)
         << ","
         << optional(m.srcReorderSeconds > 0, "%.4f", m.srcReorderSeconds * 1e3)
         << ","
         << optional(m.dstReorderSeconds > 0, "%.4f", m.dstReorderSeconds * 1e3)
         << "," << csvQuote(m.detail) << "," << csvQuote(m.error) << "\n";
    }
  }
  // The peaks as rows of their own, so that the file stands alone.
  for (const auto &[threads, peak] : info.peaksBefore) {
    double used = info.peakGflops(threads);
    os << "fma-peak,peak,,,,,,,,,," << peak.isa << "," << threads << ",,,,"
       << format("%.3f", used) << "," << format("%.2f", used)
       << ",100.00,,,,,,,,,\n";
  }
}

} // namespace convforge::bench
