//===- ExpandCopies.cpp - The convforge-expand-copies pass ----------------===//

#include "ConvForge/Codegen/Passes.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace convforge {
#define GEN_PASS_DEF_CONVFORGEEXPANDCOPIES
#include "ConvForge/Codegen/Passes.h.inc"
} // namespace convforge

using namespace mlir;

namespace {
struct CopyToLinalg : public OpRewritePattern<memref::CopyOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(memref::CopyOp copy,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<linalg::CopyOp>(copy, copy.getSource(),
                                                copy.getTarget());
    return success();
  }
};

struct ExpandCopiesPass
    : public convforge::impl::ConvForgeExpandCopiesBase<ExpandCopiesPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<CopyToLinalg>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
