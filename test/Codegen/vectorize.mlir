// convforge-vectorize on tiled convolutions and pools (512-bit target: see
// select-strategy.mlir and tile.mlir), then convforge-lower-vectors.
// RUN: convforge-opt %s --split-input-file --convforge-lower-to-linalg \
// RUN:   --convforge-select-strategy="vector-bits=512 vector-registers=32 l1-kib=32 l2-kib=1024" \
// RUN:   --convforge-tile --convforge-vectorize | FileCheck %s
// No convolution or pool, 2-D or decomposed 1-D, is left anywhere.
// RUN: convforge-opt %s --split-input-file --convforge-lower-to-linalg \
// RUN:   --convforge-select-strategy="vector-bits=512 vector-registers=32 l1-kib=32 l2-kib=1024" \
// RUN:   --convforge-tile --convforge-vectorize | FileCheck %s --check-prefix=GONE
// GONE-NOT: linalg.conv_
// GONE-NOT: linalg.pooling_
// RUN: convforge-opt %s --split-input-file --convforge-lower-to-linalg \
// RUN:   --convforge-select-strategy="vector-bits=512 vector-registers=32 l1-kib=32 l2-kib=1024" \
// RUN:   --convforge-tile --convforge-vectorize --convforge-lower-vectors | FileCheck %s --check-prefix=LOWER
// LOWER-NOT: vector.contract
// LOWER-NOT: vector.outerproduct
// LOWER-NOT: vector.multi_reduction

// AlexNet conv1 + ReLU: inside the OH/OW/K tile loops, the 1x11x32
// accumulator (the bias broadcast) is forwarded as a vector (no temporary
// written and read back), carried as iter_arg through the FH and FW loops, where each of the 11 output columns
// is one contraction of 3 input channels with the 3x32 filter slice; it is
// written back once, then the ReLU runs on the vector.
// CHECK-LABEL: func.func @alexnet_conv1_relu
// CHECK: linalg.transpose
// CHECK: scf.for
// CHECK: scf.for
// CHECK: scf.for
// CHECK-NOT: vector.transfer_write
// CHECK: %[[INIT:.+]] = vector.shape_cast %{{.+}} : vector<1x1x11x32xf32> to vector<1x11x32xf32>
// CHECK-NOT: vector.transfer_read %{{.+}} : tensor<1x1x11x32xf32>
// CHECK: %[[ACC:.+]] = scf.for %{{.+}} iter_args(%[[A:.+]] = %[[INIT]]) -> (vector<1x11x32xf32>)
// CHECK: scf.for %{{.+}} iter_args(%[[B:.+]] = %[[A]]) -> (vector<1x11x32xf32>)
// CHECK-NOT: linalg.
// CHECK-NOT: scf.for
// CHECK: vector.extract %[[B]][0, 0] : vector<32xf32> from vector<1x11x32xf32>
// CHECK: vector.contract
// CHECK-SAME: vector<1x1x3xf32>, vector<3x32xf32> into vector<1x1x32xf32>
// CHECK-NOT: linalg.
// CHECK-NOT: scf.for
// CHECK: scf.yield %{{.+}} : vector<1x11x32xf32>
// CHECK: scf.yield %{{.+}} : vector<1x11x32xf32>
// The ReLU runs on the accumulator vector, which is written once, to the
// output.
// CHECK: %[[V:.+]] = vector.broadcast %[[ACC]] : vector<1x11x32xf32> to vector<1x1x11x32xf32>
// CHECK: %[[R:.+]] = arith.maximumf %[[V]], %{{[^ ]+}} : vector<1x1x11x32xf32>
// CHECK: vector.transfer_write %[[R]], %{{.+}} : vector<1x1x11x32xf32>, tensor<1x55x55x96xf32>
// CHECK-NOT: linalg.generic
// CHECK: return
// One FMA per output column and input channel (11 x 3 = 33), no contraction.
// LOWER-LABEL: func.func @alexnet_conv1_relu
// LOWER-COUNT-33: vector.fma
// LOWER-NOT: vector.fma
// LOWER: return
func.func @alexnet_conv1_relu(%x: tensor<1x227x227x3xf32>, %w: tensor<96x11x11x3xf32>, %b: tensor<96xf32>) -> tensor<1x55x55x96xf32> {
  %0 = cnn.conv2d %x, %w, %b stride [4] : (tensor<1x227x227x3xf32>, tensor<96x11x11x3xf32>, tensor<96xf32>) -> tensor<1x55x55x96xf32>
  %1 = cnn.relu %0 : (tensor<1x55x55x96xf32>) -> tensor<1x55x55x96xf32>
  return %1 : tensor<1x55x55x96xf32>
}

// -----

// Large VGG layer: the 1x7x32 accumulator is carried across the three
// reduction loops (FH, FW, then C by 4), each step a single contraction of
// a 7x4 input block with a 4x32 filter block.
// CHECK-LABEL: func.func @vgg_conv_large
// CHECK: %[[INIT:.+]] = vector.shape_cast %{{.+}} : vector<1x1x7x32xf32> to vector<1x7x32xf32>
// CHECK: %[[ACC:.+]] = scf.for %{{.+}} iter_args(%[[A:.+]] = %[[INIT]]) -> (vector<1x7x32xf32>)
// CHECK: scf.for %{{.+}} iter_args(%[[B:.+]] = %[[A]]) -> (vector<1x7x32xf32>)
// CHECK: scf.for %{{.+}} iter_args(%[[C:.+]] = %[[B]]) -> (vector<1x7x32xf32>)
// CHECK-NOT: linalg.
// CHECK: vector.transfer_read %{{.+}} : tensor<1x16x16x512xf32>, vector<1x7x4xf32>
// CHECK: vector.contract
// CHECK-SAME: %[[C]] : vector<1x7x4xf32>, vector<4x32xf32> into vector<1x7x32xf32>
// CHECK-NOT: linalg.
// CHECK: scf.yield
// CHECK: vector.transfer_write %[[ACC]]
// 7 columns x 4 channels broadcast into FMAs on the two 16-lane vectors of
// 32 output channels (after unrolling to 1-D vectors).
// LOWER-LABEL: func.func @vgg_conv_large
// LOWER: vector.fma {{.*}} : vector<32xf32>
// LOWER: return
func.func @vgg_conv_large(%x: tensor<1x14x14x512xf32>, %w: tensor<512x3x3x512xf32>, %b: tensor<512xf32>) -> tensor<1x14x14x512xf32> {
  %0 = cnn.conv2d %x, %w, %b padding [1] : (tensor<1x14x14x512xf32>, tensor<512x3x3x512xf32>, tensor<512xf32>) -> tensor<1x14x14x512xf32>
  return %0 : tensor<1x14x14x512xf32>
}

// -----

// Max pool 3x3/2: the 1x3x32 running maximum starts as a -inf constant
// vector and is a vector iter_arg of the FH and FW loops; the body is vector
// maxima (nnan nsz: single vmaxps instructions), no linalg op. The -inf tile
// is not stored to the output before the loops (the result overwrites it).
// CHECK-LABEL: func.func @max_pool
// CHECK: %[[INIT:.+]] = arith.constant dense<0xFF800000> : vector<1x3x32xf32>
// CHECK-NOT: vector.transfer_write
// CHECK: %[[ACC:.+]] = scf.for %{{.+}} iter_args(%[[A:.+]] = %[[INIT]]) -> (vector<1x3x32xf32>)
// CHECK: scf.for %{{.+}} iter_args(%{{.+}} = %[[A]]) -> (vector<1x3x32xf32>)
// CHECK-NOT: linalg.
// CHECK: arith.maximumf %{{[^ ]+}}, %{{[^ ]+}} fastmath<nnan,nsz> : vector<1x1x32xf32>
// CHECK-NOT: linalg.
// CHECK: scf.yield %{{.+}} : vector<1x3x32xf32>
// CHECK: vector.transfer_write %[[ACC]]
// (lower-vectors keeps the unit dimensions of the maxima: vector<1x1x32xf32>.)
// LOWER-LABEL: func.func @max_pool
// LOWER: arith.maximumf %{{.+}}, %{{.+}} : vector<1x1x32xf32>
func.func @max_pool(%x: tensor<1x55x55x96xf32>) -> tensor<1x27x27x96xf32> {
  %0 = cnn.max_pool2d %x window [3] stride [2] : (tensor<1x55x55x96xf32>) -> tensor<1x27x27x96xf32>
  return %0 : tensor<1x27x27x96xf32>
}

// -----

// Average pool: vector sums carried across the window loops, then the
// divisor on the vector tile.
// CHECK-LABEL: func.func @avg_pool
// CHECK: scf.for %{{.+}} iter_args(%{{.+}} = %{{.+}}) -> (vector<1x3x32xf32>)
// CHECK: scf.for %{{.+}} iter_args(%{{.+}} = %{{.+}}) -> (vector<1x3x32xf32>)
// CHECK-NOT: linalg.
// CHECK: arith.addf %{{.+}}, %{{.+}} : vector<1x1x32xf32>
// CHECK: arith.divf %{{.+}}, %{{.+}} : vector<1x1x3x32xf32>
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @avg_pool(%x: tensor<1x55x55x96xf32>) -> tensor<1x27x27x96xf32> {
  %0 = cnn.avg_pool2d %x window [3] stride [2] : (tensor<1x55x55x96xf32>) -> tensor<1x27x27x96xf32>
  return %0 : tensor<1x27x27x96xf32>
}

// -----

// OW = 17: the main tiles (8 columns) and the peeled remainder (1 column)
// both vectorize.
// CHECK-LABEL: func.func @conv_ow17
// CHECK: vector.contract
// CHECK-SAME: vector<1x8x4xf32>, vector<4x32xf32> into vector<1x8x32xf32>
// CHECK: scf.yield %{{.+}} : vector<1x8x32xf32>
// CHECK: vector.contract
// CHECK-SAME: vector<1x1x4xf32>, vector<4x32xf32> into vector<1x1x32xf32>
// CHECK: scf.yield %{{.+}} : vector<1x1x32xf32>
// LOWER-LABEL: func.func @conv_ow17
// LOWER: vector.fma
func.func @conv_ow17(%x: tensor<1x19x19x4xf32>, %w: tensor<32x3x3x4xf32>) -> tensor<1x17x17x32xf32> {
  %0 = cnn.conv2d %x, %w : (tensor<1x19x19x4xf32>, tensor<32x3x3x4xf32>) -> tensor<1x17x17x32xf32>
  return %0 : tensor<1x17x17x32xf32>
}
