func.func @window_larger_than_input(%x: tensor<1x5x2x3xf32>) -> tensor<*xf32> {
  %0 = cnn.avg_pool2d %x window [3] : (tensor<1x5x2x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}
