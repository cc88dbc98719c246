// RUN: convforge-opt %s --cnn-shape-inference --split-input-file | FileCheck %s

// A network written with unknown intermediate shapes: only the arguments
// are known. Every result and the function's signature become static.
// CHECK-LABEL: func.func @alexnet_head
// CHECK-SAME: -> tensor<1x10xf32>
// CHECK: cnn.conv2d {{.*}} -> tensor<1x55x55x96xf32>
// CHECK: cnn.relu {{.*}} -> tensor<1x55x55x96xf32>
// CHECK: cnn.max_pool2d {{.*}} -> tensor<1x27x27x96xf32>
// CHECK: cnn.avg_pool2d {{.*}} -> tensor<1x14x14x96xf32>
// CHECK: cnn.locally_connected2d {{.*}} -> tensor<1x6x6x8xf32>
// CHECK: cnn.flatten {{.*}} -> tensor<1x288xf32>
// CHECK: cnn.dense {{.*}} -> tensor<1x10xf32>
// CHECK: cnn.softmax {{.*}} -> tensor<1x10xf32>
// CHECK: return {{.*}} : tensor<1x10xf32>
func.func @alexnet_head(%x: tensor<1x227x227x3xf32>, %w: tensor<96x11x11x3xf32>, %b: tensor<96xf32>,
                        %lw: tensor<6x6x8x3x3x96xf32>, %dw: tensor<10x288xf32>) -> tensor<*xf32> {
  %0 = cnn.conv2d %x, %w, %b stride [4] : (tensor<1x227x227x3xf32>, tensor<96x11x11x3xf32>, tensor<96xf32>) -> tensor<*xf32>
  %1 = cnn.relu %0 : (tensor<*xf32>) -> tensor<*xf32>
  %2 = cnn.max_pool2d %1 window [3] stride [2] : (tensor<*xf32>) -> tensor<*xf32>
  %3 = cnn.avg_pool2d %2 window [2] stride [2] rounding ceil : (tensor<*xf32>) -> tensor<*xf32>
  %4 = cnn.locally_connected2d %3, %lw stride [2] rounding floor : (tensor<*xf32>, tensor<6x6x8x3x3x96xf32>) -> tensor<*xf32>
  %5 = cnn.flatten %4 : (tensor<*xf32>) -> tensor<*xf32>
  %6 = cnn.dense %5, %dw : (tensor<*xf32>, tensor<10x288xf32>) -> tensor<*xf32>
  %7 = cnn.softmax %6 : (tensor<*xf32>) -> tensor<*xf32>
  return %7 : tensor<*xf32>
}

// -----

// `?` dimensions are refined too; an unknown batch stays unknown.
// CHECK-LABEL: func.func @dynamic_dims
// CHECK-SAME: -> tensor<?x4x4x8xf32>
// CHECK: cnn.conv2d {{.*}} -> tensor<?x8x8x8xf32>
// CHECK: cnn.max_pool2d {{.*}} -> tensor<?x4x4x8xf32>
func.func @dynamic_dims(%x: tensor<?x8x8x3xf32>, %w: tensor<8x3x3x3xf32>) -> tensor<?x?x?x?xf32> {
  %0 = cnn.conv2d %x, %w padding [1] : (tensor<?x8x8x3xf32>, tensor<8x3x3x3xf32>) -> tensor<?x?x?x8xf32>
  %1 = cnn.max_pool2d %0 window [2] stride [2] : (tensor<?x?x?x8xf32>) -> tensor<?x?x?x?xf32>
  return %1 : tensor<?x?x?x?xf32>
}

// -----

// Users outside the cnn dialect keep the type they saw, through a cast; a
// function with callers keeps its signature and casts before returning.
// CHECK-LABEL: func.func @callee
// CHECK-SAME: -> tensor<*xf32>
// CHECK: %[[R:.+]] = cnn.relu {{.*}} -> tensor<2x3xf32>
// CHECK: %[[C:.+]] = tensor.cast %[[R]] : tensor<2x3xf32> to tensor<*xf32>
// CHECK: tensor.rank %[[C]] : tensor<*xf32>
// CHECK: %[[D:.+]] = tensor.cast %[[R]] : tensor<2x3xf32> to tensor<*xf32>
// CHECK: return %[[D]] : tensor<*xf32>
func.func @callee(%x: tensor<2x3xf32>) -> tensor<*xf32> {
  %0 = cnn.relu %x : (tensor<2x3xf32>) -> tensor<*xf32>
  %rank = tensor.rank %0 : tensor<*xf32>
  return %0 : tensor<*xf32>
}

// CHECK-LABEL: func.func @caller
// CHECK: call @callee({{.*}}) : (tensor<2x3xf32>) -> tensor<*xf32>
func.func @caller(%x: tensor<2x3xf32>) -> tensor<*xf32> {
  %0 = func.call @callee(%x) : (tensor<2x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// Transpose and reshape: the permuted shape and the given one.
// CHECK-LABEL: func.func @layout_changes
// CHECK-SAME: -> tensor<12x5xf32>
// CHECK: cnn.transpose {{.*}} -> tensor<1x4x5x3xf32>
// CHECK: cnn.reshape {{.*}} -> tensor<4x15xf32>
// CHECK: cnn.transpose {{.*}} -> tensor<15x4xf32>
// CHECK: cnn.reshape {{.*}} -> tensor<12x5xf32>
func.func @layout_changes(%x: tensor<1x3x4x5xf32>) -> tensor<*xf32> {
  %0 = cnn.transpose %x perm [0, 2, 3, 1] : (tensor<1x3x4x5xf32>) -> tensor<*xf32>
  %1 = cnn.reshape %0 shape [4, 15] : (tensor<*xf32>) -> tensor<*xf32>
  %2 = cnn.transpose %1 perm [1, 0] : (tensor<*xf32>) -> tensor<*xf32>
  %3 = cnn.reshape %2 shape [12, 5] : (tensor<*xf32>) -> tensor<*xf32>
  return %3 : tensor<*xf32>
}

// -----

// A blocked filter: K is blocks × B = 3 × 16.
// CHECK-LABEL: func.func @blocked_filter
// CHECK: cnn.conv2d {{.*}} filter_block 16 {{.*}} -> tensor<1x6x6x48xf32>
func.func @blocked_filter(%x: tensor<1x8x8x4xf32>, %w: tensor<3x3x3x4x16xf32>) -> tensor<*xf32> {
  %0 = cnn.conv2d %x, %w filter_block 16 : (tensor<1x8x8x4xf32>, tensor<3x3x3x4x16xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}
