// RUN: convforge-opt %s --convert-cnn-to-linalg --split-input-file | FileCheck %s

// Transpose: linalg.transpose into an empty tensor of the result's shape.
// CHECK-LABEL: func.func @transpose
// CHECK-SAME: (%[[X:.+]]: tensor<1x3x5x7xf32>)
// CHECK: %[[EMPTY:.+]] = tensor.empty() : tensor<1x5x7x3xf32>
// CHECK: %[[Y:.+]] = linalg.transpose ins(%[[X]] : tensor<1x3x5x7xf32>) outs(%[[EMPTY]] : tensor<1x5x7x3xf32>) permutation = [0, 2, 3, 1]
// CHECK: return %[[Y]]
func.func @transpose(%x: tensor<1x3x5x7xf32>) -> tensor<1x5x7x3xf32> {
  %0 = cnn.transpose %x perm [0, 2, 3, 1] : (tensor<1x3x5x7xf32>) -> tensor<1x5x7x3xf32>
  return %0 : tensor<1x5x7x3xf32>
}

// -----

// Reshape: collapsed to one dimension, then expanded to the new shape.
// CHECK-LABEL: func.func @reshape
// CHECK-SAME: (%[[X:.+]]: tensor<2x3x4xf32>)
// CHECK: %[[FLAT:.+]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1, 2]] : tensor<2x3x4xf32> into tensor<24xf32>
// CHECK: %[[Y:.+]] = tensor.expand_shape %[[FLAT]] {{\[}}[0, 1]] output_shape [4, 6] : tensor<24xf32> into tensor<4x6xf32>
// CHECK: return %[[Y]]
func.func @reshape(%x: tensor<2x3x4xf32>) -> tensor<4x6xf32> {
  %0 = cnn.reshape %x shape [4, 6] : (tensor<2x3x4xf32>) -> tensor<4x6xf32>
  return %0 : tensor<4x6xf32>
}

// -----

// To and from one dimension: a single collapse or expand; the same shape:
// nothing.
// CHECK-LABEL: func.func @reshape_rank1
// CHECK-SAME: (%[[X:.+]]: tensor<2x3xf32>, %[[V:.+]]: tensor<6xf32>)
// CHECK-DAG: %[[A:.+]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1]] : tensor<2x3xf32> into tensor<6xf32>
// CHECK-DAG: %[[B:.+]] = tensor.expand_shape %[[V]] {{\[}}[0, 1]] output_shape [3, 2] : tensor<6xf32> into tensor<3x2xf32>
// CHECK-NOT: tensor.collapse_shape
// CHECK: return %[[A]], %[[B]], %[[X]]
func.func @reshape_rank1(%x: tensor<2x3xf32>, %v: tensor<6xf32>) -> (tensor<6xf32>, tensor<3x2xf32>, tensor<2x3xf32>) {
  %0 = cnn.reshape %x shape [6] : (tensor<2x3xf32>) -> tensor<6xf32>
  %1 = cnn.reshape %v shape [3, 2] : (tensor<6xf32>) -> tensor<3x2xf32>
  %2 = cnn.reshape %x shape [2, 3] : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0, %1, %2 : tensor<6xf32>, tensor<3x2xf32>, tensor<2x3xf32>
}
