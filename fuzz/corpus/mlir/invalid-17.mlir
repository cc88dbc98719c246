func.func @lc_positions(%x: tensor<1x5x5x3xf32>, %w: tensor<3x2x4x3x3x3xf32>) -> tensor<*xf32> {
  %0 = cnn.locally_connected2d %x, %w : (tensor<1x5x5x3xf32>, tensor<3x2x4x3x3x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}
