func.func @pool_padding_not_smaller_than_window(%x: tensor<1x6x6x3xf32>) -> tensor<*xf32> {
  %0 = cnn.max_pool2d %x window [3, 2] padding [1, 2] : (tensor<1x6x6x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}
