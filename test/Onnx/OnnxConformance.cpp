//===- OnnxConformance.cpp - ONNX's backend tests through the JIT ---------===//
//
// Runs ONNX's own backend conformance tests (Debian's libonnx-testdata:
// <data>/<suite>/<test>/model.onnx and test_data_set_0/{input,output}_N.pb)
// through the path convforge-run takes: importOnnx, shape inference, the
// weights outlined, the pipeline and the JIT. A test is selected when every
// one of its nodes is an operator the importer maps (getOnnxOperators()).
// Each selected test then
//
//   passes    its output matches the shipped one within ONNX's tolerance,
//             |got - expected| <= 1e-7 + 1e-3 * |expected| per element;
//   fails     it was imported but did not compile, run or match; or
//   is refused: the importer rejected it, with its message as the reason.
//
// The backend tests feed weights as graph inputs (a Conv's W is input_1.pb);
// ConvForge compiles weights into the code, so every graph input but the
// first is bound to its test data as an initializer before the import.
//
// Prints one line per selected test, the counts per suite and the refusals
// grouped by reason; --markdown writes the same as docs/OnnxConformance.md.
// Exit status: 1 if a selected test fails (or nothing could be read), or
// if --expect names a table whose statuses differ from this run's; else 0.
//
//===----------------------------------------------------------------------===//

#include "ConvForge/Driver/Driver.h"
#include "ConvForge/Execution/Jit.h"
#include "ConvForge/Frontend/OnnxImporter.h"
#include "ConvForge/InitAll.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/raw_ostream.h"

#include "onnx/onnx_pb.h"

#include <algorithm>
#include <cmath>
#include <map>

using namespace mlir;
using namespace convforge;
namespace cl = llvm::cl;

namespace {
cl::opt<std::string>
    dataDir("data", cl::desc("The test data (default: libonnx-testdata's)"),
            cl::init("/usr/share/libonnx-testdata/data"));
cl::list<std::string>
    suites("suite",
           cl::desc("Suites to run (default: node, pytorch-converted, "
                    "pytorch-operator, simple)"),
           cl::CommaSeparated);
cl::opt<std::string> filter("filter",
                            cl::desc("Run only the tests whose name matches "
                                     "this regular expression"));
cl::opt<std::string>
    markdownPath("markdown",
                 cl::desc("Also write the results as a Markdown document"),
                 cl::value_desc("file.md"));
cl::opt<std::string> expectPath(
    "expect",
    cl::desc("A document written by --markdown: fail if a test's status "
             "differs from it"),
    cl::value_desc("file.md"));

constexpr double kRelativeTolerance = 1e-3;
constexpr double kAbsoluteTolerance = 1e-7;

enum class Status { Passed, Failed, Refused };

llvm::StringRef statusName(Status status) {
  switch (status) {
  case Status::Passed:
    return "passed";
  case Status::Failed:
    return "failed";
  case Status::Refused:
    return "refused";
  }
  return "";
}

struct Result {
  std::string suite, test;
  std::string ops; ///< the operators of its nodes, e.g. "Conv"
  Status status;
  std::string detail; ///< the error, or the largest difference
};

/// Collects the diagnostics emitted while alive.
class DiagnosticCollector {
public:
  explicit DiagnosticCollector(MLIRContext &context)
      : handler(&context, [this](Diagnostic &diag) {
          if (diag.getSeverity() == DiagnosticSeverity::Error && first.empty())
            first = diag.str();
          return success();
        }) {}
  std::string first;

private:
  ScopedDiagnosticHandler handler;
};

llvm::Expected<std::string> readFile(llvm::StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false);
  if (!buffer)
    return llvm::createStringError(path + ": " + buffer.getError().message());
  return (*buffer)->getBuffer().str();
}

/// The test's `<prefix>_N.pb` files in order of N.
std::vector<std::string> dataFiles(llvm::StringRef directory,
                                   llvm::StringRef prefix) {
  std::vector<std::string> files;
  for (int index = 0;; ++index) {
    llvm::SmallString<256> path(directory);
    llvm::sys::path::append(path, "test_data_set_0",
                            prefix + "_" + llvm::Twine(index) + ".pb");
    if (!llvm::sys::fs::exists(path))
      return files;
    files.push_back(std::string(path));
  }
}

std::string formatDifference(double value) {
  std::string text;
  llvm::raw_string_ostream(text) << llvm::format("%.2g", value);
  return text;
}

/// Runs one test whose model is `model` (already parsed and selected).
Result runTest(MLIRContext &context, llvm::StringRef directory,
               onnx::ModelProto model, Result result) {
  auto refuse = [&](std::string reason) {
    result.status = Status::Refused;
    result.detail = std::move(reason);
    return result;
  };
  auto fail = [&](std::string reason) {
    result.status = Status::Failed;
    result.detail = std::move(reason);
    return result;
  };

  std::vector<std::string> inputFiles = dataFiles(directory, "input");
  std::vector<std::string> outputFiles = dataFiles(directory, "output");
  if (outputFiles.empty())
    return fail("no test_data_set_0/output_0.pb");

  // Bind the graph inputs after the first to their data, as initializers.
  onnx::GraphProto *graph = model.mutable_graph();
  llvm::StringSet<> initializers;
  for (const onnx::TensorProto &initializer : graph->initializer())
    initializers.insert(initializer.name());
  std::vector<std::string> inputNames;
  for (const onnx::ValueInfoProto &input : graph->input())
    if (!initializers.contains(input.name()))
      inputNames.push_back(input.name());
  if (inputNames.size() != inputFiles.size())
    return fail("the graph has " + std::to_string(inputNames.size()) +
                " inputs but the test data " +
                std::to_string(inputFiles.size()));
  for (size_t i = 1; i < inputNames.size(); ++i) {
    llvm::Expected<std::string> bytes = readFile(inputFiles[i]);
    if (!bytes)
      return fail(llvm::toString(bytes.takeError()));
    onnx::TensorProto *bound = graph->add_initializer();
    if (!bound->ParseFromString(*bytes))
      return fail(inputFiles[i] + " is not a TensorProto");
    bound->set_name(inputNames[i]);
  }
  std::string bytes;
  model.SerializeToString(&bytes);

  DiagnosticCollector diagnostics(context);
  OwningOpRef<ModuleOp> module =
      importOnnx(bytes, result.test + ".onnx", &context);
  if (!module)
    return refuse(diagnostics.first);
  if (inputFiles.empty())
    return fail("the model was imported but the test has no input");

  driver::Network network;
  network.module = std::move(module);
  for (auto func : network.module->getOps<func::FuncOp>())
    network.entry = func.getSymName().str();
  if (failed(driver::inferShapes(network)))
    return fail("shape inference: " + diagnostics.first);

  llvm::Expected<std::string> inputBytes = readFile(inputFiles[0]);
  llvm::Expected<std::string> outputBytes = readFile(outputFiles[0]);
  if (!inputBytes || !outputBytes)
    return fail(llvm::toString(!inputBytes ? inputBytes.takeError()
                                           : outputBytes.takeError()));
  llvm::Expected<Tensor> input = parseOnnxTensor(*inputBytes);
  llvm::Expected<Tensor> expected = parseOnnxTensor(*outputBytes);
  if (!input)
    return fail("input_0.pb: " + llvm::toString(input.takeError()));
  if (!expected)
    return fail("output_0.pb: " + llvm::toString(expected.takeError()));

  // As convforge-run: the weights become arguments after the input.
  std::vector<driver::WeightBuffer> weights =
      driver::outlineWeights(network.getEntry());
  auto program =
      JitProgram::compile(*network.module, llvm::StringRef(network.entry));
  if (!program)
    return fail("compilation: " + llvm::toString(program.takeError()));
  const EntrySignature *signature = (*program)->getSignature(network.entry);
  if (llvm::ArrayRef<int64_t>(signature->inputs.front()) !=
      llvm::ArrayRef<int64_t>(input->shape))
    return fail("input_0.pb has shape " + formatShape(input->shape) +
                ", the network takes " +
                formatShape(signature->inputs.front()));
  Tensor output(signature->outputs.front());
  llvm::SmallVector<BufferRef> inputs = {{input->data.data(), input->shape}};
  for (const driver::WeightBuffer &weight : weights)
    inputs.push_back({const_cast<float *>(weight.data.data()), weight.shape});
  if (llvm::Error error = (*program)->invoke(
          network.entry, inputs, {{output.data.data(), output.shape}}))
    return fail("run: " + llvm::toString(std::move(error)));

  if (output.shape != expected->shape)
    return fail("output " + formatShape(output.shape) + ", expected " +
                formatShape(expected->shape));
  double worst = 0, worstExcess = 0;
  int64_t worstIndex = -1;
  for (int64_t i = 0, e = output.numElements(); i < e; ++i) {
    double got = output.data[i], want = expected->data[i];
    if (std::isnan(got) && std::isnan(want))
      continue;
    double difference = std::fabs(got - want);
    if (std::isnan(difference))
      difference = INFINITY;
    double excess = difference -
                    (kAbsoluteTolerance + kRelativeTolerance * std::fabs(want));
    worst = std::max(worst, difference);
    if (excess > worstExcess) {
      worstExcess = excess;
      worstIndex = i;
    }
  }
  if (worstIndex >= 0) {
    std::string text;
    llvm::raw_string_ostream(text)
        << "element " << worstIndex << " is " << output.data[worstIndex]
        << ", expected " << expected->data[worstIndex];
    return fail(text);
  }
  result.status = Status::Passed;
  result.detail = "max |difference| " + formatDifference(worst);
  return result;
}

/// A refusal's reason without the node's name and the values' names and
/// sizes, to group the refusals: "(MaxPool) dilations [‹n›] are not ...".
std::string reasonKey(llvm::StringRef reason) {
  std::string prefix;
  // "node 'x' (Conv): ..." or "node #0 (Conv) computing 'y': ..."
  static llvm::Regex node("^node ('[^']*'|#[0-9]+) \\(([A-Za-z]+)\\)"
                          "( computing '[^']*')?: ");
  llvm::SmallVector<llvm::StringRef> groups;
  if (node.match(reason, &groups)) {
    prefix = "(" + groups[2].str() + ") ";
    reason = reason.drop_front(groups[0].size());
  }
  // Quoted names, bracketed lists and numbers that stand alone (not the 1
  // of "1-D" or the 32 of "float32") become placeholders.
  std::string text;
  for (size_t i = 0; i < reason.size();) {
    char c = reason[i];
    if (c == '\'') {
      size_t end = reason.find('\'', i + 1);
      if (end != llvm::StringRef::npos) {
        text += "‹name›";
        i = end + 1;
        continue;
      }
    }
    if (c == '[') {
      size_t end = reason.find(']', i);
      if (end != llvm::StringRef::npos &&
          reason.slice(i + 1, end).find_first_not_of("-0123456789, ") ==
              llvm::StringRef::npos) {
        text += "[‹n›]";
        i = end + 1;
        continue;
      }
    }
    bool startsNumber =
        llvm::isDigit(c) && (i == 0 || !llvm::isAlnum(reason[i - 1]));
    if (startsNumber) {
      size_t end = i;
      while (end < reason.size() &&
             (llvm::isDigit(reason[end]) || reason[end] == 'x'))
        ++end;
      bool standsAlone = end == reason.size() ||
                         (!llvm::isAlnum(reason[end]) && reason[end] != '-');
      if (standsAlone) {
        text += "‹n›";
        i = end;
        continue;
      }
    }
    text += c;
    ++i;
  }
  return prefix + text;
}

/// Reads the statuses of a document written by --markdown: the rows
/// "| suite | test | ops | status | detail |" of its last table.
std::map<std::string, std::string> readExpectations(llvm::StringRef text) {
  std::map<std::string, std::string> statuses;
  size_t table = text.find("## Every selected test");
  if (table == llvm::StringRef::npos)
    return statuses;
  llvm::SmallVector<llvm::StringRef> lines;
  text.drop_front(table).split(lines, '\n');
  for (llvm::StringRef line : lines) {
    if (!line.starts_with("| "))
      continue;
    llvm::SmallVector<llvm::StringRef> cells;
    line.split(cells, '|');
    if (cells.size() < 6)
      continue;
    llvm::StringRef status = cells[4].trim();
    if (status != "passed" && status != "failed" && status != "refused")
      continue;
    statuses[(cells[1].trim() + "/" + cells[2].trim()).str()] = status.str();
  }
  return statuses;
}

std::string escapeCell(llvm::StringRef text) {
  std::string escaped;
  for (char c : text) {
    if (c == '|')
      escaped += "\\|";
    else if (c == '\n')
      escaped += ' ';
    else
      escaped += c;
  }
  return escaped;
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  cl::ParseCommandLineOptions(
      argc, argv,
      "Runs ONNX's backend tests whose operators ConvForge imports through "
      "the JIT and compares with the shipped outputs.\n");
  if (suites.empty())
    for (const char *suite :
         {"node", "pytorch-converted", "pytorch-operator", "simple"})
      suites.push_back(suite);
  std::optional<llvm::Regex> testFilter;
  if (!filter.empty())
    testFilter.emplace(filter);

  llvm::StringSet<> operators;
  for (llvm::StringRef op : getOnnxOperators())
    operators.insert(op);

  DialectRegistry registry;
  registerAllDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();

  std::vector<Result> results;
  std::map<std::string, int> totals; // tests per suite, selected or not
  for (const std::string &suite : suites) {
    llvm::SmallString<256> suiteDir(dataDir);
    llvm::sys::path::append(suiteDir, suite);
    std::error_code ec;
    std::vector<std::string> tests;
    for (llvm::sys::fs::directory_iterator it(suiteDir, ec), end;
         it != end && !ec; it.increment(ec))
      tests.push_back(std::string(llvm::sys::path::filename(it->path())));
    if (ec || tests.empty()) {
      llvm::errs() << "error: no tests in " << suiteDir
                   << (ec ? ": " + ec.message() : std::string())
                   << " (install libonnx-testdata)\n";
      return 1;
    }
    std::sort(tests.begin(), tests.end());
    for (const std::string &test : tests) {
      if (testFilter && !testFilter->match(test))
        continue;
      llvm::SmallString<256> directory(suiteDir);
      llvm::sys::path::append(directory, test);
      llvm::SmallString<256> modelPath(directory);
      llvm::sys::path::append(modelPath, "model.onnx");
      llvm::Expected<std::string> bytes = readFile(modelPath);
      if (!bytes) {
        llvm::consumeError(bytes.takeError());
        continue; // e.g. the real-model stubs (a URL only)
      }
      ++totals[suite];
      onnx::ModelProto model;
      if (!model.ParseFromString(*bytes))
        continue;
      std::vector<std::string> ops;
      bool selected = model.graph().node_size() > 0;
      for (const onnx::NodeProto &node : model.graph().node()) {
        bool known = (node.domain().empty() || node.domain() == "ai.onnx") &&
                     operators.contains(node.op_type());
        selected &= known;
        if (!llvm::is_contained(ops, node.op_type()))
          ops.push_back(node.op_type());
      }
      if (!selected)
        continue;
      Result result{suite, test, llvm::join(ops, ", "), Status::Failed, ""};
      results.push_back(
          runTest(context, directory, std::move(model), std::move(result)));
      const Result &done = results.back();
      llvm::outs() << llvm::format("%-8s %-18s %-52s ",
                                   statusName(done.status).data(),
                                   suite.c_str(), test.c_str())
                   << done.detail << "\n";
      llvm::outs().flush();
    }
  }

  // Counts per suite and refusals by reason.
  struct Counts {
    int passed = 0, failed = 0, refused = 0;
  };
  std::map<std::string, Counts> counts;
  std::map<std::string, std::vector<std::string>> refusals;
  for (const Result &result : results) {
    Counts &c = counts[result.suite];
    if (result.status == Status::Passed)
      ++c.passed;
    else if (result.status == Status::Failed)
      ++c.failed;
    else {
      ++c.refused;
      refusals[reasonKey(result.detail)].push_back(result.test);
    }
  }
  std::string summary;
  llvm::raw_string_ostream os(summary);
  os << "| suite | tests | selected | passed | failed | refused |\n"
     << "| --- | ---: | ---: | ---: | ---: | ---: |\n";
  Counts all;
  int allTotal = 0;
  for (const std::string &suite : suites) {
    const Counts &c = counts[suite];
    int selected = c.passed + c.failed + c.refused;
    os << "| " << suite << " | " << totals[suite] << " | " << selected << " | "
       << c.passed << " | " << c.failed << " | " << c.refused << " |\n";
    all.passed += c.passed;
    all.failed += c.failed;
    all.refused += c.refused;
    allTotal += totals[suite];
  }
  os << "| all | " << allTotal << " | " << all.passed + all.failed + all.refused
     << " | " << all.passed << " | " << all.failed << " | " << all.refused
     << " |\n";
  std::string reasons;
  llvm::raw_string_ostream rs(reasons);
  std::vector<std::pair<std::string, std::vector<std::string>>> sorted(
      refusals.begin(), refusals.end());
  llvm::sort(sorted, [](const auto &a, const auto &b) {
    if (a.second.size() != b.second.size())
      return a.second.size() > b.second.size();
    return a.first < b.first;
  });
  for (auto &[reason, tests] : sorted)
    rs << "- " << tests.size() << " × " << escapeCell(reason) << ": "
       << llvm::join(tests, ", ") << "\n";

  llvm::outs() << "\n" << summary << "\nRefusals by reason:\n" << reasons;

  if (!markdownPath.empty()) {
    std::error_code ec;
    llvm::raw_fd_ostream md(markdownPath, ec);
    if (ec) {
      llvm::errs() << "error: " << markdownPath << ": " << ec.message() << "\n";
      return 1;
    }
    md << "# ONNX conformance\n\n"
       << "ONNX's backend tests (Debian's `libonnx-testdata`, ONNX 1.12) "
          "whose every node is an operator the importer maps, run by "
          "`convforge-onnx-conformance` through the JIT and compared with "
          "the shipped outputs (|got − expected| ≤ 1e-7 + 1e-3·|expected|, "
          "ONNX's tolerance). Graph inputs after the first (a Conv's `W`, a "
          "Gemm's `B` and `C`, a Reshape's `shape`) are bound to their test "
          "data as initializers: ConvForge compiles weights into the code. "
          "Generated by `ninja -C build update-onnx-conformance`; ctest "
          "(`onnx/conformance`) fails when a test fails or its status "
          "differs from this table.\n\n"
       << summary << "\n## Refusals by reason\n\n"
       << reasons << "\n## Every selected test\n\n"
       << "| suite | test | operators | status | detail |\n"
       << "| --- | --- | --- | --- | --- |\n";
    for (const Result &result : results)
      md << "| " << result.suite << " | " << result.test << " | " << result.ops
         << " | " << statusName(result.status) << " | "
         << escapeCell(result.detail) << " |\n";
  }

  int status = all.failed > 0 ? 1 : 0;
  if (all.failed > 0)
    llvm::outs() << "\n" << all.failed << " selected test(s) failed\n";
  if (!expectPath.empty()) {
    llvm::Expected<std::string> text = readFile(expectPath);
    if (!text) {
      llvm::errs() << "error: " << llvm::toString(text.takeError()) << "\n";
      return 1;
    }
    std::map<std::string, std::string> expected = readExpectations(*text);
    int differences = 0;
    for (const Result &result : results) {
      std::string key = result.suite + "/" + result.test;
      auto found = expected.find(key);
      std::string want =
          found == expected.end() ? "(not listed)" : found->second;
      if (want != statusName(result.status)) {
        llvm::outs() << "differs from " << expectPath << ": " << key << " is "
                     << statusName(result.status) << ", listed as " << want
                     << "\n";
        ++differences;
      }
      if (found != expected.end())
        expected.erase(found);
    }
    if (!testFilter)
      for (auto &[key, want] : expected) {
        llvm::outs() << "differs from " << expectPath << ": " << key
                     << " is listed as " << want << " but was not run\n";
        ++differences;
      }
    if (differences) {
      llvm::outs() << differences
                   << " difference(s): rerun with --markdown to update the "
                      "table\n";
      status = 1;
    }
  }
  return status;
}
