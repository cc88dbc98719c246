func.func @zero_stride(%x: tensor<1x5x5x3xf32>, %w: tensor<8x3x3x3xf32>) -> tensor<*xf32> {
  %0 = cnn.conv2d %x, %w stride [1, 0] : (tensor<1x5x5x3xf32>, tensor<8x3x3x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}
