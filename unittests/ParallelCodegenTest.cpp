//===- ParallelCodegenTest.cpp - Partitions and their object files --------===//

#include "ConvForge/Execution/ParallelCodegen.h"

#include "llvm/AsmParser/Parser.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"

#include <gtest/gtest.h>

using namespace convforge;

namespace {

std::vector<uint64_t> partitionLoads(llvm::ArrayRef<uint64_t> sizes,
                                     llvm::ArrayRef<unsigned> assignment) {
  std::vector<uint64_t> loads;
  for (auto [size, partition] : llvm::zip(sizes, assignment)) {
    if (partition >= loads.size())
      loads.resize(partition + 1, 0);
    loads[partition] += size;
  }
  return loads;
}

TEST(AssignPartitions, BalancesTheLargestFunctionsFirst) {
  std::vector<uint64_t> sizes = {8, 10, 1, 9, 2};
  std::vector<unsigned> assignment = assignPartitions(sizes, 2);
  ASSERT_EQ(assignment.size(), sizes.size());
  // Largest first, each to the lighter partition: 10 | 9, 8 -> 9+8 is
  // heavier, so 2 and 1 join 10.
  EXPECT_EQ(assignment, (std::vector<unsigned>{1, 0, 0, 1, 0}));
  EXPECT_EQ(partitionLoads(sizes, assignment), (std::vector<uint64_t>{13, 17}));
}

TEST(AssignPartitions, NeverMorePartitionsThanFunctionsOrThreads) {
  std::vector<uint64_t> sizes = {5, 5, 5};
  std::vector<unsigned> assignment = assignPartitions(sizes, 8);
  EXPECT_EQ(assignment, (std::vector<unsigned>{0, 1, 2}));
  EXPECT_EQ(assignPartitions(sizes, 1), (std::vector<unsigned>{0, 0, 0}));
  EXPECT_EQ(assignPartitions(sizes, 0), (std::vector<unsigned>{0, 0, 0}));
  EXPECT_TRUE(assignPartitions({}, 4).empty());
}

TEST(AssignPartitions, KeepsOnePartitionWhenOneFunctionDominates) {
  // Splitting would save under a tenth of the work: not worth the parse.
  std::vector<uint64_t> sizes = {1000, 40, 30, 20};
  EXPECT_EQ(assignPartitions(sizes, 2), (std::vector<unsigned>{0, 0, 0, 0}));
  // At a fifth, it is.
  sizes = {800, 100, 100};
  std::vector<unsigned> assignment = assignPartitions(sizes, 2);
  EXPECT_EQ(partitionLoads(sizes, assignment),
            (std::vector<uint64_t>{800, 200}));
}

/// Functions that call one another and share a private constant: split
/// into several object files, they must still link and compute the same.
constexpr const char *kModule = R"(
@table = private unnamed_addr constant [4 x i32] [i32 1, i32 2, i32 3, i32 4]

define internal i32 @lookup(i32 %i) noinline {
  %p = getelementptr [4 x i32], ptr @table, i32 0, i32 %i
  %v = load i32, ptr %p
  ret i32 %v
}

define internal i32 @twice(i32 %i) noinline {
  %v = call i32 @lookup(i32 %i)
  %w = add i32 %v, %v
  ret i32 %w
}

define i32 @entry(i32 %i) {
  %a = call i32 @twice(i32 %i)
  %b = call i32 @lookup(i32 %i)
  %c = add i32 %a, %b
  ret i32 %c
}
)";

TEST(CompileToObjects, PartitionsLinkAndRunTogether) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  for (unsigned threads : {1u, 3u}) {
    SCOPED_TRACE("threads " + std::to_string(threads));
    llvm::LLVMContext context;
    llvm::SMDiagnostic diagnostic;
    std::unique_ptr<llvm::Module> module =
        llvm::parseAssemblyString(kModule, diagnostic, context);
    ASSERT_TRUE(module) << diagnostic.getMessage().str();
    auto machineBuilder = llvm::orc::JITTargetMachineBuilder::detectHost();
    ASSERT_TRUE(!!machineBuilder) << toString(machineBuilder.takeError());
    auto objects = compileToObjects(*module, *machineBuilder, threads);
    ASSERT_TRUE(!!objects) << toString(objects.takeError());
    // The three functions are about the same size.
    EXPECT_EQ(objects->size(), threads);

    auto jit = llvm::orc::LLJITBuilder()
                   .setJITTargetMachineBuilder(*machineBuilder)
                   .create();
    ASSERT_TRUE(!!jit) << toString(jit.takeError());
    for (auto &object : *objects)
      if (llvm::Error error = (*jit)->addObjectFile(std::move(object)))
        FAIL() << toString(std::move(error));
    auto address = (*jit)->lookup("entry");
    ASSERT_TRUE(!!address) << toString(address.takeError());
    auto *entry = address->toPtr<int (*)(int)>();
    for (int i = 0; i < 4; ++i)
      EXPECT_EQ(entry(i), 3 * (i + 1));
  }
}

} // namespace
