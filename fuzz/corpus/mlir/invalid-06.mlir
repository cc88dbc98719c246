func.func @filter_larger_than_input(%x: tensor<1x5x5x3xf32>, %w: tensor<8x7x3x3xf32>) -> tensor<*xf32> {
  %0 = cnn.conv2d %x, %w : (tensor<1x5x5x3xf32>, tensor<8x7x3x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}
