// A padded convolution of a function argument reads the argument itself in
// its interior width tiles, and narrow padded strips of its columns at the
// edges: the argument is never copied whole (convforge-pad-in-producer's
// early run leaves the pad to convforge-tile).
// RUN: convforge-opt %s --split-input-file --convforge-lower-to-linalg \
// RUN:   --convforge-select-strategy="vector-bits=512 vector-registers=32 l2-kib=1024" \
// RUN:   --convforge-pad-in-producer="copy-inputs=true" \
// RUN:   --convforge-select-strategy="vector-bits=512 vector-registers=32 l2-kib=1024" \
// RUN:   --convforge-tile | FileCheck %s

// 40 output columns in width tiles of 10 (3x3 filters, stride 1, padding
// 1): the tile at column x reads padded columns [x, x + 12). The tile at 0
// reaches the left padding, the tile at 30 the right one; tiles 10 and 20
// read argument columns x - 1 onwards. Edge tiles read 12-column strips:
// argument columns [0, 11) with a zero column before, [29, 40) with one
// after; both keep the padding rows, which the filter-row loops skip. Each
// strip is a buffer whose borders are filled and into which its columns are
// copied by a loop over rows (the copy's tiles: shared among threads in
// parallel code).
// CHECK-LABEL: func.func @edge_strips
// CHECK-SAME: (%[[X:[^:]+]]: tensor<1x6x40x16xf32>
// CHECK-NOT: tensor.pad
// CHECK: %[[RIGHT_COLUMNS:.+]] = tensor.extract_slice %[[X]][0, 0, 29, 0] [1, 6, 11, 16]
// CHECK: tensor.empty() : tensor<1x8x12x16xf32>
// CHECK: %[[RIGHT_COPY:.+]] = scf.for %[[R:[^ ]+]] =
// CHECK: tensor.extract_slice %[[RIGHT_COLUMNS]][0, %[[R]], 0, 0] [1, 1, 11, 16]
// CHECK: %[[RIGHT:.+]] = tensor.insert_slice %[[RIGHT_COPY]] into %{{.+}}[0, 1, 0, 0] [1, 6, 11, 16]
// CHECK: %[[LEFT_COLUMNS:.+]] = tensor.extract_slice %[[X]][0, 0, 0, 0] [1, 6, 11, 16]
// CHECK: %[[LEFT_COPY:.+]] = scf.for %[[R:[^ ]+]] =
// CHECK: tensor.extract_slice %[[LEFT_COLUMNS]][0, %[[R]], 0, 0] [1, 1, 11, 16]
// CHECK: %[[LEFT:.+]] = tensor.insert_slice %[[LEFT_COPY]] into %{{.+}}[0, 1, 1, 0] [1, 6, 11, 16]
// CHECK-NOT: tensor.pad
// CHECK: scf.for %[[OH:[^ ]+]] =
// CHECK: tensor.extract_slice %[[LEFT]][0, %{{.+}}, %{{.+}}, %{{.+}}] [1, 1, 10, 4]
// CHECK: linalg.conv_2d_nhwc_hwcf
// CHECK: scf.for %[[OW:[^ ]+]] = %c10 to %c30 step %c10
// CHECK: %[[ROW:.+]] = affine.apply #{{.+}}()[%{{.+}}, %[[OH]]]
// CHECK: %[[COLUMN:.+]] = affine.apply #{{.+}}()[%{{.+}}, %[[OW]]]
// CHECK: tensor.extract_slice %[[X]][0, %[[ROW]], %[[COLUMN]], %{{.+}}] [1, 1, 10, 4]
// CHECK: linalg.conv_2d_nhwc_hwcf
// CHECK: tensor.extract_slice %[[RIGHT]][0, %{{.+}}, %{{.+}}, %{{.+}}] [1, 1, 10, 4]
// CHECK: linalg.conv_2d_nhwc_hwcf
// CHECK-NOT: cnn.input_columns
func.func @edge_strips(%x: tensor<1x6x40x16xf32>, %w: tensor<16x3x3x16xf32>) -> tensor<1x6x40x16xf32> {
  %0 = cnn.conv2d %x, %w padding [1] : (tensor<1x6x40x16xf32>, tensor<16x3x3x16xf32>) -> tensor<1x6x40x16xf32>
  return %0 : tensor<1x6x40x16xf32>
}

// -----

// One width tile spans the whole row, reaching both paddings: no tile reads
// the argument directly, so the early run copies it into its padded buffer
// as before (a linalg.generic, tiled here into row copies).
// CHECK-LABEL: func.func @one_tile
// CHECK-SAME: (%[[X:[^:]+]]: tensor<1x6x8x16xf32>
// CHECK-NOT: tensor.pad
// CHECK: %[[INTERIOR:.+]] = tensor.extract_slice %{{.+}}[0, 1, 1, 0] [1, 6, 8, 16]
// CHECK: scf.for %[[ROW:.+]] = %{{.+}} iter_args(%{{.+}} = %[[INTERIOR]])
// CHECK: tensor.extract_slice %[[X]][0, %[[ROW]], 0, 0] [1, 1, 8, 16]
// CHECK-NOT: tensor.pad
func.func @one_tile(%x: tensor<1x6x8x16xf32>, %w: tensor<16x3x3x16xf32>) -> tensor<1x6x8x16xf32> {
  %0 = cnn.conv2d %x, %w padding [1] : (tensor<1x6x8x16xf32>, tensor<16x3x3x16xf32>) -> tensor<1x6x8x16xf32>
  return %0 : tensor<1x6x8x16xf32>
}
