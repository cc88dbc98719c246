// RUN: convforge-opt %s --convert-cnn-to-linalg --split-input-file | FileCheck %s

// A locally-connected layer is a generic contraction over
// (n, y, x, k, i, j, c): the input is read at (n, y*SH + i, x*SW + j, c), the
// filter at (y, x, k, i, j, c) (one bank per output position), and the
// accumulator, the bias broadcast over the batch, at (n, y, x, k).
// CHECK-DAG: #[[IN_MAP:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 * 2 + d4, d2 * 2 + d5, d6)>
// CHECK-DAG: #[[FILTER_MAP:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1, d2, d3, d4, d5, d6)>
// CHECK-DAG: #[[OUT_MAP:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @locally_connected_bias
// CHECK-SAME: (%[[X:.+]]: tensor<1x7x7x3xf32>, %[[W:.+]]: tensor<3x3x4x3x3x3xf32>, %[[B:.+]]: tensor<3x3x4xf32>)
// CHECK-NOT: tensor.pad
// CHECK-NOT: arith.constant
// CHECK: %[[EMPTY:.+]] = tensor.empty() : tensor<1x3x3x4xf32>
// CHECK: %[[INIT:.+]] = linalg.broadcast ins(%[[B]] : tensor<3x3x4xf32>) outs(%[[EMPTY]] : tensor<1x3x3x4xf32>) dimensions = [0]
// CHECK: %[[Y:.+]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[IN_MAP]], #[[FILTER_MAP]], #[[OUT_MAP]]]
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]
// CHECK-SAME: ins(%[[X]], %[[W]] : tensor<1x7x7x3xf32>, tensor<3x3x4x3x3x3xf32>)
// CHECK-SAME: outs(%[[INIT]] : tensor<1x3x3x4xf32>)
// CHECK: ^bb0(%[[IN:.+]]: f32, %[[WEIGHT:.+]]: f32, %[[ACC:.+]]: f32):
// CHECK: %[[PRODUCT:.+]] = arith.mulf %[[IN]], %[[WEIGHT]] : f32
// CHECK: %[[SUM:.+]] = arith.addf %[[ACC]], %[[PRODUCT]] : f32
// CHECK: linalg.yield %[[SUM]] : f32
// CHECK: return %[[Y]]
func.func @locally_connected_bias(%x: tensor<1x7x7x3xf32>, %w: tensor<3x3x4x3x3x3xf32>, %b: tensor<3x3x4xf32>) -> tensor<1x3x3x4xf32> {
  %0 = cnn.locally_connected2d %x, %w, %b stride [2] : (tensor<1x7x7x3xf32>, tensor<3x3x4x3x3x3xf32>, tensor<3x3x4xf32>) -> tensor<1x3x3x4xf32>
  return %0 : tensor<1x3x3x4xf32>
}

// -----

// Padding [top, bottom, left, right] = [1, 0, 1, 1] with zeros, plus the
// ceil overhang: (6 - 3 + 1)/2 + 1 = 3 rows; (6 - 3 + 2)/2 + 1 = 3.5 -> 4
// columns, which need 1 more column at the right. Without bias the
// accumulator is filled with the same 0.
// CHECK-DAG: #[[IN_MAP:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 * 2 + d4, d2 * 2 + d5, d6)>
// CHECK-LABEL: func.func @locally_connected_padding_ceil
// CHECK-SAME: (%[[X:.+]]: tensor<1x6x6x2xf32>, %[[W:.+]]: tensor<3x4x2x3x3x2xf32>)
// CHECK: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[PADDED:.+]] = tensor.pad %[[X]] low[0, 1, 1, 0] high[0, 0, 2, 0]
// CHECK: tensor.yield %[[ZERO]] : f32
// CHECK: } : tensor<1x6x6x2xf32> to tensor<1x7x9x2xf32>
// CHECK: %[[INIT:.+]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.+}} : tensor<1x3x4x2xf32>)
// CHECK: linalg.generic
// CHECK-SAME: indexing_maps = [#[[IN_MAP]],
// CHECK-SAME: ins(%[[PADDED]], %[[W]] : tensor<1x7x9x2xf32>, tensor<3x4x2x3x3x2xf32>)
// CHECK-SAME: outs(%[[INIT]] : tensor<1x3x4x2xf32>)
func.func @locally_connected_padding_ceil(%x: tensor<1x6x6x2xf32>, %w: tensor<3x4x2x3x3x2xf32>) -> tensor<1x3x4x2xf32> {
  %0 = cnn.locally_connected2d %x, %w stride [2] padding [1, 0, 1, 1] rounding ceil : (tensor<1x6x6x2xf32>, tensor<3x4x2x3x3x2xf32>) -> tensor<1x3x4x2xf32>
  return %0 : tensor<1x3x4x2xf32>
}

// -----

// Non-square strides appear in the input map.
// CHECK-DAG: #[[IN_MAP:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 + d4, d2 * 3 + d5, d6)>
// CHECK-LABEL: func.func @locally_connected_strides
// CHECK: linalg.generic
// CHECK-SAME: indexing_maps = [#[[IN_MAP]],
func.func @locally_connected_strides(%x: tensor<2x4x9x1xf32>, %w: tensor<2x3x3x3x3x1xf32>) -> tensor<2x2x3x3xf32> {
  %0 = cnn.locally_connected2d %x, %w stride [1, 3] : (tensor<2x4x9x1xf32>, tensor<2x3x3x3x3x1xf32>) -> tensor<2x2x3x3xf32>
  return %0 : tensor<2x2x3x3xf32>
}
