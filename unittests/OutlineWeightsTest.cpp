//===- OutlineWeightsTest.cpp - Weights passed to compiled code -----------===//
//
// driver::outlineWeights hands the compiled code each weight constant's
// storage: it must start on a cache line (WeightBlob.h) and hold the
// constant's values, whatever kind of constant it came from.
//
//===----------------------------------------------------------------------===//

#include "ConvForge/Driver/Driver.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include "gtest/gtest.h"

#include <cstdint>
#include <string>

using namespace mlir;
using namespace convforge;

namespace {

TEST(OutlineWeightsTest, TextConstantsAreOutlinedOnACacheLine) {
  // Constants written as dense<...> text live in the context's storage,
  // aligned for floats only; several of them, so that they cannot all fall
  // on a cache line by chance.
  // (Unused: outlining does not depend on the uses.)
  constexpr int kConstants = 8, kSize = 20;
  std::string type = "tensor<" + std::to_string(kSize) + "xf32>";
  std::string text = "func.func @f() {\n";
  for (int c = 0; c < kConstants; ++c) {
    text += "  %c" + std::to_string(c) + " = arith.constant dense<[";
    for (int i = 0; i < kSize; ++i)
      text += std::string(i ? ", " : "") + std::to_string(c * 100 + i) + ".0";
    text += "]> : " + type + "\n";
  }
  text += "  return\n}\n";

  MLIRContext context;
  context.loadDialect<arith::ArithDialect, func::FuncDialect>();
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(text, &context);
  ASSERT_TRUE(module);
  auto function = *module->getOps<func::FuncOp>().begin();
  std::vector<driver::WeightBuffer> weights = driver::outlineWeights(function);
  ASSERT_EQ(weights.size(), static_cast<size_t>(kConstants));
  EXPECT_EQ(function.getNumArguments(), static_cast<unsigned>(kConstants));
  for (int c = 0; c < kConstants; ++c) {
    const driver::WeightBuffer &weight = weights[c];
    EXPECT_EQ(reinterpret_cast<uintptr_t>(weight.data.data()) % 64, 0u)
        << "constant #" << c;
    ASSERT_EQ(weight.data.size(), static_cast<size_t>(kSize));
    for (int i = 0; i < kSize; ++i)
      EXPECT_EQ(weight.data[i], static_cast<float>(c * 100 + i));
  }
}

} // namespace
