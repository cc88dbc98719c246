//===- DirectInputReads.h - Convolutions read unpadded inputs ---*- C++ -*-===//
//
// A padded convolution of a function argument (a network's or a layer's
// input) reads it through `tensor.pad`, a copy of the whole input into a
// larger buffer before the convolution starts: on VGG's 224x224x64 layer,
// 6 % of the layer's time. The kernels need the padding only where their
// windows reach it: the register tiles at the left and right edges (the
// padding rows are skipped, see SkipPaddedRows.h). So the loop over width
// tiles is split into the tiles reaching the left padding, the interior
// ones and those reaching the right padding; interior tiles read the
// argument itself, edge tiles a padded copy of a narrow strip of columns.
//
//===----------------------------------------------------------------------===//

#ifndef CONVFORGE_LIB_CODEGEN_DIRECTINPUTREADS_H
#define CONVFORGE_LIB_CODEGEN_DIRECTINPUTREADS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

#include <optional>

namespace convforge {

/// A convolution's input: `tensor.pad` of a function argument, zeros on
/// the spatial dimensions, static.
struct PaddedArgument {
  mlir::tensor::PadOp pad;
  int64_t top = 0, left = 0;     ///< padding before the rows, the columns
  int64_t height = 0, width = 0; ///< of the argument
  int64_t stride = 1;            ///< the convolution's, along the width
  int64_t filterWidth = 1;
};

/// Whether `pad` is a zero padding of a function argument on the spatial
/// dimensions of NHWC, static: the pads convforge-pad-in-producer's early
/// run leaves to the convolutions that read them.
bool isZeroPaddedArgument(mlir::tensor::PadOp pad);

/// The padded argument `conv` reads, when its rows of padding are marked
/// (`cnn.nonzero_input_rows`, so that its tiles skip them) and its
/// dilations are 1.
std::optional<PaddedArgument>
getPaddedArgument(mlir::linalg::Conv2DNhwcHwcfOp conv);

/// The output columns [first, end) where width tiles of `widthTile`, from
/// column 0, read no padding: from the first tile past the left padding to
/// the last before the right padding, among the `outputWidth / widthTile`
/// whole tiles. Empty (first >= end) when there is none.
std::pair<int64_t, int64_t> getInteriorTiles(const PaddedArgument &input,
                                             int64_t widthTile,
                                             int64_t outputWidth);

/// Splits `widthLoop` (the main loop over register tiles of output columns,
/// step `widthTile`, from 0) into the tiles whose windows reach the left
/// padding, the interior tiles and the tiles reaching the right padding,
/// and marks every convolution tile in them, and in `remainder` (the peeled
/// partial tile, may be null), with the padded columns it reads
/// (`cnn.input_columns = [first, end)`). Without interior tiles, the loop
/// is split between the left and right edge tiles if
/// `splitWithoutInterior`, else left whole.
void splitWidthAtPadding(mlir::RewriterBase &rewriter,
                         mlir::scf::ForOp widthLoop, mlir::scf::ForOp remainder,
                         int64_t widthTile, int64_t outputWidth,
                         const PaddedArgument &input,
                         bool splitWithoutInterior);

/// Redirects every marked convolution tile of `func` to read the argument
/// itself (interior tiles) or a padded strip of its columns (edge tiles)
/// instead of the padded argument. Returns the copies into the strips, each
/// with its strategy, to be tiled.
llvm::SmallVector<mlir::Operation *>
readPaddedArgumentsDirectly(mlir::RewriterBase &rewriter,
                            mlir::Operation *func);

} // namespace convforge

#endif // CONVFORGE_LIB_CODEGEN_DIRECTINPUTREADS_H
