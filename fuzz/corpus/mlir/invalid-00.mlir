func.func @conv_not_exact(%x: tensor<1x224x224x3xf32>, %w: tensor<96x11x11x3xf32>) -> tensor<*xf32> {
  %0 = cnn.conv2d %x, %w stride [4] : (tensor<1x224x224x3xf32>, tensor<96x11x11x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}
