// RUN: convforge-opt %s --convert-cnn-to-linalg --split-input-file --mlir-print-debuginfo --mlir-print-local-scope | FileCheck %s

// Every op created for a layer, including the ops in region bodies, carries
// the layer's location, so that later diagnostics point at the layer.
// CHECK-LABEL: func.func @conv
// CHECK-NOT: loc(unknown)
// CHECK: arith.constant {{.*}} loc("conv1")
// CHECK: tensor.pad {{.*}}
// CHECK: tensor.yield {{.*}} loc("conv1")
// CHECK: } : tensor<1x4x4x1xf32> to tensor<1x6x6x1xf32> loc("conv1")
// CHECK: linalg.transpose {{.*}} loc("conv1")
// CHECK: linalg.broadcast {{.*}} loc("conv1")
// CHECK: linalg.conv_2d_nhwc_hwcf {{.*}} loc("conv1")
// CHECK-NOT: loc(unknown)
// CHECK: return
func.func @conv(%x: tensor<1x4x4x1xf32>, %w: tensor<2x3x3x1xf32>, %b: tensor<2xf32>) -> tensor<1x4x4x2xf32> {
  %0 = cnn.conv2d %x, %w, %b padding [1] : (tensor<1x4x4x1xf32>, tensor<2x3x3x1xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32> loc("conv1")
  return %0 : tensor<1x4x4x2xf32>
}

// -----

// CHECK-LABEL: func.func @avg_pool
// CHECK-NOT: loc(unknown)
// CHECK: linalg.pooling_nhwc_sum {{.*}} loc("pool")
// CHECK: linalg.index 1 : index loc("pool")
// CHECK: arith.divf {{.*}} loc("pool")
// CHECK: linalg.yield {{.*}} loc("pool")
// CHECK-NOT: loc(unknown)
// CHECK: return
func.func @avg_pool(%x: tensor<1x5x5x2xf32>) -> tensor<1x3x3x2xf32> {
  %0 = cnn.avg_pool2d %x window [2] stride [2] rounding ceil : (tensor<1x5x5x2xf32>) -> tensor<1x3x3x2xf32> loc("pool")
  return %0 : tensor<1x3x3x2xf32>
}

// -----

// CHECK-LABEL: func.func @others
// CHECK-NOT: loc(unknown)
// CHECK: linalg.fill {{.*}} loc("max")
// CHECK: linalg.pooling_nhwc_max {{.*}} loc("max")
// CHECK: tensor.collapse_shape {{.*}} loc("flatten")
// CHECK: linalg.matmul {{.*}} loc("dense")
// CHECK: linalg.generic
// CHECK: arith.maximumf {{.*}} loc("relu")
// CHECK: } -> tensor<1x3xf32> loc("relu")
// CHECK: linalg.softmax {{.*}} loc("softmax")
// CHECK: linalg.generic
// CHECK: arith.mulf {{.*}} loc("lc")
// CHECK: } -> tensor<1x2x2x1xf32> loc("lc")
// CHECK-NOT: loc(unknown)
// CHECK: return
func.func @others(%x: tensor<1x4x4x2xf32>, %w: tensor<3x8xf32>, %lw: tensor<2x2x1x3x3x2xf32>) -> (tensor<1x3xf32>, tensor<1x2x2x1xf32>) {
  %0 = cnn.max_pool2d %x window [2] stride [2] : (tensor<1x4x4x2xf32>) -> tensor<1x2x2x2xf32> loc("max")
  %1 = cnn.flatten %0 : (tensor<1x2x2x2xf32>) -> tensor<1x8xf32> loc("flatten")
  %2 = cnn.dense %1, %w : (tensor<1x8xf32>, tensor<3x8xf32>) -> tensor<1x3xf32> loc("dense")
  %3 = cnn.relu %2 : (tensor<1x3xf32>) -> tensor<1x3xf32> loc("relu")
  %4 = cnn.softmax %3 : (tensor<1x3xf32>) -> tensor<1x3xf32> loc("softmax")
  %5 = cnn.locally_connected2d %x, %lw : (tensor<1x4x4x2xf32>, tensor<2x2x1x3x3x2xf32>) -> tensor<1x2x2x1xf32> loc("lc")
  return %4, %5 : tensor<1x3xf32>, tensor<1x2x2x1xf32>
}
