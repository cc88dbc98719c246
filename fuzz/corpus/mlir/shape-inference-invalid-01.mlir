func.func @depth_mismatch_after_pool(%x: tensor<1x8x8x3xf32>, %w: tensor<4x3x3x5xf32>) -> tensor<*xf32> {
  %0 = cnn.max_pool2d %x window [2] stride [2] : (tensor<1x8x8x3xf32>) -> tensor<*xf32>
  %1 = cnn.conv2d %0, %w : (tensor<*xf32>, tensor<4x3x3x5xf32>) -> tensor<*xf32>
  return %1 : tensor<*xf32>
}
