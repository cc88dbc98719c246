// In parallel code, the copies of a padded argument's edge strips are
// shared among the threads like the convolution reading them: a row of the
// strip per piece of work. Serial, they took 10 % of ResNet's 3x3/2 layer
// on two threads.
// RUN: convforge-opt %s --convforge-lower-to-linalg \
// RUN:   --convforge-select-strategy="vector-bits=512 vector-registers=32 l2-kib=1024 threads=2" \
// RUN:   --convforge-pad-in-producer="copy-inputs=true" \
// RUN:   --convforge-tile | FileCheck %s

// 40 output columns in width tiles of 10: the edge tiles read 12-column
// strips of 6 rows (8 with the padding rows), each copied by a parallel
// loop over its rows before the convolution's.
// CHECK-LABEL: func.func @edge_strips
// CHECK-SAME: (%[[X:[^:]+]]: tensor<1x6x40x16xf32>
// CHECK: %[[RIGHT_COLUMNS:.+]] = tensor.extract_slice %[[X]][0, 0, 29, 0] [1, 6, 11, 16]
// CHECK: %[[RIGHT_COPY:.+]] = scf.forall (%[[R:.+]]) in (6)
// CHECK: tensor.extract_slice %[[RIGHT_COLUMNS]][0, %[[R]], 0, 0] [1, 1, 11, 16]
// CHECK: tensor.insert_slice %[[RIGHT_COPY]] into %{{.+}}[0, 1, 0, 0] [1, 6, 11, 16]
// CHECK: %[[LEFT_COLUMNS:.+]] = tensor.extract_slice %[[X]][0, 0, 0, 0] [1, 6, 11, 16]
// CHECK: %[[LEFT_COPY:.+]] = scf.forall (%[[R:.+]]) in (6)
// CHECK: tensor.extract_slice %[[LEFT_COLUMNS]][0, %[[R]], 0, 0] [1, 1, 11, 16]
// CHECK: tensor.insert_slice %[[LEFT_COPY]] into %{{.+}}[0, 1, 1, 0] [1, 6, 11, 16]
// CHECK: scf.forall
// CHECK: linalg.conv_2d_nhwc_hwcf
// CHECK-NOT: tensor.pad
func.func @edge_strips(%x: tensor<1x6x40x16xf32>, %w: tensor<16x3x3x16xf32>) -> tensor<1x6x40x16xf32> {
  %0 = cnn.conv2d %x, %w padding [1] : (tensor<1x6x40x16xf32>, tensor<16x3x3x16xf32>) -> tensor<1x6x40x16xf32>
  return %0 : tensor<1x6x40x16xf32>
}
