func.func @f16_input(%x: tensor<1x5x5x3xf16>, %w: tensor<8x3x3x3xf32>) -> tensor<*xf32> {
  %0 = cnn.conv2d %x, %w : (tensor<1x5x5x3xf16>, tensor<8x3x3x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}
