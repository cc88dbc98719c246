//===- StrategySelection.cpp - Tile sizes per op and target ---------------===//

#include "ConvForge/Codegen/StrategySelection.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

#include <algorithm>

using namespace mlir;
using namespace convforge;

int64_t strategy::largestDivisorInRange(int64_t n, int64_t minimum,
                                        int64_t limit) {
  for (int64_t d = std::min(n, limit); d >= std::max<int64_t>(minimum, 1); --d)
    if (n % d == 0)
      return d;
  return 0;
}

int64_t strategy::vectorDimTile(int64_t size, int64_t lanes) {
  if (size % (2 * lanes) == 0)
    return 2 * lanes;
  if (size % lanes == 0)
    return lanes;
  if (size < lanes)
    return size;
  return lanes;
}

int64_t strategy::widthTile(int64_t size, int64_t vectorsPerRow,
                            const TargetDescription &target) {
  // Registers: the accumulators (width x vectorsPerRow), one row of filter
  // or input vectors, and broadcast operands: with only one or two left for
  // those, LLVM spills an accumulator in the innermost loop (a 14 x 2
  // vector tile ran ~20 % slower than 8 x 2 or 7 x 2 on AVX-512).
  int64_t budget = target.numVectorRegisters - vectorsPerRow - 4;
  int64_t limit =
      std::max<int64_t>(1, budget / std::max<int64_t>(1, vectorsPerRow));
  // Wider rows amortize the filter loads, but past ~14 outputs the gain is
  // nil and compile time grows.
  limit = std::min<int64_t>(limit, 14);
  if (size <= limit)
    return size;
  if (int64_t divisor = largestDivisorInRange(size, 4, limit))
    return divisor;
  return std::min<int64_t>(limit, 8);
}

int64_t strategy::filterBlock(int64_t numFilters,
                              const TargetDescription &target) {
  if (numFilters <= 0)
    return 0;
  int64_t block = vectorDimTile(numFilters, target.f32Lanes());
  return numFilters % block == 0 ? block : 0;
}

/// Vectors needed for `tile` f32 lanes.
static int64_t vectorsFor(int64_t tile, int64_t lanes) {
  return (tile + lanes - 1) / lanes;
}

/// The reduction tile of the input channels, dividing C: the body of a
/// kernel's innermost loop is unrolled over it (width x channels
/// broadcasts and FMAs, the tile's filter vectors loaded into registers
/// first). Untiled, C = 64 spilled; 16 ran no faster than 8, and 4 ran as
/// fast or faster (measured side by side on one thread: the benchmark's
/// layers 0-2 % faster, ResNet's 1x1 layer 5 %, VGG-16 3-5 %) with half the
/// code: LLVM's instruction selection and scheduling of these bodies are
/// most of a network's compile time (VGG-16: 0.85-0.95 s -> 0.6 s).
/// Channels that 4 does not divide take the largest divisor in [4, 8].
static int64_t channelReductionTile(int64_t channels) {
  constexpr int64_t kPreferredTile = 4, kMaxTile = 8;
  if (channels <= kPreferredTile)
    return 0; // untiled
  if (channels % kPreferredTile == 0)
    return kPreferredTile;
  if (channels <= kMaxTile)
    return 0;
  return strategy::largestDivisorInRange(channels, kPreferredTile, kMaxTile);
}

static cnn::StrategyAttr
makeStrategy(MLIRContext *context, ArrayRef<int64_t> cache,
             ArrayRef<int64_t> interchange, ArrayRef<int64_t> registerTiles,
             ArrayRef<int64_t> reduction, const TargetDescription &target,
             int64_t threads = 1) {
  return cnn::StrategyAttr::get(context, cache, interchange, registerTiles,
                                reduction, target.f32Lanes(), threads);
}

/// The number of cache-level tiles (the pieces of parallel work).
static int64_t countTiles(ArrayRef<int64_t> ranges, ArrayRef<int64_t> cache) {
  int64_t count = 1;
  for (auto [range, tile] : llvm::zip(ranges, cache))
    if (tile > 0)
      count *= (range + tile - 1) / tile;
  return count;
}

/// The threads a strategy with these cache tiles runs on: the target's,
/// when the tiles give every thread at least one piece; else serial code.
static int64_t threadsFor(ArrayRef<int64_t> ranges, ArrayRef<int64_t> cache,
                          const TargetDescription &target) {
  if (target.threads <= 1 || cache.empty() ||
      countTiles(ranges, cache) < target.threads)
    return 1;
  return target.threads;
}

/// Parallel code splits the batch and the output rows into single-row
/// cache tiles: every piece has the same static shape (no partial tiles to
/// peel), and with a static schedule over (N, OH) — or (K block, N, OH)
/// when the channels are blocked outermost — each thread gets a contiguous
/// run of rows (or of filter blocks) as the serial code would sweep them.
static void splitRows(SmallVectorImpl<int64_t> &cache, size_t numLoops,
                      const TargetDescription &target) {
  if (target.threads <= 1)
    return;
  if (cache.empty())
    cache.assign(numLoops, 0);
  cache[0] = 1;
  cache[1] = 1;
}

/// How many times larger than its input a blocked filter may be for the
/// threads to share a convolution of one image by rows rather than by
/// filter blocks (see selectConvStrategy).
static constexpr int64_t kMaxFilterToInputForRowBlocks = 2;

/// linalg.conv_2d_nhwc_hwcf, loops (N, OH, OW, K, FH, FW, C).
static cnn::StrategyAttr selectConvStrategy(linalg::Conv2DNhwcHwcfOp op,
                                            ArrayRef<int64_t> ranges,
                                            const TargetDescription &target) {
  int64_t lanes = target.f32Lanes();
  int64_t ow = ranges[2], k = ranges[3], fh = ranges[4], fw = ranges[5],
          c = ranges[6];
  int64_t kTile = strategy::vectorDimTile(k, lanes);
  int64_t wTile = strategy::widthTile(ow, vectorsFor(kTile, lanes), target);
  SmallVector<int64_t> registerTiles = {1, 1, wTile, kTile, 0, 0, 0};
  SmallVector<int64_t> reduction = {0, 0, 0, 0, 1, 1, channelReductionTile(c)};

  // Cache level: when the whole filter does not fit in three quarters of L2
  // (the rest for the input rows in use), block the output channels so that
  // the filter block reused by every output position fits in half of it,
  // and iterate the blocks outermost; with a batch, inside the loop over
  // images, so that an image's input, which every block reads, stays in
  // cache while the blocks stream (VGG's 56x56x256 layer at batch 8: blocks
  // outermost re-read the 25.7 MB batch once per block, 3 % slower). A
  // filter that fits is not blocked: each thread then reads its rows of the
  // input once (ResNet's 3x3/2 layer, a 590 KB filter: 4 % faster on two
  // threads than in two blocks, the same on one); blocks larger than half
  // of L2 ran no faster (VGG's 56x56x256 layer, AlexNet's conv2).
  SmallVector<int64_t> cache, interchange;
  int64_t bytesPerFilter = fh * fw * c * 4;
  int64_t budget = target.l2Bytes / 2;
  int64_t unblockedLimit = target.l2Bytes / 4 * 3;
  if (bytesPerFilter * k > unblockedLimit && k > kTile && k % kTile == 0) {
    int64_t blocks = k / kTile;
    int64_t perBlock = std::max<int64_t>(1, budget / (bytesPerFilter * kTile));
    int64_t blockCount =
        strategy::largestDivisorInRange(blocks, 1, std::min(blocks, perBlock));
    cache = {1, 0, 0, blockCount * kTile, 0, 0, 0};
    interchange = {3, 0, 1, 2, 4, 5, 6};
    if (ranges[0] > 1)
      interchange = {0, 3, 1, 2, 4, 5, 6};
    // Parallel code on one image: an equal block of rows per thread,
    // outermost, and the filter blocks inside it, so that each thread reads
    // its own part of the input (once per filter block) but the whole
    // filter. With the blocks outermost, split among the threads, every
    // thread reads half the filter but the whole input once per block of
    // its own. Rows win where the input is the larger: VGG's 56x56x256
    // layer (a 2.4 MB filter, a 3.4 MB padded input) ran 2-4 % slower on two
    // threads with the blocks split (ahead in 19 of 20 rounds alternating
    // the two). Blocks win where the filter is much the larger: in a
    // network, a filter comes from memory (the layers' weights do not stay
    // in cache from one pass to the next), which row blocks would make
    // every thread wait for in full. VGG's 14x14x512 layers (a 9.4 MB
    // filter, a 0.5 MB padded input) ran 10 % faster as a stage of the network
    // with the blocks split (8 of 8 rounds), its 28x28x512 ones 2 %.
    int64_t oh = ranges[1];
    auto inputType = cast<ShapedType>(op.getDpsInputs()[0].getType());
    int64_t inputBytes = inputType.getNumElements() * 4;
    if (ranges[0] == 1 && target.threads > 1 && oh % target.threads == 0 &&
        bytesPerFilter * k <= kMaxFilterToInputForRowBlocks * inputBytes) {
      cache[1] = oh / target.threads;
      interchange = {1, 3, 0, 2, 4, 5, 6};
      return makeStrategy(op.getContext(), cache, interchange, registerTiles,
                          reduction, target, threadsFor(ranges, cache, target));
    }
  }
  splitRows(cache, ranges.size(), target);
  return makeStrategy(op.getContext(), cache, interchange, registerTiles,
                      reduction, target, threadsFor(ranges, cache, target));
}

/// The rows of weights a split dense layer's tile streams at once (see
/// selectPartialSumsStrategy).
static constexpr int64_t kStreamedRows = 4;

/// The vector accumulators of a pool's register tile.
static constexpr int64_t kPoolAccumulators = 8;

/// linalg.pooling_nhwc_{max,sum}, loops (N, OH, OW, C, FH, FW).
static cnn::StrategyAttr selectPoolStrategy(Operation *op,
                                            ArrayRef<int64_t> ranges,
                                            const TargetDescription &target) {
  // A pool is bound by memory, not arithmetic: a few accumulators suffice
  // (measured: 2x64 or 3x32 outputs beat 8x32 by 10-20 %), and runs of up
  // to four vectors of channels (a power of two: 96-wide vectors ran ten
  // times slower) read each pixel's channels contiguously. The width tile
  // divides the output width: no remainder to peel.
  int64_t lanes = target.f32Lanes();
  int64_t ow = ranges[2], c = ranges[3];
  int64_t cTile =
      c % (4 * lanes) == 0 ? 4 * lanes : strategy::vectorDimTile(c, lanes);
  int64_t accumulators =
      std::max<int64_t>(1, kPoolAccumulators / vectorsFor(cTile, lanes));
  int64_t wTile = strategy::largestDivisorInRange(ow, 1, accumulators);
  SmallVector<int64_t> cache;
  splitRows(cache, ranges.size(), target);
  return makeStrategy(op->getContext(), cache, {}, {1, 1, wTile, cTile, 0, 0},
                      {0, 0, 0, 0, 1, 1}, target,
                      threadsFor(ranges, cache, target));
}

/// The cache tile of a dense layer's `units` output units in parallel code:
/// at least four blocks per thread (for balance), as large as possible, a
/// multiple of the register tile `tile` that divides the units (no remainder
/// tile in every block); 0 when there is none.
static int64_t blockOfUnits(int64_t units, int64_t tile,
                            const TargetDescription &target) {
  for (int64_t size = units / (4 * target.threads); size >= tile; --size)
    if (units % size == 0 && size % tile == 0)
      return size;
  return 0;
}

/// linalg.matmul (here always with a transposed B: a dense layer), loops
/// (M, N, K).
static cnn::StrategyAttr selectMatmulStrategy(linalg::MatmulOp op,
                                              ArrayRef<int64_t> ranges,
                                              const TargetDescription &target) {
  int64_t lanes = target.f32Lanes();
  int64_t n = ranges[1], k = ranges[2];
  int64_t nTile = strategy::vectorDimTile(n, lanes);
  int64_t kTile = k <= 64 ? 0 : strategy::largestDivisorInRange(k, 8, 64);
  // Parallel code: blocks of output units (blockOfUnits), else any divisor.
  SmallVector<int64_t> cache;
  if (target.threads > 1) {
    int64_t block = blockOfUnits(n, nTile, target);
    if (!block)
      block =
          strategy::largestDivisorInRange(n, nTile, n / (4 * target.threads));
    if (block)
      cache = {0, block, 0};
  }
  return makeStrategy(op.getContext(), cache, {}, {1, nTile, 0}, {0, 0, kTile},
                      target, threadsFor(ranges, cache, target));
}

/// The partial sums of a split dense layer (convforge-split-dot-products),
/// loops (M, N, KK, L): every weight is read once, so the tile streams
/// several rows of weights at a time, a whole vector of partial sums per
/// row, one step of the reduction per iteration (its vectors are
/// elementwise FMAs; LLVM unrolls the loop). Four rows measured best on
/// AlexNet's fc6 (3.9 ms, ~39 GB/s, as a hand-written loop gets), against
/// 4.2 for eight, 4.7 for two and 6.5 for sixteen.
static cnn::StrategyAttr
selectPartialSumsStrategy(linalg::GenericOp op, ArrayRef<int64_t> ranges,
                          const TargetDescription &target) {
  int64_t n = ranges[1], lanes = ranges[3];
  int64_t rows = strategy::largestDivisorInRange(n, 1, kStreamedRows);
  // Parallel code: blocks of rows (blockOfUnits).
  SmallVector<int64_t> cache;
  if (int64_t block = target.threads > 1 ? blockOfUnits(n, rows, target) : 0)
    cache = {0, block, 0, 0};
  return makeStrategy(op.getContext(), cache, {}, {1, rows, 0, lanes},
                      {0, 0, 1, 0}, target, threadsFor(ranges, cache, target));
}

/// An all-parallel linalg.generic (ReLU, the average divisor): vectors along
/// the innermost dimension, a few rows of the next one.
static cnn::StrategyAttr
selectElementwiseStrategy(linalg::GenericOp op, ArrayRef<int64_t> ranges,
                          const TargetDescription &target) {
  int64_t lanes = target.f32Lanes();
  size_t rank = ranges.size();
  SmallVector<int64_t> tiles(rank, 1);
  tiles.back() = strategy::vectorDimTile(ranges.back(), lanes);
  if (rank >= 2)
    tiles[rank - 2] = strategy::widthTile(
        ranges[rank - 2], vectorsFor(tiles.back(), lanes), target);
  SmallVector<int64_t> cache;
  if (rank == 4)
    splitRows(cache, rank, target);
  return makeStrategy(op.getContext(), cache, {}, tiles,
                      SmallVector<int64_t>(rank, 0), target,
                      threadsFor(ranges, cache, target));
}

/// The locally-connected generic, loops (N, OH, OW, K, FH, FW, C): one
/// output position at a time, vectors along K.
static cnn::StrategyAttr
selectLocallyConnectedStrategy(linalg::GenericOp op, ArrayRef<int64_t> ranges,
                               const TargetDescription &target) {
  int64_t kTile = strategy::vectorDimTile(ranges[3], target.f32Lanes());
  SmallVector<int64_t> cache;
  splitRows(cache, ranges.size(), target);
  return makeStrategy(op.getContext(), cache, {}, {1, 1, 1, kTile, 0, 0, 0},
                      {0, 0, 0, 0, 1, 1, 0}, target,
                      threadsFor(ranges, cache, target));
}

cnn::StrategyAttr convforge::selectStrategy(Operation *op,
                                            const TargetDescription &target) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp || !linalgOp.hasPureTensorSemantics())
    return {};
  SmallVector<int64_t> ranges = linalgOp.getStaticLoopRanges();
  if (llvm::any_of(ranges, ShapedType::isDynamic))
    return {};
  if (auto conv = dyn_cast<linalg::Conv2DNhwcHwcfOp>(op))
    return selectConvStrategy(conv, ranges, target);
  if (isa<linalg::PoolingNhwcMaxOp, linalg::PoolingNhwcSumOp>(op))
    return selectPoolStrategy(op, ranges, target);
  if (auto matmul = dyn_cast<linalg::MatmulOp>(op))
    return selectMatmulStrategy(matmul, ranges, target);
  auto generic = dyn_cast<linalg::GenericOp>(op);
  if (!generic)
    return {};
  unsigned numLoops = generic.getNumLoops();
  unsigned numParallel = generic.getNumParallelLoops();
  if (numParallel == numLoops && generic.getNumDpsInits() == 1)
    return selectElementwiseStrategy(generic, ranges, target);
  // The locally-connected layer: 4 parallel loops then 3 reductions.
  SmallVector<utils::IteratorType> iterators = generic.getIteratorTypesArray();
  bool isLocallyConnected =
      numLoops == 7 && numParallel == 4 &&
      llvm::all_of(ArrayRef(iterators).take_front(4),
                   [](utils::IteratorType t) {
                     return t == utils::IteratorType::parallel;
                   });
  if (isLocallyConnected)
    return selectLocallyConnectedStrategy(generic, ranges, target);
  // The partial sums of a split dense layer: loops (M, N, KK, L).
  using utils::IteratorType;
  if (numLoops == 4 && generic.getNumDpsInputs() == 2 &&
      iterators == ArrayRef<IteratorType>{
                       IteratorType::parallel, IteratorType::parallel,
                       IteratorType::reduction, IteratorType::parallel})
    return selectPartialSumsStrategy(generic, ranges, target);
  return {};
}
