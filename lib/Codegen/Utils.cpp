//===- Utils.cpp - Helpers shared by the codegen passes -------------------===//

#include "Utils.h"

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
