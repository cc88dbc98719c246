//===- SkipPaddedRows.h - Reduction loops skip zero padding rows -*- C++
//-*-===//
//
// A convolution's input padding contributes nothing: its taps multiply
// zeros. Tiled with one output row per tile, the loop over filter rows of a
// tile at the top or bottom of the image can start or stop early so that it
// never visits a padding row (AlexNet's 13x13 layers spend 5 % of their
// taps on padding rows; VGG's 14x14 layers 4.8 %).
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_LIB_CODEGEN_SKIPPADDEDROWS_H
#define CONVFORGE_LIB_CODEGEN_SKIPPADDEDROWS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/PatternMatch.h"

#include <optional>

namespace convforge {

/// The rows of a register tile's input that may be non-zero, relative to
/// the tile's first input row: [begin, end), each an index value that may
/// depend on the enclosing tile loops. Known when the tile (one output row)
/// reads a slice of an input marked `cnn.nonzero_input_rows`.
struct TileNonZeroRows {
  mlir::Value begin;
  mlir::Value end;
};

/// For a register tile `tile` (before its reduction loops are tiled):
/// materializes, before `tile`, the bounds of the rows of its input slice
/// that may be non-zero. std::nullopt when unknown (no mark, a stride or a
/// slice chain it does not understand, more than one output row).
std::optional<TileNonZeroRows>
getTileNonZeroRows(mlir::RewriterBase &rewriter,
                   mlir::linalg::Conv2DNhwcHwcfOp tile);

/// Restricts `filterRowLoop`, the unit-step loop over filter rows of a tile
/// whose input rows [rows.begin, rows.end) alone may be non-zero, to the
/// filter rows that read them.
void skipZeroRows(mlir::RewriterBase &rewriter, mlir::scf::ForOp filterRowLoop,
                  const TileNonZeroRows &rows);

} // namespace convforge

#endif // CONVFORGE_LIB_CODEGEN_SKIPPADDEDROWS_H
