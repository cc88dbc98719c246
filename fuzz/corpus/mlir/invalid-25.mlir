func.func @padded_extent_overflow(%x: tensor<1x9223372036854775000x1x1xf32>) -> tensor<*xf32> {
  %0 = cnn.max_pool2d %x window [1001, 1] padding [1000, 0] : (tensor<1x9223372036854775000x1x1xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}
