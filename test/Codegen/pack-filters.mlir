// convforge-pack-filters stores constant filters blocked by the register
// tile of output channels (512-bit vectors: 16 lanes; two vectors, 32
// channels, when they divide K).
// RUN: convforge-opt %s --split-input-file --convforge-pack-filters="vector-bits=512" | FileCheck %s

// K = 2 with 1x1x3 filters 1..6: a block of 2 (K is less than a vector)
// stores tap-major, the two filters' weights side by side:
// [w0[0], w1[0], w0[1], w1[1], w0[2], w1[2]] = [1, 4, 2, 5, 3, 6].
// CHECK-LABEL: func.func @small
// CHECK: %[[W:.+]] = arith.constant dense<{{\[}}{{\[}}{{\[}}{{\[}}[1.000000e+00, 4.000000e+00], [2.000000e+00, 5.000000e+00], [3.000000e+00, 6.000000e+00]]]]]> : tensor<1x1x1x3x2xf32>
// CHECK: cnn.conv2d %{{.+}}, %[[W]] filter_block 2 : (tensor<1x4x4x3xf32>, tensor<1x1x1x3x2xf32>)
// CHECK-NOT: tensor<2x1x1x3xf32>
func.func @small(%x: tensor<1x4x4x3xf32>) -> tensor<*xf32> {
  %w = arith.constant dense<[[[[1.0, 2.0, 3.0]]], [[[4.0, 5.0, 6.0]]]]> : tensor<2x1x1x3xf32>
  %0 = cnn.conv2d %x, %w : (tensor<1x4x4x3xf32>, tensor<2x1x1x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// K = 64: blocks of 32. A splat stays a splat in any layout.
// CHECK-LABEL: func.func @blocks_of_32
// CHECK: arith.constant dense<5.000000e-01> : tensor<2x3x3x8x32xf32>
// CHECK: filter_block 32
func.func @blocks_of_32(%x: tensor<1x8x8x8xf32>) -> tensor<*xf32> {
  %w = arith.constant dense<0.5> : tensor<64x3x3x8xf32>
  %0 = cnn.conv2d %x, %w : (tensor<1x8x8x8xf32>, tensor<64x3x3x8xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// K = 48: one vector (16) divides it, two do not.
// CHECK-LABEL: func.func @blocks_of_16
// CHECK: tensor<3x1x1x2x16xf32>
// CHECK: filter_block 16
func.func @blocks_of_16(%x: tensor<1x4x4x2xf32>) -> tensor<*xf32> {
  %w = arith.constant dense<1.0> : tensor<48x1x1x2xf32>
  %0 = cnn.conv2d %x, %w : (tensor<1x4x4x2xf32>, tensor<48x1x1x2xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// Left as they are: a filter passed as an argument (the caller owns its
// layout), K = 40 (no block of whole vectors divides it; the kernels peel
// the remainder), and a filter already blocked.
// CHECK-LABEL: func.func @unchanged
// CHECK: cnn.conv2d %{{.+}}, %{{.+}} : (tensor<1x4x4x2xf32>, tensor<8x1x1x2xf32>)
// CHECK: cnn.conv2d %{{.+}}, %{{.+}} : (tensor<1x4x4x2xf32>, tensor<40x1x1x2xf32>)
// CHECK: cnn.conv2d %{{.+}}, %{{.+}} filter_block 4 : (tensor<1x4x4x2xf32>, tensor<2x1x1x2x4xf32>)
func.func @unchanged(%x: tensor<1x4x4x2xf32>, %a: tensor<8x1x1x2xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %0 = cnn.conv2d %x, %a : (tensor<1x4x4x2xf32>, tensor<8x1x1x2xf32>) -> tensor<*xf32>
  %w = arith.constant dense<1.0> : tensor<40x1x1x2xf32>
  %1 = cnn.conv2d %x, %w : (tensor<1x4x4x2xf32>, tensor<40x1x1x2xf32>) -> tensor<*xf32>
  %b = arith.constant dense<1.0> : tensor<2x1x1x2x4xf32>
  %2 = cnn.conv2d %x, %b filter_block 4 : (tensor<1x4x4x2xf32>, tensor<2x1x1x2x4xf32>) -> tensor<*xf32>
  return %0, %1, %2 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// A dense resource (weights from a spec or a file) becomes a new dense
// resource, named after the original, holding the blocked weights aligned
// to 64 bytes (the leading 0x40).
// CHECK-LABEL: func.func @resource
// CHECK: arith.constant dense_resource<w_blocked> : tensor<1x1x1x3x2xf32>
// CHECK: w_blocked: "0x40000000{{0000803F00008040000000400000A040000040400000C040}}"
func.func @resource(%x: tensor<1x4x4x3xf32>) -> tensor<*xf32> {
  %w = arith.constant dense_resource<w> : tensor<2x1x1x3xf32>
  %0 = cnn.conv2d %x, %w : (tensor<1x4x4x3xf32>, tensor<2x1x1x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

{-#
  dialect_resources: {
    builtin: {
      w: "0x040000000000803F0000004000004040000080400000A0400000C040"
    }
  }
#-}
