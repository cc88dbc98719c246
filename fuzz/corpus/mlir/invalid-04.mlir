func.func @filter_depth(%x: tensor<1x32x32x3xf32>, %w: tensor<8x3x3x4xf32>) -> tensor<*xf32> {
  %0 = cnn.conv2d %x, %w : (tensor<1x32x32x3xf32>, tensor<8x3x3x4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}
