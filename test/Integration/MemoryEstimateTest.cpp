//===- MemoryEstimateTest.cpp - The estimate bounds what the code allocates
//===//
//
// The tools refuse networks by cnn::estimateMemory, computed from the cnn
// ops before compiling; these tests check it against the heap the compiled
// code really allocates: every memref.alloc of the bufferized code (the
// last stage at which allocations are ops with shapes), for the example
// networks and for random layers and networks, on 1 and 2 threads. An
// allocation the estimate does not cover (a new temporary of the lowering,
// an allocation inside a loop or of a dynamic size) fails the test.
//
//===----------------------------------------------------------------------===//

#include "JitHarness.h"
#include "RandomNetworks.h"

#include "ConvForge/Codegen/Workspace.h"
#include "ConvForge/Dialect/Cnn/Analysis/MemoryEstimate.h"
#include "ConvForge/Dialect/Cnn/Transforms/Passes.h"
#include "ConvForge/Pipelines/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/MemoryBuffer.h"

#include "gtest/gtest.h"

using namespace mlir;
using namespace convforge;
using namespace convforge::testing;

namespace {

struct Allocations {
  uint64_t bytes = 0;
  unsigned count = 0;
};

class MemoryEstimateTest : public ::testing::Test {
protected:
  void SetUp() override { context = makeContext(); }

  /// Parses `source`, infers its shapes and estimates @`entry`, bufferizes it
  /// for `threads` threads and checks that its allocations fit in the
  /// estimate's activations and temporaries. Returns the allocations.
  Allocations check(llvm::StringRef source, llvm::StringRef entry,
                    int64_t threads) {
    std::string messages;
    ScopedDiagnosticHandler handler(context.get(), [&](Diagnostic &diag) {
      messages += diag.str() + "\n";
      return success();
    });
    OwningOpRef<ModuleOp> module =
        parseSourceString<ModuleOp>(source, context.get());
    EXPECT_TRUE(module) << messages;
    if (!module)
      return {};
    PassManager infer(context.get());
    infer.addNestedPass<func::FuncOp>(cnn::createCnnShapeInference());
    EXPECT_TRUE(succeeded(infer.run(*module))) << messages;
    auto func = module->lookupSymbol<func::FuncOp>(entry);
    FailureOr<cnn::MemoryEstimate> estimate = cnn::estimateMemory(func);
    EXPECT_TRUE(succeeded(estimate)) << messages;
    if (failed(estimate))
      return {};

    PassManager pm(context.get());
    CodegenOptions options;
    options.threads = threads;
    buildLowerToLinalgPipeline(pm, options);
    buildCodegenPipeline(pm, options);
    buildBufferizePipeline(pm);
    EXPECT_TRUE(succeeded(pm.run(*module))) << messages;

    Allocations allocations;
    // The temporaries laid out in a workspace (convforge-plan-workspace)
    // count as the workspace's size; allocations left count each.
    module->walk([&](func::FuncOp func) {
      if (auto bytes =
              func->getAttrOfType<IntegerAttr>(kWorkspaceBytesAttrName)) {
        allocations.bytes = cnn::saturatingAdd(
            allocations.bytes, static_cast<uint64_t>(bytes.getInt()));
        ++allocations.count;
      }
    });
    module->walk([&](memref::AllocOp alloc) {
      MemRefType type = alloc.getType();
      std::string typeText;
      llvm::raw_string_ostream(typeText) << type;
      EXPECT_TRUE(type.hasStaticShape())
          << "an allocation of a dynamic size: " << typeText;
      EXPECT_FALSE(alloc->getParentOfType<LoopLikeOpInterface>())
          << "an allocation in a loop (once per iteration): " << typeText;
      uint64_t bytes = (type.getElementTypeBitWidth() + 7) / 8;
      for (int64_t dim : type.getShape())
        bytes = cnn::saturatingMul(bytes, static_cast<uint64_t>(dim));
      allocations.bytes = cnn::saturatingAdd(allocations.bytes, bytes);
      ++allocations.count;
    });
    // The workspace aligns each temporary to 64 bytes: at most that much
    // more per layer than the estimate's exact sizes.
    uint64_t alignmentSlack =
        kWorkspaceAlignment * (func.getBody().front().getOperations().size());
    EXPECT_LE(allocations.bytes,
              estimate->activations + estimate->scratch + alignmentSlack)
        << allocations.count << " allocations; estimate: activations "
        << estimate->activations << ", temporaries " << estimate->scratch;
    return allocations;
  }

  std::unique_ptr<MLIRContext> context;
};

TEST_F(MemoryEstimateTest, ExampleNetworks) {
  struct Example {
    const char *file, *entry;
  } examples[] = {{"alexnet-conv1.mlir", "alexnet_conv1"},
                  {"lenet5.mlir", "lenet5"},
                  {"alexnet.mlir", "alexnet"}};
  for (const Example &example : examples) {
    std::string path =
        std::string(CONVFORGE_SOURCE_DIR) + "/examples/" + example.file;
    auto file = llvm::MemoryBuffer::getFile(path);
    ASSERT_TRUE(static_cast<bool>(file)) << path;
    for (int64_t threads : {1, 2}) {
      SCOPED_TRACE(std::string(example.file) + " on " +
                   std::to_string(threads) + " threads");
      Allocations allocations =
          check((*file)->getBuffer(), example.entry, threads);
      // Not vacuous: every example has temporaries (AlexNet conv1 its
      // transposed filter, the others their activations too).
      EXPECT_GT(allocations.count, 0u);
    }
  }
}

TEST_F(MemoryEstimateTest, RandomLayersAndNetworks) {
  std::mt19937_64 rng(20261201);
  uint64_t allocated = 0;
  for (int i = 0; i < 12; ++i) {
    for (GeneratedNetwork network :
         {randomConv2D(rng), randomPool(rng, /*isMax=*/true),
          randomPool(rng, /*isMax=*/false), randomLocallyConnected(rng),
          randomClassifier(rng), randomSmallNetwork(rng)}) {
      SCOPED_TRACE(network.description + "\n" + network.source);
      allocated += check(network.source, "net", 1 + i % 2).bytes;
      if (HasFatalFailure() || HasNonfatalFailure())
        return;
    }
  }
  EXPECT_GT(allocated, 0u);
}

} // namespace
