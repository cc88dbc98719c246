// The #cnn.strategy chosen by convforge-select-strategy (rules in
// lib/Codegen/StrategySelection.cpp), for a fixed target so that the result
// does not depend on the machine running the test:
//   prefix CHECK, 512-bit vectors (16 f32 lanes), 32 registers, L2 1024 KiB;
//   prefix AVX2,  256-bit vectors (8 lanes), 16 registers, L2 256 KiB.
// Notation: lanes L; kTile = vectorDimTile(K) = 2L if 2L | K, else L if L | K,
// else K if K < L, else L; vectors per row v = ceil(kTile / L); the width
// limit is min(14, (registers - v - 4) / v), and the width tile is OW if
// OW <= limit, else the largest divisor of OW in [4, limit], else
// min(limit, 8) (peeled). Conv loops are (N, OH, OW, K, FH, FW, C); the
// input channels C are tiled by 4 when 4 divides C > 4, else by their
// largest divisor in [4, 8] when C > 8.
// The cache level blocks K when the whole filter (FH*FW*C*4*K bytes)
// exceeds three quarters of L2, in blocks that fit in half of it.

// RUN: convforge-opt %s --split-input-file --convforge-lower-to-linalg \
// RUN:   --convforge-select-strategy="vector-bits=512 vector-registers=32 l1-kib=32 l2-kib=1024" \
// RUN:   | FileCheck %s
// RUN: convforge-opt %s --split-input-file --convforge-lower-to-linalg \
// RUN:   --convforge-select-strategy="vector-bits=256 vector-registers=16 l1-kib=32 l2-kib=256" \
// RUN:   | FileCheck %s --check-prefix=AVX2

// AlexNet conv1 of the CS231n notes: 227x227x3, 96 filters 11x11, stride 4
// -> 55x55x96.
// 512: kTile = 32 (32 | 96), v = 2, limit = min(14, 28/2) = 14, 55 > 14 and
// its largest divisor in [4, 14] is 11; C = 3 <= 8: untiled. Filter
// 11*11*3*4*96 = 139,392 B < 512 KiB: no cache level.
// 256: kTile = 16 (16 | 96), v = 2, limit = (16-2-2)/2 = 6, divisor of 55 in
// [4, 6] = 5. Filter 139,392 B < 192 KiB (three quarters of 256 KiB): no
// cache level either.
// CHECK-LABEL: func.func @alexnet_conv1
// CHECK: linalg.transpose
// CHECK-NOT: cnn.strategy
// CHECK: linalg.conv_2d_nhwc_hwcf {cnn.strategy = #cnn.strategy<cache = [], interchange = [], register = [1, 1, 11, 32, 0, 0, 0], reduction = [0, 0, 0, 0, 1, 1, 0], vector_width = 16>
// CHECK-SAME: strides = dense<4>
// CHECK-NOT: cnn.strategy
// CHECK: return
// AVX2-LABEL: func.func @alexnet_conv1
// AVX2: linalg.conv_2d_nhwc_hwcf {cnn.strategy = #cnn.strategy<cache = [], interchange = [], register = [1, 1, 5, 16, 0, 0, 0], reduction = [0, 0, 0, 0, 1, 1, 0], vector_width = 8>
func.func @alexnet_conv1(%x: tensor<1x227x227x3xf32>, %w: tensor<96x11x11x3xf32>, %b: tensor<96xf32>) -> tensor<1x55x55x96xf32> {
  %0 = cnn.conv2d %x, %w, %b stride [4] : (tensor<1x227x227x3xf32>, tensor<96x11x11x3xf32>, tensor<96xf32>) -> tensor<1x55x55x96xf32>
  return %0 : tensor<1x55x55x96xf32>
}

// -----

// VGG 3x3 layer, 56x56x64 -> 64, padding 1.
// 512: kTile = 32, limit (32 - 2 - 4) / 2 = 13, the largest divisor of 56 in
// [4, 13] is 8; C = 64: reduction tile 4. Filter 3*3*64*4*64 =
// 147,456 B < 512 KiB.
// 256: kTile = 16, limit (16 - 2 - 4) / 2 = 5, divisor of 56 in [4, 5] = 4.
// Filter 147,456 B < 192 KiB: no cache level.
// CHECK-LABEL: func.func @vgg_conv3x3
// CHECK: linalg.conv_2d_nhwc_hwcf {cnn.nonzero_input_columns = array<i64: 1, 57, 58>, cnn.nonzero_input_rows = array<i64: 1, 57, 58>, cnn.strategy = #cnn.strategy<cache = [], interchange = [], register = [1, 1, 8, 32, 0, 0, 0], reduction = [0, 0, 0, 0, 1, 1, 4], vector_width = 16>
// AVX2-LABEL: func.func @vgg_conv3x3
// AVX2: linalg.conv_2d_nhwc_hwcf {cnn.nonzero_input_columns = array<i64: 1, 57, 58>, cnn.nonzero_input_rows = array<i64: 1, 57, 58>, cnn.strategy = #cnn.strategy<cache = [], interchange = [], register = [1, 1, 4, 16, 0, 0, 0], reduction = [0, 0, 0, 0, 1, 1, 4], vector_width = 8>
func.func @vgg_conv3x3(%x: tensor<1x56x56x64xf32>, %w: tensor<64x3x3x64xf32>, %b: tensor<64xf32>) -> tensor<1x56x56x64xf32> {
  %0 = cnn.conv2d %x, %w, %b padding [1] : (tensor<1x56x56x64xf32>, tensor<64x3x3x64xf32>, tensor<64xf32>) -> tensor<1x56x56x64xf32>
  return %0 : tensor<1x56x56x64xf32>
}

// -----

// Large VGG layer, 14x14x512 -> 512, 3x3, padding 1: the cache level.
// 512: kTile = 32, OW = 14 > 13: its divisor 7; C = 512: reduction 4. The
// filter, 3*3*512*4*512 = 9,437,184 B, exceeds 512 KiB: 16 blocks of 32
// channels; one block is 589,824 B, more than the budget, so 1 block
// (K tile 32) per cache tile, K blocks iterated outermost.
// 256: kTile = 16, limit 5, 14 has no divisor in [4, 5]: min(5, 8) = 5
// (peeled). One block of 16 channels is 294,912 B > 128 KiB: cache K tile 16.
// CHECK-LABEL: func.func @vgg_conv_large
// CHECK: linalg.conv_2d_nhwc_hwcf {cnn.nonzero_input_columns = array<i64: 1, 15, 16>, cnn.nonzero_input_rows = array<i64: 1, 15, 16>, cnn.strategy = #cnn.strategy<cache = [1, 0, 0, 32, 0, 0, 0], interchange = [3, 0, 1, 2, 4, 5, 6], register = [1, 1, 7, 32, 0, 0, 0], reduction = [0, 0, 0, 0, 1, 1, 4], vector_width = 16>
// AVX2-LABEL: func.func @vgg_conv_large
// AVX2: linalg.conv_2d_nhwc_hwcf {cnn.nonzero_input_columns = array<i64: 1, 15, 16>, cnn.nonzero_input_rows = array<i64: 1, 15, 16>, cnn.strategy = #cnn.strategy<cache = [1, 0, 0, 16, 0, 0, 0], interchange = [3, 0, 1, 2, 4, 5, 6], register = [1, 1, 5, 16, 0, 0, 0], reduction = [0, 0, 0, 0, 1, 1, 4], vector_width = 8>
func.func @vgg_conv_large(%x: tensor<1x14x14x512xf32>, %w: tensor<512x3x3x512xf32>, %b: tensor<512xf32>) -> tensor<1x14x14x512xf32> {
  %0 = cnn.conv2d %x, %w, %b padding [1] : (tensor<1x14x14x512xf32>, tensor<512x3x3x512xf32>, tensor<512xf32>) -> tensor<1x14x14x512xf32>
  return %0 : tensor<1x14x14x512xf32>
}

// -----

// ResNet's 3x3 layer of stride 2, 56x56x128 -> 28x28x128, padding 1 (floor).
// 512: kTile = 32, limit 13, divisor of 28 in [4, 13] = 7. Filter
// 3*3*128*4*128 = 589,824 B: more than half of L2 but less than three
// quarters (786,432 B): not blocked, so that each thread reads its rows of
// the input once.
// 256: kTile = 16, limit 5, divisor of 28 = 4. Filter > 192 KiB: 8 blocks of
// 16, one is 73,728 B, 1 fits in 128 KiB: cache K tile 16.
// CHECK-LABEL: func.func @resnet_conv_stride2
// CHECK: cnn.strategy = #cnn.strategy<cache = [], interchange = [], register = [1, 1, 7, 32, 0, 0, 0], reduction = [0, 0, 0, 0, 1, 1, 4], vector_width = 16>
// AVX2-LABEL: func.func @resnet_conv_stride2
// AVX2: cnn.strategy = #cnn.strategy<cache = [1, 0, 0, 16, 0, 0, 0], interchange = [3, 0, 1, 2, 4, 5, 6], register = [1, 1, 4, 16, 0, 0, 0], reduction = [0, 0, 0, 0, 1, 1, 4], vector_width = 8>
func.func @resnet_conv_stride2(%x: tensor<1x56x56x128xf32>, %w: tensor<128x3x3x128xf32>, %b: tensor<128xf32>) -> tensor<1x28x28x128xf32> {
  %0 = cnn.conv2d %x, %w, %b stride [2] padding [1] rounding floor : (tensor<1x56x56x128xf32>, tensor<128x3x3x128xf32>, tensor<128xf32>) -> tensor<1x28x28x128xf32>
  return %0 : tensor<1x28x28x128xf32>
}

// -----

// The 14x14x512 layer on a batch of 4: the filter blocks are iterated
// inside the loop over images (interchange N, K, OH, OW), so that an image's input,
// which every block reads, stays in cache while the blocks stream.
// CHECK-LABEL: func.func @vgg_conv_large_batch
// CHECK: cnn.strategy = #cnn.strategy<cache = [1, 0, 0, 32, 0, 0, 0], interchange = [0, 3, 1, 2, 4, 5, 6], register = [1, 1, 7, 32, 0, 0, 0]
func.func @vgg_conv_large_batch(%x: tensor<4x14x14x512xf32>, %w: tensor<512x3x3x512xf32>, %b: tensor<512xf32>) -> tensor<4x14x14x512xf32> {
  %0 = cnn.conv2d %x, %w, %b padding [1] : (tensor<4x14x14x512xf32>, tensor<512x3x3x512xf32>, tensor<512xf32>) -> tensor<4x14x14x512xf32>
  return %0 : tensor<4x14x14x512xf32>
}

// -----

// 1x1 convolution, 56x56x64 -> 256: as the 3x3 layer, but the filter
// (1*1*64*4*256 = 65,536 B) fits in half of either L2: no cache level.
// CHECK-LABEL: func.func @conv1x1
// CHECK: linalg.conv_2d_nhwc_hwcf {cnn.strategy = #cnn.strategy<cache = [], interchange = [], register = [1, 1, 8, 32, 0, 0, 0], reduction = [0, 0, 0, 0, 1, 1, 4], vector_width = 16>
// AVX2-LABEL: func.func @conv1x1
// AVX2: linalg.conv_2d_nhwc_hwcf {cnn.strategy = #cnn.strategy<cache = [], interchange = [], register = [1, 1, 4, 16, 0, 0, 0], reduction = [0, 0, 0, 0, 1, 1, 4], vector_width = 8>
func.func @conv1x1(%x: tensor<1x56x56x64xf32>, %w: tensor<256x1x1x64xf32>, %b: tensor<256xf32>) -> tensor<1x56x56x256xf32> {
  %0 = cnn.conv2d %x, %w, %b : (tensor<1x56x56x64xf32>, tensor<256x1x1x64xf32>, tensor<256xf32>) -> tensor<1x56x56x256xf32>
  return %0 : tensor<1x56x56x256xf32>
}

// -----

// K = 10 < 16 lanes: one vector of 10 lanes (v = 1), limit min(14, 27) = 14,
// OW = 10 fits whole. 256: 10 is neither a multiple of 8 nor below it: a tile
// of 8 (the remainder of 2 is peeled); limit min(14, 11) = 11.
// CHECK-LABEL: func.func @conv_k10
// CHECK: linalg.conv_2d_nhwc_hwcf {cnn.strategy = #cnn.strategy<cache = [], interchange = [], register = [1, 1, 10, 10, 0, 0, 0], reduction = [0, 0, 0, 0, 1, 1, 0], vector_width = 16>
// AVX2-LABEL: func.func @conv_k10
// AVX2: linalg.conv_2d_nhwc_hwcf {cnn.strategy = #cnn.strategy<cache = [], interchange = [], register = [1, 1, 10, 8, 0, 0, 0], reduction = [0, 0, 0, 0, 1, 1, 0], vector_width = 8>
func.func @conv_k10(%x: tensor<1x12x12x3xf32>, %w: tensor<10x3x3x3xf32>) -> tensor<1x10x10x10xf32> {
  %0 = cnn.conv2d %x, %w : (tensor<1x12x12x3xf32>, tensor<10x3x3x3xf32>) -> tensor<1x10x10x10xf32>
  return %0 : tensor<1x10x10x10xf32>
}

// -----

// K = 20: not a multiple of 16 and not below it: one vector of 16 (the
// remaining 4 channels are peeled). 256: 8 likewise.
// CHECK-LABEL: func.func @conv_k20
// CHECK: linalg.conv_2d_nhwc_hwcf {cnn.strategy = #cnn.strategy<cache = [], interchange = [], register = [1, 1, 10, 16, 0, 0, 0], reduction = [0, 0, 0, 0, 1, 1, 0], vector_width = 16>
// AVX2-LABEL: func.func @conv_k20
// AVX2: linalg.conv_2d_nhwc_hwcf {cnn.strategy = #cnn.strategy<cache = [], interchange = [], register = [1, 1, 10, 8, 0, 0, 0], reduction = [0, 0, 0, 0, 1, 1, 0], vector_width = 8>
func.func @conv_k20(%x: tensor<1x12x12x3xf32>, %w: tensor<20x3x3x3xf32>) -> tensor<1x10x10x20xf32> {
  %0 = cnn.conv2d %x, %w : (tensor<1x12x12x3xf32>, tensor<20x3x3x3xf32>) -> tensor<1x10x10x20xf32>
  return %0 : tensor<1x10x10x20xf32>
}

// -----

// OW = 17 (prime): larger than the limit (13, resp. 5) with no divisor in
// [4, limit]: min(limit, 8), i.e. 8 (512) and 5 (256), with a peeled rest.
// C = 8: tiles of 4 channels.
// CHECK-LABEL: func.func @conv_ow17
// CHECK: linalg.conv_2d_nhwc_hwcf {cnn.strategy = #cnn.strategy<cache = [], interchange = [], register = [1, 1, 8, 32, 0, 0, 0], reduction = [0, 0, 0, 0, 1, 1, 4], vector_width = 16>
// AVX2-LABEL: func.func @conv_ow17
// AVX2: linalg.conv_2d_nhwc_hwcf {cnn.strategy = #cnn.strategy<cache = [], interchange = [], register = [1, 1, 5, 16, 0, 0, 0], reduction = [0, 0, 0, 0, 1, 1, 4], vector_width = 8>
func.func @conv_ow17(%x: tensor<1x19x19x8xf32>, %w: tensor<32x3x3x8xf32>) -> tensor<1x17x17x32xf32> {
  %0 = cnn.conv2d %x, %w : (tensor<1x19x19x8xf32>, tensor<32x3x3x8xf32>) -> tensor<1x17x17x32xf32>
  return %0 : tensor<1x17x17x32xf32>
}

// -----

// Max pool 3x3/2 on 55x55x96 -> 27x27x96, loops (N, OH, OW, C, FH, FW): the
// channels in runs of four vectors when they divide C (256-bit: 4 x 8 =
// 32), else as the conv's K (512-bit: 32); eight accumulators, so the width
// tile is the largest divisor of OW = 27 up to 8 / vectors: 3 (512-bit,
// 2 vectors), 1 (256-bit, 4 vectors). The window loops are tiled by 1. The
// -inf fill gets no strategy.
// CHECK-LABEL: func.func @max_pool
// CHECK: linalg.fill
// CHECK-NOT: cnn.strategy
// CHECK: linalg.pooling_nhwc_max {cnn.strategy = #cnn.strategy<cache = [], interchange = [], register = [1, 1, 3, 32, 0, 0], reduction = [0, 0, 0, 0, 1, 1], vector_width = 16>
// AVX2-LABEL: func.func @max_pool
// AVX2: linalg.pooling_nhwc_max {cnn.strategy = #cnn.strategy<cache = [], interchange = [], register = [1, 1, 1, 32, 0, 0], reduction = [0, 0, 0, 0, 1, 1], vector_width = 8>
func.func @max_pool(%x: tensor<1x55x55x96xf32>) -> tensor<1x27x27x96xf32> {
  %0 = cnn.max_pool2d %x window [3] stride [2] : (tensor<1x55x55x96xf32>) -> tensor<1x27x27x96xf32>
  return %0 : tensor<1x27x27x96xf32>
}

// -----

// Average pool 3x3/2 on 55x55x96: the sum pool as the max pool; the
// divisor generic (elementwise, loops N, OH, OW, C) gets an elementwise
// strategy of its own, which tiling ignores: it is fused into the pool's
// tiles.
// CHECK-LABEL: func.func @avg_pool
// CHECK: linalg.pooling_nhwc_sum {cnn.strategy = #cnn.strategy<cache = [], interchange = [], register = [1, 1, 3, 32, 0, 0], reduction = [0, 0, 0, 0, 1, 1], vector_width = 16>
// CHECK: linalg.generic
// CHECK-SAME: attrs = {cnn.strategy = #cnn.strategy<cache = [], interchange = [], register = [1, 1, 9, 32], reduction = [0, 0, 0, 0], vector_width = 16>}
// CHECK: arith.divf
// AVX2-LABEL: func.func @avg_pool
// AVX2: linalg.pooling_nhwc_sum {cnn.strategy = #cnn.strategy<cache = [], interchange = [], register = [1, 1, 1, 32, 0, 0], reduction = [0, 0, 0, 0, 1, 1], vector_width = 8>
// AVX2: linalg.generic
// AVX2-SAME: attrs = {cnn.strategy = #cnn.strategy<cache = [], interchange = [], register = [1, 1, 5, 16], reduction = [0, 0, 0, 0], vector_width = 8>}
func.func @avg_pool(%x: tensor<1x55x55x96xf32>) -> tensor<1x27x27x96xf32> {
  %0 = cnn.avg_pool2d %x window [3] stride [2] : (tensor<1x55x55x96xf32>) -> tensor<1x27x27x96xf32>
  return %0 : tensor<1x27x27x96xf32>
}

// -----

// Dense layers (linalg.matmul, loops M, N, K): vectors along N, one row, K
// tiled by its largest divisor in [8, 64] when K > 64.
// fc1 of LeNet (400 -> 120): 120 is not a multiple of 16: N tile 16 (peeled
// rest 8); K tile 50. 256: 8 | 120: 8.
// fc6 of AlexNet (9216 -> 4096): N tile 32 (16 on 256 bits), K tile 64.
// CHECK-LABEL: func.func @dense
// CHECK: linalg.broadcast
// CHECK-NOT: cnn.strategy
// CHECK: linalg.matmul
// CHECK-SAME: {cnn.strategy = #cnn.strategy<cache = [], interchange = [], register = [1, 16, 0], reduction = [0, 0, 50], vector_width = 16>}
// CHECK-SAME: tensor<1x400xf32>, tensor<120x400xf32>
// CHECK: linalg.matmul
// CHECK-SAME: {cnn.strategy = #cnn.strategy<cache = [], interchange = [], register = [1, 32, 0], reduction = [0, 0, 64], vector_width = 16>}
// CHECK-SAME: tensor<1x9216xf32>, tensor<4096x9216xf32>
// AVX2-LABEL: func.func @dense
// AVX2: linalg.matmul
// AVX2-SAME: {cnn.strategy = #cnn.strategy<cache = [], interchange = [], register = [1, 8, 0], reduction = [0, 0, 50], vector_width = 8>}
// AVX2: linalg.matmul
// AVX2-SAME: {cnn.strategy = #cnn.strategy<cache = [], interchange = [], register = [1, 16, 0], reduction = [0, 0, 64], vector_width = 8>}
func.func @dense(%x: tensor<1x400xf32>, %w: tensor<120x400xf32>, %b: tensor<120xf32>,
                 %x6: tensor<1x9216xf32>, %w6: tensor<4096x9216xf32>) -> (tensor<1x120xf32>, tensor<1x4096xf32>) {
  %0 = cnn.dense %x, %w, %b : (tensor<1x400xf32>, tensor<120x400xf32>, tensor<120xf32>) -> tensor<1x120xf32>
  %1 = cnn.dense %x6, %w6 : (tensor<1x9216xf32>, tensor<4096x9216xf32>) -> tensor<1x4096xf32>
  return %0, %1 : tensor<1x120xf32>, tensor<1x4096xf32>
}

// -----

// ReLU (an all-parallel generic): vectors along the innermost dimension
// (96 channels: 32, resp. 16), the width tile on the next one (55: 11,
// resp. 5), 1 elsewhere; no reduction.
// CHECK-LABEL: func.func @relu
// CHECK: linalg.generic
// CHECK-SAME: attrs = {cnn.strategy = #cnn.strategy<cache = [], interchange = [], register = [1, 1, 11, 32], reduction = [0, 0, 0, 0], vector_width = 16>}
// CHECK: arith.maximumf
// AVX2-LABEL: func.func @relu
// AVX2: linalg.generic
// AVX2-SAME: attrs = {cnn.strategy = #cnn.strategy<cache = [], interchange = [], register = [1, 1, 5, 16], reduction = [0, 0, 0, 0], vector_width = 8>}
func.func @relu(%x: tensor<1x55x55x96xf32>) -> tensor<1x55x55x96xf32> {
  %0 = cnn.relu %x : (tensor<1x55x55x96xf32>) -> tensor<1x55x55x96xf32>
  return %0 : tensor<1x55x55x96xf32>
}

// -----

// The ReLU after a dense layer is a 2-D generic: [1, N tile].
// CHECK-LABEL: func.func @dense_relu
// CHECK: linalg.matmul
// CHECK-SAME: register = [1, 32, 0], reduction = [0, 0, 0]
// CHECK: linalg.generic
// CHECK-SAME: attrs = {cnn.strategy = #cnn.strategy<cache = [], interchange = [], register = [1, 32], reduction = [0, 0], vector_width = 16>}
func.func @dense_relu(%x: tensor<1x64xf32>, %w: tensor<64x64xf32>) -> tensor<1x64xf32> {
  %0 = cnn.dense %x, %w : (tensor<1x64xf32>, tensor<64x64xf32>) -> tensor<1x64xf32>
  %1 = cnn.relu %0 : (tensor<1x64xf32>) -> tensor<1x64xf32>
  return %1 : tensor<1x64xf32>
}

// -----

// Locally-connected layer (a generic with 4 parallel then 3 reduction
// loops): one output position at a time, K = 8 in one vector (8 < 16 lanes;
// 8 | 8 on 256 bits), the filter taps tiled by 1.
// CHECK-LABEL: func.func @locally_connected
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]
// CHECK-SAME: attrs = {cnn.strategy = #cnn.strategy<cache = [], interchange = [], register = [1, 1, 1, 8, 0, 0, 0], reduction = [0, 0, 0, 0, 1, 1, 0], vector_width = 16>}
// AVX2-LABEL: func.func @locally_connected
// AVX2: linalg.generic
// AVX2-SAME: attrs = {cnn.strategy = #cnn.strategy<cache = [], interchange = [], register = [1, 1, 1, 8, 0, 0, 0], reduction = [0, 0, 0, 0, 1, 1, 0], vector_width = 8>}
func.func @locally_connected(%x: tensor<1x6x6x3xf32>, %w: tensor<4x4x8x3x3x3xf32>) -> tensor<1x4x4x8xf32> {
  %0 = cnn.locally_connected2d %x, %w : (tensor<1x6x6x3xf32>, tensor<4x4x8x3x3x3xf32>) -> tensor<1x4x4x8xf32>
  return %0 : tensor<1x4x4x8xf32>
}

// -----

// Ops of dynamic shape, and linalg ops that are neither convolutions, pools,
// matmuls nor elementwise (a transpose), get no strategy.
// CHECK-LABEL: func.func @no_strategy
// CHECK-NOT: cnn.strategy
// CHECK: return
func.func @no_strategy(%a: tensor<?x16xf32>, %b: tensor<16x32xf32>, %c: tensor<?x32xf32>,
                       %t: tensor<4x8xf32>, %u: tensor<8x4xf32>) -> (tensor<?x32xf32>, tensor<8x4xf32>) {
  %0 = linalg.matmul ins(%a, %b : tensor<?x16xf32>, tensor<16x32xf32>) outs(%c : tensor<?x32xf32>) -> tensor<?x32xf32>
  %1 = linalg.transpose ins(%t : tensor<4x8xf32>) outs(%u : tensor<8x4xf32>) permutation = [1, 0]
  return %0, %1 : tensor<?x32xf32>, tensor<8x4xf32>
}
