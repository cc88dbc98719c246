// The cache tiles of convolutions in code for two threads
// (lib/Codegen/StrategySelection.cpp): each cache tile is a piece of
// parallel work, and a static schedule gives each thread a contiguous run of
// them in the order of the interchange. Target: 512-bit vectors, 32
// registers, L2 1024 KiB (see select-strategy.mlir for the register tiles).

// RUN: convforge-opt %s --split-input-file --convforge-lower-to-linalg \
// RUN:   --convforge-select-strategy="vector-bits=512 vector-registers=32 l1-kib=32 l2-kib=1024 threads=2" \
// RUN:   | FileCheck %s

// VGG's 56x56x256 layer: a blocked filter (2.4 MB in blocks of 32
// channels, smaller than twice the 3.4 MB padded input) on one image whose
// 56 rows the two threads split: a block of 28 rows per thread, outermost,
// the filter blocks inside it (interchange OH, K, N, OW).
// CHECK-LABEL: func.func @rows_per_thread
// CHECK: cnn.strategy = #cnn.strategy<cache = [1, 28, 0, 32, 0, 0, 0], interchange = [1, 3, 0, 2, 4, 5, 6], register = [1, 1, 8, 32, 0, 0, 0], reduction = [0, 0, 0, 0, 1, 1, 4], vector_width = 16, threads = 2>
func.func @rows_per_thread(%x: tensor<1x56x56x256xf32>, %w: tensor<256x3x3x256xf32>, %b: tensor<256xf32>) -> tensor<1x56x56x256xf32> {
  %0 = cnn.conv2d %x, %w, %b padding [1] : (tensor<1x56x56x256xf32>, tensor<256x3x3x256xf32>, tensor<256xf32>) -> tensor<1x56x56x256xf32>
  return %0 : tensor<1x56x56x256xf32>
}

// -----

// VGG's 14x14x512 layer: 14 rows, which two threads would split evenly,
// but a filter (9.4 MB) 18 times the padded input (0.5 MB), which every
// thread would read in full: the filter blocks are outermost instead (each
// thread half of them), single rows inside.
// CHECK-LABEL: func.func @filter_much_larger_than_input
// CHECK: cnn.strategy = #cnn.strategy<cache = [1, 1, 0, 32, 0, 0, 0], interchange = [3, 0, 1, 2, 4, 5, 6], register = [1, 1, 7, 32, 0, 0, 0], reduction = [0, 0, 0, 0, 1, 1, 4], vector_width = 16, threads = 2>
func.func @filter_much_larger_than_input(%x: tensor<1x14x14x512xf32>, %w: tensor<512x3x3x512xf32>, %b: tensor<512xf32>) -> tensor<1x14x14x512xf32> {
  %0 = cnn.conv2d %x, %w, %b padding [1] : (tensor<1x14x14x512xf32>, tensor<512x3x3x512xf32>, tensor<512xf32>) -> tensor<1x14x14x512xf32>
  return %0 : tensor<1x14x14x512xf32>
}

// -----

// AlexNet's conv2, 27 rows, which two threads do not split evenly: single
// rows, the filter blocks outermost (each thread a run of blocks).
// CHECK-LABEL: func.func @odd_rows
// CHECK: cnn.strategy = #cnn.strategy<cache = [1, 1, 0, 32, 0, 0, 0], interchange = [3, 0, 1, 2, 4, 5, 6], register = [1, 1, 9, 32, 0, 0, 0], reduction = [0, 0, 0, 0, 1, 1, 4], vector_width = 16, threads = 2>
func.func @odd_rows(%x: tensor<1x27x27x96xf32>, %w: tensor<256x5x5x96xf32>, %b: tensor<256xf32>) -> tensor<1x27x27x256xf32> {
  %0 = cnn.conv2d %x, %w, %b padding [2] : (tensor<1x27x27x96xf32>, tensor<256x5x5x96xf32>, tensor<256xf32>) -> tensor<1x27x27x256xf32>
  return %0 : tensor<1x27x27x256xf32>
}

// -----

// A batch: the images are outermost (each thread its images), the filter
// blocks inside each image.
// CHECK-LABEL: func.func @batch
// CHECK: cnn.strategy = #cnn.strategy<cache = [1, 1, 0, 32, 0, 0, 0], interchange = [0, 3, 1, 2, 4, 5, 6], register = [1, 1, 7, 32, 0, 0, 0], reduction = [0, 0, 0, 0, 1, 1, 4], vector_width = 16, threads = 2>
func.func @batch(%x: tensor<4x14x14x512xf32>, %w: tensor<512x3x3x512xf32>, %b: tensor<512xf32>) -> tensor<4x14x14x512xf32> {
  %0 = cnn.conv2d %x, %w, %b padding [1] : (tensor<4x14x14x512xf32>, tensor<512x3x3x512xf32>, tensor<512xf32>) -> tensor<4x14x14x512xf32>
  return %0 : tensor<4x14x14x512xf32>
}

// -----

// A filter that fits (ResNet's 3x3/2 layer, 590 KB) is not blocked: single
// rows, in order.
// CHECK-LABEL: func.func @unblocked
// CHECK: cnn.strategy = #cnn.strategy<cache = [1, 1, 0, 0, 0, 0, 0], interchange = [], register = [1, 1, 7, 32, 0, 0, 0], reduction = [0, 0, 0, 0, 1, 1, 4], vector_width = 16, threads = 2>
func.func @unblocked(%x: tensor<1x56x56x128xf32>, %w: tensor<128x3x3x128xf32>, %b: tensor<128xf32>) -> tensor<1x28x28x128xf32> {
  %0 = cnn.conv2d %x, %w, %b stride [2] padding [1] rounding floor : (tensor<1x56x56x128xf32>, tensor<128x3x3x128xf32>, tensor<128xf32>) -> tensor<1x28x28x128xf32>
  return %0 : tensor<1x28x28x128xf32>
}
