//===- Passes.td - Conversions out of the cnn dialect ------*- tablegen -*-===//

#ifndef CONVFORGE_CONVERSION_PASSES_TD
#define CONVFORGE_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertCnnToLinalg : Pass<"convert-cnn-to-linalg", "mlir::func::FuncOp"> {
  let summary = "Lower cnn ops to linalg, tensor and arith ops on tensors";
  let description = [{
    Rewrites every `cnn` op of a function into upstream ops on tensors, in
    the form the tiling and vectorization stage expects:

    * `cnn.conv2d`: `tensor.pad` of the input (when padded, explicitly or by
      the overhang of `ceil` rounding), the filter transposed from
      `K×FH×FW×C` to `FH×FW×C×K` with `linalg.transpose`, an init that is the
      bias broadcast with `linalg.broadcast` (or `linalg.fill` with 0), and
      `linalg.conv_2d_nhwc_hwcf`.
    * `cnn.max_pool2d`: `tensor.pad` with `-inf`, `linalg.fill` with `-inf`,
      `linalg.pooling_nhwc_max`.
    * `cnn.avg_pool2d`: `tensor.pad` with 0, `linalg.pooling_nhwc_sum`, then
      a `linalg.generic` dividing by the window's divisor: a constant when it
      is the same for every window, otherwise computed per output position
      from `linalg.index`.
    * `cnn.relu`: a `linalg.generic` computing `arith.maximumf(x, 0)`.
    * `cnn.dense`: `linalg.matmul` with the indexing maps of a transposed
      `B` operand (the weights are `M×D`), into the broadcast bias.
    * `cnn.locally_connected2d`: a `linalg.generic` over
      `(n, y, x, k, i, j, c)` into the broadcast bias.
    * `cnn.flatten`: `tensor.collapse_shape`; `cnn.softmax`:
      `linalg.softmax` over the innermost dimension.

    Every shape must be static: the pass reports each op with an unknown
    dimension (or rank), asking for `cnn-shape-inference` to run first, and
    fails without changing the function.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect",
    "mlir::linalg::LinalgDialect",
    "mlir::tensor::TensorDialect",
  ];
}

#endif // CONVFORGE_CONVERSION_PASSES_TD
