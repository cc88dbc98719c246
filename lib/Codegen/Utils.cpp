//===- Utils.cpp - Helpers shared by the codegen passes -------------------===//

#include "Utils.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

#include "mlir/IR/Dominance.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Transforms/CSE.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;

void convforge::canonicalizeAndCse(Operation *root) {
  MLIRContext *context = root->getContext();
  RewritePatternSet patterns(context);
  for (Dialect *dialect : context->getLoadedDialects())
    dialect->getCanonicalizationPatterns(patterns);
  for (RegisteredOperationName op : context->getRegisteredOperations())
    op.getCanonicalizationPatterns(patterns, context);
  // Not converging within the iteration limit is not an error: the IR is
  // valid either way, as for the canonicalizer pass.
  (void)applyPatternsGreedily(root, std::move(patterns));
  IRRewriter rewriter(context);
  DominanceInfo dominance;
  eliminateCommonSubExpressions(rewriter, dominance, root);
}

void convforge::applyPatternGroup(
    Operation *root, llvm::function_ref<void(RewritePatternSet &)> populate) {
  RewritePatternSet patterns(root->getContext());
  populate(patterns);
  (void)applyPatternsGreedily(root, std::move(patterns));
}

std::optional<convforge::ComposedOffset>
convforge::composeSliceOffset(RewriterBase &rewriter, Location loc, Value value,
                              unsigned dim) {
  OpFoldResult offset = rewriter.getIndexAttr(0);
  AffineExpr a, b;
  bindSymbols(rewriter.getContext(), a, b);
  while (auto slice = value.getDefiningOp<tensor::ExtractSliceOp>()) {
    if (slice.getSourceType().getRank() != 4 ||
        slice.getResultType().getRank() != 4 ||
        !isConstantIntValue(slice.getMixedStrides()[dim], 1))
      return std::nullopt;
    offset = affine::makeComposedFoldedAffineApply(
        rewriter, loc, a + b, {offset, slice.getMixedOffsets()[dim]});
    value = slice.getSource();
  }
  return ComposedOffset{offset, value};
}
