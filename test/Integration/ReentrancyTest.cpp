//===- ReentrancyTest.cpp - One compiled network, many threads ------------===//
//
// The JIT-compiled function is re-entrant: many std::threads call the same
// JitProgram at once, for many iterations, each on inputs of its own
// (distinct per thread and iteration, so that any state shared between
// calls would show as a wrong output), and every output is checked bit for
// bit against the first, single-threaded result for that input, which is
// itself checked against the reference implementation. The network has
// every kind of layer and padding, so the code allocates temporaries of
// every kind; it is compiled as serial code and for two OpenMP threads.
//
// scripts/test-sanitizers.sh also runs this test built with ThreadSanitizer
// (the test and ConvForge are instrumented; the generated code is not, and
// is covered by the output checks and by test/Tools/aot-threads.test, which
// instruments it).
//
//===----------------------------------------------------------------------===//

#include "JitHarness.h"

#include "ConvForge/Execution/Jit.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Parser/Parser.h"

#include "gtest/gtest.h"

#include <atomic>
#include <cstring>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

using namespace mlir;
using namespace convforge;
using namespace convforge::testing;

namespace {

// conv (padded: a padded copy and a transposed filter) -> relu -> max pool
// (ceil: an implicitly padded copy) -> locally connected -> avg pool
// (padded) -> flatten -> dense -> softmax.
constexpr const char *kNetwork = R"mlir(
func.func @net(%x: tensor<1x15x15x3xf32>, %w1: tensor<8x3x3x3xf32>,
               %b1: tensor<8xf32>, %w2: tensor<4x4x5x2x2x8xf32>,
               %w3: tensor<10x45xf32>, %b3: tensor<10xf32>)
    -> tensor<*xf32> {
  %0 = cnn.conv2d %x, %w1, %b1 padding [1] : (tensor<1x15x15x3xf32>, tensor<8x3x3x3xf32>, tensor<8xf32>) -> tensor<*xf32>
  %1 = cnn.relu %0 : (tensor<*xf32>) -> tensor<*xf32>
  %2 = cnn.max_pool2d %1 window [2] stride [2] rounding ceil : (tensor<*xf32>) -> tensor<*xf32>
  %3 = cnn.locally_connected2d %2, %w2 stride [2] rounding floor : (tensor<*xf32>, tensor<4x4x5x2x2x8xf32>) -> tensor<*xf32>
  %4 = cnn.avg_pool2d %3 window [3] stride [2] padding [1, 2, 1, 2] : (tensor<*xf32>) -> tensor<*xf32>
  %5 = cnn.flatten %4 : (tensor<*xf32>) -> tensor<*xf32>
  %6 = cnn.dense %5, %w3, %b3 : (tensor<*xf32>, tensor<10x45xf32>, tensor<10xf32>) -> tensor<*xf32>
  %7 = cnn.softmax %6 : (tensor<*xf32>) -> tensor<*xf32>
  return %7 : tensor<*xf32>
}
)mlir";

constexpr unsigned kDistinctInputs = 16;
constexpr unsigned kThreads = 8;
constexpr unsigned kIterations = 150;

class ReentrancyTest : public ::testing::TestWithParam<int64_t> {};

TEST_P(ReentrancyTest, ManyThreadsCallOneProgram) {
  int64_t codeThreads = GetParam();
  std::unique_ptr<MLIRContext> context = makeContext();
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(kNetwork, context.get());
  ASSERT_TRUE(module);
  JitOptions options;
  options.threads = codeThreads;
  llvm::Expected<std::unique_ptr<JitProgram>> compiled =
      JitProgram::compile(*module, "net", options);
  ASSERT_TRUE(static_cast<bool>(compiled))
      << llvm::toString(compiled.takeError());
  JitProgram &program = **compiled;
  ASSERT_EQ(program.getOutputShapes().size(), 1u);
  llvm::ArrayRef<int64_t> outputShape = program.getOutputShapes().front();

  // Distinct argument sets: the input and the weights all vary.
  std::mt19937_64 rng(20261201);
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  std::vector<std::vector<Tensor>> arguments(kDistinctInputs);
  for (std::vector<Tensor> &set : arguments) {
    for (llvm::ArrayRef<int64_t> shape : program.getInputShapes()) {
      Tensor tensor(shape);
      for (float &value : tensor.data)
        value = uniform(rng);
      set.push_back(std::move(tensor));
    }
  }
  auto call = [&](std::vector<Tensor> &set, Tensor &output) {
    llvm::SmallVector<BufferRef> inputs;
    for (Tensor &tensor : set)
      inputs.push_back({tensor.data.data(), tensor.shape});
    BufferRef outputRef{output.data.data(), output.shape};
    return program.invoke(inputs, {outputRef});
  };

  // The first results, computed by one thread, checked against the
  // reference (the same function, shapes inferred by its own run).
  std::vector<Tensor> expected;
  for (unsigned k = 0; k < kDistinctInputs; ++k) {
    Tensor output(outputShape, std::nanf(""));
    ASSERT_FALSE(static_cast<bool>(call(arguments[k], output)));
    std::mt19937_64 unused(0);
    llvm::Expected<Outputs> reference = runCompiledAndReference(
        *context, kNetwork, "net", arguments[k], unused, 1);
    ASSERT_TRUE(static_cast<bool>(reference))
        << llvm::toString(reference.takeError());
    llvm::Error error = compareWithTolerance(output, reference->reference[0]);
    ASSERT_FALSE(static_cast<bool>(error)) << llvm::toString(std::move(error));
    expected.push_back(std::move(output));
  }
  // Not vacuous: the inputs give different outputs.
  for (unsigned k = 1; k < kDistinctInputs; ++k)
    ASSERT_NE(expected[k].data, expected[0].data);

  std::atomic<unsigned> calls{0}, mismatches{0}, failures{0};
  std::mutex firstProblemMutex;
  std::string firstProblem;
  auto report = [&](const std::string &problem) {
    std::lock_guard<std::mutex> lock(firstProblemMutex);
    if (firstProblem.empty())
      firstProblem = problem;
  };
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Each thread its own copies of the arguments (the code only reads
      // them, but a shared buffer would hide nothing here) and its output.
      std::vector<std::vector<Tensor>> own = arguments;
      Tensor output(outputShape);
      for (unsigned i = 0; i < kIterations; ++i) {
        unsigned k = (t * 7 + i * 3) % kDistinctInputs;
        std::fill(output.data.begin(), output.data.end(), std::nanf(""));
        if (llvm::Error error = call(own[k], output)) {
          ++failures;
          report(llvm::toString(std::move(error)));
          continue;
        }
        ++calls;
        if (std::memcmp(output.data.data(), expected[k].data.data(),
                        output.data.size() * sizeof(float)) != 0) {
          ++mismatches;
          report("thread " + std::to_string(t) + ", iteration " +
                 std::to_string(i) + ": the output for input " +
                 std::to_string(k) + " differs from its first result");
        }
      }
    });
  }
  for (std::thread &thread : threads)
    thread.join();
  EXPECT_EQ(failures.load(), 0u) << firstProblem;
  EXPECT_EQ(mismatches.load(), 0u) << firstProblem;
  EXPECT_EQ(calls.load(), kThreads * kIterations);
}

INSTANTIATE_TEST_SUITE_P(CodeThreads, ReentrancyTest, ::testing::Values(1, 2),
                         [](const ::testing::TestParamInfo<int64_t> &info) {
                           return info.param == 1 ? std::string("Serial")
                                                  : std::string("OpenMP2");
                         });

} // namespace
