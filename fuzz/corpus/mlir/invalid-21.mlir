func.func @result_count_overflow(%x: tensor<1x1x1x4294967296xf32>, %w: tensor<4294967296x1x1x4294967296xf32>) -> tensor<*xf32> {
  %0 = cnn.conv2d %x, %w : (tensor<1x1x1x4294967296xf32>, tensor<4294967296x1x1x4294967296xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}
