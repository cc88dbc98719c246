//===- StrategySelection.h - Tile sizes per op and target ------*- C++ -*-===//
//
// The heart of ConvForge's code generation: for each linalg op, the tile
// sizes (cache level, register level, reduction), loop order and vector
// width, chosen from the op's shape and the target. The choice is recorded
// as a #cnn.strategy attribute so that it is visible in the IR and tested.
//
// The register tile is an output block of `OW_r x K_r` accumulators held in
// vector registers: K_r is a multiple of the vector width (two vectors when
// the channels allow), OW_r the largest divisor of the output width that
// keeps accumulators + operands within the register file. Sizes divide the
// loop ranges where a good divisor exists (a remainder would need a peeled
// copy of the kernel); otherwise the tiling pass peels. The reduction over
// input channels is tiled so that the unrolled kernel body stays small. A
// cache-level tile over output channels keeps the filter block that a row
// of output reuses within half of L2.
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_CODEGEN_STRATEGYSELECTION_H
#define CONVFORGE_CODEGEN_STRATEGYSELECTION_H

#include "ConvForge/Codegen/TargetDescription.h"
#include "ConvForge/Dialect/Cnn/IR/CnnDialect.h"

#include "mlir/IR/Operation.h"

namespace convforge {

/// Chooses the strategy of `op`, or returns null for ops that are not tiled
/// on their own (fills, broadcasts, transposes, pads: they are fused into
/// their consumers or left to simple loops) and for dynamic shapes.
cnn::StrategyAttr selectStrategy(mlir::Operation *op,
                                 const TargetDescription &target);

/// Tile-size helpers, exposed for unit tests.
namespace strategy {
/// Largest divisor of `n` in [minimum, limit], or 0 if there is none.
int64_t largestDivisorInRange(int64_t n, int64_t minimum, int64_t limit);
/// The tile of a vectorized (innermost) dimension of size `size`: two
/// vectors when they divide it, else one, else the whole dimension when it
/// is smaller than a vector, else one vector (the remainder is peeled).
int64_t vectorDimTile(int64_t size, int64_t lanes);
/// The register tile of the width dimension for accumulators `vectorsPerRow`
/// vectors wide: the largest divisor of `size` that fits the register file,
/// or a fixed tile (peeled) when no good divisor exists.
int64_t widthTile(int64_t size, int64_t vectorsPerRow,
                  const TargetDescription &target);
/// The block of output channels a conv filter of `numFilters` filters is
/// stored in (`filter_block`): the register tile of output channels, when it
/// divides them; 0 when none does (the filter then stays plain).
int64_t filterBlock(int64_t numFilters, const TargetDescription &target);
} // namespace strategy

} // namespace convforge

#endif // CONVFORGE_CODEGEN_STRATEGYSELECTION_H
