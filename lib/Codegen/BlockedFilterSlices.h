//===- BlockedFilterSlices.h - Tiles read blocked filters directly -*- C++
//-*-===//
//
// A conv with a blocked filter, (K/B)×FH×FW×C×B, is lowered to linalg with
// its filter rebuilt in HWCF layout (a transpose and a reshape). Once the
// conv is tiled, each tile reads a slice of that HWCF filter covering at
// most one block of output channels; these patterns make it read the same
// weights from the blocked filter instead, so the rebuilt filter is never
// computed.
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_LIB_CODEGEN_BLOCKEDFILTERSLICES_H
#define CONVFORGE_LIB_CODEGEN_BLOCKEDFILTERSLICES_H

#include "mlir/IR/PatternMatch.h"

namespace convforge {

/// Rewrites `tensor.extract_slice` of `collapse_shape(transpose(blocked))`
/// into a slice of `blocked` when the slice's output channels lie within
/// one block (its offset a provable multiple of its size, which divides B).
/// Nested slices of the rebuilt filter (a reduction tile of a register
/// tile) are composed, so nested tiles are seen whole.
void populateBlockedFilterSlicePatterns(mlir::RewritePatternSet &patterns);

} // namespace convforge

#endif // CONVFORGE_LIB_CODEGEN_BLOCKEDFILTERSLICES_H
