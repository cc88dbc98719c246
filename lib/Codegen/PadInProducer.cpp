//===- PadInProducer.cpp - The convforge-pad-in-producer pass -------------===//
//
// A padded convolution or pool reads its input through `tensor.pad`, which
// bufferizes to a copy of the whole input into a larger buffer. When the
// input is computed by the previous layer, that layer can write its output
// straight into the interior of the padded buffer instead: this pass turns
// the pad into an insertion into a buffer whose borders alone are filled,
// and empty-tensor elimination (at bufferization) then makes the producer
// compute into the buffer's interior. No copy is left.
//
//===----------------------------------------------------------------------===//

#include "ConvForge/Codegen/Passes.h"

#include "DirectInputReads.h"
#include "PaddedBuffer.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace convforge {
#define GEN_PASS_DEF_CONVFORGEPADINPRODUCER
#include "ConvForge/Codegen/Passes.h.inc"
} // namespace convforge

using namespace mlir;
using namespace convforge;

/// The op where the destination of `result` starts: following the chain
/// of destinations (a conv's bias broadcast, a pool's fill, the init of the
/// tile loops that compute it) back to its first op, normally a
/// tensor.empty.
static Operation *getDestinationRoot(OpResult result) {
  Value value = result;
  while (auto opResult = dyn_cast<OpResult>(value)) {
    Operation *op = opResult.getOwner();
    OpOperand *init = nullptr;
    if (auto dps = dyn_cast<DestinationStyleOpInterface>(op))
      init = dps.getTiedOpOperand(opResult);
    else if (auto forOp = dyn_cast<scf::ForOp>(op))
      init = forOp.getTiedLoopInit(opResult);
    else if (auto forall = dyn_cast<scf::ForallOp>(op))
      init = forall.getTiedOpOperand(opResult);
    if (!init)
      break;
    value = init->get();
  }
  return value.getDefiningOp();
}

/// Whether every user of `pad` is a convolution whose strategy gives it
/// width tiles clear of the padding, which convforge-tile makes read the
/// argument directly.
static bool readByConvolutionsDirectly(tensor::PadOp pad) {
  return isZeroPaddedArgument(pad) &&
         llvm::all_of(pad->getUsers(), [](Operation *user) {
           auto conv = dyn_cast<linalg::Conv2DNhwcHwcfOp>(user);
           if (!conv)
             return false;
           std::optional<PaddedArgument> input = getPaddedArgument(conv);
           auto strategy = conv->getAttrOfType<cnn::StrategyAttr>(
               cnn::CnnDialect::kStrategyAttrName);
           if (!input || !strategy)
             return false;
           auto [first, end] =
               getInteriorTiles(*input, strategy.getRegisterTiles()[2],
                                conv.getStaticLoopRanges()[2]);
           return first < end;
         });
}

namespace {
/// tensor.pad(%y), padded on the spatial dimensions (1 and 2 of NHWC) with
/// a constant, becomes insert_slice(%y) into a buffer whose border strips
/// alone are filled with the constant. When %y is a layer's result (a linalg
/// op, or the tile loops computing one) used by nothing else, the buffer
/// and its borders are built before that layer's destination, so that
/// empty-tensor elimination makes the layer write into the buffer's
/// interior. Otherwise (a function argument) %y is copied into the interior,
/// as the pad would, but the interior is no longer filled first.
struct InsertIntoPaddedBuffer : OpRewritePattern<tensor::PadOp> {
  InsertIntoPaddedBuffer(MLIRContext *context, bool copyInputs)
      : OpRewritePattern(context), copyInputs(copyInputs) {}

  /// Whether this is the early run, before tiling: it rewrites only the
  /// pads of values computed elsewhere (function arguments), copying them
  /// into the buffer's interior with a linalg.generic, which then gets a
  /// strategy like any elementwise op (vectorized, and shared among
  /// threads). The late run rewrites the others.
  bool copyInputs;

  LogicalResult matchAndRewrite(tensor::PadOp pad,
                                PatternRewriter &rewriter) const override {
    if (!isStaticSpatialConstantPad(pad))
      return rewriter.notifyMatchFailure(pad,
                                         "not a static constant spatial pad");

    // The buffer goes before the destination of the op computing the source
    // when it can be computed in place (the source is that op's only use);
    // otherwise (a function argument) right before the pad.
    Operation *insertionPoint = pad;
    if (auto result = dyn_cast<OpResult>(pad.getSource());
        result && result.hasOneUse() &&
        isa<linalg::LinalgOp, scf::ForOp, scf::ForallOp>(result.getOwner()))
      if (Operation *root = getDestinationRoot(result);
          isa_and_nonnull<tensor::EmptyOp>(root))
        insertionPoint = root;
    bool inPlace = insertionPoint != pad.getOperation();
    if (copyInputs && inPlace)
      return rewriter.notifyMatchFailure(pad, "left to the late run");
    // The convolutions of an argument read it directly, but for narrow
    // padded strips of its columns (convforge-tile, DirectInputReads.h).
    if (copyInputs && readByConvolutionsDirectly(pad))
      return rewriter.notifyMatchFailure(pad, "left to the convolutions");

    replaceWithPaddedBuffer(rewriter, pad, insertionPoint,
                            /*copySource=*/copyInputs);
    return success();
  }
};

struct PadInProducerPass
    : public convforge::impl::ConvForgePadInProducerBase<PadInProducerPass> {
  using ConvForgePadInProducerBase::ConvForgePadInProducerBase;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<InsertIntoPaddedBuffer>(&getContext(), copyInputs);
    // Each pad is rewritten once; no pattern creates another.
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
