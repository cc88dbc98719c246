// convforge-tile applies the strategies chosen for a fixed 512-bit target
// (16 lanes, 32 registers, L2 1024 KiB; see select-strategy.mlir for how
// they are chosen).
// RUN: convforge-opt %s --split-input-file --convforge-lower-to-linalg \
// RUN:   --convforge-select-strategy="vector-bits=512 vector-registers=32 l1-kib=32 l2-kib=1024" \
// RUN:   --convforge-tile | FileCheck %s
// Every tile, main or peeled remainder, has a static shape.
// RUN: convforge-opt %s --split-input-file --convforge-lower-to-linalg \
// RUN:   --convforge-select-strategy="vector-bits=512 vector-registers=32 l1-kib=32 l2-kib=1024" \
// RUN:   --convforge-tile | FileCheck %s --check-prefix=STATIC
// STATIC-NOT: {{tensor<[0-9x]*\?}}

// AlexNet conv1 + ReLU, strategy register [1, 1, 11, 32, 0, 0, 0],
// reduction [0, 0, 0, 0, 1, 1, 0]. The ReLU is the root of the loops: OH
// (step 1), OW (step 11), K (step 32; the N loop of one iteration folds
// away); inside, the bias broadcast into the 1x1x11x32 tile, the FH and FW
// reduction loops (step 1) carrying it, the conv on the tile, then the ReLU
// on the tile. Nothing stays untiled at function level but the filter
// transpose.
// CHECK-LABEL: func.func @alexnet_conv1_relu
// CHECK-DAG: %[[C0:.+]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.+]] = arith.constant 1 : index
// CHECK-DAG: %[[C11:.+]] = arith.constant 11 : index
// CHECK-DAG: %[[C32:.+]] = arith.constant 32 : index
// CHECK-DAG: %[[C55:.+]] = arith.constant 55 : index
// CHECK-DAG: %[[C96:.+]] = arith.constant 96 : index
// CHECK: %[[WT:.+]] = linalg.transpose
// CHECK-NOT: linalg.conv_2d_nhwc_hwcf
// CHECK-NOT: linalg.generic
// CHECK-NOT: linalg.broadcast
// CHECK: scf.for %{{.+}} = %[[C0]] to %[[C55]] step %[[C1]]
// CHECK: scf.for %{{.+}} = %[[C0]] to %[[C55]] step %[[C11]]
// CHECK: scf.for %[[K:.+]] = %[[C0]] to %[[C96]] step %[[C32]]
// CHECK: %[[WK:.+]] = tensor.extract_slice %[[WT]][0, 0, 0, %[[K]]] [11, 11, 3, 32]
// CHECK: %[[INIT:.+]] = linalg.broadcast ins(%{{.+}} : tensor<32xf32>) outs(%{{.+}} : tensor<1x1x11x32xf32>)
// CHECK: %[[ACC:.+]] = scf.for %[[FH:[^ ]+]] = %[[C0]] to %[[C11]] step %[[C1]] iter_args(%{{.+}} = %[[INIT]]) -> (tensor<1x1x11x32xf32>)
// CHECK: scf.for %[[FW:[^ ]+]] = %[[C0]] to %[[C11]] step %[[C1]] iter_args(%{{.+}} = %{{.+}}) -> (tensor<1x1x11x32xf32>)
// CHECK: tensor.extract_slice %[[WK]][%[[FH]], %[[FW]], 0, 0] [1, 1, 3, 32]
// CHECK: linalg.conv_2d_nhwc_hwcf
// CHECK-SAME: ins(%{{.+}}, %{{.+}} : tensor<1x1x41x3xf32>, tensor<1x1x3x32xf32>)
// CHECK-SAME: outs(%{{.+}} : tensor<1x1x11x32xf32>)
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[ACC]] : tensor<1x1x11x32xf32>)
// CHECK: arith.maximumf
// CHECK: tensor.insert_slice %{{.+}} into %{{.+}}[0, %{{.+}}, %{{.+}}, %[[K]]] [1, 1, 11, 32]
// CHECK-NOT: linalg.
// CHECK: return
func.func @alexnet_conv1_relu(%x: tensor<1x227x227x3xf32>, %w: tensor<96x11x11x3xf32>, %b: tensor<96xf32>) -> tensor<1x55x55x96xf32> {
  %0 = cnn.conv2d %x, %w, %b stride [4] : (tensor<1x227x227x3xf32>, tensor<96x11x11x3xf32>, tensor<96xf32>) -> tensor<1x55x55x96xf32>
  %1 = cnn.relu %0 : (tensor<1x55x55x96xf32>) -> tensor<1x55x55x96xf32>
  return %1 : tensor<1x55x55x96xf32>
}

// -----

// OW = 17 with a width tile of 8: the OW loop is peeled into a main loop
// over [0, 16) step 8 and a remainder tile of static width 1 at column 16
// (a single iteration, inlined), each with its own zero fill and reduction
// loops. K = 32 is one tile: no K loop.
// CHECK-LABEL: func.func @conv_ow17
// CHECK-DAG: %[[C0:.+]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.+]] = arith.constant 1 : index
// CHECK-DAG: %[[C3:.+]] = arith.constant 3 : index
// CHECK-DAG: %[[C8:.+]] = arith.constant 8 : index
// CHECK-DAG: %[[C16:.+]] = arith.constant 16 : index
// CHECK-DAG: %[[C17:.+]] = arith.constant 17 : index
// CHECK-NOT: linalg.conv_2d_nhwc_hwcf
// CHECK: scf.for %[[OH:.+]] = %[[C0]] to %[[C17]] step %[[C1]]
// CHECK: %[[MAIN:.+]] = scf.for %{{.+}} = %[[C0]] to %[[C16]] step %[[C8]]
// CHECK: linalg.fill {cnn.register_tile} ins(%{{.+}} : f32) outs(%{{.+}} : tensor<1x1x8x32xf32>)
// CHECK: scf.for %{{.+}} = %[[C0]] to %[[C3]] step %[[C1]]
// CHECK: scf.for %{{.+}} = %[[C0]] to %[[C3]] step %[[C1]]
// CHECK: linalg.conv_2d_nhwc_hwcf
// CHECK-SAME: ins(%{{.+}}, %{{.+}} : tensor<1x1x8x4xf32>, tensor<1x1x4x32xf32>)
// CHECK-SAME: outs(%{{.+}} : tensor<1x1x8x32xf32>)
// CHECK: linalg.fill {cnn.register_tile} ins(%{{.+}} : f32) outs(%{{.+}} : tensor<1x1x1x32xf32>)
// CHECK-NOT: scf.for %{{.+}} step %[[C8]]
// CHECK: scf.for %{{.+}} = %[[C0]] to %[[C3]] step %[[C1]]
// CHECK: scf.for %{{.+}} = %[[C0]] to %[[C3]] step %[[C1]]
// CHECK: linalg.conv_2d_nhwc_hwcf
// CHECK-SAME: ins(%{{.+}}, %{{.+}} : tensor<1x1x1x4xf32>, tensor<1x1x4x32xf32>)
// CHECK-SAME: outs(%{{.+}} : tensor<1x1x1x32xf32>)
// CHECK: tensor.insert_slice %{{.+}} into %[[MAIN]][0, %[[OH]], 16, 0] [1, 1, 1, 32]
// CHECK-NOT: linalg.
// CHECK: return
func.func @conv_ow17(%x: tensor<1x19x19x4xf32>, %w: tensor<32x3x3x4xf32>) -> tensor<1x17x17x32xf32> {
  %0 = cnn.conv2d %x, %w : (tensor<1x19x19x4xf32>, tensor<32x3x3x4xf32>) -> tensor<1x17x17x32xf32>
  return %0 : tensor<1x17x17x32xf32>
}

// -----

// K = 20 with a channel tile of 16: one main tile of 16 channels and a
// peeled remainder of 4, both static.
// CHECK-LABEL: func.func @conv_k20
// CHECK: scf.for
// CHECK: linalg.fill {cnn.register_tile} ins(%{{.+}} : f32) outs(%{{.+}} : tensor<1x1x10x16xf32>)
// CHECK: linalg.conv_2d_nhwc_hwcf
// CHECK-SAME: outs(%{{.+}} : tensor<1x1x10x16xf32>)
// CHECK: tensor.insert_slice %{{.+}} into %{{.+}}[0, %{{.+}}, 0, 0] [1, 1, 10, 16]
// CHECK: linalg.fill {cnn.register_tile} ins(%{{.+}} : f32) outs(%{{.+}} : tensor<1x1x10x4xf32>)
// CHECK: linalg.conv_2d_nhwc_hwcf
// CHECK-SAME: ins(%{{.+}}, %{{.+}} : tensor<1x1x10x3xf32>, tensor<1x1x3x4xf32>)
// CHECK-SAME: outs(%{{.+}} : tensor<1x1x10x4xf32>)
// CHECK: tensor.insert_slice %{{.+}} into %{{.+}}[0, %{{.+}}, 0, 16] [1, 1, 10, 4]
func.func @conv_k20(%x: tensor<1x12x12x3xf32>, %w: tensor<20x3x3x3xf32>) -> tensor<1x10x10x20xf32> {
  %0 = cnn.conv2d %x, %w : (tensor<1x12x12x3xf32>, tensor<20x3x3x3xf32>) -> tensor<1x10x10x20xf32>
  return %0 : tensor<1x10x10x20xf32>
}

// -----

// Large VGG layer (cache [1, 0, 0, 32, 0, 0, 0], interchange K first): the
// outermost loop walks blocks of 32 output channels, taking the matching
// 3x3x512x32 filter block (read 1x1x4x32 at a time); inside, the register
// tiles (OH step 1, OW step 7, the 32 channels of the block) and the
// reduction loops FH, FW (step 1) and C (step 4). The loop over filter
// rows skips the padding rows: output row OH reads padded rows OH + FH, of
// which rows 1 to 14 hold the input, so FH runs from max(1 - OH, 0) to
// min(15 - OH, 3).
// CHECK: #[[FIRST_ROW:.+]] = affine_map<()[s0] -> (-s0 + 1, 0)>
// CHECK: #[[END_ROW:.+]] = affine_map<()[s0] -> (-s0 + 15, 3)>
// CHECK-LABEL: func.func @vgg_conv_large
// CHECK-DAG: %[[C0:.+]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.+]] = arith.constant 1 : index
// CHECK-DAG: %[[C3:.+]] = arith.constant 3 : index
// CHECK-DAG: %[[C7:.+]] = arith.constant 7 : index
// CHECK-DAG: %[[C4:.+]] = arith.constant 4 : index
// CHECK-DAG: %[[C14:.+]] = arith.constant 14 : index
// CHECK-DAG: %[[C32:.+]] = arith.constant 32 : index
// CHECK-DAG: %[[C512:.+]] = arith.constant 512 : index
// CHECK: %[[WT:.+]] = linalg.transpose
// CHECK-NOT: linalg.conv_2d_nhwc_hwcf
// CHECK: scf.for %[[KB:.+]] = %[[C0]] to %[[C512]] step %[[C32]] iter_args(%{{.+}} = %{{.+}}) -> (tensor<1x14x14x512xf32>)
// CHECK: %[[WK:.+]] = tensor.extract_slice %[[WT]][0, 0, 0, %[[KB]]] [3, 3, 512, 32]
// CHECK: scf.for %[[OH:[^ ]+]] = %[[C0]] to %[[C14]] step %[[C1]] iter_args(%{{.+}} = %{{.+}}) -> (tensor<1x14x14x32xf32>)
// CHECK: scf.for %{{.+}} = %[[C0]] to %[[C14]] step %[[C7]] iter_args(%{{.+}} = %{{.+}}) -> (tensor<1x14x14x32xf32>)
// CHECK: linalg.broadcast ins(%{{.+}} : tensor<32xf32>) outs(%{{.+}} : tensor<1x1x7x32xf32>)
// CHECK: %[[FH_BEGIN:.+]] = affine.max #[[FIRST_ROW]]()[%[[OH]]]
// CHECK: %[[FH_END:.+]] = affine.min #[[END_ROW]]()[%[[OH]]]
// CHECK: scf.for %[[FH:[^ ]+]] = %[[FH_BEGIN]] to %[[FH_END]] step %[[C1]]
// CHECK: scf.for %[[FW:[^ ]+]] = %[[C0]] to %[[C3]] step %[[C1]]
// CHECK: scf.for %[[C:[^ ]+]] = %[[C0]] to %[[C512]] step %[[C4]]
// CHECK: tensor.extract_slice %[[WK]][%[[FH]], %[[FW]], %[[C]], 0] [1, 1, 4, 32]
// CHECK: linalg.conv_2d_nhwc_hwcf
// CHECK-SAME: ins(%{{.+}}, %{{.+}} : tensor<1x1x7x4xf32>, tensor<1x1x4x32xf32>)
// CHECK-SAME: outs(%{{.+}} : tensor<1x1x7x32xf32>)
// CHECK: tensor.insert_slice %{{.+}} into %{{.+}}[0, 0, 0, %[[KB]]] [1, 14, 14, 32]
// CHECK-NOT: linalg.
// CHECK: return
func.func @vgg_conv_large(%x: tensor<1x14x14x512xf32>, %w: tensor<512x3x3x512xf32>, %b: tensor<512xf32>) -> tensor<1x14x14x512xf32> {
  %0 = cnn.conv2d %x, %w, %b padding [1] : (tensor<1x14x14x512xf32>, tensor<512x3x3x512xf32>, tensor<512xf32>) -> tensor<1x14x14x512xf32>
  return %0 : tensor<1x14x14x512xf32>
}

// -----

// Average pool 3x3/2 on 55x55x96 (register [1, 1, 3, 32, 0, 0]): the
// divisor generic is the root, the sum pool and its zero fill are fused in
// the tile, and the window loops are tiled by 1.
// CHECK-LABEL: func.func @avg_pool
// CHECK-DAG: %[[C3:.+]] = arith.constant 3 : index
// CHECK-DAG: %[[C27:.+]] = arith.constant 27 : index
// CHECK-DAG: %[[C32:.+]] = arith.constant 32 : index
// CHECK-DAG: %[[C96:.+]] = arith.constant 96 : index
// CHECK-NOT: linalg.pooling_nhwc_sum
// CHECK: scf.for %{{.+}} = %{{.+}} to %[[C27]] step %{{.+}}
// CHECK: scf.for %{{.+}} = %{{.+}} to %[[C27]] step %[[C3]]
// CHECK: scf.for %{{.+}} = %{{.+}} to %[[C96]] step %[[C32]]
// CHECK: linalg.fill {cnn.register_tile} ins(%{{.+}} : f32) outs(%{{.+}} : tensor<1x1x3x32xf32>)
// CHECK: scf.for
// CHECK: scf.for
// CHECK: linalg.pooling_nhwc_sum
// CHECK-SAME: ins(%{{.+}}, %{{.+}} : tensor<1x1x5x32xf32>, tensor<1x1xf32>)
// CHECK-SAME: outs(%{{.+}} : tensor<1x1x3x32xf32>)
// CHECK: linalg.generic
// CHECK-SAME: outs(%{{.+}} : tensor<1x1x3x32xf32>)
// CHECK: arith.divf
// CHECK: tensor.insert_slice
// CHECK-NOT: linalg.
// CHECK: return
func.func @avg_pool(%x: tensor<1x55x55x96xf32>) -> tensor<1x27x27x96xf32> {
  %0 = cnn.avg_pool2d %x window [3] stride [2] : (tensor<1x55x55x96xf32>) -> tensor<1x27x27x96xf32>
  return %0 : tensor<1x27x27x96xf32>
}

// -----

// A filter blocked by the register tile's 32 channels (filter_block 32, as
// convforge-pack-filters stores constants): every tile reads its 1x1x4x32
// slice from the blocked filter itself, at block K/32; the filter rebuilt
// in HWCF layout by the conversion is dead and gone.
// CHECK-LABEL: func.func @blocked_filter
// CHECK-SAME: %[[W:[^:]+]]: tensor<2x3x3x64x32xf32>
// CHECK-DAG: %[[C32:.+]] = arith.constant 32 : index
// CHECK-DAG: %[[C64:.+]] = arith.constant 64 : index
// CHECK-NOT: linalg.transpose
// CHECK-NOT: tensor.collapse_shape
// CHECK: scf.for %[[K:.+]] = %{{.+}} to %[[C64]] step %[[C32]] iter_args
// CHECK: scf.for %[[FH:[^ ]+]] = 
// CHECK: scf.for %[[FW:[^ ]+]] = 
// CHECK: scf.for %[[C:[^ ]+]] = 
// CHECK: %[[BLOCK:.+]] = affine.apply #{{.+}}(%[[K]])
// CHECK: tensor.extract_slice %[[W]][%[[BLOCK]], %[[FH]], %[[FW]], %[[C]], 0] [1, 1, 1, 4, 32] [1, 1, 1, 1, 1] : tensor<2x3x3x64x32xf32> to tensor<1x1x4x32xf32>
// CHECK: linalg.conv_2d_nhwc_hwcf
// CHECK-NOT: linalg.transpose
// CHECK: return
func.func @blocked_filter(%x: tensor<1x10x16x64xf32>, %w: tensor<2x3x3x64x32xf32>) -> tensor<1x8x14x64xf32> {
  %0 = cnn.conv2d %x, %w filter_block 32 : (tensor<1x10x16x64xf32>, tensor<2x3x3x64x32xf32>) -> tensor<1x8x14x64xf32>
  return %0 : tensor<1x8x14x64xf32>
}

// -----

// A block of 8 channels is narrower than the register tile (16 channels of
// 24): a tile's slice may span blocks, so the tiles read the rebuilt HWCF
// filter, computed once before the loops.
// CHECK-LABEL: func.func @blocked_filter_narrower_than_tile
// CHECK: %[[T:.+]] = linalg.transpose ins(%{{.+}} : tensor<3x3x3x4x8xf32>)
// CHECK-SAME: permutation = [1, 2, 3, 0, 4]
// CHECK: %[[HWCF:.+]] = tensor.collapse_shape %[[T]] {{\[}}[0], [1], [2], [3, 4]]
// CHECK: scf.for
// CHECK: tensor.extract_slice %[[HWCF]]
// CHECK: linalg.conv_2d_nhwc_hwcf
func.func @blocked_filter_narrower_than_tile(%x: tensor<1x8x8x4xf32>, %w: tensor<3x3x3x4x8xf32>) -> tensor<1x6x6x24xf32> {
  %0 = cnn.conv2d %x, %w filter_block 8 : (tensor<1x8x8x4xf32>, tensor<3x3x3x4x8xf32>) -> tensor<1x6x6x24xf32>
  return %0 : tensor<1x6x6x24xf32>
}
