//===- Tile.cpp - The convforge-tile pass ---------------------------------===//
//
// Applies the #cnn.strategy of each op with MLIR's TilingInterface: cache
// level, then register level (fusing the accumulator's initialization and an
// elementwise consumer), peeling of partial register tiles, then the
// reduction tiles. See Passes.td for the contract.
//
//===----------------------------------------------------------------------===//

#include "ConvForge/Codegen/Passes.h"

#include "BlockedFilterSlices.h"
#include "DirectInputReads.h"
#include "SkipPaddedColumns.h"
#include "SkipPaddedRows.h"
#include "Utils.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Interfaces/TilingInterface.h"

namespace convforge {
#define GEN_PASS_DEF_CONVFORGETILE
#include "ConvForge/Codegen/Passes.h.inc"
} // namespace convforge

using namespace mlir;
using namespace convforge;

/// The least share of a convolution's taps on padding columns for which its
/// edge tiles skip them: split, an edge tile is a few kernels, which for a
/// layer of two or three width tiles triples its code (VGG's 14x14 layers:
/// 4.8 %, AlexNet's conv2: 4.4 %; its 28x28 layers, 2.4 %, are left alone).
static constexpr double kMinPaddedColumnTapShare = 0.04;

static cnn::StrategyAttr getStrategy(Operation *op) {
  return op->getAttrOfType<cnn::StrategyAttr>(
      cnn::CnnDialect::kStrategyAttrName);
}

/// An elementwise consumer that can be the root of `producer`'s tile loops:
/// an all-parallel generic with identity maps over exactly the producer's
/// result shape, whose only tensor input from outside is the producer.
static bool isFusableElementwiseConsumer(Operation *user, Operation *producer) {
  auto generic = dyn_cast<linalg::GenericOp>(user);
  if (!generic || !generic.hasPureTensorSemantics() ||
      generic.getNumParallelLoops() != generic.getNumLoops() ||
      generic.getNumDpsInits() != 1 || generic->getNumResults() != 1)
    return false;
  if (!llvm::all_of(generic.getIndexingMapsArray(),
                    [](AffineMap map) { return map.isIdentity(); }))
    return false;
  auto producerType =
      dyn_cast<RankedTensorType>(producer->getResult(0).getType());
  return producerType && producerType.hasStaticShape() &&
         ArrayRef<int64_t>(generic.getStaticLoopRanges()) ==
             producerType.getShape();
}

/// The root's tile sizes restricted to the leading `rank` loops, which for
/// every op ConvForge tiles are its parallel loops in the order of its
/// result dimensions (N, OH, OW, K for convolutions and pools).
static SmallVector<int64_t> leadingTiles(ArrayRef<int64_t> tiles,
                                         unsigned rank) {
  return SmallVector<int64_t>(tiles.take_front(rank));
}

/// The interchange restricted to the leading `rank` loops, order kept.
static SmallVector<int64_t> leadingInterchange(ArrayRef<int64_t> interchange,
                                               unsigned rank) {
  SmallVector<int64_t> result;
  for (int64_t loop : interchange)
    if (loop < static_cast<int64_t>(rank))
      result.push_back(loop);
  return result;
}

namespace {
/// One tile-and-fuse level: tiles `anchor` by `tiles` (0 = untiled) and
/// fuses into the tile the `root` op and the fills/broadcasts initializing
/// accumulators. Returns the tiled anchor and the tiled root.
struct TiledLevel {
  Operation *anchor = nullptr;
  Operation *root = nullptr;
  SmallVector<LoopLikeOpInterface> loops;
  /// Every op of the tile: the anchor and the ops fused into it.
  SmallVector<Operation *> tiledOps;
};
} // namespace

static FailureOr<TiledLevel> tileAndFuse(RewriterBase &rewriter,
                                         Operation *anchor, Operation *root,
                                         ArrayRef<int64_t> tiles,
                                         ArrayRef<int64_t> interchange,
                                         bool parallel = false) {
  MLIRContext *context = anchor->getContext();
  scf::SCFTilingOptions tilingOptions;
  tilingOptions.setTileSizes(getAsIndexOpFoldResult(context, tiles));
  if (!interchange.empty())
    tilingOptions.setInterchange(interchange);
  if (parallel)
    tilingOptions.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
  scf::SCFTileAndFuseOptions options;
  options.setTilingOptions(tilingOptions);
  // Fuse only the op itself and the initialization of accumulators. Fusing
  // e.g. the filter transpose would recompute it in every tile.
  options.setFusionControlFn(
      [&](tensor::ExtractSliceOp, OpResult producer,
          bool) -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
        Operation *op = producer.getOwner();
        if (op == root || isa<linalg::FillOp, linalg::BroadcastOp>(op))
          return scf::SCFTileAndFuseOptions::ControlFnResult{};
        return std::nullopt;
      });

  rewriter.setInsertionPoint(anchor);
  FailureOr<scf::SCFTileAndFuseResult> result =
      scf::tileConsumerAndFuseProducersUsingSCF(
          rewriter, cast<TilingInterface>(anchor), options);
  if (failed(result))
    return anchor->emitError("tiling with the selected strategy failed");

  TiledLevel level;
  level.loops = result->loops;
  level.tiledOps.assign(result->tiledAndFusedOps.begin(),
                        result->tiledAndFusedOps.end());
  level.anchor = result->tiledAndFusedOps.front();
  level.root = level.anchor;
  if (root != anchor) {
    for (Operation *op : result->tiledAndFusedOps)
      if (op != level.anchor && op->getName() == root->getName() &&
          getStrategy(op))
        level.root = op;
  }
  for (OpResult anchorResult : anchor->getResults())
    rewriter.replaceAllUsesWith(anchorResult,
                                result->replacements.lookup(anchorResult));
  rewriter.eraseOp(anchor);
  if (root != anchor && root->use_empty())
    rewriter.eraseOp(root);
  return level;
}

/// The elementwise consumer to fuse `root` into, if any.
static Operation *getFusableConsumer(Operation *root) {
  if (root->getNumResults() != 1 || !root->getResult(0).hasOneUse())
    return nullptr;
  Operation *user = *root->getResult(0).getUsers().begin();
  return isFusableElementwiseConsumer(user, root) ? user : nullptr;
}

/// Tiles `root` (fused into `consumer` when there is one) at the cache and
/// register levels and peels partial register tiles.
static LogicalResult tileParallelLoops(RewriterBase &rewriter, Operation *root,
                                       Operation *consumer,
                                       cnn::StrategyAttr strategy) {
  Operation *anchor = consumer ? consumer : root;
  // A convolution of a padded function argument: its width tiles are split
  // at the padding below, so that the interior ones read the argument.
  std::optional<PaddedArgument> paddedArgument;
  // Whether the width tiles are split for skipping the padding columns
  // only (the input is not read directly).
  bool forColumnsOnly = false;
  int64_t outputWidth = 0;
  if (auto conv = dyn_cast<linalg::Conv2DNhwcHwcfOp>(root)) {
    paddedArgument = getPaddedArgument(conv);
    outputWidth = conv.getStaticLoopRanges()[2];
    // The edge tiles skip the taps of padding columns where those are a
    // noticeable share of the work: each edge tile is then a few kernels
    // (compile time) and its pixels go through memory between them. Not
    // with a fused consumer (a ReLU), which takes the tile's accumulators
    // from registers: split, they would need a temporary tile, or the
    // output, to pass through; through the output, AlexNet ran 1-3 %
    // faster but compiled in twice the time.
    std::optional<NonZeroColumns> columns = getNonZeroColumns(conv);
    if (columns && (consumer || getPaddedColumnTapShare(conv, *columns) <
                                    kMinPaddedColumnTapShare)) {
      conv->removeAttr(cnn::CnnDialect::kNonZeroInputColumnsAttrName);
      columns.reset();
    }
    // For that, the width tiles are split at the padding, as an argument's
    // are (the edge tiles' columns become constants).
    if (columns && !paddedArgument) {
      PaddedArgument input;
      input.left = columns->begin;
      input.width = columns->end - columns->begin;
      input.stride = conv.getStrides().getValues<int64_t>()[1];
      input.filterWidth = conv.getStaticLoopRanges()[5];
      paddedArgument = input;
      forColumnsOnly = true;
    }
  }
  // A fused consumer follows the root's strategy; its own would mislead.
  if (consumer)
    consumer->removeAttr(cnn::CnnDialect::kStrategyAttrName);
  unsigned rank = cast<linalg::LinalgOp>(anchor).getNumLoops();

  ArrayRef<int64_t> cacheTiles = strategy.getCacheTiles();
  if (!cacheTiles.empty() && llvm::any_of(leadingTiles(cacheTiles, rank),
                                          [](int64_t t) { return t != 0; })) {
    FailureOr<TiledLevel> level =
        tileAndFuse(rewriter, anchor, root, leadingTiles(cacheTiles, rank),
                    leadingInterchange(strategy.getInterchange(), rank),
                    /*parallel=*/strategy.getThreads() > 1);
    if (failed(level))
      return failure();
    anchor = level->anchor;
    root = level->root;
  }

  FailureOr<TiledLevel> level =
      tileAndFuse(rewriter, anchor, root,
                  leadingTiles(strategy.getRegisterTiles(), rank), {});
  if (failed(level))
    return failure();
  // Mark the tile's ops for vectorization. The marks survive peeling (which
  // clones them) and the folding of single-iteration loops.
  for (Operation *op : level->tiledOps)
    op->setAttr(cnn::CnnDialect::kRegisterTileAttrName,
                UnitAttr::get(op->getContext()));
  // Peel innermost first, so that peeling an outer loop also copies the
  // already peeled inner loops into its remainder. Peeling fails, harmlessly,
  // when the tile divides the range.
  scf::ForOp widthLoop, widthRemainder;
  for (size_t index = level->loops.size(); index-- > 0;) {
    if (auto forOp = dyn_cast<scf::ForOp>(level->loops[index].getOperation())) {
      scf::ForOp remainder;
      (void)scf::peelForLoopAndSimplifyBounds(rewriter, forOp, remainder);
      if (index == 2) {
        widthLoop = forOp;
        widthRemainder = remainder;
      }
    }
  }
  // Loops (N, OH, OW, K): the third walks the width tiles.
  if (paddedArgument && widthLoop && level->loops.size() == 4)
    splitWidthAtPadding(rewriter, widthLoop, widthRemainder,
                        strategy.getRegisterTiles()[2], outputWidth,
                        *paddedArgument,
                        /*splitWithoutInterior=*/forColumnsOnly);
  return success();
}

/// Tiles the reduction loops of a tiled op. Reduction tiles never leave a
/// partial tile: a size at least the range means untiled, and other sizes are
/// rounded down to a divisor of the range.
static LogicalResult tileReductionLoops(RewriterBase &rewriter,
                                        linalg::LinalgOp op,
                                        cnn::StrategyAttr strategy) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<int64_t> tiles(strategy.getReductionTiles());
  if (tiles.size() != ranges.size())
    return success();
  for (auto [tile, range] : llvm::zip(tiles, ranges)) {
    if (tile <= 0 || ShapedType::isDynamic(range))
      continue;
    if (tile >= range) {
      tile = 0;
      continue;
    }
    while (range % tile != 0)
      --tile;
  }
  if (llvm::all_of(tiles, [](int64_t t) { return t == 0; }))
    return success();
  // A convolution's loop over filter rows, tiled one row at a time, can skip
  // the rows of zero padding.
  std::optional<TileNonZeroRows> nonZeroRows;
  auto conv = dyn_cast<linalg::Conv2DNhwcHwcfOp>(op.getOperation());
  if (conv && tiles[4] == 1 &&
      llvm::all_of(ArrayRef<int64_t>(tiles).take_front(4),
                   [](int64_t t) { return t == 0; }) &&
      conv.getDilations().isSplat() &&
      conv.getDilations().getSplatValue<int64_t>() == 1)
    nonZeroRows = getTileNonZeroRows(rewriter, conv);
  // Read before the tiling replaces (erases) the convolution.
  bool hasNonZeroRows =
      conv && conv->hasAttr(cnn::CnnDialect::kNonZeroInputRowsAttrName);
  scf::SCFTilingOptions options;
  options.setTileSizes(getAsIndexOpFoldResult(op.getContext(), tiles));
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> result = scf::tileUsingSCF(
      rewriter, cast<TilingInterface>(op.getOperation()), options);
  if (failed(result))
    return op->emitError("tiling the reduction loops failed");
  rewriter.replaceOp(op, result->replacements);
  // The first tiled loop is the one over filter rows (loop 4).
  bool skipped = false;
  if (nonZeroRows && !result->loops.empty())
    if (auto filterRows =
            dyn_cast<scf::ForOp>(result->loops.front().getOperation())) {
      skipZeroRows(rewriter, filterRows, *nonZeroRows);
      skipped = true;
    }
  // Only tiles that skip the padding rows may read an argument's rows
  // directly (see DirectInputReads.h).
  if (!skipped && hasNonZeroRows)
    for (Operation *tiled : result->tiledOps)
      tiled->removeAttr(cnn::CnnDialect::kInputColumnsAttrName);
  return success();
}

/// Decomposes aggregate ops (linalg.softmax) into the generics they stand
/// for, which the rest of the pipeline knows how to lower.
static LogicalResult decomposeAggregates(RewriterBase &rewriter,
                                         func::FuncOp func) {
  SmallVector<linalg::AggregatedOpInterface> aggregates;
  func.walk(
      [&](linalg::AggregatedOpInterface op) { aggregates.push_back(op); });
  for (linalg::AggregatedOpInterface op : aggregates) {
    rewriter.setInsertionPoint(op);
    FailureOr<SmallVector<Value>> replacements =
        op.decomposeOperation(rewriter);
    if (failed(replacements))
      return op->emitError("could not decompose the op");
    rewriter.replaceOp(op, *replacements);
  }
  return success();
}

namespace {
struct TilePass : public convforge::impl::ConvForgeTileBase<TilePass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    IRRewriter rewriter(func.getContext());
    if (failed(decomposeAggregates(rewriter, func)))
      return signalPassFailure();

    // Roots in program order. An elementwise op fused as the consumer of an
    // earlier root is erased on the way: skip it then.
    SmallVector<Operation *> roots;
    func.walk([&](Operation *op) {
      if (getStrategy(op) &&
          !op->hasAttr(cnn::CnnDialect::kRegisterTileAttrName))
        roots.push_back(op);
    });
    llvm::DenseSet<Operation *> erased;
    for (Operation *root : roots) {
      if (erased.contains(root))
        continue;
      // The consumer is fused below and erased: remember it.
      Operation *consumer = getFusableConsumer(root);
      if (failed(
              tileParallelLoops(rewriter, root, consumer, getStrategy(root))))
        return signalPassFailure();
      if (consumer)
        erased.insert(consumer);
    }
    // Fold the peeled loops' bounds into static tile shapes.
    canonicalizeAndCse(func);

    // Edge tiles skip the taps of padding columns.
    SmallVector<linalg::Conv2DNhwcHwcfOp> markedTiles;
    func.walk([&](linalg::Conv2DNhwcHwcfOp conv) {
      if (conv->hasAttr(cnn::CnnDialect::kRegisterTileAttrName) &&
          conv->hasAttr(cnn::CnnDialect::kNonZeroInputColumnsAttrName))
        markedTiles.push_back(conv);
    });
    for (linalg::Conv2DNhwcHwcfOp tile : markedTiles)
      if (!splitAtPaddedColumns(rewriter, tile))
        tile->removeAttr(cnn::CnnDialect::kNonZeroInputColumnsAttrName);

    SmallVector<linalg::LinalgOp> tiled;
    func.walk([&](linalg::LinalgOp op) {
      if (getStrategy(op) &&
          op->hasAttr(cnn::CnnDialect::kRegisterTileAttrName))
        tiled.push_back(op);
    });
    for (linalg::LinalgOp op : tiled)
      if (failed(tileReductionLoops(rewriter, op, getStrategy(op))))
        return signalPassFailure();
    canonicalizeAndCse(func);

    // Width tiles away from the padding of a function argument read it
    // directly, the others a padded strip of its columns, whose copy is
    // tiled like any elementwise op.
    for (Operation *copy : readPaddedArgumentsDirectly(rewriter, func))
      if (failed(tileParallelLoops(rewriter, copy, /*consumer=*/nullptr,
                                   getStrategy(copy))))
        return signalPassFailure();
    canonicalizeAndCse(func);

    // Tiles of a conv with a blocked filter read it directly; the filter
    // rebuilt in HWCF layout is then dead.
    applyPatternGroup(func, populateBlockedFilterSlicePatterns);
    canonicalizeAndCse(func);
  }
};
} // namespace
