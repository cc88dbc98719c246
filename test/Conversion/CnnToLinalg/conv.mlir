// RUN: convforge-opt %s --convert-cnn-to-linalg --split-input-file | FileCheck %s

// No padding: the input is used as is; the K×FH×FW×C filter is transposed to
// FH×FW×C×K and the bias broadcast over N×H2×W2 is the accumulator.
// CHECK-LABEL: func.func @conv_bias_stride
// CHECK-SAME: (%[[X:.+]]: tensor<1x9x9x3xf32>, %[[W:.+]]: tensor<8x3x3x3xf32>, %[[B:.+]]: tensor<8xf32>)
// CHECK-NOT: tensor.pad
// CHECK: %[[WT_INIT:.+]] = tensor.empty() : tensor<3x3x3x8xf32>
// CHECK: %[[WT:.+]] = linalg.transpose ins(%[[W]] : tensor<8x3x3x3xf32>) outs(%[[WT_INIT]] : tensor<3x3x3x8xf32>) permutation = [1, 2, 3, 0]
// CHECK: %[[EMPTY:.+]] = tensor.empty() : tensor<1x4x4x8xf32>
// CHECK: %[[INIT:.+]] = linalg.broadcast ins(%[[B]] : tensor<8xf32>) outs(%[[EMPTY]] : tensor<1x4x4x8xf32>) dimensions = [0, 1, 2]
// CHECK: %[[Y:.+]] = linalg.conv_2d_nhwc_hwcf
// CHECK-SAME: dilations = dense<1> : vector<2xi64>
// CHECK-SAME: strides = dense<2> : vector<2xi64>
// CHECK-SAME: ins(%[[X]], %[[WT]] : tensor<1x9x9x3xf32>, tensor<3x3x3x8xf32>)
// CHECK-SAME: outs(%[[INIT]] : tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
// CHECK: return %[[Y]]
func.func @conv_bias_stride(%x: tensor<1x9x9x3xf32>, %w: tensor<8x3x3x3xf32>, %b: tensor<8xf32>) -> tensor<1x4x4x8xf32> {
  %0 = cnn.conv2d %x, %w, %b stride [2] : (tensor<1x9x9x3xf32>, tensor<8x3x3x3xf32>, tensor<8xf32>) -> tensor<1x4x4x8xf32>
  return %0 : tensor<1x4x4x8xf32>
}

// -----

// Asymmetric padding [top, bottom, left, right] = [1, 2, 0, 1] with zeros,
// non-square strides, and no bias: the accumulator is filled with 0.
// CHECK-LABEL: func.func @conv_asymmetric_padding_no_bias
// CHECK-SAME: (%[[X:.+]]: tensor<2x7x6x3xf32>, %[[W:.+]]: tensor<4x3x2x3xf32>)
// CHECK: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[PADDED:.+]] = tensor.pad %[[X]] low[0, 1, 0, 0] high[0, 2, 1, 0]
// CHECK: tensor.yield %[[ZERO]] : f32
// CHECK: } : tensor<2x7x6x3xf32> to tensor<2x10x7x3xf32>
// CHECK: %[[WT:.+]] = linalg.transpose ins(%[[W]] : tensor<4x3x2x3xf32>) outs(%{{.+}} : tensor<3x2x3x4xf32>) permutation = [1, 2, 3, 0]
// CHECK: %[[EMPTY:.+]] = tensor.empty() : tensor<2x4x6x4xf32>
// CHECK: %[[INIT:.+]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[EMPTY]] : tensor<2x4x6x4xf32>)
// CHECK: linalg.conv_2d_nhwc_hwcf
// CHECK-SAME: dilations = dense<1> : vector<2xi64>
// CHECK-SAME: strides = dense<[2, 1]> : vector<2xi64>
// CHECK-SAME: ins(%[[PADDED]], %[[WT]] : tensor<2x10x7x3xf32>, tensor<3x2x3x4xf32>)
// CHECK-SAME: outs(%[[INIT]] : tensor<2x4x6x4xf32>)
func.func @conv_asymmetric_padding_no_bias(%x: tensor<2x7x6x3xf32>, %w: tensor<4x3x2x3xf32>) -> tensor<2x4x6x4xf32> {
  %0 = cnn.conv2d %x, %w stride [2, 1] padding [1, 2, 0, 1] rounding floor : (tensor<2x7x6x3xf32>, tensor<4x3x2x3xf32>) -> tensor<2x4x6x4xf32>
  return %0 : tensor<2x4x6x4xf32>
}

// -----

// ceil rounding: (6 - 3)/2 + 1 = 2.5 rounds up to 3 windows, the last one
// overhanging by 1 row and 1 column, which are padded with zeros at the end.
// CHECK-LABEL: func.func @conv_ceil_overhang
// CHECK-SAME: (%[[X:.+]]: tensor<1x6x6x2xf32>
// CHECK: %[[PADDED:.+]] = tensor.pad %[[X]] low[0, 0, 0, 0] high[0, 1, 1, 0]
// CHECK: } : tensor<1x6x6x2xf32> to tensor<1x7x7x2xf32>
// CHECK: linalg.conv_2d_nhwc_hwcf
// CHECK-SAME: strides = dense<2> : vector<2xi64>
// CHECK-SAME: ins(%[[PADDED]], %{{.+}} : tensor<1x7x7x2xf32>, tensor<3x3x2x4xf32>)
// CHECK-SAME: -> tensor<1x3x3x4xf32>
func.func @conv_ceil_overhang(%x: tensor<1x6x6x2xf32>, %w: tensor<4x3x3x2xf32>) -> tensor<1x3x3x4xf32> {
  %0 = cnn.conv2d %x, %w stride [2] rounding ceil : (tensor<1x6x6x2xf32>, tensor<4x3x3x2xf32>) -> tensor<1x3x3x4xf32>
  return %0 : tensor<1x3x3x4xf32>
}

// -----

// ceil rounding on top of explicit padding: the overhang adds to the bottom
// and right padding, (6 - 3 + 2*1)/2 + 1 = 3.5 -> 4 windows need 9 rows.
// CHECK-LABEL: func.func @conv_ceil_and_padding
// CHECK: tensor.pad %{{.+}} low[0, 1, 1, 0] high[0, 2, 2, 0]
// CHECK: } : tensor<1x6x6x2xf32> to tensor<1x9x9x2xf32>
// CHECK: linalg.conv_2d_nhwc_hwcf
// CHECK-SAME: ins(%{{.+}}, %{{.+}} : tensor<1x9x9x2xf32>, tensor<3x3x2x4xf32>)
// CHECK-SAME: -> tensor<1x4x4x4xf32>
func.func @conv_ceil_and_padding(%x: tensor<1x6x6x2xf32>, %w: tensor<4x3x3x2xf32>) -> tensor<1x4x4x4xf32> {
  %0 = cnn.conv2d %x, %w stride [2] padding [1] rounding ceil : (tensor<1x6x6x2xf32>, tensor<4x3x3x2xf32>) -> tensor<1x4x4x4xf32>
  return %0 : tensor<1x4x4x4xf32>
}

// -----

// floor rounding drops the rows and columns no window reaches; the input is
// passed unpadded and larger than the windows need, which linalg allows.
// CHECK-LABEL: func.func @conv_floor_unused_border
// CHECK-SAME: (%[[X:.+]]: tensor<1x8x8x1xf32>
// CHECK-NOT: tensor.pad
// CHECK: linalg.conv_2d_nhwc_hwcf
// CHECK-SAME: strides = dense<3> : vector<2xi64>
// CHECK-SAME: ins(%[[X]], %{{.+}} : tensor<1x8x8x1xf32>, tensor<3x3x1x2xf32>)
// CHECK-SAME: -> tensor<1x2x2x2xf32>
func.func @conv_floor_unused_border(%x: tensor<1x8x8x1xf32>, %w: tensor<2x3x3x1xf32>) -> tensor<1x2x2x2xf32> {
  %0 = cnn.conv2d %x, %w stride [3] rounding floor : (tensor<1x8x8x1xf32>, tensor<2x3x3x1xf32>) -> tensor<1x2x2x2xf32>
  return %0 : tensor<1x2x2x2xf32>
}

// -----

// A blocked (K/B)×FH×FW×C×B filter is rebuilt in HWCF layout: transposed to
// FH×FW×C×(K/B)×B, then its last two dimensions collapsed into K.
// CHECK-LABEL: func.func @conv_blocked_filter
// CHECK-SAME: (%[[X:.+]]: tensor<1x8x8x4xf32>, %[[W:.+]]: tensor<3x3x3x4x16xf32>)
// CHECK: %[[INIT:.+]] = tensor.empty() : tensor<3x3x4x3x16xf32>
// CHECK: %[[T:.+]] = linalg.transpose ins(%[[W]] : tensor<3x3x3x4x16xf32>) outs(%[[INIT]] : tensor<3x3x4x3x16xf32>) permutation = [1, 2, 3, 0, 4]
// CHECK: %[[WT:.+]] = tensor.collapse_shape %[[T]] {{\[}}[0], [1], [2], [3, 4]] : tensor<3x3x4x3x16xf32> into tensor<3x3x4x48xf32>
// CHECK: linalg.conv_2d_nhwc_hwcf
// CHECK-SAME: ins(%[[X]], %[[WT]] : tensor<1x8x8x4xf32>, tensor<3x3x4x48xf32>)
// CHECK-SAME: -> tensor<1x6x6x48xf32>
func.func @conv_blocked_filter(%x: tensor<1x8x8x4xf32>, %w: tensor<3x3x3x4x16xf32>) -> tensor<1x6x6x48xf32> {
  %0 = cnn.conv2d %x, %w filter_block 16 : (tensor<1x8x8x4xf32>, tensor<3x3x3x4x16xf32>) -> tensor<1x6x6x48xf32>
  return %0 : tensor<1x6x6x48xf32>
}
