func.func @negative_stride(%x: tensor<1x5x5x3xf32>) -> tensor<*xf32> {
  %0 = cnn.max_pool2d %x window [2] stride [-2] : (tensor<1x5x5x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}
