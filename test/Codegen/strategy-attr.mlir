// The #cnn.strategy attribute: printed as parsed, also after a second round
// trip and in the generic form.
// RUN: convforge-opt %s | FileCheck %s
// RUN: convforge-opt %s | convforge-opt | FileCheck %s
// RUN: convforge-opt %s --mlir-print-op-generic | convforge-opt | FileCheck %s

// CHECK-LABEL: func.func @conv
// CHECK: linalg.conv_2d_nhwc_hwcf
// CHECK-SAME: cnn.strategy = #cnn.strategy<cache = [1, 0, 0, 32, 0, 0, 0], interchange = [3, 0, 1, 2, 4, 5, 6], register = [1, 1, 14, 32, 0, 0, 0], reduction = [0, 0, 0, 0, 1, 1, 16], vector_width = 16>
func.func @conv(%x: tensor<1x16x16x64xf32>, %w: tensor<3x3x64x64xf32>, %init: tensor<1x14x14x64xf32>) -> tensor<1x14x14x64xf32> {
  %0 = linalg.conv_2d_nhwc_hwcf {cnn.strategy = #cnn.strategy<cache = [1, 0, 0, 32, 0, 0, 0], interchange = [3, 0, 1, 2, 4, 5, 6], register = [1, 1, 14, 32, 0, 0, 0], reduction = [0, 0, 0, 0, 1, 1, 16], vector_width = 16>, dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
    ins(%x, %w : tensor<1x16x16x64xf32>, tensor<3x3x64x64xf32>) outs(%init : tensor<1x14x14x64xf32>) -> tensor<1x14x14x64xf32>
  return %0 : tensor<1x14x14x64xf32>
}

// Empty cache tiles and interchange (no cache level), on a matmul.
// CHECK-LABEL: func.func @matmul
// CHECK: linalg.matmul
// CHECK-SAME: {cnn.strategy = #cnn.strategy<cache = [], interchange = [], register = [1, 32, 0], reduction = [0, 0, 64], vector_width = 8>}
func.func @matmul(%a: tensor<1x128xf32>, %b: tensor<128x64xf32>, %c: tensor<1x64xf32>) -> tensor<1x64xf32> {
  %0 = linalg.matmul {cnn.strategy = #cnn.strategy<cache = [], interchange = [], register = [1, 32, 0], reduction = [0, 0, 64], vector_width = 8>}
    ins(%a, %b : tensor<1x128xf32>, tensor<128x64xf32>) outs(%c : tensor<1x64xf32>) -> tensor<1x64xf32>
  return %0 : tensor<1x64xf32>
}

// A standalone attribute (e.g. kept on a function) is a valid attribute too:
// the loop-count check applies only to `cnn.strategy` on an op.
// CHECK-LABEL: func.func @standalone
// CHECK-SAME: my.strategy = #cnn.strategy<cache = [], interchange = [], register = [1, 4], reduction = [0, 0], vector_width = 4>
func.func @standalone() attributes {my.strategy = #cnn.strategy<cache = [], interchange = [], register = [1, 4], reduction = [0, 0], vector_width = 4>} {
  return
}
