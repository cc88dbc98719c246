//===- SkipPaddedColumns.h - Edge tiles skip zero padding columns -*- C++
//-*-===//
//
// A register tile's output pixels share one loop over filter columns, so
// the taps that the pixels at a padded edge spend on padding columns cannot
// be skipped by a loop bound, as the padding rows are (SkipPaddedRows.h).
// Instead, an edge tile (whose input columns are known constants) is split
// by filter columns: the filter columns that reach the padding for some of
// its pixels run as narrower convolutions over the other pixels alone, the
// rest as one convolution of the whole tile. On small layers the padding
// columns are a large share of the taps: VGG's 14x14 layers 4.8 %, AlexNet's
// 13x13 layers 5.1 % and its conv2 (27 wide, 5x5 filters) 4.4 %.
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_LIB_CODEGEN_SKIPPADDEDCOLUMNS_H
#define CONVFORGE_LIB_CODEGEN_SKIPPADDEDCOLUMNS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"

#include <optional>

namespace convforge {

/// The zero padding columns of a convolution's input, from its
/// `cnn.nonzero_input_columns` mark: [begin, end) may be non-zero.
struct NonZeroColumns {
  int64_t begin = 0, end = 0, width = 0;
};

/// The mark of `conv`, when its dilations are 1; std::nullopt otherwise.
std::optional<NonZeroColumns>
getNonZeroColumns(mlir::linalg::Conv2DNhwcHwcfOp conv);

/// The share of `conv`'s taps (output column x filter column pairs) that
/// read padding columns.
double getPaddedColumnTapShare(mlir::linalg::Conv2DNhwcHwcfOp conv,
                               const NonZeroColumns &columns);

/// Splits the register tile `tile` (before its reduction loops are tiled)
/// by filter columns so that no piece reads a padding column, when its
/// input's first column is a known constant; every piece keeps `tile`'s
/// attributes. Returns whether it split. The caller leaves tiles with a
/// fused consumer (a ReLU) unmarked: that consumer takes the accumulators
/// from registers, and the pieces would pass them through memory.
bool splitAtPaddedColumns(mlir::RewriterBase &rewriter,
                          mlir::linalg::Conv2DNhwcHwcfOp tile);

} // namespace convforge

#endif // CONVFORGE_LIB_CODEGEN_SKIPPADDEDCOLUMNS_H
