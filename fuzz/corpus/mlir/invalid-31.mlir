func.func @input_rank(%x: tensor<5x5x3xf32>, %w: tensor<8x3x3x3xf32>) -> tensor<*xf32> {
  %0 = cnn.conv2d %x, %w : (tensor<5x5x3xf32>, tensor<8x3x3x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}
