// A register tile at a padded edge is split by filter columns: the filter
// columns that reach the padding for some of its pixels run over the other
// pixels alone, so that no tap reads a padding column.
// RUN: convforge-opt %s --split-input-file --convforge-lower-to-linalg \
// RUN:   --convforge-select-strategy="vector-bits=512 vector-registers=32 l2-kib=1024" \
// RUN:   --convforge-pad-in-producer="copy-inputs=true" \
// RUN:   --convforge-tile | FileCheck %s

// 14 output columns in one width tile of 14 (one vector of 16 filters),
// 3x3 filters, padding 1: pixel 0 reads the left padding at filter column 0,
// pixel 13 the right padding at filter column 2 (2 of 42 taps, 4.8 %).
// Filter column 0 runs over pixels [1, 14) from input column 1, column 1
// over all 14, column 2 over pixels [0, 13) from input column 2.
// CHECK-LABEL: func.func @one_tile
// CHECK: scf.for %[[ROW:[^ ]+]] =
// CHECK: %[[INPUT:.+]] = tensor.extract_slice %{{.+}}[0, %[[ROW]], 0, 0] [1, 3, 16, 16]
// CHECK: %[[LEFT_INPUT:.+]] = tensor.extract_slice %[[INPUT]][0, 0, 1, 0] [1, 3, 13, 16]
// CHECK: tensor.extract_slice %{{.+}}[0, 0, 0, 0] [3, 1, 16, 16]
// CHECK: linalg.conv_2d_nhwc_hwcf
// CHECK-SAME: tensor<1x1x13x4xf32>
// CHECK: %[[LEFT:.+]] = tensor.insert_slice %{{.+}} into %{{.+}}[0, 0, 1, 0] [1, 1, 13, 16]
// CHECK: tensor.extract_slice %[[INPUT]][0, 0, 1, 0] [1, 3, 14, 16]
// CHECK: tensor.extract_slice %{{.+}}[0, 1, 0, 0] [3, 1, 16, 16]
// CHECK: scf.for {{.+}} iter_args(%{{.+}} = %[[LEFT]])
// CHECK: linalg.conv_2d_nhwc_hwcf
// CHECK-SAME: tensor<1x1x14x4xf32>
// CHECK: tensor.extract_slice %[[INPUT]][0, 0, 2, 0] [1, 3, 13, 16]
// CHECK: tensor.extract_slice %{{.+}}[0, 2, 0, 0] [3, 1, 16, 16]
// CHECK: linalg.conv_2d_nhwc_hwcf
// CHECK-SAME: tensor<1x1x13x4xf32>
// CHECK: tensor.insert_slice %{{.+}} into %{{.+}}[0, 0, 0, 0] [1, 1, 13, 16]
// CHECK-NOT: linalg.conv_2d_nhwc_hwcf
// CHECK-NOT: cnn.nonzero_input_columns
func.func @one_tile(%x: tensor<1x6x14x16xf32>, %w: tensor<16x3x3x16xf32>) -> tensor<1x6x14x16xf32> {
  %0 = cnn.conv2d %x, %w padding [1] : (tensor<1x6x14x16xf32>, tensor<16x3x3x16xf32>) -> tensor<1x6x14x16xf32>
  return %0 : tensor<1x6x14x16xf32>
}

// -----

// 56 output columns: the padding columns are 2 of 168 taps (1.2 %, under
// the 4 % threshold), too few to be worth the edge tiles' extra kernels:
// every tile computes its 14 pixels at every filter column.
// CHECK-LABEL: func.func @wide
// CHECK-NOT: 13x4xf32
// CHECK-NOT: cnn.nonzero_input_columns
// CHECK: linalg.conv_2d_nhwc_hwcf
// CHECK-SAME: tensor<1x1x14x4xf32>
// CHECK-NOT: 13x4xf32
// CHECK-NOT: cnn.nonzero_input_columns
func.func @wide(%x: tensor<1x6x56x16xf32>, %w: tensor<16x3x3x16xf32>) -> tensor<1x6x56x16xf32> {
  %0 = cnn.conv2d %x, %w padding [1] : (tensor<1x6x56x16xf32>, tensor<16x3x3x16xf32>) -> tensor<1x6x56x16xf32>
  return %0 : tensor<1x6x56x16xf32>
}

// -----

// With a ReLU fused, the tile's accumulators go from registers through the
// maximum to the output and are never stored; split, they would have to
// pass through memory (docs/CodegenStrategy.md). The tile stays whole.
// CHECK-LABEL: func.func @fused_relu
// CHECK-NOT: 13x4xf32
// CHECK: linalg.conv_2d_nhwc_hwcf
// CHECK-SAME: tensor<1x1x14x4xf32>
// CHECK: linalg.generic
// CHECK-NOT: linalg.conv_2d_nhwc_hwcf
// CHECK-NOT: cnn.nonzero_input_columns
func.func @fused_relu(%x: tensor<1x6x14x16xf32>, %w: tensor<16x3x3x16xf32>) -> tensor<1x6x14x16xf32> {
  %0 = cnn.conv2d %x, %w padding [1] : (tensor<1x6x14x16xf32>, tensor<16x3x3x16xf32>) -> tensor<1x6x14x16xf32>
  %1 = cnn.relu %0 : (tensor<1x6x14x16xf32>) -> tensor<1x6x14x16xf32>
  return %1 : tensor<1x6x14x16xf32>
}
