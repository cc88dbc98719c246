// convforge-split-dot-products: a dense layer's dot products accumulated in
// lanes of partial sums, then the partial sums of each output added to its
// bias; the strategy of the partial sums streams 4 rows of weights, one
// vector of 16 partial sums each, one reduction step at a time.
// RUN: convforge-opt %s --split-input-file --convforge-lower-to-linalg \
// RUN:   --convforge-split-dot-products | FileCheck %s
// RUN: convforge-opt %s --split-input-file --convforge-lower-to-linalg \
// RUN:   --convforge-split-dot-products \
// RUN:   --convforge-select-strategy="vector-bits=512 vector-registers=32 l1-kib=32 l2-kib=1024" \
// RUN:   | FileCheck %s --check-prefix=STRATEGY

// K = 9216 = 576 x 16.
// CHECK-DAG: #[[X:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
// CHECK-DAG: #[[W:.+]] = affine_map<(d0, d1, d2, d3) -> (d1, d2, d3)>
// CHECK-DAG: #[[P:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-LABEL: func.func @fc6
// CHECK-SAME: (%[[IN:.+]]: tensor<1x9216xf32>, %[[WEIGHTS:.+]]: tensor<4096x9216xf32>, %[[BIAS:.+]]: tensor<4096xf32>)
// CHECK-NOT: linalg.matmul
// CHECK-DAG: %[[XE:.+]] = tensor.expand_shape %[[IN]] {{\[}}[0], [1, 2]] output_shape [1, 576, 16]
// CHECK-DAG: %[[WE:.+]] = tensor.expand_shape %[[WEIGHTS]] {{\[}}[0], [1, 2]] output_shape [4096, 576, 16]
// CHECK-DAG: %[[INIT:.+]] = linalg.broadcast ins(%[[BIAS]] : tensor<4096xf32>)
// CHECK-DAG: %[[ZERO:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<1x4096x16xf32>)
// CHECK: %[[PARTIAL:.+]] = linalg.generic {indexing_maps = [#[[X]], #[[W]], #[[P]]], iterator_types = ["parallel", "parallel", "reduction", "parallel"]}
// CHECK-SAME: ins(%[[XE]], %[[WE]] : tensor<1x576x16xf32>, tensor<4096x576x16xf32>) outs(%[[ZERO]] : tensor<1x4096x16xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-SAME: ins(%[[PARTIAL]] : tensor<1x4096x16xf32>) outs(%[[INIT]] : tensor<1x4096xf32>)
// STRATEGY-LABEL: func.func @fc6
// STRATEGY: iterator_types = ["parallel", "parallel", "reduction", "parallel"]
// STRATEGY-SAME: cnn.strategy = #cnn.strategy<cache = [], interchange = [], register = [1, 4, 0, 16], reduction = [0, 0, 1, 0], vector_width = 16>
func.func @fc6(%x: tensor<1x9216xf32>, %w: tensor<4096x9216xf32>, %b: tensor<4096xf32>) -> tensor<*xf32> {
  %y = cnn.dense %x, %w, %b : (tensor<1x9216xf32>, tensor<4096x9216xf32>, tensor<4096xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

// K = 120 = 15 x 8 (not a multiple of 16): lanes of 8.
// CHECK-LABEL: func.func @lanes_of_8
// CHECK: tensor.expand_shape %{{.+}} {{\[}}[0], [1, 2]] output_shape [1, 15, 8]
func.func @lanes_of_8(%x: tensor<1x120xf32>, %w: tensor<84x120xf32>) -> tensor<*xf32> {
  %y = cnn.dense %x, %w : (tensor<1x120xf32>, tensor<84x120xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

// K = 84 (no 8 divides it) and K = 16 (under four lanes' worth): plain
// matmuls.
// CHECK-LABEL: func.func @unchanged
// CHECK-COUNT-2: linalg.matmul
// CHECK-NOT: linalg.generic
func.func @unchanged(%x: tensor<1x84xf32>, %w: tensor<10x84xf32>, %v: tensor<1x16xf32>, %u: tensor<4x16xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %y = cnn.dense %x, %w : (tensor<1x84xf32>, tensor<10x84xf32>) -> tensor<*xf32>
  %z = cnn.dense %v, %u : (tensor<1x16xf32>, tensor<4x16xf32>) -> tensor<*xf32>
  return %y, %z : tensor<*xf32>, tensor<*xf32>
}
