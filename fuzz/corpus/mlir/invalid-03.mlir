func.func @lc_not_exact(%x: tensor<1x8x8x3xf32>, %w: tensor<3x3x4x3x3x3xf32>) -> tensor<*xf32> {
  %0 = cnn.locally_connected2d %x, %w stride [2] : (tensor<1x8x8x3xf32>, tensor<3x3x4x3x3x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}
