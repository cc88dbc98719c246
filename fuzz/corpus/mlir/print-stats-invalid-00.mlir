func.func @needs_inference(%x: tensor<1x8x8x3xf32>) -> tensor<*xf32> {
  %0 = cnn.max_pool2d %x window [2] stride [2] : (tensor<1x8x8x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}
