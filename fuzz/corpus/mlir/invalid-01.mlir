func.func @conv_width_not_exact(%x: tensor<1x9x9x3xf32>, %w: tensor<8x3x3x3xf32>) -> tensor<*xf32> {
  %0 = cnn.conv2d %x, %w stride [2, 4] padding [2] : (tensor<1x9x9x3xf32>, tensor<8x3x3x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}
