// Configurations that become invalid only once shapes are known are
// reported, after inference, with the verifier's own message.
// RUN: convforge-opt %s --cnn-shape-inference -split-input-file -verify-diagnostics

func.func @stride_does_not_divide(%x: tensor<1x224x224x3xf32>, %w: tensor<96x11x11x3xf32>) -> tensor<*xf32> {
  %0 = cnn.relu %x : (tensor<1x224x224x3xf32>) -> tensor<*xf32>
  // expected-error @+1 {{output height (224 - 11 + 2*0)/4 + 1 = 54.25 is not an integer}}
  %1 = cnn.conv2d %0, %w stride [4] : (tensor<*xf32>, tensor<96x11x11x3xf32>) -> tensor<*xf32>
  return %1 : tensor<*xf32>
}

// -----

func.func @depth_mismatch_after_pool(%x: tensor<1x8x8x3xf32>, %w: tensor<4x3x3x5xf32>) -> tensor<*xf32> {
  %0 = cnn.max_pool2d %x window [2] stride [2] : (tensor<1x8x8x3xf32>) -> tensor<*xf32>
  // expected-error @+1 {{filter depth 5 does not match input depth 3}}
  %1 = cnn.conv2d %0, %w : (tensor<*xf32>, tensor<4x3x3x5xf32>) -> tensor<*xf32>
  return %1 : tensor<*xf32>
}
