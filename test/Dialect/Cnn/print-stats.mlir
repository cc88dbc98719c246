// RUN: convforge-opt %s --cnn-print-stats -o /dev/null --split-input-file | FileCheck %s

// The CS231n notes' first AlexNet layer: 55x55x96 = 290,400 neurons, each
// with 11*11*3 = 363 weights and 1 bias: 105,705,600 parameters without
// sharing, 34,848 weights + 96 biases = 34,944 with sharing.
// CHECK-LABEL: Network @seed (batch 1; counts per image)
// CHECK-NEXT: layer     op      output    neurons  weights  biases  params  unshared params         MACs
// CHECK-NEXT: conv2d_1  conv2d  55x55x96  290,400   34,848      96  34,944      105,705,600  105,415,200
// CHECK-NEXT: total                       290,400   34,848      96  34,944      105,705,600  105,415,200
// CHECK-NEXT: FLOPs (2 per MAC): 210,830,400 per image, 210,830,400 per batch of 1
func.func @seed(%x: tensor<1x227x227x3xf32>, %w: tensor<96x11x11x3xf32>, %b: tensor<96xf32>) -> tensor<1x55x55x96xf32> {
  %0 = cnn.conv2d %x, %w, %b stride [4] : (tensor<1x227x227x3xf32>, tensor<96x11x11x3xf32>, tensor<96xf32>) -> tensor<1x55x55x96xf32>
  return %0 : tensor<1x55x55x96xf32>
}

// -----

// Counts by hand, batch 2 (counts per image, FLOPs for the batch):
//  conv 3x3, 8 -> 4 filters, no bias, on 6x6: 6*6*4 = 144 neurons,
//    3*3*8*4 = 288 weights, unshared 144*72 = 10,368, MACs 144*72 = 10,368.
//  locally-connected 2x2 stride 2 on 6x6x4 -> 3x3x5 with bias: 45 neurons,
//    45*(2*2*4) = 720 weights, 45 biases, MACs 720.
//  max pool 3x3 on 3x3x5 -> 1x1x5: 5 neurons.
//  dense 5 -> 7 with bias: 35 weights, 7 biases, 35 MACs.
// CHECK-LABEL: Network @by_hand (batch 2; counts per image)
// CHECK: conv     conv2d               6x6x4    144      288       0    288           10,368  10,368
// CHECK: lc       locally_connected2d  3x3x5     45      720      45    765              765     720
// CHECK: pool     max_pool2d           1x1x5      5        0       0      0                0       0
// CHECK: flatten  flatten              5          0        0       0      0                0       0
// CHECK: fc       dense                7          7       35       7     42               42      35
// CHECK: total                                  201    1,043      52  1,095           11,175  11,123
// CHECK: FLOPs (2 per MAC): 22,246 per image, 44,492 per batch of 2
func.func @by_hand(%x: tensor<2x6x6x8xf32>, %w: tensor<4x3x3x8xf32>, %lw: tensor<3x3x5x2x2x4xf32>, %lb: tensor<3x3x5xf32>,
                   %fw: tensor<7x5xf32>, %fb: tensor<7xf32>) -> tensor<2x7xf32> {
  %0 = cnn.conv2d %x, %w padding [1] : (tensor<2x6x6x8xf32>, tensor<4x3x3x8xf32>) -> tensor<2x6x6x4xf32> loc("conv")
  %1 = cnn.locally_connected2d %0, %lw, %lb stride [2] : (tensor<2x6x6x4xf32>, tensor<3x3x5x2x2x4xf32>, tensor<3x3x5xf32>) -> tensor<2x3x3x5xf32> loc("lc")
  %2 = cnn.max_pool2d %1 window [3] : (tensor<2x3x3x5xf32>) -> tensor<2x1x1x5xf32> loc("pool")
  %3 = cnn.flatten %2 : (tensor<2x1x1x5xf32>) -> tensor<2x5xf32> loc("flatten")
  %4 = cnn.dense %3, %fw, %fb : (tensor<2x5xf32>, tensor<7x5xf32>, tensor<7xf32>) -> tensor<2x7xf32> loc("fc")
  return %4 : tensor<2x7xf32>
}

// -----

// Functions without layers print nothing.
// CHECK-NOT: Network @no_layers
func.func @no_layers(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
