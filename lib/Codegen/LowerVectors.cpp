//===- LowerVectors.cpp - The convforge-lower-vectors pass ----------------===//

#include "ConvForge/Codegen/Passes.h"

#include "Utils.h"

#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"

namespace convforge {
#define GEN_PASS_DEF_CONVFORGELOWERVECTORS
#include "ConvForge/Codegen/Passes.h.inc"
} // namespace convforge

using namespace mlir;
using namespace mlir::vector;
using namespace convforge;

namespace {
struct LowerVectorsPass
    : public convforge::impl::ConvForgeLowerVectorsBase<LowerVectorsPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    applyPatternGroup(func, [](RewritePatternSet &patterns) {
      populateVectorMaskLoweringPatternsForSideEffectingOps(patterns);
    });
    // A contraction of an output tile becomes, per reduction step, a
    // broadcast input times a vector of output channels: one FMA per vector.
    applyPatternGroup(func, [](RewritePatternSet &patterns) {
      populateVectorContractLoweringPatterns(
          patterns, VectorContractLowering::OuterProduct);
      populateVectorOuterProductLoweringPatterns(patterns);
    });
    applyPatternGroup(func, [](RewritePatternSet &patterns) {
      populateVectorTransferPermutationMapLoweringPatterns(patterns);
      populateVectorTransferLoweringPatterns(patterns,
                                             /*maxTransferRank=*/1);
    });
    applyPatternGroup(func, [](RewritePatternSet &patterns) {
      populateVectorMultiReductionLoweringPatterns(
          patterns, VectorMultiReductionLowering::InnerReduction);
    });
    // The reductions of a dense layer's dot products may be reassociated:
    // without it LLVM must add the lanes one after another (an ordered
    // reduction, a chain of dependent adds) instead of as a tree.
    auto reassoc = arith::FastMathFlagsAttr::get(&getContext(),
                                                 arith::FastMathFlags::reassoc);
    func.walk([&](vector::ReductionOp reduction) {
      if (reduction.getKind() == CombiningKind::ADD)
        reduction.setFastmathAttr(reassoc);
    });
    applyPatternGroup(func, [](RewritePatternSet &patterns) {
      populateVectorBroadcastLoweringPatterns(patterns);
    });
    applyPatternGroup(func, [](RewritePatternSet &patterns) {
      populateVectorTransposeLoweringPatterns(patterns,
                                              VectorTransposeLowering::EltWise);
    });
    applyPatternGroup(func, [](RewritePatternSet &patterns) {
      populateVectorShapeCastLoweringPatterns(patterns);
    });
    canonicalizeAndCse(func);
  }
};
} // namespace
