// RUN: convforge-opt %s --convert-cnn-to-linalg --split-input-file | FileCheck %s

// ReLU: an all-parallel generic with identity maps computing max(x, 0).
// CHECK-DAG: #[[ID4:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @relu
// CHECK-SAME: (%[[X:.+]]: tensor<1x4x4x8xf32>)
// CHECK-DAG: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[EMPTY:.+]] = tensor.empty() : tensor<1x4x4x8xf32>
// CHECK: %[[Y:.+]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[ID4]], #[[ID4]]]
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "parallel"]
// CHECK-SAME: ins(%[[X]] : tensor<1x4x4x8xf32>) outs(%[[EMPTY]] : tensor<1x4x4x8xf32>)
// CHECK: ^bb0(%[[IN:.+]]: f32, %{{.+}}: f32):
// CHECK: %[[MAX:.+]] = arith.maximumf %[[IN]], %[[ZERO]] : f32
// CHECK: linalg.yield %[[MAX]] : f32
// CHECK: return %[[Y]]
func.func @relu(%x: tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32> {
  %0 = cnn.relu %x : (tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  return %0 : tensor<1x4x4x8xf32>
}

// -----

// ReLU of any rank.
// CHECK-LABEL: func.func @relu_rank2
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel"]
// CHECK-SAME: ins(%{{.+}} : tensor<2x10xf32>)
// CHECK: arith.maximumf
func.func @relu_rank2(%x: tensor<2x10xf32>) -> tensor<2x10xf32> {
  %0 = cnn.relu %x : (tensor<2x10xf32>) -> tensor<2x10xf32>
  return %0 : tensor<2x10xf32>
}

// -----

// Dense: the bias broadcast over the batch is the accumulator, and the M×D
// weights are read transposed by the matmul's indexing maps (no copy).
// CHECK-DAG: #[[A:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[B:.+]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[C:.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @dense_bias
// CHECK-SAME: (%[[X:.+]]: tensor<2x9216xf32>, %[[W:.+]]: tensor<4096x9216xf32>, %[[BIAS:.+]]: tensor<4096xf32>)
// CHECK: %[[EMPTY:.+]] = tensor.empty() : tensor<2x4096xf32>
// CHECK: %[[INIT:.+]] = linalg.broadcast ins(%[[BIAS]] : tensor<4096xf32>) outs(%[[EMPTY]] : tensor<2x4096xf32>) dimensions = [0]
// CHECK: %[[Y:.+]] = linalg.matmul indexing_maps = [#[[A]], #[[B]], #[[C]]]
// CHECK-SAME: ins(%[[X]], %[[W]] : tensor<2x9216xf32>, tensor<4096x9216xf32>)
// CHECK-SAME: outs(%[[INIT]] : tensor<2x4096xf32>) -> tensor<2x4096xf32>
// CHECK: return %[[Y]]
func.func @dense_bias(%x: tensor<2x9216xf32>, %w: tensor<4096x9216xf32>, %b: tensor<4096xf32>) -> tensor<2x4096xf32> {
  %0 = cnn.dense %x, %w, %b : (tensor<2x9216xf32>, tensor<4096x9216xf32>, tensor<4096xf32>) -> tensor<2x4096xf32>
  return %0 : tensor<2x4096xf32>
}

// -----

// Dense without bias: the accumulator is filled with 0.
// CHECK-LABEL: func.func @dense_no_bias
// CHECK-SAME: (%[[X:.+]]: tensor<1x16xf32>, %[[W:.+]]: tensor<10x16xf32>)
// CHECK-DAG: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[EMPTY:.+]] = tensor.empty() : tensor<1x10xf32>
// CHECK: %[[INIT:.+]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[EMPTY]] : tensor<1x10xf32>)
// CHECK: linalg.matmul indexing_maps = [#{{.+}}, #{{.+}}, #{{.+}}]
// CHECK-SAME: ins(%[[X]], %[[W]] : tensor<1x16xf32>, tensor<10x16xf32>)
// CHECK-SAME: outs(%[[INIT]] : tensor<1x10xf32>)
func.func @dense_no_bias(%x: tensor<1x16xf32>, %w: tensor<10x16xf32>) -> tensor<1x10xf32> {
  %0 = cnn.dense %x, %w : (tensor<1x16xf32>, tensor<10x16xf32>) -> tensor<1x10xf32>
  return %0 : tensor<1x10xf32>
}

// -----

// Flatten collapses every dimension but the batch, in row-major order.
// CHECK-LABEL: func.func @flatten
// CHECK-SAME: (%[[X:.+]]: tensor<2x6x6x256xf32>)
// CHECK: %[[Y:.+]] = tensor.collapse_shape %[[X]] {{\[}}[0], [1, 2, 3]] : tensor<2x6x6x256xf32> into tensor<2x9216xf32>
// CHECK: return %[[Y]]
func.func @flatten(%x: tensor<2x6x6x256xf32>) -> tensor<2x9216xf32> {
  %0 = cnn.flatten %x : (tensor<2x6x6x256xf32>) -> tensor<2x9216xf32>
  return %0 : tensor<2x9216xf32>
}

// -----

// An N×D input is already flat: it is used as is.
// CHECK-LABEL: func.func @flatten_flat
// CHECK-SAME: (%[[X:.+]]: tensor<2x10xf32>)
// CHECK-NOT: tensor.collapse_shape
// CHECK: return %[[X]]
func.func @flatten_flat(%x: tensor<2x10xf32>) -> tensor<2x10xf32> {
  %0 = cnn.flatten %x : (tensor<2x10xf32>) -> tensor<2x10xf32>
  return %0 : tensor<2x10xf32>
}

// -----

// Softmax over the innermost dimension.
// CHECK-LABEL: func.func @softmax
// CHECK-SAME: (%[[X:.+]]: tensor<2x1000xf32>)
// CHECK: %[[EMPTY:.+]] = tensor.empty() : tensor<2x1000xf32>
// CHECK: %[[Y:.+]] = linalg.softmax dimension(1) ins(%[[X]] : tensor<2x1000xf32>) outs(%[[EMPTY]] : tensor<2x1000xf32>) -> tensor<2x1000xf32>
// CHECK: return %[[Y]]
func.func @softmax(%x: tensor<2x1000xf32>) -> tensor<2x1000xf32> {
  %0 = cnn.softmax %x : (tensor<2x1000xf32>) -> tensor<2x1000xf32>
  return %0 : tensor<2x1000xf32>
}

// -----

// Softmax of a rank-3 tensor still normalizes the last dimension.
// CHECK-LABEL: func.func @softmax_rank3
// CHECK: linalg.softmax dimension(2) ins(%{{.+}} : tensor<2x3x5xf32>)
func.func @softmax_rank3(%x: tensor<2x3x5xf32>) -> tensor<2x3x5xf32> {
  %0 = cnn.softmax %x : (tensor<2x3x5xf32>) -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

// -----

// A classifier head: the layers chain, and no cnn op is left.
// CHECK-LABEL: func.func @head
// CHECK-NOT: cnn.
// CHECK: tensor.collapse_shape
// CHECK: linalg.matmul
// CHECK: linalg.generic
// CHECK: arith.maximumf
// CHECK: linalg.softmax
// CHECK-NOT: cnn.
// CHECK: return
func.func @head(%x: tensor<1x2x2x4xf32>, %w: tensor<10x16xf32>, %b: tensor<10xf32>) -> tensor<1x10xf32> {
  %0 = cnn.flatten %x : (tensor<1x2x2x4xf32>) -> tensor<1x16xf32>
  %1 = cnn.dense %0, %w, %b : (tensor<1x16xf32>, tensor<10x16xf32>, tensor<10xf32>) -> tensor<1x10xf32>
  %2 = cnn.relu %1 : (tensor<1x10xf32>) -> tensor<1x10xf32>
  %3 = cnn.softmax %2 : (tensor<1x10xf32>) -> tensor<1x10xf32>
  return %3 : tensor<1x10xf32>
}
